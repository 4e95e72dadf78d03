-- Search of one's library in the FTS5 index: each post's `audience` also names, as `u<ID>`, the
-- local accounts that may find it as part of their library (its local author, the local
-- accounts it mentions, and those that favourited, bookmarked, boosted it or voted in its
-- poll), as Mastodon's `searchable_by`. A search of one's library is then one intersection in
-- the index, newest first, like a search of public posts, instead of a look-up of every post of
-- the library (measured: 30–70 µs each, so a library of 20,000 posts cost a second).
-- The entry of a post is rewritten whenever one of those changes; only local accounts are
-- named (only they search), so a post's entry grows with its local interactions only.
-- PostgreSQL finds the library from the searcher's own rows
-- (../postgres/0055_status_search_library.sql).

-- A post's search entry as it should be.
CREATE VIEW status_search_entry AS
SELECT s.id, s.text, s.spoiler_text,
       trim(
           CASE WHEN s.visibility = 'public' AND a.indexable THEN 'anyone' ELSE '' END
           || CASE WHEN a.domain IS NULL THEN ' u' || s.account_id ELSE '' END
           || COALESCE((SELECT ' ' || group_concat('u' || member, ' ') FROM (
                  SELECT m.account_id AS member FROM status_mention m
                      JOIN account ma ON ma.id = m.account_id AND ma.domain IS NULL
                      WHERE m.status_id = s.id
                  UNION SELECT f.account_id FROM favourite f
                      JOIN account fa ON fa.id = f.account_id AND fa.domain IS NULL
                      WHERE f.status_id = s.id
                  UNION SELECT b.account_id FROM bookmark b WHERE b.status_id = s.id
                  UNION SELECT r.account_id FROM status r
                      JOIN account ra ON ra.id = r.account_id AND ra.domain IS NULL
                      WHERE r.reblog_of_id = s.id
                  UNION SELECT v.account_id FROM poll p JOIN poll_vote v ON v.poll_id = p.id
                      JOIN account va ON va.id = v.account_id AND va.domain IS NULL
                      WHERE p.status_id = s.id)), '')
       ) AS audience
FROM status s JOIN account a ON a.id = s.account_id;

DROP TRIGGER status_search_insert;
DROP TRIGGER status_search_update;
DROP TRIGGER status_search_audience;
DELETE FROM status_search;
INSERT INTO status_search (rowid, text, spoiler_text, audience)
    SELECT id, text, spoiler_text, audience FROM status_search_entry;
-- One segment rather than the many a rebuild leaves: fewer to read at each search.
INSERT INTO status_search (status_search) VALUES ('optimize');

CREATE TRIGGER status_search_insert AFTER INSERT ON status BEGIN
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = new.id;
END;
CREATE TRIGGER status_search_update AFTER UPDATE OF text, spoiler_text, visibility ON status BEGIN
    DELETE FROM status_search WHERE rowid = old.id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = new.id;
END;
-- Opting in or out of search rewrites the account's public posts.
CREATE TRIGGER status_search_audience AFTER UPDATE OF indexable ON account
WHEN old.indexable IS NOT new.indexable BEGIN
    DELETE FROM status_search
        WHERE rowid IN (SELECT id FROM status WHERE account_id = new.id AND visibility = 'public');
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT e.id, e.text, e.spoiler_text, e.audience FROM status_search_entry e
        WHERE e.id IN (SELECT id FROM status WHERE account_id = new.id AND visibility = 'public');
END;
-- A boost by a local account puts the boosted post in its library (and out of it when undone).
CREATE TRIGGER status_search_boost AFTER INSERT ON status
WHEN new.reblog_of_id IS NOT NULL
     AND (SELECT domain FROM account WHERE id = new.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = new.reblog_of_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry
        WHERE id = new.reblog_of_id;
END;
CREATE TRIGGER status_search_unboost AFTER DELETE ON status
WHEN old.reblog_of_id IS NOT NULL
     AND (SELECT domain FROM account WHERE id = old.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = old.reblog_of_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry
        WHERE id = old.reblog_of_id;
END;
CREATE TRIGGER status_search_mention AFTER INSERT ON status_mention
WHEN (SELECT domain FROM account WHERE id = new.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = new.status_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = new.status_id;
END;
CREATE TRIGGER status_search_unmention AFTER DELETE ON status_mention
WHEN (SELECT domain FROM account WHERE id = old.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = old.status_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = old.status_id;
END;
CREATE TRIGGER status_search_favourite AFTER INSERT ON favourite
WHEN (SELECT domain FROM account WHERE id = new.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = new.status_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = new.status_id;
END;
CREATE TRIGGER status_search_unfavourite AFTER DELETE ON favourite
WHEN (SELECT domain FROM account WHERE id = old.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = old.status_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = old.status_id;
END;
CREATE TRIGGER status_search_bookmark AFTER INSERT ON bookmark BEGIN
    DELETE FROM status_search WHERE rowid = new.status_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = new.status_id;
END;
CREATE TRIGGER status_search_unbookmark AFTER DELETE ON bookmark BEGIN
    DELETE FROM status_search WHERE rowid = old.status_id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry WHERE id = old.status_id;
END;
CREATE TRIGGER status_search_vote AFTER INSERT ON poll_vote
WHEN (SELECT domain FROM account WHERE id = new.account_id) IS NULL BEGIN
    DELETE FROM status_search WHERE rowid = (SELECT status_id FROM poll WHERE id = new.poll_id);
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT id, text, spoiler_text, audience FROM status_search_entry
        WHERE id = (SELECT status_id FROM poll WHERE id = new.poll_id);
END;
