//! Seeding: making the data set a benchmark reads. Accounts come from Woolly's admin command
//! line (bounded parallelism: each one hashes a password); everything else goes through the
//! Mastodon API with many concurrent connections, as many apps would post: follows, then
//! statuses with mentions, hashtags, replies, boosts and images.
//!
//! What is made is decided by seeded random numbers, so two runs with the same sizes make the
//! same kind of data set (replies and boosts pick among whatever was posted before them, which
//! depends on timing, and that does not matter).

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom as _, SliceRandom as _};
use rand::{Rng as _, SeedableRng as _};
use serde::Deserialize;
use serde_json::json;

use crate::admin::Admin;
use crate::content;
use crate::dataset::{
    Account, CELEBRITY, Dataset, FIRST_REGULAR, Manifest, POSTER, POSTER_FOLLOWERS, SeedingFigures,
    VIEWER,
};
use crate::http_client::{ApiClient, ApiRequest};

/// Every seeded account's password (only tokens are used, but Woolly wants a password).
const PASSWORD: &str = "correct-horse-battery-staple";
/// Where every random choice of seeding starts, so that data sets of one size are alike.
const SEED: u64 = 0x5eed_0f50_0001;
/// Shares of the statuses that are boosts and replies; the rest are new posts.
const BOOST_SHARE: f64 = 0.08;
const REPLY_SHARE: f64 = 0.15;
/// Shares of the non-boosts that mention someone, carry hashtags, an image, or are unlisted.
const MENTION_SHARE: f64 = 0.2;
const HASHTAG_SHARE: f64 = 0.3;
const MEDIA_SHARE: f64 = 0.02;
const UNLISTED_SHARE: f64 = 0.05;
/// Replies answer one of the most recent posts, as conversations happen while posts are new.
const RECENT_FOR_REPLIES: usize = 2_000;
/// With a job queue to watch, statuses are posted in chunks of this many, each once the
/// fan-out of the ones before has nearly caught up (see [`seed_through_api`]).
const STATUSES_PER_CHUNK: usize = 2_000;
const PENDING_JOBS_BETWEEN_CHUNKS: i64 = 200;
/// How long the fan-out of one chunk may take to catch up.
const CHUNK_JOBS_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// How many status ids the manifest keeps for `GET /api/v1/statuses/:id`.
const STATUS_IDS_KEPT: usize = 2_000;

/// The username of the account at `index`: roles first, then numbered users.
pub fn username(index: usize) -> String {
    match index {
        VIEWER => "viewer".to_owned(),
        CELEBRITY => "celebrity".to_owned(),
        POSTER => "poster".to_owned(),
        _ => format!("user{index:04}"),
    }
}

/// Creates `count` accounts and a token for each with `woolly admin`, `parallelism` processes
/// at a time. Returns the tokens in role order.
pub async fn create_accounts(
    admin: &Admin,
    count: usize,
    parallelism: usize,
) -> anyhow::Result<Vec<String>> {
    let mut progress = Progress::new("accounts", count);
    let mut created: Vec<(usize, String)> = stream::iter(0..count)
        .map(|index| async move {
            let name = username(index);
            admin.create_account(&name, PASSWORD).await?;
            let token = admin.issue_token(&name).await?;
            anyhow::Ok((index, token))
        })
        .buffer_unordered(parallelism.max(1))
        .inspect_ok(|_| progress.advance())
        .try_collect()
        .await?;
    progress.finish();
    created.sort_by_key(|(index, _)| *index);
    Ok(created.into_iter().map(|(_, token)| token).collect())
}

#[derive(Deserialize)]
struct CredentialAccount {
    id: String,
    username: String,
}

/// Asks the server whose each token is, so seeding treats accounts it created and accounts it
/// was given (`--tokens`) alike.
pub async fn identify_accounts(
    client: &ApiClient,
    tokens: Vec<String>,
    connections: usize,
) -> anyhow::Result<Vec<Account>> {
    stream::iter(tokens)
        .map(|token| async move {
            let request =
                ApiRequest::get("/api/v1/accounts/verify_credentials").with_token(&token)?;
            let account: CredentialAccount = client.call(&request).await?.json()?;
            anyhow::Ok(Account {
                username: account.username,
                id: account.id,
                token,
            })
        })
        .buffered(connections.max(1))
        .try_collect()
        .await
}

/// Who follows whom: the pairs to create, and the sets the measurements rely on.
struct FollowPlan {
    pairs: Vec<(usize, usize)>,
    viewer_followed: Vec<usize>,
    celebrity_followers: Vec<usize>,
    poster_followers: Vec<usize>,
}

