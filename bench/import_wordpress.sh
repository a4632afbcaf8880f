#!/usr/bin/env bash
# bench/import_wordpress.sh: how long `fascia import-wordpress` takes for a
# WordPress export of 1,000 posts and 20,000 comments.
#
# The export comes from tests/bench/gen_wxr.py (the same file every time).
# It is imported into a scratch database created here on the dev stack's
# PostgreSQL (tools/stack.sh dev; start it with `tools/stack.sh dev up`)
# and dropped afterwards; fascia is pointed at it with FASCIA_DATABASE, so
# the dev blog itself is never touched.  Two runs: the first brings
# everything in, the second finds everything unchanged.  Printed: wall
# time, user CPU time of fascia and its peak RSS, and the row counts.
#
# Environment: BENCH_POSTS (1000), BENCH_COMMENTS (20000), FASCIA_BIN
# (build/fascia).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
POSTS=${BENCH_POSTS:-1000}
COMMENTS=${BENCH_COMMENTS:-20000}
BIN=${FASCIA_BIN:-$ROOT/build/fascia}

[ -x "$BIN" ] || { echo "bench: $BIN is missing (make)" >&2; exit 1; }
eval "$(tools/stack.sh dev info | grep -E '^(conf|pghost|pgport|pguser|psql)=')"
PGBIN=$(dirname "$psql")
export PGHOST=$pghost PGPORT=$pgport PGUSER=$pguser
"$PGBIN/psql" -X -q -A -t -d postgres -c "SELECT 1" >/dev/null 2>&1 ||
	{ echo "bench: the dev PostgreSQL is not running (tools/stack.sh dev up)" >&2; exit 1; }

DB=fascia_bench_wxr_$$
TMP=$(mktemp -d)
cleanup() {
	"$PGBIN/dropdb" --if-exists "$DB" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
"$PGBIN/createdb" "$DB"
export FASCIA_DATABASE="host=$pghost port=$pgport dbname=$DB user=$pguser"
"$BIN" -c "$conf" migrate >/dev/null

python3 tests/bench/gen_wxr.py --posts "$POSTS" --comments "$COMMENTS" -o "$TMP/export.xml"
size=$(du -h "$TMP/export.xml" | cut -f1)

# run LABEL: one import, timed; prints a table row.
run() {
	local t0 t1 wall cpu rss
	t0=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %M' -o "$TMP/time" "$BIN" -c "$conf" import-wordpress "$TMP/export.xml" >"$TMP/out"
		read -r cpu rss <"$TMP/time"
		rss="$((rss / 1024)) MB"
		cpu="$cpu s"
	else
		"$BIN" -c "$conf" import-wordpress "$TMP/export.xml" >"$TMP/out"
		cpu=? rss=?
	fi
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", b - a }')
	printf '| %-34s | %9s | %9s | %8s |\n' "$1" "$wall" "$cpu" "$rss"
	sed -n 's/^  \(posts\|comments\): */    \1: /p' "$TMP/out" >>"$TMP/counts"
}

echo "## fascia import-wordpress: $POSTS posts, $COMMENTS comments ($size of WXR), $(nproc) cores"
echo
printf '| %-34s | %9s | %9s | %8s |\n' run wall "CPU (us)" "peak RSS"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "-----------" "-----------" "----------"
: >"$TMP/counts"
run "first import (all new)"
run "second import (all unchanged)"
echo
echo "What each run reported:"
cat "$TMP/counts"
echo "In the database: $("$PGBIN/psql" -X -q -A -t -d "$DB" -c \
	"SELECT (SELECT count(*) FROM posts) || ' posts, ' || (SELECT count(*) FROM comments) || ' comments'")"
