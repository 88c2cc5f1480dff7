#!/usr/bin/env bash
# Resume text extraction benchmark (see BENCHMARKS.md, "Resume extraction"):
#  1. generates N two-page resume PDFs (tests/fixtures/resumes/make_fixtures.py --bench,
#     deterministic: the same files every run);
#  2. jobtrack's extraction (src/resume, MuPDF) over all of them in one process,
#     ROUNDS times: pages/s, MB/s and CPU per file, and the time of one extraction;
#  3. pdftotext (poppler-utils) over the same files, one process per file as it
#     works, with its per-process floor (a blank one-page PDF) measured apart, and
#     jobtrack's extraction one process per file the same way, for a like-for-like
#     comparison;
#  4. the resume-matcher sample PDFs from ../shared when present (read only).
# usage: bench/resume/run.sh [N, default 300] [ROUNDS, default 5]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
n=${1:-300}
rounds=${2:-5}
command -v pdftotext >/dev/null || bash scripts/setup.sh
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
ninja -C build-bench bench/resume_text >/dev/null
tool=./build-bench/bench/resume_text

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 tests/fixtures/resumes/make_fixtures.py --bench "$dir/pdf" "$n"
python3 tests/fixtures/resumes/make_fixtures.py "$dir/fx"
files=("$dir"/pdf/*.pdf)
bytes=$(cat "${files[@]}" | wc -c)
echo "== $n two-page PDFs, $bytes bytes ($(pdfinfo "${files[0]}" 2>/dev/null | awk '/^Producer|^Pages/ {printf "%s ", $0}'))"

echo "== jobtrack, in process, $rounds rounds"
"$tool" --bench "$rounds" "${files[@]}"

echo "== one 2-page PDF, 200 times"
"$tool" --bench 200 "${files[0]}" | tail -2

# CPU seconds (user + system) of the children a command line runs.
child_cpu() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
cmd, files = sys.argv[1], sys.argv[2:]
for f in files:
    subprocess.run(cmd.replace("{}", f), shell=True, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print("%.3f %.3f" % (cpu, time.monotonic() - t0))
PY
}

per_process() { # label, command with {} for the file (over files; pages in $pages)
	local label=$1 cmd=$2
	read -r cpu wall < <(child_cpu "$cmd" "${files[@]}")
	read -r fcpu _ < <(child_cpu "$cmd" $(for _ in $(seq 50); do echo "$dir/fx/blank-page.pdf"; done))
	python3 - "$label" "$cpu" "$wall" "$fcpu" "$n" "$bytes" "$pages" <<'PY'
import sys
label, cpu, wall, fcpu, n, b, pages = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
floor = fcpu / 50
net = max(cpu - floor * n, 1e-9)
print("%-34s cpu %.3f s (%.2f ms/file), floor %.2f ms/process; net of the floor: %.0f pages/s, %.2f MB/s"
      % (label, cpu, cpu / n * 1e3, floor * 1e3, pages / net, b / 1e6 / net))
PY
}

pages=$((2 * n))
echo "== one process per file (CPU of the processes)"
per_process "pdftotext (poppler $(pdftotext -v 2>&1 | awk 'NR==1 {print $3}'))" "pdftotext {} -"
per_process "jobtrack resume_text" "$tool {}"

shared=../shared/fixtures/resumes/resume-matcher
if [ -d "$shared" ]; then
	echo "== resume-matcher sample PDFs ($(ls "$shared"/*.pdf | wc -l) files), jobtrack, 20 rounds"
	"$tool" --bench 20 "$shared"/*.pdf
	files=("$shared"/*.pdf)
	n=${#files[@]}
	bytes=$(cat "${files[@]}" | wc -c)
	pages=$(for f in "${files[@]}"; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done | paste -sd+ | bc)
	per_process "pdftotext on them" "pdftotext {} -"
	per_process "jobtrack resume_text on them" "$tool {}"
fi
