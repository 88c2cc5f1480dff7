// The resume scanner in a real browser: upload a resume on the Resumes page
// (multipart with the CSRF token), open a posting, click "Scan my resume",
// and read the score, its breakdown, the missing skills and the ATS checks;
// scan again and see the change; the resume and the job text with matched
// and missing terms marked; paste a job description, run it again, delete
// it; an unreadable file is refused with a message on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, ingestPostings } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'resumes');
const JOB = `Senior Backend Engineer
Requirements:
- 5+ years building backend services in Go
- PostgreSQL, Kafka, Kubernetes and Terraform
- Experience with GraphQL and Rust`;

let srv, browser, page, user, postingId;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'scanner@example.com');
  [postingId] = ingestPostings(srv.dataDir, [{ source: 'greenhouse', external_id: 's-1', title: 'Senior Backend Engineer',
    company: 'Acme', url: 'https://boards.greenhouse.io/acme/jobs/1', description_html: JOB }]);
  const context = await browser.newContext({ timezoneId: 'UTC' });
  page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(srv.url + '/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: /log in/i }).click();
  await page.waitForURL(/\/board$/);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('upload a resume, scan it from a posting, read the score and missing skills', async () => {
  await page.getByRole('link', { name: 'Resumes' }).click();
  await page.waitForURL(/\/resumes$/);
  assert.match(await page.locator('main').innerText(), /No resume yet/);
  await page.getByLabel('Resume file').setInputFiles(join(fixtures, 'developer.md'));
  await page.getByLabel(/^Name/).fill('Backend resume');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForURL(/\/resumes$/);
  const row = page.locator('tr.resume-row');
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /Backend resume\s*Default/);
  assert.match(await row.innerText(), /Markdown/);
  const resumeId = await row.getAttribute('data-resume-id');
  assert.equal(await page.locator(`a[href="/resumes/${resumeId}/matches"]`).count(), 1, 'links to the best matches');
  // The resume's own page: what was read, and its ATS checks in words.
  await page.getByRole('link', { name: 'Backend resume', exact: true }).click();
  await page.waitForURL(new RegExp(`/resumes/${resumeId}$`));
  assert.match(await page.locator('#resume-skills').innerText(), /Kubernetes/);
  assert.match(await page.locator('#ats-checks').innerText(), /Warning: No tables/);

  await page.goto(`${srv.url}/postings/${postingId}`);
  await page.getByRole('button', { name: 'Scan my resume' }).click();
  await page.waitForURL(/\/scans\/\d+$/);
  const score = Number(await page.locator('#match-score').innerText());
  assert.ok(score > 0 && score <= 100, `score ${score}`);
  const api = (await user.call('GET', '/api/v1/scans')).body.items[0];
  assert.equal(score, api.score, 'the page shows the stored score');
  assert.match(await page.locator('#taxonomy-version').innerText(), /^[0-9a-f]{16}$/);
  const breakdown = await page.locator('.breakdown-table').innerText();
  for (const part of ['Hard skills', 'Job title', 'Years of experience']) assert.match(breakdown, new RegExp(part));
  const missing = await page.locator('#missing-skills').innerText();
  assert.match(missing, /GraphQL/);
  assert.match(missing, /Rust/);
  assert.doesNotMatch(missing, /Kubernetes/);
  assert.match(await page.locator('#matched-skills').innerText(), /Kubernetes/);
  const ats = await page.locator('#ats-checks').innerText();
  assert.match(ats, /Warning: No tables/, 'the status is in words, not only a colour');
  assert.match(ats, /Pass: /);
  assert.equal(await page.locator('#scan-delta').count(), 0, 'no delta on a first scan');
  // The job description with matched and missing terms marked, and the resume with its matches:
  // <mark> elements with the state in words for screen readers and a legend, not colour alone.
  const jobMarks = async (cls) => page.locator(`#job-marked mark.${cls}`).evaluateAll((els) => els.map((e) => e.firstChild.textContent));
  const missingMarked = await jobMarks('hl-missing');
  assert.ok(missingMarked.includes('GraphQL') && missingMarked.includes('Rust'), JSON.stringify(missingMarked));
  assert.ok((await jobMarks('hl-matched')).includes('Kubernetes'));
  assert.match(await page.locator('#job-marked mark.hl-missing').first().innerText(), /\(missing from your resume\)/);
  assert.match(await page.locator('#job-legend').innerText(), /matched.*your resume has it.*missing.*does not/s);
  const resumeMatched = await page.locator('#resume-marked mark.hl-matched').evaluateAll((els) => els.map((e) => e.firstChild.textContent));
  assert.ok(resumeMatched.some((t) => /^(kubernetes|k8s)$/i.test(t)), JSON.stringify(resumeMatched));
  assert.equal(await page.locator('#resume-marked mark.hl-missing').count(), 0);
  assert.match(await page.locator('#resume-marked mark.hl-matched').first().innerText(), /\(matched\)/);
  const styles = await page.evaluate(() => {
    const m = document.querySelector('#job-marked mark.hl-matched'), x = document.querySelector('#job-marked mark.hl-missing');
    return [getComputedStyle(m).borderBottomStyle, getComputedStyle(x).outlineStyle];
  });
  assert.deepEqual(styles, ['solid', 'dashed'], 'matched and missing differ in shape, not only colour');

  await page.getByRole('button', { name: 'Scan again' }).click();
  await page.waitForURL(/\/scans\/\d+$/);
  assert.match(await page.locator('#scan-delta').innerText(), /Since the scan before: ±0\.0 points/);
  assert.equal(await page.locator('#scan-history li').count(), 2);

  // Edit the resume (add GraphQL and Rust), put it in place of the file, scan again: the change shows.
  const edited = join(mkdtempSync(join(tmpdir(), 'jt-scan-')), 'developer-v2.md');
  writeFileSync(edited, readFileSync(join(fixtures, 'developer.md'), 'utf8')
    .replace('| Languages | Go, Python, SQL, C |', '| Languages | Go, Python, SQL, C, Rust |\n| APIs | GraphQL |'));
  await page.goto(`${srv.url}/resumes`);
  await page.getByText('Replace file').click();
  await page.getByLabel('Edited version of Backend resume').setInputFiles(edited);
  await page.getByRole('button', { name: 'Replace', exact: true }).click();
  await page.waitForURL(/\/resumes$/);
  assert.match(await page.locator('#toasts').innerText(), /File replaced/);
  await page.goto(`${srv.url}/postings/${postingId}`);
  await page.getByRole('button', { name: 'Scan my resume' }).click();
  await page.waitForURL(/\/scans\/\d+$/);
  const delta = await page.locator('#scan-delta').innerText();
  assert.match(delta, /Since the scan before: \+\d/, delta);
  assert.match(delta, /Newly matched: .*GraphQL/);
  assert.doesNotMatch(await page.locator('#missing-skills').innerText(), /GraphQL/);
});

