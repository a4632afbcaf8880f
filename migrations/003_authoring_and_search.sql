-- 003: what authoring, importing and finding posts need.
--
-- slug_redirects: a post whose slug changed keeps answering at the old
-- one with a 301, as WordPress does with _wp_old_slug.
-- import_key: where an imported row came from (a WordPress export's post
-- or comment id), so that importing the same file twice changes nothing.
-- search: a weighted tsvector kept up to date by the database itself.

CREATE TABLE slug_redirects (
	old_slug   text PRIMARY KEY
	           CHECK (old_slug <> '' AND length(old_slug) <= 200
	                  AND old_slug !~ '[/?#%[:space:][:cntrl:]]'),
	post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE posts ADD COLUMN import_key text UNIQUE;
ALTER TABLE comments ADD COLUMN import_key text UNIQUE;

ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('english', title), 'A') ||
	setweight(to_tsvector('english', excerpt), 'B') ||
	setweight(to_tsvector('english',
	    regexp_replace(body_html, '<[^>]*>', ' ', 'g')), 'C')
) STORED;
CREATE INDEX posts_search_idx ON posts USING gin (search);
