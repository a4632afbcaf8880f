#!/bin/sh
# tools/gzip-static.sh DIR: put a gzip copy beside every text file of DIR
# (stylesheets, SVG, scripts, plain text), for nginx's gzip_static to send
# as is instead of compressing it again on every request.  A copy keeps
# its original's time, since nginx dates (Last-Modified, ETag) what it
# sends by the copy, and carries no name nor time of its own (-n): the
# same file always gives the same bytes.  `make install` and tools/stack.sh run
# it on the copies of static/ they make; the source tree holds no .gz.
set -eu
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 DIR" >&2; exit 2; }
find "$1" -type f \( -name '*.css' -o -name '*.svg' -o -name '*.js' \
	-o -name '*.txt' \) -print | while IFS= read -r f; do
	gzip -9 -n -c -- "$f" >"$f.gz.new"
	touch -r "$f" -- "$f.gz.new"
	mv -f -- "$f.gz.new" "$f.gz"
done
