#!/usr/bin/env bash
# tests/cli/test_serve_check.sh: `fascia serve -t`, the check a reload and
# an upgrade run first, with TAP output.
#
#   tests/cli/test_serve_check.sh CONFIG [FASCIA_BIN]
#
# CONFIG is a running stack's config (var/test/fascia.conf): a good
# configuration, which each check below breaks in one place (through the
# FASCIA_<KEY> overrides, or copies in a scratch directory), expecting exit
# status 1 and the reason on standard error.  The stack is not touched;
# one scratch database, without the schema, is made on its server and
# dropped again.  Needs psql.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
PSQL=${PSQL:-psql}
# shellcheck source=../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
suite_args "$@"

command -v "$PSQL" >/dev/null 2>&1 || bail "psql not found"
[ -x "$BIN" ] || bail "$BIN not found: run make"

key() { conf_key "$CONF" "$1"; }
# the scratch database is made by the owner of the stack's
BASE=$(owner_conninfo)
SCRATCH=fascia_check_test_$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fascia-check-test.XXXXXX") || bail "mktemp"
cleanup() {
	"$PSQL" -X -q -d "$BASE dbname=postgres" \
		-c "DROP DATABASE IF EXISTS $SCRATCH" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

# As root, serve must be told whom to become: the stack's service user,
# the owner of its secret key.
AS=()
if [ "$(id -u)" = 0 ]; then
	svc_user=$(stat -c %U "$(key secret_key_file)")
	AS=(FASCIA_USER="$svc_user")
fi

# check DESCRIPTION STATUS PATTERN [VAR=VALUE...]: `serve -t` with those
# overrides exits STATUS and its standard error matches PATTERN (ERE).
check() {
	local desc=$1 want=$2 pat=$3 rc
	shift 3
	env "${AS[@]}" "$@" "$BIN" -c "$CONF" serve -t >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" "$TMP/err" &&
		[ ! -s "$TMP/out" ]; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc (want $want), stderr:" \
			"$(cat "$TMP/err")" "stdout: $(cat "$TMP/out")"
	fi
}
last_line_is() {
	local got
	got=$(tail -n 1 "$TMP/err")
	if [ "$got" = "$2" ]; then ok "$1"; else not_ok "$1" "got:  $got" "want: $2"; fi
}

# A password in the connection string (ignored by the stack's trust
# authentication) must not be printed.
check "serve -t: a good configuration passes" 0 'templates in .*: ok' \
	FASCIA_DATABASE="$BASE password=sekrit$$"
missing=
for what in "syntax is ok" "secret key file .*: ok" "templates in .*: ok" \
	"database .* as .*: connected" "database schema at version [0-9]+"; do
	grep -qE "$what" "$TMP/err" || missing="$missing '$what'"
done
if [ -z "$missing" ]; then
	ok "serve -t names each thing it checked"
else
	not_ok "serve -t names each thing it checked" "missing:$missing" "$(cat "$TMP/err")"
fi
last_line_is "serve -t: the last line says the test is successful" \
	"fascia: configuration file $CONF test is successful"
if grep -q "sekrit" "$TMP/err"; then
	not_ok "serve -t does not print the connection string" "$(cat "$TMP/err")"
else
	ok "serve -t does not print the connection string"
fi

# The config file itself.
printf 'workers = many\n' >"$TMP/bad.conf"
cat "$CONF" "$TMP/bad.conf" >"$TMP/fascia.conf"
env "${AS[@]}" "$BIN" -c "$TMP/fascia.conf" serve -t >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" = 1 ] && grep -qE "fascia.conf:[0-9]+.*workers" "$TMP/err"; then
	ok "serve -t: a bad value fails with the file, line and key"
else
	not_ok "serve -t: a bad value fails with the file, line and key" \
		"exit $rc" "$(cat "$TMP/err")"
fi
last_line_is "serve -t: the last line says the test failed" \
	"fascia: configuration file $TMP/fascia.conf test failed"

# The secret key.
check "serve -t: a missing key file fails, naming keygen" 1 \
	'secret key file /nonexistent/secret.key: .*fascia keygen' \
	FASCIA_SECRET_KEY_FILE=/nonexistent/secret.key
head -c 32 /dev/urandom >"$TMP/open.key"
chmod 0644 "$TMP/open.key"
check "serve -t: a key file others can read fails (chmod 600)" 1 \
	'must not be readable by others' FASCIA_SECRET_KEY_FILE="$TMP/open.key"
head -c 16 /dev/urandom >"$TMP/short.key"
chmod 0600 "$TMP/short.key"
check "serve -t: a key of the wrong size fails" 1 'is not a 32-byte file' \
	FASCIA_SECRET_KEY_FILE="$TMP/short.key"

# The templates.
cp -R "$(key templates)" "$TMP/templates" || bail "cannot copy the templates"
printf '<TMPL_VAR name="x" nosuch="1">\n' >>"$TMP/templates/post.html"
check "serve -t: a broken template fails with its file and line" 1 \
	'post\.html.*[0-9]' FASCIA_TEMPLATES="$TMP/templates"
check "serve -t: a templates directory that is not there fails" 1 \
	'/nonexistent/templates' FASCIA_TEMPLATES=/nonexistent/templates

# The database.
check "serve -t: a database that cannot be reached fails (not skipped)" 1 \
	'database: .*(No such file|could not connect|failed)' \
	FASCIA_DATABASE="host=$TMP port=1 dbname=none"
"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$BASE dbname=postgres" \
	-c "CREATE DATABASE $SCRATCH" >/dev/null ||
	bail "cannot create the scratch database $SCRATCH"
check "serve -t: a database without the schema fails: run fascia migrate" 1 \
	'schema is at version 0 .*fascia migrate' \
	FASCIA_DATABASE="$BASE dbname=$SCRATCH"

# Whom serve runs as.
if [ "$(id -u)" = 0 ]; then
	check "as root without \`user\`, serve refuses to run" 1 \
		'refusing to serve as root: set .user.' FASCIA_USER=
	check "user = root is refused" 1 'user = root: refusing to serve as root' \
		FASCIA_USER=root
	check "an unknown user is refused" 1 'user = no-such-user-here: no such user' \
		FASCIA_USER=no-such-user-here
	check "as root with \`user\`, serve -t says whom it serves as" 0 \
		"started as root, serves as $svc_user"

	# serve itself: refuses without user, and with it drops to that user
	# before its workers exist, the socket given to it.
	sock=$TMP/serve.sock
	FASCIA_USER= FASCIA_LISTEN=$sock timeout 10 "$BIN" -c "$CONF" serve \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'refusing to serve as root' "$TMP/err" && [ ! -e "$sock" ]; then
		ok "serve started as root without \`user\` exits 1 before it listens"
	else
		not_ok "serve started as root without \`user\` exits 1 before it listens" \
			"exit $rc" "$(cat "$TMP/err")"
	fi
	chmod 0755 "$TMP"
	mkdir -p "$TMP/cache" && chown "$svc_user:" "$TMP/cache"
	FASCIA_USER=$svc_user FASCIA_LISTEN=$sock FASCIA_WORKERS=2 \
		FASCIA_PAGE_CACHE_DIR=$TMP/cache "$BIN" -c "$CONF" serve \
		>"$TMP/out" 2>"$TMP/serve.log" &
	pid=$!
	for _ in $(seq 1 50); do
		[ "$(pgrep -c -P "$pid")" -ge 3 ] && break
		sleep 0.1
	done
	uid=$(id -u "$svc_user")
	uids=$(for p in "$pid" $(pgrep -P "$pid"); do
		awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$p/status"
	done | sort -u)
	owner=$(stat -c %U "$sock" 2>/dev/null)
	if [ "$uids" = "$uid $uid $uid $uid" ] && [ "$owner" = "$svc_user" ] &&
		[ "$(pgrep -c -P "$pid")" -ge 3 ]; then
		ok "serve started as root with user = $svc_user: master, workers and keeper run as it, the socket is its"
	else
		not_ok "serve started as root with user = $svc_user runs as it" \
			"uids (real, effective, saved, fs): $uids; want $uid" \
			"socket owner: $owner" "$(cat "$TMP/serve.log")"
	fi
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
else
	skip "not root: the user checks need root"
fi

# Usage.
"$BIN" -c "$CONF" serve -x >/dev/null 2>"$TMP/err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'usage: fascia \[-c FILE\] serve \[-t\]' "$TMP/err"; then
	ok "serve -x is a usage error (exit 2)"
else
	not_ok "serve -x is a usage error (exit 2)" "exit $rc" "$(cat "$TMP/err")"
fi

tap_end
