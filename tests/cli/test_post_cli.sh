#!/usr/bin/env bash
# tests/cli/test_post_cli.sh: `fascia post` and `fascia author` end to end,
# against a scratch database, with TAP output.
#
#   tests/cli/test_post_cli.sh CONFIG [FASCIA_BIN]
#
# CONFIG is a running stack's config (var/test/fascia.conf); its database
# is left alone: the script creates a scratch database on the same
# PostgreSQL server (the config's `database`, with dbname replaced), points
# fascia at it with FASCIA_DATABASE, migrates it, loads the demo with
# demo/load.sh, runs its checks and drops the database again.  FASCIA_BIN
# defaults to $FASCIA_BIN, else build/fascia.  Needs psql; valgrind is
# used when present (set FASCIA_TEST_NO_VALGRIND=1 to skip it).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
PSQL=${PSQL:-psql}
# shellcheck source=../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
suite_args "$@"
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

command -v "$PSQL" >/dev/null 2>&1 || bail "psql not found"
[ -x "$BIN" ] || bail "$BIN not found: run make"
"$BIN" -c "$CONF" post --help >/dev/null 2>&1 ||
	bail "$BIN has no \`post\` command"

# The scratch database, on the server the config names, made and used by
# the role that owns the stack's (owner_database, else database): this
# suite is about the commands, not the roles.
BASE=${FASCIA_DATABASE:-$(owner_conninfo)}
case $BASE in
postgres://* | postgresql://*) bail "a URI in database = is not supported here; use key=value" ;;
esac
SCRATCH=fascia_cli_test_$$
ADMIN="$BASE dbname=postgres"
export FASCIA_DATABASE="$BASE dbname=$SCRATCH"
export FASCIA_OWNER_DATABASE=$FASCIA_DATABASE
export PGOPTIONS='-c client_min_messages=warning'
unset FASCIA_TIMEZONE
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fascia-cli-test.XXXXXX") || bail "mktemp"

cleanup() {
	"$PSQL" -X -q -d "$ADMIN" -c "DROP DATABASE IF EXISTS $SCRATCH" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$ADMIN" -c "CREATE DATABASE $SCRATCH" >/dev/null ||
	bail "cannot create the scratch database $SCRATCH"

fascia() { "$BIN" -c "$CONF" "$@"; }
# q SQL: one value (or rows, |-separated) from the scratch database.
q() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$FASCIA_DATABASE" -c "$1"; }
# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}
# run CMD...: run it, keeping stdout, stderr and status in OUT, ERR, RC.
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}
# fails DESCRIPTION PATTERN CMD...: the command exits non-zero and its
# standard error matches the extended regex PATTERN.
fails() {
	local desc=$1 pat=$2
	shift 2
	run "$@"
	if [ "$RC" != 0 ] && printf '%s\n' "$ERR" | grep -qE -- "$pat"; then
		ok "$desc"
	else
		not_ok "$desc" "exit $RC, stderr:" "$ERR" "wanted: $pat"
	fi
}
# post FILE <<EOF: write a post file into $TMP.
post() { cat >"$TMP/$1"; }

# --- the demo, loaded through the authoring commands --------------------

run fascia migrate
check "migrate the scratch database" test "$RC" = 0
run "$ROOT/demo/load.sh" "$BIN" "$CONF"
if [ "$RC" = 0 ]; then ok "demo/load.sh loads the demo"; else not_ok "demo/load.sh loads the demo" "$ERR"; fi
is "demo: authors, posts, comments, tags" \
	"$(q "SELECT (SELECT count(*) FROM authors) || ' ' || (SELECT count(*) FROM posts) || ' ' || (SELECT count(*) FROM comments) || ' ' || (SELECT count(*) FROM tags)")" \
	"2 18 27 9"
is "demo: tags keep their display names" \
	"$(q "SELECT name FROM tags WHERE slug = 'posture'")" "Posture & Ergonomics"
is "demo: replies keep their threading" \
	"$(q "SELECT count(*) FROM comments c JOIN comments p ON p.id = c.parent_id AND p.post_id = c.post_id")" "8"
is "demo: the relative date schedules a post" \
	"$(q "SELECT status || ' ' || (published_at > now() + interval '29 days') FROM posts WHERE slug = 'scar-massage-after-surgery'")" \
	"published true"
