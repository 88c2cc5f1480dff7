// Idle memory (issue 2's goal "under 10 MB idle", kept by issue 5): the
// resident set of a fresh `jobtrack serve` on an empty data directory once
// /healthz answers and the background threads have settled, then after a
// light load (1,000 application-list requests, with 20 applications) and
// after one resume scan (which compiles the skills taxonomy, built on first
// use), with how long the first and a second scan took. Reads
// /proc/PID/status (VmRSS = RssAnon + RssFile) and, with SMAPS=1, prints
// the mappings over 200 KiB from /proc/PID/smaps.
// PAUSE_MS (default 0) waits between the upload and the first scan: 0 is an
// API client scanning at once, 1000 a person choosing the job.
// usage: JOBTRACK_BIN=… [SMAPS=1] [PAUSE_MS=0] node bench/idle_memory.mjs [SETTLE_MS=3000]
import { readFileSync } from 'node:fs';
import { startServer, newUser } from '../tests/lib/server.mjs';

const settle = Number(process.argv[2] || 3000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [])[1] || 0);
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), file: kib('RssFile'), threads: Number(s.match(/^Threads:\s+(\d+)/m)[1]) };
}
const mib = (k) => (k / 1024).toFixed(1);
function show(what, pid) {
  const s = status(pid);
  console.log(`${what.padEnd(44)} VmRSS ${mib(s.rss).padStart(5)} MiB  RssAnon ${mib(s.anon).padStart(5)}  RssFile ${mib(s.file).padStart(5)}  threads ${s.threads}`);
}
function smaps(pid) {
  const by = new Map();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (m) name = (m[1] || '[anon]').split('/').pop();
    const r = line.match(/^(Rss|Anonymous):\s+(\d+) kB/);
    if (r) {
      const e = by.get(name) || { rss: 0, anon: 0 };
      e[r[1] === 'Rss' ? 'rss' : 'anon'] += Number(r[2]);
      by.set(name, e);
    }
  }
  for (const [n, e] of [...by].sort((a, b) => b[1].rss - a[1].rss).filter(([, e]) => e.rss >= 200))
    console.log(`  ${String(e.rss).padStart(6)} KiB (${String(e.anon).padStart(5)} anonymous)  ${n}`);
}

const srv = await startServer();
const pid = srv.child.pid;
try {
  for (;;) {
    const r = await fetch(`${srv.url}/healthz`).catch(() => null);
    if (r && r.status === 200) break;
    await sleep(50);
  }
  await sleep(settle);
  show('idle (empty data dir)', pid);
  if (process.env.SMAPS) smaps(pid);
  const U = await newUser(srv.url, 'bench@example.com');
  for (let i = 0; i < 20; i++) await U.call('POST', '/api/v1/applications', { company: `Company ${i}`, position: 'Engineer' });
  for (let i = 0; i < 1000; i++) {
    const r = await U.call('GET', '/api/v1/applications');
    if (r.status !== 200) throw new Error(`list: ${r.status}`);
  }
  await sleep(settle);
  show('after 1,000 application lists', pid);
  const form = new FormData();
  form.set('file', new Blob(['Jane Doe\nSoftware engineer\nExperience\n2019-2024 Backend engineer at Acme: Go, PostgreSQL, Kafka, Kubernetes\nEducation\nBSc Computer Science']), 'resume.md');
  const up = await fetch(`${srv.url}/api/v1/resumes`, { method: 'POST', headers: { authorization: `Bearer ${U.token}` }, body: form });
  if (up.status !== 201) throw new Error(`upload: ${up.status}`);
  await sleep(Number(process.env.PAUSE_MS || 0));
  const job = { job_title: 'Backend Engineer', job_text: 'Backend Engineer\nRequirements: Go, PostgreSQL, Kafka, Kubernetes, Terraform, GraphQL' };
  for (const which of ['first', 'second']) {
    const t0 = process.hrtime.bigint();
    const r = await U.call('POST', '/api/v1/scans', job);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 201) throw new Error(`scan: ${r.status} ${r.text}`);
    console.log(`${which} scan: ${ms.toFixed(0)} ms (score ${r.body.score})`);
  }
  await sleep(settle);
  show('after the scans', pid);
  if (process.env.SMAPS) smaps(pid);
} finally {
  await srv.stop();
}
