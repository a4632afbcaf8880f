#!/usr/bin/env python3
"""bench/comment_post.py URL CONF [N]: what a comment POST costs, through
nginx.  Sends N (default 300) valid comments one after another, each from
its own loopback address (flood control counts per client) with a form
token minted with the site's key (as if the form had been filled in for a
while), and prints p50/p90/p99/max in ms of the 303 answers.  The comments
are deleted afterwards."""

import base64
import hashlib
import hmac
import http.client
import os
import re
import struct
import subprocess
import sys
import time
import urllib.parse


def conf_values(path):
    vals = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*([a-z_]+)\s*=\s*(.*?)\s*$", line)
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


def main():
    url, conf_path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    conf = conf_values(conf_path)
    master = open(conf["secret_key_file"], "rb").read()
    form_key = hashlib.blake2b(b"", digest_size=32, key=master,
                               salt=struct.pack("<Q", 3) + bytes(8),
                               person=b"fasciakd" + bytes(8)).digest()
    u = urllib.parse.urlsplit(url)
    psql = os.environ["PSQL_CMD"]
    post_id = int(subprocess.run(psql.split() + ["-Atc",
                  "SELECT id FROM posts WHERE slug = 'myofascial-release-massage'"],
                  capture_output=True, text=True, check=True).stdout.strip())
    times = []
    for i in range(n):
        nonce = os.urandom(16)
        body = nonce + struct.pack(">Q", int(time.time()) - 30)
        mac = hmac.new(form_key, struct.pack(">Q", post_id) + body,
                       hashlib.sha512).digest()[:32]
        tok = base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode()
        form = urllib.parse.urlencode({
            "comment": "Benchmark comment number %d. Thank you for the post." % i,
            "author": "Bench %d" % i, "email": "bench%d@bench.invalid" % i,
            "url": "", "comment_parent": "", "form_token": tok})
        src = "127.1.%d.%d" % (i // 250, i % 250 + 1)
        c = http.client.HTTPConnection(u.hostname, u.port,
                                       source_address=(src, 0))
        t0 = time.perf_counter()
        c.request("POST", "/myofascial-release-massage/comments", body=form,
                  headers={"Content-Type": "application/x-www-form-urlencoded",
                           "Origin": conf["base_url"]})
        r = c.getresponse()
        r.read()
        times.append((time.perf_counter() - t0) * 1000)
        c.close()
        if r.status != 303:
            print("unexpected status %d" % r.status, file=sys.stderr)
            sys.exit(1)
    subprocess.run(psql.split() + ["-qAtc",
                   "DELETE FROM comments WHERE author_name LIKE 'Bench %'"],
                   check=True)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print("| comment POSTs | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    print("| %d, sequential | %.2f | %.2f | %.2f | %.2f |" %
          (n, pick(0.50), pick(0.90), pick(0.99), times[-1]))


if __name__ == "__main__":
    main()
