// Exports in the browser: the postings page's export buttons download the
// current search, the calendar feed is turned on (its address shown once),
// given a new address (after a confirmation) and turned off from Settings,
// and a backup file restores from Settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, newUser, ingestPostings, waitFor } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let srv, browser, page, user;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'exports-ui@example.com');
  ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'u1', title: 'Rust Engineer', company: 'Acme', location: 'Berlin',
      description_html: 'Rust.', seen_at: Math.floor(Date.now() / 1000) - 20 },
    { source: 'lever', external_id: 'u2', title: 'Go Developer', company: 'Globex', location: 'Paris',
      description_html: 'Go.', seen_at: Math.floor(Date.now() / 1000) - 10 },
  ]);
  await waitFor(async () => (await user.call('GET', '/api/v1/postings?q=rust')).status === 200,
    { timeout: 10000, what: 'the search index' });
  const context = await browser.newContext({ timezoneId: 'UTC', acceptDownloads: true });
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

test('the postings page exports the search on screen', async () => {
  await page.goto(`${srv.url}/postings?q=rust`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'jobtrack-postings.csv');
  const rows = readFileSync(await download.path(), 'utf8').split('\r\n').filter(Boolean);
  assert.equal(rows.length, 2);
  assert.match(rows[1], /,Rust Engineer,Acme,/);
  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export XLSX' }).click(),
  ]);
  assert.equal(xlsx.suggestedFilename(), 'jobtrack-postings.xlsx');
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK');
});

test('the calendar feed: on, a new address, off', async () => {
  await page.goto(`${srv.url}/settings`);
  await page.getByRole('button', { name: 'Turn on the calendar feed' }).click();
  await page.getByRole('heading', { name: 'Your calendar feed' }).waitFor();
  const first = (await page.locator('#feed-url').innerText()).trim();
  assert.match(first, /\/api\/v1\/calendar\.ics\?token=jtc_/);
  assert.equal((await fetch(first)).status, 200);
  await page.getByRole('link', { name: /back to settings/i }).click();
  assert.match(await page.locator('#calendar').innerText(), /The feed is on/);
  await page.getByRole('button', { name: 'New address' }).click(); // confirmed by the dialog handler
  await page.getByRole('heading', { name: 'Your calendar feed' }).waitFor();
  const second = (await page.locator('#feed-url').innerText()).trim();
  assert.notEqual(second, first);
  assert.equal((await fetch(first)).status, 404);
  await page.goto(`${srv.url}/settings`);
  await page.getByRole('button', { name: 'Turn off' }).click();
  await page.waitForURL(/\/settings/);
  assert.match(await page.locator('#calendar').innerText(), /The feed is off/);
  assert.equal((await fetch(second)).status, 404);
});

test('a backup file restores from Settings', async () => {
  const other = await newUser(srv.url);
  await other.call('POST', '/api/v1/applications', { company: 'Restored Co', position: 'Engineer' });
  const backup = (await other.call('GET', '/api/v1/backup')).text;
  await page.goto(`${srv.url}/settings`);
  await page.getByLabel('Backup file').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup) });
  await page.getByRole('button', { name: 'Restore' }).click();
  await page.getByRole('heading', { name: 'Backup imported' }).waitFor();
  assert.match(await page.locator('.import-summary').first().innerText(), /Applications: 1 · Timeline entries: 1/);
  await page.goto(`${srv.url}/applications`);
  assert.match(await page.locator('body').innerText(), /Restored Co/);
});
