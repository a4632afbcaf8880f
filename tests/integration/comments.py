"""Issue 3: visitors comment.  Every rule of POST /<slug>/comments through
nginx: statuses, messages, refilled fields, tokens, spam, flood,
duplicates, moderation, privacy, forget, and the database failing under a
POST.

Form tokens are minted here with the site's key (read from the test
stack's key file) so that a test can post at once, or with a token issued
long ago, instead of sleeping through the minimum fill time.  Each test
posts from its own loopback address (127.0.0.N), since flood control
counts comments per client address.
"""

import base64
import hashlib
import hmac
import http.client
import itertools
import os
import re
import struct
import subprocess
import time
import urllib.parse

from lib import (CONF, INFO, ROOT, Response, Session, check, get, past_cache, sql,
                 sql_value, stack, test, unescape, wait_until)

HOST = "127.0.0.1"
PORT = urllib.parse.urlsplit(INFO["url"]).port
BASE = CONF["base_url"].rstrip("/")
FASCIA = INFO["bin"]
MIN_FILL = int(CONF.get("min_fill_time", "3"))
_addr = itertools.count(10)


# --- keys and tokens, as src/comment.c makes them ----------------------------

def _subkey(master, n):
    """libsodium's crypto_kdf_derive_from_key: BLAKE2b keyed with the
    master key, the subkey id as salt, the context as personalisation."""
    return hashlib.blake2b(b"", digest_size=32, key=master,
                           salt=struct.pack("<Q", n) + bytes(8),
                           person=b"fasciakd" + bytes(8)).digest()


with open(CONF["secret_key_file"], "rb") as _f:
    _MASTER = _f.read()
EMAIL_KEY = _subkey(_MASTER, 1)
FORM_KEY = _subkey(_MASTER, 3)


def _mac(key, ident, data):
    return hmac.new(key, struct.pack(">Q", ident) + data,
                    hashlib.sha512).digest()[:32]


def token(post_id, issued=None, nonce=None):
    nonce = nonce or os.urandom(16)
    issued = int(time.time() - MIN_FILL - 1) if issued is None else issued
    body = nonce + struct.pack(">Q", issued)
    raw = body + _mac(FORM_KEY, post_id, body)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def email_hash(email):
    norm = email.strip().lower().encode()
    return hashlib.blake2b(norm, digest_size=32, key=EMAIL_KEY).hexdigest()


# --- posts of our own ---------------------------------------------------------

sql("""
DELETE FROM posts WHERE slug LIKE 'ctest-%';
INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
                   comments_open, published_at)
SELECT s, t, 'Comment tests.', '<p>Comment tests.</p>',
       (SELECT id FROM authors ORDER BY id LIMIT 1), 'published', o,
       now() - interval '1 day'
FROM (VALUES ('ctest-open', 'Comments welcome', true),
             ('ctest-other', 'Another post', true),
             ('ctest-closed', 'Comments closed', false)) v(s, t, o);
""")
POST_ID = {s: int(i) for s, i in
           sql("SELECT slug, id FROM posts WHERE slug LIKE 'ctest-%'")}


def comment_rows(where="true"):
    return int(sql_value("SELECT count(*) FROM comments c JOIN posts p ON "
                         "p.id = c.post_id WHERE p.slug LIKE 'ctest-%%' AND "
                         "(%s)" % where))


# --- HTTP from a loopback address of the test's own ---------------------------

def request(method, path, body=None, headers=None, source=None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=15,
                                      source_address=(source or HOST, 0))
    try:
        h = {"Connection": "close"}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return Response(method, path, r.status, r.reason, r.getheaders(),
                        r.read())
    finally:
        conn.close()


