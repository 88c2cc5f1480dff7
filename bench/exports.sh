#!/usr/bin/env bash
# Exports and backups over HTTP and the CLI (issue 9, see BENCHMARKS.md): a
# server on a fresh SQLite store, one user given N applications with their
# timelines (bench/analytics/analytics_bench), then timed with curl: the
# applications as CSV and as XLSX, the JSON backup, and importing that
# backup into a second user; then `jobtrack backup export|import` with
# their peak memory (GNU time), beside `sqlite3 .dump` of the whole
# database, which is what one would otherwise copy (every user, no files).
# usage: bench/exports.sh [N, default 5000] [rounds, default 3]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
n=${1:-5000}
rounds=${2:-3}
ninja -C build jobtrack bench/analytics_bench >/dev/null

work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
./build/jobtrack serve --listen 127.0.0.1:0 --data-dir "$work" >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q '(port ' "$work/log" && break; sleep 0.1; done
port=$(grep -o '(port [0-9]*' "$work/log" | head -1 | cut -d' ' -f2)
base="http://127.0.0.1:$port"
json=(-H 'content-type: application/json')
token_of() {
	curl -fsS "${json[@]}" -d "{\"email\":\"$1\",\"password\":\"correct horse battery\"}" "$base/api/v1/auth/signup" >/dev/null
	curl -fsS "${json[@]}" -d "{\"email\":\"$1\",\"password\":\"correct horse battery\"}" "$base/api/v1/auth/token" |
		sed 's/.*"token":"\([^"]*\)".*/\1/'
}
token=$(token_of bench@example.com)
auth=(-H "authorization: Bearer $token")
JT_BENCH_EMAIL=bench@example.com ./build/bench/analytics_bench "$n" "sqlite:$work/jobtrack.db" >/dev/null 2>&1

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]*1000}'; }
timed_get() { # path → "median ms, size"
	local t=() size=0
	for _ in $(seq "$rounds"); do
		t+=("$(curl -fsS -o "$work/out" -w '%{time_total}' "${auth[@]}" "$base$1")")
		size=$(stat -c %s "$work/out")
	done
	printf '%-28s median %6s ms  %8s KiB\n' "GET $1" "$(median "${t[@]}")" "$((size / 1024))"
}
echo "N = $n applications (with their timelines), $rounds rounds"
timed_get /api/v1/applications.csv
timed_get /api/v1/applications.xlsx
timed_get /api/v1/backup
cp "$work/out" "$work/backup.json"

t=()
for i in $(seq "$rounds"); do
	other=$(token_of "restore$i@example.com")
	t+=("$(curl -fsS -o /dev/null -w '%{time_total}' -H "authorization: Bearer $other" "${json[@]}" \
		--data-binary @"$work/backup.json" "$base/api/v1/backup/import")")
done
printf '%-28s median %6s ms\n' "POST /api/v1/backup/import" "$(median "${t[@]}")"

kill "$pid" && wait "$pid" 2>/dev/null || true
pid=
peak() { grep 'Maximum resident' "$1" | awk '{printf "%.1f MiB", $NF/1024}'; }
/usr/bin/time -v ./build/jobtrack backup export --user bench@example.com --file "$work/cli.json" --data-dir "$work" \
	2>"$work/time" >/dev/null
printf '%-28s %s, peak RSS %s, %s KiB\n' "jobtrack backup export" \
	"$(grep 'Elapsed' "$work/time" | awk '{print $NF}')" "$(peak "$work/time")" "$(($(stat -c %s "$work/cli.json") / 1024))"
./build/jobtrack user add cli@example.com --data-dir "$work" <<<"correct horse battery" >/dev/null
/usr/bin/time -v ./build/jobtrack backup import --user cli@example.com --file "$work/cli.json" --data-dir "$work" \
	2>"$work/time" >/dev/null
printf '%-28s %s, peak RSS %s\n' "jobtrack backup import" "$(grep 'Elapsed' "$work/time" | awk '{print $NF}')" \
	"$(peak "$work/time")"
/usr/bin/time -v sqlite3 "$work/jobtrack.db" .dump 2>"$work/time" >"$work/dump.sql"
printf '%-28s %s, peak RSS %s, %s KiB (every user, %s applications)\n' "sqlite3 .dump (whole db)" \
	"$(grep 'Elapsed' "$work/time" | awk '{print $NF}')" "$(peak "$work/time")" \
	"$(($(stat -c %s "$work/dump.sql") / 1024))" "$(sqlite3 "$work/jobtrack.db" 'select count(*) from applications')"
