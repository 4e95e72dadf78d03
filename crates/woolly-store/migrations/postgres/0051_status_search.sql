-- Full-text search of posts: a GIN index of each status's text and content warning as words
-- ('simple': no language's stemming, as posts come in every language). SQLite keeps an FTS5
-- index instead (../sqlite/0051_status_search.sql); the two differ on purpose, and the schema
-- comparison and the instance copy leave everything named `status_search…` out.
CREATE INDEX status_search ON status
    USING GIN (to_tsvector('simple', text || ' ' || spoiler_text));
