// The JSON backup of one user's data: export, import into a fresh server
// (another user), export again, and nothing differs field by field (ids
// aside, which belong to each instance); resume files come along; import
// checks everything first and is all or nothing; the CLI does the same.
// Version 2 adds saved searches, hidden postings (re-linked by listing on
// the importing server, skipped when it lacks them), blocked companies,
// reminder settings (never the webhook secret) and reminder mutes.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, ingestPostings, runCli, storeArgs, Client, backend } from '../lib/server.mjs';

const RESUME = 'Ada Lovelace\nEngineer\n\nExperience\nAnalytical Engine, 1843: wrote the first program.\nSkills: C, Rust, SQL\n';
let A, B, C, alice, bob, carol, postingId, doc1;
const SEEN = Math.floor(Date.now() / 1000) - 100;
const B1 = { source: 'greenhouse', external_id: 'b1', title: 'Rust Engineer', company: 'Acme', location: 'Berlin',
  description_html: 'Rust.', seen_at: SEEN };
const GONE = { source: 'lever', external_id: 'only-on-a', title: 'Go Developer', company: 'Gopher Ltd',
  location: 'Paris', description_html: 'Go.', seen_at: SEEN };
const OTHER = { source: 'lever', external_id: 'other', title: 'Cook', company: 'Kitchen', location: 'Rome',
  description_html: 'Food.', seen_at: SEEN };

before(async () => {
  [A, B, C] = [await startServer(), await startServer(), await startServer()];
  alice = await newUser(A.url, 'alice@example.com');
  bob = await newUser(B.url, 'bob@example.com');
  carol = await newUser(C.url, 'carol@example.com');
  const [b1OnA, goneOnA] = ingestPostings(A.dataDir, [B1, GONE]);
  postingId = b1OnA;
  // B and C have the b1 listing under another id (so the application's
  // posting link, which goes by id, is not kept there) and not the other one
  for (const s of [B, C]) ingestPostings(s.dataDir, [OTHER, B1]);
  const call = alice.call;
  const saved = await call('POST', `/api/v1/postings/${postingId}/save`);
  assert.ok([200, 201].includes(saved.status), saved.text);
  const a1 = (await call('POST', '/api/v1/applications', { company: 'Zürich Bank, "AG"', position: 'Dev; Senior',
    location: 'Zürich', url: 'https://example.com/a?b=c', source: 'referral', salary_min: 100000, salary_max: 130000,
    salary_currency: 'CHF', salary_period: 'year', status: 'saved', priority: 5, tags: ['remote', 'C', 'été'],
    saved_on: '2026-01-02', follow_up_on: '2026-02-01', notes: 'line one\nline two 😀' })).body;
  await call('PATCH', `/api/v1/applications/${a1.id}`, { status: 'interviewing', applied_on: '2026-01-05' });
  await call('POST', `/api/v1/applications/${a1.id}/events`, { kind: 'interview', at: '2026-01-20T10:00:00Z',
    interview_kind: 'onsite', with_whom: 'CTO', title: 'Round 2', body: 'Bring = + - @ cells' });
  await call('POST', `/api/v1/applications/${a1.id}/events`, { kind: 'note', body: 'Spoke to HR' });
  await call('POST', `/api/v1/applications/${a1.id}/events`, { kind: 'follow_up', at: '2026-02-01T09:00:00Z', title: 'ping' });
  const a2 = (await call('POST', '/api/v1/applications', { company: 'Plain', position: 'Engineer' })).body;
  const ann = (await call('POST', '/api/v1/contacts', { name: 'Ann Example', role: 'Recruiter', email: 'ann@example.com',
    phone: '+49 30 1234', url: 'https://example.com/ann', notes: 'met at a meetup' })).body;
  const zed = (await call('POST', '/api/v1/contacts', { name: 'Zed' })).body;
  await call('POST', '/api/v1/contacts', { name: 'Unlinked Person' });
  await call('POST', `/api/v1/applications/${a1.id}/contacts`, { contact_id: ann.id });
  await call('POST', `/api/v1/applications/${a2.id}/contacts`, { contact_id: ann.id });
  await call('POST', `/api/v1/applications/${a2.id}/contacts`, { contact_id: zed.id });
  // version 2: saved searches, hidden postings, blocked companies, reminders
  const ss = await call('POST', '/api/v1/saved-searches', { name: 'Rust in Berlin ✓', query: 'q=rust&workplace=remote', alert: 'weekly' });
  assert.equal(ss.status, 201, ss.text);
  assert.equal((await call('POST', '/api/v1/saved-searches', { name: 'Anything', query: '', alert: 'none' })).status, 201);
  for (const id of [b1OnA, goneOnA])
    assert.equal((await call('POST', '/api/v1/hidden/postings', { posting_id: id })).status, 204);
  for (const company of ['Evil Corp', 'Ünïcode GmbH'])
    assert.equal((await call('POST', '/api/v1/hidden/companies', { company })).status, 204);
  const st = await call('PUT', '/api/v1/reminders/settings', { follow_up_days: 10, ghost_days: 30, email: false,
    webhook_url: 'https://hooks.example.com/jt' });
  assert.equal(st.status, 200, st.text);
  assert.equal((await call('DELETE', `/api/v1/applications/${a2.id}/follow-up`)).status, 200);
  const r = await call('GET', '/api/v1/backup');
  assert.equal(r.status, 200, r.text);
  doc1 = r.body;
});
after(async () => {
  for (const s of [A, B, C]) assert.deepEqual(await s.stop(), { code: 0, signal: null }, s.logs().slice(-3000));
});

