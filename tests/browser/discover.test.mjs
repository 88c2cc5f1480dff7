// Discovery in a real browser: the bookmarklet's confirm page adds a job
// from a local page with one press, and "Hide" / "Hide company" take
// postings out of the list (the settings page brings them back) — plain
// forms, so all of it also works without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, ingestPostings } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'discover');
let srv, browser, page, user, ids, pages, pagesUrl;
before(async () => {
  pages = createServer((req, res) => {
    if (req.url === '/jobs/staff') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(readFileSync(join(fixtures, 'posting.html')));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesUrl = `http://127.0.0.1:${pages.address().port}`;
  srv = await startServer({ extraArgs: ['--import-private-addresses', '1'] });
  browser = await launch();
  user = await newUser(srv.url, 'lovelace@example.com');
  const now = Math.floor(Date.now() / 1000);
  ids = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'd-1', title: 'Analyst', company: 'Bigcorp', seen_at: now - 300 },
    { source: 'greenhouse', external_id: 'd-2', title: 'Engineer', company: 'Bigcorp', seen_at: now - 200 },
    { source: 'lever', external_id: 'd-3', title: 'Designer', company: 'Smallco', seen_at: now - 100 },
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
  pages?.close();
});

test('the bookmarklet\'s confirm page adds the job with one press', async () => {
  const url = `${pagesUrl}/jobs/staff`;
  await page.goto(`${srv.url}/postings/import?url=${encodeURIComponent(url)}`);
  assert.equal(await page.getByLabel('Job posting URL').inputValue(), url);
  assert.match(await page.locator('#bookmarklet').getAttribute('href'), /^javascript:/);
  await page.getByRole('button', { name: 'Add job' }).click();
  await page.waitForURL(/\/applications\/\d+$/);
  assert.match(await page.locator('main').innerText(), /Staff Platform Engineer|Northwind Labs/);
  assert.match(await page.locator('#toasts').innerText(), /Job added/);
});

test('hide a posting and a company from the list; settings shows them again', async () => {
  await page.goto(`${srv.url}/postings`);
  const rows = page.locator('tbody tr');
  const before = await rows.count();
  await page.getByRole('button', { name: 'Hide Designer' }).click();
  await page.waitForURL(/\/postings/);
  assert.match(await page.locator('#toasts').innerText(), /Posting hidden/);
  assert.equal(await rows.count(), before - 1);
  assert.doesNotMatch(await page.locator('tbody').innerText(), /Designer/);
  await page.goto(`${srv.url}/postings/${ids[1]}`);
  await page.getByRole('button', { name: 'Hide all from Bigcorp' }).click();
  await page.waitForURL(/\/postings$/);
  assert.doesNotMatch(await page.locator('tbody').innerText(), /Bigcorp/);
  await page.goto(`${srv.url}/settings#hidden`);
  const section = page.locator('#hidden');
  assert.match(await section.innerText(), /Designer/);
  assert.match(await section.innerText(), /Bigcorp/);
  await page.getByRole('button', { name: 'Unhide Bigcorp' }).click();
  await page.waitForURL(/\/settings/);
  await page.getByRole('button', { name: 'Unhide Designer' }).click();
  await page.waitForURL(/\/settings/);
  assert.match(await page.locator('#hidden').innerText(), /Nothing hidden/);
  await page.goto(`${srv.url}/postings`);
  assert.equal(await rows.count(), before);
});
