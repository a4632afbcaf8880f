#!/usr/bin/env python3
"""gen_wxr.py: write a WordPress export (WXR 1.2) of a made-up blog.

    tests/bench/gen_wxr.py [--posts N] [--comments N] [--seed N] [-o FILE]

By default 1,000 published posts and 20,000 approved comments, as the
import benchmark (bench/import_wordpress.sh) wants: 5 authors, a pool of
60 tags and 8 categories, HTML bodies of 1 to 3 KB with some unicode,
comments spread unevenly over the posts and threaded up to 5 deep, every
commenter with an email address of their own.  The same seed gives the
same file.  Python 3 standard library only.
"""

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone

WORDS = (
    "clay glaze kiln wheel throw trim bisque cone slip wedge fire ash "
    "celadon shino tenmoku stoneware porcelain earthenware studio tile "
    "crawl pinhole crackle foot rim handle spout lid jar bowl cup plate "
    "vase teapot mug reduction oxidation temper grog bat rib sponge wire "
    "café façade naïve Malmö Kyōto 備前 陶器 青磁"
).split()


def cdata(s):
    """Wrap s in CDATA the way WordPress's wxr_cdata() does."""
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng, lo=6, hi=16):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def body(rng):
    parts = []
    size = rng.randint(1000, 3000)
    n = 0
    while n < size:
        kind = rng.random()
        if kind < 0.1:
            html = "<h2>%s</h2>" % sentence(rng, 2, 5)[:-1]
        elif kind < 0.2:
            html = "<ul>%s</ul>" % "".join(
                "<li>%s</li>" % sentence(rng, 3, 6) for _ in range(3))
        elif kind < 0.25:
            html = "<p>See <a href=\"https://example.org/%d\">%s</a> and " \
                "<code>a[b[0]]>1</code>.</p>" % (rng.randint(1, 999),
                                                 sentence(rng, 2, 4)[:-1])
        else:
            html = "<p>%s <strong>%s</strong> %s</p>" % (
                paragraph(rng), rng.choice(WORDS), sentence(rng))
        parts.append("<!-- wp:paragraph -->\n%s\n<!-- /wp:paragraph -->"
                     % html)
        n += len(html)
    return "\n\n".join(parts)


