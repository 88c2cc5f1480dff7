// A source's proxy and the scraper's User-Agent, end to end with
// `jobtrack scrape`: a board on a host name that only the proxy can reach
// (".invalid" never resolves), behind a tiny loopback HTTP proxy (GET in
// absolute form, forwarded) and a minimal SOCKS5 server (CONNECT with a
// domain name). robots.txt must go through the proxy too, or the run fails
// with "robots.txt disallows it". The origin records every User-Agent it
// sees, robots.txt included, to check the configurable one (flag, env and
// config file).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../lib/server.mjs';

const HIDDEN = 'jobs.proxied.invalid';
let origin, originPort, proxy, proxyPort, socks, socksPort;
const seen = []; // { path, agent } at the origin
const proxied = []; // absolute URLs the HTTP proxy forwarded
const socksConnects = []; // "host:port" the SOCKS5 server connected to

function board() {
  const jobs = [0, 1, 2].map((j) => ({
    id: 500 + j, title: `Proxied engineer ${j}`, company_name: 'Hidden Co',
    location: { name: 'Berlin, Germany' }, absolute_url: `https://jobs.example.com/p/${j}`,
    updated_at: '2026-11-30T10:00:00Z', content: '&lt;p&gt;Work behind a proxy.&lt;/p&gt;',
  }));
  return JSON.stringify({ jobs, meta: { total: jobs.length } });
}

