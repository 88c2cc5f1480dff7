// `jobtrack migrate --copy-to URL` moves an instance to another database —
// SQLite into PostgreSQL on the PostgreSQL pass, SQLite into another SQLite
// file otherwise — and the API answers exactly as before, with every id,
// timestamp and version, the same tokens, and ids that are still never reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, newUser, api, runCli, backend, databaseUrl, dropDatabase, ingestPostings } from '../lib/server.mjs';

/** Everything the API shows of one user, keyed by request. */
async function snapshot(call, appIds, extraPaths = []) {
  const out = {};
  const get = async (path) => {
    const r = await call('GET', path);
    assert.equal(r.status, 200, `${path}: ${r.status} ${r.text}`);
    out[path] = { body: r.body, etag: path.includes('?') ? undefined : r.headers.get('etag') };
  };
  await get('/api/v1/me');
  await get('/api/v1/applications?per_page=100&sort=created');
  await get('/api/v1/applications?per_page=100&tag=remote');
  await get('/api/v1/contacts');
  await get('/api/v1/tokens');
  for (const path of extraPaths) await get(path);
  for (const id of appIds) {
    await get(`/api/v1/applications/${id}`);
    await get(`/api/v1/applications/${id}/events`);
    await get(`/api/v1/applications/${id}/contacts`);
  }
  return out;
}

test('a copied instance answers exactly as the original did', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-copy-'));
  const sourceUrl = `sqlite:${join(dir, 'source.db')}`;
  const targetDir = mkdtempSync(join(tmpdir(), 'jobtrack-copy-target-'));
  const targetUrl = backend === 'postgres' ? databaseUrl(targetDir) : `sqlite:${join(targetDir, 'target.db')}`;
  const servers = [];
  try {
    const src = await startServer({ dataDir: dir, extraArgs: ['--database-url', sourceUrl] });
    servers.push(src);
    const user = await newUser(src.url, 'mover@example.com');
    const ids = [];
    for (const [company, tags, status] of [['Acme', ['remote', 'C'], 'saved'], ['Globex', ['Remote'], 'applied'],
      ['Initech', [], 'interviewing'], ['Gone', ['x'], 'saved']]) {
      const r = await user.call('POST', '/api/v1/applications', {
        company, position: 'Engineer', tags, status, salary_min: 90000, salary_max: 120000, salary_currency: 'EUR',
        salary_period: 'year', notes: `notes for ${company}\nsecond line`,
      });
      assert.equal(r.status, 201, r.text);
      ids.push(r.body.id);
    }
    assert.equal((await user.call('PATCH', `/api/v1/applications/${ids[0]}`, { status: 'applied' })).status, 200);
    for (const kind of ['note', 'interview', 'follow_up']) {
      const r = await user.call('POST', `/api/v1/applications/${ids[1]}/events`,
        { kind, at: '2031-03-04T10:00:00Z', title: `a ${kind}`, body: 'details' });
      assert.equal(r.status, 201, r.text);
    }
    const ct = await user.call('POST', `/api/v1/applications/${ids[1]}/contacts`, { name: 'Rita Recruiter', email: 'rita@example.com' });
    assert.equal(ct.status, 201, ct.text);
    assert.ok([200, 201, 204].includes((await user.call('POST', `/api/v1/applications/${ids[2]}/contacts`,
      { contact_id: ct.body.id })).status));
    const pat = await user.call('POST', '/api/v1/tokens', { name: 'script' });
    assert.equal(pat.status, 201);
    // The newest application goes: the copy must still never hand out its id.
    assert.equal((await user.call('DELETE', `/api/v1/applications/${ids[3]}`)).status, 204);
    // A resume (its file stays in the data dir's blob store) and a scan of a pasted job (no posting).
    const form = new FormData();
    form.set('file', new Blob(['# Ada Lovelace\n\n## Experience\n\n- Analyst, 2019 – 2024\n\n## Skills\n\nPython, SQL\n']), 'ada.md');
    const up = await fetch(`${src.url}/api/v1/resumes`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
    assert.equal(up.status, 201);
    const scan = await user.call('POST', '/api/v1/scans', { job_text: 'Data Analyst\nRequirements: Python, SQL, Tableau' });
    assert.equal(scan.status, 201, scan.text);
    const kept = ids.slice(0, 3);
    const extra = ['/api/v1/resumes', '/api/v1/scans', `/api/v1/scans/${scan.body.id}`, `/api/v1/resumes/${(await up.json()).id}`];
    const before = await snapshot(user.call, kept, extra);
    assert.equal((await src.stop({ keepData: true })).code, 0);

    const copy = runCli(['migrate', '--data-dir', dir, '--database-url', sourceUrl, '--copy-to', targetUrl]);
    assert.equal(copy.status, 0, copy.stderr);
    assert.match(copy.stdout, /applications\s+3 rows/);
    assert.match(copy.stdout, /events\s+\d+ rows/);
    assert.match(copy.stdout, /scans\s+1 rows/);

    const dst = await startServer({ dataDir: dir, extraArgs: ['--database-url', targetUrl] });
    servers.push(dst);
    try {
      const after = await snapshot(api(dst.url, user.token), kept, extra);
      for (const path of Object.keys(before)) {
        assert.deepEqual(after[path].body, before[path].body, `${path} answers the same`);
        if (before[path].etag) assert.equal(after[path].etag, before[path].etag, `${path} keeps its version`);
      }
      assert.equal((await api(dst.url, pat.body.token)('GET', '/api/v1/me')).status, 200, 'the personal token came along');
      const fresh = await api(dst.url, user.token)('POST', '/api/v1/applications', { company: 'New', position: 'Dev' });
      assert.equal(fresh.status, 201);
      assert.ok(fresh.body.id > ids[3], `a new id (${fresh.body.id}) never reuses a deleted one (${ids[3]})`);
    } finally {
      assert.equal((await dst.stop({ keepData: true })).code, 0);
    }
    const again = runCli(['migrate', '--data-dir', dir, '--database-url', sourceUrl, '--copy-to', targetUrl]);
    assert.equal(again.status, 1, 'a target that has users is refused');
    assert.match(again.stderr, /the target database is not empty \(its (settings|users) table has rows\)/);
  } finally {
    // A failed assertion must not leave a server running (the runner would wait for it forever).
    for (const srv of servers) await srv.stop({ keepData: true });
    dropDatabase(targetDir);
    dropDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
    rmSync(targetDir, { recursive: true, force: true });
  }
});

