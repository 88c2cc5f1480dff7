// /api/v1/openapi.json: served as built, covers every API route in
// src/web/routes.c (parsed here, so a new route without docs fails), agrees
// with routes.c on auth and bodies, and matches what the server answers.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, newUser, api, Client } from '../lib/server.mjs';
import { validate, resolveRef } from '../lib/schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const METHODS = ['get', 'post', 'patch', 'delete', 'put', 'head', 'options'];
const norm = (p) => p.replace(/\{[^}]+\}/g, '{}');

/** Every route of routes.c: { method, pattern, auth, body }. */
function parseRoutes() {
  const text = readFileSync(join(root, 'src', 'web', 'routes.c'), 'utf8');
  const routes = [...text.matchAll(/^\s*R\(\s*(\w+)\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)/gm)]
    .map(([, method, pattern, handler, auth, body]) => ({ method: method.toLowerCase(), pattern, handler, auth, body }));
  assert.ok(routes.length >= 30, `parsed only ${routes.length} routes from routes.c`);
  return routes;
}
const documented = (r) => r.pattern.startsWith('/api/v1/') || r.pattern === '/healthz' || r.pattern === '/metrics';

let srv, doc, fileDoc, routes;
before(async () => {
  srv = await startServer();
  routes = parseRoutes();
  fileDoc = JSON.parse(readFileSync(join(root, 'static', 'openapi.json'), 'utf8'));
  doc = await (await fetch(`${srv.url}/api/v1/openapi.json`)).json();
});
after(async () => { await srv.stop(); });

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) ops.push({ path, method: m, op: item[m], item });
  }
  return ops;
}

describe('the document', () => {
  test('is served as JSON, cacheable, and is the static/openapi.json of this build', async () => {
    const r = await fetch(`${srv.url}/api/v1/openapi.json`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=300');
    assert.deepEqual(await r.json(), fileDoc, 'rebuild (ninja -C build) after editing static/openapi.json');
    assert.equal(doc.openapi, '3.0.3');
    assert.equal(typeof doc.info.title, 'string');
    assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  });

  test('has the schemas, security schemes and error shape the API uses', () => {
    const s = doc.components.schemas;
    for (const name of ['Application', 'ApplicationInput', 'ApplicationList', 'Event', 'EventInput', 'Contact', 'ContactInput',
      'User', 'Token', 'Error']) assert.ok(s[name], name);
    assert.deepEqual(s.ApplicationList.required, ['items', 'total', 'page', 'per_page']);
    assert.deepEqual(s.Error.properties.error.required, ['code', 'message', 'field']);
    assert.equal(s.Error.properties.error.properties.field.nullable, true);
    const { bearerAuth, cookieAuth } = doc.components.securitySchemes;
    assert.deepEqual([bearerAuth.type, bearerAuth.scheme], ['http', 'bearer']);
    assert.match(bearerAuth.description + bearerAuth.bearerFormat, /jt_/);
    assert.deepEqual([cookieAuth.type, cookieAuth.in, cookieAuth.name], ['apiKey', 'cookie', 'jt_session']);
    assert.match(cookieAuth.description, /X-CSRF-Token/);
    // the ApplicationInput members are exactly what the server accepts (see applications.test.mjs)
    assert.deepEqual(Object.keys(s.ApplicationInput.properties).sort(), ['applied_on', 'company', 'created_at', 'follow_up_on', 'id', 'location', 'notes',
      'position', 'priority', 'salary_currency', 'salary_max', 'salary_min', 'salary_period', 'saved_on', 'source', 'status',
      'status_changed_at', 'tags', 'updated_at', 'url']);
  });

  test('every $ref resolves and every operation has an id and responses', () => {
    const refs = [];
    const walk = (n) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) (k === '$ref' ? refs.push(v) : walk(v));
    };
    walk(doc);
    assert.ok(refs.length > 50);
    for (const r of refs) assert.doesNotThrow(() => resolveRef(doc, r), r);
    const ids = operations().map(({ op }) => op.operationId);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const { path, method, op } of operations()) {
      assert.ok(op.operationId, `${method} ${path}`);
      assert.ok(Object.keys(op.responses).length >= 1, `${method} ${path}`);
      for (const code of Object.keys(op.responses)) assert.match(code, /^[1-5]\d\d$/, `${method} ${path}`);
      // path parameters are declared
      const declared = [...(op.parameters || []), ...(doc.paths[path].parameters || [])].filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort(), `${method} ${path} path parameters`);
    }
  });
});

