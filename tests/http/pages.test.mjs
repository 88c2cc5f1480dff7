// The HTML pages and their forms: sign-up, log-in, log-out, the tracker's
// forms, and the CSRF rules for cookie sessions (forms and the API alike).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, api, login, listUserEmails } from '../lib/server.mjs';

const PASSWORD = 'correct horse battery';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
let srv, alice, aliceApi;

before(async () => {
  srv = await startServer();
  alice = new Client(srv.url);
  const r = await alice.form('/signup', { email: 'alice@example.com', password: PASSWORD }, { csrfFrom: '/signup' });
  assert.equal(r.status, 303);
  aliceApi = api(srv.url, await login(srv.url, 'alice@example.com'));
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

/** POSTs a form with an explicit _csrf (or none when csrf is null). */
function post(client, path, fields, csrf) {
  const body = new URLSearchParams(csrf === null ? fields : { _csrf: csrf, ...fields }).toString();
  return client.fetch(path, { method: 'POST', headers: FORM, body });
}
async function appCount() {
  return (await aliceApi('GET', '/api/v1/applications')).body.total;
}

describe('accounts', () => {
  test('signing up through the form starts a session with a safe cookie', async () => {
    const c = new Client(srv.url);
    const page = await c.fetch('/signup');
    assert.equal(page.status, 200);
    const pre = page.headers.getSetCookie().find((x) => x.startsWith('jt_pre='));
    assert.match(pre, /HttpOnly/);
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)[1];
    const r = await post(c, '/signup', { email: 'Signup@Example.com', password: PASSWORD }, token);
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/board');
    const cookie = r.headers.getSetCookie().find((x) => x.startsWith('jt_session='));
    assert.ok(cookie, 'a session cookie is set');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Secure/, 'not over plain HTTP');
    const board = await c.fetch('/board');
    assert.equal(board.status, 200);
    const html = await board.text();
    assert.match(html, /signup@example\.com/);
    assert.match(html, /Welcome to jobtrack/, 'the flash shows once');
    assert.doesNotMatch(await (await c.fetch('/board')).text(), /Welcome to jobtrack/);
    const me = await c.fetch('/api/v1/me');
    assert.equal((await me.json()).email, 'signup@example.com', 'the session cookie works on the API');
  });

  test('sign-up with a missing or wrong _csrf is 403 and creates no account', async () => {
    for (const [label, csrf] of [['missing', null], ['wrong', 'x'.repeat(43)], ['empty', '']]) {
      const c = new Client(srv.url);
      await c.csrf('/signup'); // has a jt_pre cookie, like a real browser
      const email = `nocsrf-${label}@example.com`;
      const r = await post(c, '/signup', { email, password: PASSWORD }, csrf);
      assert.equal(r.status, 403, label);
      assert.match(await r.text(), /form has expired/);
      assert.ok(!c.cookies.has('jt_session'), label);
      assert.ok(!listUserEmails(srv.dataDir).includes(email), `${label}: no account`);
    }
    // a token made for another browser is no good either
    const other = new Client(srv.url);
    const stolen = await other.csrf('/signup');
    const c = new Client(srv.url);
    await c.csrf('/signup');
    assert.equal((await post(c, '/signup', { email: 'stolen@example.com', password: PASSWORD }, stolen)).status, 403);
    // nor is a token without the cookie it belongs to
    const bare = new Client(srv.url);
    assert.equal((await post(bare, '/signup', { email: 'bare@example.com', password: PASSWORD }, stolen)).status, 403);
    assert.ok(!listUserEmails(srv.dataDir).some((e) => e.startsWith('stolen') || e.startsWith('bare')));
  });

  test('log-in: wrong CSRF is 403, wrong password 401, success redirects to a safe next', async () => {
    const c = new Client(srv.url);
    await c.csrf('/login');
    assert.equal((await post(c, '/login', { email: 'alice@example.com', password: PASSWORD }, 'forged')).status, 403);
    assert.ok(!c.cookies.has('jt_session'));
    const wrong = await c.form('/login', { email: 'alice@example.com', password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Wrong e-mail or password/);
    assert.ok(!c.cookies.has('jt_session'));
    const ok = await c.form('/login', { email: 'alice@example.com', password: PASSWORD, next: '/settings' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/settings');
    assert.ok(c.cookies.has('jt_session'));
    // logged in, /login sends you on
    const again = await c.fetch('/login');
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), '/board');
  });

  test('log-in never redirects off-site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'evil', '/ok\r\nX-Evil: 1']) {
      const c = new Client(srv.url);
      const r = await c.form('/login', { email: 'alice@example.com', password: PASSWORD, next });
      assert.equal(r.status, 303, next);
      assert.equal(r.headers.get('location'), '/board', JSON.stringify(next));
    }
  });

  test('a next with a tab, control character or backslash stays on the site, on POST and on the signed-in GET', async () => {
    // Browsers strip tab/CR/LF from a Location and read '\' as '/': "/\t/evil.example" is //evil.example.
    const tricky = ['/\t/evil.example', '/\x0b/evil.example', '/x\\..\\\\evil.example', '/\t\\evil.example'];
    let c;
    for (const next of tricky) {
      c = new Client(srv.url);
      const r = await c.form('/login', { email: 'alice@example.com', password: PASSWORD, next });
      assert.equal(r.status, 303, JSON.stringify(next));
      assert.equal(r.headers.get('location'), '/board', JSON.stringify(next));
      assert.equal(new URL(r.headers.get('location'), srv.url).origin, srv.url);
    }
    for (const next of tricky) {
      const r = await c.fetch('/login?next=' + encodeURIComponent(next));
      assert.equal(r.status, 303, JSON.stringify(next));
      assert.equal(r.headers.get('location'), '/board', JSON.stringify(next));
    }
    const fine = await c.fetch('/login?next=' + encodeURIComponent('/applications?q=a%20b'));
    assert.equal(fine.headers.get('location'), '/applications?q=a%20b', 'a plain local path still works');
  });

  test('log-out needs the CSRF token, ends the session server-side and clears the cookie', async () => {
    const c = new Client(srv.url);
    await c.form('/login', { email: 'alice@example.com', password: PASSWORD });
    const session = c.cookies.get('jt_session');
    assert.equal((await post(c, '/logout', {}, null)).status, 403);
    assert.equal((await c.fetch('/api/v1/me')).status, 200, 'still signed in after the refused log-out');
    const csrf = await c.csrf('/settings');
    const r = await post(c, '/logout', {}, csrf);
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/login');
    assert.match(r.headers.getSetCookie().find((x) => x.startsWith('jt_session=')), /Max-Age=0/);
    assert.ok(!c.cookies.has('jt_session'));
    // replaying the old cookie gets nothing
    const replay = await fetch(`${srv.url}/api/v1/me`, { headers: { cookie: `jt_session=${session}` } });
    assert.equal(replay.status, 401);
    const page = await fetch(`${srv.url}/board`, { headers: { cookie: `jt_session=${session}` }, redirect: 'manual' });
    assert.equal(page.status, 303);
  });

  test('signed-out visitors are sent to log in; the API answers 401', async () => {
    for (const path of ['/board', '/applications', '/settings', '/applications/new', '/export.csv']) {
      const r = await fetch(srv.url + path, { redirect: 'manual' });
      assert.equal(r.status, 303, path);
      assert.equal(r.headers.get('location'), `/login?next=${path}`);
    }
    const home = await fetch(srv.url + '/', { redirect: 'manual' });
    assert.equal(home.headers.get('location'), '/login');
    assert.equal((await fetch(srv.url + '/api/v1/applications')).status, 401);
  });
});

