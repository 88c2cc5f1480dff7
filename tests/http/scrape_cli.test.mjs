// `jobtrack scrape` and `jobtrack ingest` against Greenhouse-shaped boards
// served by a node server on loopback: configured sources from sources.conf,
// the summary and --json, --dry-run storing nothing, errors that say what to
// do, failures reported per source; and kill -9 of a running scrape + ingest
// at random points, 20 times: after each restart nothing ingested is lost or
// duplicated, and a last full run makes every posting exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from '../lib/server.mjs';

const JOBS = 60; // per board
let server, base;
const delays = {}; // board -> ms before answering

function board(b) {
  const jobs = [];
  for (let j = 0; j < JOBS; j++) {
    jobs.push({
      id: b * 1000 + j,
      title: `Engineer ${j} of board ${b}`,
      company_name: `Company ${b}`,
      location: { name: 'London, United Kingdom' },
      absolute_url: `https://jobs.example.com/${b}/${j}`,
      updated_at: '2026-11-30T10:00:00Z',
      content: `&lt;p&gt;Work ${j} at company ${b}: ${'build things that matter. '.repeat(20)}&lt;/p&gt;`,
    });
  }
  return JSON.stringify({ jobs, meta: { total: JOBS } });
}

// A small career site for --seed: a listing of three job pages, the second
// of which the site refuses (403).
function careerSite(req, res) {
  if (req.url === '/site/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end('<html><body><a href="/site/jobs/1">One</a> <a href="/site/jobs/2">Two</a> <a href="/site/jobs/3">Three</a></body></html>');
  }
  const j = /^\/site\/jobs\/(\d+)$/.exec(req.url);
  if (!j) { res.writeHead(404); return res.end('no'); }
  if (j[1] === '2') { res.writeHead(403); return res.end('go away'); }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<html><head><script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org',
    '@type': 'JobPosting', title: `Job ${j[1]}`, description: '<p>Work</p>', hiringOrganization: { name: 'Acme' },
    datePosted: '2026-01-02' })}</script></head><body>Job</body></html>`);
}

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url.startsWith('/site/')) return careerSite(req, res);
    const m = /^\/v1\/boards\/([a-z0-9]+)\/jobs/.exec(req.url);
    const answer = () => {
      if (!m) { res.writeHead(404); return res.end('no'); }
      if (m[1] === 'down') { res.writeHead(500); return res.end('broken'); }
      const b = /^b(\d+)$/.exec(m[1]);
      if (!b) { res.writeHead(404); return res.end('no such board'); }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(board(Number(b[1])));
    };
    const d = m ? delays[m[1]] : 0;
    if (d) setTimeout(answer, d); else answer();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

// Runs the CLI without blocking the event loop (the server above lives in it).
function cli(args, { killAfterMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    let timer;
    if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

function source(name, target, extra = '') {
  return `[source ${name}]\nkind = greenhouse\ntarget = ${target}\ndelay = 0\n` +
    `options = {"base_url":"${base}"}\n${extra}\n`;
}

function sql(dir, query) {
  const r = spawnSync('sqlite3', [join(dir, 'jobtrack.db'), query], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function newDir() {
  return mkdtempSync(join(tmpdir(), 'jt-scrape-'));
}

test('scrape runs the configured sources, ingests, and says what happened', async () => {
  const dir = newDir();
  try {
    writeFileSync(join(dir, 'sources.conf'), source('one', 'b1') + source('two', 'b2') +
      source('off', 'b3', 'enabled = false'));
    let r = await cli(['scrape', '--data-dir', dir]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^one\s+ok\s+1 pages/m);
    assert.match(r.stdout, /^two\s+ok/m);
    assert.doesNotMatch(r.stdout, /^off/m);
    assert.match(r.stdout, new RegExp(`ingested ${2 * JOBS} postings: ${2 * JOBS} new`));
    assert.equal(sql(dir, 'select count(*) from postings'), String(2 * JOBS));
    assert.equal(sql(dir, "select group_concat(status) from scrape_runs"), 'ok,ok');
    // Raw responses are archived, compressed, by source and day.
    const days = readdirSync(join(dir, 'blobs', 'raw', 'source=one'));
    assert.equal(days.length, 1);
    assert.match(days[0], /^date=\d{4}-\d\d-\d\d$/);

    // Again, one source, as JSON: nothing new.
    r = await cli(['scrape', '--data-dir', dir, '--source', 'one', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.runs.length, 1);
    assert.equal(j.runs[0].source, 'one');
    assert.equal(j.runs[0].status, 'ok');
    assert.equal(j.runs[0].found, JOBS);
    assert.equal(j.ingest.unchanged, JOBS);
    assert.equal(j.ingest.new, 0);

    // A disabled source runs when named.
    r = await cli(['scrape', '--data-dir', dir, '--source', 'off', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).ingest.new, JOBS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--dry-run fetches and extracts but stores nothing', async () => {
  const dir = newDir();
  try {
    writeFileSync(join(dir, 'sources.conf'), source('one', 'b4'));
    const r = await cli(['scrape', '--data-dir', dir, '--dry-run', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.dry_run, true);
    assert.equal(j.runs[0].found, JOBS);
    assert.equal(j.postings.length, JOBS);
    assert.equal(j.postings[0].source, 'greenhouse');
    assert.match(j.postings[0].description_html, /^<p>Work/);
    assert.equal(sql(dir, 'select count(*) from postings'), '0');
    assert.equal(sql(dir, 'select count(*) from scrape_runs'), '0');
    assert.equal(existsSync(join(dir, 'blobs', 'raw')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('failures are reported per source and in the exit status', async () => {
  const dir = newDir();
  try {
    writeFileSync(join(dir, 'sources.conf'), source('good', 'b5') + source('bad', 'down'));
    const r = await cli(['scrape', '--data-dir', dir, '--json']);
    assert.equal(r.status, 1);
    const j = JSON.parse(r.stdout);
    const bad = j.runs.find((x) => x.source === 'bad');
    assert.equal(bad.status, 'failed');
    assert.ok(bad.errors >= 1);
    assert.match(bad.message, /500/);
    assert.equal(j.runs.find((x) => x.source === 'good').status, 'ok');
    assert.equal(sql(dir, "select status from scrape_runs r join sources s on s.id = r.source_id where s.name = 'bad'"),
      'failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a crawl that found postings while the site refused a page is partial, and says it was blocked', async () => {
  const dir = newDir();
  try {
    const r = await cli(['scrape', '--data-dir', dir, '--seed', `${base}/site/`, '--delay', '0', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [run] = JSON.parse(r.stdout).runs;
    assert.deepEqual([run.status, run.partial, run.found, run.blocked], ['partial', true, 2, 1], r.stdout);
    assert.match(run.message, /^partial: 1 of 4 requests failed/);
    assert.equal(sql(dir, 'select status, blocked from scrape_runs'), 'partial|1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('clear errors: no sources, an unknown source, bad flags', async () => {
  const dir = newDir();
  try {
    let r = await cli(['scrape', '--data-dir', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no enabled sources: add a \[source NAME\] section to .*sources\.conf/);
    r = await cli(['scrape', '--data-dir', dir, '--source', 'nope']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no source called "nope"/);
    r = await cli(['scrape', '--data-dir', dir, '--seed', 'ftp://x']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--seed needs an http/);
    r = await cli(['scrape', '--data-dir', dir, '--max-pages', '5']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /go with --seed/);
    r = await cli(['scrape', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--dry-run/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 of scrape + ingest at random points, 20 times: nothing lost or duplicated', async () => {
  const dir = newDir();
  const N = 20;
  try {
    let conf = '';
    for (let i = 1; i <= N; i++) conf += source(`k${i}`, `b${100 + i}`);
    writeFileSync(join(dir, 'sources.conf'), conf);
    for (let i = 1; i <= N; i++) delays[`b${100 + i}`] = 150;
    let before = 0, killed = 0;
    for (let i = 1; i <= N; i++) {
      // Each round scrapes one source (a killed run's source stays busy until
      // its heartbeat goes stale) and is killed somewhere in fetch, publish or ingest.
      const r = await cli(['scrape', '--data-dir', dir, '--source', `k${i}`], { killAfterMs: Math.floor(Math.random() * 400) });
      if (r.signal === 'SIGKILL') killed++;
      // Restart: ingest what was queued.
      const g = await cli(['ingest', '--data-dir', dir, '--json']);
      assert.equal(g.status, 0, g.stderr);
      const count = Number(sql(dir, 'select count(*) from postings'));
      const listings = Number(sql(dir, 'select count(*) from posting_sources'));
      const distinct = Number(sql(dir, "select count(distinct source || ':' || external_id) from posting_sources"));
      assert.ok(count >= before, `round ${i}: ${count} postings after ${before}: something was lost`);
      assert.equal(listings, distinct, `round ${i}: a listing was stored twice`);
      assert.equal(count, listings, `round ${i}: a posting was duplicated or merged wrongly`);
      assert.ok(count <= i * JOBS);
      // A board is all or nothing: its postings come in one durable batch.
      assert.equal(count % JOBS, 0, `round ${i}: ${count} postings is not whole boards`);
      before = count;
    }
    assert.ok(killed >= 5, `only ${killed} of ${N} runs were killed: the test did not test`);
    // A full run under new names (the killed runs' sources may still look busy)
    // makes every posting exactly once.
    let again = '';
    for (let i = 1; i <= N; i++) again += source(`again${i}`, `b${100 + i}`);
    writeFileSync(join(dir, 'sources.conf'), again);
    for (let i = 1; i <= N; i++) delays[`b${100 + i}`] = 0;
    const r = await cli(['scrape', '--data-dir', dir, '--json']);
    const j = JSON.parse(r.stdout);
    assert.equal(j.runs.filter((x) => x.status === 'ok').length, N, r.stdout);
    assert.equal(j.ingest.new, N * JOBS - before);
    assert.equal(j.ingest.unchanged, before);
    assert.equal(sql(dir, 'select count(*) from postings'), String(N * JOBS));
    assert.equal(sql(dir, 'select count(*) from posting_sources'), String(N * JOBS));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
