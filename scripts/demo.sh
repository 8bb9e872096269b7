#!/usr/bin/env bash
# The main job on the embedded default store: load the shipped ontologies and show what the store knows.
set -euo pipefail
cd "$(dirname "$0")/.."
kgfuse=.build/release/kgfuse
store=${KGFUSE_STORE:-kgfuse.sqlite}
shared=${KGFUSE_SHARED:-../shared}
for f in "$shared/ontologies/hpo/hp.owl"; do
    [ -f "$f" ] && "$kgfuse" load --store "$store" "$f"
done
"$kgfuse" stats --store "$store"
"$kgfuse" describe --store "$store" HP:0001250
