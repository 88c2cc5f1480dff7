// The admin page's rules hold for sources.conf and `jobtrack scrape` too: a
// source whose terms forbid scraping (LinkedIn) runs only once the file
// accepts them, with the terms quoted and the line to write in the message;
// a feed's stated limit (Remotive: at most every 6 h) bounds its schedule.
// Nothing here reaches the internet: every source's proxy is a closed
// loopback port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from '../lib/server.mjs';

const CLOSED = 'http://127.0.0.1:9'; // discard: nothing listens, so a request fails at once

function cli(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withDir(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'jt-rules-'));
  try { return fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

const li = (extra) => `[source li]\nkind = linkedin\ntarget = keywords=rust&location=Berlin\nproxy = ${CLOSED}\n` +
  `delay = 0\n${extra}\n`;

test('an enabled LinkedIn section without accept_terms is refused, quoting the terms and what to write', () => withDir((dir) => {
  writeFileSync(join(dir, 'sources.conf'), li(''));
  for (const args of [['scrape'], ['scrape', '--source', 'li'], ['scrape', '--dry-run']]) {
    const r = cli([...args, '--data-dir', dir]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /sources\.conf:1: source "li": LinkedIn job search \(guest\) is off by default/);
    assert.match(r.stderr, /write "accept_terms = true" in its \[source li\] section/);
    assert.match(r.stderr, /User Agreement forbids scraping/);
  }
  // serve refuses to start on it the same way.
  const r = cli(['serve', '--data-dir', dir, '--listen', '127.0.0.1:0']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /write "accept_terms = true" in its \[source li\] section/);
}));

test('a disabled one is kept, but `scrape --source li` asks for the terms too', () => withDir((dir) => {
  writeFileSync(join(dir, 'sources.conf'), li('enabled = false'));
  let r = cli(['scrape', '--source', 'li', '--data-dir', dir]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /source "li": LinkedIn job search \(guest\) is off by default; to run it, write "accept_terms = true"/);
  assert.match(r.stderr, /User Agreement forbids scraping/);
  assert.doesNotMatch(r.stdout, /^li\s/m); // nothing ran
  // Accepted: it runs (and fails here, at the closed proxy: not refused).
  writeFileSync(join(dir, 'sources.conf'), li('enabled = false\naccept_terms = true'));
  r = cli(['scrape', '--source', 'li', '--data-dir', dir, '--json']);
  assert.doesNotMatch(r.stderr, /accept_terms/);
  const run = JSON.parse(r.stdout).runs[0];
  assert.equal(run.source, 'li');
  assert.equal(run.status, 'failed');
  // Enabled and accepted: the plain run takes it.
  writeFileSync(join(dir, 'sources.conf'), li('accept_terms = true'));
  r = cli(['scrape', '--data-dir', dir, '--json']);
  assert.equal(JSON.parse(r.stdout).runs[0].source, 'li', r.stderr);
}));

test("a feed's stated limit bounds a file schedule as it does the admin page's", () => withDir((dir) => {
  writeFileSync(join(dir, 'sources.conf'),
    `[source rem]\nkind = remotive\ntarget = software-dev\nschedule = every 1m\nproxy = ${CLOSED}\n`);
  let r = cli(['scrape', '--data-dir', dir]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /sources\.conf:1: source "rem": Remotive.* at most every 6h; "every 1m" runs as often as every 1m\. Use "every 6h"/);
  r = cli(['serve', '--data-dir', dir, '--listen', '127.0.0.1:0']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /at most every 6h/);
  writeFileSync(join(dir, 'sources.conf'),
    `[source rem]\nkind = remotive\ntarget = software-dev\nschedule = @daily\nproxy = ${CLOSED}\nenabled = false\n`);
  r = cli(['scrape', '--data-dir', dir, '--source', 'rem', '--json']);
  assert.equal(JSON.parse(r.stdout).runs[0].source, 'rem', r.stderr);
}));
