//! Sending activities: the `federation.deliver` jobs that core writes, one per inbox, in the
//! transaction of each local action Mastodon federates (see `woolly_core::outbox`). Each job
//! renders its activity (the same for every inbox: ids derive from when the action happened)
//! and POSTs it, signed by its actor.
//!
//! Deliveries are durable jobs, so a crash or `kill -9` at any moment loses none: a job whose
//! worker died runs again when its lease ends. One request is in flight per domain and a
//! bounded number in all, so a slow server holds only its own deliveries. A domain that keeps
//! failing (on `woolly_core::outbox::UNAVAILABLE_AFTER_DAYS` distinct days, as Mastodon counts) is marked
//! unavailable; its deliveries then wait without connecting until the next retry is due, and
//! each job backs off for about three days before it is given up. `410 Gone` and other client
//! errors end a delivery at once: the peer will never take it. A blocked domain gets nothing.

use std::time::Duration;

use rand::Rng as _;
use reqwest::{Method, Url};
use serde_json::{Value, json};
use woolly_core::accounts::Account;
use woolly_core::jobs::{Job, JobError, JobFuture, JobHandler};
use woolly_core::outbox::{DELIVER_KIND, Delivery, Outbound};
use woolly_core::{CoreError, Woolly};

use crate::remote::{Federation, FederationError, authority};
use crate::render::{self, ActorUrls, with_context};
use crate::vocab::{Document, PUBLIC};

/// The largest answer read from an inbox.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Runs `federation.deliver` jobs.
pub struct DeliverJob {
    pub federation: Federation,
}

impl JobHandler for DeliverJob {
    fn kind(&self) -> &'static str {
        DELIVER_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let delivery: Delivery = job.payload()?;
            deliver(woolly, &self.federation, &delivery).await
        })
    }
}

