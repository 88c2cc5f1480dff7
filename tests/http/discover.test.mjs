// Discovery: "Add a job by URL" against a local page server serving fixture
// pages (a JSON-LD posting, a page with no posting, a robots.txt that keeps
// jobtrack out of /private/), the confirm page the bookmarklet opens, and
// hiding postings and companies — per user, out of results, totals and
// facets alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, ingestPostings, waitFor, Client } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'discover');
const fixture = (name) => readFileSync(join(fixtures, name));

let srv, pages, pagesUrl, A, B, ids;
const served = []; // { path, agent } of every request the page server answered

before(async () => {
  pages = createServer((req, res) => {
    served.push({ path: req.url, agent: req.headers['user-agent'] || '' });
    const routes = {
      '/robots.txt': ['text/plain', fixture('robots.txt')],
      '/jobs/staff-platform-engineer': ['text/html; charset=utf-8', fixture('posting.html')],
      '/private/secret-job': ['text/html; charset=utf-8', fixture('posting.html')],
      '/careers': ['text/html; charset=utf-8', fixture('nothing.html')],
    };
    const r = routes[req.url.split('?')[0]];
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such page');
      return;
    }
    res.writeHead(200, { 'content-type': r[0] });
    res.end(r[1]);
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesUrl = `http://127.0.0.1:${pages.address().port}`;
  srv = await startServer({ extraArgs: ['--import-private-addresses', '1'] });
  A = await newUser(srv.url, 'finder-a@example.com');
  B = await newUser(srv.url, 'finder-b@example.com');
  const base = Math.floor(Date.now() / 1000) - 1000;
  ids = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'h1', title: 'Rust Engineer', company: 'Acme Robotics', location: 'Berlin',
      country: 'DE', workplace: 'remote', description_html: 'Rust services.', seen_at: base + 1 },
    { source: 'greenhouse', external_id: 'h2', title: 'Rust Developer', company: 'Acme Robotics', location: 'Munich',
      country: 'DE', workplace: 'onsite', description_html: 'More rust.', seen_at: base + 2 },
    { source: 'lever', external_id: 'h3', title: 'Rust Consultant', company: 'Globex', location: 'Paris',
      country: 'FR', workplace: 'hybrid', description_html: 'Rust advice.', seen_at: base + 3 },
    { source: 'lever', external_id: 'h4', title: 'Go Developer', company: 'Initech', location: 'Paris',
      country: 'FR', workplace: 'hybrid', description_html: 'Go, some rust.', seen_at: base + 4 },
  ]);
  await waitFor(async () => {
    const r = await A.call('GET', '/api/v1/postings?status=all&sort=date&limit=1');
    return r.status === 200 && r.body.total === ids.length;
  }, { timeout: 10000, what: 'the search index' });
});
after(async () => {
  pages.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
});

test('a JSON-LD posting page becomes a posting and a saved application; again finds the same ones', async () => {
  const url = `${pagesUrl}/jobs/staff-platform-engineer`;
  const r = await A.call('POST', '/api/v1/postings/import', { url });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.adapter, 'jsonld');
  assert.equal(r.body.change, 'new');
  assert.equal(r.body.posting.title, 'Staff Platform Engineer');
  assert.equal(r.body.posting.company, 'Northwind Labs');
  assert.equal(r.body.application.status, 'saved');
  assert.equal(r.body.application.company, 'Northwind Labs');
  // linked to the posting: importing it again finds this application (store_app_by_posting)
  assert.match(r.headers.get('location'), /^\/api\/v1\/applications\/\d+$/);
  // robots.txt first, then the page, with this instance's User-Agent
  const mine = served.filter((s) => s.path === '/robots.txt' || s.path === '/jobs/staff-platform-engineer');
  assert.deepEqual(mine.map((s) => s.path).slice(0, 2), ['/robots.txt', '/jobs/staff-platform-engineer']);
  for (const s of mine) assert.match(s.agent, /^jobtrack\/\S+ \(\+https:\/\//);
  // the description is sanitised like any scraped one
  const one = await A.call('GET', `/api/v1/postings/${r.body.posting.id}`);
  assert.equal(one.status, 200);
  assert.match(one.body.description_html, /Kubernetes/);
  assert.doesNotMatch(one.body.description_html, /script/);
  // again: the same posting (no duplicate), the same application
  const again = await A.call('POST', '/api/v1/postings/import', { url });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.posting.id, r.body.posting.id);
  assert.equal(again.body.application.id, r.body.application.id);
  // another user gets their own application for the same posting
  const theirs = await B.call('POST', '/api/v1/postings/import', { url });
  assert.equal(theirs.status, 201, theirs.text);
  assert.equal(theirs.body.posting.id, r.body.posting.id);
  assert.notEqual(theirs.body.application.id, r.body.application.id);
  // the listing comes from the search index, which takes the import in within a second
  const list = await waitFor(async () => {
    const r = await A.call('GET', '/api/v1/postings?status=all&limit=50');
    return r.status === 200 && r.body.items.some((p) => p.title === 'Staff Platform Engineer') ? r : null;
  }, { timeout: 10000, what: 'the search index' });
  assert.equal(list.body.items.filter((p) => p.title === 'Staff Platform Engineer').length, 1);
});

