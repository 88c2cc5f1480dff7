#!/usr/bin/env bash
# The dashboard's numbers over HTTP (issue 9, see BENCHMARKS.md): a server on
# a fresh SQLite store, one user given N applications with their timelines by
# bench/analytics/analytics_bench (which also prints the in-process times),
# then each GET /api/v1/analytics/* timed with curl: uncached (the first
# request after a write, which changes the user's data version) and cached.
# With POSTINGS > 0 the store also holds that many scraped postings
# (bench/analytics/postings_fill: the search benchmark's corpus), and the
# market endpoints and the /dashboard page are timed too, by curl and by the
# server's own access log (duration_ms: the time in the server).
# JT_BENCH_DATA_DIR keeps the filled store between runs (filling a million
# postings takes minutes); a user of a new address is made in it each run.
# usage: bench/analytics.sh [N, default 5000] [rounds, default 5] [POSTINGS, default 0]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
n=${1:-5000}
rounds=${2:-5}
postings=${3:-0}
ninja -C build jobtrack bench/analytics_bench bench/postings_fill >/dev/null

work=$(mktemp -d)
data=${JT_BENCH_DATA_DIR:-$work/data}
mkdir -p "$data"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "${KEEP_LOG:-}" ] && grep analytics "$work/log" >"$KEEP_LOG"
	rm -rf "$work"
}
trap cleanup EXIT
if [ "$postings" -gt 0 ] && [ ! -f "$data/jobtrack.db" ]; then
	./build/bench/postings_fill "$postings" "sqlite:$data/jobtrack.db"
fi
start=$(date +%s.%N)
. bench/serve_lib.sh
bench_serve ./build/jobtrack "$data" "$work/log"
json=(-H 'content-type: application/json')
email="bench-$$-$(date +%s)@example.com"
token=$(bench_token "$email")
auth=(-H "authorization: Bearer $token")
if [ "$postings" -gt 0 ]; then
	# The search index and the market table are built on a thread at start:
	# timings wait for it, so they do not measure a machine busy building.
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base/api/v1/analytics/market/remote")" = 200 ]; do sleep 1; done
	printf 'postings read into the search index and the market table: %.0f s after start; server RSS %s MiB\n' \
		"$(echo "$(date +%s.%N) - $start" | bc -l)" "$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))"
	grep -o '"msg":"search index built[^"]*"' "$work/log" || true
fi
JT_BENCH_EMAIL=$email ./build/bench/analytics_bench "$n" "sqlite:$data/jobtrack.db" 2>/dev/null

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }
for fig in funnel responses activity pipeline; do
	cold=() warm=()
	for _ in $(seq "$rounds"); do
		# a write: the next request cannot come from the response cache
		curl -fsS -o /dev/null "${json[@]}" "${auth[@]}" -d '{"company":"Bump","position":"P"}' "$base/api/v1/applications"
		cold+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/analytics/$fig")")
		warm+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/analytics/$fig")")
	done
	printf 'GET /api/v1/analytics/%-9s uncached median %s ms, cached median %s ms (%s rounds)\n' \
		"$fig" "$(median "${cold[@]}")" "$(median "${warm[@]}")" "$rounds"
done

# A dashboard after a write: all four in a row (the first reads the store and
# caches the other three).
total=()
for _ in $(seq "$rounds"); do
	curl -fsS -o /dev/null "${json[@]}" "${auth[@]}" -d '{"company":"Bump","position":"P"}' "$base/api/v1/applications"
	t=0
	for fig in funnel responses activity pipeline; do
		t=$(echo "$t + $(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/analytics/$fig")" | bc -l)
	done
	total+=("$t")
done
printf 'all four after a write: median %s ms (%s rounds)\n' "$(median "${total[@]}")" "$rounds"

[ "$postings" -gt 0 ] || exit 0

