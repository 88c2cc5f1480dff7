// The command line: every subcommand, its --help, and settings precedence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, startServer, api, backend, storeArgs, dropDatabase } from '../lib/server.mjs';

function jt(args, { input, env = {} } = {}) {
  const r = spawnSync(binary, args, { input, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'jobtrack-cli-'));
}

test('every subcommand explains itself with --help and exits 0', () => {
  for (const cmd of ['serve', 'migrate', 'user', 'version']) {
    const r = jt([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.out, new RegExp(`usage: jobtrack ${cmd}`), cmd);
  }
  const top = jt(['--help']);
  assert.equal(top.code, 0);
  for (const cmd of ['serve', 'migrate', 'user', 'version']) assert.match(top.out, new RegExp(`\\b${cmd}\\b`));
});

test('an unknown command or option is a usage error (exit 2) that says what is wrong', () => {
  const a = jt(['frobnicate']);
  assert.equal(a.code, 2);
  assert.match(a.err, /unknown command "frobnicate"/);
  const b = jt(['serve', '--no-such-flag', 'x', '--print-config']);
  assert.equal(b.code, 2);
  assert.match(b.err, /unknown option "--no-such-flag"/);
  const c = jt(['serve', '--threads', 'many', '--print-config']);
  assert.equal(c.code, 2);
  assert.match(c.err, /threads must be a whole number/);
});

test('read-only commands never create a database by mistake', (t) => {
  if (backend !== 'sqlite') return t.skip('checks the default SQLite file, which the PostgreSQL run does not use');
  const dir = join(tmpdir(), `jobtrack-none-${process.pid}`);
  const r = jt(['user', 'list', '--data-dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no database at .*jobtrack\.db: pass the --data-dir/);
  assert.throws(() => statSync(dir), 'no directory was created');
});

test('the last admin cannot be demoted, a bad --listen is refused, and --help lists what applies', () => {
  const dir = tempDir();
  jt(['user', 'add', 'only@example.com', ...storeArgs(dir)], { input: 'first password\n' });
  const r = jt(['user', 'make-admin', 'only@example.com', '--revoke', ...storeArgs(dir)]);
  assert.equal(r.code, 1);
  assert.match(r.err, /only admin/);
  assert.match(jt(['user', 'list', ...storeArgs(dir)]).out, /only@example\.com\s+admin/);
  const bad = jt(['serve', '--listen', 'nonsense', '--print-config']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /must be HOST:PORT/);
  const pc = jt(['serve', '--data-dir', dir, '--print-config']);
  assert.match(pc.out, /^tls_key = $/m, 'no TLS key is generated, so none is claimed');
  const help = jt(['user', '--help']);
  assert.match(help.out, /--data-dir/);
  assert.doesNotMatch(help.out, /--tls-cert|--threads/);
  rmSync(dir, { recursive: true, force: true });
  dropDatabase(dir);
});

test('version names jobtrack and its libraries', () => {
  const r = jt(['version']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^jobtrack \d+\.\d+\.\d+/);
  assert.match(r.out, /SQLite 3\./);
});

test('settings: defaults < config file < environment < flags, and secrets are masked', () => {
  const dir = tempDir();
  const conf = join(dir, 'jobtrack.conf');
  writeFileSync(conf, '# test\nlisten = 127.0.0.1:9001\nlog_level = warn\nthreads = 3\nsecret_key = abcdefghijklmnopqrstuvwxyz0123456789\n');
  const base = jt(['serve', '--data-dir', dir, '--print-config']);
  assert.equal(base.code, 0, base.err);
  assert.match(base.out, /^listen = 127\.0\.0\.1:9001$/m);        // from the file in the data dir
  assert.match(base.out, /^threads = 3$/m);
  assert.match(base.out, /^secret_key = \*+$/m);
  assert.doesNotMatch(base.out, /abcdefghijklmnop/);
  assert.match(base.out, new RegExp(`^database_url = sqlite:${dir}/jobtrack\\.db$`, 'm'));
  const env = jt(['serve', '--data-dir', dir, '--print-config'], { env: { JOBTRACK_THREADS: '5', JOBTRACK_LOG_LEVEL: 'debug' } });
  assert.match(env.out, /^threads = 5$/m);
  assert.match(env.out, /^log_level = debug$/m);
  const flag = jt(['serve', '--data-dir', dir, '--threads=7', '--print-config'], { env: { JOBTRACK_THREADS: '5' } });
  assert.match(flag.out, /^threads = 7$/m);
  const pg = jt(['serve', '--data-dir', dir, '--database-url', 'postgres://me:hunter2@db/jt', '--print-config']);
  assert.match(pg.out, /^database_url = postgres:\/\/me:\*+@db\/jt$/m);
  assert.doesNotMatch(pg.out, /hunter2/);
  writeFileSync(conf, 'listen = 127.0.0.1:9001\nbogus_key = 1\n');
  const bad = jt(['serve', '--data-dir', dir, '--print-config']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /jobtrack\.conf:2: unknown setting "bogus_key"/);
  rmSync(dir, { recursive: true, force: true });
});

test('user add / list / set-password / make-admin manage accounts the server accepts', async () => {
  const dir = tempDir();
  const add = jt(['user', 'add', 'Boss@Example.com', ...storeArgs(dir)], { input: 'first password\n' });
  assert.equal(add.code, 0, add.err);
  assert.match(add.out, /created user 1 <boss@example\.com> \(admin\)/);
  const add2 = jt(['user', 'add', 'worker@example.com', ...storeArgs(dir)], { input: 'second password\n' });
  assert.match(add2.out, /created user 2 <worker@example\.com>$/m);
  const dup = jt(['user', 'add', 'worker@example.com', ...storeArgs(dir)], { input: 'second password\n' });
  assert.equal(dup.code, 1);
  assert.match(dup.err, /already exists/);
  const short = jt(['user', 'add', 'x@example.com', ...storeArgs(dir)], { input: 'short\n' });
  assert.equal(short.code, 1);
  assert.match(short.err, /password: Use at least 8 characters/);
  const list = jt(['user', 'list', ...storeArgs(dir)]);
  assert.equal(list.code, 0);
  assert.match(list.out, /boss@example\.com\s+admin/);
  assert.match(list.out, /worker@example\.com\s+\d{4}-/);
  assert.equal(jt(['user', 'make-admin', 'worker@example.com', ...storeArgs(dir)]).code, 0);
  assert.match(jt(['user', 'list', ...storeArgs(dir)]).out, /worker@example\.com\s+admin/);
  assert.equal(jt(['user', 'make-admin', 'worker@example.com', '--revoke', ...storeArgs(dir)]).code, 0);
  assert.doesNotMatch(jt(['user', 'list', ...storeArgs(dir)]).out, /worker@example\.com\s+admin/);
  const pw = jt(['user', 'set-password', 'worker@example.com', ...storeArgs(dir)], { input: 'brand new password\n' });
  assert.equal(pw.code, 0, pw.err);
  const missing = jt(['user', 'set-password', 'nobody@example.com', ...storeArgs(dir)], { input: 'whatever123\n' });
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no user with e-mail nobody@example\.com/);

  // The server started on the same data dir accepts the new password and not the old one.
  const srv = await startServer({ dataDir: dir });
  const anon = api(srv.url);
  assert.equal((await anon('POST', '/api/v1/auth/token', { email: 'worker@example.com', password: 'second password' })).status, 401);
  assert.equal((await anon('POST', '/api/v1/auth/token', { email: 'worker@example.com', password: 'brand new password' })).status, 200);
  await srv.stop();
});

test('migrate reports the schema version and is idempotent', () => {
  const dir = tempDir();
  const st = jt(['migrate', '--status', ...storeArgs(dir)]);
  assert.equal(st.code, 0, st.err);
  assert.match(st.out, /schema version 0 of (\d+) \(migrations pending\)/);
  const m = jt(['migrate', ...storeArgs(dir)]);
  assert.match(m.out, /schema at version (\d+) \(migrated from 0\)/);
  const again = jt(['migrate', ...storeArgs(dir)]);
  assert.match(again.out, /already up to date/);
  const st2 = jt(['migrate', '--status', ...storeArgs(dir)]);
  const [, v, latest] = st2.out.match(/schema version (\d+) of (\d+)/);
  assert.equal(v, latest);
  rmSync(dir, { recursive: true, force: true });
  dropDatabase(dir);
});

test('the first start writes a 0600 secret key and reuses it afterwards', async () => {
  const dir = tempDir();
  const a = await startServer({ dataDir: dir });
  await a.stop({ keepData: true });
  const key1 = readFileSync(join(dir, 'secret.key'), 'utf8');
  assert.match(key1, /^[0-9a-f]{64}\n$/);
  assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
  const b = await startServer({ dataDir: dir });
  await b.stop({ keepData: true });
  assert.equal(readFileSync(join(dir, 'secret.key'), 'utf8'), key1);
  rmSync(dir, { recursive: true, force: true });
});
