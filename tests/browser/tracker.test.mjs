// The tracker as a person uses it, in headless Chromium against a real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

const shots = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(shots, { recursive: true });

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const email = 'ada@example.com';
const password = 'analytical engine';

/** Logs in through the form, as a person would, and lands on the board. */
async function logIn(page) {
  await page.goto(srv.url + '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /log in/i }).click();
  await page.waitForURL(/\/board$/);
}

async function column(page, status) {
  return page.locator(`.column[data-status="${status}"]`);
}

test('sign up, add an application, drag it to interviewing, see the timeline, log out and back in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(srv.url + '/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /sign up|create account/i }).click();
  await page.waitForURL(/\/board$/);
  await page.screenshot({ path: join(shots, 'board-empty.png') });

  await page.getByRole('link', { name: /add (an )?application/i }).first().click();
  await page.waitForURL(/\/applications\/new$/);
  await page.getByLabel(/^Company/).fill('Initech');
  await page.getByLabel(/^Position/).fill('Staff Engineer');
  await page.getByLabel(/^Location/).fill('Austin, TX');
  await page.getByRole('button', { name: /add application/i }).click();
  await page.waitForURL(/\/applications\/\d+/);
  const id = page.url().match(/\/applications\/(\d+)/)[1];

  await page.goto(srv.url + '/board');
  const card = page.locator(`.card[data-id="${id}"]`);
  await assert.doesNotReject(card.waitFor());
  assert.equal(await (await column(page, 'saved')).locator(`.card[data-id="${id}"]`).count(), 1);

  await card.dragTo(await column(page, 'interviewing'));
  const moved = (await column(page, 'interviewing')).locator(`.card[data-id="${id}"]`);
  await moved.waitFor({ timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('#board-live')?.textContent.includes('Interviewing'));
  await page.screenshot({ path: join(shots, 'board-after-drag.png') });

  // The move was stored, not only drawn: a fresh load shows it.
  await page.reload();
  assert.equal(await (await column(page, 'interviewing')).locator(`.card[data-id="${id}"]`).count(), 1);
  assert.equal(await (await column(page, 'saved')).locator(`.card[data-id="${id}"]`).count(), 0);

  await page.goto(`${srv.url}/applications/${id}`);
  const timeline = page.locator('#timeline');
  await assert.doesNotReject(timeline.getByText(/Saved\s*→.*Interviewing/).first().waitFor());
  await page.screenshot({ path: join(shots, 'application.png'), fullPage: true });

  await page.getByRole('button', { name: /log out/i }).click();
  await page.waitForURL(/\/login/);
  await page.goto(srv.url + '/board');
  await page.waitForURL(/\/login/);

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /log in/i }).click();
  await page.waitForURL(/\/board$/);
  assert.equal(await (await column(page, 'interviewing')).locator(`.card[data-id="${id}"]`).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript the Move form changes the status', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page);
  const card = (await column(page, 'interviewing')).locator('.card').first();
  const id = await card.getAttribute('data-id');
  await card.locator('select[name=status]').selectOption('offer');
  await card.getByRole('button', { name: /move/i }).click();
  await page.waitForURL(/\/board$/);
  assert.equal(await (await column(page, 'offer')).locator(`.card[data-id="${id}"]`).count(), 1);
  await context.close();
});

test('the keyboard alone can move a card', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(srv.url + '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/board$/);
  const card = (await column(page, 'offer')).locator('.card').first();
  const id = await card.getAttribute('data-id');
  const select = card.locator('select[name=status]');
  await select.focus();
  await select.selectOption('accepted');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await (await column(page, 'accepted')).locator(`.card[data-id="${id}"]`).waitFor({ timeout: 5000 });
  // The card moves at once; the server's answer is what the announcement waits for.
  await page.waitForFunction(() => document.querySelector('#board-live')?.textContent.includes('Accepted'));
  await page.reload();
  assert.equal(await (await column(page, 'accepted')).locator(`.card[data-id="${id}"]`).count(), 1);
  await context.close();
});

test('pages render at phone width in light and dark without horizontal page overflow', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
      const page = await context.newPage();
      await logIn(page);
      for (const path of ['/board', '/applications', '/applications/1', '/settings', '/applications/new', '/postings', '/admin/sources']) {
        await page.goto(srv.url + path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${path} at ${width}px overflows the page by ${overflow}px`);
        await page.screenshot({ path: join(shots, `${path.replace(/\//g, '_') || 'root'}-${width}-${colorScheme}.png`), fullPage: true });
      }
      await context.close();
    }
  }
});