class Visitor:
    """One commenter on one address."""

    def __init__(self, name="Robin Reader", email=None):
        n = next(_addr)
        self.addr = "127.0.%d.%d" % (n // 250, n % 250 + 2)
        self.name = name
        self.email = email or "robin%d@mail.ctest.invalid" % n

    def send(self, slug="ctest-open", tok=None, raw=None,
             content_type="application/x-www-form-urlencoded", headers=None,
             **fields):
        if raw is None:
            form = {"comment": "A fine post, thank you.",
                    "author": self.name, "email": self.email, "url": "",
                    "comment_parent": "",
                    "form_token": tok or token(POST_ID.get(slug, 0))}
            form.update({k: v for k, v in fields.items() if v is not None})
            for k in [k for k, v in fields.items() if v is None]:
                form.pop(k, None)
            raw = urllib.parse.urlencode(form)
        h = {"Content-Type": content_type, "Origin": BASE}
        h.update(headers or {})
        if isinstance(raw, str):
            raw = raw.encode()
        return request("POST", "/%s/comments" % slug, raw, h, self.addr)


def new_id(r):
    m = re.search(r"#comment-(\d+)$", r.header("Location") or "")
    check(m is not None, "no #comment-ID in Location", r.describe())
    return int(m.group(1))


def status_of(cid):
    return sql_value("SELECT status FROM comments WHERE id = %d" % cid)


def fascia(*args):
    r = subprocess.run([FASCIA, "-c", INFO["conf"], *args],
                       capture_output=True, text=True, cwd=ROOT)
    check(r.returncode == 0, "fascia %s failed: %s" % (" ".join(args),
                                                       r.stderr))
    return r.stdout


def refilled(r, **fields):
    """Each typed value is back in its field, escaped."""
    page = r.text
    for name, value in fields.items():
        if name == "comment":
            m = re.search(r'<textarea[^>]*name="comment"[^>]*>\n?(.*?)'
                          r'</textarea>', page, re.S)
        else:
            m = re.search(r'<input[^>]*name="%s"[^>]*value="([^"]*)"' % name,
                          page)
        check(m is not None, "no %s field" % name, r.describe())
        check(unescape(m.group(1)) == value, "%s not refilled: %r != %r" %
              (name, unescape(m.group(1))[:80], value[:80]))


def field_error(r, field, text):
    r.matches(r'id="%s-error"' % field).contains(text)
    r.matches(r'<a href="#%s">' % field)   # the summary links to it


# --- the happy paths ------------------------------------------------------------

@test("comment: a first-time commenter is held for moderation (303 + notice)")
def _():
    v = Visitor()
    before = comment_rows()
    r = v.send(comment="My very first comment here.").expect(303)
    cid = new_id(r)
    loc = r.header("Location")
    check(loc.startswith(BASE + "/ctest-open/?unapproved=%d&moderation-hash=" %
                         cid), "Location: %s" % loc)
    check(status_of(cid) == "pending", "stored as %s" % status_of(cid))
    check(comment_rows() == before + 1, "one row added")
    own = get(loc[len(BASE):].split("#")[0]).expect(200)
    own.contains("My very first comment here.",
                 "Your comment is awaiting moderation.")
    own.matches(r'<meta name="robots" content="noindex')
    get("/ctest-open/").expect(200).lacks("My very first comment here.")
    # someone else's token, or a token for another comment, shows nothing
    forged = loc[len(BASE):].split("#")[0].replace("moderation-hash=",
                                                   "moderation-hash=x")
    get(forged).expect(200).lacks("My very first comment here.")


@test("comment: approved with `fascia comments approve`, it is shown and counted")
def _():
    v = Visitor(name="Approve Me")
    cid = new_id(v.send(comment="Please approve this one.").expect(303))
    n = int(sql_value("SELECT count(*) FROM comments WHERE post_id = %d AND "
                      "status = 'approved'" % POST_ID["ctest-open"]))
    fascia("comments", "approve", str(cid))
    page = get("/ctest-open/").expect(200)
    page.contains("Please approve this one.", 'id="comment-%d"' % cid)
    heading = ("This Post Has One Comment" if n + 1 == 1 else
               "This Post Has %d Comments" % (n + 1))
    page.contains(heading)
    listed = fascia("comments", "list", "--post", "ctest-open")
    check(re.search(r"^%d\s+ctest-open\s+Approve Me" % cid, listed, re.M),
          "comments list shows it", listed)


@test("comment: a returning commenter (same name and email) is approved at once")
def _():
    v = Visitor(name="Returning Rita")
    first = new_id(v.send(comment="First visit.").expect(303))
    fascia("comments", "approve", str(first))
    sql("UPDATE comments SET created_at = now() - interval '1 hour' "
        "WHERE id = %d" % first)
    v.addr = Visitor().addr
    r = v.send(comment="Back again!", email=" " + v.email.upper() + " ")
    r.expect(303)
    cid = new_id(r)
    check(r.header("Location") == "%s/ctest-open/#comment-%d" % (BASE, cid),
          "straight to the comment", r.describe())
    check(status_of(cid) == "approved", "status %s" % status_of(cid))
    # two links hold even a returning commenter for moderation
    sql("UPDATE comments SET created_at = now() - interval '1 hour' "
        "WHERE id = %d" % cid)
    v.addr = Visitor().addr
    cid2 = new_id(v.send(comment="See https://a.example and "
                         "http://b.example").expect(303))
    check(status_of(cid2) == "pending", "two links: %s" % status_of(cid2))


@test("comment: text becomes paragraphs and line breaks, addresses links")
def _():
    v = Visitor(name="Link Lou")
    text = ("First line\nsecond line\n\nNew paragraph: see "
            "https://ok.example/page?a=1&b=2. Not javascript:alert(1).")
    cid = new_id(v.send(comment=text).expect(303))
    fascia("comments", "approve", str(cid))
    get("/ctest-open/").expect(200).contains(
        "<p>First line<br>\nsecond line</p>\n<p>New paragraph: see "
        '<a href="https://ok.example/page?a=1&amp;b=2" '
        'rel="nofollow ugc noopener">https://ok.example/page?a=1&amp;b=2</a>. '
        "Not javascript:alert(1).</p>")


@test("comment: a reply to an approved comment is threaded under it")
def _():
    parent = int(sql_value(
        "INSERT INTO comments (post_id, author_name, email_hash, body, status) "
        "VALUES (%d, 'Parent Pat', decode(repeat('cd', 32), 'hex'), "
        "'The parent.', 'approved') RETURNING id" % POST_ID["ctest-open"]))
    page = get("/ctest-open/?replytocom=%d" % parent).expect(200)
    page.contains("Reply to Parent Pat").matches(
        r'name="comment_parent" value="%d"' % parent)
    page.matches(r'<meta name="robots" content="noindex')
    cid = new_id(Visitor(name="Child Chris").send(
        comment="The reply.", comment_parent=str(parent)).expect(303))
    fascia("comments", "approve", str(cid))
    get("/ctest-open/").expect(200).in_order(
        r'id="comment-%d"' % parent, r'<ol class="children">',
        r'id="comment-%d"' % cid, r"The reply\.")


@test("comment: a parent from another post, pending, or junk is 400, text kept")
def _():
    other = int(sql_value(
        "INSERT INTO comments (post_id, author_name, email_hash, body, status) "
        "VALUES (%d, 'Elsewhere', decode(repeat('cd', 32), 'hex'), 'x', "
        "'approved') RETURNING id" % POST_ID["ctest-other"]))
    pending = int(sql_value(
        "INSERT INTO comments (post_id, author_name, email_hash, body, status) "
        "VALUES (%d, 'Waiting', decode(repeat('cd', 32), 'hex'), 'y', "
        "'pending') RETURNING id" % POST_ID["ctest-open"]))
    before = comment_rows()
    for parent in (str(other), str(pending), "abc", "99999999999"):
        v = Visitor()
        r = v.send(comment="Orphan reply %s" % parent, comment_parent=parent)
        r.expect(400).contains("no longer available")
        refilled(r, comment="Orphan reply %s" % parent, author=v.name,
                 email=v.email)
    check(comment_rows() == before, "nothing stored")


# --- each check's status, message and refilled fields ---------------------------

@test("comment: missing and invalid fields are 400 with messages beside them")
def _():
    v = Visitor()
    before = comment_rows()
    r = v.send(comment="Kept text <b>&amp;</b>", author="", email="nope",
               url="javascript:alert(1)").expect(400)
    field_error(r, "author", "Please enter your name.")
    field_error(r, "email", "valid email address")
    field_error(r, "url", "website must start with http:// or https://")
    r.contains('role="alert"')
    refilled(r, comment="Kept text <b>&amp;</b>", author="", email="nope",
             url="javascript:alert(1)")
    r.lacks("<b>&amp;</b>")   # the typed markup comes back escaped
    for url in (" JaVa\tScRiPt:alert(1)", "data:text/html,<b>x</b>",
                "//evil.example", "http://"):
        Visitor().send(url=url).expect(400).contains(
            "website must start with http:// or https://")
    r = v.send(comment="   \n  ").expect(400)
    field_error(r, "comment", "Please type your comment.")
    check(comment_rows() == before, "nothing stored")


@test("comment: WordPress's byte limits (65,525 for the text, 245 for the name)")
def _():
    v = Visitor()
    r = v.send(comment="a" * 65526).expect(400)
    field_error(r, "comment", "too long")
    refilled(r, comment="a" * 65526)
    Visitor().send(author="n" * 246).expect(400).contains("name is too long")
    Visitor().send(email="e" * 95 + "@example.com").expect(400)
    Visitor().send(url="https://example.com/" + "u" * 190).expect(400)
    # 21,841 three-byte characters plus two bytes: exactly 65,525 bytes,
    # about 197 KB percent-encoded, which nginx must let through
    text = "\u2014" * 21841 + "ok"
    check(len(text.encode()) == 65525, "fixture length")
    r = Visitor().send(comment=text).expect(303)
    check(sql_value("SELECT octet_length(body) FROM comments WHERE id = %d" %
                    new_id(r)) == "65525", "stored whole")


@test("comment: malformed encodings are 400 'invalid characters', text kept")
def _():
    before = comment_rows()
    base = "author=Enc+Oder&email=enc%40mail.ctest.invalid&form_token=" + \
        token(POST_ID["ctest-open"])
    for bad in ("comment=50%25+off+%zz", "comment=cut%4", "comment=nul%00here",
                "comment=%C0%BCscript", "comment=sur%ED%A0%80rogate",
                "comment=%80lone", "comment=%F4%90%80%80big"):
        r = Visitor().send(raw=bad + "&" + base).expect(400)
        r.contains("invalid characters")
        m = re.search(r'<textarea[^>]*name="comment"[^>]*>\n?(.*?)</textarea>',
                      r.text, re.S)
        check(m and len(unescape(m.group(1))) >= 3, "text kept for %s" % bad,
              r.describe())
    r = Visitor().send(raw="comment=nul%00here&" + base).expect(400)
    refilled(r, comment="nulhere")        # the NUL removed, nothing cut
    r = Visitor().send(raw="author=a&author=b&comment=x&email=d%40mail.ctest.invalid"
                       "&form_token=" + token(POST_ID["ctest-open"]))
    r.expect(400).contains("\u201cauthor\u201d was sent more than once")
    check(comment_rows() == before, "nothing stored")


@test("comment: missing, forged, foreign and expired tokens are 403, text kept")
def _():
    pid = POST_ID["ctest-open"]
    good = token(pid)
    raw = base64.urlsafe_b64decode(good + "==")
    flipped = bytearray(raw)
    flipped[-1] ^= 1
    forged = base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
    before = comment_rows()
    for tok, why in ((None, "missing"), ("", "empty"), (forged, "forged"),
                     (token(POST_ID["ctest-other"]), "another post's"),
                     (token(pid, issued=int(time.time()) - 3 * 86400),
                      "expired")):
        v = Visitor()
        r = v.send(comment="Token test: " + why,
                   form_token=tok if tok is not None else None,
                   tok=tok if tok else None)
        if tok is None:
            r = v.send(raw="comment=Token+test%3A+missing&author=T&"
                       "email=t%40mail.ctest.invalid")
        r.expect(403)
        fresh = re.search(r'name="form_token" value="([^"]+)"', r.text)
        check(fresh and fresh.group(1) != tok, "a fresh token (%s)" % why)
        r.contains("Token test")
    check(comment_rows() == before, "nothing stored")


@test("comment: too fast or honeypot filled: answered as accepted, kept as spam")
def _():
    pid = POST_ID["ctest-open"]
    r = Visitor().send(comment="Bot one", tok=token(pid, issued=int(time.time())))
    r.expect(303)
    check(status_of(new_id(r)) == "spam", "too fast is spam")
    r = Visitor().send(comment="Bot two", website_confirm="http://spam.example")
    r.expect(303)
    check(status_of(new_id(r)) == "spam", "honeypot is spam")
    get(r.header("Location")[len(BASE):].split("#")[0]).expect(200).lacks(
        "Bot one", "Bot two")


@test("comment: the same form twice stores one comment, both answers alike")
def _():
    v = Visitor()
    tok = token(POST_ID["ctest-open"])
    before = comment_rows()
    a = v.send(comment="Double click", tok=tok).expect(303)
    b = v.send(comment="Double click", tok=tok).expect(303)
    check(a.header("Location").split("?")[1].split("&")[0] ==
          b.header("Location").split("?")[1].split("&")[0],
          "same comment", a.header("Location"), b.header("Location"))
    check(comment_rows() == before + 1, "exactly one row")


@test("comment: a duplicate is 409, a second comment within 15 s is 429")
def _():
    v = Visitor(name="Dup Dana")
    first = new_id(v.send(comment="Said once.").expect(303))
    fascia("comments", "approve", str(first))
    r = v.send(comment="Said once.").expect(409)
    r.contains("Duplicate comment detected; it looks as though "
               "you\u2019ve already said that!")
    refilled(r, comment="Said once.")
    r = v.send(comment="Something new.").expect(429)
    r.contains("You are posting comments too quickly. Slow down.")
    r.has_header("Retry-After")
    refilled(r, comment="Something new.", author="Dup Dana")
    # the same address with another email is the same client
    w = Visitor(name="Flood Fay")
    w.send(comment="One.").expect(303)
    w.email = "another" + w.email
    w.send(comment="Two.").expect(429)


@test("comment: cross-site POSTs are 403 and store nothing")
def _():
    before = comment_rows()
    Visitor().send(headers={"Origin": "https://evil.example"}).expect(403)
    Visitor().send(headers={"Origin": "null"}).expect(403)
    Visitor().send(headers={"Sec-Fetch-Site": "cross-site"}).expect(403)
    check(comment_rows() == before, "nothing stored")


@test("comment: only form bodies are read (415), only POST (405 Allow: POST)")
def _():
    for ct in ("text/plain", "multipart/form-data; boundary=x",
               "application/json"):
        Visitor().send(content_type=ct).expect(415)
    for m in ("GET", "PUT", "DELETE"):
        r = request(m, "/ctest-open/comments").expect(405)
        check(r.header("Allow") == "POST", "Allow: %s" % r.header("Allow"))


@test("comment: no such post is 404; a post closed to comments is 403")
def _():
    Visitor().send(slug="ctest-missing").expect(404)
    r = Visitor().send(slug="ctest-closed",
                       tok=token(POST_ID["ctest-closed"])).expect(403)
    r.contains("Comments are closed")
    get("/ctest-closed/").expect(200).contains("Comments are closed.").lacks(
        'id="commentform"')


@test("comment: a body over the limit is 413 from nginx, with our page")
def _():
    r = Visitor().send(comment="x" * (300 * 1024))
    r.expect(413).contains("65,525")


@test("comment: markup in every field is stored verbatim and shown inert")
def _():
    v = Visitor(name='<script>alert("n")</script>')
    payload = '"><svg onload=alert(1)></textarea><img src=x onerror=alert(2)>'
    r = v.send(comment=payload, url="https://x.example/?a=1&b=2").expect(303)
    cid = new_id(r)
    check(sql_value("SELECT body FROM comments WHERE id = %d" % cid) == payload,
          "stored verbatim")
    fascia("comments", "approve", str(cid))
    page = get("/ctest-open/").expect(200)
    page.lacks('<script>alert("n")', "<svg onload", "<img src=x", "a=1&b=2")
    page.contains("&lt;svg onload=alert(1)&gt;", "?a=1&amp;b=2")
    page.matches(r'rel="nofollow ugc noopener"')


@test("comment: no plain email address in any table or log")
def _():
    v = Visitor(email="Private.Person@Mail.CTest.Invalid")
    new_id(v.send(comment="Privacy check.").expect(303))
    cols = sql("SELECT table_name, column_name FROM information_schema.columns "
               "WHERE table_schema = 'public' AND data_type IN "
               "('text', 'character varying', 'bytea', 'tsvector')")
    for table, col in cols:
        # every address the suite uses ends in @mail.ctest.invalid
        for needle in ("private.person", "@mail.ctest.invalid", "ctest.invalid"):
            q = ("SELECT count(*) FROM %s WHERE %s::text ILIKE '%%%s%%'" %
                 (table, col, needle))
            n = sql_value(q)
            check(n == "0", "%s.%s holds %r (%s rows)" % (table, col, needle, n))
    for log in (INFO["fascia_log"], INFO["nginx_error_log"],
                INFO["nginx_access_log"], INFO["postgres_log"]):
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read().lower()
            for needle in ("private.person", "%40mail.ctest.invalid", "@mail.ctest.invalid"):
                check(needle not in text, "%s holds %r" % (log, needle))
    h = sql_value("SELECT encode(email_hash, 'hex') FROM comments WHERE body = "
                  "'Privacy check.'")
    check(h == email_hash(" PRIVATE.person@mail.ctest.invalid "),
          "stored the keyed hash of the normalised address")


@test("comment: `fascia comments forget EMAIL` removes that commenter only")
def _():
    gone = Visitor(name="Forget Me", email="forget.me@mail.ctest.invalid")
    keep = Visitor(name="Keep Me")
    a = new_id(gone.send(comment="Forget this.").expect(303))
    fascia("comments", "approve", str(a))
    b = new_id(keep.send(comment="A reply that stays.",
                         comment_parent=str(a)).expect(303))
    out = fascia("comments", "forget", "  FORGET.me@Mail.ctest.INVALID ")
    check("1 comment removed" in out and "forget.me" not in out.lower(), out)
    check(sql_value("SELECT count(*) FROM comments WHERE id = %d" % a) == "0",
          "forgotten")
    check(sql_value("SELECT parent_id IS NULL FROM comments WHERE id = %d" % b)
          == "t", "the reply stays, moved to the top level")


@test("comment: `comments forget` with a blank or over-long address is a "
      "usage error and removes nothing (not the comments stored without one)")
def _():
    # a comment imported with no address carries the empty address's hash
    cid = sql_value(
        "INSERT INTO comments (post_id, author_name, email_hash, body, status) "
        "VALUES (%d, 'No Address', '\\x%s', '<p>Imported.</p>', 'approved') "
        "RETURNING id" % (POST_ID["ctest-open"], email_hash("")))
    try:
        for arg in ("", "   ", "x" * 600):
            r = subprocess.run([FASCIA, "-c", INFO["conf"], "comments", "forget",
                                arg], capture_output=True, text=True, cwd=ROOT)
            check(r.returncode == 2 and "nothing removed" in r.stderr,
                  "forget %r: exit %d, %s" % (arg[:10], r.returncode,
                                              r.stderr.strip()))
        check(sql_value("SELECT count(*) FROM comments WHERE id = %s" % cid)
              == "1", "the comment without an address was removed")
    finally:
        sql("DELETE FROM comments WHERE id = %s" % cid)


@test("comment: listing pages show each post's comment count")
def _():
    n = int(sql_value("SELECT count(*) FROM comments WHERE post_id = %d AND "
                      "status = 'approved'" % POST_ID["ctest-open"]))
    label = "One Comment" if n == 1 else "%d Comments" % n
    author = sql_value("SELECT a.slug FROM authors a JOIN posts p ON "
                       "p.author_id = a.id WHERE p.slug = 'ctest-open'")
    page = get("/author/%s/" % author).expect(200)
    page.matches(r'/ctest-open/#comments"[^>]*>%s<' % label)


@test("comment: a lock on comments: 503 within seconds, text kept, no row")
def _():
    s = Session()
    try:
        s.send("BEGIN; LOCK TABLE comments IN ACCESS EXCLUSIVE MODE;")
        time.sleep(0.3)
        v = Visitor()
        t0 = time.monotonic()
        r = v.send(comment="Locked out.")
        took = time.monotonic() - t0
        r.expect(503).has_header("Retry-After")
        refilled(r, comment="Locked out.", author=v.name, email=v.email)
        check(took < 8, "answered in %.1f s" % took)
    finally:
        s.send("ROLLBACK;")
        s.close()
    check(comment_rows("c.body = 'Locked out.'") == 0, "no row")


@test("comment: database stopped during a POST: 503, kept, retry stores once")
def _():
    v = Visitor()
    tok = token(POST_ID["ctest-open"])
    stack("pg-stop")
    try:
        t0 = time.monotonic()
        r = v.send(comment="While the database sleeps.", tok=tok)
        took = time.monotonic() - t0
        r.expect(503).has_header("Retry-After")
        r.contains("Nothing you wrote is lost")
        refilled(r, comment="While the database sleeps.", author=v.name,
                 email=v.email)
        check(re.search(r'name="form_token" value="%s"' % re.escape(tok),
                        r.text), "the same token, for an idempotent retry")
        check(took < 2, "answered in %.2f s" % took)
    finally:
        stack("pg-start")
    # every worker back on the database, not just the one that answers first
    wait_until(lambda: all(get(past_cache("/ctest-open/")).status == 200
                           for _ in range(6)), what="the database back")
    a = v.send(comment="While the database sleeps.", tok=tok).expect(303)
    b = v.send(comment="While the database sleeps.", tok=tok).expect(303)
    check(new_id(a) == new_id(b), "one comment")
    check(comment_rows("c.body = 'While the database sleeps.'") == 1,
          "exactly one row")
