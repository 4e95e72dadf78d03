//! How many posts, followers and follows a remote actor has: the `totalItems` of its outbox,
//! followers and following collections, read when its actor document is fetched, as
//! Mastodon's `ActivityPub::ProcessAccountService` reads them (`collection_info`), so that its
//! profile does not show zeros for what this server never saw.
//!
//! Counting must never cost the profile: the three collections are fetched at once, within a
//! few seconds in all, only from the actor's own host, and any that fails, is hidden or gives
//! no count leaves that count as it was.

use std::time::Duration;

use serde_json::Value;
use woolly_core::Woolly;
use woolly_core::remote::RemoteCounts;

use crate::remote::{Federation, authority_of};
use crate::vocab::Actor;

/// The longest the three collections together may take.
const COUNTS_TIMEOUT: Duration = Duration::from_secs(5);

/// A collection's `totalItems`, when it is a count.
fn total_items(collection: &Value) -> Option<i64> {
    collection
        .get("totalItems")
        .and_then(Value::as_u64)
        .and_then(|total| i64::try_from(total).ok())
}

impl Federation {
    /// The counts `actor`'s collections give; unknown ones are `None`.
    pub(crate) async fn collection_counts(&self, woolly: &Woolly, actor: &Actor) -> RemoteCounts {
        let host = authority_of(&actor.id);
        let count = |url: Option<&String>| {
            let url = url
                .filter(|url| host.is_some() && authority_of(url) == host)
                .cloned();
            async move {
                let url = url?;
                match self.fetch(woolly, &url).await {
                    Ok((_, collection)) => total_items(&collection),
                    Err(error) => {
                        tracing::debug!(url, %error, "a collection could not be counted");
                        None
                    }
                }
            }
        };
        let counting = async {
            let (statuses, followers, following) = tokio::join!(
                count(actor.outbox.as_ref()),
                count(actor.followers.as_ref()),
                count(actor.following.as_ref()),
            );
            RemoteCounts {
                statuses,
                followers,
                following,
            }
        };
        tokio::time::timeout(COUNTS_TIMEOUT, counting)
            .await
            .unwrap_or_else(|_| {
                tracing::debug!(actor = actor.id, "counting collections took too long");
                RemoteCounts::default()
            })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_a_whole_number_is_a_count() {
        assert_eq!(total_items(&json!({"totalItems": 42})), Some(42));
        assert_eq!(total_items(&json!({"totalItems": 0})), Some(0));
        for collection in [
            json!({}),
            json!({"totalItems": -1}),
            json!({"totalItems": "42"}),
            json!({"totalItems": 4.2}),
            json!({"totalItems": null}),
            json!("a string"),
        ] {
            assert_eq!(total_items(&collection), None, "{collection}");
        }
    }
}
