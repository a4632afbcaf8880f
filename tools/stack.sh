#!/usr/bin/env bash
# tools/stack.sh ENV CMD: a private PostgreSQL + fascia + nginx for one
# environment, all under var/ENV/, no system service touched.
#
# ENV:
#   dev    what `make run` serves:   http://127.0.0.1:8080 (FASCIA_HTTP_PORT)
#   test   what `make test` drives:  http://127.0.0.1:8081 (FASCIA_HTTP_PORT)
#   bench  what `make bench` loads:  http://127.0.0.1:8082 (FASCIA_HTTP_PORT)
#   cluster what `make test-cluster` drives, with a standby:
#                                    http://127.0.0.1:8083 (FASCIA_HTTP_PORT)
# Each has its own cluster, ports and files, so all can run at once.
#
# CMD:
#   up [--fresh] [--data FILE]
#                 start whatever is not running: initdb on first use, the
#                 database, migrations, the demo content (or the SQL of
#                 FILE) when there are no posts, fascia, nginx; returns once
#                 /healthz answers 200.  --fresh drops and recreates the
#                 database first.
#   down          stop nginx, fascia and PostgreSQL; nothing is left running
#   run           up, print the URL, wait; Ctrl-C or SIGTERM runs down
#   status        what is running, and what /healthz says
#   psql [ARGS]   psql on the blog's database (SQL from stdin if not a tty)
#   pg-stop       stop PostgreSQL only (fault tests)
#   pg-start      start PostgreSQL only
#   standby-start a hot standby of the stack's PostgreSQL, streaming from
#                 it (made with pg_basebackup -R on first use), on the port
#                 FASCIA_PG_PORT + 10 in the same socket directory
#   standby-stop  stop the standby (down stops it too)
#   info          key=value lines for scripts: url, paths, pids, database
#   reset         down, then delete var/ENV (the data too)
#
# Environment: FASCIA_HTTP_PORT (nginx port), FASCIA_PG_PORT (the number in
# PostgreSQL's socket name), FASCIA_BIN (the binary; default build/fascia),
# FASCIA_COMMENT_RATE and FASCIA_COMMENT_BURST (nginx's limit_req on comment
# POSTs; dev has the deployment's, 10r/m and 5, and the test and bench
# stacks raise them out of the way), FASCIA_STACK_SET ("key=value ..."
# pairs written into the stack's fascia.conf over conf/fascia.conf's).
#
# The bench stack also relaxes fascia's own flood_interval and
# min_fill_time to 0, so that benchmark posters are not turned away, and
# includes var/bench/nginx-extra.conf in its server block (bench/run.sh
# writes its reference locations there).
#
# nginx runs on var/ENV/nginx.conf, written by every up: a minimal main
# config around the templates conf/nginx-http.conf.in and
# conf/nginx-site.conf.in, which tools/fill-template.sh fills in with this
# stack's address, paths and limits (the deployment's files come from the
# same templates: `make nginx-conf`).
#
# As root, PostgreSQL, fascia and nginx run as the system user `fascia`
# (tools/bootstrap.sh creates it; initdb refuses root) and var/ENV belongs to
# it.  When that user cannot reach the checkout (a clone under /root, say),
# ENV=test runs from a private directory under /tmp, linked as var/test.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ME=stack.sh

usage() {
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p;}' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}
say() { printf '%s: %s\n' "$ME $ENV" "$*" >&2; }
die() {
	printf '%s: error: %s\n' "$ME ${ENV:-}" "$*" >&2
	exit 1
}

ENV=${1:-}
CMD=${2:-}
case $ENV in
-h | --help | help) usage 0 ;;
dev)
	HTTP_PORT=${FASCIA_HTTP_PORT:-8080}
	PG_PORT=${FASCIA_PG_PORT:-54380}
	;;
test)
	HTTP_PORT=${FASCIA_HTTP_PORT:-8081}
	PG_PORT=${FASCIA_PG_PORT:-54381}
	;;
bench)
	HTTP_PORT=${FASCIA_HTTP_PORT:-8082}
	PG_PORT=${FASCIA_PG_PORT:-54382}
	;;
cluster)
	HTTP_PORT=${FASCIA_HTTP_PORT:-8083}
	PG_PORT=${FASCIA_PG_PORT:-54383}
	;;
*) usage 2 >&2 ;;
esac
[ -n "$CMD" ] || usage 2 >&2
shift 2
case $HTTP_PORT$PG_PORT in *[!0-9]*) die "ports must be numbers" ;; esac
STANDBY_PORT=$((PG_PORT + 10))