is "demo: Markdown rendered once, at import" \
	"$(q "SELECT body_html LIKE '%<h2>%' AND body_source LIKE '%## %' FROM posts WHERE slug = 'cupping-an-honest-look'")" "t"
before=$(q "SELECT string_agg(id || slug || title || body_html, ',' ORDER BY id) FROM posts")
run "$ROOT/demo/load.sh" "$BIN" "$CONF"
is "demo/load.sh again adds nothing" \
	"$RC $(q "SELECT count(*) FROM posts") $(q "SELECT count(*) FROM comments") $(q "SELECT count(*) FROM authors")" \
	"0 18 27 2"
is "demo/load.sh again leaves the posts as they were" \
	"$(q "SELECT string_agg(id || slug || title || body_html, ',' ORDER BY id) FROM posts")" "$before"

run fascia post list
is "post list: a header and one line a post" "$RC $(printf '%s\n' "$OUT" | wc -l)" "0 19"
check "post list marks the scheduled post" grep -qE '^scar-massage-after-surgery +scheduled ' "$TMP/out"
check "post list shows the draft" grep -qE '^cupping-an-honest-look +draft +2026-11-02 16:00 ' "$TMP/out"
run fascia author list
check "author list" grep -qE '^maya-okafor +9 +10 +Maya Okafor' "$TMP/out"

# --- importing, updating ------------------------------------------------

post new.md <<'EOF'
---
title: Hot Stones, *Cold* Facts & "Myths"
author: maya-okafor
date: 2026-03-01T10:00:00+01:00
status: published
tags: massage-therapy, brand-new-tag
excerpt: What the stones do.
---

Hello *stones*.

<script>alert(1)</script>

[click](javascript:alert(1)) and <img src=x onerror=alert(1)>
EOF
run fascia post import "$TMP/new.md"
is "import: a new post, slug made from the title" "$RC $OUT" \
	"0 created  hot-stones-cold-facts-myths (published, 2026-03-01 09:00 UTC)
post import: 1 created, 0 updated, 1 new tag"
is "import: stored with its offset applied" \
	"$(q "SELECT to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM posts WHERE slug = 'hot-stones-cold-facts-myths'")" \
	"2026-03-01 09:00"
is "import: title and excerpt verbatim" \
	"$(q "SELECT title || '|' || excerpt FROM posts WHERE slug = 'hot-stones-cold-facts-myths'")" \
	'Hot Stones, *Cold* Facts & "Myths"|What the stones do.'
html=$(q "SELECT body_html FROM posts WHERE slug = 'hot-stones-cold-facts-myths'")
if printf '%s' "$html" | grep -q '<em>stones</em>' &&
	! printf '%s' "$html" | grep -qiE '<script|javascript:|<img|onerror'; then
	ok "import: Markdown to HTML, raw HTML and javascript: links dropped"
else
	not_ok "import: Markdown to HTML, raw HTML and javascript: links dropped" "$html"
fi
is "import: a new tag is named after its slug" \
	"$(q "SELECT name FROM tags WHERE slug = 'brand-new-tag'")" "Brand new tag"
is "import: the post's tags" \
	"$(q "SELECT string_agg(t.slug, ',' ORDER BY t.slug) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id JOIN posts p ON p.id = pt.post_id WHERE p.slug = 'hot-stones-cold-facts-myths'")" \
	"brand-new-tag,massage-therapy"
id=$(q "SELECT id FROM posts WHERE slug = 'hot-stones-cold-facts-myths'")

post new.md <<'EOF'
---
title: Hot Stones, Revised
slug: hot-stones-cold-facts-myths
author: tomas-ferreira
status: published
tags: self-care
---
Revised.
EOF
run fascia post import "$TMP/new.md"
is "import again: the same slug updates the post" "$RC $(printf '%s\n' "$OUT" | head -n 1)" \
	"0 updated  hot-stones-cold-facts-myths (published, 2026-03-01 09:00 UTC)"
is "import again: same row, new title, author, tags; date kept" \
	"$(q "SELECT p.id || '|' || p.title || '|' || a.slug || '|' || p.excerpt || '|' || to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || '|' || (SELECT string_agg(t.slug, ',') FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id) FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.slug = 'hot-stones-cold-facts-myths'")" \
	"$id|Hot Stones, Revised|tomas-ferreira||2026-03-01 09:00|self-care"

# --- drafts, publishing, scheduling ---------------------------------------

