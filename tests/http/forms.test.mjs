// What a person sees after a mistake or an odd visit: typed values kept,
// helpful pages instead of raw errors, follow-ups that stay in step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client } from '../lib/server.mjs';

let srv, user, browser;
before(async () => {
  srv = await startServer();
  user = await newUser(srv.url, 'forms@example.com');
  browser = new Client(srv.url);
  const r = await browser.form('/login', { email: user.email, password: user.password });
  assert.equal(r.status, 303);
});
after(async () => {
  assert.equal((await srv.stop()).code, 0);
});

async function post(path, fields) {
  return browser.form(path, fields, { csrfFrom: '/board' });
}

test('a rejected application form shows what was typed, not the stored value', async () => {
  const created = await user.call('POST', '/api/v1/applications', { company: 'Stripe', position: 'Dev', url: 'https://stripe.com/jobs/1', salary_currency: 'EUR' });
  const r = await post(`/applications/${created.body.id}`, {
    company: 'Stripe', position: 'Dev', url: 'stripe dot com/jobs', salary_currency: 'gb', status: 'saved', priority: '0',
  });
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.match(html, /value="stripe dot com\/jobs"/);
  assert.match(html, /value="gb"/);
  // (the stored value stays only in the hidden base_url the next save is judged against)
  assert.doesNotMatch(html, /name="url" type="url" value="https:\/\/stripe\.com\/jobs\/1"/);
  assert.match(html, /name="base_url" value="https:\/\/stripe\.com\/jobs\/1"/);
  const stored = await user.call('GET', `/api/v1/applications/${created.body.id}`);
  assert.equal(stored.body.url, 'https://stripe.com/jobs/1', 'nothing was stored');

  const fresh = await post('/applications', { company: 'New Co', position: 'Dev', url: 'not a url', status: 'saved', priority: '0' });
  assert.equal(fresh.status, 422);
  assert.match(await fresh.text(), /value="not a url"/);
});

test('an empty timeline entry comes back with its error, not silently', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Timeline Co', position: 'Dev' });
  const r = await post(`/applications/${app.body.id}/events`, { kind: 'note', title: '', body: '' });
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.match(html, /Write something in the note/);
  const bad = await post(`/applications/${app.body.id}/events`, { kind: 'interview', title: 'Onsite', at: 'next tuesday' });
  assert.equal(bad.status, 422);
  const html2 = await bad.text();
  assert.match(html2, /Enter a date and time/);
  assert.match(html2, /Onsite/, 'the typed title is kept');
  const events = await user.call('GET', `/api/v1/applications/${app.body.id}/events`);
  assert.deepEqual(events.body.items.map((e) => e.kind), ['created']);
});

test('revisiting a form-only address in the browser gets a page that says where to go', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Reload Co', position: 'Dev' });
  for (const path of [`/applications/${app.body.id}/events`, '/settings/password', '/settings/tokens', '/logout']) {
    const r = await browser.fetch(path, { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(r.status, 405, path);
    assert.match(r.headers.get('content-type'), /text\/html/, path);
    assert.match(await r.text(), /only receives form submissions/, path);
  }
  // scripts still get the JSON error
  const api = await fetch(srv.url + '/settings/tokens');
  assert.equal(api.status, 405);
  assert.equal((await api.json()).error.code, 'method_not_allowed');
});

test('a typed address that has a page elsewhere redirects there (GET /scans, /import, /export, /backup)', async () => {
  for (const [path, to] of [['/scans', '/resumes'], ['/import', '/settings#csv'], ['/export', '/settings#csv'],
    ['/backup', '/settings#backup']]) {
    const r = await browser.fetch(path, { headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), to, path);
    const page = await browser.fetch(to.replace(/#.*/, ''), { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200, to);
    if (to.includes('#')) assert.match(await page.text(), new RegExp(`id="${to.split('#')[1]}"`), to);
  }
});

test('a follow-up entry sets the next follow-up date; one logged in the past settles it', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Follow Co', position: 'Dev', follow_up_on: '2026-01-10' });
  const future = new Date(Date.now() + 5 * 86400e3).toISOString().slice(0, 10);
  const r = await user.call('POST', `/api/v1/applications/${app.body.id}/events`, { kind: 'follow_up', at: `${future}T09:00`, title: 'Ping the recruiter' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await user.call('GET', `/api/v1/applications/${app.body.id}`)).body.follow_up_on, future);
  const past = new Date(Date.now() + 6 * 86400e3 - 30 * 86400e3).toISOString().slice(0, 10);
  await user.call('PATCH', `/api/v1/applications/${app.body.id}`, { follow_up_on: past });
  const done = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
  await user.call('POST', `/api/v1/applications/${app.body.id}/events`, { kind: 'follow_up', at: `${done}T09:00`, title: 'Followed up by mail' });
  assert.equal((await user.call('GET', `/api/v1/applications/${app.body.id}`)).body.follow_up_on, null);
});

test('a page number past the end goes to the last page', async () => {
  const r = await browser.fetch('/applications?page=999&sort=company');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /page=1\b/);
});

test('moving to the status an application already has changes nothing and claims nothing', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Still Co', position: 'Dev', status: 'applied' });
  const before = await user.call('GET', `/api/v1/applications/${app.body.id}/events`);
  const r = await post(`/applications/${app.body.id}/status`, { status: 'applied', return_to: '/board' });
  assert.equal(r.status, 303);
  assert.ok(!browser.cookies.has('jt_flash'), 'no "Status updated" toast');
  const after = await user.call('GET', `/api/v1/applications/${app.body.id}/events`);
  assert.equal(after.body.items.length, before.body.items.length);
});

