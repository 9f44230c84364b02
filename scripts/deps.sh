#!/usr/bin/env bash
# Installs everything the build, tests and benchmarks need, idempotently and quietly.
# Debian packages via apt-get; the pinned npm packages of tests/conformance via `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
  build-essential cmake pkg-config clang llvm clang-format clang-tidy cppcheck valgrind
  libsodium-dev libssl-dev libsecp256k1-dev libxxhash-dev libcmocka-dev liblmdb-dev libjansson-dev
  libuv1-dev libwslay-dev libhttp-parser-dev
)
# node and npm may come from another Debian-format package (nodesource's nodejs ships npm)
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages for the conformance and client suites, pinned by their package-lock.json.
for dir in tests/conformance tests/clients; do
  if [ ! -f "$dir/node_modules/.itee-stamp" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.itee-stamp" ]; then
    echo "deps: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$dir/node_modules/.itee-stamp"
  fi
done
