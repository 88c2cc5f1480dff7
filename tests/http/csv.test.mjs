// CSV export and import: the file format, a lossless round trip, formula
// guarding, per-row rejects with line numbers, and all-or-nothing on broken files.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, Client } from '../lib/server.mjs';

const HEADER = 'company,position,location,url,source,salary_min,salary_max,salary_currency,salary_period,status,priority,tags,saved_on,applied_on,follow_up_on,notes,id';
let srv;
before(async () => { srv = await startServer(); });
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

const csvPost = (u, text, ct = 'text/csv') => u.call('POST', '/api/v1/applications/import', text, { 'content-type': ct });
async function exportCsv(u) {
  const r = await u.call('GET', '/api/v1/applications.csv');
  assert.equal(r.status, 200, r.text);
  return r.text;
}
async function allApps(u) {
  const r = await u.call('GET', '/api/v1/applications?sort=created&per_page=200');
  assert.equal(r.status, 200);
  return r.body.items;
}
const content = ({ id, created_at, updated_at, status_changed_at, ...rest }) => rest;
// Each export row ends with the application's id; accounts differ in ids, not in data.
const withoutIds = (text) => text.replace(/,\d*\r\n/g, '\r\n');

describe('export', () => {
  test('the file: header, CRLF rows oldest first, attachment headers', async () => {
    const u = await newUser(srv.url);
    const empty = await u.call('GET', '/api/v1/applications.csv');
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(empty.headers.get('content-disposition'), 'attachment; filename="jobtrack-applications.csv"');
    assert.equal(empty.text, `${HEADER}\r\n`);
    const one = await u.call('POST', '/api/v1/applications', { company: 'First', position: 'One', tags: ['x', 'y'], salary_min: 100, priority: 2, saved_on: '2026-01-05' });
    const two = await u.call('POST', '/api/v1/applications', { company: 'Second, Inc.', position: 'Say "hi"', notes: 'two\nlines', status: 'applied', applied_on: '2026-01-06', saved_on: '2026-01-05' });
    assert.equal(await exportCsv(u), `${HEADER}\r\n` +
      `First,One,,,,100,,,,saved,2,"x, y",2026-01-05,,,,${one.body.id}\r\n` +
      `"Second, Inc.","Say ""hi""",,,,,,,,applied,0,,2026-01-05,2026-01-06,,"two\nlines",${two.body.id}\r\n`);
  });

  test('cells that a spreadsheet would run as formulas get a leading apostrophe', async () => {
    const u = await newUser(srv.url);
    const made = await u.call('POST', '/api/v1/applications', { company: '=HYPERLINK("http://evil.example","click")', position: '+1+2', location: '-3+4', source: '@SUM(A1)', notes: '=cmd|"/c calc"!A1' });
    const lines = (await exportCsv(u)).split('\r\n');
    assert.equal(lines[1], '"\'=HYPERLINK(""http://evil.example"",""click"")","\'+1+2","\'-3+4",,"\'@SUM(A1)",,,,,saved,0,,' +
      `${new Date().toISOString().slice(0, 10)},,,"'=cmd|""/c calc""!A1",${made.body.id}`);
    for (const cell of lines[1].split(',')) assert.doesNotMatch(cell, /^[=+\-@]/);
  });
});

