// E-mail through libcurl's SMTP (src/notify/mail.c) into the test sink on
// loopback (tests/lib/smtp_sink.mjs), driven by `jobtrack mail-test`: the
// message arrives with the envelope and headers the settings ask for, and
// settings or servers that cannot work give an error that says what to fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp_sink.mjs';

let sink, dir;

before(async () => {
  sink = await startSmtpSink({ reject: ['nobody@example.com'] });
  dir = mkdtempSync(join(tmpdir(), 'jobtrack-mail-'));
});

after(async () => {
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args, env = {}) {
  return new Promise((resolve) => {
    execFile(binary, args, { env: { ...process.env, ...env }, timeout: 30000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

const base = () => ['--data-dir', dir, '--smtp-url', sink.url, '--smtp-starttls', '0'];

test('a test e-mail arrives with RFC 5322 headers, from the configured sender', async () => {
  const before = sink.messages.length;
  const r = await run(['mail-test', 'ada@example.com', ...base(), '--smtp-from', 'Jobs <jobs@example.org>']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /sent a test e-mail to ada@example\.com/);
  const msg = (await sink.waitFor(before + 1))[before];
  assert.equal(msg.from, 'jobs@example.org');
  assert.deepEqual(msg.to, ['ada@example.com']);
  assert.equal(msg.headers.from, 'Jobs <jobs@example.org>');
  assert.equal(msg.headers.to, '<ada@example.com>');
  assert.equal(msg.subject, 'jobtrack test e-mail');
  assert.match(msg.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.ok(Math.abs(Date.parse(msg.headers.date) - Date.now()) < 60000);
  assert.match(msg.headers['message-id'], /^<[0-9a-f]{32}\.\d+@example\.org>$/);
  assert.match(msg.text, /Your SMTP settings work/);
  assert.ok(!/(^|[^\r])\n/.test(msg.raw), 'only CRLF line ends');
});

test('the config file and JOBTRACK_SMTP_* variables configure it too', async () => {
  const before = sink.messages.length;
  const conf = join(dir, 'mail.conf');
  writeFileSync(conf, `smtp_url = ${sink.url}\nsmtp_starttls = 0\n`);
  const r = await run(['mail-test', 'grace@example.com', '--config', conf, '--data-dir', dir],
    { JOBTRACK_SMTP_FROM: 'alerts@example.net' });
  assert.equal(r.code, 0, r.stderr);
  const msg = (await sink.waitFor(before + 1))[before];
  assert.equal(msg.from, 'alerts@example.net');
  assert.deepEqual(msg.to, ['grace@example.com']);
});

test('a refused recipient, a closed port and bad settings fail with a reason', async () => {
  let r = await run(['mail-test', 'nobody@example.com', ...base(), '--smtp-from', 'jobs@example.org']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /SMTP server did not take the message/);

  r = await run(['mail-test', 'ada@example.com', '--data-dir', dir, '--smtp-url', 'smtp://127.0.0.1:1',
    '--smtp-starttls', '0', '--smtp-from', 'jobs@example.org']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /SMTP server/);

  r = await run(['mail-test', 'ada@example.com', '--data-dir', dir, '--smtp-url', 'http://127.0.0.1:1',
    '--smtp-from', 'jobs@example.org']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /smtp:\/\/ or smtps:\/\//);

  r = await run(['mail-test', 'ada@example.com', ...base(), '--smtp-from', 'jobs@example.org',
    '--smtp-user', 'jobs'], { JOBTRACK_SMTP_PASSWORD: 'hunter2-secret' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /clear text/);
  assert.ok(!r.stderr.includes('hunter2-secret'));

  r = await run(['mail-test', 'ada@example.com\r\nBcc: eve@example.com', ...base(), '--smtp-from', 'jobs@example.org']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not a valid e-mail address/);

  r = await run(['mail-test', 'ada@example.com', '--data-dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /e-mail is off/);
});

test('STARTTLS required against a server without it fails rather than sending in clear', async () => {
  const before = sink.messages.length;
  const r = await run(['mail-test', 'ada@example.com', '--data-dir', dir, '--smtp-url', sink.url,
    '--smtp-from', 'jobs@example.org']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /SMTP server/);
  assert.equal(sink.messages.length, before);
});
