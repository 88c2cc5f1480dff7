// Cross-user isolation: user B reaches none of user A's applications, events,
// contacts or tokens — over the API or the pages — and always gets 404, as if
// they did not exist. A's data is compared before and after.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, api, Client } from '../lib/server.mjs';

const SECRET = 'SecretCorpAlpha';
let srv, A, B, browserB;
const a = {}; // A's ids
const b = {}; // B's ids

async function snapshotA() {
  const get = async (p) => {
    const r = await A.call('GET', p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    return r.body;
  };
  const tokens = (await get('/api/v1/tokens')).items.map(({ last_used_at, ...t }) => t);
  return {
    app: await get(`/api/v1/applications/${a.app}`),
    list: await get('/api/v1/applications'),
    events: await get(`/api/v1/applications/${a.app}/events`),
    appContacts: await get(`/api/v1/applications/${a.app}/contacts`),
    contacts: await get('/api/v1/contacts'),
    contact: await get(`/api/v1/contacts/${a.contact}`),
    tokens,
    csv: (await A.call('GET', '/api/v1/applications.csv')).text,
  };
}

let snapshot;
before(async () => {
  srv = await startServer();
  A = await newUser(srv.url, 'alice@example.com');
  B = await newUser(srv.url, 'bob@example.com');
  browserB = new Client(srv.url);
  const r = await browserB.form('/login', { email: 'bob@example.com', password: 'correct horse battery' });
  assert.equal(r.status, 303);

  a.app = (await A.call('POST', '/api/v1/applications', { company: SECRET, position: 'Staff', tags: ['secret'], notes: 'private notes' })).body.id;
  a.event = (await A.call('POST', `/api/v1/applications/${a.app}/events`, { kind: 'note', body: 'private event' })).body.id;
  a.contact = (await A.call('POST', `/api/v1/applications/${a.app}/contacts`, { name: 'Alice Contact', email: 'ac@example.com' })).body.id;
  a.loose = (await A.call('POST', '/api/v1/contacts', { name: 'Alice Loose' })).body.id;
  const tok = (await A.call('POST', '/api/v1/tokens', { name: 'alice cli' })).body;
  a.token = tok.id;
  a.tokenSecret = tok.token;

  b.app = (await B.call('POST', '/api/v1/applications', { company: 'BobOwn', position: 'Dev' })).body.id;
  b.event = (await B.call('POST', `/api/v1/applications/${b.app}/events`, { kind: 'note', body: 'bob note' })).body.id;
  b.contact = (await B.call('POST', '/api/v1/contacts', { name: 'Bob Contact' })).body.id;
  snapshot = await snapshotA();
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

function assert404(r, what) {
  assert.equal(r.status, 404, `${what}: ${r.status} ${r.text}`);
  assert.deepEqual(r.body, { error: { code: 'not_found', message: 'No such item.', field: null } }, what);
}

describe('over the API', () => {
  test("B cannot read, change or delete A's application", async () => {
    assert404(await B.call('GET', `/api/v1/applications/${a.app}`), 'GET');
    assert404(await B.call('PATCH', `/api/v1/applications/${a.app}`, { company: 'pwned' }), 'PATCH');
    assert404(await B.call('PATCH', `/api/v1/applications/${a.app}`, { status: 'rejected' }), 'PATCH status');
    assert404(await B.call('DELETE', `/api/v1/applications/${a.app}`), 'DELETE');
    // a missing id answers exactly the same
    assert404(await B.call('GET', '/api/v1/applications/987654321'), 'GET missing');
  });

  test("B cannot list, add or delete A's events", async () => {
    assert404(await B.call('GET', `/api/v1/applications/${a.app}/events`), 'list');
    assert404(await B.call('POST', `/api/v1/applications/${a.app}/events`, { kind: 'note', body: 'injected' }), 'create');
    assert404(await B.call('DELETE', `/api/v1/applications/${a.app}/events/${a.event}`), 'delete');
    assert404(await B.call('DELETE', `/api/v1/applications/${b.app}/events/${a.event}`), "delete via B's app");
    assert.equal((await B.call('GET', `/api/v1/applications/${b.app}/events`)).body.items.length, 2, "B's own timeline is untouched");
  });

  test("B cannot read, change, delete or link A's contacts, nor link to A's application", async () => {
    assert404(await B.call('GET', `/api/v1/contacts/${a.contact}`), 'GET');
    assert404(await B.call('PATCH', `/api/v1/contacts/${a.contact}`, { name: 'pwned' }), 'PATCH');
    assert404(await B.call('DELETE', `/api/v1/contacts/${a.loose}`), 'DELETE');
    assert404(await B.call('GET', `/api/v1/applications/${a.app}/contacts`), 'list on A app');
    assert404(await B.call('DELETE', `/api/v1/applications/${a.app}/contacts/${a.contact}`), 'unlink from A app');
    assert404(await B.call('DELETE', `/api/v1/applications/${b.app}/contacts/${a.contact}`), 'unlink A contact from B app');
    // B's contact onto A's application
    assert404(await B.call('POST', `/api/v1/applications/${a.app}/contacts`, { contact_id: b.contact }), 'link B contact to A app');
    // A's contact onto B's application
    assert404(await B.call('POST', `/api/v1/applications/${b.app}/contacts`, { contact_id: a.loose }), 'link A contact to B app');
    // a new contact created onto A's application must not be stored at all
    const before = (await B.call('GET', '/api/v1/contacts')).body.items.length;
    assert404(await B.call('POST', `/api/v1/applications/${a.app}/contacts`, { name: 'Sneaky' }), 'create on A app');
    assert.equal((await B.call('GET', '/api/v1/contacts')).body.items.length, before);
    assert.deepEqual((await B.call('GET', `/api/v1/applications/${b.app}/contacts`)).body.items, []);
  });

  test("B cannot revoke A's token", async () => {
    assert404(await B.call('DELETE', `/api/v1/tokens/${a.token}`), 'revoke');
    assert.equal((await api(srv.url, a.tokenSecret)('GET', '/api/v1/me')).body.email, 'alice@example.com');
  });

  test("B's lists, searches and export show none of A's data", async () => {
    const apps = await B.call('GET', '/api/v1/applications?per_page=200');
    assert.deepEqual(apps.body.items.map((x) => x.id), [b.app]);
    assert.equal(apps.body.total, 1);
    for (const q of [`q=${SECRET}`, 'tag=secret', 'q=private', 'status=saved&sort=company']) {
      const r = await B.call('GET', `/api/v1/applications?${q}`);
      assert.ok(!r.text.includes(SECRET), q);
      assert.ok(!r.body.items.some((x) => x.id === a.app), q);
    }
    assert.equal((await B.call('GET', `/api/v1/applications?q=${SECRET}`)).body.total, 0);
    const contacts = await B.call('GET', '/api/v1/contacts');
    assert.deepEqual(contacts.body.items.map((c) => c.id), [b.contact]);
    const tokens = await B.call('GET', '/api/v1/tokens');
    assert.deepEqual(tokens.body.items, []);
    const csv = await B.call('GET', '/api/v1/applications.csv');
    assert.equal(csv.status, 200);
    assert.ok(!csv.text.includes(SECRET));
    assert.ok(csv.text.includes('BobOwn'));
    assert.equal(csv.text.trim().split('\r\n').length, 2, 'header and B\'s one row');
    const me = await B.call('GET', '/api/v1/me');
    assert.equal(me.body.email, 'bob@example.com');
  });

  test("A's personal token acts as A, never as B", async () => {
    const viaToken = api(srv.url, a.tokenSecret);
    assert404(await viaToken('GET', `/api/v1/applications/${b.app}`), "A's token on B's app");
    assert.equal((await viaToken('GET', `/api/v1/applications/${a.app}`)).body.company, SECRET);
  });
});

describe('through the pages', () => {
  test("B's browser gets 404 for A's application page and every form on it", async () => {
    const page = await browserB.fetch(`/applications/${a.app}`);
    assert.equal(page.status, 404);
    const html = await page.text();
    assert.ok(!html.includes(SECRET));
    assert.match(html, /no such application/i);
    const csrf = await browserB.csrf('/settings');
    const post = (path, fields) => browserB.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    const forms = [
      [`/applications/${a.app}`, { company: 'pwned', position: 'pwned', status: 'saved' }],
      [`/applications/${a.app}/status`, { status: 'rejected' }],
      [`/applications/${a.app}/events`, { kind: 'note', body: 'injected' }],
      [`/applications/${a.app}/events/${a.event}/delete`, {}],
      [`/applications/${b.app}/events/${a.event}/delete`, {}],
      [`/applications/${a.app}/contacts`, { name: 'Sneaky' }],
      [`/applications/${a.app}/contacts/${a.contact}/unlink`, {}],
      [`/applications/${a.app}/delete`, {}],
      [`/settings/tokens/${a.token}/revoke`, {}],
    ];
    for (const [path, fields] of forms) {
      const r = await post(path, fields);
      assert.equal(r.status, 404, `POST ${path}: ${r.status}`);
      assert.ok(!(await r.text()).includes(SECRET), path);
    }
    // control: the same forms work on B's own application
    const own = await post(`/applications/${b.app}/status`, { status: 'applied' });
    assert.equal(own.status, 303);
  });

  test("B's board, list, settings and export pages show none of A's data", async () => {
    for (const path of ['/board', '/applications', `/applications?q=${SECRET}`, '/settings', '/export.csv']) {
      const r = await browserB.fetch(path);
      assert.equal(r.status, 200, path);
      const text = await r.text();
      // the search page echoes the query itself, so look for A's other values there
      if (!path.includes('q=')) assert.ok(!text.includes(SECRET), path);
      assert.ok(!text.includes(`/applications/${a.app}"`), path);
      assert.ok(!text.includes('private notes'), path);
      assert.ok(!text.includes('alice cli'), path);
      assert.ok(!text.includes('alice@example.com'), path);
    }
    // control: B's own application does show, linked the same way
    assert.ok((await (await browserB.fetch('/board')).text()).includes(`/applications/${b.app}"`));
    assert.ok((await (await browserB.fetch('/applications?q=BobOwn')).text()).includes(`/applications/${b.app}"`));
  });
});

test("after all of that, A's data is exactly as it was", async () => {
  assert.deepEqual(await snapshotA(), snapshot);
  assert.equal(snapshot.events.items.length, 2);
  assert.equal(snapshot.appContacts.items.length, 1);
  assert.equal(snapshot.tokens.length, 1);
});