test('a page without a posting answers 422 with what the page shows', async () => {
  const r = await A.call('POST', '/api/v1/postings/import', { url: `${pagesUrl}/careers` });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'no_posting');
  assert.equal(r.body.error.field, 'url');
  assert.match(r.body.error.message, /No job posting was recognised/);
  assert.equal(r.body.error.found.title, 'Careers at Northwind Labs');
  assert.equal(r.body.error.found.json_ld_blocks, 1);
  assert.deepEqual(r.body.error.found.json_ld_types, ['Organization', 'WebSite']);
  assert.equal(r.body.error.found.microdata, false);
  assert.equal(r.body.error.found.postings_found, 0);
  assert.equal(r.body.error.found.http_status, 200);
});

test('robots.txt is obeyed: a disallowed page is never requested', async () => {
  const before = served.length;
  const r = await A.call('POST', '/api/v1/postings/import', { url: `${pagesUrl}/private/secret-job` });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'robots_disallowed');
  assert.match(r.body.error.message, /robots\.txt does not allow jobtrack/);
  assert.match(r.body.error.message, /Disallow: \/private\//);
  assert.ok(!served.slice(before).some((s) => s.path.startsWith('/private/')), JSON.stringify(served.slice(before)));
});

test('an unreachable site, a missing page and a bad URL say so', async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const down = await A.call('POST', '/api/v1/postings/import', { url: `http://127.0.0.1:${port}/job` });
  assert.equal(down.status, 502, down.text);
  assert.equal(down.body.error.code, 'site_unreachable');
  const gone = await A.call('POST', '/api/v1/postings/import', { url: `${pagesUrl}/jobs/no-such-job` });
  assert.equal(gone.status, 502, gone.text);
  assert.match(gone.body.error.message, /404/);
  for (const url of ['ftp://example.com/job', 'not a url', 'https://user:pw@example.com/job', 42]) {
    const bad = await A.call('POST', '/api/v1/postings/import', { url });
    assert.equal(bad.status, 422, `${url}: ${bad.text}`);
    assert.equal(bad.body.error.code, 'invalid_url');
  }
});

test('private and loopback addresses are refused unless the admin allows them', async () => {
  const strict = await startServer();
  try {
    const U = await newUser(strict.url, 'strict@example.com');
    const before = served.length;
    for (const url of [`${pagesUrl}/jobs/staff-platform-engineer`,
      `http://localhost:${pages.address().port}/jobs/staff-platform-engineer`, 'http://[::1]:9/job',
      'http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/job']) {
      const r = await U.call('POST', '/api/v1/postings/import', { url });
      assert.equal(r.status, 422, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'private_address', url);
    }
    assert.equal(served.length, before, 'nothing reached the page server');
  } finally {
    assert.deepEqual(await strict.stop(), { code: 0, signal: null });
  }
});

test('the web form: the bookmarklet opens a confirm page; only a CSRF-checked POST imports', async () => {
  const web = new Client(srv.url);
  assert.equal((await web.form('/login', { email: A.email, password: A.password })).status, 303);
  const url = `${pagesUrl}/jobs/staff-platform-engineer`;
  const confirm = await web.fetch(`/postings/import?url=${encodeURIComponent(url)}`);
  assert.equal(confirm.status, 200);
  const html = await confirm.text();
  assert.match(html, /Add this job\?/);
  assert.ok(html.includes(`value="${url}"`), 'the URL is filled in');
  assert.match(html, /name="_csrf"/);
  assert.match(html, /href="javascript:\(function\(\)\{window\.open\(&#39;http:\/\/127\.0\.0\.1:\d+\/postings\/import\?url=/);
  // no token: refused, nothing fetched
  const before = served.length;
  const forged = await web.fetch('/postings/import', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ url }).toString(),
  });
  assert.equal(forged.status, 403);
  assert.equal(served.length, before);
  const ok = await web.form('/postings/import', { url }, { csrfFrom: '/postings/import' });
  assert.equal(ok.status, 303);
  assert.match(ok.headers.get('location'), /^\/applications\/\d+$/);
  // a failure shows the form again with the reason and what was found
  const none = await web.form('/postings/import', { url: `${pagesUrl}/careers` }, { csrfFrom: '/postings/import' });
  assert.equal(none.status, 422);
  const page = await none.text();
  assert.match(page, /role="alert"/);
  assert.match(page, /No job posting was recognised/);
  assert.match(page, /Page title: “Careers at Northwind Labs”/);
});

const search = async (U, qs) => {
  const r = await U.call('GET', `/api/v1/postings?${qs}`);
  assert.equal(r.status, 200, `${qs}: ${r.text}`);
  return r.body;
};

