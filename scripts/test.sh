#!/usr/bin/env bash
# Runs every test in release mode with one BLAS thread, after the same set-up as the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export OPENBLAS_NUM_THREADS=1
swift build -c release --build-tests
swift test -c release --skip-build
