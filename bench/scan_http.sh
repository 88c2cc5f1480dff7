#!/usr/bin/env bash
# Resume scans over HTTP (issue 7, see BENCHMARKS.md): a server on a fresh
# SQLite store, one user; a 2-page PDF resume uploaded (read through, then
# encrypted and kept), then scanned against a pasted job description
# (decrypt, extract, analyse, score, ATS checks, history row) and its
# profile read, the scan read back plain and with its terms marked (GET
# /api/v1/scans/{id}/marks: decrypt, extract, locate the terms in the resume
# and the job), each timed with curl; beside it the same scan by the CLI,
# `jobtrack scan FILE --job FILE`, a process per scan (what a script would
# otherwise run).
# usage: bench/scan_http.sh [rounds, default 50]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
rounds=${1:-50}
ninja -C build jobtrack >/dev/null
resume=tests/fixtures/resumes/electrician-header-footer.pdf

work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
cat >"$work/job.txt" <<'JOB'
Journeyman Electrician
Requirements:
- 5+ years of commercial and industrial electrical installation
- Blueprint reading, National Electrical Code, conduit bending
- OSHA 30 and a valid journeyman license
Nice to have:
- PLC programming, fire alarm systems, solar installation
JOB
./build/jobtrack serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q '(port ' "$work/log" && break; sleep 0.1; done
port=$(grep -o '(port [0-9]*' "$work/log" | head -1 | cut -d' ' -f2)
base="http://127.0.0.1:$port"
json=(-H 'content-type: application/json')
curl -fsS "${json[@]}" -d '{"email":"bench@example.com","password":"correct horse battery"}' "$base/api/v1/auth/signup" >/dev/null
token=$(curl -fsS "${json[@]}" -d '{"email":"bench@example.com","password":"correct horse battery"}' \
	"$base/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
auth=(-H "authorization: Bearer $token")
python3 -c 'import json,sys; print(json.dumps({"job_text": open(sys.argv[1]).read()}))' "$work/job.txt" >"$work/scan.json"

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }
upload=() scan=() profile=() cli=() get=() marks=()
for _ in $(seq "$rounds"); do
	upload+=("$(curl -fsS -o "$work/up.json" -w '%{time_total}' "${auth[@]}" -F "file=@$resume" "$base/api/v1/resumes")")
done
id=$(sed 's/^{"id":\([0-9]*\).*/\1/' "$work/up.json")
for _ in $(seq "$rounds"); do
	scan+=("$(curl -fsS -o "$work/scan.out" -w '%{time_total}' "${auth[@]}" "${json[@]}" \
		--data-binary "@$work/scan.json" "$base/api/v1/scans")")
	sid=$(sed 's/^{"id":\([0-9]*\).*/\1/' "$work/scan.out")
	get+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/scans/$sid")")
	marks+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/scans/$sid/marks")")
	profile+=("$(curl -fsS -o /dev/null -w '%{time_total}' "${auth[@]}" "$base/api/v1/resumes/$id")")
	start=$(date +%s.%N)
	./build/jobtrack scan "$resume" --job "$work/job.txt" --json >/dev/null
	cli+=("$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')")
done
printf 'POST /api/v1/resumes (2-page PDF)   median %s ms\n' "$(median "${upload[@]}")"
printf 'POST /api/v1/scans (pasted job)     median %s ms\n' "$(median "${scan[@]}")"
printf 'GET /api/v1/resumes/{id} (profile)  median %s ms\n' "$(median "${profile[@]}")"
printf 'GET /api/v1/scans/{id}              median %s ms\n' "$(median "${get[@]}")"
printf 'GET /api/v1/scans/{id}/marks        median %s ms\n' "$(median "${marks[@]}")"
printf 'jobtrack scan FILE --job FILE       median %s ms (a process per scan)\n' "$(median "${cli[@]}")"
echo "($rounds rounds each)"
