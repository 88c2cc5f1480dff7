#!/bin/bash
# The scraper benchmark (issue 6): a generated job board of N posting pages
# (25-35 KB each, JSON-LD, paginated listings) served by nginx on loopback,
# crawled by `jobtrack scrape --seed` and by a Scrapy spider at the same
# concurrency with politeness delays off for both; pages/s, CPU per page and
# peak RSS of each, and whether both found exactly the site's postings (and
# jobtrack stored each once; the page budget is twice the pages, as the
# crawler counts links robots.txt refuses (/apply/) against it). After the
# crawl, `jobtrack serve` on the crawl's data shows through the HTTP API that
# every posting of the site is in the store exactly once (count, posting ids
# and the site's ids) and that a search for each one's title with its company
# finds it exactly once (bench/scrape/api_check.py). Then extraction alone on the saved pages:
# jobtrack's extractor (bench/extract_micro) against extruct (JSON-LD only).
#
# usage: bench/scrape.sh [BUILD_DIR=build] [N_POSTINGS=3000] [CONCURRENCY=16]
# needs: nginx-light python3-scrapy python3-extruct sqlite3 (scripts/setup.sh --bench);
# NO_SCRAPY=1 runs jobtrack's half alone (no comparison) where Scrapy and extruct are not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-3000}
conc=${3:-16}
py=/usr/bin/python3
work=$(mktemp -d /tmp/jt-scrape-bench.XXXXXX)
chmod 755 "$work" # nginx workers run as another user
nginx_pid=
serve_pid=
cleanup() {
	[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx sqlite3 /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "scrape.sh: $tool is missing (scripts/setup.sh --bench)" >&2; exit 1; }
done
if [ -z "${NO_SCRAPY:-}" ]; then
	$py -c 'import scrapy, extruct' 2>/dev/null ||
		{ echo "scrape.sh: install python3-scrapy python3-extruct (or NO_SCRAPY=1: jobtrack alone)" >&2; exit 1; }
fi
ninja -C "$build" jobtrack bench/extract_micro >/dev/null

echo "== generating $n postings"
$py bench/scrape/gen_site.py "$work/site" "$n" >/dev/null
pages=$(find "$work/site" -name '*.html' | wc -l)
echo "site: $pages HTML pages, $(du -sh "$work/site" | cut -f1)"

port=$((20000 + RANDOM % 20000))
mkdir -p "$work/nginx-tmp"
sed -e "s|@ROOT@|$work/site|; s|@PORT@|$port|; s|@WORK@|$work|g" bench/scrape/nginx.conf.in >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/robots.txt" >/dev/null && break; sleep 0.1; done
seed="http://127.0.0.1:$port/jobs/page/1.html"

# "title|company" lines, sorted: what a crawler must have found.
$py -c 'import json,sys
for l in open(sys.argv[1]): d=json.loads(l); print("%s|%s" % (d["title"], d["company"]))' \
	"$work/site/expected.jsonl" | sort >"$work/expected.txt"

measure() { # label, time -v output file, pages fetched
	local wall cpu rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$2")
	cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$2")
	rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$2")
	awk -v l="$1" -v w="$wall" -v c="$cpu" -v r="$rss" -v p="$3" 'BEGIN {
		printf "%-9s %6d pages in %6.2f s: %7.0f pages/s, %6.3f ms CPU per page, peak RSS %d MiB\n",
		       l, p, w, (w > 0 ? p / w : 0), (p > 0 ? 1000 * c / p : 0), r }'
}

