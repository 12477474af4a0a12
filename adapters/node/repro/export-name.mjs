// SEC-EXPORT-NAME: exporting into a directory writes dest/<box name>.boxlite;
// a box name the server supplies with "/" or ".." must never place the
// archive outside dest. The SDK joins the name as it is: with the name
// "../../escaped" the archive lands two levels above dest.
// Everything happens in a fresh temporary directory (dest four levels below
// it, the name climbs two), removed at the end.
// Run: node export-name.mjs   (from adapters/node/repro)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serve, box, json, outcome, BOX, tempDir } from "./serve.mjs";

const NAME = "../../escaped";
const srv = await serve({
  "GET /v1/boxes/b1": (req, res) => json(res, 200, { ...BOX, name: NAME }),
  "GET /v1/config": (req, res) => json(res, 200, { capabilities: { export_enabled: true } }),
  "POST /v1/boxes/b1/export": (req, res) => {
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": 7 });
    res.end("ARCHIVE");
  },
});
const tmp = tempDir("repro-export-name-");
const dest = path.join(tmp, "a", "b", "c", "dest");
fs.mkdirSync(dest, { recursive: true });
const b = await box(srv.url);
const r = await outcome(() => b.export(dest));
srv.close();
const files = execFileSync("find", [tmp, "-type", "f", "-printf", "%P\n"]).toString().trim().split("\n").filter(Boolean);
const outside = files.filter((f) => !f.startsWith("a/b/c/dest/"));
console.log(`box name ${JSON.stringify(NAME)}, dest ${path.relative(tmp, dest)}: export() -> ${JSON.stringify(r)}`);
console.log(`files written (relative to the temp dir): ${files.join(", ") || "none"}`);
console.log(outside.length ? `VIOLATION: archive written outside dest: ${outside.join(", ")}` : "conformant: nothing outside dest");
process.exit(outside.length ? 1 : 0);
