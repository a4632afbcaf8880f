"""Issue 8: the page cache is never wrong.

Every change a reader could see shows on the very next request, whoever
made it (a worker, a command, psql), on every page it touches; scheduled
posts appear on time; pending comments stay their poster's; the key cannot
be blown up or poisoned; HTTP validators, 304s and gzip.

A page is "warm" once nginx has answered it from its cache (X-Cache: HIT):
each change test warms every page it then checks, so a page that still
showed the old state would have come from the cache.  The commands and the
workers begin the new generation before they answer, so their changes are
checked on the first request; a psql session's reaches the cache keeper by
NOTIFY, a moment after the commit: that moment is measured and printed.
"""

import datetime
import gzip
import hashlib
import http.client
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse

from lib import (CONF, INFO, ROOT, Response, cache_generation, check,
                 edited_file, fascia_master, get, head, note, request, sql,
                 sql_change, sql_value, test, wait_until,
                 workers_of)

NGINX_CACHE = INFO["nginx_cache_dir"]
MIN_FILL = int(CONF.get("min_fill_time", "3"))
FASCIA = INFO["bin"]
SLUG = "cache-subject"
AUTHOR = "cache-author"
TAG = "itest-tag"


def xcache(r):
    return r.header("X-Cache")


def warm(path, **kw):
    """GET path until nginx answers it from its cache; return that."""
    for _ in range(3):
        r = get(path, **kw)
        if xcache(r) == "HIT":
            return r
    check(False, "%s never came from the cache" % path, r.describe(300))


def cached_files():
    n = 0
    for _, _, files in os.walk(NGINX_CACHE):
        n += len(files)
    return n


