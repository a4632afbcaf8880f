#!/usr/bin/env python3
"""Issue 4, section 3: finding posts.  Search, monthly archives, RSS and Atom
feeds with conditional GET, the sitemap, robots.txt, Open Graph / Twitter /
JSON-LD metadata and old-slug redirects, through nginx.

Standalone, against a running test stack:

    tools/stack.sh test up
    python3 tests/integration/test_finding.py [URL] [REGEX]

prints TAP and exits 1 when a test failed.  run.py may also import it: the
tests register with lib's runner.  The fixtures (everything named
itest-finding-*) are loaded by the first test and removed by the last;
every expectation is computed from the database.
"""

import email.utils
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.dom.minidom

if __name__ == "__main__" and len(sys.argv) > 1 and "://" in sys.argv[1]:
    os.environ["FASCIA_TEST_URL"] = sys.argv.pop(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True

from lib import (BASE_URL, CONF, PER_PAGE, Failure, check, get, head,  # noqa: E402
                 skip, sql, sql_change, sql_value, test, unescape,
                 wait_until)

VISIBLE = "p.status = 'published' AND p.published_at <= now()"
TZ = CONF.get("timezone", "UTC")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SECURITY = ("X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy")

FIXTURES = r"""
BEGIN;
DELETE FROM slug_redirects WHERE old_slug LIKE 'itest-finding-%';
DELETE FROM posts WHERE slug LIKE 'itest-finding-%';
DELETE FROM tags WHERE slug LIKE 'itest-finding-%';
DELETE FROM authors WHERE slug LIKE 'itest-finding-%';
DO $$
DECLARE
	a bigint;
	t bigint;
	p bigint;
	d bigint;
BEGIN
	INSERT INTO authors (slug, name, bio_html)
	VALUES ('itest-finding-author', 'Finn </script> "Finder"',
	        '<p>Finds things.</p>')
	RETURNING id INTO a;
	INSERT INTO tags (slug, name) VALUES ('itest-finding-tag', 'Finding & <Tags>')
	RETURNING id INTO t;
	-- Twelve posts in February 2001 about quokkas (singular in the text,
	-- so that a search for "quokkas" needs stemming), for pagination.
	FOR i IN 1..12 LOOP
		INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
		                   published_at)
		VALUES (format('itest-finding-q%s', lpad(i::text, 2, '0')),
		        format('Quokka note %s', lpad(i::text, 2, '0')),
		        format('A short note on one quokka, number %s.', i),
		        format('<p>Every quokka smiles; this one is number %s.</p>', i),
		        a, 'published',
		        timestamptz '2001-02-01 12:00:00+00' + make_interval(days => i))
		RETURNING id INTO p;
		INSERT INTO post_tags VALUES (p, t);
	END LOOP;
	-- Markup and script-closers in every field that reaches a snippet, a
	-- title, a meta tag or the JSON-LD.
	INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
	                   published_at)
	VALUES ('itest-finding-hostile',
	        '</script><script>alert("t")</script> Wombat & <b>co</b>',
	        E'Excerpt with </SCRIPT > and <!-- and \u2028 in it',
	        '<p>Wombats &amp; &lt;script&gt;alert(1)&lt;/script&gt; burrow; '
	        '<b>wombat</b> holes are &#8217;square&#8217;.</p>',
	        a, 'published', timestamptz '2001-03-05 12:00:00+00')
	RETURNING id INTO p;
	INSERT INTO post_tags VALUES (p, t);
	-- The newest post of the site, with characters XML cannot carry in
	-- its body (a WordPress import may bring them).
	INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
	                   published_at)
	VALUES ('itest-finding-fresh', 'Fresh finding post', 'Fresh excerpt.',
	        E'<p>Fresh body\u000c with a bell\u0007 and \uFFFE.</p>',
	        a, 'published', now() - interval '1 minute')
	RETURNING id INTO p;
	INSERT INTO post_tags VALUES (p, t);
	INSERT INTO posts (slug, title, body_html, author_id, status)
	VALUES ('itest-finding-draft', 'Finding draft', '<p>Draft.</p>', a, 'draft')
	RETURNING id INTO d;
	INSERT INTO slug_redirects (old_slug, post_id)
	VALUES ('itest-finding-old', p), ('itest-finding-older', p),
	       ('itest-finding-old-draft', d);
END
$$;
COMMIT;
"""

CLEANUP = r"""
BEGIN;
DELETE FROM slug_redirects WHERE old_slug LIKE 'itest-finding-%';
DELETE FROM posts WHERE slug LIKE 'itest-finding-%';
DELETE FROM tags WHERE slug LIKE 'itest-finding-%';
DELETE FROM authors WHERE slug LIKE 'itest-finding-%';
COMMIT;
"""


# --- helpers -----------------------------------------------------------------

def visible_slugs(where="true", limit=None):
    return [r[0] for r in sql(
        "SELECT p.slug FROM posts p WHERE %s AND (%s) "
        "ORDER BY p.published_at DESC, p.id DESC%s" %
        (VISIBLE, where, " LIMIT %d" % limit if limit else ""))]


def post_url(slug):
    return "%s/%s/" % (BASE_URL, urllib.parse.quote(slug, safe=""))


def never_5xx(r):
    check(r.status < 500, "a 5xx for %s" % r.path[:120], r.describe(300))
    return r


def security_headers(r):
    for h in SECURITY:
        r.has_header(h)
    return r


def xml_doc(r):
    """Parse a response as XML (and with xmllint when it is installed)."""
    try:
        doc = xml.dom.minidom.parseString(r.body)
    except Exception as e:  # noqa: BLE001 -- any parse error fails the test
        raise Failure("%s is not well-formed XML: %s" % (r.path, e))
    if shutil.which("xmllint"):
        p = subprocess.run(["xmllint", "--noout", "-"], input=r.body,
                           capture_output=True)
        check(p.returncode == 0, "xmllint rejects %s: %s" %
              (r.path, p.stderr.decode(errors="replace")[:500]))
    return doc


def text_of(el):
    return "".join(n.data for n in el.childNodes
                   if n.nodeType in (n.TEXT_NODE, n.CDATA_SECTION_NODE))


def children(el, name):
    return [c for c in el.childNodes
            if c.nodeType == c.ELEMENT_NODE and c.tagName == name]


def child_text(el, name):
    cs = children(el, name)
    check(len(cs) == 1, "<%s> has %d <%s> children" % (el.tagName, len(cs), name))
    return text_of(cs[0])


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def rfc822_ok(s):
    return re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} "
                    r"\d{2}:\d{2}:\d{2} (\+0000|GMT)$", s) is not None and \
        email.utils.parsedate_to_datetime(s) is not None


