// REST-ERRORS, SNAP-CRUD: an error body without a `code` must be classified
// by its HTTP status (401/403 auth, 404 not found; a 404 from a snapshot get
// is "none"). BoxLite's hosted API answers errors in the "flat" form
// {"message","error","statusCode"}; the SDK turns a flat 401, 403 or 404
// into "internal error: <message>", losing the status, and a snapshot get
// answered by a flat 404 throws instead of resolving to null. The same
// statuses with the Go runner's {"error":"..."} body are classified by
// status (shown first, for contrast).
// Run: node error-flat-body.mjs   (from adapters/node/repro)
import { serve, box, json, outcome } from "./serve.mjs";

const REASON = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" };
const FORMS = {
  runner: (s) => ({ error: `runner ${s}` }),
  flat: (s) => ({ message: `flat ${s}`, error: REASON[s], statusCode: s }),
};
let status = 0, form = "runner";
const srv = await serve({
  "GET /v1/config": (req, res) => json(res, 200, { capabilities: { snapshots_enabled: true } }),
  "GET /v1/boxes/b1/metrics": (req, res) => json(res, status, FORMS[form](status)),
  "GET /v1/boxes/b1/snapshots/nightly": (req, res) => json(res, 404, FORMS[form](404)),
});
const b = await box(srv.url);
let bad = 0;
for (form of Object.keys(FORMS)) {
  for (status of [401, 403, 404]) {
    const { error } = await outcome(() => b.metrics());
    const expected = status === 404 ? /not found/i : /^configuration error: auth/i;
    const ok = expected.test(error ?? "");
    if (!ok) bad++;
    console.log(`metrics ${status} ${form.padEnd(6)} -> ${JSON.stringify(error)} ${ok ? "ok" : "VIOLATION (status ignored)"}`);
  }
}
for (form of Object.keys(FORMS)) {
  const r = await outcome(() => b.snapshot.get("nightly"));
  const ok = r.value === null;
  if (!ok) bad++;
  console.log(`snapshot.get 404 ${form.padEnd(6)} -> ${JSON.stringify(r)} ${ok ? "ok" : "VIOLATION (not none)"}`);
}
srv.close();
console.log(bad ? `${bad} answer(s) classified without their status` : "all classified by status");
process.exit(bad ? 1 : 0);
