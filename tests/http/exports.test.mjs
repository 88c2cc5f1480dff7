// Spreadsheet exports: applications as XLSX, and postings search results
// (the filters of GET /api/v1/postings) as CSV and XLSX — typed cells, a
// header row, no formulas — and the download links on the pages.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, newUser, ingestPostings, waitFor, Client } from '../lib/server.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let srv, U, ids;
before(async () => {
  srv = await startServer();
  U = await newUser(srv.url);
  const base = Math.floor(Date.now() / 1000) - 1000;
  ids = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 'x1', title: 'Senior Rust Engineer', company: 'Acme', location: 'Berlin, DE',
      locality: 'Berlin', country: 'DE', workplace: 'remote', employment_type: ['FULL_TIME'], salary_min: 90000,
      salary_max: 120000, salary_currency: 'EUR', salary_period: 'YEAR', date_posted: '2026-01-10',
      description_html: 'Rust and Go.', seen_at: base + 1 },
    { source: 'lever', external_id: 'x2', title: '=HYPERLINK("http://evil.example") Rust', company: '@Globex',
      location: 'Paris', country: 'FR', workplace: 'onsite', description_html: 'rust', seen_at: base + 2 },
    { source: 'lever', external_id: 'x3', title: 'Go Developer', company: 'Hooli', location: 'Munich', country: 'DE',
      workplace: 'remote', description_html: 'Go only.', seen_at: base + 3 },
  ]);
  await waitFor(async () => {
    const r = await U.call('GET', '/api/v1/postings?status=all&sort=date&limit=1');
    return r.status === 200 && r.body.total === ids.length;
  }, { timeout: 10000, what: 'the search index' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

async function download(path, auth = { authorization: `Bearer ${U.token}` }) {
  const r = await fetch(srv.url + path, { headers: auth });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

/** The first worksheet's XML of an XLSX file (read with Python's zipfile). */
function sheetXml(bytes) {
  const py = 'import sys,zipfile,io; z=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())); ' +
    'sys.stdout.write(z.read("xl/worksheets/sheet1.xml").decode())';
  const r = spawnSync('python3', ['-c', py], { input: bytes, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
/** Cells of a sheet as { A1: {type, value} }, from the XML. */
function cells(xml) {
  const out = {};
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const [, ref, attrs, inner = ''] = m;
    assert.doesNotMatch(inner, /<f[ >]/, `${ref} is a formula`);
    const t = (attrs.match(/t="(\w+)"/) || [])[1] || 'n';
    const v = t === 'inlineStr' ? (inner.match(/<t[^>]*>(.*?)<\/t>/s) || [])[1] : (inner.match(/<v>(.*?)<\/v>/) || [])[1];
    out[ref] = { type: t, value: v, styled: /s="\d+"/.test(attrs) };
  }
  return out;
}

describe('applications as XLSX', () => {
  test('a header row, then one typed row per application, oldest first', async () => {
    const u = await newUser(srv.url);
    const a = await u.call('POST', '/api/v1/applications', { company: 'Acme', position: '=1+2', salary_min: 80000,
      priority: 4, saved_on: '2026-01-15', tags: ['x', 'y'] });
    assert.equal(a.status, 201, a.text);
    await u.call('POST', '/api/v1/applications', { company: 'Beta', position: 'Dev' });
    const r = await download('/api/v1/applications.xlsx', { authorization: `Bearer ${u.token}` });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), XLSX);
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="jobtrack-applications.xlsx"');
    const c = cells(sheetXml(r.bytes));
    assert.equal(c.A1.value, 'company');
    assert.equal(c.S1.value, 'id');
    assert.deepEqual([c.A2.value, c.B2.value, c.A3.value], ['Acme', '=1+2', 'Beta']);
    assert.equal(c.B2.type, 'inlineStr'); // text, not a formula
    assert.deepEqual([c.F2.type, c.F2.value], ['n', '80000']); // salary_min: a number
    assert.equal(c.K2.value, '4'); // priority
    assert.deepEqual([c.M2.value, c.M2.styled], ['46037', true]); // saved_on: a date serial, date-formatted
    assert.equal(c.L2.value, 'x, y');
    assert.equal(c.S2.value, String(a.body.id));
    assert.equal(c.G2, undefined); // no salary_max: blank
  });

  test('needs credentials', async () => {
    assert.equal((await download('/api/v1/applications.xlsx', {})).status, 401);
  });
});

describe('search results as CSV and XLSX', () => {
  test('the same postings, in the same order, as the search API', async () => {
    const api = await U.call('GET', '/api/v1/postings?q=rust&sort=date');
    assert.equal(api.status, 200);
    const r = await download('/api/v1/postings.csv?q=rust&sort=date&limit=1');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(r.headers.get('x-total-count'), '2');
    assert.equal(r.headers.get('x-exported-count'), '2');
    const lines = r.bytes.toString('utf8').split('\r\n');
    assert.match(lines[0], /^id,title,company,location,locality,region,country,workplace,employment_types,salary_min,/);
    const rows = lines.slice(1).filter(Boolean);
    assert.deepEqual(rows.map((l) => Number(l.split(',')[0])), api.body.items.map((p) => p.id)); // limit is ignored
    const acme = rows.find((l) => l.startsWith(`${ids[0]},`));
    assert.match(acme, /^\d+,Senior Rust Engineer,Acme,"Berlin, DE",Berlin,,DE,remote,FULL_TIME,90000,120000,EUR,year,/); // as the applications CSV and the API write it
    assert.match(acme, /,2026-01-10,/);
    const evil = rows.find((l) => l.startsWith(`${ids[1]},`));
    assert.match(evil, /^\d+,"'=HYPERLINK\(""http:\/\/evil.example""\) Rust","'@Globex",/);
  });

  test('filters apply: remote postings in DE only', async () => {
    const r = await download('/api/v1/postings.csv?workplace=remote&country=DE&sort=date');
    const ids2 = r.bytes.toString('utf8').split('\r\n').slice(1).filter(Boolean).map((l) => Number(l.split(',')[0]));
    assert.deepEqual(ids2.sort(), [ids[0], ids[2]].sort());
  });

  test('XLSX: numbers, dates and text typed, no formulas', async () => {
    const r = await download('/api/v1/postings.xlsx?q=rust&sort=date');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), XLSX);
    const c = cells(sheetXml(r.bytes));
    assert.equal(c.A1.value, 'id');
    const row = Object.values(c).length && [2, 3].find((n) => c[`A${n}`].value === String(ids[0]));
    assert.ok(row);
    assert.deepEqual([c[`J${row}`].type, c[`J${row}`].value], ['n', '90000']);
    assert.equal(c[`P${row}`].value, '46032'); // 2026-01-10
    assert.ok(c[`T${row}`].styled); // first_seen: a date-time
    const other = row === 2 ? 3 : 2;
    assert.equal(c[`B${other}`].value, '=HYPERLINK("http://evil.example") Rust');
  });

  test('a bad filter is a 400 naming it', async () => {
    const r = await U.call('GET', '/api/v1/postings.csv?workplace=moon');
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'workplace');
  });
});

test('pages link the downloads, and they work with a session', async () => {
  const c = new Client(srv.url);
  const r = await c.form('/login', { email: U.email, password: U.password });
  assert.equal(r.status, 303);
  const list = await (await c.fetch('/applications')).text();
  assert.match(list, /href="\/export\.xlsx"/);
  const postings = await (await c.fetch('/postings?q=rust')).text();
  assert.match(postings, /formaction="\/postings\/export\.csv"/);
  assert.match(postings, /formaction="\/postings\/export\.xlsx"/);
  const csv = await c.fetch('/postings/export.csv?q=rust&workplace=');
  assert.equal(csv.status, 200);
  assert.equal((await csv.text()).split('\r\n').filter(Boolean).length, 3);
  const x = await c.fetch('/export.xlsx');
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), XLSX);
});
