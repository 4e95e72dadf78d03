-- Full-text search of posts: an FTS5 index of each status's text and content warning, kept by
-- triggers in the transaction that writes the status (stored, edited or deleted), rebuilt here
-- from the posts already stored. PostgreSQL indexes the same text with a GIN index instead
-- (../postgres/0051_status_search.sql); the two differ on purpose, and the schema comparison
-- and the instance copy leave everything named `status_search…` out (an import rebuilds it).
CREATE VIRTUAL TABLE status_search USING fts5(
    text, spoiler_text,
    content = 'status', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO status_search (status_search) VALUES ('rebuild');

CREATE TRIGGER status_search_insert AFTER INSERT ON status BEGIN
    INSERT INTO status_search (rowid, text, spoiler_text)
    VALUES (new.id, new.text, new.spoiler_text);
END;
CREATE TRIGGER status_search_delete AFTER DELETE ON status BEGIN
    INSERT INTO status_search (status_search, rowid, text, spoiler_text)
    VALUES ('delete', old.id, old.text, old.spoiler_text);
END;
CREATE TRIGGER status_search_update AFTER UPDATE OF text, spoiler_text ON status BEGIN
    INSERT INTO status_search (status_search, rowid, text, spoiler_text)
    VALUES ('delete', old.id, old.text, old.spoiler_text);
    INSERT INTO status_search (rowid, text, spoiler_text)
    VALUES (new.id, new.text, new.spoiler_text);
END;
