// A stale edit form: the application changed (in another tab, on another
// device, through the API) while the form was open. Saving it must not
// overwrite that change: the form comes back with the person's edits and a
// message naming what changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let srv, browser, page, user;
before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'stale-form@example.com');
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

test('saving a stale edit form names what changed, keeps what was typed and overwrites nothing', async () => {
  const created = await user.call('POST', '/api/v1/applications', {
    company: 'Babbage & Co', position: 'Engineer', status: 'applied', notes: 'First call went well',
  });
  const id = created.body.id;
  await page.goto(`${srv.url}/applications/${id}`);
  await page.locator('.edit-app summary').click();
  await page.getByLabel(/^Location/).fill('London');
  await page.getByLabel(/^Salary from|^From/).fill('90000');

  // Meanwhile, elsewhere: the status and the notes change.
  const elsewhere = await user.call('PATCH', `/api/v1/applications/${id}`, { status: 'interviewing', notes: 'Onsite next week' });
  assert.equal(elsewhere.status, 200, elsewhere.text);

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/applications/${id}`) && r.request().method() === 'POST'),
    page.getByRole('button', { name: /save changes/i }).click(),
  ]);
  assert.equal(response.status(), 409);
  const alert = page.locator('#app-form-conflict');
  await alert.waitFor();
  const message = await alert.innerText();
  assert.match(message, /While you were editing, this application changed/);
  assert.match(message, /Status is now Interviewing \(was Applied\)/);
  assert.match(message, /Notes changed/);
  assert.doesNotMatch(message, /Location|Salary/, 'only what changed elsewhere is named');

  // The form is open, with what was typed, over the current values.
  assert.equal(await page.getByLabel(/^Location/).inputValue(), 'London');
  assert.equal(await page.getByLabel(/^Salary from|^From/).inputValue(), '90000');
  assert.equal(await page.locator('#f-status').inputValue(), 'interviewing');
  assert.equal(await page.locator('#f-notes').inputValue(), 'Onsite next week');

  // Nothing was overwritten (nor half-saved).
  let now = (await user.call('GET', `/api/v1/applications/${id}`)).body;
  assert.deepEqual([now.status, now.notes, now.location, now.salary_min], ['interviewing', 'Onsite next week', '', null]);

  // Saved again after review: the edits go in, the other change stays.
  await Promise.all([
    page.waitForURL(new RegExp(`/applications/${id}$`)),
    page.getByRole('button', { name: /save changes/i }).click(),
  ]);
  now = (await user.call('GET', `/api/v1/applications/${id}`)).body;
  assert.deepEqual([now.status, now.notes, now.location, now.salary_min], ['interviewing', 'Onsite next week', 'London', 90000]);
});

test('a form whose application only gained a timeline entry meanwhile saves without a question', async () => {
  const created = await user.call('POST', '/api/v1/applications', { company: 'Quiet Co', position: 'Engineer' });
  const id = created.body.id;
  await page.goto(`${srv.url}/applications/${id}`);
  await page.locator('.edit-app summary').click();
  await page.getByLabel(/^Location/).fill('Remote');
  await user.call('POST', `/api/v1/applications/${id}/events`, { kind: 'note', body: 'Recruiter called' });
  await Promise.all([
    page.waitForURL(new RegExp(`/applications/${id}$`)),
    page.getByRole('button', { name: /save changes/i }).click(),
  ]);
  assert.equal((await user.call('GET', `/api/v1/applications/${id}`)).body.location, 'Remote');
});