test('a target with no users but one posting is refused by table name before anything is copied', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-copy-'));
  const targetDir = mkdtempSync(join(tmpdir(), 'jobtrack-copy-target-'));
  const sourceUrl = `sqlite:${join(dir, 'source.db')}`;
  try {
    const src = await startServer({ dataDir: dir, extraArgs: ['--database-url', sourceUrl] });
    await newUser(src.url, 'mover@example.com');
    assert.equal((await src.stop({ keepData: true })).code, 0);
    // The target's own database (a fresh PostgreSQL one, or targetDir/jobtrack.db), migrated, with one posting.
    const targetUrl = databaseUrl(targetDir);
    assert.equal(runCli(['migrate', '--data-dir', targetDir, '--database-url', targetUrl]).status, 0);
    ingestPostings(targetDir, [{ source: 'lever', external_id: 'x1', title: 'Cook', company: 'Kitchen',
      location: 'Rome', description_html: 'Food.', seen_at: 1900000000 }]);
    const r = runCli(['migrate', '--data-dir', dir, '--database-url', sourceUrl, '--copy-to', targetUrl]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /the target database is not empty \(its postings table has rows\): copy only into a new, empty database/);
    assert.doesNotMatch(r.stdout, /rows/, 'nothing was copied');
  } finally {
    dropDatabase(targetDir);
    dropDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
    rmSync(targetDir, { recursive: true, force: true });
  }
});
