// `jobtrack scan RESUME --best` and `jobtrack scan --fill-terms` on a real
// store (SQLite, or PostgreSQL with JOBTRACK_TEST_PG): the order on a small
// hand-built corpus, the search's filters as options, the limit, the cache
// filled with progress, and usage errors with exit status 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, storeArgs, ingestPostings, dropDatabase } from '../lib/server.mjs';

let dir, ids, resume;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobtrack-best-'));
  ids = ingestPostings(dir, [
    { source: 'lever', external_id: 'b1', title: 'Registered Nurse', company: 'Care', country: 'DE', workplace: 'onsite',
      description_html: 'Registered Nurse\n\n- Patient care\n- BLS and ACLS\n' },
    { source: 'greenhouse', external_id: 'b2', title: 'Staff Accountant', company: 'Acme', country: 'DE', workplace: 'remote',
      description_html: 'Staff Accountant\n\n- General ledger, GAAP, month-end close\n- QuickBooks and SAP\n' },
    { source: 'lever', external_id: 'b3', title: 'Financial Analyst', company: 'Globex', country: 'FR', workplace: 'onsite',
      description_html: 'Financial Analyst\n\n- Budgeting and forecasting\n- GAAP, SAP\n' },
  ]);
  resume = join(dir, 'resume.txt');
  writeFileSync(resume, 'Jane Doe\nStaff Accountant\n\nExperience\nStaff Accountant, Acme — 2018 – 2024\n'
    + '- General ledger, month-end close under GAAP; accounts payable in QuickBooks and SAP\n');
});
after(() => { rmSync(dir, { recursive: true, force: true }); dropDatabase(dir); });

const best = (...args) => {
  const r = runCli(['scan', resume, '--best', '--json', ...args, ...storeArgs(dir)]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};

test('--fill-terms caches every open posting, with progress; a second run has nothing to do', () => {
  let r = runCli(['scan', '--fill-terms', ...storeArgs(dir)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /cached the scan terms of 3 of 3 postings/);
  assert.match(r.stdout, /cached the scan terms of 3 postings .*; 3 of 3 open postings are cached/);
  r = runCli(['scan', '--fill-terms', ...storeArgs(dir)]);
  assert.match(r.stdout, /cached the scan terms of 0 postings/);
});

test('--best ranks the accountant posting first; filters and --limit narrow it', () => {
  const all = best();
  assert.deepEqual(all.items.map((m) => m.posting_id), [ids[1], ids[2], ids[0]]);
  assert.ok(all.items[0].matched_skills.includes('GAAP'));
  assert.deepEqual(best('--country', 'DE').items.map((m) => m.posting_id), [ids[1], ids[0]]);
  assert.deepEqual(best('--workplace=onsite', '--q', 'nurse').items.map((m) => m.posting_id), [ids[0]]);
  assert.deepEqual(best('--limit', '1').items.map((m) => m.posting_id), [ids[1]]);
  const text = runCli(['scan', resume, '--best', ...storeArgs(dir)]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {2}1\. +\d+\.\d {2}Staff Accountant — Acme/);
  assert.match(text.stdout, /matched: .*GAAP/);
});

test('usage errors exit 2 with a message; --help shows --best', () => {
  for (const [args, msg] of [[['--workplace', 'moon'], /workplace must be remote, hybrid or onsite/],
    [['--limit', '0'], /limit must be a whole number from 1 to 200/], [['--job', 'x.html'], /takes no --job/],
    [['--country'], /--country needs a value/]]) {
    const r = runCli(['scan', resume, '--best', ...storeArgs(dir), ...args]);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
  const h = runCli(['scan', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--best \[--limit N\]/);
  assert.match(h.stdout, /--fill-terms/);
});
