#!/usr/bin/env bash
# tests/browser/run.sh URL OUTDIR: fascia's pages in a real browser.
#
# Installs the pinned npm packages (npm ci, skipped while node_modules matches
# package-lock.json), then runs checks.mjs: the Nu Html Checker, axe-core and
# a comment flow in Debian's Chromium through playwright-core, and Lighthouse.
# TAP on stdout; screenshots and JSON reports under OUTDIR.  Exits 0 whatever
# the checks found (the driver counts the TAP lines), non-zero only when it
# could not run at all (a "Bail out!" line says why).
#
# Environment: FASCIA_CONFIG (config of the stack under test, for the CLI that
# approves the test comment; default: conf= of `tools/stack.sh test info`),
# FASCIA_BIN (the CLI; default build/fascia), CHROMIUM (default
# /usr/bin/chromium), BROWSER_TIME_LIMIT (seconds; default 200),
# BROWSER_KEEP_COMMENTS=1 (keep the comments the flow posts).
set -u

usage() { echo "usage: $0 URL OUTDIR   (e.g. $0 http://127.0.0.1:8081 build/test-output/browser)" >&2; }
bail() { echo "Bail out! $*"; exit 2; }

[ $# -eq 2 ] || { usage; exit 2; }
case $1 in http://*|https://*) ;; *) usage; exit 2 ;; esac
URL=${1%/}
mkdir -p "$2" || bail "cannot create $2"
OUT=$(cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

for tool in node npm java; do
	command -v "$tool" >/dev/null 2>&1 || bail "$tool is not installed (Debian: nodejs npm default-jre-headless)"
done
[ -x "$CHROMIUM" ] || bail "$CHROMIUM is not installed (Debian: chromium)"

# npm ci only when package-lock.json (or node) changed since the last install:
# the stamp in node_modules holds the hash it was installed from.  Install
# scripts are skipped: none is needed (vnu-jar's would fetch a Java runtime).
cd "$HERE" || bail "cannot enter $HERE"
want=$( { sha256sum package.json package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)
stamp=node_modules/.fascia-install-stamp
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "# npm ci (package-lock.json changed or node_modules missing)"
	if ! npm ci --ignore-scripts --no-audit --no-fund --prefer-offline \
		--loglevel=error >"$OUT/npm-ci.log" 2>&1; then
		sed 's/^/# /' "$OUT/npm-ci.log" | tail -20
		bail "npm ci failed (log: $OUT/npm-ci.log)"
	fi
	echo "$want" >"$stamp"
fi

# The TAP goes to stdout and to OUTDIR/results.tap.
node "$HERE/checks.mjs" "$URL" "$OUT" | tee "$OUT/results.tap"
exit "${PIPESTATUS[0]}"