def meta(page, attr, name):
    """The content of <meta attr=name>, or None."""
    for _, a, _ in page.find("meta"):
        if a.get(attr) == name:
            return a.get("content")
    return None


def links(page, rel):
    return [a for _, a, _ in page.find("link") if a.get("rel") == rel]


def jsonld(r):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                         r.text, re.S)
    check(len(scripts) == 1, "expected one JSON-LD script, found %d" % len(scripts))
    body = scripts[0]
    check("<" not in body, "the JSON-LD holds a '<'", body[:300])
    try:
        return json.loads(body)
    except ValueError as e:
        raise Failure("JSON-LD does not parse: %s\n%s" % (e, body[:500]))


def search_pages(q):
    """Slugs of every result of search q, following the pagination."""
    out, path = [], "/?s=" + urllib.parse.quote_plus(q)
    for _ in range(50):
        r = get(path).expect(200)
        out += re.findall(r'<h2 class="entry-title"><a href="/([^"/]+)/">', r.text)
        m = re.search(r'<a href="([^"]+)" rel="next">', r.text)
        if not m:
            return out, r
        path = unescape(m.group(1))
    raise Failure("more than 50 pages of results for %r" % q)


def search_expected(q):
    return sorted(r[0] for r in sql(
        "SELECT p.slug FROM posts p WHERE %s AND p.search @@ "
        "websearch_to_tsquery('english', '%s')" % (VISIBLE, q.replace("'", "''"))))


# --- fixtures ----------------------------------------------------------------

@test("finding: fixtures load (itest-finding-*)")
def t_fixtures():
    sql_change(FIXTURES)


# --- robots.txt and the sitemap ------------------------------------------------

@test("finding: /robots.txt is text/plain and names the sitemap by absolute URL")
def t_robots():
    r = get("/robots.txt").expect(200)
    r.has_header("Content-Type", r"^text/plain; charset=utf-8$")
    security_headers(r)
    check(re.search(r"(?m)^User-agent: \*$", r.text), "no User-agent line", r.text)
    check(re.search(r"(?m)^Sitemap: %s/sitemap\.xml$" % re.escape(BASE_URL),
                    r.text), "no absolute Sitemap line", r.text)
    head("/robots.txt").expect(200)


