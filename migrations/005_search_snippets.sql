-- 005: what a search snippet is cut from, made once, when a post is
-- written.
--
-- ts_headline() parses and stems all the text it is given: about a
-- millisecond for a 9 KB post, on every search, for every post on the
-- page of results.  The snippet is cut from the excerpt and the start of
-- the post's text (its first 2,000 characters, tags stripped, up to the
-- last whole word) instead; the ranking still reads all of it (search,
-- migration 003).
ALTER TABLE posts ADD COLUMN snippet_source text GENERATED ALWAYS AS (
	excerpt || E'\n\n' || regexp_replace(
	    left(regexp_replace(body_html, '<[^>]*>', ' ', 'g'), 2000),
	    '\S*$', '')
) STORED;
