// Shared by the repros: a minimal BoxLite-like REST server on a loopback port
// (Node's http module, one handler per "METHOD /path" the repro needs) and
// the SDK's client pointed at it. Nothing here is boxconform code.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { JsBoxlite, BoxliteRestOptions, ApiKeyCredential } from "@boxlite-ai/boxlite";

export const TOKEN = "repro-token";

// A BoxResponse as BoxLite's server writes it (src/boxlite/src/rest/types.rs).
export const BOX = {
  box_id: "b1", name: "b1", status: "running", created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z", image: "alpine:latest", cpus: 1, memory_mib: 512,
};

export const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
};

// routes: {"GET /v1/boxes/b1/metrics": (req, res) => ...}; GET /v1/boxes/b1
// answers BOX unless routes say otherwise; anything else is 404. Every request
// is recorded as "METHOD path auth=<authorization header or ->".
export async function serve(routes, log = []) {
  const server = http.createServer((req, res) => {
    const path = req.url.split("?")[0];
    log.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? "-"}`);
    const route = routes[`${req.method} ${path}`] ??
      (req.method === "GET" && path === "/v1/boxes/b1" ? (q, r) => json(r, 200, BOX) : null);
    if (route) return route(req, res);
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("404 page not found");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, log, close: () => { server.closeAllConnections(); server.close(); } };
}

// The SDK's REST runtime on url, and box b1 through it (GET /v1/boxes/b1).
export async function box(url) {
  const rt = JsBoxlite.rest(new BoxliteRestOptions({ url, credential: new ApiKeyCredential(TOKEN) }));
  return rt.get("b1");
}

// Runs fn and gives back what its caller sees: {value} or {error: message}.
export async function outcome(fn) {
  try {
    return { value: await fn() };
  } catch (err) {
    return { error: String(err?.message ?? err) };
  }
}

// A fresh directory under $TMPDIR, removed when the process exits however it
// exits (a violation, an SDK error thrown, process.exit()).
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
