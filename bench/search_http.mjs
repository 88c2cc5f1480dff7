// The client of bench/search_http.sh: the search benchmark's 40 queries
// (search_bench --print-queries, one query string a line on stdin) sent to a
// running server as the first result page, GET /api/v1/postings?…&limit=20,
// authenticated, serially on one keep-alive connection: a warm-up round, then
// ROUNDS rounds. Reports p50 / p99 of the wall time per request (sent to last
// byte read) and of the server's own figures from the Server-Timing header
// (search, store, render: wall and CPU of the serving thread), and per query
// its total and its median CPU.
// usage: node bench/search_http.mjs BASE_URL TOKEN ROUNDS < queries
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [base, token, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 10);
const queries = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(base);

function get(path) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: url.hostname, port: url.port, path, agent,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString(),
        ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// "search;dur=1.2, search-cpu;dur=1.1, …" → { search: 1.2, 'search-cpu': 1.1, … }
function timing(h) {
  const out = {};
  for (const m of (h || '').split(',')) {
    const [name, ...params] = m.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    if (name && dur) out[name] = Number(dur.slice(4));
  }
  return out;
}

const samples = {}; // metric → [ms]
const perQuery = queries.map(() => ({ cpu: [], wall: [], total: 0 }));
const add = (k, v) => (samples[k] ||= []).push(v);
for (let r = -1; r < rounds; r++) {
  for (let i = 0; i < queries.length; i++) {
    const res = await get(`/api/v1/postings?${queries[i]}&limit=20`);
    if (res.status !== 200) throw new Error(`${queries[i]}: ${res.status} ${res.body.slice(0, 300)}`);
    const body = JSON.parse(res.body);
    if (!body.facets || !Array.isArray(body.items) || (body.total > 0 && body.items.length === 0))
      throw new Error(`${queries[i]}: no page in ${res.body.slice(0, 300)}`);
    perQuery[i].total = body.total;
    if (r < 0) continue; // the warm-up round
    const t = timing(res.headers['server-timing']);
    add('wall (client)', res.ms);
    for (const [k, v] of Object.entries(t)) add(k, v);
    perQuery[i].cpu.push(t['total-cpu']);
    perQuery[i].wall.push(res.ms);
  }
}

const sorted = (a) => [...a].sort((x, y) => x - y);
const at = (a, p) => a[Math.max(0, Math.ceil(p * a.length) - 1)];
const median = (a) => sorted(a)[Math.floor(a.length / 2)];
console.log(`${queries.length} queries × ${rounds} rounds (${samples['wall (client)'].length} requests, serial, keep-alive):`);
console.log(`  ${'metric'.padEnd(16)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
for (const k of ['wall (client)', 'total', 'total-cpu', 'search', 'search-cpu', 'store', 'store-cpu', 'render', 'render-cpu']) {
  if (!samples[k]) continue;
  const s = sorted(samples[k]);
  console.log(`  ${k.padEnd(16)} ${at(s, 0.5).toFixed(2).padStart(8)} ${at(s, 0.99).toFixed(2).padStart(8)} ${s[s.length - 1].toFixed(2).padStart(8)}`);
}
console.log('per query, median over the rounds (server CPU, client wall), slowest by CPU first:');
const order = queries.map((q, i) => i).sort((a, b) => median(perQuery[b].cpu) - median(perQuery[a].cpu));
for (const i of order)
  console.log(`  ${decodeURIComponent(queries[i]).padEnd(48)} cpu ${median(perQuery[i].cpu).toFixed(2).padStart(6)} ms  ` +
    `wall ${median(perQuery[i].wall).toFixed(2).padStart(6)} ms  total ${perQuery[i].total}`);
agent.destroy();
