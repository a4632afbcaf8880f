#!/usr/bin/env bash
# tests/cli/test_import_wordpress.sh CONF: `fascia import-wordpress` end to
# end, printing TAP.
#
# Imports tests/fixtures/wordpress-export.xml into the database of the
# config CONF (FASCIA_DATABASE, when set, overrides it as it does for
# fascia), checks what arrived row by row, imports again and checks that
# nothing changed, scans every text column of every table for the export's
# email addresses, checks that `fascia comments forget` finds the imported
# comments by their hashed address, and feeds it broken and hostile files.
# The rows the fixture brings are deleted before and after, so the test
# can run again on the same database; use a test database all the same.
#
# Environment: FASCIA_BIN (default build/fascia), PSQL (default psql).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
CONF=${1:?usage: tests/cli/test_import_wordpress.sh CONF}
BIN=${FASCIA_BIN:-$ROOT/build/fascia}
FIXTURE=$ROOT/tests/fixtures/wordpress-export.xml
PSQL=${PSQL:-$(command -v psql || printf '%s\n' /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)}
DB=${FASCIA_DATABASE:-$(sed -n 's/^[[:space:]]*database[[:space:]]*=[[:space:]]*//p' "$CONF" | tail -n 1)}
TMP=$(mktemp -d)

# shellcheck source=../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"
# is GOT WANT DESCRIPTION
is() {
	if [ "$1" == "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}
# like GOT REGEX DESCRIPTION
like() {
	if [[ $1 =~ $2 ]]; then ok "$3"; else not_ok "$3" "got:  $1" "want: /$2/"; fi
}
q() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
fascia() { "$BIN" -c "$CONF" "$@"; }
import() { fascia import-wordpress "$1" >"$TMP/out" 2>"$TMP/err"; }
# line KIND: the report's line for authors, posts, comments, tags, skipped, failed
line() { sed -n "s/^  $1: *//p" "$TMP/out"; }

# Everything the fixture and the extra files below can bring, and nothing
# else: their posts by import key and slug, then the tags and authors
# they made, when no other post uses them.
cleanup() {
	q "BEGIN;
	DELETE FROM posts WHERE import_key IN ('wp:101', 'wp:102', 'wp:103',
	    'wp:901', 'wp:902', 'wp:903') OR slug IN ('glazes-firing-a-beginners-guide',
	    '日本の陶器', 'building-a-wood-kiln', 'a-good-post-of-a-bad-file',
	    'building-an-anagama');
	DELETE FROM tags t WHERE slug IN ('techniques', 'glaze', 'kiln', '陶器',
	    'studio-life', 'only-on-903') AND NOT EXISTS (SELECT 1 FROM post_tags p
	    WHERE p.tag_id = t.id);
	DELETE FROM authors a WHERE slug IN ('hannah', 'oskar-berg')
	    AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.author_id = a.id);
	COMMIT;" >/dev/null
}
finish() {
	cleanup
	rm -rf "$TMP"
}
trap finish EXIT

# A fingerprint of every row the import may touch.
fingerprint() {
	q "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
	    SELECT a::text AS x FROM authors a
	    UNION ALL SELECT p::text FROM posts p
	    UNION ALL SELECT t::text FROM tags t
	    UNION ALL SELECT pt::text FROM post_tags pt
	    UNION ALL SELECT c::text FROM comments c
	    UNION ALL SELECT r::text FROM slug_redirects r) s"
}

echo "1..62"

if ! q "SELECT 1" >/dev/null 2>"$TMP/err"; then
	not_ok "the database answers" "$(cat "$TMP/err")"
	exit 1
fi
cleanup
before_posts=$(q "SELECT count(*) FROM posts")

# --- the first import ---------------------------------------------------

import "$FIXTURE"
is "$?" 0 "import exits 0"
is "$(line authors)" "2 new, 0 updated, 0 unchanged" "report: 2 authors"
is "$(line posts)" "3 new, 0 updated, 0 unchanged (1 scheduled)" \
	"report: 3 posts, one of them scheduled"
is "$(line comments)" "6 new, 0 updated, 0 unchanged" "report: 6 comments"
is "$(line tags)" "5 new, 0 updated, 0 unchanged" "report: 5 tags"
is "$(line skipped)" "1 draft, 1 password-protected post, 1 page, 1 attachment, 1 unapproved comment, 1 spam comment, 1 pingback, 1 use of the default category Uncategorized, 1 term of another taxonomy" \
	"report: what was left out, and why"
