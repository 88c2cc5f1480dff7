// Search over the API: a small hand-built corpus where the right order is
// known — ranking, every filter, facet counts, snippets (escaped, <mark>
// only), malformed queries as 400s, stable pages, and a posting ingested
// while the server runs showing up without a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newUser, ingestPostings, markMissing, waitFor, Client } from '../lib/server.mjs';

let srv, U, ids;
const day = (ago) => new Date(Date.now() - ago * 86400000).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  U = await newUser(srv.url, 'searcher@example.com');
  const base = Math.floor(Date.now() / 1000) - 1000;
  ids = ingestPostings(srv.dataDir, [
    { source: 'greenhouse', external_id: 's1', title: 'Senior Rust Engineer', company: 'Acme', location: 'Berlin, DE',
      locality: 'Berlin', country: 'DE', workplace: 'remote', employment_type: ['FULL_TIME'],
      salary_min: 90000, salary_max: 120000, salary_currency: 'EUR', salary_period: 'YEAR', date_posted: day(2),
      description_html: 'Build backend services in Rust and Go for our platform.', seen_at: base + 1 },
    { source: 'lever', external_id: 's2', title: 'Go Developer', company: 'Globex', location: 'Paris, FR',
      locality: 'Paris', country: 'FR', workplace: 'hybrid', employment_type: ['FULL_TIME'],
      salary_min: 60000, salary_max: 70000, salary_currency: 'EUR', salary_period: 'YEAR', date_posted: day(40),
      description_html: 'We write Go every day; knowing rust is a plus.', seen_at: base + 2 },
    { source: 'remotive', external_id: 's3', title: 'Frontend Engineer', company: 'Initech', location: 'Berlin',
      locality: 'Berlin', country: 'DE', workplace: 'onsite', employment_type: ['PART_TIME'], date_posted: day(1),
      description_html: '<p>React and <b>TypeScript</b> all day.</p><script>x()</script>', seen_at: base + 3 },
    { source: 'greenhouse', external_id: 's4', title: 'Data Scientist', company: 'Acme', location: 'London',
      locality: 'London', country: 'GB', workplace: 'remote', employment_type: ['CONTRACTOR'],
      salary_min: 50, salary_max: 50, salary_currency: 'USD', salary_period: 'HOUR', salary_year_min: 100000,
      salary_year_max: 100000, description_html: 'Python and statistics.', seen_at: base + 4 },
    { source: 'lever', external_id: 's5', title: 'C++ Developer', company: 'Hooli', location: 'Munich',
      locality: 'Munich', country: 'DE', workplace: 'onsite', employment_type: ['FULL_TIME'], date_posted: day(10),
      description_html: 'Low latency c++ systems, no rust.', seen_at: base + 5 },
  ]);
  // ids[5]: closed (its source's run no longer lists it), in Zürich, paid in CHF
  const src = await U.call('POST', '/api/v1/admin/sources', { url: 'https://boards.greenhouse.io/gone', enabled: false });
  assert.equal(src.status, 201, src.text);
  ids.push(...ingestPostings(srv.dataDir, [{ source: 'greenhouse', external_id: 's7', title: 'Rust Platform Lead',
    company: 'Gone AG', location: 'Zürich, CH', locality: 'Zürich', country: 'CH', workplace: 'onsite',
    employment_type: ['FULL_TIME'], salary_min: 150000, salary_max: 170000, salary_currency: 'CHF',
    salary_period: 'YEAR', date_posted: day(3), url: 'https://boards.greenhouse.io/gone/jobs/7',
    description_html: 'Lead the rust platform team.', source_id: src.body.id, seen_at: base + 6 }]));
  assert.equal(markMissing(srv.dataDir, src.body.id), 1);
  // the index builds in the background (until then a search answers 503)
  // and then picks up what the store gains
  await waitFor(async () => {
    const r = await U.call('GET', '/api/v1/postings?status=all&sort=date&limit=1');
    assert.ok(r.status === 200 || r.status === 503, r.text);
    if (r.status === 503) assert.ok(r.headers.get('retry-after'));
    return r.status === 200 && r.body.total === ids.length;
  }, { timeout: 10000, what: 'the search index' });
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

