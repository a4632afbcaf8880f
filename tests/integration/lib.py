"""Helpers for fascia's integration suite: HTTP through nginx, psql, the
stack's processes, and a tiny TAP runner.

Python 3 standard library only.  A test is a function decorated with
@test("what it checks"); it fails by raising (the check helpers below raise
Failure with a message that says what was expected and what came instead).
"""

import html
import html.parser
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STACK = os.path.join(ROOT, "tools", "stack.sh")
TIMEOUT = 10.0  # seconds, for one HTTP request


class Failure(Exception):
    pass


def check(cond, msg, *detail):
    if not cond:
        raise Failure(msg + "".join("\n" + str(d) for d in detail))


# --- the stack -------------------------------------------------------------

def _stack_info():
    out = subprocess.run([STACK, "test", "info"], check=True,
                         capture_output=True, text=True).stdout
    info = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return info


INFO = _stack_info()
URL = os.environ.get("FASCIA_TEST_URL", INFO["url"]).rstrip("/")
_u = urllib.parse.urlsplit(URL)
HOST, PORT = _u.hostname, _u.port or 80


def conf_values(path=None):
    """The key = value pairs of the stack's fascia.conf."""
    vals = {}
    with open(path or INFO["conf"], encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", line)
            if m:
                vals[m.group(1)] = m.group(2)
    return vals


CONF = conf_values()


def file_offset(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# Where the logs stood when the suite started: checks read only what follows.
NGINX_LOG_START = file_offset(INFO["nginx_error_log"])
FASCIA_LOG_START = file_offset(INFO["fascia_log"])
BASE_URL = CONF["base_url"].rstrip("/")
PER_PAGE = int(CONF.get("per_page", "10"))


def stack(*args, check_rc=True):
    r = subprocess.run([STACK, "test", *args], capture_output=True, text=True)
    if check_rc and r.returncode != 0:
        raise Failure("tools/stack.sh test %s failed (%d):\n%s" %
                      (" ".join(args), r.returncode, r.stderr.strip()))
    return r


# --- PostgreSQL ------------------------------------------------------------

def _psql_cmd(*extra):
    return [INFO["psql"], "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", INFO["pghost"], "-p", INFO["pgport"], "-U", INFO["pguser"],
            "-d", INFO["dbname"], *extra]


def sql(query):
    """Run SQL; return the rows as lists of strings (fields split on |)."""
    r = subprocess.run(_psql_cmd("-F", "\x1f"), input=query,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure("psql failed: %s\nSQL: %s" % (r.stderr.strip(), query[:500]))
    return [line.split("\x1f") for line in r.stdout.splitlines() if line != ""]


def sql_value(query):
    rows = sql(query)
    return rows[0][0] if rows else None


CACHE_LINK = os.path.join(INFO["page_cache_dir"], "current")


def cache_generation():
    """The name of the page cache's current generation ("off", or None)."""
    try:
        return os.readlink(CACHE_LINK)
    except OSError:
        return None


def sql_change(query):
    """Run SQL that changes what readers see, then wait until the page cache
    has heard of it.  A psql session's commit reaches the cache keeper by
    NOTIFY, a moment after psql returns (fascia's own commands begin the new
    generation before they exit): a test that reads the page at once could
    meet the old generation.  Returns the rows, as sql() does."""
    before = time.time()
    rows = sql(query)

    def heard():
        m = re.match(r"g(\d+)\.(\d+)\.", cache_generation() or "")
        return not m or int(m.group(1)) + int(m.group(2)) / 1e6 >= before
    wait_until(heard, timeout=5, what="the cache keeper to hear of a change")
    return rows


class Session:
    """A psql process kept open (to hold a lock across HTTP requests)."""

    def __init__(self):
        self.p = subprocess.Popen(_psql_cmd(), stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)

    def send(self, query):
        self.p.stdin.write(query + "\n")
        self.p.stdin.flush()

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


# --- HTTP ------------------------------------------------------------------

class Response:
    def __init__(self, method, path, status, reason, headers, body):
        self.method, self.path = method, path
        self.status, self.reason = status, reason
        self.headers = headers  # list of (name, value) in order
        self.body = body
        self._text = None

    def header(self, name):
        """The value of a header (several occurrences joined by ", ")."""
        vals = [v for k, v in self.headers if k.lower() == name.lower()]
        return ", ".join(vals) if vals else None

    def header_list(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        if self._text is None:
            self._text = self.body.decode("utf-8", errors="replace")
        return self._text

    def __repr__(self):
        return "%s %s -> %s" % (self.method, self.path, self.status)

    def describe(self, limit=600):
        hs = "\n".join("  %s: %s" % kv for kv in self.headers)
        body = self.text[:limit] + ("..." if len(self.text) > limit else "")
        return "%s %s -> %s %s\n%s\n  body: %r" % (
            self.method, self.path[:200], self.status, self.reason, hs, body)

    # checks, chainable -----------------------------------------------------

    def expect(self, status):
        ok = self.status in status if isinstance(status, (tuple, list, set)) \
            else self.status == status
        check(ok, "expected status %s" % (status,), self.describe())
        return self

    def expect_4xx(self):
        check(400 <= self.status < 500, "expected a 4xx", self.describe())
        return self

    def contains(self, *needles):
        for n in needles:
            check(n in self.text, "body lacks %r" % n, self.describe())
        return self

    def lacks(self, *needles):
        for n in needles:
            i = self.text.find(n)
            check(i < 0, "body contains %r" % n,
                  "  ...%s..." % self.text[max(0, i - 200):i + 200])
        return self

    def matches(self, pattern):
        check(re.search(pattern, self.text), "body does not match %r" % pattern,
              self.describe())
        return self

    def in_order(self, *patterns):
        """Each regex occurs, after the previous one's match."""
        pos = 0
        for p in patterns:
            m = re.compile(p, re.S).search(self.text, pos)
            check(m is not None, "%r not found after offset %d (previous: %r)" %
                  (p, pos, self.text[max(0, pos - 120):pos]))
            pos = m.end()
        return self

    def has_header(self, name, pattern=None):
        v = self.header(name)
        check(v is not None, "no %s header" % name, self.describe(200))
        if pattern is not None:
            check(re.search(pattern, v), "%s: %r does not match %r" %
                  (name, v, pattern))
        return self

    def no_header(self, name):
        check(self.header(name) is None, "unexpected %s: %s" %
              (name, self.header(name)))
        return self

    def html(self):
        return Page(self.text)


def request(method, path, headers=None, body=None, timeout=TIMEOUT):
    """One request on a new connection, through nginx."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        hdrs = {"Connection": "close"}
        hdrs.update(headers or {})
        if body is not None and isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        return Response(method, path, r.status, r.reason, r.getheaders(), data)
    finally:
        conn.close()


def past_cache(path):
    """path with a query that takes it past nginx's page cache (any
    parameter fascia does not ignore does): for tests that must reach a
    worker."""
    return path + ("&" if "?" in path else "?") + "past=cache"


def get(path, **kw):
    return request("GET", path, **kw)


def head(path, **kw):
    return request("HEAD", path, **kw)


def post(path, body="", content_type="application/x-www-form-urlencoded", **kw):
    h = {"Content-Type": content_type}
    h.update(kw.pop("headers", None) or {})
    return request("POST", path, headers=h, body=body, **kw)


def raw(data, timeout=TIMEOUT):
    """Send raw bytes (a request http.client would refuse to write); parse
    the response loosely.  Returns a Response, method/path taken from the
    request line."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (413) and closed: read that
        chunks = []
        while True:
            try:
                c = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not c:
                break
            chunks.append(c)
    finally:
        s.close()
    resp = b"".join(chunks)
    head_, _, body = resp.partition(b"\r\n\r\n")
    lines = head_.split(b"\r\n")
    m = re.match(rb"HTTP/\d\.\d (\d{3}) ?(.*)", lines[0] if lines else b"")
    check(m is not None, "no HTTP status line in response to %r: %r" %
          (data[:100], resp[:200]))
    headers = []
    for ln in lines[1:]:
        k, _, v = ln.partition(b":")
        headers.append((k.decode("latin-1").strip(), v.decode("latin-1").strip()))
    reqline = data.split(b"\r\n", 1)[0].split(b" ")
    return Response(reqline[0].decode("latin-1"),
                    (reqline[1] if len(reqline) > 1 else b"").decode("latin-1"),
                    int(m.group(1)), m.group(2).decode("latin-1"), headers, body)


def raw_get(target, extra=b""):
    if isinstance(target, str):
        target = target.encode("latin-1")
    return raw(b"GET " + target + b" HTTP/1.1\r\nHost: " + HOST.encode() +
               b"\r\n" + extra + b"Connection: close\r\n\r\n")


# --- HTML ------------------------------------------------------------------

class _Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []   # (tag, attrs dict, depth path) in document order
        self.stack = []
        self.text_parts = []

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        self.elements.append((tag, a, tuple(t for t, _ in self.stack)))
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        self.elements.append((tag, a, tuple(t for t, _ in self.stack)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.text_parts.append(data)


class Page:
    """A parsed page: its elements in document order and its text."""

    def __init__(self, text):
        p = _Parser()
        p.feed(text)
        p.close()
        self.elements = p.elements
        self.text = re.sub(r"\s+", " ", "".join(p.text_parts))

    def find(self, tag=None, **attrs):
        out = []
        for t, a, path in self.elements:
            if tag is not None and t != tag:
                continue
            if all(a.get(k.rstrip("_")) == v for k, v in attrs.items()):
                out.append((t, a, path))
        return out

    def ids(self):
        return [a["id"] for _, a, _ in self.elements if "id" in a]


def unescape(s):
    return html.unescape(s)


# --- processes -------------------------------------------------------------

def fascia_master():
    with open(INFO["fascia_pid_file"]) as f:
        pid = int(f.read().strip())
    return pid


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def children(pid):
    """Pids of the live (not zombie) children of pid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(d))
    return sorted(out)


def process_name(pid):
    """The process's name (/proc/PID/comm), or "" once it is gone."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def workers_of(master):
    """The master's workers: its children but the cache keeper."""
    return [p for p in children(master) if process_name(p) != "fascia-keeper"]


def keeper_of(master):
    """The master's cache keeper's pid, or None."""
    k = [p for p in children(master) if process_name(p) == "fascia-keeper"]
    return k[0] if k else None


def wait_until(cond, timeout=10.0, interval=0.05, what="condition"):
    """Poll cond() until it returns a true value; return that value."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            v = cond()
            if v:
                return v
        except (Failure, OSError, http.client.HTTPException) as e:
            last_exc = e
        if time.monotonic() >= deadline:
            raise Failure("timed out after %.1f s waiting for %s%s" %
                          (timeout, what,
                           ("; last error: %s" % last_exc) if last_exc else ""))
        time.sleep(interval)


class Hammer:
    """GET a set of paths in a loop on another thread; records every status
    (used to prove a reload drops no request).  expect: the statuses that
    count as answered."""

    def __init__(self, paths, expect=(200,)):
        self.paths, self.expect = paths, set(expect)
        self.results = []
        self.bad = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        i = 0
        while not self._stop.is_set():
            p = self.paths[i % len(self.paths)]
            i += 1
            try:
                r = get(p)
                self.results.append(r.status)
                if r.status not in self.expect:
                    self.bad.append("%s -> %d" % (p, r.status))
            except Exception as e:  # noqa: BLE001 -- record, never raise
                self.results.append(None)
                self.bad.append("%s -> %s" % (p, e))

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join(TIMEOUT + 5)

    def more(self, n=3):
        """Wait until n more requests have been answered."""
        target = len(self.results) + n
        wait_until(lambda: len(self.results) >= target,
                   what="%d more requests in the loop" % n)

    def check(self, minimum=5):
        check(len(self.results) >= minimum,
              "only %d requests ran during the test" % len(self.results))
        check(not self.bad, "%d of %d requests failed: %s" %
              (len(self.bad), len(self.results), "; ".join(self.bad[:10])))


def read_from(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", errors="replace")


class edited_file:
    """Context manager: replace a file's content, restore it on exit."""

    def __init__(self, path, transform):
        self.path, self.transform = path, transform

    def __enter__(self):
        with open(self.path, encoding="utf-8") as f:
            self.orig = f.read()
        new = self.transform(self.orig)
        with open(self.path, "w", encoding="utf-8") as f:  # keeps the owner
            f.write(new)
        return self

    def __exit__(self, *exc):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(self.orig)


# --- the TAP runner --------------------------------------------------------

TESTS = []


def test(name):
    def deco(fn):
        TESTS.append((name, fn))
        return fn
    return deco


class Skip(Exception):
    pass


def note(msg):
    """A TAP comment line, printed before the test's result line."""
    sys.stdout.write("# %s\n" % msg)
    sys.stdout.flush()


def skip(why):
    raise Skip(why)


def run_all(only=None):
    n = failed = 0
    out = sys.stdout
    for name, fn in TESTS:
        if only and not re.search(only, name):
            continue
        n += 1
        t0 = time.monotonic()
        try:
            fn()
        except Skip as e:
            out.write("ok %d - %s # SKIP %s\n" % (n, name, e))
        except Failure as e:
            failed += 1
            out.write("not ok %d - %s\n" % (n, name))
            for line in str(e).splitlines():
                out.write("#   %s\n" % line)
        except Exception:  # noqa: BLE001 -- a broken test is a failed test
            failed += 1
            out.write("not ok %d - %s\n" % (n, name))
            for line in traceback.format_exc().splitlines():
                out.write("#   %s\n" % line)
        else:
            dt = time.monotonic() - t0
            out.write("ok %d - %s%s\n" % (n, name,
                                          "  (%.1f s)" % dt if dt >= 1 else ""))
        out.flush()
    out.write("1..%d\n" % n)
    return failed
