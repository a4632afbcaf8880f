-- 004: the page cache is told of every change a reader could see.
--
-- Whatever changes a published page (a post, an author, a tag, a post's
-- tags, an old slug, an approved comment) sends NOTIFY fascia_changed when
-- its transaction commits, whoever made it: fascia's workers, its
-- commands, the WordPress importer, a psql session.  Each fascia server's
-- cache keeper LISTENs and starts a new cache generation at once.  NOTIFY
-- folds the notices of one transaction into one.  A comment that waits for
-- moderation, or is spam, changes no published page, and tells nothing.

CREATE FUNCTION fascia_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('fascia_changed', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER posts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON posts FOR EACH STATEMENT EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER authors_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON authors FOR EACH STATEMENT EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER tags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON tags FOR EACH STATEMENT EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER post_tags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON post_tags FOR EACH STATEMENT EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER slug_redirects_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON slug_redirects FOR EACH STATEMENT EXECUTE FUNCTION fascia_changed();

CREATE TRIGGER comments_approved_in AFTER INSERT ON comments
	FOR EACH ROW WHEN (NEW.status = 'approved')
	EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER comments_approved_changed AFTER UPDATE ON comments
	FOR EACH ROW WHEN (OLD.status = 'approved' OR NEW.status = 'approved')
	EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER comments_approved_out AFTER DELETE ON comments
	FOR EACH ROW WHEN (OLD.status = 'approved')
	EXECUTE FUNCTION fascia_changed();
CREATE TRIGGER comments_truncated AFTER TRUNCATE ON comments
	FOR EACH STATEMENT EXECUTE FUNCTION fascia_changed();

-- When the next scheduled post appears (seconds since the epoch), or NULL:
-- no page is kept past it.
CREATE FUNCTION fascia_next_publication() RETURNS bigint LANGUAGE sql STABLE
AS $$
	SELECT ceil(extract(epoch FROM min(published_at)))::bigint FROM posts
	WHERE status = 'published' AND published_at > now()
$$;
