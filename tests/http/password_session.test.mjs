// Changing the password gives the browser a new session id: the old cookie
// (which someone else may hold) stops working, the new one works. On the
// settings page and on the API called with the session cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

async function signedIn() {
  const u = await newUser(srv.url);
  const c = new Client(srv.url);
  await c.form('/login', { email: u.email, password: u.password });
  assert.ok(c.cookies.has('jt_session'));
  return { u, c };
}

/** Whether a bare session cookie is signed in (GET /board answers 200, not a redirect). */
async function cookieWorks(value) {
  const r = await fetch(`${srv.url}/board`, { redirect: 'manual', headers: { cookie: `jt_session=${value}` } });
  return r.status === 200;
}

test('the settings page issues a new session cookie and the old one dies', async () => {
  const { c } = await signedIn();
  const old = c.cookies.get('jt_session');
  const r = await c.form('/settings/password', { current_password: 'correct horse battery', new_password: 'a brand new passphrase' }, { csrfFrom: '/settings' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/settings');
  const fresh = c.cookies.get('jt_session');
  assert.ok(fresh && fresh !== old, 'a new session id');
  assert.equal(await cookieWorks(old), false, 'the old cookie is signed out');
  assert.equal(await cookieWorks(fresh), true, 'the new cookie is signed in');
  // The page after the change shows the flash and works with the new cookie's CSRF token.
  assert.equal((await c.fetch('/settings')).status, 200);
  const tok = await c.form('/settings/tokens', { name: 'after change' }, { csrfFrom: '/settings' });
  assert.equal(tok.status, 201);
});

test('the API called with the session cookie issues a new cookie and CSRF token', async () => {
  const { c } = await signedIn();
  const old = c.cookies.get('jt_session');
  const csrf = await c.csrf('/settings');
  const r = await c.fetch('/api/v1/me/password', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify({ current_password: 'correct horse battery', new_password: 'a brand new passphrase' }),
  });
  assert.equal(r.status, 204, await r.text());
  const fresh = c.cookies.get('jt_session');
  assert.ok(fresh && fresh !== old, 'a new session id');
  assert.equal(await cookieWorks(old), false);
  assert.equal(await cookieWorks(fresh), true);
  const newCsrf = r.headers.get('x-csrf-token');
  assert.ok(newCsrf && newCsrf !== csrf);
  const write = await c.fetch('/api/v1/applications', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': newCsrf },
    body: JSON.stringify({ company: 'After', position: 'Change' }),
  });
  assert.equal(write.status, 201, 'the new CSRF token is the one that works');
});

test('a failed change keeps the session as it was', async () => {
  const { c } = await signedIn();
  const old = c.cookies.get('jt_session');
  const r = await c.form('/settings/password', { current_password: 'not the password', new_password: 'a brand new passphrase' }, { csrfFrom: '/settings' });
  assert.equal(r.status, 422);
  assert.equal(c.cookies.get('jt_session'), old);
  assert.equal(await cookieWorks(old), true);
});