post draft.md <<'EOF'
---
title: A Draft
slug: a-draft
author: maya-okafor
---
Not yet.
EOF
run fascia post import "$TMP/draft.md"
is "import: status defaults to draft, no date" \
	"$RC $(q "SELECT status || ' ' || (published_at IS NULL) FROM posts WHERE slug = 'a-draft'")" "0 draft true"
run fascia post publish a-draft
is "publish: a draft without a date is dated now" \
	"$RC $(q "SELECT status || ' ' || (published_at BETWEEN now() - interval '1 minute' AND now()) FROM posts WHERE slug = 'a-draft'")" \
	"0 published true"
run fascia post unpublish a-draft
is "unpublish: a draft again, date kept" \
	"$RC $(q "SELECT status || ' ' || (published_at IS NOT NULL) FROM posts WHERE slug = 'a-draft'")" "0 draft true"
fails "publish: an unknown slug changes nothing" 'no post has the slug "no-such-post"' \
	fascia post publish a-draft no-such-post
is "publish: ... not even the slugs before it" "$(q "SELECT status FROM posts WHERE slug = 'a-draft'")" "draft"

post future.md <<'EOF'
---
title: Next Year
author: maya-okafor
date: 2099-01-01T08:00:00Z
status: published
---
Soon.
EOF
run fascia post import "$TMP/future.md"
is "import: a future date with status published schedules the post" "$RC $(printf '%s\n' "$OUT" | head -n 1)" \
	"0 created  next-year (scheduled, 2099-01-01 08:00 UTC)"
run fascia post list
check "post list: the scheduled post is marked" grep -qE '^next-year +scheduled +2099-01-01 08:00 +Next Year$' "$TMP/out"

post local.md <<'EOF'
---
title: Local Time
author: maya-okafor
date: 2026-03-14T09:30
status: published
---
Paris.
EOF
FASCIA_TIMEZONE=Europe/Paris run fascia post import "$TMP/local.md"
is "import: a date without an offset is in the site's time zone" \
	"$RC $(q "SELECT to_char(published_at AT TIME ZONE 'UTC', 'HH24:MI') FROM posts WHERE slug = 'local-time'")" "0 08:30"

# --- renaming -------------------------------------------------------------

run fascia post rename a-draft a-renamed-draft
is "rename: the slug changes" "$RC $(q "SELECT count(*) FROM posts WHERE slug = 'a-renamed-draft'")" "0 1"
is "rename: the old slug redirects to the post" \
	"$(q "SELECT p.slug FROM slug_redirects r JOIN posts p ON p.id = r.post_id WHERE r.old_slug = 'a-draft'")" "a-renamed-draft"
fails "import: a file with the old slug is refused" \
	"draft.md:3: the post \"a-draft\" was renamed to \"a-renamed-draft\"" \
	fascia post import "$TMP/draft.md"
run fascia post rename a-renamed-draft a-third-name
is "rename twice: both old slugs redirect to the post" \
	"$RC $(q "SELECT string_agg(r.old_slug || '>' || p.slug, ',' ORDER BY r.old_slug) FROM slug_redirects r JOIN posts p ON p.id = r.post_id")" \
	"0 a-draft>a-third-name,a-renamed-draft>a-third-name"
run fascia post rename a-third-name a-draft
is "rename back: the slug is the post's again, no longer a redirect" \
	"$RC $(q "SELECT string_agg(r.old_slug, ',' ORDER BY r.old_slug) FROM slug_redirects r")" \
	"0 a-renamed-draft,a-third-name"
fails "rename: to a taken slug" '"heat-and-ice" is taken' fascia post rename a-draft heat-and-ice
fails "rename: to an old slug of another post" '"a-third-name" is taken: it is an old slug' \
	fascia post rename heat-and-ice a-third-name
fails "rename: to a reserved slug" 'reserved' fascia post rename a-draft feed
fails "rename: to a bad slug" 'bad slug' fascia post rename a-draft 'Bad Slug'
fails "rename: from a missing slug" 'no post has the slug "nope"' fascia post rename nope yes

# --- deleting ------------------------------------------------------------

cid=$(q "SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.slug = 'heat-and-ice'")
run fascia post delete heat-and-ice
is "delete: reports the comments that go with it" "$RC $OUT" "0 heat-and-ice: deleted, with its $cid comment(s)"
is "delete: the post and its comments are gone" \
	"$(q "SELECT (SELECT count(*) FROM posts WHERE slug = 'heat-and-ice') + (SELECT count(*) FROM comments c LEFT JOIN posts p ON p.id = c.post_id WHERE p.id IS NULL)")" "0"
