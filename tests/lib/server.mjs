// Starts a real `jobtrack serve` on an ephemeral loopback port with a fresh
// data directory, for HTTP and browser tests. JOBTRACK_BIN picks the binary
// (the ASan build in CI's second pass); the default is build/jobtrack.
// JOBTRACK_TEST_PG (a PostgreSQL maintenance database's URL, as
// scripts/pg-test-cluster.sh prints it) puts every server on PostgreSQL: each
// data directory gets a fresh database of its own, passed as --database-url.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.JOBTRACK_BIN || join(root, 'build', 'jobtrack');

const pgAdminUrl = process.env.JOBTRACK_TEST_PG || '';
/** The store backend the servers run on: 'postgres' or 'sqlite'. A test that
 *  only makes sense on one skips itself on the other with t.skip(reason). */
export const backend = pgAdminUrl ? 'postgres' : 'sqlite';

function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pgAdminUrl, '-c', sql],
    { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`psql: ${sql}: ${r.error || r.stderr}`);
}

// data directory -> { name, url } of its PostgreSQL database
const databases = new Map();
let databaseCount = 0;

/** The URL of dataDir's database: on PostgreSQL a fresh database made on first
 *  use (and kept for restarts on the same data dir), on SQLite the data dir's
 *  own file. */
export function databaseUrl(dataDir) {
  if (!pgAdminUrl) return `sqlite:${join(dataDir, 'jobtrack.db')}`;
  let db = databases.get(dataDir);
  if (!db) {
    const m = pgAdminUrl.match(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/);
    if (!m) throw new Error(`JOBTRACK_TEST_PG is not a postgres:// URL: ${pgAdminUrl}`);
    const name = `jt_http_${process.pid}_${Date.now().toString(36)}_${++databaseCount}`;
    psql(`CREATE DATABASE ${name}`);
    db = { name, url: `${m[1]}/${name}${m[3] || ''}` };
    databases.set(dataDir, db);
  }
  return db.url;
}

/** Drops dataDir's PostgreSQL database, if it has one. */
export function dropDatabase(dataDir) {
  const db = databases.get(dataDir);
  if (!db) return;
  databases.delete(dataDir);
  psql(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
}

// Databases whose data dir was kept (stop({ keepData: true })) go at exit.
process.on('exit', () => {
  for (const dir of [...databases.keys()]) {
    try { dropDatabase(dir); } catch { /* the cluster is thrown away anyway */ }
  }
});

/** The flags that point a CLI command (user, migrate) at the same database as
 *  a server on dataDir: --data-dir, plus --database-url on PostgreSQL. */
export function storeArgs(dataDir) {
  return pgAdminUrl ? ['--data-dir', dataDir, '--database-url', databaseUrl(dataDir)] : ['--data-dir', dataDir];
}

/** Starts a server. extraArgs are appended to `serve`; env adds variables;
 *  dataDir reuses an existing data directory (e.g. to restart on the same data:
 *  on PostgreSQL its database comes along). Resolves to
 *  { url, port, dataDir, stop(), logs() }. */
export async function startServer({ extraArgs = [], env = {}, dataDir: givenDir } = {}) {
  const dataDir = givenDir || mkdtempSync(join(tmpdir(), 'jobtrack-test-'));
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', ...storeArgs(dataDir), ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = log.match(/\(port (\d+)\)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stderr.on('data', onData);
    child.stdout.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    child,
    logs: () => log,
    /** SIGTERM, wait for a clean exit, remove the data dir and its database
     *  (unless keepData). Resolves to the exit status { code, signal }. Safe
     *  to call twice. */
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const status = await exited;
      if (!keepData) {
        rmSync(dataDir, { recursive: true, force: true });
        dropDatabase(dataDir);
      }
      return status;
    },
  };
}

