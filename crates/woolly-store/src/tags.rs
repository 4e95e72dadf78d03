//! Followed hashtags and account notes.

use crate::connect::{Db, Tx, on_reader, on_tx, on_writer};
use crate::error::Result;
use crate::statuses::Page;

impl Tx {
    /// Follows a hashtag (lower-case name); following again changes nothing.
    pub async fn follow_tag(&mut self, account_id: i64, name: &str, now: i64) -> Result<()> {
        let id = self.next_id();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO tag_follow (account_id, name, id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(name)
        .bind(id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn unfollow_tag(&mut self, account_id: i64, name: &str) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM tag_follow WHERE account_id = $1 AND name = $2",
        )
        .bind(account_id)
        .bind(name)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// Which of `names` the account follows.
    pub async fn followed_tags_among(
        &self,
        account_id: i64,
        names: &[String],
    ) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for name in names {
            let row: Option<(String,)> = on_reader!(self, pool => sqlx::query_as(
                "SELECT name FROM tag_follow WHERE account_id = $1 AND name = $2",
            )
            .bind(account_id)
            .bind(name)
            .fetch_optional(pool)
            .await)?;
            found.extend(row.map(|(name,)| name));
        }
        Ok(found)
    }

    /// The hashtags an account follows, most recently followed first: (row id, name).
    pub async fn followed_tags_page(
        &self,
        account_id: i64,
        page: Page,
    ) -> Result<Vec<(i64, String)>> {
        let order = if page.min_id.is_some() { "ASC" } else { "DESC" };
        let sql = format!(
            "SELECT id, name FROM tag_follow WHERE account_id = $1 AND ($2 IS NULL OR id < $2) \
             AND ($3 IS NULL OR id > $3) ORDER BY id {order} LIMIT $4"
        );
        let mut rows: Vec<(i64, String)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(page.max_id)
            .bind(page.since_id.or(page.min_id))
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        if page.min_id.is_some() {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Puts a public status into the home feeds of local accounts that follow one of its
    /// hashtags (and neither block nor are blocked by nor mute its author). Returns them.
    pub async fn fan_out_to_tag_followers(
        &self,
        status_id: i64,
        author_id: i64,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_writer!(self, pool => sqlx::query_as(
            "INSERT INTO home_feed (account_id, status_id) \
             SELECT DISTINCT f.account_id, $1 FROM status_tag t JOIN tag_follow f ON f.name = t.name \
             JOIN local_user u ON u.account_id = f.account_id \
             WHERE t.status_id = $1 AND f.account_id <> $2 \
               AND NOT EXISTS (SELECT 1 FROM block b WHERE (b.account_id = f.account_id AND b.target_account_id = $2) \
                                                      OR (b.account_id = $2 AND b.target_account_id = f.account_id)) \
               AND NOT EXISTS (SELECT 1 FROM mute m WHERE m.account_id = f.account_id AND m.target_account_id = $2) \
             ON CONFLICT DO NOTHING RETURNING account_id",
        )
        .bind(status_id)
        .bind(author_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Sets (or, when empty, clears) an account's private note about another.
    pub async fn set_account_note(
        &self,
        account_id: i64,
        target_id: i64,
        comment: &str,
        now: i64,
    ) -> Result<()> {
        if comment.is_empty() {
            on_writer!(rows_affected, self, pool => sqlx::query(
                "DELETE FROM account_note WHERE account_id = $1 AND target_account_id = $2",
            )
            .bind(account_id)
            .bind(target_id)
            .execute(pool)
            .await)?;
            return Ok(());
        }
        on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO account_note (account_id, target_account_id, comment, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id, target_account_id) DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at",
        )
        .bind(account_id)
        .bind(target_id)
        .bind(comment)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(())
    }

    /// Accounts the viewer follows that follow `target_id` (at most `limit`).
    pub async fn familiar_followers(
        &self,
        viewer: i64,
        target_id: i64,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT mine.target_account_id FROM follow mine JOIN follow theirs \
               ON theirs.account_id = mine.target_account_id AND theirs.target_account_id = $2 \
             WHERE mine.account_id = $1 ORDER BY mine.id DESC LIMIT $3",
        )
        .bind(viewer)
        .bind(target_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
