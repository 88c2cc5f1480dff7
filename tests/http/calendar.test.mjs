// The calendar feed (RFC 5545): a per-user secret address that needs no
// session, kept only as a hash, revocable and replaceable; interviews as
// timed UTC events and follow-up dates as all-day events, with escaping,
// folding at 75 octets, CRLF, DTSTAMP and UIDs that stay put across fetches
// and edits (SEQUENCE moves instead).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startServer, newUser, Client } from '../lib/server.mjs';

// An independent reader of the feed: Python's icalendar (Debian's python3-icalendar).
const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const noICal = spawnSync(PY, ['-c', 'import icalendar'], { encoding: 'utf8' }).status === 0
  ? false : 'python3-icalendar is not installed';
const READ = `import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for ev in cal.walk('VEVENT'):
    s = ev.decoded('DTSTART')
    out.append({'uid': str(ev['UID']), 'start': s.isoformat(), 'summary': str(ev['SUMMARY']),
                'description': str(ev.get('DESCRIPTION', '')), 'stamp': ev.decoded('DTSTAMP').isoformat()})
print(json.dumps({'version': str(cal['VERSION']), 'events': out}))`;

let srv, U, other, app, iv;
const LONG = 'Prepare: system design, a take-home review; bring notes, questions — and the café receipt 😀 '.repeat(3).trim();
before(async () => {
  srv = await startServer();
  U = await newUser(srv.url);
  other = await newUser(srv.url);
  app = (await U.call('POST', '/api/v1/applications', { company: 'Acme, Inc.', position: 'Engineer; Backend',
    location: 'Berlin', status: 'applied', follow_up_on: '2030-02-03' })).body;
  iv = (await U.call('POST', `/api/v1/applications/${app.id}/events`, { kind: 'interview',
    at: '2030-01-15T10:30:00+01:00', interview_kind: 'video', with_whom: 'CTO\\Head', body: LONG })).body;
  assert.ok(iv.id, JSON.stringify(iv));
  const o = (await other.call('POST', '/api/v1/applications', { company: 'Secret Co', position: 'X',
    follow_up_on: '2030-03-01' })).body;
  await other.call('POST', `/api/v1/applications/${o.id}/events`, { kind: 'interview', at: '2030-01-20T09:00:00Z' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

const fetchFeed = (path) => fetch(srv.url + path);
/** Unfolds content lines (RFC 5545 3.1) after checking the physical lines. */
function lines(text) {
  assert.ok(text.endsWith('\r\n'));
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) {
    assert.ok(Buffer.byteLength(l) <= 75, `longer than 75 octets: ${l}`);
    assert.ok(!l.includes('\n') && !l.includes('\r'));
  }
  // a fold never splits a UTF-8 character: every physical line is valid UTF-8 on its own
  for (const l of physical) assert.ok(!Buffer.from(l).toString('utf8').includes('\ufffd'));
  const out = [];
  for (const l of physical) {
    if (l.startsWith(' ')) out[out.length - 1] += l.slice(1);
    else out.push(l);
  }
  return out;
}
const unescape = (v) => v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));
/** The VEVENTs as objects of their properties (name with parameters → value). */
function events(text) {
  const out = [];
  let cur = null;
  for (const l of lines(text)) {
    if (l === 'BEGIN:VEVENT') cur = {};
    else if (l === 'END:VEVENT') { out.push(cur); cur = null; } else if (cur) {
      const i = l.indexOf(':');
      cur[l.slice(0, i)] = l.slice(i + 1);
    }
  }
  return out;
}

describe('the feed', () => {
  let path;
  test('is off at first; turning it on gives a secret address', async () => {
    assert.deepEqual((await U.call('GET', '/api/v1/calendar-feed')).body, { active: false, created_at: null });
    const r = await U.call('POST', '/api/v1/calendar-feed');
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.path, /^\/api\/v1\/calendar\.ics\?token=jtc_[A-Za-z0-9_-]{43}$/);
    assert.equal(r.body.url, srv.url + r.body.path);
    path = r.body.path;
    const g = (await U.call('GET', '/api/v1/calendar-feed')).body;
    assert.equal(g.active, true);
    assert.match(g.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('needs no session, is text/calendar, and holds only this user\'s entries', async () => {
    const r = await fetchFeed(path);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
    const text = await r.text();
    const ls = lines(text);
    assert.equal(ls[0], 'BEGIN:VCALENDAR');
    assert.equal(ls.at(-1), 'END:VCALENDAR');
    assert.ok(ls.includes('VERSION:2.0'));
    assert.ok(ls.some((l) => /^PRODID:-\/\/jobtrack\/\/jobtrack /.test(l)));
    assert.doesNotMatch(text, /Secret Co/);
    const evs = events(text);
    assert.equal(evs.length, 2);
    const i = evs.find((e) => e.UID === `interview-${iv.id}@jobtrack`);
    assert.equal(i.DTSTART, '20300115T093000Z'); // 10:30 at +01:00, in UTC
    assert.equal(i.DURATION, 'PT1H');
    assert.match(i.DTSTAMP, /^\d{8}T\d{6}Z$/);
    assert.equal(i.SEQUENCE, '0');
    assert.equal(unescape(i.SUMMARY), 'Interview (video): Acme, Inc. — Engineer; Backend');
    assert.equal(i.SUMMARY, 'Interview (video): Acme\\, Inc. — Engineer\\; Backend');
    assert.equal(unescape(i.DESCRIPTION), `With: CTO\\Head\n${LONG}`);
    assert.equal(i.LOCATION, 'Berlin');
    const f = evs.find((e) => e.UID === `follow-up-${app.id}@jobtrack`);
    assert.equal(f['DTSTART;VALUE=DATE'], '20300203');
    assert.equal(f['DTEND;VALUE=DATE'], '20300204');
    assert.equal(unescape(f.SUMMARY), 'Follow up: Acme, Inc. — Engineer; Backend');
    assert.equal(f.TRANSP, 'TRANSPARENT');
    // the long description really was folded
    assert.ok(text.split('\r\n').some((l) => l.startsWith(' ')));
  });

  test('an independent iCalendar reader gets the same events back', { skip: noICal }, async () => {
    const text = await (await fetchFeed(path)).text();
    const r = spawnSync(PY, ['-c', READ], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const cal = JSON.parse(r.stdout);
    assert.equal(cal.version, '2.0');
    const i = cal.events.find((e) => e.uid === `interview-${iv.id}@jobtrack`);
    assert.equal(i.start, '2030-01-15T09:30:00+00:00');
    assert.equal(i.summary, 'Interview (video): Acme, Inc. — Engineer; Backend');
    assert.equal(i.description, `With: CTO\\Head\n${LONG}`);
    assert.match(i.stamp, /\+00:00$/);
    const f = cal.events.find((e) => e.uid === `follow-up-${app.id}@jobtrack`);
    assert.equal(f.start, '2030-02-03');
    assert.equal(f.summary, 'Follow up: Acme, Inc. — Engineer; Backend');
  });

  test('the same data gives the same feed; an edit keeps the UID and moves SEQUENCE', async () => {
    const ra = await fetchFeed(path);
    const a = await ra.text();
    const b = await (await fetchFeed(path)).text();
    assert.equal(a, b);
    // polling an unchanged feed costs a 304
    const etag = ra.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    const again = await fetch(srv.url + path, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const p = await U.call('PATCH', `/api/v1/applications/${app.id}/events/${iv.id}`, { at: '2030-01-16T08:00:00Z' });
    assert.equal(p.status, 200, p.text);
    const i = events(await (await fetchFeed(path)).text()).find((e) => e.UID === `interview-${iv.id}@jobtrack`);
    assert.equal(i.DTSTART, '20300116T080000Z');
    assert.equal(i.SEQUENCE, '1');
    // and a changed one is sent again
    assert.equal((await fetch(srv.url + path, { headers: { 'if-none-match': etag } })).status, 200);
  });

  test('the secret never reaches the access log', async () => {
    assert.equal((await fetchFeed(path)).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(srv.logs(), /"path":"\/api\/v1\/calendar\.ics"/);
    assert.doesNotMatch(srv.logs(), /jtc_/);
  });

  test('a wrong or malformed token is a 404', async () => {
    for (const q of ['', '?token=', '?token=jtc_nope', `?token=${'x'.repeat(300)}`, path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')).split('calendar.ics')[1]]) {
      const r = await fetchFeed(`/api/v1/calendar.ics${q}`);
      assert.equal(r.status, 404, q);
    }
  });

  test('a new address replaces the old one; turning it off ends it', async () => {
    const r = await U.call('POST', '/api/v1/calendar-feed');
    assert.notEqual(r.body.path, path);
    assert.equal((await fetchFeed(path)).status, 404);
    assert.equal((await fetchFeed(r.body.path)).status, 200);
    assert.equal((await U.call('DELETE', '/api/v1/calendar-feed')).status, 204);
    assert.equal((await fetchFeed(r.body.path)).status, 404);
    assert.equal((await U.call('DELETE', '/api/v1/calendar-feed')).status, 404);
    assert.equal((await U.call('GET', '/api/v1/calendar-feed')).body.active, false);
  });

  test('managing it needs credentials', async () => {
    const anon = await fetch(`${srv.url}/api/v1/calendar-feed`, { method: 'POST' });
    assert.equal(anon.status, 401);
  });
});

test('settings: turn on (the address is shown once), use, make new, turn off', async () => {
  const c = new Client(srv.url);
  assert.equal((await c.form('/login', { email: U.email, password: U.password })).status, 303);
  let html = await (await c.fetch('/settings')).text();
  assert.match(html, /id="calendar"/);
  assert.match(html, /The feed is <strong>off<\/strong>/);
  const made = await c.form('/settings/calendar', {}, { csrfFrom: '/settings' });
  assert.equal(made.status, 201);
  const page = await made.text();
  const url = page.match(/<code id="feed-url" class="token-value">([^<]+)<\/code>/)[1].replace(/&amp;/g, '&');
  assert.ok(url.startsWith(`${srv.url}/api/v1/calendar.ics?token=jtc_`), url);
  assert.match(page, /href="webcal:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\.ics\?token=jtc_/);
  assert.equal((await fetch(url)).status, 200);
  html = await (await c.fetch('/settings')).text();
  assert.match(html, /The feed is <strong>on<\/strong>/);
  assert.doesNotMatch(html, /jtc_/); // only shown once
  const off = await c.form('/settings/calendar/revoke', {}, { csrfFrom: '/settings' });
  assert.equal(off.status, 303);
  assert.equal((await fetch(url)).status, 404);
  // forms need their CSRF token
  const forged = await c.fetch('/settings/calendar', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=nope' });
  assert.equal(forged.status, 403);
});
