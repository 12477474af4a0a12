// server.mjs - a fake BoxLite exec-attach server on Node's `ws` package: the
// competitor of boxconform's fakeserver in bench/capacity (see ../README.md).
//
//   node server.mjs [--port N] [--scenario FILE]
//
// Prints http://127.0.0.1:PORT as its first stdout line once it listens.
// It plays the subset of docs/scenario.md the capacity benchmark uses:
// server.steps made of {"exit": N}, {"out": "text"}, {"wait": S},
// {"wait_for": "stdin", "bytes": N} and {"flood": BYTES, "frame": SIZE,
// "stream": "out"|"err"}, plus server.token, box_id and ping_interval.
// Anything else in the scenario is refused (exit 2), so a benchmark can
// never silently run a different script on this server than on ours.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const FLOOD_PATTERN = Buffer.from(
  '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n');
const BODY_MAX = 2 * 1024 * 1024;       // request bodies, as the fakeserver
const STDIN_FRAME_MAX = 1024 * 1024;    // the real server's stdin frame limit
// Frames queued beyond what the socket took, before a flood waits for the
// socket to drain: enough to keep the kernel busy, bounded per connection.
const FLOOD_HIGH_WATER = 1024 * 1024;

// ---- command line and scenario ----------------------------------------------

function fail(message) {
  process.stderr.write(`server.mjs: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { port: 0, scenario: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' && i + 1 < argv.length) opts.port = Number(argv[++i]);
    else if (a === '--scenario' && i + 1 < argv.length) opts.scenario = argv[++i];
    else fail(`unexpected argument "${a}"`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) fail('--port: expected 0-65535');
  return opts;
}

const STEP_KEYS = {
  exit: [], out: [], wait: [], wait_for: ['bytes'], flood: ['frame', 'stream'],
};

function checkStep(step, i) {
  const keys = Object.keys(step);
  const action = keys.find((k) => k in STEP_KEYS);
  if (!action) fail(`steps[${i}]: no step this server plays (${Object.keys(STEP_KEYS).join(', ')})`);
  for (const k of keys) {
    if (k !== action && !STEP_KEYS[action].includes(k)) fail(`steps[${i}]: unexpected key "${k}"`);
  }
  if (action === 'wait_for' && (step.wait_for !== 'stdin' || !(step.bytes >= 1))) {
    fail(`steps[${i}]: only {"wait_for": "stdin", "bytes": N} is played`);
  }
  if (action === 'flood' && !(Number.isInteger(step.flood) && step.flood >= 0 &&
      Number.isInteger(step.frame) && step.frame >= 1)) {
    fail(`steps[${i}]: flood needs integer BYTES >= 0 and frame >= 1`);
  }
  return { action, ...step };
}

function loadScenario(path) {
  const server = { token: 'boxconform-key', box_id: 'box-1', ping_interval: 15, steps: [{ exit: 0 }] };
  if (!path) return server;
  let doc;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`${path}: ${e.message}`);
  }
  const s = doc.server ?? {};
  for (const k of Object.keys(s)) {
    if (!(k in server)) fail(`${path}: server.${k} is not played by this server`);
  }
  Object.assign(server, s);
  server.steps = server.steps.map(checkStep);
  return server;
}

// ---- executions ----------------------------------------------------------------

const executions = new Map(); // id -> { status, exitCode, ws }

function probeBody(id, e) {
  const body = { execution_id: id, status: e.status };
  if (e.status === 'completed') body.exit_code = e.exitCode;
  return body;
}

// ---- REST -------------------------------------------------------------------------

function reply(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function authorized(req, cfg) {
  return req.headers.authorization === `Bearer ${cfg.token}`;
}

// /v1/boxes/{box}/exec, /v1/boxes/{box}/executions/{eid}[/attach] -> parts
function route(url) {
  const path = url.split('?', 1)[0];
  const m = /^\/v1\/boxes\/([^/]+)\/(?:(exec)|executions\/([^/]+)(\/attach)?)$/.exec(path);
  if (!m) return null;
  return { box: m[1], exec: Boolean(m[2]), eid: m[3], attach: Boolean(m[4]) };
}

function execBodyProblem(b) {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return 'body must be a JSON object';
  if (typeof b.command !== 'string') return 'command: expected a string';
  if (b.args != null && !(Array.isArray(b.args) && b.args.every((a) => typeof a === 'string'))) {
    return 'args: expected an array of strings';
  }
  if (b.tty != null && typeof b.tty !== 'boolean') return 'tty: expected a boolean';
  return null;
}

function createExec(req, res) {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= BODY_MAX) chunks.push(c);
  });
  req.on('end', () => {
    if (size > BODY_MAX) return reply(res, 413, { error: 'request body too large' });
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, { error: 'body is not JSON' });
    }
    const problem = execBodyProblem(body);
    if (problem) return reply(res, 400, { error: problem });
    const id = randomUUID();
    executions.set(id, { status: 'running', exitCode: null, ws: null });
    return reply(res, 201, { execution_id: id });
  });
}

function onRequest(cfg, req, res) {
  const r = route(req.url);
  if (!r) return reply(res, 404, { error: 'no such route' });
  if (!authorized(req, cfg)) return reply(res, 401, { error: 'missing or invalid bearer token' });
  if (r.box !== cfg.box_id) return reply(res, 404, { error: 'box not found' });
  if (r.exec && req.method === 'POST') return createExec(req, res);
  if (r.eid && !r.attach && req.method === 'GET') {
    const e = executions.get(r.eid);
    return e ? reply(res, 200, probeBody(r.eid, e)) : reply(res, 404, { error: 'execution not found' });
  }
  if (r.attach) return reply(res, 400, { error: 'attach needs a WebSocket upgrade' });
  return reply(res, 404, { error: 'no such route' });
}

// ---- the attach script ---------------------------------------------------------------

// One frame payload per pattern phase: [channel, pattern from phase...].
// Buffers are never written after creation, so ws may hold them in its queue.
function floodFrames(channel, size) {
  const cache = new Map();
  return (phase, n) => {
    let buf = cache.get(phase);
    if (!buf) {
      buf = Buffer.allocUnsafe(size + 1);
      buf[0] = channel;
      for (let i = 0; i < size; i++) buf[i + 1] = FLOOD_PATTERN[(phase + i) % 64];
      cache.set(phase, buf);
    }
    return n === size ? buf : buf.subarray(0, n + 1);
  };
}

// Sends the flood as fast as the socket takes it; done() once all is queued.
function flood(ws, step, done) {
  const size = Math.min(step.frame, step.flood) || 1;
  const frame = floodFrames(step.stream === 'err' ? 2 : 1, size);
  let left = step.flood;
  let off = 0;
  const pump = () => {
    while (left > 0) {
      if (ws.readyState !== ws.OPEN) return;
      const n = Math.min(size, left);
      const data = frame(off % 64, n);
      left -= n;
      off += n;
      if (left > 0 && ws.bufferedAmount >= FLOOD_HIGH_WATER) {
        ws.send(data, { binary: true }, (err) => { if (!err) pump(); });
        return;
      }
      ws.send(data, { binary: true });
    }
    done();
  };
  pump();
}

function runScript(ws, exec, steps, attach) {
  let i = 0;
  const next = () => {
    while (i < steps.length && ws.readyState === ws.OPEN) {
      const step = steps[i++];
      switch (step.action) {
        case 'out':
          ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(step.out, 'utf8')]));
          break;
        case 'exit':
          exec.status = 'completed';
          exec.exitCode = step.exit;
          ws.send(JSON.stringify(step.exit === null ? { type: 'exit' } : { type: 'exit', exit_code: step.exit }));
          ws.close(1000);
          return;
        case 'wait':
          setTimeout(next, step.wait * 1000);
          return;
        case 'wait_for':
          if (attach.stdinBytes >= step.bytes) break;
          attach.waiting = { bytes: step.bytes, resume: next };
          return;
        case 'flood':
          flood(ws, step, next);
          return;
        default:
          return;
      }
    }
    // A script that ends without exit leaves the attach open and idle.
  };
  next();
}

function onAttach(cfg, ws, exec) {
  exec.ws = ws;
  const attach = { stdinBytes: 0, waiting: null };
  const pinger = cfg.ping_interval > 0 ? setInterval(() => ws.ping(), cfg.ping_interval * 1000) : null;
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    attach.stdinBytes += data.length;
    const w = attach.waiting;
    if (w && attach.stdinBytes >= w.bytes) {
      attach.waiting = null;
      w.resume();
    }
  });
  ws.on('close', () => {
    if (pinger) clearInterval(pinger);
    if (exec.ws === ws) exec.ws = null;
  });
  ws.on('error', () => {});
  runScript(ws, exec, cfg.steps, attach);
}

function refuseUpgrade(socket, status, message) {
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function onUpgrade(cfg, wss, req, socket, head) {
  socket.on('error', () => {});
  const r = route(req.url);
  if (!r || !r.attach) return refuseUpgrade(socket, 404, 'no such route');
  if (!authorized(req, cfg)) return refuseUpgrade(socket, 401, 'missing or invalid bearer token');
  const exec = r.box === cfg.box_id ? executions.get(r.eid) : undefined;
  if (!exec) return refuseUpgrade(socket, 404, 'execution not found');
  if (exec.ws) return refuseUpgrade(socket, 409, 'another client is attached');
  return wss.handleUpgrade(req, socket, head, (ws) => onAttach(cfg, ws, exec));
}

// ---- start ------------------------------------------------------------------------------

const opts = parseArgs(process.argv.slice(2));
const cfg = loadScenario(opts.scenario);
const wss = new WebSocketServer({
  noServer: true,
  clientTracking: false,        // executions track their attach themselves
  perMessageDeflate: false,     // as BoxLite: no extension
  maxPayload: STDIN_FRAME_MAX,
});
const server = http.createServer((req, res) => onRequest(cfg, req, res));
server.on('upgrade', (req, socket, head) => onUpgrade(cfg, wss, req, socket, head));
server.listen({ port: opts.port, host: '127.0.0.1', backlog: 1024 }, () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
