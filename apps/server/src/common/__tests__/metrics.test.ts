import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { BoundedQueue } from "../bounded-queue.js";
import { LabelSet, metricsAccess, routeLabel } from "../metrics.js";

/** A request as metricsAccess and routeLabel read it: its peer address, headers, route and URL. */
function req(parts: { address?: string; authorization?: string; route?: unknown; baseUrl?: string; url?: string }): Request {
  return {
    socket: { remoteAddress: parts.address ?? "127.0.0.1" },
    headers: parts.authorization ? { authorization: parts.authorization } : {},
    route: parts.route === undefined ? undefined : { path: parts.route },
    baseUrl: parts.baseUrl ?? "",
    originalUrl: parts.url ?? "/",
  } as unknown as Request;
}

describe("who may read /metrics", () => {
  const token = "0123456789abcdef-metrics";
  it("outside production without a token: loopback callers only (IPv4, IPv6, IPv4-mapped)", () => {
    const dev = { production: false, metricsToken: undefined };
    for (const address of ["127.0.0.1", "127.8.0.3", "::1", "::ffff:127.0.0.1"]) expect(metricsAccess(req({ address }), dev), address).toBe(200);
    for (const address of ["10.0.0.5", "192.168.1.2", "::ffff:10.0.0.5", "2001:db8::1", undefined]) {
      expect(metricsAccess(req({ address: address ?? "" }), dev), String(address)).toBe(404);
    }
  });
  it("in production without a token: nobody", () => {
    expect(metricsAccess(req({ address: "127.0.0.1" }), { production: true, metricsToken: undefined })).toBe(404);
  });
  it("with a token, in either mode: the bearer token and nothing else, loopback included", () => {
    for (const production of [true, false]) {
      const cfg = { production, metricsToken: token };
      expect(metricsAccess(req({ authorization: `Bearer ${token}`, address: "10.0.0.5" }), cfg)).toBe(200);
      expect(metricsAccess(req({ authorization: `Bearer  ${token} ` }), cfg)).toBe(200);
      expect(metricsAccess(req({ authorization: `bearer ${token}` }), cfg)).toBe(200);
      for (const authorization of [undefined, "Bearer", "Bearer ", `Bearer ${token.slice(1)}`, `Bearer ${token}x`, `Bearer ${token} x`, token, `Basic ${token}`]) {
        expect(metricsAccess(req({ authorization }), cfg), String(authorization)).toBe(401);
      }
    }
  });
});

describe("label values stay bounded", () => {
  it("admits the first values up to the cap, then answers the overflow label", () => {
    const set = new LabelSet(3);
    expect(["a", "b", "a", "c", "d", "b"].map((v) => set.label(v))).toEqual(["a", "b", "a", "c", "other", "b"]);
    expect(set.size).toBe(3);
  });
  it("does not admit a value when told not to, but keeps a known one", () => {
    const set = new LabelSet(3);
    set.label("known");
    expect(set.label("new", false)).toBe("other");
    expect(set.label("known", false)).toBe("known");
    expect(set.size).toBe(1);
  });
  it("labels HTTP requests by route pattern, GraphQL as one route, the rest by kind", () => {
    expect(routeLabel(req({ route: "/api/files/:id", url: "/api/files/123" }))).toBe("/api/files/:id");
    expect(routeLabel(req({ route: /^\/(?!graphql).*/, url: "/campaigns/12" }))).toBe("web");
    expect(routeLabel(req({ url: "/graphql?x=1" }))).toBe("/graphql");
    expect(routeLabel(req({ url: "/api/nothing/42" }))).toBe("/api (no route)");
    expect(routeLabel(req({ url: "/assets/app-123.js" }))).toBe("web");
  });
});

describe("a bounded queue reports each granted caller's wait", () => {
  it("0 for a free slot, once per grant for a waiter, nothing for a refused or departed caller", async () => {
    const q = new BoundedQueue("t", 1, 1);
    const waits: number[] = [];
    q.onWait = (s) => waits.push(s);
    const first = await q.acquire();
    expect(waits).toEqual([0]);
    const gone = new AbortController();
    const leaving = q.acquire({ signal: gone.signal });
    await expect(q.acquire()).rejects.toMatchObject({ code: "SERVER_BUSY" });
    gone.abort(new Error("left"));
    await expect(leaving).rejects.toThrow("left");
    const second = q.acquire();
    first();
    (await second)();
    expect(waits.length).toBe(2);
    expect(waits[1]).toBeGreaterThanOrEqual(0);
  });
});
