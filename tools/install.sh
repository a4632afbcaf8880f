#!/usr/bin/env bash
# tools/install.sh install|uninstall: what `make install` and `make
# uninstall` do, with the directories the Makefile passes in the
# environment: DESTDIR (may be empty), BINDIR, DATADIR, SYSCONFDIR, DOCDIR,
# MANDIR, UNITDIR and BUILD (where make put the binary and the filled-in
# files).
#
# install copies the binary, the templates, the static files (with their
# gzip copies), the migrations, the nginx files and the systemd units (both
# filled in for these directories by make), the manual pages (their
# paths too) and the README, and the documented config unless one is there already: an
# owner's edited config is never replaced.  It writes down every file and
# directory it created in DATADIR/installed-files, which uninstall reads:
# uninstall removes exactly those, the config only while it is the one
# install wrote (an edited one stays, and it says so), and then each
# directory install created that is empty.  Installing over an install (an
# upgrade) keeps the first one's directories and config in the list, and
# removes the files it listed that this version no longer has.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
: "${DESTDIR=}" "${BINDIR:?}" "${DATADIR:?}" "${SYSCONFDIR:?}" "${DOCDIR:?}"
: "${MANDIR:?}" "${UNITDIR:?}" "${BUILD:?}"
MANIFEST=$DATADIR/installed-files
CONF=$SYSCONFDIR/fascia/fascia.conf
ME=${0##*/}

die() {
	echo "$ME: $*" >&2
	exit 1
}

# Every name written, relative to DESTDIR: "d DIR" for a directory this run
# created, "f FILE" for a file.
made=()
dir() {
	local d=$1 parts=() p
	while [ "$d" != / ] && [ ! -d "$DESTDIR$d" ]; do
		parts=("$d" "${parts[@]}")
		d=$(dirname "$d")
	done
	for p in "${parts[@]}"; do
		install -d -m 0755 "$DESTDIR$p"
		made+=("d $p")
	done
}
file() { # MODE SOURCE TARGET
	dir "$(dirname "$3")"
	install -m "$1" "$2" "$DESTDIR$3"
	made+=("f $3")
}
tree() { # SOURCE_DIR TARGET_DIR
	local f
	while IFS= read -r f; do
		file 0644 "$1/$f" "$2/$f"
	done < <(cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
}

# upgrade LINE...: the last install's list, merged into this one's.  Its
# directories and an untouched config of its own stay listed (this run
# found them there and made none of them); a file it put that this version
# no longer has (a template since removed) is removed.
upgrade() {
	local line kind name
	local -a dirs=()
	local -A now=()
	for line in "${made[@]}"; do now[${line#* }]=1; done
	for line in "$@"; do
		kind=${line%% *}
		name=${line#* }
		case $kind in
		d) dirs+=("$line") ;; # in the order they were made
		c) [ -n "${now[${name#* }]:-}" ] || made+=("$line") ;;
		f)
			[ "$name" = "$MANIFEST" ] || [ -n "${now[$name]:-}" ] ||
				rm -f "$DESTDIR$name"
			;;
		esac
	done
	made=("${dirs[@]}" "${made[@]}")
}

do_install() {
	[ -x "$BUILD/fascia" ] || die "$BUILD/fascia is missing: run make"
	local d
	for d in "$BINDIR" "$DATADIR" "$SYSCONFDIR" "$DOCDIR" "$MANDIR" "$UNITDIR"; do
		case $d in /*) ;; *) die "$d: the directories must be absolute" ;; esac
	done
	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"
	# An upgrade: what the last install listed (read before it is
	# overwritten) is merged into this one's list below.
	local -a before=()
	[ ! -r "$DESTDIR$MANIFEST" ] || mapfile -t before <"$DESTDIR$MANIFEST"
	file 0755 "$BUILD/fascia" "$BINDIR/fascia"
	local gz
	gz=$(mktemp -d)
	trap 'rm -rf "$gz"' RETURN
	cp -R static "$gz/static"
	tools/gzip-static.sh "$gz/static"
	tree templates "$DATADIR/templates"
	tree "$gz/static" "$DATADIR/static"
	tree migrations "$DATADIR/migrations"
	file 0644 "$BUILD/nginx/nginx-http.conf" "$DATADIR/nginx/nginx-http.conf"
	file 0644 "$BUILD/nginx/nginx-site.conf" "$DATADIR/nginx/nginx-site.conf"
	file 0644 "$BUILD/systemd/fascia.service" "$UNITDIR/fascia.service"
	file 0644 "$BUILD/systemd/fascia.socket" "$UNITDIR/fascia.socket"
	file 0644 "$BUILD/systemd/fascia-backup.service" "$UNITDIR/fascia-backup.service"
	file 0644 "$BUILD/systemd/fascia-backup.timer" "$UNITDIR/fascia-backup.timer"
	file 0755 "$BUILD/fascia-backup.sh" "$DATADIR/fascia-backup.sh"
	file 0644 "$BUILD/man/fascia.8" "$MANDIR/man8/fascia.8"
	file 0644 "$BUILD/man/fascia.conf.5" "$MANDIR/man5/fascia.conf.5"
	file 0644 README.md "$DOCDIR/README.md"
	if [ -e "$DESTDIR$CONF" ]; then
		echo "$ME: $DESTDIR$CONF is there already: left as it is"
	else
		file 0644 "$BUILD/fascia.conf" "$CONF"
		unset 'made[${#made[@]}-1]'
		made+=("c $(sha256sum <"$BUILD/fascia.conf" | cut -d' ' -f1) $CONF")
	fi
	dir "$DATADIR"
	upgrade "${before[@]}"
	made+=("f $MANIFEST")
	printf '%s\n' "${made[@]}" >"$DESTDIR$MANIFEST"
	echo "$ME: installed ${#made[@]} files and directories" \
		"(listed in $DESTDIR$MANIFEST)"
}

do_uninstall() {
	local line kind name sum n=0
	local -a lines dirs=()
	[ -r "$DESTDIR$MANIFEST" ] || die "$DESTDIR$MANIFEST is missing:" \
		"nothing to uninstall"
	mapfile -t lines <"$DESTDIR$MANIFEST"
	for line in "${lines[@]}"; do
		kind=${line%% *}
		name=${line#* }
		case $kind in
		d) dirs=("$name" "${dirs[@]}") ;; # created parents first
		f) rm -f "$DESTDIR$name" && n=$((n + 1)) ;;
		c)
			sum=${name%% *}
			name=${name#* }
			if [ -e "$DESTDIR$name" ] && [ "$(sha256sum <"$DESTDIR$name" |
				cut -d' ' -f1)" != "$sum" ]; then
				echo "$ME: $DESTDIR$name was edited: left as it is"
			else
				rm -f "$DESTDIR$name" && n=$((n + 1))
			fi
			;;
		esac
	done
	for name in "${dirs[@]}"; do
		if rmdir "$DESTDIR$name" 2>/dev/null; then
			n=$((n + 1))
		elif [ -d "$DESTDIR$name" ]; then
			echo "$ME: $DESTDIR$name is not empty: left"
		fi
	done
	echo "$ME: removed $n files and directories"
}

case ${1:-} in
install) do_install ;;
uninstall) do_uninstall ;;
*)
	echo "usage: $ME install|uninstall" >&2
	exit 2
	;;
esac
