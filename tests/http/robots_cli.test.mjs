// `jobtrack robots`: fetching robots.txt from a real HTTP server on loopback
// and applying RFC 9309's status rules — 2xx parsed, 4xx allow everything,
// 5xx / 429 / no answer disallow everything, up to five redirects followed —
// with the verdict on stdout and in the exit status (0 allowed, 1 disallowed,
// 2 error).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from '../lib/server.mjs';

const robotsTxt = [
  '# jobtrack test site',            // 1
  'User-agent: *',                   // 2
  'Disallow: /',                     // 3
  '',                                // 4
  'User-agent: jobtrack',            // 5
  'Disallow: /jobs/private',         // 6
  'Allow: /jobs/',                   // 7
  'Disallow: /*.pdf$',               // 8
  'Crawl-delay: 3',                  // 9
  '',                                // 10
  'Sitemap: http://example.com/sitemap.xml',
  '',
].join('\r\n');

// path -> handler(req, res); every request is logged with its User-Agent.
let routes = {};
const seen = [];
let server, base;

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, agent: req.headers['user-agent'] });
    const route = routes[req.url];
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

function text(status, body, headers = {}) {
  return (req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
}

function redirect(to, status = 301) {
  return (req, res) => {
    res.writeHead(status, { location: to });
    res.end();
  };
}

// Runs the binary without blocking the event loop (the server above answers it).
function robots(args) {
  return new Promise((resolve) => {
    execFile(binary, ['robots', ...args], { encoding: 'utf8', timeout: 60000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, out: stdout, err: stderr });
    });
  });
}

test('200: the longest matching rule of the agent\'s group decides, and says so', async () => {
  routes = { '/robots.txt': text(200, robotsTxt) };
  const ok = await robots(['--agent', 'jobtrack', `${base}/jobs/123?ref=x`]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^allowed: \/jobs\/123\?ref=x matched "Allow: \/jobs\/" \(line 7\) for group "jobtrack"$/m);
  assert.match(ok.out, /^crawl-delay: 3 s$/m);
  assert.match(ok.out, /^sitemap: http:\/\/example\.com\/sitemap\.xml$/m);

  const no = await robots(['--agent', 'JobTrack/0.1 (+https://example.com/bot)', `${base}/jobs/private/1`]);
  assert.equal(no.code, 1);
  assert.match(no.out, /^disallowed: \/jobs\/private\/1 matched "Disallow: \/jobs\/private" \(line 6\) for group "jobtrack"$/m);

  const pdf = await robots(['--agent', 'jobtrack', `${base}/jobs/offer.pdf`]);
  assert.equal(pdf.code, 1);
  assert.match(pdf.out, /matched "Disallow: \/\*\.pdf\$" \(line 8\)/);

  const other = await robots(['--agent', 'otherbot', `${base}/jobs/123`]);
  assert.equal(other.code, 1);
  assert.match(other.out, /^disallowed: \/jobs\/123 matched "Disallow: \/" \(line 3\) for group "\*"$/m);

  const none = await robots(['--agent', 'jobtrack', `${base}/about`]);
  assert.equal(none.code, 0);
  assert.match(none.out, /^allowed: \/about matched no rule of group "jobtrack"$/m);

  const self = await robots(['--agent', 'otherbot', `${base}/robots.txt`]);
  assert.equal(self.code, 0);
  assert.match(self.out, /^allowed: \/robots\.txt is always allowed$/m);

  const fetches = seen.filter((s) => s.url === '/robots.txt');
  assert.ok(fetches.length >= 6);
  for (const f of fetches) assert.match(f.agent, /^jobtrack\/\d+\.\d+\.\d+/, 'the User-Agent names jobtrack');
});

test('--json reports the decision, the rule, the status and the sitemaps', async () => {
  routes = { '/robots.txt': text(200, robotsTxt) };
  const r = await robots(['--agent', 'jobtrack', '--json', `${base}/jobs/private`]);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.deepEqual(j, {
    url: `${base}/jobs/private`,
    path: '/jobs/private',
    agent: 'jobtrack',
    allowed: false,
    reason: 'rule',
    group: 'jobtrack',
    line: 6,
    rule: 'Disallow: /jobs/private',
    robots: `${base}/robots.txt`,
    http_status: 200,
    error: null,
    crawl_delay: 3,
    sitemaps: ['http://example.com/sitemap.xml'],
    truncated: false,
  });
});