before(async () => {
  origin = http.createServer((req, res) => {
    seen.push({ path: req.url, agent: req.headers['user-agent'] || '' });
    if (req.url === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('User-agent: *\nDisallow: /private\n');
    }
    if (req.url.startsWith('/v1/boards/hidden/jobs')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(board());
    }
    res.writeHead(404);
    res.end('no');
  });
  await new Promise((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originPort = origin.address().port;

  // An HTTP proxy that knows the hidden host: forwards GET http://HIDDEN/… to the origin.
  proxy = http.createServer((req, res) => {
    proxied.push(req.url);
    let target;
    try { target = new URL(req.url); } catch { res.writeHead(400); return res.end('absolute-form only'); }
    if (target.hostname !== HIDDEN) { res.writeHead(502); return res.end('unknown host'); }
    const up = http.request({ host: '127.0.0.1', port: originPort, method: req.method,
      path: target.pathname + target.search, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = proxy.address().port;

  // SOCKS5 (RFC 1928), no authentication, CONNECT only; the hidden host maps to the origin.
  socks = net.createServer((c) => {
    let buf = Buffer.alloc(0), stage = 0;
    c.on('error', () => {});
    c.on('data', function onData(d) {
      buf = Buffer.concat([buf, d]);
      if (stage === 0) {
        if (buf.length < 2 || buf.length < 2 + buf[1]) return;
        if (buf[0] !== 5) return c.destroy();
        buf = buf.subarray(2 + buf[1]);
        c.write(Buffer.from([5, 0]));
        stage = 1;
      }
      if (stage === 1) {
        if (buf.length < 5) return;
        let host, off;
        if (buf[3] === 3) { off = 5 + buf[4]; if (buf.length < off + 2) return; host = buf.subarray(5, off).toString(); }
        else if (buf[3] === 1) { off = 8; if (buf.length < off + 2) return; host = [...buf.subarray(4, 8)].join('.'); }
        else return c.destroy();
        const port = buf.readUInt16BE(off);
        const rest = buf.subarray(off + 2);
        socksConnects.push(`${host}:${port}`);
        c.removeListener('data', onData);
        if (buf[1] !== 1 || host !== HIDDEN) {
          c.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0])); // host unreachable
          return;
        }
        const up = net.connect(originPort, '127.0.0.1', () => {
          c.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          if (rest.length) up.write(rest);
          c.pipe(up).pipe(c);
        });
        up.on('error', () => c.destroy());
        stage = 2;
      }
    });
  });
  await new Promise((resolve) => socks.listen(0, '127.0.0.1', resolve));
  socksPort = socks.address().port;
});

after(async () => {
  await Promise.all([origin, proxy, socks].map((s) => new Promise((resolve) => s.close(resolve))));
});

const cli = (args, env = {}) => runCliAsync(args, { env });

function withDir(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'jt-proxy-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function hiddenSource(proxyUrl) {
  return `[source hidden]\nkind = greenhouse\ntarget = hidden\ndelay = 0\nproxy = ${proxyUrl}\n` +
    `options = {"base_url":"http://${HIDDEN}"}\n`;
}

test('a source behind an HTTP proxy reads robots.txt and its board through it', () => withDir(async (dir) => {
  proxied.length = 0;
  seen.length = 0;
  writeFileSync(join(dir, 'sources.conf'), hiddenSource(`http://127.0.0.1:${proxyPort}`));
  const r = await cli(['scrape', '--data-dir', dir, '--json', '--scrape-contact-url', 'https://crawler.example/about']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const run = JSON.parse(r.stdout).runs[0];
  assert.equal(run.status, 'ok', run.message);
  assert.equal(run.found, 3);
  assert.deepEqual(proxied.filter((u) => u.endsWith('/robots.txt')), [`http://${HIDDEN}/robots.txt`]);
  assert.equal(proxied.filter((u) => u.includes('/v1/boards/hidden/jobs')).length, 1);
  // The User-Agent names jobtrack and the configured contact URL, robots.txt included.
  assert.equal(seen.length, 2);
  for (const s of seen) assert.match(s.agent, /^jobtrack\/\S+ \(\+https:\/\/crawler\.example\/about\)$/, s.path);
}));

test('a source behind a SOCKS5 proxy (socks5h: the proxy resolves the name) works the same', () => withDir(async (dir) => {
  socksConnects.length = 0;
  seen.length = 0;
  writeFileSync(join(dir, 'sources.conf'), hiddenSource(`socks5h://127.0.0.1:${socksPort}`));
  const r = await cli(['scrape', '--data-dir', dir, '--json']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const run = JSON.parse(r.stdout).runs[0];
  assert.equal(run.status, 'ok', run.message);
  assert.equal(run.found, 3);
  assert.ok(socksConnects.length >= 1 && socksConnects.every((h) => h === `${HIDDEN}:80`), socksConnects.join());
  assert.deepEqual(seen.map((s) => s.path).sort(), ['/robots.txt', '/v1/boards/hidden/jobs?content=true&pay_transparency=true']);
  // The default User-Agent: jobtrack with the project's contact URL.
  for (const s of seen) assert.match(s.agent, /^jobtrack\/\S+ \(\+https:\/\/github\.com\/jobtrack\/jobtrack\)$/);
}));

test('the whole User-Agent may be set in the config file or the environment, and must name jobtrack', () => withDir(async (dir) => {
  writeFileSync(join(dir, 'sources.conf'), hiddenSource(`http://127.0.0.1:${proxyPort}`));
  writeFileSync(join(dir, 'jobtrack.conf'), 'scrape_user_agent = AcmeJobs-jobtrack/2 (+https://acme.example/bot)\n');
  seen.length = 0;
  let r = await cli(['scrape', '--data-dir', dir]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.ok(seen.length >= 1);
  for (const s of seen) assert.equal(s.agent, 'AcmeJobs-jobtrack/2 (+https://acme.example/bot)');
  seen.length = 0;
  r = await cli(['scrape', '--data-dir', dir], { JOBTRACK_SCRAPE_USER_AGENT: 'jobtrack-env/3' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  for (const s of seen) assert.equal(s.agent, 'jobtrack-env/3');
  r = await cli(['scrape', '--data-dir', dir, '--scrape-user-agent', 'Mozilla/5.0']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /scrape_user_agent must name jobtrack/);
  r = await cli(['serve', '--data-dir', dir, '--print-config', '--scrape-contact-url', 'https://me.example/crawler']);
  assert.match(r.stdout, /^scrape_contact_url = https:\/\/me\.example\/crawler$/m);
  assert.match(r.stdout, /^scrape_user_agent = AcmeJobs-jobtrack\/2/m);
}));
