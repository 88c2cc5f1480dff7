// Resumes over the API: multipart upload of real files (the project's own
// generated fixtures, tests/fixtures/resumes/), typed by content and not by
// name; clear 4xx answers for what cannot be read (empty, corrupt,
// encrypted, an image-only PDF, an image, too large); list, profile (ATS
// facts, sections, checks), the file back byte for byte to its owner only,
// rename, default, delete; another user sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, Client } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'resumes');
const fixture = (name) => readFileSync(join(fixtures, name));

let srv, A, B;
before(async () => {
  srv = await startServer({ extraArgs: ['--max-upload', String(64 * 1024)] });
  A = await newUser(srv.url);
  B = await newUser(srv.url);
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

/** POSTs one file as multipart/form-data (fields: name, default …). */
async function upload(user, bytes, filename, fields = {}) {
  const form = new FormData();
  form.set('file', new Blob([bytes]), filename);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(`${srv.url}/api/v1/resumes`, {
    method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form,
  });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, text, headers: res.headers };
}

test('PDF, DOCX, text and Markdown upload; the type comes from the content, not the name', async () => {
  const pdf = await upload(A, fixture('nurse-single-column.pdf'), 'nurse.txt');
  assert.equal(pdf.status, 201, pdf.text);
  assert.equal(pdf.body.type, 'pdf');
  assert.equal(pdf.body.name, 'nurse.txt');
  assert.equal(pdf.body.is_default, true, 'the first resume becomes the default');
  assert.match(pdf.headers.get('location'), new RegExp(`/api/v1/resumes/${pdf.body.id}$`));
  const docx = await upload(A, fixture('nurse-columns.docx'), 'C:\\Users\\me\\nurse.pdf');
  assert.equal(docx.status, 201, docx.text);
  assert.equal(docx.body.type, 'docx');
  assert.equal(docx.body.name, 'nurse.pdf', 'folders are dropped from the name');
  assert.equal(docx.body.is_default, false);
  const md = await upload(A, fixture('developer.md'), 'dev.pdf', { name: 'Developer — 2026', default: 'true' });
  assert.equal(md.status, 201, md.text);
  assert.equal(md.body.type, 'markdown');
  assert.equal(md.body.name, 'Developer — 2026');
  assert.equal(md.body.is_default, true);
  const txt = await upload(A, fixture('accountant-crlf.txt'), 'resume.docx');
  assert.equal(txt.status, 201, txt.text);
  assert.equal(txt.body.type, 'text');

  const list = await A.call('GET', '/api/v1/resumes');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((r) => r.id), [md.body.id, txt.body.id, docx.body.id, pdf.body.id]);
  assert.deepEqual(list.body.items.map((r) => r.is_default), [true, false, false, false]);
});

test('unreadable files get a 4xx that says what to do', async () => {
  const cases = [
    ['empty.txt', 422, /empty/i],
    ['whitespace.txt', 422, /./],
    ['corrupt.pdf', 422, /./],
    ['encrypted.pdf', 422, /password|encrypt/i],
    ['encrypted-office.docx', 422, /password|encrypt/i],
    ['scanned-image-only.pdf', 422, /text|scan/i],
    ['photo.png', 415, /./],
    ['old-word.doc', 415, /./],
  ];
  const before = (await A.call('GET', '/api/v1/resumes')).body.items.length;
  for (const [name, status, message] of cases) {
    const r = await upload(A, fixture(name), name);
    assert.equal(r.status, status, `${name}: ${r.text}`);
    assert.match(r.body.error.message, message, name);
    assert.ok(r.body.error.message.length > 15, `${name}: "${r.body.error.message}" says too little`);
  }
  const none = await upload(A, Buffer.alloc(0), 'x.pdf');
  assert.equal(none.status, 422, none.text);
  assert.equal((await A.call('GET', '/api/v1/resumes')).body.items.length, before, 'nothing was kept');
});

