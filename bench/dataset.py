#!/usr/bin/env python3
"""bench/dataset.py: the fixed data set of `make bench`, as SQL on stdout.

5 authors with bios, 24 tags, 200 published posts spread over two years
(each 6 to 10 KB of HTML with headings, two to four tags), and the
benchmark post, /benchmark-post/, with 50 approved comments of which 10
are replies, and about 1,200 comments of the blog's past on the other
posts.  The text is made of our own sentences, drawn with a fixed
seed, so every run measures the same pages.  Load it into an empty,
migrated database (tools/stack.sh bench up --data FILE).
"""

import hashlib
import random

rng = random.Random(20261204)

AUTHORS = [
    ("maya-okafor", "Maya Okafor, LMT"),
    ("jonas-berg", "Jonas Berg"),
    ("priya-raman", "Priya Raman, PT"),
    ("lea-moreau", "L\u00e9a Moreau"),
    ("sam-whitfield", "Sam Whitfield"),
]
TAGS = ["fascia", "massage-therapy", "posture", "self-care", "sleep",
        "stretching", "desk-work", "running", "recovery", "breathing",
        "neck-and-shoulders", "lower-back", "hips", "feet", "hands",
        "headaches", "stress", "hydration", "strength", "mobility",
        "pregnancy", "aging", "sports", "first-visit"]

SUBJECTS = ["The fascia around the shoulder blade", "A tight hip flexor",
            "Your calf after a long run", "The muscles of the jaw",
            "A stiff lower back", "The plantar fascia",
            "Tension in the upper trapezius", "The thoracolumbar fascia",
            "A sore wrist from typing", "The diaphragm"]
VERBS = ["responds best to", "softens with", "needs time and",
         "rarely improves with", "asks for", "settles after",
         "often mimics pain elsewhere before", "changes slowly under"]
OBJECTS = ["slow, sustained pressure", "gentle movement every hour",
           "a warm shower and patience", "a few minutes of breathing",
           "steady hydration through the day", "regular, light stretching",
           "a session that does not rush", "rest between hard efforts"]
TAILS = ["Clients notice it within a week.",
         "Most people feel the difference the same evening.",
         "It is worth keeping a short diary of how it feels.",
         "Nothing about it should be painful.",
         "If it keeps coming back, talk to your doctor.",
         "Small habits matter more than a single long session."]


def sentence():
    return "%s %s %s. %s" % (rng.choice(SUBJECTS), rng.choice(VERBS),
                             rng.choice(OBJECTS), rng.choice(TAILS))


def paragraph(n):
    return "<p>" + " ".join(sentence() for _ in range(n)) + "</p>"


def body(size):
    parts = []
    while sum(len(p) for p in parts) < size:
        parts.append("<h2>%s</h2>" % rng.choice(SUBJECTS))
        for _ in range(rng.randint(2, 4)):
            parts.append(paragraph(rng.randint(3, 6)))
    return "\n".join(parts)


def q(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    out = ["BEGIN;"]
    for slug, name in AUTHORS:
        bio = paragraph(2)
        out.append("INSERT INTO authors (slug, name, bio_source, bio_html) "
                   "VALUES (%s, %s, '', %s);" % (q(slug), q(name), q(bio)))
    for t in TAGS:
        out.append("INSERT INTO tags (slug, name) VALUES (%s, %s);" %
                   (q(t), q(t.replace("-", " ").capitalize())))
    for i in range(200):
        slug = "post-%03d" % (i + 1)
        title = "%s, part %d" % (rng.choice(SUBJECTS), i + 1)
        author = AUTHORS[i % len(AUTHORS)][0]
        days = 730 - i * 3.6
        out.append(
            "INSERT INTO posts (slug, title, excerpt, body_html, author_id, "
            "status, published_at) VALUES (%s, %s, %s, %s, (SELECT id FROM "
            "authors WHERE slug = %s), 'published', now() - interval "
            "'%.3f days');" % (q(slug), q(title), q(sentence()),
                               q(body(rng.randint(6000, 10000))), q(author),
                               days))
        for t in rng.sample(TAGS, rng.randint(2, 4)):
            out.append("INSERT INTO post_tags (post_id, tag_id) SELECT p.id, "
                       "t.id FROM posts p, tags t WHERE p.slug = %s AND "
                       "t.slug = %s;" % (q(slug), q(t)))
    out.append(
        "INSERT INTO posts (slug, title, excerpt, body_html, author_id, "
        "status, published_at) VALUES ('benchmark-post', 'What a first "
        "myofascial release session feels like', %s, %s, (SELECT id FROM "
        "authors WHERE slug = 'maya-okafor'), 'published', now() - interval "
        "'2 hours');" % (q(sentence()), q(body(14000))))
    for t in ("fascia", "massage-therapy", "first-visit"):
        out.append("INSERT INTO post_tags (post_id, tag_id) SELECT p.id, "
                   "t.id FROM posts p, tags t WHERE p.slug = "
                   "'benchmark-post' AND t.slug = %s;" % q(t))
    # 50 approved comments from 30 commenters; comments 41 to 50 answer
    # earlier ones.  The ids are given so that parents are known.
    names = ["Reader %s" % chr(65 + i % 26) + str(i) for i in range(30)]
    out.append("CREATE TEMP TABLE bench_c (n int, id bigint);")
    for n in range(1, 51):
        who = rng.randrange(30)
        email_hash = hashlib.sha256(b"bench-commenter-%d" % who).hexdigest()
        text = " ".join(sentence() for _ in range(rng.randint(1, 3)))
        parent = ("(SELECT id FROM bench_c WHERE n = %d)" %
                  rng.randint(1, 40) if n > 40 else "NULL")
        out.append(
            "WITH c AS (INSERT INTO comments (post_id, parent_id, "
            "author_name, email_hash, url, body, status, created_at) "
            "SELECT p.id, %s, %s, '\\x%s', %s, %s, 'approved', now() - "
            "interval '%d minutes' FROM posts p WHERE p.slug = "
            "'benchmark-post' RETURNING id) INSERT INTO bench_c SELECT %d, "
            "id FROM c;" % (parent, q(names[who]), email_hash,
                            q("https://example.com/~r%d" % who if who % 3 == 0
                              else ""), q(text), 110 - n, n))
    # The blog's history: each other post has up to a dozen comments
    # (approved, some spam, a few waiting) from 150 commenters, so that the
    # comments table, and the plans made on it, look like a blog's that has
    # run for two years.  Drawn from a seed of its own, leaving the posts
    # above as they were.
    hist = random.Random(20261205)
    for i in range(200):
        rows = []
        for k in range(hist.randint(0, 12)):
            who = hist.randrange(150)
            status = hist.choice(["approved"] * 8 + ["spam", "pending"])
            rows.append("(%s, '\\x%s'::bytea, %s, '%s'::comment_status, "
                        "now() - interval '%.3f "
                        "days')" % (
                            q("Commenter %d" % who),
                            hashlib.sha256(b"history-%d" % who).hexdigest(),
                            q(sentence()), status, 720 - i * 3.6 + k))
        if rows:
            out.append(
                "INSERT INTO comments (post_id, author_name, email_hash, "
                "body, status, created_at) SELECT p.id, v.* FROM posts p, "
                "(VALUES %s) v WHERE p.slug = %s;" %
                (", ".join(rows), q("post-%03d" % (i + 1))))
    out.append("COMMIT;")
    out.append("ANALYZE;")
    print("\n".join(out))


main()
