// The database URL from the command line: a PostgreSQL server that cannot be
// reached, or a URL no backend takes, is a clear message and exit status 1 —
// never a crash, never a password in the output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../lib/server.mjs';

test('serve and migrate refuse an unreachable PostgreSQL with a message that says what to check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-url-'));
  try {
    const url = 'postgres://jobtrack:s3cret-pw@/jobtrack?host=/nonexistent/socket/dir&connect_timeout=2';
    for (const args of [['serve', '--listen', '127.0.0.1:0'], ['migrate', '--status'], ['user', 'list']]) {
      const r = runCli([...args, '--data-dir', dir, '--database-url', url]);
      assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /cannot connect to PostgreSQL \(host=\/nonexistent\/socket\/dir/);
      assert.equal(r.stderr.match(/is the server running/gi)?.length, 1, `asked once: ${r.stderr}`);
      assert.doesNotMatch(r.stderr + r.stdout, /s3cret-pw/, 'the password never shows');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a URL libpq cannot read is refused without echoing any part of it (it may hold a password)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-url-'));
  try {
    const r = runCli(['migrate', '--status', '--data-dir', dir, '--database-url',
      'postgres:///jt1?host=/tmp/x&user=jt&password=jt%ZZpass']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /invalid PostgreSQL URL \(invalid percent-encoded token; the URL is not shown/);
    assert.match(r.stderr, /%25/, 'says how to write a %');
    assert.doesNotMatch(r.stderr + r.stdout, /jt%ZZ|ZZpass|jtpass/);
    const typo = runCli(['migrate', '--status', '--data-dir', dir, '--database-url', 'postgre://jt:s3cret@h/db']);
    assert.equal(typo.status, 1);
    assert.match(typo.stderr, /unsupported database URL "postgre:\/\/jt:\*+@h\/db"/);
    assert.doesNotMatch(typo.stderr, /s3cret/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a URL no backend takes is named, with the forms that work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-url-'));
  try {
    const r = runCli(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--database-url', 'mysql://u@h/db']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unsupported database URL "mysql:\/\/u@h\/db": use sqlite:PATH or postgres:\/\//);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