URL=http://127.0.0.1:$HTTP_PORT
BIN_SRC=${FASCIA_BIN:-$ROOT/build/fascia}
case $BIN_SRC in /*) ;; *) BIN_SRC=$PWD/$BIN_SRC ;; esac
VARDIR=$ROOT/var/$ENV
SVC_USER=fascia
DB_NAME=fascia
DB_USER=fascia
# The role fascia serves as: it owns nothing (`fascia migrate` connects as
# DB_USER, the owner, and grants it the rows), so a request can change no
# table's shape.
DB_WEB_USER=fascia_web
# nginx's limit on comment POSTs.  dev has the deployment's (the Makefile's
# NGINX_COMMENT_RATE and NGINX_COMMENT_BURST).  The test suite posts many
# comments from one address in a few seconds: its stack raises the limit out
# of the way (fascia's own checks still apply).
if [ "$ENV" = bench ]; then
	# the comment benchmark posts thousands a second from one address
	COMMENT_RATE=${FASCIA_COMMENT_RATE:-100000r/s}
	COMMENT_BURST=${FASCIA_COMMENT_BURST:-100000}
elif [ "$ENV" != dev ]; then
	COMMENT_RATE=${FASCIA_COMMENT_RATE:-1000r/s}
	COMMENT_BURST=${FASCIA_COMMENT_BURST:-1000}
else
	COMMENT_RATE=${FASCIA_COMMENT_RATE:-10r/m}
	COMMENT_BURST=${FASCIA_COMMENT_BURST:-5}
fi

# PostgreSQL's server programs: Debian keeps them off PATH.
PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ ! -x "$PGBIN/pg_ctl" ]; then
	PGBIN=
	command -v pg_ctl >/dev/null 2>&1 && PGBIN=$(dirname "$(command -v pg_ctl)")
fi
need_pg() { [ -n "$PGBIN" ] || die "PostgreSQL's server is not installed: run tools/bootstrap.sh run"; }

# --- who runs the services ----------------------------------------------

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
SVC=()
if [ "$IS_ROOT" = 1 ]; then
	SVC=(setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups
		env HOME=/ USER="$SVC_USER" LOGNAME="$SVC_USER")
fi

# as_svc CMD...: run CMD as the service user, from the runtime directory
# (the caller's working directory may be out of that user's reach).
as_svc() {
	(cd "$RUNDIR" && close_fds && exec "${SVC[@]}" "$@")
}

# close_fds: in a subshell about to become a daemon, close every inherited
# descriptor above 2 (our lock, make's jobserver pipe, a terminal's extras).
close_fds() {
	local fd
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
	done
	return 0
}

# svc_can_read: can the service user use the checkout in place (its
# templates, static files, migrations and, for dev, the binary)?
svc_can_read() {
	[ "$IS_ROOT" = 1 ] || return 0
	local bin=
	[ "$ENV" = dev ] && bin=$BIN_SRC
	"${SVC[@]}" sh -c 'cd "$1" && test -r conf/fascia.conf && test -x templates &&
		test -x static && test -x migrations && { [ -z "$2" ] || test -x "$2"; }' \
		sh "$ROOT" "$bin" 2>/dev/null
}

# Paths go into INI values, libpq strings and nginx directives unquoted,
# and Unix socket paths are limited to 107 bytes.
path_ok() {
	case $1 in *[[:space:]\;\'\"\\\$\#\{\}]*) return 1 ;; esac
	[ $((${#1} + 20)) -le 100 ]
}

# --- the runtime directory ----------------------------------------------

# set_paths: RUNDIR is var/ENV with symlinks resolved, where every file of
# this environment lives.  With create=1 it is made if missing, under /tmp
# for ENV=test when the service user cannot reach the checkout.
RUNDIR=
set_paths() {
	local create=$1 why=
	if [ -L "$VARDIR" ] && [ ! -d "$VARDIR" ]; then
		[ "$create" = 1 ] || return 1
		rm -f "$VARDIR" # its /tmp directory is gone (reboot)
	fi
	if [ -d "$VARDIR" ]; then
		RUNDIR=$(cd "$VARDIR" && pwd -P)
	elif [ "$create" = 1 ]; then
		if ! svc_can_read; then
			why="the $SVC_USER user cannot read $ROOT"
		elif ! path_ok "$VARDIR"; then
			why="the path $VARDIR is too long or has special characters for socket and config paths"
		fi
		if [ -z "$why" ]; then
			mkdir -p "$VARDIR"
			RUNDIR=$VARDIR
		elif [ "$ENV" != dev ]; then
			RUNDIR=$(mktemp -d "/tmp/fascia-$ENV.XXXXXX")
			mkdir -p "$ROOT/var"
			ln -sfn "$RUNDIR" "$VARDIR"
			say "$why: running from $RUNDIR instead (linked as var/$ENV)"
		else
			die "$why.  Move the checkout somewhere that user can read (e.g. /srv or /opt), or run as a normal user"
		fi
	else
		return 1
	fi
	path_ok "$RUNDIR" || die "$RUNDIR: path too long or has special characters"
	PGDATA=$RUNDIR/pg
	STANDBY=$RUNDIR/pg-standby
	STANDBY_LOG=$RUNDIR/postgres-standby.log
	CONF=$RUNDIR/fascia.conf
	FASCIA_PID=$RUNDIR/fascia.pid
	FASCIA_LOG=$RUNDIR/fascia.log
	SOCKDIR=$RUNDIR/run
	SOCK=$SOCKDIR/fascia.sock
	# the cluster stack's nginx knows a second instance, which
	# tests/cluster/run.sh starts and kills itself
	SOCK2=$SOCKDIR/fascia-2.sock
	MORE_INSTANCES=
	[ "$ENV" != cluster ] || MORE_INSTANCES="server unix:$SOCK2;"
	NGX=$RUNDIR/nginx
	NGX_CONF=$RUNDIR/nginx.conf
	NGX_PID=$NGX/nginx.pid
	NGX_ERR=$NGX/error.log
	PG_LOG=$RUNDIR/postgres.log
	NGX_EXTRA=$RUNDIR/nginx-extra.conf
	PAGE_CACHE=$RUNDIR/cache
	if [ "$ENV" = bench ] && [ "$IS_ROOT" = 1 ]; then
		# nginx pays a readlink(2) per component of this path on every
		# request (README, "The page cache"): the bench measures at the
		# depth of a deployment's /var/cache/fascia, not of the checkout.
		PAGE_CACHE=/var/cache/fascia-bench
	fi
	if [ "$ENV" != dev ]; then
		# The test and bench stacks serve copies (refreshed by every `up`):
		# the suite edits them to test reloads, and they stay readable by
		# the service user wherever the checkout is.
		SHARE=$RUNDIR/share
		BIN=$RUNDIR/bin/fascia
	else
		SHARE=$ROOT
		BIN=$BIN_SRC
	fi
	return 0
}

need_paths() {
	set_paths 0 || die "nothing here yet: run 'tools/stack.sh $ENV up' first"
}

own() { [ "$IS_ROOT" = 0 ] || chown -R "$SVC_USER:$SVC_USER" "$@"; }

# --- small helpers ------------------------------------------------------

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
not_alive() { ! alive "$1"; }
pid_of() { [ -s "$1" ] && tr -dc 0-9 <"$1"; }

tail_log() {
	[ -s "$1" ] || return 0
	echo "--- last lines of $1:" >&2
	tail -n 20 "$1" >&2
	echo "---" >&2
}

dsn() { echo "host=$RUNDIR port=$PG_PORT dbname=${1:-$DB_NAME} user=${2:-$DB_USER}"; }
q() { PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$(dsn "${2:-}")" -c "$1"; }

# --- PostgreSQL ---------------------------------------------------------

# pg_running [DATADIR]: is that cluster (default: the primary) running?
pg_running() {
	local d=${1:-$PGDATA}
	[ -n "$PGBIN" ] && [ -f "$d/PG_VERSION" ] &&
		as_svc "$PGBIN/pg_ctl" -D "$d" status >/dev/null 2>&1
}

pg_init() {
	[ -f "$PGDATA/PG_VERSION" ] && return 0
	say "initdb $PGDATA"
	rm -rf "$PGDATA"
	mkdir -p "$PGDATA"
	chmod 700 "$PGDATA"
	own "$PGDATA"
	if ! as_svc "$PGBIN/initdb" -D "$PGDATA" -U "$DB_USER" -A trust -E UTF8 \
		--no-locale --no-instructions >"$RUNDIR/initdb.log" 2>&1; then
		tail_log "$RUNDIR/initdb.log"
		rm -rf "$PGDATA"
		die "initdb failed"
	fi
	echo "include_if_exists = 'stack.conf'	# written by tools/stack.sh" >>"$PGDATA/postgresql.conf"
}

# pg_conf DATADIR PORT: the cluster's stack.conf, regenerated at each start:
# the paths are computed, never stored.
pg_conf() {
	{
		echo "# written by tools/stack.sh at each start: do not edit"
		echo "listen_addresses = ''"
		echo "port = $2"
		echo "unix_socket_directories = '$RUNDIR'"
		echo "unix_socket_permissions = 0700"
		echo "max_connections = 40"
		echo "timezone = 'UTC'"
		echo "log_timezone = 'UTC'"
		echo "lc_messages = 'C'"
		echo "log_line_prefix = '%m [%p] %q%u@%d '"
		if [ "$ENV" = test ]; then
			# Throwaway data: durability buys nothing here.
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
	} >"$1/stack.conf"
	own "$1/stack.conf"
}

# pg_launch DATADIR PORT LOG WHAT: start that cluster on PORT, logging to
# LOG; stop the stack, naming WHAT, when it does not come up.
pg_launch() {
	pg_conf "$1" "$2"
	: >>"$3"
	own "$3"
	if ! as_svc setsid "$PGBIN/pg_ctl" -D "$1" -l "$3" -w -t 60 -s start >/dev/null 2>&1; then
		tail_log "$3"
		die "$4 did not start"
	fi
}

pg_start() {
	pg_running && return 0
	pg_init
	pg_launch "$PGDATA" "$PG_PORT" "$PG_LOG" PostgreSQL
}

# pg_stop [DATADIR]: stop that cluster (default: the primary).
pg_stop() {
	local pid d=${1:-$PGDATA}
	pg_running "$d" || return 0
	pid=$(head -n 1 "$d/postmaster.pid" 2>/dev/null | tr -dc 0-9) || true
	as_svc "$PGBIN/pg_ctl" -D "$d" -m fast -w -t 60 -s stop >/dev/null 2>&1 ||
		as_svc "$PGBIN/pg_ctl" -D "$d" -m immediate -w -t 30 -s stop >/dev/null 2>&1 || true
	pg_running "$d" && die "PostgreSQL did not stop (pid file $d/postmaster.pid)"
	# pg_ctl returns once the pid file is gone; the postmaster may still be
	# on its way out.
	[ -z "$pid" ] || wait_for 10 not_alive "$pid" || die "PostgreSQL (pid $pid) did not exit"
	return 0
}

# A hot standby of the primary: its copy made once by pg_basebackup -R
# (which writes standby.signal and primary_conninfo: it streams from the
# primary and replays as it goes), then started on its own port in the same
# socket directory.  It answers reads; the primary takes the writes.
standby_start() {
	pg_running "$STANDBY" && return 0
	pg_running || die "the standby needs the primary running (up or pg-start)"
	if [ ! -f "$STANDBY/PG_VERSION" ]; then
		say "pg_basebackup $STANDBY"
		rm -rf "$STANDBY"
		mkdir -p "$STANDBY"
		chmod 700 "$STANDBY"
		own "$STANDBY"
		if ! as_svc "$PGBIN/pg_basebackup" -h "$RUNDIR" -p "$PG_PORT" -U "$DB_USER" \
			-D "$STANDBY" -R -X stream -c fast >"$RUNDIR/basebackup.log" 2>&1; then
			tail_log "$RUNDIR/basebackup.log"
			rm -rf "$STANDBY"
			die "pg_basebackup failed"
		fi
	fi
	pg_launch "$STANDBY" "$STANDBY_PORT" "$STANDBY_LOG" "the standby"
}

db_prepare() {
	local fresh=$1
	if [ "$fresh" = 1 ]; then
		q "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" postgres >/dev/null
	fi
	if [ "$(q "SELECT 1 FROM pg_roles WHERE rolname = '$DB_WEB_USER'" postgres)" != 1 ]; then
		q "CREATE ROLE $DB_WEB_USER LOGIN" postgres >/dev/null
	fi
	if [ "$(q "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" postgres)" != 1 ]; then
		say "create database $DB_NAME"
		q "CREATE DATABASE $DB_NAME" postgres >/dev/null
	fi
}

# --- fascia -------------------------------------------------------------

fascia_pid() {
	local pid
	pid=$(pid_of "$FASCIA_PID" 2>/dev/null) || return 1
	alive "$pid" || return 1
	# A recycled pid is not ours: ours leads its own process group.
	[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ] || return 1
	echo "$pid"
}

# The FASCIA_<KEY> overrides of the caller's shell must not leak into the
# stack: its config file says everything.
clean_env() {
	local k
	ENV_CLEAN=(env -u FASCIA_CONFIG)
	for k in $(sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*=.*/\1/p' "$ROOT/conf/fascia.conf"); do
		ENV_CLEAN+=(-u "FASCIA_${k^^}")
	done
}

