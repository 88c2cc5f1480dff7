import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('healthz answers ok with the database reachable', async () => {
  const res = await fetch(srv.url + '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok', database: 'ok' });
});

test('a created application comes back from the list', async () => {
  const u = await newUser(srv.url);
  const created = await u.call('POST', '/api/v1/applications', { company: 'Acme', position: 'Engineer' });
  assert.equal(created.status, 201);
  const list = await u.call('GET', '/api/v1/applications');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((a) => a.company), ['Acme']);
});
