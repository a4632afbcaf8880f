#!/usr/bin/env bash
# bench/run.sh: what `make bench` measures, printed as tables.
#
#   1. wrk through nginx against the test stack (tools/stack.sh test):
#      the home page, a post page with threaded comments, /healthz;
#      -t2 -c32 -d10s each, after a short warm-up.
#   2. The RSS of every fascia worker before and after, to show it is flat.
#   3. What a comment POST costs: bench/comment_post.py, p50/p99 in ms.
#   4. The template engine alone (bench/tmpl_bench): compile once and
#      render many, against parse-and-render each time as libctemplate does.
#   5. bench/load.sh: knee, burst, mixed GET + POST, faults under load
#      (LOAD_* variables, see bench/load.py).
#
# Figures are measured on this machine at this moment; nothing here asserts
# a target.  BENCH_DURATION (default 10s) shortens or lengthens the runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
DURATION=${BENCH_DURATION:-10s}

command -v wrk >/dev/null || { echo "bench: wrk is missing (tools/bootstrap.sh bench)" >&2; exit 1; }

cleanup() { tools/stack.sh test down >/dev/null 2>&1 || true; }
trap cleanup EXIT
tools/stack.sh test up >/dev/null
eval "$(tools/stack.sh test info | grep -E '^(url|fascia_pid_file)=')"
fascia_pid=$(cat "$fascia_pid_file")

worker_rss() {
	local pid total=0 n=0
	for pid in $(pgrep -P "$fascia_pid"); do
		total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")))
		n=$((n + 1))
	done
	echo "$n workers, $total kB RSS in all"
}

echo "## fascia through nginx (wrk -t2 -c32 -d$DURATION, $(nproc) cores)"
echo
echo "before: $(worker_rss)"
echo
printf '| %-42s | %10s | %9s | %9s | %9s |\n' page "req/s" "p50 ms" "p99 ms" "non-2xx"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------------------------" "------------" "-----------" "-----------" "-----------"
for path in / /what-to-expect-at-your-first-visit/ /myofascial-release-massage/ /healthz; do
	wrk -t2 -c32 -d2s "$url$path" >/dev/null 2>&1 || true
	out=$(wrk -t2 -c32 -d"$DURATION" --latency "$url$path" 2>&1)
	rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
	ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'; }
	printf '| %-42s | %10s | %9s | %9s | %9s |\n' "$path" "$rps" "$(ms "$p50")" "$(ms "$p99")" "${bad:-0}"
done
echo
echo "after:  $(worker_rss)"
echo

echo "## what a comment POST costs (through nginx, one at a time)"
echo
eval "$(tools/stack.sh test info | grep -E '^(psql|pghost|pgport|pguser|dbname|conf)=')"
PSQL_CMD="$psql -X -h $pghost -p $pgport -U $pguser -d $dbname" \
	python3 bench/comment_post.py "$url" "$conf" "${BENCH_COMMENTS:-300}"
echo

if [ -f bench/tmpl_bench.c ]; then
	echo "## the template engine alone"
	echo
	mkdir -p build
	cc -std=c11 -O2 -D_DEFAULT_SOURCE -Isrc -Isrc/tmpl -o build/tmpl_bench bench/tmpl_bench.c src/tmpl/ctemplate*.c -lpthread
	(cd "$ROOT" && build/tmpl_bench)
fi

# 5. The load targets of docs/hostile-inputs.md: knee, burst, mixed, faults.
echo
bench/load.sh
