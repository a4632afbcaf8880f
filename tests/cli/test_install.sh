#!/usr/bin/env bash
# tests/cli/test_install.sh: `make install` and `make uninstall` into a
# DESTDIR, and the installed fascia serving a page, with TAP output.
#
#   tests/cli/test_install.sh CONFIG
#
# CONFIG is a running stack's config (var/test/fascia.conf): its database
# and secret key are what the installed fascia is pointed at.  The tree is
# built afresh in a scratch directory (BUILD=), installed with PREFIX=/usr
# into a scratch DESTDIR, and the installed files are checked: every one in
# its place, their paths following PREFIX, the manual pages clean under
# mandoc, the units under `systemd-analyze verify`.  Then the installed
# binary, with the installed config, checks itself (`serve -t`) and is
# started as the unit starts it, its listening socket on standard input,
# by Debian's systemd-socket-activate; a private nginx whose http block is
# the installed nginx files serves its pages.  Last, `make uninstall`
# leaves the DESTDIR empty, or only an edited config.  As root, fascia and
# nginx run as the stack's service user (the owner of the secret key).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
PORT=${FASCIA_INSTALL_TEST_PORT:-18091}
# shellcheck source=../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
suite_args "$@"

key() { conf_key "$CONF" "$1"; }
DATABASE=$(key database)
SECRET=$(key secret_key_file)
[ -r "$SECRET" ] || bail "the stack's secret key $SECRET is not readable"
SVC=()
if [ "$(id -u)" = 0 ]; then
	svc_user=$(stat -c %U "$SECRET")
	SVC=(setpriv --reuid="$svc_user" --regid="$svc_user" --init-groups)
fi
for tool in nginx curl systemd-socket-activate; do
	command -v "$tool" >/dev/null || bail "$tool is not installed"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fascia-install-test.XXXXXX") || bail "mktemp"