describe('round trip', () => {
  test('export, import into another account, export again: the same file and the same data', async () => {
    const a = await newUser(srv.url);
    const b = await newUser(srv.url);
    const apps = [
      { company: 'Plain', position: 'Engineer' },
      { company: 'Comma, Quote "Co"', position: 'Dev, Senior', location: 'Zürich', url: 'https://example.com/a?b=c,d', source: 'LinkedIn',
        salary_min: 100000, salary_max: 120000, salary_currency: 'CHF', salary_period: 'year', status: 'interviewing', priority: 5,
        tags: ['remote', 'rust', 'ünïcödé'], saved_on: '2026-01-01', applied_on: '2026-01-02', follow_up_on: '2026-02-01',
        notes: 'line one\r\nline "two"\n, three\n\nend' },
      { company: '=1+1', position: '-minus', location: '+plus', source: '@at', notes: '=SUM(A1:A9)', tags: ['-dash'] },
      { company: "'=quoted already", position: "'plain apostrophe", notes: "'-" },
      { company: 'Withdrawn', position: 'P', status: 'withdrawn', salary_max: 5, salary_period: 'hour', salary_currency: 'usd' },
      { company: '日本', position: '開発者 😀', notes: 'emoji 🎉' },
    ];
    for (const body of apps) {
      const r = await a.call('POST', '/api/v1/applications', body);
      assert.equal(r.status, 201, r.text);
    }
    const fileA = await exportCsv(a);
    const imp = await csvPost(b, fileA);
    assert.equal(imp.status, 200, imp.text);
    // A's ids mean nothing in B's account: every row is new there.
    assert.deepEqual(imp.body, { imported: apps.length, added: apps.length, updated: 0, rejected: [] });
    const fileB = await exportCsv(b);
    assert.notEqual(fileB, fileA);
    assert.equal(withoutIds(fileB), withoutIds(fileA));
    assert.deepEqual((await allApps(b)).map(content), (await allApps(a)).map(content));
    const quoted = (await allApps(b)).find((x) => x.position === "'plain apostrophe");
    assert.equal(quoted.company, "'=quoted already");
    assert.equal(quoted.notes, "'-");
  });
});

