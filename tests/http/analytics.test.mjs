// /api/v1/analytics/*: the dashboard's numbers for a small history built
// through the API, checked value by value; another user's data never
// counted; a change shows at once (the cache keys on the data version);
// 401 without credentials. The rules are in src/analytics/analytics.h and
// are checked on dated histories in tests/unit/test_analytics.c.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, api } from '../lib/server.mjs';

const ROUTES = ['funnel', 'responses', 'activity', 'pipeline'].map((f) => `/api/v1/analytics/${f}`);
let srv, A, B;

async function ok(who, path) {
  const r = await who.call('GET', path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.body;
}

async function app(who, fields) {
  const r = await who.call('POST', '/api/v1/applications', { company: 'Acme', position: 'Engineer', ...fields });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function move(who, id, status) {
  const r = await who.call('PATCH', `/api/v1/applications/${id}`, { status });
  assert.equal(r.status, 200, r.text);
}

/* The week's Monday (UTC) of now, as the server counts weeks. */
function monday(d) {
  const day = Math.floor(d.getTime() / 86400000);
  return new Date((day - ((day + 3) % 7)) * 86400000).toISOString().slice(0, 10);
}

before(async () => {
  srv = await startServer();
  A = await newUser(srv.url, 'ana-alice@example.com');
  B = await newUser(srv.url, 'ana-bob@example.com');
  // Alice: 1 saved → applied → screening → interviewing (linkedin);
  // 2 applied → rejected (referral); 3 only saved (linkedin);
  // 4 applied → ghosted (linkedin); 5 applied with an interview planned (no source).
  const a1 = await app(A, { source: 'linkedin' });
  for (const s of ['applied', 'screening', 'interviewing']) await move(A, a1, s);
  const a2 = await app(A, { source: 'referral', status: 'applied' });
  await move(A, a2, 'rejected');
  await app(A, { source: 'linkedin' });
  const a4 = await app(A, { source: 'linkedin', status: 'applied' });
  await move(A, a4, 'ghosted');
  const a5 = await app(A, { status: 'applied' });
  const soon = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 19) + 'Z';
  const ev = await A.call('POST', `/api/v1/applications/${a5}/events`, { kind: 'interview', at: soon, title: 'Call' });
  assert.equal(ev.status, 201, ev.text);
  // Bob: much further along, which must not show in Alice's numbers.
  const b1 = await app(B, { source: 'linkedin', status: 'applied' });
  for (const s of ['screening', 'interviewing', 'offer', 'accepted']) await move(B, b1, s);
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

describe('analytics API', () => {
  test('funnel: every stage an application reached, with conversions', async () => {
    const f = await ok(A, '/api/v1/analytics/funnel');
    assert.deepEqual(f.stages.map((s) => [s.status, s.count, s.conversion]), [
      ['saved', 5, null],
      ['applied', 4, 0.8],
      ['screening', 1, 0.25],
      ['interviewing', 1, 1],
      ['offer', 0, 0],
      ['accepted', 0, null],
    ]);
    assert.equal(f.stages[3].label, 'Interviewing');
  });

  test('responses: overall, by source, by month, with ghosted', async () => {
    const r = await ok(A, '/api/v1/analytics/responses');
    assert.equal(r.ghost_days, 14);
    const strip = ({ median_response_seconds, median_response_days, ...g }) => {
      // everything happened within this test: first answers came in seconds
      if (g.responded) assert.ok(median_response_seconds >= 0 && median_response_seconds < 120, String(median_response_seconds));
      else assert.equal(median_response_seconds, null);
      return g;
    };
    assert.deepEqual(strip(r.overall), { applied: 4, responded: 3, response_rate: 0.75, ghosted: 1 });
    assert.deepEqual(r.by_source.map(strip), [
      { source: '', applied: 1, responded: 1, response_rate: 1, ghosted: 0 },
      { source: 'linkedin', applied: 2, responded: 1, response_rate: 0.5, ghosted: 1 },
      { source: 'referral', applied: 1, responded: 1, response_rate: 1, ghosted: 0 },
    ]);
    assert.equal(r.by_month.length, 1);
    assert.equal(r.by_month[0].month, new Date().toISOString().slice(0, 7));
    assert.equal(r.by_month[0].applied, 4);
    const longer = await ok(A, '/api/v1/analytics/responses?ghost_days=365');
    assert.equal(longer.ghost_days, 365);
    assert.equal(longer.overall.ghosted, 1); // marked ghosted counts whatever the period
  });

  test('activity: saved and applied this week', async () => {
    const a = await ok(A, '/api/v1/analytics/activity');
    assert.deepEqual(a.weeks, [{ week: monday(new Date()), saved: 5, applied: 4 }]);
  });

  test('pipeline: current statuses', async () => {
    const p = await ok(A, '/api/v1/analytics/pipeline');
    assert.equal(p.total, 5);
    assert.deepEqual(Object.fromEntries(p.statuses.map((s) => [s.status, s.count])), {
      saved: 1, applied: 1, screening: 0, interviewing: 1, offer: 0, accepted: 0, rejected: 1, withdrawn: 0, ghosted: 1,
    });
  });

  test("another user's data is never counted", async () => {
    const p = await ok(B, '/api/v1/analytics/pipeline');
    assert.equal(p.total, 1);
    assert.equal(p.statuses.find((s) => s.status === 'accepted').count, 1);
    const f = await ok(B, '/api/v1/analytics/funnel');
    assert.deepEqual(f.stages.map((s) => s.count), [1, 1, 1, 1, 1, 1]);
    const r = await ok(B, '/api/v1/analytics/responses');
    assert.deepEqual([r.overall.applied, r.overall.responded, r.overall.ghosted], [1, 1, 0]);
    const fa = await ok(A, '/api/v1/analytics/funnel');
    assert.equal(fa.stages[5].count, 0);
  });

  test('a change shows at once (not served stale from the cache)', async () => {
    const before = await ok(A, '/api/v1/analytics/pipeline');
    const id = await app(A, { status: 'offer', source: 'referral' });
    const after = await ok(A, '/api/v1/analytics/pipeline');
    assert.equal(after.total, before.total + 1);
    assert.equal(after.statuses.find((s) => s.status === 'offer').count, 1);
    const f = await ok(A, '/api/v1/analytics/funnel');
    assert.deepEqual(f.stages.map((s) => s.count), [6, 5, 2, 2, 1, 0]);
    const del = await A.call('DELETE', `/api/v1/applications/${id}`);
    assert.equal(del.status, 204, del.text);
    assert.equal((await ok(A, '/api/v1/analytics/pipeline')).total, before.total);
  });

  test('bad ghost_days is refused with 400', async () => {
    for (const v of ['0', '366', 'abc', '7.5']) {
      const r = await A.call('GET', `/api/v1/analytics/responses?ghost_days=${v}`);
      assert.equal(r.status, 400, v);
      assert.equal(r.body.error.field, 'ghost_days');
    }
  });

  test('401 without credentials, and with a bad token', async () => {
    for (const path of ROUTES) {
      for (const [who, code] of [[api(srv.url), 'unauthenticated'], [api(srv.url, 'garbage'), 'invalid_token']]) {
        const r = await who('GET', path);
        assert.equal(r.status, 401, path);
        assert.equal(r.body.error.code, code);
      }
    }
  });
});
