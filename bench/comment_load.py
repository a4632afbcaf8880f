#!/usr/bin/env python3
"""bench/comment_load.py URL CONF POSTERS SECONDS: comment POSTs under
concurrency, through nginx.

POSTERS threads post to /benchmark-post/ for SECONDS, each from its own
loopback address and with forms of its own (a fresh token minted with the
site's key for every comment, as if the form had been filled in for half a
minute), every comment a new text from a new address, so each is a
first-time commenter's and waits for moderation.  Prints one line: how
many, how fast, p50 and p99 of the 303 answers in ms, and how many were
anything else.  The comments are deleted afterwards (PSQL_CMD)."""

import base64
import hashlib
import hmac
import http.client
import os
import re
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

SLUG = "benchmark-post"


def conf_values(path):
    vals = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*([a-z_]+)\s*=\s*(.*?)\s*$", line)
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


def form_key(secret_path):
    master = open(secret_path, "rb").read()
    return hashlib.blake2b(b"", digest_size=32, key=master,
                           salt=struct.pack("<Q", 3) + bytes(8),
                           person=b"fasciakd" + bytes(8)).digest()


def token(key, post_id):
    body = os.urandom(16) + struct.pack(">Q", int(time.time()) - 30)
    mac = hmac.new(key, struct.pack(">Q", post_id) + body,
                   hashlib.sha512).digest()[:32]
    return base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode()


def poster(n, u, key, post_id, deadline, times, bad):
    src = "127.2.%d.%d" % (n // 250, n % 250 + 1)
    i = 0
    while time.monotonic() < deadline:
        i += 1
        form = urllib.parse.urlencode({
            "comment": "Poster %d, comment %d: thank you for this." % (n, i),
            "author": "Poster %d" % n,
            "email": "poster%d.%d@bench.invalid" % (n, i),
            "url": "", "comment_parent": "", "form_token": token(key, post_id)})
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30,
                                       source_address=(src, 0))
        t0 = time.perf_counter()
        try:
            c.request("POST", "/%s/comments" % SLUG, body=form, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": "%s://%s" % (u.scheme, u.netloc)})
            r = c.getresponse()
            r.read()
            status = r.status
        except OSError:
            status = 0
        finally:
            c.close()
        times.append((time.perf_counter() - t0) * 1000)
        if status != 303:
            bad.append(status)


def main():
    url, conf_path = sys.argv[1], sys.argv[2]
    posters, seconds = int(sys.argv[3]), float(sys.argv[4])
    conf = conf_values(conf_path)
    key = form_key(conf["secret_key_file"])
    psql = os.environ["PSQL_CMD"].split()
    post_id = int(subprocess.run(psql + ["-Atc", "SELECT id FROM posts WHERE "
                                         "slug = '%s'" % SLUG],
                                 capture_output=True, text=True,
                                 check=True).stdout.strip())
    u = urllib.parse.urlsplit(url)
    times, bad = [], []
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=poster, args=(n, u, key, post_id,
                                                     deadline, times, bad))
               for n in range(posters)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    subprocess.run(psql + ["-qc", "DELETE FROM comments WHERE author_name "
                           "LIKE 'Poster %'"], check=True)
    times.sort()
    if not times:
        print("no POST was answered")
        return

    def pct(p):
        return times[min(len(times) - 1, int(len(times) * p / 100))]

    print("%d POSTs by %d posters in %.1f s (%.0f/s), p50 %.2f ms, p99 %.2f "
          "ms, %d not 303" % (len(times), posters, took, len(times) / took,
                              pct(50), pct(99), len(bad)))


main()
