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

function extract(args, input, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(binary, ['extract', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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

test('a URL is fetched with the configured User-Agent, as every scraper fetch is', async () => {
  seen.length = 0;
  let r = await extract([`${base}/careers/backend`], '', { JOBTRACK_SCRAPE_CONTACT_URL: 'https://jobs.example.org/bot' });
  assert.equal(r.code, 0, r.err);
  assert.equal(seen.length, 2);
  for (const s of seen) assert.match(s.agent, /^jobtrack\/\S+ \(\+https:\/\/jobs\.example\.org\/bot\)$/);
  seen.length = 0;
  r = await extract([`${base}/careers/backend`], '', { JOBTRACK_SCRAPE_USER_AGENT: 'jobtrack-acme/2 (ops@acme.example)' });
  assert.equal(r.code, 0, r.err);
  for (const s of seen) assert.equal(s.agent, 'jobtrack-acme/2 (ops@acme.example)');
  r = await extract([`${base}/careers/backend`], '', { JOBTRACK_SCRAPE_USER_AGENT: 'Mozilla/5.0' });
  assert.equal(r.code, 2);
  assert.match(r.err, /jobtrack/);
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

// One job's detail payload, saved while debugging a source: the posting it
// holds, for adapters whose API has one (fixtures the project wrote).
const sources = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sources');
test('a saved detail payload of one job: --source reads the posting', async () => {
  const cases = [
    [['--source', 'greenhouse'], 'detail/greenhouse.json', '7099000123', 'Data Engineer, Risk'],
    [['--source', 'lever'], 'detail/lever.json', '8a7b6c5d-1111-4ccc-9ddd-000000000042', 'Site Reliability Engineer'],
    [['--source', 'recruitee'], 'detail/recruitee.json', '3200042', 'Backend Developer (Ruby)'],
    [['--source', 'workday', '--base-url', 'https://contoso.wd5.myworkdayjobs.com/en-US/External'],
      'workday/detail_JR2030001.json', 'JR2030001', null],
    [['--source', 'smartrecruiters'], 'smartrecruiters/detail_744000200000101.json', '744000200000101', null],
    [['--source', 'workable', '--base-url', 'https://apply.workable.com/fabrikam/'], 'workable/detail_1B7E99AF02.json',
      '1B7E99AF02', null],
  ];
  for (const [args, file, id, title] of cases) {
    const r = await extract([...args, '--json', join(sources, file)]);
    assert.equal(r.code, 0, `${file}: ${r.err}`);
    assert.equal(r.err, '', `${file}: the list reading's complaint is not shown when the detail reading worked`);
    const postings = JSON.parse(r.out);
    assert.equal(postings.length, 1, file);
    assert.equal(postings[0].external_id, id, file);
    assert.equal(postings[0].source, args[1], file);
    if (title) assert.equal(postings[0].title, title, file);
    assert.ok(postings[0].title && postings[0].description_text, file);
  }
  // Neither a list nor a job: exit 1 and the list reading's error.
  const r = await extract(['--source', 'greenhouse', join(fixtures, 'none.html')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not JSON|JSON/i);
});

test('a saved payload without --base-url never crashes an adapter that wants a target', async () => {
  for (const [ad, file] of [['lever', 'lever.json'], ['smartrecruiters', 'smartrecruiters/list_0.json'],
    ['workable', 'workable/list_1.json'], ['workable', 'workable/detail_1B7E99AF02.json'],
    ['personio', 'personio/feed.xml']]) {
    const r = await extract(['--source', ad, '--json', join(sources, file)]);
    assert.ok(r.code === 0 || r.code === 1, `${ad} ${file}: exit ${r.code} ${r.err}`);
    assert.ok(Array.isArray(JSON.parse(r.out)), `${ad} ${file}`);
  }
});
