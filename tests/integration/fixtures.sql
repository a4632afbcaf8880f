-- Fixtures of the integration suite, beside the demo content.  Everything is
-- named itest-*, and loading again replaces it, so the suite can run many
-- times against the same database.  The posts are dated in 2000-2001 so that
-- they sort after the demo posts; the suite computes every expected listing
-- from the database, never from constants.
BEGIN;

DELETE FROM posts WHERE slug LIKE 'itest-%';
DELETE FROM tags WHERE slug LIKE 'itest-%';
DELETE FROM authors WHERE slug LIKE 'itest-%';

DO $$
DECLARE
	a bigint;
	b bigint;
	t bigint;
	t2 bigint;
	p bigint;
	c1 bigint;
	c2 bigint;
	c3 bigint;
	h bytea := decode(repeat('ab', 32), 'hex');
BEGIN
	-- An author whose name carries markup: it must come out escaped.
	INSERT INTO authors (slug, name, bio_source, bio_html)
	VALUES ('itest-author', 'Ivy <Test> & "Quotes"', 'Ivy writes tests.',
	        '<p>Ivy writes <em>integration</em> tests.</p>')
	RETURNING id INTO a;
	-- An author with nothing published.
	INSERT INTO authors (slug, name, bio_html)
	VALUES ('itest-nobody', 'Nobody Published', '<p>Only drafts.</p>')
	RETURNING id INTO b;

	INSERT INTO tags (slug, name) VALUES ('itest-tag', 'Tag <i>one</i>')
	RETURNING id INTO t;
	INSERT INTO tags (slug, name) VALUES ('itest-empty', 'Empty tag')
	RETURNING id INTO t2;

	-- Twelve published posts by itest-author, all tagged itest-tag.
	FOR i IN 1..12 LOOP
		INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
		                   published_at)
		VALUES (format('itest-p%s', lpad(i::text, 2, '0')),
		        format('Itest post %s', lpad(i::text, 2, '0')),
		        format('Excerpt of itest post %s.', lpad(i::text, 2, '0')),
		        format('<p>Body of itest post %s.</p><h2>Section</h2><p>More.</p>',
		               lpad(i::text, 2, '0')),
		        a, 'published',
		        timestamptz '2000-01-01 12:00:00+00' + make_interval(days => i))
		RETURNING id INTO p;
		INSERT INTO post_tags VALUES (p, t);
	END LOOP;

	-- Markup in every escaped field of a post.
	INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
	                   published_at)
	VALUES ('itest-xss', '<script>alert("title")</script> & <b>bold</b>',
	        '<img src=x onerror=alert("excerpt")> excerpt',
	        '<p>Trusted body of the markup post.</p>', a, 'published',
	        timestamptz '2000-06-01 12:00:00+00')
	RETURNING id INTO p;
	INSERT INTO post_tags VALUES (p, t);

	-- Never shown: a draft, a post published tomorrow, a draft by itest-nobody.
	INSERT INTO posts (slug, title, excerpt, body_html, author_id, status)
	VALUES ('itest-draft', 'Itest draft', 'Draft excerpt.', '<p>Draft.</p>',
	        a, 'draft')
	RETURNING id INTO p;
	INSERT INTO post_tags VALUES (p, t);
	INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
	                   published_at)
	VALUES ('itest-future', 'Itest future', 'Future excerpt.', '<p>Future.</p>',
	        a, 'published', now() + interval '1 day')
	RETURNING id INTO p;
	INSERT INTO post_tags VALUES (p, t);
	INSERT INTO posts (slug, title, body_html, author_id, status)
	VALUES ('itest-nobody-draft', 'Nobody draft', '<p>x</p>', b, 'draft');

	-- Comments closed.
	INSERT INTO posts (slug, title, excerpt, body_html, author_id, status,
	                   published_at, comments_open)
	VALUES ('itest-closed', 'Itest closed', 'Closed.', '<p>Closed body.</p>',
	        a, 'published', timestamptz '2000-07-01 12:00:00+00', false);

	-- itest-p01: a thread.  Approved: Alice, Bob (reply to Alice), Carol
	-- (reply to Bob), Mallory (markup everywhere), created in that order;
	-- plus one pending, one spam and one trash comment that never show.
	SELECT id INTO p FROM posts WHERE slug = 'itest-p01';
	INSERT INTO comments (post_id, author_name, email_hash, url, body, status,
	                      created_at)
	VALUES (p, 'Alice Example', h, 'https://alice.example/',
	        E'First comment by Alice.\n\nHer second paragraph.', 'approved',
	        timestamptz '2000-02-01 10:00:00+00')
	RETURNING id INTO c1;
	INSERT INTO comments (post_id, parent_id, author_name, email_hash, body,
	                      status, created_at)
	VALUES (p, c1, 'Bob Example', h, 'Bob replies to Alice.', 'approved',
	        timestamptz '2000-02-01 11:00:00+00')
	RETURNING id INTO c2;
	INSERT INTO comments (post_id, author_name, email_hash, url, body, status,
	                      created_at)
	VALUES (p, '<script>alert("name")</script>Mallory', h,
	        'javascript:alert("url")',
	        E'<script>alert("body")</script> "quoted" & <a href="javascript:x">link</a>',
	        'approved', timestamptz '2000-02-01 12:00:00+00')
	RETURNING id INTO c3;
	INSERT INTO comments (post_id, parent_id, author_name, email_hash, body,
	                      status, created_at)
	VALUES (p, c2, 'Carol Example', h, 'Carol replies to Bob.', 'approved',
	        timestamptz '2000-02-01 13:00:00+00');
	INSERT INTO comments (post_id, author_name, email_hash, body, status,
	                      created_at)
	VALUES (p, 'Pending Person', h, 'PENDING-MARKER text', 'pending',
	        timestamptz '2000-02-01 14:00:00+00'),
	       (p, 'Spam Person', h, 'SPAM-MARKER text', 'spam',
	        timestamptz '2000-02-01 15:00:00+00'),
	       (p, 'Trash Person', h, 'TRASH-MARKER text', 'trash',
	        timestamptz '2000-02-01 16:00:00+00');
	-- A pending reply to an approved comment: hidden too.
	INSERT INTO comments (post_id, parent_id, author_name, email_hash, body,
	                      status, created_at)
	VALUES (p, c1, 'Pending Replier', h, 'PENDING-REPLY-MARKER', 'pending',
	        timestamptz '2000-02-01 17:00:00+00');

	-- itest-p02: exactly one approved comment (and one pending).
	SELECT id INTO p FROM posts WHERE slug = 'itest-p02';
	INSERT INTO comments (post_id, author_name, email_hash, body, status)
	VALUES (p, 'Solo Commenter', h, 'The only approved comment.', 'approved'),
	       (p, 'Pending Person', h, 'PENDING-MARKER two', 'pending');
END
$$;

COMMIT;
