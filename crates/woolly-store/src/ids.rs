//! Time-ordered 64-bit ids, unique across every process that shares one database.
//!
//! The layout follows Mastodon's snowflakes (`lib/mastodon/snowflake.rb`): Unix milliseconds in
//! the high 48 bits, 16 low bits that make ids minted in the same millisecond distinct. Woolly
//! splits those 16 bits into an 8-bit *node* and an 8-bit sequence. Each process leases a node
//! from the `id_node` table, so two processes never mint the same id; 256 ids per millisecond
//! per process is far above what one process writes, and past it the generator borrows the next
//! millisecond rather than repeat itself.
//!
//! A released or expired lease leaves `lease_until` at or after the last millisecond its holder
//! used, and the next holder starts after it: a node never goes back in time.
//!
//! The low bits are not left guessable (Mastodon seeds its sequence with a hash of a secret and
//! the time for the same reason): for each millisecond, a keyed hash of it (HMAC-SHA-256 under
//! a salt kept in the database, the same for every process) gives a mask for the node byte and
//! a start for the sequence (0 to 127). Masking a byte is a bijection, so processes stay apart;
//! within a millisecond the sequence only grows, so ids still only grow within a process.

use std::sync::Mutex;

use aws_lc_rs::hmac;

use crate::connect::{Pools, on_writer};
use crate::error::{Result, StoreError};
use crate::now_millis;

/// How long a node lease lasts before another process may take the node over. Long-running
/// processes renew it well before that (see [`crate::Db::renew_id_lease`]).
const LEASE_MILLIS: i64 = 60 * 60 * 1000;
const SEQUENCE_BITS: u32 = 8;
const NODE_BITS: u32 = 8;

struct State {
    node: i64,
    last_millis: i64,
    sequence: i64,
    /// The node mask of `last_millis`.
    node_mask: i64,
}

/// Mints ids for one process. See the module documentation for the layout.
pub struct IdGenerator {
    holder: String,
    state: Mutex<State>,
    salt: hmac::Key,
}

/// The salt of the low bits' hash, created by the first process on a database.
const SALT_NAME: &str = "id_low_bits_salt";

impl IdGenerator {
    pub(crate) async fn claim(pools: &Pools, holder: &str) -> Result<IdGenerator> {
        let salt = load_salt(pools).await?;
        let (node, floor) = claim_node(pools, holder).await?;
        Ok(IdGenerator {
            holder: holder.to_owned(),
            state: Mutex::new(State {
                node,
                last_millis: floor,
                // Past the last sequence number: the first id starts a fresh millisecond.
                sequence: 1 << SEQUENCE_BITS,
                node_mask: 0,
            }),
            salt: hmac::Key::new(hmac::HMAC_SHA256, &salt),
        })
    }

