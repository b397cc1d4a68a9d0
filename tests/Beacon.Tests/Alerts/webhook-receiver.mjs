// A webhook receiver for the tests (SPEC §18): verifies every delivery with the npm `standardwebhooks`
// package — an implementation Beacon does not use — and prints one JSON line per request on stdout.
// Listens on 127.0.0.1 only. Paths: /hook/NAME answers 200; /hook/NAME/fail/K answers 500 to its first
// K requests, then 200; /hook/NAME/redirect answers 302 to /landed/NAME (which records any visit).
// Stdin lines: "secret NAME whsec_…" registers an endpoint's secret; "clock SECONDS" sets the offset of
// the test's clock from real time (Beacon signs with its clock, and verification checks the timestamp).
import http from 'node:http';
import readline from 'node:readline';
import { Webhook } from 'standardwebhooks';

const secrets = new Map();
const failures = new Map();
let offsetMs = 0;
const realNow = Date.now;
Date.now = () => realNow() + offsetMs;

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, a, b] = line.trim().split(' ');
  if (command === 'secret') secrets.set(a, b);
  if (command === 'clock') offsetMs = Number(a) * 1000;
  console.log(JSON.stringify({ ack: line.trim() }));
});

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const parts = req.url.split('/').filter(Boolean);
    const name = parts[1] ?? '';
    let verified = false;
    let error = null;
    let event = null;
    try {
      event = new Webhook(secrets.get(name) ?? 'whsec_AAAA').verify(body, req.headers);
      verified = true;
    } catch (e) {
      error = String(e?.message ?? e);
    }
    let status = 200;
    if (parts[0] === 'hook' && parts[2] === 'fail') {
      const seen = (failures.get(req.url) ?? 0) + 1;
      failures.set(req.url, seen);
      if (seen <= Number(parts[3])) status = 500;
    }
    if (parts[0] === 'hook' && parts[2] === 'redirect') {
      res.writeHead(302, { location: `/landed/${name}` });
    } else {
      res.writeHead(status, { 'content-type': 'text/plain' });
    }
    console.log(JSON.stringify({ path: req.url, id: req.headers['webhook-id'] ?? null, verified, error, status: parts[2] === 'redirect' ? 302 : status, event }));
    res.end(status === 200 ? 'ok' : 'receiver failing on purpose');
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
