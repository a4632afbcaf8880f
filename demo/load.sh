#!/bin/sh
# demo/load.sh: load the demo blog ("Still Point Bodywork") into fascia's
# database, through fascia's own authoring commands.
#
#   demo/load.sh FASCIA_BIN CONFIG
#
# FASCIA_BIN is the fascia binary, CONFIG its config file; the database
# must be migrated (`fascia migrate`).  In order:
#
#   1. demo/tags.sql         the tags and their display names (psql)
#   2. fascia author add     demo/authors/*.md (edit for those that exist)
#   3. fascia post import    demo/content/*.md, one transaction
#   4. demo/comments.sql     the comments, which find their posts by slug (psql)
#
# Running it again brings the demo posts and authors back to what the files
# say and adds nothing twice.  psql connects with the config's `database`
# (or $FASCIA_DATABASE, as fascia itself does); set PSQL to use another
# psql.  demo/generate-seed writes tags.sql and comments.sql.
set -eu

ME=demo/load.sh
die() {
	printf '%s: %s\n' "$ME" "$*" >&2
	exit 1
}

[ $# -eq 2 ] || {
	echo "usage: $ME FASCIA_BIN CONFIG" >&2
	exit 2
}
BIN=$1
CONF=$2
DEMO=$(cd "$(dirname "$0")" && pwd -P)
PSQL=${PSQL:-psql}

[ -x "$BIN" ] || die "$BIN is not an executable"
[ -r "$CONF" ] || die "cannot read $CONF"
command -v "$PSQL" >/dev/null 2>&1 || die "$PSQL not found (set PSQL)"

# The config's `database` key (INI; the last one wins, as in inih), unless
# the environment overrides it.
if [ -n "${FASCIA_DATABASE:-}" ]; then
	DSN=$FASCIA_DATABASE
else
	DSN=$(sed -n 's/^[[:space:]]*database[[:space:]]*=[[:space:]]*//p' "$CONF" |
		sed 's/[[:space:]][[:space:]]*;.*$//; s/[[:space:]]*$//' | tail -n 1)
fi
[ -n "$DSN" ] || die "no database in $CONF"

fascia() { "$BIN" -c "$CONF" "$@"; }
sql() {
	PGOPTIONS='-c client_min_messages=warning' \
		"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$DSN" -f "$1" >/dev/null ||
		die "loading $1 failed"
}

sql "$DEMO/tags.sql"

existing=$(fascia author list) || die "fascia author list failed"
for f in "$DEMO"/authors/*.md; do
	slug=$(sed -n '2,/^---/s/^slug:[[:space:]]*//p' "$f" | tr -d '[:space:]')
	if printf '%s\n' "$existing" | awk 'NR > 1 { print $1 }' | grep -qxF "$slug"; then
		fascia author edit "$f" >/dev/null || die "fascia author edit $f failed"
	else
		fascia author add "$f" >/dev/null || die "fascia author add $f failed"
	fi
done

fascia post import "$DEMO"/content/*.md >/dev/null || die "fascia post import failed"

sql "$DEMO/comments.sql"

printf '%s: %s\n' "$ME" "$(fascia post list | awk 'NR > 1 { n[$2]++ } END {
	printf "%d published, %d scheduled, %d draft posts loaded", n["published"], n["scheduled"], n["draft"] }')" >&2
