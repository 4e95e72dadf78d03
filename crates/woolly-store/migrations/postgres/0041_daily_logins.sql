-- Which local users used the instance on which day (00:00 UTC, Unix ms), for the dashboard's
-- active users.
-- Keep this file and ../sqlite/0041_daily_logins.sql in step: a test compares the two schemas.
CREATE TABLE daily_login (
    day        BIGINT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (day, account_id)
);