test('a file over the upload limit is refused with 413 naming the limit; a non-multipart body with 415', async () => {
  const big = Buffer.concat([fixture('developer.md'), Buffer.alloc(80 * 1024, 'a')]);
  const r = await upload(A, big, 'big.md');
  assert.equal(r.status, 413, r.text);
  assert.match(r.body.error.message, /65536 bytes/);
  const json = await A.call('POST', '/api/v1/resumes', { file: 'x' });
  assert.equal(json.status, 415, json.text);
  const form = new FormData();
  form.set('name', 'no file');
  const nofile = await fetch(`${srv.url}/api/v1/resumes`, {
    method: 'POST', headers: { authorization: `Bearer ${A.token}` }, body: form,
  });
  assert.equal(nofile.status, 400);
});

test('the profile has the facts, sections and ATS checks; the file comes back as uploaded', async () => {
  const pdfBytes = fixture('electrician-header-footer.pdf');
  const up = await upload(A, pdfBytes, 'electrician.pdf');
  assert.equal(up.status, 201, up.text);
  const r = await A.call('GET', `/api/v1/resumes/${up.body.id}`);
  assert.equal(r.status, 200, r.text);
  const p = r.body.profile;
  assert.equal(p.facts.type, 'pdf');
  assert.equal(p.facts.text_layer, true);
  assert.equal(p.facts.header_footer, true);
  assert.ok(p.facts.pages >= 1);
  const checks = Object.fromEntries(p.ats.map((c) => [c.id, c]));
  for (const id of ['file_type', 'text_layer', 'contact', 'section_headings', 'dates', 'columns', 'tables',
    'header_footer', 'length', 'measurable_results']) {
    assert.ok(checks[id], `check ${id} present`);
    assert.ok(['pass', 'warn', 'fail'].includes(checks[id].status));
  }
  assert.equal(checks.header_footer.status, 'warn');
  assert.ok(checks.header_footer.advice.length > 10);
  assert.equal(checks.file_type.status, 'pass');

  const md = (await A.call('GET', '/api/v1/resumes')).body.items.find((x) => x.type === 'markdown');
  const dev = await A.call('GET', `/api/v1/resumes/${md.id}`);
  assert.equal(dev.status, 200);
  assert.ok(dev.body.profile.sections.some((s) => s.kind === 'experience'));
  assert.ok(dev.body.profile.skills.some((s) => /kubernetes/i.test(s.skill)), JSON.stringify(dev.body.profile.skills));
  assert.ok(dev.body.profile.years_of_experience >= 5);
  const devChecks = Object.fromEntries(dev.body.profile.ats.map((c) => [c.id, c.status]));
  assert.equal(devChecks.tables, 'warn', 'the Markdown skills table is flagged');
  assert.equal(devChecks.file_type, 'warn');

  const file = await fetch(`${srv.url}/api/v1/resumes/${up.body.id}/file`, { headers: { authorization: `Bearer ${A.token}` } });
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  assert.match(file.headers.get('content-disposition'), /attachment; filename="electrician.pdf"/);
  assert.ok(Buffer.from(await file.arrayBuffer()).equals(pdfBytes), 'the same bytes');
  // At rest the file is encrypted: no "%PDF-" anywhere in the data directory.
  const { spawnSync } = await import('node:child_process');
  const grep = spawnSync('grep', ['-rlaF', '--', '%PDF-', srv.dataDir], { encoding: 'utf8' });
  assert.equal(grep.status, 1, `plain PDF bytes found in: ${grep.stdout}`);
});