@test("finding: /sitemap.xml is well-formed and lists every published post, "
      "author and tag page with lastmod, and nothing else")
def t_sitemap():
    r = get("/sitemap.xml").expect(200)
    r.has_header("Content-Type", r"^application/xml; charset=utf-8$")
    security_headers(r)
    doc = xml_doc(r)
    root = doc.documentElement
    check(root.tagName == "urlset" and root.getAttribute("xmlns") ==
          "http://www.sitemaps.org/schemas/sitemap/0.9", "not a sitemap urlset")
    locs = {}
    for u in children(root, "url"):
        loc = child_text(u, "loc")
        lastmod = child_text(u, "lastmod")
        check(RFC3339.match(lastmod), "lastmod %r of %s is not W3C/RFC 3339" %
              (lastmod, loc))
        check(loc.startswith(BASE_URL + "/"), "loc %r is not absolute" % loc)
        check(loc not in locs, "%s listed twice" % loc)
        locs[loc] = lastmod
    want = {BASE_URL + "/"}
    want |= {post_url(s) for s in visible_slugs()}
    want |= {"%s/author/%s/" % (BASE_URL, urllib.parse.quote(r[0], safe=""))
             for r in sql("SELECT DISTINCT a.slug FROM authors a JOIN posts p "
                          "ON p.author_id = a.id WHERE " + VISIBLE)}
    want |= {"%s/tag/%s/" % (BASE_URL, urllib.parse.quote(r[0], safe=""))
             for r in sql("SELECT DISTINCT t.slug FROM tags t JOIN post_tags pt "
                          "ON pt.tag_id = t.id JOIN posts p ON p.id = pt.post_id "
                          "WHERE " + VISIBLE)}
    check(set(locs) == want, "sitemap differs from the database",
          "missing: %s" % sorted(want - set(locs))[:10],
          "extra: %s" % sorted(set(locs) - want)[:10])
    # A post's lastmod is its last change (or publication, if later).
    epoch = sql_value("SELECT extract(epoch FROM greatest(updated_at, "
                      "published_at))::bigint FROM posts WHERE slug = "
                      "'itest-finding-hostile'")
    want_lm = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))
    check(locs[post_url("itest-finding-hostile")] == want_lm,
          "lastmod %r, expected %r" % (locs[post_url("itest-finding-hostile")],
                                       want_lm))


# --- feeds -------------------------------------------------------------------

def check_rss(path, where):
    r = get(path).expect(200)
    r.has_header("Content-Type", r"^application/rss\+xml; charset=utf-8$")
    security_headers(r)
    r.has_header("ETag", r'^(W/)?"[^"]+"$')
    doc = xml_doc(r)
    rss = doc.documentElement
    check(rss.tagName == "rss" and rss.getAttribute("version") == "2.0",
          "not RSS 2.0")
    ch = children(rss, "channel")
    check(len(ch) == 1, "RSS needs one channel")
    ch = ch[0]
    for name in ("title", "link", "description"):
        check(child_text(ch, name).strip() != "", "empty channel <%s>" % name)
    check(child_text(ch, "link").startswith(BASE_URL + "/"), "channel link not absolute")
    selfs = [e for e in children(ch, "atom:link") if e.getAttribute("rel") == "self"]
    check(len(selfs) == 1 and selfs[0].getAttribute("href") == BASE_URL + path,
          "atom:link rel=self should be %s" % (BASE_URL + path))
    items = children(ch, "item")
    want = visible_slugs(where, 20)
    got = []
    for it in items:
        link = child_text(it, "link")
        check(link.startswith(BASE_URL + "/"), "item link %r not absolute" % link)
        got.append(urllib.parse.unquote(link[len(BASE_URL) + 1:].rstrip("/")))
        check(rfc822_ok(child_text(it, "pubDate")), "pubDate %r is not RFC 822" %
              child_text(it, "pubDate"))
        guid = children(it, "guid")[0]
        check(text_of(guid).startswith("tag:"), "guid %r is not a tag: URI" %
              text_of(guid))
        check(child_text(it, "title") != "", "empty item title")
        check(child_text(it, "content:encoded").strip() != "", "no full content")
        check(child_text(it, "dc:creator") != "", "no dc:creator")
    check(got == want, "RSS items differ from the database's newest 20",
          "got:  %s" % got, "want: %s" % want)
    return r, doc


