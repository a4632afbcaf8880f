#!/usr/bin/env bash
# tests/cluster/run.sh: the replicated set-up on loopback, with TAP output
# (`make test-cluster`; tests/run.sh runs it after the integration suite).
#
# tools/stack.sh cluster: the blog's PostgreSQL as the primary, and a hot
# standby made from it with pg_basebackup -R, streaming.  These checks are
# PostgreSQL's part, on which several fascia instances will stand: the
# standby replays what the primary commits (the delay is measured and
# printed), refuses writes, goes on answering reads while the primary is
# down, and catches up once it is back.  The stack is brought down at the
# end, whatever happens.
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
eval "$($STACK info | grep -E '^(psql|pghost|pgport|pguser|dbname|standby_pgport|standby_log)=')"
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

tap_end
