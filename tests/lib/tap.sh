# tests/lib/tap.sh: what the shell suites (tests/cli/, tests/cluster/) share,
# sourced by each: TAP output, and reading a key of a fascia.conf.
#
#   ok DESCRIPTION              a passing test
#   not_ok DESCRIPTION [LINE...] a failing one, with its lines as diagnostics
#   skip WHY                    a test that cannot run here
#   bail REASON                 stop the suite (TAP "Bail out!")
#   note LINE...                diagnostics that are not a test
#   conf_key FILE KEY           KEY's value in FILE: its last line, as inih
#                               reads it, an end-of-line ; comment left out
#   suite_args "$@"             a CLI suite's arguments, CONFIG [FASCIA_BIN]:
#                               CONF and BIN, made absolute (BIN defaults to
#                               $FASCIA_BIN, else build/fascia); exit 2 with
#                               the usage when CONFIG is not readable
#   owner_conninfo              the config's owner_database, else database
#   tap_end                     the plan; exit status 1 when a test failed
n=0
failures=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	local line
	n=$((n + 1))
	failures=$((failures + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}
skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}
bail() {
	echo "Bail out! $*"
	exit 1
}
note() { printf '%s\n' "$@" | sed 's/^/# /'; }
conf_key() {
	sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" |
		sed 's/[[:space:]][[:space:]]*;.*$//; s/[[:space:]]*$//' | tail -n 1
}
suite_args() {
	CONF=${1:-}
	BIN=${2:-${FASCIA_BIN:-$ROOT/build/fascia}}
	if [ -z "$CONF" ] || [ ! -r "$CONF" ]; then
		echo "usage: $0 CONFIG [FASCIA_BIN]" >&2
		exit 2
	fi
	case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
	case $CONF in /*) ;; *) CONF=$PWD/$CONF ;; esac
}
owner_conninfo() {
	local c
	c=$(conf_key "$CONF" owner_database)
	echo "${c:-$(conf_key "$CONF" database)}"
}
tap_end() {
	echo "1..$n"
	[ "$failures" = 0 ]
}
