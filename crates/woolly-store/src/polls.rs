//! Poll rows: a status's poll, its options with their tallies, and the votes cast.
//!
//! Tallies are counters moved in the transaction that records the votes, so reading a page of
//! polls never counts votes. Who may vote, and when, is decided in `woolly-core`.

use crate::arrays::in_list;
use crate::connect::{Db, Tx, TxConn, on_reader, on_tx};
use crate::error::Result;

/// One row of `poll`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PollRow {
    pub id: i64,
    pub status_id: i64,
    pub account_id: i64,
    pub multiple: bool,
    pub hide_totals: bool,
    pub votes_count: i64,
    pub voters_count: i64,
    pub expires_at: i64,
    pub closed_at: Option<i64>,
    pub created_at: i64,
}

/// One option of a poll, with whether the reading account chose it.
#[derive(Debug, Clone)]
pub struct PollOptionRow {
    pub position: i64,
    pub title: String,
    pub votes_count: i64,
    /// The viewer the rows were read for voted for this option (false for anonymous reads).
    pub chosen: bool,
}

impl crate::sqlite_reads::ReadRow for PollOptionJoin {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "status_id",
        "account_id",
        "multiple",
        "hide_totals",
        "votes_count",
        "voters_count",
        "expires_at",
        "closed_at",
        "created_at",
        "position",
        "title",
        "option_votes_count",
        "chosen",
    ];

    fn read(columns: &mut crate::sqlite_reads::Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(PollOptionJoin {
            poll: PollRow {
                id: columns.value()?,
                status_id: columns.value()?,
                account_id: columns.value()?,
                multiple: columns.value()?,
                hide_totals: columns.value()?,
                votes_count: columns.value()?,
                voters_count: columns.value()?,
                expires_at: columns.value()?,
                closed_at: columns.value()?,
                created_at: columns.value()?,
            },
            position: columns.value()?,
            title: columns.value()?,
            option_votes_count: columns.value()?,
            chosen: columns.value()?,
        })
    }
}

/// What creating a poll writes.
#[derive(Debug, Clone)]
pub struct NewPoll {
    pub id: i64,
    pub status_id: i64,
    pub account_id: i64,
    pub multiple: bool,
    pub hide_totals: bool,
    pub expires_at: i64,
    pub created_at: i64,
    /// Option titles, in order.
    pub options: Vec<String>,
}

const POLL_COLUMNS: &str = "p.id, p.status_id, p.account_id, p.multiple, p.hide_totals, \
     p.votes_count, p.voters_count, p.expires_at, p.closed_at, p.created_at";

/// A poll column set and one of its options, as the batched read returns them.
#[derive(sqlx::FromRow)]
pub(crate) struct PollOptionJoin {
    #[sqlx(flatten)]
    poll: PollRow,
    position: i64,
    title: String,
    option_votes_count: i64,
    chosen: bool,
}

