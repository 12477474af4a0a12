// REST-ERRORS: an error body without a `code` must be classified by its HTTP
// status (401/403 auth, 404 not found). BoxLite's hosted API answers errors
// in the "flat" form {"message","error","statusCode"}; the SDK turns a flat
// 401, 403 or 404 into "internal error: <message>", losing the status,
// while the same statuses with the Go runner's {"error":"..."} body are
// classified by status (shown first, for contrast).
// Run: node error-flat-body.mjs   (from adapters/node/repro)
import { serve, box, json, outcome } from "./serve.mjs";

const REASON = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" };
const FORMS = {
  flat: (s) => ({ message: `flat ${s}`, error: REASON[s], statusCode: s }),
  runner: (s) => ({ error: `runner ${s}` }),
};
let status = 0, form = "flat";
const srv = await serve({
  "GET /v1/boxes/b1/metrics": (req, res) => json(res, status, FORMS[form](status)),
});
const b = await box(srv.url);
let bad = 0;
for (form of ["runner", "flat"]) {
  for (status of [401, 403, 404]) {
    const { error } = await outcome(() => b.metrics());
    const expected = status === 404 ? /not found/i : /^configuration error: auth/i;
    const ok = expected.test(error ?? "");
    if (!ok) bad++;
    console.log(`${status} ${form.padEnd(6)} -> ${JSON.stringify(error)} ${ok ? "ok" : "VIOLATION (status ignored)"}`);
  }
}
srv.close();
console.log(bad ? `${bad} answer(s) classified without their status` : "all classified by status");
process.exit(bad ? 1 : 0);
