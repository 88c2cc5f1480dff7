#!/usr/bin/env bash
# Fails when C sources call functions that write without a bound or parse
# without reporting errors. Use snprintf, memcpy with a checked length,
# strtol/strtoll with end-pointer checks, and the buf_* helpers instead.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='sprintf|vsprintf|strcpy|strcat|strncpy|strncat|gets|atoi|atol|atoll|atof|strtok|sscanf|stpcpy|wcscpy|tmpnam|mktemp'
hits=$(grep -nE "(^|[^_a-zA-Z0-9])($banned)[[:space:]]*\(" --include='*.c' --include='*.h' -r src tests/unit bench fuzz 2>/dev/null \
	| grep -vE '^\S+:[0-9]+:\s*(/\*|\*|//)' || true)
if [ -n "$hits" ]; then
	echo "banned functions found (see scripts/check-banned.sh for what to use instead):"
	echo "$hits"
	exit 1
fi
# No macro may hide a way out of the function that uses it: every return,
# goto, break and continue is written where it happens. A #define runs on
# over its backslash-continued lines.
hidden=$(awk '
	FNR == 1 { inside = 0 }
	/^[[:space:]]*#[[:space:]]*define/ { inside = 1; start = FNR }
	inside && /(^|[^_a-zA-Z0-9])(return|goto|break|continue)([^_a-zA-Z0-9]|$)/ { print FILENAME ":" start ": a macro with a way out"; inside = 0 }
	inside && !/\\$/ { inside = 0 }
' $(find src -name '*.c' -o -name '*.h') | sort -u)
if [ -n "$hidden" ]; then
	echo "macros that hide return/goto/break/continue (write the exit where it happens):"
	echo "$hidden"
	exit 1
fi
echo "no banned functions"