copy_share() {
	[ "$ENV" != dev ] || return 0
	[ -x "$BIN_SRC" ] || die "$BIN_SRC not found: run make first"
	rm -rf "$SHARE.new"
	mkdir -p "$SHARE.new" "$RUNDIR/bin"
	cp -R "$ROOT/templates" "$ROOT/static" "$ROOT/migrations" "$SHARE.new/"
	"$ROOT/tools/gzip-static.sh" "$SHARE.new/static"
	rm -rf "$SHARE"
	mv "$SHARE.new" "$SHARE"
	if ! cmp -s "$BIN_SRC" "$BIN"; then
		cp "$BIN_SRC" "$BIN.new"
		mv -f "$BIN.new" "$BIN"
	fi
	own "$SHARE" "$RUNDIR/bin"
}

write_conf() {
	local tmp=$CONF.new kv keys
	local -a set=()
	if [ "$ENV" = bench ]; then
		set+=(SET_flood_interval=0 SET_min_fill_time=0)
	fi
	for kv in ${FASCIA_STACK_SET:-}; do
		case $kv in
		[a-z_]*=*) set+=("SET_$kv") ;;
		*) die "FASCIA_STACK_SET: expected key=value, not $kv" ;;
		esac
	done
	keys="listen workers database owner_database templates static migrations secret_key_file base_url page_cache_dir"
	for kv in "${set[@]}"; do
		kv=${kv#SET_}
		keys="$keys ${kv%%=*}"
	done
	env "${set[@]}" SET_KEYS="$keys" \
		"SET_listen=$SOCK" \
		"SET_workers=2" \
		"SET_database=$(dsn "$DB_NAME" "$DB_WEB_USER")" \
		"SET_owner_database=$(dsn)" \
		"SET_templates=$SHARE/templates" \
		"SET_static=$SHARE/static" \
		"SET_migrations=$SHARE/migrations" \
		"SET_secret_key_file=$RUNDIR/secret.key" \
		"SET_base_url=$URL" \
		"SET_page_cache_dir=$PAGE_CACHE" \
		awk '
		BEGIN {
			print "; Generated by tools/stack.sh from conf/fascia.conf for the \"'"$ENV"'\""
			print "; stack: edit conf/fascia.conf instead (this file is rewritten by every up)."
			print ""
		}
		match($0, /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/) {
			k = $0; sub(/^[ \t]*/, "", k); sub(/[ \t]*=.*/, "", k)
			if (("SET_" k) in ENVIRON) { print k " = " ENVIRON["SET_" k]; seen[k] = 1; next }
		}
		{ print }
		END {
			n = split(ENVIRON["SET_KEYS"], ks, " ")
			for (i = 1; i <= n; i++)
				if (!(ks[i] in seen)) print ks[i] " = " ENVIRON["SET_" ks[i]]
		}' "$ROOT/conf/fascia.conf" >"$tmp" || die "cannot write $CONF from conf/fascia.conf"
	own "$tmp"
	chmod 640 "$tmp"
	if cmp -s "$tmp" "$CONF"; then
		rm -f "$tmp"
	else
		mv -f "$tmp" "$CONF"
	fi
}