def comment_text(rng):
    lines = [sentence(rng, 4, 20) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.2:
        lines.append("<a href=\"https://example.net/\">my site</a> &amp; more")
    return "\n".join(lines)


def wpdate(d):
    return d.strftime("%Y-%m-%d %H:%M:%S")


def split_comments(rng, total, posts):
    """Spread total comments over posts, unevenly, summing exactly."""
    weights = [rng.random() ** 2 for _ in range(posts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    i = 0
    while sum(counts) < total:
        counts[i % posts] += 1
        i += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--comments", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(
        args.output, "w", encoding="utf-8")
    w = out.write

    authors = [("author%d" % i, "Author Number %d" % i) for i in range(1, 6)]
    tags = ["tag-%d" % i for i in range(1, 61)]
    cats = ["category-%d" % i for i in range(1, 9)]
    start = datetime(2012, 1, 1, tzinfo=timezone.utc)

    w('<?xml version="1.0" encoding="UTF-8" ?>\n'
      '<rss version="2.0"\n'
      '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
      '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
      '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
      '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
      '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
      '\t<title>Benchmark blog</title>\n'
      '\t<link>https://bench.example.org</link>\n'
      '\t<wp:wxr_version>1.2</wp:wxr_version>\n')
    for i, (login, name) in enumerate(authors, 1):
        w("\t<wp:author><wp:author_id>%d</wp:author_id>"
          "<wp:author_login>%s</wp:author_login>"
          "<wp:author_email>%s</wp:author_email>"
          "<wp:author_display_name>%s</wp:author_display_name>"
          "<wp:author_description>%s</wp:author_description>"
          "</wp:author>\n" % (i, cdata(login),
                               cdata("%s@bench.example.org" % login),
                               cdata(name), cdata(paragraph(rng))))

    counts = split_comments(rng, args.comments, args.posts)
    comment_id = 1
    for p in range(args.posts):
        post_id = 1000 + p
        when = start + timedelta(hours=37 * p + rng.randint(0, 20))
        title = sentence(rng, 3, 9)[:-1]
        slug = "post-%d-%s" % (p + 1, "-".join(
            x for x in title.lower().split() if x.isascii())[:60].strip("-"))
        w("\t<item>\n\t\t<title>%s</title>\n" % cdata(title))
        w("\t\t<dc:creator>%s</dc:creator>\n" % cdata(rng.choice(authors)[0]))
        w("\t\t<content:encoded>%s</content:encoded>\n" % cdata(body(rng)))
        w("\t\t<excerpt:encoded>%s</excerpt:encoded>\n" % cdata(
            sentence(rng) if rng.random() < 0.3 else ""))
        w("\t\t<wp:post_id>%d</wp:post_id>\n" % post_id)
        w("\t\t<wp:post_date>%s</wp:post_date>\n" % cdata(wpdate(when)))
        w("\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n"
          % cdata(wpdate(when)))
        w("\t\t<wp:comment_status>%s</wp:comment_status>\n" % cdata("open"))
        w("\t\t<wp:post_name>%s</wp:post_name>\n" % cdata(slug))
        w("\t\t<wp:status>%s</wp:status>\n" % cdata("publish"))
        w("\t\t<wp:post_type>%s</wp:post_type>\n" % cdata("post"))
        w("\t\t<wp:post_password>%s</wp:post_password>\n" % cdata(""))
        c = rng.choice(cats)
        w('\t\t<category domain="category" nicename="%s">%s</category>\n'
          % (c, cdata(c.replace("-", " ").title())))
        for t in rng.sample(tags, rng.randint(1, 4)):
            w('\t\t<category domain="post_tag" nicename="%s">%s</category>\n'
              % (t, cdata(t.replace("-", " ").title())))
        ids = []
        depth = {}
        for _ in range(counts[p]):
            parent = 0
            if ids and rng.random() < 0.4:
                parent = rng.choice(ids[-10:])
                if depth[parent] >= 4:
                    parent = 0
            depth[comment_id] = depth[parent] + 1 if parent else 0
            cwhen = when + timedelta(minutes=7 * len(ids) + 5)
            w("\t\t<wp:comment>\n")
            w("\t\t\t<wp:comment_id>%d</wp:comment_id>\n" % comment_id)
            w("\t\t\t<wp:comment_author>%s</wp:comment_author>\n"
              % cdata("Reader %d" % (comment_id % 3000)))
            w("\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n"
              % cdata("reader%d@mail.example.net" % (comment_id % 3000)))
            w("\t\t\t<wp:comment_author_url>%s</wp:comment_author_url>\n"
              % ("https://reader%d.example.net/" % comment_id
                 if rng.random() < 0.3 else ""))
            w("\t\t\t<wp:comment_author_IP>%s</wp:comment_author_IP>\n"
              % cdata("192.0.2.%d" % rng.randint(1, 254)))
            w("\t\t\t<wp:comment_date>%s</wp:comment_date>\n"
              % cdata(wpdate(cwhen)))
            w("\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n"
              % cdata(wpdate(cwhen)))
            w("\t\t\t<wp:comment_content>%s</wp:comment_content>\n"
              % cdata(comment_text(rng)))
            w("\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n"
              % cdata("1"))
            w("\t\t\t<wp:comment_type>%s</wp:comment_type>\n"
              % cdata("comment"))
            w("\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n" % parent)
            w("\t\t</wp:comment>\n")
            ids.append(comment_id)
            comment_id += 1
        w("\t</item>\n")
    w("</channel>\n</rss>\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
