import fs from "node:fs";
import path from "node:path";
import { type Express, type Request, type Response } from "express";

/** Hashed build output (`/assets/<name>-<hash>.<ext>`): its content never changes under its name. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html and other unhashed files: always revalidated, so a release is seen at once. */
export const REVALIDATE = "no-cache";

const ENCODINGS = [
  { token: "br", ext: ".br" },
  { token: "gzip", ext: ".gz" },
] as const;

/** The encodings an Accept-Encoding header accepts (q > 0), e.g. "gzip, deflate, br;q=0.9". */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && !(Number(q.slice(2)) > 0)) continue;
    out.add(name);
  }
  return out;
}

/**
 * Serves the built web app: hashed assets cached for a year (immutable), everything else
 * revalidated; the Brotli or gzip copy written by the build (vite.config.ts) when the browser
 * accepts it (Brotli first); index.html for every other GET path (the single-page app's routes).
 */
export function serveWebApp(app: Express, webDist: string): void {
  const root = path.resolve(webDist);
  const indexHtml = path.join(root, "index.html");
  const cacheControl = (file: string) => (path.relative(root, file).startsWith(`assets${path.sep}`) ? IMMUTABLE : REVALIDATE);

  /** Sends a file of the build, compressed when a compressed copy exists and is accepted. */
  const send = (req: Request, res: Response, file: string, next: (err?: unknown) => void) => {
    const accepted = acceptedEncodings(req.headers["accept-encoding"]);
    const encoding = ENCODINGS.find((e) => accepted.has(e.token) && fs.existsSync(file + e.ext));
    res.setHeader("Cache-Control", cacheControl(file));
    res.setHeader("Vary", "Accept-Encoding");
    res.type(path.extname(file));
    if (encoding) res.setHeader("Content-Encoding", encoding.token);
    res.sendFile(encoding ? file + encoding.ext : file, { cacheControl: false, dotfiles: "deny" }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  };

  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep) || /\.(br|gz)$/.test(file) || file === indexHtml) return next();
    fs.stat(file, (err, st) => (!err && st.isFile() ? send(req, res, file, next) : next()));
  });
  // A missing hashed asset (an old page after a release) is a 404, not the app's HTML.
  app.use("/assets", (_req, res) => res.status(404).type("text/plain; charset=utf-8").send("Not found"));
  // The single-page app owns every other GET path.
  app.get(/^\/(?!graphql|api\/|healthz|readyz).*/, (req, res, next) => send(req, res, indexHtml, next));
}


