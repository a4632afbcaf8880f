#!/usr/bin/env bash
# bench/load.sh: the load targets of docs/hostile-inputs.md ("Load and soak
# targets": knee, burst, mixed GET + comment POST, faults under load) against
# the test stack (tools/stack.sh test), printed as markdown tables by
# bench/load.py.  Nothing is asserted.
#
# Uses the running test stack, or brings one up and takes it down again.
# Every run is bounded: about 3 minutes with the defaults (LOAD_STEP_SECONDS=8,
# LOAD_BURST_SECONDS=20, LOAD_MIXED_SECONDS=20, LOAD_FAULT_SECONDS=30; see
# bench/load.py for the other knobs).  Traffic goes to 127.0.0.0/8 only.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

command -v wrk >/dev/null || { echo "load: wrk is missing (tools/bootstrap.sh bench)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "load: python3 is missing" >&2; exit 1; }

started=0
if ! tools/stack.sh test status 2>/dev/null | grep -q '/healthz: 200'; then
	trap 'tools/stack.sh test down >/dev/null 2>&1 || true' EXIT
	tools/stack.sh test up >/dev/null
	started=1
fi
eval "$(tools/stack.sh test info | grep -E '^(url|conf|fascia_pid_file|fascia_log|nginx_error_log|psql|pghost|pgport|pguser|dbname)=')"

LOAD_URL=$url LOAD_CONF=$conf LOAD_PID_FILE=$fascia_pid_file \
	LOAD_NGINX_ERR=$nginx_error_log LOAD_FASCIA_LOG=$fascia_log \
	PSQL_CMD="$psql -h $pghost -p $pgport -U $pguser -d $dbname" \
	timeout 600 python3 bench/load.py
[ "$started" = 0 ] || echo "load: the test stack was brought up for this run and is taken down" >&2
