// The best-matches page in a real browser: reached by its URL (the Resumes
// page links to it), it lists the ranking best first, the filter form is
// usable by label and keyboard (Enter submits, the URL becomes the
// ranking), and the score is given in words as well as a meter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, addResume, waitFor } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let srv, browser, page, user, ids, resume;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'ranked@example.com');
  ids = ingestPostings(srv.dataDir, [
    { source: 'lever', external_id: 'r1', title: 'Registered Nurse', company: 'Care', location: 'Berlin', country: 'DE',
      description_html: 'Registered Nurse\n\nRequirements\n- Patient care\n- BLS and ACLS\n' },
    { source: 'greenhouse', external_id: 'r2', title: 'Staff Accountant', company: 'Acme', location: 'Paris', country: 'FR',
      description_html: 'Staff Accountant\n\nRequirements\n- General ledger, GAAP, month-end close\n- QuickBooks and SAP\n' },
  ]);
  resume = addResume(srv.dataDir, user.user.id, 'jane.txt',
    'Jane Doe\nStaff Accountant\n\nExperience\nStaff Accountant, Acme — 2018 – 2024\n- General ledger and GAAP in SAP\n');
  await waitFor(async () => (await user.call('GET', `/api/v1/resumes/${resume}/matches?country=DE`)).body?.candidates === 1,
    { timeout: 20000, what: 'best matches and the search index' });
  page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
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

test('the ranking, best first, with the score in words', async () => {
  await page.goto(`${srv.url}/resumes/${resume}/matches`);
  assert.match(await page.locator('h1').innerText(), /Best matches for “jane\.txt”/);
  const titles = await page.locator('.match-title').allInnerTexts();
  assert.deepEqual(titles, ['Staff Accountant', 'Registered Nurse']);
  const first = page.locator('.match').first();
  assert.match(await first.innerText(), /\d+ \/ 100/);
  assert.match(await first.innerText(), /Matched:.*GAAP/s);
  assert.match(await page.locator('.match').nth(1).innerText(), /Missing:.*Patient care/s);
  const meter = first.locator('meter');
  assert.match(await meter.getAttribute('aria-label'), /^Match score \d+ of 100$/);
});

test('the filters by label and keyboard: Enter ranks again, the URL holds the filters', async () => {
  await page.goto(`${srv.url}/resumes/${resume}/matches`);
  await page.getByLabel('Country').fill('DE');
  await page.getByLabel('Country').press('Enter');
  await page.waitForURL(/country=DE/);
  assert.deepEqual(await page.locator('.match-title').allInnerTexts(), ['Registered Nurse']);
  assert.equal(await page.getByLabel('Country').inputValue(), 'DE');
  await page.getByRole('link', { name: 'Clear' }).click();
  await page.waitForURL(new RegExp(`/resumes/${resume}/matches$`));
  assert.equal(await page.locator('.match').count(), 2);
  // a bad filter is said in words, next to the form
  await page.goto(`${srv.url}/resumes/${resume}/matches?min_salary=-1`);
  assert.match(await page.getByRole('alert').innerText(), /min_salary must be/);
  // the posting's link leads to it
  await page.goto(`${srv.url}/resumes/${resume}/matches`);
  await page.getByRole('link', { name: 'Staff Accountant' }).click();
  await page.waitForURL(new RegExp(`/postings/${ids[1]}$`));
});
