// In-process HTTPS: TLS with --tls-cert/--tls-key, HSTS, and Secure cookies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { startServer } from '../lib/server.mjs';

let srv, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobtrack-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
  { stdio: 'ignore' });
  srv = await startServer({ extraArgs: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')] });
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function get(path) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port: srv.port, path, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

test('serves HTTPS with HSTS when given a certificate', async () => {
  const r = await get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).status, 'ok');
  assert.match(r.headers['strict-transport-security'], /max-age=\d+/);
  assert.match(srv.logs(), /listening on https:/);
});

test('cookies set over TLS are Secure', async () => {
  const r = await get('/login');
  const cookies = r.headers['set-cookie'] || [];
  assert.ok(cookies.length > 0);
  for (const c of cookies) assert.match(c, /; Secure/);
});

test('plain HTTP to the TLS port gets no page', async () => {
  await assert.rejects(async () => {
    const res = await fetch(`http://127.0.0.1:${srv.port}/healthz`);
    if (res.status === 200) throw new Error('no');
    throw new Error('refused');
  });
});

test('--tls-cert without --tls-key is refused with a clear message', async () => {
  await assert.rejects(startServer({ extraArgs: ['--tls-cert', join(dir, 'cert.pem')] }), /--tls-cert and --tls-key go together/);
});

/** A handshake with openssl s_client forced to one protocol version. The
 *  client's security level is lowered so that it would offer TLS 1.0/1.1 at
 *  all (OpenSSL 3 refuses them by default): the server must be what says no. */
function handshake(version, cipher = 'DEFAULT@SECLEVEL=0') {
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${srv.port}`, `-${version}`,
    '-cipher', cipher, '-servername', '127.0.0.1'], { input: '', encoding: 'utf8', timeout: 10000 });
  const m = /New, (\S+), Cipher is (\S+)/.exec(r.stdout);
  return { ok: r.status === 0 && m !== null && m[2] !== '(NONE)', protocol: m ? m[1] : null, out: r.stdout + r.stderr };
}

test('TLS 1.2 and 1.3 handshakes succeed', () => {
  for (const [flag, name] of [['tls1_2', 'TLSv1.2'], ['tls1_3', 'TLSv1.3']]) {
    const h = handshake(flag);
    assert.ok(h.ok, `${flag}:\n${h.out}`);
    assert.equal(h.protocol, name);
  }
});

test('TLS 1.0 and 1.1 handshakes are refused', () => {
  for (const flag of ['tls1', 'tls1_1']) {
    const h = handshake(flag);
    assert.ok(!h.ok, `${flag} must fail:\n${h.out}`);
  }
});

test('TLS 1.2 offers forward-secret AEAD ciphers only', () => {
  for (const cipher of ['AES128-SHA', 'AES256-SHA', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA@SECLEVEL=0']) {
    const h = handshake('tls1_2', cipher);
    assert.ok(!h.ok, `${cipher} must be refused:\n${h.out}`);
  }
  for (const cipher of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-CHACHA20-POLY1305']) {
    const h = handshake('tls1_2', cipher);
    assert.ok(h.ok, `${cipher} must work:\n${h.out}`);
  }
});
