#!/usr/bin/env python3
"""bench/form_tokens.py CONF SLUG N: N form tokens for the post SLUG, one
per line, minted with the site's key (CONF's secret_key_file) as
src/token.c makes them, each as if its form had been shown half a minute
ago.  bench/comment_post.lua sends one with every comment.  The post's id
comes from psql (PSQL_CMD)."""

import base64
import hashlib
import hmac
import os
import re
import struct
import subprocess
import sys
import time


def conf_values(path):
    vals = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*([a-z_]+)\s*=\s*(.*?)\s*$", line)
        if m:
            vals[m.group(1)] = m.group(2)
    return vals


def form_key(secret_path):
    """libsodium's crypto_kdf_derive_from_key, subkey 3 (forms)."""
    master = open(secret_path, "rb").read()
    return hashlib.blake2b(b"", digest_size=32, key=master,
                           salt=struct.pack("<Q", 3) + bytes(8),
                           person=b"fasciakd" + bytes(8)).digest()


def main():
    conf_path, slug, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    key = form_key(conf_values(conf_path)["secret_key_file"])
    psql = os.environ["PSQL_CMD"].split()
    post_id = int(subprocess.run(
        psql + ["-Atc", "SELECT id FROM posts WHERE slug = '%s'" % slug],
        capture_output=True, text=True, check=True).stdout.strip())
    issued = struct.pack(">Q", int(time.time()) - 30)
    ident = struct.pack(">Q", post_id)
    out = []
    for _ in range(n):
        body = os.urandom(16) + issued
        mac = hmac.new(key, ident + body, hashlib.sha512).digest()[:32]
        out.append(base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode())
    sys.stdout.write("\n".join(out) + "\n")


main()
