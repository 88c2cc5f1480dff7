// Accounts over the API: sign-up, log-in, JWTs, personal tokens, password
// change, admin settings, rate limiting.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, api, login, Client, listUserEmails } from '../lib/server.mjs';

const PASSWORD = 'correct horse battery';
const b64url = (s) => Buffer.from(s).toString('base64url');
const unb64url = (s) => Buffer.from(s, 'base64url').toString();

function assertError(res, status, code, field) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(res.body.error.code, code, res.text);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
  if (field !== undefined) assert.equal(res.body.error.field, field, res.text);
}

let srv, anon, admin, bob;
before(async () => {
  srv = await startServer();
  anon = api(srv.url);
  admin = await newUser(srv.url, 'admin@example.com');
  bob = await newUser(srv.url, 'bob@example.com');
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

describe('sign-up', () => {
  test('the first user is admin and later users are not', async () => {
    assert.equal(admin.user.is_admin, true);
    assert.equal(bob.user.is_admin, false);
    const me = await admin.call('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.deepEqual(Object.keys(me.body).sort(), ['created_at', 'email', 'id', 'is_admin']);
    assert.deepEqual({ id: me.body.id, email: me.body.email, is_admin: me.body.is_admin },
      { id: admin.user.id, email: 'admin@example.com', is_admin: true });
    assert.match(me.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const meBob = await bob.call('GET', '/api/v1/me');
    assert.equal(meBob.body.email, 'bob@example.com');
    assert.equal(meBob.body.is_admin, false);
    assert.notEqual(meBob.body.id, me.body.id);
  });

  test('an e-mail is normalised and cannot be taken twice, whatever its case', async () => {
    const r = await anon('POST', '/api/v1/auth/signup', { email: '  BOB@Example.COM ', password: PASSWORD });
    assertError(r, 409, 'email_taken', 'email');
    const t = await anon('POST', '/api/v1/auth/token', { email: 'Bob@EXAMPLE.com', password: PASSWORD });
    assert.equal(t.status, 200, 'log-in is case-insensitive on the e-mail');
  });

  test('invalid sign-ups are refused with the field at fault', async () => {
    assertError(await anon('POST', '/api/v1/auth/signup', { email: 'not-an-email', password: PASSWORD }), 422, 'invalid', 'email');
    assertError(await anon('POST', '/api/v1/auth/signup', { email: 'short@example.com', password: 'seven77' }), 422, 'invalid', 'password');
    assertError(await anon('POST', '/api/v1/auth/signup', { email: 'x@example.com', password: PASSWORD, admin: true }), 422, 'invalid', 'admin');
    assertError(await anon('POST', '/api/v1/auth/signup', { email: 42, password: PASSWORD }), 422, 'invalid', 'email');
    assertError(await anon('POST', '/api/v1/auth/signup', { email: 'x@example.com' }), 422, 'invalid', 'password');
    const both = await anon('POST', '/api/v1/auth/signup', { email: 'nope', password: 'x' });
    assert.deepEqual(Object.keys(both.body.error.fields).sort(), ['email', 'password']);
    // none of these made an account
    const emails = listUserEmails(srv.dataDir);
    for (const email of ['not-an-email', 'short@example.com', 'x@example.com', 'nope']) assert.ok(!emails.includes(email), email);
    assert.ok(emails.includes('bob@example.com'), 'control: the listing sees accounts');
  });
});

describe('log-in and tokens', () => {
  test('a JWT is issued with the configured lifetime and identifies its user', async () => {
    const t = await anon('POST', '/api/v1/auth/token', { email: 'bob@example.com', password: PASSWORD });
    assert.equal(t.status, 200);
    assert.equal(t.body.token_type, 'Bearer');
    assert.equal(t.body.expires_in, 3600);
    const [header, payload, sig] = t.body.token.split('.');
    assert.deepEqual(JSON.parse(unb64url(header)), { alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(unb64url(payload));
    assert.equal(claims.sub, String(bob.user.id));
    assert.equal(claims.exp - claims.iat, 3600);
    assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60);
    assert.equal(new Date(t.body.expires_at).getTime() / 1000, claims.exp);
    assert.ok(sig.length >= 40);
    const me = await api(srv.url, t.body.token)('GET', '/api/v1/me');
    assert.equal(me.body.id, bob.user.id);
  });

  test('a wrong password and an unknown e-mail get the same 401', async () => {
    const wrong = await anon('POST', '/api/v1/auth/token', { email: 'bob@example.com', password: 'wrong password!' });
    const unknown = await anon('POST', '/api/v1/auth/token', { email: 'nobody@example.com', password: PASSWORD });
    assertError(wrong, 401, 'bad_credentials', null);
    assertError(unknown, 401, 'bad_credentials', null);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.body.error.message, 'Wrong e-mail or password.');
    assert.equal(wrong.body.token, undefined);
  });

  test('requests without credentials, or with bad ones, get 401 with WWW-Authenticate', async () => {
    const none = await anon('GET', '/api/v1/me');
    assertError(none, 401, 'unauthenticated');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    for (const authz of ['Bearer nonsense', 'Bearer ', 'Bearer jt_notarealtoken', 'Basic Ym9iOnB3', `Token ${bob.token}`]) {
      const r = await anon('GET', '/api/v1/me', undefined, { authorization: authz });
      assertError(r, 401, 'invalid_token');
      assert.match(r.headers.get('www-authenticate'), /^Bearer error="invalid_token"/);
    }
  });

  test('a tampered JWT is rejected', async () => {
    const [header, payload, sig] = bob.token.split('.');
    const claims = JSON.parse(unb64url(payload));
    const call = (tok) => anon('GET', '/api/v1/me', undefined, { authorization: `Bearer ${tok}` });
    assert.equal((await call(bob.token)).status, 200, 'control: the untouched token works');
    // another user's id under bob's signature
    const asAdmin = b64url(JSON.stringify({ ...claims, sub: String(admin.user.id) }));
    assertError(await call(`${header}.${asAdmin}.${sig}`), 401, 'invalid_token');
    // a longer life under the same signature
    const longer = b64url(JSON.stringify({ ...claims, exp: claims.exp + 86400 }));
    assertError(await call(`${header}.${longer}.${sig}`), 401, 'invalid_token');
    // alg none, with and without a signature
    const none = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    assertError(await call(`${none}.${payload}.`), 401, 'invalid_token');
    assertError(await call(`${none}.${asAdmin}.${sig}`), 401, 'invalid_token');
    // another algorithm named in the header
    const hs512 = b64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));
    assertError(await call(`${hs512}.${payload}.${sig}`), 401, 'invalid_token');
    // damaged signature, missing part, extra part
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    assertError(await call(`${header}.${payload}.${flipped}`), 401, 'invalid_token');
    assertError(await call(`${header}.${payload}`), 401, 'invalid_token');
    assertError(await call(`${header}.${payload}.${sig}.x`), 401, 'invalid_token');
  });

  test('personal tokens: create, list without secrets, use, revoke', async () => {
    const made = await bob.call('POST', '/api/v1/tokens', { name: '  laptop script  ' });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.body.name, 'laptop script');
    assert.match(made.body.token, /^jt_[A-Za-z0-9_-]{20,}$/);
    assert.equal(typeof made.body.id, 'number');
    const viaToken = api(srv.url, made.body.token);

    const me = await viaToken('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.id, bob.user.id);

    const list = await bob.call('GET', '/api/v1/tokens');
    assert.equal(list.status, 200);
    const mine = list.body.items.find((t) => t.id === made.body.id);
    assert.deepEqual(Object.keys(mine).sort(), ['created_at', 'id', 'last_used_at', 'name', 'prefix']);
    assert.equal(mine.name, 'laptop script');
    assert.equal(mine.prefix, made.body.token.slice(0, 10));
    assert.notEqual(mine.last_used_at, null, 'the use above was recorded');
    assert.ok(!list.text.includes(made.body.token), 'the list never shows the secret');

    // a second token, to check the order (newest first) and that revoking one leaves the other
    const other = await bob.call('POST', '/api/v1/tokens', { name: 'ci' });
    const list2 = await bob.call('GET', '/api/v1/tokens');
    const ids = list2.body.items.map((t) => t.id);
    assert.ok(ids.indexOf(other.body.id) < ids.indexOf(made.body.id));

    const del = await bob.call('DELETE', `/api/v1/tokens/${made.body.id}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assertError(await viaToken('GET', '/api/v1/me'), 401, 'invalid_token');
    assertError(await bob.call('DELETE', `/api/v1/tokens/${made.body.id}`), 404, 'not_found');
    const list3 = await bob.call('GET', '/api/v1/tokens');
    assert.deepEqual(list3.body.items.map((t) => t.id).filter((id) => id === made.body.id), []);
    assert.equal((await api(srv.url, other.body.token)('GET', '/api/v1/me')).status, 200);
  });

  test('token names are validated', async () => {
    const before = (await bob.call('GET', '/api/v1/tokens')).body.items.length;
    assertError(await bob.call('POST', '/api/v1/tokens', { name: '   ' }), 422, 'invalid', 'name');
    assertError(await bob.call('POST', '/api/v1/tokens', {}), 422, 'invalid', 'name');
    assertError(await bob.call('POST', '/api/v1/tokens', { name: 'x'.repeat(101) }), 422, 'invalid', 'name');
    assertError(await bob.call('POST', '/api/v1/tokens', { name: 7 }), 422, 'invalid', 'name');
    assertError(await bob.call('POST', '/api/v1/tokens', { name: 'ok', scope: 'all' }), 422, 'invalid', 'scope');
    assert.equal((await bob.call('POST', '/api/v1/tokens', { name: 'x'.repeat(100) })).status, 201);
    assert.equal((await bob.call('GET', '/api/v1/tokens')).body.items.length, before + 1);
  });
});

describe('password change', () => {
  test('wrong current password or weak new one: 422, nothing changes', async () => {
    const carol = await newUser(srv.url, 'carol@example.com');
    assertError(await carol.call('POST', '/api/v1/me/password', { current_password: 'not it at all', new_password: 'brand new passphrase' }), 422, 'invalid', 'current_password');
    assertError(await carol.call('POST', '/api/v1/me/password', { current_password: PASSWORD, new_password: 'short' }), 422, 'invalid', 'new_password');
    assertError(await carol.call('POST', '/api/v1/me/password', { new_password: 'brand new passphrase' }), 422, 'invalid', 'current_password');
    assertError(await carol.call('POST', '/api/v1/me/password', { current_password: PASSWORD, new_password: 'brand new passphrase', x: 1 }), 422, 'invalid', 'x');
    assert.equal((await carol.call('GET', '/api/v1/me')).status, 200, 'the JWT still works');
    assert.equal((await anon('POST', '/api/v1/auth/token', { email: 'carol@example.com', password: PASSWORD })).status, 200);
  });

  test('after a change, earlier JWTs and the old password stop working', async () => {
    const dave = await newUser(srv.url, 'dave@example.com');
    const personal = (await dave.call('POST', '/api/v1/tokens', { name: 'kept' })).body.token;
    const r = await dave.call('POST', '/api/v1/me/password', { current_password: PASSWORD, new_password: 'a whole new passphrase' });
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    assertError(await dave.call('GET', '/api/v1/me'), 401, 'invalid_token');
    assertError(await anon('POST', '/api/v1/auth/token', { email: 'dave@example.com', password: PASSWORD }), 401, 'bad_credentials');
    const fresh = await login(srv.url, 'dave@example.com', 'a whole new passphrase');
    const me = await api(srv.url, fresh)('GET', '/api/v1/me');
    assert.equal(me.body.email, 'dave@example.com');
    // personal tokens are not tied to the password (documented)
    assert.equal((await api(srv.url, personal)('GET', '/api/v1/me')).status, 200);
  });

  test('a password change over the API ends the browser sessions', async () => {
    const erin = new Client(srv.url);
    const s = await erin.form('/signup', { email: 'erin@example.com', password: PASSWORD }, { csrfFrom: '/signup' });
    assert.equal(s.status, 303);
    assert.equal((await erin.fetch('/api/v1/me')).status, 200);
    const jwt = await login(srv.url, 'erin@example.com');
    const r = await api(srv.url, jwt)('POST', '/api/v1/me/password', { current_password: PASSWORD, new_password: 'erins new passphrase' });
    assert.equal(r.status, 204);
    assert.equal((await erin.fetch('/api/v1/me')).status, 401);
    const page = await erin.fetch('/board');
    assert.equal(page.status, 303);
    assert.match(page.headers.get('location'), /^\/login/);
  });
});

describe('admin settings', () => {
  test('non-admins get 403 and change nothing', async () => {
    assertError(await bob.call('GET', '/api/v1/admin/settings'), 403, 'forbidden');
    assertError(await bob.call('PATCH', '/api/v1/admin/settings', { signup_open: false }), 403, 'forbidden');
    const s = await admin.call('GET', '/api/v1/admin/settings');
    assert.equal(s.status, 200);
    assert.deepEqual(s.body, { signup_open: true });
  });

  test('closing sign-up makes the sign-up API and page refuse; reopening allows it again', async () => {
    try {
      const closed = await admin.call('PATCH', '/api/v1/admin/settings', { signup_open: false });
      assert.equal(closed.status, 200);
      assert.deepEqual(closed.body, { signup_open: false });
      assert.deepEqual((await admin.call('GET', '/api/v1/admin/settings')).body, { signup_open: false });
      assertError(await anon('POST', '/api/v1/auth/signup', { email: 'late@example.com', password: PASSWORD }), 403, 'signup_closed');
      assert.ok(!listUserEmails(srv.dataDir).includes('late@example.com'));
      const page = await fetch(srv.url + '/signup');
      assert.match(await page.text(), /Sign-up is closed/);
      // existing users can still log in
      assert.equal((await anon('POST', '/api/v1/auth/token', { email: 'bob@example.com', password: PASSWORD })).status, 200);
    } finally {
      const open = await admin.call('PATCH', '/api/v1/admin/settings', { signup_open: true });
      assert.deepEqual(open.body, { signup_open: true });
    }
    const r = await anon('POST', '/api/v1/auth/signup', { email: 'late@example.com', password: PASSWORD });
    assert.equal(r.status, 201);
    assert.equal(r.body.user.is_admin, false);
  });

  test('settings are validated', async () => {
    assertError(await admin.call('PATCH', '/api/v1/admin/settings', { signup_open: 'no' }), 422, 'invalid', 'signup_open');
    assertError(await admin.call('PATCH', '/api/v1/admin/settings', { signup_open: 0 }), 422, 'invalid', 'signup_open');
    assertError(await admin.call('PATCH', '/api/v1/admin/settings', { open_bar: true }), 422, 'invalid', 'open_bar');
    assert.deepEqual((await admin.call('GET', '/api/v1/admin/settings')).body, { signup_open: true });
    const empty = await admin.call('PATCH', '/api/v1/admin/settings', {});
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { signup_open: true });
  });
});

describe('rate limiting', () => {
  test('too many failed log-ins for one account: 429 with Retry-After, even with the right password', async () => {
    const s = await startServer({ extraArgs: ['--login-limit', '3', '--address-limit', '1000', '--limit-window', '600'] });
    try {
      const a = api(s.url);
      await newUser(s.url, 'target@example.com');
      await newUser(s.url, 'bystander@example.com');
      for (let i = 0; i < 3; i++) {
        assertError(await a('POST', '/api/v1/auth/token', { email: 'target@example.com', password: `guess ${i} wrong` }), 401, 'bad_credentials');
      }
      const limited = await a('POST', '/api/v1/auth/token', { email: 'target@example.com', password: 'guess again wrong' });
      assertError(limited, 429, 'rate_limited');
      const retry = Number(limited.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 600, `Retry-After ${retry}`);
      assert.match(limited.body.error.message, new RegExp(`wait ${retry} seconds`));
      // the limit is per account: the right password is refused too, but not another account
      assertError(await a('POST', '/api/v1/auth/token', { email: 'TARGET@example.com', password: PASSWORD }), 429, 'rate_limited');
      assert.equal((await a('POST', '/api/v1/auth/token', { email: 'bystander@example.com', password: PASSWORD })).status, 200);
      // the log-in page shares the limit
      const c = new Client(s.url);
      const page = await c.form('/login', { email: 'target@example.com', password: PASSWORD });
      assert.equal(page.status, 429);
      assert.match(await page.text(), /Too many attempts/);
      assert.ok(!c.cookies.has('jt_session'));
    } finally {
      await s.stop();
    }
  });

  test('a successful log-in resets the account count', async () => {
    const s = await startServer({ extraArgs: ['--login-limit', '2', '--address-limit', '1000'] });
    try {
      const a = api(s.url);
      await newUser(s.url, 'resets@example.com'); // its log-in already succeeded once
      assertError(await a('POST', '/api/v1/auth/token', { email: 'resets@example.com', password: 'nope nope nope' }), 401, 'bad_credentials');
      assert.equal((await a('POST', '/api/v1/auth/token', { email: 'resets@example.com', password: PASSWORD })).status, 200);
      assertError(await a('POST', '/api/v1/auth/token', { email: 'resets@example.com', password: 'nope nope nope' }), 401, 'bad_credentials');
      assert.equal((await a('POST', '/api/v1/auth/token', { email: 'resets@example.com', password: PASSWORD })).status, 200);
    } finally {
      await s.stop();
    }
  });

  test('too many attempts from one address: log-in and sign-up get 429', async () => {
    const s = await startServer({ extraArgs: ['--login-limit', '1000', '--address-limit', '4'] });
    try {
      const a = api(s.url);
      for (let i = 0; i < 4; i++) {
        assertError(await a('POST', '/api/v1/auth/token', { email: `probe${i}@example.com`, password: PASSWORD }), 401, 'bad_credentials');
      }
      const r = await a('POST', '/api/v1/auth/token', { email: 'fresh@example.com', password: PASSWORD });
      assertError(r, 429, 'rate_limited');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      const su = await a('POST', '/api/v1/auth/signup', { email: 'someone@example.com', password: PASSWORD });
      assertError(su, 429, 'rate_limited');
      assert.ok(Number(su.headers.get('retry-after')) >= 1);
      assert.deepEqual(listUserEmails(s.dataDir), [], 'the refused sign-up stored nothing');
    } finally {
      await s.stop();
    }
  });
});
