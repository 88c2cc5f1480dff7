#!/usr/bin/env bash
# Follow-ups due over HTTP (issue 9, see BENCHMARKS.md): a server on a fresh
# SQLite store, one user given N applications by CSV import (three in five
# "applied" on a day of the last year, one in five with a follow-up date),
# then timed with curl, median of `rounds`:
#   GET /api/v1/reminders?days=365   the due list the reminder task and the
#                                    page work from (every application read)
#   GET /api/v1/applications?status=applied&per_page=200
#                                    what a script would otherwise fetch to
#                                    work the dates out itself (one page of N/200)
#   GET /applications                the list page, with its follow-ups section
# usage: bench/reminders.sh [N, default 5000] [rounds, default 5]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
n=${1:-5000}
rounds=${2:-5}
ninja -C build jobtrack >/dev/null

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
creds='{"email":"bench@example.com","password":"correct horse battery"}'
curl -fsS "${json[@]}" -d "$creds" "$base/api/v1/auth/signup" >/dev/null
token=$(curl -fsS "${json[@]}" -d "$creds" "$base/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
auth=(-H "authorization: Bearer $token")

python3 - "$n" >"$work/apps.csv" <<'PY'
import datetime, random, sys
random.seed(9)
n = int(sys.argv[1])
today = datetime.date.today()
print("company,position,status,applied_on,follow_up_on")
for i in range(n):
    status = random.choice(["applied", "applied", "applied", "interviewing", "rejected"])
    applied = today - datetime.timedelta(days=random.randrange(365))
    follow = today + datetime.timedelta(days=random.randrange(-30, 30)) if random.random() < 0.2 else None
    print(f"Company {i},Engineer,{status},{applied},{follow or ''}")
PY
curl -fsS -o /dev/null "${auth[@]}" -H 'content-type: text/csv' --data-binary "@$work/apps.csv" \
	"$base/api/v1/applications/import"
due=$(curl -fsS "${auth[@]}" "$base/api/v1/reminders?days=365" | grep -o '"application_id"' | wc -l)
echo "$n applications imported; $due follow-ups due within a year"

# The list page needs a session: log in as a browser does.
jar="$work/cookies"
csrf=$(curl -fsS -c "$jar" "$base/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode email=bench@example.com \
	--data-urlencode "password=correct horse battery" "$base/login"

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }
time_it() {
	local label=$1
	shift
	local t=()
	for _ in $(seq "$rounds"); do t+=("$(curl -fsS -o /dev/null -w '%{time_total}' "$@")"); done
	printf '%-58s median %s ms (%s rounds)\n' "$label" "$(median "${t[@]}")" "$rounds"
}
time_it "GET /api/v1/reminders?days=365" "${auth[@]}" "$base/api/v1/reminders?days=365"
time_it "GET /api/v1/applications?status=applied&per_page=200" "${auth[@]}" \
	"$base/api/v1/applications?status=applied&per_page=200"
time_it "GET /applications (list page + follow-ups section)" -b "$jar" "$base/applications"
