#!/usr/bin/env bash
# Installs what jobtrack needs on Debian 12, and skips what is already there.
#   setup.sh            everything: build, run, test (Chromium, Node tools) and bench
#   setup.sh --runtime  only what building and running the server needs
#   setup.sh --fuzz     what building the server needs, plus clang and its
#                       libFuzzer/sanitizer runtimes for fuzz/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-all}

runtime_packages=(
  build-essential pkg-config meson ninja-build python3
  libmicrohttpd-dev libgnutls28-dev libjansson-dev libsqlite3-dev libsodium-dev libpq-dev
  libcurl4-openssl-dev libxml2-dev zlib1g-dev chromium
  libmupdf-dev libzip-dev libstemmer-dev
  # MuPDF links statically: the libraries Debian's libmupdf-third leaves out
  libmujs-dev libgumbo-dev libjbig2dec0-dev libopenjp2-7-dev libharfbuzz-dev
  john-data
  # cracklib: FascistCheck and its dictionary (words with digits appended, reversed, …)
  libcrack2-dev cracklib-runtime
  libxlsxwriter-dev
  # the browser libraries the server embeds (web/package.json) come from npm
  nodejs npm
)
test_packages=(
  libcmocka-dev clang-format openssl curl ca-certificates
  postgresql
  wrk
  nginx-light python3-scrapy python3-extruct
  poppler-utils
  prometheus
  python3-icalendar
)
fuzz_packages=(clang libclang-rt-14-dev)

wanted=("${runtime_packages[@]}")
case "$mode" in
  --runtime) ;;
  --fuzz) wanted+=("${fuzz_packages[@]}") ;;
  *) wanted+=("${test_packages[@]}") ;;
esac

missing=()
for p in "${wanted[@]}"; do
  case "$p" in
    # Node.js often comes from elsewhere (nvm, NodeSource): a working node counts.
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages already present"
fi

# The browser libraries the server embeds and serves (the dashboard's
# charts), pinned by web/package-lock.json; meson.build refuses to build
# without them. Installed again whenever the lock file is newer.
if [ ! -f "$here/web/node_modules/.package-lock.json" ] ||
  [ "$here/web/package-lock.json" -nt "$here/web/node_modules/.package-lock.json" ]; then
  echo "setup: installing the web UI's libraries with npm ci"
  (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
fi

[ "$mode" = "--runtime" ] || [ "$mode" = "--fuzz" ] && exit 0

# The test runners need Node.js 20 or newer (node:test, playwright-core).
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version 2>/dev/null || echo missing) is too old for the test tools: install Node.js 20 or newer" >&2
  exit 1
fi

# Browser-test tools, pinned by tests/package-lock.json; playwright-core
# drives Debian's /usr/bin/chromium and downloads no browser of its own.
if [ ! -d "$here/tests/node_modules/playwright-core" ]; then
  echo "setup: installing test tools with npm ci"
  (cd "$here/tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
