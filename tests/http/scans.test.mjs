// Resume scans over the API: a resume (the default when none is named)
// against a stored posting or a pasted job description gives the explained
// 0–100 score (sub-scores with weights, matched and missing skills), the
// resume's ATS checks, and on a re-scan of the same resume and job the
// change since the scan before; the history filters by resume and posting;
// another user reaches none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, ingestPostings, Client, databaseUrl } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'resumes');

const BACKEND_JOB = `Senior Backend Engineer
Requirements:
- 5+ years of experience building backend services in Go
- Strong PostgreSQL and Kafka experience
- Kubernetes and Terraform in production
- Experience with GraphQL and Rust
Nice to have:
- AWS certification
- Excellent communication skills`;

const NURSE_JOB = `Registered Nurse
Requirements:
- Current RN license and BLS certification
- 3+ years of acute care nursing experience
- Patient assessment, medication administration and care planning
- Compassion and teamwork`;

let srv, A, B, devId, nurseId, postingId;
/** Uploads a fixture (fields: name, default …); resolves to the new resume's id. */
async function upload(user, file, fields = {}) {
  const form = new FormData();
  form.set('file', new Blob([readFileSync(join(fixtures, file))]), file);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(`${srv.url}/api/v1/resumes`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).id;
}

before(async () => {
  srv = await startServer();
  A = await newUser(srv.url);
  B = await newUser(srv.url);
  devId = await upload(A, 'developer.md');
  nurseId = await upload(A, 'nurse-single-column.pdf');
  [postingId] = ingestPostings(srv.dataDir, [{ source: 'greenhouse', external_id: 'be-1', title: 'Senior Backend Engineer',
    company: 'Acme', url: 'https://boards.greenhouse.io/acme/jobs/1', seen_at: Math.floor(Date.now() / 1000) - 100,
    description_html: BACKEND_JOB }]);
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

test('a scan against a posting, with the default resume: score, breakdown, skills, ATS checks', async () => {
  const r = await A.call('POST', '/api/v1/scans', { posting_id: postingId });
  assert.equal(r.status, 201, r.text);
  const s = r.body;
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/scans/${s.id}$`));
  assert.equal(s.resume_id, devId, 'the first upload is the default');
  assert.equal(s.resume_name, 'developer.md');
  assert.equal(s.posting_id, postingId);
  assert.equal(s.job_title, 'Senior Backend Engineer');
  assert.ok(s.score >= 0 && s.score <= 100);
  assert.ok(['strong', 'partial', 'low'].includes(s.band));
  const parts = Object.fromEntries(s.breakdown.map((p) => [p.name, p]));
  for (const name of ['hard_skills', 'soft_skills', 'keywords', 'job_title', 'education', 'experience']) {
    assert.ok(parts[name], name);
    assert.equal(typeof parts[name].weight, 'number');
  }
  const sum = s.breakdown.filter((p) => p.scored).reduce((t, p) => t + p.points, 0);
  assert.ok(Math.abs(sum - s.score) < 0.6, `points ${sum} add up to the score ${s.score}`);
  const matched = s.matched.map((t) => t.term.toLowerCase());
  const missing = s.missing.map((t) => t.term.toLowerCase());
  const has = (list, skill) => list.some((t) => t === skill || t.split(' ').includes(skill));
  for (const skill of ['go', 'postgresql', 'kafka', 'kubernetes', 'terraform']) assert.ok(has(matched, skill), `${skill} matched: ${matched}`);
  for (const skill of ['graphql', 'rust']) assert.ok(has(missing, skill), `${skill} missing: ${missing}`);
  assert.ok(s.missing.every((t) => typeof t.posting_count === 'number' && t.need));
  assert.ok(Array.isArray(s.suggestions));
  const ats = Object.fromEntries(s.ats.map((c) => [c.id, c]));
  assert.equal(ats.tables.status, 'warn');
  assert.ok(ats.tables.advice);
  assert.equal(s.delta, null, 'the first scan of this resume and posting has no delta');
});

test('a nice-to-have sentence keeps the years asked; the breakdown adds up as shown in the API and on the page; empty term boxes say so', async () => {
  const r = await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: 'Engineer. 5+ years experience. Go is a plus.' });
  assert.equal(r.status, 201, r.text);
  const exp = r.body.breakdown.find((p) => p.name === 'experience');
  assert.ok(exp.scored, JSON.stringify(exp));
  assert.match(exp.detail, /5 years/);
  const mine = new Client(srv.url);
  await mine.form('/login', { email: A.email, password: A.password });
  const tenths = (x) => Math.round(Number(x) * 10);
  const empty = { missing: 0, matched: 0 };
  for (const job of [BACKEND_JOB, NURSE_JOB, 'Engineer. 5+ years experience. Go is a plus.', 'Plumber. Pipe fitting.']) {
    const s = (await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: job })).body;
    const scored = s.breakdown.filter((p) => p.scored);
    for (const p of scored) assert.equal(tenths(p.points) + tenths(p.lost), tenths(p.max_points), JSON.stringify(p));
    assert.equal(scored.reduce((t, p) => t + tenths(p.max_points), 0), 1000, JSON.stringify(scored));
    assert.equal(scored.reduce((t, p) => t + tenths(p.points), 0), tenths(s.score), JSON.stringify(s.breakdown));
    const html = await (await mine.fetch(`/scans/${s.id}`)).text();
    const rows = [...html.matchAll(/<tr><th scope="row">[^<]+<\/th><td>([\d.]+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td>/g)];
    assert.equal(rows.length, scored.length, 'a row with numbers for each scored part');
    for (const [, w, pts, lost] of rows) {
      for (const x of [w, pts, lost]) assert.match(x, /^\d+\.\d$/);
      assert.equal(tenths(pts) + tenths(lost), tenths(w));
    }
    assert.equal(rows.reduce((t, [, w]) => t + tenths(w), 0), 1000);
    assert.equal(rows.reduce((t, [, , pts]) => t + tenths(pts), 0), tenths(html.match(/id="match-score">([\d.]+)</)[1]));
    const list = (id) => html.match(new RegExp(`<ul class="term-list" id="${id}">([\\s\\S]*?)</ul>`))[1];
    if (s.missing.length === 0) assert.match(list('missing-skills'), /Nothing the posting asks for is missing/);
    else assert.doesNotMatch(list('missing-skills'), /Nothing the posting asks for/);
    if (s.matched.length === 0) assert.match(list('matched-skills'), /None/);
    else assert.doesNotMatch(list('matched-skills'), /matched-none/);
    empty.missing += s.missing.length === 0;
    empty.matched += s.matched.length === 0;
  }
  assert.ok(empty.missing >= 1 && empty.matched >= 1, `both empty boxes were seen: ${JSON.stringify(empty)}`);
});

test('the developer matches the backend job better than the nurse does, and the other way round', async () => {
  const dev = await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: BACKEND_JOB });
  const nurse = await A.call('POST', '/api/v1/scans', { resume_id: nurseId, job_text: BACKEND_JOB });
  const devNurse = await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: NURSE_JOB, job_title: 'Registered Nurse' });
  const nurseNurse = await A.call('POST', '/api/v1/scans', { resume_id: nurseId, job_text: NURSE_JOB, job_title: 'Registered Nurse' });
  for (const r of [dev, nurse, devNurse, nurseNurse]) assert.equal(r.status, 201, r.text);
  assert.ok(dev.body.score > nurse.body.score + 15, `${dev.body.score} vs ${nurse.body.score}`);
  assert.ok(nurseNurse.body.score > devNurse.body.score + 15, `${nurseNurse.body.score} vs ${devNurse.body.score}`);
  assert.equal(nurseNurse.body.job_title, 'Registered Nurse');
  const blank = await A.call('POST', '/api/v1/scans', { resume_id: nurseId, job_text: NURSE_JOB, job_title: '  ' });
  assert.equal(blank.body.job_title, 'Registered Nurse', 'a blank title: the text\'s own');
  assert.equal(nurseNurse.body.posting_id, null);
  const ats = Object.fromEntries(nurseNurse.body.ats.map((c) => [c.id, c.status]));
  assert.equal(ats.file_type, 'pass');
  assert.equal(ats.text_layer, 'pass');
});

test('a re-scan reports the change since the scan before of the same resume and job', async () => {
  const first = await A.call('POST', '/api/v1/scans', { resume_id: devId, posting_id: postingId });
  const again = await A.call('POST', '/api/v1/scans', { resume_id: devId, posting_id: postingId });
  assert.equal(again.status, 201);
  assert.equal(again.body.delta.previous_scan_id, first.body.id);
  assert.equal(again.body.delta.score_change, 0);
  assert.deepEqual(again.body.delta.newly_matched, []);
  // The employer rewrites the posting: Go and Kafka go, Python and Docker come.
  ingestPostings(srv.dataDir, [{ source: 'greenhouse', external_id: 'be-1', title: 'Senior Backend Engineer',
    company: 'Acme', url: 'https://boards.greenhouse.io/acme/jobs/1', seen_at: Math.floor(Date.now() / 1000),
    description_html: BACKEND_JOB.replace('in Go', 'in Python').replace('PostgreSQL and Kafka', 'PostgreSQL and Docker') }]);
  const changed = await A.call('POST', '/api/v1/scans', { resume_id: devId, posting_id: postingId });
  assert.equal(changed.status, 201, changed.text);
  const d = changed.body.delta;
  assert.equal(d.previous_scan_id, again.body.id);
  assert.equal(d.previous_score, again.body.score);
  assert.ok(Math.abs(d.score_change - (changed.body.score - again.body.score)) < 0.11);
  const lost = d.no_longer_matched.map((t) => t.toLowerCase());
  assert.ok(lost.includes('apache kafka'), `kafka lost: ${lost}`);
  assert.ok(d.newly_matched.map((t) => t.toLowerCase()).includes('python'), JSON.stringify(d));
  // Another resume's scans of the same posting are not its "before".
  const other = await A.call('POST', '/api/v1/scans', { resume_id: nurseId, posting_id: postingId });
  assert.equal(other.body.delta, null);
});

test('an edited resume put in place of the old file keeps its history, and the re-scan shows what changed', async () => {
  const id = await upload(A, 'developer.md', { name: 'Editable' });
  const before = await A.call('POST', '/api/v1/scans', { resume_id: id, job_text: BACKEND_JOB });
  assert.equal(before.status, 201);
  const edited = readFileSync(join(fixtures, 'developer.md'), 'utf8')
    .replace('| Languages | Go, Python, SQL, C |', '| Languages | Go, Python, SQL, C, Rust |\n| APIs | GraphQL, REST |');
  assert.notEqual(edited, readFileSync(join(fixtures, 'developer.md'), 'utf8'));
  const form = new FormData();
  form.set('file', new Blob([edited]), 'developer-v2.md');
  const put = await fetch(`${srv.url}/api/v1/resumes/${id}/file`, { method: 'PUT', headers: { authorization: `Bearer ${A.token}` }, body: form });
  assert.equal(put.status, 200, await put.clone().text());
  const meta = await put.json();
  assert.equal(meta.id, id);
  assert.equal(meta.name, 'Editable', 'the name stays');
  assert.equal(meta.size, Buffer.byteLength(edited));
  const file = await fetch(`${srv.url}/api/v1/resumes/${id}/file`, { headers: { authorization: `Bearer ${A.token}` } });
  assert.equal(await file.text(), edited, 'the new file is served');
  const after = await A.call('POST', '/api/v1/scans', { resume_id: id, job_text: BACKEND_JOB });
  assert.equal(after.status, 201);
  // The old scan's marks say the resume changed since (its text now); the new one's do not.
  assert.equal((await A.call('GET', `/api/v1/scans/${before.body.id}/marks`)).body.resume.resume_changed, true);
  const now = (await A.call('GET', `/api/v1/scans/${after.body.id}/marks`)).body;
  assert.equal(now.resume.resume_changed, false);
  assert.match(now.resume.text, /GraphQL, REST/);
  const d = after.body.delta;
  assert.equal(d.previous_scan_id, before.body.id);
  assert.ok(d.score_change > 0, `the score rose: ${JSON.stringify(d)}`);
  const gained = d.newly_matched.map((t) => t.toLowerCase());
  assert.ok(gained.some((t) => t.includes('graphql')) && gained.some((t) => t.includes('rust')), JSON.stringify(d));
  // An unreadable edit leaves the old file in place; another user cannot replace it.
  const bad = new FormData();
  bad.set('file', new Blob([readFileSync(join(fixtures, 'encrypted.pdf'))]), 'x.pdf');
  const r = await fetch(`${srv.url}/api/v1/resumes/${id}/file`, { method: 'PUT', headers: { authorization: `Bearer ${A.token}` }, body: bad });
  assert.equal(r.status, 422);
  const theirs = new FormData();
  theirs.set('file', new Blob(['# Mallory\n\n## Skills\n\nNothing']), 'm.md');
  const other = await fetch(`${srv.url}/api/v1/resumes/${id}/file`, { method: 'PUT', headers: { authorization: `Bearer ${B.token}` }, body: theirs });
  assert.equal(other.status, 404);
  const still = await fetch(`${srv.url}/api/v1/resumes/${id}/file`, { headers: { authorization: `Bearer ${A.token}` } });
  assert.equal(await still.text(), edited);
  assert.equal((await A.call('DELETE', `/api/v1/resumes/${id}`)).status, 204);
});

test('history: newest first, filtered by resume and posting; one scan; delete', async () => {
  const all = await A.call('GET', '/api/v1/scans');
  assert.equal(all.status, 200);
  const ids = all.body.items.map((s) => s.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
  const byPosting = await A.call('GET', `/api/v1/scans?posting_id=${postingId}`);
  assert.ok(byPosting.body.items.length >= 5);
  assert.ok(byPosting.body.items.every((s) => s.posting_id === postingId));
  const both = await A.call('GET', `/api/v1/scans?posting_id=${postingId}&resume_id=${nurseId}`);
  assert.equal(both.body.items.length, 1);
  assert.equal(both.body.items[0].resume_id, nurseId);
  assert.equal(typeof both.body.items[0].score, 'number');
  assert.equal((await A.call('GET', '/api/v1/scans?limit=2')).body.items.length, 2);
  assert.equal((await A.call('GET', '/api/v1/scans?resume_id=abc')).status, 400);

  const one = await A.call('GET', `/api/v1/scans/${ids[0]}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.id, ids[0]);
  assert.ok(Array.isArray(one.body.breakdown) && Array.isArray(one.body.ats));
  assert.equal((await A.call('DELETE', `/api/v1/scans/${ids[0]}`)).status, 204);
  assert.equal((await A.call('GET', `/api/v1/scans/${ids[0]}`)).status, 404);
  // A resume's scans go with it.
  assert.equal((await A.call('DELETE', `/api/v1/resumes/${nurseId}`)).status, 204);
  assert.deepEqual((await A.call('GET', `/api/v1/scans?resume_id=${nurseId}`)).body.items, []);
});

test('bad requests say what is wrong', async () => {
  const cases = [
    [{}, 422], [{ posting_id: postingId, job_text: 'x' }, 422], [{ posting_id: 'x' }, 422], [{ job_text: '   ' }, 422],
    [{ job_text: 5 }, 422], [{ resume_id: -1, job_text: 'Nurse' }, 422], [{ posting_id: 999999 }, 404],
    [{ resume_id: 999999, job_text: 'Nurse' }, 404], [{ job_text: 'x'.repeat(100001) }, 422],
    [{ job_text: 'Nurse', job_title: 'x'.repeat(301) }, 422],
  ];
  for (const [body, status] of cases) {
    const r = await A.call('POST', '/api/v1/scans', body);
    assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.ok(r.body.error.message.length > 10);
  }
  const none = await B.call('POST', '/api/v1/scans', { job_text: NURSE_JOB });
  assert.equal(none.status, 404, 'no default resume yet');
  assert.match(none.body.error.message, /upload/i);
});

test('a pasted job description is kept with its scan: run it again, and see both texts with the terms marked', async () => {
  const first = await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: BACKEND_JOB, job_title: 'Platform Engineer' });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.job_text, BACKEND_JOB);
  assert.match(first.body.taxonomy_version, /^[0-9a-f]{16}$/);
  // Suggestions a job seeker can act on: where to add a missing skill, the title, the years.
  const sug = first.body.suggestions.join('\n');
  assert.match(sug, /add 'GraphQL' to your skills section if you have it — the posting mentions it 1 time \(required\)/, sug);
  assert.match(sug, /differs from the posting's 'Platform Engineer'/, sug);
  const again = await A.call('POST', `/api/v1/scans/${first.body.id}/rerun`);
  assert.equal(again.status, 201, again.text);
  assert.notEqual(again.body.id, first.body.id);
  assert.equal(again.body.job_title, 'Platform Engineer');
  assert.equal(again.body.delta.previous_scan_id, first.body.id, 'the same job: the change since the first');
  assert.equal(again.body.score, first.body.score);
  assert.match(again.headers.get('location'), new RegExp(`/api/v1/scans/${again.body.id}$`));

  const m = await A.call('GET', `/api/v1/scans/${again.body.id}/marks`);
  assert.equal(m.status, 200, m.text);
  const slice = (t, mk) => Buffer.from(t, 'utf8').subarray(mk.start, mk.start + mk.length).toString('utf8');
  const termsAt = (part, matched) => part.marks.filter((mk) => m.body.terms[mk.term].matched === matched)
    .map((mk) => [m.body.terms[mk.term].term, slice(part.text, mk)]);
  assert.equal(m.body.resume.resume_changed, false);
  // Renaming the resume (a second later, so its row's time is past the scan's) is no edit of its text.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal((await A.call('PATCH', `/api/v1/resumes/${devId}`, { name: 'renamed.md' })).status, 200);
  assert.equal((await A.call('GET', `/api/v1/scans/${again.body.id}/marks`)).body.resume.resume_changed, false);
  assert.equal((await A.call('PATCH', `/api/v1/resumes/${devId}`, { name: 'developer.md' })).status, 200);
  const resumeMarked = termsAt(m.body.resume, true);
  assert.ok(resumeMarked.some(([term, text]) => term === 'Kubernetes' && /^(kubernetes|k8s)$/i.test(text)), JSON.stringify(resumeMarked));
  assert.deepEqual(termsAt(m.body.resume, false), [], 'a missing term is not in the resume');
  assert.equal(m.body.job.text, BACKEND_JOB);
  const jobMissing = termsAt(m.body.job, false);
  assert.ok(jobMissing.some(([term, text]) => term === 'GraphQL' && text === 'GraphQL'), JSON.stringify(jobMissing));
  assert.ok(termsAt(m.body.job, true).some(([term]) => term === 'Terraform'));
  const starts = m.body.job.marks.map((mk) => mk.start);
  assert.deepEqual(starts, [...starts].sort((x, y) => x - y), 'in text order');
  m.body.job.marks.forEach((mk, i) => i && assert.ok(mk.start >= m.body.job.marks[i - 1].start + m.body.job.marks[i - 1].length, 'no overlap'));

  // A stored posting's scan marks the posting's text; the other user reaches neither.
  const p = await A.call('POST', '/api/v1/scans', { resume_id: devId, posting_id: postingId });
  const pm = await A.call('GET', `/api/v1/scans/${p.body.id}/marks`);
  assert.equal(pm.status, 200);
  assert.ok(pm.body.job.marks.length > 3 && pm.body.resume.marks.length > 3);
  assert.equal(p.body.job_text, undefined, 'a posting\'s text is not copied into the scan');
  assert.equal((await B.call('POST', `/api/v1/scans/${first.body.id}/rerun`)).status, 404);
  assert.equal((await B.call('GET', `/api/v1/scans/${first.body.id}/marks`)).status, 404);
  assert.equal((await A.call('POST', '/api/v1/scans/99999999/rerun')).status, 404);
});