describe('CSRF on writes with a session cookie', () => {
  test('a form without the right _csrf is 403 and stores nothing', async () => {
    const before = await appCount();
    const bob = new Client(srv.url);
    await bob.form('/signup', { email: 'bob-csrf@example.com', password: PASSWORD }, { csrfFrom: '/signup' });
    const bobToken = await bob.csrf('/settings');
    const aliceToken = await alice.csrf('/settings');
    assert.notEqual(bobToken, aliceToken);
    for (const [label, csrf] of [['missing', null], ['wrong', 'nope'], ["another user's", bobToken]]) {
      const r = await post(alice, '/applications', { company: 'Forged', position: 'P', status: 'saved' }, csrf);
      assert.equal(r.status, 403, label);
    }
    // the pre-log-in token is not valid once signed in
    const fresh = new Client(srv.url);
    const preToken = await fresh.csrf('/login');
    await post(fresh, '/login', { email: 'alice@example.com', password: PASSWORD }, preToken);
    assert.equal((await post(fresh, '/applications', { company: 'Forged', position: 'P', status: 'saved' }, preToken)).status, 403);
    assert.equal(await appCount(), before);
    const ok = await post(alice, '/applications', { company: 'Genuine', position: 'P', status: 'saved' }, aliceToken);
    assert.equal(ok.status, 303, 'control: the right token works');
    assert.equal(await appCount(), before + 1);
  });

  test('an API write with the session cookie needs X-CSRF-Token', async () => {
    const before = await appCount();
    const body = JSON.stringify({ company: 'Via cookie', position: 'P' });
    const json = { 'content-type': 'application/json' };
    const none = await alice.fetch('/api/v1/applications', { method: 'POST', headers: json, body });
    assert.equal(none.status, 403);
    assert.deepEqual(await none.json(), { error: { code: 'csrf', message: 'Missing or wrong CSRF token: send X-CSRF-Token.', field: null } });
    const wrong = await alice.fetch('/api/v1/applications', { method: 'POST', headers: { ...json, 'x-csrf-token': 'wrong' }, body });
    assert.equal(wrong.status, 403);
    const someApp = (await aliceApi('POST', '/api/v1/applications', { company: 'Target', position: 'P' })).body.id;
    for (const [m, p] of [['PATCH', `/api/v1/applications/${someApp}`], ['DELETE', `/api/v1/applications/${someApp}`],
      ['POST', '/api/v1/tokens'], ['POST', '/api/v1/me/password'], ['POST', '/api/v1/contacts']]) {
      const r = await alice.fetch(p, { method: m, headers: json, body: m === 'DELETE' ? undefined : '{"name":"x","company":"x"}' });
      assert.equal(r.status, 403, `${m} ${p}`);
    }
    assert.equal(await appCount(), before + 1, 'only the Bearer-made application exists');
    assert.equal((await aliceApi('GET', `/api/v1/applications/${someApp}`)).body.company, 'Target');
    const csrf = await alice.csrf('/settings');
    const ok = await alice.fetch('/api/v1/applications', { method: 'POST', headers: { ...json, 'x-csrf-token': csrf }, body });
    assert.equal(ok.status, 201);
    assert.equal((await alice.fetch('/api/v1/applications')).status, 200, 'reads need no token');
  });
});