fascia_cli() {
	clean_env
	as_svc "${ENV_CLEAN[@]}" "$BIN" -c "$CONF" "$@"
}

bin_stamp() { stat -L -c '%Y %s %i' "$BIN" 2>/dev/null; }

fascia_start() {
	local pid
	if pid=$(fascia_pid); then
		if [ "$(cat "$RUNDIR/fascia.stamp" 2>/dev/null)" = "$(bin_stamp)" ]; then
			# Same binary: reload, for templates or config edited since.
			kill -HUP "$pid"
			say "fascia already running (pid $pid): sent SIGHUP"
			return 0
		fi
		say "the binary changed: restarting fascia"
		fascia_stop
	fi
	mkdir -p "$SOCKDIR"
	chmod 750 "$SOCKDIR"
	own "$SOCKDIR"
	rm -f "$SOCK"
	: >>"$FASCIA_LOG"
	own "$FASCIA_LOG"
	clean_env
	bin_stamp >"$RUNDIR/fascia.stamp"
	# setsid: a process group of its own, out of reach of the terminal's
	# Ctrl-C (`run` stops it in order) and easy to end as a whole.
	(cd "$RUNDIR" && close_fds && exec setsid "${SVC[@]}" "${ENV_CLEAN[@]}" "$BIN" -c "$CONF" serve \
		</dev/null >>"$FASCIA_LOG" 2>&1) &
	pid=$!
	echo "$pid" >"$FASCIA_PID"
	if ! wait_for 20 fascia_ready "$pid"; then
		tail_log "$FASCIA_LOG"
		alive "$pid" && die "fascia (pid $pid) did not create $SOCK within 20 s"
		die "fascia exited at start (log: $FASCIA_LOG)"
	fi
	say "fascia serving on $SOCK (pid $pid)"
}