describe('against routes.c', () => {
  test('every /api/v1 route, /healthz and /metrics is documented with its method', () => {
    const missing = routes.filter(documented).filter((r) => {
      const path = Object.keys(doc.paths).find((p) => norm(p) === norm(r.pattern));
      return !path || !doc.paths[path][r.method];
    }).map((r) => `${r.method.toUpperCase()} ${r.pattern}`);
    assert.deepEqual(missing, []);
  });

  test('nothing is documented that routes.c does not serve', () => {
    const extra = operations().filter(({ path, method }) => !routes.some((r) => norm(r.pattern) === norm(path) && r.method === method))
      .map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    assert.deepEqual(extra, []);
  });

  test('public routes are documented without security and API routes with it; bodies agree', () => {
    for (const r of routes.filter(documented)) {
      const path = Object.keys(doc.paths).find((p) => norm(p) === norm(r.pattern));
      const op = doc.paths[path][r.method];
      const what = `${r.method.toUpperCase()} ${r.pattern}`;
      const security = op.security ?? doc.security;
      if (r.auth === 'PUBLIC') assert.deepEqual(security, [], what);
      else {
        assert.equal(r.auth, 'API', what);
        assert.deepEqual(security.map((s) => Object.keys(s)[0]).sort(), ['bearerAuth', 'cookieAuth'], what);
        assert.ok(op.responses['401'], `${what} documents 401`);
      }
      const media = Object.keys(op.requestBody?.content || {});
      const expected = { NONE: [], JSON: ['application/json'], UPLOAD: ['text/csv'] }[r.body];
      assert.deepEqual(media, expected, `${what} request body`);
      if (r.method !== 'get' && r.auth === 'API') {
        assert.ok(op.responses['403'], `${what} documents 403 (CSRF with a session cookie)`);
        assert.ok((op.parameters || []).some((p) => p.$ref === '#/components/parameters/CsrfToken'), `${what} X-CSRF-Token`);
      }
      if (r.body === 'JSON') for (const code of ['400', '413', '415', '422']) assert.ok(op.responses[code], `${what} documents ${code}`);
    }
  });

  test('the server agrees: API routes answer 401 without credentials, public ones do not', async () => {
    for (const r of routes.filter(documented)) {
      const path = r.pattern.replace(/\{[^}]+\}/g, '1');
      const body = r.body === 'JSON' ? '{}' : r.body === 'UPLOAD' ? 'company,position\r\n' : undefined;
      const headers = r.body === 'JSON' ? { 'content-type': 'application/json' } : r.body === 'UPLOAD' ? { 'content-type': 'text/csv' } : {};
      const res = await fetch(srv.url + path, { method: r.method.toUpperCase(), headers, body });
      const what = `${r.method.toUpperCase()} ${r.pattern}`;
      if (r.auth === 'PUBLIC') {
        // a public route may refuse what it was sent (log-in answers 401 bad_credentials), never ask for credentials
        if (res.status === 401) assert.equal((await res.json()).error.code, 'bad_credentials', what);
      } else {
        assert.equal(res.status, 401, what);
        assert.equal((await res.json()).error.code, 'unauthenticated', what);
      }
    }
  });
});

