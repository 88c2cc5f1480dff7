#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan, in build-fuzz) and
# runs each for SECONDS (default 60) with one worker, one after another.
#   fuzz/run.sh [SECONDS] [NAME...]     NAME: csv, app_json, … (default: all)
# Seeds come from fuzz/corpus/NAME (never written to); what the fuzzer adds
# goes to build-fuzz/corpus/NAME and is kept between runs. Crash, leak,
# timeout and out-of-memory inputs are kept in fuzz/crashes/NAME/. Prints a
# line per harness: seconds run, executions, coverage (edges), features,
# and findings. Exits 1 when a harness found something.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
seconds=${1:-60}
shift || true
all=(csv app_json event_json contact_json app_form app_query if_match timefmt text email jwt device template
     salary date location adapters sanitize jsonld microdata robots schedule search_query scan_match
     scan_resume resume_pdf resume_docx import_onet import_esco import_stackoverflow page_facts
     reminder_settings backup scan_terms saved_query market_query length_check url_mask)
names=("$@")
[ "${#names[@]}" -gt 0 ] || names=("${all[@]}")

bash scripts/setup.sh --fuzz >/dev/null

build=build-fuzz
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer -g" >/dev/null
fi
meson compile -C "$build" fuzzers >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-13s %8s %12s %8s %8s  %s\n' harness seconds execs cov ft findings
for name in "${names[@]}"; do
	corpus=$build/corpus/$name
	crashes=fuzz/crashes/$name
	log=$build/logs/$name.log
	mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
	start=$(date +%s)
	(cd "$build" && "./fuzz/fuzz_$name" -max_total_time="$seconds" -workers=1 -jobs=1 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$here/$crashes/" \
		"$here/$corpus" "$here/fuzz/corpus/$name" >/dev/null 2>&1) || true
	ran=$(($(date +%s) - start))
	# With -jobs the fuzzer's own output goes to fuzz-0.log in its directory.
	mv "$build/fuzz-0.log" "$log" 2>/dev/null || true
	execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	found=$(find "$crashes" -type f -newermt "@$start" -printf '%f\n' | sort | tr '\n' ' ')
	[ -z "$found" ] || status=1
	printf '%-13s %8s %12s %8s %8s  %s\n' "$name" "$ran" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${found:-none}"
done
exit $status
