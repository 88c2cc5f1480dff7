// Reposts end to end: a Greenhouse-shaped board served on loopback, scraped by
// the server's own scheduler ("run now"). Run 1 lists job A; runs 2 and 3 do
// not (A closes after INGEST_MAX_MISSING complete runs, and the application
// saved from it is flagged closed); run 4 lists the same job under a new id.
// That is one posting, reposted once, reopened: the application is still
// linked and no longer flagged, the saved search does not count it as new,
// the search index finds it open, the pages say "Reposted", and /metrics
// counts the outcome. Then the same through `jobtrack scrape`: its summary
// and --json count the repost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, Client, waitFor, storeArgs, dropDatabase, runCliAsync } from '../lib/server.mjs';

let srv, board, A, web, sourceId;
let jobs = []; // what the board lists now

const TEXT = 'Build the ledger service that settles payments across Europe. '.repeat(12);
function job(id) {
  return {
    id,
    title: 'Payments Engineer',
    company_name: 'Repostco',
    location: { name: 'Lisbon, Portugal' },
    absolute_url: `https://boards.example.com/repostco/jobs/${id}`,
    updated_at: '2026-11-30T10:00:00Z',
    content: `&lt;p&gt;${TEXT}&lt;/p&gt;`,
  };
}

before(async () => {
  board = http.createServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('User-agent: *\nAllow: /\n');
    }
    if (!req.url.startsWith('/v1/boards/repostco/jobs')) { res.writeHead(404); return res.end('no'); }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jobs, meta: { total: jobs.length } }));
  });
  await new Promise((r) => board.listen(0, '127.0.0.1', r));
  srv = await startServer();
  A = await newUser(srv.url, 'repost-admin@example.com'); // the first user: an admin
  web = new Client(srv.url);
  await web.form('/login', { email: 'repost-admin@example.com', password: 'correct horse battery' });
  const s = await A.call('POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'repostco', enabled: false,
    config: { base_url: `http://127.0.0.1:${board.address().port}`, delay: 0 } });
  assert.equal(s.status, 201, s.text);
  sourceId = s.body.id;
});

after(async () => {
  board.closeAllConnections?.();
  await new Promise((r) => board.close(r));
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
});

// Runs the source now and waits for its run to end and be ingested (the
// run's record is finished by ingest, after the postings it published).
// Times are in whole seconds and a listing counts missing when last seen
// before the run started: each run starts in a later second.
async function runNow() {
  await new Promise((r) => setTimeout(r, 1100));
  const before = (await A.call('GET', `/api/v1/admin/sources/${sourceId}/runs`)).body.items.length;
  const now = await A.call('POST', `/api/v1/admin/sources/${sourceId}/run`);
  assert.equal(now.status, 202, now.text);
  const run = await waitFor(async () => {
    const rs = (await A.call('GET', `/api/v1/admin/sources/${sourceId}/runs`)).body.items;
    return rs.length > before && rs[0].status !== 'running' ? rs[0] : null;
  }, { timeout: 30000, interval: 100, what: 'the run to end' });
  assert.equal(run.status, 'ok', JSON.stringify(run));
  return run;
}

async function allPostings() {
  // every listing comes from the index: call this once the index has the run
  const r = await A.call('GET', '/api/v1/postings?include_closed=true&limit=50');
  assert.equal(r.status, 200, r.text);
  return r.body;
}

function ingestedReposted(metrics) {
  const m = /^jobtrack_ingest_postings_total\{change="reposted"\} (\d+)$/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}

