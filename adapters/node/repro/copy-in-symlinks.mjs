// FILES-IN: copy-in uploads a tar holding exactly the source. The SDK
// uploads every symlink of the source as a regular file holding its target's
// bytes, whatever CopyOptions.followSymlinks says (default, false, true):
// a link inside the source that points outside it uploads that outside
// file's content to the server. The source lives in a fresh temporary
// directory, removed at the end; the uploaded tars are listed with GNU tar.
// Run: node copy-in-symlinks.mjs   (from adapters/node/repro)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serve, box, tempDir } from "./serve.mjs";

const tmp = tempDir("repro-copyin-");
const src = path.join(tmp, "src");
fs.mkdirSync(src);
fs.writeFileSync(path.join(tmp, "outside.txt"), "OUTSIDE THE SOURCE\n");
fs.writeFileSync(path.join(src, "a.txt"), "a\n");
fs.symlinkSync("a.txt", path.join(src, "inner-link"));
fs.symlinkSync("../outside.txt", path.join(src, "outer-link"));

let upload = null;
const srv = await serve({
  "PUT /v1/boxes/b1/files": (req, res) => {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => { upload = Buffer.concat(parts); res.writeHead(204); res.end(); });
  },
});
const b = await box(srv.url);
let followed = 0;
for (const options of [undefined, { followSymlinks: false }, { followSymlinks: true }]) {
  upload = null;
  await b.copyIn(src, "/dst", options);
  const tarFile = path.join(tmp, "upload.tar");
  fs.writeFileSync(tarFile, upload);
  const listing = execFileSync("tar", ["-tvf", tarFile]).toString().trim().split("\n");
  const outer = listing.find((l) => l.endsWith(" outer-link")) ?? "(absent)";
  const content = outer.startsWith("-") ? execFileSync("tar", ["-xOf", tarFile, "outer-link"]).toString() : "";
  if (content) followed++;
  console.log(`followSymlinks ${JSON.stringify(options?.followSymlinks)}: outer-link uploaded as "${outer.split(/\s+/)[0]}"` +
    (content ? ` holding ${JSON.stringify(content)}` : ""));
}
srv.close();
console.log(followed ? "VIOLATION: a symlink of the source is uploaded as the file it points to (outside the source)" : "symlinks kept as links");
process.exit(followed ? 1 : 0);
