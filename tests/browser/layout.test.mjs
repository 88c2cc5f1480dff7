// Layout at the widths people use: a phone's 390 px never scrolls the page
// sideways, and a board wider than a desktop window shows that it scrolls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, ingestPostings } from '../lib/server.mjs';
import { launch, logInPage } from '../lib/browser.mjs';

const shots = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(shots, { recursive: true });

let srv, browser, user;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'layout@example.com');
  ingestPostings(srv.dataDir, Array.from({ length: 4 }, (_, i) => ({
    source: 'greenhouse', external_id: `l${i}`, title: `Senior Site Reliability Engineer ${i}`,
    company: 'Some Very Long Company Name GmbH', location: 'Berlin, Germany', salary_min: 90000, salary_max: 120000,
    salary_currency: 'EUR', salary_period: 'YEAR', date_posted: `2026-11-0${i + 1}`, description_html: 'Rust.' })));
  for (const status of ['saved', 'applied', 'interviewing', 'offer', 'rejected', 'ghosted'])
    await user.call('POST', '/api/v1/applications', { company: `Initech ${status}`, position: 'Engineer', status });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function pageAt(width) {
  return logInPage(await browser.newContext({ viewport: { width, height: 800 } }), srv.url, user);
}

test('at 390 px the postings pages fit the width (no sideways scroll)', async () => {
  const page = await pageAt(390);
  for (const path of ['/postings', '/postings?q=engineer', '/postings?q=-java']) {
    await page.goto(srv.url + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.equal(width, 390, `${path} is ${width} px wide`);
  }
  await page.screenshot({ path: join(shots, 'postings-390.png'), fullPage: true });
  await page.context().close();
});

test('at 1280 px the board says it scrolls: a label, a hint, a fading edge until the end', async () => {
  const page = await pageAt(1280);
  const board = page.getByRole('region', { name: /board.*scrolls sideways/i });
  await board.waitFor();
  assert.match(await page.locator('#board-hint').innerText(), /scrolls sideways/);
  const state = () => board.evaluate((b) => ({ more: b.scrollWidth > b.clientWidth + b.scrollLeft + 1,
    mask: getComputedStyle(b).maskImage || getComputedStyle(b).webkitMaskImage }));
  const start = await state();
  assert.ok(start.more, 'six columns are wider than 1280 px');
  assert.match(start.mask, /gradient/, 'the right edge fades while there is more');
  await page.screenshot({ path: join(shots, 'board-1280.png') });
  // the keyboard scrolls it too: it takes the focus
  await board.focus();
  await board.evaluate((b) => { b.scrollLeft = b.scrollWidth; });
  await page.waitForTimeout(100);
  const end = await state();
  assert.equal(end.more, false);
  assert.equal(end.mask, 'none', 'no fade at the end');
  await page.context().close();
});
