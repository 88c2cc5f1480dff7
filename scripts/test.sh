#!/usr/bin/env bash
# Builds jobtrack twice (optimised, and with ASan + UBSan) and runs every test:
# the source checks, the cmocka unit suites on both builds (against SQLite,
# and every suite that uses the store fixture against PostgreSQL too), the
# HTTP suite against both servers on SQLite and the optimised one on
# PostgreSQL, and the browser suite in headless Chromium against the
# optimised server on SQLite and on PostgreSQL. PostgreSQL is a throwaway
# cluster (scripts/pg-test-cluster.sh) removed at the end, however it ends.
# Ends with one line: "N passed, N failed" (", N skipped" when tests skipped).
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

bash scripts/setup.sh >/dev/null || { echo "setup failed: run scripts/setup.sh to see why"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0
logdir=$(mktemp -d)
pgdir=""
pgurl=""

cleanup() {
	if [ -n "$pgdir" ]; then
		bash scripts/pg-test-cluster.sh stop "$pgdir" >/dev/null 2>&1 || echo "could not stop the PostgreSQL cluster in $pgdir"
		pgdir=""
	fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

fail() { # reason: one failure that is not a test's
	failed=$((failed + 1))
	echo "  FAILED: $1"
}

# Every tests/unit/test_NAME.c is a suite NAME that must run on both builds;
# the ones below also run against PostgreSQL.
unit_suites=()
for f in tests/unit/test_*.c; do
	f=${f#tests/unit/test_}
	unit_suites+=("${f%.c}")
done
# The suites that also run on PostgreSQL: every one whose store comes from
# store_fixture_make(…, NULL, …), i.e. follows JT_TEST_STORE_URL
# (tests/unit/store_fixture.h). Found, not listed, so a new one is never left out.
mapfile -t pg_suites < <(grep -l 'store_fixture_make([^,]*, NULL' tests/unit/test_*.c |
	sed 's|^tests/unit/test_||; s|\.c$||')
if [ "${#pg_suites[@]}" -eq 0 ]; then
	echo "no unit suite uses the store fixture: scripts/test.sh cannot find the PostgreSQL suites"
	echo "0 passed, 1 failed"
	exit 1
fi

# Prints "NAME RESULT PASSED FAILED SKIPPED" for every expected suite and every
# suite in meson's JSON test log (RESULT is MISSING for one that did not run),
# then "skipped-test NAME" for each test cmocka skipped.
unit_results() { # testlog.json, expected suites...
	python3 - "$@" <<'PY'
import json, re, sys
path, expected = sys.argv[1], sys.argv[2:]
runs = {}
try:
    with open(path) as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                runs[d["name"]] = d
except OSError:
    pass
count = lambda pat, text: sum(int(m) for m in re.findall(pat, text))
skips = []
for name in sorted(set(expected) | set(runs)):
    d = runs.get(name)
    if d is None:
        print(name, "MISSING", 0, 0, 0)
        continue
    out = (d.get("stdout") or "") + (d.get("stderr") or "")
    passed = count(r"\[  PASSED  \] (\d+) test", out)
    skipped = count(r"\[  SKIPPED \] (\d+) test", out)
    # cmocka's "[  FAILED  ] N" leaves out tests whose setup failed (ERROR);
    # its closing " N FAILED TEST(S)" and the count of tests run do not.
    failed = max(count(r"\[  FAILED  \] (\d+) test", out), count(r"(\d+) FAILED TEST\(S\)", out),
                 count(r"\[==========\] (\d+) test\(s\) run", out) - passed - skipped)
    print(name, d["result"], passed, failed, skipped)
    skips += [name + "/" + m for m in re.findall(r"^\[  SKIPPED \] (?!\d+ test)(\S+)", out, re.M)]
for s in sorted(set(skips)):
    print("skipped-test", s)
PY
}

# Runs meson's unit tests in a build dir and counts them per suite: cmocka's
# summaries, plus one failure for each suite that crashed (a sanitizer abort,
# a timeout: no cmocka summary), printed nothing, or did not run at all.
run_unit() { # build dir, label, store URL ("" = SQLite), suites...
	local dir=$1 label=$2 url=$3
	shift 3
	local log="$logdir/unit-$label.log" json="$dir/meson-logs/unit-$label.json"
	local p=0 f=0 s=0 problems="" skips="" expected=("$@")
	[ $# -gt 0 ] || expected=("${unit_suites[@]}")
	rm -f "$json"
	JT_TEST_STORE_URL=$url meson test -C "$dir" --print-errorlogs --logbase "unit-$label" "$@" >"$log" 2>&1
	while read -r name result np nf ns; do
		if [ "$name" = skipped-test ]; then
			skips="$skips\n    skipped: $result"
			continue
		fi
		p=$((p + np))
		f=$((f + nf))
		s=$((s + ns))
		case "$result" in
		MISSING) f=$((f + 1)); problems="$problems\n    suite $name was expected but did not run" ;;
		OK | SKIP)
			if [ $((np + nf + ns)) -eq 0 ]; then
				f=$((f + 1))
				problems="$problems\n    suite $name printed no cmocka summary"
			fi
			;;
		*)
			if [ "$nf" -eq 0 ]; then
				f=$((f + 1))
				problems="$problems\n    suite $name crashed ($result, no cmocka summary)"
			fi
			;;
		esac
	done < <(unit_results "$json" "${expected[@]}")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "  unit: $p passed, $f failed$([ "$s" -gt 0 ] && echo ", $s skipped")"
	if [ -n "$skips" ]; then echo -e "${skips#\\n}"; fi
	if [ -n "$problems" ]; then echo -e "${problems#\\n}"; fi
	if [ "$f" -gt 0 ]; then grep -E "FAIL|ERROR|TIMEOUT" "$log" | head -30; fi
}

count_node() { # log file, exit status
	local p f s
	p=$(grep -E '^# pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
	f=$(grep -E '^# (fail|cancelled) [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
	s=$(grep -E '^# skipped [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$2" -eq 0 ] && [ "$p" -eq 0 ]; then
		f=$((f + 1))
		echo "  the runner passed no test"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "  $p passed, $f failed$([ "$s" -gt 0 ] && echo ", $s skipped")"
	grep -E '^ *ok [0-9]+ - .*# SKIP' "$1" | sed -E 's/^ *ok [0-9]+ - /    skipped: /' | head -20
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
check taxonomy python3 tools/check_taxonomy.py -q

# True when every unit suite is a test of the configured build dir. A build
# dir configured before cmocka was installed (scripts/run.sh does that) has
# none, and meson does not notice the new library by itself.
suites_configured() { # build dir
	python3 - "$1/meson-info/intro-tests.json" "${unit_suites[@]}" <<'PY'
import json, sys
try:
    with open(sys.argv[1]) as fh:
        names = {t["name"] for t in json.load(fh)}
except (OSError, ValueError):
    sys.exit(1)
sys.exit(0 if set(sys.argv[2:]) <= names else 1)
PY
}

build() { # dir, extra meson args...
	local dir=$1
	shift
	local setup_log
	setup_log="$logdir/setup-$(basename "$dir").log"
	if [ -f "$dir/build.ninja" ] && ! suites_configured "$dir"; then
		echo "  $dir does not list every unit suite (a new suite, or cmocka was missing when it was set up): reconfiguring"
		meson setup --reconfigure "$dir" "$@" >"$setup_log" 2>&1 || true
		if ! suites_configured "$dir"; then
			echo "  still none: setting $dir up afresh"
			meson setup --wipe "$dir" "$@" >"$setup_log" 2>&1 || { cat "$setup_log"; return 1; }
		fi
	fi
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$setup_log" 2>&1 || { cat "$setup_log"; return 1; }
	fi
	ninja -C "$dir" >"$logdir/ninja-$(basename "$dir").log" 2>&1 || { tail -40 "$logdir/ninja-$(basename "$dir").log"; return 1; }
}

echo "== build (optimised)"
if build build; then passed=$((passed + 1)); else fail "build"; fi
echo "== build (ASan + UBSan)"
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
	passed=$((passed + 1))
else
	fail "sanitizer build"
fi

echo "== PostgreSQL (throwaway cluster)"
pgdir=$(mktemp -d)
if pgurl=$(bash scripts/pg-test-cluster.sh start "$pgdir" 2>"$logdir/pg-cluster.log"); then
	passed=$((passed + 1))
	echo "  started: $pgurl"
else
	fail "the PostgreSQL cluster did not start, so nothing ran against PostgreSQL:"
	sed 's/^/    /' "$logdir/pg-cluster.log" | tail -20
	pgurl=""
fi

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

for dir in build build-asan; do
	[ -x "$dir/jobtrack" ] || continue
	echo "== unit tests ($dir, SQLite)"
	run_unit "$dir" "$dir-sqlite" ""
	[ -n "$pgurl" ] || continue
	echo "== unit tests ($dir, PostgreSQL: ${pg_suites[*]})"
	run_unit "$dir" "$dir-postgres" "$pgurl" "${pg_suites[@]}"
done

http_suite() { # label, binary, PostgreSQL maintenance URL ("" = SQLite)
	local log="$logdir/http-$1.log" status
	# The cluster's folder too (only with a URL): the restart test stops and starts it.
	local dir=""
	[ -n "$3" ] && dir=$pgdir
	(cd tests && JOBTRACK_BIN="$2" JOBTRACK_TEST_PG="$3" JOBTRACK_TEST_PG_DIR="$dir" node --test --test-concurrency=1 http/) >"$log" 2>&1
	status=$?
	count_node "$log" $status
	[ $status -eq 0 ] || grep -E "^not ok|# Subtest|Error|expected|actual" "$log" | head -60
}

for dir in build build-asan; do
	[ -x "$dir/jobtrack" ] || continue
	echo "== HTTP tests against $dir/jobtrack (SQLite)"
	http_suite "$dir-sqlite" "$here/$dir/jobtrack" ""
done
if [ -x build/jobtrack ] && [ -n "$pgurl" ]; then
	echo "== HTTP tests against build/jobtrack (PostgreSQL)"
	http_suite "build-postgres" "$here/build/jobtrack" "$pgurl"
fi

browser_suite() { # label, PostgreSQL maintenance URL ("" = SQLite)
	local log="$logdir/browser-$1.log" status
	(cd tests && JOBTRACK_BIN="$here/build/jobtrack" JOBTRACK_TEST_PG="$2" node --test --test-concurrency=1 browser/) >"$log" 2>&1
	status=$?
	count_node "$log" $status
	[ $status -eq 0 ] || grep -E "^not ok|Error|expected|actual" "$log" | head -60
}

if [ -x build/jobtrack ]; then
	echo "== browser tests (headless Chromium, SQLite)"
	browser_suite sqlite ""
	if [ -n "$pgurl" ]; then
		echo "== browser tests (headless Chromium, PostgreSQL)"
		browser_suite postgres "$pgurl"
	fi
fi

echo "logs: $logdir"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
