// Two `jobtrack serve` processes on one database act as one service: what one
// knows, the other knows at once — sessions, tokens, revocations, the data
// behind each other's cached listings. (On SQLite both share the data dir's
// file; on PostgreSQL, JOBTRACK_TEST_PG, both share one database.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client, api, login } from '../lib/server.mjs';

let a, b, user;
before(async () => {
  a = await startServer();
  b = await startServer({ dataDir: a.dataDir });
  user = await newUser(a.url, 'twice@example.com');
});
after(async () => {
  assert.equal((await b.stop({ keepData: true })).code, 0);
  assert.equal((await a.stop()).code, 0);
});

test('a browser session begun on one instance works on the other, and logging out on one ends it on both', async () => {
  const onA = new Client(a.url);
  const r = await onA.form('/login', { email: user.email, password: user.password });
  assert.equal(r.status, 303);
  const onB = new Client(b.url);
  onB.cookies = new Map(onA.cookies);
  assert.equal((await onB.fetch('/board')).status, 200, 'the cookie from A is a session on B');
  const csrf = await onB.csrf('/board');
  const out = await onB.fetch('/logout', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  assert.equal(out.status, 303);
  assert.equal((await onA.fetch('/board')).status, 303, 'logged out on B: A sends the same cookie to log in');
});

test('a JWT and a personal token from one instance work on the other; revoking on one ends them on both', async () => {
  const jwt = await login(a.url, user.email);
  assert.equal((await api(b.url, jwt)('GET', '/api/v1/me')).status, 200);
  const made = await api(a.url, jwt)('POST', '/api/v1/tokens', { name: 'script' });
  assert.equal(made.status, 201);
  const pat = made.body.token;
  assert.equal((await api(b.url, pat)('GET', '/api/v1/applications')).status, 200);
  assert.equal((await api(b.url, jwt)('DELETE', `/api/v1/tokens/${made.body.id}`)).status, 204);
  assert.equal((await api(a.url, pat)('GET', '/api/v1/applications')).status, 401, 'revoked on B, dead on A');
});

// On PostgreSQL each process answers users, sessions and listings from memory
// kept true by NOTIFY, which arrives a little after the commit; so a process
// that hears another one first makes sure, once per request, that every
// notification committed so far has arrived (src/store/postgres/cache.c).
// Every read below comes right after the write's answer, through the other
// instance, and must show it.
test('a change through one instance shows at once in the other\'s cached listing', async () => {
  const jwt = await login(a.url, user.email);
  const onA = api(a.url, jwt), onB = api(b.url, jwt);
  const first = await onB('GET', '/api/v1/applications');
  const again = await onB('GET', '/api/v1/applications');
  assert.equal(again.headers.get('etag'), first.headers.get('etag'), 'B answers the repeat from its cache');
  const made = await onA('POST', '/api/v1/applications', { company: 'Seen Everywhere', position: 'Engineer' });
  assert.equal(made.status, 201);
  const after = await onB('GET', '/api/v1/applications');
  assert.notEqual(after.headers.get('etag'), first.headers.get('etag'), 'B knows of the change at once');
  assert.ok(after.body.items.some((x) => x.id === made.body.id), 'B lists what A created');
  const cond = await onB('GET', '/api/v1/applications', undefined, { 'if-none-match': first.headers.get('etag') });
  assert.equal(cond.status, 200, 'the old ETag no longer matches on B');

  const patched = await onB('PATCH', `/api/v1/applications/${made.body.id}`, { notes: 'changed on B' });
  assert.equal(patched.status, 200);
  const one = await onA('GET', `/api/v1/applications/${made.body.id}`);
  assert.equal(one.body.notes, 'changed on B');
  assert.equal(one.headers.get('etag'), patched.headers.get('etag'), 'both instances give the row one version');
  const listA = await onA('GET', '/api/v1/applications');
  assert.equal(listA.body.items.find((x) => x.id === made.body.id).notes, 'changed on B');
});

test('a password changed through one instance ends the JWTs and other sessions on the other', async () => {
  const jwt = await login(a.url, user.email);
  const onB = new Client(b.url);
  await onB.form('/login', { email: user.email, password: user.password });
  assert.equal((await onB.fetch('/board')).status, 200);
  const r = await api(a.url, jwt)('POST', '/api/v1/me/password',
    { current_password: user.password, new_password: 'a brand new passphrase' });
  assert.ok(r.status === 200 || r.status === 204, `password change: ${r.status} ${r.text}`);
  assert.equal((await api(b.url, jwt)('GET', '/api/v1/me')).status, 401, 'the old JWT is dead on B at once');
  assert.equal((await onB.fetch('/board')).status, 303, 'the browser on B is signed out at once');
  user.password = 'a brand new passphrase';
});

// A client behind a load balancer writes through one instance and reads the
// listing through the other, again and again: every read shows every write
// before it (no window while the other instance's notification is on its way).
for (const kind of ['JWT', 'personal token']) test(`a listing read through one instance right after each edit through the other always shows the edit (${kind})`, async () => {
  let token = await login(a.url, user.email, user.password);
  if (kind !== 'JWT') {
    const made = await api(a.url, token)('POST', '/api/v1/tokens', { name: 'raced' });
    assert.equal(made.status, 201);
    token = made.body.token;
  }
  const onA = api(a.url, token), onB = api(b.url, token);
  const made = await onA('POST', '/api/v1/applications', { company: `Raced (${kind})`, position: 'Engineer' });
  assert.equal(made.status, 201);
  let stale = 0;
  const rounds = 150;
  for (let i = 0; i < rounds; i++) {
    /* Each instance lists after its own write too, so that its remembered
     * page is the one the other's next write makes stale. */
    const [write, read] = i % 3 === 2 ? [onA, onA] : i % 2 ? [onA, onB] : [onB, onA];
    const edit = await write('PATCH', `/api/v1/applications/${made.body.id}`, { notes: `edit ${i}` });
    assert.equal(edit.status, 200);
    const list = await read('GET', '/api/v1/applications?per_page=100');
    assert.equal(list.status, 200);
    if (list.body.items.find((x) => x.id === made.body.id)?.notes !== `edit ${i}`) stale++;
  }
  assert.equal(stale, 0, `${stale} of ${rounds} listings missed the edit just made through the other instance`);
});