describe('tracker forms', () => {
  test('adding, editing, moving and deleting an application through the pages', async () => {
    const csrf = await alice.csrf('/settings');
    const bad = await post(alice, '/applications', { company: '', position: 'P', status: 'saved' }, csrf);
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /Enter the company/);
    const before = await appCount();
    const r = await post(alice, '/applications', { company: 'Formed', position: 'Dev', status: 'saved', tags: 'a, b', priority: '3' }, csrf);
    assert.equal(r.status, 303);
    const id = Number(r.headers.get('location').match(/^\/applications\/(\d+)$/)[1]);
    assert.equal(await appCount(), before + 1);
    const got = (await aliceApi('GET', `/api/v1/applications/${id}`)).body;
    assert.deepEqual([got.company, got.tags, got.priority], ['Formed', ['a', 'b'], 3]);
    const page = await alice.fetch(`/applications/${id}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Formed/);

    const edit = await post(alice, `/applications/${id}`, { company: 'Reformed', position: 'Dev', status: 'saved' }, csrf);
    assert.equal(edit.status, 303);
    assert.equal((await aliceApi('GET', `/api/v1/applications/${id}`)).body.company, 'Reformed');
    const badEdit = await post(alice, `/applications/${id}`, { company: 'Reformed', position: 'Dev', status: 'saved', url: 'javascript:x' }, csrf);
    assert.equal(badEdit.status, 422);
    assert.equal((await aliceApi('GET', `/api/v1/applications/${id}`)).body.url, '');

    const move = await post(alice, `/applications/${id}/status`, { status: 'offer', return_to: '/board' }, csrf);
    assert.equal(move.status, 303);
    assert.equal(move.headers.get('location'), '/board');
    assert.equal((await post(alice, `/applications/${id}/status`, { status: 'bogus' }, csrf)).status, 400);
    const offsite = await post(alice, `/applications/${id}/status`, { status: 'offer', return_to: 'https://evil.example/' }, csrf);
    assert.equal(offsite.headers.get('location'), `/applications/${id}`);
    const events = (await aliceApi('GET', `/api/v1/applications/${id}/events`)).body.items;
    assert.deepEqual(events.filter((e) => e.kind === 'status_change').map((e) => [e.from_status, e.to_status]), [['saved', 'offer']]);

    const del = await post(alice, `/applications/${id}/delete`, {}, csrf);
    assert.equal(del.status, 303);
    assert.equal((await aliceApi('GET', `/api/v1/applications/${id}`)).status, 404);
    assert.equal((await alice.fetch(`/applications/${id}`)).status, 404);
  });

  test('timeline and contact forms', async () => {
    const id = (await aliceApi('POST', '/api/v1/applications', { company: 'Timeline', position: 'P' })).body.id;
    const csrf = await alice.csrf('/settings');
    const note = await post(alice, `/applications/${id}/events`, { kind: 'note', body: 'from the page' }, csrf);
    assert.equal(note.status, 303);
    assert.equal(note.headers.get('location'), `/applications/${id}#timeline`);
    const noteEv = (await aliceApi('GET', `/api/v1/applications/${id}/events`)).body.items.find((e) => e.kind === 'note');
    assert.equal(noteEv.body, 'from the page');
    assert.equal((await post(alice, `/applications/${id}/events`, { kind: 'interview' }, csrf)).status, 422);
    assert.equal((await post(alice, `/applications/${id}/events/${noteEv.id}/delete`, {}, csrf)).status, 303);
    assert.ok(!(await aliceApi('GET', `/api/v1/applications/${id}/events`)).body.items.some((e) => e.id === noteEv.id));

    const contact = await post(alice, `/applications/${id}/contacts`, { name: 'Page Person', email: 'pp@example.com' }, csrf);
    assert.equal(contact.status, 303);
    const linked = (await aliceApi('GET', `/api/v1/applications/${id}/contacts`)).body.items;
    assert.deepEqual(linked.map((c) => [c.name, c.email]), [['Page Person', 'pp@example.com']]);
    assert.equal((await post(alice, `/applications/${id}/contacts`, { name: 'X', email: 'bad' }, csrf)).status, 422);
    assert.equal((await post(alice, `/applications/${id}/contacts/${linked[0].id}/unlink`, {}, csrf)).status, 303);
    assert.deepEqual((await aliceApi('GET', `/api/v1/applications/${id}/contacts`)).body.items, []);
    assert.equal((await aliceApi('GET', `/api/v1/contacts/${linked[0].id}`)).status, 200);
  });

  test('user text is escaped in pages', async () => {
    const evil = '<script>alert(1)</script>';
    const id = (await aliceApi('POST', '/api/v1/applications', { company: evil, position: '"><img src=x onerror=alert(2)>', notes: evil })).body.id;
    await aliceApi('POST', `/api/v1/applications/${id}/events`, { kind: 'note', body: evil });
    for (const path of [`/applications/${id}`, '/board', '/applications']) {
      const html = await (await alice.fetch(path)).text();
      assert.ok(!html.includes(evil), path);
      assert.ok(!html.includes('<img src=x'), path);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, path);
    }
  });

  test('settings: a token made in the page works on the API and its revoke form stops it', async () => {
    const csrf = await alice.csrf('/settings');
    const made = await post(alice, '/settings/tokens', { name: 'page token' }, csrf);
    assert.equal(made.status, 201);
    const secret = (await made.text()).match(/jt_[A-Za-z0-9_-]{20,}/)[0];
    const viaToken = api(srv.url, secret);
    assert.equal((await viaToken('GET', '/api/v1/me')).body.email, 'alice@example.com');
    const id = (await aliceApi('GET', '/api/v1/tokens')).body.items.find((t) => t.name === 'page token').id;
    assert.equal((await post(alice, `/settings/tokens/${id}/revoke`, {}, null)).status, 403);
    assert.equal((await viaToken('GET', '/api/v1/me')).status, 200);
    assert.equal((await post(alice, `/settings/tokens/${id}/revoke`, {}, csrf)).status, 303);
    assert.equal((await viaToken('GET', '/api/v1/me')).status, 401);
    assert.equal((await post(alice, `/settings/tokens/${id}/revoke`, {}, csrf)).status, 404);
  });

  test('the sign-up setting form is for admins only', async () => {
    const bob = new Client(srv.url);
    await bob.form('/signup', { email: 'bob-admin@example.com', password: PASSWORD }, { csrfFrom: '/signup' });
    const r = await post(bob, '/settings/signup', {}, await bob.csrf('/settings'));
    assert.equal(r.status, 403);
    assert.equal((await fetch(`${srv.url}/signup`).then((x) => x.text())).includes('Sign-up is closed'), false);
    // alice is the first user, so admin: closing and reopening works
    const csrf = await alice.csrf('/settings');
    assert.equal((await post(alice, '/settings/signup', {}, csrf)).status, 303);
    assert.match(await fetch(`${srv.url}/signup`).then((x) => x.text()), /Sign-up is closed/);
    const c = new Client(srv.url);
    const refused = await c.form('/signup', { email: 'closed@example.com', password: PASSWORD }, { csrfFrom: '/signup' });
    assert.equal(refused.status, 403);
    assert.equal((await post(alice, '/settings/signup', { signup_open: '1' }, csrf)).status, 303);
    assert.ok(!listUserEmails(srv.dataDir).includes('closed@example.com'));
  });
});
