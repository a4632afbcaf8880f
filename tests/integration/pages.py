"""Issue 2, section 5: every page, in order, with the right status."""

import math
import re

import html

from lib import (BASE_URL, CONF, PER_PAGE, check, get, head, post, raw,
                 request, sql, sql_value, test)

# --- expectations, from the database ----------------------------------------

VISIBLE = "p.status = 'published' AND p.published_at <= now()"


def listed(where="true"):
    """Slugs of the visible posts matching where, newest first."""
    return [r[0] for r in sql(
        "SELECT p.slug FROM posts p WHERE %s AND (%s) "
        "ORDER BY p.published_at DESC, p.id DESC" % (VISIBLE, where))]


def all_slugs():
    return [r[0] for r in sql("SELECT slug FROM posts")]


def link_re(path):
    """An href to path, relative or absolute from the base URL."""
    return r'href="(?:%s)?%s"' % (re.escape(BASE_URL), re.escape(path))


def href_path(href):
    return href[len(BASE_URL):] if href.startswith(BASE_URL) else href


def rel_link(r, rel):
    """The path of the <a rel=...> link of a page, or None."""
    links = [a.get("href") for t, a, _ in r.html().elements
             if t == "a" and rel in a.get("rel", "").split()]
    return href_path(links[0]) if links else None


def check_listing(base, slugs, label):
    """Walk every page of a listing (base, base + page/N/): each shows its
    slice of slugs in order, nothing else, with older/newer links; one
    page past the end is a 404."""
    pages = max(1, math.ceil(len(slugs) / PER_PAGE))
    everything = all_slugs()
    for k in range(1, pages + 1):
        path = base if k == 1 else "%spage/%d/" % (base, k)
        r = get(path).expect(200)
        want = slugs[(k - 1) * PER_PAGE:k * PER_PAGE]
        r.in_order(*[link_re("/%s/" % s) for s in want])
        for s in everything:
            if s not in want:
                check(not re.search(link_re("/%s/" % s), r.text),
                      "%s page %d links to /%s/, which it should not list" %
                      (label, k, s))
        older, newer = rel_link(r, "next"), rel_link(r, "prev")
        if k < pages:
            check(older == "%spage/%d/" % (base, k + 1),
                  "%s page %d: older link %r, expected %spage/%d/" %
                  (label, k, older, base, k + 1))
        else:
            check(older is None, "%s page %d (the last): older link %r" %
                  (label, k, older))
        if k == 1:
            check(newer is None, "%s page 1: newer link %r" % (label, newer))
        else:
            exp = base if k == 2 else "%spage/%d/" % (base, k - 1)
            check(newer == exp, "%s page %d: newer link %r, expected %s" %
                  (label, k, newer, exp))
    get("%spage/%d/" % (base, pages + 1)).expect(404)
    return pages


def page_path(base, slugs, slug):
    """The listing page (under base) that shows slug."""
    k = slugs.index(slug) // PER_PAGE + 1
    return base if k == 1 else "%spage/%d/" % (base, k)


def check_layout(r):
    """The site's layout around any page: skip link, header, main, footer."""
    r.in_order(r'<a [^>]*href="#content"[^>]*>\s*Skip to content',
               r'<header', r'id="content"', r'Back To Top', r'<footer')


# --- listings ---------------------------------------------------------------

@test("GET / lists the newest visible posts; every /page/N/ its slice; past the end 404")
def _():
    slugs = listed()
    check(len(slugs) > PER_PAGE, "the suite needs more than one page of posts")
    pages = check_listing("/", slugs, "home")
    check(pages >= 2, "expected at least 2 pages")


@test("listing entries carry title, date, author link, excerpt and comment count")
def _():
    r = get(page_path("/", listed(), "itest-p02")).expect(200)
    r.in_order(link_re("/itest-p02/") + r'[^>]*>\s*Itest post 02',
               r'<time datetime="2000-01-03',
               link_re("/author/itest-author/"),
               r'One Comment',
               r'Excerpt of itest post 02\.')


@test("listing comment labels: No Comments / One Comment / N Comments")
def _():
    base = "/author/itest-author/"
    # p01 has 4 approved, p02 one, p03 none: all three are on one page.
    slugs = listed("p.author_id = (SELECT id FROM authors WHERE slug = 'itest-author')")
    r = get(page_path(base, slugs, "itest-p01")).expect(200)
    r.in_order(link_re("/itest-p03/"), r"No Comments")
    r.in_order(link_re("/itest-p02/"), r"One Comment")
    r.in_order(link_re("/itest-p01/"), r"4 Comments")