def cli(*args):
    r = subprocess.run([FASCIA, "-c", INFO["conf"], *args],
                       capture_output=True, text=True, cwd=ROOT)
    check(r.returncode == 0, "fascia %s failed (%d): %s" %
          (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def markdown_file(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".md", delete=False,
                                    encoding="utf-8")
    f.write(text)
    f.close()
    os.chmod(f.name, 0o644)
    return f.name


def import_post(title, body, slug=SLUG, status="published", when=None):
    when = when or POST_DATE
    path = markdown_file(
        "---\ntitle: %s\nslug: %s\nauthor: %s\ndate: %s\nstatus: %s\n"
        "tags: %s\nexcerpt: %s\n---\n%s\n" %
        (title, slug, AUTHOR, when.strftime("%Y-%m-%dT%H:%M:%SZ"), status,
         TAG, title, body))
    try:
        cli("post", "import", path)
    finally:
        os.unlink(path)


def author_file(bio):
    return markdown_file("---\nname: Casey Cache\nslug: %s\n---\n%s\n" %
                         (AUTHOR, bio))


POST_DATE = (datetime.datetime.now(datetime.timezone.utc) -
             datetime.timedelta(hours=1)).replace(microsecond=0)
MONTH = POST_DATE.strftime("/%Y/%m/")

# Every page a post of AUTHOR tagged TAG shows on (the search is added
# where a test knows a word to look for).
TOUCHED = ["/", "/author/%s/" % AUTHOR, "/tag/%s/" % TAG, MONTH, "/feed/",
           "/feed/atom/", "/tag/%s/feed/" % TAG, "/author/%s/feed/" % AUTHOR,
           "/sitemap.xml"]


def warm_all(paths):
    for p in paths:
        warm(p)


def each(paths, fn, what):
    """fn(response) holds for the first request of each path."""
    for p in paths:
        r = get(p)
        check(fn(r), "%s: %s on the first request after the change "
              "(X-Cache: %s)" % (p, what, xcache(r)), r.describe(300))


def shows(needle):
    return lambda r: r.status == 200 and needle in r.text


def lacks(needle):
    return lambda r: needle not in r.text


# --- set-up: an author and a post of our own -----------------------------------

sql("""
DELETE FROM posts WHERE slug LIKE 'cache-%';
DELETE FROM slug_redirects WHERE old_slug LIKE 'cache-%';
DELETE FROM authors WHERE slug = 'cache-author';
""")
_bio = author_file("Casey keeps the **cache** honest.")
cli("author", "add", _bio)
os.unlink(_bio)


def post_id():
    return sql_value("SELECT id FROM posts WHERE slug = '%s'" % SLUG)


def add_comment(text, status, email_hash=None):
    digest = email_hash or hashlib.sha256(text.encode()).hexdigest()
    # only an approved comment changes a page, and tells the keeper
    run = sql_change if status == "approved" else sql
    return run(
        "INSERT INTO comments (post_id, author_name, email_hash, body, "
        "status) VALUES (%s, 'Cache Commenter', '\\x%s', '<p>%s</p>', '%s') "
        "RETURNING id" % (post_id(), digest, text, status))[0][0]


# --- changes: commands ----------------------------------------------------------

@test("cache: a post imported shows at once on every page it is on, and search")
def _():
    word = "zephyrine%d" % os.getpid()
    warm_all(TOUCHED)
    for p in TOUCHED:
        get(p).lacks(SLUG)
    import_post("Cached %s" % word, "A post about %s." % word)
    each(TOUCHED, shows("/%s/" % SLUG), "the new post is missing")
    each(["/?s=%s" % word], shows("/%s/" % SLUG), "search does not find it")
    get("/%s/" % SLUG).expect(200).contains(word)


@test("cache: a post edited shows its new title at once everywhere")
def _():
    paths = TOUCHED + ["/%s/" % SLUG]
    warm_all(paths)
    import_post("Revised title for caching", "The body, revised.")
    each(["/", "/%s/" % SLUG, "/feed/", "/feed/atom/", "/tag/%s/" % TAG,
          "/author/%s/" % AUTHOR, MONTH],
         shows("Revised title for caching"), "the old title shows")


@test("cache: unpublish, publish, rename and delete show at once")
def _():
    post = "/%s/" % SLUG
    listed = ["/", "/tag/%s/" % TAG, "/author/%s/" % AUTHOR, MONTH, "/feed/",
              "/sitemap.xml"]
    warm_all(listed + [post])
    cli("post", "unpublish", SLUG)
    get(post).expect(404)
    each(listed, lacks(post), "the unpublished post is still listed")

    warm_all(listed)
    cli("post", "publish", SLUG)
    each(listed + [post], shows(post), "the published post is missing")

    warm_all(listed + [post])
    cli("post", "rename", SLUG, SLUG + "-renamed")
    r = get(post).expect(301)
    check(r.header("Location").endswith("/%s-renamed/" % SLUG),
          "Location: %s" % r.header("Location"))
    each(listed, shows("/%s-renamed/" % SLUG), "the new slug is missing")
    cli("post", "rename", SLUG + "-renamed", SLUG)

    warm_all(listed + [post])
    cli("post", "delete", SLUG)
    get(post).expect(404)
    each(listed, lacks(post), "the deleted post is still listed")
    import_post("Cached again", "Back for the comment tests.")


@test("cache: an author edited shows the new bio and name at once")
def _():
    pages = ["/%s/" % SLUG, "/author/%s/" % AUTHOR]
    warm_all(pages)
    marker = "bio-marker-%d" % os.getpid()
    path = author_file("Casey now writes %s." % marker)
    try:
        cli("author", "edit", path)
    finally:
        os.unlink(path)
    each(pages, shows(marker), "the old bio shows")


@test("cache: comments approved, spammed, deleted and forgotten show at once")
def _():
    post = "/%s/" % SLUG
    pages = [post, "/"]
    text = "cached-comment-%d" % os.getpid()
    cid = add_comment(text, "pending")
    warm_all(pages)
    get(post).lacks(text)
    cli("comments", "approve", cid)
    each([post], shows(text), "the approved comment is missing")

    warm(post)
    cli("comments", "spam", cid)
    each([post], lacks(text), "the spammed comment still shows")

    cli("comments", "approve", cid)
    warm(post)
    cli("comments", "delete", cid)
    each([post], lacks(text), "the deleted comment still shows")

    email = "forget-me-%d@cache.invalid" % os.getpid()
    cid = add_comment(text + "-forget", "approved", email_digest(email))
    warm(post).contains(text + "-forget")
    cli("comments", "forget", email)
    each([post], lacks(text + "-forget"), "the forgotten comment still shows")


def email_digest(email):
    """The stored hash of email, as src/keys.c makes it (keyed BLAKE2b)."""
    import struct
    with open(CONF["secret_key_file"], "rb") as f:
        master = f.read()
    key = hashlib.blake2b(b"", digest_size=32, key=master,
                          salt=struct.pack("<Q", 1) + bytes(8),
                          person=b"fasciakd" + bytes(8)).digest()
    return hashlib.blake2b(email.strip().lower().encode(), digest_size=32,
                           key=key).hexdigest()


# --- changes: psql, the keeper's connection -------------------------------------

@test("cache: a change made in psql shows within moments (NOTIFY to the keeper)")
def _():
    post = "/%s/" % SLUG
    warm_all([post, "/"])
    title = "Retitled in psql %d" % os.getpid()
    t0 = time.monotonic()
    sql("UPDATE posts SET title = '%s' WHERE slug = '%s'" % (title, SLUG))
    committed = time.monotonic()
    tries = []
    wait_until(lambda: tries.append(1) or title in get(post).text,
               timeout=2, interval=0.001,
               what="the psql change on the post page")
    note("psql's exit to the first request that shows it: %.1f ms, "
         "request %d (psql itself took %.1f ms)" %
         ((time.monotonic() - committed) * 1000, len(tries),
          (committed - t0) * 1000))
    get("/").contains(title)


def sql_elsewhere(query):
    """Run SQL from the postgres database (when the blog's refuses)."""
    r = subprocess.run(lib_psql("postgres"), input=query, capture_output=True,
                       text=True)
    check(r.returncode == 0, "psql failed: %s" % r.stderr)


def lib_psql(db):
    return [INFO["psql"], "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
            INFO["pghost"], "-p", INFO["pgport"], "-U", INFO["pguser"],
            "-d", db]


@test("cache: the keeper's connection lost: nothing cached until it is back")
def _():
    post = "/%s/" % SLUG
    warm(post)
    before = cache_generation()
    # The keeper cannot come back while the database refuses connections;
    # the workers keep theirs and go on answering.
    sql_elsewhere("ALTER DATABASE %s ALLOW_CONNECTIONS false" % INFO["dbname"])
    try:
        n = terminate_keeper()
        check(n == "1", "expected one keeper connection, found %s" % n)
        wait_until(lambda: cache_generation() == "off", timeout=5,
                   what="the cache off once the keeper lost its connection")
        for _ in range(3):
            r = get(post).expect(200)
            check(xcache(r) == "BYPASS", "X-Cache %s while the keeper is "
                  "deaf" % xcache(r))
            check(r.header("ETag") is None, "an ETag while the keeper is deaf")
    finally:
        sql_elsewhere("ALTER DATABASE %s ALLOW_CONNECTIONS true" %
                      INFO["dbname"])
    wait_until(lambda: (cache_generation() or "off") not in (before, "off"),
               timeout=5, what="a new generation after the reconnection")
    r = get(post).expect(200)
    check(xcache(r) != "HIT", "served from the old generation",
          r.describe(200))
    warm(post)


def terminate_keeper():
    """Terminate the keeper's connection; return how many there were."""
    r = subprocess.run(lib_psql("postgres") + ["-A", "-t"], input=(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = 'fascia keeper'"), capture_output=True,
        text=True)
    check(r.returncode == 0, "psql failed: %s" % r.stderr)
    return r.stdout.strip()


# --- changes: time and visitors -------------------------------------------------

@test("cache: a scheduled post appears at its time, never a cached page later")
def _():
    slug = "cache-scheduled"
    at = time.time() + 3
    sql("INSERT INTO posts (slug, title, excerpt, body_html, author_id, "
        "status, published_at) SELECT '%s', 'Scheduled', 'Due soon.', "
        "'<p>Due.</p>', id, 'published', to_timestamp(%f) FROM authors "
        "WHERE slug = '%s'" % (slug, at, AUTHOR))
    wait_until(lambda: xcache(get("/")) == "HIT", timeout=3,
               what="the home page cached before the post is due")
    seen = []
    while time.time() < at + 2:
        t0 = time.time()
        r = get("/")
        seen.append((t0, time.time(), "/%s/" % slug in r.text, xcache(r)))
    early = [s for s in seen if s[1] < at and s[2]]
    late = [s for s in seen if s[0] >= at and not s[2]]
    check(not early, "shown before its time: %r" % early[:3])
    check(not late, "%d of %d requests after its time missed it, first at "
          "+%.3f s (X-Cache %s)" % (len(late), len(seen),
                                    late[0][0] - at if late else 0,
                                    late[0][3] if late else ""))
    check(any(s[0] < at and s[3] == "HIT" for s in seen),
          "nothing came from the cache before the post was due")
    get("/%s/" % slug).expect(200)


class Poster:
    """A commenter sending the form of a page as a browser would."""

    def __init__(self, n):
        self.addr = "127.0.200.%d" % n
        self.n = n

    def send(self, slug, page, comment, email):
        form = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" '
                               r'value="([^"]*)"', page))
        form.update(comment=comment, author="Poster %d" % self.n,
                    email=email, url="", website_confirm="")
        conn = http.client.HTTPConnection(
            "127.0.0.1", int(INFO["http_port"]), timeout=10,
            source_address=(self.addr, 0))
        try:
            conn.request("POST", "/%s/comments" % slug,
                         urllib.parse.urlencode(form),
                         {"Content-Type": "application/x-www-form-urlencoded",
                          "Origin": CONF["base_url"].rstrip("/"),
                          "Connection": "close"})
            r = conn.getresponse()
            return Response("POST", slug, r.status, r.reason, r.getheaders(),
                            r.read())
        finally:
            conn.close()


def new_post(slug, title):
    """A post of its own for a test, written in psql; its page once it is
    cached."""
    sql_change("DELETE FROM posts WHERE slug = '%s'; INSERT INTO posts (slug, title, "
        "excerpt, body_html, author_id, status, published_at) SELECT '%s', "
        "'%s', 'x', '<p>x</p>', id, 'published', now() - interval '1 hour' "
        "FROM authors WHERE slug = '%s'" % (slug, slug, title, AUTHOR))
    wait_until(lambda: get("/%s/" % slug).status == 200, timeout=2,
               what="the new post")
    return warm("/%s/" % slug).text


@test("cache: a pending comment is its poster's only; an approved one shows")
def _():
    slug = "cache-pending"
    page = new_post(slug, "Pending here")
    time.sleep(MIN_FILL + 0.5)
    email = "first-%d@cache.invalid" % os.getpid()
    r = Poster(1).send(slug, page, "My pending words.", email).expect(303)
    own = r.header("Location")[len(CONF["base_url"].rstrip("/")):]
    own = own.split("#")[0]
    mine = get(own).expect(200)
    mine.contains("My pending words.", "Your comment is awaiting moderation.")
    check(xcache(mine) == "BYPASS", "own page X-Cache: %s" % xcache(mine))
    for _ in range(2):
        other = get("/%s/" % slug).expect(200)
        other.lacks("My pending words.")
    check(xcache(other) == "HIT", "the plain page was not cached")
    # the poster once approved comes back approved at once (first-time
    # moderation), and the worker's commit is on the next request
    cid = re.search(r"#comment-(\d+)", r.header("Location")).group(1)
    cli("comments", "approve", cid)
    # out of the flood interval's way
    sql("UPDATE comments SET created_at = created_at - interval '1 hour' "
        "WHERE id = %s" % cid)
    page = warm("/%s/" % slug).text
    time.sleep(MIN_FILL + 0.5)
    r = Poster(1).send(slug, page, "Approved at once.", email).expect(303)
    check("unapproved=" not in r.header("Location"),
          "not approved at once: %s" % r.header("Location"))
    get("/%s/" % slug).expect(200).contains("Approved at once.")


@test("cache: two visitors sending the same cached form store two comments")
def _():
    slug = "cache-shared-form"
    page = new_post(slug, "Shared form")
    again = warm("/%s/" % slug).text
    tok = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    check(tok in again, "the cached page's token changed")
    time.sleep(MIN_FILL + 0.5)
    for n in (2, 3):
        Poster(n).send(slug, page, "Words of visitor %d." % n,
                       "v%d-%d@cache.invalid" % (n, os.getpid())).expect(303)
    rows = sql("SELECT body FROM comments c JOIN posts p ON p.id = c.post_id "
               "WHERE p.slug = '%s' ORDER BY c.id" % slug)
    check(len(rows) == 2 and "visitor 2" in rows[0][0] and
          "visitor 3" in rows[1][0], "stored: %r" % rows)


# --- the key ---------------------------------------------------------------------

@test("cache: the Host header is not in the key and never in a page")
def _():
    post = "/%s/" % SLUG
    sql_change("UPDATE tags SET name = name WHERE false")  # a new generation
    first = get(post, headers={"Host": "evil.example"}).expect(200)
    second = get(post, headers={"Host": "other.example"}).expect(200)
    check(xcache(second) == "HIT", "a second host made a new entry: %s" %
          xcache(second))
    check(first.body == second.body, "the page differs by host")
    check("evil.example" not in second.text, "the Host header is in the page")


@test("cache: tracking parameters share the page's entry; others go past it")
def _():
    post = "/%s/" % SLUG
    plain = warm(post)
    r = get(post + "?utm_source=news&utm_medium=mail&fbclid=abc&gclid=x")
    check(xcache(r) == "HIT", "tracking parameters: X-Cache %s" % xcache(r))
    check(r.body == plain.body, "a different page")
    files = cached_files()
    for i in range(40):
        r = get(post + "?x%d=%d" % (i, i)).expect(200)
        check(xcache(r) == "BYPASS", "?x%d: X-Cache %s" % (i, xcache(r)))
    r = get(post + "?utm_source=a&x=1")
    check(xcache(r) == "BYPASS", "a mix: X-Cache %s" % xcache(r))
    check(cached_files() == files, "the cache grew from %d to %d files" %
          (files, cached_files()))


@test("cache: errors and POST answers are never stored")
def _():
    files = cached_files()
    for _ in range(2):
        get("/cache-no-such-post/").expect(404)
        get("/tag/cache-no-such-tag/").expect(404)
        get("/page/9999/").expect(404)
        request("POST", "/%s/" % SLUG, body="x=1",
                headers={"Content-Type": "application/x-www-form-urlencoded"}
                ).expect(405)
        Poster(9).send(SLUG, "", "", "").expect_4xx()
    check(cached_files() == files, "the cache grew from %d to %d files" %
          (files, cached_files()))


@test("cache: the cache has a size cap and entries age out")
def _():
    with open(INFO["nginx_conf"], encoding="utf-8") as f:
        conf = f.read()
    m = re.search(r"fastcgi_cache_path\s[^;]*max_size=(\d+)([kmg]?)[^;]*;",
                  conf)
    check(m is not None, "no max_size on fastcgi_cache_path")
    check("inactive=" in m.group(0), "no inactive= on fastcgi_cache_path")


@test("cache: HEAD is answered from the GET's entry, and never stores one")
def _():
    post = "/%s/" % SLUG
    sql_change("UPDATE tags SET name = name WHERE false")
    h = head(post).expect(200)
    check(h.body == b"", "HEAD has a body")
    g = get(post).expect(200)
    check(xcache(g) != "HIT", "the HEAD's answer was stored")
    check(len(g.body) > 1000, "GET after HEAD: %d bytes" % len(g.body))
    h = head(post).expect(200)
    check(xcache(h) == "HIT", "HEAD after GET: X-Cache %s" % xcache(h))
    check(h.header("ETag") == g.header("ETag"), "HEAD and GET ETags differ")
    check(h.header("Content-Length") in (None, str(len(g.body))),
          "HEAD's length %s" % h.header("Content-Length"))


# --- HTTP validators ----------------------------------------------------------------

VALIDATED = ["/", "/page/2/", "/%s/" % SLUG, "/author/%s/" % AUTHOR,
             "/tag/%s/" % TAG, MONTH, "/?s=massage",
             "/feed/", "/feed/atom/", "/tag/%s/feed/" % TAG,
             "/author/%s/feed/atom/" % AUTHOR, "/sitemap.xml", "/robots.txt"]


@test("cache: ETag, Last-Modified and no-cache on every page and feed; 304s")
def _():
    for p in VALIDATED:
        r = get(p).expect(200)
        r.has_header("ETag", r'^W/"[^"]+"$').has_header("Last-Modified")
        r.has_header("Cache-Control", r"\bno-cache\b")
        etag, lm = r.header("ETag"), r.header("Last-Modified")
        for cond in ({"If-None-Match": etag}, {"If-Modified-Since": lm},
                     {"If-None-Match": '"x", ' + etag}):
            c = get(p, headers=cond)
            check(c.status == 304, "%s with %s: %d" % (p, cond, c.status),
                  c.describe(200))
            check(c.body == b"", "a 304 with a body")
        get(p, headers={"If-None-Match": 'W/"other"'}).expect(200)


@test("cache: a conditional GET on a page not cached yet is 304 too")
def _():
    post = "/%s/" % SLUG
    sql_change("UPDATE tags SET name = name WHERE false")
    etag = head(post).expect(200).header("ETag")   # HEAD stores nothing
    r = get(post, headers={"If-None-Match": etag})
    check(r.status == 304 and xcache(r) != "HIT",
          "expected a 304 on a miss", r.describe(200))


@test("cache: page_cache = off: nothing from the cache, fascia answers 304s")
def _():
    post = "/%s/" % SLUG
    master = fascia_master()

    def reload():
        old = set(workers_of(master))
        os.kill(master, signal.SIGHUP)
        wait_until(lambda: old.isdisjoint(workers_of(master)) and
                   len(workers_of(master)) > 0, what="the new workers")
        wait_until(lambda: (cache_generation() or "off") != "off",
                   what="the new keeper's generation")

    try:
        with edited_file(INFO["conf"], lambda s: re.sub(
                r"(?m)^page_cache\s*=.*$", "page_cache = off", s)):
            reload()
            for _ in range(3):
                r = get(post).expect(200)
                check(xcache(r) != "HIT", "X-Cache: HIT with the cache off")
            for cond in ({"If-None-Match": r.header("ETag")},
                         {"If-Modified-Since": r.header("Last-Modified")}):
                c = get(post, headers=cond)
                check(c.status == 304 and xcache(c) != "HIT",
                      "fascia did not answer %s" % cond, c.describe(200))
    finally:
        reload()
    warm(post)


# --- gzip ---------------------------------------------------------------------------

@test("cache: gzip for pages, feeds, the sitemap, CSS and SVG (precompressed)")
def _():
    css = re.search(r'href="(/static/[^"]+\.css[^"]*)"', get("/").text)
    check(css is not None, "no stylesheet link")
    for p in ["/", "/%s/" % SLUG, "/feed/", "/feed/atom/", "/sitemap.xml",
              css.group(1), "/static/favicon.svg"]:
        # the same cached entry both times (a page's form token is new on
        # every rendering)
        plain = get(p).expect(200) if p.startswith("/static/") else warm(p)
        z = get(p, headers={"Accept-Encoding": "gzip"}).expect(200)
        check(z.header("Content-Encoding") == "gzip", "%s: not gzipped" % p,
              z.describe(100))
        check("Accept-Encoding" in (z.header("Vary") or ""),
              "%s: no Vary: Accept-Encoding" % p)
        check(gzip.decompress(z.body) == plain.body,
              "%s: the gzipped body differs" % p)
    for name in ("style.css", "favicon.svg"):
        check(os.path.exists(os.path.join(INFO["static"], name + ".gz")),
              "no precompressed %s.gz" % name)