fails "delete: an unknown slug" 'no post has the slug' fascia post delete heat-and-ice

# --- bad files: FILE:LINE: message, exit 1, nothing imported ---------------

count=$(q "SELECT count(*) FROM posts")
tags=$(q "SELECT count(*) FROM tags")
post good.md <<'EOF'
---
title: A Good File
author: maya-okafor
tags: yet-another-tag
status: published
---
Fine.
EOF
printf '# No front matter\n\nJust text.\n' >"$TMP/nofm.md"
post author.md <<'EOF'
---
title: Ghost
author: nobody
---
EOF
post dup.md <<'EOF'
---
title: Also Good
slug: a-good-file
author: maya-okafor
---
EOF
printf -- '---\ntitle: Bytes\nauthor: maya-okafor\n---\nline\ncaf\xe9\n' >"$TMP/utf8.md"
post feed.md <<'EOF'
---
title: Feed
slug: feed
author: maya-okafor
---
EOF
post year.md <<'EOF'
---
title: 2024
author: maya-okafor
---
EOF
post notitle.md <<'EOF'
---
slug: no-title
author: maya-okafor
---
EOF
post date.md <<'EOF'
---
title: Bad Date
author: maya-okafor
date: 2026-02-30T10:00:00Z
---
EOF
post status.md <<'EOF'
---
title: Bad Status
author: maya-okafor
status: live
---
EOF
post typo.md <<'EOF'
---
title: Typo
author: maya-okafor
stauts: draft
---
EOF
post open.md <<'EOF'
---
title: Never Closed
author: maya-okafor
EOF
post tags.md <<'EOF'
---
title: Bad Tags
author: maya-okafor
tags: Self Care, pain-relief
---
EOF
fails "bad file: no front matter" 'nofm\.md:1: no front matter' fascia post import "$TMP/nofm.md"
fails "bad file: unknown author" 'author\.md:3: unknown author "nobody"' fascia post import "$TMP/author.md"
fails "bad file: duplicate slug in one batch" 'dup\.md:3: the slug "a-good-file" is also that of .*good\.md' \
	fascia post import "$TMP/good.md" "$TMP/dup.md"
fails "bad file: invalid UTF-8" 'utf8\.md:6: invalid UTF-8' fascia post import "$TMP/utf8.md"
fails "bad file: a reserved slug" 'feed\.md:3: the slug "feed" is reserved' fascia post import "$TMP/feed.md"
fails "bad file: a title whose slug is a year" 'year\.md:2: the slug "2024" is reserved: it looks like a year' \
	fascia post import "$TMP/year.md"
fails "bad file: missing title" 'notitle\.md:4: missing title' fascia post import "$TMP/notitle.md"
fails "bad file: a day that does not exist" 'date\.md:4: bad date "2026-02-30T10:00:00Z"' fascia post import "$TMP/date.md"
fails "bad file: bad status" 'status\.md:4: bad status "live"' fascia post import "$TMP/status.md"
fails "bad file: unknown key" 'typo\.md:4: unknown key "stauts"' fascia post import "$TMP/typo.md"
fails "bad file: front matter never closed" 'open\.md:1: the front matter opened here is not closed' \
	fascia post import "$TMP/open.md"
fails "bad file: a tag that is not a slug" 'tags\.md:4: bad tag "Self Care"' fascia post import "$TMP/tags.md"
fails "bad file: a missing file" 'missing\.md: cannot open' fascia post import "$TMP/missing.md"
fails "a batch: every bad file is reported" '11 of 12 files are bad: nothing was imported' \
	fascia post import "$TMP/good.md" "$TMP/nofm.md" "$TMP/author.md" "$TMP/utf8.md" "$TMP/feed.md" \
	"$TMP/year.md" "$TMP/notitle.md" "$TMP/date.md" "$TMP/status.md" "$TMP/typo.md" "$TMP/open.md" "$TMP/tags.md"
is "a batch with a bad file: nothing of it imported" \
	"$(q "SELECT count(*) FROM posts") $(q "SELECT count(*) FROM tags")" "$count $tags"
run fascia post import "$TMP/good.md"
is "the good file alone imports" "$RC $(q "SELECT count(*) FROM posts")" "0 $((count + 1))"

