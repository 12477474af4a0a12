// SEC-TAR (a control, not a defect): copy-out must never create or change
// anything outside the destination whatever the tar holds. Each hostile tar
// below (built by Python's tarfile module) is extracted by the SDK into a
// destination four levels deep in a fresh temporary directory that also
// holds a sentinel file outside it; the script then lists every file of the
// temporary directory and flags anything outside dest, any set-id bit and
// any device node or fifo. Removed at the end.
// Run: node copy-out-hostile-tar.mjs   (from adapters/node/repro; needs python3)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serve, box, outcome, tempDir } from "./serve.mjs";

// Each case: python statements adding members to tarfile `t` (helpers f, l
// below); `OUT` is the temporary directory's absolute path. A harmless
// ok.txt comes first where the hostile entry would be alone: the SDK treats a
// one-entry tar differently (copy-out-into-dir.mjs).
const CASES = {
  "dot-dot": `f("ok.txt"); f("../../up.txt")`,
  "absolute": `f("ok.txt"); f(OUT + "/abs.txt")`,
  "symlink-then-through": `l("l", tarfile.SYMTYPE, "../.."); f("l/through.txt")`,
  "absolute-symlink-then-through": `l("l", tarfile.SYMTYPE, OUT); f("l/through.txt")`,
  "hardlink-to-sentinel-then-write": `f("ok.txt"); l("h", tarfile.LNKTYPE, OUT + "/sentinel"); f("h")`,
  "symlink-to-sentinel-then-write": `l("s", tarfile.SYMTYPE, OUT + "/sentinel"); f("s")`,
  "devices-and-fifo": `l("blk", tarfile.BLKTYPE, ""); l("chr", tarfile.CHRTYPE, ""); l("fifo", tarfile.FIFOTYPE, "")`,
  "setuid-setgid": `f("su", 0o6755); f("ok.txt")`,
};
const PY = `
import io, sys, tarfile
OUT = sys.argv[1]
buf = io.BytesIO()
t = tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT)
def f(name, mode=0o644, data=b"HOSTILE\\n"):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode; t.addfile(i, io.BytesIO(data))
def l(name, kind, target):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = target; i.devmajor, i.devminor = 1, 3; t.addfile(i)
@CASE@
t.close()
sys.stdout.buffer.write(buf.getvalue())
`;

let tar = null;
const srv = await serve({
  "GET /v1/boxes/b1/files": (req, res) => {
    res.writeHead(200, { "Content-Type": "application/x-tar", "Content-Length": tar.length });
    res.end(tar);
  },
});
const b = await box(srv.url);
let unsafe = 0;
for (const [name, members] of Object.entries(CASES)) {
  const tmp = tempDir("repro-hostile-");
  fs.writeFileSync(path.join(tmp, "sentinel"), "SENTINEL\n");
  const dest = path.join(tmp, "a", "b", "c", "dest");
  fs.mkdirSync(dest, { recursive: true });
  tar = execFileSync("python3", ["-c", PY.replace("@CASE@", members), tmp]);
  const r = await outcome(() => b.copyOut("/x", dest));
  const found = execFileSync("find", [tmp, "-mindepth", "1", "-printf", "%y %m %P\n"]).toString().trim().split("\n");
  const bad = found.filter((line) => {
    const [type, mode, rel] = line.split(" ");
    const inside = rel.startsWith("a/b/c/dest/") || ["a", "a/b", "a/b/c", "a/b/c/dest", "sentinel"].includes(rel);
    return !inside || /[bcp]/.test(type) || (parseInt(mode, 8) & 0o6000) !== 0;
  });
  const sentinel = fs.readFileSync(path.join(tmp, "sentinel"), "utf8") === "SENTINEL\n";
  if (bad.length || !sentinel) unsafe++;
  const inDest = found.filter((l) => l.split(" ")[2].startsWith("a/b/c/dest/")).map((l) => l.replace(" a/b/c/dest/", " "));
  console.log(`${name.padEnd(32)} ${r.error ? "error" : "ok   "} dest: [${inDest.join(", ")}]` +
    `${bad.length ? ` UNSAFE: ${bad.join(", ")}` : ""}${sentinel ? "" : " SENTINEL CHANGED"}` +
    `${r.error ? `\n${"".padEnd(33)}${r.error.replaceAll(tmp, "TMP").slice(0, 110)}` : ""}`);
}
srv.close();
console.log(unsafe ? `${unsafe} case(s) wrote outside dest or kept a set-id bit/device` : "nothing written outside dest, no set-id bit, no device node");
process.exit(unsafe ? 1 : 0);
