//! Follow suggestions: what jobs compute (friends of friends of each member who asks, the
//! server's most followed and most interacted-with accounts) and the one query that reads them
//! with everything that must leave an account out, as it stands when read.

use crate::accounts::shown;
use crate::arrays::{List, in_list};
use crate::connect::{Db, on_reader, on_tx, on_writer};
use crate::error::Result;

/// How many friends of friends are kept for a member: the most followed among their friends.
const FRIEND_SUGGESTIONS_KEPT: i64 = 200;
/// Mastodon's floor for the global sources: five follows, or five favourites and boosts.
const GLOBAL_FLOOR: i64 = 5;

/// One suggested account with what each source says of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SuggestionRow {
    pub account_id: i64,
    /// How many of the member's friends follow it (0: not a friend of friends).
    pub friends: i64,
    /// Recent follows by members of this server (0 below the floor).
    pub follows: i64,
    /// Recent favourites and boosts of its posts (0 below the floor).
    pub interactions: i64,
    pub followers_count: i64,
}

impl Db {
    /// Marks `name` refreshed at `now` when it was last refreshed before `stale_before` (or
    /// never); returns whether this caller did, and so should refresh it.
    pub async fn claim_discovery_refresh(
        &self,
        name: &str,
        now: i64,
        stale_before: i64,
    ) -> Result<bool> {
        let claimed = on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO discovery_refresh (name, refreshed_at) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET refreshed_at = excluded.refreshed_at \
             WHERE discovery_refresh.refreshed_at < $3",
        )
        .bind(name)
        .bind(now)
        .bind(stale_before)
        .execute(pool)
        .await)?;
        Ok(claimed == 1)
    }

    /// When `name` was last refreshed, if ever.
    pub async fn discovery_refreshed_at(&self, name: &str) -> Result<Option<i64>> {
        Ok(on_reader!(self, pool => sqlx::query_scalar(
            "SELECT refreshed_at FROM discovery_refresh WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(pool)
        .await)?)
    }

    /// Recomputes `account_id`'s friends of friends: the accounts its follows follow, by how
    /// many of them do, without those it follows already.
    pub async fn refresh_friend_suggestions(&self, account_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(rows_affected, tx, conn => sqlx::query(
            "DELETE FROM friend_suggestion WHERE account_id = $1",
        )
        .bind(account_id)
        .execute(&mut *conn)
        .await)?;
        on_tx!(rows_affected, tx, conn => sqlx::query(
            "INSERT INTO friend_suggestion (account_id, target_account_id, friends) \
             SELECT $1, second.target_account_id, COUNT(*) \
             FROM follow first JOIN follow second ON second.account_id = first.target_account_id \
             WHERE first.account_id = $1 AND second.target_account_id <> $1 \
               AND NOT EXISTS (SELECT 1 FROM follow mine WHERE mine.account_id = $1 \
                                 AND mine.target_account_id = second.target_account_id) \
             GROUP BY second.target_account_id \
             ORDER BY COUNT(*) DESC, second.target_account_id \
             LIMIT $2",
        )
        .bind(account_id)
        .bind(FRIEND_SUGGESTIONS_KEPT)
        .execute(&mut *conn)
        .await)?;
        tx.commit().await
    }

    /// Recomputes the server's most followed accounts (follows made by its members since
    /// `since`) and most interacted with (favourites and boosts of their posts since `since`).
    pub async fn refresh_global_suggestions(&self, since: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(rows_affected, tx, conn => sqlx::query("DELETE FROM global_suggestion")
            .execute(&mut *conn)
            .await)?;
        on_tx!(rows_affected, tx, conn => sqlx::query(
            "INSERT INTO global_suggestion (account_id, follows, interactions) \
             SELECT account_id, SUM(follows), SUM(interactions) FROM ( \
               SELECT f.target_account_id AS account_id, COUNT(*) AS follows, 0 AS interactions \
               FROM follow f JOIN local_user u ON u.account_id = f.account_id \
               WHERE f.created_at >= $1 GROUP BY f.target_account_id HAVING COUNT(*) >= $2 \
               UNION ALL \
               SELECT s.account_id, 0, SUM(s.favourites_count + s.reblogs_count) \
               FROM status s WHERE s.created_at >= $1 AND s.reblog_of_id IS NULL \
               GROUP BY s.account_id HAVING SUM(s.favourites_count + s.reblogs_count) >= $2 \
             ) counted GROUP BY account_id",
        )
        .bind(since)
        .bind(GLOBAL_FLOOR)
        .execute(&mut *conn)
        .await)?;
        tx.commit().await
    }

    /// The accounts to suggest to `viewer`: its friends of friends, the server's most followed
    /// and interacted with, and `recommended` (the operator's), each once, with what each source
    /// says. Left out: the viewer, accounts it follows or asked to follow, blocks either way, its
    /// mutes, servers it blocks, dismissed suggestions, and accounts that are not discoverable,
    /// suspended, silenced, moved or waiting for approval.
    pub async fn suggestions(
        &self,
        viewer: i64,
        recommended: &[i64],
    ) -> Result<Vec<SuggestionRow>> {
        let sql = format!(
            "SELECT a.id AS account_id, \
                    COALESCE(MAX(c.friends), 0) AS friends, COALESCE(MAX(c.follows), 0) AS follows, \
                    COALESCE(MAX(c.interactions), 0) AS interactions, a.followers_count \
             FROM ( \
               SELECT target_account_id AS id, friends, 0 AS follows, 0 AS interactions \
               FROM friend_suggestion WHERE account_id = $1 \
               UNION ALL SELECT account_id, 0, follows, interactions FROM global_suggestion \
               UNION ALL SELECT a.id, 0, 0, 0 FROM account a WHERE a.id {listed} \
             ) c JOIN account a ON a.id = c.id \
             WHERE a.id <> $1 AND a.discoverable AND {shown} AND a.silenced_at IS NULL \
               AND a.moved_to_account_id IS NULL \
               AND NOT EXISTS (SELECT 1 FROM local_user u WHERE u.account_id = a.id AND NOT u.approved) \
               AND NOT EXISTS (SELECT 1 FROM follow f WHERE f.account_id = $1 AND f.target_account_id = a.id) \
               AND NOT EXISTS (SELECT 1 FROM follow_request r WHERE r.account_id = $1 AND r.target_account_id = a.id) \
               AND NOT EXISTS (SELECT 1 FROM block b WHERE (b.account_id = $1 AND b.target_account_id = a.id) \
                                                      OR (b.account_id = a.id AND b.target_account_id = $1)) \
               AND NOT EXISTS (SELECT 1 FROM mute m WHERE m.account_id = $1 AND m.target_account_id = a.id \
                                 AND (m.expires_at IS NULL OR m.expires_at > $3)) \
               AND NOT EXISTS (SELECT 1 FROM account_domain_block d WHERE d.account_id = $1 \
                                 AND d.domain = lower(a.domain)) \
               AND NOT EXISTS (SELECT 1 FROM suggestion_dismissal x WHERE x.account_id = $1 \
                                 AND x.target_account_id = a.id) \
             GROUP BY a.id, a.followers_count",
            shown = shown("a"),
            listed = in_list(self.engine(), "$2"),
        );
        Ok(
            on_reader!(self, pool => sqlx::query_as::<_, SuggestionRow>(&sql)
            .bind(viewer)
            .bind(List(recommended))
            .bind(crate::now_millis())
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Never suggests `target` to `account_id` again; false when `target` is no account.
    pub async fn dismiss_suggestion(&self, account_id: i64, target: i64, now: i64) -> Result<bool> {
        let inserted = on_writer!(rows_affected, self, pool => sqlx::query(
            "INSERT INTO suggestion_dismissal (account_id, target_account_id, created_at) \
             SELECT $1, id, $3 FROM account WHERE id = $2 \
             ON CONFLICT (account_id, target_account_id) DO NOTHING",
        )
        .bind(account_id)
        .bind(target)
        .bind(now)
        .execute(pool)
        .await)?;
        Ok(inserted == 1)
    }
}
