#!/bin/sh
# tools/fascia-backup.sh [-c CONFIG] DIR [DAYS]: one backup of the blog's
# database, as fascia-backup.service runs it every night.
#
# pg_dump's custom format (-Fc: compressed, restored with pg_restore, one
# table at a time if need be) into DIR/fascia-YYYYMMDDTHHMMSSZ.dump.  The
# dump is written under a .partial name and renamed once pg_dump has
# succeeded, so a file with the .dump name is always whole.  Then, and only
# then, the dumps older than DAYS days (default 14) are removed: a failing
# backup never removes the last good one.  DIR is made mode 0700; the dumps
# are 0600 (they hold every comment).
#
# The connection: $FASCIA_BACKUP_DATABASE when set (the unit sets it: it
# runs as the postgres user, whom peer authentication lets in), else the
# config's owner_database, else its database.  The secret key is not in
# the dump: back it up once, apart (README, "Deploying under nginx").
#
# Restore (README): createdb, pg_restore -d DB FILE, then fascia serve -t.
set -eu
ME=${0##*/}
CONF=${FASCIA_CONFIG:-/usr/local/etc/fascia/fascia.conf}
if [ "${1:-}" = -c ] && [ $# -ge 2 ]; then
	CONF=$2
	shift 2
fi
[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $ME [-c CONFIG] DIR [DAYS]" >&2
	exit 2
}
DIR=$1
DAYS=${2:-14}
case $DAYS in '' | *[!0-9]*)
	echo "$ME: DAYS must be a number of days, not '$DAYS'" >&2
	exit 2
	;;
esac

# key NAME: the last value of NAME in the config, its ; comment left out
key() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$CONF" |
		sed 's/[[:space:]][[:space:]]*;.*$//; s/[[:space:]]*$//' | tail -n 1
}
DB=${FASCIA_BACKUP_DATABASE:-}
if [ -z "$DB" ]; then
	[ -r "$CONF" ] || {
		echo "$ME: cannot read $CONF" >&2
		exit 1
	}
	DB=$(key owner_database)
	[ -n "$DB" ] || DB=$(key database)
fi

umask 077
mkdir -p "$DIR"
chmod 0700 "$DIR"
name=fascia-$(date -u +%Y%m%dT%H%M%SZ).dump
if ! pg_dump -Fc -d "$DB" -f "$DIR/$name.partial"; then
	rm -f "$DIR/$name.partial"
	echo "$ME: pg_dump failed; older backups kept" >&2
	exit 1
fi
mv -f "$DIR/$name.partial" "$DIR/$name"
find "$DIR" -maxdepth 1 -name 'fascia-*.dump' -mtime +"$((DAYS - 1))" \
	! -name "$name" -delete
echo "$ME: $DIR/$name ($(wc -c <"$DIR/$name") bytes)"
