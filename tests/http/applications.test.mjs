// /api/v1/applications: create, read, change, delete, list with filters,
// sorting and pages. Every test works on its own tag so tests stay independent.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser } from '../lib/server.mjs';

let srv, u;
let seq = 0;
const uniq = (p = 't') => `${p}${Date.now().toString(36)}${++seq}`;
const today = () => new Date().toISOString().slice(0, 10);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

before(async () => {
  srv = await startServer();
  u = await newUser(srv.url);
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

async function create(fields) {
  const r = await u.call('POST', '/api/v1/applications', fields);
  assert.equal(r.status, 201, r.text);
  return r.body;
}
async function listIds(query) {
  const r = await u.call('GET', `/api/v1/applications?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((a) => a.id);
}
async function countTag(tag) {
  const r = await u.call('GET', `/api/v1/applications?tag=${encodeURIComponent(tag)}`);
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}
function assertInvalid(r, field) {
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'invalid');
  assert.equal(r.body.error.field, field, r.text);
  assert.equal(typeof r.body.error.fields[field], 'string');
}

describe('create and read', () => {
  test('a minimal application gets its defaults, a Location and a created event', async () => {
    const r = await u.call('POST', '/api/v1/applications', { company: 'Acme', position: 'Engineer' });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), `/api/v1/applications/${r.body.id}`);
    const a = r.body;
    assert.deepEqual(Object.keys(a), ['id', 'company', 'position', 'location', 'url', 'source', 'salary_min',
      'salary_max', 'salary_currency', 'salary_period', 'status', 'priority', 'tags', 'saved_on', 'applied_on',
      'follow_up_on', 'posting_id', 'posting_closed', 'posting_closed_at', 'notes', 'created_at', 'updated_at', 'status_changed_at', 'version']);
    assert.deepEqual({ ...a, id: 0, created_at: 0, updated_at: 0, status_changed_at: 0 }, {
      id: 0, company: 'Acme', position: 'Engineer', location: '', url: '', source: '', salary_min: null,
      salary_max: null, salary_currency: null, salary_period: null, status: 'saved', priority: 0, tags: [],
      saved_on: today(), applied_on: null, follow_up_on: null, posting_id: null, posting_closed: false,
      posting_closed_at: null, notes: '', created_at: 0, updated_at: 0, status_changed_at: 0,
      version: 1,
    });
    assert.match(a.created_at, ISO);
    assert.equal(a.updated_at, a.created_at);
    assert.equal(a.status_changed_at, a.created_at);
    const got = await u.call('GET', `/api/v1/applications/${a.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, a);
    const ev = await u.call('GET', `/api/v1/applications/${a.id}/events`);
    assert.deepEqual(ev.body.items.map((e) => [e.kind, e.from_status, e.to_status]), [['created', null, 'saved']]);
  });

  test('every field is stored, trimmed and normalised', async () => {
    const tag = uniq();
    const a = await create({
      company: '  Globex  ', position: 'Senior\nDeveloper', location: 'Berlin', url: 'https://jobs.example.com/42?ref=x',
      source: 'referral', salary_min: 90000, salary_max: 120000, salary_currency: 'eur', salary_period: 'year',
      status: 'Applied', priority: 4, tags: [' remote ', tag, 'remote', ''], saved_on: '2026-01-02',
      follow_up_on: '2026-02-03', notes: '  line one\nline two  ',
    });
    assert.equal(a.company, 'Globex');
    assert.equal(a.position, 'Senior Developer', 'single-line fields lose newlines');
    assert.equal(a.url, 'https://jobs.example.com/42?ref=x');
    assert.equal(a.salary_min, 90000);
    assert.equal(a.salary_max, 120000);
    assert.equal(a.salary_currency, 'EUR');
    assert.equal(a.salary_period, 'year');
    assert.equal(a.status, 'applied');
    assert.equal(a.priority, 4);
    assert.deepEqual(a.tags, ['remote', tag]);
    assert.equal(a.saved_on, '2026-01-02');
    assert.equal(a.applied_on, today(), 'a status past saved fills applied_on');
    assert.equal(a.follow_up_on, '2026-02-03');
    assert.equal(a.notes, 'line one\nline two');
    assert.deepEqual((await u.call('GET', `/api/v1/applications/${a.id}`)).body, a);
  });

  test('withdrawn does not invent an applied date; an explicit one is kept', async () => {
    const w = await create({ company: 'W', position: 'P', status: 'withdrawn' });
    assert.equal(w.applied_on, null);
    const e = await create({ company: 'E', position: 'P', status: 'offer', applied_on: '2025-12-31' });
    assert.equal(e.applied_on, '2025-12-31');
  });

  test('invalid input is refused with the field at fault and stores nothing', async () => {
    const tag = uniq();
    const base = { company: 'Valid', position: 'Valid', tags: [tag] };
    const cases = [
      [{ position: 'x', tags: [tag] }, 'company'],
      [{ ...base, company: '   ' }, 'company'],
      [{ ...base, company: null }, 'company'],
      [{ ...base, position: 'p'.repeat(201) }, 'position'],
      [{ ...base, company: 42 }, 'company'],
      [{ ...base, url: 'javascript:alert(1)' }, 'url'],
      [{ ...base, url: 'ftp://example.com/' }, 'url'],
      [{ ...base, salary_min: 200, salary_max: 100 }, 'salary_max'],
      [{ ...base, salary_min: -1 }, 'salary_min'],
      [{ ...base, salary_min: 1.5 }, 'salary_min'],
      [{ ...base, salary_min: '1000' }, 'salary_min'],
      [{ ...base, salary_min: 1000000001 }, 'salary_min'],
      [{ ...base, salary_currency: 'EURO' }, 'salary_currency'],
      [{ ...base, salary_period: 'week' }, 'salary_period'],
      [{ ...base, status: 'hired' }, 'status'],
      [{ ...base, status: null }, 'status'],
      [{ ...base, priority: 6 }, 'priority'],
      [{ ...base, priority: '3' }, 'priority'],
      [{ ...base, tags: `${tag},other` }, 'tags'],
      [{ ...base, tags: [tag, 'a,b'] }, 'tags'],
      [{ ...base, tags: [tag, 7] }, 'tags'],
      [{ ...base, tags: [tag, 'x'.repeat(41)] }, 'tags'],
      [{ ...base, tags: [tag, ...Array.from({ length: 20 }, (_, i) => `t${i}`)] }, 'tags'],
      [{ ...base, saved_on: '2026-02-30' }, 'saved_on'],
      [{ ...base, applied_on: '01/02/2026' }, 'applied_on'],
      [{ ...base, notes: 'n'.repeat(20001) }, 'notes'],
      [{ ...base, owner_id: 1 }, 'owner_id'],
      [{ ...base, user_id: 2 }, 'user_id'],
    ];
    for (const [body, field] of cases) {
      assertInvalid(await u.call('POST', '/api/v1/applications', body), field);
    }
    assert.equal(await countTag(tag), 0);
    // a date in the right shape that does not exist says so, for every date field
    for (const [field, value, why] of [['applied_on', '2026-02-30', /2026-02-30 is not a calendar date: February has 28 days in 2026/],
      ['saved_on', '2028-02-30', /February has 29 days in 2028/], ['follow_up_on', '2026-13-01', /not a calendar date: a month is 01 to 12/],
      ['applied_on', '01/02/2026', /Enter a date as YYYY-MM-DD/]]) {
      const r = await u.call('POST', '/api/v1/applications', { ...base, [field]: value });
      assertInvalid(r, field);
      assert.match(r.body.error.fields[field], why);
    }
    // every error is reported at once under "fields"
    const many = await u.call('POST', '/api/v1/applications', { company: '', position: '', priority: 9, tags: [tag] });
    assert.equal(many.body.error.field, 'priority');
    assert.deepEqual(Object.keys(many.body.error.fields).sort(), ['company', 'position', 'priority']);
    assert.equal(many.body.error.message, `priority: ${many.body.error.fields.priority}`);
    // the limits themselves are accepted
    const edge = await create({ ...base, position: 'p'.repeat(200), tags: [tag, ...Array.from({ length: 19 }, (_, i) => `t${i}`)], salary_max: 1000000000, priority: 5 });
    assert.equal(edge.tags.length, 20);
    assert.equal(await countTag(tag), 1);
  });
});

