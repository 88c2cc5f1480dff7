// `jobtrack extract`: the postings of one page or payload as a JSON array —
// from a file, from standard input, and from a URL served by a local HTTP
// server (fetched with robots.txt respected) — with exit status 0 when
// postings were found, 1 when none (and a hint on stderr), 2 on misuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jsonld');
const seen = [];
let server, base;

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, agent: req.headers['user-agent'] });
    const pages = {
      '/robots.txt': ['text/plain', 'User-agent: *\nDisallow: /private\n'],
      '/careers/backend': ['text/html; charset=utf-8', readFileSync(join(fixtures, 'career_graph.html'))],
      '/private/job': ['text/html', readFileSync(join(fixtures, 'career_graph.html'))],
      '/about': ['text/html', readFileSync(join(fixtures, 'none.html'))],
    };
    const page = pages[req.url];
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': page[0] });
    res.end(page[1]);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

function extract(args, input) {
  return new Promise((resolve) => {
    const child = spawn(binary, ['extract', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input ?? '');
  });
}

test('a file: the normalised postings, cleaned by the finish step', async () => {
  const r = await extract(['--base-url', 'https://fabrikam.example/jobs', join(fixtures, 'listing_array.html')]);
  assert.equal(r.code, 0, r.err);
  const postings = JSON.parse(r.out);
  assert.equal(postings.length, 2);
  const support = postings.find((p) => p.title === 'Remote Support Agent');
  assert.equal(support.workplace, 'remote');
  assert.equal(support.external_id, 'fabrikam.example/4242');
  assert.deepEqual(support.employment_type, ['FULL_TIME', 'TEMPORARY']);
  assert.equal(support.source, 'jsonld');
  const warehouse = postings.find((p) => p.title === 'Warehouse Associate');
  assert.deepEqual(warehouse.salary, { min: 18.5, max: 18.5, currency: 'USD', period: 'HOUR' });
  assert.equal(warehouse.url, 'https://fabrikam.example/jobs');
  assert.match(r.err, /2 postings/);
});

test('standard input, and --json prints one line and no summary', async () => {
  const r = await extract(['--json', '-'], readFileSync(join(fixtures, 'career_graph.html')));
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim().split('\n').length, 1);
  const [p] = JSON.parse(r.out);
  assert.equal(p.company, 'Northwind GmbH');
  assert.equal(p.location.country, 'DE');
  assert.ok(!p.description_html.includes('script'), 'the description was sanitised');
  assert.equal(r.err, '');
});

test('a URL: fetched with jobtrack\'s User-Agent, robots.txt asked first', async () => {
  seen.length = 0;
  const r = await extract([`${base}/careers/backend`]);
  assert.equal(r.code, 0, r.err);
  const [p] = JSON.parse(r.out);
  assert.equal(p.title, 'Senior Backend Engineer');
  assert.equal(p.url, `${base}/careers/backend-engineer`);
  assert.equal(p.external_id, '127.0.0.1/NW-4711');
  assert.deepEqual(seen.map((s) => s.url), ['/robots.txt', '/careers/backend']);
  for (const s of seen) assert.match(s.agent, /^jobtrack\//);
});

test('a URL robots.txt disallows is not fetched', async () => {
  seen.length = 0;
  const r = await extract([`${base}/private/job`]);
  assert.equal(r.code, 1);
  assert.ok(!seen.some((s) => s.url === '/private/job'));
  assert.match(r.err, /robots/);
});

test('no posting: exit 1, an empty array and a hint', async () => {
  let r = await extract([`${base}/about`]);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.out), []);
  assert.match(r.err, /no schema\.org JobPosting found in .*about; if this is an ATS board, try --source/);
  r = await extract([join(fixtures, 'none.html')]);
  assert.equal(r.code, 1);
});

test('misuse: exit 2', async () => {
  for (const args of [[], ['--source', 'nope', 'x.html'], ['a.html', 'b.html'], ['--bogus', 'x'],
    ['--base-url', 'ftp://x', 'a.html'], ['/nonexistent/page.html']]) {
    const r = await extract(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.ok(r.err.length > 0);
  }
  const help = await extract(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: jobtrack extract/);
});