test('rename and default by PATCH; delete; validation', async () => {
  const up = await upload(A, fixture('teacher-utf16le.txt'), 'teacher.txt');
  const id = up.body.id;
  let r = await A.call('PATCH', `/api/v1/resumes/${id}`, { name: 'Teacher 2026' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, 'Teacher 2026');
  assert.equal(r.body.is_default, false);
  r = await A.call('PATCH', `/api/v1/resumes/${id}`, { default: true });
  assert.equal(r.status, 200);
  assert.equal(r.body.is_default, true);
  const list = (await A.call('GET', '/api/v1/resumes')).body.items;
  assert.equal(list.filter((x) => x.is_default).length, 1);
  assert.equal(list[0].id, id);
  for (const bad of [{ name: '' }, { name: 5 }, { default: false }, { default: 'yes' }, { name: 'x'.repeat(256) }]) {
    const b = await A.call('PATCH', `/api/v1/resumes/${id}`, bad);
    assert.equal(b.status, 422, `${JSON.stringify(bad)}: ${b.text}`);
  }
  r = await A.call('DELETE', `/api/v1/resumes/${id}`);
  assert.equal(r.status, 204);
  assert.equal((await A.call('GET', `/api/v1/resumes/${id}`)).status, 404);
  assert.equal((await A.call('DELETE', `/api/v1/resumes/${id}`)).status, 404);
  const after = (await A.call('GET', '/api/v1/resumes')).body.items;
  assert.equal(after.filter((x) => x.is_default).length, 1, 'another resume became the default');
});

test('another user sees, reads, changes and deletes none of them', async () => {
  const mine = (await A.call('GET', '/api/v1/resumes')).body.items;
  assert.ok(mine.length > 0);
  assert.deepEqual((await B.call('GET', '/api/v1/resumes')).body.items, []);
  for (const r of mine) {
    assert.equal((await B.call('GET', `/api/v1/resumes/${r.id}`)).status, 404);
    assert.equal((await B.call('GET', `/api/v1/resumes/${r.id}/file`)).status, 404);
    assert.equal((await B.call('PATCH', `/api/v1/resumes/${r.id}`, { name: 'stolen' })).status, 404);
    assert.equal((await B.call('PATCH', `/api/v1/resumes/${r.id}`, { default: true })).status, 404);
    assert.equal((await B.call('DELETE', `/api/v1/resumes/${r.id}`)).status, 404);
  }
  assert.deepEqual((await A.call('GET', '/api/v1/resumes')).body.items, mine);
  const page = new Client(srv.url);
  await page.form('/login', { email: B.email, password: B.password });
  assert.equal((await page.fetch(`/resumes/${mine[0].id}`)).status, 404);
  assert.equal((await page.fetch(`/resumes/${mine[0].id}/file`)).status, 404);
  const anon = await fetch(`${srv.url}/api/v1/resumes/${mine[0].id}/file`);
  assert.equal(anon.status, 401);
});

test('the Resumes page uploads with the form\'s CSRF token, and refuses a post without it', async () => {
  const browser = new Client(srv.url);
  const login = await browser.form('/login', { email: B.email, password: B.password });
  assert.equal(login.status, 303);
  const send = async (withToken, file = 'developer.md') => {
    const form = new FormData();
    if (withToken) form.set('_csrf', await browser.csrf('/resumes'));
    form.set('file', new Blob([fixture(file)]), file);
    return browser.fetch('/resumes', { method: 'POST', body: form });
  };
  assert.equal((await send(false)).status, 403);
  assert.deepEqual((await B.call('GET', '/api/v1/resumes')).body.items, []);
  const ok = await send(true);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/resumes');
  const page = await (await browser.fetch('/resumes')).text();
  assert.match(page, /developer\.md/);
  assert.match(page, /Resume uploaded/);
  const bad = await send(true, 'scanned-image-only.pdf');
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /role="alert"[^>]*>That file was not uploaded: [^<]*(text|scan)/i);
  // The API with the session cookie needs X-CSRF-Token on writes too.
  const form = new FormData();
  form.set('file', new Blob([fixture('developer.md')]), 'd.md');
  assert.equal((await browser.fetch('/api/v1/resumes', { method: 'POST', body: form })).status, 403);
  assert.equal((await B.call('GET', '/api/v1/resumes')).body.items.length, 1);
});