# The crawl's store as a user sees it: serve on its data, a user, a token,
# then every page of GET /api/v1/postings against the site's postings.
api_check() {
	echo "== the store through the HTTP API (jobtrack serve on the crawl's data)"
	local pw email=bench@example.com token port
	pw="correct horse battery staple"
	printf '%s\n' "$pw" | "$build/jobtrack" user add "$email" --admin --data-dir "$data" --log-level error >/dev/null ||
		{ echo "API check: cannot add a user"; return 1; }
	"$build/jobtrack" serve --data-dir "$data" --listen 127.0.0.1:0 --log-level info >/dev/null 2>"$work/serve.log" &
	serve_pid=$!
	port=
	for _ in $(seq 100); do
		port=$(grep -o '(port [0-9]*)' "$work/serve.log" | grep -o '[0-9]*' | head -1 || true)
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { echo "API check: serve did not start:"; tail -3 "$work/serve.log"; return 1; }
	token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$email\",\"password\":\"$pw\"}" | $py -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
		{ echo "API check: no token"; return 1; }
	local rc=0
	$py bench/scrape/api_check.py "http://127.0.0.1:$port" "$token" "$work/site/expected.jsonl" || rc=1
	kill "$serve_pid" && wait "$serve_pid" || true
	serve_pid=
	return $rc
}

echo "== jobtrack scrape --seed (concurrency $conc, no delay)"
data="$work/jt"
jt_ok=1
if /usr/bin/time -v "$build/jobtrack" scrape --data-dir "$data" --log-level error --seed "$seed" \
	--max-pages $((2 * pages + 1000)) --concurrency "$conc" --delay 0 --json >"$work/jt.json" 2>"$work/jt.time"; then
	jt_pages=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["pages"])' "$work/jt.json")
	measure jobtrack "$work/jt.time" "$jt_pages"
	sqlite3 "$data/jobtrack.db" "select title || '|' || coalesce(company,'') from postings" | sort >"$work/jt.txt"
	if cmp -s "$work/expected.txt" "$work/jt.txt"; then
		echo "jobtrack: all $(wc -l <"$work/expected.txt") postings stored, each once"
	else
		echo "jobtrack: postings differ from the site's: $(comm -3 "$work/expected.txt" "$work/jt.txt" | wc -l) lines"
	fi
	api_check || jt_ok=0
else
	jt_ok=0
	echo "jobtrack scrape --seed failed:"
	{ grep -o '"message":"[^"]*"' "$work/jt.json"; grep -v -e '^\s' -e '^$' "$work/jt.time"; } | head -4 || true
fi

if [ -n "${NO_SCRAPY:-}" ]; then
	echo "== NO_SCRAPY: no Scrapy crawl, no extruct: jobtrack's half only"
	mapfile -t saved < <(ls "$work"/site/jobs/J*.html | head -500)
	"$build/bench/extract_micro" 3 jsonld "${saved[@]}" | grep -i "pages" | head -3
	[ "$jt_ok" = 1 ]
	exit
fi

echo "== Scrapy (CONCURRENT_REQUESTS=$conc, no delay)"
/usr/bin/time -v $py -m scrapy runspider bench/scrape/spider.py -a seed="$seed" -s CONCURRENT_REQUESTS="$conc" \
	-s LOG_LEVEL=ERROR -O "$work/scrapy.jsonl" >/dev/null 2>"$work/scrapy.time" || { tail -5 "$work/scrapy.time"; exit 1; }
measure Scrapy "$work/scrapy.time" "$pages"
$py -c 'import json,sys
for l in open(sys.argv[1]): d=json.loads(l); print("%s|%s" % (d["title"], d["company"]))' "$work/scrapy.jsonl" |
	sort >"$work/scrapy.txt"
if cmp -s "$work/expected.txt" "$work/scrapy.txt"; then
	echo "Scrapy: all $(wc -l <"$work/expected.txt") postings found, each once"
else
	echo "Scrapy: postings differ from the site's: $(comm -3 "$work/expected.txt" "$work/scrapy.txt" | wc -l) lines"
fi
[ "$jt_ok" = 1 ] && cmp -s "$work/jt.txt" "$work/scrapy.txt" && echo "both found the same postings"

echo "== extraction alone, on the saved posting pages (one core, CPU time)"
mapfile -t saved < <(ls "$work"/site/jobs/J*.html | head -500)
"$build/bench/extract_micro" 3 jsonld "${saved[@]}" | grep -i "pages" | head -3
$py bench/scrape/extruct_bench.py "$work/site" 500