def check_atom(path, where):
    r = get(path).expect(200)
    r.has_header("Content-Type", r"^application/atom\+xml; charset=utf-8$")
    security_headers(r)
    doc = xml_doc(r)
    feed = doc.documentElement
    check(feed.tagName == "feed" and feed.getAttribute("xmlns") ==
          "http://www.w3.org/2005/Atom", "not an Atom feed")
    for name in ("id", "title", "updated"):
        check(child_text(feed, name).strip() != "", "empty feed <%s>" % name)
    check(RFC3339.match(child_text(feed, "updated")), "feed updated not RFC 3339")
    rels = {e.getAttribute("rel"): e.getAttribute("href")
            for e in children(feed, "link")}
    check(rels.get("self") == BASE_URL + path, "link rel=self: %r" % rels.get("self"))
    check(rels.get("alternate", "").startswith(BASE_URL + "/"), "no alternate link")
    got, ids = [], []
    for e in children(feed, "entry"):
        eid = child_text(e, "id")
        check(eid.startswith("tag:") or eid.startswith(BASE_URL + "/"),
              "entry id %r is neither a tag: URI nor the post URL" % eid)
        ids.append(eid)
        for name in ("published", "updated"):
            check(RFC3339.match(child_text(e, name)), "entry %s %r not RFC 3339" %
                  (name, child_text(e, name)))
        check(child_text(e, "updated") >= child_text(e, "published"),
              "updated before published")
        alt = [l for l in children(e, "link") if l.getAttribute("rel") == "alternate"]
        check(len(alt) == 1 and alt[0].getAttribute("href").startswith(BASE_URL + "/"),
              "entry needs one absolute alternate link")
        got.append(urllib.parse.unquote(
            alt[0].getAttribute("href")[len(BASE_URL) + 1:].rstrip("/")))
        author = children(e, "author")
        check(len(author) == 1 and child_text(author[0], "name") != "",
              "entry needs an author name")
        content = children(e, "content")
        check(len(content) == 1 and content[0].getAttribute("type") == "html" and
              text_of(content[0]).strip() != "", "entry needs full html content")
    check(len(set(ids)) == len(ids), "duplicate entry ids")
    check(got == visible_slugs(where, 20), "Atom entries differ from the database",
          "got: %s" % got)
    return r, ids


@test("finding: /feed/ is RSS 2.0: the newest 20 posts, absolute links, "
      "RFC 822 dates, tag: guids, full content, self link")
def t_rss():
    r, doc = check_rss("/feed/", "true")
    # The characters XML cannot carry were dropped, the text kept.
    check("Fresh body with a bell and ." in r.text and "\x07" not in r.text and
          "\x0c" not in r.text and "\ufffe" not in r.text,
          "characters XML cannot carry reached the feed")
    rss2 = get("/feed/rss2/").expect(200)
    check(rss2.header("ETag") == r.header("ETag"), "/feed/rss2/ differs from /feed/")


@test("finding: /feed/atom/ is Atom 1.0 with stable ids and RFC 3339 dates")
def t_atom():
    _, ids = check_atom("/feed/atom/", "true")
    _, ids2 = check_atom("/feed/atom/", "true")
    check(ids == ids2, "entry ids changed between two fetches")
    # Ids do not depend on the slug: they name the post's id.
    pid = sql_value("SELECT id FROM posts WHERE slug = 'itest-finding-fresh'")
    check(any(i.endswith("post-%s" % pid) for i in ids), "no entry id for post %s" % pid,
          ids[:3])


@test("finding: tag and author feeds (RSS and Atom) carry only their posts; "
      "unknown ones are 404")