is "$(line failed)" "nothing" "report: nothing failed"
is "$(cat "$TMP/err")" "" "nothing on standard error"

is "$(q "SELECT count(*) FROM posts") " "$((before_posts + 3)) " \
	"3 posts more in the database"
is "$(q "SELECT string_agg(import_key || ' ' || slug, ', ' ORDER BY import_key)
    FROM posts WHERE import_key LIKE 'wp:10_'")" \
	"wp:101 glazes-firing-a-beginners-guide, wp:102 日本の陶器, wp:103 building-a-wood-kiln" \
	"slugs kept, the percent-encoded one decoded"
is "$(q "SELECT title FROM posts WHERE import_key = 'wp:101'")" \
	"Glazes & Firing: A Beginner’s Guide" "title as text, entities decoded"
body=$(q "SELECT body_html FROM posts WHERE import_key = 'wp:101'")
like "$body" '<p>A glaze is <strong>glass</strong> that melts' "body HTML kept as is"
like "$body" '<code>a\[b\[0\]\]>1</code>' "CDATA split around ]]> joined again"
like "$body" '青磁 \(seiji\) 🏺' "unicode in the body"
is "$(q "SELECT count(*) FROM posts WHERE import_key LIKE 'wp:10_'
    AND (body_source <> '' OR status <> 'published')")" 0 \
	"published, with an empty body_source"
is "$(q "SELECT string_agg(import_key || ' ' || to_char(published_at AT TIME ZONE 'UTC',
    'YYYY-MM-DD HH24:MI'), ', ' ORDER BY import_key) FROM posts
    WHERE import_key LIKE 'wp:10_'")" \
	"wp:101 2019-03-04 09:15, wp:102 2020-07-01 12:00, wp:103 2031-01-01 08:00" \
	"dates from post_date_gmt, else post_date; the future one kept"
is "$(q "SELECT excerpt FROM posts WHERE import_key = 'wp:103'")" \
	"Plans for an anagama kiln & a summer of firing." "excerpt from excerpt:encoded"
excerpt=$(q "SELECT excerpt FROM posts WHERE import_key = 'wp:102'")
like "$excerpt" '^Bizen ware \(備前焼\) is fired without glaze for ten days; .*…$' \
	"excerpt made from the content, the [caption] left out"
is "$(wc -w <<<"$excerpt" | tr -d ' ')" 40 "made excerpt: 40 words"
is "$(q "SELECT string_agg(import_key || ' ' || comments_open, ', ' ORDER BY import_key)
    FROM posts WHERE import_key LIKE 'wp:10_'")" "wp:101 true, wp:102 false, wp:103 true" \
	"comment status"
is "$(q "SELECT string_agg(a.slug, ', ' ORDER BY p.import_key) FROM posts p
    JOIN authors a ON a.id = p.author_id WHERE p.import_key LIKE 'wp:10_'")" \
	"hannah, oskar-berg, hannah" "authors by login; oskar.berg as oskar-berg"
is "$(q "SELECT name || ' | ' || bio_html FROM authors WHERE slug = 'hannah'")" \
	"Hannah Lindqvist | <p>Potter and teacher in Malmö.</p>
