// Rendered sources from the outside: `jobtrack extract URL --render` and
// `jobtrack scrape --seed URL --render` against a career site on loopback
// whose postings and links JavaScript builds (none found without --render,
// every one with it, stored once); a sources.conf source with render = true
// and no Chromium fails with what to do; the admin form's "Render pages with
// JavaScript" switch and the API's "render" key. The Chromium parts skip when
// /usr/bin/chromium is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, Client, binary, waitFor, runCliAsync } from '../lib/server.mjs';

const chromium = existsSync('/usr/bin/chromium');
const N = 3;
const seen = [];
let site, base, srv, A, admin;

function posting(i) {
  return { '@context': 'https://schema.org', '@type': 'JobPosting', title: `Engineer ${i}`,
    description: `<p>Build thing ${i}</p>`, identifier: `job-${i}`, datePosted: '2026-12-01',
    hiringOrganization: { name: 'Acme' } };
}

// The listing's links come from /api/jobs.json; each job page writes its
// JSON-LD from a timer.
const listing = `<!doctype html><html><body><ul id="jobs"></ul><script>
fetch('/api/jobs.json').then((r) => r.json()).then((links) => links.forEach((href) => {
  const li = document.createElement('li'), a = document.createElement('a');
  a.href = href; a.textContent = href; li.appendChild(a); document.getElementById('jobs').appendChild(li);
}));</script></body></html>`;

const jobPage = (i) => `<!doctype html><html><head></head><body><script>
const d = ${JSON.stringify(posting(i))};
setTimeout(() => { const s = document.createElement('script'); s.type = 'application/ld+json';
  s.textContent = JSON.stringify(d); document.head.appendChild(s); }, 300);</script></body></html>`;

