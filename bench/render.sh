#!/bin/bash
# Rendered crawls (issue 6, browser6): the same small career site twice —
# static/ with its JSON-LD and links in the HTML, js/ where scripts build
# both (bench/render/gen_site.py) — served by Python's http.server on
# loopback, crawled by `jobtrack scrape --seed` plain (static/) and with
# --render (js/). Prints pages/s, postings found, and the CPU time and peak
# RSS of jobtrack with every Chromium process under it (bench/render/tree.py
# samples the process tree every 100 ms: /usr/bin/time misses Chromium's
# helpers, which Chromium reaps, or which die with it).
#
# usage: bench/render.sh [BUILD_DIR=build] [N_POSTINGS=49] [RENDER_BROWSERS=2]
# needs: /usr/bin/chromium, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-49}
browsers=${3:-2}
work=$(mktemp -d /tmp/jt-render-bench.XXXXXX)
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
[ -x /usr/bin/chromium ] || { echo "render.sh: /usr/bin/chromium is missing (apt install chromium)" >&2; exit 1; }
ninja -C "$build" jobtrack >/dev/null

python3 bench/render/gen_site.py "$work/site" "$n"
port=$((20000 + RANDOM % 20000))
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >"$work/http.log" 2>&1) &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/static/index.html" >/dev/null && break; sleep 0.1; done

echo "site: a listing and $n job pages, each way; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %6s %7s %8s %12s %10s %9s\n' crawl pages found seconds pages/s "CPU s" "peak RSS"
for mode in static js; do
	flags=()
	[ "$mode" = js ] && flags=(--render --render-browsers "$browsers")
	python3 bench/render/tree.py "$work/$mode.json" "$work/$mode.usage" \
		"$build/jobtrack" scrape --seed "http://127.0.0.1:$port/$mode/" --max-pages $((n + 10)) --delay 0 \
		--dry-run --json --data-dir "$work/data" "${flags[@]}"
	python3 - "$work/$mode.json" "$work/$mode.usage" "$mode" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
secs, cpu, rss = (float(x) for x in open(sys.argv[2]).read().split())
name = "plain (static/)" if sys.argv[3] == "static" else "--render (js/)"
print("%-28s %6d %7d %8.1f %12.1f %10.2f %6.0f MiB" % (name, run["pages"], run["found"], secs,
      run["pages"] / secs, cpu, rss / 1024))
if run["status"] != "ok":
    print("  status %s: %s" % (run["status"], run["message"]))
EOF
done
