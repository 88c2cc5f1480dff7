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
# usage: [JT_BENCH_BASELINE=OTHER_JOBTRACK] bench/search_http.sh [POSTINGS=200000] [ROUNDS=10]
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
pids=()
cleanup() {
	for p in "${pids[@]}" $pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "search over HTTP: $postings postings; $(nproc) cores; load average $(load)"
if [ ! -f "$data/jobtrack.db" ]; then
	./build-bench/bench/postings_fill "$postings" "sqlite:$data/jobtrack.db"
fi

# One server, or with JT_BENCH_BASELINE=BIN a second one of another build
# (the code before a change) on the same store beside it: both are timed
# under the same load, in turns.
. bench/serve_lib.sh
bins=(./build-bench/jobtrack)
names=(this)
if [ -n "${JT_BENCH_BASELINE:-}" ]; then
	bins+=("$JT_BENCH_BASELINE")
	names+=(baseline)
fi
pids=() bases=() tokens=()
start=$(date +%s.%N)
for i in "${!bins[@]}"; do
	bench_serve "${bins[$i]}" "$data" "$work/log$i"
	pids+=("$pid") bases+=("$base")
	tokens+=("$(bench_token "bench-$$-$i-$(date +%s)@example.com")")
done
pid=
# Timings wait until each index holds every posting (it is built on a
# thread at start), so they do not measure a machine busy building it.
for i in "${!bins[@]}"; do
	until curl -fsS -H "authorization: Bearer ${tokens[$i]}" \
		"${bases[$i]}/api/v1/postings?status=all&sort=date&limit=1" 2>/dev/null | grep -q "\"total\":$postings,"; do
		sleep 1
	done
	printf '%s: search index holds all %s postings %.0f s after start; server RSS %s MiB\n' "${names[$i]}" \
		"$postings" "$(echo "$(date +%s.%N) - $start" | bc -l)" \
		"$(($(awk '/VmRSS/ {print $2}' "/proc/${pids[$i]}/status") / 1024))"
done
# A server has more start-up work on other threads (best matches cache
# every posting's scan terms in the store, word weights): on 2 cores it
# would share the machine with the timed requests. Wait until they idle
# (under 5 % of a core over 5 s), at most JT_BENCH_IDLE_WAIT seconds.
ticks() {
	local t=0
	for p in "${pids[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
	echo "$t"
}
hz=$(getconf CLK_TCK)
waited=0
while [ "$waited" -lt "${JT_BENCH_IDLE_WAIT:-1800}" ]; do
	t0=$(ticks)
	sleep 5
	waited=$((waited + 5))
	[ $(($(ticks) - t0)) -le $((hz / 4)) ] && break
done
printf 'servers idle after %s s more (%s)\n' "$waited" \
	"$(cat "$work"/log* | grep -o '"msg":"\(cached the scan terms\|word weights\)[^"]*"' | tr '\n' ' ')"

./build-bench/bench/search_bench --print-queries >"$work/queries"
perf_pid=
if [ -n "${JT_BENCH_PERF:-}" ]; then
	perf record -g -o "$JT_BENCH_PERF" -p "${pids[0]}" >/dev/null 2>&1 &
	perf_pid=$!
	sleep 1
fi
# In turns: each server ROUNDS rounds, then again.
for pass in 1 2; do
	for i in "${!bins[@]}"; do
		echo "over HTTP: ${names[$i]} (${bins[$i]}), pass $pass, load average $(load) before:"
		node bench/search_http.mjs "${bases[$i]}" "${tokens[$i]}" "$rounds" <"$work/queries"
	done
done
echo "load average after: $(load)"
if [ -n "$perf_pid" ]; then
	kill -INT "$perf_pid"
	wait "$perf_pid" || true
fi
for p in "${pids[@]}"; do
	kill "$p"
	wait "$p" 2>/dev/null || true
done
pids=()

[ -n "${JT_BENCH_NO_INPROCESS:-}" ] && exit 0
echo "in process (search_bench --ours-only, its own copy of the corpus; load average $(load) before):"
./build-bench/bench/search_bench --docs "$postings" --ours-only --rounds "$rounds" --dir "$work"
echo "load average after: $(load)"