describe('change and delete', () => {
  test('PATCH changes only the members sent', async () => {
    const a = await create({ company: 'Initech', position: 'Dev', location: 'Austin', notes: 'keep', tags: ['x'], salary_min: 10 });
    const r = await u.call('PATCH', `/api/v1/applications/${a.id}`, { location: 'Remote', salary_min: null, tags: [] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { ...a, location: 'Remote', salary_min: null, tags: [], updated_at: r.body.updated_at, version: a.version + 1 });
    assert.deepEqual((await u.call('GET', `/api/v1/applications/${a.id}`)).body, r.body);
    const none = await u.call('PATCH', `/api/v1/applications/${a.id}`, {});
    assert.equal(none.status, 200);
    assert.deepEqual({ ...none.body, updated_at: 0 }, { ...r.body, updated_at: 0 });
  });

  test('a GET can be sent back as a PATCH unchanged (read-only members are ignored)', async () => {
    const a = await create({ company: 'Roundtrip', position: 'Dev', tags: ['a', 'b'], salary_min: 5, salary_currency: 'USD', salary_period: 'hour', follow_up_on: '2026-03-04' });
    const r = await u.call('PATCH', `/api/v1/applications/${a.id}`, { ...a, id: 999999, created_at: '1999-01-01T00:00:00Z' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.body, updated_at: 0 }, { ...a, updated_at: 0 });
  });

  test('an invalid PATCH changes nothing', async () => {
    const a = await create({ company: 'Stable', position: 'Dev', priority: 2 });
    assertInvalid(await u.call('PATCH', `/api/v1/applications/${a.id}`, { priority: 3, company: '' }), 'company');
    assertInvalid(await u.call('PATCH', `/api/v1/applications/${a.id}`, { priority: 3, colour: 'red' }), 'colour');
    assertInvalid(await u.call('PATCH', `/api/v1/applications/${a.id}`, { status: 'bogus' }), 'status');
    assertInvalid(await u.call('PATCH', `/api/v1/applications/${a.id}`, { salary_min: 10, salary_max: 5 }), 'salary_max');
    assert.deepEqual((await u.call('GET', `/api/v1/applications/${a.id}`)).body, a);
    const ev = await u.call('GET', `/api/v1/applications/${a.id}/events`);
    assert.equal(ev.body.items.length, 1, 'no status_change was recorded');
  });

  test('a status change moves status_changed_at and is recorded; the same status is not', async () => {
    const a = await create({ company: 'Status', position: 'Dev' });
    await new Promise((r) => setTimeout(r, 1050)); // timestamps have one-second resolution
    const r = await u.call('PATCH', `/api/v1/applications/${a.id}`, { status: 'INTERVIEWING' });
    assert.equal(r.body.status, 'interviewing');
    assert.ok(r.body.status_changed_at > a.status_changed_at);
    assert.equal(r.body.updated_at, r.body.status_changed_at);
    assert.equal(r.body.applied_on, today());
    const again = await u.call('PATCH', `/api/v1/applications/${a.id}`, { status: 'interviewing', notes: 'same status' });
    assert.equal(again.body.status_changed_at, r.body.status_changed_at);
    const ev = await u.call('GET', `/api/v1/applications/${a.id}/events`);
    assert.deepEqual(ev.body.items.map((e) => [e.kind, e.from_status, e.to_status]),
      [['status_change', 'saved', 'interviewing'], ['created', null, 'saved']]);
  });

  test('DELETE removes the application and its timeline', async () => {
    const a = await create({ company: 'Doomed', position: 'Dev' });
    await u.call('POST', `/api/v1/applications/${a.id}/events`, { kind: 'note', body: 'x' });
    const d = await u.call('DELETE', `/api/v1/applications/${a.id}`);
    assert.equal(d.status, 204);
    assert.equal(d.text, '');
    for (const [m, p] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['GET', '/events'], ['GET', '/contacts']]) {
      const r = await u.call(m, `/api/v1/applications/${a.id}${p}`, m === 'PATCH' ? { notes: 'x' } : undefined);
      assert.equal(r.status, 404, `${m} ${p}`);
      assert.equal(r.body.error.code, 'not_found');
    }
  });

  test('a missing application is 404 for every operation', async () => {
    for (const [m, p, body] of [['GET', ''], ['PATCH', '', { notes: 'x' }], ['DELETE', ''], ['GET', '/events'],
      ['POST', '/events', { kind: 'note', body: 'x' }], ['GET', '/contacts'], ['POST', '/contacts', { name: 'N' }]]) {
      const r = await u.call(m, `/api/v1/applications/987654321${p}`, body);
      assert.equal(r.status, 404, `${m} ${p}: ${r.text}`);
      assert.deepEqual(r.body, { error: { code: 'not_found', message: 'No such item.', field: null } });
    }
  });
});

