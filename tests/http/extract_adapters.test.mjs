// `jobtrack extract --source ADAPTER FILE` for every adapter, over payloads
// the project's own fixtures hold (tests/fixtures/sources, tests/fixtures/jsonld):
// a saved payload is read without knowing its board (no --base-url) and with
// --base-url naming it, and each adapter is also handed the other adapters'
// payloads. Never a crash; postings (exit 0) or a message that says why not
// (exit 1), as `jobtrack extract --help` documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const src = (f) => join(fixtures, 'sources', f);

function extract(args, input = null) {
  return new Promise((resolve) => {
    const stdin = input === null ? 'ignore' : 'pipe';
    const child = spawn(binary, ['extract', '--json', ...args], { stdio: [stdin, 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
    if (input !== null) {
      child.stdin.on('error', () => {}); // an early exit is the test's to report
      child.stdin.end(input);
    }
  });
}

// One payload per adapter (two where the adapter reads two shapes), what a
// careers URL of that board looks like, and what the postings must show.
const cases = [
  { adapter: 'greenhouse', file: src('greenhouse.json'), base: 'https://boards.greenhouse.io/northwind',
    check: (p) => assert.ok(p.some((x) => x.company && x.apply_url)) },
  { adapter: 'lever', file: src('lever.json'), base: 'https://jobs.lever.co/spotify',
    check: (p, based) => {
      assert.ok(p.every((x) => x.apply_url && x.location.raw));
      // The company comes from the board the URL names, never from the URL as a whole.
      if (based) assert.ok(p.every((x) => x.company === 'Spotify'), JSON.stringify(p.map((x) => x.company)));
    } },
  { adapter: 'lever', file: src('lever.json'), base: 'https://jobs.eu.lever.co/acme-eu',
    check: (p, based) => { if (based) assert.ok(p.every((x) => x.company === 'Acme Eu')); } },
  { adapter: 'ashby', file: src('ashby.json'), base: 'https://jobs.ashbyhq.com/linear',
    check: (p, based) => { if (based) assert.ok(p.every((x) => x.company === 'Linear')); } },
  { adapter: 'smartrecruiters', file: src('smartrecruiters/list_0.json'),
    base: 'https://jobs.smartrecruiters.com/NorthwindGames',
    // A list read from a file gives its items: the details are not fetched.
    check: (p) => assert.ok(p.length >= 2 && p.every((x) => x.url && x.location.country)) },
  { adapter: 'recruitee', file: src('recruitee.json'), base: 'https://acme.recruitee.com/',
    check: (p) => assert.ok(p.every((x) => x.apply_url)) },
  { adapter: 'workable', file: src('workable/list_1.json'), base: 'https://apply.workable.com/northwind/',
    check: (p, based) => assert.equal(p.every((x) => x.url), based) },
  { adapter: 'workable', file: src('workable/widget.json'), base: 'https://apply.workable.com/northwind/',
    check: (p) => assert.ok(p.length >= 1) },
  { adapter: 'personio', file: src('personio/feed.xml'), base: 'https://northwind.jobs.personio.de/',
    check: (p, based) => assert.equal(
      p.every((x) => x.url?.startsWith('https://northwind.jobs.personio.de/job/')), based) },
  { adapter: 'workday', file: src('workday/list_0.json'),
    base: 'https://northwind.wd5.myworkdayjobs.com/en-US/External',
    check: (p, based) => assert.equal(
      p.every((x) => x.url?.startsWith('https://northwind.wd5.myworkdayjobs.com/External/job/')), based) },
  { adapter: 'rss', file: src('rss/wwr.rss'), base: 'https://weworkremotely.com/remote-jobs.rss',
    // We Work Remotely lists remote jobs only: known from the feed's address.
    check: (p, based) => assert.equal(p.every((x) => x.workplace === 'remote'), based) },
  { adapter: 'rss', file: src('rss/jobs.atom'), base: 'https://jobs.example.org/feed.atom', check: () => {} },
  { adapter: 'remotive', file: src('remotive.json'),
    check: (p) => assert.ok(p.every((x) => x.workplace === 'remote')) },
  { adapter: 'remoteok', file: src('remoteok.json'),
    check: (p) => assert.ok(p.every((x) => x.workplace === 'remote')) },
  { adapter: 'hackernews', file: src('hackernews/thread.json'), base: 'https://news.ycombinator.com/item?id=49522897',
    check: (p) => assert.ok(p.every((x) => x.url.startsWith('https://news.ycombinator.com/item?id=')) &&
      p.some((x) => x.company)) },
  { adapter: 'linkedin', file: src('linkedin/page_0.html'),
    base: 'https://www.linkedin.com/jobs/search?keywords=rust&location=Berlin',
    check: (p) => assert.ok(p.every((x) => x.company)) },
  // The XPath adapter reads nothing without its selectors, which a file cannot carry: it says so.
  { adapter: 'xpath', file: src('xpath/page1.html'), base: 'https://careers.example.org/jobs',
    error: /XPath source needs options "item" and "title"/ },
  { adapter: 'jsonld', file: join(fixtures, 'jsonld', 'career_graph.html'), base: 'https://northwind.example/careers',
    check: (p) => assert.ok(p.every((x) => x.title)) },
];

async function adapters() {
  const r = await extract(['--source', 'no-such-adapter', 'x']);
  assert.equal(r.code, 2);
  const names = r.err.split('adapters:')[1].split(',').map((s) => s.trim()).filter(Boolean);
  assert.ok(names.length >= 15, r.err);
  return names;
}

test('every adapter has a payload here', async () => {
  const covered = new Set(cases.map((c) => c.adapter));
  for (const name of await adapters()) assert.ok(covered.has(name), `no extract case for the ${name} adapter`);
});

for (const c of cases) {
  for (const based of [false, true]) {
    if (based && !c.base) continue;
    const args = ['--source', c.adapter, ...(based ? ['--base-url', c.base] : []), c.file];
    test(`extract ${args.join(' ').replace(fixtures, 'fixtures')}`, async () => {
      const r = await extract(args);
      assert.equal(r.signal, null, `killed by ${r.signal}: ${r.err}`);
      const postings = JSON.parse(r.out);
      if (c.error) {
        assert.equal(r.code, 1);
        assert.deepEqual(postings, []);
        assert.match(r.err, c.error);
        return;
      }
      assert.equal(r.code, 0, r.err);
      assert.ok(postings.length > 0);
      for (const p of postings) {
        assert.equal(p.source, c.adapter);
        assert.ok(p.title && p.external_id, JSON.stringify(p));
      }
      c.check(postings, based);
    });
  }
}

// Every adapter over every other adapter's payload: none crashes, and one
// that finds nothing says so (exit 1 and a message), without a stack trace
// or half a JSON array.
test('every adapter over every payload: postings or a clear message, never a crash', async () => {
  const names = await adapters();
  const files = [...new Set(cases.map((c) => c.file))];
  for (const name of names) {
    for (const file of files) {
      const r = await extract(['--source', name, file]);
      const what = `${name} on ${file.replace(fixtures, 'fixtures')}`;
      assert.equal(r.signal, null, `${what}: killed by ${r.signal}`);
      assert.ok(r.code === 0 || r.code === 1, `${what}: exit ${r.code}: ${r.err}`);
      const postings = JSON.parse(r.out);
      assert.ok(Array.isArray(postings), what);
      if (r.code === 1) {
        assert.equal(postings.length, 0, what);
        assert.match(r.err, /jobtrack: /, what);
      }
    }
  }
});

// JSON-LD as templates write it: two values one after the other, the first
// a Python dict (single quotes, True), read whole as a bare file and in a page.
test('concatenated and single-quoted JSON-LD: every posting', async () => {
  const body = "{'@type': 'JobPosting', 'title': 'Welder', 'identifier': 'w1', 'directApply': True," +
    " 'jobLocation': {'address': {'addressLocality': 'Austin', 'addressRegion': 'TX'}}}" +
    '{"@type":"JobPosting","title":"Painter","identifier":"p1"}';
  for (const input of [body, `<html><script type="application/ld+json">${body}</script></html>`]) {
    const r = await extract(['--base-url', 'https://acme.example/jobs', '-'], input);
    assert.equal(r.code, 0, r.err);
    const postings = JSON.parse(r.out);
    assert.deepEqual(postings.map((p) => p.title).sort(), ['Painter', 'Welder']);
    assert.equal(postings.find((p) => p.title === 'Welder').location.country, 'US');
  }
});
