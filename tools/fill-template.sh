#!/usr/bin/env bash
# tools/fill-template.sh [-o OUTPUT] TEMPLATE NAME=VALUE...: fill in one of
# fascia's templates of installed files: conf/nginx-http.conf.in,
# conf/nginx-site.conf.in, conf/fascia.service.in, conf/fascia.socket.in.
#
# Every placeholder @NAME@ of TEMPLATE (NAME: capitals, digits and _) is
# replaced by the VALUE given for it.  Lines that start with ## are notes on
# the template and are left out.  A placeholder alone on its line
# (indentation aside) may be given the empty value: the line is left out.
#
# It fails, and writes nothing, when a placeholder has no value, when a NAME
# given is no placeholder of TEMPLATE (a typo, a renamed placeholder), when
# a value is empty inside a line, or when a NAME is given twice.
#
# The result goes to stdout, or with -o to OUTPUT, which is replaced only
# when its text changes.
#
# Callers: the Makefile (part of `make`: the deployment's nginx files in
# build/nginx/, its systemd units in build/systemd/) and tools/stack.sh (the
# nginx.conf of the dev and test stacks).
set -euo pipefail

ME=${0##*/}
die() {
	printf '%s: error: %s\n' "$ME" "$*" >&2
	exit 1
}
usage() {
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p;}' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

OUT=
case ${1:-} in
-h | --help) usage 0 ;;
-o)
	[ $# -ge 2 ] || usage 2 >&2
	OUT=$2
	shift 2
	;;
esac
[ $# -ge 1 ] || usage 2 >&2
TEMPLATE=$1
shift
[ -f "$TEMPLATE" ] && [ -r "$TEMPLATE" ] || die "$TEMPLATE: no such template"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nginx-conf.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# The values, one "NAME<tab>VALUE" line each, for awk to read as they are
# (awk's -v and NAME=VALUE operands would interpret backslashes).
: >"$TMP/values"
for arg in "$@"; do
	case $arg in
	*=*) ;;
	*) die "$arg: expected NAME=VALUE" ;;
	esac
	name=${arg%%=*}
	value=${arg#*=}
	case $name in
	'' | [!A-Z]* | *[!A-Z0-9_]*) die "$name: a placeholder name is capitals, digits and _" ;;
	esac
	case $value in *$'\n'*) die "$name: the value has a newline" ;; esac
	grep -q "^$name	" "$TMP/values" && die "$name is given twice"
	printf '%s\t%s\n' "$name" "$value" >>"$TMP/values"
done

awk -v me="$ME" -v tpl="$TEMPLATE" '
function fail(msg) {
	printf "%s: error: %s\n", me, msg > "/dev/stderr"
	bad = 1
}
FNR == NR {
	i = index($0, "\t")
	val[substr($0, 1, i - 1)] = substr($0, i + 1)
	next
}
/^[ \t]*##/ { next }
{
	rest = $0
	out = ""
	alone = $0 ~ /^[ \t]*@[A-Z][A-Z0-9_]*@[ \t]*$/
	drop = 0
	while (match(rest, /@[A-Z][A-Z0-9_]*@/)) {
		k = substr(rest, RSTART + 1, RLENGTH - 2)
		v = ""
		if (!(k in val))
			fail(tpl ":" FNR ": @" k "@ has no value")
		else {
			v = val[k]
			used[k] = 1
			if (v == "" && alone)
				drop = 1
			else if (v == "")
				fail(tpl ":" FNR ": @" k "@ is empty inside a line")
		}
		out = out substr(rest, 1, RSTART - 1) v
		rest = substr(rest, RSTART + RLENGTH)
	}
	if (!drop)
		print out rest
}
END {
	for (k in val)
		if (!(k in used))
			fail(k " is given a value but " tpl " has no @" k "@")
	exit bad
}' "$TMP/values" "$TEMPLATE" >"$TMP/out" || die "$TEMPLATE: not filled in${OUT:+, $OUT not written}"

if [ -z "$OUT" ]; then
	cat "$TMP/out"
elif ! cmp -s "$TMP/out" "$OUT"; then
	cp "$TMP/out" "$OUT.new"
	mv -f "$OUT.new" "$OUT"
fi