test('tags are one tag whatever their case, and filter that way', async () => {
  const r = await user.call('POST', '/api/v1/applications', { company: 'Case Co', position: 'Dev', tags: ['Remote', 'remote', 'Backend'] });
  assert.deepEqual(r.body.tags, ['Remote', 'Backend']);
  const found = await user.call('GET', '/api/v1/applications?tag=REMOTE');
  assert.deepEqual(found.body.items.map((a) => a.company), ['Case Co']);
});

test('a timeline entry without a title does not borrow the page title', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Untitled Co', position: 'Widget Maker' });
  await user.call('POST', `/api/v1/applications/${app.body.id}/events`, { kind: 'note', body: 'just a body' });
  const html = await (await browser.fetch(`/applications/${app.body.id}`)).text();
  const timeline = html.slice(html.indexOf('id="timeline"'), html.indexOf('id="contacts"'));
  assert.match(timeline, /just a body/);
  assert.doesNotMatch(timeline, /Widget Maker at Untitled Co/);
});

test('a contact you already have can be linked from the application page, and only yours', async () => {
  const first = await user.call('POST', '/api/v1/applications', { company: 'Has Contact', position: 'Dev' });
  const second = await user.call('POST', '/api/v1/applications', { company: 'Needs Contact', position: 'Dev' });
  const ct = await user.call('POST', `/api/v1/applications/${first.body.id}/contacts`, { name: 'Rita Recruiter', role: 'Recruiter' });
  const page = await (await browser.fetch(`/applications/${second.body.id}`)).text();
  assert.match(page, /Link a contact you already have/);
  assert.match(page, new RegExp(`<option value="${ct.body.id}">Rita Recruiter — Recruiter</option>`));
  const r = await post(`/applications/${second.body.id}/contacts/link`, { contact_id: String(ct.body.id) });
  assert.equal(r.status, 303);
  const linked = await user.call('GET', `/api/v1/applications/${second.body.id}/contacts`);
  assert.deepEqual(linked.body.items.map((c) => c.name), ['Rita Recruiter']);
  // someone else's contact id is refused and links nothing
  const other = await newUser(srv.url);
  const theirs = await other.call('POST', '/api/v1/contacts', { name: 'Not Yours' });
  const bad = await post(`/applications/${second.body.id}/contacts/link`, { contact_id: String(theirs.body.id) });
  assert.equal(bad.status, 404);
  assert.equal((await user.call('GET', `/api/v1/applications/${second.body.id}/contacts`)).body.items.length, 1);
});

