// FILES-OUT: a copy-out answered with a non-2xx status must be an error that
// names the status, and write nothing. With BoxLite's envelope body
// {"error":{"message","type","code"}} the SDK's error is the envelope's
// message alone ("internal error: disk on fire"): the status is not named.
// The Go runner's {"error":"..."} body gives "HTTP 500 Internal Server
// Error: ..." (shown for contrast). The destination is in a fresh temporary
// directory, checked empty, removed at the end.
// Run: node copy-out-error-status.mjs   (from adapters/node/repro)
import fs from "node:fs";
import path from "node:path";
import { serve, box, json, outcome, tempDir } from "./serve.mjs";

const BODIES = {
  runner: { error: "disk on fire" },
  envelope: { error: { message: "disk on fire", type: "InternalError", code: "internal" } },
};
let form = "runner";
const srv = await serve({ "GET /v1/boxes/b1/files": (req, res) => json(res, 500, BODIES[form]) });
const b = await box(srv.url);
const tmp = tempDir("repro-copyout-status-");
let unnamed = 0;
for (form of Object.keys(BODIES)) {
  const { error } = await outcome(() => b.copyOut("/var/log/x", path.join(tmp, "dest")));
  const named = /\b500\b/.test(error ?? "");
  if (!named) unnamed++;
  const written = fs.readdirSync(tmp).length;
  console.log(`500 ${form.padEnd(8)} -> ${JSON.stringify(error)}: status ${named ? "named" : "NOT named"}, ${written} file(s) written`);
}
srv.close();
process.exit(unnamed ? 1 : 0);