# ---- the market view and the dashboard page over the postings ----------------
# The server time of the last request to path, from the access log, in seconds.
served() { sleep 0.05; grep "\"path\":\"$1\"" "$work/log" | tail -1 | sed 's/.*"duration_ms":\([0-9.]*\).*/\1/' | awk '{print $1/1000}'; }
# Uncached: parameters not asked for before (each is a new cache key).
for fig in skills salary sources daily remote; do
	cold=() warm=() cold_srv=() warm_srv=()
	for r in $(seq "$rounds"); do
		case $fig in
		skills) q="?weeks=$((11 + r))" ;;
		salary) q="?title=$(printf 'engineer\nmanager\nanalyst\ndeveloper\nnurse\nsales\ndesigner' | sed -n "$(((r - 1) % 7 + 1))p")" ;;
		daily) q="?days=$((29 + r))" ;;
		*) q="" ;;
		esac
		url="$base/api/v1/analytics/market/$fig$q"
		cold+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$url")")
		cold_srv+=("$(served "/api/v1/analytics/market/$fig")")
		warm+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$url")")
		warm_srv+=("$(served "/api/v1/analytics/market/$fig")")
	done
	printf 'GET /api/v1/analytics/market/%-8s first: median %s ms (server %s ms); repeat: %s ms (server %s ms)\n' "$fig" \
		"$(median "${cold[@]}")" "$(median "${cold_srv[@]}")" "$(median "${warm[@]}")" "$(median "${warm_srv[@]}")"
done
salary_all=$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/analytics/market/salary?bins=11")
printf 'GET /api/v1/analytics/market/salary (every open posting, first) %.1f ms (server %.1f ms)\n' \
	"$(echo "$salary_all * 1000" | bc -l)" "$(echo "$(served /api/v1/analytics/market/salary) * 1000" | bc -l)"

# The page, in a browser session: after a write (the user's four figures are
# worked out again; the market's come from the cache), and repeated.
jar=$work/cookies
curl -fsS -c "$jar" -b "$jar" "$base/login" -o "$work/login.html"
csrf=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' "$work/login.html" | head -1)
curl -fsS -c "$jar" -b "$jar" -X POST "$base/login" --data-urlencode "_csrf=$csrf" \
	--data-urlencode "email=$email" --data-urlencode "password=correct horse battery" -o /dev/null
page=() page_srv=() again=() again_srv=() fresh=() fresh_srv=()
for r in $(seq "$rounds"); do
	curl -fsS -o /dev/null "${json[@]}" "${auth[@]}" -d '{"company":"Bump","position":"P"}' "$base/api/v1/applications"
	page+=("$(curl -fsS -o "$work/dash.html" -w '%{time_total}' -b "$jar" "$base/dashboard")")
	page_srv+=("$(served /dashboard)")
	again+=("$(curl -fsS -o /dev/null -w '%{time_total}' -b "$jar" "$base/dashboard")")
	again_srv+=("$(served /dashboard)")
	# after a write, with a salary query not asked for before: nothing cached but four market figures
	curl -fsS -o /dev/null "${json[@]}" "${auth[@]}" -d '{"company":"Bump","position":"P"}' "$base/api/v1/applications"
	fresh+=("$(curl -fsS -o /dev/null -w '%{time_total}' -b "$jar" "$base/dashboard?title=engineer&location=$(printf 'berlin\nlondon\nparis\nmadrid\nboston\ntoronto\nsydney' | sed -n "$(((r - 1) % 7 + 1))p")")")
	fresh_srv+=("$(served /dashboard)")
done
grep -q 'class="dash-section"' "$work/dash.html" || { echo "the dashboard page did not render"; exit 1; }
printf 'GET /dashboard after a write: median %s ms (server %s ms); repeat: %s ms (server %s ms); after a write with a new salary query: %s ms (server %s ms); %s bytes (%s rounds)\n' \
	"$(median "${page[@]}")" "$(median "${page_srv[@]}")" "$(median "${again[@]}")" "$(median "${again_srv[@]}")" \
	"$(median "${fresh[@]}")" "$(median "${fresh_srv[@]}")" "$(wc -c <"$work/dash.html")" "$rounds"
