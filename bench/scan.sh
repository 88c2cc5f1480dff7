#!/usr/bin/env bash
# The resume scanner's ranking benchmark (figures in BENCHMARKS.md, "Best
# matches from the store"): one resume ranked over POSTINGS generated
# postings, the top 50 with full breakdowns, three ways side by side:
#   - end to end: every description read from scratch for the ranking (what
#     ranking without a cache costs; bench/scan/scan_bench.c, in memory);
#   - cached in memory: the postings' terms already extracted (the floor);
#   - from the store: the postings ingested into a fresh SQLite store (and a
#     PostgreSQL one unless --no-pg), their terms cached there once, then
#     ranked through scan/best.h as `serve` and `jobtrack scan --best` do,
#     cold (store just opened) and warm.
# PostgreSQL is a throwaway local cluster (scripts/pg-test-cluster.sh).
# usage: bench/scan.sh [POSTINGS=10000] [--no-pg] [scan_bench options…]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
n=${1:-10000}
shift || true
pg=1
if [ "${1:-}" = --no-pg ]; then
	pg=0
	shift
fi
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench bench/scan/scan_bench >/dev/null

work=$(mktemp -d /tmp/jt-scan-bench.XXXXXX)
chmod 755 "$work" # the postgres user must reach the cluster inside
cleanup() {
	[ "$pg" = 0 ] || PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "scan benchmark: $n postings; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== in memory (end to end, and terms cached in memory)"
./build-bench/bench/scan/scan_bench --postings "$n" --runs 3 "$@"
echo "== from the store: SQLite"
./build-bench/bench/scan/scan_bench --postings "$n" --runs 3 --store "sqlite:$work/jobtrack.db" "$@" 2>/dev/null
if [ "$pg" = 1 ]; then
	url=$(PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh start "$work/pg")
	echo "== from the store: PostgreSQL"
	./build-bench/bench/scan/scan_bench --postings "$n" --runs 3 --store "$url" "$@" 2>/dev/null
fi