test('paste a job description; an unreadable upload is refused on the page', async () => {
  await page.goto(`${srv.url}/scans/new`);
  await page.getByLabel(/Job title/).fill('Registered Nurse');
  await page.getByLabel('Job description').fill('Registered Nurse\nRequirements:\n- RN license, BLS certification\n- Patient assessment and care planning\n- <b>Rust</b> is a plus <script>alert(1)</script>');
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  await page.waitForURL(/\/scans\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /Registered Nurse/);
  assert.match(await page.locator('#missing-skills').innerText(), /BLS|Patient assessment|Registered nurse/i);
  // The pasted text is kept: shown escaped with its terms marked, and it can run again.
  const pasted = page.url();
  const job = page.locator('#job-marked');
  assert.match(await job.innerText(), /<b>Rust[^<]*<\/b> is a plus/, 'markup in a pasted text is shown as text');
  assert.equal(await page.locator('#job-marked b, #job-marked script').count(), 0);
  assert.ok((await page.locator('#job-marked mark.hl-missing').allInnerTexts()).some((t) => t.startsWith('BLS')));
  await page.getByRole('button', { name: 'Scan again' }).click();
  await page.waitForURL((u) => /\/scans\/\d+$/.test(u.pathname) && u.href !== pasted);
  assert.match(await page.locator('#scan-delta').innerText(), /Since the scan before: ±0\.0 points/);
  assert.match(await page.locator('h1').innerText(), /Registered Nurse/);
  // Delete it from its page (CSRF form, confirmed): gone from the history.
  const again = page.url();
  await page.getByRole('button', { name: 'Delete scan' }).click();
  await page.waitForURL(/\/resumes$/);
  assert.match(await page.locator('#toasts').innerText(), /Scan deleted/);
  assert.equal((await page.goto(again)).status(), 404);

  await page.goto(`${srv.url}/resumes`);
  await page.getByLabel('Resume file').setInputFiles(join(fixtures, 'encrypted.pdf'));
  await page.getByRole('button', { name: 'Upload' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /password/i);
  assert.equal(await page.locator('tr.resume-row').count(), 1, 'nothing was added');
});