const search = async (qs) => {
  const r = await U.call('GET', `/api/v1/postings?${qs}`);
  assert.equal(r.status, 200, `${qs}: ${r.text}`);
  return r.body;
};
const idsOf = (body) => body.items.map((p) => p.id);
const sorted = (a) => [...a].sort((x, y) => x - y);

test('ranking: a title match beats a description match; exclusions and phrases', async () => {
  const r = await search('q=rust');
  // in the title and the description first; then the two that only mention it
  assert.equal(r.total, 3);
  assert.equal(idsOf(r)[0], ids[0]);
  assert.deepEqual(sorted(idsOf(r).slice(1)), sorted([ids[1], ids[4]]));
  assert.ok(r.items[0].score > r.items[1].score && r.items[1].score >= r.items[2].score);
  assert.deepEqual(idsOf(await search('q=rust -go')), [ids[4]]);
  assert.deepEqual(idsOf(await search(`q=${encodeURIComponent('"rust engineer"')}`)), [ids[0]]);
  assert.deepEqual(idsOf(await search('q=c%2B%2B')), [ids[4]]);
  assert.deepEqual(sorted(idsOf(await search('q=title:engineer'))), sorted([ids[0], ids[2]]));
  assert.deepEqual(idsOf(await search('q=company:globex')), [ids[1]]);
});

test('operators in any case, | as OR, NOT as the minus, field:-word as an exclusion in the field', async () => {
  const q = async (text) => sorted(idsOf(await search(`q=${encodeURIComponent(text)}`)));
  assert.deepEqual(await q('python or typescript'), sorted([ids[2], ids[3]]));
  assert.deepEqual(await q('python | typescript'), sorted([ids[2], ids[3]]));
  assert.deepEqual(await q('rust NOT go'), [ids[4]]);
  assert.deepEqual(await q('NOT rust'), sorted([ids[2], ids[3]]));
  // rust in the description but not in the title
  assert.deepEqual(await q('rust title:-rust'), sorted([ids[1], ids[4]]));
  for (const [text, hint] of [['AND', /AND needs/], ['rust^2', /boost/], ['rust~', /fuzzy/],
    ['rust NOT', /NOT needs/], ['-title:-rust', /exclude once/]]) {
    const r = await U.call('GET', `/api/v1/postings?q=${encodeURIComponent(text)}`);
    assert.equal(r.status, 400, text);
    assert.match(r.body.error.message, hint, text);
  }
});

test('every filter, alone and with a query', async () => {
  const cases = {
    'workplace=remote': [0, 3], 'workplace=onsite,hybrid': [1, 2, 4], 'country=DE': [0, 2, 4],
    'city=berlin': [0, 2], 'min_salary=80000': [0, 3], 'employment_type=FULL_TIME': [0, 1, 4],
    'posted_within_days=7': [0, 2], 'source=lever': [1, 4], 'company=acme': [0, 3], 'status=closed': [5],
    'status=all': [0, 1, 2, 3, 4, 5], 'q=engineer&country=DE': [0, 2], 'q=rust&workplace=hybrid': [1],
    'min_salary=80000&currency=EUR': [0],
    // the closed posting: only with status=closed or all
    'q=rust&status=closed': [5], 'q=rust&status=all': [0, 1, 4, 5], 'country=CH': [], 'country=CH&status=closed': [5],
    // the currency alone: salaries stated in it
    'currency=EUR': [0, 1], 'currency=eur&min_salary=65000': [0, 1], 'currency=eur&min_salary=75000': [0], 'currency=CHF': [], 'currency=CHF&status=all': [5],
    // the city folded as the query's words are: zurich finds Zürich, as q=zurich does
    'city=zurich&status=all': [5], 'city=Z%C3%9CRICH&status=all': [5], 'q=zurich&status=all': [5],
    'city=zurich': [], 'city=BERLIN': [0, 2],
  };
  for (const [qs, want] of Object.entries(cases)) {
    const r = await search(qs);
    assert.deepEqual(sorted(idsOf(r)), sorted(want.map((i) => ids[i])), qs);
    assert.equal(r.total, want.length, qs);
  }
  // the counts of closed postings: what status=closed lists
  const closed = await search('status=closed');
  assert.deepEqual([closed.total, closed.facets.country, closed.facets.workplace], [1, { CH: 1 }, { onsite: 1 }]);
  // the status facet counts open and closed of the rest of the search, whichever status is chosen
  assert.deepEqual(closed.facets.status, { open: 5, closed: 1 });
  assert.deepEqual((await search('q=rust')).facets.status, { open: 3, closed: 1 });
  assert.deepEqual((await search('q=rust&status=closed')).facets.status, { open: 3, closed: 1 });
  assert.deepEqual((await search('country=CH')).facets.status, { open: 0, closed: 1 });
  const all = await search('status=all&limit=1');
  assert.equal(all.total, 6);
  assert.deepEqual(all.facets.country, { DE: 3, FR: 1, GB: 1, CH: 1 });
  assert.equal(idsOf(await search('status=all&limit=1&offset=3'))[0], idsOf(await search('status=all&limit=4'))[3]);
});

