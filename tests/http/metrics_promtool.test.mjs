// The whole /metrics exposition passes `promtool check metrics` (Debian's
// prometheus package) once searches have been timed and two sources of one
// adapter have been scraped (their series are by source, with the adapter
// as a second label), search and scan latency are histograms on it, and the
// example Prometheus configuration passes `promtool check config`. Skipped
// only where promtool is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, ingestPostings, waitFor } from '../lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0 ? 'promtool' : null;
const skip = promtool ? false : 'promtool is not installed (Debian package prometheus)';

let srv, U, boards;
before(async () => {
  // Two Greenhouse boards on loopback, each a configured source run every second.
  boards = http.createServer((req, res) => {
    const m = /^\/v1\/boards\/(\w+)\/jobs/.exec(req.url);
    if (!m) { res.writeHead(404); return res.end('no'); }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jobs: [{ id: m[1].length, title: `Engineer at ${m[1]}`, company_name: m[1],
      location: { name: 'Berlin' }, absolute_url: `https://jobs.example.com/${m[1]}`, updated_at: '2026-11-30T10:00:00Z',
      content: 'Work.' }] }));
  });
  await new Promise((resolve) => boards.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${boards.address().port}`;
  const sources = join(mkdtempSync(join(tmpdir(), 'jt-metrics-')), 'sources.conf');
  writeFileSync(sources, ['acme', 'globex'].map((b) => `[source ${b}-board]\nkind = greenhouse\ntarget = ${b}\n` +
    `delay = 0\nschedule = every 1s\noptions = {"base_url":"${base}"}\n`).join('\n'));
  srv = await startServer({ extraArgs: ['--sources', sources] });
  U = await newUser(srv.url);
  ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'm1', title: 'Rust Engineer', company: 'Acme', location: 'Berlin',
      description_html: 'Rust services.', seen_at: Math.floor(Date.now() / 1000) - 10 },
  ]);
  await waitFor(async () => (await U.call('GET', '/api/v1/postings?q=rust')).status === 200,
    { timeout: 10000, what: 'the search index' });
});
after(async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
  await new Promise((resolve) => boards.close(resolve));
});

const metrics = async () => (await fetch(`${srv.url}/metrics`)).text();

test('scrape pages, bytes and runs are counted by configured source, with the adapter', async () => {
  let text = '';
  await waitFor(async () => {
    text = await metrics();
    return /^jobtrack_scrape_runs_total\{source="globex-board",adapter="greenhouse",status="ok"\} \d+$/m.test(text) &&
      /^jobtrack_scrape_runs_total\{source="acme-board",adapter="greenhouse",status="ok"\} \d+$/m.test(text);
  }, { timeout: 20000, what: 'runs of both sources on /metrics' });
  for (const name of ['acme-board', 'globex-board']) {
    assert.match(text, new RegExp(`^jobtrack_scrape_pages_total\\{source="${name}",adapter="greenhouse"\\} [1-9]\\d*$`, 'm'));
    assert.match(text, new RegExp(`^jobtrack_scrape_bytes_total\\{source="${name}",adapter="greenhouse"\\} [1-9]\\d*$`, 'm'));
  }
  assert.doesNotMatch(text, /^jobtrack_scrape_pages_total\{source="greenhouse"\}/m); // not by adapter alone
});

test('search and scan latency are histograms on /metrics, and searches are counted', async () => {
  const before = await metrics();
  const count = (text) => Number((text.match(/^jobtrack_search_seconds_count (\d+)$/m) || [0, 0])[1]);
  for (let i = 0; i < 3; i++) assert.equal((await U.call('GET', '/api/v1/postings?q=engineer')).status, 200);
  const text = await metrics();
  assert.match(text, /^# TYPE jobtrack_search_seconds histogram$/m);
  assert.match(text, /^# TYPE jobtrack_scan_seconds histogram$/m);
  assert.ok(count(text) >= count(before) + 3, `searches counted: ${count(before)} → ${count(text)}`);
  assert.match(text, /^jobtrack_search_seconds_bucket\{le="\+Inf"\} \d+$/m);
});

test('promtool check metrics accepts the whole exposition', { skip }, async () => {
  const text = await metrics();
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
  // and it can fail: a broken exposition is refused
  const bad = spawnSync(promtool, ['check', 'metrics'], { input: text + 'jobtrack_broken{le= 1\n', encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
});

test('promtool check config accepts deploy/prometheus/prometheus.yml', { skip }, () => {
  const r = spawnSync(promtool, ['check', 'config', join(root, 'deploy', 'prometheus', 'prometheus.yml')],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
});