/** A tiny client that keeps cookies, for driving the server like a browser. */
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async fetch(path, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const res = await fetch(this.base + path, { redirect: 'manual', ...opts, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i), value = pair.slice(i + 1);
      if (/Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  /** GETs a page and returns the CSRF token from its <meta name="csrf-token">. */
  async csrf(path = '/login') {
    const html = await (await this.fetch(path)).text();
    const m = html.match(/name="csrf-token" content="([^"]+)"/);
    if (!m) throw new Error(`no csrf meta on ${path}`);
    return m[1];
  }
  /** POSTs an urlencoded form with the page's CSRF token. */
  async form(path, fields, { csrfFrom = '/login', headers = {} } = {}) {
    const token = await this.csrf(csrfFrom);
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  }
}

/** JSON API helper: api(base, token)('POST', '/api/v1/x', body) → { status, body, headers }. */
export function api(base, token) {
  return async (method, path, body, headers = {}) => {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    // Strings and bytes go as they are (set content-type yourself); anything else as JSON.
    const raw = typeof body === 'string' || body instanceof Uint8Array;
    if (body !== undefined && !raw && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
      h['content-type'] = 'application/json';
    }
    const res = await fetch(base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: json, text, headers: res.headers };
  };
}

/** Signs up a user over the API and returns { email, password, token, call }. */
export async function newUser(base, email = `u${Date.now()}${Math.random().toString(16).slice(2, 6)}@example.com`) {
  const password = 'correct horse battery';
  const anon = api(base);
  const s = await anon('POST', '/api/v1/auth/signup', { email, password });
  if (s.status !== 201) throw new Error(`signup failed: ${s.status} ${s.text}`);
  const t = await anon('POST', '/api/v1/auth/token', { email, password });
  if (t.status !== 200) throw new Error(`token failed: ${t.status} ${t.text}`);
  return { email, password, token: t.body.token, user: s.body.user, call: api(base, t.body.token) };
}

/** Logs in over the API and returns a JWT. */
export async function login(base, email, password = 'correct horse battery') {
  const t = await api(base)('POST', '/api/v1/auth/token', { email, password });
  if (t.status !== 200) throw new Error(`token failed: ${t.status} ${t.text}`);
  return t.body.token;
}

/** Sends bytes on a fresh TCP connection and reads one response (until the
 *  server closes or Content-Length bytes of body arrived).
 *  Resolves to { status, headers (lower-case names), body, raw }. */
export function rawRequest(port, data, { timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no response in ${timeout} ms: ${buf}`)); }, timeout);
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(parseResponse(buf));
    };
    sock.on('error', (e) => { if (buf.length) finish(); else { clearTimeout(timer); reject(e); } });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parseResponse(buf);
      if (r.complete) finish();
    });
    sock.on('close', () => {
      if (buf.length) finish();
      else { clearTimeout(timer); reject(new Error('connection closed without a response')); }
    });
    sock.on('connect', () => sock.write(data));
  });
}

function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', raw: buf.toString(), complete: false };
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = buf.subarray(end + 4);
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : Infinity;
  return { status, headers, body: body.toString(), raw: buf.toString(), complete: body.length >= len };
}

/** Polls fn until it returns a truthy value (returned) or timeout ms pass (throws). */
export async function waitFor(fn, { timeout = 5000, interval = 20, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Runs the jobtrack CLI (e.g. ['user', 'list', '--data-dir', dir]); returns { status, stdout, stderr }. */
export function runCli(args, { input, env = {} } = {}) {
  const r = spawnSync(binary, args, { input, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the jobtrack CLI without blocking the event loop (for tests whose
 *  fixture servers live in it); killed after `timeout` ms. Resolves to
 *  { status, stdout, stderr }. */
export function runCliAsync(args, { env = {}, timeout = 60000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const guard = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (status) => { clearTimeout(guard); resolve({ status, stdout, stderr }); });
  });
}

/** The e-mail addresses of a data directory's users, via `jobtrack user list`
 *  (on the same database as the server on that data dir). */
export function listUserEmails(dataDir) {
  const r = runCli(['user', 'list', ...storeArgs(dataDir)]);
  if (r.status !== 0) throw new Error(`user list failed: ${r.stderr}`);
  return [...r.stdout.matchAll(/^\s*\d+\s+(\S+@\S+)/gm)].map((m) => m[1]);
}

/** The test-only tool that files postings and runs straight into a store
 *  (tests/tools/test_ingest.c), built beside the binary under test. */
export const ingestTool = join(dirname(binary), 'tests', 'tools', 'jt-test-ingest');

/** Files postings (objects as test_ingest.c reads them) into dataDir's store;
 *  resolves to their posting ids in order. */
export function ingestPostings(dataDir, postings) {
  const r = spawnSync(ingestTool, [databaseUrl(dataDir), 'postings'], {
    input: postings.map((p) => JSON.stringify(p)).join('\n') + '\n', encoding: 'utf8', timeout: 30000,
  });
  if (r.status !== 0) throw new Error(`jt-test-ingest: ${r.error || r.stderr}`);
  return r.stdout.trim().split('\n').map(Number);
}

/** Closes every open listing of configured source sourceId (a run that saw
 *  none of them); returns how many postings closed. */
export function markMissing(dataDir, sourceId) {
  const r = spawnSync(ingestTool, [databaseUrl(dataDir), 'missing', String(sourceId)], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`jt-test-ingest: ${r.error || r.stderr}`);
  return Number(r.stdout.trim());
}

/** Records a run of source sourceId with status ("running" leaves it going); returns its id. */
export function addRun(dataDir, sourceId, status, message = '') {
  const r = spawnSync(ingestTool, [databaseUrl(dataDir), 'run', String(sourceId), status, message], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`jt-test-ingest: ${r.error || r.stderr}`);
  return Number(r.stdout.trim());
}

/** Stores a resume file for userId in dataDir's store, encrypted with that
 *  data dir's secret as the upload would (tests/tools/test_ingest.c); name
 *  is the file's name, text its content. Resolves to the resume's id. */
export function addResume(dataDir, userId, name, text) {
  const file = join(dataDir, name);
  writeFileSync(file, text);
  const r = spawnSync(ingestTool, [databaseUrl(dataDir), 'resume', String(userId), dataDir, file],
    { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`jt-test-ingest resume: ${r.error || r.stderr}`);
  return Number(r.stdout.trim());
}
