#!/usr/bin/env bash
# bench/run.sh: what `make bench` measures, printed as tables.
#
# On a stack of its own (tools/stack.sh bench: its own cluster, ports and
# files) loaded with a fixed generated data set (bench/dataset.py: 200
# posts by 5 authors, 24 tags, /benchmark-post/ with 50 approved comments
# of which 10 are replies, and the comments of the blog's past on the other
# posts), after a warm-up, with Debian's wrk
# through nginx (-t2 -c32, BENCH_DURATION each, default 15s):
#
#   1. the pages: the benchmark post, the home page, an author page, a tag
#      page, a search, the Atom feed, and a conditional GET of the post
#      (If-None-Match: the ETag it was served with, so 304);
#   2. the two references, in the same run and through the same nginx:
#      the ceiling (the exact bytes fascia served for the post, saved and
#      served by nginx as a file) and the floor of an uncached design
#      (bench/fcgi_floor.c: a minimal libfcgi program answering every
#      request with those same bytes from memory, behind the same nginx
#      location settings, with as many processes as fascia has workers);
#   3. comment POSTs: BENCH_POSTERS (8) concurrent posters (wrk and
#      bench/comment_post.lua), each comment a form of its own, for
#      BENCH_DURATION; p50 and p99 (the bench stack sets flood_interval and
#      min_fill_time to 0 and lifts nginx's per-address limit, so that the
#      posters are not turned away);
#   4. the RSS of each worker after the run (and, with the cache off, after
#      BENCH_LONG, default 60s, more of the post page: memory must not grow
#      with time), and the instructions fascia
#      spends on one post page (valgrind's callgrind, counting inside
#      route_dispatch only, over BENCH_CALLGRIND_REQUESTS requests): a
#      figure a change can be judged by without a noisy clock.
#
# All of it twice: with the page cache on (the default) and off (the
# config's page_cache = off); each table says which.  Then the template
# engine alone (bench/tmpl_bench.c).  BENCH_LOAD=1 adds bench/load.sh (the
# knee, a burst, mixed GET and POST, faults under load).  Figures are
# measured on this machine at this moment; nothing here asserts a target.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
DURATION=${BENCH_DURATION:-15s}
LONG=${BENCH_LONG:-60s}
POSTERS=${BENCH_POSTERS:-8}
TOKENS=${BENCH_TOKENS:-60000}
CG_REQUESTS=${BENCH_CALLGRIND_REQUESTS:-300}
STACK="tools/stack.sh bench"
OUT=$ROOT/build/bench
POST=/benchmark-post/

for tool in wrk valgrind curl python3 cc; do
	command -v "$tool" >/dev/null || {
		echo "bench: $tool is missing (tools/bootstrap.sh bench)" >&2
		exit 1
	}
done

