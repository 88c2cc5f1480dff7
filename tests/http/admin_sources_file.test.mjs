// Sources from the sources file (`jobtrack serve --sources FILE`) are marked
// as such and read-only in the admin API and pages (the file is their
// truth), and the crawl switch of a careers-page (jsonld) source in the
// admin forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, Client, binary } from '../lib/server.mjs';

// Nothing here may reach out: the file's source is disabled, and points at a closed port.
const NOWHERE = 'http://127.0.0.1:9';
let srv, A, admin, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobtrack-sources-file-'));
  const file = join(dir, 'my-sources.conf');
  writeFileSync(file, '# written by the test\n[source acme-site]\nurl = https://acme.example/careers\nenabled = false\n'
    + `options = {"crawl": true, "base_url": "${NOWHERE}"}\n`);
  srv = await startServer({ extraArgs: ['--sources', file] });
  A = await newUser(srv.url, 'admin-f@example.com');
  admin = new Client(srv.url);
  assert.equal((await admin.form('/login', { email: 'admin-f@example.com', password: 'correct horse battery' })).status, 303);
});
after(async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
  rmSync(dir, { recursive: true, force: true });
});

test('serve --sources is in --help, and a file that is not there is refused', () => {
  const help = spawnSync(binary, ['serve', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--sources FILE/);
  const missing = spawnSync(binary, ['serve', '--sources', join(dir, 'nope.conf'), '--data-dir', dir], { encoding: 'utf8', timeout: 10000 });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--sources .*nope\.conf: no such file/);
});

test('a source from the file is marked in the API and pages, and cannot be edited or removed there', async () => {
  const list = await A.call('GET', '/api/v1/admin/sources');
  const src = list.body.items.find((s) => s.name === 'acme-site');
  assert.ok(src, JSON.stringify(list.body));
  assert.equal(src.managed_by_file, true);
  assert.equal(src.kind, 'jsonld');
  assert.equal(src.config.crawl, true);
  const patch = await A.call('PATCH', `/api/v1/admin/sources/${src.id}`, { schedule: 'every 12h' });
  assert.equal(patch.status, 409);
  assert.equal(patch.body.error.code, 'managed_by_file');
  assert.match(patch.body.error.message, /sources file/);
  const del = await A.call('DELETE', `/api/v1/admin/sources/${src.id}`);
  assert.equal(del.status, 409);
  assert.equal(del.body.error.code, 'managed_by_file');
  assert.equal((await A.call('GET', `/api/v1/admin/sources/${src.id}`)).body.schedule, 'every 6h');

  const page = await (await admin.fetch(`/admin/sources/${src.id}`)).text();
  assert.match(page, /From sources\.conf/);
  assert.match(page, /data-managed-by-file/);
  assert.doesNotMatch(page, new RegExp(`action="/admin/sources/${src.id}"`), 'no edit form');
  assert.doesNotMatch(page, /Remove source/);
  assert.match(page, new RegExp(`action="/admin/sources/${src.id}/run"`), 'run now stays');
  const listPage = await (await admin.fetch('/admin/sources')).text();
  assert.match(listPage, /From sources\.conf/);
  assert.doesNotMatch(listPage, new RegExp(`action="/admin/sources/${src.id}/enabled"`));
  const form = await admin.form(`/admin/sources/${src.id}/enabled`, { enabled: '1', version: String(src.version) }, { csrfFrom: '/admin/sources' });
  assert.equal(form.status, 409);
  assert.match(await form.text(), /comes from the sources file/);

  // the mark is the file's: the API does not hand it out
  const forged = await A.call('POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'forged', enabled: false, config: { managed_by: 'file' } });
  assert.equal(forged.status, 422);
  assert.equal(forged.body.error.field, 'config');
  const mine = await A.call('POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'mine', enabled: false, config: { base_url: NOWHERE } });
  assert.equal(mine.status, 201);
  assert.equal(mine.body.managed_by_file, false);
});

test('the crawl switch of a careers-page source, in the add and edit forms', async () => {
  const csrfFrom = '/admin/sources';
  const added = await admin.form('/admin/sources', { url: 'https://jobs.example.org/careers', name: 'crawled', schedule: '',
    crawl_shown: '1', crawl: '1' }, { csrfFrom });
  assert.equal(added.status, 303, await added.text());
  let src = (await A.call('GET', '/api/v1/admin/sources')).body.items.find((s) => s.name === 'crawled');
  assert.equal(src.kind, 'jsonld');
  assert.equal(src.enabled, false);
  assert.deepEqual(src.config, { crawl: true });
  const page = await (await admin.fetch(`/admin/sources/${src.id}`)).text();
  assert.match(page, /name="crawl" value="1" checked/);
  // unticked: the key goes (off is the default); the rest of the config stays
  const off = await admin.form(`/admin/sources/${src.id}`, { version: String(src.version), name: 'crawled', kind: 'jsonld',
    target: src.target, schedule: '', config: JSON.stringify({ crawl: true, delay: 4 }), crawl_shown: '1' }, { csrfFrom });
  assert.equal(off.status, 303, await off.text());
  src = (await A.call('GET', `/api/v1/admin/sources/${src.id}`)).body;
  assert.deepEqual(src.config, { delay: 4 });
  assert.doesNotMatch(await (await admin.fetch(`/admin/sources/${src.id}`)).text(), /name="crawl" value="1" checked/);
  // other kinds show no switch, and ignore one sent anyway
  const gh = (await A.call('POST', '/api/v1/admin/sources', { kind: 'greenhouse', target: 'switchless', enabled: false, config: { base_url: NOWHERE } })).body;
  assert.doesNotMatch(await (await admin.fetch(`/admin/sources/${gh.id}`)).text(), /name="crawl"/);
  const ignored = await admin.form(`/admin/sources/${gh.id}`, { version: String(gh.version), name: gh.name, kind: 'greenhouse',
    target: 'switchless', schedule: '', config: JSON.stringify({ base_url: NOWHERE }), crawl_shown: '1', crawl: '1' }, { csrfFrom });
  assert.equal(ignored.status, 303);
  assert.deepEqual((await A.call('GET', `/api/v1/admin/sources/${gh.id}`)).body.config, { base_url: NOWHERE });
});
