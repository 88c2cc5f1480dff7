#!/usr/bin/env bash
# Instructions per request on PostgreSQL, repeatable to about 1 % however busy
# the machine is (wall-clock and CPU-time figures on a shared 2-core machine
# move by ±30 %): jobtrack and a throwaway PostgreSQL cluster both run under
# valgrind --tool=callgrind; jobtrack's counters are zeroed after a warm-up and
# dumped after N requests, and its PostgreSQL backends' (whole lives, from
# their exit) are the difference between a run of N2 and one of N1 requests,
# so connecting and preparing cancel out. Kernel time (system calls) is not
# counted: compare round trips separately. Seeds the same 50 applications as
# bench/store.sh; scenarios: create, list (cache on), nocache (the same
# listing with the response cache off), miss (the same, but each request
# asks for another page size, so no page is ever remembered either: the
# cost of a listing with nothing remembered), board, patch (an edit of
# one application's notes), changed (that edit and then the listing: less
# patch, the first listing after a change), run in order on one database
# (so name create last: it adds applications).
# usage: bench/store_instructions.sh [jobtrack binary] scenario... [-- extra.sql...]
#   (N1, N2 in the environment: requests per run, default 10 and 60;
#   PORT the port jobtrack listens on, default 19950; STORE=sqlite counts
#   the same requests on SQLite, where all the work is jobtrack's: the
#   postgres column is then 0; PEER=1 runs another jobtrack on the same
#   database meanwhile; CG_DIR keeps jobtrack's callgrind files there,
#   PG_CG_DIR the PostgreSQL processes')
set -eo pipefail
bin=${1:-}; if [ -x "$bin" ] && [ ! -d "$bin" ]; then shift; else bin=$PWD/build-bench/jobtrack; fi
N1=${N1:-10}; N2=${N2:-60}
scen=(); sqls=()
while [ $# -gt 0 ]; do [ "$1" = -- ] && { shift; sqls=("$@"); break; }; scen+=("$1"); shift; done
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || { echo "needs valgrind" >&2; exit 1; }
[ "$bin" != "$PWD/build-bench/jobtrack" ] || { [ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null; ninja -C build-bench jobtrack >/dev/null; }
w=$(mktemp -d); chmod 755 $w
bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/postgres" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { [ -n "${KEEP:-}" ] && return; [ -n "${jt:-}" ] && kill $jt 2>/dev/null; [ -n "${peer:-}" ] && kill $peer 2>/dev/null; sleep 0.5
  as_postgres $bindir/pg_ctl -D $w/pg/data -m immediate -w stop >/dev/null 2>&1 || true; sleep 1
  [ -z "${PG_CG_DIR:-}" ] || cp $w/pg/cg.* "$PG_CG_DIR"/ 2>/dev/null || true; rm -rf $w 2>/dev/null || true; }
trap cleanup EXIT
mkdir -p $w/pg $w/d; [ "$(id -u)" -ne 0 ] || chown postgres: $w/pg
if [ "${STORE:-postgres}" = sqlite ]; then url="sqlite:$w/d/jobtrack.db"; sqls=(); else
as_postgres $bindir/initdb -D $w/pg/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres bash -c "valgrind --tool=callgrind -q --callgrind-out-file=$w/pg/cg.%p $bindir/postgres -D $w/pg/data -c listen_addresses='' -c unix_socket_directories='$w/pg' -c synchronous_commit=off -c max_connections=50 -c autovacuum=off >$w/pg/server.log 2>&1 &"
for _ in $(seq 1 300); do psql -q "postgres://postgres@/postgres?host=$w/pg" -c 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
psql -q "postgres://postgres@/postgres?host=$w/pg" -c 'CREATE DATABASE b' >/dev/null
url="postgres://postgres@/b?host=$w/pg"
fi
port=${PORT:-19950}; base=http://127.0.0.1:$port
mkdir -p $w/d
start() { # valgrind? extra args
  if [ "$1" = 1 ]; then shift; valgrind --tool=callgrind -q --callgrind-out-file=$w/jt.%p $bin serve --listen 127.0.0.1:$port --data-dir $w/d --database-url "$url" --threads 1 --log-level warn "$@" >>$w/srv.log 2>&1 & jt=$!
  else shift; $bin serve --listen 127.0.0.1:$port --data-dir $w/d --database-url "$url" --threads 1 --log-level warn "$@" >>$w/srv.log 2>&1 & jt=$!; fi
  for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done; }
stop() { kill $jt; wait $jt 2>/dev/null || true; jt=; }
start 0
for f in "${sqls[@]}"; do psql -q "$url" -f $f >/dev/null; done
curl -sf -X POST "$base/api/v1/auth/signup" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"bench password"}' >/dev/null
token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"bench password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
statuses=(saved applied screening interviewing offer accepted rejected withdrawn ghosted)
for i in $(seq 1 50); do
  curl -sf -X POST "$base/api/v1/applications" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
   -d "{\"company\":\"Company $i\",\"position\":\"Senior Engineer $i\",\"location\":\"Berlin, Remote\",\"status\":\"${statuses[$((i % 9))]}\",\"salary_min\":90000,\"salary_max\":120000,\"salary_currency\":\"EUR\",\"salary_period\":\"year\",\"tags\":[\"c\",\"remote\"],\"priority\":$((i % 6)),\"notes\":\"Referred by a friend; follow up after the first call.\"}" >/dev/null
