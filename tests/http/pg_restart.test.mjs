// PostgreSQL restarts under a running jobtrack: while the database is away
// /healthz and the API answer 503 (never a crash or a wrong answer), and when
// it is back jobtrack carries on by itself — including its in-memory user
// cache, which must not keep serving what changed while it was deaf.
// Runs on the PostgreSQL pass only (JOBTRACK_TEST_PG_DIR names the cluster).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, newUser, backend, databaseUrl, waitFor, Client } from '../lib/server.mjs';

const clusterDir = process.env.JOBTRACK_TEST_PG_DIR || '';
const skip = backend !== 'postgres' || !clusterDir ? 'needs the PostgreSQL pass with JOBTRACK_TEST_PG_DIR' : false;

function pgctl(action) {
  const bin = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout.trim();
  const args = ['-D', `${clusterDir}/data`, '-w', '-t', '30'];
  if (action === 'stop') args.push('-m', 'fast');
  else args.push('-l', `${clusterDir}/server.log`, '-o', `-c listen_addresses='' -c unix_socket_directories='${clusterDir}' -c fsync=off -c max_connections=200`);
  const r = spawnSync('runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`, ...args, action], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `pg_ctl ${action}: ${r.stderr}`);
}

function psqlOn(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

let srv, user;
before(async () => {
  if (skip) return;
  srv = await startServer();
  user = await newUser(srv.url, 'restart@example.com');
});
after(async () => {
  if (skip) return;
  assert.equal((await srv.stop()).code, 0);
});

test('health and the API answer 503 while the database is down, and recover without a restart', { skip }, async () => {
  assert.equal((await user.call('GET', '/api/v1/me')).status, 200, 'known and cached before the restart');
  const browser = new Client(srv.url);
  await browser.form('/login', { email: user.email, password: user.password });
  assert.equal((await browser.fetch('/board')).status, 200);
  pgctl('stop');
  try {
    const board = await browser.fetch('/board');
    assert.equal(board.status, 503, 'a signed-in browser is told to wait, not sent to log in');
    assert.ok(board.headers.get('retry-after'));
    const health = await fetch(`${srv.url}/healthz`);
    assert.equal(health.status, 503);
    const r = await user.call('GET', '/api/v1/applications');
    assert.equal(r.status, 503, `API while down: ${r.status} ${r.text}`);
    assert.equal(r.body.error.code, 'busy');
    const w = await user.call('POST', '/api/v1/applications', { company: 'Down', position: 'Dev' });
    assert.equal(w.status, 503, 'a write while the database is down is refused, not lost silently');
  } finally {
    pgctl('start');
  }
  await waitFor(async () => (await fetch(`${srv.url}/healthz`)).status === 200, { timeout: 15000, what: 'health' });
  const w = await user.call('POST', '/api/v1/applications', { company: 'Back', position: 'Dev' });
  assert.equal(w.status, 201);
  assert.equal((await browser.fetch('/board')).status, 200, 'the same browser session carries on');
});

test('a change made while jobtrack could not hear about it is not hidden by its cache', { skip }, async () => {
  assert.equal((await user.call('GET', '/api/v1/me')).status, 200);
  pgctl('stop');
  pgctl('start');
  // While jobtrack's listener is still reconnecting, the account is made admin
  // behind its back (as another process or an operator would).
  psqlOn(databaseUrl(srv.dataDir), `UPDATE users SET is_admin = 1 - is_admin WHERE email = '${user.email}'`);
  const me = await waitFor(async () => {
    const r = await user.call('GET', '/api/v1/me');
    return r.status === 200 ? r : null;
  }, { timeout: 15000, what: 'the API back' });
  const direct = spawnSync('psql', ['-X', '-A', '-t', '-d', databaseUrl(srv.dataDir), '-c',
    `SELECT is_admin FROM users WHERE email = '${user.email}'`], { encoding: 'utf8' }).stdout.trim();
  assert.equal(String(me.body.user ? me.body.user.is_admin : me.body.is_admin) === 'true', direct === '1',
    `the API says what the database says (${JSON.stringify(me.body)} vs ${direct})`);
});
