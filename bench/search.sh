#!/usr/bin/env bash
# The search benchmark (issue 8; figures in BENCHMARKS.md, "Search"): the
# search engine (src/search) against a plain SQLite FTS5 table ranked by
# bm25() and PostgreSQL tsvector + GIN ranked by ts_rank, on one generated
# corpus and one fixed mix of queries, in one run: build time, size, p50 /
# p99 of the first page in process, and whether the three return the same
# matches (bench/search/search_bench.c says what each side computes).
# PostgreSQL is a throwaway local cluster (scripts/pg-test-cluster.sh, with
# fsync on as a real server runs); --no-pg leaves it out. JT_BENCH_TMP names
# the folder for the working files (default /tmp): the FTS5 file and the
# PostgreSQL cluster, several GB at 1,000,000 postings.
# usage: bench/search.sh [POSTINGS=200000] [--no-pg] [search_bench options…]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
docs=${1:-200000}
shift || true
pg=1
if [ "${1:-}" = --no-pg ]; then
	pg=0
	shift
fi
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench bench/search_bench >/dev/null

work=$(mktemp -d "${JT_BENCH_TMP:-/tmp}/jt-search-bench.XXXXXX")
chmod 755 "$work" # the postgres user must reach the cluster inside
cleanup() {
	[ "$pg" = 0 ] || PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

args=(--docs "$docs" --dir "$work")
if [ "$pg" = 1 ]; then
	url=$(PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh start "$work/pg")
	args+=(--pg "$url")
fi
echo "search benchmark: $docs postings; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
./build-bench/bench/search_bench "${args[@]}" "$@"
