// `jobtrack migrate` and `serve --print-config` say what is the matter in
// words a person can act on: a database newer than this jobtrack is refused
// (as serve refuses it), a failure says what failed, racing migrators print
// no libpq NOTICE, and no part of a password is ever printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliAsync, storeArgs, databaseUrl, dropDatabase, backend } from '../lib/server.mjs';

function sql(dir, statement) {
  const r = backend === 'postgres'
    ? spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl(dir), '-c', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', [join(dir, 'jobtrack.db'), statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function withDir(fn) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobtrack-migrate-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      dropDatabase(dir);
    }
  };
}

test('a database newer than this jobtrack: migrate and migrate --status refuse it as serve does, exit 1', withDir((dir) => {
  assert.equal(runCli(['migrate', ...storeArgs(dir)]).status, 0);
  // SQLite keeps its version in PRAGMA user_version too.
  sql(dir, backend === 'postgres' ? "INSERT INTO schema_migrations(version, applied_at) VALUES (99, '2030-01-01 00:00:00')"
    : 'PRAGMA user_version = 99');
  const serve = runCli(['serve', '--listen', '127.0.0.1:0', ...storeArgs(dir)]);
  assert.equal(serve.status, 1);
  const [newer] = serve.stderr.match(/the database's schema \(version 99\) is newer than this jobtrack knows \(\d+\): upgrade jobtrack[^\n]*/);
  for (const args of [['migrate'], ['migrate', '--status']]) {
    const r = runCli([...args, ...storeArgs(dir)]);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.ok(r.stderr.includes(newer), `${args.join(' ')} says what serve says: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /up to date|99 of/);
  }
}));

test('three migrators at once: one migrates, the others find it done, and no NOTICE reaches the terminal', withDir(async (dir) => {
  const runs = await Promise.all([0, 1, 2].map(() => runCliAsync(['migrate', ...storeArgs(dir)])));
  for (const r of runs) {
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /schema at version \d+ \((migrated from 0|already up to date)\)/);
    assert.doesNotMatch(r.stdout + r.stderr, /NOTICE/);
  }
  assert.equal(runs.filter((r) => /migrated from 0/.test(r.stdout)).length, 1);
}));

test('migrate --status as a role that may not read the schema says what failed', { skip: backend !== 'postgres' && 'needs PostgreSQL roles' }, withDir((dir) => {
  assert.equal(runCli(['migrate', ...storeArgs(dir)]).status, 0);
  const role = `jt_noread_${process.pid}`;
  sql(dir, `CREATE ROLE ${role} LOGIN`);
  try {
    const r = runCli(['migrate', '--status', '--data-dir', dir, '--database-url', `${databaseUrl(dir)}&user=${role}`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /jobtrack: cannot read the database's schema version \(the log above says why\)/);
    assert.match(r.stderr, /permission denied/, 'the log above says why');
    assert.doesNotMatch(r.stderr, /migration failed/);
  } finally {
    sql(dir, `DROP ROLE ${role}`);
  }
}));

test('serve --print-config masks every password in a database URL', () => {
  const r = runCli(['serve', '--print-config', '--database-url',
    'postgres://jt:userinfo-secret@db/jt1?host=/tmp/x&user=jt&password=jtpass&sslpassword=keypass',
    '--database-lock-timeout', '1234']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^database_url = postgres:\/\/jt:\*+@db\/jt1\?host=\/tmp\/x&user=jt&password=\*+&sslpassword=\*+$/m);
  assert.doesNotMatch(r.stdout, /userinfo-secret|jtpass|keypass/);
  assert.match(r.stdout, /^database_lock_timeout = 1234$/m);
  const env = runCli(['serve', '--print-config'], { env: { JOBTRACK_DATABASE_STATEMENT_TIMEOUT: '4321' } });
  assert.match(env.stdout, /^database_statement_timeout = 4321$/m);
  const bad = runCli(['serve', '--print-config', '--database-lock-timeout', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /database-lock-timeout/);
});

test('--help lists the database timeouts', () => {
  for (const cmd of ['serve', 'migrate']) {
    const r = runCli([cmd, '--help']);
    assert.match(r.stdout, /--database-lock-timeout N/, cmd);
    assert.match(r.stdout, /--database-statement-timeout N/, cmd);
  }
});
