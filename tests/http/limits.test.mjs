// Limits and bad input: oversized bodies and headers, malformed JSON, bad
// UTF-8, wrong types and media types, bad ids, unknown routes and methods.
// Every refusal is a clear 4xx with the JSON error shape, and stores nothing.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, newUser, rawRequest, Client } from '../lib/server.mjs';

const MAX_JSON = 2048;
const MAX_FORM = 2048;
const MAX_UPLOAD = 4096;
const MAX_HEADER = 4096;

let srv, u, appId;
before(async () => {
  srv = await startServer({
    extraArgs: ['--max-json-body', String(MAX_JSON), '--max-form-body', String(MAX_FORM),
      '--max-upload', String(MAX_UPLOAD), '--max-header', String(MAX_HEADER)],
  });
  u = await newUser(srv.url);
  appId = (await u.call('POST', '/api/v1/applications', { company: 'Keeper', position: 'P' })).body.id;
});
// A clean exit: no crash and no sanitizer report (the ASan build exits non-zero on one).
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

async function counts() {
  const apps = await u.call('GET', '/api/v1/applications');
  const contacts = await u.call('GET', '/api/v1/contacts');
  const events = await u.call('GET', `/api/v1/applications/${appId}/events`);
  const tokens = await u.call('GET', '/api/v1/tokens');
  return { apps: apps.body.total, contacts: contacts.body.items.length, events: events.body.items.length, tokens: tokens.body.items.length };
}
function assertError(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8', what);
  assert.deepEqual(Object.keys(r.body), ['error'], what);
  assert.equal(r.body.error.code, code, `${what}: ${r.text}`);
  assert.equal(typeof r.body.error.message, 'string');
  assert.ok('field' in r.body.error, what);
}
const bodyOfSize = (n) => {
  const base = JSON.stringify({ company: 'Big', position: 'P', notes: '' });
  return JSON.stringify({ company: 'Big', position: 'P', notes: 'x'.repeat(n - base.length) });
};