floor_pid=
cleanup() {
	[ -z "$floor_pid" ] || kill "$floor_pid" 2>/dev/null || true
	FASCIA_BIN= $STACK down >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p "$OUT"
python3 bench/dataset.py >"$OUT/dataset.sql"
cc -std=c11 -O2 -D_DEFAULT_SOURCE -o "$OUT/fcgi_floor" bench/fcgi_floor.c -lfcgi

# The stack, in a mode: "on" or "off" (the page cache).
stack_up() {
	FASCIA_STACK_SET="page_cache=$1" $STACK up "${@:2}" >"$OUT/stack-up.log" 2>&1 || {
		cat "$OUT/stack-up.log" >&2
		exit 1
	}
}

stack_up on --fresh --data "$OUT/dataset.sql"
eval "$($STACK info | grep -E '^(url|rundir|conf|fascia_pid_file|nginx_extra_conf|psql|pghost|pgport|pguser|dbname|service_user)=')"
workers=$(sed -n 's/^workers *= *//p' "$conf")
PSQL_CMD="$psql -X -q -h $pghost -p $pgport -U $pguser -d $dbname"

# The tables as a blog's settle: visibility known and statistics counted,
# in a session after the one that wrote, so that autovacuum does not wake
# in the middle of a measurement (it did, and halved a search's figure).
settle() {
	$PSQL_CMD -c "VACUUM (ANALYZE)"
}
settle
REF=$rundir/bench
mkdir -p "$REF"

# --- the references ------------------------------------------------------

# fascia's exact answer for the post: the ceiling's file, and the floor's
# whole FastCGI response (fascia's own header lines, then the same body).
curl -s -D "$OUT/post.headers" -o "$REF/ceiling.html" "$url$POST"
{
	printf 'Status: 200 OK\r\n'
	grep -iE '^(content-type|content-length|etag|last-modified|cache-control|x-content-type-options|referrer-policy|content-security-policy):' \
		"$OUT/post.headers" | tr -d '\r' | sed 's/$/\r/'
	printf '\r\n'
	cat "$REF/ceiling.html"
} >"$REF/floor.response"
cat >"$nginx_extra_conf" <<EOF
# Written by bench/run.sh: the references of the benchmark.
location = /_bench/ceiling {
	alias $REF/ceiling.html;
	default_type "text/html; charset=utf-8";
}
location = /_bench/floor {
	fastcgi_pass unix:$REF/floor.sock;
}
EOF
if [ "$(id -u)" = 0 ]; then
	chown -R "$service_user:" "$REF" "$nginx_extra_conf"
fi
"$OUT/fcgi_floor" "$REF/floor.sock" "$REF/floor.response" "$workers" &
floor_pid=$!
stack_up on

# --- measuring -----------------------------------------------------------

ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) printf "%.2f", v / 1000
		else if (v ~ /ms$/) printf "%.2f", v + 0
		else if (v ~ /s$/) printf "%.2f", v * 1000
		else printf "%s", v }'
}

# measure NAME PATH [HEADER]: one row of wrk figures, kept in $OUT/rows.
measure() {
	local name=$1 path=$2 out rps p50 p99 bad sock bytes
	local -a hdr=()
	[ -z "${3:-}" ] || hdr=(-H "$3")
	wrk -t2 -c32 -d3s "${hdr[@]}" "$url$path" >/dev/null 2>&1 || true
	out=$(wrk -t2 -c32 -d"$DURATION" --latency "${hdr[@]}" "$url$path" 2>&1)
	rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
	p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
	bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
	sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<<"$out")
	bytes=$(curl -s -o /dev/null -w '%{size_download}' "${hdr[@]}" "$url$path")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${rps:-0}" "$p50" "$p99" \
		"$bytes" "${bad:-0}" "${sock:-0}" >>"$OUT/rows"
}

# table MODE: the rows measured, with each one's ratio to the references.
table() {
	echo "## pages through nginx, page cache $1 (wrk -t2 -c32 -d$DURATION, $(nproc) cores)"
	echo
	awk -F'\t' '
		{ n[NR] = $1; r[NR] = $2; line[NR] = $0 }
		$1 == "ceiling (nginx, the post as a file)" { ceil = $2 }
		$1 == "floor (minimal libfcgi, same bytes)" { floor = $2 }
		END {
			printf "| %-38s | %9s | %7s | %7s | %7s | %7s | %6s | %9s | %7s |\n",
			    "target", "req/s", "p50 ms", "p99 ms", "bytes", "non-2xx",
			    "sock", "× ceiling", "× floor"
			print "|----------------------------------------|-----------|---------|---------|---------|---------|--------|-----------|---------|"
			for (i = 1; i <= NR; i++) {
				split(line[i], f, "\t")
				printf "| %-38s | %9.0f | %7s | %7s | %7s | %7s | %6s | %9.3f | %7.3f |\n",
				    f[1], f[2], f[3], f[4], f[5], f[6], f[7],
				    (ceil > 0 ? f[2] / ceil : 0), (floor > 0 ? f[2] / floor : 0)
			}
		}' "$OUT/rows"
	echo
}

# The RSS of each of the master's children: the workers, then the keeper.
worker_rss() {
	local pid out= keeper=
	for pid in $(pgrep -P "$(cat "$fascia_pid_file")"); do
		if [ "$(cat "/proc/$pid/comm")" = fascia-keeper ]; then
			keeper="; keeper $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") kB"
		else
			out="$out $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") kB"
		fi
	done
	echo "workers${out}${keeper}"
}