fascia_ready() { alive "$1" && [ -S "$SOCK" ]; }

fascia_stop() {
	local pid
	pid=$(fascia_pid) || {
		rm -f "$FASCIA_PID"
		return 0
	}
	kill -TERM "$pid" 2>/dev/null || true
	if ! wait_for 20 not_alive "$pid"; then
		say "fascia (pid $pid) still running 20 s after SIGTERM: SIGKILL"
		kill -KILL -- "-$pid" 2>/dev/null || true
		wait_for 5 not_alive "$pid" || true
	fi
	# Workers left behind by a master that died: same process group.
	kill -KILL -- "-$pid" 2>/dev/null || true
	rm -f "$FASCIA_PID"
}

# --- nginx --------------------------------------------------------------

nginx_pid() {
	local pid
	pid=$(pid_of "$NGX_PID" 2>/dev/null) || return 1
	alive "$pid" || return 1
	echo "$pid"
}

# The nginx.conf of this stack: a minimal main config around the templates
# conf/nginx-http.conf.in and conf/nginx-site.conf.in filled in with this
# stack's values (the placeholders are described in the templates).  The
# stack has no IPv6 listen: LISTEN_V6 is empty, and its line left out.
# Comments are left out, and the pasted lines indented.
write_nginx_conf() {
	local etc tmp=$NGX_CONF.new http site
	etc=$(nginx -V 2>&1 | sed -n 's/.*--conf-path=\([^ ]*\)\/[^/ ]*.*/\1/p')
	[ -n "$etc" ] || etc=/etc/nginx
	http=$("$ROOT/tools/fill-template.sh" "$ROOT/conf/nginx-http.conf.in" \
		COMMENT_RATE="$COMMENT_RATE" NGINX_CACHE_DIR="$NGX/cache") ||
		die "cannot fill in conf/nginx-http.conf.in"
	local extra=
	if [ "$ENV" = bench ]; then
		[ -f "$NGX_EXTRA" ] || : >"$NGX_EXTRA"
		own "$NGX_EXTRA"
		extra="include $NGX_EXTRA;"
	fi
	site=$("$ROOT/tools/fill-template.sh" "$ROOT/conf/nginx-site.conf.in" \
		LISTEN="127.0.0.1:$HTTP_PORT" \
		LISTEN_V6= \
		STACK_INCLUDE="$extra" \
		PAGE_CACHE_DIR="$PAGE_CACHE" \
		SERVER_NAME="127.0.0.1 localhost" \
		FASCIA_SOCKET="$SOCK" \
		MORE_INSTANCES="$MORE_INSTANCES" \
		STATIC_DIR="$SHARE/static" \
		FASTCGI_PARAMS="$etc/fastcgi_params" \
		COMMENT_BURST="$COMMENT_BURST") ||
		die "cannot fill in conf/nginx-site.conf.in"
	{
		cat <<EOF
# Generated by tools/stack.sh for the "$ENV" stack from the templates
# conf/nginx-http.conf.in and conf/nginx-site.conf.in: edit those, this file
# is rewritten by every up.
worker_processes 1;
pid $NGX_PID;
error_log $NGX_ERR warn;
events {
	worker_connections 1024;
}
http {
	include $etc/mime.types;
	default_type application/octet-stream;
	sendfile on;
	tcp_nopush on;
	access_log $NGX/access.log;
	client_body_temp_path $NGX/tmp/client_body;
	proxy_temp_path $NGX/tmp/proxy;
	fastcgi_temp_path $NGX/tmp/fastcgi;
	uwsgi_temp_path $NGX/tmp/uwsgi;
	scgi_temp_path $NGX/tmp/scgi;

EOF
		printf '%s\n' "$http" | sed -e '/^[[:space:]]*#/d' -e 's/^/	/' | cat -s
		echo
		printf '%s\n' "$site" | sed -e '/^[[:space:]]*#/d' -e 's/^/	/' | cat -s
		echo "}"
	} >"$tmp"
	mv -f "$tmp" "$NGX_CONF"
	own "$NGX_CONF"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null; }

# The page cache's generation link: nginx needs it before fascia is up, and
# "off" (nothing from the cache) until fascia points it at a generation.
page_cache_prepare() {
	mkdir -p "$PAGE_CACHE/off"
	[ -L "$PAGE_CACHE/current" ] || ln -sfn off "$PAGE_CACHE/current"
	own "$PAGE_CACHE"
}

nginx_start() {
	command -v nginx >/dev/null 2>&1 || die "nginx is not installed: run tools/bootstrap.sh run"
	mkdir -p "$NGX/tmp"
	page_cache_prepare
	: >>"$NGX_ERR"
	own "$NGX"
	write_nginx_conf
	if nginx_pid >/dev/null; then
		as_svc nginx -p "$NGX/" -c "$NGX_CONF" -e "$NGX_ERR" -s reload 2>>"$NGX_ERR" ||
			die "nginx reload failed (log: $NGX_ERR)"
		return 0
	fi
	port_busy && die "127.0.0.1:$HTTP_PORT is already in use by another program (set FASCIA_HTTP_PORT)"
	if ! as_svc nginx -p "$NGX/" -c "$NGX_CONF" -e "$NGX_ERR" 2>>"$NGX_ERR"; then
		tail_log "$NGX_ERR"
		die "nginx did not start"
	fi
	wait_for 10 nginx_pid >/dev/null || die "nginx did not write $NGX_PID"
}

nginx_stop() {
	local pid
	pid=$(nginx_pid) || return 0
	kill -QUIT "$pid" 2>/dev/null || true
	if ! wait_for 10 not_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		wait_for 5 not_alive "$pid" || kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$NGX_PID"
}

health() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/healthz" 2>/dev/null || true
}
healthy() { [ "$(health)" = 200 ]; }

