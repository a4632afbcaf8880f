#!/usr/bin/env bash
# tests/cluster/run.sh: the replicated set-up on loopback, with TAP output
# (`make test-cluster`; tests/run.sh runs it after the integration suite).
#
# tools/stack.sh cluster: the blog's PostgreSQL as the primary, and a hot
# standby made from it with pg_basebackup -R, streaming.  These checks are
# PostgreSQL's part, on which several fascia instances will stand: the
# standby replays what the primary commits (the delay is measured and
# printed), refuses writes, goes on answering reads while the primary is
# down, and catches up once it is back.  Then two fascia instances over the
# primary behind the stack's nginx (its upstream lists both): one is killed
# with SIGKILL under load, and not one GET may fail.  The stack is brought
# down at the end, whatever happens.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT" || exit 2
STACK="tools/stack.sh cluster"

# shellcheck source=../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
down() { $STACK down >/dev/null 2>&1; }
trap down EXIT

$STACK up --fresh >"$ROOT/var/cluster-up.log" 2>&1 || {
	tail -n 20 "$ROOT/var/cluster-up.log" | sed 's/^/# /'
	bail "tools/stack.sh cluster up failed"
}
eval "$($STACK info | grep -E '^(url|bin|conf|rundir|fascia_pid_file|service_user|socket2|psql|pghost|pgport|pguser|dbname|standby_pgport|standby_log)=')"
# shellcheck disable=SC2154 # set by the eval
primary="host=$pghost port=$pgport user=$pguser dbname=$dbname"
standby="host=$pghost port=$standby_pgport user=$pguser dbname=$dbname"
q() { "$psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1; }

# A fresh standby each run: rm the old copy, then base-backup anew.
$STACK standby-stop >/dev/null 2>&1
rm -rf "$ROOT/var/cluster/pg-standby"
if out=$($STACK standby-start 2>&1); then
	ok "pg_basebackup -R makes a hot standby of the primary, and it starts"
else
	not_ok "pg_basebackup -R makes a hot standby of the primary, and it starts" "$out"
	bail "no standby"
fi

# streaming: the standby is in recovery, the primary has its walsender
state=
for _ in $(seq 1 100); do
	state=$(q "$primary" "SELECT state FROM pg_stat_replication")
	[ "$state" = streaming ] && break
	sleep 0.1
done
if [ "$(q "$standby" "SELECT pg_is_in_recovery()")" = t ] && [ "$state" = streaming ]; then
	ok "the standby is in recovery and streams from the primary"
else
	not_ok "the standby is in recovery and streams from the primary" \
		"pg_is_in_recovery: $(q "$standby" "SELECT pg_is_in_recovery()")" \
		"pg_stat_replication.state: $state"
fi

# visible_on CONNINFO SLUG: ms until the tag SLUG is seen there (10 s at most)
visible_on() {
	local t0 t1
	t0=$(date +%s%N)
	for _ in $(seq 1 10000); do
		if [ "$(q "$1" "SELECT count(*) FROM tags WHERE slug = '$2'")" = 1 ]; then
			t1=$(date +%s%N)
			echo $(((t1 - t0) / 1000000))
			return 0
		fi
	done
	return 1
}
slug=cluster-$$
q "$primary" "INSERT INTO tags (slug, name) VALUES ('$slug', 'Replicated')" >/dev/null
if ms=$(visible_on "$standby" "$slug") && [ "$ms" -lt 1000 ]; then
	ok "a commit on the primary is on the standby within a second"
	echo "# replication: the commit was visible on the standby after $ms ms (psql polling)"
else
	not_ok "a commit on the primary is on the standby within a second" "after ${ms:-more than 10000} ms"
fi

out=$(q "$standby" "INSERT INTO tags (slug, name) VALUES ('$slug-w', 'No')")
if printf '%s' "$out" | grep -q "read-only transaction"; then
	ok "the standby refuses writes (read-only)"
else
	not_ok "the standby refuses writes (read-only)" "$out"
fi

$STACK pg-stop >/dev/null 2>&1
if [ "$(q "$standby" "SELECT name FROM tags WHERE slug = '$slug'")" = Replicated ] &&
	[ "$(q "$standby" "SELECT count(*) > 0 FROM posts")" = t ]; then
	ok "with the primary stopped, the standby still answers reads"
else
	not_ok "with the primary stopped, the standby still answers reads" \
		"$(q "$standby" "SELECT count(*) FROM posts")"
fi

$STACK pg-start >/dev/null 2>&1 || bail "the primary did not start again"
q "$primary" "INSERT INTO tags (slug, name) VALUES ('$slug-2', 'Again')" >/dev/null
if ms=$(visible_on "$standby" "$slug-2"); then
	ok "the primary back, the standby reconnects and replays what it commits"
	echo "# after the primary's restart: visible on the standby after $ms ms"
else
	not_ok "the primary back, the standby reconnects and replays what it commits" \
		"$(tail -n 5 "$standby_log")"
fi
q "$primary" "DELETE FROM tags WHERE slug LIKE '$slug%'" >/dev/null

# --- two fascia instances behind one nginx ------------------------------------

# The second instance, as the stack runs the first: the service user, the
# same config, a socket of its own (the cluster stack's nginx lists both
# in its upstream).
SVC=()
[ "$(id -u)" != 0 ] || SVC=(setpriv --reuid="$service_user" --regid="$service_user" --init-groups)
(cd "$rundir" && FASCIA_LISTEN=$socket2 exec "${SVC[@]}" "$bin" -c "$conf" serve) \
	>/dev/null 2>"$rundir/fascia-2.log" &
second=$!
stop_second() { kill "$second" 2>/dev/null; wait "$second" 2>/dev/null; down; }
trap stop_second EXIT
for _ in $(seq 1 50); do [ -S "$socket2" ] && break; sleep 0.1; done
post=$(q "$primary" "SELECT slug FROM posts WHERE status = 'published' ORDER BY id LIMIT 1")
page=$url/$post/?past=cache   # past nginx's page cache: every GET reaches an instance

if command -v wrk >/dev/null; then
	first=$(cat "$fascia_pid_file")
	wrk -t2 -c16 -d4s "$page" >"$rundir/wrk.out" 2>&1 &
	load=$!
	sleep 1.5
	# SIGKILL to the first instance, master and workers at once: no goodbye
	kill -KILL "$first" $(pgrep -P "$first") 2>/dev/null
	wait "$load"
	total=$(awk '/requests in/ { print $1 }' "$rundir/wrk.out")
	bad=$(awk '/Non-2xx/ { print $NF }' "$rundir/wrk.out")
	sock=$(awk -F'[ ,]+' '/Socket errors/ { print $4 + $6 + $8 + $10 }' "$rundir/wrk.out")
	if [ -n "$total" ] && [ "$total" -gt 100 ] && [ "${bad:-0}" = 0 ] &&
		[ "${sock:-0}" = 0 ] && ! kill -0 "$first" 2>/dev/null; then
		ok "one instance killed with SIGKILL under wrk: not one GET fails (nginx retries on the other)"
		echo "# SIGKILL of one of two instances under wrk -t2 -c16 -d4s: $total GETs, ${bad:-0} non-2xx, ${sock:-0} socket errors"
	else
		not_ok "one instance killed with SIGKILL under wrk: not one GET fails" \
			"$(cat "$rundir/wrk.out")"
	fi
else
	skip "wrk is not installed (tools/bootstrap.sh test)"
fi

tap_end
