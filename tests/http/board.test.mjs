// The board's "Up next": the week's follow-ups and interviews, nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client } from '../lib/server.mjs';

let srv, user, browser;
before(async () => {
  srv = await startServer();
  user = await newUser(srv.url, 'board@example.com');
  browser = new Client(srv.url);
  assert.equal((await browser.form('/login', { email: user.email, password: user.password })).status, 303);
});
after(async () => { assert.equal((await srv.stop()).code, 0); });

const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

test('Up next lists due follow-ups and this week\'s interviews, soonest first, and nothing else', async () => {
  const mk = (company, extra) => user.call('POST', '/api/v1/applications', { company, position: 'Dev', ...extra });
  await mk('Overdue Co', { status: 'applied', follow_up_on: day(-3) });
  await mk('Later Co', { status: 'applied', follow_up_on: day(20) });
  await mk('Closed Co', { status: 'rejected', follow_up_on: day(-1) });
  const iv = await mk('Interview Co', { status: 'interviewing' });
  await user.call('POST', `/api/v1/applications/${iv.body.id}/events`, { kind: 'interview', at: `${day(2)}T15:00`, title: 'Panel' });
  const gone = await mk('Gone Co', { status: 'interviewing' });
  await user.call('POST', `/api/v1/applications/${gone.body.id}/events`, { kind: 'interview', at: `${day(1)}T10:00`, title: 'Cancelled' });
  await user.call('PATCH', `/api/v1/applications/${gone.body.id}`, { status: 'withdrawn' });
  const far = await mk('Far Co', { status: 'interviewing' });
  await user.call('POST', `/api/v1/applications/${far.body.id}/events`, { kind: 'interview', at: `${day(30)}T15:00`, title: 'Someday' });
  const html = await (await browser.fetch('/board')).text();
  const start = html.indexOf('id="agenda-h"');
  assert.ok(start > 0, 'Up next is shown');
  const agenda = html.slice(start, html.indexOf('</section>', start));
  assert.match(agenda, /Overdue Co/);
  assert.match(agenda, /Overdue since/);
  assert.match(agenda, /Interview Co/);
  assert.match(agenda, /Panel/);
  assert.doesNotMatch(agenda, /Later Co|Closed Co|Far Co|Someday|Gone Co|Cancelled/);
  assert.ok(agenda.indexOf('Overdue Co') < agenda.indexOf('Interview Co'), 'overdue first');
  assert.doesNotMatch(agenda, /Board/, 'no page title borrowed by items without one');
});

test('a board with nothing due shows no Up next', async () => {
  const quiet = await newUser(srv.url);
  const c = new Client(srv.url);
  await c.form('/login', { email: quiet.email, password: quiet.password });
  await quiet.call('POST', '/api/v1/applications', { company: 'Calm Co', position: 'Dev' });
  const html = await (await c.fetch('/board')).text();
  assert.match(html, /Calm Co/);
  assert.doesNotMatch(html, /Up next/);
});

test('a pile of overdue follow-ups does not push this week\'s interview off Up next', async () => {
  const busy = await newUser(srv.url);
  const c = new Client(srv.url);
  await c.form('/login', { email: busy.email, password: busy.password });
  const iv = await busy.call('POST', '/api/v1/applications', { company: 'Interview Tomorrow Co', position: 'Dev', status: 'interviewing' });
  await busy.call('POST', `/api/v1/applications/${iv.body.id}/events`, { kind: 'interview', at: `${day(1)}T15:00`, title: 'Final round' });
  // created after, so the board lists them first; the oldest is created last
  for (let i = 1; i <= 10; i++)
    await busy.call('POST', '/api/v1/applications', { company: `Pile ${i} Co`, position: 'Dev', status: 'applied', follow_up_on: day(-i) });
  const html = await (await c.fetch('/board')).text();
  const start = html.indexOf('id="agenda-h"');
  const agenda = html.slice(start, html.indexOf('</section>', start));
  assert.match(agenda, /Interview Tomorrow Co/);
  assert.match(agenda, /Final round/);
  const shown = [...agenda.matchAll(/Pile (\d+) Co/g)].map((m) => Number(m[1]));
  assert.equal(shown.length, 7, 'eight places in all');
  // the longest overdue ones, oldest first
  assert.deepEqual(shown, [10, 9, 8, 7, 6, 5, 4]);
});

test('tags on cards link to the list filtered by that tag, safely encoded', async () => {
  await user.call('POST', '/api/v1/applications', { company: 'Tagged Co', position: 'Dev', tags: ['c++ & rust', 'remote'] });
  const html = await (await browser.fetch('/board')).text();
  assert.match(html, /<a href="\/applications\?tag=c%2B%2B%20%26%20rust">c\+\+ &amp; rust<\/a>/);
  const list = await (await browser.fetch('/applications?tag=c%2B%2B%20%26%20rust')).text();
  assert.match(list, /Tagged Co/);
});

test('"today" follows the browser\'s time zone (jt_tzo), and a follow-up keeps its writer\'s calendar day', async () => {
  // An offset whose calendar day differs from UTC's right now.
  const offset = new Date().getUTCHours() >= 10 ? 14 * 60 : -12 * 60;
  const localDay = new Date(Date.now() + offset * 60e3).toISOString().slice(0, 10);
  const utcDay = new Date().toISOString().slice(0, 10);
  assert.notEqual(localDay, utcDay);
  const app = await user.call('POST', '/api/v1/applications', { company: 'Zone Co', position: 'Dev', status: 'applied', follow_up_on: localDay });
  const card = (html) => html.slice(html.indexOf(`data-id="${app.body.id}"`), html.indexOf('</li>', html.indexOf(`data-id="${app.body.id}"`)));
  browser.cookies.set('jt_tzo', String(offset));
  assert.match(card(await (await browser.fetch('/board')).text()), /Due today/);
  browser.cookies.set('jt_tzo', '0');
  assert.doesNotMatch(card(await (await browser.fetch('/board')).text()), /Due today/);
  browser.cookies.delete('jt_tzo');

  // 21:00 in New York on a day is that day's follow-up, though it is the next day in UTC.
  const day = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
  const plain = await user.call('POST', '/api/v1/applications', { company: 'Evening Co', position: 'Dev' });
  const fu = await user.call('POST', `/api/v1/applications/${plain.body.id}/events`, { kind: 'follow_up', at: `${day}T21:00-05:00` });
  assert.equal(fu.status, 201);
  assert.equal((await user.call('GET', `/api/v1/applications/${plain.body.id}`)).body.follow_up_on, day);
});
