"""Hostile input straight to fascia's FastCGI socket, past nginx
(../../shared hostile-inputs cases 1 to 4): who may connect at all, bogus
CONTENT_LENGTH values, a body shorter than announced, and libfcgi's known
crash on a repeated name in a management record, which must cost one
worker and nothing else."""

import os
import socket
import struct
import subprocess
import time

from lib import (CONF, INFO, check, children, fascia_master, get, sql_value, test,
                 wait_until)

SOCK = INFO["socket"]
BEGIN, END, PARAMS, STDIN, STDOUT, GET_VALUES = 1, 3, 4, 5, 6, 9


def record(kind, content=b"", req_id=1):
    pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, kind, req_id, len(content), pad, 0) + \
        content + bytes(pad)


def pair(name, value):
    def length(n):
        return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    name, value = name.encode(), value.encode()
    return length(len(name)) + length(len(value)) + name + value


def fcgi(params, body=b"", stdin_records=None, timeout=10):
    """One FastCGI request; returns the response's status and body (or
    None when the connection closed without an answer)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(SOCK)
        data = record(BEGIN, struct.pack(">HB5x", 1, 0))
        data += record(PARAMS, b"".join(pair(k, v) for k, v in params.items()))
        data += record(PARAMS)
        for chunk in (stdin_records if stdin_records is not None else
                      ([body] if body else [])):
            data += record(STDIN, chunk)
        data += record(STDIN)
        s.sendall(data)
        out, buf = b"", b""
        while True:
            c = s.recv(65536)
            if not c:
                break
            buf += c
        while len(buf) >= 8:
            _, kind, _, clen, pad, _ = struct.unpack(">BBHHBB", buf[:8])
            if kind == STDOUT:
                out += buf[8:8 + clen]
            buf = buf[8 + clen + pad:]
        if not out:
            return None, b""
        head, _, payload = out.partition(b"\r\n\r\n")
        status = int(head.split(b"Status: ")[1][:3]) if b"Status: " in head else 200
        return status, payload
    finally:
        s.close()


def comment_params(length, ctype="application/x-www-form-urlencoded"):
    return {"REQUEST_METHOD": "POST", "REQUEST_URI": "/itest-p01/comments",
            "CONTENT_TYPE": ctype, "CONTENT_LENGTH": length,
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1"}


def comments():
    return int(sql_value("SELECT count(*) FROM comments"))


@test("hostile: only nginx's user may connect to the FastCGI socket (EACCES)")
def _():
    d = os.path.dirname(SOCK)
    mode = os.stat(SOCK).st_mode & 0o777
    check(mode & 0o007 == 0, "socket mode %o lets anyone connect" % mode)
    check(os.stat(d).st_mode & 0o007 == 0, "socket directory open to all")
    r = subprocess.run(
        ["runuser", "-u", "nobody", "--", "python3", "-c",
         "import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
         "try:\n s.connect(sys.argv[1])\nexcept PermissionError:\n"
         " sys.exit(13)\nsys.exit(0)", SOCK], capture_output=True)
    if os.geteuid() != 0:
        return  # cannot become nobody: the mode checks above stand
    check(r.returncode == 13, "user nobody connected (rc %d): %s" %
          (r.returncode, r.stderr.decode()))


@test("hostile: bogus CONTENT_LENGTH values are 400 and store nothing")
def _():
    before = comments()
    for cl in ("abc", "-1", "1e3", " 10", "9" * 20, ""):
        status, _ = fcgi(comment_params(cl), b"comment=x")
        check(status == 400, "CONTENT_LENGTH %r: status %r" % (cl, status))
    check(comments() == before, "no row")
    get("/").expect(200)


@test("hostile: a body shorter than CONTENT_LENGTH is 400, nothing stored")
def _():
    before = comments()
    status, _ = fcgi(comment_params("5000"), b"comment=only+a+little")
    check(status == 400, "status %r" % status)
    check(comments() == before, "no row")


@test("hostile: a repeated name in GET_VALUES costs at most one worker; "
      "it is replaced and the site keeps answering")
def _():
    master = fascia_master()
    before = set(children(master))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect(SOCK)
        names = b"".join(pair("FCGI_MAX_CONNS", "") for _ in range(64))
        s.sendall(record(GET_VALUES, names, req_id=0))
        try:
            s.recv(4096)
        except OSError:
            pass
    finally:
        s.close()
    get("/").expect(200)
    wait_until(lambda: len(children(master)) == len(before),
               what="a full pool of workers")
    for _ in range(6):
        get("/itest-p01/").expect(200)


@test("hostile: slow clients (headers or body trickling in) are cut off by "
      "nginx after 10 s; others are served meanwhile")
def _():
    import urllib.parse
    u = urllib.parse.urlsplit(INFO["url"])
    slow = []
    for i in range(20):
        s = socket.create_connection((u.hostname, u.port), timeout=30)
        if i % 2:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:
            s.sendall(b"POST /itest-p01/comments HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 1000\r\n\r\ncomment=")
        slow.append(s)
    t0 = time.monotonic()
    try:
        for _ in range(10):
            get("/itest-p01/").expect(200)
        check(time.monotonic() - t0 < 5, "normal requests were held up")
        for s in slow:
            s.settimeout(max(1.0, 16 - (time.monotonic() - t0)))
            try:
                data = s.recv(4096)
            except socket.timeout:
                raise AssertionError("a slow client was still connected "
                                     "after %.0f s" % (time.monotonic() - t0))
            except OSError:
                data = b""
            check(data == b"" or data.startswith(b"HTTP/1.1 408"),
                  "slow client got %r" % data[:60])
        took = time.monotonic() - t0
        check(9 <= took <= 16, "cut off after %.1f s" % took)
    finally:
        for s in slow:
            s.close()


@test("the serving role (database) reads and writes rows, and cannot create, "
      "alter or drop anything (owner_database is migrate's)")
def _():
    serving, owner = CONF.get("database", ""), CONF.get("owner_database", "")
    check(owner and owner != serving, "the stack has no owner_database of "
          "its own: database = %r" % serving)

    def as_serving(query):
        return subprocess.run([INFO["psql"], "-X", "-q", "-A", "-t", "-v",
                               "ON_ERROR_STOP=1", serving, "-c", query],
                              capture_output=True, text=True, timeout=30)
    r = as_serving("BEGIN; UPDATE posts SET title = title WHERE false; "
                   "INSERT INTO tags (slug, name) VALUES ('itest-role', 'x'); "
                   "SELECT count(*) FROM comments; ROLLBACK")
    check(r.returncode == 0, "the serving role cannot use the rows: %s" %
          r.stderr.strip())
    for query, says in (
            ("ALTER TABLE posts ADD COLUMN itest_x integer", "must be owner"),
            ("ALTER TABLE comments DROP COLUMN body", "must be owner"),
            ("DROP TABLE comments", "must be owner"),
            ("TRUNCATE comments", "permission denied"),
            ("CREATE TABLE itest_role (x integer)", "permission denied"),
            ("CREATE FUNCTION itest_f() RETURNS int LANGUAGE sql AS "
             "'SELECT 1'", "permission denied"),
            ("DROP TRIGGER posts_changed ON posts", "must be owner")):
        r = as_serving(query)
        check(r.returncode != 0 and says in r.stderr,
              "the serving role could: %s (%s)" % (query, r.stderr.strip()
                                                   or "no error"))
    check(sql_value("SELECT count(*) FROM information_schema.columns WHERE "
                    "table_name = 'posts' AND column_name = 'itest_x'") == "0",
          "posts changed")
