#!/usr/bin/env bash
# tests/cli/test_backup.sh: the nightly backup (tools/fascia-backup.sh, as
# fascia-backup.service runs it) and a restore from it, with TAP output.
#
#   tests/cli/test_backup.sh CONFIG
#
# CONFIG is a running stack's config (var/test/fascia.conf).  Its database
# is dumped into a scratch directory, restored with pg_restore into a
# scratch database on the same server, and the restored blog compared with
# the live one, row for row, and checked by `fascia serve -t`.  Then the
# rules of the backup directory: old dumps are removed only after a good
# one, a failed dump leaves nothing half-written and removes nothing.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BACKUP=$ROOT/tools/fascia-backup.sh
PSQL=${PSQL:-psql}
# shellcheck source=../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
suite_args "$@"
for tool in pg_dump pg_restore "$PSQL"; do
	command -v "$tool" >/dev/null || bail "$tool is not installed"
done

key() { conf_key "$CONF" "$1"; }
OWNER=$(owner_conninfo)
SCRATCH=fascia_restore_test_$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fascia-backup-test.XXXXXX") || bail "mktemp"
cleanup() {
	"$PSQL" -X -q -d "$OWNER dbname=postgres" \
		-c "DROP DATABASE IF EXISTS $SCRATCH" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
q() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# --- a backup -------------------------------------------------------------------

DIR=$TMP/backups
if out=$("$BACKUP" -c "$CONF" "$DIR" 14 2>&1); then
	ok "fascia-backup.sh dumps the blog's database"
	printf '# %s\n' "$out"
else
	not_ok "fascia-backup.sh dumps the blog's database" "$out"
	bail "no dump"
fi
dumps=("$DIR"/fascia-*.dump)
if [ ${#dumps[@]} = 1 ] && [ -s "${dumps[0]}" ] &&
	[ "$(stat -c %a "$DIR")" = 700 ] && [ "$(stat -c %a "${dumps[0]}")" = 600 ] &&
	[ -z "$(find "$DIR" -name '*.partial')" ]; then
	ok "one whole dump, mode 0600, in a directory of mode 0700"
else
	not_ok "one whole dump, mode 0600, in a directory of mode 0700" \
		"$(ls -la "$DIR")"
fi

# --- a restore ------------------------------------------------------------------

q "$OWNER dbname=postgres" "CREATE DATABASE $SCRATCH" >/dev/null ||
	bail "cannot create the scratch database"
if out=$(pg_restore -d "$OWNER dbname=$SCRATCH" "${dumps[0]}" 2>&1); then
	ok "pg_restore puts it back into an empty database"
else
	not_ok "pg_restore puts it back into an empty database" "$out"
fi
# every table, and what readers see of the posts and comments
summary="SELECT (SELECT count(*) FROM posts) || ' ' || (SELECT count(*) FROM comments)
	|| ' ' || (SELECT count(*) FROM authors) || ' ' || (SELECT count(*) FROM tags)
	|| ' ' || (SELECT count(*) FROM post_tags) || ' ' || (SELECT max(version) FROM schema_migrations)
	|| ' ' || (SELECT md5(string_agg(slug || title || body_html, '|' ORDER BY id)) FROM posts)
	|| ' ' || (SELECT md5(string_agg(body || status || encode(email_hash, 'hex'), '|' ORDER BY id)) FROM comments)"
live=$(q "$OWNER" "$summary")
restored=$(q "$OWNER dbname=$SCRATCH" "$summary")
if [ -n "$live" ] && [ "$live" = "$restored" ]; then
	ok "the restored blog has the same posts, comments, authors, tags and schema"
	printf '# posts comments authors tags post_tags schema: %s\n' "${live% * *}"
else
	not_ok "the restored blog has the same posts, comments, authors, tags and schema" \
		"live:     $live" "restored: $restored"
fi
AS=()
[ "$(id -u)" != 0 ] || AS=(FASCIA_USER="$(stat -c %U "$(key secret_key_file)")")
if out=$(env "${AS[@]}" FASCIA_DATABASE="$OWNER dbname=$SCRATCH" "$BIN" -c "$CONF" serve -t 2>&1); then
	ok "fascia serve -t passes on the restored database"
else
	not_ok "fascia serve -t passes on the restored database" "$out"
fi
if q "$OWNER dbname=$SCRATCH" "NOTIFY fascia_changed; SELECT fascia_next_publication()" >/dev/null &&
	[ "$(q "$OWNER dbname=$SCRATCH" "SELECT count(*) FROM pg_trigger WHERE tgname = 'posts_changed'")" = 1 ]; then
	ok "the restore keeps the page cache's triggers and functions"
else
	not_ok "the restore keeps the page cache's triggers and functions"
fi

# --- the directory's rules --------------------------------------------------------

touch -d '20 days ago' "$DIR/fascia-20000101T000000Z.dump"
touch -d '2 days ago' "$DIR/fascia-20000102T000000Z.dump"
touch -d '20 days ago' "$DIR/notes.txt"
if FASCIA_BACKUP_DATABASE="host=$TMP/nowhere dbname=none" "$BACKUP" -c "$CONF" "$DIR" 14 \
	>"$TMP/out" 2>&1; then
	not_ok "a failed dump exits non-zero" "$(cat "$TMP/out")"
elif [ -e "$DIR/fascia-20000101T000000Z.dump" ] && [ -z "$(find "$DIR" -name '*.partial')" ] &&
	grep -q "older backups kept" "$TMP/out"; then
	ok "a failed dump exits 1, leaves no partial file and removes no old dump"
else
	not_ok "a failed dump exits 1, leaves no partial file and removes no old dump" \
		"$(cat "$TMP/out")" "$(ls -la "$DIR")"
fi
sleep 1 # a dump of its own second
"$BACKUP" -c "$CONF" "$DIR" 14 >"$TMP/out" 2>&1
if [ ! -e "$DIR/fascia-20000101T000000Z.dump" ] && [ -e "$DIR/fascia-20000102T000000Z.dump" ] &&
	[ -e "$DIR/notes.txt" ] &&
	[ "$(find "$DIR" -name 'fascia-*.dump' ! -name 'fascia-2000*' | wc -l)" = 2 ]; then
	ok "after a good dump, only dumps older than 14 days are removed (nothing else)"
else
	not_ok "after a good dump, only dumps older than 14 days are removed" \
		"$(cat "$TMP/out")" "$(ls -la "$DIR")"
fi
out=$("$BACKUP" -c "$CONF" "$DIR" many 2>&1)
if [ $? = 2 ] && printf '%s' "$out" | grep -q "must be a number"; then
	ok "a bad DAYS is a usage error (exit 2)"
else
	not_ok "a bad DAYS is a usage error (exit 2)" "$out"
fi

tap_end
