-- Full-text search of posts: an FTS5 index of each status's text and content warning, and of
-- who may find it without having taken part in it (`audience` is `anyone` for a public post of
-- an account that opted in to search, else empty), so that a search of public posts is one
-- intersection in the index. Contentless (the text lives in `status`), kept by triggers in the
-- transaction that writes the status or changes its author's choice, and filled here from the
-- posts already stored. PostgreSQL indexes the text with a GIN index instead
-- (../postgres/0051_status_search.sql); the two differ on purpose, and the schema comparison and
-- the instance copy leave everything named `status_search…` out (an import rebuilds it).
CREATE VIRTUAL TABLE status_search USING fts5(
    text, spoiler_text, audience,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO status_search (rowid, text, spoiler_text, audience)
    SELECT s.id, s.text, s.spoiler_text,
           CASE WHEN s.visibility = 'public' AND a.indexable THEN 'anyone' ELSE '' END
    FROM status s JOIN account a ON a.id = s.account_id;

CREATE TRIGGER status_search_insert AFTER INSERT ON status BEGIN
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT new.id, new.text, new.spoiler_text,
               CASE WHEN new.visibility = 'public' AND a.indexable THEN 'anyone' ELSE '' END
        FROM account a WHERE a.id = new.account_id;
END;
CREATE TRIGGER status_search_delete AFTER DELETE ON status BEGIN
    DELETE FROM status_search WHERE rowid = old.id;
END;
CREATE TRIGGER status_search_update AFTER UPDATE OF text, spoiler_text, visibility ON status BEGIN
    DELETE FROM status_search WHERE rowid = old.id;
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT new.id, new.text, new.spoiler_text,
               CASE WHEN new.visibility = 'public' AND a.indexable THEN 'anyone' ELSE '' END
        FROM account a WHERE a.id = new.account_id;
END;
-- Opting in or out of search re-indexes the account's public posts at once.
CREATE TRIGGER status_search_audience AFTER UPDATE OF indexable ON account
WHEN old.indexable IS NOT new.indexable BEGIN
    DELETE FROM status_search
        WHERE rowid IN (SELECT id FROM status WHERE account_id = new.id AND visibility = 'public');
    INSERT INTO status_search (rowid, text, spoiler_text, audience)
        SELECT s.id, s.text, s.spoiler_text, CASE WHEN new.indexable THEN 'anyone' ELSE '' END
        FROM status s WHERE s.account_id = new.id AND s.visibility = 'public';
END;
