// Passwords on the common-password list (John the Ripper's password.lst,
// built into the binary) are refused wherever a password is chosen: sign-up
// (API and page), password change (API and settings page) and the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, api, Client, runCli } from '../lib/server.mjs';

const MESSAGE = 'This password is on lists of common passwords that attackers try first; choose another.';
// From the list, in the case it is listed in and in another: lookups ignore ASCII case.
const COMMON = ['password1', 'BaseBall', 'iloveyou'];

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('API sign-up refuses a common password and creates nothing', async () => {
  const anon = api(srv.url);
  for (const password of COMMON) {
    const r = await anon('POST', '/api/v1/auth/signup', { email: 'common@example.com', password });
    assert.equal(r.status, 422, `${password}: ${r.text}`);
    assert.equal(r.body.error.field, 'password');
    assert.equal(r.body.error.fields.password, MESSAGE);
  }
  assert.equal((await anon('POST', '/api/v1/auth/token', { email: 'common@example.com', password: 'password1' })).status, 401);
  // The tests' standard password is not on the list.
  assert.equal((await anon('POST', '/api/v1/auth/signup', { email: 'common@example.com', password: 'correct horse battery' })).status, 201);
});

test('the sign-up page shows the message', async () => {
  const c = new Client(srv.url);
  const r = await c.form('/signup', { email: 'page-common@example.com', password: 'password1' }, { csrfFrom: '/signup' });
  assert.equal(r.status, 422);
  assert.ok((await r.text()).includes(MESSAGE));
  assert.ok(!c.cookies.has('jt_session'));
});

test('API password change refuses a common password and keeps the old one', async () => {
  const u = await newUser(srv.url);
  const r = await u.call('POST', '/api/v1/me/password', { current_password: u.password, new_password: 'password1' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.fields.new_password, MESSAGE);
  assert.equal((await api(srv.url)('POST', '/api/v1/auth/token', { email: u.email, password: u.password })).status, 200);
});

test('the settings page refuses a common password', async () => {
  const u = await newUser(srv.url);
  const c = new Client(srv.url);
  await c.form('/login', { email: u.email, password: u.password });
  const r = await c.form('/settings/password', { current_password: u.password, new_password: 'iloveyou' }, { csrfFrom: '/settings' });
  assert.equal(r.status, 422);
  assert.ok((await r.text()).includes(MESSAGE));
  assert.equal((await api(srv.url)('POST', '/api/v1/auth/token', { email: u.email, password: u.password })).status, 200);
});

test('jobtrack user add and set-password refuse a common password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-common-'));
  try {
    const add = runCli(['user', 'add', 'cli@example.com', '--data-dir', dir], { input: 'password1\n' });
    assert.equal(add.status, 1, add.stdout + add.stderr);
    assert.ok(add.stderr.includes(MESSAGE), add.stderr);
    const ok = runCli(['user', 'add', 'cli@example.com', '--data-dir', dir], { input: 'correct horse battery\n' });
    assert.equal(ok.status, 0, ok.stderr);
    const set = runCli(['user', 'set-password', 'cli@example.com', '--data-dir', dir], { input: 'PASSWORD1\n' });
    assert.equal(set.status, 1, set.stdout + set.stderr);
    assert.ok(set.stderr.includes(MESSAGE), set.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
