// Operations: health, metrics, security headers, keep-alive, graceful
// shutdown, --print-config, and X-Forwarded-* only from trusted proxies.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, api, Client, runCli, waitFor } from '../lib/server.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

let srv, u;
before(async () => {
  srv = await startServer();
  u = await newUser(srv.url);
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

/** The access-log line of the request with this X-Request-Id. */
function accessLog(server, id) {
  return waitFor(() => server.logs().split('\n').filter((l) => l.includes(`"id":"${id}"`)).map((l) => JSON.parse(l))[0],
    { what: `access log line ${id}` });
}

describe('health and metrics', () => {
  test('/healthz says ok with the database reachable, and needs no credentials', async () => {
    const r = await fetch(`${srv.url}/healthz`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await r.json(), { status: 'ok', database: 'ok' });
    const head = await fetch(`${srv.url}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('/metrics counts requests by route and status', async () => {
    const value = async (labels) => {
      const text = await (await fetch(`${srv.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`jobtrack_http_requests_total{${labels}}`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const res = await fetch(`${srv.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    assert.match(text, /^# HELP jobtrack_build_info /m);
    assert.match(text, /^jobtrack_build_info\{version="\d+\.\d+\.\d+[^"]*"\} 1$/m);
    assert.match(text, /^jobtrack_http_open_connections \d+$/m);
    assert.match(text, /^# TYPE jobtrack_http_request_duration_seconds histogram$/m);

    const okLabels = 'method="GET",route="/healthz",status="200"';
    const nfLabels = 'method="GET",route="/api/v1/applications/{id}",status="404"';
    const ok0 = await value(okLabels);
    const nf0 = await value(nfLabels);
    for (let i = 0; i < 3; i++) await fetch(`${srv.url}/healthz`);
    await u.call('GET', '/api/v1/applications/987654');
    await u.call('GET', '/api/v1/applications/987655');
    await waitFor(async () => (await value(okLabels)) >= ok0 + 3 && (await value(nfLabels)) >= nf0 + 2, { what: 'metrics' });
    assert.equal(await value(okLabels), ok0 + 3);
    assert.equal(await value(nfLabels), nf0 + 2);
    const hist = await (await fetch(`${srv.url}/metrics`)).text();
    const inf = hist.match(/^jobtrack_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} (\d+)$/m);
    const count = hist.match(/^jobtrack_http_request_duration_seconds_count\{method="GET",route="\/healthz"\} (\d+)$/m);
    assert.ok(inf && count);
    assert.equal(inf[1], count[1]);
    assert.ok(Number(count[1]) >= ok0 + 3);
  });
});

describe('security headers', () => {
  const common = (r, what) => {
    assert.equal(r.headers.get('content-security-policy'), CSP, what);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', what);
    assert.equal(r.headers.get('referrer-policy'), 'same-origin', what);
    assert.match(r.headers.get('x-request-id') || '', /^[0-9a-f]{16}$/, what);
    assert.equal(r.headers.get('strict-transport-security'), null, `${what}: no HSTS over plain HTTP`);
  };

  test('every kind of response carries them', async () => {
    const c = new Client(srv.url);
    const cases = [
      ['API 200', await fetch(`${srv.url}/api/v1/me`, { headers: { authorization: `Bearer ${u.token}` } })],
      ['API 401', await fetch(`${srv.url}/api/v1/me`)],
      ['API 404', await fetch(`${srv.url}/api/v1/nope`)],
      ['API 405', await fetch(`${srv.url}/api/v1/me`, { method: 'DELETE' })],
      ['API 413', await fetch(`${srv.url}/api/v1/applications`, { method: 'POST', headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ notes: 'x'.repeat(1100000) }) })],
      ['page 200', await c.fetch('/login')],
      ['page 303', await c.fetch('/board')],
      ['page 404', await c.fetch('/nowhere')],
      ['healthz', await fetch(`${srv.url}/healthz`)],
      ['metrics', await fetch(`${srv.url}/metrics`)],
      ['static', await fetch(`${srv.url}/static/app.css`)],
      ['csv', await fetch(`${srv.url}/api/v1/applications.csv`, { headers: { authorization: `Bearer ${u.token}` } })],
    ];
    for (const [what, r] of cases) common(r, what);
    assert.deepEqual(cases.map(([what, r]) => [what, r.status]),
      [['API 200', 200], ['API 401', 401], ['API 404', 404], ['API 405', 405], ['API 413', 413], ['page 200', 200],
        ['page 303', 303], ['page 404', 404], ['healthz', 200], ['metrics', 200], ['static', 200], ['csv', 200]]);
    for (const [what, r] of cases.filter(([w]) => !w.startsWith('static'))) {
      assert.equal(r.headers.get('cache-control'), 'no-store', what);
    }
    const ids = cases.map(([, r]) => r.headers.get('x-request-id'));
    assert.equal(new Set(ids).size, ids.length, 'request ids are unique');
  });

  test('static assets are cacheable with an ETag and answer 304', async () => {
    const r = await fetch(`${srv.url}/static/app.css`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
    const etag = r.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{16}"$/);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=300');
    const again = await fetch(`${srv.url}/static/app.css`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const versioned = await fetch(`${srv.url}/static/app.css?v=${etag.slice(1, -1)}`);
    assert.equal(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(`${srv.url}/static/nope.css`)).status, 404);
    assert.equal((await fetch(`${srv.url}/static/../src/main.c`)).status, 404);
  });
});

describe('connections', () => {
  test('keep-alive: one connection serves several requests, errors and bodies included', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set();
    const request = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
      const req = http.request(`${srv.url}${path}`, { method, agent, headers: { authorization: `Bearer ${u.token}`, ...headers } }, (res) => {
        sockets.add(res.socket);
        let data = '';
        res.on('data', (d) => { data += d; });
        res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket, body: data, connection: res.headers.connection }));
      });
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
    try {
      const results = [
        await request('GET', '/healthz'),
        await request('POST', '/api/v1/applications', JSON.stringify({ company: 'KA', position: 'P' }), { 'content-type': 'application/json' }),
        await request('GET', '/api/v1/applications/987654'),
        await request('POST', '/api/v1/applications', '{bad json', { 'content-type': 'application/json' }),
        await request('GET', '/api/v1/me'),
      ];
      assert.deepEqual(results.map((r) => r.status), [200, 201, 404, 400, 200]);
      assert.deepEqual(results.map((r) => r.reused), [false, true, true, true, true]);
      assert.equal(sockets.size, 1);
      assert.ok(results.every((r) => r.connection !== 'close'));
    } finally {
      agent.destroy();
    }
  });
});

describe('shutdown', () => {
  test('SIGTERM with an idle keep-alive connection open: a clean, prompt exit', async () => {
    const s = await startServer();
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r) => sock.on('connect', r));
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => sock.once('data', r));
    const started = Date.now();
    const status = await s.stop();
    sock.destroy();
    assert.deepEqual(status, { code: 0, signal: null });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    const log = s.logs();
    assert.match(log, /"event":"serve\.stop","msg":"received SIGTERM/);
    assert.match(log, /"event":"serve\.stopped"/);
  });

  test('SIGTERM lets a request in flight finish, and its data is kept', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobtrack-test-'));
    try {
      const s = await startServer({ dataDir });
      const owner = await newUser(s.url, 'owner@example.com');
      const body = JSON.stringify({ company: 'In flight', position: 'P' });
      const sock = net.connect(s.port, '127.0.0.1');
      await new Promise((r) => sock.on('connect', r));
      let response = '';
      sock.on('data', (d) => { response += d; });
      const closed = new Promise((r) => sock.on('close', r));
      sock.write(`POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${owner.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      await new Promise((r) => setTimeout(r, 200));
      const stopping = s.stop({ keepData: true });
      await waitFor(() => /serve\.stop"/.test(s.logs()), { what: 'the stop to begin' });
      await new Promise((r) => setTimeout(r, 100));
      sock.write(body.slice(10));
      const status = await stopping;
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      sock.destroy();
      assert.deepEqual(status, { code: 0, signal: null });
      assert.match(response, /^HTTP\/1\.1 201 /, `the request in flight was answered: ${JSON.stringify(response.slice(0, 200))}`);
      // the same data directory, a new server: the application is there
      const again = await startServer({ dataDir });
      try {
        const list = await api(again.url, owner.token)('GET', '/api/v1/applications');
        assert.equal(list.status, 200, 'the secret key was kept too, so the JWT still verifies');
        assert.deepEqual(list.body.items.map((a) => a.company), ['In flight']);
      } finally {
        await again.stop({ keepData: true });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  test('--print-config shows the settings with secrets masked, and exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobtrack-test-'));
    try {
      const r = runCli(['serve', '--print-config', '--data-dir', dir, '--secret-key', 'sup3r-s3cret-value',
        '--database-url', 'postgres://jt:hunter2pw@db.internal:5432/jobtrack', '--tls-cert', '/etc/jt/cert.pem',
        '--tls-key', '/etc/jt/key.pem', '--login-limit', '7'], { env: { JOBTRACK_TRUSTED_PROXIES: '10.0.0.1' } });
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout;
      assert.ok(!out.includes('sup3r-s3cret-value'));
      assert.ok(!out.includes('hunter2pw'));
      assert.ok(!out.includes('/etc/jt/key.pem'));
      assert.match(out, /^secret_key = \*{8}$/m);
      assert.match(out, /^database_url = postgres:\/\/jt:\*{8}@db\.internal:5432\/jobtrack$/m);
      assert.match(out, /^tls_key = \*{8}$/m);
      assert.match(out, /^tls_cert = \/etc\/jt\/cert\.pem$/m);
      assert.match(out, /^login_limit = 7$/m);
      assert.match(out, /^trusted_proxies = 10\.0\.0\.1$/m);
      assert.match(out, new RegExp(`^data_dir = ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
      // nothing was started or created
      assert.ok(!/listening/.test(r.stdout + r.stderr));
      const env = runCli(['serve', '--print-config', '--data-dir', dir], { env: { JOBTRACK_SECRET_KEY: 'from-the-env-123' } });
      assert.ok(!env.stdout.includes('from-the-env-123'));
      assert.match(env.stdout, /^secret_key = \*{8}$/m);
      const unset = runCli(['serve', '--print-config', '--data-dir', dir]);
      assert.match(unset.stdout, /^secret_key = \(from DATA_DIR\/secret\.key\)$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('proxies', () => {
  const forwarded = async (server, headers) => {
    const r = await fetch(`${server.url}/healthz`, { headers });
    assert.equal(r.status, 200);
    return (await accessLog(server, r.headers.get('x-request-id'))).addr;
  };

  test('X-Forwarded-For is ignored unless the peer is a trusted proxy', async () => {
    assert.equal(await forwarded(srv, { 'x-forwarded-for': '203.0.113.9' }), '127.0.0.1');
    const trusting = await startServer({ extraArgs: ['--trusted-proxies', '127.0.0.1'] });
    try {
      assert.equal(await forwarded(trusting, {}), '127.0.0.1');
      assert.equal(await forwarded(trusting, { 'x-forwarded-for': '203.0.113.9' }), '203.0.113.9');
      // the rightmost address that is not one of our proxies is the client
      assert.equal(await forwarded(trusting, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 127.0.0.1' }), '203.0.113.9');
    } finally {
      await trusting.stop();
    }
  });

  test('the per-address log-in limit follows X-Forwarded-For only from a trusted proxy', async () => {
    const attempt = (server, ip) => api(server.url)('POST', '/api/v1/auth/token', { email: `${ip}@example.com`, password: 'whatever it is' },
      { 'x-forwarded-for': ip });
    const trusting = await startServer({ extraArgs: ['--trusted-proxies', '127.0.0.1', '--address-limit', '2'] });
    const plain = await startServer({ extraArgs: ['--address-limit', '2'] });
    try {
      for (const server of [trusting, plain]) {
        assert.equal((await attempt(server, '203.0.113.1')).status, 401);
        assert.equal((await attempt(server, '203.0.113.1')).status, 401);
        assert.equal((await attempt(server, '203.0.113.1')).status, 429);
      }
      // behind a trusted proxy another client has its own count; without trust the header changes nothing
      assert.equal((await attempt(trusting, '203.0.113.2')).status, 401);
      assert.equal((await attempt(plain, '203.0.113.2')).status, 429);
    } finally {
      await trusting.stop();
      await plain.stop();
    }
  });

  test('X-Forwarded-Proto: https from a trusted proxy marks cookies Secure; from others it does not', async () => {
    const cookieOf = async (server) => {
      const r = await fetch(`${server.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
      return r.headers.getSetCookie().find((c) => c.startsWith('jt_pre='));
    };
    assert.doesNotMatch(await cookieOf(srv), /Secure/);
    const trusting = await startServer({ extraArgs: ['--trusted-proxies', '127.0.0.1'] });
    try {
      assert.match(await cookieOf(trusting), /; Secure/);
      const c = new Client(trusting.url);
      const token = await c.csrf('/signup');
      const r = await c.fetch('/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
        body: new URLSearchParams({ _csrf: token, email: 'secure@example.com', password: 'correct horse battery' }).toString(),
      });
      assert.equal(r.status, 303);
      assert.match(r.headers.getSetCookie().find((x) => x.startsWith('jt_session=')), /; Secure/);
      // The log-in throttle's device cookie too, from the form's sign-in and the token endpoint.
      assert.match(r.headers.getSetCookie().find((x) => x.startsWith('jt_device=')), /; HttpOnly; SameSite=Lax; .*; Secure/);
      const t = await fetch(`${trusting.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ email: 'secure@example.com', password: 'correct horse battery' }),
      });
      assert.equal(t.status, 200);
      assert.match(t.headers.getSetCookie().find((x) => x.startsWith('jt_device=')), /; Secure/);
    } finally {
      await trusting.stop();
    }
  });
});