describe('import', () => {
  test('rejected rows are reported by line with a reason; every accepted row is stored', async () => {
    const u = await newUser(srv.url);
    const file = [
      'Company Name,Job Title,Stage,notes,Excitement', // aliases (line 1)
      'Good One,Engineer,Applied,"multi', //             line 2 …
      'line note",3', //                                  … line 3
      ',No Company,saved,,', //                           line 4: rejected
      'Bad Status,Engineer,hired,,', //                   line 5: rejected
      '', //                                              line 6: blank, skipped
      'Too Many,Cells,saved,,1,extra', //                 line 7: rejected
      'Bad Priority,Engineer,saved,,9', //                line 8: rejected
      'Good Two,Designer,offer,,', //                     line 9
    ].join('\r\n') + '\r\n';
    const r = await csvPost(u, file);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.imported, 2);
    assert.deepEqual(r.body.rejected.map((x) => [x.line, x.field]), [[4, 'company'], [5, 'status'], [7, 'row'], [8, 'priority']]);
    for (const x of r.body.rejected) assert.ok(x.message.length > 5, x.message);
    assert.match(r.body.rejected[0].message, /company/i);
    const stored = await allApps(u);
    assert.deepEqual(stored.map((x) => [x.company, x.position, x.status, x.notes, x.priority]),
      // a line break inside a quoted cell is part of the value, CRLF and all
      [['Good One', 'Engineer', 'applied', 'multi\r\nline note', 3], ['Good Two', 'Designer', 'offer', '', 0]]);
  });

  test('importing an edited export updates those applications instead of duplicating them', async () => {
    const u = await newUser(srv.url);
    const kept = await u.call('POST', '/api/v1/applications', { company: 'Kept', position: 'Dev', notes: 'old note' });
    await u.call('POST', '/api/v1/applications', { company: 'Other', position: 'Ops' });
    const other = await newUser(srv.url);
    const foreign = await other.call('POST', '/api/v1/applications', { company: 'Foreign', position: 'X' });
    const file = (await exportCsv(u))
      .replace(/,saved,0,,(\d{4}-\d\d-\d\d),,,old note,/, ',applied,0,,$1,,,new note,')
      // a row naming someone else's application is a new row here, never theirs
      + `Foreign copy,X,,,,,,,,saved,0,,,,,,${foreign.body.id}\r\n`
      // a row with a bad id is rejected with a reason naming the company
      + 'Odd,Row,,,,,,,,saved,0,,,,,,abc\r\n';
    const r = await csvPost(u, file);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.updated, 2);
    assert.equal(r.body.added, 1);
    assert.equal(r.body.imported, 3);
    assert.deepEqual(r.body.rejected.map((x) => [x.field, x.company]), [['id', 'Odd']]);
    const mine = await allApps(u);
    assert.deepEqual(mine.map((x) => x.company), ['Kept', 'Other', 'Foreign copy']);
    const k = mine.find((x) => x.id === kept.body.id);
    assert.equal(k.notes, 'new note');
    assert.equal(k.status, 'applied');
    const events = await u.call('GET', `/api/v1/applications/${kept.body.id}/events`);
    assert.ok(events.body.items.some((e) => e.kind === 'status_change' && e.to_status === 'applied'));
    const theirs = await other.call('GET', `/api/v1/applications/${foreign.body.id}`);
    assert.equal(theirs.body.company, 'Foreign');
  });

  test('a broken file stores nothing, even its good rows', async () => {
    const u = await newUser(srv.url);
    await u.call('POST', '/api/v1/applications', { company: 'Existing', position: 'P' });
    const cases = [
      ['company,position\r\nGood,Row\r\n"Unclosed,quote\r\nAnother,Row\r\n', /Line 3/],
      ['company,position\r\nGood,Row\r\n"closed" then text,x\r\n', /Line 3/],
      ['position,location\r\nNo,Company column\r\n', /company and position/],
      ['', /empty/],
      [Buffer.concat([Buffer.from('company,position\r\nGood,Row\r\nBad \xff'.slice(0, -1), 'latin1'), Buffer.from([0xff, 0x0d, 0x0a])]), /UTF-8/],
      ['company,position\r\nNul\u0000Byte,Row\r\n', /UTF-8|NUL/],
    ];
    for (const [text, why] of cases) {
      const r = await csvPost(u, text);
      assert.equal(r.status, 400, `${JSON.stringify(String(text).slice(0, 40))}: ${r.text}`);
      assert.equal(r.body.error.code, 'bad_csv');
      assert.match(r.body.error.message, why);
    }
    assert.deepEqual((await allApps(u)).map((x) => x.company), ['Existing']);
  });

  test('a BOM and bare LF line ends are accepted; unknown columns are ignored', async () => {
    const u = await newUser(srv.url);
    const r = await csvPost(u, '\uFEFFcompany,position,favourite colour,tags\nBOM Co,Dev,blue,"a, b"\nLF Co,Ops,red,\n');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { imported: 2, added: 2, updated: 0, rejected: [] });
    assert.deepEqual((await allApps(u)).map((x) => [x.company, x.tags]), [['BOM Co', ['a', 'b']], ['LF Co', []]]);
  });

  test('the import must be sent as text/csv', async () => {
    const u = await newUser(srv.url);
    for (const ct of ['application/json', 'text/plain', 'application/octet-stream']) {
      const r = await csvPost(u, 'company,position\r\nA,B\r\n', ct);
      assert.equal(r.status, 415, ct);
      assert.equal(r.body.error.code, 'unsupported_media_type');
    }
    assert.deepEqual(await allApps(u), []);
  });

  test('the page import (multipart) and export work for a browser session', async () => {
    const c = new Client(srv.url);
    await c.form('/signup', { email: 'csvpage@example.com', password: 'correct horse battery' }, { csrfFrom: '/signup' });
    const csrf = await c.csrf('/settings');
    const upload = (token) => {
      const fd = new FormData();
      if (token !== null) fd.append('_csrf', token);
      fd.append('file', new Blob(['company,position\r\nPaged,Dev\r\n,Missing\r\n'], { type: 'text/csv' }), 'apps.csv');
      return c.fetch('/import', { method: 'POST', body: fd });
    };
    const forged = await upload(null);
    assert.equal(forged.status, 403);
    const r = await upload(csrf);
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.match(html, /Line 3|line 3|>3</);
    const exp = await c.fetch('/export.csv');
    assert.equal(exp.status, 200);
    assert.equal(withoutIds(await exp.text()), `${HEADER}\r\nPaged,Dev,,,,,,,,saved,0,,${new Date().toISOString().slice(0, 10)},,,\r\n`);
    // the API import with the session cookie needs X-CSRF-Token like any write
    const api = await c.fetch('/api/v1/applications/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'company,position\r\nX,Y\r\n' });
    assert.equal(api.status, 403);
  });
});

test('stage words from other trackers map to our statuses', async () => {
  const u = await newUser(srv.url);
  const r = await csvPost(u, 'Company,Position,Stage\r\nA,Dev,Interview\r\nB,Dev,Phone screen\r\nC,Dev,Offered\r\nD,Dev,No response\r\n');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 4);
  assert.deepEqual((await allApps(u)).map((x) => x.status), ['interviewing', 'screening', 'offer', 'ghosted']);
});
