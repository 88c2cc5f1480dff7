#!/usr/bin/env bash
# Tracker benchmark, all on loopback in one run (see BENCHMARKS.md):
#  1. the ceiling: a minimal libmicrohttpd server with a constant JSON body;
#  2. jobtrack: authenticated GET /api/v1/applications returning 50 applications;
#  3. jobtrack: the server-rendered board page of a user with 50 applications;
#  4. jobtrack's resident memory idle and after the runs.
# usage: bench/run.sh [seconds per run, default 10]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
secs=${1:-10}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_SERVER_THREADS:-2}
command -v wrk >/dev/null || bash scripts/setup.sh
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench jobtrack bench/ceiling >/dev/null

data=$(mktemp -d)
jt2=
cleanup() { kill "$jt" "$ceil" $jt2 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

./build-bench/bench/ceiling 18091 "$threads" & ceil=$!
./build-bench/jobtrack serve --listen 127.0.0.1:18090 --data-dir "$data" --threads "$threads" --log-level warn & jt=$!
sleep 0.5
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
idle_rss=$(rss "$jt")

base=http://127.0.0.1:18090
curl -sf -X POST "$base/api/v1/auth/signup" -H 'Content-Type: application/json' \
	-d '{"email":"bench@example.com","password":"bench password"}' >/dev/null
token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
	-d '{"email":"bench@example.com","password":"bench password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
statuses=(saved applied screening interviewing offer accepted rejected withdrawn ghosted)
for i in $(seq 1 50); do
	st=${statuses[$((i % 9))]}
	curl -sf -X POST "$base/api/v1/applications" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d "{\"company\":\"Company $i\",\"position\":\"Senior Engineer $i\",\"location\":\"Berlin, Remote\",\"status\":\"$st\",\"salary_min\":90000,\"salary_max\":120000,\"salary_currency\":\"EUR\",\"salary_period\":\"year\",\"tags\":[\"c\",\"remote\"],\"priority\":$((i % 6)),\"notes\":\"Referred by a friend; follow up after the first call.\"}" >/dev/null
done
# A browser session for the board page.
jar=$data/cookies
curl -sf -c "$jar" -b "$jar" "$base/login" -o "$data/login.html"
csrf=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' "$data/login.html" | head -1)
curl -sf -c "$jar" -b "$jar" -X POST "$base/login" --data-urlencode "_csrf=$csrf" \
	--data-urlencode "email=bench@example.com" --data-urlencode "password=bench password" -o /dev/null
session=$(awk '$6=="jt_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "could not log in for the board benchmark"; exit 1; }
items=$(curl -sf "$base/api/v1/applications?per_page=50" -H "Authorization: Bearer $token" | grep -o '"id":' | wc -l)
board_bytes=$(curl -sf "$base/board" -H "Cookie: jt_session=$session" | wc -c)
echo "setup: $items applications in the API response; board page is $board_bytes bytes"
# A second process on the same database with the listing cache off measures
# the uncached path (and that processes share one store).
./build-bench/jobtrack serve --listen 127.0.0.1:18092 --data-dir "$data" --threads "$threads" --log-level warn \
	--response-cache-mb 0 & jt2=$!
sleep 0.5

run() { # name url header...
	local name=$1 url=$2
	shift 2
	local out
	out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url")
	local rps p99
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1=="99%" {print $2}')
	local errs
	errs=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	printf '%-46s %12s req/s   p99 %8s%s\n' "$name" "$rps" "$p99" "${errs:+   non-2xx: $errs}"
}

echo "wrk: 2 threads, $conns connections, ${secs}s per run; servers use $threads worker threads"
run "ceiling: constant JSON (minimal MHD server)" "http://127.0.0.1:18091/"
run "jobtrack: GET /api/v1/applications (50, JWT)" "$base/api/v1/applications?per_page=50" -H "Authorization: Bearer $token"
run "jobtrack: same, listing cache off" "http://127.0.0.1:18092/api/v1/applications?per_page=50" \
	-H "Authorization: Bearer $token"
run "jobtrack: GET /board (50 cards, session)" "$base/board" -H "Cookie: jt_session=$session"
after_rss=$(rss "$jt")
awk -v a="$idle_rss" -v b="$after_rss" 'BEGIN {printf "jobtrack RSS: idle %.1f MiB, after the runs %.1f MiB\n", a/1024, b/1024}'
