#!/usr/bin/env bash
# The main job on the embedded default: `kgfuse demo` creates a store, loads the industrial QA pack, and
# diagnoses the real bearing recordings shipped in Data/ with the shipped model, explained and audited.
set -euo pipefail
cd "$(dirname "$0")/.."
kgfuse=.build/release/kgfuse
store=${KGFUSE_STORE:-kgfuse-demo.sqlite}
"$kgfuse" demo --store "$store" --html-directory kgfuse-demo-reports
echo
echo "The audit log of those diagnoses, as an auditor reads it later:"
"$kgfuse" audit --store "$store" --rule iqa-veto-fault-at-other-bearing --limit 3
"$kgfuse" audit verify --store "$store"
