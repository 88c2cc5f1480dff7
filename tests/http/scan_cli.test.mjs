// `jobtrack scan RESUME --job FILE`: the score with its breakdown, the
// taxonomy version, the resume's ATS-readability checks apart from the
// score, and with --marked the resume and the posting with the matched and
// missing terms marked (text: [matched] {missing}; JSON: byte offsets).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary } from '../lib/server.mjs';

const resume = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'resumes', 'developer.md');
const dir = mkdtempSync(join(tmpdir(), 'jt-scan-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const job = join(dir, 'job.txt');
writeFileSync(job, 'Senior Backend Engineer\nRequirements\n- 12+ years of experience with Go, Kubernetes and Terraform\n- GraphQL and Rust\n');

function run(args) {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
const common = ['--job', job, '--data-dir', join(dir, 'data')];

test('--json: score, taxonomy version, ATS checks, and with --marked where each term stands', async () => {
  const r = await run(['scan', resume, ...common, '--json', '--marked']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.ok(s.score > 0 && s.score <= 100);
  assert.match(s.taxonomy_version, /^[0-9a-f]{16}$/);
  const ats = Object.fromEntries(s.ats.map((c) => [c.id, c]));
  assert.equal(ats.tables.status, 'warn', 'the fixture lays its skills out in a table');
  assert.equal(ats.file_type.status, 'warn');
  const slice = (part, mk) => Buffer.from(part.text, 'utf8').subarray(mk.start, mk.start + mk.length).toString('utf8');
  const at = (part) => part.marks.map((mk) => [s.marked.terms[mk.term].term, s.marked.terms[mk.term].matched, slice(part, mk)]);
  const inResume = at(s.marked.resume);
  assert.ok(inResume.some(([t, m, text]) => t === 'Kubernetes' && m && text === 'Kubernetes'), JSON.stringify(inResume));
  assert.ok(inResume.every(([, m]) => m), 'only matched terms stand in the resume');
  const inJob = at(s.marked.job);
  assert.ok(inJob.some(([t, m, text]) => t === 'GraphQL' && !m && text === 'GraphQL'), JSON.stringify(inJob));
  assert.ok(inJob.some(([t, m]) => t === 'Terraform' && m));
  // Without --marked the JSON has the checks but no texts.
  const plain = JSON.parse((await run(['scan', resume, ...common, '--json'])).stdout);
  assert.equal(plain.marked, undefined);
  assert.equal(plain.ats.length, s.ats.length);
  assert.equal(plain.score, s.score);
});

test('text: the checks in words, the texts with [matched] and {missing} terms, suggestions to act on', async () => {
  const r = await run(['scan', resume, ...common, '--marked']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ATS readability \(not part of the score\):\n {2}Warning: File type/);
  assert.match(r.stdout, /The resume, \[matched\] terms marked:\n[\s\S]*\[Kubernetes\], \[Terraform\]/);
  assert.match(r.stdout, /The posting, \[matched\] and \{missing\} terms marked:\n[\s\S]*- \{GraphQL\} and \{Rust\}/);
  assert.match(r.stdout, /add 'GraphQL' to your skills section if you have it — the posting mentions it 1 time/);
  assert.match(r.stdout, /the posting asks for 12\+ years of experience; your resume shows \d+\.\d/);
  assert.match(r.stdout, /version [0-9a-f]{16}/);
  const help = await run(['scan', '--help']);
  assert.match(help.stdout, /--marked/);
  assert.match(help.stdout, /ATS-readability checks/);
});

test('text: a nice-to-have sentence keeps the years asked, and the breakdown adds up as printed', async () => {
  const plus = join(dir, 'plus.txt');
  writeFileSync(plus, 'Engineer. 5+ years experience. Go is a plus.\n');
  const tenths = (x) => Math.round(Number(x) * 10);
  for (const file of [plus, job]) {
    const r = await run(['scan', resume, '--job', file, '--data-dir', join(dir, 'data')]);
    assert.equal(r.code, 0, r.stderr);
    if (file === plus) {
      assert.match(r.stdout, /experience +\d+\.\d%.*posting asks for 5 years/);
      assert.doesNotMatch(r.stdout, /asks for no number of years/);
    }
    const rows = [...r.stdout.matchAll(/^ {2}\S+ +(\d+\.\d)% +(\d+\.\d) +(\d+\.\d) /gm)];
    assert.ok(rows.length >= 2, r.stdout);
    for (const [, w, pts, lost] of rows) assert.equal(tenths(pts) + tenths(lost), tenths(w), r.stdout);
    assert.equal(rows.reduce((t, [, w]) => t + tenths(w), 0), 1000, r.stdout);
    const score = r.stdout.match(/^Match score: (\d+\.\d) \/ 100/m)[1];
    assert.equal(rows.reduce((t, [, , pts]) => t + tenths(pts), 0), tenths(score), r.stdout);
  }
});
