// The user's taxonomy extension (DATA_DIR/taxonomy/*.tsv, `jobtrack taxonomy
// import`) reaches everything `serve` scores with: a skill that exists only
// in the extension is matched by a scan over the API and by the resume's
// best matches, so the two never disagree about what a skill is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, ingestPostings, addResume, waitFor } from '../lib/server.mjs';

let srv, A, posting, resume;
const SKILL = 'Zorblang';

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jt-taxext-'));
  mkdirSync(join(dataDir, 'taxonomy'));
  writeFileSync(join(dataDir, 'taxonomy', 'mine.tsv'),
    `# a skill the built-in taxonomy does not know\nzorblang\t${SKILL}\thard\tsoftware\tzorblang 2|zorb lang\n`);
  srv = await startServer({ dataDir });
  A = await newUser(srv.url, 'extension@example.com');
  [posting] = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'zx1', title: 'Compiler Engineer', company: 'Acme', location: 'Berlin',
      country: 'DE', workplace: 'remote', employment_type: ['FULL_TIME'], seen_at: Math.floor(Date.now() / 1000) - 10,
      description_html: 'Compiler Engineer\n\nRequirements\n- 3+ years of Zorblang\n- Rust and LLVM\n' },
  ]);
  resume = addResume(srv.dataDir, A.user.id, 'cv.txt',
    'Ada Lovelace\nCompiler Engineer\n\nSkills\nZorblang, Rust, LLVM\n');
  await waitFor(async () => (await A.call('GET', `/api/v1/resumes/${resume}/matches`)).status === 200,
    { timeout: 15000, what: 'best matches' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

test('a scan over the API matches a skill only the extension defines', async () => {
  const r = await A.call('POST', '/api/v1/scans', { resume_id: resume, posting_id: posting });
  assert.equal(r.status, 201, r.text);
  assert.match(JSON.stringify(r.body), new RegExp(`"${SKILL}"`), 'the extension\'s skill is in the scan');
  const missing = JSON.stringify(r.body.missing_skills ?? r.body.result?.missing_skills ?? []);
  assert.doesNotMatch(missing, new RegExp(SKILL));
});

test('best matches score with the same taxonomy: the skill is matched there too', async () => {
  const r = await A.call('GET', `/api/v1/resumes/${resume}/matches`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items[0].posting_id, posting);
  assert.ok(r.body.items[0].matched_skills.includes(SKILL), JSON.stringify(r.body.items[0]));
});
