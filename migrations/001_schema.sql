-- 001: the blog's tables: authors, posts, tags and comments.
--
-- Slugs are stored decoded (UTF-8), the way they appear in a URL path once
-- percent-decoding is undone; the application never stores a raw email
-- address, only a keyed BLAKE2b hash of it (32 bytes).

CREATE TABLE authors (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug       text NOT NULL UNIQUE
	           CHECK (slug <> '' AND length(slug) <= 200
	                  AND slug !~ '[/?#%[:space:][:cntrl:]]'),
	name       text NOT NULL CHECK (name <> ''),
	bio_source text NOT NULL DEFAULT '',
	bio_html   text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE post_status AS ENUM ('draft', 'published');

CREATE TABLE posts (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug          text NOT NULL UNIQUE
	              CHECK (slug <> '' AND length(slug) <= 200
	                     AND slug !~ '[/?#%[:space:][:cntrl:]]'),
	title         text NOT NULL CHECK (title <> ''),
	excerpt       text NOT NULL DEFAULT '',
	body_source   text NOT NULL DEFAULT '',
	body_html     text NOT NULL DEFAULT '',
	author_id     bigint NOT NULL REFERENCES authors (id),
	status        post_status NOT NULL DEFAULT 'draft',
	comments_open boolean NOT NULL DEFAULT true,
	published_at  timestamptz,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (status = 'draft' OR published_at IS NOT NULL)
);

-- The home page and its pagination, newest first.
CREATE INDEX posts_published_idx ON posts (published_at DESC, id DESC)
	WHERE status = 'published';
-- An author's page.
CREATE INDEX posts_author_published_idx
	ON posts (author_id, published_at DESC, id DESC)
	WHERE status = 'published';

CREATE TABLE tags (
	id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug text NOT NULL UNIQUE
	     CHECK (slug <> '' AND length(slug) <= 200
	            AND slug !~ '[/?#%[:space:][:cntrl:]]'),
	name text NOT NULL CHECK (name <> '')
);

CREATE TABLE post_tags (
	post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
	tag_id  bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, tag_id)
);
-- A tag's page: from the tag to its posts.
CREATE INDEX post_tags_tag_idx ON post_tags (tag_id, post_id);

CREATE TYPE comment_status AS ENUM ('pending', 'approved', 'spam', 'trash');

CREATE TABLE comments (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	post_id     bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
	parent_id   bigint,
	author_name text NOT NULL CHECK (author_name <> ''),
	email_hash  bytea NOT NULL CHECK (length(email_hash) = 32),
	url         text NOT NULL DEFAULT '',
	body        text NOT NULL CHECK (body <> ''),
	status      comment_status NOT NULL DEFAULT 'pending',
	created_at  timestamptz NOT NULL DEFAULT now(),
	-- A reply belongs to the same post as the comment it answers.
	UNIQUE (post_id, id),
	FOREIGN KEY (post_id, parent_id) REFERENCES comments (post_id, id)
		ON DELETE CASCADE
);

-- A post's approved comments, oldest first, and the counts on listings.
CREATE INDEX comments_post_approved_idx ON comments (post_id, created_at, id)
	WHERE status = 'approved';
