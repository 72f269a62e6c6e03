#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages driftscope needs, if any are missing.
# Usage: scripts/ensure-deps.sh build|test|bench
# Root runs apt-get directly; others go through sudo; if neither works the
# exact install line is printed and the script exits 1.
set -eu
BUILD="make gcc pkg-config libncurses-dev libserialport-dev libcsv-dev libkissfft-dev libyajl-dev libmicrohttpd-dev libmd-dev"
TEST="$BUILD libcmocka-dev tmux socat python3 python3-pandas python3-scipy python3-sklearn python3-yaml libxml2-utils chromium fonts-dejavu-core clang libclang-rt-dev clang-format prometheus"
BENCH="$TEST"
case "${1:-build}" in
  build) want=$BUILD ;;
  test)  want=$TEST ;;
  bench) want=$BENCH ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
echo "driftscope: installing missing packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "driftscope: cannot install packages (not root, no sudo). Run:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