/** A document without what belongs to one instance: ids (contacts become
 *  their index, links the contact's index), the export time and the user. */
function portable(doc) {
  const index = new Map(doc.contacts.map((c, i) => [c.id, i]));
  const strip = ({ id, ...rest }) => rest;
  return {
    format: doc.format, version: doc.version,
    contacts: doc.contacts.map(strip),
    applications: doc.applications.map((a) => ({ ...strip(a), posting: a.posting && strip(a.posting),
      contacts: a.contacts.map((c) => index.get(c)), events: a.events.map(strip) })),
    resumes: doc.resumes.map(strip),
    saved_searches: doc.saved_searches, hidden: doc.hidden, reminders: doc.reminders && { ...doc.reminders, updated_at: 0 },
  };
}

/** What another server keeps of doc: no posting links (the ids differ),
 *  and only the hidden postings whose listing it has. */
function elsewhere(doc, listed = ['greenhouse/b1']) {
  const want = portable(doc);
  for (const a of want.applications) a.posting = null;
  want.hidden = { ...want.hidden, postings: want.hidden.postings.filter((p) =>
    p.listings.some((l) => listed.includes(`${l.source}/${l.external_id}`))) };
  return want;
}

const COUNTS = { applications: 3, events: 7, contacts: 3, links: 3, resumes: 0, postings_linked: 0, reminder_mutes: 1,
  saved_searches: 2, saved_searches_skipped: 0, hidden_postings: 1, hidden_skipped: 1, blocked_companies: 2,
  blocked_skipped: 0, applications_already: 0, contacts_already: 0, resumes_already: 0, hidden_already: 0,
  blocked_already: 0, reminders: true };

