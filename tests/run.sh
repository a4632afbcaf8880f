#!/usr/bin/env bash
# tests/run.sh: every test of fascia, after `make` built them (`make test`
# calls it).  In order:
#   1. the unit tests build/tests/test_* (cmocka, TAP output);
#   2. the same built with ASan + UBSan, build/tests-asan/test_*, if present,
#      the checks of the source tree (tests/tree/run.py: include cycles,
#      clang-format, the README's table) and the libFuzzer harnesses
#      tests/fuzz/ (FUZZ_SECONDS each);
#   3. tools/stack.sh test up --fresh: PostgreSQL, fascia and nginx on
#      http://127.0.0.1:8081 with a fresh database; then
#   4. the command-line suites tests/cli/test_*.sh CONFIG (the stack's config);
#   5. the browser suite tests/browser/run.sh URL OUTDIR (Chromium, the Nu
#      Html Checker, axe, Lighthouse), if present;
#   6. the integration suite tests/integration/run.py through nginx (it ends
#      by stopping fascia with SIGTERM, so it runs last on this stack);
#   7. the cluster suite tests/cluster/run.sh (a primary and a hot standby,
#      tools/stack.sh cluster, brought up and down by itself);
#   and the stack is always brought down again, whatever happens (trap).
# Each suite's output is echoed and kept in build/test-output/NAME.tap.  A
# suite that crashes, times out or stops before its plan counts as a failure.
# The last line is `N passed, M failed`; the exit status is 1 when M > 0.
#
# Environment: FASCIA_TEST_ONLY=REGEX runs only the integration tests whose
# description matches; FASCIA_TEST_SKIP_BROWSER=1 skips the browser suite;
# FASCIA_TEST_SKIP_INTEGRATION=1 runs only the unit tests.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 2
OUT=$ROOT/build/test-output
STACK=$ROOT/tools/stack.sh

passed=0
failed=0
skipped=0
failures=()

mkdir -p "$ROOT/var"
# One run at a time per checkout: they share var/test and its port.
exec 8>"$ROOT/var/.tests-run.lock"
if ! flock -n 8; then
	echo "run.sh: another tests/run.sh is running in $ROOT; waiting for it" >&2
	flock -w 1800 8 || {
		echo "run.sh: gave up waiting" >&2
		exit 2
	}
fi

rm -rf "$OUT"
mkdir -p "$OUT"

# count_tap NAME FILE RC: add a suite's TAP results to the totals.
count_tap() {
	local name=$1 file=$2 rc=$3 ok nok skip plan ran line
	# A SKIP or TODO directive (cmocka writes `not ok N # SKIP name`) is
	# neither a pass nor a failure.
	local directive='#[[:space:]]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])'
	ok=$(grep -E '^ok [0-9]+' "$file" | grep -cvE "$directive")
	nok=$(grep -E '^not ok [0-9]+' "$file" | grep -cvE "$directive")
	skip=$(grep -E '^(not )?ok [0-9]+' "$file" | grep -cE "$directive")
	passed=$((passed + ok))
	skipped=$((skipped + skip))
	failed=$((failed + nok))
	while IFS= read -r line; do
		failures+=("$name: ${line#not ok }")
	done < <(grep -E '^not ok [0-9]+' "$file" | grep -vE "$directive")
	ran=$((ok + nok + skip))
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$file" | tail -n 1)
	local why=
	if [ "$rc" -eq 124 ]; then
		why="timed out"
	elif [ "$rc" -gt 128 ]; then
		why="crashed (signal $((rc - 128)))"
	elif [ -z "$plan" ]; then
		why="no TAP plan (crashed or printed nothing)"
	elif [ "$plan" -ne "$ran" ]; then
		why="planned $plan tests, ran $ran"
	elif [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
		why="exited with status $rc"
	fi
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		failures+=("$name: $why")
		echo "not ok - $name: $why"
	fi
}

# run_suite NAME TIMEOUT CMD...: run one suite, echo and keep its output.
run_suite() {
	local name=$1 limit=$2 file rc
	shift 2
	file=$OUT/$name.tap
	echo "# --- $name"
	timeout -k 10 "$limit" "$@" </dev/null 2>&1 | tee "$file"
	rc=${PIPESTATUS[0]}
	count_tap "$name" "$file" "$rc"
}

# A failure outside any suite (the stack would not come up, say).
fail_step() {
	failed=$((failed + 1))
	failures+=("$1")
	echo "not ok - $1"
}

export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export PYTHONDONTWRITEBYTECODE=1

# 1 and 2: the unit tests, plain and sanitized.
found=0
for dir in build/tests build/tests-asan; do
	[ -d "$dir" ] || continue
	for t in "$dir"/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		found=1
		run_suite "$(basename "$dir")-$(basename "$t")" 300 "$t"
	done
done
[ "$found" = 1 ] || fail_step "no unit test binaries in build/tests (run make unit-tests)"

# The source tree itself: no include cycle, formatted, the README's table.
run_suite tree 120 python3 tests/tree/run.py

# The libFuzzer harnesses, FUZZ_SECONDS (default 15) each.
if [ -x tests/fuzz/run.sh ]; then
	run_suite fuzz 600 tests/fuzz/run.sh "${FUZZ_SECONDS:-15}"
fi

# 3 to 6: the stack, then the suites that need it.
stack_down() {
	"$STACK" test down >"$OUT/stack-down.log" 2>&1 ||
		{ echo "run.sh: tools/stack.sh test down failed:"; cat "$OUT/stack-down.log"; } >&2
}
if [ "${FASCIA_TEST_SKIP_INTEGRATION:-0}" != 1 ]; then
	trap stack_down EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	echo "# --- tools/stack.sh test up --fresh"
	if "$STACK" test up --fresh 2>&1 | tee "$OUT/stack-up.log"; then
		url=$("$STACK" test info | sed -n 's/^url=//p')
		conf=$("$STACK" test info | sed -n 's/^conf=//p')
		for t in tests/cli/test_*.sh; do
			[ -f "$t" ] || continue
			run_suite "cli-$(basename "$t" .sh)" 600 bash "$t" "$conf"
		done
		if [ -x tests/browser/run.sh ] && [ "${FASCIA_TEST_SKIP_BROWSER:-0}" != 1 ]; then
			run_suite browser 900 tests/browser/run.sh "$url" "$OUT/browser"
			# Whatever the browser suite did, the stack is whole again.
			"$STACK" test up >>"$OUT/stack-up.log" 2>&1 ||
				fail_step "tools/stack.sh test up after the browser suite failed"
		fi
		run_suite integration 600 python3 tests/integration/run.py ${FASCIA_TEST_ONLY:+"$FASCIA_TEST_ONLY"}
		cp "$ROOT/var/test/fascia.log" "$OUT/fascia.log" 2>/dev/null
		cp "$ROOT/var/test/nginx/error.log" "$OUT/nginx-error.log" 2>/dev/null
	else
		fail_step "tools/stack.sh test up failed (see build/test-output/stack-up.log)"
	fi
	stack_down
	trap - EXIT
	# 7: the replicated set-up, on a stack of its own (tools/stack.sh
	# cluster), once the test stack is down.
	run_suite cluster 300 tests/cluster/run.sh
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
	echo
fi
echo "Output of each suite: build/test-output/"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