/** POSTs with Transfer-Encoding: chunked (no Content-Length), in pieces. */
function chunkedPost(path, text, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${srv.url}${path}`, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, text: data, body: JSON.parse(data || 'null') }));
    });
    req.on('error', reject);
    for (let i = 0; i < text.length; i += 500) req.write(text.slice(i, i + 500));
    req.end();
  });
}

describe('body size', () => {
  test('a JSON body over --max-json-body is 413 and stores nothing; one at the limit is fine', async () => {
    const before = await counts();
    for (const size of [MAX_JSON + 1, MAX_JSON * 3, 200000]) {
      const text = bodyOfSize(size);
      assert.equal(text.length, size);
      assertError(await u.call('POST', '/api/v1/applications', text, { 'content-type': 'application/json' }), 413, 'body_too_large', String(size));
    }
    assertError(await u.call('PATCH', `/api/v1/applications/${appId}`, { notes: 'y'.repeat(MAX_JSON) }), 413, 'body_too_large', 'patch');
    assertError(await u.call('POST', '/api/v1/contacts', { name: 'n', notes: 'y'.repeat(MAX_JSON) }), 413, 'body_too_large', 'contact');
    assertError(await u.call('POST', `/api/v1/applications/${appId}/events`, { kind: 'note', body: 'y'.repeat(MAX_JSON) }), 413, 'body_too_large', 'event');
    assert.deepEqual(await counts(), before);
    assert.equal((await u.call('GET', `/api/v1/applications/${appId}`)).body.notes, '');
    const atLimit = await u.call('POST', '/api/v1/applications', bodyOfSize(MAX_JSON), { 'content-type': 'application/json' });
    assert.equal(atLimit.status, 201, atLimit.text);
    assert.equal((await counts()).apps, before.apps + 1);
  });

  test('a chunked body (no Content-Length) over the limit is 413 too', async () => {
    const before = await counts();
    const r = await chunkedPost('/api/v1/applications', bodyOfSize(MAX_JSON + 600), { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' });
    assert.equal(r.status, 413, r.text);
    assert.equal(r.body.error.code, 'body_too_large');
    assert.deepEqual(await counts(), before);
    const ok = await chunkedPost('/api/v1/applications', bodyOfSize(1500), { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' });
    assert.equal(ok.status, 201, 'control: a chunked body under the limit is read whole');
    assert.equal(ok.body.notes.length, 1500 - JSON.stringify({ company: 'Big', position: 'P', notes: '' }).length);
  });

  test('a body sent to a route that takes none is 413 and the route does nothing', async () => {
    const doomed = (await u.call('POST', '/api/v1/applications', { company: 'Not doomed', position: 'P' })).body.id;
    assertError(await u.call('DELETE', `/api/v1/applications/${doomed}`, { confirm: true }), 413, 'body_too_large', 'DELETE with body');
    assert.equal((await u.call('GET', `/api/v1/applications/${doomed}`)).status, 200);
  });

  test('a form over --max-form-body and an upload over --max-upload are 413', async () => {
    const c = new Client(srv.url);
    const token = await c.csrf('/login');
    const r = await c.fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email: 'x@example.com', password: 'p'.repeat(MAX_FORM) }).toString(),
    });
    assert.equal(r.status, 413);
    assert.ok(!c.cookies.has('jt_session'));
    const before = await counts();
    let csv = 'company,position\r\n';
    while (csv.length <= MAX_UPLOAD) csv += 'Upload Co,Engineer\r\n';
    assertError(await u.call('POST', '/api/v1/applications/import', csv, { 'content-type': 'text/csv' }), 413, 'body_too_large', 'import');
    assert.deepEqual(await counts(), before);
  });

  test('a body for a route the caller may not use is not read: the answer is the auth answer', async () => {
    // Chunked (no Content-Length), over the limit: a signed-in caller gets 413, an anonymous one 401,
    // because an anonymous body is dropped unread instead of buffered.
    let csv = 'company,position\r\n';
    while (csv.length <= MAX_UPLOAD) csv += 'Upload Co,Engineer\r\n';
    const anon = await chunkedPost('/api/v1/applications/import', csv, { 'content-type': 'text/csv' });
    assert.equal(anon.status, 401, anon.text);
    const bad = await chunkedPost('/api/v1/applications/import', csv, { 'content-type': 'text/csv', authorization: 'Bearer nope' });
    assert.equal(bad.status, 401, bad.text);
    const signedIn = await chunkedPost('/api/v1/applications/import', csv, { 'content-type': 'text/csv', authorization: `Bearer ${u.token}` });
    assert.equal(signedIn.status, 413, 'control: a caller who may import gets the size answer');
    // A multipart body the server could not even parse: anonymous browsers are sent to log in.
    const page = await fetch(`${srv.url}/import`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'multipart/form-data' }, body: 'x'.repeat(100),
    });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login');
  });
});

describe('malformed bodies', () => {
  test('malformed JSON is 400 bad_json and stores nothing', async () => {
    const before = await counts();
    for (const text of ['{', '{"company":}', "{'company':'x','position':'y'}", '{"company":"x","position":"y",}',
      '', ' ', '{"company":"x"} trailing', '{"company":"x\\q","position":"y"}',
      '{"company":"a","position":"y","company":"b"}', '{"company":"nul\\u0000","position":"y"}',
      '{"company":"\\ud800","position":"y"}']) {
      const r = await u.call('POST', '/api/v1/applications', text, { 'content-type': 'application/json' });
      assertError(r, 400, 'bad_json', JSON.stringify(text));
      assert.equal(r.body.error.field, null);
    }
    assert.deepEqual(await counts(), before);
  });

  test('a JSON value that is not an object is 400 bad_json', async () => {
    const before = await counts();
    for (const text of ['[]', '[{"company":"x","position":"y"}]', '"company"', '42', 'true', 'null']) {
      for (const [m, p] of [['POST', '/api/v1/applications'], ['PATCH', `/api/v1/applications/${appId}`],
        ['POST', '/api/v1/contacts'], ['POST', `/api/v1/applications/${appId}/events`], ['POST', '/api/v1/tokens']]) {
        assertError(await u.call(m, p, text, { 'content-type': 'application/json' }), 400, 'bad_json', `${m} ${p} ${text}`);
      }
    }
    assert.deepEqual(await counts(), before);
  });

  test('invalid UTF-8 bytes in the body are 400 bad_utf8 and store nothing', async () => {
    const before = await counts();
    const wrap = (bytes) => Buffer.concat([Buffer.from('{"company":"'), Buffer.from(bytes), Buffer.from('","position":"P"}')]);
    const bad = [[0xff], [0xc3], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82]];
    for (const bytes of bad) {
      const r = await u.call('POST', '/api/v1/applications', wrap(bytes), { 'content-type': 'application/json' });
      assertError(r, 400, 'bad_utf8', bytes.map((x) => x.toString(16)).join(' '));
    }
    const r = await u.call('POST', '/api/v1/contacts', Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0x22, 0x3a, 0x31, 0x7d]), { 'content-type': 'application/json' });
    assertError(r, 400, 'bad_utf8', 'in a key');
    assert.deepEqual(await counts(), before);
    // control: real multi-byte text is fine
    const ok = await u.call('POST', '/api/v1/applications', wrap([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]), { 'content-type': 'application/json' });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.company, 'é€😀');
  });

  test('unknown members and wrong types are 422 naming the member, for every resource', async () => {
    const before = await counts();
    const cases = [
      ['POST', '/api/v1/applications', { company: 'x', position: 'y', salary: 5 }, 'salary'],
      ['POST', '/api/v1/applications', { company: ['x'], position: 'y' }, 'company'],
      ['POST', '/api/v1/applications', { company: 'x', position: 'y', tags: 'a' }, 'tags'],
      ['POST', '/api/v1/applications', { company: 'x', position: 'y', priority: true }, 'priority'],
      ['POST', '/api/v1/applications', { company: 'x', position: 'y', salary_min: { n: 1 } }, 'salary_min'],
      ['PATCH', `/api/v1/applications/${appId}`, { Company: 'x' }, 'Company'],
      ['PATCH', `/api/v1/applications/${appId}`, { notes: 12 }, 'notes'],
      ['POST', `/api/v1/applications/${appId}/events`, { kind: 'note', body: 'x', extra: 1 }, 'extra'],
      ['POST', `/api/v1/applications/${appId}/events`, { kind: 1, body: 'x' }, 'kind'],
      ['POST', '/api/v1/contacts', { name: 'x', twitter: '@x' }, 'twitter'],
      ['POST', '/api/v1/contacts', { name: false }, 'name'],
      ['POST', '/api/v1/tokens', { name: 'x', expires: 3 }, 'expires'],
      ['POST', '/api/v1/tokens', { name: ['x'] }, 'name'],
    ];
    for (const [m, p, body, field] of cases) {
      const r = await u.call(m, p, body);
      assertError(r, 422, 'invalid', `${m} ${p} ${JSON.stringify(body)}`);
      assert.equal(r.body.error.field, field);
      assert.equal(typeof r.body.error.fields[field], 'string');
    }
    assert.deepEqual(await counts(), before);
    assert.equal((await u.call('GET', `/api/v1/applications/${appId}`)).body.notes, '');
  });

  test('an unknown member with a hostile name is echoed back as valid JSON', async () => {
    const before = await counts();
    for (const key of ['a"b', 'back\\slash', '","field":"company', '</script><b>', 'tab\there', 'é€😀', 'nl\nx']) {
      for (const [p, body] of [['/api/v1/applications', { company: 'x', position: 'y', [key]: 1 }], ['/api/v1/contacts', { name: 'x', [key]: 'v' }],
        ['/api/v1/tokens', { name: 'x', [key]: 'v' }]]) {
        const r = await u.call('POST', p, body);
        assert.equal(r.status, 422, `${p} ${JSON.stringify(key)}: ${r.text}`);
        assert.ok(r.body, `the answer is JSON: ${r.text}`);
        assert.equal(r.body.error.field, key);
        assert.deepEqual(Object.keys(r.body.error.fields), [key]);
      }
    }
    assert.deepEqual(await counts(), before);
  });

  test('a body not sent as application/json is 415 and stores nothing', async () => {
    const before = await counts();
    const json = JSON.stringify({ company: 'Typed', position: 'P' });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json', 'application/xml', null]) {
      const headers = ct ? { 'content-type': ct } : {};
      const r = await fetch(`${srv.url}/api/v1/applications`, { method: 'POST', headers: { authorization: `Bearer ${u.token}`, ...headers }, body: ct ? json : new Uint8Array(Buffer.from(json)) });
      const text = await r.text();
      assert.equal(r.status, 415, `${ct}: ${text}`);
      assert.equal(JSON.parse(text).error.code, 'unsupported_media_type');
    }
    assertError(await u.call('POST', '/api/v1/applications/import', 'company,position\r\nA,B\r\n', { 'content-type': 'application/json' }), 415, 'unsupported_media_type', 'import as JSON');
    assert.deepEqual(await counts(), before);
    for (const ct of ['application/json; charset=utf-8', 'Application/JSON']) {
      assert.equal((await u.call('POST', '/api/v1/applications', json, { 'content-type': ct })).status, 201, ct);
    }
  });
});

describe('headers, paths and methods', () => {
  test('request headers over --max-header are refused with 431 and store nothing', async () => {
    const before = await counts();
    for (const size of [MAX_HEADER + 1000, 64 * 1024]) {
      const body = JSON.stringify({ company: 'Headers', position: 'P' });
      const r = await rawRequest(srv.port, `POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${u.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nX-Padding: ${'p'.repeat(size)}\r\n\r\n${body}`);
      assert.equal(r.status, 431, `${size}: ${r.raw.slice(0, 300)}`);
    }
    assert.deepEqual(await counts(), before);
    const ok = await fetch(`${srv.url}/api/v1/me`, { headers: { authorization: `Bearer ${u.token}`, 'x-padding': 'p'.repeat(MAX_HEADER - 1000) } });
    assert.equal(ok.status, 200, 'control: headers under the limit are fine');
  });

  test('bad path ids are 404 JSON for every operation', async () => {
    const before = await counts();
    for (const id of ['0', '-1', 'abc', '01', '007', '1.5', '1e3', '0x10', '%31', ' 1', '99999999999999999999',
      '9223372036854775808', '999999999999999999', '']) {
      for (const [m, suffix, body] of [['GET', ''], ['PATCH', '', { notes: 'x' }], ['DELETE', ''], ['GET', '/events'],
        ['POST', '/events', { kind: 'note', body: 'x' }], ['GET', '/contacts']]) {
        const r = await u.call(m, `/api/v1/applications/${encodeURI(id)}${suffix}`, body);
        assertError(r, 404, 'not_found', `${m} id=${JSON.stringify(id)}${suffix}`);
      }
      assertError(await u.call('DELETE', `/api/v1/applications/${appId}/events/${encodeURI(id)}`), 404, 'not_found', `event ${id}`);
      assertError(await u.call('GET', `/api/v1/contacts/${encodeURI(id)}`), 404, 'not_found', `contact ${id}`);
      assertError(await u.call('DELETE', `/api/v1/tokens/${encodeURI(id)}`), 404, 'not_found', `token ${id}`);
    }
    assert.equal((await u.call('GET', `/api/v1/applications/${appId}`)).status, 200, 'control: the real id works');
    assert.deepEqual(await counts(), before);
  });

  test('unknown routes are 404 JSON under /api and an HTML page elsewhere', async () => {
    for (const p of ['/api/v1/nope', '/api/v2/applications', '/api/v1/applications/', '/api/v1/Applications', '/api/v1/applications/1/notes', '/api/', '/api/v1/applications.json']) {
      for (const m of ['GET', 'POST']) {
        const r = await u.call(m, p, m === 'POST' ? {} : undefined);
        assertError(r, 404, 'not_found', `${m} ${p}`);
        assert.match(r.body.error.message, /openapi\.json/);
      }
    }
    const anon = await fetch(`${srv.url}/api/v1/nope`);
    assert.equal(anon.status, 404, 'unknown API routes are 404 without credentials too');
    const page = await fetch(`${srv.url}/no/such/page`);
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(await page.text(), /nothing at this address/);
  });

  test('a known path with the wrong method is 405 with Allow, and does nothing', async () => {
    const before = await counts();
    const cases = [
      ['PUT', '/api/v1/applications', ['GET', 'HEAD', 'POST']],
      ['DELETE', '/api/v1/applications', ['GET', 'HEAD', 'POST']],
      ['PUT', `/api/v1/applications/${appId}`, ['GET', 'HEAD', 'PATCH', 'DELETE']],
      ['POST', `/api/v1/applications/${appId}`, ['GET', 'HEAD', 'PATCH', 'DELETE']],
      ['PATCH', `/api/v1/applications/${appId}/events`, ['GET', 'HEAD', 'POST']],
      ['PUT', `/api/v1/applications/${appId}/events/1`, ['GET', 'HEAD', 'PATCH', 'DELETE']],
      ['POST', '/api/v1/me', ['GET', 'HEAD']],
      ['GET', '/api/v1/auth/token', ['POST']],
      ['DELETE', '/healthz', ['GET', 'HEAD']],
      ['PATCH', '/api/v1/contacts', ['GET', 'HEAD', 'POST']],
    ];
    for (const [m, p, allowed] of cases) {
      const r = await u.call(m, p, ['GET', 'DELETE'].includes(m) ? undefined : { company: 'Wrong', position: 'Method' });
      assertError(r, 405, 'method_not_allowed', `${m} ${p}`);
      const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
      assert.deepEqual(allow.sort(), [...allowed].sort(), `Allow for ${m} ${p}`);
    }
    assert.deepEqual(await counts(), before);
    assert.equal((await u.call('GET', `/api/v1/applications/${appId}`)).body.company, 'Keeper');
  });
});