test('sorting by salary and by date', async () => {
  assert.deepEqual(idsOf(await search('sort=salary&limit=3')), [ids[0], ids[3], ids[1]]);
  assert.deepEqual(idsOf(await search('sort=date&limit=4')), [ids[2], ids[0], ids[4], ids[1]]);
});

test('facets count every match, not only the page', async () => {
  const r = await search('q=engineer OR developer OR scientist&limit=1');
  assert.equal(r.total, 5);
  assert.equal(r.items.length, 1);
  assert.deepEqual(r.facets.workplace, { onsite: 2, hybrid: 1, remote: 2 });
  assert.deepEqual(r.facets.country, { DE: 3, FR: 1, GB: 1 });
  assert.deepEqual(r.facets.employment_type, { FULL_TIME: 3, PART_TIME: 1, CONTRACTOR: 1 });
  assert.deepEqual(r.facets.source, { greenhouse: 2, lever: 2, remotive: 1 });
  assert.equal(r.facets.company.Acme, 2); // as the postings write it (the filter ignores case)
  const de = await search('country=DE');
  assert.deepEqual(de.facets.workplace, { onsite: 2, remote: 1 });
  // multi-select: a filter's own facet counts as if it were not set, so the other values stay to choose
  assert.deepEqual(de.facets.country, { DE: 3, FR: 1, GB: 1 });
  const remote = await search('workplace=remote');
  assert.equal(remote.total, 2);
  assert.deepEqual(remote.facets.workplace, { onsite: 2, hybrid: 1, remote: 2 });
  assert.deepEqual(remote.facets.country, { DE: 1, GB: 1 }); // the other facets: of the remote ones
  // city, salary bands and posted within: counted as their filters pass, multi-select too
  const salaries = (c40, c60, c80, c100, c120, c150, c200) => ({ 40000: c40, 60000: c60, 80000: c80, 100000: c100,
    120000: c120, 150000: c150, 200000: c200 });
  const open = await search('limit=1');
  assert.deepEqual(open.facets.city, { Berlin: 2, London: 1, Munich: 1, Paris: 1 });
  assert.deepEqual(open.facets.min_salary, salaries(3, 3, 2, 2, 1, 0, 0));
  assert.equal(open.facets.no_salary, 2);
  assert.deepEqual(open.facets.posted_within_days, { 1: 1, 3: 2, 7: 2, 14: 3, 30: 3 });
  const berlin = await search('city=BERLIN');
  assert.deepEqual(berlin.facets.city, { Berlin: 2, London: 1, Munich: 1, Paris: 1 });
  assert.deepEqual([berlin.facets.min_salary, berlin.facets.no_salary], [salaries(1, 1, 1, 1, 1, 0, 0), 1]);
  assert.deepEqual(berlin.facets.posted_within_days, { 1: 1, 3: 2, 7: 2, 14: 2, 30: 2 });
  const rich = await search('min_salary=80000');
  assert.deepEqual([rich.facets.min_salary, rich.facets.no_salary], [salaries(3, 3, 2, 2, 1, 0, 0), 2]);
  assert.deepEqual(rich.facets.city, { Berlin: 1, London: 1 });
  const recent = await search('posted_within_days=7');
  assert.deepEqual(recent.facets.posted_within_days, { 1: 1, 3: 2, 7: 2, 14: 3, 30: 3 });
  assert.deepEqual(recent.facets.city, { Berlin: 2 });
  const gone = await search('status=closed&q=rust');
  assert.deepEqual([gone.facets.city, gone.facets.min_salary[150000], gone.facets.posted_within_days[3]],
    [{ Zürich: 1 }, 1, 1]);
  // the plain listing keeps its shape and gains the facets
  const plain = await search('limit=2');
  assert.equal(plain.total, 5);
  assert.deepEqual(plain.facets.country, { DE: 3, FR: 1, GB: 1 });
  assert.ok('next_cursor' in plain);
});

