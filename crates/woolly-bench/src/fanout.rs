//! Fan-out latency: how long after a post is accepted it appears in every follower's home
//! timeline, seen as followers see it (polling `GET /api/v1/timelines/home`).
//!
//! Polling costs the server too, so a few connections take turns over the followers and stop
//! asking a follower once it has seen the post. The figure is therefore an upper bound, finer
//! than one sweep over the remaining followers.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::dataset::Account;
use crate::http_client::{ApiRequest, Connection, Target};

/// How long followers may take to see a post before the measurement fails.
const TIMEOUT: Duration = Duration::from_secs(60);

/// One post and its arrival.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FanoutRound {
    /// Until the post was accepted (`POST /api/v1/statuses` answered).
    pub post_ms: f64,
    /// Until the first follower saw it.
    pub first_ms: f64,
    /// Until the last follower saw it.
    pub all_ms: f64,
    /// Home timelines read meanwhile.
    pub polls: usize,
}

#[derive(Deserialize)]
struct Entry {
    id: String,
}

/// Posts once as `author` and waits until each of `followers` sees the post, polling with
/// `pollers` connections.
pub async fn measure_round(
    target: &Target,
    author: &Account,
    followers: &[Account],
    pollers: usize,
    round: usize,
) -> anyhow::Result<FanoutRound> {
    let mut connection = Connection::open(target).await?;
    let body = json!({
        "status": format!("Fan-out check {round}: hello to all my followers"),
        "visibility": "public",
    });
    let post = ApiRequest::post_json("/api/v1/statuses", &body).with_token(&author.token)?;
    let posted_at = Instant::now();
    let response = connection.send(&post).await?.success(&post)?;
    let post_ms = millis(posted_at.elapsed());
    let id = response.json::<Entry>().context("the post's answer")?.id;

    let groups = pollers.clamp(1, followers.len().max(1));
    let mut tasks = Vec::with_capacity(groups);
    for group in 0..groups {
        let members: Vec<Account> = followers
            .iter()
            .skip(group)
            .step_by(groups)
            .cloned()
            .collect();
        tasks.push(tokio::spawn(poll_until_seen(
            target.clone(),
            members,
            id.clone(),
            posted_at,
        )));
    }
    let mut arrivals = Vec::with_capacity(followers.len());
    let mut polls = 0;
    for task in tasks {
        let (seen, made) = task.await??;
        arrivals.extend(seen);
        polls += made;
    }
    Ok(FanoutRound {
        post_ms,
        first_ms: arrivals.iter().copied().fold(f64::INFINITY, f64::min),
        all_ms: arrivals.iter().copied().fold(0.0, f64::max),
        polls,
    })
}

/// Polls each of `followers` in turn until all have `status_id` in their home timeline;
/// returns when each saw it (milliseconds after `posted_at`) and how many polls it took.
async fn poll_until_seen(
    target: Target,
    followers: Vec<Account>,
    status_id: String,
    posted_at: Instant,
) -> anyhow::Result<(Vec<f64>, usize)> {
    let mut connection = Connection::open(&target).await?;
    let mut waiting: Vec<ApiRequest> = followers
        .iter()
        .map(|follower| {
            ApiRequest::get("/api/v1/timelines/home?limit=5").with_token(&follower.token)
        })
        .collect::<anyhow::Result<_>>()?;
    let mut arrivals = Vec::with_capacity(waiting.len());
    let mut polls = 0;
    while !waiting.is_empty() {
        if posted_at.elapsed() > TIMEOUT {
            bail!(
                "{} followers still did not see the post after {TIMEOUT:?}",
                waiting.len()
            );
        }
        let mut still_waiting = Vec::with_capacity(waiting.len());
        for request in waiting {
            let response = connection.send(&request).await?.success(&request)?;
            polls += 1;
            let entries: Vec<Entry> = response.json()?;
            if entries.iter().any(|entry| entry.id == status_id) {
                arrivals.push(millis(posted_at.elapsed()));
            } else {
                still_waiting.push(request);
            }
        }
        waiting = still_waiting;
    }
    Ok((arrivals, polls))
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