@test("/page/1/ is the home page or redirects to it; /page/0/, /page/x/ are 404")
def _():
    r = get("/page/1/")
    check(r.status in (200, 301, 302, 308), "/page/1/ -> %d" % r.status)
    if r.status != 200:
        check(href_path(r.header("Location") or "") == "/",
              "/page/1/ redirects to %r" % r.header("Location"))
    for p in ("/page/0/", "/page/x/", "/page/-1/", "/page/99999999999999999999/",
              "/page/2/extra/"):
        get(p).expect(404)


@test("/author/<slug>/: name (escaped), bio, the author's posts, paginated")
def _():
    base = "/author/itest-author/"
    slugs = listed("p.author_id = (SELECT id FROM authors WHERE slug = 'itest-author')")
    check(len(slugs) > PER_PAGE, "fixture: itest-author needs > 1 page")
    check_listing(base, slugs, "author")
    r = get(base).expect(200)
    r.contains("Ivy writes <em>integration</em> tests.")  # bio is trusted HTML
    r.lacks('Ivy <Test>')
    check('Ivy <Test> & "Quotes"' in r.html().text,
          "the author's name is not on the page (as text)")
    check_layout(r)


@test("/author/<slug>/ of an author with no visible post, and of no author")
def _():
    r = get("/author/itest-nobody/")
    check(r.status in (200, 404), "itest-nobody -> %d" % r.status)
    r.lacks("Nobody draft")
    get("/author/no-such-author/").expect(404)
    get("/author/itest-author/page/99/").expect(404)


@test("/tag/<slug>/: tag name (escaped), its posts, paginated; unknown tag 404")
def _():
    base = "/tag/itest-tag/"
    slugs = listed("p.id IN (SELECT post_id FROM post_tags pt JOIN tags t "
                   "ON t.id = pt.tag_id WHERE t.slug = 'itest-tag')")
    check(len(slugs) > PER_PAGE, "fixture: itest-tag needs > 1 page")
    check_listing(base, slugs, "tag")
    r = get(base).expect(200)
    r.lacks("<i>one</i>")
    check("Tag <i>one</i>" in r.html().text, "tag name missing from the page")
    get("/tag/no-such-tag/").expect(404)


@test("/tag/<slug>/ of a tag without posts")
def _():
    r = get("/tag/itest-empty/")
    check(r.status in (200, 404), "itest-empty -> %d" % r.status)


# --- the post page ----------------------------------------------------------

P01 = "/itest-p01/"


@test("/<slug>/ shows its parts in the reference order")
def _():
    r = get(P01).expect(200)
    r.in_order(
        r'<a [^>]*href="#content"[^>]*>\s*Skip to content',
        r'<header',
        re.escape(html.escape(CONF["site_title"], quote=False)),
        r'<h1[^>]*>\s*Itest post 01\s*</h1>',
        r'<time datetime="2000-01-02',
        link_re("/author/itest-author/"),
        r'Body of itest post 01\.',
        r'<h2[^>]*>Section</h2>',
        r'Ivy writes <em>integration</em> tests\.',     # bio box
        link_re("/author/itest-author/"),              # link to the author page
        r'This Post Has 4 Comments',
        r'First comment by Alice\.',
        r'Bob replies to Alice\.',
        r'Carol replies to Bob\.',
        r'&lt;script&gt;alert\(',                       # Mallory's body
        r'Leave a Reply',
        r'Your email address will not be published\.',
        r'Post Comment',
        r'Back To Top',
        r'<footer')


