// Log-in throttling that cannot lock the owner out: limits per account and
// address and per address refuse (429), an account attacked from everywhere
// is only paced (short Retry-After) for clients it does not know, while the
// owner's known clients (a device cookie from an earlier log-in, or an
// address that signed in before) skip the pacing; the counters are shared by
// every process on the database, and the current-password check of a
// password change is limited per account and address and per account.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, api, Client } from '../lib/server.mjs';

const PASSWORD = 'correct horse battery';
// Requests come from 127.0.0.1, a trusted proxy here, so X-Forwarded-For says who the client is.
const PROXY = ['--trusted-proxies', '127.0.0.1'];
const from = (addr) => ({ 'x-forwarded-for': addr });

async function tokenFrom(base, addr, email, password, cookie) {
  const started = Date.now();
  const headers = cookie ? { ...from(addr), cookie: `jt_device=${cookie}` } : from(addr);
  const r = await api(base)('POST', '/api/v1/auth/token', { email, password }, headers);
  return { ...r, ms: Date.now() - started, retry: Number(r.headers.get('retry-after')) };
}

/** The jt_device value a response set, or null. */
function deviceCookie(r) {
  const c = r.headers.getSetCookie().find((v) => v.startsWith('jt_device='));
  return c ? c.split(';')[0].slice('jt_device='.length) : null;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** Wrong log-ins from fresh addresses until one is paced: the account's
 *  current pacing slot is taken then. (A try that gets through fails, and a
 *  failure lengthens the slot, so one try is not enough.) */
async function takeSlot(base, email, prefix) {
  for (let n = 1; n <= 20; n++) {
    if ((await tokenFrom(base, `${prefix}.${n}`, email, `slot taker ${n}`)).status === 429) return;
  }
  assert.fail('the account was never paced');
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

describe('known clients', () => {
  // QA's reproduction, with the default limits (10 failures, 60 attempts an
  // address, 900 s): 10 wrong log-ins from 10.5.0.1-10, then one wrong
  // log-in a second from rotating 10.7.0.N, while the owner tries the right
  // password every 6 s. Before known clients, all 10 of the owner's tries
  // got 429: the attacker took every pacing slot.
  test('an attack from rotating addresses keeps no known client of the owner out; unknown and forged clients stay paced', async () => {
    const s = await startServer({ extraArgs: [...PROXY] });
    try {
      const anon = api(s.url);
      for (const email of ['o@x.test', 'other@x.test']) {
        assert.equal((await anon('POST', '/api/v1/auth/signup', { email, password: PASSWORD })).status, 201);
      }
      // Before the attack the owner signed in once, from home, and kept the device cookie.
      const first = await tokenFrom(s.url, '192.168.1.10', 'o@x.test', PASSWORD);
      assert.equal(first.status, 200, first.text);
      let device = deviceCookie(first);
      assert.ok(device, 'a log-in hands out a device cookie');
      const set = first.headers.getSetCookie().find((v) => v.startsWith('jt_device='));
      assert.match(set, /; HttpOnly/);
      assert.match(set, /; SameSite=Lax/);
      assert.doesNotMatch(set, /; Secure/, 'plain HTTP here');
      assert.ok(Number(set.match(/Max-Age=(\d+)/)[1]) >= 30 * 86400, set);
      const otherDevice = deviceCookie(await tokenFrom(s.url, '192.168.1.20', 'other@x.test', PASSWORD));
      assert.ok(otherDevice);
      // Forged: the owner's cookie naming another account, and one with a changed MAC.
      const [uid, ...rest] = device.split('.');
      const forgedAccount = [String(Number(uid) + 1), ...rest].join('.');
      const mac = rest[rest.length - 1];
      const forgedMac = [uid, ...rest.slice(0, -1), (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1)].join('.');

      for (let n = 1; n <= 10; n++) {
        assert.equal((await tokenFrom(s.url, `10.5.0.${n}`, 'o@x.test', `wrong guess ${n}`)).status, 401);
      }
      const attacker = { sent: 0, paced: 0 };
      const attack = async () => {
        attacker.sent++;
        const r = await tokenFrom(s.url, `10.7.${attacker.sent >> 8}.${attacker.sent & 255}`, 'o@x.test', `guess ${attacker.sent}`);
        assert.ok(r.status === 401 || r.status === 429, `${r.status} ${r.text}`);
        if (r.status === 429) attacker.paced++;
      };
      const owner = { device: 0, home: 0 };
      const unknown = [], forged = [];
      for (let tick = 1; tick <= 60; tick++) {
        const started = Date.now();
        await attack();
        if (tick % 6 === 0) {
          const round = tick / 6;
          // Right after the attacker's try, in the slot it just took.
          const u = await tokenFrom(s.url, `198.51.100.${round}`, 'o@x.test', PASSWORD);
          unknown.push(u.status);
          if (u.status === 429) assert.ok(u.retry >= 1 && u.retry <= 30, `Retry-After ${u.retry}`);
          for (const cookie of [otherDevice, forgedAccount, forgedMac]) {
            forged.push((await tokenFrom(s.url, `198.51.101.${round}`, 'o@x.test', PASSWORD, cookie)).status);
          }
          // The owner with the device cookie from an address never seen before (a café).
          const d = await tokenFrom(s.url, `172.16.${round}.1`, 'o@x.test', PASSWORD, device);
          if (d.status === 200) owner.device++;
          device = deviceCookie(d) || device;
          // The owner at home, without the cookie (another browser).
          if ((await tokenFrom(s.url, '192.168.1.10', 'o@x.test', PASSWORD)).status === 200) owner.home++;
        }
        await sleep(Math.max(0, 1000 - (Date.now() - started)));
      }
      assert.ok(attacker.paced >= 40, `the attack was paced (${attacker.paced} of ${attacker.sent} refused)`);
      assert.equal(owner.device, 10, 'the owner with a device cookie got in every time, from a new address');
      assert.equal(owner.home, 10, 'the owner from an address that signed in before got in every time');
      assert.deepEqual(unknown, Array(10).fill(429), 'an unknown client is paced');
      assert.deepEqual(forged, Array(30).fill(429), "another account's or a forged cookie is no exemption");
    } finally {
      await s.stop();
    }
  });

  test("a stolen device cookie's failures count wherever it is sent from: past --login-limit it is paced like anyone", async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '3', '--address-limit', '1000'] });
    try {
      const anon = api(s.url);
      assert.equal((await anon('POST', '/api/v1/auth/signup', { email: 'stolen@x.test', password: PASSWORD })).status, 201);
      const device = deviceCookie(await tokenFrom(s.url, '192.168.1.10', 'stolen@x.test', PASSWORD));
      for (let n = 1; n <= 3; n++) {
        assert.equal((await tokenFrom(s.url, `10.5.0.${n}`, 'stolen@x.test', `wrong ${n} guess`)).status, 401);
      }
      // The account is paced now; the cookie skips that, one guess after another, from new addresses…
      for (let n = 1; n <= 3; n++) {
        const r = await tokenFrom(s.url, `10.9.0.${n}`, 'stolen@x.test', `cookie guess ${n}`, device);
        assert.equal(r.status, 401, `guess ${n} with the cookie: ${r.text}`);
      }
      // …for --login-limit failures; then it is an unknown client: paced (the slot just taken by another try).
      await takeSlot(s.url, 'stolen@x.test', '10.5.1');
      const r = await tokenFrom(s.url, '10.9.0.9', 'stolen@x.test', PASSWORD, device);
      assert.equal(r.status, 429, r.text);
      // The owner at home still gets in.
      assert.equal((await tokenFrom(s.url, '192.168.1.10', 'stolen@x.test', PASSWORD)).status, 200);
    } finally {
      await s.stop();
    }
  });

  test('the log-in form and the sign-up form make the browser a known client', async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '2', '--address-limit', '1000'] });
    try {
      const signer = new Client(s.url);
      const up = await signer.form('/signup', { email: 'page@x.test', password: PASSWORD }, { csrfFrom: '/signup', headers: from('192.168.7.1') });
      assert.equal(up.status, 303);
      assert.ok(signer.cookies.get('jt_device'), 'sign-up signs in and hands out a device cookie');
      const browser = new Client(s.url);
      const login = await browser.form('/login', { email: 'page@x.test', password: PASSWORD }, { headers: from('192.168.7.2') });
      assert.equal(login.status, 303);
      const device = browser.cookies.get('jt_device');
      assert.ok(device);
      await takeSlot(s.url, 'page@x.test', '10.5.0');
      // From a new address, the browser's cookie skips the pacing on the form.
      browser.cookies.delete('jt_session');
      const again = await browser.form('/login', { email: 'page@x.test', password: PASSWORD }, { headers: from('203.0.113.77') });
      assert.equal(again.status, 303, await again.text());
      // Without it, from another new address: paced.
      const stranger = new Client(s.url);
      const paced = await stranger.form('/login', { email: 'page@x.test', password: PASSWORD }, { headers: from('203.0.113.78') });
      assert.equal(paced.status, 429);
    } finally {
      await s.stop();
    }
  });
});