test('a timeline entry can be edited (rescheduled interview) on the page and over the API; history cannot', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Resched Co', position: 'Dev', status: 'applied' });
  const iv = await user.call('POST', `/api/v1/applications/${app.body.id}/events`, { kind: 'interview', at: '2026-12-10T09:00', title: 'Screen' });
  assert.equal(iv.status, 201);
  // the page's edit form
  const page = await (await browser.fetch(`/applications/${app.body.id}`)).text();
  assert.match(page, new RegExp(`action="/applications/${app.body.id}/events/${iv.body.id}"`));
  assert.match(page, /value="2026-12-10T09:00" data-local-input data-utc/);
  const bad = await post(`/applications/${app.body.id}/events/${iv.body.id}`, { kind: 'interview', at: 'soon', title: 'Screen moved' });
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assert.match(badHtml, /Enter a date and time/);
  assert.match(badHtml, /value="Screen moved"/, 'the typed title comes back in that entry\'s form');
  const ok = await post(`/applications/${app.body.id}/events/${iv.body.id}`, { kind: 'interview', at: '2026-12-11T16:30+01:00', title: 'Screen moved', with_whom: 'Ana' });
  assert.equal(ok.status, 303);
  let got = (await user.call('GET', `/api/v1/applications/${app.body.id}/events`)).body.items.find((e) => e.id === iv.body.id);
  assert.equal(got.at, '2026-12-11T15:30:00Z');
  assert.equal(got.title, 'Screen moved');
  assert.equal(got.with_whom, 'Ana');
  // the API: only what is sent changes
  const patched = await user.call('PATCH', `/api/v1/applications/${app.body.id}/events/${iv.body.id}`, { body: 'Bring the portfolio' });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.title, 'Screen moved');
  assert.equal(patched.body.at, '2026-12-11T15:30:00Z');
  assert.equal(patched.body.body, 'Bring the portfolio');
  assert.equal((await user.call('PATCH', `/api/v1/applications/${app.body.id}/events/${iv.body.id}`, { nope: 1 })).status, 422);
  // history: the created entry and status changes
  const events = (await user.call('GET', `/api/v1/applications/${app.body.id}/events`)).body.items;
  const created = events.find((e) => e.kind === 'created');
  const p409 = await user.call('PATCH', `/api/v1/applications/${app.body.id}/events/${created.id}`, { title: 'rewrite history' });
  assert.equal(p409.status, 409);
  assert.equal(p409.body.error.code, 'not_editable');
  assert.equal((await user.call('DELETE', `/api/v1/applications/${app.body.id}/events/${created.id}`)).status, 409);
  assert.ok((await user.call('GET', `/api/v1/applications/${app.body.id}/events`)).body.items.some((e) => e.id === created.id));
  // someone else cannot edit it
  const other = await newUser(srv.url);
  assert.equal((await other.call('PATCH', `/api/v1/applications/${app.body.id}/events/${iv.body.id}`, { title: 'x' })).status, 404);
  got = (await user.call('GET', `/api/v1/applications/${app.body.id}/events`)).body.items.find((e) => e.id === iv.body.id);
  assert.equal(got.title, 'Screen moved');
});

test('a contact can be edited on the application page; a bad email comes back beside its field', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Contact Edit Co', position: 'Dev' });
  const ct = await user.call('POST', `/api/v1/applications/${app.body.id}/contacts`, { name: 'Sam', role: 'Recruiter' });
  const page = await (await browser.fetch(`/applications/${app.body.id}`)).text();
  assert.match(page, new RegExp(`action="/applications/${app.body.id}/contacts/${ct.body.id}"`));
  const bad = await post(`/applications/${app.body.id}/contacts/${ct.body.id}`, { name: 'Sam Smith', role: 'Recruiter', email: 'not-an-email' });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  assert.match(html, new RegExp(`id="c${ct.body.id}-email-err"`));
  assert.match(html, /value="Sam Smith"/);
  const ok = await post(`/applications/${app.body.id}/contacts/${ct.body.id}`, { name: 'Sam Smith', role: 'Lead recruiter', email: 'sam@example.com', phone: '', url: '', notes: 'Prefers mail' });
  assert.equal(ok.status, 303);
  const got = await user.call('GET', `/api/v1/contacts/${ct.body.id}`);
  assert.equal(got.body.name, 'Sam Smith');
  assert.equal(got.body.email, 'sam@example.com');
  assert.equal(got.body.notes, 'Prefers mail');
  // not through another user's application, nor another user's contact
  const other = await newUser(srv.url);
  const theirs = await other.call('POST', '/api/v1/contacts', { name: 'Theirs' });
  assert.equal((await post(`/applications/${app.body.id}/contacts/${theirs.body.id}`, { name: 'Mine now' })).status, 404);
  assert.equal((await other.call('GET', `/api/v1/contacts/${theirs.body.id}`)).body.name, 'Theirs');
});

