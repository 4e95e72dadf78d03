-- Moving accounts. `also_known_as`: the actor ids an account says are also it (its aliases: a
-- local user declares them before moving here; a remote actor's document lists them), as a
-- JSON array. `moved_to_account_id`: the account it moved to, shown as `moved` and
-- `movedTo`. `account_migration`: each move, of a local account (its 30-day cooldown) or of a
-- remote one (a `Move` is carried out once a week at most).
-- Keep this file and ../postgres/0045_account_moves.sql in step: a test compares the two schemas.
ALTER TABLE account ADD COLUMN also_known_as TEXT NOT NULL DEFAULT '[]';
ALTER TABLE account ADD COLUMN moved_to_account_id BIGINT;

CREATE TABLE account_migration (
    id                BIGINT PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    followers_count   BIGINT NOT NULL,
    created_at        BIGINT NOT NULL
);
CREATE INDEX account_migration_account ON account_migration (account_id, created_at);
CREATE INDEX account_migration_target ON account_migration (target_account_id);