test('4xx (404 included) means no robots.txt: everything is allowed', async () => {
  for (const status of [404, 403, 410]) {
    routes = { '/robots.txt': text(status, 'User-agent: *\nDisallow: /\n') };
    const r = await robots(['--agent', 'jobtrack', `${base}/jobs/1`]);
    assert.equal(r.code, 0, `${status}: ${r.out}${r.err}`);
    assert.match(r.out, new RegExp(`^allowed: /jobs/1: robots\\.txt is unavailable \\(HTTP ${status}\\), so everything is allowed$`, 'm'));
  }
});

test('5xx and 429 mean the site cannot say: everything is disallowed', async () => {
  for (const status of [500, 503, 429]) {
    routes = { '/robots.txt': text(status, 'User-agent: *\nAllow: /\n') };
    const r = await robots(['--agent', 'jobtrack', `${base}/jobs/1`]);
    assert.equal(r.code, 1, `${status}: ${r.out}${r.err}`);
    assert.match(r.out, new RegExp(`^disallowed: /jobs/1: robots\\.txt is unreachable \\(HTTP ${status}\\), so everything is disallowed$`, 'm'));
  }
});

test('no answer at all (connection refused) disallows everything', async () => {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve)); // nothing listens there now
  const r = await robots(['--agent', 'jobtrack', `http://127.0.0.1:${port}/jobs/1`]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^disallowed: \/jobs\/1: robots\.txt is unreachable \(no answer: .+\), so everything is disallowed$/m);
  const j = JSON.parse((await robots(['--json', `http://127.0.0.1:${port}/x`])).out);
  assert.equal(j.reason, 'unreachable');
  assert.equal(j.http_status, null);
  assert.ok(j.error);
});

test('redirects are followed up to five hops; the rules apply to the original host', async () => {
  routes = {
    '/robots.txt': redirect('/r1'),
    '/r1': redirect('/r2', 302),
    '/r2': redirect('/r3', 307),
    '/r3': redirect('/r4', 308),
    '/r4': redirect('/moved/robots.txt', 301),
    '/moved/robots.txt': text(200, 'User-agent: *\nDisallow: /secret\n'),
  };
  const r = await robots(['--agent', 'jobtrack', `${base}/secret/x`]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^disallowed: \/secret\/x matched "Disallow: \/secret" \(line 2\) for group "\*"$/m);
  // one hop more than five: taken as no robots.txt (RFC 9309 §2.3.1.2)
  routes['/robots.txt'] = redirect('/r0');
  routes['/r0'] = redirect('/r1');
  const six = await robots(['--agent', 'jobtrack', `${base}/secret/x`]);
  assert.equal(six.code, 0, six.out + six.err);
  assert.match(six.out, /robots\.txt is unavailable \(HTTP 301\), so everything is allowed/);
  // a redirect loop ends the same way, without hanging
  routes = { '/robots.txt': redirect('/robots.txt') };
  const loop = await robots(['--agent', 'jobtrack', `${base}/x`]);
  assert.equal(loop.code, 0);
});

test('a robots.txt past 500 KiB is read up to there and says it was cut', async () => {
  const big = 'User-agent: *\nDisallow: /early\n' + '#'.repeat(600 * 1024) + '\nDisallow: /late\n';
  routes = { '/robots.txt': text(200, big) };
  const early = await robots(['--agent', 'jobtrack', `${base}/early`]);
  assert.equal(early.code, 1);
  assert.match(early.out, /longer than 512000 bytes/);
  const late = await robots(['--agent', 'jobtrack', `${base}/late`]);
  assert.equal(late.code, 0);
});

test('--robots FILE decides without the network; errors exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobtrack-robots-'));
  const file = join(dir, 'robots.txt');
  writeFileSync(file, robotsTxt);
  const r = await robots(['--agent', 'jobtrack', '--robots', file, 'https://example.com/jobs/7']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^allowed: \/jobs\/7 matched "Allow: \/jobs\/" \(line 7\) for group "jobtrack"$/m);
  const path = await robots(['--agent', 'jobtrack', '--robots', file, '/jobs/private']);
  assert.equal(path.code, 1);

  const missing = await robots(['--agent', 'jobtrack', '--robots', join(dir, 'nope.txt'), 'https://example.com/']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*nope\.txt/);
  const badUrl = await robots(['--agent', 'jobtrack', 'ftp://example.com/x']);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.err, /not an http\(s\) URL/);
  const noUrl = await robots(['--agent', 'jobtrack']);
  assert.equal(noUrl.code, 2);
  const badFlag = await robots(['--frobnicate', 'https://example.com/']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.err, /unknown option "--frobnicate"/);
  const help = await robots(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: jobtrack robots/);
  assert.match(help.out, /exit status: 0 allowed, 1 disallowed, 2 error/);
  rmSync(dir, { recursive: true, force: true });
});