done
jar=$w/d/cookies
curl -sf -c "$jar" -b "$jar" "$base/login" -o "$w/d/login.html"
csrf=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' "$w/d/login.html" | head -1)
curl -sf -c "$jar" -b "$jar" -X POST "$base/login" --data-urlencode "_csrf=$csrf" --data-urlencode "email=bench@example.com" --data-urlencode "password=bench password" -o /dev/null
session=$(awk '$6=="jt_session" {print $7}' "$jar")
first_id=$(curl -sf "$base/api/v1/applications?per_page=1" -H "Authorization: Bearer $token" | sed 's/^[^0-9]*"id":\([0-9]*\).*/\1/')
stop
body='{"company":"Bench Co","position":"Engineer","location":"Remote","status":"applied","salary_min":90000,"salary_max":120000,"salary_currency":"EUR","salary_period":"year","tags":["bench","remote"],"notes":"created by bench/create_app.lua"}'
req() { case $1 in
  create) curl -sf -o /dev/null -X POST "$base/api/v1/applications" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body";;
  list|nocache) curl -sf -o /dev/null "$base/api/v1/applications?per_page=50" -H "Authorization: Bearer $token";;
  miss) sizes=$((sizes + 1)); curl -sf -o /dev/null "$base/api/v1/applications?per_page=$((50 + sizes))" -H "Authorization: Bearer $token";;
  board) curl -sf -o /dev/null "$base/board" -H "Cookie: jt_session=$session";;
  patch) edits=$((edits + 1)); curl -sf -o /dev/null -X PATCH "$base/api/v1/applications/$first_id" -H "Authorization: Bearer $token" \
     -H 'Content-Type: application/json' -d "{\"notes\":\"edit $edits\"}";;
  changed) req patch; req list;;
esac; }
pgsum() { python3 -c '
import glob,sys
t=0
for f in glob.glob(sys.argv[1]+"/pg/cg.*"):
    for l in open(f):
        if l.startswith(("summary:","totals:")): t+=int(l.split()[1]); break
print(t)' $w; }
# PEER=1: another jobtrack (not counted) serves the same database meanwhile,
# so that the counted one runs as instances sharing a database do (on
# PostgreSQL, one round trip per request to see the other's changes).
if [ -n "${PEER:-}" ]; then
  $bin serve --listen 127.0.0.1:$((port + 1)) --data-dir $w/d --database-url "$url" --threads 1 --log-level warn >>$w/srv.log 2>&1 & peer=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$((port + 1))/healthz" >/dev/null && break; sleep 0.1; done
fi
for s in "${scen[@]}"; do
  extra=(); case $s in nocache|miss|patch|changed) extra=(--response-cache-mb 0);; esac
  declare -A pgI jtI
  for n in $N1 $N2; do
    before=$(pgsum)
    start 1 "${extra[@]}"
    sleep 1.2 # past a new process's wait for other processes' answers (src/store/postgres/cache.c)
    for i in 1 2 3; do req $s; done
    callgrind_control -z $jt >/dev/null 2>&1
    for i in $(seq 1 $n); do req $s; done
    callgrind_control -d $jt >/dev/null 2>&1
    jtI[$n]=$(awk '/^(summary|totals):/ {print $2; exit}' $(ls -t $w/jt.$jt.* | head -1))
    stop; sleep 1.5
    pgI[$n]=$(( $(pgsum) - before ))
    [ -z "${CG_DIR:-}" ] || cp $w/jt.* "$CG_DIR"/ 2>/dev/null || true
    rm -f $w/jt.*
  done
  awk -v s=$s -v n=$N2 -v j=${jtI[$N2]} -v p1=${pgI[$N1]} -v p2=${pgI[$N2]} -v d=$((N2-N1)) 'BEGIN{printf "%-8s jobtrack %8.1f kIr/req   postgres %8.1f kIr/req   total %8.1f\n", s, j/n/1e3, (p2-p1)/d/1e3, (j/n+(p2-p1)/d)/1e3}'
done
