// An application's timeline (/events) and contacts (/contacts, and links
// between contacts and applications).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser } from '../lib/server.mjs';

let srv, u;
before(async () => {
  srv = await startServer();
  u = await newUser(srv.url);
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

async function newApp(company = 'Acme') {
  const r = await u.call('POST', '/api/v1/applications', { company, position: 'Engineer' });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
async function events(appId) {
  const r = await u.call('GET', `/api/v1/applications/${appId}/events`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}
async function contacts(path = '/api/v1/contacts') {
  const r = await u.call('GET', path);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}
function assertInvalid(r, field) {
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'invalid');
  assert.equal(r.body.error.field, field, r.text);
}

describe('events', () => {
  test('a note is added with its shape and listed newest first', async () => {
    const app = await newApp();
    const r = await u.call('POST', `/api/v1/applications/${app.id}/events`, { kind: 'note', title: '  Call  ', body: 'Spoke to HR\nall good' });
    assert.equal(r.status, 201, r.text);
    const ev = r.body;
    assert.deepEqual(Object.keys(ev), ['id', 'application_id', 'kind', 'at', 'from_status', 'to_status', 'title',
      'body', 'interview_kind', 'with_whom', 'created_at', 'version']);
    assert.deepEqual({ ...ev, id: 0, at: 0, created_at: 0 }, {
      id: 0, application_id: app.id, kind: 'note', at: 0, from_status: null, to_status: null, title: 'Call',
      body: 'Spoke to HR\nall good', interview_kind: '', with_whom: '', created_at: 0, version: 1,
    });
    assert.ok(Math.abs(Date.parse(ev.at) - Date.now()) < 60000, 'at defaults to now');
    const past = await u.call('POST', `/api/v1/applications/${app.id}/events`, { kind: 'follow_up', at: '2020-01-01', title: 'old' });
    const future = await u.call('POST', `/api/v1/applications/${app.id}/events`, {
      kind: 'interview', at: '2030-06-01T14:30:00+02:00', interview_kind: 'onsite', with_whom: 'CTO',
    });
    assert.equal(past.body.at, '2020-01-01T00:00:00Z');
    assert.equal(future.body.at, '2030-06-01T12:30:00Z', 'offsets are converted to UTC');
    assert.equal(future.body.interview_kind, 'onsite');
    const items = await events(app.id);
    assert.deepEqual(items.map((e) => e.id), [future.body.id, ev.id, items[2].id, past.body.id]);
    assert.equal(items[2].kind, 'created');
    assert.deepEqual(items.find((e) => e.id === ev.id), ev);
  });

  test('invalid events are refused and not stored', async () => {
    const app = await newApp();
    const base = `/api/v1/applications/${app.id}/events`;
    const cases = [
      [{ body: 'no kind' }, 'kind'],
      [{ kind: 'status_change', body: 'x' }, 'kind'],
      [{ kind: 'created', body: 'x' }, 'kind'],
      [{ kind: 'NOTE', body: 'x' }, 'kind'],
      [{ kind: 'note' }, 'body'],
      [{ kind: 'note', title: '  ', body: '' }, 'body'],
      [{ kind: 'interview', title: 'when?' }, 'at'],
      [{ kind: 'note', body: 'x', at: 'tomorrow' }, 'at'],
      [{ kind: 'note', body: 'x', at: '2026-13-01T10:00' }, 'at'],
      [{ kind: 'note', title: 't'.repeat(201) }, 'title'],
      [{ kind: 'interview', at: '2030-01-01T10:00', interview_kind: 'k'.repeat(61) }, 'interview_kind'],
      [{ kind: 'note', body: 'x', title: 5 }, 'title'],
      [{ kind: 'note', body: 'x', from_status: 'saved' }, 'from_status'],
      [{ kind: 'note', body: 'x', application_id: 1 }, 'application_id'],
    ];
    for (const [body, field] of cases) assertInvalid(await u.call('POST', base, body), field);
    assert.equal((await events(app.id)).length, 1, 'only the created event');
  });

  test('deleting an event: 204, then gone; the wrong application or a second delete is 404', async () => {
    const app = await newApp();
    const other = await newApp('Other');
    const ev = (await u.call('POST', `/api/v1/applications/${app.id}/events`, { kind: 'note', body: 'bye' })).body;
    const wrong = await u.call('DELETE', `/api/v1/applications/${other.id}/events/${ev.id}`);
    assert.equal(wrong.status, 404);
    assert.ok((await events(app.id)).some((e) => e.id === ev.id), 'still there after the wrong-app delete');
    const d = await u.call('DELETE', `/api/v1/applications/${app.id}/events/${ev.id}`);
    assert.equal(d.status, 204);
    assert.equal(d.text, '');
    assert.ok(!(await events(app.id)).some((e) => e.id === ev.id));
    assert.equal((await u.call('DELETE', `/api/v1/applications/${app.id}/events/${ev.id}`)).status, 404);
  });

  test('status changes are recorded as status_change events, in order', async () => {
    const app = await newApp();
    for (const status of ['applied', 'screening', 'rejected']) {
      const r = await u.call('PATCH', `/api/v1/applications/${app.id}`, { status });
      assert.equal(r.status, 200);
    }
    await u.call('PATCH', `/api/v1/applications/${app.id}`, { notes: 'no status change here' });
    const changes = (await events(app.id)).filter((e) => e.kind === 'status_change');
    // same-second events come newest (highest id) first
    assert.deepEqual(changes.map((e) => [e.from_status, e.to_status]),
      [['screening', 'rejected'], ['applied', 'screening'], ['saved', 'applied']]);
    for (const e of changes) {
      assert.equal(e.application_id, app.id);
      assert.equal(e.title, '');
    }
  });
});

describe('contacts', () => {
  test('create, get, list by name, patch some members, delete', async () => {
    const r = await u.call('POST', '/api/v1/contacts', { name: '  zoe Zed ', role: 'Recruiter', email: 'zoe@example.com', phone: '+1 555', url: 'https://example.com/zoe', notes: 'line\nline' });
    assert.equal(r.status, 201, r.text);
    const zoe = r.body;
    assert.deepEqual(Object.keys(zoe), ['id', 'name', 'role', 'email', 'phone', 'url', 'notes', 'created_at', 'updated_at', 'version']);
    assert.deepEqual({ ...zoe, id: 0, created_at: 0, updated_at: 0 }, {
      id: 0, name: 'zoe Zed', role: 'Recruiter', email: 'zoe@example.com', phone: '+1 555', url: 'https://example.com/zoe', notes: 'line\nline', created_at: 0, updated_at: 0, version: 1,
    });
    const amy = (await u.call('POST', '/api/v1/contacts', { name: 'Amy' })).body;
    assert.deepEqual({ role: amy.role, email: amy.email, notes: amy.notes }, { role: '', email: '', notes: '' });
    const bob = (await u.call('POST', '/api/v1/contacts', { name: 'bob' })).body;
    const ids = (await contacts()).map((c) => c.id);
    assert.deepEqual(ids.filter((id) => [zoe.id, amy.id, bob.id].includes(id)), [amy.id, bob.id, zoe.id], 'case-insensitive by name');
    assert.deepEqual((await u.call('GET', `/api/v1/contacts/${zoe.id}`)).body, zoe);

    const p = await u.call('PATCH', `/api/v1/contacts/${zoe.id}`, { role: 'Hiring manager', phone: null });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual({ ...p.body, updated_at: 0 }, { ...zoe, role: 'Hiring manager', phone: '', updated_at: 0, version: 2 });
    assert.deepEqual((await u.call('GET', `/api/v1/contacts/${zoe.id}`)).body, p.body);

    const d = await u.call('DELETE', `/api/v1/contacts/${bob.id}`);
    assert.equal(d.status, 204);
    for (const m of ['GET', 'DELETE']) assert.equal((await u.call(m, `/api/v1/contacts/${bob.id}`)).status, 404);
    assert.equal((await u.call('PATCH', `/api/v1/contacts/${bob.id}`, { role: 'x' })).status, 404);
    assert.ok(!(await contacts()).some((c) => c.id === bob.id));
  });

  test('invalid contacts are refused; an invalid patch changes nothing', async () => {
    const before = (await contacts()).length;
    for (const [body, field] of [
      [{ role: 'no name' }, 'name'], [{ name: '   ' }, 'name'], [{ name: null }, 'name'],
      [{ name: 'X', email: 'not-an-email' }, 'email'], [{ name: 'X', url: 'javascript:alert(1)' }, 'url'],
      [{ name: 'X', phone: 'p'.repeat(51) }, 'phone'], [{ name: 'n'.repeat(201) }, 'name'],
      [{ name: 'X', company: 'Acme' }, 'company'], [{ name: 'X', role: 3 }, 'role'],
    ]) assertInvalid(await u.call('POST', '/api/v1/contacts', body), field);
    assert.equal((await contacts()).length, before);
    const c = (await u.call('POST', '/api/v1/contacts', { name: 'Stable', email: 'stable@example.com' })).body;
    assertInvalid(await u.call('PATCH', `/api/v1/contacts/${c.id}`, { name: '', role: 'changed' }), 'name');
    assertInvalid(await u.call('PATCH', `/api/v1/contacts/${c.id}`, { email: 'broken', role: 'changed' }), 'email');
    assertInvalid(await u.call('PATCH', `/api/v1/contacts/${c.id}`, { id: 5 }), 'id');
    assert.deepEqual((await u.call('GET', `/api/v1/contacts/${c.id}`)).body, c);
  });

  test('creating a contact on an application links it', async () => {
    const app = await newApp();
    const r = await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { name: 'Linked Lee', role: 'CTO' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.name, 'Linked Lee');
    assert.deepEqual(await contacts(`/api/v1/applications/${app.id}/contacts`), [r.body]);
    assert.ok((await contacts()).some((c) => c.id === r.body.id), 'also in the address book');
    const before = (await contacts()).length;
    assertInvalid(await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { role: 'nameless' }), 'name');
    assert.equal((await contacts()).length, before);
    assert.equal((await contacts(`/api/v1/applications/${app.id}/contacts`)).length, 1);
  });

  test('linking an existing contact with {contact_id}, twice, then unlinking', async () => {
    const app = await newApp();
    const c = (await u.call('POST', '/api/v1/contacts', { name: 'Existing Eve' })).body;
    const l = await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { contact_id: c.id });
    assert.equal(l.status, 201, l.text);
    assert.deepEqual(l.body, c);
    const again = await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { contact_id: c.id });
    assert.equal(again.status, 201);
    assert.deepEqual(await contacts(`/api/v1/applications/${app.id}/contacts`), [c], 'linked once');

    const un = await u.call('DELETE', `/api/v1/applications/${app.id}/contacts/${c.id}`);
    assert.equal(un.status, 204);
    assert.deepEqual(await contacts(`/api/v1/applications/${app.id}/contacts`), []);
    assert.deepEqual((await u.call('GET', `/api/v1/contacts/${c.id}`)).body, c, 'unlinking keeps the contact');
    assert.equal((await u.call('DELETE', `/api/v1/applications/${app.id}/contacts/${c.id}`)).status, 404);
  });

  test('bad links: 400 for a malformed contact_id, 404 for an unknown one; nothing linked', async () => {
    const app = await newApp();
    const c = (await u.call('POST', '/api/v1/contacts', { name: 'Careful Cat' })).body;
    const before = (await contacts()).length;
    for (const body of [{ contact_id: String(c.id) }, { contact_id: 0 }, { contact_id: -1 }, { contact_id: null },
      { contact_id: 1.5 }, { contact_id: c.id, name: 'also a name' }]) {
      const r = await u.call('POST', `/api/v1/applications/${app.id}/contacts`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.body.error.code, 'invalid');
      assert.equal(r.body.error.field, 'contact_id');
    }
    const missing = await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { contact_id: 987654321 });
    assert.equal(missing.status, 404);
    const noApp = await u.call('POST', '/api/v1/applications/987654321/contacts', { contact_id: c.id });
    assert.equal(noApp.status, 404);
    assert.deepEqual(await contacts(`/api/v1/applications/${app.id}/contacts`), []);
    assert.equal((await contacts()).length, before);
  });

  test('deleting a contact unlinks it; deleting an application keeps its contacts', async () => {
    const app = await newApp();
    const keep = (await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { name: 'Keeper' })).body;
    const gone = (await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { name: 'Goner' })).body;
    assert.equal((await u.call('DELETE', `/api/v1/contacts/${gone.id}`)).status, 204);
    assert.deepEqual((await contacts(`/api/v1/applications/${app.id}/contacts`)).map((c) => c.id), [keep.id]);
    assert.equal((await u.call('DELETE', `/api/v1/applications/${app.id}`)).status, 204);
    assert.deepEqual((await u.call('GET', `/api/v1/contacts/${keep.id}`)).body, keep);
  });

  test('one contact can be linked to several applications', async () => {
    const a1 = await newApp('One');
    const a2 = await newApp('Two');
    const c = (await u.call('POST', `/api/v1/applications/${a1.id}/contacts`, { name: 'Shared Sam' })).body;
    assert.equal((await u.call('POST', `/api/v1/applications/${a2.id}/contacts`, { contact_id: c.id })).status, 201);
    assert.deepEqual((await contacts(`/api/v1/applications/${a1.id}/contacts`)).map((x) => x.id), [c.id]);
    assert.deepEqual((await contacts(`/api/v1/applications/${a2.id}/contacts`)).map((x) => x.id), [c.id]);
    assert.equal((await u.call('DELETE', `/api/v1/applications/${a1.id}/contacts/${c.id}`)).status, 204);
    assert.deepEqual((await contacts(`/api/v1/applications/${a2.id}/contacts`)).map((x) => x.id), [c.id]);
  });
});