def t_section_feeds():
    tag_where = ("EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
                 "WHERE pt.post_id = p.id AND t.slug = 'itest-finding-tag')")
    author_where = ("p.author_id = (SELECT id FROM authors "
                    "WHERE slug = 'itest-finding-author')")
    check_rss("/tag/itest-finding-tag/feed/", tag_where)
    check_atom("/tag/itest-finding-tag/feed/atom/", tag_where)
    check_rss("/author/itest-finding-author/feed/", author_where)
    check_atom("/author/itest-finding-author/feed/atom/", author_where)
    slug = sql_value("SELECT t.slug FROM tags t WHERE t.slug NOT LIKE 'itest-%' "
                     "ORDER BY t.id LIMIT 1")
    if slug:
        check_rss("/tag/%s/feed/" % slug,
                  "EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = "
                  "pt.tag_id WHERE pt.post_id = p.id AND t.slug = '%s')" % slug)
    for p in ("/tag/itest-no-such-tag/feed/", "/author/itest-no-such/feed/atom/"):
        get(p).expect(404)
    # An author or tag with nothing published has an empty, valid feed.
    r = get("/tag/itest-empty/feed/atom/")
    if r.status == 200:
        xml_doc(r)


@test("finding: feeds answer conditional GET: ETag and Last-Modified, 304 on "
      "If-None-Match / If-Modified-Since, a new ETag when a post changes")
def t_conditional():
    for path in ("/feed/", "/feed/atom/", "/tag/itest-finding-tag/feed/",
                 "/author/itest-finding-author/feed/atom/"):
        r = get(path).expect(200)
        etag = r.header("ETag")
        lm = r.header("Last-Modified")
        check(etag and lm, "%s: ETag and Last-Modified expected" % path, r.describe(0))
        check(email.utils.parsedate_to_datetime(lm) is not None and lm.endswith(" GMT"),
              "Last-Modified %r is not an HTTP date" % lm)
        nm = get(path, headers={"If-None-Match": etag}).expect(304)
        check(nm.body == b"", "a 304 with a body")
        check(nm.header("ETag") == etag, "304 without the same ETag")
        security_headers(nm)
        get(path, headers={"If-None-Match": "W/" + etag.lstrip("W/")}).expect(304)
        get(path, headers={"If-None-Match": '"nope", ' + etag}).expect(304)
        get(path, headers={"If-None-Match": "*"}).expect(304)
        get(path, headers={"If-Modified-Since": lm}).expect(304)
        # If-None-Match wins over If-Modified-Since.
        get(path, headers={"If-None-Match": '"stale"',
                           "If-Modified-Since": lm}).expect(200)
        get(path, headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}
            ).expect(200)
        get(path, headers={"If-Modified-Since": "garbage"}).expect(200)
        h = head(path).expect(200)
        check(h.header("ETag") == etag and h.body == b"", "HEAD differs from GET")
    old = get("/feed/").header("ETag")
    sql_change("UPDATE posts SET updated_at = now() WHERE slug = "
               "'itest-finding-fresh'")
    r = get("/feed/", headers={"If-None-Match": old}).expect(200)
    check(r.header("ETag") != old, "the ETag did not change with the post")
    get("/feed/", headers={"If-None-Match": r.header("ETag")}).expect(304)


# --- search --------------------------------------------------------------------

@test("finding: search stems: /?s=massages finds every massage post, ranked, "
      "with <mark>ed snippets, noindex")
def t_search_stemming():
    got, last = search_pages("massages")
    want = search_expected("massages")
    check(sorted(got) == want, "results differ from the database",
          "got:  %s" % sorted(got), "want: %s" % want)
    singular = visible_slugs("p.title ILIKE '%massage%' AND p.title NOT ILIKE "
                             "'%massages%'")
    check(singular and set(singular) <= set(got),
          "posts titled 'massage' are missing for 'massages'",
          sorted(set(singular) - set(got)))
    r = get("/?s=massages").expect(200)
    r.contains("<mark>", 'name="robots" content="noindex"')
    security_headers(r)
    page = r.html()
    forms = [a for _, a, _ in page.find("form") if a.get("role") == "search"]
    check(forms and all(f.get("method") == "get" for f in forms),
          "no GET form with role=search")
    check(page.find("label", for_="site-search"), "the search field has no label")


