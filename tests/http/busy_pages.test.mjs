// A page that writes while another connection holds SQLite's write lock
// answers 503 with Retry-After (the person only has to try again), not 500,
// and the write happens once the lock is gone. SQLite only: the lock is held
// with the sqlite3 command-line tool on the server's own database file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startServer, newUser, Client, backend } from '../lib/server.mjs';

const skip = backend !== 'sqlite' && 'the write lock is held with the sqlite3 tool';
let srv, admin, browser;
before(async () => {
  if (skip) return;
  srv = await startServer();
  admin = await newUser(srv.url); // the first account is the admin
  browser = new Client(srv.url);
  const r = await browser.form('/login', { email: admin.email, password: admin.password });
  assert.equal(r.status, 303);
});
after(async () => { if (srv) assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

/** Holds BEGIN IMMEDIATE on the database until release() is called. */
async function holdWriteLock() {
  const cli = spawn('sqlite3', [join(srv.dataDir, 'jobtrack.db')], { stdio: ['pipe', 'pipe', 'inherit'] });
  cli.stdin.write('BEGIN IMMEDIATE;\nSELECT \'locked\';\n');
  await new Promise((resolve, reject) => {
    cli.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
    cli.on('error', reject);
  });
  return () => new Promise((resolve) => { cli.on('exit', resolve); cli.stdin.end('ROLLBACK;\n'); });
}

test('settings forms and log-out answer 503 with Retry-After while the store is locked', { skip, timeout: 60000 }, async () => {
  // The CSRF tokens are read before the lock: reading still works under it.
  const token = await browser.csrf('/settings');
  const post = (path, fields = {}) => browser.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
  const release = await holdWriteLock();
  let answers;
  try {
    answers = await Promise.all([
      post('/settings/sessions/revoke-others'),
      post('/settings/tokens', { name: 'locked out' }),
      post('/settings/signup', { signup_open: '1' }),
      post('/logout'),
    ]);
  } finally {
    await release();
  }
  for (const r of answers) {
    assert.equal(r.status, 503, `${r.url}: ${await r.text()}`);
    assert.equal(r.headers.get('retry-after'), '1', r.url);
  }
  // Nothing was half done: the session still works and the retry goes through.
  assert.equal((await browser.fetch('/settings')).status, 200);
  assert.equal((await post('/settings/sessions/revoke-others')).status, 303);
});
