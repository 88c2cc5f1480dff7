// Text that is not UTF-8 never reaches the store: PostgreSQL refuses it
// (SQLSTATE 22021) where SQLite keeps it, so letting it through made the
// backends answer differently (500/503 and an error in the log on one, a
// stored row on the other). Run on both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, api, Client } from '../lib/server.mjs';

let srv, anon, user;
before(async () => {
  srv = await startServer();
  anon = api(srv.url);
  user = await newUser(srv.url, 'utf8@example.com');
});
after(async () => {
  assert.deepEqual(await srv.stop({ keepData: false }), { code: 0, signal: null }, srv.logs().slice(-3000));
});

const noErrorLogged = () => assert.doesNotMatch(srv.logs(), /"level":"error"/, srv.logs().slice(-3000));

// A form body built by hand: URLSearchParams would encode every string as UTF-8.
async function rawForm(client, path, body, csrfFrom = '/login') {
  const token = await client.csrf(csrfFrom);
  return client.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `_csrf=${encodeURIComponent(token)}&${body}`,
  });
}

test('a long e-mail is cut on a character boundary, never inside one', async () => {
  // 254 × "a" then "é": cutting at 255 bytes once kept half of the "é".
  const email = `${'a'.repeat(254)}é`;
  const r = await anon('POST', '/api/v1/auth/token', { email, password: 'correct horse battery' });
  assert.equal(r.status, 401, r.text);
  assert.equal(r.body.error.code, 'bad_credentials');
  const s = await anon('POST', '/api/v1/auth/signup', { email, password: 'correct horse battery' });
  assert.equal(s.status, 422, s.text);
  assert.equal(s.body.error.field, 'email');
  const browser = new Client(srv.url);
  const page = await browser.form('/login', { email, password: 'correct horse battery' });
  assert.equal(page.status, 401);
  noErrorLogged();
});

test('form fields that are not UTF-8 are refused with 400 before anything is looked up', async () => {
  const browser = new Client(srv.url);
  const login = await rawForm(browser, '/login', 'email=%FF%FEada%40example.com&password=correct+horse+battery');
  assert.equal(login.status, 400);
  assert.match(await login.text(), /not valid UTF-8/);
  const signup = await rawForm(browser, '/signup', 'email=ada%C3%40example.com&password=correct+horse+battery', '/signup');
  assert.equal(signup.status, 400);
  assert.match(await signup.text(), /not valid UTF-8/);
  const nul = await rawForm(browser, '/login', 'email=ada%00%40example.com&password=x');
  assert.equal(nul.status, 400, 'a NUL byte is not text either');

  // Valid non-ASCII text is no such thing: it is judged as usual.
  const fine = await rawForm(browser, '/login', `email=${encodeURIComponent('zoë@example.com')}&password=wrong+password`);
  assert.equal(fine.status, 401);

  // Signed in, the same holds for every form.
  const signedIn = new Client(srv.url);
  assert.equal((await signedIn.form('/login', { email: user.email, password: user.password })).status, 303);
  const app = await rawForm(signedIn, '/applications', 'company=Caf%E9&position=Dev&status=saved&priority=0', '/board');
  assert.equal(app.status, 400);
  assert.match(await app.text(), /not valid UTF-8/);
  assert.equal((await user.call('GET', '/api/v1/applications')).body.items.length, 0, 'nothing was stored');
  noErrorLogged();
});