test('hidden postings and companies leave that user\'s results, totals and facets only', async () => {
  const fresh = await newUser(srv.url, 'hider@example.com');
  const other = await newUser(srv.url, 'other-hider@example.com');
  const all = await search(fresh, 'q=rust');
  assert.equal(all.total, 4);
  assert.equal(all.facets.company['Acme Robotics'], 2); // the name as the postings write it
  assert.equal((await fresh.call('POST', '/api/v1/hidden/postings', { posting_id: ids[2] })).status, 204);
  assert.equal((await fresh.call('POST', '/api/v1/hidden/companies', { company: 'acme ROBOTICS' })).status, 204);
  const mine = await search(fresh, 'q=rust');
  assert.equal(mine.total, 1);
  assert.deepEqual(mine.items.map((p) => p.id), [ids[3]]);
  assert.equal(mine.facets.company['Acme Robotics'], undefined);
  assert.deepEqual(mine.facets.country, { FR: 1 });
  assert.deepEqual([all.facets.no_salary, mine.facets.no_salary], [4, 1]); // the salary facet too
  // the plain listing leaves them out too
  const plain = await search(fresh, 'limit=50');
  assert.ok(!plain.items.some((p) => [ids[0], ids[1], ids[2]].includes(p.id)), JSON.stringify(plain.items));
  // the other user sees everything
  const theirs = await search(other, 'q=rust');
  assert.equal(theirs.total, 4);
  assert.equal(theirs.facets.company['Acme Robotics'], 2);
  // listed, and undone
  const h = await fresh.call('GET', '/api/v1/hidden');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body.postings.map((p) => p.posting_id), [ids[2]]);
  assert.equal(h.body.postings[0].title, 'Rust Consultant');
  assert.deepEqual(h.body.companies.map((c) => c.company), ['acme ROBOTICS']);
  assert.deepEqual((await other.call('GET', '/api/v1/hidden')).body, { postings: [], companies: [] });
  assert.equal((await other.call('DELETE', `/api/v1/hidden/postings/${ids[2]}`)).status, 404);
  assert.equal((await fresh.call('DELETE', `/api/v1/hidden/postings/${ids[2]}`)).status, 204);
  assert.equal((await fresh.call('DELETE', '/api/v1/hidden/companies?company=Acme%20Robotics')).status, 204);
  assert.equal((await search(fresh, 'q=rust')).total, 4);
  // bad input
  assert.equal((await fresh.call('POST', '/api/v1/hidden/postings', { posting_id: 999999 })).status, 404);
  assert.equal((await fresh.call('POST', '/api/v1/hidden/postings', { posting_id: 'x' })).status, 422);
  assert.equal((await fresh.call('POST', '/api/v1/hidden/companies', { company: '   ' })).status, 422);
});

test('hide buttons work without JavaScript; settings lists what is hidden with Unhide', async () => {
  const U = await newUser(srv.url, 'button-hider@example.com');
  const web = new Client(srv.url);
  assert.equal((await web.form('/login', { email: U.email, password: U.password })).status, 303);
  const list = await (await web.fetch('/postings?q=rust')).text();
  assert.match(list, new RegExp(`action="/postings/${ids[0]}/hide"`));
  assert.match(list, new RegExp(`action="/postings/${ids[0]}/hide-company"`));
  const hid = await web.form(`/postings/${ids[3]}/hide`, { back: '/postings?q=rust&' }, { csrfFrom: '/postings' });
  assert.equal(hid.status, 303);
  assert.equal(hid.headers.get('location'), '/postings?q=rust&');
  const blocked = await web.form(`/postings/${ids[0]}/hide-company`, { back: '//evil.example/' }, { csrfFrom: `/postings/${ids[0]}` });
  assert.equal(blocked.status, 303);
  assert.equal(blocked.headers.get('location'), '/postings'); // not another site
  const after = await (await web.fetch('/postings?q=rust')).text();
  assert.match(after, /1 matching posting/);
  assert.doesNotMatch(after, /Acme Robotics/);
  // without a token nothing is hidden
  const forged = await web.fetch(`/postings/${ids[2]}/hide`, { method: 'POST' });
  assert.equal(forged.status, 403);
  const settings = await (await web.fetch('/settings')).text();
  assert.match(settings, /Hidden postings and companies/);
  assert.match(settings, /Go Developer/);
  assert.match(settings, /Acme Robotics/);
  const un = await web.form('/settings/hidden/companies/unhide', { company: 'Acme Robotics' }, { csrfFrom: '/settings' });
  assert.equal(un.status, 303);
  const un2 = await web.form(`/settings/hidden/postings/${ids[3]}/unhide`, {}, { csrfFrom: '/settings' });
  assert.equal(un2.status, 303);
  assert.match(await (await web.fetch('/postings?q=rust')).text(), /4 matching postings/);
});
