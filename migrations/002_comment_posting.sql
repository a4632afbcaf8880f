-- 002: what posting comments needs.
--
-- client_hash: keyed hash of the poster's address, for flood control only.
-- form_nonce: the random nonce of the form the comment came from; unique,
-- so a form submitted twice (a double click, a retry after a lost
-- connection) stores one comment, never two.

ALTER TABLE comments
	ADD COLUMN client_hash bytea CHECK (length(client_hash) = 32),
	ADD COLUMN form_nonce bytea UNIQUE CHECK (length(form_nonce) = 16);

-- Flood control: the newest comment by the same email or client hash.
CREATE INDEX comments_email_time_idx ON comments (email_hash, created_at);
CREATE INDEX comments_client_time_idx ON comments (client_hash, created_at)
	WHERE client_hash IS NOT NULL;
-- Moderation lists, newest first.
CREATE INDEX comments_status_time_idx ON comments (status, created_at DESC);
-- Duplicate detection and replies: a post's comments of any status.
CREATE INDEX comments_post_idx ON comments (post_id, parent_id);
