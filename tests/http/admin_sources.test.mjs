// Administrators' sources and runs, over the API and the pages: only admins
// reach them (403 for everyone else, API and pages alike); a pasted careers
// URL picks the kind and target, an unknown one is a clear 400; schedules
// are checked, also against a feed's own minimum interval; a source whose
// terms forbid scraping is enabled only with an explicit acknowledgement;
// writes with a stale version get 412 (API) or the current values (pages);
// "run now" answers 503 when this process runs no scheduler; runs show
// with their counters.
import { test, before, after } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import { startServer, newUser, Client, addRun, waitFor } from '../lib/server.mjs';

let srv, A, U, admin, user;
// Sources point at a closed local port: where serve runs a scheduler, a source
// that runs (on its schedule or now) must never reach out.
const NOWHERE = 'http://127.0.0.1:9';

before(async () => {
  srv = await startServer();
  A = await newUser(srv.url, 'admin-s@example.com'); // the first user: an admin
  U = await newUser(srv.url, 'user-s@example.com');
  admin = new Client(srv.url);
  assert.equal((await admin.form('/login', { email: 'admin-s@example.com', password: 'correct horse battery' })).status, 303);
  user = new Client(srv.url);
  assert.equal((await user.form('/login', { email: 'user-s@example.com', password: 'correct horse battery' })).status, 303);
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

test('a pasted careers URL gives kind, target and a name; any other web page is read for JobPosting data; a non-web URL is a clear 400', async () => {
  const r = await A.call('POST', '/api/v1/admin/sources', { url: 'https://boards.greenhouse.io/acme', schedule: 'every 6h', config: { base_url: NOWHERE } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.kind, 'greenhouse');
  assert.equal(r.body.target, 'acme');
  assert.equal(r.body.name, 'greenhouse-acme');
  assert.equal(r.body.enabled, true);
  assert.equal(r.body.version, 1);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.deepEqual(r.body.config, { base_url: NOWHERE });
  assert.equal(r.body.health.last_run, null);
  // Any other web page is read for schema.org JobPosting data (the jsonld adapter); added
  // disabled so that the scheduler of this server never fetches it.
  const page = await A.call('POST', '/api/v1/admin/sources', { url: 'https://example.com/careers', enabled: false });
  assert.equal(page.status, 201, page.text);
  assert.equal(page.body.kind, 'jsonld');
  assert.equal(page.body.enabled, false);
  const bad = await A.call('POST', '/api/v1/admin/sources', { url: 'ftp://example.com/careers' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'unrecognised_url');
  assert.equal(bad.body.error.field, 'url');
  assert.match(bad.body.error.message, /kind and target/);
});

test('kind, target, schedule and config are validated', async () => {
  const cases = [
    [{ kind: 'nope', target: 'x' }, 'kind'],
    [{ kind: 'greenhouse' }, 'target'],
    [{ kind: 'greenhouse', target: 'x', name: 'has space' }, 'name'],
    [{ kind: 'greenhouse', target: 'x', schedule: 'now and then' }, 'schedule'],
    [{ kind: 'greenhouse', target: 'x', schedule: '0 0 30 2 *' }, 'schedule'],
    [{ kind: 'remotive', target: 'software-dev', schedule: 'every 1h' }, 'schedule'], // Remotive: at most every 6 h
    [{ kind: 'remotive', target: 'software-dev', schedule: '0 * * * *' }, 'schedule'],
    [{ kind: 'greenhouse', target: 'x', config: [] }, 'config'],
    [{ kind: 'greenhouse', target: 'x', enabled: 'yes' }, 'enabled'],
    [{ kind: 'greenhouse', target: 'x', surprise: 1 }, 'surprise'],
  ];
  for (const [body, field] of cases) {
    const r = await A.call('POST', '/api/v1/admin/sources', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  // config: the kind's own options and the scraper's keys only, each of its
  // type; the message names the key at fault (and the keys there are)
  const keyCases = [
    [{ crawll: true }, /config: unknown key "crawll" for jsonld \(its keys: crawl, sitemap, company, delay/],
    [{ crawl: 'often' }, /"crawl" must be true or false/],
    [{ delay: 'soon' }, /"delay" must be a number/],
    [{ proxy: 'localhost:3128' }, /"proxy" must be a URL/],
    [{ managed_by: 'me' }, /"managed_by" is the sources file's mark/],
  ];
  for (const [config, message] of keyCases) {
    const r = await A.call('POST', '/api/v1/admin/sources', { kind: 'jsonld', target: 'https://example.com/jobs', enabled: false, config });
    assert.equal(r.status, 422, `${JSON.stringify(config)}: ${r.text}`);
    assert.equal(r.body.error.field, 'config');
    assert.match(r.body.error.message, message);
  }
  const feed = (await A.call('POST', '/api/v1/admin/sources', { kind: 'rss', target: 'https://example.com/jobs.rss', enabled: false, config: { base_url: NOWHERE } })).body;
  const form = await admin.form(`/admin/sources/${feed.id}`, { version: String(feed.version), name: feed.name, kind: 'rss',
    target: feed.target, schedule: '', config: '{"split_titel": true}' }, { csrfFrom: `/admin/sources/${feed.id}` });
  assert.equal(form.status, 422);
  assert.match(await form.text(), /unknown key &quot;split_titel&quot; for rss \(its keys: workplace, split_title/);
  const ok = await A.call('POST', '/api/v1/admin/sources', { kind: 'remotive', target: 'software-dev', schedule: 'every 6h', name: 'remotive-dev', config: { delay: 3, base_url: NOWHERE } });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.body.config, { delay: 3, base_url: NOWHERE });
  const dup = await A.call('POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'other', name: 'remotive-dev' });
  assert.equal(dup.status, 409);
});

test('a source whose terms forbid scraping is enabled only with an acknowledgement', async () => {
  const url = 'https://www.linkedin.com/jobs/search?keywords=rust&location=Berlin';
  const refused = await A.call('POST', '/api/v1/admin/sources', { url });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.field, 'acknowledge_terms');
  assert.match(refused.body.error.message, /LinkedIn/);
  const off = await A.call('POST', '/api/v1/admin/sources', { url, enabled: false, name: 'li', config: { base_url: NOWHERE } });
  assert.equal(off.status, 201, off.text);
  assert.equal(off.body.off_by_default, true);
  assert.match(off.body.terms, /User Agreement/);
  const on = await A.call('PATCH', `/api/v1/admin/sources/${off.body.id}`, { enabled: true });
  assert.equal(on.status, 422);
  assert.equal(on.body.error.field, 'acknowledge_terms');
  const acked = await A.call('PATCH', `/api/v1/admin/sources/${off.body.id}`, { enabled: true, acknowledge_terms: true });
  assert.equal(acked.status, 200, acked.text);
  assert.equal(acked.body.enabled, true);
  // once on, other edits need no new acknowledgement
  const edit = await A.call('PATCH', `/api/v1/admin/sources/${off.body.id}`, { schedule: '@daily' });
  assert.equal(edit.status, 200, edit.text);
});

test('If-Match: a stale version is 412 and changes nothing', async () => {
  const s = (await A.call('POST', '/api/v1/admin/sources', { kind: 'lever', target: 'acme', config: { base_url: NOWHERE } })).body;
  const first = await A.call('PATCH', `/api/v1/admin/sources/${s.id}`, { schedule: 'every 12h' }, { 'if-match': '"1"' });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('etag'), '"2"');
  const stale = await A.call('PATCH', `/api/v1/admin/sources/${s.id}`, { schedule: 'every 1h' }, { 'if-match': '"1"' });
  assert.equal(stale.status, 412);
  assert.equal(stale.body.error.code, 'stale');
  assert.equal((await A.call('GET', `/api/v1/admin/sources/${s.id}`)).body.schedule, 'every 12h');
  assert.equal((await A.call('DELETE', `/api/v1/admin/sources/${s.id}`, undefined, { 'if-match': '"1"' })).status, 412);
  assert.equal((await A.call('DELETE', `/api/v1/admin/sources/${s.id}`, undefined, { 'if-match': '"1", "3"' })).status, 412);
  assert.equal((await A.call('DELETE', `/api/v1/admin/sources/${s.id}`, undefined, { 'if-match': '"1", "2"' })).status, 204);
  assert.equal((await A.call('GET', `/api/v1/admin/sources/${s.id}`)).status, 404);
});

test('runs: history with counters, health, and 503 for run now without a scheduler', async () => {
  const s = (await A.call('POST', '/api/v1/admin/sources', { kind: 'ashby', target: 'acme', config: { base_url: NOWHERE } })).body;
  const ok = addRun(srv.dataDir, s.id, 'ok');
  const failed = addRun(srv.dataDir, s.id, 'failed', 'HTTP 500 from the board');
  const runs = await A.call('GET', `/api/v1/admin/sources/${s.id}/runs`);
  assert.equal(runs.status, 200);
  assert.deepEqual(runs.body.items.map((r) => r.id), [failed, ok]);
  assert.equal(runs.body.items[1].counts.found, 2);
  const one = await A.call('GET', `/api/v1/admin/runs/${ok}`);
  assert.equal(one.body.status, 'ok');
  assert.equal(one.body.progress, null);
  const src = (await A.call('GET', `/api/v1/admin/sources/${s.id}`)).body;
  assert.equal(src.health.last_success.id, ok);
  assert.equal(src.health.last_error.id, failed);
  assert.equal(src.health.postings_found, 2);
  // partial: postings found while some requests failed (one of them refused
  // by the source); it counts as a success, and both pages and API say so
  const partial = addRun(srv.dataDir, s.id, 'partial', 'partial: 1 of 3 requests failed');
  const p = (await A.call('GET', `/api/v1/admin/runs/${partial}`)).body;
  assert.deepEqual([p.status, p.blocked, p.counts.blocked, p.counts.errors], ['partial', true, 1, 1]);
  assert.equal(one.body.blocked, false);
  assert.equal(one.body.counts.blocked, 0);
  assert.equal((await A.call('GET', `/api/v1/admin/sources/${s.id}`)).body.health.last_success.id, partial);
  const runsPage = await (await admin.fetch(`/admin/sources/${s.id}`)).text();
  assert.match(runsPage, /data-run-field="status">partial<\/span> <span class="badge[^"]*"[^>]*>Blocked</);
  const running = addRun(srv.dataDir, s.id, 'running');
  assert.equal((await A.call('GET', `/api/v1/admin/runs/${running}`)).body.status, 'running');
  // run now: 503 where this server runs no scheduler; where it runs one, the
  // run is queued, runs (against a closed port) and ends in the history
  const other = (await A.call('POST', '/api/v1/admin/sources', { kind: 'ashby', target: 'other', enabled: false, config: { base_url: NOWHERE } })).body;
  const now = await A.call('POST', `/api/v1/admin/sources/${other.id}/run`);
  if (now.status === 503) {
    assert.equal(now.body.error.code, 'no_scheduler');
  } else {
    assert.equal(now.status, 202, now.text);
    const done = await waitFor(async () => {
      const rs = (await A.call('GET', `/api/v1/admin/sources/${other.id}/runs`)).body.items;
      return rs.length && rs[0].status !== 'running' ? rs[0] : null;
    }, { timeout: 30000, interval: 200, what: 'the run to end' });
    assert.notEqual(done.status, 'ok', 'nothing listens on the port');
  }
  assert.equal((await A.call('POST', '/api/v1/admin/sources/98765/run')).status, 404);
  // the page shows the history, the running run polling the API, and the error
  const html = await (await admin.fetch(`/admin/sources/${s.id}`)).text();
  assert.match(html, new RegExp(`data-run-poll="/api/v1/admin/runs/${running}"`));
  assert.match(html, /HTTP 500 from the board/);
  const list = await (await admin.fetch('/admin/sources')).text();
  assert.match(list, /HTTP 500 from the board/);
});

test('non-admins get 403 from every admin API route and page', async () => {
  const s = (await A.call('POST', '/api/v1/admin/sources', { kind: 'workable', target: 'acme', config: { base_url: NOWHERE } })).body;
  const run = addRun(srv.dataDir, s.id, 'ok');
  const calls = [['GET', '/api/v1/admin/sources'], ['POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'x' }],
    ['GET', `/api/v1/admin/sources/${s.id}`], ['PATCH', `/api/v1/admin/sources/${s.id}`, { enabled: false }],
    ['DELETE', `/api/v1/admin/sources/${s.id}`], ['POST', `/api/v1/admin/sources/${s.id}/run`],
    ['GET', `/api/v1/admin/sources/${s.id}/runs`], ['GET', `/api/v1/admin/runs/${run}`]];
  for (const [m, p, b] of calls) {
    const r = await U.call(m, p, b);
    assert.equal(r.status, 403, `${m} ${p}`);
    assert.equal(r.body.error.code, 'forbidden');
  }
  assert.equal((await A.call('GET', `/api/v1/admin/sources/${s.id}`)).body.enabled, true, 'nothing changed');
  for (const p of ['/admin/sources', `/admin/sources/${s.id}`]) assert.equal((await user.fetch(p)).status, 403, p);
  for (const p of ['/admin/sources', `/admin/sources/${s.id}`, `/admin/sources/${s.id}/run`, `/admin/sources/${s.id}/enabled`, `/admin/sources/${s.id}/delete`]) {
    const r = await user.form(p, { kind: 'greenhouse', target: 'y' }, { csrfFrom: '/board' });
    assert.equal(r.status, 403, `POST ${p}`);
  }
  const board = await (await user.fetch('/board')).text();
  assert.doesNotMatch(board, /href="\/admin\/sources"/);
  assert.match(board, /href="\/postings"/);
  assert.match(await (await admin.fetch('/board')).text(), /href="\/admin\/sources"/);
});

test('pages: add by pasted URL, refuse an unknown one, enable with terms, edit with a stale version', async () => {
  const csrfFrom = '/admin/sources';
  const noToken = await admin.fetch('/admin/sources', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'url=https%3A%2F%2Fjobs.lever.co%2Fpagesco' });
  assert.equal(noToken.status, 403, 'CSRF');
  const added = await admin.form('/admin/sources', { url: 'https://jobs.lever.co/pagesco', schedule: 'every 8h' }, { csrfFrom });
  assert.equal(added.status, 303);
  const list = await (await admin.fetch('/admin/sources')).text();
  assert.match(list, /lever-pagesco/);
  assert.match(list, /aria-current="page"[^>]*>Sources|href="\/admin\/sources" aria-current="page"/);
  const unknown = await admin.form('/admin/sources', { url: 'ftp://example.com/jobs', name: 'typed-name' }, { csrfFrom });
  assert.equal(unknown.status, 422);
  const uhtml = await unknown.text();
  assert.match(uhtml, /No kind of source recognises this URL/);
  assert.match(uhtml, /value="typed-name"/);
  const badSchedule = await admin.form('/admin/sources', { kind: 'greenhouse', target: 'pg', schedule: 'often' }, { csrfFrom });
  assert.equal(badSchedule.status, 422);
  assert.match(await badSchedule.text(), /aria-describedby="src-schedule-hint src-schedule-err" aria-invalid="true"/);

  const li = (await A.call('POST', '/api/v1/admin/sources', { url: 'https://www.linkedin.com/jobs/search?keywords=go', enabled: false, name: 'li-pages', config: { base_url: NOWHERE } })).body;
  const refused = await admin.form(`/admin/sources/${li.id}/enabled`, { enabled: '1', version: String(li.version) }, { csrfFrom });
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /User Agreement/);
  const enabled = await admin.form(`/admin/sources/${li.id}/enabled`, { enabled: '1', acknowledge_terms: '1', version: String(li.version) }, { csrfFrom });
  assert.equal(enabled.status, 303);
  const now = (await A.call('GET', `/api/v1/admin/sources/${li.id}`)).body;
  assert.equal(now.enabled, true);
  // an edit form rendered at the old version comes back with the current values
  const stale = await admin.form(`/admin/sources/${li.id}`, { version: String(li.version), name: 'li-pages', kind: 'linkedin',
    target: li.target, schedule: 'every 2h', config: '{}', enabled: '1' }, { csrfFrom });
  assert.equal(stale.status, 409);
  assert.match(await stale.text(), /changed this source while you were editing/);
  const saved = await admin.form(`/admin/sources/${li.id}`, { version: String(now.version), name: 'li-pages', kind: 'linkedin',
    target: li.target, schedule: 'every 2h', config: JSON.stringify({ delay: 5, base_url: NOWHERE }), enabled: '1' }, { csrfFrom });
  assert.equal(saved.status, 303);
  const after = (await A.call('GET', `/api/v1/admin/sources/${li.id}`)).body;
  assert.equal(after.schedule, 'every 2h');
  assert.deepEqual(after.config, { delay: 5, base_url: NOWHERE });
  const run = await admin.form(`/admin/sources/${li.id}/run`, {}, { csrfFrom });
  assert.ok([303, 503].includes(run.status), `run now: ${run.status}`);
  if (run.status === 303) assert.equal(run.headers.get('location'), `/admin/sources/${li.id}#runs`);
  const del = await admin.form(`/admin/sources/${li.id}/delete`, { version: String(after.version) }, { csrfFrom });
  assert.equal(del.status, 303);
  assert.equal((await A.call('GET', `/api/v1/admin/sources/${li.id}`)).status, 404);
});

test('a run this server executes shows live progress (skipped without a scheduler)', async (t) => {
  // A board that answers slowly, so the run is caught while it runs.
  let release;
  const held = new Promise((r) => { release = r; });
  const board = http.createServer(async (req, res) => {
    if (req.url === '/robots.txt') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('User-agent: *\nAllow: /\n'); return; }
    await held;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"jobs":[],"meta":{"total":0}}');
  });
  await new Promise((r) => board.listen(0, '127.0.0.1', r));
  try {
    const s = (await A.call('POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'slow', enabled: false,
      config: { base_url: `http://127.0.0.1:${board.address().port}` } })).body;
    const now = await A.call('POST', `/api/v1/admin/sources/${s.id}/run`);
    if (now.status === 503) { t.skip('this server runs no scheduler'); return; }
    assert.equal(now.status, 202, now.text);
    const running = await waitFor(async () => {
      const rs = (await A.call('GET', `/api/v1/admin/sources/${s.id}/runs`)).body.items;
      return rs.length && rs[0].status === 'running' ? rs[0] : null;
    }, { timeout: 20000, interval: 100, what: 'the run to start' });
    const live = await waitFor(async () => {
      const r = (await A.call('GET', `/api/v1/admin/runs/${running.id}`)).body;
      return r.progress ? r : null;
    }, { timeout: 20000, interval: 100, what: 'live progress' });
    assert.equal(live.status, 'running');
    assert.equal(live.progress.running, true);
    assert.equal(typeof live.progress.requests_queued, 'number');
    const again = await A.call('POST', `/api/v1/admin/sources/${s.id}/run`);
    assert.equal(again.status, 409, 'a run of it is in progress');
    const html = await (await admin.fetch(`/admin/sources/${s.id}`)).text();
    assert.match(html, new RegExp(`data-run-poll="/api/v1/admin/runs/${running.id}"`));
    release();
    const done = await waitFor(async () => {
      const r = (await A.call('GET', `/api/v1/admin/runs/${running.id}`)).body;
      return r.status !== 'running' ? r : null;
    }, { timeout: 30000, interval: 200, what: 'the run to end' });
    assert.equal(done.status, 'ok', JSON.stringify(done));
    assert.equal(done.progress, null);
  } finally {
    release();
    board.closeAllConnections?.();
    await new Promise((r) => board.close(r));
  }
});
