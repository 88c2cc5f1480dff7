// Log-in throttling that cannot lock the owner out: limits per account and
// address and per address refuse (429), an account attacked from everywhere
// is only paced (short Retry-After), the counters are shared by every process
// on the database, and the current-password check of a password change is
// limited like a log-in.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, api, Client } from '../lib/server.mjs';

const PASSWORD = 'correct horse battery';
// Requests come from 127.0.0.1, a trusted proxy here, so X-Forwarded-For says who the client is.
const PROXY = ['--trusted-proxies', '127.0.0.1'];
const from = (addr) => ({ 'x-forwarded-for': addr });

async function tokenFrom(base, addr, email, password) {
  const started = Date.now();
  const r = await api(base)('POST', '/api/v1/auth/token', { email, password }, from(addr));
  return { ...r, ms: Date.now() - started, retry: Number(r.headers.get('retry-after')) };
}

/** The right password from addr gets a token at once, or after one short pace (at most 30 s). */
async function ownerGetsIn(base, addr, email) {
  let r = await tokenFrom(base, addr, email, PASSWORD);
  if (r.status === 429) {
    assert.ok(r.retry >= 1 && r.retry <= 30, `Retry-After ${r.retry}`);
    await new Promise((res) => setTimeout(res, r.retry * 1000 + 100));
    r = await tokenFrom(base, addr, email, PASSWORD);
  }
  assert.equal(r.status, 200, r.text);
}

describe('log-in', () => {
  test('ten failed log-ins from ten addresses do not lock the account: its owner gets in within seconds', async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '3', '--address-limit', '1000', '--limit-window', '900'] });
    try {
      await newUser(s.url, 'victim@example.com');
      let paced = 0;
      for (let i = 0; i < 10; i++) {
        const r = await tokenFrom(s.url, `203.0.113.${i + 1}`, 'victim@example.com', `guess number ${i}`);
        assert.ok(r.status === 401 || r.status === 429, `${r.status} ${r.text}`);
        if (r.status === 429) {
          paced++;
          // A refusal is answered at once (no worker thread held) and asks for seconds, not the window.
          assert.ok(r.retry >= 1 && r.retry <= 30, `Retry-After ${r.retry}`);
          assert.ok(r.ms < 1000, `answered in ${r.ms} ms`);
        }
      }
      assert.ok(paced > 0, 'attempts from many addresses are paced');
      // The owner, from their own address, with the right password.
      await ownerGetsIn(s.url, '198.51.100.7', 'victim@example.com');
    } finally {
      await s.stop();
    }
  });

  test('failures from one address lock that address out of that account for the window', async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '3', '--address-limit', '1000', '--limit-window', '600'] });
    try {
      await newUser(s.url, 'pair@example.com');
      for (let i = 0; i < 3; i++) {
        assert.equal((await tokenFrom(s.url, '203.0.113.50', 'pair@example.com', `wrong ${i} guess`)).status, 401);
      }
      const r = await tokenFrom(s.url, '203.0.113.50', 'pair@example.com', PASSWORD);
      assert.equal(r.status, 429, 'even the right password, from that address');
      assert.ok(r.retry > 30 && r.retry <= 600, `Retry-After ${r.retry}`);
      assert.match(r.body.error.message, new RegExp(`wait ${r.retry} seconds`));
      // The log-in page says so too.
      const c = new Client(s.url);
      const page = await c.form('/login', { email: 'pair@example.com', password: PASSWORD }, { headers: from('203.0.113.50') });
      assert.equal(page.status, 429);
      assert.ok(Number(page.headers.get('retry-after')) > 30);
      // The account itself is not locked: its owner elsewhere gets in (after a short pace at most).
      await ownerGetsIn(s.url, '198.51.100.8', 'pair@example.com');
    } finally {
      await s.stop();
    }
  });

  test('two processes on one database share the counters', async () => {
    const a = await startServer({ extraArgs: ['--login-limit', '2', '--address-limit', '1000'] });
    const b = await startServer({ dataDir: a.dataDir, extraArgs: ['--login-limit', '2', '--address-limit', '1000'] });
    try {
      await newUser(a.url, 'shared@example.com');
      const anonA = api(a.url), anonB = api(b.url);
      assert.equal((await anonA('POST', '/api/v1/auth/token', { email: 'shared@example.com', password: 'wrong one here' })).status, 401);
      assert.equal((await anonB('POST', '/api/v1/auth/token', { email: 'shared@example.com', password: 'wrong two here' })).status, 401);
      const r = await anonA('POST', '/api/v1/auth/token', { email: 'shared@example.com', password: PASSWORD });
      assert.equal(r.status, 429, 'the failure counted by the other process counts here');
      assert.equal((await anonB('POST', '/api/v1/auth/token', { email: 'shared@example.com', password: PASSWORD })).status, 429);
    } finally {
      await b.stop({ keepData: true });
      await a.stop();
    }
  });
});

describe('password change', () => {
  test('wrong current passwords over the API are limited per account and address', async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '2', '--address-limit', '1000'] });
    try {
      const u = await newUser(s.url, 'changer@example.com');
      const change = (addr, current) => u.call('POST', '/api/v1/me/password', { current_password: current, new_password: 'a fresh passphrase' }, from(addr));
      assert.equal((await change('203.0.113.9', 'not my password')).status, 422);
      assert.equal((await change('203.0.113.9', 'still not it')).status, 422);
      const r = await change('203.0.113.9', PASSWORD);
      assert.equal(r.status, 429, 'even the right one, from that address');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.equal((await change('198.51.100.9', PASSWORD)).status, 204, 'another address is not affected');
    } finally {
      await s.stop();
    }
  });

  test('wrong current passwords on the settings page are limited too', async () => {
    const s = await startServer({ extraArgs: ['--login-limit', '2', '--address-limit', '1000'] });
    try {
      const u = await newUser(s.url, 'pager@example.com');
      const c = new Client(s.url);
      await c.form('/login', { email: u.email, password: PASSWORD });
      const change = (current) => c.form('/settings/password', { current_password: current, new_password: 'a fresh passphrase' }, { csrfFrom: '/settings' });
      assert.equal((await change('not my password')).status, 422);
      assert.equal((await change('still not it')).status, 422);
      const r = await change(PASSWORD);
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.match(await r.text(), /Too many wrong passwords: wait \d+ seconds/);
      assert.equal((await api(s.url)('POST', '/api/v1/auth/token', { email: u.email, password: 'a fresh passphrase' })).status, 401, 'not changed');
    } finally {
      await s.stop();
    }
  });
});
