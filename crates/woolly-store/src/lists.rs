//! Lists and their members. The list timeline itself is a status query and lives with the
//! other timelines in `statuses.rs`; what a list's owner may do is decided in `woolly-core`.

use crate::connect::{Db, Tx, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::Page;

/// One row of `list`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
    pub created_at: i64,
}

const LIST_COLUMNS: &str = "id, account_id, title, replies_policy, exclusive, created_at";

impl Tx {
    pub async fn insert_list(&mut self, row: &ListRow) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO list (id, account_id, title, replies_policy, exclusive, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id)
        .bind(row.account_id)
        .bind(&row.title)
        .bind(&row.replies_policy)
        .bind(row.exclusive)
        .bind(row.created_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Rewrites a list's title and settings (`created_at` is kept); returns false when the
    /// owner (`account_id`) has no such list.
    pub async fn update_list(&mut self, row: &ListRow) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE list SET title = $1, replies_policy = $2, exclusive = $3 \
             WHERE id = $4 AND account_id = $5",
        )
        .bind(&row.title)
        .bind(&row.replies_policy)
        .bind(row.exclusive)
        .bind(row.id)
        .bind(row.account_id)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    /// Deletes a list and its memberships; returns false when the owner has no such list.
    pub async fn delete_list(&mut self, account_id: i64, list_id: i64) -> Result<bool> {
        let deleted = on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM list WHERE id = $1 AND account_id = $2",
        )
        .bind(list_id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(deleted == 1)
    }

    /// How many lists an account owns.
    pub async fn count_lists(&mut self, account_id: i64) -> Result<i64> {
        let (count,): (i64,) = on_tx!(self, conn => sqlx::query_as(
            "SELECT count(*) FROM list WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(conn)
        .await)?;
        Ok(count)
    }

    /// The id of `account_id`'s follow of `target_id`, if it follows.
    pub async fn follow_id(&mut self, account_id: i64, target_id: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT id FROM follow WHERE account_id = $1 AND target_account_id = $2",
        )
        .bind(account_id)
        .bind(target_id)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|(id,)| id))
    }

    /// Adds a member; adding one twice changes nothing.
    pub async fn insert_list_account(
        &mut self,
        list_id: i64,
        account_id: i64,
        follow_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO list_account (list_id, account_id, follow_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (list_id, account_id) DO NOTHING",
        )
        .bind(list_id)
        .bind(account_id)
        .bind(follow_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(())
    }

    pub async fn delete_list_account(&mut self, list_id: i64, account_id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "DELETE FROM list_account WHERE list_id = $1 AND account_id = $2",
        )
        .bind(list_id)
        .bind(account_id)
        .execute(conn)
        .await)?;
        Ok(())
    }
}

impl Db {
    /// An account's lists, oldest first (the order Mastodon lists them in).
    pub async fn lists_of(&self, account_id: i64) -> Result<Vec<ListRow>> {
        let sql = format!("SELECT {LIST_COLUMNS} FROM list WHERE account_id = $1 ORDER BY id");
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ListRow>(&sql)
            .bind(account_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// One of an account's lists; `None` when it does not exist or someone else owns it.
    pub async fn owned_list(&self, account_id: i64, list_id: i64) -> Result<Option<ListRow>> {
        let sql = format!("SELECT {LIST_COLUMNS} FROM list WHERE id = $1 AND account_id = $2");
        let row = on_reader!(self, pool => sqlx::query_as::<_, ListRow>(&sql)
            .bind(list_id)
            .bind(account_id)
            .fetch_optional(pool)
            .await)?;
        Ok(row)
    }

    /// Those of an account's lists that `member_id` is in, oldest first.
    pub async fn lists_containing(&self, account_id: i64, member_id: i64) -> Result<Vec<ListRow>> {
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM list l WHERE l.account_id = $1 AND EXISTS \
             (SELECT 1 FROM list_account la WHERE la.list_id = l.id AND la.account_id = $2) ORDER BY l.id"
        );
        let rows = on_reader!(self, pool => sqlx::query_as::<_, ListRow>(&sql)
            .bind(account_id)
            .bind(member_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// A page of a list's member ids, highest first, paginated on the account ids themselves
    /// (as Mastodon does). `None` is every member at once.
    pub async fn list_account_ids(&self, list_id: i64, page: Option<Page>) -> Result<Vec<i64>> {
        let page = page.unwrap_or(Page {
            limit: i64::MAX,
            ..Page::default()
        });
        let order = if page.min_id.is_some() { "ASC" } else { "DESC" };
        let lower = match (page.since_id, page.min_id) {
            (Some(since), Some(min)) => Some(since.max(min)),
            (since, min) => since.or(min),
        };
        let sql = format!(
            "SELECT account_id FROM list_account WHERE list_id = $1 \
             AND ($2 IS NULL OR account_id < $2) AND ($3 IS NULL OR account_id > $3) \
             ORDER BY account_id {order} LIMIT $4"
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(list_id)
            .bind(page.max_id)
            .bind(lower)
            .bind(page.limit)
            .fetch_all(pool)
            .await)?;
        let mut ids: Vec<i64> = rows.into_iter().map(|(id,)| id).collect();
        if page.min_id.is_some() {
            ids.reverse();
        }
        Ok(ids)
    }
}