    /// The node mask and the sequence start of millisecond `millis`.
    fn masks(&self, millis: i64) -> (i64, i64) {
        let tag = hmac::sign(&self.salt, &millis.to_be_bytes());
        let bytes = tag.as_ref();
        (i64::from(bytes[0]), i64::from(bytes[1] & 0x7f))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is two integers updated together; a panic elsewhere cannot leave it torn.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The next id. Never repeats and never decreases within this process.
    pub fn next_id(&self) -> i64 {
        let mut state = self.lock();
        let now = now_millis();
        let millis = if now > state.last_millis {
            Some(now)
        } else if (state.sequence + 1) >> SEQUENCE_BITS != 0 {
            Some(state.last_millis + 1)
        } else {
            state.sequence += 1;
            None
        };
        if let Some(millis) = millis {
            let (node_mask, start) = self.masks(millis);
            state.last_millis = millis;
            state.node_mask = node_mask;
            state.sequence = start;
        }
        (state.last_millis << (SEQUENCE_BITS + NODE_BITS))
            | ((state.node ^ state.node_mask) << SEQUENCE_BITS)
            | state.sequence
    }

    fn snapshot(&self) -> (i64, i64) {
        let state = self.lock();
        (state.node, state.last_millis)
    }

    pub(crate) async fn renew(&self, pools: &Pools) -> Result<()> {
        let (node, _) = self.snapshot();
        let until = now_millis() + LEASE_MILLIS;
        let renewed = on_writer!(rows_affected, pools, pool => sqlx::query(
            "UPDATE id_node SET lease_until = $1 WHERE node = $2 AND holder = $3",
        )
        .bind(until)
        .bind(node)
        .bind(&self.holder)
        .execute(pool)
        .await)?;
        if renewed == 0 {
            // The lease lapsed (the process was suspended for an hour) and another process may
            // now hold the node: move to a fresh node rather than risk minting its ids.
            tracing::warn!(node, "id-generator lease lost; claiming a new node");
            let (new_node, floor) = claim_node(pools, &self.holder).await?;
            let mut state = self.lock();
            state.node = new_node;
            state.last_millis = state.last_millis.max(floor);
            // A fresh millisecond for the new node.
            state.sequence = 1 << SEQUENCE_BITS;
        }
        Ok(())
    }

    pub(crate) async fn release(&self, pools: &Pools) -> Result<()> {
        let (node, last_millis) = self.snapshot();
        on_writer!(rows_affected, pools, pool => sqlx::query(
            "UPDATE id_node SET holder = NULL, lease_until = $1 WHERE node = $2 AND holder = $3",
        )
        .bind(last_millis + 1)
        .bind(node)
        .bind(&self.holder)
        .execute(pool)
        .await)?;
        Ok(())
    }
}

/// The salt of the low bits' hash: stored by the first process, read by every other.
async fn load_salt(pools: &Pools) -> Result<Vec<u8>> {
    let fresh: [u8; 32] = rand::random();
    let fresh: String = fresh.iter().map(|byte| format!("{byte:02x}")).collect();
    on_writer!(rows_affected, pools, pool => sqlx::query(
        "INSERT INTO instance_secret (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(SALT_NAME)
    .bind(&fresh)
    .bind(now_millis())
    .execute(pool)
    .await)?;
    let (value,): (String,) = on_writer!(pools, pool => sqlx::query_as(
        "SELECT value FROM instance_secret WHERE name = $1",
    )
    .bind(SALT_NAME)
    .fetch_one(pool)
    .await)?;
    Ok(value.into_bytes())
}

/// Takes over the least recently used free node with a compare-and-set on `lease_until`, which
/// works the same on both engines and cannot hand one node to two racing processes.
/// Returns the node and the millisecond after which its ids are free.
async fn claim_node(pools: &Pools, holder: &str) -> Result<(i64, i64)> {
    for _ in 0..16 {
        let now = now_millis();
        let candidates: Vec<(i64, i64)> = on_writer!(pools, pool => sqlx::query_as(
            "SELECT node, lease_until FROM id_node WHERE lease_until < $1 \
             ORDER BY lease_until, node LIMIT 8",
        )
        .bind(now)
        .fetch_all(pool)
        .await)?;
        if candidates.is_empty() {
            return Err(StoreError::NoIdNode);
        }
        for (node, previous_lease) in candidates {
            let claimed = on_writer!(rows_affected, pools, pool => sqlx::query(
                "UPDATE id_node SET holder = $1, lease_until = $2 \
                 WHERE node = $3 AND lease_until = $4",
            )
            .bind(holder)
            .bind(now + LEASE_MILLIS)
            .bind(node)
            .bind(previous_lease)
            .execute(pool)
            .await)?;
            if claimed == 1 && node >> NODE_BITS == 0 {
                return Ok((node, previous_lease));
            }
        }
    }
    Err(StoreError::NoIdNode)
}

#[cfg(test)]
mod tests {
    use crate::Db;
    use crate::connect::on_writer;

    #[tokio::test]
    async fn a_process_taking_over_a_released_node_continues_after_its_last_id() {
        let path =
            std::env::temp_dir().join(format!("woolly-ids-{}.sqlite3", rand::random::<u64>()));
        let first = Db::connect_sqlite_file(&path, "first").await.unwrap();
        // Mint fast enough to borrow future milliseconds, then hand the node back.
        let mut last = 0;
        for _ in 0..50_000 {
            last = first.next_id();
        }
        first.close().await;
        // Make every other node busy, so that the next process must take the released one.
        let second = Db::connect_sqlite_file(&path, "blocker").await.unwrap();
        let (node,): (i64,) = on_writer!(second, pool => sqlx::query_as(
            "SELECT node FROM id_node WHERE holder IS NULL ORDER BY lease_until DESC LIMIT 1",
        )
        .fetch_one(pool)
        .await)
        .unwrap();
        on_writer!(rows_affected, second, pool => sqlx::query(
            "UPDATE id_node SET lease_until = $1 WHERE node <> $2",
        )
        .bind(i64::MAX)
        .bind(node)
        .execute(pool)
        .await)
        .unwrap();
        // The released lease ends after the last (possibly borrowed) millisecond: wait for it.
        let free_at = (last >> 16) + 1;
        let wait = u64::try_from(free_at - crate::now_millis() + 5).unwrap_or(0);
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        let third = Db::connect_sqlite_file(&path, "third").await.unwrap();
        let next = third.next_id();
        let (held,): (i64,) = on_writer!(third, pool => sqlx::query_as(
            "SELECT node FROM id_node WHERE holder = 'third'",
        )
        .fetch_one(pool)
        .await)
        .unwrap();
        assert_eq!(held, node, "took over the released node");
        assert!(next > last, "{next} must follow {last}");
        third.close().await;
        second.close().await;
        let _ = std::fs::remove_file(&path);
    }
}
