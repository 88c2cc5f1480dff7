"""The crawl benchmark's last check (issue 6): every posting of the generated
site is in the store exactly once, and searchable, as the HTTP API shows it.

usage: api_check.py BASE_URL TOKEN EXPECTED_JSONL

Listing: pages through GET /api/v1/postings (include_closed, 200 a page, by
cursor) and compares with expected.jsonl (gen_site.py): the total the API
reports, the number of items, their ids (no posting listed twice), and the
site's posting ids (each listing's external_id is "HOST/ID") — none missing,
none twice, none extra — and each one's title and company.

Search: every posting of the site, not a sample, is searched for by its
title and company: q=title:"TITLE" with company=COMPANY (the site reuses
titles, so each distinct title-and-company pair is one search, paged by
cursor, and covers every posting that has it). Among the hits with exactly
that title and company, each of the pair's postings must appear exactly once
(and no posting the site does not have). The search index is filled in the
background after serve starts, so the first search is retried until it
answers in full (at most two minutes).

Prints one line per finding; exits 0 when all agree, 1 otherwise.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict


def get(base, token, path):
    """GET path as JSON; while the server answers 503 (its search index is
    still being built at start), waits as its Retry-After says, up to 2 min."""
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    deadline = time.time() + 120
    while True:
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return json.load(res)
        except urllib.error.HTTPError as e:
            if e.code != 503 or time.time() > deadline:
                raise
            time.sleep(min(float(e.headers.get("Retry-After") or 1), 2.0))


def site_id(listing):
    return (listing.get("external_id") or "").split("/", 1)[-1]


def search_pair(base, token, title, company):
    """Every hit of one search, all pages; and the requests it took."""
    hits, cursor, requests = [], None, 0
    while True:
        q = {"q": 'title:"%s"' % title, "company": company, "include_closed": "true", "limit": "100"}
        if cursor:
            q["cursor"] = cursor
        page = get(base, token, "/api/v1/postings?" + urllib.parse.urlencode(q))
        requests += 1
        hits.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return hits, requests


def found_once(hits, title, company, want):
    """Problems with one pair's hits: each wanted site id exactly once."""
    seen = Counter()
    for p in hits:
        if p["title"] == title and p["company"] == company:
            for s in p["sources"]:
                seen[site_id(s)] += 1
    missing = [k for k in want if seen[k] == 0]
    twice = [k for k in want if seen[k] > 1]
    extra = [k for k in seen if k not in want]
    return missing, twice, extra


def search_check(base, token, expected):
    pairs = defaultdict(list)
    for sid, pair in expected.items():
        pairs[pair].append(sid)
    order = sorted(pairs)
    # Wait for the index: the first pair must be found in full.
    deadline = time.time() + 120
    while True:
        try:
            hits, _ = search_pair(base, token, *order[0])
            missing, _, _ = found_once(hits, *order[0], pairs[order[0]])
            if not missing:
                break
        except urllib.error.HTTPError as e:
            if e.code != 503:
                raise
        if time.time() > deadline:
            break
        time.sleep(0.5)
    problems, requests, missing_all, twice_all, extra_all = [], 0, [], [], []
    t0 = time.time()
    for title, company in order:
        hits, n = search_pair(base, token, title, company)
        requests += n
        missing, twice, extra = found_once(hits, title, company, pairs[(title, company)])
        missing_all += missing
        twice_all += twice
        extra_all += extra
    took = time.time() - t0
    if missing_all:
        problems.append("search: %d of the site's postings not found by their title and company (e.g. %s)"
                        % (len(missing_all), ", ".join(missing_all[:3])))
    if twice_all:
        problems.append("search: %d postings found more than once (e.g. %s)" % (len(twice_all), ", ".join(twice_all[:3])))
    if extra_all:
        problems.append("search: %d hits the site does not have (e.g. %s)" % (len(extra_all), ", ".join(extra_all[:3])))
    summary = ("every one of the site's %d postings found exactly once searching its title with its company "
               "(%d searches q=title:\"…\"&company=…, %d requests, %.1f ms each on average)"
               % (len(expected), len(order), requests, 1000 * took / max(requests, 1)))
    return problems, summary


def main():
    base, token, expected_path = sys.argv[1:4]
    expected = {}
    for line in open(expected_path):
        d = json.loads(line)
        expected[d["external_id"]] = (d["title"], d["company"])

    items, total, cursor, requests = [], None, None, 0
    while True:
        q = {"limit": "200", "include_closed": "true"}
        if cursor:
            q["cursor"] = cursor
        page = get(base, token, "/api/v1/postings?" + urllib.parse.urlencode(q))
        requests += 1
        if total is None:
            total = page["total"]
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break

    problems = []
    ids = Counter(p["id"] for p in items)
    repeated_ids = [i for i, c in ids.items() if c > 1]
    if total != len(expected):
        problems.append("the API's total is %d, the site has %d postings" % (total, len(expected)))
    if len(items) != len(expected):
        problems.append("%d items listed, the site has %d postings" % (len(items), len(expected)))
    if repeated_ids:
        problems.append("%d posting ids listed more than once" % len(repeated_ids))

    # Every listing of every posting, by the site's own posting id.
    seen = Counter()
    wrong = 0
    for p in items:
        for s in p["sources"]:
            sid = site_id(s)
            seen[sid] += 1
            want = expected.get(sid)
            if want and (p["title"], p["company"]) != want:
                wrong += 1
    missing = [k for k in expected if seen[k] == 0]
    twice = [k for k, c in seen.items() if c > 1]
    extra = [k for k in seen if k not in expected]
    if missing:
        problems.append("%d of the site's postings missing (e.g. %s)" % (len(missing), ", ".join(missing[:3])))
    if twice:
        problems.append("%d of the site's postings stored more than once (e.g. %s)" % (len(twice), ", ".join(twice[:3])))
    if extra:
        problems.append("%d postings the site does not have (e.g. %s)" % (len(extra), ", ".join(extra[:3])))
    if wrong:
        problems.append("%d postings with another title or company than the site's" % wrong)

    search_problems, search_summary = search_check(base, token, expected)
    problems += search_problems
    if problems:
        for line in problems:
            print("API check: " + line)
        return 1
    print("API check: all %d of the site's postings are in the store exactly once "
          "(total %d, %d distinct posting ids, %d site ids, %d requests of GET /api/v1/postings)"
          % (len(expected), total, len(ids), len(seen), requests))
    print("API check: " + search_summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
