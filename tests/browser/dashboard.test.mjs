// The dashboard in a real browser: every chart is drawn (a canvas with ink
// on it) from its endpoint, each table shows the numbers that endpoint
// answers, the switch between chart and table works from the keyboard, and
// without JavaScript the tables are all there and readable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, waitFor } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

const DAY = 86400000;
const today = Math.floor(Date.now() / DAY);
const iso = (day) => new Date(day * DAY).toISOString().slice(0, 10);
let srv, browser, context, page, user;

async function api(path) {
  const r = await user.call('GET', path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.body;
}

async function login(ctx) {
  const p = await ctx.newPage();
  await p.goto(srv.url + '/login');
  await p.getByLabel('Email').fill(user.email);
  await p.getByLabel('Password').fill(user.password);
  await p.getByRole('button', { name: /log in/i }).click();
  await p.waitForURL(/\/board$/);
  return p;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  user = await newUser(srv.url, 'dash@example.com');
  const add = async (fields, moves = []) => {
    const r = await user.call('POST', '/api/v1/applications', { company: 'Acme', position: 'Engineer', ...fields });
    assert.equal(r.status, 201, r.text);
    for (const status of moves) assert.equal((await user.call('PATCH', `/api/v1/applications/${r.body.id}`, { status })).status, 200);
  };
  await add({ source: 'linkedin' }, ['applied', 'screening', 'interviewing']);
  await add({ source: 'referral', status: 'applied' }, ['rejected']);
  await add({ source: 'linkedin' });
  await add({ status: 'applied' });
  ingestPostings(srv.dataDir, [
    { external_id: 'd1', title: 'Rust Engineer', description_html: 'Rust, SQL and PostgreSQL.', date_posted: iso(today),
      workplace: 'remote', salary_min: 90000, salary_max: 110000, salary_currency: 'EUR', salary_period: 'YEAR', source: 'greenhouse' },
    { external_id: 'd2', title: 'Data Engineer', description_html: 'Python and SQL.', date_posted: iso(today - 3),
      workplace: 'onsite', salary_min: 70000, salary_currency: 'EUR', salary_period: 'YEAR', source: 'lever' },
    { external_id: 'd3', title: 'Go Developer', description_html: 'Go and Rust.', date_posted: iso(today - 9),
      workplace: 'hybrid', salary_min: 120000, salary_currency: 'USD', salary_period: 'YEAR', source: 'remotive' },
  ]);
  await waitFor(async () => (await user.call('GET', '/api/v1/analytics/market/sources')).body?.postings === 3,
    { timeout: 15000, what: 'the market table' });
  context = await browser.newContext({ timezoneId: 'UTC' });
  page = await login(context);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** The text of every cell of the section's first table, row by row. */
const cells = (id) => page.$$eval(`#${id} .dash-table table:first-of-type tbody tr`,
  (rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
const pct = (v) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const money = (v) => Math.round(v).toLocaleString('en-US');

test('every chart is drawn from its endpoint, on a canvas with ink on it', async () => {
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL(/\/dashboard$/);
  await page.locator('.dashboard[data-charts="ready"]').waitFor({ timeout: 15000 });
  const sections = await page.$$eval('.dash-section[data-endpoint]', (ss) => ss.map((s) => [s.id, s.dataset.drawn]));
  assert.equal(sections.length, 10);
  for (const [id, drawn] of sections) assert.equal(drawn, 'true', `${id} was not drawn`);
  const inked = await page.$$eval('.dash-chart canvas', (cs) => cs.map((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
    return [c.closest('section').id, c.width, c.height, n];
  }));
  assert.equal(inked.length, 10);
  for (const [id, w, h, n] of inked) {
    assert.ok(w > 100 && h > 100, `${id}: ${w}x${h}`);
    assert.ok(n > 500, `${id}: only ${n} pixels drawn`);
  }
  // Charts first, tables a click away; every canvas says what it is.
  assert.equal(await page.locator('#dash-funnel .dash-table').isHidden(), true);
  assert.equal(await page.locator('.dash-chart canvas:not([role="img"][aria-label])').count(), 0);
});

test('the tables show the numbers the API answers', async () => {
  const funnel = await api('/api/v1/analytics/funnel');
  assert.deepEqual(await cells('dash-funnel'), funnel.stages.map((s) => [s.label, String(s.count), pct(s.conversion)]));
  assert.equal(funnel.stages[1].count, 3, 'the data set is what the test thinks');
  const pipeline = await api('/api/v1/analytics/pipeline');
  assert.deepEqual(await cells('dash-pipeline'), pipeline.statuses.map((s) => [s.label, String(s.count)]));
  const resp = await api('/api/v1/analytics/responses');
  const group = (key) => (g) => [key(g), String(g.applied), String(g.responded), pct(g.response_rate),
    g.median_response_days === null ? '–' : g.median_response_days.toFixed(1), String(g.ghosted)];
  assert.deepEqual(await cells('dash-by-source'), resp.by_source.map(group((g) => g.source || '(no source)')));
  assert.deepEqual(await cells('dash-by-month'), resp.by_month.map(group((g) => g.month)));
  assert.equal(await page.locator('#dash-ghosted dd').textContent(), String(resp.overall.ghosted));
  const activity = await api('/api/v1/analytics/activity');
  assert.deepEqual(await cells('dash-activity'), activity.weeks.map((w) => [w.week, String(w.saved), String(w.applied)]));

  const skills = await api('/api/v1/analytics/market/skills');
  assert.deepEqual(await cells('dash-skills'), skills.skills.map((k) => [k.name, String(k.postings), pct(k.share), ...k.weekly.map(String)]));
  assert.deepEqual(skills.skills.slice(0, 2).map((k) => [k.name, k.postings]), [['Rust', 2], ['SQL', 2]]);
  const salary = await api('/api/v1/analytics/market/salary');
  assert.deepEqual(await cells('dash-salary'), salary.currencies.map((c) => [c.currency, String(c.count),
    ...[c.min, c.p10, c.p25, c.p50, c.p75, c.p90, c.max].map(money)]));
  assert.deepEqual(salary.currencies.map((c) => [c.currency, c.p50]), [['EUR', 70000], ['USD', 120000]]);
  const sources = await api('/api/v1/analytics/market/sources');
  assert.deepEqual(await cells('dash-sources'), sources.sources.map((s) => [s.source, String(s.open), String(s.postings)]));
  const remote = await api('/api/v1/analytics/market/remote');
  assert.deepEqual(await cells('dash-remote'), remote.workplaces.map((w) => [w.workplace, String(w.postings), pct(w.share)]));
  const daily = await api('/api/v1/analytics/market/daily');
  assert.deepEqual(await cells('dash-daily'), daily.days.map((d) => [d.day, String(d.postings)]));
});

test('a salary query narrows the table and the chart alike', async () => {
  await page.getByLabel('Title', { exact: true }).fill('engineer');
  await page.getByRole('button', { name: 'Show salaries' }).click();
  await page.waitForURL(/\/dashboard\?title=engineer&location=$/);
  await page.locator('.dashboard[data-charts="ready"]').waitFor();
  const salary = await api('/api/v1/analytics/market/salary?title=engineer');
  assert.equal(salary.postings, 2);
  assert.deepEqual(await cells('dash-salary'), salary.currencies.map((c) => [c.currency, String(c.count),
    ...[c.min, c.p10, c.p25, c.p50, c.p75, c.p90, c.max].map(money)]));
  assert.equal(await page.locator('#dash-salary').getAttribute('data-endpoint'), '/api/v1/analytics/market/salary?title=engineer');
});

test('the chart/table switch works from the keyboard', async () => {
  const toggle = page.locator('#dash-funnel .dash-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#dash-funnel .dash-table').isVisible(), true);
  assert.equal(await page.locator('#dash-funnel .dash-chart').isHidden(), true);
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#dash-funnel .dash-chart').isVisible(), true);
});

test('without JavaScript the tables are there and nothing is missing', async () => {
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const p = await login(noJs);
  await p.goto(srv.url + '/dashboard');
  assert.equal(await p.locator('canvas').count(), 0);
  assert.equal(await p.locator('.dash-toggle').count(), 0);
  const visible = await p.$$eval('.dash-section[data-endpoint] .dash-table', (ts) => ts.map((t) => t.checkVisibility()));
  assert.equal(visible.length, 10);
  assert.ok(visible.every(Boolean));
  assert.match(await p.locator('#dash-pipeline').innerText(), /Applied\s+1/);
  await noJs.close();
});
