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
// From the list, in the case it is listed in and in another: lookups ignore ASCII case; and
// dictionary words with digits appended that are not on it (cracklib's FascistCheck finds them).
const COMMON = ['password1', 'BaseBall', 'iloveyou', 'password123', 'letmein123'];
const PASSPHRASE = 'drowsy lantern orbit maple';

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
  // The tests' standard password is not on the list, nor is a passphrase of unrelated words.
  assert.equal((await anon('POST', '/api/v1/auth/signup', { email: 'common@example.com', password: 'correct horse battery' })).status, 201);
  assert.equal((await anon('POST', '/api/v1/auth/signup', { email: 'phrase@example.com', password: PASSPHRASE })).status, 201);
});

test('the sign-up page shows the message', async () => {
  const c = new Client(srv.url);
  for (const password of ['password1', 'letmein123']) {
    const r = await c.form('/signup', { email: 'page-common@example.com', password }, { csrfFrom: '/signup' });
    assert.equal(r.status, 422);
    assert.ok((await r.text()).includes(MESSAGE));
  }
  assert.ok(!c.cookies.has('jt_session'));
});

test('API password change refuses a common password and keeps the old one', async () => {
  const u = await newUser(srv.url);
  for (const new_password of ['password1', 'password123']) {
    const r = await u.call('POST', '/api/v1/me/password', { current_password: u.password, new_password });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.fields.new_password, MESSAGE);
  }
  assert.equal((await api(srv.url)('POST', '/api/v1/auth/token', { email: u.email, password: u.password })).status, 200);
});

test('the settings page refuses a common password', async () => {
  const u = await newUser(srv.url);
  const c = new Client(srv.url);
  await c.form('/login', { email: u.email, password: u.password });
  for (const new_password of ['iloveyou', 'letmein123']) {
    const r = await c.form('/settings/password', { current_password: u.password, new_password }, { csrfFrom: '/settings' });
    assert.equal(r.status, 422);
    assert.ok((await r.text()).includes(MESSAGE));
  }
  assert.equal((await api(srv.url)('POST', '/api/v1/auth/token', { email: u.email, password: u.password })).status, 200);
  const ok = await c.form('/settings/password', { current_password: u.password, new_password: PASSPHRASE }, { csrfFrom: '/settings' });
  assert.equal(ok.status, 303);
});

test('jobtrack user add and set-password refuse a common password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-common-'));
  try {
    const add = runCli(['user', 'add', 'cli@example.com', '--data-dir', dir], { input: 'password1\n' });
    assert.equal(add.status, 1, add.stdout + add.stderr);
    assert.ok(add.stderr.includes(MESSAGE), add.stderr);
    const ok = runCli(['user', 'add', 'cli@example.com', '--data-dir', dir], { input: 'correct horse battery\n' });
    assert.equal(ok.status, 0, ok.stderr);
    for (const pw of ['PASSWORD1', 'password123', 'letmein123']) {
      const set = runCli(['user', 'set-password', 'cli@example.com', '--data-dir', dir], { input: `${pw}\n` });
      assert.equal(set.status, 1, set.stdout + set.stderr);
      assert.ok(set.stderr.includes(MESSAGE), set.stderr);
    }
    const reset = runCli(['user', 'set-password', 'cli@example.com', '--data-dir', dir], { input: `${PASSPHRASE}\n` });
    assert.equal(reset.status, 0, reset.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