chmod 0755 "$TMP"
D=$TMP/root    # the DESTDIR
R=$TMP/run     # the running fascia's and nginx's files
B=$TMP/build   # the build
mkdir -p "$R/tmp"
[ ${#SVC[@]} = 0 ] || chown -R "$svc_user:" "$R"
fascia_pid=
cleanup() {
	[ -z "$fascia_pid" ] || kill "$fascia_pid" 2>/dev/null
	[ ! -s "$R/nginx.pid" ] || kill "$(cat "$R/nginx.pid")" 2>/dev/null
	sleep 0.2
	rm -rf "$TMP"
}
trap cleanup EXIT

MAKE_VARS=(BUILD="$B" PREFIX=/usr DESTDIR="$D"
	NGINX_LISTEN="127.0.0.1:$PORT" NGINX_LISTEN_V6= NGINX_SERVER_NAME=127.0.0.1
	NGINX_FASCIA_SOCKET="$R/fascia.sock"
	NGINX_STATIC_DIR="$D/usr/share/fascia/static"
	NGINX_FASTCGI_PARAMS=/etc/nginx/fastcgi_params
	NGINX_CACHE_DIR="$R/nginx-cache" NGINX_PAGE_CACHE_DIR="$R/page-cache")

# --- install ----------------------------------------------------------------

if make -s -C "$ROOT" install "${MAKE_VARS[@]}" >"$TMP/install.log" 2>&1; then
	ok "make install PREFIX=/usr DESTDIR=... (built afresh)"
	note "$(tail -n 1 "$TMP/install.log")"
else
	not_ok "make install PREFIX=/usr DESTDIR=..." "$(tail -n 20 "$TMP/install.log")"
	bail "nothing installed"
fi

missing=
for f in usr/bin/fascia etc/fascia/fascia.conf \
	usr/share/fascia/templates/post.html usr/share/fascia/static/style.css \
	usr/share/fascia/static/style.css.gz \
	usr/share/fascia/migrations/001_schema.sql \
	usr/share/fascia/nginx/nginx-http.conf usr/share/fascia/nginx/nginx-site.conf \
	usr/share/fascia/systemd/fascia.service usr/share/fascia/systemd/fascia.socket \
	usr/share/fascia/systemd/fascia-backup.service \
	usr/share/fascia/systemd/fascia-backup.timer usr/share/fascia/fascia-backup.sh \
	usr/share/man/man8/fascia.8 usr/share/man/man5/fascia.conf.5 \
	usr/share/doc/fascia/README.md usr/share/fascia/installed-files; do
	[ -e "$D/$f" ] || missing="$missing $f"
done
for f in templates static migrations; do
	(cd "$ROOT/$f" && find . -type f) | while IFS= read -r g; do
		[ -e "$D/usr/share/fascia/$f/$g" ] || echo "$f/$g"
	done >>"$TMP/missing"
done
missing="$missing $(tr '\n' ' ' <"$TMP/missing")"
if [ -z "${missing// /}" ]; then
	ok "every file in its place: binary, templates, static, migrations, nginx, units, man, doc, config"
else
	not_ok "every file in its place" "missing:$missing"
fi
if [ "$(stat -c %a "$D/usr/bin/fascia")" = 755 ] &&
	[ "$(stat -c %a "$D/usr/share/fascia/fascia-backup.sh")" = 755 ] &&
	[ "$(stat -c %a "$D/etc/fascia/fascia.conf")" = 644 ]; then
	ok "the binary and the backup script are 0755, the config 0644"
else
	not_ok "the binary and the backup script are 0755, the config 0644" \
		"$(stat -c '%a %n' "$D/usr/bin/fascia" "$D/etc/fascia/fascia.conf")"
fi

# Paths follow PREFIX: nothing of the default /usr/local is left.
left=$(grep -rlI /usr/local "$D" 2>/dev/null | grep -v /README.md)
grep -q '/usr/local' "$D/usr/bin/fascia" && left="$left usr/bin/fascia"
svc=$D/usr/share/fascia/systemd/fascia.service
if [ -z "$left" ] &&
	grep -qx 'ExecStart=/usr/bin/fascia -c /etc/fascia/fascia.conf serve' "$svc" &&
	grep -qx 'ExecReload=/usr/bin/fascia -c /etc/fascia/fascia.conf serve -t' "$svc" &&
	grep -q '^ExecStart=/usr/share/fascia/fascia-backup.sh -c /etc/fascia/fascia.conf ' \
		"$D/usr/share/fascia/systemd/fascia-backup.service" &&
	grep -q 'CONF=${FASCIA_CONFIG:-/etc/fascia/fascia.conf}' "$D/usr/share/fascia/fascia-backup.sh" &&
	grep -qx 'templates = /usr/share/fascia/templates' "$D/etc/fascia/fascia.conf" &&
	"$D/usr/bin/fascia" --help | grep -q '/etc/fascia/fascia.conf)'; then
	ok "the paths in the units, the config and the binary follow PREFIX=/usr"
else
	not_ok "the paths in the units, the config and the binary follow PREFIX=/usr" \
		"still /usr/local: $left" "$(grep -E '^Exec' "$svc")"
fi

if command -v mandoc >/dev/null; then
	out=$(mandoc -Tlint -W warning "$D/usr/share/man/man8/fascia.8" \
		"$D/usr/share/man/man5/fascia.conf.5" 2>&1)
	if [ -z "$out" ]; then ok "the installed man pages are mandoc -Tlint clean"; else
		not_ok "the installed man pages are mandoc -Tlint clean" "$out"; fi
else
	skip "mandoc is not installed"
fi

# systemd-analyze verify: the binary is not at /usr/bin (DESTDIR), which it
# says; anything else it says is a failure.  MANPATH: the pages of
# Documentation= are the installed ones.
if command -v systemd-analyze >/dev/null; then
	out=$(MANPATH=$D/usr/share/man systemd-analyze verify \
		"$D/usr/share/fascia/systemd/fascia.socket" "$svc" \
		"$D/usr/share/fascia/systemd/fascia-backup.timer" \
		"$D/usr/share/fascia/systemd/fascia-backup.service" 2>&1 |
		grep -v -e 'Command /usr/bin/fascia is not executable' \
			-e 'Command /usr/share/fascia/fascia-backup.sh is not executable')
	if [ -z "$out" ]; then ok "systemd-analyze verify passes on the installed units"; else
		not_ok "systemd-analyze verify passes on the installed units" "$out"; fi
else
	skip "systemd-analyze is not installed"
fi

# --- the installed fascia, started as the unit starts it ----------------------

# What the unit's environment and this scratch place change: the share
# directory is under DESTDIR, the database and key are the stack's.
RUN_ENV=(FASCIA_LISTEN=stdin FASCIA_DATABASE="$DATABASE"
	FASCIA_SECRET_KEY_FILE="$SECRET" FASCIA_WORKERS=2
	FASCIA_TEMPLATES="$D/usr/share/fascia/templates"
	FASCIA_STATIC="$D/usr/share/fascia/static"
	FASCIA_MIGRATIONS="$D/usr/share/fascia/migrations"
	FASCIA_PAGE_CACHE_DIR="$R/page-cache")
if out=$("${SVC[@]}" env "${RUN_ENV[@]}" "$D/usr/bin/fascia" \
	-c "$D/etc/fascia/fascia.conf" serve -t 2>&1); then
	ok "the installed fascia checks the installed config: serve -t exits 0"
	note "$out"
else
	not_ok "the installed fascia checks the installed config: serve -t exits 0" "$out"
fi

# systemd-socket-activate passes on only the environment it is told to
# (-E), as systemd does; it execs fascia at the first connection.
ACTIVATE_ENV=()
for v in "${RUN_ENV[@]}"; do ACTIVATE_ENV+=(-E "$v"); done
(cd "$R" && exec "${SVC[@]}" systemd-socket-activate "${ACTIVATE_ENV[@]}" \
	--inetd -l "$R/fascia.sock" "$D/usr/bin/fascia" \
	-c "$D/etc/fascia/fascia.conf" serve) </dev/null >"$R/fascia.out" 2>"$R/fascia.log" &
fascia_pid=$!

cat >"$R/nginx.conf" <<EOF
worker_processes 1;
pid $R/nginx.pid;
error_log $R/error.log warn;
events {
	worker_connections 256;
}
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log $R/access.log;
	client_body_temp_path $R/tmp/client_body;
	proxy_temp_path $R/tmp/proxy;
	fastcgi_temp_path $R/tmp/fastcgi;
	uwsgi_temp_path $R/tmp/uwsgi;
	scgi_temp_path $R/tmp/scgi;
	include $D/usr/share/fascia/nginx/nginx-http.conf;
	include $D/usr/share/fascia/nginx/nginx-site.conf;
}
EOF
[ ${#SVC[@]} = 0 ] || chown "$svc_user:" "$R/nginx.conf"
if ! out=$("${SVC[@]}" nginx -p "$R/" -c "$R/nginx.conf" -e "$R/error.log" 2>&1); then
	not_ok "nginx starts with the installed nginx files" "$out" "$(cat "$R/error.log" 2>/dev/null)"
	bail "no nginx"
fi
ok "nginx starts with the installed nginx files (nginx-http.conf, nginx-site.conf)"

url=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ] && break
	sleep 0.1
done
code=$(curl -s -o "$TMP/home" -w '%{http_code}' "$url/")
title=$(key site_title)
if [ "$code" = 200 ] && grep -q "<html" "$TMP/home"; then
	ok "the home page is served through nginx by the installed fascia (200)"
else
	not_ok "the home page is served through nginx by the installed fascia (200)" \
		"status $code" "$(tail -n 5 "$R/fascia.log")" "$(tail -n 5 "$R/error.log" 2>/dev/null)"
fi
post=$(grep -oE 'href="/[a-z0-9-]+/"' "$TMP/home" | sed 's/^href="//; s/"$//' |
	grep -vE '^/(page|author|tag|feed)/' | head -n 1)
c1=$(curl -s -o /dev/null -w '%{http_code}' "$url$post")
c2=$(curl -s -o /dev/null -D "$TMP/h2" -w '%{http_code}' "$url$post")
if [ -n "$post" ] && [ "$c1" = 200 ] && [ "$c2" = 200 ] &&
	grep -qi '^X-Cache: HIT' "$TMP/h2"; then
	ok "a post page ($post) is 200, and comes from the page cache the second time"
else
	not_ok "a post page is 200, and comes from the page cache the second time" \
		"post '$post': $c1 then $c2" "$(cat "$TMP/h2")"
fi
css=$(grep -o '/static/style\.css[^"]*' "$TMP/home" | head -n 1)
enc=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$url${css:-/static/style.css}" |
	tr -d '\r' | sed -n 's/^[Cc]ontent-[Ee]ncoding: *//p')
if [ "$enc" = gzip ]; then
	ok "the installed static files are served precompressed (gzip_static)"
else
	not_ok "the installed static files are served precompressed (gzip_static)" \
		"Content-Encoding: '$enc' for ${css:-/static/style.css}"
fi

alive=0
kill -0 "$fascia_pid" 2>/dev/null && [ "$(cat "/proc/$fascia_pid/comm")" = fascia ] && alive=1
kill -TERM "$fascia_pid" 2>/dev/null
for _ in $(seq 1 50); do
	kill -0 "$fascia_pid" 2>/dev/null || break
	sleep 0.1
done
if [ "$alive" = 1 ] && ! kill -0 "$fascia_pid" 2>/dev/null; then
	ok "SIGTERM stops the socket-activated fascia"
	fascia_pid=
else
	not_ok "SIGTERM stops the socket-activated fascia" "running before: $alive" \
		"$(tail -n 5 "$R/fascia.log")"
fi
"${SVC[@]}" nginx -p "$R/" -c "$R/nginx.conf" -e "$R/error.log" -s quit 2>/dev/null

# --- an upgrade: install over the install ---------------------------------------

# a file the last version installed and this one has not: the upgrade
# removes it
stale=/usr/share/fascia/templates/retired.html
: >"$D$stale"
echo "f $stale" >>"$D/usr/share/fascia/installed-files"
echo "; the owner's setting" >>"$D/etc/fascia/fascia.conf"
if make -s -C "$ROOT" install "${MAKE_VARS[@]}" >"$TMP/install.log" 2>&1 &&
	[ ! -e "$D$stale" ] && grep -q "the owner's setting" "$D/etc/fascia/fascia.conf" &&
	grep -q "is there already: left as it is" "$TMP/install.log"; then
	ok "make install over an install: the config kept, a retired file removed"
else
	not_ok "make install over an install: the config kept, a retired file removed" \
		"$(cat "$TMP/install.log")" "$(ls -la "$D$stale" 2>&1)"
fi
sed -i "/the owner's setting/d" "$D/etc/fascia/fascia.conf"

# --- uninstall ----------------------------------------------------------------

if make -s -C "$ROOT" uninstall "${MAKE_VARS[@]}" >"$TMP/uninstall.log" 2>&1 &&
	[ -z "$(find "$D" -mindepth 1 -print -quit)" ]; then
	ok "make uninstall removes exactly what make install put"
	note "$(tail -n 1 "$TMP/uninstall.log")"
else
	not_ok "make uninstall removes exactly what make install put" \
		"$(cat "$TMP/uninstall.log")" "left: $(find "$D" -mindepth 1 | head)"
fi

make -s -C "$ROOT" install "${MAKE_VARS[@]}" >"$TMP/install.log" 2>&1
echo "; the owner's own line" >>"$D/etc/fascia/fascia.conf"
make -s -C "$ROOT" uninstall "${MAKE_VARS[@]}" >"$TMP/uninstall.log" 2>&1
left=$(cd "$D" && find . -mindepth 1 -type f)
if [ "$left" = ./etc/fascia/fascia.conf ] &&
	grep -q "was edited: left as it is" "$TMP/uninstall.log"; then
	ok "make uninstall keeps a config the owner edited, and says so"
else
	not_ok "make uninstall keeps a config the owner edited, and says so" \
		"left: $left" "$(cat "$TMP/uninstall.log")"
fi

tap_end
