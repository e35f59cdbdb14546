import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { DEMO } from "../support/demo.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/**
 * How the web app and the API go over the wire: the build's Brotli or gzip copy when the browser
 * asks for one (the plain file otherwise), hashed assets cached for a year, index.html always
 * revalidated, and GraphQL answers compressed. The build is a small one made by the test, with
 * compressed copies as `vite build` writes them (apps/web/vite.config.ts).
 */

const JS = `export const greeting = ${JSON.stringify("你好，".repeat(400))};\n`;
const INDEX = `<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="app">${"正在加载…".repeat(80)}</div></body></html>`;

function makeDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-web-delivery-"));
  fs.mkdirSync(path.join(dir, "assets"));
  const write = (rel: string, text: string, compressed = true) => {
    const file = path.join(dir, rel);
    fs.writeFileSync(file, text);
    if (!compressed) return;
    fs.writeFileSync(file + ".br", zlib.brotliCompressSync(Buffer.from(text)));
    fs.writeFileSync(file + ".gz", zlib.gzipSync(Buffer.from(text)));
  };
  write("index.html", INDEX);
  write("assets/index-Ab12Cd34.js", JS);
  write("assets/tiny-Zz99Yy88.css", "a{color:red}", false);
  return dir;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One GET with exactly the headers given (fetch would add its own Accept-Encoding). */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decoded(a: Answer): string {
  const enc = a.headers["content-encoding"];
  if (enc === "br") return zlib.brotliDecompressSync(a.body).toString();
  if (enc === "gzip") return zlib.gunzipSync(a.body).toString();
  return a.body.toString();
}

describeEachDb("web app delivery: compression and caching", (variant) => {
  let server: TestServer;
  let dist: string;
  beforeAll(async () => {
    dist = makeDist();
    server = await startTestServer(variant, { WEB_DIST: dist });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it("sends a hashed asset as Brotli, gzip or plain as asked, cached for a year as immutable", async () => {
    const url = `${server.url}/assets/index-Ab12Cd34.js`;
    const br = await get(url, { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/^(text|application)\/javascript/);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(JS) / 4);
    expect(decoded(br)).toBe(JS);

    const gz = await get(url, { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(decoded(gz)).toBe(JS);

    // Brotli refused by q=0: gzip.
    expect((await get(url, { "accept-encoding": "br;q=0, gzip;q=0.8" })).headers["content-encoding"]).toBe("gzip");

    const plain = await get(url);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(JS);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");

    // HEAD answers the same headers without a body.
    const head = await get(url, { "accept-encoding": "br" }, "HEAD");
    expect([head.status, head.headers["content-encoding"], head.body.length]).toEqual([200, "br", 0]);
  });

  it("sends an asset without a compressed copy as it is, and a missing asset as 404 (not the app's page)", async () => {
    const css = await get(`${server.url}/assets/tiny-Zz99Yy88.css`, { "accept-encoding": "br, gzip" });
    expect(css.status).toBe(200);
    expect(css.headers["content-encoding"]).toBeUndefined();
    expect(css.body.toString()).toBe("a{color:red}");
    expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");

    const missing = await get(`${server.url}/assets/gone-00000000.js`, { "accept-encoding": "br" });
    expect(missing.status).toBe(404);
    expect(missing.headers["content-type"]).not.toMatch(/html/);
    // The compressed copies are not addressable by themselves.
    expect((await get(`${server.url}/assets/index-Ab12Cd34.js.br`)).status).toBe(404);
    // Nothing outside the build.
    expect((await get(`${server.url}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it("sends index.html (at / and at every page's address) compressed and never cached without revalidation", async () => {
    for (const p of ["/", "/login", "/applications/12/edit", "/index.html"]) {
      const a = await get(server.url + p, { "accept-encoding": "gzip, br" });
      expect(a.status, p).toBe(200);
      expect(a.headers["content-type"], p).toMatch(/^text\/html/);
      expect(a.headers["content-encoding"], p).toBe("br");
      expect(a.headers["cache-control"], p).toBe("no-cache");
      expect(decoded(a), p).toBe(INDEX);
    }
    const plain = await get(`${server.url}/home`);
    expect([plain.headers["content-encoding"], plain.headers["cache-control"], plain.body.toString()]).toEqual([undefined, "no-cache", INDEX]);
  });

  it("compresses GraphQL answers when asked, and not when not", async () => {
    const teacher = await loginAs(server.url, DEMO.TEACHER);
    // A page of the teacher's points log (the demo has 2023's): several kilobytes of JSON.
    const query = JSON.stringify({
      query: "{ myActivity(year: 2023) { ledger(offset: 0, limit: 50, sort: time, desc: true) { total items { seq day rule ruleLabel points eventId eventType eventAt } } } }",
    });
    const post = (encoding?: string) =>
      new Promise<Answer>((resolve, reject) => {
        const req = http.request(
          `${server.url}/graphql`,
          {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${teacher.token}`, ...(encoding ? { "accept-encoding": encoding } : {}) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          },
        );
        req.on("error", reject);
        req.end(query);
      });
    const plain = await post();
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const json = JSON.parse(plain.body.toString()) as { data: { myActivity: { ledger: { items: unknown[] } } } };
    expect(json.data.myActivity.ledger.items.length).toBeGreaterThan(10);
    expect(plain.body.length).toBeGreaterThan(1024);

    for (const enc of ["gzip", "br"]) {
      const a = await post(enc);
      expect(a.headers["content-encoding"], enc).toBe(enc);
      expect(a.body.length, enc).toBeLessThan(plain.body.length);
      expect(JSON.parse(decoded(a)), enc).toEqual(json);
    }
  });
});
