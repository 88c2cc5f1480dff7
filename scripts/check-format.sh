#!/usr/bin/env bash
# Fails when a C file differs from what clang-format (.clang-format) makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'bench/*.c' 'fuzz/*.c' 'fuzz/*.h' 2>/dev/null || find src tests/unit fuzz -name '*.[ch]')
clang-format --dry-run --Werror $files
echo "formatting ok"
