#!/usr/bin/env bash
# "New since you last looked" counts (issue 8; figures in BENCHMARKS.md,
# "Saved searches"): one user with 20 saved searches over a generated corpus,
# counted by jobtrack's index and by a plain SQLite FTS5 table with a
# first_seen column, in one run (bench/saved_search/saved_search_bench.c).
# usage: bench/saved_search.sh [POSTINGS=200000] [--rounds N]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
docs=${1:-200000}
shift || true
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench bench/saved_search_bench >/dev/null
work=$(mktemp -d /tmp/jt-saved-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "saved-search benchmark: $docs postings, 20 saved searches; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
./build-bench/bench/saved_search_bench --docs "$docs" --dir "$work" "$@"