describe('the document', () => {
  test('holds every application, timeline entry, contact and link, with their times', () => {
    assert.equal(doc1.format, 'jobtrack-backup');
    assert.equal(doc1.version, 2);
    assert.equal(doc1.user.email, 'alice@example.com');
    assert.equal(doc1.applications.length, 3);
    assert.equal(doc1.contacts.length, 3);
    const a1 = doc1.applications.find((a) => a.company === 'Zürich Bank, "AG"');
    assert.deepEqual(a1.tags, ['remote', 'C', 'été']);
    assert.equal(a1.status, 'interviewing');
    assert.match(a1.status_changed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(a1.events.map((e) => e.kind).sort(), ['created', 'follow_up', 'interview', 'note', 'status_change']);
    const sc = a1.events.find((e) => e.kind === 'status_change');
    assert.deepEqual([sc.from_status, sc.to_status], ['saved', 'interviewing']);
    const saved = doc1.applications.find((a) => a.posting);
    assert.equal(saved.posting.id, postingId);
    assert.equal(doc1.applications.find((a) => a.company === 'Plain').contacts.length, 2);
    assert.deepEqual(doc1.resumes, []);
  });

  test('holds saved searches, hidden postings by listing, blocked companies, reminders and mutes', () => {
    assert.deepEqual(doc1.saved_searches.map((s) => [s.name, s.query, s.alert]),
      [['Anything', '', 'none'], ['Rust in Berlin ✓', 'q=rust&workplace=remote', 'weekly']]);
    for (const s of doc1.saved_searches)
      for (const k of ['created_at', 'updated_at', 'last_looked_at']) assert.match(s[k], /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(doc1.hidden.postings.map((p) => [p.title, p.company, p.listings]), [
      ['Rust Engineer', 'Acme', [{ source: 'greenhouse', external_id: 'b1' }]],
      ['Go Developer', 'Gopher Ltd', [{ source: 'lever', external_id: 'only-on-a' }]]]);
    assert.deepEqual(doc1.hidden.companies.map((c) => c.name), ['Evil Corp', 'Ünïcode GmbH']);
    assert.deepEqual({ ...doc1.reminders, updated_at: 0 }, { follow_up_days: 10, ghost_days: 30, email: false,
      webhook_url: 'https://hooks.example.com/jt', updated_at: 0 });
    assert.ok(!JSON.stringify(doc1).includes('webhook_secret'), 'the webhook secret never leaves the server');
    assert.deepEqual(doc1.applications.map((a) => [a.company, a.reminder_muted]).sort(),
      [['Acme', false], ['Plain', true], ['Zürich Bank, "AG"', false]]);
  });
});

describe('round trip', () => {
  let doc2;
  test('into a fresh server: imported whole, then exported again with nothing lost', async () => {
    // a resume file travels too (the API has no upload yet: it goes in the document)
    const withResume = structuredClone(doc1);
    withResume.resumes = [{ id: 7, name: 'ada.txt', type: 'text', size: RESUME.length, is_default: true,
      created_at: '2026-01-01T08:00:00Z', updated_at: '2026-01-03T09:00:00Z',
      content_base64: Buffer.from(RESUME).toString('base64') }];
    // times of another day than today's, so that "now" on import would show
    withResume.saved_searches.forEach((ss, i) => Object.assign(ss, { created_at: `2025-0${i + 1}-01T08:00:00Z`,
      updated_at: `2025-0${i + 1}-02T08:00:00Z`, last_looked_at: `2025-0${i + 1}-03T08:00:00Z`,
      last_alert_at: i ? '2025-05-04T08:00:00Z' : null }));
    withResume.hidden.postings[0].created_at = '2025-06-01T10:00:00Z';
    withResume.hidden.companies[1].created_at = '2025-06-02T10:00:00Z';
    const r = await bob.call('POST', '/api/v1/backup/import', JSON.stringify(withResume), { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.webhook_secret_note, /new one was made/);
    assert.deepEqual(r.body, { ...COUNTS, resumes: 1, webhook_secret: 'new', webhook_secret_note: r.body.webhook_secret_note });
    assert.equal(withResume.applications.reduce((n, a) => n + a.events.length, 0), 7);
    doc2 = (await bob.call('GET', '/api/v1/backup')).body;
    // the posting has another id here: the link is dropped; the posting only
    // on A stays unhidden; everything else is as it was
    assert.deepEqual(portable(doc2), elsewhere(withResume));
    // re-linked to this server's own posting, and really hidden from bob's results
    const hidden = (await bob.call('GET', '/api/v1/hidden')).body;
    assert.deepEqual(JSON.stringify(hidden).match(/"Rust Engineer"/g).length, 1, JSON.stringify(hidden));
    const set = (await bob.call('GET', '/api/v1/reminders/settings')).body;
    assert.equal(set.webhook_url, 'https://hooks.example.com/jt');
    assert.match(set.webhook_secret, /^[0-9a-f]{64}$/);
    // importing the same again: the saved searches are there by name already
    const again = await bob.call('POST', '/api/v1/backup/import', JSON.stringify(doc2), { 'content-type': 'application/json' });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.body.saved_searches, again.body.saved_searches_skipped, again.body.webhook_secret], [0, 2, 'kept']);
    assert.equal((await bob.call('GET', '/api/v1/reminders/settings')).body.webhook_secret, set.webhook_secret);
  });

  test('and again into a third server: byte for byte the same data', async () => {
    const r = await carol.call('POST', '/api/v1/backup/import', JSON.stringify(doc2), { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    const doc3 = (await carol.call('GET', '/api/v1/backup')).body;
    assert.deepEqual(portable(doc3), portable(doc2));
    assert.equal(r.body.hidden_postings, 1);
    assert.equal(Buffer.from(doc3.resumes[0].content_base64, 'base64').toString(), RESUME);
  });

  test('into another user of the same server: the posting link is kept', async () => {
    const dave = await newUser(A.url);
    const r = await dave.call('POST', '/api/v1/backup/import', JSON.stringify(doc1), { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.postings_linked, 1);
    assert.deepEqual([r.body.hidden_postings, r.body.hidden_skipped], [2, 0]);
    const doc = (await dave.call('GET', '/api/v1/backup')).body;
    assert.deepEqual(portable(doc), portable(doc1));
  });

  test('a version 1 document (before saved searches and the rest) still imports', async () => {
    const u = await newUser(B.url);
    const { saved_searches, hidden, reminders, ...v1 } = structuredClone(doc1);
    v1.version = 1;
    for (const a of v1.applications) delete a.reminder_muted;
    const r = await u.call('POST', '/api/v1/backup/import', JSON.stringify(v1), { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.applications, r.body.saved_searches, r.body.hidden_postings, r.body.reminders,
      r.body.webhook_secret], [3, 0, 0, false, 'none']);
    const doc = (await u.call('GET', '/api/v1/backup')).body;
    assert.equal(doc.reminders, null);
    assert.deepEqual([doc.saved_searches, doc.hidden], [[], { postings: [], companies: [] }]);
  });
});

test('across backends: PostgreSQL to SQLite and back, nothing lost', { skip: backend !== 'postgres' && 'runs with JOBTRACK_TEST_PG' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jt-backup-sqlite-'));
  // the last --database-url wins: this server keeps its data in SQLite
  const lite = await startServer({ extraArgs: ['--database-url', `sqlite:${join(dir, 'jt.db')}`] });
  try {
    const u = await newUser(lite.url);
    const r = await u.call('POST', '/api/v1/backup/import', JSON.stringify(doc1), { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    const fromLite = (await u.call('GET', '/api/v1/backup')).body;
    const want = elsewhere(doc1, []); // this server has no postings
    assert.deepEqual(portable(fromLite), want);
    const back = await newUser(A.url);
    assert.equal((await back.call('POST', '/api/v1/backup/import', JSON.stringify(fromLite), { 'content-type': 'application/json' })).status, 200);
    assert.deepEqual(portable((await back.call('GET', '/api/v1/backup')).body), want);
  } finally {
    assert.equal((await lite.stop()).code, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('import refuses, and writes nothing', () => {
  const refused = async (who, body, pattern) => {
    const before = (await who.call('GET', '/api/v1/applications')).body.total;
    const r = await who.call('POST', '/api/v1/backup/import', typeof body === 'string' ? body : JSON.stringify(body),
      { 'content-type': 'application/json' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'bad_backup');
    assert.match(r.body.error.message, pattern);
    assert.equal((await who.call('GET', '/api/v1/applications')).body.total, before);
  };
  test('a mistake deep inside names its place', async () => {
    const u = await newUser(B.url);
    const bad = structuredClone(doc1);
    bad.applications[2].events[0].kind = 'party';
    await refused(u, bad, /^applications\[2\]\.events\[0\]\.kind: /);
    const bad2 = structuredClone(doc1);
    bad2.applications[1].salary_min = 'lots';
    await refused(u, bad2, /^applications\[1\]\.salary_min: /);
    const bad3 = structuredClone(doc1);
    bad3.applications[0].contacts = [987654];
    await refused(u, bad3, /^applications\[0\]\.contacts\[0\]: not the id of a contact/);
    const bad4 = structuredClone(doc1);
    bad4.contacts[1].created_at = 'yesterday';
    await refused(u, bad4, /^contacts\[1\]\.created_at: /);
    const bad5 = structuredClone(doc1);
    bad5.saved_searches[1].query = 'q=%ZZ';
    await refused(u, bad5, /^saved_searches\[1\]\.query: /);
    const bad6 = structuredClone(doc1);
    bad6.saved_searches[1].name = 'Anything';
    await refused(u, bad6, /^saved_searches\[1\]\.name: "Anything" appears twice/);
    const bad7 = structuredClone(doc1);
    bad7.hidden.postings[1].listings = [{ source: 'lever' }];
    await refused(u, bad7, /^hidden\.postings\[1\]\.listings\[0\]\.external_id: /);
    const bad8 = structuredClone(doc1);
    bad8.hidden.companies[0].name = '';
    await refused(u, bad8, /^hidden\.companies\[0\]\.name: /);
    const bad9 = structuredClone(doc1);
    bad9.reminders.ghost_days = 1000;
    await refused(u, bad9, /^reminders\.ghost_days: /);
    await refused(u, { ...doc1, reminders: { ...doc1.reminders, webhook_secret: 'x'.repeat(32) } }, /^reminders: .*webhook secret/);
    const bad10 = structuredClone(doc1);
    bad10.applications[0].reminder_muted = 'yes';
    await refused(u, bad10, /^applications\[0\]\.reminder_muted: /);
    // nothing of the valid parts before the mistake stayed either
    const doc = (await u.call('GET', '/api/v1/backup')).body;
    assert.deepEqual([doc.saved_searches, doc.hidden.companies, doc.reminders], [[], [], null]);
  });
  test('not JSON, not a backup, another version, a resume without its file', async () => {
    const u = await newUser(B.url);
    await refused(u, '{"format":', /^not JSON \(line 1/);
    await refused(u, { format: 'something else' }, /not a jobtrack backup/);
    await refused(u, { ...doc1, version: 99 }, /^version: /);
    await refused(u, { ...doc1, resumes: [{ id: 1, name: 'x.pdf', is_default: true, created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z' }] }, /content_base64: the file is missing/);
  });
  test('needs JSON and credentials', async () => {
    const r = await bob.call('POST', '/api/v1/backup/import', 'x', { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal((await fetch(`${B.url}/api/v1/backup`)).status, 401);
  });
});

test('restored into the same account, twice: nothing doubles, the rest is counted as left out', async () => {
  // a user of A (so both hidden postings are on this server) with a resume file
  const u = await newUser(A.url);
  const first = structuredClone(doc1);
  first.resumes = [{ id: 3, name: 'ada.txt', type: 'text', size: RESUME.length, is_default: true,
    created_at: '2026-01-01T08:00:00Z', updated_at: '2026-01-01T08:00:00Z',
    content_base64: Buffer.from(RESUME).toString('base64') }];
  const imp = (doc) => u.call('POST', '/api/v1/backup/import', JSON.stringify(doc), { 'content-type': 'application/json' });
  assert.equal((await imp(first)).status, 200);
  const own = (await u.call('GET', '/api/v1/backup')).body;
  assert.equal(own.applications.length, 3);
  for (let round = 0; round < 2; round++) {
    const r = await imp(own);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { ...COUNTS, applications: 0, events: 0, contacts: 0, links: 0, resumes: 0,
      reminder_mutes: 0, postings_linked: 0, saved_searches: 0, saved_searches_skipped: 2, hidden_postings: 0,
      hidden_skipped: 0, blocked_companies: 0, applications_already: 3, contacts_already: 3, resumes_already: 1,
      hidden_already: 2, blocked_already: 2, webhook_secret: 'kept', webhook_secret_note: r.body.webhook_secret_note });
    const after = (await u.call('GET', '/api/v1/backup')).body;
    assert.deepEqual(portable(after), portable(own), `round ${round + 1}: the account is as it was`);
  }
  assert.equal((await u.call('GET', '/api/v1/applications')).body.total, 3);
  // a new application in an older backup of the account: only it is added,
  // linked to the account's own contact
  const older = structuredClone(own);
  const extra = structuredClone(older.applications.find((a) => a.company === 'Plain'));
  Object.assign(extra, { id: 999, position: 'Staff Engineer', created_at: '2025-03-01T10:00:00Z' });
  extra.events.forEach((e, i) => Object.assign(e, { id: 900 + i }));
  older.applications.push(extra);
  const r = await imp(older);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.applications, r.body.applications_already, r.body.contacts, r.body.contacts_already,
    r.body.links], [1, 3, 0, 3, 2]);
  const list = (await u.call('GET', '/api/v1/contacts')).body;
  assert.equal((list.items ?? list).length, 3, 'no contact doubled for the new link');
  // the settings page and the CLI say so in words
  const c = new Client(A.url);
  assert.equal((await c.form('/login', { email: u.email, password: u.password })).status, 303);
  const form = new FormData();
  form.set('_csrf', await c.csrf('/settings'));
  form.set('file', new Blob([JSON.stringify(own)], { type: 'application/json' }), 'backup.json');
  const page = await (await c.fetch('/settings/backup', { method: 'POST', body: form })).text();
  assert.match(page, /Applications: <strong>0<\/strong>/);
  assert.match(page, /Hidden postings: <strong>0<\/strong>/);
  assert.match(page, /Left out because your account has them already: 3 applications .*, 3 contacts .*, 1 resumes \(the same file\), 2 hidden postings and 2 blocked companies/);
  const dir = mkdtempSync(join(tmpdir(), 'jt-backup-same-'));
  try {
    writeFileSync(join(dir, 'own.json'), JSON.stringify(own));
    const cli = runCli(['backup', 'import', '--user', u.email, '--file', join(dir, 'own.json'), ...storeArgs(A.dataDir)]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /: 0 applications, 0 timeline entries, 0 contacts \(0 links\), 0 resumes/);
    assert.match(cli.stdout, /left out as already in the account: 3 applications, 3 contacts, 1 resumes \(same file\), 2 hidden postings, 2 blocked companies/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('settings: download the backup, and restore one from a file (all or nothing)', async () => {
  const u = await newUser(C.url);
  const c = new Client(C.url);
  assert.equal((await c.form('/login', { email: u.email, password: u.password })).status, 303);
  const html = await (await c.fetch('/settings')).text();
  assert.match(html, /href="\/backup\.json"/);
  assert.match(html, /action="\/settings\/backup" enctype="multipart\/form-data"/);
  const upload = async (text) => {
    const form = new FormData();
    form.set('_csrf', await c.csrf('/settings'));
    form.set('file', new Blob([text], { type: 'application/json' }), 'backup.json');
    return c.fetch('/settings/backup', { method: 'POST', body: form });
  };
  const bad = structuredClone(doc1);
  bad.applications[0].status = 'dreaming';
  const refused = await upload(JSON.stringify(bad));
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /Nothing was imported: applications\[0\]\.status: /);
  assert.equal((await u.call('GET', '/api/v1/applications')).body.total, 0);
  const ok = await upload(JSON.stringify(doc1));
  assert.equal(ok.status, 200);
  const page = await ok.text();
  assert.match(page, /Applications: <strong>3<\/strong> · Timeline entries: <strong>7<\/strong> · Contacts: <strong>3<\/strong>/);
  assert.match(page, /Saved searches: <strong>2<\/strong> · Hidden postings: <strong>1<\/strong> · Blocked companies: <strong>2<\/strong>/);
  assert.match(page, /1 hidden postings this server does not have/);
  assert.match(page, /Backups never carry the webhook secret: a new one was made/);
  const dl = await c.fetch('/backup.json');
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="jobtrack-backup-\d{4}-\d\d-\d\d\.json"$/);
  const mine = await dl.json();
  assert.deepEqual(portable(mine), elsewhere(doc1));
});

test('CLI: backup export and import, the same document as the API', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jt-backup-'));
  try {
    const file = join(dir, 'alice.json');
    const ex = runCli(['backup', 'export', '--user', 'alice@example.com', '--file', file, ...storeArgs(A.dataDir)]);
    assert.equal(ex.status, 0, ex.stderr);
    const cli = JSON.parse(readFileSync(file, 'utf8'));
    const api = (await alice.call('GET', '/api/v1/backup')).body;
    assert.deepEqual({ ...cli, exported_at: 0 }, { ...api, exported_at: 0 });
    await newUser(C.url, 'erin@example.com');
    const im = runCli(['backup', 'import', '--user', 'erin@example.com', '--file', file, ...storeArgs(C.dataDir)]);
    assert.equal(im.status, 0, im.stderr);
    assert.match(im.stdout, /imported into erin@example\.com: 3 applications, 7 timeline entries, 3 contacts \(3 links\), 0 resumes/);
    assert.match(im.stdout, /2 saved searches \(0 skipped.*\), 1 hidden postings \(1 skipped: not on this server\), 2 blocked companies, 1 applications without/);
    assert.match(im.stdout, /a new one was made/);
    const out = runCli(['backup', 'export', '--user', 'erin@example.com', ...storeArgs(C.dataDir)]);
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(portable(JSON.parse(out.stdout)), elsewhere(cli));
    // errors say what to do
    const nobody = runCli(['backup', 'export', '--user', 'nobody@example.com', ...storeArgs(A.dataDir)]);
    assert.equal(nobody.status, 1);
    assert.match(nobody.stderr, /no user with e-mail nobody@example\.com/);
    writeFileSync(join(dir, 'bad.json'), '{"format":"jobtrack-backup","version":1,"contacts":[],"applications":[{"id":1}],"resumes":[]}');
    const bad = runCli(['backup', 'import', '--user', 'erin@example.com', '--file', join(dir, 'bad.json'), ...storeArgs(C.dataDir)]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /applications\[0\]\.created_at: /);
    assert.equal(runCli(['backup', 'export', ...storeArgs(A.dataDir)]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