test('the scan page runs a scan again and deletes it with the CSRF token; another user can do neither', async () => {
  const s = await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: NURSE_JOB });
  assert.equal(s.status, 201);
  const mine = new Client(srv.url);
  await mine.form('/login', { email: A.email, password: A.password });
  const html = await (await mine.fetch(`/scans/${s.body.id}`)).text();
  assert.match(html, /id="job-marked"/);
  assert.match(html, /<mark class="hl-missing" title="missing: [^"]+">[^<]+<span class="sr-only"> \(missing from your resume\)<\/span><\/mark>/);
  assert.match(html, new RegExp(`action="/scans/${s.body.id}/delete"`));
  const post = (path, token) => mine.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(token ? { _csrf: token } : {}).toString() });
  assert.equal((await post(`/scans/${s.body.id}/rerun`)).status, 403, 'no token');
  assert.equal((await post(`/scans/${s.body.id}/delete`)).status, 403, 'no token');
  const token = await mine.csrf(`/scans/${s.body.id}`);
  const again = await post(`/scans/${s.body.id}/rerun`, token);
  assert.equal(again.status, 303);
  const newId = Number(again.headers.get('location').match(/^\/scans\/(\d+)$/)[1]);
  assert.equal((await A.call('GET', `/api/v1/scans/${newId}`)).body.delta.previous_scan_id, s.body.id);
  const theirs = new Client(srv.url);
  await theirs.form('/login', { email: B.email, password: B.password });
  const bt = await theirs.csrf('/resumes');
  for (const action of ['rerun', 'delete']) {
    const r = await theirs.fetch(`/scans/${newId}/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: bt }).toString() });
    assert.equal(r.status, 404, action);
  }
  assert.equal((await theirs.fetch(`/scans/${newId}`)).status, 404);
  const del = await post(`/scans/${newId}/delete`, token);
  assert.equal(del.status, 303);
  assert.equal(del.headers.get('location'), '/resumes');
  assert.equal((await A.call('GET', `/api/v1/scans/${newId}`)).status, 404);
  assert.equal((await A.call('GET', `/api/v1/scans/${s.body.id}`)).status, 200, 'only that scan went');
});

/** Puts result in place of scan id's stored result (as a scan made before a
 *  field existed): SQLite through Python's sqlite3, PostgreSQL through psql. */
function setResult(id, result) {
  const url = databaseUrl(srv.dataDir);
  const r = url.startsWith('sqlite:')
    ? spawnSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE scans SET result = ? WHERE id = ?", (sys.argv[2], int(sys.argv[3]))); c.commit()',
      url.slice(7), result, String(id)], { encoding: 'utf8', timeout: 30000 })
    : spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `r=${result}`, '-d', url],
      { input: `UPDATE scans SET result = :'r' WHERE id = ${Number(id)};\n`, encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
}

test('a pasted scan made before its text was kept: no run again (paste it again), its resume still marked', async () => {
  const s = await A.call('POST', '/api/v1/scans', { resume_id: devId, job_text: NURSE_JOB });
  const old = (await A.call('GET', `/api/v1/scans/${s.body.id}`)).body;
  assert.equal(old.job_text, NURSE_JOB);
  delete old.job_text;
  delete old.id;
  delete old.created_at;
  delete old.resume_fingerprint;
  setResult(s.body.id, JSON.stringify(old));
  const r = await A.call('POST', `/api/v1/scans/${s.body.id}/rerun`);
  assert.equal(r.status, 422, r.text);
  assert.match(r.body.error.message, /paste it again/);
  const m = await A.call('GET', `/api/v1/scans/${s.body.id}/marks`);
  assert.equal(m.status, 200, m.text);
  assert.equal(m.body.job, null);
  assert.match(m.body.resume.text, /Finch Payments/);
  assert.equal(m.body.resume.resume_changed, false, 'no fingerprint kept: the resume row is no newer than the scan');
  const page = new Client(srv.url);
  await page.form('/login', { email: A.email, password: A.password });
  const html = await (await page.fetch(`/scans/${s.body.id}`)).text();
  assert.doesNotMatch(html, /id="scan-again"/);
  assert.match(html, new RegExp(`href="/scans/new\\?resume_id=${devId}">Paste the job again`));
  assert.doesNotMatch(html, /id="job-marked"/);
  assert.match(html, /id="resume-marked"/);
});

test('another user reaches none of my scans or resumes', async () => {
  const mine = (await A.call('GET', '/api/v1/scans')).body.items;
  assert.ok(mine.length > 0);
  assert.deepEqual((await B.call('GET', '/api/v1/scans')).body.items, []);
  assert.deepEqual((await B.call('GET', `/api/v1/scans?resume_id=${devId}`)).body.items, []);
  for (const s of mine.slice(0, 3)) {
    assert.equal((await B.call('GET', `/api/v1/scans/${s.id}`)).status, 404);
    assert.equal((await B.call('DELETE', `/api/v1/scans/${s.id}`)).status, 404);
  }
  assert.equal((await B.call('POST', '/api/v1/scans', { resume_id: devId, job_text: NURSE_JOB })).status, 404);
  assert.equal((await A.call('GET', '/api/v1/scans')).body.items.length, mine.length);
});