# --- authors --------------------------------------------------------------

post author-new.md <<'EOF'
---
name: Jo Ng
---
Jo writes *about* feet. <b>raw</b>
EOF
run fascia author add "$TMP/author-new.md"
is "author add: slug made from the name, bio rendered" \
	"$RC $(q "SELECT slug || '|' || name || '|' || bio_html FROM authors WHERE name = 'Jo Ng'")" \
	"0 jo-ng|Jo Ng|<p>Jo writes <em>about</em> feet. <!-- raw HTML omitted -->raw<!-- raw HTML omitted --></p>"
fails "author add: an existing slug is refused" 'author-new\.md:2: the author "jo-ng" exists' \
	fascia author add "$TMP/author-new.md"
post author-new.md <<'EOF'
---
slug: jo-ng
name: Jo Ng, LMT
---
New bio.
EOF
run fascia author edit "$TMP/author-new.md"
is "author edit: name and bio updated" \
	"$RC $(q "SELECT name || '|' || bio_source || '|' || bio_html FROM authors WHERE slug = 'jo-ng'")" \
	"0 Jo Ng, LMT|New bio.
|<p>New bio.</p>"
post author-ghost.md <<'EOF'
---
name: Ghost Writer
---
EOF
fails "author edit: an unknown slug is refused" 'author-ghost\.md:2: no author has the slug "ghost-writer"' \
	fascia author edit "$TMP/author-ghost.md"
post author-bad.md <<'EOF'
---
slug: Bad Slug
name: X
---
EOF
fails "author add: a bad slug" 'author-bad\.md:2: bad slug' fascia author add "$TMP/author-bad.md"

# --- usage ------------------------------------------------------------------

run fascia post --help
is "post --help" "$RC $(printf '%s\n' "$OUT" | head -n 1)" "0 usage: fascia [-c FILE] post import FILE.md..."
run fascia post frobnicate
is "post: an unknown command is a usage error" "$RC" "2"
run fascia post import
is "post import: no file is a usage error" "$RC" "2"
run fascia author
is "author: no command is a usage error" "$RC" "2"
# A usage error is one even when the database cannot be reached: the
# arguments are checked before connecting.
nodb() { FASCIA_DATABASE="host=$TMP/no-such-server dbname=none" "$BIN" -c "$CONF" "$@"; }
run nodb post list extra
is "post list with an argument: a usage error, without connecting" "$RC" "2"
run nodb author add
is "author add without a file: a usage error, without connecting" "$RC" "2"
run nodb comments frobnicate
is "comments: an unknown command is a usage error, without connecting" "$RC" "2"
run nodb comments approve x
is "comments approve: a bad id is a usage error, without connecting" \
	"$RC $(printf '%s\n' "$ERR" | head -n 1)" \
	"2 fascia comments approve: expected one or more comment ids (numbers)"
run nodb comments list --status nope
is "comments list: an unknown status is a usage error, without connecting" \
	"$RC $ERR" '2 fascia comments: unknown status "nope"'
run nodb post list
is "post list: a database that cannot be reached is a failure" "$RC" "1"

# --- memory -----------------------------------------------------------------

if [ -n "${FASCIA_TEST_NO_VALGRIND:-}" ] || ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind: not run"
else
	vg() {
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$BIN" -c "$CONF" "$@"
	}
	rcs=""
	vg post import "$ROOT"/demo/content/*.md "$TMP/good.md" >/dev/null 2>"$TMP/vg1"
	rcs="$rcs $?"
	vg post import "$TMP/good.md" "$TMP/nofm.md" "$TMP/utf8.md" "$TMP/author.md" "$TMP/typo.md" >/dev/null 2>"$TMP/vg2"
	rcs="$rcs $?"
	vg post list >/dev/null 2>"$TMP/vg3"
	rcs="$rcs $?"
	vg author edit "$ROOT"/demo/authors/*.md >/dev/null 2>"$TMP/vg4"
	rcs="$rcs $?"
	vg post rename a-good-file a-good-file-2 >/dev/null 2>"$TMP/vg5"
	rcs="$rcs $?"
	if [ "$rcs" = " 0 1 0 0 0" ]; then
		ok "valgrind: no errors or leaks in import, list, author edit, rename"
	else
		not_ok "valgrind: no errors or leaks" "exit statuses:$rcs" "$(cat "$TMP"/vg?)"
	fi
fi

tap_end
