//! The public replies to a status, for its ActivityPub `replies` collection.

use crate::connect::{Db, on_reader};
use crate::error::Result;

impl Db {
    /// Public and unlisted replies to `status_id`, oldest first, after `min_id`: those by
    /// `author_id` (the status's author: a thread's continuation), or those by anyone else
    /// (`by_others`).
    pub async fn public_replies(
        &self,
        status_id: i64,
        author_id: i64,
        by_others: bool,
        min_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let author = if by_others {
            "s.account_id <> $2"
        } else {
            "s.account_id = $2"
        };
        let sql = format!(
            "SELECT s.id FROM status s WHERE s.in_reply_to_id = $1 AND {author} \
             AND s.visibility IN ('public', 'unlisted') AND ($3 IS NULL OR s.id > $3) \
             ORDER BY s.id ASC LIMIT $4"
        );
        let ids: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(status_id)
            .bind(author_id)
            .bind(min_id)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }
}