test('a job taken down and put up again under a new id is the same posting, reposted', async () => {
  jobs = [job(101)];
  await runNow();
  const first = await waitFor(async () => {
    const r = await A.call('GET', '/api/v1/postings?q=ledger');
    return r.status === 200 && r.body.items.length === 1 ? r.body.items[0] : null;
  }, { timeout: 10000, what: 'the search index' });
  assert.equal(first.reposted, null);
  const id = first.id;
  const saved = await A.call('POST', `/api/v1/postings/${id}/save`);
  assert.ok(saved.status === 201 || saved.status === 200, saved.text);
  const appId = saved.body.id;
  // A saved search, looked at now: a repost must not show as new in it.
  const ss = await A.call('POST', '/api/v1/saved-searches', { name: 'ledger jobs', query: 'q=ledger' });
  assert.equal(ss.status, 201, ss.text);
  assert.equal((await A.call('POST', `/api/v1/saved-searches/${ss.body.id}/looked`)).status, 200);
  const metricsBefore = ingestedReposted(await (await fetch(`${srv.url}/metrics`)).text());

  // Runs 2 and 3 do not list it: it closes, and the application says so.
  jobs = [];
  await runNow();
  assert.equal((await A.call('GET', `/api/v1/postings/${id}`)).body.closed, false, 'one missed run leaves it open');
  const third = await runNow();
  assert.equal(third.counts.closed, 1, JSON.stringify(third));
  assert.equal((await A.call('GET', `/api/v1/postings/${id}`)).body.closed, true);
  let app = await A.call('GET', `/api/v1/applications/${appId}`);
  assert.equal(app.body.posting_closed, true, app.text);

  // Run 4: the same job under a new id.
  jobs = [job(202)];
  const fourth = await runNow();
  assert.equal(fourth.counts.new, 0, JSON.stringify(fourth));
  const p = (await A.call('GET', `/api/v1/postings/${id}`)).body;
  assert.equal(p.closed, false);
  assert.equal(p.reposted.count, 1);
  assert.ok(Date.parse(p.reposted.last_at) >= Date.parse(p.first_seen));
  assert.equal(p.first_seen, first.first_seen);
  assert.deepEqual(p.sources.map((l) => [l.external_id, l.closed]).sort(), [['101', true], ['202', false]]);
  // The application: still linked, no longer flagged closed.
  app = await A.call('GET', `/api/v1/applications/${appId}`);
  assert.equal(app.body.posting_id, id);
  assert.equal(app.body.posting_closed, false, app.text);
  // The search index has it open again; the saved search counts nothing new.
  const found = await waitFor(async () => {
    const r = await A.call('GET', '/api/v1/postings?q=ledger');
    return r.status === 200 && r.body.items.length === 1 && r.body.items[0].reposted ? r.body.items[0] : null;
  }, { timeout: 10000, what: 'the search index to see the repost' });
  assert.equal(found.id, id);
  const all = await allPostings();
  assert.equal(all.items.length, 1, 'one posting, not two');
  assert.equal(found.closed, false);
  const ssNow = await A.call('GET', `/api/v1/saved-searches/${ss.body.id}`);
  assert.equal(ssNow.body.new_count, 0, ssNow.text);
  // The pages say it in words, with the date.
  const day = p.reposted.last_at.slice(0, 10);
  const page = await (await web.fetch(`/postings/${id}`)).text();
  assert.match(page, new RegExp(`Reposted on <time datetime="${day}">${day}</time>`));
  const list = await (await web.fetch('/postings?q=ledger')).text();
  assert.match(list, /Reposted on <time/);
  // /metrics counts the outcome.
  const metricsAfter = ingestedReposted(await (await fetch(`${srv.url}/metrics`)).text());
  assert.equal(metricsAfter - metricsBefore, 1);
});

// The CLI, without blocking the event loop (the board lives in it).
const cli = (args) => runCliAsync(args);

test('jobtrack scrape counts a repost in its summary and --json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jt-repost-'));
  try {
    writeFileSync(join(dir, 'sources.conf'), `[source rp]\nkind = greenhouse\ntarget = repostco\ndelay = 0\n`
      + `options = {"base_url":"http://127.0.0.1:${board.address().port}"}\n`);
    const scrape = async (json) => {
      await new Promise((r) => setTimeout(r, 1100)); // each run in a later second (see runNow)
      const r = await cli(['scrape', ...storeArgs(dir), ...(json ? ['--json'] : [])]);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      return r;
    };
    jobs = [job(301)];
    assert.match((await scrape(false)).stdout, /ingested 1 postings: 1 new, 0 updated, 0 reposted/);
    jobs = [];
    await scrape(false);
    assert.match((await scrape(false)).stdout, /1 closed/);
    jobs = [job(302)];
    const j = JSON.parse((await scrape(true)).stdout);
    assert.equal(j.ingest.reposted, 1, JSON.stringify(j));
    assert.equal(j.ingest.new, 0);
    jobs = [job(303)]; // and again, now with 302 still open: a bump
    assert.match((await scrape(false)).stdout, /ingested 1 postings: 0 new, 0 updated, 1 reposted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    dropDatabase(dir);
  }
});
