// SIGTERM lets a request in flight finish, then exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';

test('SIGTERM waits for a request whose body is still arriving, answers it, then exits 0', async () => {
  const srv = await startServer();
  const body = JSON.stringify({ email: 'late@example.com', password: 'long enough password' });
  const sock = net.connect(srv.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  let reply = '';
  sock.on('data', (d) => { reply += d; });
  const closed = new Promise((r) => sock.once('close', r));
  sock.write(`POST /api/v1/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n` + body.slice(0, 10));
  await new Promise((r) => setTimeout(r, 200));
  const exited = srv.stop();
  await new Promise((r) => setTimeout(r, 300));
  // The listener is gone: new connections are refused while the old one is served.
  await assert.rejects(fetch(srv.url + '/healthz'));
  sock.write(body.slice(10));
  await closed;
  assert.match(reply, /^HTTP\/1\.1 201/);
  const status = await exited;
  assert.equal(status.code, 0);
  assert.match(srv.logs(), /database closed/);
});

test('SIGINT stops an idle server with exit status 0', async () => {
  const srv = await startServer();
  srv.child.kill('SIGINT');
  const code = await new Promise((r) => srv.child.on('exit', (c) => r(c)));
  assert.equal(code, 0);
  await srv.stop().catch(() => {});
});
