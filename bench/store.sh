#!/usr/bin/env bash
# The store backends side by side, in one run (see BENCHMARKS.md): the same
# jobtrack binary on SQLite (the embedded default) and on PostgreSQL (a local
# cluster started here), each measured for
#   - GET /api/v1/applications, 50 applications, JWT: listing cache on, and off
#     (another process on the same database with --response-cache-mb 0, alone
#     on it), and both while two processes share the database;
#   - GET /board, 50 cards, session cookie;
#   - PATCH of one application, then the listing it made stale, in turn (the
#     first listing after a change; both requests count);
#   - POST /api/v1/applications (creating an application: a transaction with
#     the application, its tags and its first timeline entry).
# PostgreSQL keeps fsync on and runs with synchronous_commit=off, which matches
# SQLite's WAL with synchronous=NORMAL: a crash can lose the last commits but
# never corrupts the database.
# usage: bench/store.sh [seconds per run, default 8]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
secs=${1:-8}
conns=${BENCH_CONNECTIONS:-16}
threads=${BENCH_SERVER_THREADS:-2}
command -v wrk >/dev/null || bash scripts/setup.sh
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench jobtrack >/dev/null

work=$(mktemp -d)
chmod 755 "$work" # the postgres user must reach the cluster inside
pids=()
cleanup() {
	for p in "${pids[@]}" $second; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

pg_url=$(PG_TEST_DURABLE=1 bash scripts/pg-test-cluster.sh start "$work/pg")
psql -q "$pg_url" -c 'CREATE DATABASE jobtrack_bench' >/dev/null
pg_db=${pg_url/\/postgres\?/\/jobtrack_bench?}

run() { # name url extra-wrk-args...
	local name=$1 url=$2
	shift 2
	local out rps p99 errs
	out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url")
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1=="99%" {print $2}')
	errs=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	printf '  %-44s %10s req/s   p99 %8s%s\n' "$name" "$rps" "$p99" "${errs:+   non-2xx: $errs}"
}

bench_backend() { # label database-url port
	local label=$1 url=$2 port=$3 data="$work/data-$1"
	mkdir -p "$data"
	./build-bench/jobtrack serve --listen "127.0.0.1:$port" --data-dir "$data" --database-url "$url" \
		--threads "$threads" --log-level warn &
	pids+=($!)
	local base=http://127.0.0.1:$port
	for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
	curl -sf -X POST "$base/api/v1/auth/signup" -H 'Content-Type: application/json' \
		-d '{"email":"bench@example.com","password":"bench password"}' >/dev/null
	local token
	token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
		-d '{"email":"bench@example.com","password":"bench password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
	local statuses=(saved applied screening interviewing offer accepted rejected withdrawn ghosted)
	for i in $(seq 1 50); do
		curl -sf -X POST "$base/api/v1/applications" -H "Authorization: Bearer $token" \
			-H 'Content-Type: application/json' \
			-d "{\"company\":\"Company $i\",\"position\":\"Senior Engineer $i\",\"location\":\"Berlin, Remote\",\"status\":\"${statuses[$((i % 9))]}\",\"salary_min\":90000,\"salary_max\":120000,\"salary_currency\":\"EUR\",\"salary_period\":\"year\",\"tags\":[\"c\",\"remote\"],\"priority\":$((i % 6)),\"notes\":\"Referred by a friend; follow up after the first call.\"}" >/dev/null
	done
	local jar=$data/cookies csrf session
	curl -sf -c "$jar" -b "$jar" "$base/login" -o "$data/login.html"
	csrf=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' "$data/login.html" | head -1)
	curl -sf -c "$jar" -b "$jar" -X POST "$base/login" --data-urlencode "_csrf=$csrf" \
		--data-urlencode "email=bench@example.com" --data-urlencode "password=bench password" -o /dev/null
	session=$(awk '$6=="jt_session" {print $7}' "$jar")
	echo "$label"
	run "GET /api/v1/applications (50, JWT)" "$base/api/v1/applications?per_page=50" -H "Authorization: Bearer $token"
	run "GET /board (50 cards, session)" "$base/board" -H "Cookie: jt_session=$session"
	local app_id
	app_id=$(curl -sf "$base/api/v1/applications?per_page=1" -H "Authorization: Bearer $token" |
		sed 's/^[^0-9]*"id":\([0-9]*\).*/\1/')
	BENCH_TOKEN=$token BENCH_APP_ID=$app_id run "PATCH, then GET the listing (in turn)" "$base/" \
		-s bench/edit_then_list.lua
	# A second process on the same database: on PostgreSQL both then read
	# users and sessions from the database on every request, so that each
	# shows the other's changes at once (src/store/postgres/cache.c).
	start_second "$data" "$url" $((port + 1))
	run "listing, a second instance on the database" "$base/api/v1/applications?per_page=50" \
		-H "Authorization: Bearer $token"
	run "same, through the second (listing cache off)" "http://127.0.0.1:$((port + 1))/api/v1/applications?per_page=50" \
		-H "Authorization: Bearer $token"
	stop_second
	# The listing with its cache off, alone on the database: stop the first.
	kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
	pids=("${pids[@]:1}")
	start_second "$data" "$url" $((port + 1))
	run "same, listing cache off (alone)" "http://127.0.0.1:$((port + 1))/api/v1/applications?per_page=50" \
		-H "Authorization: Bearer $token"
	BENCH_TOKEN=$token run "POST /api/v1/applications (create)" "http://127.0.0.1:$((port + 1))/api/v1/applications" \
		-s bench/create_app.lua
	stop_second
}
second=
start_second() { # data url port: jobtrack with the listing cache off
	./build-bench/jobtrack serve --listen "127.0.0.1:$3" --data-dir "$1" --database-url "$2" \
		--threads "$threads" --log-level warn --response-cache-mb 0 &
	second=$!
	for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$3/healthz" >/dev/null && break; sleep 0.1; done
	sleep 1.2 # past a new process's wait for the others' answers (cache.c)
}
stop_second() {
	kill "$second"; wait "$second" 2>/dev/null || true
	second=
}

echo "wrk: 2 threads, $conns connections, ${secs}s per run; servers use $threads worker threads"
bench_backend sqlite "sqlite:$work/data-sqlite/jobtrack.db" 18190
bench_backend postgres "$pg_db" 18290