test('a search says where its time went in Server-Timing (wall and CPU per phase)', async () => {
  const r = await U.call('GET', '/api/v1/postings?q=rust&limit=2');
  assert.equal(r.status, 200, r.text);
  const m = {};
  for (const part of (r.headers.get('server-timing') || '').split(',')) {
    const [name, dur] = part.trim().split(';dur=');
    m[name] = Number(dur);
  }
  const phases = ['search', 'store', 'render'];
  assert.deepEqual(Object.keys(m).sort(), [...phases.flatMap((p) => [p, `${p}-cpu`]), 'total', 'total-cpu'].sort());
  for (const v of Object.values(m)) assert.ok(Number.isFinite(v) && v >= 0, r.headers.get('server-timing'));
  const sum = (k) => phases.reduce((s, p) => s + m[p + k], 0);
  assert.ok(Math.abs(m.total - sum('')) < 0.01 && Math.abs(m['total-cpu'] - sum('-cpu')) < 0.01);
  assert.ok(m['total-cpu'] > 0, 'serving a search costs some CPU');
});

test('snippets are escaped HTML with <mark> around the matches only', async () => {
  const r = await search('q=typescript');
  assert.deepEqual(idsOf(r), [ids[2]]);
  const s = r.items[0].snippet;
  assert.match(s, /<mark>TypeScript<\/mark>/);
  assert.doesNotMatch(s.replace(/<\/?mark>/g, ''), /</);
  assert.match(s, /&lt;b&gt;|&lt;script/);
});

test('a query of only exclusions is every posting without them, newest first (the search box suggests -java)', async () => {
  const r = await search('q=-rust');
  assert.deepEqual(idsOf(r), [ids[2], ids[3]]); // s3 posted a day ago; s4 has no date
  assert.equal(r.total, 2);
  assert.deepEqual(idsOf(await search(`q=${encodeURIComponent('-rust -"data scientist"')}`)), [ids[2]]);
  // beside OR it is still refused: "rust OR -java" would match nearly everything
  const bad = await U.call('GET', `/api/v1/postings?q=${encodeURIComponent('rust OR -java')}`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /beside OR/);
  const browser = new Client(srv.url);
  await browser.form('/login', { email: 'searcher@example.com', password: 'correct horse battery' });
  const page = await browser.fetch('/postings?q=-rust');
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Frontend Engineer[^]*Data Scientist/);
  assert.doesNotMatch(html, /Senior Rust Engineer/);
});