# --- commands -----------------------------------------------------------

LOCKED=0
lock() {
	[ "$LOCKED" = 1 ] && return 0
	mkdir -p "$ROOT/var"
	exec 9>"$ROOT/var/.stack-$ENV.lock"
	flock -w 120 9 || die "another tools/stack.sh $ENV is busy (lock var/.stack-$ENV.lock)"
	LOCKED=1
}
unlock() {
	[ "$LOCKED" = 1 ] || return 0
	exec 9>&-
	LOCKED=0
}

# load_demo: the demo blog, into an empty database, through fascia's own
# authoring commands (demo/load.sh).
load_demo() {
	local log=$RUNDIR/demo-load.log
	say "loading the demo content (demo/load.sh)"
	clean_env
	if ! "${ENV_CLEAN[@]}" PSQL="$PGBIN/psql" sh "$ROOT/demo/load.sh" "$BIN" "$CONF" \
		>"$log" 2>&1 </dev/null; then
		tail_log "$log"
		die "demo/load.sh failed"
	fi
}

# load_data FILE: SQL of our own (the benchmark's data set) instead of the
# demo.
load_data() {
	say "loading $1"
	q "SELECT 1" >/dev/null
	PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
		"$(dsn)" -f "$1" >"$RUNDIR/data-load.log" 2>&1 || {
		tail_log "$RUNDIR/data-load.log"
		die "loading $1 failed"
	}
}