describe('password change', () => {
  // QA's reproduction: 25 wrong current passwords from 25 addresses all got
  // 422. Now, past --login-limit (10) of them the account's password checks
  // are refused until the window ends, from every address.
  test('wrong current passwords over the API are limited per account and address, and per account', async () => {
    const s = await startServer({ extraArgs: [...PROXY] });
    try {
      const u = await newUser(s.url, 'changer@example.com');
      const change = (addr, current) => u.call('POST', '/api/v1/me/password', { current_password: current, new_password: 'a fresh passphrase' }, from(addr));
      const statuses = [];
      for (let n = 1; n <= 25; n++) statuses.push((await change(`10.8.0.${n}`, `not my password ${n}`)).status);
      assert.deepEqual(statuses, [...Array(10).fill(422), ...Array(15).fill(429)]);
      const r = await change('198.51.100.9', PASSWORD);
      assert.equal(r.status, 429, 'even the right one, from a fresh address');
      const retry = Number(r.headers.get('retry-after'));
      assert.ok(retry > 800 && retry <= 900, `until the window ends: Retry-After ${retry}`);
      assert.match(r.body.error.message, new RegExp(`wait ${retry} seconds`));
      // It blocks changing the password, not signing in.
      assert.equal((await tokenFrom(s.url, '198.51.100.9', u.email, PASSWORD)).status, 200);
      assert.equal((await u.call('GET', '/api/v1/me')).status, 200);
    } finally {
      await s.stop();
    }
  });

  test('per account and address, too: two wrong ones from one address refuse that address', async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '2', '--address-limit', '1000'] });
    try {
      const u = await newUser(s.url, 'pairs@example.com');
      const change = (addr, current) => u.call('POST', '/api/v1/me/password', { current_password: current, new_password: 'a fresh passphrase' }, from(addr));
      assert.equal((await change('203.0.113.9', 'not my password')).status, 422);
      assert.equal((await change('203.0.113.9', 'still not it')).status, 422);
      const r = await change('203.0.113.9', PASSWORD);
      assert.equal(r.status, 429, 'even the right one, from that address');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    } finally {
      await s.stop();
    }
  });

  test('wrong current passwords on the settings page are limited per account, from any address', async () => {
    const s = await startServer({ extraArgs: [...PROXY, '--login-limit', '2', '--address-limit', '1000'] });
    try {
      const u = await newUser(s.url, 'pager@example.com');
      const c = new Client(s.url);
      await c.form('/login', { email: u.email, password: PASSWORD });
      const change = (addr, current) => c.form('/settings/password', { current_password: current, new_password: 'a fresh passphrase' }, { csrfFrom: '/settings', headers: from(addr) });
      assert.equal((await change('10.8.1.1', 'not my password')).status, 422);
      assert.equal((await change('10.8.1.2', 'still not it')).status, 422);
      const r = await change('10.8.1.3', PASSWORD);
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) > 30);
      assert.match(await r.text(), /Too many wrong passwords: wait \d+ seconds/);
      // The API's check shares the count.
      const viaApi = await u.call('POST', '/api/v1/me/password', { current_password: PASSWORD, new_password: 'a fresh passphrase' }, from('10.8.1.4'));
      assert.equal(viaApi.status, 429);
      assert.equal((await api(s.url)('POST', '/api/v1/auth/token', { email: u.email, password: 'a fresh passphrase' })).status, 401, 'not changed');
      assert.equal((await api(s.url)('POST', '/api/v1/auth/token', { email: u.email, password: PASSWORD })).status, 200, 'signing in still works');
    } finally {
      await s.stop();
    }
  });
});