impl Tx {
    /// Writes a poll and its options.
    pub async fn insert_poll(&mut self, poll: &NewPoll) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO poll (id, status_id, account_id, multiple, hide_totals, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(poll.id)
        .bind(poll.status_id)
        .bind(poll.account_id)
        .bind(poll.multiple)
        .bind(poll.hide_totals)
        .bind(poll.expires_at)
        .bind(poll.created_at)
        .execute(conn)
        .await)?;
        for (position, title) in (0_i64..).zip(&poll.options) {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "INSERT INTO poll_option (poll_id, position, title) VALUES ($1, $2, $3)",
            )
            .bind(poll.id)
            .bind(position)
            .bind(title)
            .execute(conn)
            .await)?;
        }
        Ok(())
    }

    /// A poll read inside the transaction. On PostgreSQL the row stays locked until the
    /// transaction ends, so that two votes of one account cannot both see "not voted yet";
    /// SQLite's single writer already runs write transactions one at a time.
    pub async fn poll_for_update(&mut self, poll_id: i64) -> Result<Option<PollRow>> {
        let row = match &mut self.conn {
            TxConn::Sqlite(transaction) => {
                let sql = format!("SELECT {POLL_COLUMNS} FROM poll p WHERE p.id = $1");
                sqlx::query_as::<_, PollRow>(&sql)
                    .bind(poll_id)
                    .fetch_optional(&mut **transaction)
                    .await?
            }
            TxConn::Postgres(transaction) => {
                let sql = format!("SELECT {POLL_COLUMNS} FROM poll p WHERE p.id = $1 FOR UPDATE");
                sqlx::query_as::<_, PollRow>(&sql)
                    .bind(poll_id)
                    .fetch_optional(&mut **transaction)
                    .await?
            }
        };
        Ok(row)
    }

    /// Whether the account has voted in the poll.
    pub async fn has_voted(&mut self, poll_id: i64, account_id: i64) -> Result<bool> {
        let (voted,): (bool,) = on_tx!(self, conn => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM poll_vote WHERE poll_id = $1 AND account_id = $2)",
        )
        .bind(poll_id)
        .bind(account_id)
        .fetch_one(conn)
        .await)?;
        Ok(voted)
    }

    /// Records one account's vote (one row per chosen option, `choices` distinct and valid)
    /// and moves the tallies: each chosen option, the votes and the voters.
    pub async fn insert_poll_votes(
        &mut self,
        poll_id: i64,
        account_id: i64,
        choices: &[i64],
        now: i64,
    ) -> Result<()> {
        for choice in choices {
            let id = self.next_id();
            on_tx!(rows_affected, self, conn => sqlx::query(
                "INSERT INTO poll_vote (id, poll_id, account_id, choice, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(poll_id)
            .bind(account_id)
            .bind(choice)
            .bind(now)
            .execute(conn)
            .await)?;
            on_tx!(rows_affected, self, conn => sqlx::query(
                "UPDATE poll_option SET votes_count = votes_count + 1 WHERE poll_id = $1 AND position = $2",
            )
            .bind(poll_id)
            .bind(choice)
            .execute(conn)
            .await)?;
        }
        let votes = i64::try_from(choices.len()).unwrap_or(i64::MAX);
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE poll SET votes_count = votes_count + $1, voters_count = voters_count + 1 WHERE id = $2",
        )
        .bind(votes)
        .bind(poll_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Takes one voter off a poll's count (a further choice of a voter already counted).
    pub async fn uncount_poll_voter(&mut self, poll_id: i64) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE poll SET voters_count = CASE WHEN voters_count > 0 THEN voters_count - 1 ELSE 0 END \
             WHERE id = $1",
        )
        .bind(poll_id)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// Sets a remote poll's tallies as its server reports them (options by position).
    pub async fn set_poll_counts(
        &mut self,
        poll_id: i64,
        option_votes: &[i64],
        voters_count: Option<i64>,
        expires_at: i64,
    ) -> Result<()> {
        for (position, votes) in (0_i64..).zip(option_votes) {
            on_tx!(rows_affected, self, conn => sqlx::query(
                "UPDATE poll_option SET votes_count = $3 WHERE poll_id = $1 AND position = $2",
            )
            .bind(poll_id)
            .bind(position)
            .bind(votes)
            .execute(conn)
            .await)?;
        }
        let total: i64 = option_votes.iter().sum();
        on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE poll SET votes_count = $2, voters_count = coalesce($3, voters_count), \
             expires_at = $4 WHERE id = $1",
        )
        .bind(poll_id)
        .bind(total)
        .bind(voters_count)
        .bind(expires_at)
        .execute(conn)
        .await)?;
        Ok(())
    }

    /// The poll of a status, if it has one.
    pub async fn poll_of_status(&mut self, status_id: i64) -> Result<Option<PollRow>> {
        let sql = format!("SELECT {POLL_COLUMNS} FROM poll p WHERE p.status_id = $1");
        let row = on_tx!(self, conn => sqlx::query_as::<_, PollRow>(&sql)
            .bind(status_id)
            .fetch_optional(conn)
            .await)?;
        Ok(row)
    }

    /// Moves a running poll's end to `now`. Returns false when it had ended already.
    pub async fn end_poll_now(&mut self, poll_id: i64, now: i64) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE poll SET expires_at = $2 WHERE id = $1 AND expires_at > $2 AND closed_at IS NULL",
        )
        .bind(poll_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    /// Marks an ended poll closed. Returns false when it was closed already, does not exist,
    /// or has not ended by `now`: only one caller ever closes a poll.
    pub async fn close_poll(&mut self, poll_id: i64, now: i64) -> Result<bool> {
        let updated = on_tx!(rows_affected, self, conn => sqlx::query(
            "UPDATE poll SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL AND expires_at <= $2",
        )
        .bind(poll_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok(updated == 1)
    }

    /// The local accounts that voted in a poll.
    pub async fn local_poll_voters(&mut self, poll_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, conn => sqlx::query_as(
            "SELECT DISTINCT v.account_id FROM poll_vote v JOIN local_user u ON u.account_id = v.account_id \
             WHERE v.poll_id = $1 ORDER BY v.account_id",
        )
        .bind(poll_id)
        .fetch_all(conn)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Tells a poll's author that it ended: a `poll` notification from the author to the
    /// author, as Mastodon writes it. (`insert_notification` refuses notifications to oneself,
    /// which every other kind rightly is.) Returns its id when one was written.
    pub async fn insert_poll_author_notification(
        &mut self,
        author_id: i64,
        status_id: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        let id = self.next_id();
        // An author who muted the poll's thread is not told either (Mastodon's
        // `NotifyService`).
        let sql = format!(
            "INSERT INTO notification (id, account_id, from_account_id, kind, status_id, created_at) \
             SELECT $1, $2, $2, 'poll', $3, $4 WHERE NOT {} ON CONFLICT DO NOTHING",
            crate::thread_mutes::thread_muted("$2", "$3")
        );
        let inserted = on_tx!(rows_affected, self, conn => sqlx::query(&sql)
        .bind(id)
        .bind(author_id)
        .bind(status_id)
        .bind(now)
        .execute(conn)
        .await)?;
        Ok((inserted == 1).then_some(id))
    }
}

impl Db {
    /// The status a poll belongs to.
    pub async fn poll_status(&self, poll_id: i64) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_reader!(self, pool => sqlx::query_as(
            "SELECT status_id FROM poll WHERE id = $1",
        )
        .bind(poll_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id,)| id))
    }
}

/// The polls of the statuses in the list bound as `$2`, one row per option in order, each
/// marked with whether the account bound as `$1` chose it.
pub(crate) fn polls_sql(lists: crate::arrays::ListSyntax) -> String {
    format!(
        "SELECT {POLL_COLUMNS}, o.position, o.title, o.votes_count AS option_votes_count, \
           EXISTS (SELECT 1 FROM poll_vote v WHERE v.poll_id = p.id AND v.account_id = $1 \
                   AND v.choice = o.position) AS chosen \
         FROM poll p JOIN poll_option o ON o.poll_id = p.id \
         WHERE p.status_id {} ORDER BY p.id, o.position",
        in_list(lists, "$2")
    )
}

/// Rows of [`polls_sql`] grouped into polls with their options.
pub(crate) fn group_poll_options(rows: Vec<PollOptionJoin>) -> Vec<(PollRow, Vec<PollOptionRow>)> {
    let mut polls: Vec<(PollRow, Vec<PollOptionRow>)> = Vec::new();
    for row in rows {
        let option = PollOptionRow {
            position: row.position,
            title: row.title,
            votes_count: row.option_votes_count,
            chosen: row.chosen,
        };
        match polls.last_mut() {
            Some((poll, options)) if poll.id == row.poll.id => options.push(option),
            _ => polls.push((row.poll, vec![option])),
        }
    }
    polls
}
