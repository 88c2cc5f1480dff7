// Saved searches: the API (CRUD, canonical queries, "new since you last
// looked" counts, isolation between users), the pages without JavaScript
// (save from the postings page with CSRF, rename, alert, delete, open marks
// it looked at, counts on the board), and the e-mail digest end to end
// against the SMTP sink on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, waitFor, Client } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp_sink.mjs';

let srv, sink, A, B;
const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const posting = (title, extra = {}) => ({
  source: 'greenhouse', external_id: `ss${++seq}`, title, company: 'Acme <Labs>', location: 'Berlin, DE',
  locality: 'Berlin', country: 'DE', workplace: 'remote', employment_type: ['FULL_TIME'],
  description_html: `${title}: build things.`, seen_at: now() - 1000, ...extra,
});

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    extraArgs: ['--smtp-url', sink.url, '--smtp-starttls', '0', '--smtp-from', 'jobtrack <alerts@example.org>',
      '--alert-interval', '1', '--public-url', 'https://jobs.example.org/'],
  });
  A = await newUser(srv.url, 'saver-a@example.com');
  B = await newUser(srv.url, 'saver-b@example.com');
  ingestPostings(srv.dataDir, [posting('Senior Rust Engineer'), posting('Go Developer', { workplace: 'onsite' })]);
  await waitFor(async () => {
    const r = await A.call('GET', '/api/v1/postings?q=engineer');
    return r.status === 200 && r.body.total === 1;
  }, { timeout: 10000, what: 'the search index' });
});
after(async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
  await sink.close();
});

