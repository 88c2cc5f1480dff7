"""The crawl benchmark's last check (issue 6): every posting of the generated
site is in the store exactly once, as the HTTP API shows it.

usage: api_check.py BASE_URL TOKEN EXPECTED_JSONL

Pages through GET /api/v1/postings (include_closed, 200 a page, by cursor)
and compares with expected.jsonl (gen_site.py): the total the API reports,
the number of items, their ids (no posting listed twice), and the site's
posting ids (each listing's external_id is "HOST/ID") — none missing, none
twice, none extra — and each one's title and company. Prints one line per
finding; exits 0 when all agree, 1 otherwise.
"""
import json
import sys
import urllib.parse
import urllib.request
from collections import Counter


def get(base, token, path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=60) as res:
        return json.load(res)


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
            site_id = (s.get("external_id") or "").split("/", 1)[-1]
            seen[site_id] += 1
            want = expected.get(site_id)
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

    if problems:
        for line in problems:
            print("API check: " + line)
        return 1
    print("API check: all %d of the site's postings are in the store exactly once "
          "(total %d, %d distinct posting ids, %d site ids, %d requests of GET /api/v1/postings)"
          % (len(expected), total, len(ids), len(seen), requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
