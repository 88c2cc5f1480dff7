// A request may not take longer than --request-timeout, even when it trickles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ extraArgs: ['--request-timeout', '1'] }); });
after(async () => { await srv.stop(); });

function rawRequest(parts, gapMs) {
  return new Promise((resolve) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    let reply = '';
    const started = Date.now();
    sock.on('data', (d) => { reply += d; });
    sock.on('error', () => {});
    sock.on('close', () => resolve({ reply, ms: Date.now() - started }));
    let i = 0;
    const next = () => {
      if (sock.destroyed) return;
      if (i < parts.length) sock.write(parts[i++]);
      if (i < parts.length) setTimeout(next, gapMs);
    };
    sock.on('connect', next);
  });
}

test('a body trickled in past the request timeout is cut off without being stored', async () => {
  const body = JSON.stringify({ email: 'slow@example.com', password: 'slow and steady wins' });
  const head = `POST /api/v1/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const parts = [head, ...body.match(/.{1,4}/g)];
  const r = await rawRequest(parts, 150); // ~2.4 s in all, timeout 1 s
  assert.doesNotMatch(r.reply, /201 Created/);
  assert.ok(r.ms < 5000, `closed after ${r.ms} ms`);
  const check = await fetch(srv.url + '/api/v1/auth/token', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body,
  });
  assert.equal(check.status, 401, 'the half-sent sign-up must not have created the account');
});

test('a request that completes in time is answered normally', async () => {
  const r = await rawRequest(['GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], 0);
  assert.match(r.reply, /^HTTP\/1\.1 200/);
});
