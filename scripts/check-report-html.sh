#!/usr/bin/env bash
# Opens every HTML report that `kgfuse demo` writes in headless Chromium, and fails when a page does not load,
# does not render the report, or logs a console error or a failed resource load.
# Installs Debian's chromium if it is missing (needs root or sudo). Run after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if ! command -v chromium >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "check-report-html: installing chromium" >&2
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && KGFUSE_HOME="$root" "$root/.build/release/kgfuse" demo --store demo.sqlite --html-directory reports > demo.txt)
pages=0
for page in "$work"/reports/*.html; do
    if ! timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
            --dump-dom "file://$page" > "$work/dom.html" 2> "$work/chromium.log"; then
        echo "FAIL $page: chromium exited with an error" >&2; tail -5 "$work/chromium.log" >&2; exit 1
    fi
    if ! grep -q "<h1>kgfuse diagnosis" "$work/dom.html"; then
        echo "FAIL $page: the rendered DOM has no report heading" >&2; exit 1
    fi
    if grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR_" "$work/chromium.log" >&2; then
        echo "FAIL $page: console error or failed resource (above)" >&2; exit 1
    fi
    echo "ok $(basename "$page"): rendered $(wc -c < "$work/dom.html") bytes of DOM, no console errors"
    pages=$((pages + 1))
done
[ "$pages" -gt 0 ] || { echo "FAIL: kgfuse demo wrote no HTML report" >&2; exit 1; }
echo "check-report-html: $pages reports open in headless Chromium without errors"
