-- 005: what reading posts costs the database, paid once when they are
-- written.  First, what a search snippet is cut from.
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

-- A post's HTML is sent whole on every view and in every feed: it is kept
-- out of line but uncompressed, so that reading it is a copy, not a
-- pglz_decompress() (a tenth of the database's work for a feed of twenty
-- posts).  Posts written from now on; older ones as they are rewritten.
ALTER TABLE posts ALTER COLUMN body_html SET STORAGE EXTERNAL;
