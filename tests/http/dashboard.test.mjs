// The Grafana dashboard only names metrics the server really exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('every metric in deploy/grafana/jobtrack.json appears on /metrics', async () => {
  const dash = readFileSync(join(root, 'deploy', 'grafana', 'jobtrack.json'), 'utf8');
  const wanted = new Set([...dash.matchAll(/jobtrack_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')));
  assert.ok(wanted.size >= 4);
  const srv = await startServer();
  await fetch(srv.url + '/healthz');
  const text = await (await fetch(srv.url + '/metrics')).text();
  const exported = new Set([...text.matchAll(/^# TYPE (jobtrack_[a-z_]+)/gm)].map((m) => m[1]));
  for (const name of wanted) assert.ok(exported.has(name), `${name} is not exported`);
  assert.equal((await srv.stop()).code, 0);
});
