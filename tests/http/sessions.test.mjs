// Browser sessions are listed and revocable, by the user and no one else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client } from '../lib/server.mjs';

let srv, user;
before(async () => {
  srv = await startServer();
  user = await newUser(srv.url, 'sess@example.com');
});
after(async () => {
  const st = await srv.stop();
  assert.equal(st.code, 0);
});

async function browser(ua) {
  const c = new Client(srv.url);
  await c.form('/login', { email: user.email, password: user.password }, { headers: { 'user-agent': ua } });
  const r = await c.fetch('/board', { headers: { 'user-agent': ua } });
  assert.equal(r.status, 200, 'logged in');
  return c;
}

test('each log-in is one session; the API lists them and marks none current for a bearer caller', async () => {
  await browser('Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0');
  await browser('Mozilla/5.0 (iPhone) Safari/605.1');
  const r = await user.call('GET', '/api/v1/sessions');
  assert.equal(r.status, 200);
  assert.equal(r.body.items.length, 2);
  assert.ok(r.body.items.every((s) => s.current === false));
  assert.ok(r.body.items.every((s) => s.address === '127.0.0.1'));
});

test('settings lists the browsers and "Sign out all other browsers" ends every other session', async () => {
  const keep = await browser('Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0');
  const other = await browser('Mozilla/5.0 (Windows NT 10.0) Firefox/131.0');
  const page = await (await keep.fetch('/settings')).text();
  assert.match(page, /Chrome on Linux/);
  assert.match(page, /Firefox on Windows/);
  assert.match(page, /This browser/);
  const csrf = await keep.csrf('/settings');
  const r = await keep.fetch('/settings/sessions/revoke-others', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  assert.equal(r.status, 303);
  assert.equal((await other.fetch('/board')).status, 303, 'the other browser is sent to log in');
  assert.equal((await keep.fetch('/board')).status, 200, 'this browser stays signed in');
  const left = await user.call('GET', '/api/v1/sessions');
  assert.equal(left.body.items.length, 1);
});

test('one session can be signed out by id, by its owner only', async () => {
  const victim = await browser('Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0');
  const list = await user.call('GET', '/api/v1/sessions');
  const newest = list.body.items[0];
  const stranger = await newUser(srv.url, 'stranger@example.com');
  assert.equal((await stranger.call('DELETE', `/api/v1/sessions/${newest.id}`)).status, 404);
  assert.equal((await victim.fetch('/board')).status, 200, 'a stranger cannot end it');
  assert.equal((await user.call('DELETE', `/api/v1/sessions/${newest.id}`)).status, 204);
  assert.equal((await victim.fetch('/board')).status, 303, 'ended');
});
