#!/usr/bin/env bash
# tools/bootstrap.sh [SET...]: install the Debian packages fascia needs.
#
# SET is one or more of:
#   build   compiler, make, pkg-config and the -dev libraries
#   run     build + PostgreSQL, nginx, curl          (what `make run` needs)
#   test    run + cmocka, xmllint, python3, chromium, a JRE, Node.js and npm,
#           clang with libFuzzer, clang-format, valgrind, mandoc, systemd (systemd-socket-activate, systemd-analyze), wrk
#                                                    (what `make test` needs)
#   bench   run + wrk, valgrind, python3             (what `make bench` needs)
#   all     test + bench
# With no SET it installs `test`.
#
# Only the packages that are missing are installed: `apt-get update` runs once,
# and only when something is missing, so a second run takes a fraction of a
# second.  As root it installs them and creates the system user `fascia` that
# tools/stack.sh runs PostgreSQL, fascia and nginx as; as anyone else it prints
# the command to run and exits 1 when something is missing.
set -euo pipefail

usage() {
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p;}' "$0"
	exit "${1:-0}"
}

build_pkgs=(gcc make pkg-config libc6-dev libfcgi-dev libpq-dev libsodium-dev
	libcmark-dev libxml2-dev libinih-dev)
run_pkgs=(postgresql nginx curl ca-certificates)
test_pkgs=(libcmocka-dev libxml2-utils python3 chromium default-jre-headless
	clang libclang-rt-14-dev clang-format valgrind mandoc systemd wrk)
bench_pkgs=(wrk valgrind python3)

want=()
want_node=0
add_set() {
	case $1 in
	build) want+=("${build_pkgs[@]}") ;;
	run) add_set build; want+=("${run_pkgs[@]}") ;;
	test) add_set run; want+=("${test_pkgs[@]}"); want_node=1 ;;
	bench) add_set run; want+=("${bench_pkgs[@]}") ;;
	all) add_set test; add_set bench ;;
	-h | --help | help) usage 0 ;;
	*) echo "bootstrap: unknown set '$1' (build, run, test, bench, all)" >&2; usage 2 >&2 ;;
	esac
}
if [ $# -eq 0 ]; then
	add_set test
else
	for s in "$@"; do add_set "$s"; done
fi

# Node.js and npm: a node or npm already on PATH (nvm, a tarball, NodeSource)
# is kept; Debian's packages are only added for what is absent.
if [ "$want_node" = 1 ]; then
	command -v node >/dev/null 2>&1 || want+=(nodejs)
	command -v npm >/dev/null 2>&1 || want+=(npm)
fi

# One dpkg-query for the lot.  A package dpkg has never heard of is reported
# on stderr and left out of stdout, so it counts as missing too.
mapfile -t want < <(printf '%s\n' "${want[@]}" | sort -u)
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${want[@]}" 2>/dev/null |
	awk '$1 == "ii" { print $2 }' || true)
missing=()
for p in "${want[@]}"; do
	grep -qxF -- "$p" <<<"$installed" || missing+=("$p")
done

need_user=0
id -u fascia >/dev/null 2>&1 || need_user=1

if [ ${#missing[@]} -eq 0 ] && { [ "$need_user" = 0 ] || [ "$(id -u)" != 0 ]; }; then
	exit 0
fi

install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$(id -u)" != 0 ]; then
	echo "bootstrap: missing Debian packages: ${missing[*]}" >&2
	echo "bootstrap: run this as root, then try again:" >&2
	echo "  sudo sh -c '$install_cmd'" >&2
	exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "bootstrap: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The unprivileged user the services run as (initdb refuses root).  No login
# shell, no home directory of its own; the deployment keeps its state in
# /var/lib/fascia (conf/fascia.service creates it).
if [ "$need_user" = 1 ]; then
	echo "bootstrap: creating system user fascia" >&2
	useradd --system --user-group --no-create-home \
		--home-dir /var/lib/fascia --shell /usr/sbin/nologin \
		--comment "fascia blog engine" fascia
fi
