#!/usr/bin/env bash
# Builds jobtrack twice (optimised, and with ASan + UBSan) and runs every test:
# the source checks, the cmocka unit suites on both builds, the HTTP suite
# against both servers, and the browser suite in headless Chromium.
# Ends with one line: "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

bash scripts/setup.sh >/dev/null || { echo "setup failed: run scripts/setup.sh to see why"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
logdir=$(mktemp -d)

count_cmocka() { # log file
	local p f
	p=$(grep -ho '\[  PASSED  \] [0-9]* test' "$1" | awk '{s+=$4} END {print s+0}')
	f=$(grep -ho '\[  FAILED  \] [0-9]* test' "$1" | awk '{s+=$4} END {print s+0}')
	passed=$((passed + p))
	failed=$((failed + f))
	echo "  unit: $p passed, $f failed"
}

count_node() { # log file, exit status
	local p f
	p=$(grep -E '^# pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
	f=$(grep -E '^# (fail|cancelled) [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	echo "  $p passed, $f failed"
}

check() { # name, command...
	local name=$1
	shift
	if "$@" >"$logdir/$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "  $name: ok"
	else
		failed=$((failed + 1))
		echo "  $name: FAILED"
		sed 's/^/    /' "$logdir/$name.log" | head -40
	fi
}

echo "== source checks"
check banned-functions bash scripts/check-banned.sh
check clang-format bash scripts/check-format.sh

build() { # dir, extra meson args...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$logdir/setup-$(basename "$dir").log" 2>&1 || { cat "$logdir/setup-$(basename "$dir").log"; return 1; }
	fi
	ninja -C "$dir" >"$logdir/ninja-$(basename "$dir").log" 2>&1 || { tail -40 "$logdir/ninja-$(basename "$dir").log"; return 1; }
}

echo "== build (optimised)"
if build build; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "build failed"; fi
echo "== build (ASan + UBSan)"
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "sanitizer build failed"
fi

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

for dir in build build-asan; do
	[ -x "$dir/jobtrack" ] || continue
	echo "== unit tests ($dir)"
	meson test -C "$dir" --print-errorlogs >"$logdir/unit-$dir.log" 2>&1
	count_cmocka "$dir/meson-logs/testlog.txt"
	# A suite that crashed (a sanitizer abort, a timeout) prints no cmocka
	# summary; count each such suite as one failure.
	suites_failed=$(awk '/^Fail:/ {print $2}' "$logdir/unit-$dir.log")
	suites_timeout=$(awk '/^Timeout:/ {print $2}' "$logdir/unit-$dir.log")
	summaries=$(grep -c '\[  FAILED  \] [0-9]* test' "$dir/meson-logs/testlog.txt")
	crashed=$(( ${suites_failed:-0} + ${suites_timeout:-0} - summaries ))
	if [ "$crashed" -gt 0 ]; then failed=$((failed + crashed)); fi
	if [ "${suites_failed:-0}" -gt 0 ] || [ "${suites_timeout:-0}" -gt 0 ]; then
		grep -E "FAIL|ERROR|TIMEOUT" "$logdir/unit-$dir.log" | head -20
	fi
done

for dir in build build-asan; do
	[ -x "$dir/jobtrack" ] || continue
	echo "== HTTP tests against $dir/jobtrack"
	(cd tests && JOBTRACK_BIN="$here/$dir/jobtrack" node --test --test-concurrency=1 http/) >"$logdir/http-$dir.log" 2>&1
	status=$?
	count_node "$logdir/http-$dir.log" $status
	[ $status -eq 0 ] || grep -E "^not ok|# Subtest|Error|expected|actual" "$logdir/http-$dir.log" | head -60
done

if [ -x build/jobtrack ]; then
	echo "== browser tests (headless Chromium)"
	(cd tests && JOBTRACK_BIN="$here/build/jobtrack" node --test --test-concurrency=1 browser/) >"$logdir/browser.log" 2>&1
	status=$?
	count_node "$logdir/browser.log" $status
	[ $status -eq 0 ] || grep -E "^not ok|Error|expected|actual" "$logdir/browser.log" | head -60
fi

echo "logs: $logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
