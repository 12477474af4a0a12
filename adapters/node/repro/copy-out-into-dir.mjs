// FILES-OUT: a copy-out whose tar holds one regular file, into a destination
// that is an existing directory, must land inside it (dest/<name>). The SDK
// instead tries to create the file at dest itself and fails with "Is a
// directory"; nothing is written. (Into a destination that does not exist,
// the same tar lands as dest itself, which the contract allows; its mode
// 0755 is not kept there, printed as an observation.)
// The tar is made by the system's GNU tar; everything happens in a fresh
// temporary directory, removed at the end.
// Run: node copy-out-into-dir.mjs   (from adapters/node/repro)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serve, box, outcome, tempDir } from "./serve.mjs";

const tmp = tempDir("repro-copyout-");
fs.writeFileSync(path.join(tmp, "hello.txt"), "hello\n", { mode: 0o755 });
fs.chmodSync(path.join(tmp, "hello.txt"), 0o755);
const tar = execFileSync("tar", ["-cf", "-", "-C", tmp, "hello.txt"]);
fs.rmSync(path.join(tmp, "hello.txt"));

const srv = await serve({
  "GET /v1/boxes/b1/files": (req, res) => {
    res.writeHead(200, { "Content-Type": "application/x-tar", "Content-Length": tar.length });
    res.end(tar);
  },
});
const b = await box(srv.url);
const listing = (dir) => execFileSync("find", [dir, "-mindepth", "1", "-printf", "%y %P\n"]).toString().trim();

const fresh = path.join(tmp, "fresh");            // does not exist
const r1 = await outcome(() => b.copyOut("/etc/hello.txt", fresh));
const mode = (fs.statSync(fresh).mode & 0o7777).toString(8);
console.log(`dest missing:  ${JSON.stringify(r1)}; written: ${listing(tmp).split("\n").join(", ")} (mode ${mode}; the tar said 755)`);

const dir = path.join(tmp, "dir");
fs.mkdirSync(dir);                                // an existing directory
const r2 = await outcome(() => b.copyOut("/etc/hello.txt", dir));
const inside = fs.existsSync(path.join(dir, "hello.txt"));
console.log(`dest is a dir: ${JSON.stringify(r2)}; dir/hello.txt ${inside ? "written" : "NOT written"}`);

srv.close();
console.log(inside ? "conformant" : "VIOLATION: a one-file tar into an existing directory does not land inside it");
process.exit(inside ? 0 : 1);