fn plan_follows(dataset: &Dataset, accounts: usize) -> FollowPlan {
    let mut rng = StdRng::seed_from_u64(SEED);
    let regular: Vec<usize> = (FIRST_REGULAR..accounts).collect();
    let mut pairs = BTreeSet::new();

    let viewer_followed: Vec<usize> = regular
        .choose_multiple(&mut rng, dataset.viewer_follows)
        .copied()
        .collect();
    pairs.extend(viewer_followed.iter().map(|&followed| (VIEWER, followed)));

    // The first regular accounts follow the celebrity and the poster: the poster's followers
    // must number exactly POSTER_FOLLOWERS, so nobody else follows it.
    let celebrity_followers: Vec<usize> = regular
        .iter()
        .copied()
        .take(dataset.fanout_followers)
        .collect();
    pairs.extend(
        celebrity_followers
            .iter()
            .map(|&follower| (follower, CELEBRITY)),
    );
    let poster_followers: Vec<usize> = regular.iter().copied().take(POSTER_FOLLOWERS).collect();
    pairs.extend(poster_followers.iter().map(|&follower| (follower, POSTER)));

    for &follower in &regular {
        let others: Vec<usize> = regular
            .iter()
            .copied()
            .filter(|&other| other != follower)
            .collect();
        pairs.extend(
            others
                .choose_multiple(&mut rng, dataset.follows)
                .map(|&followed| (follower, followed)),
        );
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    // Spread each account's follows over time, as real sign-ups do, instead of in bursts.
    pairs.shuffle(&mut rng);
    FollowPlan {
        pairs,
        viewer_followed,
        celebrity_followers,
        poster_followers,
    }
}

/// What one seeded status was.
enum Posted {
    Original { has_media: bool },
    Boost,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

/// Seeds follows and statuses through the API among `accounts`, `connections` requests at a
/// time, and describes the result.
///
/// With `job_queue` (a Woolly the harness runs), posting pauses after each chunk until the
/// fan-out jobs have nearly caught up: a real instance's posts arrive over months, not minutes,
/// so a backlog of 100,000 jobs is not the state to measure, and a server's job queue may slow
/// down as it grows.
pub async fn seed_through_api(
    client: &ApiClient,
    accounts: Vec<Account>,
    dataset: Dataset,
    connections: usize,
    job_queue: Option<&Admin>,
) -> anyhow::Result<Manifest> {
    let plan = plan_follows(&dataset, accounts.len());
    let mut seeding = SeedingFigures::default();

    let started_at = Instant::now();
    let mut progress = Progress::new("follows", plan.pairs.len());
    stream::iter(&plan.pairs)
        .map(|&(follower, followed)| {
            let accounts = &accounts;
            async move {
                let request =
                    ApiRequest::post(format!("/api/v1/accounts/{}/follow", accounts[followed].id))
                        .with_token(&accounts[follower].token)?;
                client.call(&request).await?;
                anyhow::Ok(())
            }
        })
        .buffer_unordered(connections.max(1))
        .inspect_ok(|()| progress.advance())
        .try_collect::<()>()
        .await?;
    progress.finish();
    seeding.follows = plan.pairs.len();
    seeding.follows_seconds = started_at.elapsed().as_secs_f64();

    let started_at = Instant::now();
    let originals = Mutex::new(Vec::<(String, usize)>::new());
    let mut progress = Progress::new("statuses", dataset.statuses);
    let mut media = 0;
    let chunk = if job_queue.is_some() {
        STATUSES_PER_CHUNK
    } else {
        dataset.statuses.max(1)
    };
    for first in (0..dataset.statuses).step_by(chunk) {
        let last = (first + chunk).min(dataset.statuses);
        let mut posted = stream::iter(first..last)
            .map(|index| post_status(client, &accounts, &originals, index))
            .buffer_unordered(connections.max(1));
        while let Some(result) = posted.next().await {
            if let Posted::Original { has_media: true } = result? {
                media += 1;
            }
            progress.advance();
        }
        if let Some(admin) = job_queue {
            admin
                .wait_until_pending_at_most(PENDING_JOBS_BETWEEN_CHUNKS, CHUNK_JOBS_TIMEOUT)
                .await?;
        }
    }
    progress.finish();
    seeding.statuses = dataset.statuses;
    seeding.statuses_seconds = started_at.elapsed().as_secs_f64();
    seeding.media = media;

    let mut status_ids: Vec<String> = originals
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    status_ids.shuffle(&mut StdRng::seed_from_u64(SEED));
    status_ids.truncate(STATUS_IDS_KEPT);

    Ok(Manifest {
        dataset,
        accounts,
        viewer_followed: plan.viewer_followed,
        celebrity_followers: plan.celebrity_followers,
        poster_followers: plan.poster_followers,
        status_ids,
        seeding,
    })
}

/// Posts status number `index`: a boost, a reply or a new post, by a random author.
async fn post_status(
    client: &ApiClient,
    accounts: &[Account],
    originals: &Mutex<Vec<(String, usize)>>,
    index: usize,
) -> anyhow::Result<Posted> {
    let mut rng = StdRng::seed_from_u64(SEED ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let author_index = rng.random_range(0..accounts.len());
    let author = &accounts[author_index];
    let roll: f64 = rng.random();
    let pick = |recent_only: bool, rng: &mut StdRng| {
        let originals = originals
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let from = if recent_only {
            originals.len().saturating_sub(RECENT_FOR_REPLIES)
        } else {
            0
        };
        originals[from..].choose(rng).cloned()
    };

    if roll < BOOST_SHARE
        && let Some((id, _)) = pick(false, &mut rng)
    {
        let request =
            ApiRequest::post(format!("/api/v1/statuses/{id}/reblog")).with_token(&author.token)?;
        client.call(&request).await?;
        return Ok(Posted::Boost);
    }

    let mut text = String::new();
    let mut in_reply_to_id = None;
    if roll < BOOST_SHARE + REPLY_SHARE
        && let Some((id, replied_author)) = pick(true, &mut rng)
    {
        // Apps start a reply with the replied-to author's handle, as Mastodon's composer does.
        text.push_str(&format!("@{} ", accounts[replied_author].username));
        in_reply_to_id = Some(id);
    }
    if rng.random_bool(MENTION_SHARE) {
        let mentioned = &accounts[rng.random_range(0..accounts.len())];
        text.push_str(&format!("@{} ", mentioned.username));
    }
    text.push_str(&content::sentence(&mut rng));
    if rng.random_bool(HASHTAG_SHARE) {
        text.push(' ');
        text.push_str(&content::hashtags(&mut rng));
    }
    let mut media_ids = Vec::new();
    if rng.random_bool(MEDIA_SHARE) {
        let upload = content::image_upload()?.with_token(&author.token)?;
        let media: Created = client.call(&upload).await?.json()?;
        media_ids.push(media.id);
    }
    let visibility = if rng.random_bool(UNLISTED_SHARE) {
        "unlisted"
    } else {
        "public"
    };
    let mut body = json!({
        "status": text,
        "visibility": visibility,
        "language": "en",
        "media_ids": media_ids,
    });
    if let Some(id) = in_reply_to_id {
        body["in_reply_to_id"] = json!(id);
    }
    let request = ApiRequest::post_json("/api/v1/statuses", &body).with_token(&author.token)?;
    let status: Created = client
        .call(&request)
        .await?
        .json()
        .context("posting a status")?;
    originals
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push((status.id, author_index));
    Ok(Posted::Original {
        has_media: !media_ids.is_empty(),
    })
}

/// Ids of statuses `viewer` can read, from the public timeline (newest first, up to
/// [`STATUS_IDS_KEPT`]), for a server whose statuses the harness did not post.
pub async fn collect_status_ids(
    client: &ApiClient,
    viewer: &Account,
) -> anyhow::Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    while ids.len() < STATUS_IDS_KEPT {
        let path = match ids.last() {
            Some(oldest) => format!("/api/v1/timelines/public?limit=40&max_id={oldest}"),
            None => "/api/v1/timelines/public?limit=40".to_owned(),
        };
        let request = ApiRequest::get(path).with_token(&viewer.token)?;
        let page: Vec<Created> = client.call(&request).await?.json()?;
        if page.is_empty() {
            break;
        }
        ids.extend(page.into_iter().map(|status| status.id));
    }
    Ok(ids)
}

/// A progress line on standard error every few seconds, so a seeding of minutes is not silent.
struct Progress {
    label: &'static str,
    total: usize,
    done: usize,
    started_at: Instant,
    reported_at: Instant,
}

impl Progress {
    fn new(label: &'static str, total: usize) -> Progress {
        Progress {
            label,
            total,
            done: 0,
            started_at: Instant::now(),
            reported_at: Instant::now(),
        }
    }

    fn advance(&mut self) {
        self.done += 1;
        if self.reported_at.elapsed() >= Duration::from_secs(5) {
            self.report();
            self.reported_at = Instant::now();
        }
    }

    fn finish(&self) {
        self.report();
    }

    fn report(&self) {
        let seconds = self.started_at.elapsed().as_secs_f64();
        eprintln!(
            "  {}: {}/{} in {seconds:.1} s ({:.0}/s)",
            self.label,
            self.done,
            self.total,
            self.done as f64 / seconds.max(0.001)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_poster_has_exactly_its_followers_and_nobody_follows_twice() {
        let dataset = Dataset::SMOKE;
        let plan = plan_follows(&dataset, dataset.accounts);
        let poster_followers = plan
            .pairs
            .iter()
            .filter(|(_, followed)| *followed == POSTER)
            .count();
        assert_eq!(poster_followers, POSTER_FOLLOWERS);
        let celebrity_followers = plan
            .pairs
            .iter()
            .filter(|(_, followed)| *followed == CELEBRITY)
            .count();
        assert_eq!(celebrity_followers, dataset.fanout_followers);
        assert_eq!(plan.viewer_followed.len(), dataset.viewer_follows);
        assert!(
            plan.pairs
                .iter()
                .all(|(follower, followed)| follower != followed)
        );
        let distinct: BTreeSet<_> = plan.pairs.iter().collect();
        assert_eq!(distinct.len(), plan.pairs.len());
    }
}