@test("finding: search paginates as /page/N/?s=words; past the end is 404")
def t_search_pages():
    total = len(search_expected("quokkas"))
    check(total == 12, "fixtures: 12 quokka posts expected, found %d" % total)
    got, _ = search_pages("quokkas")
    check(sorted(got) == search_expected("quokkas"), "quokka results differ", got)
    r = get("/?s=quokkas").expect(200)
    r.contains("12 results", 'href="/page/2/?s=quokkas" rel="next"')
    pages = -(-total // PER_PAGE)
    get("/page/%d/?s=quokkas" % pages).expect(200).contains('rel="prev"')
    get("/page/%d/?s=quokkas" % (pages + 1)).expect(404)
    r = get("/page/1/?s=quokkas").expect(301)
    r.has_header("Location", r"^%s/\?s=quokkas$" % re.escape(BASE_URL))
    r = get("/search/quokka+notes/").expect(301)
    r.has_header("Location", r"^%s/\?s=quokka%%20notes$" % re.escape(BASE_URL))


@test("finding: snippets and titles are escaped, only <mark> is markup")
def t_search_escaping():
    r = get("/?s=wombats").expect(200)
    r.lacks("<script>alert", "<b>co</b>", "<b>wombat</b>")
    r.contains("<mark>Wombats</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;",
               "&lt;/script&gt;&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; "
               "<mark>Wombat</mark> &amp; &lt;b&gt;co&lt;/b&gt;",
               "\u2019square")
    check(r.text.count("<mark>") == r.text.count("</mark>"), "unbalanced <mark>")


@test("finding: empty, blank, stop-word, punctuation and very long queries get "
      "a helpful page")
def t_search_junk():
    empty = ("What are you looking for?", "search box")
    none = ("No results for", "Check the spelling", "archives")
    for q, needles in (("", empty), ("%20%20+", empty),
                       ("the+and+of", none + ("&ldquo;the and of&rdquo;",)),
                       ("!!!", none + ("&ldquo;!!!&rdquo;",)),
                       ("zzqqxxnotaword", none),
                       ("a" * 1000, none + ("only its first words were used",))):
        r = get("/?s=" + q).expect(200)
        r.contains('name="robots" content="noindex"', 'name="s"', *needles)
        security_headers(r)


@test("finding: hostile queries answer 200 or 4xx, never 5xx, always escaped")
def t_search_hostile():
    cases = ["<script>alert(1)</script>", "'; DROP TABLE posts; --",
             '"unterminated', "-", "or", "!!!", "massage & | ! ( ) : *",
             "\u00e9\u00e8 caf\u00e9", "\U0001F486 massage", "x" * 2000,
             "<!--", "</title><script>", "\\", "%", "'''", "a:*", "(((((",
             "\ue000massage\ue001", "massage " * 150]
    for q in cases:
        r = never_5xx(get("/?s=" + urllib.parse.quote_plus(q)))
        check(r.status == 200 or 400 <= r.status < 500, "status %d" % r.status)
        if r.status == 200:
            r.lacks("<script>alert", "</title><script>")
            check(r.text.count("<mark>") == r.text.count("</mark>"),
                  "unbalanced <mark> for %r" % q[:40])
    for raw in ("%00", "a%00b", "%09", "%FF", "%C0%BC", "%zz", "%E2%80"):
        never_5xx(get("/?s=" + raw)).expect_4xx()
    never_5xx(get("/page/2/?s=%3Cscript%3E"))
    check(sql_value("SELECT count(*) FROM posts") not in (None, "0"),
          "posts table gone")


# --- archives ------------------------------------------------------------------

def month_posts(ym):
    return visible_slugs("to_char(p.published_at AT TIME ZONE '%s', 'YYYY/MM') "
                         "= '%s'" % (TZ, ym))


@test("finding: /YYYY/MM/ lists that month's posts, paginated; an empty or "
      "impossible month is 404")
def t_archives():
    want = month_posts("2001/02")
    check(len(want) == 12, "fixtures: 12 posts in 2001/02, found %d" % len(want))
    got = []
    r = get("/2001/02/").expect(200)
    security_headers(r)
    r.contains("Posts from February 2001")
    page = r.html()
    check([a["href"] for _, a, _ in page.find("link") if a.get("rel") == "canonical"]
          == [BASE_URL + "/2001/02/"], "canonical of the archive")
    got += re.findall(r'<h2 class="entry-title"><a href="/([^"/]+)/">', r.text)
    r.contains('href="/2001/02/page/2/" rel="next"')
    r2 = get("/2001/02/page/2/").expect(200)
    got += re.findall(r'<h2 class="entry-title"><a href="/([^"/]+)/">', r2.text)
    check(got == want, "archive differs from the database", got, want)
    get("/2001/02/page/3/").expect(404)
    get("/2001/02/page/1/").expect(301)
    get("/2001/02").expect(301).has_header("Location", r"/2001/02/$")
    for p in ("/1999/07/", "/2001/13/", "/2001/00/", "/2001/2/", "/0999/01/",
              "/9999/12/", "/2001/02/page/0/", "/2001/ab/"):
        never_5xx(get(p)).expect(404)
    # Every month that has posts answers.
    for (ym,) in sql("SELECT DISTINCT to_char(p.published_at AT TIME ZONE '%s', "
                     "'YYYY/MM') FROM posts p WHERE %s" % (TZ, VISIBLE)):
        get("/%s/" % ym).expect(200)


@test("finding: the home page links to every month with posts")
def t_archive_links():
    want = sorted(r[0] for r in sql(
        "SELECT DISTINCT to_char(p.published_at AT TIME ZONE '%s', 'YYYY/MM') "
        "FROM posts p WHERE %s" % (TZ, VISIBLE)))

    def linked():
        r = get("/").expect(200)
        nav = re.search(r'<nav class="archives".*?</nav>', r.text, re.S)
        got = sorted(re.findall(r'href="/(\d{4}/\d{2})/"', nav.group(0))) if nav else []
        return got == want or None

    # Each worker keeps the list for a minute, so a month added just now by
    # the fixtures could take that long to show; a reload starts workers
    # with empty caches at once.
    import lib
    import signal
    old = set(lib.children(lib.fascia_master()))
    os.kill(lib.fascia_master(), signal.SIGHUP)
    wait_until(lambda: not (set(lib.children(lib.fascia_master())) & old),
               timeout=20, what="a new generation of workers")
    wait_until(linked, timeout=10, interval=0.2, what="the archive links of /")


# --- metadata --------------------------------------------------------------------

@test("finding: every page links the site feeds and has canonical, description, "
      "Open Graph and Twitter card tags")
def t_meta_every_page():
    paths = ["/", "/page/2/", "/tag/itest-finding-tag/", "/author/itest-finding-author/",
             "/2001/02/", "/?s=quokka", "/itest-finding-hostile/", "/no-such-post/"]
    for path in paths:
        r = get(path)
        page = r.html()
        alts = {(a.get("type"), a.get("href")) for a in links(page, "alternate")}
        check(("application/rss+xml", BASE_URL + "/feed/") in alts and
              ("application/atom+xml", BASE_URL + "/feed/atom/") in alts,
              "%s: no site feed links" % path, alts)
        check(meta(page, "name", "description"), "%s: no meta description" % path)
        for p in ("og:type", "og:title", "og:description", "og:site_name"):
            check(meta(page, "property", p), "%s: no %s" % (path, p))
        check(meta(page, "name", "twitter:card") == "summary", "%s: twitter:card" % path)
        if r.status == 200:
            canon = [a["href"] for a in links(page, "canonical")]
            check(len(canon) == 1 and canon[0].startswith(BASE_URL + "/"),
                  "%s: canonical %s" % (path, canon))
            check(meta(page, "property", "og:url") == canon[0], "%s: og:url" % path)
    page = get("/tag/itest-finding-tag/").html()
    alts = {(a.get("type"), a.get("href")) for a in links(page, "alternate")}
    check(("application/rss+xml", BASE_URL + "/tag/itest-finding-tag/feed/") in alts and
          ("application/atom+xml", BASE_URL + "/tag/itest-finding-tag/feed/atom/")
          in alts, "the tag page does not link its feeds", alts)
    page = get("/author/itest-finding-author/").html()
    alts = {a.get("href") for a in links(page, "alternate")}
    check(BASE_URL + "/author/itest-finding-author/feed/" in alts,
          "the author page does not link its feed", alts)


@test("finding: a post page has article Open Graph tags and a JSON-LD "
      "BlogPosting that parses, with the author as a Person")
def t_jsonld():
    slug = visible_slugs("p.slug NOT LIKE 'itest-%'", 1)[0]
    row = sql("SELECT p.title, a.name, a.slug FROM posts p JOIN authors a ON "
              "a.id = p.author_id WHERE p.slug = '%s'" % slug)[0]
    r = get("/%s/" % slug).expect(200)
    page = r.html()
    check(meta(page, "property", "og:type") == "article", "og:type article")
    check(meta(page, "property", "og:title") == row[0], "og:title")
    check(meta(page, "property", "og:url") == post_url(slug), "og:url")
    check(RFC3339.match(meta(page, "property", "article:published_time") or ""),
          "article:published_time")
    d = jsonld(r)
    check(d.get("@context") == "https://schema.org" and d.get("@type") == "BlogPosting",
          "not a schema.org BlogPosting", d)
    check(d.get("headline") == row[0], "headline %r" % d.get("headline"))
    check(RFC3339.match(d.get("datePublished", "")) and
          RFC3339.match(d.get("dateModified", "")), "dates", d)
    check(d["dateModified"] >= d["datePublished"], "modified before published")
    a = d.get("author", {})
    check(a.get("@type") == "Person" and a.get("name") == row[1] and
          a.get("url") == "%s/author/%s/" % (BASE_URL, row[2]), "author", a)
    check(d.get("mainEntityOfPage", {}).get("@id") == post_url(slug), "mainEntityOfPage")
    check(d.get("publisher", {}).get("name"), "publisher")


@test("finding: JSON-LD of a post full of </script> and <!-- is escaped and "
      "parses back to the exact text")
def t_jsonld_hostile():
    r = get("/itest-finding-hostile/").expect(200)
    # Read as hex: psql's output would be split at the U+2028 in it.
    title, excerpt = (bytes.fromhex(v).decode() for v in sql(
        "SELECT encode(convert_to(title, 'UTF8'), 'hex'), "
        "encode(convert_to(excerpt, 'UTF8'), 'hex') FROM posts "
        "WHERE slug = 'itest-finding-hostile'")[0])
    d = jsonld(r)
    check(d["headline"] == title, "headline %r != %r" % (d["headline"], title))
    check(d["description"] == excerpt, "description round trip")
    check(d["author"]["name"] == 'Finn </script> "Finder"', "author name round trip")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>',
                      r.text, re.S).group(1)
    check(not re.search(r"</script|<!--", block, re.I), "a script closer in JSON-LD")
    # Exactly the one data block: nothing else became a script.
    check(len(re.findall(r"<script", r.text, re.I)) == 1, "more than one <script>")
    check(meta(r.html(), "property", "og:title") == title, "og:title round trip")


