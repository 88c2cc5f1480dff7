// Saved searches in a real browser: a search typed into the box (searching
// as you type changes the address after the page was rendered) is the one
// "Save this search" keeps; the board then shows its count of postings new
// since the user last looked, and opening it shows its results and resets
// the count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, waitFor } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let srv, browser, page, user;
const now = () => Math.floor(Date.now() / 1000);
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'saver@example.com');
  ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'sb-1', title: 'Compiler Engineer', company: 'Navy Labs', seen_at: now() - 100 },
    { source: 'greenhouse', external_id: 'sb-2', title: 'Florist', company: 'Petals', seen_at: now() - 100 },
  ]);
  const context = await browser.newContext({ timezoneId: 'UTC' });
  page = await context.newPage();
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

test('save the search on screen, see its new count on the board, open it', async () => {
  await waitFor(async () => (await user.call('GET', '/api/v1/postings?q=florist')).body?.total === 1,
    { timeout: 10000, what: 'the search index' });
  // rendered with one search, then changed as you type: the new one is saved
  await page.goto(`${srv.url}/postings?q=florist`);
  const box = page.getByLabel('Search', { exact: true });
  await box.fill('');
  await box.pressSequentially('compiler', { delay: 30 });
  await page.waitForURL(/\/postings\?q=compiler$/);
  await page.getByLabel('Name').fill('Compilers');
  await page.getByLabel('E-mail alert').selectOption('weekly');
  await page.getByRole('button', { name: 'Save this search' }).click();
  await page.waitForURL(/\/saved-searches$/);
  assert.match(await page.locator('#toasts').innerText(), /Search saved/);
  const list = await user.call('GET', '/api/v1/saved-searches');
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].query, 'q=compiler');
  assert.equal(list.body.items[0].alert, 'weekly');
  const id = list.body.items[0].id;

  // a new matching posting shows on the board as "1 new"
  const created = Date.parse(list.body.items[0].created_at) / 1000;
  ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'sb-3', title: 'Compiler Intern', company: 'Navy Labs', seen_at: created + 1 },
  ]);
  await waitFor(async () => (await user.call('GET', `/api/v1/saved-searches/${id}`)).body.new_count === 1,
    { timeout: 10000, what: 'the new count' });
  await waitFor(async () => now() > created + 2, { what: 'the clock to pass the posting' });
  await page.goto(`${srv.url}/board`);
  const link = page.getByRole('link', { name: 'Compilers' });
  assert.match(await page.locator('.saved-box').innerText(), /Compilers\s+1 new/);
  await link.click();
  await page.waitForURL(/\/postings\?q=compiler$/);
  assert.equal(await page.locator('tbody tr').count(), 2);
  assert.equal((await user.call('GET', `/api/v1/saved-searches/${id}`)).body.new_count, 0);
});
