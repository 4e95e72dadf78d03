-- The software other servers run, as their NodeInfo says, for the moderators' dashboard. A
-- server is checked when an account of it is first stored, and again a week later at most;
-- `software` stays NULL while it is unknown (not asked yet, or it did not say).
-- Keep this file and ../postgres/0044_known_servers.sql in step: a test compares the two schemas.
CREATE TABLE known_server (
    domain     TEXT   PRIMARY KEY,
    software   TEXT,
    version    TEXT,
    checked_at BIGINT NOT NULL
);
