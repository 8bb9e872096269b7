#!/usr/bin/env bash
# Runs every test in release mode with one BLAS thread, after the same set-up as the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build
export OPENBLAS_NUM_THREADS=1
# No test uses @testable, so the tests build with the same flags as the product (one release build, not two).
swift build -c release --disable-testable-imports --build-tests
swift test -c release --skip-build
