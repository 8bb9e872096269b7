#!/usr/bin/env bash
# Runs every test in release mode with one thread (OPENBLAS_NUM_THREADS=1 also sizes kgfuse's worker pool), after the same set-up as the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build
export OPENBLAS_NUM_THREADS=1
# No test uses @testable imports; without them the release test build compiles like the product build.
swift test -c release --disable-testable-imports
