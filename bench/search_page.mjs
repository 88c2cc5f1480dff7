// The search API's first page with its postings (issue 8, discover8): how
// long GET /api/v1/postings?q=…&limit=50 takes over HTTP, for the binary
// under test (JOBTRACK_BIN) — run it once with a build from before
// store_posting_get_many (one store read per hit) and once after (one read
// per page) to compare. JOBTRACK_TEST_PG puts the server on PostgreSQL.
// usage: JOBTRACK_BIN=… node bench/search_page.mjs [POSTINGS=5000] [REQUESTS=300]
import { startServer, newUser, ingestPostings, waitFor } from '../tests/lib/server.mjs';

const postings = Number(process.argv[2] || 5000);
const requests = Number(process.argv[3] || 300);
const words = ['engineer', 'developer', 'manager', 'designer', 'analyst', 'nurse', 'teacher', 'rust', 'python', 'sales'];
const srv = await startServer();
try {
  const U = await newUser(srv.url, 'bench@example.com');
  const batch = [];
  for (let i = 0; i < postings; i++) {
    const w = words[i % words.length], v = words[(i * 7) % words.length];
    batch.push({ source: 'greenhouse', external_id: `b${i}`, title: `Senior ${w} ${i}`, company: `Company ${i % 300}`,
      location: 'Berlin', country: 'DE', workplace: 'remote',
      description_html: `<p>We look for a ${w} who knows ${v}. ${'Benefits and duties. '.repeat(40)}</p>`, seen_at: 1700000000 + i });
  }
  ingestPostings(srv.dataDir, batch);
  await waitFor(async () => {
    const r = await U.call('GET', '/api/v1/postings?status=all&sort=date&limit=1');
    return r.status === 200 && r.body.total === postings;
  }, { timeout: 120000, what: 'the search index' });
  const times = [];
  for (let i = 0; i < requests + 20; i++) {
    const t0 = process.hrtime.bigint();
    const r = await U.call('GET', `/api/v1/postings?q=${words[i % words.length]}&limit=50`);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 200 || r.body.items.length !== 50) throw new Error(`${r.status} ${r.text.slice(0, 200)}`);
    if (i >= 20) times.push(ms); // the first 20 warm up
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(`${process.env.JOBTRACK_TEST_PG ? 'postgres' : 'sqlite'}: ${postings} postings, ${requests} searches of 50 hits: ` +
    `p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms`);
} finally {
  await srv.stop();
}