@test("/<slug>/: the comment form: action, fields, labels, note, button")
def _():
    r = get(P01).expect(200)
    pg = r.html()
    forms = [a for t, a, _ in pg.elements
             if t == "form" and a.get("action", "").endswith("/comments")]
    check(len(forms) == 1, "expected one comment form, found %d" % len(forms))
    f = forms[0]
    check(f.get("method", "").lower() == "post", "form method %r" % f.get("method"))
    check(href_path(f.get("action", "")) == "/itest-p01/comments",
          "form action %r" % f.get("action"))
    fields = {a.get("name"): (t, a) for t, a, path in pg.elements
              if t in ("input", "textarea", "button") and "form" in path
              and a.get("name") not in ("s", None)}
    for name in ("comment", "author", "email", "url", "comment_parent"):
        check(name in fields, "no form field named %r" % name)
    check(fields["comment"][0] == "textarea", "comment is not a textarea")
    for name in ("comment", "author", "email"):
        check("required" in fields[name][1], "%s is not required" % name)
    check("required" not in fields["url"][1], "url must be optional")
    check(fields["comment_parent"][1].get("type") == "hidden", "comment_parent not hidden")
    # Every visible field has a label pointing at it.
    labels = {a.get("for") for t, a, _ in pg.elements if t == "label"}
    for name in ("comment", "author", "email", "url"):
        check(fields[name][1].get("id") in labels,
              "field %s has no <label for=...>" % name)
    text = pg.text
    for want in ("Leave a Reply", "Comment *", "Name *", "Email *", "Website",
                 "Your email address will not be published. Required fields are marked *",
                 "Post Comment"):
        check(want in text, "page text lacks %r" % want)


@test("/<slug>/: only approved comments, threaded, oldest first")
def _():
    r = get(P01).expect(200)
    r.lacks("PENDING-MARKER", "SPAM-MARKER", "TRASH-MARKER", "PENDING-REPLY-MARKER",
            "Pending Person", "Spam Person", "Trash Person", "Pending Replier")
    ids = {name: cid for cid, name in sql(
        "SELECT c.id, c.author_name FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE p.slug = 'itest-p01'")}
    pg = r.html()
    # Each comment's element (id="comment-N") and what it is nested in.
    where = {}
    for t, a, path in pg.elements:
        if a.get("id", "").startswith("comment-") and a["id"][8:].isdigit():
            where[int(a["id"][8:])] = path
    alice, bob, carol = (int(ids[n]) for n in
                         ("Alice Example", "Bob Example", "Carol Example"))
    mallory = int(next(v for k, v in ids.items() if k.endswith("Mallory")))
    for c in (alice, bob, carol, mallory):
        check(c in where, "no element with id=comment-%d" % c)
    depth = {c: len(where[c]) for c in where}
    check(depth[alice] == depth[mallory], "Alice and Mallory are both top level")
    check(depth[bob] > depth[alice], "Bob's reply is not nested under Alice")
    check(depth[carol] > depth[bob], "Carol's reply is not nested under Bob")
    r.in_order("comment-%d" % alice, "comment-%d" % bob,
               "comment-%d" % carol, "comment-%d" % mallory)


@test("comment headings: 'This Post Has One Comment' and '... 0 Comments'")
def _():
    get("/itest-p02/").expect(200).contains("This Post Has One Comment") \
        .lacks("PENDING-MARKER")
    get("/itest-p03/").expect(200).contains("This Post Has 0 Comments")


@test("a post with comments closed has no form")
def _():
    r = get("/itest-closed/").expect(200)
    r.lacks("/itest-closed/comments", "Post Comment", 'name="comment"')
    check("Comments are closed." in r.html().text, "no 'Comments are closed.'")


@test("the demo post on myofascial release exists, with h2 sections and a bio")
def _():
    slug = sql_value("SELECT slug FROM posts WHERE slug LIKE '%myofascial%' "
                     "AND status = 'published' LIMIT 1")
    check(slug, "no published post with 'myofascial' in its slug")
    r = get("/%s/" % slug).expect(200)
    check(len(re.findall(r"<h2", r.text)) >= 3, "fewer than 2 h2 sections")
    r.contains("author-box").matches("(?i)massage therapist")


@test("/<slug> redirects 301 to /<slug>/")
def _():
    r = get("/itest-p01").expect(301)
    loc = r.header("Location") or ""
    check(href_path(loc) == "/itest-p01/", "Location: %r" % loc)
    r = get("/itest-p01?replytocom=1").expect(301)
    check(href_path(r.header("Location") or "").startswith("/itest-p01/"),
          "Location: %r" % r.header("Location"))
    get("/no-such-post-anywhere").expect((301, 404))


@test("drafts and future-dated posts are never shown")
def _():
    get("/itest-draft/").expect(404).lacks("Draft.")
    get("/itest-future/").expect(404).lacks("Future.")
    get("/itest-nobody-draft/").expect(404)
    seed_draft = sql("SELECT slug FROM posts WHERE slug NOT LIKE 'itest-%' AND "
                     "NOT (status = 'published' AND published_at <= now())")
    for (slug,) in seed_draft:
        get("/%s/" % slug).expect(404)
    # Listings: check_listing already rejects any link to an unlisted post.


