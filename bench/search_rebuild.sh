#!/usr/bin/env bash
# The search index's "size on disk" (issue 8, BENCHMARKS.md "Search"): there
# is none; `jobtrack serve` rebuilds the index from the store at every start.
# This times that rebuild: a fresh server on a SQLite store holding POSTINGS
# postings (bench/analytics/postings_fill, the search benchmark's corpus),
# from its start until GET /api/v1/postings?q=engineer answers 200 instead
# of 503 (search_starting), and prints the store file's size, the server's
# RSS and its own "search index built" log line.
# JT_BENCH_DATA_DIR keeps the filled store between runs (filling a million
# postings takes many minutes); without it the store is made in a temporary
# folder and removed.
# usage: bench/search_rebuild.sh [POSTINGS, default 1000000]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
. bench/lib/serve.sh
postings=${1:-1000000}
build=${JT_BENCH_BUILD:-build-bench}
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >/dev/null
ninja -C "$build" jobtrack bench/postings_fill >/dev/null

bench_workdir
if [ ! -f "$data/jobtrack.db" ]; then
	fill_start=$(date +%s.%N)
	"./$build/bench/postings_fill" "$postings" "sqlite:$data/jobtrack.db"
	printf 'store filled with %s postings in %.0f s\n' "$postings" "$(echo "$(date +%s.%N) - $fill_start" | bc -l)"
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
bench_serve "./$build/jobtrack" "$data" "$work/log"
bench_user
while :; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base/api/v1/postings?q=engineer")
	[ "$code" = 200 ] && break
	[ "$code" = 503 ] || { echo "GET /api/v1/postings?q=engineer answered $code" >&2; exit 1; }
	sleep 0.2
done
# The server's CPU time so far (all its threads: the index build, and what
# else runs at start, e.g. the resume scan's term cache), from /proc.
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.1f", ($12 + $13) / hz}' "/proc/$pid/stat")
printf 'search answers 200 %.1f s after the server started (server CPU %s s); server RSS %s MiB; store file %s MiB\n' \
	"$(echo "$(date +%s.%N) - $start" | bc -l)" "$cpu" "$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))" \
	"$(($(stat -c %s "$data/jobtrack.db") / 1048576))"
grep -o '"msg":"search index built[^"]*"' "$work/log" || true
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