test('a contact is edited through an application it is linked to, not any of yours', async () => {
  const linked = await user.call('POST', '/api/v1/applications', { company: 'Linked Co', position: 'Dev' });
  const unrelated = await user.call('POST', '/api/v1/applications', { company: 'Unrelated Co', position: 'Dev' });
  const ct = await user.call('POST', `/api/v1/applications/${linked.body.id}/contacts`, { name: 'Lee', role: 'Recruiter' });
  // that page has no form for this contact, so a refusal there could never be shown: 404
  const wrong = await post(`/applications/${unrelated.body.id}/contacts/${ct.body.id}`, { name: 'Lee', email: 'bad' });
  assert.equal(wrong.status, 404);
  const silent = await post(`/applications/${unrelated.body.id}/contacts/${ct.body.id}`, { name: 'Renamed' });
  assert.equal(silent.status, 404);
  assert.equal((await user.call('GET', `/api/v1/contacts/${ct.body.id}`)).body.name, 'Lee');
  const ok = await post(`/applications/${linked.body.id}/contacts/${ct.body.id}`, { name: 'Lee Park', role: 'Recruiter' });
  assert.equal(ok.status, 303);
  assert.equal((await user.call('GET', `/api/v1/contacts/${ct.body.id}`)).body.name, 'Lee Park');
});

test('every refusal of a timeline edit is shown beside its field', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Edit Errors Co', position: 'Dev' });
  const iv = await user.call('POST', `/api/v1/applications/${app.body.id}/events`, { kind: 'interview', at: '2026-12-10T09:00', title: 'Screen' });
  const id = iv.body.id;
  const r = await post(`/applications/${app.body.id}/events/${id}`, {
    kind: 'interview', at: '2026-12-10T09:00', title: 'Screen', interview_kind: 'x'.repeat(61), with_whom: 'y'.repeat(201),
  });
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.match(html, new RegExp(`id="ev${id}-ikind-err"`));
  assert.match(html, new RegExp(`id="ev${id}-with-err"`));
  assert.match(html, new RegExp(`id="ev${id}-with"[^>]*aria-invalid="true"`));
  const odd = await post(`/applications/${app.body.id}/events/${id}`, { kind: 'status_change', at: '2026-12-10T09:00', title: 'Screen' });
  assert.equal(odd.status, 422);
  assert.match(await odd.text(), new RegExp(`id="ev${id}-kind-err"`));
});

test('the next follow-up is the earliest one still ahead', async () => {
  const app = await user.call('POST', '/api/v1/applications', { company: 'Earliest Co', position: 'Dev' });
  const add = (n) => user.call('POST', `/api/v1/applications/${app.body.id}/events`, { kind: 'follow_up', at: `${new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10)}T09:00` });
  const next = async () => (await user.call('GET', `/api/v1/applications/${app.body.id}`)).body.follow_up_on;
  const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
  await add(10);
  assert.equal(await next(), day(10));
  await add(20);
  assert.equal(await next(), day(10), 'a later one does not push the earlier aside');
  await add(5);
  assert.equal(await next(), day(5), 'a sooner one comes first');
});

test('a CSV from another tool with its own id column adds rows instead of overwriting yours', async () => {
  const mine = await user.call('POST', '/api/v1/applications', { company: 'Mine Co', position: 'Mine Role' });
  const file = `ID,Company,Title\r\n${mine.body.id},Notion Row Co,Some Role\r\n`;
  const r = await user.call('POST', '/api/v1/applications/import', file, { 'content-type': 'text/csv' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.added, 1);
  assert.equal(r.body.updated, 0);
  assert.equal((await user.call('GET', `/api/v1/applications/${mine.body.id}`)).body.company, 'Mine Co');
  // another tool's names with an id column last: still not ours
  const other = await user.call('POST', '/api/v1/applications/import', `Company Name,Job Title,id\r\nMine Co,Frontend Engineer,${mine.body.id}\r\n`, { 'content-type': 'text/csv' });
  assert.equal(other.body.updated, 0);
  assert.equal((await user.call('GET', `/api/v1/applications/${mine.body.id}`)).body.position, 'Mine Role');
  // our own export's shape with the application's own company is an update
  const upd = await user.call('POST', '/api/v1/applications/import', `company,position,notes,id\r\nmine co,Mine Role,updated,${mine.body.id}\r\n`, { 'content-type': 'text/csv' });
  assert.equal(upd.body.updated, 1);
  assert.equal((await user.call('GET', `/api/v1/applications/${mine.body.id}`)).body.notes, 'updated');
});