async fn deliver(
    woolly: &Woolly,
    federation: &Federation,
    delivery: &Delivery,
) -> Result<(), JobError> {
    let url = Url::parse(&delivery.inbox)
        .map_err(|_| JobError::Permanent(format!("not a URL: {}", delivery.inbox)))?;
    let domain = authority(&url)
        .ok_or_else(|| JobError::Permanent(format!("no host in {}", delivery.inbox)))?;
    if woolly.instance().is_domain_blocked(&domain).await? {
        tracing::info!(inbox = %delivery.inbox, "blocked domain: delivery dropped");
        return Ok(());
    }
    let now = woolly_core::now_millis();
    if woolly.delivery_paused(&domain, now).await? {
        // Paused: no connection until the domain has had some hours of rest.
        return Err(JobError::Retry(format!("{domain} is unavailable")));
    }
    let (domain_slot, shared_slots) = federation.delivery_slots(&domain);
    let Ok(_domain_permit) = domain_slot.try_acquire_owned() else {
        // Another delivery to the same domain is in flight: come back shortly, without using
        // an attempt, and leave this worker slot to other domains.
        let jitter = rand::rng().random_range(200..800);
        return Err(JobError::Defer(Duration::from_millis(jitter)));
    };
    let _permit = shared_slots
        .acquire_owned()
        .await
        .map_err(|_| JobError::Retry("delivery slots closed".into()))?;

    let (key_id, private_key, activity) = match &delivery.outbound {
        // The account is gone: its key was kept beside its reserved name.
        Outbound::DeleteActor { username } => {
            let private_key_pem = woolly
                .federation()
                .retired_key(username, now)
                .await?
                .ok_or_else(|| JobError::Permanent(format!("the key of {username} is gone")))?;
            let urls = ActorUrls::of(woolly, username);
            let activity = json!({
                "id": format!("{}#delete", urls.id),
                "type": "Delete",
                "actor": urls.id,
                "to": [PUBLIC],
                "object": urls.id,
            });
            (urls.key_id, private_key_pem, activity)
        }
        // A forwarded report comes from the server, not from the user who reported.
        Outbound::Flag {
            report_id,
            target_id,
            status_ids,
            comment,
        } => {
            let Some(target) = woolly.accounts().account(*target_id).await? else {
                return Ok(());
            };
            let statuses = woolly.federation().status_uris(status_ids).await?;
            let mut objects = vec![woolly.federation().actor_uri(&target)];
            objects.extend(status_ids.iter().filter_map(|id| statuses.get(id).cloned()));
            let actor = woolly.federation().instance_actor_uri();
            let activity = json!({
                "id": format!("{actor}#reports/{report_id}"),
                "type": "Flag",
                "actor": actor,
                "content": comment,
                "object": objects,
            });
            (
                format!("{actor}#main-key"),
                woolly.instance_actor_key().private_key_pem.clone(),
                activity,
            )
        }
        outbound => {
            let Some((signer_id, activity)) =
                render_outbound(woolly, outbound, delivery.at).await?
            else {
                // What it was about is gone (a status deleted since): nothing to say any more.
                return Ok(());
            };
            // A suspended account still signs: the update that tells of its suspension.
            let signer = woolly
                .federation()
                .account_including_suspended(signer_id)
                .await?
                .ok_or_else(|| JobError::Permanent("the signing account is gone".into()))?;
            let private_key = woolly
                .federation()
                .account_private_key(signer.id)
                .await?
                .ok_or_else(|| JobError::Permanent("the signing account has no key".into()))?;
            (
                ActorUrls::of(woolly, &signer.username).key_id,
                private_key,
                activity,
            )
        }
    };
    let activity = serde_json::to_string(&with_context_value(activity))
        .map_err(|error| JobError::Permanent(error.to_string()))?;
    let body = activity.as_bytes();
    let content_type = "application/activity+json";
    let headers = Federation::signed_headers(
        &url,
        "POST",
        Some(body),
        &[("content-type", content_type)],
        &key_id,
        &private_key,
    )
    .map_err(|error| JobError::Permanent(error.to_string()))?;
    let sent = federation
        .client()
        .send(
            Method::POST,
            &delivery.inbox,
            &headers,
            Some(body.to_vec()),
            MAX_RESPONSE_BYTES,
        )
        .await;
    let now = woolly_core::now_millis();
    match sent {
        Ok((_, status, _)) if status.is_success() => {
            woolly.record_delivery_success(&domain, now).await?;
            Ok(())
        }
        Ok((_, status, _)) if status.as_u16() == 410 => {
            tracing::info!(inbox = %delivery.inbox, "inbox gone: delivery dropped");
            Ok(())
        }
        Ok((_, status, body))
            if status.is_client_error() && !matches!(status.as_u16(), 401 | 408 | 429) =>
        {
            // The server answered and will not take it: retrying would not change that.
            Err(JobError::Permanent(format!(
                "{} refused the delivery: {status} {}",
                delivery.inbox,
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )))
        }
        Ok((_, status, _)) => {
            woolly.record_delivery_failure(&domain, now).await?;
            Err(JobError::Retry(format!(
                "{} answered {status}",
                delivery.inbox
            )))
        }
        Err(error) => {
            woolly.record_delivery_failure(&domain, now).await?;
            Err(JobError::Retry(format!("{}: {error}", delivery.inbox)))
        }
    }
}

