-- The server's rules, as admins keep them in the web interface (the settings file's `rules`
-- are the first ones, written once). A removed rule is kept (`deleted_at`) so that reports
-- naming it still read it.
-- Keep this file and ../sqlite/0043_server_rules.sql in step: a test compares the two schemas.
CREATE TABLE server_rule (
    id         BIGINT  PRIMARY KEY,
    text       TEXT    NOT NULL,
    hint       TEXT    NOT NULL DEFAULT '',
    priority   INTEGER NOT NULL,
    created_at BIGINT  NOT NULL,
    deleted_at BIGINT
);