@test("finding: an old slug answers 301 to the post's current URL; one pointing "
      "at a draft, or unknown, is 404")
def t_slug_redirects():
    for old in ("itest-finding-old", "itest-finding-older"):
        r = get("/%s/" % old).expect(301)
        r.has_header("Location", "^%s$" % re.escape(post_url("itest-finding-fresh")))
        security_headers(r)
        head("/%s/" % old).expect(301)
    get("/itest-finding-old-draft/").expect(404)
    get("/itest-finding-never-was/").expect(404)
    get("/itest-finding-old").expect(301).has_header("Location", r"/itest-finding-old/$")


@test("finding: pages of this section are valid HTML (Nu Html Checker)")
def t_nu():
    jars = [os.path.join(ROOT, "tests/browser/node_modules/vnu-jar/build/dist/vnu.jar"),
            "/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"]
    jar = next((j for j in jars if os.path.exists(j)), None)
    if jar is None or not shutil.which("java"):
        skip("no vnu.jar or java")
    paths = ["/?s=massages", "/?s=", "/?s=the", "/?s=wombats", "/2001/02/",
             "/itest-finding-hostile/", "/tag/itest-finding-tag/",
             "/author/itest-finding-author/", "/"]
    with tempfile.TemporaryDirectory() as d:
        files = []
        for i, p in enumerate(paths):
            f = os.path.join(d, "page%d.html" % i)
            with open(f, "wb") as out:
                out.write(get(p).body)
            files.append(f)
        res = subprocess.run(["java", "-jar", jar, "--errors-only", *files],
                             capture_output=True, text=True, timeout=120)
        msg = (res.stdout + res.stderr).strip()
        for i, p in enumerate(paths):
            msg = msg.replace("page%d.html" % i, p)
        check(res.returncode == 0 and msg == "", "the Nu checker reports:", msg[:3000])


@test("finding: fixtures removed")
def t_cleanup():
    r = subprocess.run(__import__("lib")._psql_cmd(), input=CLEANUP,
                       capture_output=True, text=True)
    check(r.returncode == 0, "cleanup failed: %s" % r.stderr.strip())
    get("/itest-finding-old/").expect(404)


if __name__ == "__main__":
    import lib
    r = get("/healthz")
    if r.status != 200:
        print("Bail out! %s/healthz answers %d: is the test stack up?" % (lib.URL, r.status))
        sys.exit(2)
    sys.exit(1 if lib.run_all(sys.argv[1] if len(sys.argv) > 1 else None) else 0)