test('the postings page with no query: newest posted first, and the Sort select says so', async () => {
  const browser = new Client(srv.url);
  await browser.form('/login', { email: 'searcher@example.com', password: 'correct horse battery' });
  const res = await browser.fetch('/postings');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /5 postings found by this server's sources, newest first/);
  // by date posted (s3 a day ago, s1 two, s5 ten, s2 forty), not by when first seen
  assert.match(html, /Frontend Engineer[^]*Senior Rust Engineer[^]*C\+\+ Developer[^]*Go Developer/);
  // the default option says what the default is here; it stays the default, so typed words rank by best match
  assert.match(html, /<option value="">Newest first<\/option>/);
  assert.doesNotMatch(html, /Best match/);
  const best = await (await browser.fetch('/postings?q=rust')).text();
  assert.match(best, /<option value="">Best match<\/option>/);
  const excl = await (await browser.fetch('/postings?q=-rust')).text();
  assert.match(excl, /<option value="">Newest first<\/option>/);
});

test('malformed queries and filters answer 400 with the parser\'s message', async () => {
  for (const qs of ['q=%22rust', 'q=(rust', 'q=rust%20OR', 'workplace=space', 'sort=best', 'min_salary=abc',
    'employment_type=SOMETIMES', 'posted_within_days=0', 'status=maybe', 'cursor=ibad', 'offset=2000',
    `q=${'a'.repeat(1100)}`, 'q=AND', 'q=rust%5E2', 'q=rust%20NOT', 'q=-title:-rust']) {
    const r = await U.call('GET', `/api/v1/postings?${qs}`);
    assert.equal(r.status, 400, `${qs}: ${r.text}`);
    assert.equal(r.body.error.code, 'bad_query', qs);
    assert.ok(r.body.error.message.length > 10, qs);
  }
  const r = await U.call('GET', '/api/v1/postings?q=%22rust');
  assert.match(r.body.error.message, /quot|"/i);
});

test('pages by cursor and by offset cover every match once, in order', async () => {
  const all = idsOf(await search('sort=date&limit=10'));
  assert.equal(all.length, 5);
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 10; i++) {
    const r = await search(`sort=date&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    seen.push(...idsOf(r));
    cursor = r.next_cursor;
    if (!cursor) break;
  }
  assert.deepEqual(seen, all);
  const byOffset = [...idsOf(await search('sort=date&limit=3')), ...idsOf(await search('sort=date&limit=3&offset=3'))];
  assert.deepEqual(byOffset, all);
});

test('a posting ingested while the server runs becomes findable', async () => {
  const [id] = ingestPostings(srv.dataDir, [{ source: 'lever', external_id: 's6', title: 'Zig Wizard',
    company: 'Newco', description_html: 'Write zig.' }]);
  const r = await waitFor(async () => {
    const b = (await U.call('GET', '/api/v1/postings?q=zig')).body;
    return b.items && b.items.length ? b : null;
  }, { timeout: 8000, what: 'the new posting in the index' });
  assert.deepEqual(idsOf(r), [id]);
});

test('the postings page: a GET form that reflects the search, snippets with <mark> only, facet links, 400 text', async () => {
  const browser = new Client(srv.url);
  await browser.form('/login', { email: 'searcher@example.com', password: 'correct horse battery' });
  const res = await browser.fetch('/postings?q=typescript&country=DE');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<form method="get" action="\/postings"[^>]*role="search"/);
  assert.match(html, /<label for="s-q">Search<\/label>/);
  assert.match(html, /id="s-q" name="q" type="search" value="typescript"/);
  assert.match(html, /id="s-country" name="country" type="text" value="DE"/);
  assert.match(html, /1 matching posting\b/);
  assert.match(html, /Frontend Engineer/);
  const snip = html.match(/<span class="row-snippet">([^]*?)<\/span>/);
  assert.ok(snip, 'a snippet');
  assert.match(snip[1], /<mark>TypeScript<\/mark>/);
  assert.doesNotMatch(snip[1].replace(/<\/?mark>/g, ''), /</);
  assert.doesNotMatch(html, /<script>x\(\)/);
  // facet links keep the rest of the search and set their own filter
  assert.match(html, /href="\/postings\?q=typescript&amp;country=DE&amp;workplace=onsite"/);
  // the status facet, counts in text; multi-select: the chosen workplace keeps the others with their counts
  const st = await (await browser.fetch('/postings?q=rust&workplace=remote')).text();
  assert.match(st, /<strong>Status:<\/strong> <a href="[^"]*status=open"[^>]*>open<\/a> \(1\)/);
  const all = await (await browser.fetch('/postings?q=rust&status=all')).text();
  assert.match(all, />open<\/a> \(3\) <a href="[^"]*status=closed"[^>]*>closed<\/a> \(1\)/);
  assert.match(st, /aria-current="true">remote<\/a> \(1\)/);
  assert.match(st, />hybrid<\/a> \(1\)/);
  assert.match(st, />onsite<\/a> \(1\)/);
  const sel = await (await browser.fetch('/postings?workplace=remote&sort=salary')).text();
  assert.match(sel, /<option value="remote" selected>/);
  assert.match(sel, /<option value="salary" selected>/);
  assert.match(sel, /Senior Rust Engineer[^]*Data Scientist/);
  const bad = await browser.fetch('/postings?q=%22rust');
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /role="alert"/);
  assert.match(badHtml, /value="&quot;rust"/);
});

test('/metrics has the search latency histogram and the index size', async () => {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(text, /# TYPE jobtrack_search_seconds histogram/);
  const count = Number(text.match(/^jobtrack_search_seconds_count (\d+)/m)?.[1]);
  assert.ok(count > 10, `searches counted: ${count}`);
  assert.match(text, /^jobtrack_search_seconds_bucket\{le="0.005"\} \d+/m);
  assert.match(text, /^jobtrack_search_postings 7$/m); // the closed one too
});

test('relevance pages keep the first page\'s weights while postings arrive: none skipped, none repeated', async () => {
  const q = `q=${encodeURIComponent('rust OR go')}`;
  const before = idsOf(await search(`${q}&limit=50`));
  const first = await search(`${q}&limit=1`);
  assert.match(first.next_cursor, /~/, 'a relevance cursor carries its weights');
  const seen = idsOf(first);
  let cursor = first.next_cursor;
  for (let n = 0; cursor && n < 12; n++) { // bounded: arrivals that rank after the cursor would page on
    // go-heavy, long postings: go's weight and the average lengths move between pages
    ingestPostings(srv.dataDir, [{ source: 'lever', external_id: `gopher-${n}`, title: `Go Go Gopher ${n}`,
      company: 'Gophers', description_html: `go go go ${'filler words '.repeat(40)}` }]);
    await waitFor(async () => (await search('q=gopher')).total === n + 1, { timeout: 8000, what: 'the arrival' });
    const r = await search(`${q}&limit=1&cursor=${encodeURIComponent(cursor)}`);
    seen.push(...idsOf(r));
    cursor = r.next_cursor;
  }
  assert.equal(cursor, null, 'the pages end');
  for (const id of before) assert.equal(seen.filter((x) => x === id).length, 1, `posting ${id} once`);
  assert.equal(new Set(seen).size, seen.length, 'no repeats');
});

test('the postings page shows the city, salary and posted-within facets as links that set the filter', async () => {
  const web = new Client(srv.url);
  assert.equal((await web.form('/login', { email: U.email, password: U.password })).status, 303);
  const html = await (await web.fetch('/postings?q=engineer+OR+developer+OR+scientist&city=berlin')).text();
  const aside = html.slice(html.indexOf('<aside class="facets"'), html.indexOf('</aside>'));
  assert.match(aside, /<strong>City:<\/strong> <a href="\/postings\?q=engineer%20OR%20developer%20OR%20scientist&amp;city=Berlin" aria-current="true">Berlin<\/a> \(2\)/);
  assert.match(aside, /city=Paris">Paris<\/a> \(1\)/); // multi-select: the other cities stay to choose
  assert.match(aside, /<strong>Yearly salary:<\/strong> <a href="[^"]*city=berlin&amp;min_salary=40000">40,000 or more<\/a> \(1\)/);
  assert.match(aside, /not stated \(1\)/);
  assert.match(aside, /<strong>Posted within:<\/strong> <a href="[^"]*posted_within_days=1">1 day<\/a> \(1\) <a href="[^"]*posted_within_days=3">3 days<\/a> \(2\)/);
});
