#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS]: build the libFuzzer harnesses (clang,
# -fsanitize=fuzzer,address,undefined) and run each for SECONDS (default
# $FUZZ_SECONDS or 20), printing TAP.  A crash, a sanitizer report or a
# broken invariant fails that harness; its input is kept under
# build/fuzz/crashes/ and should become a unit test.  Seeds come from
# tests/fuzz/corpus/NAME/ when present; the corpus grown by a run stays
# under build/fuzz/corpus/.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT" || exit 2
SECONDS_EACH=${1:-${FUZZ_SECONDS:-20}}
OUT=build/fuzz
HARNESSES=(form text template req)

if ! command -v clang >/dev/null; then
	echo "1..0 # SKIP clang is not installed (tools/bootstrap.sh test)"
	exit 0
fi
mkdir -p "$OUT/crashes"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -DSYSCONFDIR=\"/etc\" -DDATADIR=\"/usr/share/fascia\" -g -O1 -Isrc -Isrc/tmpl $SAN $(pkg-config --cflags libpq libsodium libcmark fcgi libxml-2.0 2>/dev/null)"
LIBS="$(pkg-config --libs libpq libsodium inih libcmark fcgi libxml-2.0 2>/dev/null) -lpthread"

# The sources once, instrumented for the fuzzer, shared by every harness.
mkdir -p "$OUT/obj"
objs=()
for src in src/*.c src/tmpl/*.c; do
	[ "$src" = src/main.c ] && continue
	obj=$OUT/obj/$(basename "$src" .c).o
	objs+=("$obj")
	[ "$obj" -nt "$src" ] && [ -z "$(find src -name '*.h' -newer "$obj")" ] && continue
	clang $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2>>"$OUT/build.log" &
done
wait

echo "1..${#HARNESSES[@]}"
i=0
for h in "${HARNESSES[@]}"; do
	i=$((i + 1))
	bin=$OUT/fuzz_$h
	if ! clang $CFLAGS -fsanitize=fuzzer -o "$bin" "tests/fuzz/fuzz_$h.c" "${objs[@]}" $LIBS >"$OUT/build_$h.log" 2>&1; then
		echo "not ok $i - fuzz $h: does not build"
		sed 's/^/# /' "$OUT/build_$h.log" | head -20
		continue
	fi
	mkdir -p "$OUT/corpus/$h"
	seeds=()
	[ -d "tests/fuzz/corpus/$h" ] && seeds=("tests/fuzz/corpus/$h")
	if ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$SECONDS_EACH" \
	    -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix="$OUT/crashes/${h}-" "$OUT/corpus/$h" "${seeds[@]}" \
	    >"$OUT/run_$h.log" 2>&1; then
		runs=$(grep -o 'Done [0-9]* runs' "$OUT/run_$h.log" | tail -1)
		echo "ok $i - fuzz $h: ${runs:-ran} in ${SECONDS_EACH}s"
	else
		echo "not ok $i - fuzz $h: crash or sanitizer report"
		grep -E 'ERROR|SUMMARY|artifact' "$OUT/run_$h.log" | head -10 | sed 's/^/# /'
	fi
done
exit 0
