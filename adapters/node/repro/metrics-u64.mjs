// METRICS-MAP (strict tier): u64 counters above 2^53 must reach the caller
// exactly. JsBoxMetrics's fields are JS numbers (doubles), so the SDK rounds
// them: 2^53+1 arrives as 2^53, 2^64-1 as 18446744073709552000. Expected
// NON-STRICT for a language without exact 64-bit numbers in its API; shown
// here so the report's verdict rests on a reproduction. The same script shows
// that absent optional fields stay absent (not 0), and how cpu_percent, an
// f32 in BoxLite's types, reaches the caller.
// Run: node metrics-u64.mjs   (from adapters/node/repro)
import { serve, box, outcome } from "./serve.mjs";

// Written as text: JSON.stringify cannot write integers above 2^53 exactly.
const SENT = {
  commandsExecutedTotal: ["commands_executed_total", "9007199254740993"],   // 2^53 + 1
  execErrorsTotal: ["exec_errors_total", "18446744073709551615"],           // 2^64 - 1
  bytesSentTotal: ["bytes_sent_total", "9007199254740992"],                 // 2^53
  bytesReceivedTotal: ["bytes_received_total", "4"],
  cpuPercent: ["cpu_percent", "0.1"],
};
const body = `{${Object.values(SENT).map(([k, v]) => `"${k}":${v}`).join(",")}}`;
const srv = await serve({
  "GET /v1/boxes/b1/metrics": (req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
    res.end(body);
  },
});
const b = await box(srv.url);
const { value: m, error } = await outcome(() => b.metrics());
srv.close();
if (error) {
  console.log(`metrics() failed: ${error}`);
  process.exit(2);
}
console.log(`server sent: ${body}`);
let rounded = 0;
for (const [js, [wire, text]] of Object.entries(SENT)) {
  const got = m[js];
  const exact = js === "cpuPercent" ? String(got) === text : BigInt(Math.trunc(got)) === BigInt(text) && Number.isInteger(got);
  if (!exact && js !== "cpuPercent") rounded++;
  console.log(`${wire.padEnd(24)} sent ${text.padEnd(21)} caller got ${String(got).padEnd(22)} ${exact ? "exact" : "CHANGED"}`);
}
const absent = ["memoryBytes", "guestBootDurationMs", "networkTcpErrors"].filter((k) => k in m && m[k] !== undefined);
console.log(absent.length ? `absent fields turned into values: ${absent}` : "absent optional fields stay absent");
console.log(rounded ? `${rounded} u64 counter(s) rounded (strict tier: NON-STRICT)` : "all u64 counters exact");
process.exit(rounded ? 1 : 0);
