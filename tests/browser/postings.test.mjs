// The postings page in a real browser: a hostile description renders as
// text and never runs, and "Save to tracker" leads to the new application,
// linked to the posting. The search box searches as you type, keeps the
// focus, and puts the search in the address bar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, waitFor } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let srv, browser, page, user, ids;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'hopper@example.com');
  ids = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'b-1', title: 'Older Role', company: 'Elsewhere', seen_at: Math.floor(Date.now() / 1000) - 100 },
    { source: 'remotive', external_id: 'b-2', title: 'Compiler Engineer', company: 'Navy Labs', location: 'Remote',
      url: 'https://remotive.com/remote-jobs/b-2', salary_min: 100000, salary_max: 130000, salary_currency: 'USD', salary_period: 'YEAR',
      description_html: '<p>Write compilers.</p><script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2"><a href="javascript:window.pwned=3">x</a>' },
  ]);
  const context = await browser.newContext({ timezoneId: 'UTC' });
  page = await context.newPage();
  page.on('dialog', (d) => d.dismiss());
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

test('postings page → posting → save to tracker → the application', async () => {
  await page.getByRole('link', { name: 'Postings' }).click();
  await page.waitForURL(/\/postings$/);
  const rows = page.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().innerText(), /Compiler Engineer/, 'newest first');
  await page.getByRole('link', { name: /Compiler Engineer/ }).click();
  await page.waitForURL(new RegExp(`/postings/${ids[1]}$`));
  assert.match(await page.locator('.posting-description').innerText(), /Write compilers/);
  assert.equal(await page.locator('.posting-description script, .posting-description img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no script of the description ran');
  assert.match(await page.locator('main').innerText(), /100,000–130,000 USD \/ year/);
  assert.match(await page.locator('main').innerText(), /Job listing from Remotive/);
  await page.getByRole('button', { name: 'Save to tracker' }).click();
  await page.waitForURL(/\/applications\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /Compiler Engineer|Navy Labs/);
  assert.match(await page.locator('main').innerText(), /Saved/);
  const apps = await user.call('GET', '/api/v1/applications');
  assert.equal(apps.body.total, 1);
  assert.equal(apps.body.items[0].status, 'saved');
  assert.equal(apps.body.items[0].company, 'Navy Labs');
  // the posting page now links to it instead of offering a second save
  await page.goto(`${srv.url}/postings/${ids[1]}`);
  await page.getByRole('link', { name: /view application/i }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save to tracker' }).count(), 0);
  await page.getByRole('link', { name: /view application/i }).click();
  await page.waitForURL(new RegExp(`/applications/${apps.body.items[0].id}$`));
  assert.equal((await user.call('GET', '/api/v1/applications')).body.total, 1);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

test('search as you type: results and the URL follow the box, focus stays, snippets marked', async () => {
  await waitFor(async () => (await user.call('GET', '/api/v1/postings?q=compilers')).body?.total === 1,
    { timeout: 10000, what: 'the search index' });
  await page.goto(`${srv.url}/postings`);
  const box = page.getByLabel('Search', { exact: true });
  await box.click();
  await box.pressSequentially('compilers', { delay: 30 });
  await page.waitForURL(/\/postings\?q=compilers$/);
  await page.locator('#search-total', { hasText: '1 matching posting' }).waitFor();
  const rows = page.locator('tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Compiler Engineer/);
  assert.equal(await page.locator('.row-snippet mark').first().innerText(), 'compilers');
  assert.equal(await page.locator('.row-snippet script, .row-snippet img').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 's-q');
  // a filter applies at once; a malformed query says why
  await page.getByLabel('Workplace').selectOption('onsite');
  await page.waitForURL(/workplace=onsite/);
  await page.locator('#search-results', { hasText: 'No matching postings' }).waitFor();
  await page.getByLabel('Workplace').selectOption('');
  await box.fill('"compilers');
  await page.locator('#s-error').waitFor();
  assert.match(await page.locator('#s-error').innerText(), /quot|"/i);
  // and the URL works on its own, without JavaScript's help
  await page.goto(`${srv.url}/postings?q=compilers`);
  assert.equal(await page.getByLabel('Search', { exact: true }).inputValue(), 'compilers');
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});
