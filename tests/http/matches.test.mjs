// Best matches of a resume over the API and the page: a small hand-built
// corpus where the right order is known (the accountant's resume ranks the
// staff accountant posting over the financial analyst one over the nurse
// one), the search's filters, bad filters as 400s, and isolation: a user
// cannot rank with another user's resume (404, as for one that does not
// exist). Resumes are filed straight into the store, encrypted with the
// server's secret (tests/tools/test_ingest.c), as the upload would; the
// descriptions are plain text (the tool stores its "description_html" as
// the text the scanner reads).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, addResume, waitFor, Client } from '../lib/server.mjs';

let srv, A, B, ids, resumeA, resumeB;

const ACCOUNTANT = 'Jane Doe\nStaff Accountant\njane@example.com\n\nExperience\n'
  + 'Staff Accountant, Acme — Jan 2018 – Dec 2024\n'
  + '- Owned the general ledger, bank reconciliation and month-end close under GAAP\n'
  + '- Ran accounts payable in QuickBooks and SAP\n\nEducation\nB.S. Accounting, 2014 – 2018\n\n'
  + 'Skills\nGAAP, QuickBooks, SAP, Excel, CPA\n';

before(async () => {
  srv = await startServer();
  A = await newUser(srv.url, 'ranker@example.com');
  B = await newUser(srv.url, 'other@example.com');
  const base = Math.floor(Date.now() / 1000) - 1000;
  ids = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'm1', title: 'Staff Accountant', company: 'Acme', location: 'Berlin',
      country: 'DE', workplace: 'remote', employment_type: ['FULL_TIME'], seen_at: base + 1,
      description_html: 'Staff Accountant\n\nRequirements\n- 3+ years with the general ledger and account '
        + 'reconciliations\n- GAAP, month-end close and accounts payable\n- QuickBooks and SAP\n'
        + '- Bachelor\'s degree in accounting\n\nNice to have\n- CPA\n' },
    { source: 'lever', external_id: 'm2', title: 'Financial Analyst', company: 'Globex', location: 'Paris',
      country: 'FR', workplace: 'onsite', employment_type: ['FULL_TIME'], seen_at: base + 2,
      description_html: 'Financial Analyst\n\nRequirements\n- Budgeting and forecasting models\n'
        + '- Financial reporting to leadership\n- GAAP knowledge\n- SAP\n' },
    { source: 'lever', external_id: 'm3', title: 'Registered Nurse', company: 'Care', location: 'Berlin',
      country: 'DE', workplace: 'onsite', employment_type: ['PART_TIME'], seen_at: base + 3,
      description_html: 'Registered Nurse\n\nRequirements\n- Patient care on a busy ward\n- BLS and ACLS\n'
        + '- Medication administration\n- Epic EHR\n' },
  ]);
  resumeA = addResume(srv.dataDir, A.user.id, 'a.txt', ACCOUNTANT);
  resumeB = addResume(srv.dataDir, B.user.id, 'b.txt', 'John Roe\nRegistered Nurse\n\nSkills\nPatient care, BLS\n');
  // the ranking starts once the word weights are read (503 until then), and
  // filters go through the search index, which sees new postings within a
  // second of their ingest
  await waitFor(async () => {
    const r = await A.call('GET', `/api/v1/resumes/${resumeA}/matches?country=DE`);
    assert.ok(r.status === 200 || r.status === 503, r.text);
    if (r.status === 503) assert.ok(r.headers.get('retry-after'));
    return r.status === 200 && r.body.candidates === 2;
  }, { timeout: 15000, what: 'best matches and the search index to be ready' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

const matches = async (user, id, qs = '') => {
  const r = await user.call('GET', `/api/v1/resumes/${id}/matches${qs ? `?${qs}` : ''}`);
  assert.equal(r.status, 200, `${qs}: ${r.text}`);
  return r.body;
};
const idsOf = (body) => body.items.map((m) => m.posting_id);

test('the accountant ranks the accountant posting first, the nurse last, with scores and skills', async () => {
  const r = await matches(A, resumeA);
  assert.deepEqual(idsOf(r), ids);
  assert.equal(r.candidates, 3);
  assert.equal(r.ranked, 3);
  assert.equal(r.cached_now, 0, 'the service cached them before');
  assert.ok(r.took_ms >= 0);
  const [acc, fin, nurse] = r.items;
  assert.ok(acc.score > fin.score && fin.score > nurse.score, JSON.stringify(r.items.map((m) => m.score)));
  assert.ok(acc.score >= 0 && acc.score <= 100);
  assert.equal(acc.title, 'Staff Accountant');
  assert.equal(acc.company, 'Acme');
  assert.ok(acc.matched_skills.includes('GAAP'), acc.matched_skills);
  assert.ok(!acc.missing_skills.includes('GAAP'));
  assert.ok(nurse.missing_skills.length >= 3, nurse.missing_skills);
  assert.deepEqual(acc.breakdown.map((p) => p.name),
    ['hard_skills', 'soft_skills', 'keywords', 'job_title', 'education', 'experience']);
  const points = acc.breakdown.reduce((s, p) => s + p.points, 0);
  assert.ok(Math.abs(points - acc.score) < 0.5, `${points} vs ${acc.score}`);
  // the other resume ranks the other way round
  const n = await matches(B, resumeB);
  assert.equal(idsOf(n)[0], ids[2]);
});

test('the search filters narrow what is ranked; the limit cuts it', async () => {
  const cases = {
    'country=DE': [0, 2], 'workplace=remote': [0], 'workplace=onsite,hybrid': [1, 2], 'q=nurse': [2],
    'employment_type=FULL_TIME': [0, 1], 'source=lever': [1, 2], 'company=globex': [1],
    'q=accountant&country=FR': [], 'limit=1': [0],
  };
  for (const [qs, want] of Object.entries(cases)) {
    const r = await matches(A, resumeA, qs);
    assert.deepEqual(idsOf(r), want.map((i) => ids[i]), qs);
  }
  const r = await matches(A, resumeA, 'country=DE');
  assert.equal(r.candidates, 2);
});

test('bad filters are 400s naming the parameter', async () => {
  for (const [qs, field] of [['workplace=moon', 'workplace'], ['limit=0', 'limit'], ['limit=201', 'limit'],
    ['min_salary=-5', 'min_salary'], ['q=%22open', 'q'], ['posted_within_days=x', 'posted_within_days']]) {
    const r = await A.call('GET', `/api/v1/resumes/${resumeA}/matches?${qs}`);
    assert.equal(r.status, 400, `${qs}: ${r.text}`);
    assert.equal(r.body.error.field, field, qs);
  }
});

test('isolation: another user\'s resume is not found; so is none; sign-in is required', async () => {
  for (const [user, id] of [[B, resumeA], [A, resumeB], [A, 999999]]) {
    const r = await user.call('GET', `/api/v1/resumes/${id}/matches`);
    assert.equal(r.status, 404, r.text);
    assert.ok(!r.text.includes('Accountant') && !r.text.includes('Nurse'));
  }
  const anon = await fetch(`${srv.url}/api/v1/resumes/${resumeA}/matches`);
  assert.equal(anon.status, 401);
});

test('the page lists the ranking with its form, and hides another user\'s resume', async () => {
  const c = new Client(srv.url);
  const r = await c.form('/login', { email: A.email, password: A.password });
  assert.equal(r.status, 303);
  const page = await c.fetch(`/resumes/${resumeA}/matches?country=DE`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Best matches for “a\.txt”/);
  const order = [...html.matchAll(/href="\/postings\/(\d+)" class="match-title"/g)].map((m) => Number(m[1]));
  assert.deepEqual(order, [ids[0], ids[2]]);
  assert.match(html, /<label for="m-country">Country<\/label>/);
  assert.match(html, /value="DE"/);
  assert.match(html, /<meter[^>]+aria-label="Match score \d+ of 100"/);
  const bad = await c.fetch(`/resumes/${resumeA}/matches?workplace=moon`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /role="alert"/);
  const other = await c.fetch(`/resumes/${resumeB}/matches`);
  assert.equal(other.status, 404);
  assert.ok(!(await other.text()).includes('b.txt'));
});