before(async () => {
  site = http.createServer((req, res) => {
    seen.push({ url: req.url, agent: req.headers['user-agent'] });
    const job = /^\/jobs\/(\d+)$/.exec(req.url);
    if (req.url === '/careers/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(listing);
    }
    if (req.url === '/api/jobs.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(Array.from({ length: N }, (_, i) => `/jobs/${i + 1}`)));
    }
    if (job) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(jobPage(Number(job[1])));
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no');
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${site.address().port}`;
  srv = await startServer();
  A = await newUser(srv.url, 'admin-r@example.com');
  admin = new Client(srv.url);
  assert.equal((await admin.form('/login', { email: 'admin-r@example.com', password: 'correct horse battery' })).status, 303);
});

after(async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
  await new Promise((resolve) => site.close(resolve));
});

// The CLI, without blocking the event loop (the site lives in it).
const cli = (args) => runCliAsync(args, { timeout: 120000 });

test('--render is in the help of scrape and extract', () => {
  for (const cmd of ['scrape', 'extract']) {
    const r = spawnSync(binary, [cmd, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--render/);
  }
  const r = spawnSync(binary, ['extract', '--render', '/etc/hostname'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--render goes with a URL/);
});

test('extract URL --render reads what the page\'s scripts wrote', { skip: !chromium && 'no /usr/bin/chromium' }, async () => {
  let r = await cli(['extract', '--json', `${base}/jobs/2`]);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  r = await cli(['extract', '--json', '--render', `${base}/jobs/2`]);
  assert.equal(r.status, 0, r.stderr);
  const postings = JSON.parse(r.stdout);
  assert.equal(postings.length, 1);
  assert.equal(postings[0].title, 'Engineer 2');
});

test('scrape --seed --render crawls links JavaScript built and stores each posting once', { skip: !chromium && 'no /usr/bin/chromium' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jt-render-'));
  try {
    let r = await cli(['scrape', '--seed', `${base}/careers/`, '--delay', '0', '--json', '--data-dir', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).runs[0].found, 0);
    seen.length = 0;
    r = await cli(['scrape', '--seed', `${base}/careers/`, '--delay', '0', '--render', '--json', '--data-dir', dir]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.runs[0].status, 'ok', out.runs[0].message);
    assert.equal(out.runs[0].found, N);
    assert.equal(out.ingest.new, N);
    // the listing was fetched once (Chromium rendered that copy); its script's request went out as jobtrack
    assert.equal(seen.filter((s) => s.url === '/careers/').length, 1);
    const api = seen.filter((s) => s.url === '/api/jobs.json');
    assert.equal(api.length, 1);
    assert.match(api[0].agent, /jobtrack\//);
    r = await cli(['scrape', '--seed', `${base}/careers/`, '--delay', '0', '--render', '--json', '--data-dir', dir]);
    assert.equal(JSON.parse(r.stdout).ingest.new, 0); // the same postings again: none new
    const count = spawnSync('sqlite3', [join(dir, 'jobtrack.db'), 'select count(*) from postings'], { encoding: 'utf8' });
    assert.equal(count.stdout.trim(), String(N));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a source with render = true and no Chromium fails its run saying what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jt-render-'));
  try {
    writeFileSync(join(dir, 'sources.conf'), `[source js-site]\nurl = ${base}/careers/\nrender = true\ndelay = 0\n`);
    seen.length = 0;
    const r = await cli(['scrape', '--data-dir', dir, '--chromium', '/nonexistent/chromium', '--json']);
    assert.equal(r.status, 1, r.stderr);
    const run = JSON.parse(r.stdout).runs[0];
    assert.equal(run.status, 'failed');
    assert.match(run.message, /Chromium not found at \/nonexistent\/chromium: install .*chromium.* or turn render off/);
    assert.equal(seen.length, 0); // nothing fetched for a run that cannot render
    writeFileSync(join(dir, 'bad.conf'), `[source js-site]\nurl = ${base}/careers/\nrender = maybe\n`);
    const bad = spawnSync(binary, ['scrape', '--data-dir', dir, '--dry-run', '--sources', join(dir, 'bad.conf')], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.conf:3: render must be true or false/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the admin form\'s render switch and the API\'s render key', async () => {
  const csrfFrom = '/admin/sources';
  const list = await (await admin.fetch('/admin/sources')).text();
  assert.match(list, /<input type="checkbox" name="render" value="1" aria-describedby="src-render-hint"> Render pages with JavaScript<\/label>/);
  assert.match(list, /id="src-render-hint">For sites whose postings appear only after scripts run/);
  const added = await admin.form('/admin/sources', { url: 'https://jobs.example.org/careers', name: 'rendered', schedule: '',
    render_shown: '1', render: '1' }, { csrfFrom });
  assert.equal(added.status, 303, await added.text());
  let src = (await A.call('GET', '/api/v1/admin/sources')).body.items.find((s) => s.name === 'rendered');
  assert.deepEqual(src.config, { render: true });
  assert.match(await (await admin.fetch(`/admin/sources/${src.id}`)).text(), /name="render" value="1" aria-describedby="s-render-hint" checked/);
  const off = await admin.form(`/admin/sources/${src.id}`, { version: String(src.version), name: 'rendered', kind: 'jsonld',
    target: src.target, schedule: '', config: JSON.stringify({ render: true, delay: 4 }), render_shown: '1' }, { csrfFrom });
  assert.equal(off.status, 303, await off.text());
  src = (await A.call('GET', `/api/v1/admin/sources/${src.id}`)).body;
  assert.deepEqual(src.config, { delay: 4 });
  const ok = await A.call('POST', '/api/v1/admin/sources', { kind: 'jsonld', target: 'https://example.com/jobs', enabled: false, config: { render: true } });
  assert.equal(ok.status, 201, ok.text);
  const bad = await A.call('POST', '/api/v1/admin/sources', { kind: 'jsonld', target: 'https://example.com/x', enabled: false, config: { render: 'maybe' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'config');
  assert.match(bad.body.error.message, /"render" must be true or false/);
});

test('serve runs a render source on its scheduler, and /metrics counts the renders', { skip: !chromium && 'no /usr/bin/chromium' }, async () => {
  const src = (await A.call('POST', '/api/v1/admin/sources', { kind: 'jsonld', target: `${base}/careers/`, name: 'js-careers',
    enabled: false, config: { render: true, crawl: true, delay: 0 } })).body;
  const now = await A.call('POST', `/api/v1/admin/sources/${src.id}/run`);
  if (now.status === 503) return; // a server without a scheduler
  assert.equal(now.status, 202, now.text);
  const done = await waitFor(async () => {
    const rs = (await A.call('GET', `/api/v1/admin/sources/${src.id}/runs`)).body.items;
    return rs.length && rs[0].status !== 'running' ? rs[0] : null;
  }, { timeout: 90000, interval: 250, what: 'the rendered run to end' });
  assert.equal(done.status, 'ok', JSON.stringify(done));
  assert.equal(done.counts.found, N, JSON.stringify(done));
  const metrics = await (await fetch(srv.url + '/metrics')).text();
  const renders = Number(/^jobtrack_browser_renders_total (\d+)$/m.exec(metrics)?.[1]);
  assert.ok(renders >= N + 1, metrics.split('\n').filter((l) => l.includes('browser')).join('\n'));
  assert.match(metrics, /^jobtrack_browser_render_failures_total 0$/m);
  assert.match(metrics, new RegExp(`^jobtrack_browser_render_seconds_count ${renders}$`, 'm'));
  assert.match(metrics, /^jobtrack_browser_renders_active 0$/m);
});
