//! Search without a search engine, as Mastodon does without Elasticsearch: accounts by
//! username and display name, hashtags by name, and statuses the searcher wrote or interacted
//! with (mentioned in, favourited, bookmarked, reblogged), by their text.
//!
//! Patterns are matched with `LIKE` on lower-cased text; `%` and `_` typed by the searcher are
//! escaped.

use crate::accounts::shown;
use crate::connect::{Db, on_reader};
use crate::error::Result;

/// `text` made safe inside a `LIKE` pattern (with `ESCAPE '\'`).
pub(crate) fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// One hashtag's use on one day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TagDayRow {
    pub name: String,
    /// Days since the Unix epoch.
    pub day: i64,
    pub uses: i64,
    pub accounts: i64,
}

impl Db {
    /// Accounts whose username starts with, or display name contains, `query`; `following`
    /// limits them to accounts the viewer follows. Exact usernames first, then the most followed.
    /// The profile directory (`/api/v1/directory`): discoverable accounts, local ones only when
    /// asked, most recently active or newest first, without the viewer's blocks either way.
    /// Local accounts waiting for approval are left out, as in Mastodon.
    pub async fn directory(
        &self,
        viewer: Option<i64>,
        local_only: bool,
        newest: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<i64>> {
        let local = if local_only {
            "AND a.domain IS NULL"
        } else {
            ""
        };
        let order = if newest {
            "a.created_at DESC, a.id DESC"
        } else {
            "CASE WHEN a.last_status_at IS NULL THEN 1 ELSE 0 END, a.last_status_at DESC, a.id DESC"
        };
        let sql = format!(
            "SELECT a.id FROM account a WHERE a.discoverable AND {} AND a.silenced_at IS NULL {local} \
               AND NOT EXISTS (SELECT 1 FROM local_user u WHERE u.account_id = a.id AND NOT u.approved) \
               AND NOT EXISTS (SELECT 1 FROM block b WHERE (b.account_id = $1 AND b.target_account_id = a.id) \
                                                      OR (b.account_id = a.id AND b.target_account_id = $1)) \
             ORDER BY {order} LIMIT $2 OFFSET $3",
            shown("a")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(viewer)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn search_accounts(
        &self,
        query: &str,
        domain: Option<&str>,
        viewer: Option<i64>,
        following: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<i64>> {
        let following = if following {
            "AND EXISTS (SELECT 1 FROM follow f WHERE f.account_id = $2 AND f.target_account_id = a.id)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT a.id FROM account a WHERE {} AND \
               (lower(a.username) LIKE $1 || '%' ESCAPE '\\' OR lower(a.display_name) LIKE '%' || $1 || '%' ESCAPE '\\' \
                OR lower(a.note) LIKE '%' || $1 || '%' ESCAPE '\\') \
               AND ($5 IS NULL OR lower(a.domain) = $5 OR ($5 = '' AND a.domain IS NULL)) {following} \
               AND (a.silenced_at IS NULL OR a.id = $2 OR EXISTS (SELECT 1 FROM follow sf \
                     WHERE sf.account_id = $2 AND sf.target_account_id = a.id)) \
               AND NOT EXISTS (SELECT 1 FROM block b WHERE (b.account_id = $2 AND b.target_account_id = a.id) \
                                                      OR (b.account_id = a.id AND b.target_account_id = $2)) \
             ORDER BY CASE WHEN lower(a.username) = $6 THEN 0 ELSE 1 END, \
                      CASE WHEN a.domain IS NULL THEN 0 ELSE 1 END, a.followers_count DESC, a.id \
             LIMIT $3 OFFSET $4",
            shown("a")
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(like_escape(query))
            .bind(viewer)
            .bind(limit)
            .bind(offset)
            .bind(domain.map(str::to_lowercase))
            .bind(query.to_lowercase())
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Hashtags in use whose name starts with `query`: the exact name first, then the most
    /// used in the last week (post ids start with their time, so the id says how recent), then
    /// the most used ever.
    pub async fn search_tags(&self, query: &str, limit: i64, offset: i64) -> Result<Vec<String>> {
        let week_ago = (crate::now_millis() - 7 * 86_400_000) << 16;
        let rows: Vec<(String, i64, i64)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT name, SUM(CASE WHEN status_id >= $4 THEN 1 ELSE 0 END) AS recent, \
                    count(*) AS uses \
             FROM status_tag WHERE name LIKE $1 || '%' ESCAPE '\\' \
             GROUP BY name \
             ORDER BY CASE WHEN name = $5 THEN 0 ELSE 1 END, recent DESC, uses DESC, name \
             LIMIT $2 OFFSET $3",
        )
        .bind(like_escape(query))
        .bind(limit)
        .bind(offset)
        .bind(week_ago)
        .bind(query.to_lowercase())
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(name, _, _)| name).collect())
    }

    /// Daily uses of hashtags since `since_day` (days since the epoch), for `Tag.history`.
    pub async fn tag_history(&self, names: &[String], since_day: i64) -> Result<Vec<TagDayRow>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = Vec::new();
        for name in names {
            let found = on_reader!(self, pool => sqlx::query_as::<_, TagDayRow>(
                "SELECT t.name, s.created_at / 86400000 AS day, count(*) AS uses, \
                        count(DISTINCT s.account_id) AS accounts \
                 FROM status_tag t JOIN status s ON s.id = t.status_id \
                 WHERE t.name = $1 AND s.created_at >= $2 * 86400000 \
                 GROUP BY t.name, s.created_at / 86400000",
            )
            .bind(name)
            .bind(since_day)
            .fetch_all(pool)
            .await)?;
            rows.extend(found);
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn like_wildcards_typed_by_searchers_are_literal() {
        assert_eq!(like_escape("50%_Off\\"), "50\\%\\_off\\\\");
    }
}
