#!/usr/bin/env python3
"""bench/load.py: the load targets of docs/hostile-inputs.md ("Load and soak
targets") against a running test stack, printed as markdown tables.  Nothing
is asserted: the figures are measured here, now, and printed.

  1. knee    wrk -t2 on GET /<slug>/ at 4, 8, ... 128 connections until p99
             passes 50 ms; the knee is the last step at or under it.
  2. burst   wrk at the knee's concurrency; every second each worker's
             VmRSS and open fds and fascia's pg_stat_activity count.
  3. mixed   wrk at about half the knee's rate (a wrk delay() script) plus
             comment posters (threads, each POST from its own 127.x.y.z with
             its own email and a freshly minted form token); 303s against
             the rows in the database.
  4. faults  the mixed run again with one pg_terminate_backend of a fascia
             backend and one worker kill -9 every LOAD_FAULT_EVERY seconds
             (half a period apart), and a poller GETting the page to time
             the recovery from each fault.

Called by bench/load.sh, which passes the stack's addresses in the
environment: LOAD_URL, LOAD_CONF, LOAD_PID_FILE, PSQL_CMD, LOAD_NGINX_ERR,
LOAD_FASCIA_LOG.  Durations (seconds) and sizes, all optional:
LOAD_STEP_SECONDS (8), LOAD_BURST_SECONDS (20), LOAD_BURST_WARMUP (5),
LOAD_MIXED_SECONDS (20), LOAD_FAULT_SECONDS (30), LOAD_FAULT_EVERY (6),
LOAD_POSTERS (20), LOAD_POST_SHARE (5, percent of all requests),
LOAD_P99_MS (50), LOAD_SETTLE (2: a pause before each measured run, so
the requests nginx abandoned when the previous wrk closed its connections,
which fascia still accepts and renders, are gone first), LOAD_STEPS ("4 8 16 32 64 128"), LOAD_PHASES
("knee burst mixed faults"), LOAD_KNEE_CONNS (skip the search when the
knee phase is left out).  The comments it posts are deleted at the end.
"""

import base64
import hashlib
import hmac
import http.client
import os
import random
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SLUG = "myofascial-release-massage"
PAGE = "/%s/" % SLUG
AUTHOR_PREFIX = "Loadbench"
EMAIL_DOMAIN = "loadbench.invalid"


def env_num(name, default, kind=float):
    v = os.environ.get(name, "")
    try:
        return kind(v) if v.strip() else default
    except ValueError:
        sys.exit("load.py: %s=%r is not a number" % (name, v))


URL = os.environ["LOAD_URL"].rstrip("/")
CONF_PATH = os.environ["LOAD_CONF"]
PID_FILE = os.environ["LOAD_PID_FILE"]
PSQL = os.environ["PSQL_CMD"].split()
NGINX_ERR = os.environ.get("LOAD_NGINX_ERR", "")
FASCIA_LOG = os.environ.get("LOAD_FASCIA_LOG", "")
STEP_S = env_num("LOAD_STEP_SECONDS", 8)
BURST_S = env_num("LOAD_BURST_SECONDS", 20)
BURST_WARM = env_num("LOAD_BURST_WARMUP", 5)
MIXED_S = env_num("LOAD_MIXED_SECONDS", 20)
FAULT_S = env_num("LOAD_FAULT_SECONDS", 30)
FAULT_EVERY = env_num("LOAD_FAULT_EVERY", 6)
POSTERS = env_num("LOAD_POSTERS", 20, int)
POST_SHARE = env_num("LOAD_POST_SHARE", 5) / 100.0
P99_MAX = env_num("LOAD_P99_MS", 50)
SETTLE = env_num("LOAD_SETTLE", 2)
STEPS = [int(x) for x in os.environ.get("LOAD_STEPS", "4 8 16 32 64 128").split()]
PHASES = os.environ.get("LOAD_PHASES", "knee burst mixed faults").split()
NCPU = os.cpu_count() or 1
U = urllib.parse.urlsplit(URL)
RUN = "%x" % (int(time.time()) & 0xffffff)
T0 = time.monotonic()


