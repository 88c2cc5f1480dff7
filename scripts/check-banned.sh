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
echo "no banned functions"