@test("404 page: unknown paths get the site's layout and status 404")
def _():
    for p in ("/no-such-post/", "/a/b/c/", "/author/", "/tag/", "/wp-login.php/",
              "/index.php/?p=1", "/itest-p01/extra/", "/page/", "/author/itest-author/x/"):
        r = get(p)
        check(r.status == 404, "%s -> %d" % (p, r.status), r.describe(300))
        check_layout(r)
        r.contains("</html>")
    for p in ("/wp-login.php", "/no-such-post"):
        get(p).expect((301, 404))
    r = get("/no-such-post/")
    check("text/html" in (r.header("Content-Type") or ""), "404 is not text/html")


@test("405 with Allow for a method a URL does not take")
def _():
    for method, path in (("POST", "/"), ("POST", P01), ("PUT", P01),
                         ("DELETE", "/"), ("PATCH", "/author/itest-author/"),
                         ("POST", "/tag/itest-tag/"), ("POST", "/healthz")):
        r = request(method, path, body=b"", headers={"Content-Length": "0"})
        check(r.status == 405, "%s %s -> %d (want 405)" % (method, path, r.status),
              r.describe(300))
        allow = {m.strip().upper() for m in (r.header("Allow") or "").split(",")}
        check({"GET", "HEAD"} <= allow and "POST" not in allow,
              "%s %s: Allow: %r" % (method, path, r.header("Allow")))


@test("HEAD equals GET: same status and headers, empty body")
def _():
    for p in ("/", "/page/2/", P01, "/author/itest-author/", "/tag/itest-tag/",
              "/no-such-post/", "/itest-p01", "/healthz"):
        g, h = get(p), head(p)
        check(h.status == g.status, "HEAD %s -> %d, GET -> %d" % (p, h.status, g.status))
        check(h.body == b"", "HEAD %s has a body of %d bytes" % (p, len(h.body)))
        skip_ = {"date", "connection", "set-cookie"}
        gh = [(k.lower(), v) for k, v in g.headers if k.lower() not in skip_]
        hh = [(k.lower(), v) for k, v in h.headers if k.lower() not in skip_]
        check(sorted(gh) == sorted(hh), "HEAD %s headers differ from GET:\nGET  %s\nHEAD %s"
              % (p, sorted(gh), sorted(hh)))


@test("/healthz answers 200 ok")
def _():
    r = get("/healthz").expect(200)
    check(r.text.strip() == "ok", "body %r" % r.text)


@test("database markup is escaped: title, excerpt, names, comment bodies")
def _():
    r = get("/itest-xss/").expect(200)
    r.lacks('<script>alert("title")', "<b>bold</b>")
    check('<script>alert("title")</script> & <b>bold</b>' in r.html().text,
          "the title is not on the page as text")
    r.contains("Trusted body of the markup post.")
    # The listing that holds it: title and excerpt escaped there too.
    r = get(page_path("/", listed(), "itest-xss")).expect(200)
    r.lacks('<script>alert("title")', '<img src=x onerror')
    check('<img src=x onerror=alert("excerpt")> excerpt' in r.html().text,
          "the excerpt is not on the listing as text")
    # Mallory's comment on itest-p01.
    r = get(P01).expect(200)
    r.lacks('<script>alert("name")', '<script>alert("body")',
            '<a href="javascript:x">')
    text = r.html().text
    check('<script>alert("name")</script>Mallory' in text, "comment author not shown as text")
    check('<script>alert("body")</script> "quoted" & <a href="javascript:x">link</a>'
          in text, "comment body not shown as text")
    # No executable <script> on any page fascia renders; JSON-LD data blocks
    # are fine as long as nothing in them can close the element.
    for p in ("/", P01, "/itest-xss/", "/author/itest-author/", "/tag/itest-tag/"):
        t = get(p).text
        for attrs, body in re.findall(r"(?is)<script\b([^>]*)>(.*?)</script", t):
            check(re.search(r"type=[\"']?application/ld\+json", attrs),
                  "%s has an executable <script%s>" % (p, attrs))
            check("<" not in body, "%s: '<' inside a JSON-LD block: %r" % (p, body[:300]))
        check(len(re.findall(r"(?i)<script\b", t)) == len(re.findall(r"(?i)</script", t)),
              "%s: unbalanced <script> tags" % p)