describe('listing', () => {
  test('filters: status, tag (exact), q over company/position/location/notes', async () => {
    const tag = uniq('f');
    const t2 = `${tag}x`;
    const a = await create({ company: 'Umbrella', position: 'Chemist', status: 'applied', tags: [tag] });
    const b = await create({ company: 'Cyberdyne', position: 'Engineer', location: 'Umbrella Park', tags: [tag, t2] });
    const c = await create({ company: 'Tyrell', position: 'Designer', notes: 'met at UMBRELLA conf', status: 'applied', tags: [t2] });
    const all = async (q) => (await listIds(q)).sort((x, y) => x - y);
    assert.deepEqual(await all(`tag=${tag}`), [a.id, b.id]);
    assert.deepEqual(await all(`tag=${t2}`), [b.id, c.id]);
    assert.deepEqual(await all(`tag=${tag.slice(0, -1)}`), [], 'a tag matches whole, not as a prefix');
    assert.deepEqual(await all(`tag=${tag}&status=applied`), [a.id]);
    assert.deepEqual(await all(`tag=${t2}&status=applied`), [c.id]);
    assert.deepEqual(await all(`tag=${t2}&status=offer`), []);
    assert.deepEqual(await all(`tag=${tag}&q=umbrella`), [a.id, b.id], 'company and location');
    assert.deepEqual(await all(`tag=${t2}&q=umBRElla`), [b.id, c.id], 'location and notes, any case');
    assert.deepEqual(await all(`tag=${t2}&q=design`), [c.id], 'position');
    assert.deepEqual(await all(`tag=${tag}&status=&q=`), [a.id, b.id], 'empty parameters count as absent');
    const r = await u.call('GET', `/api/v1/applications?tag=${tag}&status=applied`);
    assert.equal(r.body.total, 1);
  });

  test('a tag filter with a comma is refused, not matched against two adjacent tags', async () => {
    const tag = uniq('c');
    await create({ company: 'Comma', position: 'P', tags: [tag, `${tag}b`] });
    // tags cannot contain commas (they are stored comma-separated), so no application has this tag
    const r = await u.call('GET', `/api/v1/applications?tag=${encodeURIComponent(`${tag},${tag}b`)}`);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'bad_query');
    assert.equal(r.body.error.field, 'tag');
    assert.equal(await countTag(tag), 1, 'control: the single tag matches');
  });

  test('q treats % and _ (and backslash) literally', async () => {
    const tag = uniq('q');
    const pct = await create({ company: 'Pct', position: '50% remote', tags: [tag] });
    await create({ company: 'NoPct', position: '500 remote', tags: [tag] });
    const und = await create({ company: 'a_b corp', position: 'P', tags: [tag] });
    await create({ company: 'axb corp', position: 'P', tags: [tag] });
    const bs = await create({ company: 'back\\slash', position: 'P', tags: [tag] });
    await create({ company: 'backslash', position: 'P', tags: [tag] });
    assert.deepEqual(await listIds(`tag=${tag}&q=${encodeURIComponent('50%')}`), [pct.id]);
    assert.deepEqual(await listIds(`tag=${tag}&q=${encodeURIComponent('%')}`), [pct.id]);
    assert.deepEqual(await listIds(`tag=${tag}&q=${encodeURIComponent('a_b')}`), [und.id]);
    assert.deepEqual(await listIds(`tag=${tag}&q=_`), [und.id]);
    assert.deepEqual(await listIds(`tag=${tag}&q=${encodeURIComponent('k\\s')}`), [bs.id]);
    assert.equal((await listIds(`tag=${tag}&q=remote`)).length, 2, 'control: a plain substring matches both');
  });

  test('every sort order', async () => {
    const tag = uniq('s');
    const b = await create({ company: 'beta', position: 'P', priority: 1, tags: [tag], status: 'applied', applied_on: '2026-02-01' });
    const a = await create({ company: 'Alpha', position: 'P', priority: 5, tags: [tag] });
    const c = await create({ company: 'Charlie', position: 'P', priority: 3, tags: [tag], status: 'applied', applied_on: '2026-01-01' });
    await new Promise((r) => setTimeout(r, 1050));
    await u.call('PATCH', `/api/v1/applications/${b.id}`, { notes: 'touched' });
    const order = (sort) => listIds(`tag=${tag}&sort=${encodeURIComponent(sort)}`);
    assert.deepEqual(await order('-updated'), [b.id, c.id, a.id]);
    assert.deepEqual(await order('updated'), [a.id, c.id, b.id]);
    assert.deepEqual(await listIds(`tag=${tag}`), [b.id, c.id, a.id], 'default is -updated');
    assert.deepEqual(await order('-created'), [c.id, a.id, b.id]);
    assert.deepEqual(await order('created'), [b.id, a.id, c.id]);
    assert.deepEqual(await order('company'), [a.id, b.id, c.id], 'case-insensitive');
    assert.deepEqual(await order('-company'), [c.id, b.id, a.id]);
    assert.deepEqual(await order('-priority'), [a.id, c.id, b.id]);
    assert.deepEqual(await order('priority'), [b.id, c.id, a.id]);
    assert.deepEqual(await order('-applied'), [b.id, c.id, a.id], 'never applied comes last');
    assert.deepEqual(await order('applied'), [c.id, b.id, a.id], 'never applied comes last');
  });

  test('pages', async () => {
    const tag = uniq('p');
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await create({ company: `Page ${i}`, position: 'P', tags: [tag] })).id);
    const seen = [];
    for (const page of [1, 2, 3]) {
      const r = await u.call('GET', `/api/v1/applications?tag=${tag}&sort=created&per_page=2&page=${page}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.total, 5);
      assert.equal(r.body.page, page);
      assert.equal(r.body.per_page, 2);
      assert.equal(r.body.items.length, page < 3 ? 2 : 1);
      seen.push(...r.body.items.map((a) => a.id));
    }
    assert.deepEqual(seen, made);
    const past = await u.call('GET', `/api/v1/applications?tag=${tag}&per_page=2&page=4`);
    assert.deepEqual({ items: past.body.items, total: past.body.total, page: past.body.page }, { items: [], total: 5, page: 4 });
    const dflt = await u.call('GET', `/api/v1/applications?tag=${tag}`);
    assert.equal(dflt.body.per_page, 50);
    assert.equal(dflt.body.page, 1);
    assert.equal(dflt.body.items.length, 5);
    const max = await u.call('GET', `/api/v1/applications?tag=${tag}&per_page=200`);
    assert.equal(max.body.per_page, 200);
  });

  test('bad query parameters: 400 bad_query naming the parameter', async () => {
    const cases = [
      ['status=hired', 'status'], ['status=Applied', 'status'], ['sort=newest', 'sort'], ['sort=-Company', 'sort'],
      ['page=0', 'page'], ['page=-1', 'page'], ['page=abc', 'page'], ['page=1.5', 'page'], ['page=1000001', 'page'],
      ['per_page=0', 'per_page'], ['per_page=201', 'per_page'], ['per_page=ten', 'per_page'],
      [`q=${'x'.repeat(201)}`, 'q'], ['q=%FF%FE', 'q'], [`tag=${'t'.repeat(201)}`, 'tag'], ['tag=%C3%28', 'tag'],
    ];
    for (const [query, field] of cases) {
      const r = await u.call('GET', `/api/v1/applications?${query}`);
      assert.equal(r.status, 400, `${query}: ${r.text}`);
      assert.equal(r.body.error.code, 'bad_query');
      assert.equal(r.body.error.field, field, query);
    }
    assert.equal((await u.call('GET', `/api/v1/applications?q=${'x'.repeat(200)}`)).status, 200);
  });
});

describe('listing ETag and cache', () => {
  test('two different queries never share a cached listing or an ETag (a 0x1f byte in tag or q)', async () => {
    // tag "T\x1f" + q "y" and tag "T" + q "\x1fy" once spelled the same cache key.
    // A tag cannot hold 0x1f (the store joins tags with it), but notes can.
    const tag = uniq('k');
    const refused = await u.call('POST', '/api/v1/applications', { company: 'C', position: 'P', tags: [`${tag}\u001f`] });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.field, 'tags');
    assert.match(refused.body.error.message, /control characters/);
    const withSep = await create({ company: 'Sep', position: 'P', tags: [tag], notes: `\u001fy${tag}` });
    await create({ company: 'Other', position: 'P', tags: [tag] });
    const b = await u.call('GET', `/api/v1/applications?tag=${tag}&q=${encodeURIComponent(`\u001fy${tag}`)}`);
    assert.equal(b.status, 200, b.text);
    assert.deepEqual(b.body.items.map((x) => x.id), [withSep.id]);
    const a = await u.call('GET', `/api/v1/applications?tag=${encodeURIComponent(`${tag}\u001f`)}&q=y${tag}`);
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.body.items, [], 'no tag is "T\\x1f": not the other query\'s cached rows');
    assert.notEqual(a.headers.get('etag'), b.headers.get('etag'));
  });

  test('a matching If-None-Match is 304; any change to the data (events, contacts) changes the ETag', async () => {
    const tag = uniq('e');
    const app = await create({ company: 'Etag', position: 'P', tags: [tag] });
    const path = `/api/v1/applications?tag=${tag}`;
    const first = await u.call('GET', path);
    const etag = first.headers.get('etag');
    assert.match(etag, /^W\/"\d+\.\d+\.\d+-\d+-\d+-[0-9a-f]{8}"$/);
    assert.equal(first.headers.get('cache-control'), 'private, no-cache');
    assert.equal((await u.call('GET', path, undefined, { 'if-none-match': etag })).status, 304);
    const ev = await u.call('POST', `/api/v1/applications/${app.id}/events`, { kind: 'note', body: 'n' });
    assert.equal(ev.status, 201, ev.text);
    const second = await u.call('GET', path, undefined, { 'if-none-match': etag });
    assert.equal(second.status, 200, 'a new event is a change');
    assert.notEqual(second.headers.get('etag'), etag);
    const ct = await u.call('POST', `/api/v1/applications/${app.id}/contacts`, { name: 'C' });
    assert.equal(ct.status, 201, ct.text);
    const third = await u.call('GET', path, undefined, { 'if-none-match': second.headers.get('etag') });
    assert.equal(third.status, 200, 'a new contact link is a change');
    const patched = await u.call('PATCH', `/api/v1/applications/${app.id}`, { company: 'Etag2' });
    assert.equal(patched.status, 200, patched.text);
    const fourth = await u.call('GET', path);
    assert.deepEqual(fourth.body.items.map((x) => x.company), ['Etag2'], 'the cached body is not served after a change');
  });
});
