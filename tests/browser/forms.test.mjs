// Forms on the application page: validation errors beside their fields,
// timeline entries, contacts, and the list view's filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let srv, browser, page, context, user;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'grace@example.com');
  context = await browser.newContext({ timezoneId: 'UTC' });
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

test('a rejected form keeps what was typed and shows each error beside its field', async () => {
  await page.goto(srv.url + '/applications/new');
  await page.getByLabel(/^Position/).fill('Compiler Engineer');
  await page.getByLabel(/^Job posting URL|^Posting URL|^URL/).fill('not a url');
  await page.getByRole('button', { name: /add application/i }).click();
  const company = page.getByLabel(/^Company/);
  assert.equal(await company.getAttribute('aria-invalid'), 'true');
  const describedBy = await company.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the company field points at its error');
  assert.match(await page.locator(`#${describedBy.split(' ')[0]}`).innerText(), /company/i);
  assert.equal(await page.getByLabel(/^Position/).inputValue(), 'Compiler Engineer');
  const list = await user.call('GET', '/api/v1/applications');
  assert.equal(list.body.total, 0, 'nothing was stored');
});

test('interviews, notes and contacts added on the page show up on the timeline and contact list', async () => {
  const created = await user.call('POST', '/api/v1/applications', { company: 'Analytical Engines Ltd', position: 'Programmer' });
  await page.goto(`${srv.url}/applications/${created.body.id}`);
  await page.locator('#timeline summary').click();
  await page.getByLabel(/^Kind|^Type/).selectOption('interview');
  await page.getByLabel(/^When/).fill('2026-12-03T14:30');
  await page.getByLabel(/^Title/).fill('Technical interview');
  await page.getByLabel(/^Interview kind|^Interview type|^Format/).fill('video');
  await page.getByLabel(/^With/).fill('Charles Babbage');
  await page.getByRole('button', { name: /add to timeline/i }).click();
  await page.waitForURL(/#timeline$/);
  const timeline = page.locator('#timeline');
  assert.match(await timeline.innerText(), /Technical interview/);
  assert.match(await timeline.innerText(), /Charles Babbage/);

  await page.locator('#contacts summary').click();
  await page.getByLabel(/^Name/).fill('Ada Lovelace');
  await page.getByLabel(/^Role/).fill('Hiring manager');
  await page.getByLabel(/^E-?mail/).fill('ada@engines.example');
  await page.getByRole('button', { name: /add contact/i }).click();
  await page.waitForURL(/#contacts$/);
  assert.match(await page.locator('#contacts').innerText(), /Ada Lovelace/);

  const events = await user.call('GET', `/api/v1/applications/${created.body.id}/events`);
  const interview = events.body.items.find((e) => e.kind === 'interview');
  assert.equal(interview.with_whom, 'Charles Babbage');
  assert.equal(interview.at, '2026-12-03T14:30:00Z');
});

test('the list view filters by text and status and sorts', async () => {
  await user.call('POST', '/api/v1/applications', { company: 'Zeta Corp', position: 'SRE', status: 'applied' });
  await user.call('POST', '/api/v1/applications', { company: 'Alpha Inc', position: 'SRE', status: 'rejected' });
  await page.goto(srv.url + '/applications');
  await page.getByLabel(/^Search/).fill('SRE');
  await page.getByRole('button', { name: /filter|apply|search/i }).first().click();
  await page.waitForURL(/q=SRE/);
  let rows = await page.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  await page.goto(srv.url + '/applications?q=SRE&sort=company');
  rows = await page.locator('tbody tr').allInnerTexts();
  assert.match(rows[0], /Alpha Inc/);
  assert.match(rows[1], /Zeta Corp/);
  await page.goto(srv.url + '/applications?status=rejected');
  rows = await page.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /Alpha Inc/);
});
