// /api/v1/analytics/market/*: the market view over a constructed set of
// scraped postings, checked value by value against figures worked out by
// hand below; a new posting shows (the cache keys on the market's
// generation); bad parameters are 400s; 401 without credentials. The rules
// are in src/analytics/market.h and checked on fixed dates in
// tests/unit/test_market.c.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, waitFor } from '../lib/server.mjs';

const DAY = 86400000;
const today = Math.floor(Date.now() / DAY);
const iso = (day) => new Date(day * DAY).toISOString().slice(0, 10);
let srv, U;

async function ok(path) {
  const r = await U.call('GET', `/api/v1/analytics/market/${path}`);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.body;
}

// 1 "Rust Engineer"    Berlin   Rust, PostgreSQL  today    remote   EUR 100k-120k a year -> 110k  greenhouse
// 2 "Python Developer" Berlin   Python, SQL       today-1  onsite   EUR 90k a year (min only)      lever
// 3 "Data Engineer"    Munich   SQL, Python, Rust today-2  hybrid   USD 60k-80k a year -> 70k      remotive
// 4 "Rust Developer"   Hamburg  Rust              today    unknown  EUR 5k a month = 60k a year    greenhouse
// 5 "Office Manager"   Berlin   Excel             today-40 onsite   no salary                      lever
const POSTINGS = [
  { external_id: 'm1', title: 'Rust Engineer', location: 'Berlin', description_html: 'Rust and PostgreSQL.',
    date_posted: iso(today), workplace: 'remote', salary_min: 100000, salary_max: 120000, salary_currency: 'EUR',
    salary_period: 'YEAR', source: 'greenhouse' },
  { external_id: 'm2', title: 'Python Developer', location: 'Berlin', description_html: 'Python and SQL.',
    date_posted: iso(today - 1), workplace: 'onsite', salary_min: 90000, salary_currency: 'EUR', salary_period: 'YEAR',
    source: 'lever' },
  { external_id: 'm3', title: 'Data Engineer', location: 'Munich', description_html: 'SQL, Python and Rust.',
    date_posted: iso(today - 2), workplace: 'hybrid', salary_min: 60000, salary_max: 80000, salary_currency: 'USD',
    salary_period: 'YEAR', source: 'remotive' },
  { external_id: 'm4', title: 'Rust Developer', location: 'Hamburg', description_html: 'Rust.', date_posted: iso(today),
    salary_min: 5000, salary_currency: 'EUR', salary_period: 'MONTH', salary_year_min: 60000, source: 'greenhouse' },
  { external_id: 'm5', title: 'Office Manager', location: 'Berlin', description_html: 'Excel.',
    date_posted: iso(today - 40), workplace: 'onsite', source: 'lever' },
];