cmd_up() {
	local fresh=0 data=
	while [ $# -gt 0 ]; do
		case $1 in
		--fresh) fresh=1 ;;
		--data)
			[ $# -ge 2 ] || die "up: --data needs a file"
			data=$2
			shift
			;;
		*) die "up: unknown option $1" ;;
		esac
		shift
	done
	[ -z "$data" ] || [ -r "$data" ] || die "up: cannot read $data"
	need_pg
	[ -x "$BIN_SRC" ] || die "$BIN_SRC not found: run make first"
	lock
	set_paths 1
	chmod 750 "$RUNDIR"
	own "$RUNDIR"
	if [ "$fresh" = 1 ]; then
		fascia_stop
		# A fresh start has fresh logs too.
		for f in "$FASCIA_LOG" "$NGX_ERR" "$NGX/access.log" "$PG_LOG"; do
			if [ -f "$f" ]; then : >"$f"; fi
		done
	fi
	pg_start
	db_prepare "$fresh"
	copy_share
	write_conf
	fascia_cli keygen >/dev/null || die "fascia keygen failed"
	fascia_cli migrate || die "fascia migrate failed"
	if [ "$(q 'SELECT count(*) FROM posts')" = 0 ]; then
		if [ -n "$data" ]; then
			load_data "$data"
		else
			load_demo
		fi
	fi
	fascia_start
	nginx_start
	if ! wait_for 30 healthy; then
		tail_log "$FASCIA_LOG"
		tail_log "$NGX_ERR"
		die "$URL/healthz answers $(health), not 200"
	fi
	unlock
	say "up: $URL"
}