/// The signer and the activity of a local action that happened at `now`; `None` when there is
/// nothing to send any more (what it was about is gone).
async fn render_outbound(
    woolly: &Woolly,
    outbound: &Outbound,
    now: i64,
) -> Result<Option<(i64, Value)>, JobError> {
    let rendered = match outbound {
        Outbound::Create { status_id } | Outbound::Update { status_id } => {
            let Some(view) = woolly.federation().own_local_status(*status_id).await? else {
                return Ok(None);
            };
            let context = render::note_context(woolly, std::slice::from_ref(&view)).await?;
            let activity = if let Some(announce) = render::announce(woolly, &view) {
                to_value(Document::Activity(announce))?
            } else if matches!(outbound, Outbound::Update { .. }) {
                let mut update = render::create(woolly, &view, &context);
                update.kind = crate::vocab::ActivityType::Update;
                update.id = Some(format!("{}#updates/{now}", view.status.uri));
                to_value(Document::Activity(update))?
            } else {
                to_value(Document::Activity(render::create(woolly, &view, &context)))?
            };
            (view.account.id, activity)
        }
        Outbound::Delete {
            account_id,
            uri,
            reblog_of,
            ..
        } => {
            let Some(actor) = woolly.accounts().account(*account_id).await? else {
                return Ok(None);
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let activity = match reblog_of {
                Some((original_id, _)) => {
                    let original_uri = woolly
                        .federation()
                        .status_uris(&[*original_id])
                        .await?
                        .remove(original_id)
                        .unwrap_or_default();
                    json!({
                        "id": format!("{uri}#undo"),
                        "type": "Undo",
                        "actor": actor_uri,
                        "to": [PUBLIC],
                        "object": {
                            "id": uri,
                            "type": "Announce",
                            "actor": actor_uri,
                            "object": original_uri,
                        },
                    })
                }
                None => json!({
                    "id": format!("{uri}#delete"),
                    "type": "Delete",
                    "actor": actor_uri,
                    "to": [PUBLIC],
                    "object": {"id": uri, "type": "Tombstone", "atomUri": uri},
                }),
            };
            (actor.id, activity)
        }
        Outbound::Follow {
            account_id,
            target_id,
            uri,
        } => {
            let Some((actor, target)) = pair(woolly, *account_id, *target_id).await? else {
                return Ok(None);
            };
            let activity = json!({
                "id": uri,
                "type": "Follow",
                "actor": woolly.federation().actor_uri(&actor),
                "object": woolly.federation().actor_uri(&target),
            });
            (actor.id, activity)
        }
        Outbound::Unfollow {
            account_id,
            target_id,
            uri,
        } => {
            let Some((actor, target)) = pair(woolly, *account_id, *target_id).await? else {
                return Ok(None);
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let follow_uri = uri
                .clone()
                .unwrap_or_else(|| format!("{actor_uri}#follows/{target_id}"));
            let follow = json!({
                "id": follow_uri,
                "type": "Follow",
                "actor": actor_uri,
                "object": woolly.federation().actor_uri(&target),
            });
            let activity = undo(&actor_uri, follow, now);
            (actor.id, activity)
        }
        Outbound::Accept {
            account_id,
            follower_id,
            uri,
        }
        | Outbound::Reject {
            account_id,
            follower_id,
            uri,
        } => {
            let Some((actor, follower)) = pair(woolly, *account_id, *follower_id).await? else {
                return Ok(None);
            };
            let (kind, path) = if matches!(outbound, Outbound::Accept { .. }) {
                ("Accept", "accepts")
            } else {
                ("Reject", "rejects")
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let follower_uri = woolly.federation().actor_uri(&follower);
            let activity = json!({
                "id": format!("{actor_uri}#{path}/follows/{follower_id}/{now}"),
                "type": kind,
                "actor": actor_uri,
                "object": {
                    "id": uri.clone().unwrap_or_else(|| format!("{follower_uri}#follows/{account_id}")),
                    "type": "Follow",
                    "actor": follower_uri,
                    "object": actor_uri,
                },
            });
            (actor.id, activity)
        }
        Outbound::Like {
            account_id,
            status_id,
        }
        | Outbound::Unlike {
            account_id,
            status_id,
        } => {
            let Some(actor) = woolly.accounts().account(*account_id).await? else {
                return Ok(None);
            };
            let Some(status_uri) = woolly.federation().stored_status_uri(*status_id).await? else {
                return Ok(None);
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let like = json!({
                "id": format!("{actor_uri}#likes/{status_id}"),
                "type": "Like",
                "actor": actor_uri,
                "object": status_uri,
            });
            let activity = if matches!(outbound, Outbound::Like { .. }) {
                like
            } else {
                undo(&actor_uri, like, now)
            };
            (actor.id, activity)
        }
        Outbound::Block {
            account_id,
            target_id,
        }
        | Outbound::Unblock {
            account_id,
            target_id,
        } => {
            let Some((actor, target)) = pair(woolly, *account_id, *target_id).await? else {
                return Ok(None);
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let block = json!({
                "id": format!("{actor_uri}#blocks/{target_id}"),
                "type": "Block",
                "actor": actor_uri,
                "object": woolly.federation().actor_uri(&target),
            });
            let activity = if matches!(outbound, Outbound::Block { .. }) {
                block
            } else {
                undo(&actor_uri, block, now)
            };
            (actor.id, activity)
        }
        Outbound::Pin {
            account_id,
            status_id,
        }
        | Outbound::Unpin {
            account_id,
            status_id,
        } => {
            let Some(actor) = woolly.accounts().account(*account_id).await? else {
                return Ok(None);
            };
            let Some(uri) = woolly
                .federation()
                .status_uris(&[*status_id])
                .await?
                .remove(status_id)
            else {
                return Ok(None);
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let kind = if matches!(outbound, Outbound::Pin { .. }) {
                "Add"
            } else {
                "Remove"
            };
            let activity = json!({
                "id": format!("{actor_uri}#{}/{status_id}/{now}", kind.to_ascii_lowercase()),
                "type": kind,
                "actor": actor_uri,
                "object": uri,
                "target": ActorUrls::of(woolly, &actor.username).featured,
            });
            (actor.id, activity)
        }
        // Rendered by `deliver` itself, from what the delivery carries.
        Outbound::DeleteActor { .. } | Outbound::Flag { .. } => return Ok(None),
        Outbound::Move {
            account_id,
            target_uri,
            migration_id,
        } => {
            let Some(actor) = woolly.accounts().account(*account_id).await? else {
                return Ok(None);
            };
            let actor_uri = woolly.federation().actor_uri(&actor);
            let activity = json!({
                "id": format!("{actor_uri}#moves/{migration_id}"),
                "type": "Move",
                "actor": actor_uri,
                "object": actor_uri,
                "target": target_uri,
            });
            (actor.id, activity)
        }
        Outbound::UpdateProfile { account_id } => {
            // A suspended account's too: the update tells of the suspension and of its end.
            let Some(actor) = woolly.federation().local_actor_by_id(*account_id).await? else {
                return Ok(None);
            };
            let account = &actor.account;
            let document = render::local_actor(woolly, &actor);
            let actor_uri = woolly.federation().actor_uri(account);
            let activity = json!({
                "id": format!("{actor_uri}#updates/{now}"),
                "type": "Update",
                "actor": actor_uri,
                "to": [PUBLIC],
                "object": serde_json::to_value(&document).map_err(|error| JobError::Permanent(error.to_string()))?,
            });
            (account.id, activity)
        }
        Outbound::Vote {
            account_id,
            status_id,
            choice,
        } => {
            let Some(voter) = woolly.accounts().account(*account_id).await? else {
                return Ok(None);
            };
            let view = match woolly.statuses().view(Some(voter.id), *status_id).await {
                Ok(view) => view,
                Err(CoreError::NotFound) => return Ok(None),
                Err(error) => return Err(error.into()),
            };
            let Some(option) = view.poll.as_ref().and_then(|poll| {
                usize::try_from(*choice)
                    .ok()
                    .and_then(|index| poll.options.get(index))
            }) else {
                return Ok(None);
            };
            let poll_id = view.poll.as_ref().map_or(0, |poll| poll.id);
            let voter_uri = woolly.federation().actor_uri(&voter);
            let author_uri = woolly.federation().actor_uri(&view.account);
            let vote_uri = format!("{voter_uri}#votes/{poll_id}/{choice}");
            let activity = json!({
                "id": format!("{vote_uri}/activity"),
                "type": "Create",
                "actor": voter_uri,
                "to": [author_uri],
                "object": {
                    "id": vote_uri,
                    "type": "Note",
                    "name": option.title,
                    "attributedTo": voter_uri,
                    "to": [author_uri],
                    "inReplyTo": view.status.uri,
                },
            });
            (voter.id, activity)
        }
    };
    Ok(Some(rendered))
}

/// `activity` with the `@context` every top-level document Woolly writes carries.
fn with_context_value(activity: Value) -> Value {
    match activity {
        Value::Object(mut fields) if !fields.contains_key("@context") => {
            let mut with = serde_json::Map::new();
            with.insert("@context".into(), crate::vocab::context());
            with.append(&mut fields);
            Value::Object(with)
        }
        other => other,
    }
}

/// The `Undo` of one of the actor's activities, embedding it (peers match it by its id).
fn undo(actor_uri: &str, activity: Value, now: i64) -> Value {
    let undone = activity
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or(actor_uri);
    json!({
        "id": format!("{undone}/undo/{now}"),
        "type": "Undo",
        "actor": actor_uri,
        "object": activity,
    })
}

fn to_value(document: Document) -> Result<Value, JobError> {
    serde_json::to_value(with_context(document))
        .map_err(|error| JobError::Permanent(error.to_string()))
}

async fn pair(
    woolly: &Woolly,
    first: i64,
    second: i64,
) -> Result<Option<(Account, Account)>, JobError> {
    let (Some(first), Some(second)) = (
        woolly.accounts().account(first).await?,
        woolly.accounts().account(second).await?,
    ) else {
        return Ok(None);
    };
    Ok(Some((first, second)))
}

impl From<FederationError> for JobError {
    fn from(error: FederationError) -> JobError {
        match error {
            FederationError::Fetch(error) => JobError::Retry(error.to_string()),
            FederationError::Core(error) => error.into(),
            other => JobError::Permanent(other.to_string()),
        }
    }
}