describe('responses match the document', () => {
  const seen = [];
  let admin, user, browser;

  /** Calls METHOD TEMPLATE with params and checks the answer against the document. */
  async function call(who, method, template, params, body, headers) {
    const path = template.replace(/\{(\w+)\}/g, (_, k) => {
      assert.ok(params && k in params, `param ${k}`);
      return params[k];
    });
    const r = await who(method, path, body, headers);
    const op = doc.paths[template]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${template} is documented`);
    const documentedResponse = op.responses[String(r.status)];
    assert.ok(documentedResponse, `${method} ${template} answered ${r.status}, which is not documented: ${r.text.slice(0, 200)}`);
    const resp = documentedResponse.$ref ? resolveRef(doc, documentedResponse.$ref) : documentedResponse;
    const ct = (r.headers.get('content-type') || '').split(';')[0];
    if (!resp.content) assert.equal(r.text, '', `${method} ${template} ${r.status} has no body`);
    else {
      assert.ok(resp.content[ct], `${method} ${template} ${r.status}: content-type ${ct} not documented`);
      if (ct === 'application/json') {
        const problems = validate(doc, resp.content[ct].schema, JSON.parse(r.text), { strict: true });
        assert.deepEqual(problems, [], `${method} ${template} ${r.status}: ${r.text.slice(0, 300)}`);
      }
    }
    for (const h of Object.keys(resp.headers || {})) {
      if (h !== 'Content-Disposition' || r.status === 200) assert.ok(r.headers.get(h) !== null || h === 'WWW-Authenticate', `${method} ${template} ${r.status} header ${h}`);
    }
    seen.push(`${method} ${template} ${r.status}`);
    return r;
  }

  before(async () => {
    admin = (await newUser(srv.url, 'oa-admin@example.com'));
    user = (await newUser(srv.url, 'oa-user@example.com'));
    browser = new Client(srv.url);
    await browser.form('/login', { email: 'oa-user@example.com', password: 'correct horse battery' });
  });

  test('accounts and admin operations', async () => {
    const anon = api(srv.url);
    const A = admin.call;
    const U = user.call;
    await call(anon, 'POST', '/api/v1/auth/signup', {}, { email: 'oa-new@example.com', password: 'correct horse battery' });
    await call(anon, 'POST', '/api/v1/auth/signup', {}, { email: 'oa-new@example.com', password: 'correct horse battery' });
    await call(anon, 'POST', '/api/v1/auth/signup', {}, { email: 'bad', password: 'x' });
    await call(anon, 'POST', '/api/v1/auth/signup', {}, '{bad', { 'content-type': 'application/json' });
    await call(anon, 'POST', '/api/v1/auth/signup', {}, 'email=x', { 'content-type': 'application/x-www-form-urlencoded' });
    await call(anon, 'POST', '/api/v1/auth/token', {}, { email: 'oa-new@example.com', password: 'correct horse battery' });
    await call(anon, 'POST', '/api/v1/auth/token', {}, { email: 'oa-new@example.com', password: 'wrong wrong wrong' });
    await call(U, 'GET', '/api/v1/me');
    await call(anon, 'GET', '/api/v1/me');
    await call(api(srv.url, 'garbage'), 'GET', '/api/v1/me');
    await call(U, 'POST', '/api/v1/me/password', {}, { current_password: 'nope', new_password: 'x' });
    const tok = await call(U, 'POST', '/api/v1/tokens', {}, { name: 'contract' });
    await call(U, 'POST', '/api/v1/tokens', {}, { name: '' });
    await call(U, 'GET', '/api/v1/tokens');
    await call(api(srv.url, tok.body.token), 'GET', '/api/v1/tokens');
    await call(U, 'DELETE', '/api/v1/tokens/{id}', { id: tok.body.id });
    await call(U, 'DELETE', '/api/v1/tokens/{id}', { id: tok.body.id });
    await call(A, 'GET', '/api/v1/admin/settings');
    await call(U, 'GET', '/api/v1/admin/settings');
    await call(A, 'PATCH', '/api/v1/admin/settings', {}, { signup_open: true });
    await call(A, 'PATCH', '/api/v1/admin/settings', {}, { signup_open: 'yes' });
    await call(U, 'PATCH', '/api/v1/admin/settings', {}, { signup_open: false });
    const fresh = await newUser(srv.url, 'oa-pw@example.com');
    await call(fresh.call, 'POST', '/api/v1/me/password', {}, { current_password: 'correct horse battery', new_password: 'another fine passphrase' });
  });

  test('tracker operations', async () => {
    const U = user.call;
    const created = await call(U, 'POST', '/api/v1/applications', {}, { company: 'Contract', position: 'P', tags: ['t'], salary_min: 1, salary_currency: 'EUR', salary_period: 'year', status: 'applied' });
    const id = created.body.id;
    await call(U, 'POST', '/api/v1/applications', {}, { company: '' });
    await call(U, 'POST', '/api/v1/applications', {}, '[]', { 'content-type': 'application/json' });
    await call(U, 'POST', '/api/v1/applications', {}, '{}', { 'content-type': 'text/plain' });
    await call(U, 'POST', '/api/v1/applications', {}, JSON.stringify({ notes: 'x'.repeat(1100000) }), { 'content-type': 'application/json' });
    await call(U, 'GET', '/api/v1/applications');
    await call((m, p) => U(m, `${p}?status=bogus`), 'GET', '/api/v1/applications');
    await call(U, 'GET', '/api/v1/applications/{id}', { id });
    await call(U, 'GET', '/api/v1/applications/{id}', { id: 987654 });
    await call(U, 'PATCH', '/api/v1/applications/{id}', { id }, { status: 'offer' });
    await call(U, 'PATCH', '/api/v1/applications/{id}', { id }, { status: 'nope' });
    await call(U, 'PATCH', '/api/v1/applications/{id}', { id: 987654 }, { status: 'offer' });
    await call(U, 'GET', '/api/v1/applications.csv');
    await call(U, 'POST', '/api/v1/applications/import', {}, 'company,position\r\nImported,P\r\n,missing\r\n', { 'content-type': 'text/csv' });
    await call(U, 'POST', '/api/v1/applications/import', {}, 'nothing useful\r\n', { 'content-type': 'text/csv' });
    await call(U, 'POST', '/api/v1/applications/import', {}, 'company,position\r\n', { 'content-type': 'application/json' });

    const ev = await call(U, 'POST', '/api/v1/applications/{id}/events', { id }, { kind: 'interview', at: '2030-01-01T10:00', with_whom: 'CTO' });
    await call(U, 'POST', '/api/v1/applications/{id}/events', { id }, { kind: 'party' });
    await call(U, 'POST', '/api/v1/applications/{id}/events', { id: 987654 }, { kind: 'note', body: 'x' });
    await call(U, 'GET', '/api/v1/applications/{id}/events', { id });
    await call(U, 'GET', '/api/v1/applications/{id}/events', { id: 987654 });
    await call(U, 'DELETE', '/api/v1/applications/{id}/events/{event_id}', { id, event_id: ev.body.id });
    await call(U, 'DELETE', '/api/v1/applications/{id}/events/{event_id}', { id, event_id: ev.body.id });

    const c = await call(U, 'POST', '/api/v1/contacts', {}, { name: 'Contract Contact', email: 'cc@example.com' });
    await call(U, 'POST', '/api/v1/contacts', {}, { name: '' });
    await call(U, 'GET', '/api/v1/contacts');
    await call(U, 'GET', '/api/v1/contacts/{id}', { id: c.body.id });
    await call(U, 'GET', '/api/v1/contacts/{id}', { id: 987654 });
    await call(U, 'PATCH', '/api/v1/contacts/{id}', { id: c.body.id }, { role: 'Lead' });
    await call(U, 'PATCH', '/api/v1/contacts/{id}', { id: c.body.id }, { email: 'bad' });
    await call(U, 'PATCH', '/api/v1/contacts/{id}', { id: 987654 }, { role: 'x' });
    await call(U, 'POST', '/api/v1/applications/{id}/contacts', { id }, { contact_id: c.body.id });
    await call(U, 'POST', '/api/v1/applications/{id}/contacts', { id }, { name: 'Made Here' });
    await call(U, 'POST', '/api/v1/applications/{id}/contacts', { id }, { contact_id: 'one' });
    await call(U, 'POST', '/api/v1/applications/{id}/contacts', { id }, { contact_id: 987654 });
    await call(U, 'POST', '/api/v1/applications/{id}/contacts', { id }, { name: '' });
    await call(U, 'GET', '/api/v1/applications/{id}/contacts', { id });
    await call(U, 'GET', '/api/v1/applications/{id}/contacts', { id: 987654 });
    await call(U, 'DELETE', '/api/v1/applications/{id}/contacts/{contact_id}', { id, contact_id: c.body.id });
    await call(U, 'DELETE', '/api/v1/applications/{id}/contacts/{contact_id}', { id, contact_id: c.body.id });
    await call(U, 'DELETE', '/api/v1/contacts/{id}', { id: c.body.id });
    await call(U, 'DELETE', '/api/v1/contacts/{id}', { id: c.body.id });
    await call(U, 'DELETE', '/api/v1/applications/{id}', { id });
    await call(U, 'DELETE', '/api/v1/applications/{id}', { id });
  });

  test('cookie-session writes without X-CSRF-Token get the documented 403', async () => {
    const viaCookie = async (method, path, body, headers = {}) => {
      const r = await browser.fetch(path, { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      return { status: r.status, text, body: text ? JSON.parse(text) : null, headers: r.headers };
    };
    const r = await call(viaCookie, 'POST', '/api/v1/applications', {}, { company: 'x', position: 'y' });
    assert.equal(r.status, 403);
    await call(viaCookie, 'GET', '/api/v1/applications');
  });

  test('operations endpoints', async () => {
    const anon = api(srv.url);
    const health = await call(anon, 'GET', '/healthz');
    assert.equal(health.status, 200);
    const openapi = await call(anon, 'GET', '/api/v1/openapi.json');
    assert.equal(openapi.status, 200);
    const metrics = await call(anon, 'GET', '/metrics');
    assert.equal(metrics.status, 200);
  });

  test('every documented operation was exercised above', () => {
    const exercised = new Set(seen.map((s) => s.split(' ').slice(0, 2).join(' ')));
    const missing = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`).filter((k) => !exercised.has(k));
    assert.deepEqual(missing, []);
  });
});
