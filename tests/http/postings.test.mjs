// Postings over the API and the pages: every signed-in user reads the same
// postings, newest first in stable pages; a hostile description never
// reaches a page or the API unsanitised; "save to tracker" makes one
// application per user and posting, and another user never sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client, ingestPostings, waitFor } from '../lib/server.mjs';

let srv, A, B, ids;
const XSS = '<p>Build things.</p><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
  + '<a href="javascript:alert(1)">click</a><a href="https://acme.example/about" onclick="x()">About</a>';

before(async () => {
  srv = await startServer();
  A = await newUser(srv.url, 'admin-p@example.com'); // the first user: an admin
  B = await newUser(srv.url, 'bob-p@example.com');
  const base = Math.floor(Date.now() / 1000) - 1000;
  const postings = [];
  for (let i = 0; i < 7; i++) {
    postings.push({ source: 'greenhouse', external_id: `gh-${i}`, title: `Engineer ${i}`, company: 'Acme',
      location: 'Berlin', url: `https://boards.greenhouse.io/acme/jobs/${i}`, seen_at: base + i,
      description_html: `<p>Job ${i}</p>` });
  }
  postings.push({ source: 'remotive', external_id: 'rm-1', title: 'Hostile <b>Title</b>', company: 'Evil & Co',
    url: 'https://remotive.com/remote-jobs/1', description_html: XSS, salary_min: 90000, salary_max: 120000,
    salary_currency: 'EUR', salary_period: 'YEAR', seen_at: base + 100 });
  ids = ingestPostings(srv.dataDir, postings);
  // the postings page lists from the search index, which takes in new
  // postings within a second of their ingest
  await waitFor(async () => {
    const r = await B.call('GET', '/api/v1/postings?q=engineer OR hostile');
    return r.status === 200 && r.body.total === 8;
  }, { timeout: 10000, what: 'the search index' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

test('the list is newest first, paginated by cursor without repeats, the same for every user', async () => {
  const first = await B.call('GET', '/api/v1/postings?limit=3');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.total, 8);
  assert.deepEqual(first.body.items.map((p) => p.id), [ids[7], ids[6], ids[5]]);
  const seen = [...first.body.items.map((p) => p.id)];
  let cursor = first.body.next_cursor;
  while (cursor) {
    const r = await B.call('GET', `/api/v1/postings?limit=3&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(r.status, 200);
    seen.push(...r.body.items.map((p) => p.id));
    cursor = r.body.next_cursor;
  }
  assert.deepEqual(seen, [...ids].reverse());
  const forA = await A.call('GET', '/api/v1/postings?limit=3');
  assert.deepEqual(forA.body.items, first.body.items);
  const p = first.body.items[0];
  assert.equal(p.closed, false);
  assert.equal(p.sources[0].source, 'remotive');
  assert.equal(p.sources[0].url, 'https://remotive.com/remote-jobs/1');
  assert.deepEqual(p.attribution, [{ text: 'Remotive', url: 'https://remotive.com/remote-jobs/1' }]);
  // the normalised shape (as `jobtrack extract` writes a posting), plus what the store adds
  assert.deepEqual(Object.keys(p), ['id', 'version', 'title', 'company', 'location', 'workplace', 'employment_type',
    'salary', 'date_posted', 'valid_through', 'apply_url', 'url', 'source', 'external_id', 'first_seen', 'last_seen',
    'updated_at', 'closed', 'closed_at', 'reposted', 'sources', 'attribution', 'score', 'snippet']);
  assert.equal(p.score, 0, 'nothing to rank without q');
  assert.deepEqual(p.salary, { min: 90000, max: 120000, currency: 'EUR', period: 'YEAR' });
  assert.deepEqual([p.source, p.external_id, p.title, p.company], ['remotive', 'rm-1', 'Hostile <b>Title</b>', 'Evil & Co']);
  assert.deepEqual(p.location, { raw: null, locality: null, region: null, country: null });
  assert.deepEqual(p.employment_type, []);
  const berlin = first.body.items[1];
  assert.equal(berlin.salary, null);
  assert.deepEqual(berlin.location, { raw: 'Berlin', locality: null, region: null, country: null });
  assert.deepEqual([berlin.source, berlin.external_id], ['greenhouse', 'gh-6']);
  assert.equal(berlin.attribution.length, 0);
  for (const q of ['limit=0', 'limit=201', 'cursor=zzz', 'include_closed=maybe']) {
    const r = await B.call('GET', `/api/v1/postings?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error.code, 'bad_query');
  }
  assert.equal((await fetch(`${srv.url}/api/v1/postings`)).status, 401);
});

test('offset pages the plain list, in the one order whether or not the user hid something', async () => {
  const ordered = [...ids].reverse();
  const page = async (U, qs) => {
    const r = await U.call('GET', `/api/v1/postings?${qs}`);
    assert.equal(r.status, 200, r.text);
    return r.body.items.map((p) => p.id);
  };
  assert.deepEqual(await page(B, 'limit=2'), ordered.slice(0, 2));
  assert.deepEqual(await page(B, 'offset=2&limit=2'), ordered.slice(2, 4));
  assert.deepEqual(await page(B, 'offset=6&limit=3'), ordered.slice(6));
  assert.equal((await B.call('GET', '/api/v1/postings?offset=1001')).status, 400);
  // someone who hid a posting: the same order without it, offset alike
  const D = await newUser(srv.url, 'dora-p@example.com');
  assert.equal((await D.call('POST', '/api/v1/hidden/postings', { posting_id: ordered[1] })).status, 204);
  const rest = ordered.filter((id) => id !== ordered[1]);
  assert.deepEqual(await page(D, 'limit=2'), rest.slice(0, 2));
  assert.deepEqual(await page(D, 'offset=2&limit=2'), rest.slice(2, 4));
});

test('an attribution without a link is plain text, never href="false"', async () => {
  const [id] = ingestPostings(srv.dataDir, [{ source: 'remotive', external_id: 'rm-nolink', title: 'Linkless Role',
    company: 'Quiet Co', description_html: '<p>No url</p>' }]);
  await waitFor(async () => (await B.call('GET', '/api/v1/postings?q=linkless')).body.total === 1,
    { timeout: 10000, what: 'the search index' });
  const browser = new Client(srv.url);
  await browser.form('/login', { email: 'bob-p@example.com', password: 'correct horse battery' });
  const html = await (await browser.fetch(`/postings/${id}`)).text();
  assert.match(html, /Job listing from Remotive\./);
  const list = await (await browser.fetch('/postings?q=linkless')).text();
  assert.match(list, /via Remotive</);
  for (const h of [html, list]) assert.doesNotMatch(h, /href="false"/);
});

test('one posting comes with its description sanitised and its sources', async () => {
  const r = await B.call('GET', `/api/v1/postings/${ids[7]}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('etag'), /^"\d+"$/);
  const html = r.body.description_html;
  assert.match(html, /Build things/);
  assert.doesNotMatch(html, /<script|onerror|onclick|javascript:|<img/i);
  assert.match(html, /href="https:\/\/acme\.example\/about"/);
  assert.equal(r.body.sources.length, 1);
  assert.match(r.body.description_text, /Build things/);
  assert.deepEqual(Object.keys(r.body).slice(0, 16), ['id', 'version', 'title', 'company', 'location', 'workplace',
    'employment_type', 'salary', 'date_posted', 'valid_through', 'description_html', 'description_text', 'apply_url',
    'url', 'source', 'external_id']);
  assert.deepEqual(r.body.salary, { min: 90000, max: 120000, currency: 'EUR', period: 'YEAR' });
  assert.equal((await B.call('GET', '/api/v1/postings/99999')).status, 404);
});

test('the pages show postings escaped, with the sanitised description and attribution', async () => {
  const browser = new Client(srv.url);
  await browser.form('/login', { email: 'bob-p@example.com', password: 'correct horse battery' });
  const list = await browser.fetch('/postings');
  assert.equal(list.status, 200);
  const listHtml = await list.text();
  assert.match(listHtml, /href="\/postings"[^>]*aria-current="page"/);
  assert.match(listHtml, /Hostile &lt;b&gt;Title&lt;\/b&gt;/);
  assert.match(listHtml, /Evil &amp; Co/);
  assert.doesNotMatch(listHtml, /href="\/admin\/sources"/, 'no Sources link for a non-admin');
  const page = await browser.fetch(`/postings/${ids[7]}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.doesNotMatch(html, /window\.pwned|onerror|onclick|javascript:alert/);
  assert.match(html, /Build things/);
  assert.match(html, /Remotive/);
  assert.match(html, /href="https:\/\/remotive\.com\/remote-jobs\/1"/);
  assert.match(html, /90,000/);
  assert.match(html, /action="\/postings\/\d+\/save"/);
  assert.equal((await browser.fetch('/postings/99999')).status, 404);
  // pagination without JS: a next link
  const paged = await (await browser.fetch('/postings?limit=3')).text();
  const next = paged.match(/href="(\/postings\?[^"]*cursor=[^"]+)"/);
  assert.ok(next, 'a next-page link');
  const page2 = await (await browser.fetch(next[1].replaceAll('&amp;', '&'))).text();
  assert.match(page2, /Engineer 4/);
});

test('save to tracker makes one application per user, linked to the posting; others never see it', async () => {
  const first = await B.call('POST', `/api/v1/postings/${ids[7]}/save`);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.status, 'saved');
  assert.equal(first.body.company, 'Evil & Co');
  assert.equal(first.body.position, 'Hostile <b>Title</b>');
  assert.equal(first.body.salary_min, 90000);
  assert.equal(first.body.salary_period, 'year');
  assert.equal(first.headers.get('location'), `/api/v1/applications/${first.body.id}`);
  const again = await B.call('POST', `/api/v1/postings/${ids[7]}/save`);
  assert.equal(again.status, 200);
  assert.equal(again.body.id, first.body.id);
  const list = await B.call('GET', '/api/v1/applications');
  assert.equal(list.body.total, 1);
  // isolation: A's save is A's own, and B's application is not A's
  assert.equal((await A.call('GET', `/api/v1/applications/${first.body.id}`)).status, 404);
  const mine = await A.call('POST', `/api/v1/postings/${ids[7]}/save`);
  assert.equal(mine.status, 201);
  assert.notEqual(mine.body.id, first.body.id);
  assert.equal((await A.call('GET', '/api/v1/applications')).body.total, 1);
  assert.equal((await B.call('POST', '/api/v1/postings/99999/save')).status, 404);
});

test('saves at once make one application', async () => {
  const C = await newUser(srv.url, 'carol-p@example.com');
  const all = await Promise.all([1, 2, 3, 4].map(() => C.call('POST', `/api/v1/postings/${ids[3]}/save`)));
  assert.deepEqual(new Set(all.map((r) => r.body.id)).size, 1);
  assert.equal(all.filter((r) => r.status === 201).length, 1);
});

test('the save form needs its CSRF token and redirects to the application', async () => {
  const browser = new Client(srv.url);
  await browser.form('/login', { email: 'bob-p@example.com', password: 'correct horse battery' });
  const bad = await browser.fetch(`/postings/${ids[2]}/save`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=wrong' });
  assert.equal(bad.status, 403);
  const r = await browser.form(`/postings/${ids[2]}/save`, {}, { csrfFrom: `/postings/${ids[2]}` });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/applications\/\d+$/);
  const again = await browser.form(`/postings/${ids[2]}/save`, {}, { csrfFrom: `/postings/${ids[2]}` });
  assert.equal(again.headers.get('location'), r.headers.get('location'));
  const app = await (await browser.fetch(r.headers.get('location'))).text();
  assert.match(app, /Engineer 2/);
  // once saved, the posting page offers the application, not a second save
  const page = await (await browser.fetch(`/postings/${ids[2]}`)).text();
  assert.match(page, new RegExp(`href="${r.headers.get('location')}">Saved — view application<`));
  assert.doesNotMatch(page, /Save to tracker/);
  assert.doesNotMatch(page, /action="\/postings\/\d+\/save"/);
});