const newCount = async (who, id) => {
  const r = await who.call('GET', `/api/v1/saved-searches/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.body.new_count;
};

test('create, read, update and delete over the API; queries are kept canonical', async () => {
  let r = await A.call('POST', '/api/v1/saved-searches',
    { name: 'Rust remote', query: 'limit=5&workplace=remote&q=rust+engineer&cursor=i1_2', alert: 'daily' });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  assert.equal(r.body.query, 'q=rust%20engineer&workplace=remote'); // fixed order, no paging
  assert.equal(r.body.alert, 'daily');
  assert.equal(r.body.new_count, 0); // everything so far was seen before it was saved
  assert.equal(r.body.last_alert_at, null);

  r = await A.call('POST', '/api/v1/saved-searches', { name: 'Rust remote', query: 'q=go' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'name_taken');
  for (const [body, field] of [
    [{ name: '', query: 'q=x' }, 'name'], [{ name: 'x'.repeat(121), query: 'q=x' }, 'name'],
    [{ name: 'a\nb', query: 'q=x' }, 'name'], [{ name: '   ', query: 'q=x' }, 'name'], [{ name: 'bad', query: 'q=%22unclosed' }, 'query'],
    [{ name: 'bad', query: 'workplace=moon' }, 'query'], [{ name: 'bad', query: 'q=%zz' }, 'query'],
    [{ name: 'bad', query: 'q=x', alert: 'hourly' }, 'alert'], [{ name: 'bad', query: 5 }, 'query'],
    [{ name: 'bad' }, 'query'],
  ]) {
    r = await A.call('POST', '/api/v1/saved-searches', body);
    assert.equal(r.status, 422, JSON.stringify(body) + r.text);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }

  r = await A.call('PATCH', `/api/v1/saved-searches/${id}`, { name: 'Rust, remote', alert: 'weekly' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, 'Rust, remote');
  assert.equal(r.body.alert, 'weekly');
  assert.equal(r.body.query, 'q=rust%20engineer&workplace=remote');

  r = await A.call('GET', '/api/v1/saved-searches');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((s) => s.name), ['Rust, remote']);

  r = await A.call('DELETE', `/api/v1/saved-searches/${id}`);
  assert.equal(r.status, 204);
  assert.equal((await A.call('GET', `/api/v1/saved-searches/${id}`)).status, 404);
});

test('another user cannot see, change or delete them', async () => {
  const r = await A.call('POST', '/api/v1/saved-searches', { name: 'Mine', query: 'q=rust' });
  const id = r.body.id;
  assert.equal((await B.call('GET', `/api/v1/saved-searches/${id}`)).status, 404);
  assert.equal((await B.call('GET', `/api/v1/saved-searches/${id}/new`)).status, 404);
  assert.equal((await B.call('PATCH', `/api/v1/saved-searches/${id}`, { name: 'Theirs' })).status, 404);
  assert.equal((await B.call('POST', `/api/v1/saved-searches/${id}/looked`)).status, 404);
  assert.equal((await B.call('DELETE', `/api/v1/saved-searches/${id}`)).status, 404);
  assert.deepEqual((await B.call('GET', '/api/v1/saved-searches')).body.items, []);
  assert.equal((await A.call('GET', `/api/v1/saved-searches/${id}`)).body.name, 'Mine');
  await A.call('DELETE', `/api/v1/saved-searches/${id}`);
});

test('new since you last looked: matching postings first seen after the last look', async () => {
  const r = await A.call('POST', '/api/v1/saved-searches', { name: 'Remote engineers', query: 'q=engineer&workplace=remote' });
  const id = r.body.id;
  // first seen after the search was saved, and before it is opened below
  const later = Date.parse(r.body.created_at) / 1000 + 1;
  const ids = ingestPostings(srv.dataDir, [
    posting('Platform Engineer', { seen_at: later }), // matches
    posting('Data Engineer', { seen_at: later + 1 }), // matches
    posting('Site Engineer', { workplace: 'onsite', seen_at: later }), // filtered out
    posting('Sales Manager', { seen_at: later }), // no match
  ]);
  await waitFor(async () => (await newCount(A, id)) === 2, { timeout: 10000, what: 'the new count' });
  const n = await A.call('GET', `/api/v1/saved-searches/${id}/new`);
  assert.equal(n.status, 200, n.text);
  assert.equal(n.body.total, 2);
  assert.deepEqual(n.body.items.map((p) => p.id).sort(), [ids[0], ids[1]].sort());
  assert.equal(await newCount(A, id), 2, 'listing the new ones does not mark them seen');
  assert.equal((await A.call('GET', `/api/v1/saved-searches/${id}/new?limit=0`)).status, 400);

  // the board and the postings page show the count; opening the search resets it
  const browser = new Client(srv.url);
  await browser.form('/login', { email: A.email, password: A.password });
  const board = await (await browser.fetch('/board')).text();
  assert.match(board, new RegExp(`href="/saved-searches/${id}/open">Remote engineers</a> <span class="badge badge-new">2 new`));
  const postings = await (await browser.fetch('/postings')).text();
  assert.match(postings, /Remote engineers<\/a> <span class="badge badge-new">2 new/);
  await waitFor(async () => now() > later + 1, { timeout: 5000, what: 'the clock to pass the postings' });
  const open = await browser.fetch(`/saved-searches/${id}/open`);
  assert.equal(open.status, 303);
  assert.equal(open.headers.get('location'), '/postings?q=engineer&workplace=remote');
  assert.equal(await newCount(A, id), 0);
  // B's board does not show A's searches
  const other = new Client(srv.url);
  await other.form('/login', { email: B.email, password: B.password });
  assert.doesNotMatch(await (await other.fetch('/board')).text(), /Remote engineers/);
  assert.equal((await other.fetch(`/saved-searches/${id}/open`)).status, 404);
  await A.call('DELETE', `/api/v1/saved-searches/${id}`);
});

test('what the user hid is not new to them: hidden postings and blocked companies leave the count', async () => {
  const r = await A.call('POST', '/api/v1/saved-searches', { name: 'Hidden-aware', query: 'q=architect' });
  const id = r.body.id;
  // first seen well after both users' searches are saved (B's below too)
  const later = Date.parse(r.body.created_at) / 1000 + 60;
  const ids = ingestPostings(srv.dataDir, [
    posting('Cloud Architect', { seen_at: later }),
    posting('Data Architect', { seen_at: later }),
    posting('Solutions Architect', { company: 'Blocked Corp', seen_at: later }),
  ]);
  await waitFor(async () => (await newCount(A, id)) === 3, { timeout: 10000, what: 'the new count' });
  assert.equal((await A.call('POST', '/api/v1/hidden/postings', { posting_id: ids[0] })).status, 204);
  assert.equal((await A.call('POST', '/api/v1/hidden/companies', { company: 'Blocked Corp' })).status, 204);
  assert.equal(await newCount(A, id), 1);
  const n = await A.call('GET', `/api/v1/saved-searches/${id}/new`);
  assert.deepEqual(n.body.items.map((p) => p.id), [ids[1]]);
  // B hid nothing: the same search counts all three for B
  const rb = await B.call('POST', '/api/v1/saved-searches', { name: 'B architects', query: 'q=architect' });
  assert.equal(rb.status, 201, rb.text);
  const nb = await B.call('GET', `/api/v1/saved-searches/${rb.body.id}/new`);
  assert.equal(nb.body.total, (await A.call('GET', `/api/v1/saved-searches/${id}/new`)).body.total + 2);
  await A.call('DELETE', `/api/v1/saved-searches/${id}`);
  await B.call('DELETE', `/api/v1/saved-searches/${rb.body.id}`);
});

test('the pages work without JavaScript: save this search, rename, alert, delete; CSRF checked', async () => {
  const browser = new Client(srv.url);
  await browser.form('/login', { email: A.email, password: A.password });
  const page = await (await browser.fetch('/postings?q=rust&workplace=remote&limit=5')).text();
  assert.match(page, /<form method="post" action="\/saved-searches" class="saved-box-form" id="save-search">/);
  const query = page.match(/name="query" value="([^"]*)"/)[1];
  assert.equal(query, 'q=rust&amp;workplace=remote');
  let r = await browser.fetch('/saved-searches', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'No token', query: 'q=rust' }).toString(),
  });
  assert.equal(r.status, 403);
  r = await browser.form('/saved-searches', { name: 'Rust <b>jobs</b>', query: 'q=rust&workplace=remote', alert: 'none' },
    { csrfFrom: '/postings' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/saved-searches');
  let list = await (await browser.fetch('/saved-searches')).text();
  assert.match(list, /Search saved/);
  assert.match(list, /Rust &lt;b&gt;jobs&lt;\/b&gt;/);
  assert.doesNotMatch(list, /<b>jobs<\/b>/);
  const id = Number(list.match(/action="\/saved-searches\/(\d+)"/)[1]);

  r = await browser.form('/saved-searches', { name: 'Rust <b>jobs</b>', query: 'q=go' }, { csrfFrom: '/saved-searches' });
  assert.equal(r.status, 409);
  assert.match(await r.text(), /already/);

  r = await browser.form(`/saved-searches/${id}`, { name: 'Rust jobs', alert: 'weekly' }, { csrfFrom: '/saved-searches' });
  assert.equal(r.status, 303);
  list = await (await browser.fetch('/saved-searches')).text();
  assert.match(list, /value="Rust jobs"/);
  assert.match(list, /<option value="weekly" selected>/);
  const got = await A.call('GET', `/api/v1/saved-searches/${id}`);
  assert.equal(got.body.alert, 'weekly');

  r = await browser.form(`/saved-searches/${id}/delete`, {}, { csrfFrom: '/saved-searches' });
  assert.equal(r.status, 303);
  assert.equal((await A.call('GET', `/api/v1/saved-searches/${id}`)).status, 404);
});

test('e-mail digest: new postings reach the owner once per period, escaped, with links and unsubscribe', async () => {
  const before = sink.messages.length;
  const r = await B.call('POST', '/api/v1/saved-searches', { name: 'Kotlin “remote”', query: 'q=kotlin', alert: 'daily' });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  const later = now() + 5;
  const ids = ingestPostings(srv.dataDir, [
    posting('Kotlin <script>alert(1)</script> Developer', { seen_at: later }),
    posting('Kotlin Engineer', { seen_at: later + 1, company: 'Initech & Co' }),
  ]);
  const msgs = await sink.waitFor(before + 1, 15000);
  const m = msgs[before];
  assert.deepEqual(m.to, ['saver-b@example.com']);
  assert.equal(m.from, 'alerts@example.org');
  assert.equal(m.subject, '2 new postings for “Kotlin “remote””');
  const unsub = m.headers['list-unsubscribe'].match(/^<https:\/\/jobs\.example\.org(\/saved-searches\/(\d+)\/unsubscribe\?t=([\w.-]+))>$/);
  assert.ok(unsub, m.headers['list-unsubscribe']);
  assert.equal(Number(unsub[2]), id);
  assert.equal(m.headers['auto-submitted'], 'auto-generated');
  assert.match(m.headers['content-type'], /^multipart\/alternative/);
  for (const pid of ids) {
    assert.ok(m.text.includes(`https://jobs.example.org/postings/${pid}`), m.text);
    assert.ok(m.html.includes(`href="https://jobs.example.org/postings/${pid}"`), m.html);
  }
  assert.match(m.text, /Kotlin <script>alert\(1\)<\/script> Developer — Acme <Labs>/);
  assert.ok(!m.html.includes('<script>'), 'HTML escaped');
  assert.match(m.html, /Kotlin &lt;script&gt;alert\(1\)&lt;\/script&gt; Developer/);
  assert.match(m.html, /Initech &amp; Co/);
  assert.ok(m.text.includes(`Turn off this alert (unsubscribe): https://jobs.example.org${unsub[1]}`), m.text);
  assert.ok(!/(^|[^\r])\n/.test(m.raw), 'CRLF line ends');
  await waitFor(async () => (await B.call('GET', `/api/v1/saved-searches/${id}`)).body.last_alert_at !== null,
    { what: 'the digest to be recorded' });

  // within the period nothing more goes out, however much is new
  ingestPostings(srv.dataDir, [posting('Kotlin Lead', { seen_at: later + 2 })]);
  await new Promise((res) => setTimeout(res, 3500));
  assert.equal(sink.messages.length, before + 1);
  // A (who has no alerting search) got nothing
  assert.ok(!sink.messages.some((x) => x.to.includes('saver-a@example.com')));

  // the unsubscribe link works without signing in: it asks, and only the POST turns the alert off
  const anon = new Client(srv.url);
  let page = await anon.fetch(unsub[1]);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Stop the e-mail digests of the saved search <strong>Kotlin “remote”<\/strong>/);
  assert.equal((await B.call('GET', `/api/v1/saved-searches/${id}`)).body.alert, 'daily');
  // a token for another saved search, or a forged one, opens nothing
  const forged = unsub[1].replace(/t=\d+\./, `t=${A.user.id}.`);
  assert.equal((await anon.fetch(forged)).status, 404);
  assert.equal((await anon.fetch(unsub[1].replace(`/${id}/`, `/${id + 1000}/`))).status, 404);
  assert.equal((await anon.fetch(`/saved-searches/${id}/unsubscribe?t=x`)).status, 404);
  const token = decodeURIComponent(unsub[3]);
  page = await anon.form(`/saved-searches/${id}/unsubscribe`, { t: token }, { csrfFrom: unsub[1] });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /You will get no more e-mails for the saved search/);
  assert.equal((await B.call('GET', `/api/v1/saved-searches/${id}`)).body.alert, 'none');
  page = await anon.form(`/saved-searches/${id}/unsubscribe`, { t: `${A.user.id}.${token.split('.')[1]}` },
    { csrfFrom: unsub[1] });
  assert.equal(page.status, 404);
});
