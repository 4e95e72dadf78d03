//! The public replies to a status, for its ActivityPub `replies` collection and the first page
//! of it each note embeds.

use crate::arrays::{List, in_list};
use crate::connect::{Db, on_reader};
use crate::error::Result;

/// Whose replies to a status: its author's own, or everyone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepliesBy {
    Author,
    Others,
}

impl Db {
    /// Public and unlisted replies to `status_id`, oldest first, after `min_id`: those by
    /// `author_id` (the status's author: a thread's continuation), or those by anyone else.
    pub async fn public_replies(
        &self,
        status_id: i64,
        author_id: i64,
        by: RepliesBy,
        min_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let author = match by {
            RepliesBy::Author => "s.account_id = $2",
            RepliesBy::Others => "s.account_id <> $2",
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

impl Db {
    /// The first `limit` public and unlisted replies of each of `status_ids` by that status's
    /// own author (a thread's continuation), oldest first: `(replied-to id, id, uri)`, for
    /// the first page of replies each note embeds. One query for a whole page of notes.
    pub async fn first_self_replies(
        &self,
        status_ids: &[i64],
        limit: i64,
    ) -> Result<Vec<(i64, i64, String)>> {
        if status_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT parent_id, id, uri FROM ( \
               SELECT s.in_reply_to_id AS parent_id, s.id, s.uri, \
                 ROW_NUMBER() OVER (PARTITION BY s.in_reply_to_id ORDER BY s.id) AS position \
               FROM status s JOIN status p ON p.id = s.in_reply_to_id \
               WHERE s.in_reply_to_id {} AND s.account_id = p.account_id \
                 AND s.visibility IN ('public', 'unlisted') \
             ) replies WHERE position <= $2 ORDER BY parent_id, id",
            in_list(self.engine(), "$1")
        );
        let rows: Vec<(i64, i64, String)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(List(status_ids))
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }
}