<p>Writes about glazes &amp; kilns at her studio (<a href=\"https://hannah.example.org/\" rel=\"nofollow ugc noopener\">https://hannah.example.org/</a>).</p>" \
	"author's name and bio from wp:author_description, escaped"
is "$(q "SELECT name || ' |' || bio_html FROM authors WHERE slug = 'oskar-berg'")" \
	"Oskar Berg |" "author without a description: no bio"
is "$(q "SELECT p.import_key || ' ' || string_agg(t.slug || '=' || t.name, ',' ORDER BY t.slug)
    FROM posts p JOIN post_tags pt ON pt.post_id = p.id JOIN tags t ON t.id = pt.tag_id
    WHERE p.import_key LIKE 'wp:10_' GROUP BY p.import_key ORDER BY 1" | paste -sd ';')" \
	"wp:101 glaze=Glaze,kiln=Kiln,techniques=Techniques;wp:102 陶器=陶器;wp:103 kiln=Kiln,studio-life=Studio & Life" \
	"categories and tags as tags, Uncategorized and post formats left out"
is "$(q "SELECT r.old_slug || ' -> ' || p.slug FROM slug_redirects r JOIN posts p
    ON p.id = r.post_id WHERE p.import_key LIKE 'wp:10_'")" \
	"wood-kiln-plans -> building-a-wood-kiln" "_wp_old_slug kept as a redirect"

# Comments: wp:<post>:<comment> -> its parent's key, name, url, body.
comments=$(q "SELECT c.import_key || ' ^' || coalesce(p.import_key, '-') || ' ' ||
    c.author_name || ' <' || c.url || '> ' || c.status FROM comments c
    LEFT JOIN comments p ON p.id = c.parent_id
    WHERE c.import_key LIKE 'wp:10_:%' ORDER BY c.import_key")
is "$comments" "wp:101:501 ^- Ingrid <https://ingrid.example.net/> approved
wp:101:502 ^wp:101:501 Hannah Lindqvist <https://clay.example.org> approved
wp:101:503 ^wp:101:502 Ingrid <> approved
wp:101:505 ^- Björn Åkesson <> approved
wp:101:508 ^- Anonymous <> approved
wp:102:601 ^- Yuki <https://yuki.example.jp/> approved" \
	"approved comments only, threaded 3 deep; a reply to an unapproved one moves up; javascript: and bare http:// urls dropped"
is "$(q "SELECT body FROM comments WHERE import_key = 'wp:101:502'")" \
	"Cone 6, slowly. An electric kiln is fine & even.

Keep a witness cone on the middle shelf." "comment HTML to text, paragraphs kept"
is "$(q "SELECT body FROM comments WHERE import_key = 'wp:101:503'")" \
	"It worked!
Three tiles, no crawling. <3" "<br /> and its newline: one line break; entities decoded"
is "$(q "SELECT body FROM comments WHERE import_key = 'wp:101:505'")" \
	"Answering the comment above, which was never approved: see my guide (https://pots.example.com/guide) & more." \
	"script dropped, a link's address kept after its text"
is "$(q "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
    FROM comments WHERE import_key = 'wp:102:601'")" "2020-07-02 00:00" \
	"comment date from comment_date_gmt"
is "$(q "SELECT count(DISTINCT email_hash) FROM comments WHERE import_key IN
    ('wp:101:501', 'wp:101:503')")" 1 \
	"one commenter, two spellings of the address: one hash"

# No plain address, anywhere: every text-like column of every table.
grep -o '<wp:\(comment_author_email\|author_email\)><!\[CDATA\[[^]]*\]\]>' "$FIXTURE" |
	sed 's/.*CDATA\[//; s/\]\]>$//; s/^ *//; s/ *$//' | tr 'A-Z' 'a-z' | sort -u | grep . >"$TMP/emails"
is "$(wc -l <"$TMP/emails" | tr -d ' ')" 8 "the fixture's 8 email addresses"
cat >"$TMP/scan.sql" <<'EOF'
CREATE TEMP TABLE emails (e text);
INSERT INTO emails SELECT e FROM unnest(string_to_array(:'emails', E'\n')) e WHERE e <> '';
CREATE TEMP TABLE hits (tbl text, col text, n bigint);
DO $$
DECLARE r record; n bigint;
BEGIN
	FOR r IN SELECT table_schema, table_name, column_name, data_type
	    FROM information_schema.columns
	    WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
	    AND table_schema NOT LIKE 'pg_temp%'
	    AND data_type IN ('text', 'character varying', 'character', 'json',
	    'jsonb', 'tsvector', 'bytea', 'USER-DEFINED', 'ARRAY')
	LOOP
		EXECUTE format('SELECT count(*) FROM %I.%I t, emails WHERE %s ILIKE ''%%'' || emails.e || ''%%''',
		    r.table_schema, r.table_name,
		    CASE WHEN r.data_type = 'bytea'
		    THEN format('encode(t.%I, ''escape'')', r.column_name)
		    ELSE format('t.%I::text', r.column_name) END) INTO n;
		INSERT INTO hits VALUES (r.table_name, r.column_name, n);
	END LOOP;
END $$;
SELECT count(*) || ' columns, ' || coalesce(sum(n), 0) || ' hits' FROM hits;
EOF
scan() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -v emails="$(cat "$1")" "$DB" -f "$TMP/scan.sql" 2>&1; }
printf 'clay.example.org\n' >"$TMP/control"
like "$(scan "$TMP/control")" '^[1-9][0-9]* columns, [1-9][0-9]* hits$' \
	"the scan finds a string that is there (a commenter's site)"
like "$(scan "$TMP/emails")" '^[1-9][0-9]* columns, 0 hits$' \
	"no email address in any text column of any table"
if grep -qiF -f "$TMP/emails" "$TMP/out" "$TMP/err"; then
	not_ok "no email address in the command's output"
else
	ok "no email address in the command's output"
fi

# --- the same file again: nothing changes -------------------------------

print1=$(fingerprint)
import "$FIXTURE"
is "$?" 0 "second import exits 0"
is "$(line authors);$(line posts);$(line comments);$(line tags)" \
	"0 new, 0 updated, 2 unchanged;0 new, 0 updated, 3 unchanged (1 scheduled);0 new, 0 updated, 6 unchanged;0 new, 0 updated, 5 unchanged" \
	"second import: everything unchanged"
is "$(fingerprint)" "$print1" "second import: not one row changed"

# --- a newer export: what changed is updated -------------------------------

sed -e 's/Glazes &amp; Firing: A Beginner’s Guide/Glazes \&amp; Firing, revised/' \
	-e 's/<wp:post_name><!\[CDATA\[building-a-wood-kiln\]\]>/<wp:post_name><![CDATA[building-an-anagama]]>/' \
	-e 's/Cone 6, slowly\./Cone 6, very slowly./' "$FIXTURE" >"$TMP/newer.xml"
import "$TMP/newer.xml"
is "$?" 0 "newer export imports"
is "$(line posts);$(line comments)" \
	"0 new, 2 updated, 1 unchanged (1 scheduled);0 new, 1 updated, 5 unchanged" \
	"newer export: 2 posts and 1 comment updated"
is "$(q "SELECT string_agg(r.old_slug, ',' ORDER BY r.old_slug) FROM slug_redirects r
    JOIN posts p ON p.id = r.post_id WHERE p.slug = 'building-an-anagama'")" \
	"building-a-wood-kiln,wood-kiln-plans" "a changed slug leaves a redirect"
import "$FIXTURE"
is "$(line posts);$(line comments)" \
	"0 new, 2 updated, 1 unchanged (1 scheduled);0 new, 1 updated, 5 unchanged" \
	"the first export again puts things back"

# --- post import over an imported post: one way to write a post ------------

cat >"$TMP/over.md" <<'EOF'
---
title: Glazes, from a file
slug: glazes-firing-a-beginners-guide
author: hannah
status: published
date: 2019-03-04T09:15:00Z
tags: kiln
---
Written in *Markdown* now.
EOF
out=$(fascia post import "$TMP/over.md" 2>&1)
like "$out" '^updated  glazes-firing-a-beginners-guide \(published, ' \
	"post import updates an imported post, matched by its slug"
is "$(q "SELECT import_key || ' ' || title || ' ' || (body_source <> '') || ' ' ||
    (SELECT string_agg(t.slug, ',') FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
    WHERE pt.post_id = p.id) FROM posts p WHERE slug = 'glazes-firing-a-beginners-guide'")" \
	"wp:101 Glazes, from a file true kiln" "the post keeps its import key; title, body and tags from the file"
import "$FIXTURE"
is "$(line posts);$(line comments)" \
	"0 new, 1 updated, 2 unchanged (1 scheduled);0 new, 0 updated, 6 unchanged" \
	"the export again finds the post by its key and updates it"
is "$(q "SELECT title || ' ' || (body_source = '') FROM posts WHERE import_key = 'wp:101'")" \
	"Glazes & Firing: A Beginner’s Guide true" "the export's version is back"

# --- forget: the hash is the one `comments forget` computes ---------------

out=$(fascia comments forget "  INGRID.reader@example.NET" 2>&1)
is "$out" "forget: 2 comments removed" "forget finds both of the commenter's imported comments"
is "$(q "SELECT c.import_key || ' ^' || coalesce(p.import_key, '-') FROM comments c
    LEFT JOIN comments p ON p.id = c.parent_id
    WHERE c.import_key LIKE 'wp:101:50_' ORDER BY c.import_key" | paste -sd ';')" \
	"wp:101:502 ^-;wp:101:505 ^-;wp:101:508 ^-" "the reply between them stays, moved up"

# --- broken and hostile files ----------------------------------------------

print2=$(fingerprint)
cat >"$TMP/doctype.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&xxe;</title></item></channel></rss>
EOF
import "$TMP/doctype.xml"
is "$?" 1 "a file with a DOCTYPE: exit 1"
like "$(cat "$TMP/err")" 'line [0-9]+: the file has a DOCTYPE' "a file with a DOCTYPE is refused, with its line"
printf '<html><body><p>not an export</p></body></html>\n' >"$TMP/html.xml"
import "$TMP/html.xml"
like "$?:$(cat "$TMP/err")" '^1:.*not a WordPress export' "an HTML file: not an export, exit 1"
head -c 7000 "$FIXTURE" >"$TMP/cut.xml"
import "$TMP/cut.xml"
like "$?:$(cat "$TMP/err")" '^1:.*line [0-9]+:' "a cut file: the error and its line, exit 1"
like "$(line stopped)" 'by the error above' "a cut file: the report says it stopped"
is "$(fingerprint)" "$print2" "no row changed by the broken files"

# A usable post next to a bad one, a bad comment next to a good one.
cat >"$TMP/mixed.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>hannah</wp:author_login><wp:author_display_name>Hannah Lindqvist</wp:author_display_name></wp:author>
<item><title>Same slug as 101</title><dc:creator>hannah</dc:creator><wp:post_id>903</wp:post_id>
<wp:post_date_gmt>2021-05-04 10:00:00</wp:post_date_gmt><wp:post_name>glazes-firing-a-beginners-guide</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="post_tag" nicename="only-on-903">Only on 903</category>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>C</wp:comment_author>
<wp:comment_date_gmt>2021-05-06 10:00:00</wp:comment_date_gmt><wp:comment_content>Lost with its post.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved></wp:comment></item>
<item><title>A good post of a bad file</title><dc:creator>hannah</dc:creator>
<content:encoded><![CDATA[<p>Fine.</p>]]></content:encoded><wp:post_id>901</wp:post_id>
<wp:post_date_gmt>2021-05-05 10:00:00</wp:post_date_gmt><wp:post_name>a-good-post-of-a-bad-file</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>A</wp:comment_author>
<wp:comment_date_gmt>2021-05-06 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[<p> </p>]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>B</wp:comment_author>
<wp:comment_date_gmt>2021-05-06 11:00:00</wp:comment_date_gmt><wp:comment_content>Good.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment>
</item>
<item><title>Page two</title><dc:creator>hannah</dc:creator><wp:post_id>902</wp:post_id>
<wp:post_date_gmt>2021-05-05 10:00:00</wp:post_date_gmt><wp:post_name>page</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
EOF
import "$TMP/mixed.xml"
is "$?" 1 "a file with bad items: exit 1"
is "$(line posts);$(line comments);$(line tags);$(line failed)" \
	"1 new, 0 updated, 0 unchanged;1 new, 0 updated, 0 unchanged;0 new, 0 updated, 0 unchanged;2 posts, 1 comment (the reasons are above)" \
	"the good post and comment imported, the bad ones counted"
like "$(cat "$TMP/err")" 'post 903 "Same slug as 101": not imported: its slug belongs to another post already' \
	"a post the database refuses: named, with the reason"
is "$(q "SELECT (SELECT count(*) FROM posts WHERE import_key = 'wp:903') + (SELECT count(*)
    FROM comments WHERE import_key LIKE 'wp:903:%') + (SELECT count(*) FROM tags
    WHERE slug = 'only-on-903')")" 0 "nothing of the refused post written: no row, comment or tag"
like "$(cat "$TMP/err")" 'post 902 "Page two": not imported: its slug "page" is a section of the site' \
	"the bad post named, with the reason"
like "$(cat "$TMP/err")" 'comment 1 on post 901 .*: not imported: it has no text' \
	"the bad comment named, with the reason"
is "$(q "SELECT count(*) FROM posts WHERE import_key = 'wp:902'")" 0 "nothing of the bad post written"
is "$(q "SELECT count(*) || ' ' || bool_and(parent_id IS NULL) FROM comments
    WHERE import_key LIKE 'wp:901:%'")" "1 true" "the reply to the bad comment kept, moved up"

[ "$failures" -eq 0 ]
