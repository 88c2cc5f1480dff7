#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running jobtrack:
# installs what is missing, builds, and serves http://127.0.0.1:8080 with
# its data (SQLite database, secret key) in ./jobtrack-data.
# Extra arguments go to `jobtrack serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/setup.sh --runtime
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build jobtrack >/dev/null
echo "jobtrack: open the address it prints below (http://127.0.0.1:8080 unless you passed --listen) and sign up;"
echo "          the first account becomes admin. Ctrl-C stops it."
exec ./build/jobtrack serve --data-dir "${JOBTRACK_DATA_DIR:-$here/jobtrack-data}" "$@"
