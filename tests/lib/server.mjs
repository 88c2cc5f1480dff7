// Starts a real `jobtrack serve` on an ephemeral loopback port with a fresh
// data directory, for HTTP and browser tests. JOBTRACK_BIN picks the binary
// (the ASan build in CI's second pass); the default is build/jobtrack.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.JOBTRACK_BIN || join(root, 'build', 'jobtrack');

/** Starts a server. extraArgs are appended to `serve`; env adds variables.
 *  Resolves to { url, port, dataDir, stop(), logs() }. */
export async function startServer({ extraArgs = [], env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobtrack-test-'));
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs], {
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
    /** SIGTERM, wait for a clean exit, remove the data dir. Resolves to the exit status. */
    async stop() {
      child.kill('SIGTERM');
      const status = await exited;
      rmSync(dataDir, { recursive: true, force: true });
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
  async form(path, fields, { csrfFrom = '/login' } = {}) {
    const token = await this.csrf(csrfFrom);
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  }
}

/** JSON API helper: api(base, token)('POST', '/api/v1/x', body) → { status, body, headers }. */
export function api(base, token) {
  return async (method, path, body, headers = {}) => {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined && typeof body !== 'string') h['content-type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
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
