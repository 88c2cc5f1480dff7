// A busy or read-only database under a running server: a lock held elsewhere
// (another process's transaction, psql's SELECT … FOR UPDATE or LOCK TABLE)
// makes the requests that wait for it answer 503 with Retry-After after
// --database-lock-timeout, not whenever the lock goes; /healthz answers at
// once; a read-only database (a standby after failover) answers writes 503
// and /healthz 503 with the reason, and recovers by itself.
// The lock on SQLite is held with the sqlite3 tool, on PostgreSQL with psql.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, newUser, Client, backend, databaseUrl, waitFor } from '../lib/server.mjs';

const LOCK_MS = 300;
const pgOnly = backend !== 'postgres' && 'needs PostgreSQL (JOBTRACK_TEST_PG)';
const servers = [];
after(async () => {
  for (const srv of servers) assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
});

async function start() {
  const srv = await startServer({ extraArgs: ['--database-lock-timeout', String(LOCK_MS)] });
  servers.push(srv);
  return srv;
}

function psqlOn(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Runs statements in a session of its own (sqlite3 or psql) and keeps the
 *  transaction open until release(). */
async function holdLock(srv, statements) {
  const cli = backend === 'postgres'
    ? spawn('psql', ['-X', '-q', '-d', databaseUrl(srv.dataDir)], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('sqlite3', [join(srv.dataDir, 'jobtrack.db')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const marker = backend === 'postgres' ? '\\echo locked\n' : "SELECT 'locked';\n";
  cli.stdin.write(`${statements.join('\n')}\n${marker}`);
  await new Promise((resolve, reject) => {
    cli.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
    cli.on('error', reject);
    cli.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return async () => {
    const gone = new Promise((resolve) => cli.on('exit', resolve));
    cli.stdin.end(backend === 'postgres' ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
    await gone;
  };
}

async function timed(fn) {
  const t0 = Date.now();
  const r = await fn();
  return { r, ms: Date.now() - t0 };
}

test('a write for a user whose data another session holds locked answers 503 + Retry-After after the lock timeout', async () => {
  const srv = await start();
  const user = await newUser(srv.url);
  const lock = backend === 'postgres'
    ? [`BEGIN; SELECT id FROM users WHERE email = '${user.email}' FOR UPDATE;`]
    : ['BEGIN IMMEDIATE;'];
  const release = await holdLock(srv, lock);
  try {
    const { r, ms } = await timed(() => user.call('POST', '/api/v1/applications', { company: 'Locked', position: 'Dev' }));
    assert.equal(r.status, 503, `${r.status} ${r.text}`);
    assert.equal(r.body.error.code, 'busy');
    assert.ok(r.headers.get('retry-after'));
    assert.ok(ms >= LOCK_MS * 0.8 && ms < 2500, `answered after ${ms} ms with a lock timeout of ${LOCK_MS} ms`);
  } finally {
    await release();
  }
  const ok = await user.call('POST', '/api/v1/applications', { company: 'Free', position: 'Dev' });
  assert.equal(ok.status, 201, ok.text);
});

test('a table locked exclusively: reads and pages answer 503 + Retry-After quickly, /healthz 200 at once', { skip: pgOnly }, async () => {
  const srv = await start();
  const user = await newUser(srv.url);
  const browser = new Client(srv.url);
  assert.equal((await browser.form('/login', { email: user.email, password: user.password })).status, 303);
  const release = await holdLock(srv, ['BEGIN; LOCK TABLE applications IN ACCESS EXCLUSIVE MODE;']);
  try {
    // More requests than the server has workers: none may hold one for long.
    const started = Date.now();
    const all = await Promise.all([
      user.call('GET', '/api/v1/applications'),
      user.call('GET', '/api/v1/applications?status=applied'),
      browser.fetch('/board'),
      user.call('GET', '/api/v1/applications?sort=company'),
    ]);
    const ms = Date.now() - started;
    for (const r of all) {
      assert.equal(r.status, 503);
      assert.ok(r.headers.get('retry-after'), 'Retry-After');
    }
    assert.ok(ms < 4000, `four requests took ${ms} ms`);
    const { r: health, ms: healthMs } = await timed(() => fetch(`${srv.url}/healthz`));
    assert.equal(health.status, 200);
    assert.ok(healthMs < 1500, `/healthz took ${healthMs} ms`);
  } finally {
    await release();
  }
  assert.equal((await user.call('GET', '/api/v1/applications')).status, 200);
});

test('a read-only database (failover to a standby) answers writes 503, /healthz 503 with the reason, and recovers', { skip: pgOnly }, async () => {
  const srv = await start();
  const user = await newUser(srv.url);
  const url = databaseUrl(srv.dataDir);
  const name = url.match(/\/([^/?]+)(\?|$)/)[1];
  const admin = process.env.JOBTRACK_TEST_PG;
  psqlOn(admin, `ALTER DATABASE ${name} SET default_transaction_read_only = on`);
  // A failover ends every session: the server's next ones are read-only.
  psqlOn(admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
  try {
    let w;
    for (let i = 0; i < 3; i++) {
      w = await user.call('POST', '/api/v1/applications', { company: 'ReadOnly', position: 'Dev' });
      assert.equal(w.status, 503, `write ${i}: ${w.status} ${w.text}`);
    }
    assert.equal(w.body.error.code, 'busy');
    assert.ok(w.headers.get('retry-after'));
    await waitFor(async () => (await fetch(`${srv.url}/healthz`)).status === 503, { timeout: 5000, what: 'health 503' });
    const health = await fetch(`${srv.url}/healthz`);
    const body = await health.json();
    assert.equal(body.database, 'read-only');
    assert.match(body.reason, /refuses writes/);
    assert.ok(health.headers.get('retry-after'));
    assert.equal((await user.call('GET', '/api/v1/applications')).status, 200, 'reads still work');
    assert.match(srv.logs(), /refuses writes/);
  } finally {
    psqlOn(admin, `ALTER DATABASE ${name} SET default_transaction_read_only = off`);
  }
  await waitFor(async () => (await fetch(`${srv.url}/healthz`)).status === 200, { timeout: 10000, what: 'health 200' });
  await waitFor(async () => (await user.call('POST', '/api/v1/applications', { company: 'Back', position: 'Dev' })).status === 201,
    { timeout: 10000, what: 'writes accepted again' });
  assert.doesNotMatch(srv.logs(), /"level":"error"[^\n]*25006/, 'a refused write is busy, not an internal error');
});

test('serve.start names the database (password masked), not only the data directory', async () => {
  const srv = await start();
  const line = srv.logs().split('\n').find((l) => l.includes('"serve.start"'));
  assert.ok(line, srv.logs());
  if (backend === 'postgres') assert.match(line, /database postgres(ql)?:\/\//);
  else assert.match(line, new RegExp(`database sqlite:${srv.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/jobtrack\\.db`));
});