cmd_down() {
	lock
	set_paths 0 || return 0
	nginx_stop
	fascia_stop
	pg_stop "$STANDBY"
	pg_stop
	unlock
	say "down"
}

cmd_run() {
	local stopping=0
	on_signal() {
		[ "$stopping" = 1 ] && return
		stopping=1
		echo >&2
		say "stopping"
		cmd_down
		exit 0
	}
	trap on_signal INT TERM HUP
	if ! (cmd_up "$@"); then
		cmd_down
		exit 1
	fi
	set_paths 0
	echo
	echo "  fascia ($ENV) is serving $URL/"
	echo "  logs: var/$ENV/fascia.log, var/$ENV/nginx/error.log, var/$ENV/postgres.log"
	echo "  Ctrl-C stops it."
	echo
	while :; do
		sleep 1 &
		wait $! || true
		if ! fascia_pid >/dev/null; then
			tail_log "$FASCIA_LOG"
			say "fascia is gone: stopping the rest"
			stopping=1
			cmd_down
			exit 1
		fi
	done
}

cmd_status() {
	local pid rc=0
	if ! set_paths 0; then
		echo "$ENV: not set up (tools/stack.sh $ENV up)"
		return 3
	fi
	echo "$ENV: $RUNDIR"
	if pg_running; then
		echo "  postgres: running (pid $(head -1 "$PGDATA/postmaster.pid"), socket $RUNDIR/.s.PGSQL.$PG_PORT)"
	else
		echo "  postgres: stopped"
		rc=3
	fi
	if pid=$(fascia_pid); then
		echo "  fascia:   running (pid $pid, workers $(ps -o pid= --ppid "$pid" | tr -s ' \n' ' '))"
	else
		echo "  fascia:   stopped"
		rc=3
	fi
	if pid=$(nginx_pid); then
		echo "  nginx:    running (pid $pid, $URL/)"
	else
		echo "  nginx:    stopped"
		rc=3
	fi
	echo "  /healthz: $(health)"
	return $rc
}

cmd_psql() {
	need_pg
	need_paths
	pg_running || die "PostgreSQL of '$ENV' is not running: tools/stack.sh $ENV up"
	if [ -t 0 ]; then
		exec "$PGBIN/psql" "$(dsn)" "$@"
	fi
	exec "$PGBIN/psql" -X -v ON_ERROR_STOP=1 "$(dsn)" "$@"
}

cmd_info() {
	need_paths
	local pid
	cat <<EOF
env=$ENV
root=$ROOT
url=$URL
http_port=$HTTP_PORT
rundir=$RUNDIR
conf=$CONF
bin=$BIN
templates=$SHARE/templates
static=$SHARE/static
socket=$SOCK
fascia_pid_file=$FASCIA_PID
fascia_log=$FASCIA_LOG
nginx_conf=$NGX_CONF
nginx_error_log=$NGX_ERR
nginx_access_log=$NGX/access.log
nginx_extra_conf=$NGX_EXTRA
page_cache_dir=$PAGE_CACHE
nginx_cache_dir=$NGX/cache
postgres_log=$PG_LOG
pgdata=$PGDATA
pghost=$RUNDIR
pgport=$PG_PORT
standby_pgport=$STANDBY_PORT
socket2=$SOCK2
standby_pgdata=$STANDBY
standby_log=$STANDBY_LOG
pguser=$DB_USER
dbname=$DB_NAME
psql=$PGBIN/psql
service_user=$([ "$IS_ROOT" = 1 ] && echo "$SVC_USER" || id -un)
EOF
}

cmd_reset() {
	cmd_down
	local target=
	[ -L "$VARDIR" ] && target=$(readlink "$VARDIR")
	rm -rf "$VARDIR"
	case $target in /tmp/fascia-test.* | /tmp/fascia-bench.*) rm -rf "$target" ;; esac
	say "reset: var/$ENV deleted"
}

case $CMD in
up) cmd_up "$@" ;;
down) cmd_down ;;
run) cmd_run "$@" ;;
status) cmd_status ;;
psql) cmd_psql "$@" ;;
pg-stop)
	need_pg
	need_paths
	pg_stop
	;;
pg-start)
	need_pg
	need_paths
	pg_start
	;;
standby-start)
	need_pg
	need_paths
	standby_start
	;;
standby-stop)
	need_pg
	need_paths
	pg_stop "$STANDBY"
	;;
info) cmd_info ;;
reset) cmd_reset ;;
-h | --help | help) usage 0 ;;
*) usage 2 >&2 ;;
esac
