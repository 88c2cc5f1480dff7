// Row versions: one application, event or contact is sent with ETag
// "<version>"; PATCH and DELETE honour If-Match (412 "stale" when it does not
// match, and nothing changes); concurrent edits of different fields never
// undo each other.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client } from '../lib/server.mjs';

let srv, u;

before(async () => {
  srv = await startServer();
  u = await newUser(srv.url);
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

async function create(fields) {
  const r = await u.call('POST', '/api/v1/applications', fields);
  assert.equal(r.status, 201, r.text);
  return r;
}
function assertStale(r) {
  assert.equal(r.status, 412, r.text);
  assert.equal(r.body.error.code, 'stale');
  assert.equal(typeof r.body.error.message, 'string');
  assert.equal(r.body.error.field, null);
}

describe('applications', () => {
  test('GET, POST and PATCH answer with the version as a strong ETag', async () => {
    const r = await create({ company: 'Etag Co', position: 'Dev' });
    assert.equal(r.body.version, 1);
    assert.equal(r.headers.get('etag'), '"1"');
    const got = await u.call('GET', `/api/v1/applications/${r.body.id}`);
    assert.equal(got.headers.get('etag'), '"1"');
    const p = await u.call('PATCH', `/api/v1/applications/${r.body.id}`, { notes: 'one' });
    assert.equal(p.body.version, 2);
    assert.equal(p.headers.get('etag'), '"2"');
    assert.equal((await u.call('GET', `/api/v1/applications/${r.body.id}`)).headers.get('etag'), '"2"');
  });

  test('If-Match with the current ETag changes it and answers the new ETag', async () => {
    const { body: a, headers } = await create({ company: 'Match Co', position: 'Dev' });
    const p = await u.call('PATCH', `/api/v1/applications/${a.id}`, { status: 'applied' }, { 'if-match': headers.get('etag') });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.status, 'applied');
    assert.equal(p.headers.get('etag'), `"${a.version + 1}"`);
    const any = await u.call('PATCH', `/api/v1/applications/${a.id}`, { priority: 2 }, { 'if-match': '*' });
    assert.equal(any.status, 200, any.text);
    assert.equal(any.headers.get('etag'), `"${a.version + 2}"`);
  });

  test('a stale If-Match is 412 and changes nothing', async () => {
    const { body: a } = await create({ company: 'Stale Co', position: 'Dev', notes: 'original' });
    await u.call('PATCH', `/api/v1/applications/${a.id}`, { location: 'Berlin' });
    const before = (await u.call('GET', `/api/v1/applications/${a.id}`)).body;
    for (const tag of ['"1"', 'W/"2"', '"1", "3"', 'W/"2", "3"', '"2" "3"', '"2",,garbage', 'garbage']) {
      assertStale(await u.call('PATCH', `/api/v1/applications/${a.id}`, { notes: 'overwritten', status: 'offer' }, { 'if-match': tag }));
    }
    const after = await u.call('GET', `/api/v1/applications/${a.id}`);
    assert.deepEqual(after.body, before);
    const events = await u.call('GET', `/api/v1/applications/${a.id}/events`);
    assert.deepEqual(events.body.items.map((e) => e.kind), ['created'], 'no status change was recorded');
  });

  test('If-Match with a list matches when the ETag is one of them (RFC 9110 13.1.1)', async () => {
    const { body: a } = await create({ company: 'List Co', position: 'Dev' });
    await u.call('PATCH', `/api/v1/applications/${a.id}`, { notes: 'v2' });
    const p = await u.call('PATCH', `/api/v1/applications/${a.id}`, { notes: 'v3' }, { 'if-match': '"999", "2"' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.headers.get('etag'), '"3"');
    const spaced = await u.call('PATCH', `/api/v1/applications/${a.id}`, { notes: 'v4' }, { 'if-match': ' W/"3" , "1","3" ' });
    assert.equal(spaced.status, 200, spaced.text);
    assertStale(await u.call('DELETE', `/api/v1/applications/${a.id}`, undefined, { 'if-match': '"3", "5"' }));
    assert.equal((await u.call('DELETE', `/api/v1/applications/${a.id}`, undefined, { 'if-match': '"7", "4"' })).status, 204);
  });

  test('DELETE with a stale If-Match is 412 and deletes nothing; with the current one it deletes', async () => {
    const { body: a } = await create({ company: 'Doomed Co', position: 'Dev' });
    await u.call('PATCH', `/api/v1/applications/${a.id}`, { notes: 'changed' });
    assertStale(await u.call('DELETE', `/api/v1/applications/${a.id}`, undefined, { 'if-match': '"1"' }));
    assert.equal((await u.call('GET', `/api/v1/applications/${a.id}`)).status, 200);
    assert.equal((await u.call('DELETE', `/api/v1/applications/${a.id}`, undefined, { 'if-match': '"2"' })).status, 204);
    assert.equal((await u.call('GET', `/api/v1/applications/${a.id}`)).status, 404);
    // a missing one is missing, whatever If-Match says
    assert.equal((await u.call('DELETE', `/api/v1/applications/${a.id}`, undefined, { 'if-match': '*' })).status, 404);
  });

  test('60 pairs of concurrent PATCHes of different fields of one application keep both changes', async () => {
    const { body: a } = await create({ company: 'Race Co', position: 'Dev', tags: ['keep'], priority: 3 });
    for (let i = 0; i < 60; i++) {
      const [x, y] = await Promise.all([
        u.call('PATCH', `/api/v1/applications/${a.id}`, { notes: `notes ${i}` }),
        u.call('PATCH', `/api/v1/applications/${a.id}`, { location: `City ${i}`, status: i % 2 ? 'applied' : 'screening' }),
      ]);
      assert.equal(x.status, 200, x.text);
      assert.equal(y.status, 200, y.text);
      const now = (await u.call('GET', `/api/v1/applications/${a.id}`)).body;
      assert.equal(now.notes, `notes ${i}`, `pair ${i}`);
      assert.equal(now.location, `City ${i}`, `pair ${i}`);
      assert.equal(now.status, i % 2 ? 'applied' : 'screening', `pair ${i}`);
    }
    const end = (await u.call('GET', `/api/v1/applications/${a.id}`)).body;
    assert.deepEqual([end.tags, end.priority, end.company], [['keep'], 3, 'Race Co']);
    const changes = (await u.call('GET', `/api/v1/applications/${a.id}/events`)).body.items.filter((e) => e.kind === 'status_change');
    assert.equal(changes.length, 60, 'one status_change per change, each from the status before it');
    for (let i = 0; i < changes.length - 1; i++) assert.equal(changes[i].from_status, changes[i + 1].to_status);
  });
});

describe('events and contacts', () => {
  test('an event has its own ETag; stale If-Match on PATCH and DELETE is 412', async () => {
    const { body: a } = await create({ company: 'Event Etag Co', position: 'Dev' });
    const ev = await u.call('POST', `/api/v1/applications/${a.id}/events`, { kind: 'note', body: 'first' });
    assert.equal(ev.status, 201, ev.text);
    assert.equal(ev.headers.get('etag'), '"1"');
    const got = await u.call('GET', `/api/v1/applications/${a.id}/events/${ev.body.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('etag'), '"1"');
    assert.deepEqual(got.body, ev.body);
    const p = await u.call('PATCH', `/api/v1/applications/${a.id}/events/${ev.body.id}`, { body: 'second' }, { 'if-match': '"1"' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.headers.get('etag'), '"2"');
    assertStale(await u.call('PATCH', `/api/v1/applications/${a.id}/events/${ev.body.id}`, { body: 'third' }, { 'if-match': '"1"' }));
    assertStale(await u.call('DELETE', `/api/v1/applications/${a.id}/events/${ev.body.id}`, undefined, { 'if-match': '"1"' }));
    assert.equal((await u.call('GET', `/api/v1/applications/${a.id}/events/${ev.body.id}`)).body.body, 'second');
    assertStale(await u.call('PATCH', `/api/v1/applications/${a.id}/events/${ev.body.id}`, { body: 'x' }, { 'if-match': '"1", "3"' }));
    assert.equal((await u.call('DELETE', `/api/v1/applications/${a.id}/events/${ev.body.id}`, undefined, { 'if-match': '"9", "2"' })).status, 204);
    // an event is found through its own application only
    const other = await create({ company: 'Other Co', position: 'Dev' });
    const note = await u.call('POST', `/api/v1/applications/${a.id}/events`, { kind: 'note', body: 'mine' });
    assert.equal((await u.call('GET', `/api/v1/applications/${other.body.id}/events/${note.body.id}`)).status, 404);
  });

  test('a contact has its own ETag; stale If-Match on PATCH and DELETE is 412', async () => {
    const c = await u.call('POST', '/api/v1/contacts', { name: 'Versioned' });
    assert.equal(c.headers.get('etag'), '"1"');
    assert.equal((await u.call('GET', `/api/v1/contacts/${c.body.id}`)).headers.get('etag'), '"1"');
    const p = await u.call('PATCH', `/api/v1/contacts/${c.body.id}`, { role: 'Recruiter' }, { 'if-match': '"1"' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.version, 2);
    assert.equal(p.headers.get('etag'), '"2"');
    assertStale(await u.call('PATCH', `/api/v1/contacts/${c.body.id}`, { role: 'Nobody' }, { 'if-match': '"1"' }));
    assertStale(await u.call('DELETE', `/api/v1/contacts/${c.body.id}`, undefined, { 'if-match': '"1"' }));
    assert.equal((await u.call('GET', `/api/v1/contacts/${c.body.id}`)).body.role, 'Recruiter');
    assertStale(await u.call('DELETE', `/api/v1/contacts/${c.body.id}`, undefined, { 'if-match': '"1", W/"2"' }));
    const listed = await u.call('PATCH', `/api/v1/contacts/${c.body.id}`, { role: 'Lead' }, { 'if-match': '"1", "2"' });
    assert.equal(listed.status, 200, listed.text);
    assert.equal((await u.call('DELETE', `/api/v1/contacts/${c.body.id}`, undefined, { 'if-match': '"3","1"' })).status, 204);
  });
});

describe('page forms', () => {
  test('a stale timeline entry or contact form is 409 with the typed values and changes nothing', async () => {
    const browser = new Client(srv.url);
    assert.equal((await browser.form('/login', { email: u.email, password: u.password })).status, 303);
    const post = (path, fields) => browser.form(path, fields, { csrfFrom: '/board' });
    const { body: a } = await create({ company: 'Page Forms Co', position: 'Dev' });
    const ev = (await u.call('POST', `/api/v1/applications/${a.id}/events`, { kind: 'note', body: 'first' })).body;
    const ct = (await u.call('POST', `/api/v1/applications/${a.id}/contacts`, { name: 'Sam' })).body;
    const page = await (await browser.fetch(`/applications/${a.id}`)).text();
    assert.match(page, /name="version" value="1"/);
    await u.call('PATCH', `/api/v1/applications/${a.id}/events/${ev.id}`, { body: 'changed elsewhere' });
    await u.call('PATCH', `/api/v1/contacts/${ct.id}`, { role: 'Recruiter' });

    const e = await post(`/applications/${a.id}/events/${ev.id}`, { version: '1', kind: 'note', at: '', body: 'my edit' });
    assert.equal(e.status, 409);
    const eh = await e.text();
    assert.match(eh, /While you were editing, this entry changed/);
    assert.match(eh, /my edit/);
    assert.equal((await u.call('GET', `/api/v1/applications/${a.id}/events/${ev.id}`)).body.body, 'changed elsewhere');

    const c = await post(`/applications/${a.id}/contacts/${ct.id}`, { version: '1', name: 'Samantha', role: '' });
    assert.equal(c.status, 409);
    const ch = await c.text();
    assert.match(ch, /While you were editing, this contact changed/);
    assert.match(ch, /value="Samantha"/);
    const stored = (await u.call('GET', `/api/v1/contacts/${ct.id}`)).body;
    assert.deepEqual([stored.name, stored.role], ['Sam', 'Recruiter']);

    // with the current version, the same forms save
    assert.equal((await post(`/applications/${a.id}/contacts/${ct.id}`, { version: '2', name: 'Samantha', role: 'Recruiter' })).status, 303);
    assert.equal((await u.call('GET', `/api/v1/contacts/${ct.id}`)).body.name, 'Samantha');
  });
});