# comment POSTs: POSTERS connections, each sending its next comment as soon
# as the last is answered, every one a form of its own
# (bench/comment_post.lua); the figures are wrk's.  The comments are
# deleted afterwards.
posts() {
	local out
	PSQL_CMD=$PSQL_CMD python3 bench/form_tokens.py "$conf" benchmark-post \
		"$TOKENS" >"$REF/tokens"
	[ "$(id -u)" != 0 ] || chown "$service_user:" "$REF/tokens"
	out=$(wrk -t2 -c"$POSTERS" -d"$DURATION" --latency -s bench/comment_post.lua \
		"$url" -- "$REF/tokens" "$url" 2 2>&1)
	$PSQL_CMD -c "DELETE FROM comments WHERE author_name LIKE 'Poster %'"
	settle
	awk -v posters="$POSTERS" '
		/^Requests\/sec/ { rps = $2 }
		$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
		/requests in/ { n = $1 }
		/Non-2xx/ { bad = $NF }
		/Socket errors/ { sock = $0 }
		END { printf "%d POSTs by %d posters (%.0f/s), p50 %s, p99 %s, %d non-2xx/3xx%s\n",
		    n, posters, rps, p50, p99, bad, sock != "" ? ", " sock : "" }' <<<"$out"
}

pages() {
	local etag
	: >"$OUT/rows"
	# the post's ETag in this mode (a restart begins a new generation)
	etag=$(curl -s -o /dev/null -D - "$url$POST" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tr -d '\r')
	measure "the benchmark post" "$POST"
	measure "the home page" /
	measure "an author page" /author/maya-okafor/
	measure "a tag page" /tag/fascia/
	measure "a search" "/?s=fascia+release"
	measure "the Atom feed" /feed/atom/
	if [ -n "$etag" ]; then
		measure "the post, conditional GET (304)" "$POST" "If-None-Match: $etag"
	fi
	measure "ceiling (nginx, the post as a file)" /_bench/ceiling
	measure "floor (minimal libfcgi, same bytes)" /_bench/floor
}

run_mode() {
	stack_up "$1"
	pages
	table "$1"
	echo "comment POSTs, page cache $1: $(posts)"
	echo "RSS after the run, page cache $1: $(worker_rss)"
	if [ "$1" = off ]; then
		# Memory must not grow with time: the uncached post page for
		# BENCH_LONG more, then the RSS again.
		wrk -t2 -c32 -d"$LONG" "$url$POST" >/dev/null 2>&1 || true
		echo "RSS after $LONG more of the post page, page cache $1: $(worker_rss)"
	fi
	echo
}

echo "# make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo
run_mode on
run_mode off

# --- instructions per post page ------------------------------------------

# fascia again, under callgrind, counting inside route_dispatch only: the
# cost of a request from its parameters to its last byte, start-up left out.
cp "$(pwd -P)/build/fascia" "$REF/fascia.real"
cat >"$REF/fascia-callgrind" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --toggle-collect=route_dispatch \
	--callgrind-out-file=$REF/callgrind.%p $REF/fascia.real "\$@"
EOF
chmod 755 "$REF/fascia-callgrind" "$REF/fascia.real"
[ "$(id -u)" != 0 ] || chown -R "$service_user:" "$REF"
rm -f "$REF"/callgrind.*
FASCIA_BIN=$REF/fascia-callgrind stack_up off
for _ in $(seq 1 "$CG_REQUESTS"); do
	curl -s -o /dev/null "$url$POST"
done
FASCIA_BIN= $STACK down >/dev/null 2>&1
total=$(cat "$REF"/callgrind.* 2>/dev/null | awk '/^summary:/ {s += $2} END {print s + 0}')
echo "instructions per post page (callgrind, page cache off, $CG_REQUESTS requests): $((total / CG_REQUESTS))"
echo

if [ -f bench/tmpl_bench.c ]; then
	echo "## the template engine alone"
	echo
	cc -std=c11 -O2 -D_DEFAULT_SOURCE -Isrc -Isrc/tmpl -o "$OUT/tmpl_bench" \
		bench/tmpl_bench.c src/tmpl/ctemplate*.c -lpthread
	"$OUT/tmpl_bench"
fi

if [ "${BENCH_LOAD:-0}" = 1 ]; then
	echo
	bench/load.sh
fi