def now():
    return time.monotonic() - T0


def log(msg):
    print("load: %s" % msg, file=sys.stderr, flush=True)


# --- the stack ------------------------------------------------------------

def psql(sql, timeout=20):
    r = subprocess.run(PSQL + ["-XAtq", "-c", sql], capture_output=True,
                       text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())
    return r.stdout.strip()


def fascia_backends():
    return int(psql("SELECT count(*) FROM pg_stat_activity WHERE "
                    "application_name = 'fascia' AND "
                    "backend_type = 'client backend'"))


def master_pid():
    return int(open(PID_FILE).read().split()[0])


def workers():
    """The master's children, from /proc."""
    m, kids = master_pid(), []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = open("/proc/%s/stat" % d).read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == m:
            kids.append(int(d))
    return sorted(kids)


def vmrss_kb(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def nfds(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


class LogTail:
    """New lines of a log file since construction, grouped by message."""

    def __init__(self, path):
        self.path = path
        try:
            self.off = os.path.getsize(path) if path else 0
        except OSError:
            self.off = 0

    def summary(self):
        if not self.path or not os.path.exists(self.path):
            return {}
        with open(self.path, "rb") as f:
            f.seek(self.off)
            data = f.read().decode("utf-8", "replace")
        groups = {}
        for line in data.splitlines():
            if not line.strip():
                continue
            msg = re.sub(r"^\S+ \S+ ", "", line)          # nginx/fascia time
            msg = re.sub(r"\d+#\d+: \*\d+ ", "", msg)    # nginx pid/conn
            msg = re.sub(r", client: .*", "", msg)
            msg = re.sub(r"\b\d+\b", "N", msg)
            msg = msg[:150]
            groups[msg] = groups.get(msg, 0) + 1
        return groups


def print_log_groups(title, tails):
    rows = []
    for name, t in tails:
        for msg, n in sorted(t.summary().items(), key=lambda kv: -kv[1]):
            rows.append((name, n, msg))
    if not rows:
        print("%s: no new lines in the nginx error log or the fascia log.\n"
              % title)
        return
    print("%s: new log lines (numbers as N)\n" % title)
    print("| log | lines | message |")
    print("|---|---:|---|")
    for name, n, msg in rows[:15]:
        print("| %s | %d | `%s` |" % (name, n, msg.replace("|", "\\|")))
    if len(rows) > 15:
        print("| … | | %d more kinds |" % (len(rows) - 15))
    print()


def log_tails():
    return [("nginx", LogTail(NGINX_ERR)), ("fascia", LogTail(FASCIA_LOG))]


# --- wrk --------------------------------------------------------------------

def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000,
                                "m": 60000}[m.group(2)]


ERR_LUA = r"""
errs = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
%s
function response(status, headers, body)
  if status < 200 or status > 299 then
    local k = os.time() .. " " .. status
    errs[k] = (errs[k] or 0) + 1
  end
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local e = t:get("errs")
    if e then for k, n in pairs(e) do io.write("ERRS " .. k .. " " .. n .. "\n") end end
  end
end
"""


def cpu_times():
    """(total, idle, steal) jiffies of all CPUs, from /proc/stat."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return sum(f), f[3] + f[4], f[7]


def cpu_share(a, b):
    """Busy and stolen (hypervisor) percent of all CPUs between a and b."""
    dt = (b[0] - a[0]) or 1
    return 100.0 * (dt - (b[1] - a[1])) / dt, 100.0 * (b[2] - a[2]) / dt


def wrk_start(conns, seconds, delay_ms=None):
    """Starts wrk; returns (Popen, script path, CPU times)."""
    delay = ("function delay() return %d end" % delay_ms) if delay_ms else ""
    fd, script = tempfile.mkstemp(prefix="fascia-load-", suffix=".lua")
    with os.fdopen(fd, "w") as f:
        f.write(ERR_LUA % delay)
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % max(1, round(seconds)),
           "--timeout", "5s", "--latency", "-s", script, URL + PAGE]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    return p, script, cpu_times()


def wrk_finish(pw, seconds):
    p, script, cpu0 = pw
    try:
        out, _ = p.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    os.unlink(script)
    busy, steal = cpu_share(cpu0, cpu_times())
    r = {"requests": 0, "rps": 0.0, "p50": float("nan"), "p99": float("nan"),
         "non2xx": 0, "sock": 0, "sock_detail": "", "errs": [], "raw": out,
         "busy": busy, "steal": steal}
    for line in out.splitlines():
        s = line.split()
        if not s:
            continue
        if s[0] == "50%":
            r["p50"] = ms(s[1])
        elif s[0] == "99%":
            r["p99"] = ms(s[1])
        elif len(s) > 2 and s[1] == "requests" and s[2] == "in":
            r["requests"] = int(s[0])
        elif s[0] == "Requests/sec:":
            r["rps"] = float(s[1])
        elif line.startswith("  Non-2xx"):
            r["non2xx"] = int(s[-1])
        elif line.startswith("  Socket errors"):
            nums = [int(x) for x in re.findall(r"\d+", line)]
            r["sock"] = sum(nums)
            r["sock_detail"] = line.split(":", 1)[1].strip()
        elif s[0] == "ERRS":
            r["errs"].append((int(s[1]), int(s[2]), int(s[3])))
    return r


def wrk(conns, seconds, delay_ms=None):
    return wrk_finish(wrk_start(conns, seconds, delay_ms), seconds)


# --- comment posting ---------------------------------------------------------

def conf_values(path):
    vals = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*([a-z_]+)\s*=\s*(.*?)\s*$", line)
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


CONF = conf_values(CONF_PATH)
MASTER_KEY = open(CONF["secret_key_file"], "rb").read()
FORM_KEY = hashlib.blake2b(b"", digest_size=32, key=MASTER_KEY,
                           salt=struct.pack("<Q", 3) + bytes(8),
                           person=b"fasciakd" + bytes(8)).digest()


def mint_token(post_id):
    nonce = os.urandom(16)
    body = nonce + struct.pack(">Q", int(time.time()) - 30)
    mac = hmac.new(FORM_KEY, struct.pack(">Q", post_id) + body,
                   hashlib.sha512).digest()[:32]
    return nonce.hex(), base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode()


def send(method, path, body=None, headers=None, src=None, timeout=10):
    """One request on a fresh connection: (t_start, t_end, status or the
    exception's name, Location)."""
    t = now()
    try:
        c = http.client.HTTPConnection(U.hostname, U.port, timeout=timeout,
                                       source_address=(src, 0) if src else None)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        r.read()
        st, loc = r.status, r.getheader("Location", "")
        c.close()
    except Exception as e:  # a reset, a timeout: counted, not raised
        st, loc = type(e).__name__, ""
    return t, now(), st, loc


class Posters:
    """n threads posting comments at about rate per second in all."""

    def __init__(self, post_id, n, rate, seconds, net):
        self.post_id, self.n, self.rate, self.seconds = post_id, n, rate, seconds
        self.net = net               # second octet of the source addresses
        self.lock = threading.Lock()
        self.seq = 0
        self.forms = {}              # nonce -> body
        self.attempts = []           # (nonce, try, t0, t1, status)
        self.threads = []

    def next_form(self):
        with self.lock:
            i = self.seq
            self.seq += 1
        if i >= 250 * 250:
            return None
        nonce, tok = mint_token(self.post_id)
        text = ("Load bench %s form %d: a comment under load, thank you "
                "for the post." % (RUN, i))
        form = urllib.parse.urlencode({
            "comment": text, "author": "%s %s %d" % (AUTHOR_PREFIX, RUN, i),
            "email": "lb-%s-%d-%d@%s" % (RUN, self.net, i, EMAIL_DOMAIN),
            "url": "", "comment_parent": "", "form_token": tok})
        src = "127.%d.%d.%d" % (self.net, i // 250, i % 250 + 1)
        with self.lock:
            self.forms[nonce] = text
        return nonce, form, src

    def run_one(self, k):
        period = self.n / self.rate
        t_next = now() + random.random() * period
        end = now() + self.seconds
        hdrs = {"Content-Type": "application/x-www-form-urlencoded",
                "Origin": CONF["base_url"]}
        while True:
            d = t_next - now()
            if d > 0:
                time.sleep(d)
            if now() >= end:
                return
            t_next += period
            f = self.next_form()
            if f is None:
                return
            nonce, form, src = f
            for attempt in (1, 2):
                t0, t1, st, _ = send("POST", "/%s/comments" % SLUG, form,
                                     hdrs, src)
                with self.lock:
                    self.attempts.append((nonce, attempt, t0, t1, st))
                if st == 303:
                    break
                # The visitor sends the same form again (same nonce).
                time.sleep(0.3)

    def start(self):
        for k in range(self.n):
            t = threading.Thread(target=self.run_one, args=(k,), daemon=True)
            t.start()
            self.threads.append(t)

    def join(self):
        for t in self.threads:
            t.join(self.seconds + 60)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def db_rows():
    out = psql("SELECT encode(form_nonce, 'hex'), body, status FROM comments "
               "WHERE author_name LIKE '%s %s %%'" % (AUTHOR_PREFIX, RUN))
    return [l.split("|") for l in out.splitlines() if l]


def delete_bench_comments():
    psql("DELETE FROM comments WHERE author_name LIKE '%s %%'" % AUTHOR_PREFIX)


# --- the phases ----------------------------------------------------------------

def knee():
    print("## Knee: GET %s, wrk -t2, %gs a step, until p99 > %g ms (%d cores)\n"
          % (PAGE, STEP_S, P99_MAX, NCPU))
    wrk(STEPS[0], 2)  # warm-up
    print("| connections | req/s | p50 ms | p99 ms | non-2xx | socket errors "
          "| CPU busy | CPU stolen |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    steps, best = [], None
    for c in STEPS:
        time.sleep(SETTLE)
        r = wrk(c, STEP_S)
        steps.append((c, r))
        print("| %d | %.0f | %.2f | %.2f | %d | %d | %.0f %% | %.1f %% |" %
              (c, r["rps"], r["p50"], r["p99"], r["non2xx"], r["sock"],
               r["busy"], r["steal"]), flush=True)
        if r["p99"] <= P99_MAX:
            best = (c, r)
        else:
            break
    print()
    if best is None:
        best = steps[0]
        print("No step kept p99 at or under %g ms: the knee is taken as the "
              "first step.\n" % P99_MAX)
    c, r = best
    print("| knee | connections | req/s | req/s per core | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    print("| last step with p99 <= %g ms | %d | %.0f | %.0f | %.2f |\n" %
          (P99_MAX, c, r["rps"], r["rps"] / NCPU, r["p99"]))
    print("Per core: the machine's %d cores run wrk, nginx, fascia and "
          "PostgreSQL alike.  CPU stolen is the hypervisor's share "
          "(/proc/stat): where it is high, the figures of that step are "
          "low.\n" % NCPU)
    return c, r["rps"]


def burst(conns):
    print("## Burst: %gs at the knee (wrk -t2 -c%d)\n" % (BURST_S, conns))
    time.sleep(SETTLE)
    tails = log_tails()
    w0 = workers()
    samples = {pid: [] for pid in w0}   # pid -> [(t, rss, fds)]
    pgs = []
    pw = wrk_start(conns, BURST_S)
    t_start = now()
    t_next = t_start + 1
    while pw[0].poll() is None and now() < t_start + BURST_S + 20:
        d = t_next - now()
        if d > 0:
            time.sleep(d)
        t_next += 1
        if pw[0].poll() is not None:
            break
        t = now() - t_start
        for pid in workers():
            samples.setdefault(pid, []).append((t, vmrss_kb(pid), nfds(pid)))
        try:
            pgs.append(fascia_backends())
        except Exception:
            pgs.append(None)
    r = wrk_finish(pw, BURST_S)
    w1 = workers()
    print("| requests | req/s | p50 ms | p99 ms | non-2xx | socket errors | "
          "pg_stat_activity (fascia) min–max | workers before → after | "
          "CPU busy | CPU stolen |")
    print("|---:|---:|---:|---:|---:|---:|---|---|---:|---:|")
    pg_ok = [x for x in pgs if x is not None]
    print("| %d | %.0f | %.2f | %.2f | %d | %d%s | %s | %s → %s | %.0f %% "
          "| %.1f %% |\n" % (
        r["requests"], r["rps"], r["p50"], r["p99"], r["non2xx"], r["sock"],
        " (%s)" % r["sock_detail"] if r["sock"] else "",
        "%d–%d (%d samples)" % (min(pg_ok), max(pg_ok), len(pg_ok))
        if pg_ok else "n/a",
        " ".join(map(str, w0)), " ".join(map(str, w1)), r["busy"],
        r["steal"]))
    print("RSS sampled each second; the first %gs are warm-up, the rest is "
          "split in halves.\n" % BURST_WARM)
    print("| worker | samples | RSS first half kB | RSS last half kB | change "
          "| RSS min–max kB | open fds min–max |")
    print("|---:|---:|---:|---:|---:|---|---|")
    for pid, s in sorted(samples.items()):
        s = [x for x in s if x[1] is not None]
        kept = [x for x in s if x[0] >= BURST_WARM]
        if len(kept) < 2:
            print("| %d | %d | | | | | |" % (pid, len(s)))
            continue
        h = len(kept) // 2
        a = sum(x[1] for x in kept[:h]) / h
        b = sum(x[1] for x in kept[-h:]) / h
        fds = [x[2] for x in s if x[2] is not None]
        print("| %d | %d | %.0f | %.0f | %+.2f %% | %d–%d | %d–%d |" % (
            pid, len(s), a, b, (b - a) / a * 100,
            min(x[1] for x in s), max(x[1] for x in s), min(fds), max(fds)))
    print()
    print_log_groups("Burst", tails)


def mixed(title, knee_c, knee_rps, seconds, net, faults=False):
    post_id = int(psql("SELECT id FROM posts WHERE slug = '%s'" % SLUG))
    conns = max(2, knee_c // 2)
    get_rate = max(10.0, knee_rps / 2)
    delay_ms = max(1, int(conns * 1000 / get_rate) - 2)  # ~2 ms answers
    post_rate = max(1.0, get_rate * POST_SHARE / (1 - POST_SHARE))
    print("## %s: %gs of GET %s (wrk -t2 -c%d, delay %d ms per request per "
          "connection, aiming at %.0f req/s, about half the knee) and %d "
          "comment posters (about %.0f POST/s in all)%s\n" % (
              title, seconds, PAGE, conns, delay_ms, get_rate, POSTERS,
              post_rate,
              "; every %gs one pg_terminate_backend of a fascia backend, and "
              "%gs later one worker kill -9" % (FAULT_EVERY, FAULT_EVERY / 2)
              if faults else ""))
    time.sleep(SETTLE)
    tails = log_tails()
    pg0, w0 = fascia_backends(), workers()
    posters = Posters(post_id, POSTERS, post_rate, seconds, net)
    polls, events = [], []
    stop = threading.Event()

    def poller():
        while not stop.is_set():
            polls.append(send("GET", PAGE, timeout=5))
            time.sleep(0.02)

    def faulter():
        # pg_terminate_backend at 3, 3+E, ...; kill -9 at 3+E/2, 3+3E/2, ...
        plan = []
        t = 3.0
        while t < seconds - 1:
            plan.append((t, "pg_terminate_backend"))
            if t + FAULT_EVERY / 2 < seconds - 1:
                plan.append((t + FAULT_EVERY / 2, "kill -9 worker"))
            t += FAULT_EVERY
        for at, kind in plan:
            d = t_base + at - now()
            if d > 0 and stop.wait(d):
                return
            if kind == "kill -9 worker":
                ws = workers()
                if not ws:
                    continue
                victim = random.choice(ws)
                os.kill(victim, signal.SIGKILL)
                tf = now()
                respawn = None
                while now() - tf < 2:
                    cur = workers()
                    if victim not in cur and len(cur) >= len(ws):
                        respawn = now() - tf
                        break
                    time.sleep(0.002)
                events.append((tf, kind, victim, respawn))
            else:
                try:
                    v = psql("SELECT pid FROM (SELECT pid FROM "
                             "pg_stat_activity WHERE application_name = "
                             "'fascia' AND backend_type = 'client backend' "
                             "ORDER BY random() LIMIT 1) s WHERE "
                             "pg_terminate_backend(pid)")
                    tf = now()
                    events.append((tf, kind, int(v) if v else None, None))
                except Exception as e:
                    log("pg_terminate_backend failed: %s" % e)

    t_base = now()
    pw = wrk_start(conns, seconds, delay_ms)
    t_wall0 = time.time()
    posters.start()
    aux = [threading.Thread(target=poller, daemon=True)]
    if faults:
        aux.append(threading.Thread(target=faulter, daemon=True))
    for t in aux:
        t.start()
    posters.join()
    r = wrk_finish(pw, seconds)
    stop.set()
    for t in aux:
        t.join(15)
    time.sleep(0.5)
    pg1, w1 = fascia_backends(), workers()

    # POSTs
    first = [a for a in posters.attempts if a[1] == 1]
    retries = [a for a in posters.attempts if a[1] == 2]
    ok_nonces = {a[0] for a in posters.attempts if a[4] == 303}
    lat = [(a[3] - a[2]) * 1000 for a in first if a[4] == 303]
    statuses = {}
    for a in posters.attempts:
        key = "%s %s" % ("first" if a[1] == 1 else "resent", a[4])
        statuses[key] = statuses.get(key, 0) + 1
    rows = db_rows()
    row_nonces = [x[0] for x in rows]
    row_bodies = [x[1] for x in rows]
    sent = set(posters.forms)
    lost = ok_nonces - set(row_nonces)
    orphans = set(row_nonces) - ok_nonces
    foreign = set(row_nonces) - sent
    dup_bodies = len(row_bodies) - len(set(row_bodies))
    first_bad = [a for a in first if a[4] != 303]

    get_bad = r["non2xx"] + r["sock"]
    poll_bad = [p for p in polls if p[2] != 200]
    print("| GET requests | GET req/s | GET p50 ms | GET p99 ms | GET non-2xx "
          "| GET socket errors | POST share | poller GETs | poller non-200 | "
          "CPU busy | CPU stolen |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    total = r["requests"] + len(first)
    print("| %d | %.0f | %.2f | %.2f | %d | %d%s | %.1f %% | %d | %d | "
          "%.0f %% | %.1f %% |\n" % (
        r["requests"], r["rps"], r["p50"], r["p99"], r["non2xx"], r["sock"],
        " (%s)" % r["sock_detail"] if r["sock"] else "",
        100.0 * len(first) / total if total else 0, len(polls), len(poll_bad),
        r["busy"], r["steal"]))
    print("| forms sent | 303 on first send | POST p50 ms | POST p99 ms | "
          "POST max ms | rows in DB | distinct nonces in rows | duplicated "
          "(rows − distinct bodies) | lost (303, no row) | rows without a 303 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("| %d | %d | %.2f | %.2f | %.2f | %d | %d | %d | %d | %d |\n" % (
        len(sent), len(first) - len(first_bad), pct(lat, .5), pct(lat, .99),
        max(lat) if lat else float("nan"), len(rows), len(set(row_nonces)),
        dup_bodies, len(lost), len(orphans)))
    if foreign:
        print("%d rows carry a nonce this run never sent.\n" % len(foreign))
    print("| POST answers | count |")
    print("|---|---:|")
    for k in sorted(statuses):
        print("| %s | %d |" % (k, statuses[k]))
    print()
    st_rows = {}
    for x in rows:
        st_rows[x[2]] = st_rows.get(x[2], 0) + 1
    print("Rows by status: %s.  fascia backends in pg_stat_activity: %d "
          "before, %d after; workers %s → %s.\n" % (
              ", ".join("%s %d" % kv for kv in sorted(st_rows.items()))
              or "none", pg0, pg1, " ".join(map(str, w0)),
              " ".join(map(str, w1))))

    if faults:
        all_req = r["requests"] + len(posters.attempts) + len(polls)
        all_bad = get_bad + len([a for a in posters.attempts if a[4] != 303]) \
            + len(poll_bad)
        print("| error rate, all requests (wrk GETs, POSTs incl. resends, "
              "poller) | GET only (wrk) | POST first sends |")
        print("|---:|---:|---:|")
        print("| %.3f %% (%d of %d) | %.3f %% (%d of %d) | %.3f %% (%d of %d) "
              "|\n" % (
                  100.0 * all_bad / max(1, all_req), all_bad, all_req,
                  100.0 * get_bad / max(1, r["requests"]), get_bad,
                  r["requests"], 100.0 * len(first_bad) / max(1, len(first)),
                  len(first_bad), len(first)))
        # Failures per fault: those that started before the fault and ended
        # after it were in flight; the rest came later.
        print("Per fault: recovery is the time from the fault to the end of "
              "the first poller GET sent after it that got a 200; failures "
              "are counted up to the next fault (wrk's by the second of "
              "its clock).\n")
        print("| t s | fault | target | worker respawned after ms | recovery "
              "ms | poller non-200 | POST failed in flight | POST failed "
              "later | wrk non-2xx in that second/next |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        evs = sorted(events)
        for i, (tf, kind, target, respawn) in enumerate(evs):
            tn = evs[i + 1][0] if i + 1 < len(evs) else float("inf")
            rec = [p for p in polls if p[0] >= tf and p[2] == 200]
            rec_ms = (min(p[1] for p in rec) - tf) * 1000 if rec else None
            pb = [p for p in poll_bad if tf - 0.5 <= p[1] < tn]
            inflight = [a for a in posters.attempts if a[4] != 303 and
                        a[2] <= tf <= a[3] + 0.05]
            later = [a for a in posters.attempts if a[4] != 303 and
                     a[2] > tf and a[3] < tn]
            wall = int(t_wall0 + (tf - t_base))
            wb = sum(n for (sec, _, n) in r["errs"] if wall <= sec <= wall + 1)
            print("| %.2f | %s | %s | %s | %s | %d | %d | %d | %d |" % (
                tf - t_base, kind, target if target is not None else "none",
                "%.0f" % (respawn * 1000) if respawn is not None else "",
                "%.0f" % rec_ms if rec_ms is not None else "never",
                len(pb), len(inflight), len(later), wb))
        print()
        if r["errs"]:
            by = {}
            for sec, status, n in r["errs"]:
                by[status] = by.get(status, 0) + n
            print("wrk non-2xx by status: %s.\n" % ", ".join(
                "%d: %d" % kv for kv in sorted(by.items())))
        if first_bad:
            print("| failed POST at t s | status | resent → |")
            print("|---:|---|---|")
            resent = {a[0]: a[4] for a in retries}
            for a in sorted(first_bad, key=lambda a: a[2])[:20]:
                print("| %.2f–%.2f | %s | %s |" % (a[2] - t_base, a[3] - t_base,
                                                   a[4], resent.get(a[0], "")))
            print()
    print_log_groups(title, tails)
    delete_bench_comments()


def main():
    delete_bench_comments()  # leftovers of an interrupted run
    knee_c = env_num("LOAD_KNEE_CONNS", STEPS[0], int)
    knee_rps = None
    if "knee" in PHASES:
        knee_c, knee_rps = knee()
    if knee_rps is None:
        knee_rps = wrk(knee_c, 5)["rps"]
    if "burst" in PHASES:
        burst(knee_c)
    if "mixed" in PHASES:
        mixed("Mixed", knee_c, knee_rps, MIXED_S, 2)
    if "faults" in PHASES:
        mixed("Faults under load", knee_c, knee_rps, FAULT_S, 3, faults=True)
    log("done in %.0fs" % now())


if __name__ == "__main__":
    try:
        main()
    finally:
        try:
            delete_bench_comments()
        except Exception:
            pass
