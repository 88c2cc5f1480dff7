#!/usr/bin/env bash
# The search benchmark over HTTP (issue 8; figures in BENCHMARKS.md, "Search",
# "Over HTTP"): a SQLite store filled with POSTINGS postings of the search
# benchmark's corpus (bench/analytics/postings_fill), `jobtrack serve` on it on
# loopback, and once the search index holds every posting, search_bench's
# mix of 40 queries (search_bench --print-queries) sent as the web UI's first
# result page, GET /api/v1/postings?q=…&limit=20 (total, facets, snippets),
# by bench/search_http.mjs: authenticated, serially on one keep-alive
# connection, a warm-up round then ROUNDS rounds. It reports the wall time per
# request and the server's Server-Timing (search / store / render, wall and
# the serving thread's CPU), then, with the server stopped, search_bench's
# in-process figures for the same mix (--ours-only) for comparison.
# JT_BENCH_DATA_DIR keeps the filled store between runs (a million postings
# take minutes to fill); JT_BENCH_PERF=FILE records the server with perf
# during the timed rounds; JT_BENCH_NO_INPROCESS=1 skips search_bench;
# JT_BENCH_IDLE_WAIT caps the wait for the server's start-up work (s).
# usage: bench/search_http.sh [POSTINGS=200000] [ROUNDS=10]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
postings=${1:-200000}
rounds=${2:-10}
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench -j2 jobtrack bench/postings_fill bench/search_bench >/dev/null

work=$(mktemp -d /tmp/jt-search-http.XXXXXX)
data=${JT_BENCH_DATA_DIR:-$work/data}
mkdir -p "$data"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "search over HTTP: $postings postings; $(nproc) cores; load average $(load)"
if [ ! -f "$data/jobtrack.db" ]; then
	./build-bench/bench/postings_fill "$postings" "sqlite:$data/jobtrack.db"
fi

start=$(date +%s.%N)
. bench/serve_lib.sh
bench_serve ./build-bench/jobtrack "$data" "$work/log"
token=$(bench_token "bench-$$-$(date +%s)@example.com")
# Timings wait until the index holds every posting (it is built on a thread
# at start), so they do not measure a machine busy building it.
until curl -fsS -H "authorization: Bearer $token" "$base/api/v1/postings?status=all&sort=date&limit=1" 2>/dev/null |
	grep -q "\"total\":$postings,"; do
	sleep 1
done
printf 'search index holds all %s postings %.0f s after start; server RSS %s MiB\n' "$postings" \
	"$(echo "$(date +%s.%N) - $start" | bc -l)" "$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))"
# The server has more start-up work on other threads (best matches cache
# every posting's scan terms in the store, word weights): on 2 cores it
# would share the machine with the timed requests. Wait until it idles
# (under 5 % of a core over 5 s), at most JT_BENCH_IDLE_WAIT seconds.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
waited=0
while [ "$waited" -lt "${JT_BENCH_IDLE_WAIT:-1800}" ]; do
	t0=$(ticks)
	sleep 5
	waited=$((waited + 5))
	[ $(($(ticks) - t0)) -le $((hz / 4)) ] && break
done
printf 'server idle after %s s more (%s)\n' "$waited" \
	"$(grep -o '"msg":"\(cached the scan terms\|word weights\)[^"]*"' "$work/log" | tr '\n' ' ')"

./build-bench/bench/search_bench --print-queries >"$work/queries"
perf_pid=
if [ -n "${JT_BENCH_PERF:-}" ]; then
	perf record -g -o "$JT_BENCH_PERF" -p "$pid" >/dev/null 2>&1 &
	perf_pid=$!
	sleep 1
fi
echo "over HTTP (load average $(load) before):"
node bench/search_http.mjs "$base" "$token" "$rounds" <"$work/queries"
echo "load average after: $(load)"
if [ -n "$perf_pid" ]; then
	kill -INT "$perf_pid"
	wait "$perf_pid" || true
fi
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

[ -n "${JT_BENCH_NO_INPROCESS:-}" ] && exit 0
echo "in process (search_bench --ours-only, its own copy of the corpus; load average $(load) before):"
./build-bench/bench/search_bench --docs "$postings" --ours-only --rounds "$rounds" --dir "$work"
echo "load average after: $(load)"
