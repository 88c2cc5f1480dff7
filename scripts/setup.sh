#!/usr/bin/env bash
# Installs everything jobtrack needs to build, run and test on Debian 12.
# Idempotent: packages already present are skipped, so it is cheap to run twice.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

debian_packages=(
  build-essential pkg-config meson ninja-build
  libmicrohttpd-dev libgnutls28-dev libjansson-dev libsqlite3-dev libsodium-dev
  libcmocka-dev libxml2-dev libcurl4-gnutls-dev libpq-dev
  clang-format
  nodejs npm chromium
  wrk curl ca-certificates openssl
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# node/npm often come from elsewhere (nvm, nodesource); only ask apt for them when absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already present"
fi

# Browser-test tools, pinned by tests/package-lock.json.
if [ -f "$here/tests/package-lock.json" ]; then
  if [ ! -d "$here/tests/node_modules/playwright-core" ]; then
    echo "setup: installing browser-test tools with npm ci"
    (cd "$here/tests" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
