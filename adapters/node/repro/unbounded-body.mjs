// SEC-LIMITS: an oversized or endless answer must end in a clear error with
// bounded memory. The SDK reads every REST answer whole into memory before
// looking at it: an endless metrics answer (chunked, never ends) or a large
// export archive grows the process without limit until something kills it.
// The server below streams patterned bytes as fast as the client reads them
// (respecting back-pressure: it holds nothing); this script watches its own
// RSS and stops at LIMIT_MIB.
// Run: node unbounded-body.mjs [metrics|export] [LIMIT_MIB]   (default: metrics 1024)
//   metrics: GET /v1/boxes/b1/metrics answers an endless chunked body
//   export:  POST /v1/boxes/b1/export answers 2 GiB with a Content-Length
//            (to a destination in a temporary directory, removed at the end)
import fs from "node:fs";
import path from "node:path";
import { serve, box, json, outcome, tempDir } from "./serve.mjs";

const mode = process.argv[2] ?? "metrics";
const LIMIT = (Number(process.argv[3]) || 1024) * 2 ** 20;
const EXPORT_BYTES = 2 * 2 ** 30;
const CHUNK = Buffer.alloc(1 << 20, "0123456789abcdef");
let sent = 0;

// Writes CHUNKs while the socket takes them, up to total bytes (Infinity: never ends).
const stream = (res, total) => {
  const more = () => {
    while (sent < total) {
      const n = Math.min(CHUNK.length, total - sent);
      sent += n;
      if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return res.once("drain", more);
    }
    res.end();
  };
  res.on("error", () => {});
  more();
};
const srv = await serve({
  "GET /v1/config": (req, res) => json(res, 200, { capabilities: { export_enabled: true } }),
  "GET /v1/boxes/b1/metrics": (req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" }); // chunked, no length
    stream(res, Infinity);
  },
  "POST /v1/boxes/b1/export": (req, res) => {
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": EXPORT_BYTES });
    stream(res, EXPORT_BYTES);
  },
});
const tmp = tempDir("repro-unbounded-");
const done = (code, what) => {
  console.log(what);
  srv.close();
  process.exit(code);
};
const mib = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`;
let peak = 0;
setInterval(() => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  if (rss > LIMIT)
    done(1, `VIOLATION: ${mode}() still pending with RSS ${mib(rss)} after the server sent ${mib(sent)}: the answer is buffered without bound`);
}, 50);

const b = await box(srv.url);
const call = mode === "export" ? () => b.export(path.join(tmp, "out.boxlite")) : () => b.metrics();
const r = await outcome(call);
done(0, `${mode}() ended: ${JSON.stringify(r).slice(0, 200)}; peak RSS ${mib(peak)} for ${mib(sent)} sent`);