before(async () => {
  srv = await startServer();
  U = await newUser(srv.url, 'market@example.com');
  ingestPostings(srv.dataDir, POSTINGS);
  await waitFor(async () => (await U.call('GET', '/api/v1/analytics/market/sources')).body?.postings === 5,
    { timeout: 15000, what: 'the market table' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

describe('market API', () => {
  test('skills: most demanded first, week by week', async () => {
    // Rust 1, 3, 4; Python 2, 3; SQL 2, 3 (ties by name); then Microsoft
    // Excel 5 and PostgreSQL 1, one each. Every posting is within 12 weeks.
    const s = await ok('skills?weeks=12&top=3');
    assert.equal(s.weeks.length, 12);
    const monday = today - ((today + 3) % 7);
    assert.equal(s.weeks[11].week, iso(monday));
    assert.equal(s.weeks[0].week, iso(monday - 77));
    assert.equal(s.postings, 5);
    assert.deepEqual(s.skills.map((k) => [k.id, k.name, k.postings, k.share]),
      [['rust', 'Rust', 3, 0.6], ['python', 'Python', 2, 0.4], ['sql', 'SQL', 2, 0.4]]);
    // Each posting's week, as the server counts them: Mondays, UTC.
    const week = (day) => 11 - (monday - (day - ((day + 3) % 7))) / 7;
    const expect = (days) => { const w = Array(12).fill(0); for (const d of days) w[week(d)]++; return w; };
    assert.deepEqual(s.skills[0].weekly, expect([today, today - 2, today]));
    assert.deepEqual(s.skills[1].weekly, expect([today - 1, today - 2]));
    assert.deepEqual(s.weeks.map((w) => w.postings), expect([today, today - 1, today - 2, today, today - 40]));
    const all = await ok('skills?weeks=12&top=100');
    assert.deepEqual(all.skills.slice(3).map((k) => [k.name, k.postings]), [['Microsoft Excel', 1], ['PostgreSQL', 1]]);
    // One week back leaves posting 5 out.
    assert.ok((await ok('skills?weeks=1')).postings <= 4);
  });

  test('salary: yearly, per currency, with percentiles and a histogram', async () => {
    // EUR 60k, 90k, 110k; USD 70k. Nearest rank of three: p10, p25 the
    // 1st; p50 the 2nd; p75, p90 the 3rd. Width: 50k / 10 = 5k, from 60k,
    // 11 bins; 60k, 90k, 110k fall in bins 0, 6, 10.
    const s = await ok('salary');
    assert.equal(s.postings, 5);
    assert.equal(s.with_salary, 4);
    assert.deepEqual(s.currencies.map((c) => [c.currency, c.count]), [['EUR', 3], ['USD', 1]]);
    const eur = s.currencies[0];
    assert.deepEqual([eur.min, eur.p10, eur.p25, eur.p50, eur.p75, eur.p90, eur.max],
      [60000, 60000, 60000, 90000, 110000, 110000, 110000]);
    assert.equal(eur.histogram.length, 11);
    assert.deepEqual(eur.histogram[0], { from: 60000, to: 65000, count: 1 });
    assert.deepEqual(eur.histogram.map((b) => b.count), [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.deepEqual(s.currencies[1].histogram, [{ from: 70000, to: 80000, count: 1 }]);
    // "engineer": 1 and 3; "developer" in Berlin: 2 only.
    const eng = await ok('salary?title=engineer');
    assert.equal(eng.title, 'engineer');
    assert.equal(eng.postings, 2);
    assert.deepEqual(eng.currencies.map((c) => [c.currency, c.p50]), [['EUR', 110000], ['USD', 70000]]);
    const dev = await ok('salary?title=developer&location=berlin&bins=5');
    assert.equal(dev.postings, 1);
    assert.deepEqual(dev.currencies.map((c) => [c.currency, c.p50]), [['EUR', 90000]]);
    assert.equal((await ok('salary?title=nobody%20at%20all')).postings, 0);
  });

  test('sources, days and the remote share', async () => {
    // greenhouse 1, 4; lever 2, 5; remotive 3 (ties by name).
    const src = await ok('sources');
    assert.equal(src.postings, 5);
    assert.equal(src.open, 5);
    assert.deepEqual(src.sources, [{ source: 'greenhouse', postings: 2, open: 2 }, { source: 'lever', postings: 2, open: 2 },
      { source: 'remotive', postings: 1, open: 1 }]);
    // The last 7 days: 2 today, 1 yesterday, 1 the day before; 5 is older.
    const days = await ok('daily?days=7');
    assert.deepEqual(days.days.map((d) => [d.day, d.postings]),
      [6, 5, 4, 3, 2, 1, 0].map((k) => [iso(today - k), k === 0 ? 2 : k <= 2 ? 1 : 0]));
    // Open: unknown 4; onsite 2, 5; hybrid 3; remote 1.
    const r = await ok('remote');
    assert.deepEqual(r.workplaces.map((w) => [w.workplace, w.postings, w.share]),
      [['unknown', 1, 0.2], ['onsite', 2, 0.4], ['hybrid', 1, 0.2], ['remote', 1, 0.2]]);
    assert.equal(r.remote_share, 0.2);
  });

  test('a new posting shows at once, cached figures notwithstanding', async () => {
    await ok('remote');
    ingestPostings(srv.dataDir, [{ external_id: 'm6', title: 'Go Engineer', description_html: 'Go.', workplace: 'remote',
      date_posted: iso(today), source: 'remotive' }]);
    await waitFor(async () => (await ok('remote')).remote_share === 0.3333, { timeout: 10000, what: 'the new posting' });
    const src = await ok('sources');
    // Three sources of two each now: by name.
    assert.deepEqual(src.sources.map((s) => [s.source, s.open]), [['greenhouse', 2], ['lever', 2], ['remotive', 2]]);
    assert.equal(src.postings, 6);
  });

  test('bad parameters are 400s naming the parameter; no credentials, 401', async () => {
    for (const [path, field] of [['skills?weeks=0', 'weeks'], ['skills?top=101', 'top'], ['daily?days=367', 'days'],
      ['salary?bins=x', 'bins'], [`salary?title=${'a'.repeat(201)}`, 'title']]) {
      const r = await U.call('GET', `/api/v1/analytics/market/${path}`);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error.field, field, path);
    }
    const anon = await fetch(`${srv.url}/api/v1/analytics/market/skills`);
    assert.equal(anon.status, 401);
  });
});
