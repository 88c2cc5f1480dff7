#!/usr/bin/env bash
# The dashboard's numbers over HTTP (issue 9, see BENCHMARKS.md): a server on
# a fresh SQLite store, one user given N applications with their timelines by
# bench/analytics/analytics_bench (which also prints the in-process times),
# then each GET /api/v1/analytics/* timed with curl: uncached (the first
# request after a write, which changes the user's data version) and cached.
# usage: bench/analytics.sh [N, default 5000] [rounds, default 5]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
n=${1:-5000}
rounds=${2:-5}
ninja -C build jobtrack bench/analytics_bench >/dev/null

work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "${KEEP_LOG:-}" ] && grep analytics "$work/log" >"$KEEP_LOG"
	rm -rf "$work"
}
trap cleanup EXIT
./build/jobtrack serve --listen 127.0.0.1:0 --data-dir "$work" >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q '(port ' "$work/log" && break; sleep 0.1; done
port=$(grep -o '(port [0-9]*' "$work/log" | head -1 | cut -d' ' -f2)
base="http://127.0.0.1:$port"
json=(-H 'content-type: application/json')
curl -fsS "${json[@]}" -d '{"email":"bench@example.com","password":"correct horse battery"}' "$base/api/v1/auth/signup" >/dev/null
token=$(curl -fsS "${json[@]}" -d '{"email":"bench@example.com","password":"correct horse battery"}' \
	"$base/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
auth=(-H "authorization: Bearer $token")
JT_BENCH_EMAIL=bench@example.com ./build/bench/analytics_bench "$n" "sqlite:$work/jobtrack.db" 2>/dev/null

for fig in funnel responses activity pipeline; do
	cold=() warm=()
	for _ in $(seq "$rounds"); do
		# a write: the next request cannot come from the response cache
		curl -fsS -o /dev/null "${json[@]}" "${auth[@]}" -d '{"company":"Bump","position":"P"}' "$base/api/v1/applications"
		cold+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/analytics/$fig")")
		warm+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/analytics/$fig")")
	done
	median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }
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