@test("a stored javascript: website is never rendered as a link (e.g. after an import)")
def _():
    r = get(P01).expect(200)
    for t, a, _ in r.html().elements:
        for k_, v in a.items():
            check(not re.match(r"\s*(javascript|data|vbscript):", v or "", re.I),
                  "<%s %s=%r> on the page" % (t, k_, v))


@test("absolute URLs use base_url, even with a forged Host header")
def _():
    for p in (P01, "/", "/author/itest-author/"):
        r = get(p, headers={"Host": "evil.example",
                            "X-Forwarded-Host": "evil2.example"}).expect(200)
        r.lacks("evil.example", "evil2.example")
        canon = [a.get("href") for t, a, _ in r.html().elements
                 if t == "link" and a.get("rel") == "canonical"]
        check(canon and canon[0] == BASE_URL + p,
              "%s: canonical %r, expected %r" % (p, canon, BASE_URL + p))
    r = get("/itest-p01", headers={"Host": "evil.example"}).expect(301)
    loc = r.header("Location") or ""
    check("evil" not in loc and href_path(loc) == "/itest-p01/", "Location %r" % loc)


@test("pages are well-formed: lang, one h1, unique ids, labelled inputs, alt texts")
def _():
    for p in ("/", "/page/2/", P01, "/author/itest-author/", "/tag/itest-tag/",
              "/no-such-post/"):
        r = get(p)
        pg = r.html()
        check(r.text.lstrip().lower().startswith("<!doctype html>"), "%s: no doctype" % p)
        htmls = pg.find("html")
        check(htmls and htmls[0][1].get("lang"), "%s: <html> without lang" % p)
        check(len(pg.find("h1")) == 1, "%s: %d h1 elements" % (p, len(pg.find("h1"))))
        ids = pg.ids()
        dup = {i for i in ids if ids.count(i) > 1}
        check(not dup, "%s: duplicate ids %s" % (p, sorted(dup)))
        for t, a, _ in pg.elements:
            if t == "a" and a.get("href", "").startswith("#") and len(a["href"]) > 1:
                check(a["href"][1:] in ids, "%s: link to missing #%s" % (p, a["href"][1:]))
            if t == "img":
                check("alt" in a, "%s: <img> without alt" % p)
        check(pg.find("meta", charset="utf-8"), "%s: no <meta charset=utf-8>" % p)
        check(pg.find("meta", name="viewport"), "%s: no viewport meta" % p)


@test("the page links the stylesheet with a version query")
def _():
    r = get("/").expect(200)
    css = [a.get("href") for t, a, _ in r.html().elements
           if t == "link" and a.get("rel") == "stylesheet"]
    check(len(css) == 1, "stylesheets: %r" % css)
    check(re.match(r"^(%s)?/static/style\.css\?v=\w+" % re.escape(BASE_URL), css[0]),
          "stylesheet href %r" % css[0])
    get(href_path(css[0])).expect(200)


@test("a legal-size comment body (~200 KB encoded) is not refused by nginx")
def _():
    body = "comment=" + "%E6%97%A5" * (65525 // 3) + "&author=x&email=x%40example.com"
    check(190_000 < len(body) < 262_144, "body size %d" % len(body))
    r = post("/itest-p01/comments", body)
    check(r.status != 413, "nginx refused a legal comment with 413")
    check(r.status < 500, "POST -> %d" % r.status, r.describe(300))


@test("a body over the limit gets nginx's 413 with the static error page")
def _():
    r = post("/itest-p01/comments", "comment=" + "a" * 300_000)
    r.expect(413)
    check("text/html" in (r.header("Content-Type") or ""), "413 is not text/html")
    r.contains("<html").has_header("X-Content-Type-Options", "nosniff")
    # The same body sent chunked: no Content-Length for nginx to check first.
    data = b"comment=" + b"a" * 300_000
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 8192]), data[i:i + 8192])
                      for i in range(0, len(data), 8192))
    r = raw(b"POST /itest-p01/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            chunks + b"0\r\n\r\n")
    check(r.status == 413, "chunked 300 KB body -> %d" % r.status)
    check(b"<html" in r.body, "chunked 413 without the error page")
