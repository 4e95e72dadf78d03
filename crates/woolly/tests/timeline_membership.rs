//! Which statuses belong on the public and hashtag timelines is decided in two places: by the
//! store's SQL when a timeline is read, and by core's streaming rules (`events.rs`) when a
//! status arrives. This test posts every kind of status (local and remote, each visibility,
//! reblogs, replies to oneself and to others, with and without media and hashtag) and proves
//! that, channel by channel, the stream carries exactly what the timeline lists.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::{
    TestServer, account, jobs_idle, remote_account, remote_status, remote_status_with, upload_png,
};
use futures_util::{SinkExt as _, StreamExt as _};
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use woolly_core::remote::RemoteMedia;
use woolly_core::visibility::Visibility;

/// Each streaming channel, the subscription that opens it, and the timeline it mirrors.
const CHANNELS: [(&str, Option<&str>, &str); 8] = [
    ("public", None, "/api/v1/timelines/public"),
    ("public:local", None, "/api/v1/timelines/public?local=true"),
    (
        "public:remote",
        None,
        "/api/v1/timelines/public?remote=true",
    ),
    (
        "public:media",
        None,
        "/api/v1/timelines/public?only_media=true",
    ),
    (
        "public:local:media",
        None,
        "/api/v1/timelines/public?local=true&only_media=true",
    ),
    (
        "public:remote:media",
        None,
        "/api/v1/timelines/public?remote=true&only_media=true",
    ),
    ("hashtag", Some("wool"), "/api/v1/timelines/tag/wool"),
    (
        "hashtag:local",
        Some("wool"),
        "/api/v1/timelines/tag/wool?local=true",
    ),
];

/// How a channel names itself in each message: `["public:local"]`, `["hashtag", "wool"]`.
fn channel_name(stream: &str, tag: Option<&str>) -> Value {
    match tag {
        Some(tag) => json!([stream, tag]),
        None => json!([stream]),
    }
}

const VISIBILITIES: [Visibility; 4] = [
    Visibility::Public,
    Visibility::Unlisted,
    Visibility::Private,
    Visibility::Direct,
];

#[derive(Clone, Copy, Debug)]
enum Reply {
    None,
    ToSelf,
    ToOthers,
}

async fn post(server: &TestServer, token: &str, body: Value) -> String {
    let (code, posted) = server
        .call(Method::POST, "/api/v1/statuses", Some(token), body)
        .await;
    assert!(code.is_success(), "{code} {posted}");
    posted["id"].as_str().unwrap().to_owned()
}

async fn reblog(server: &TestServer, token: &str, id: &str) -> String {
    let path = format!("/api/v1/statuses/{id}/reblog");
    let (_, reblogged) = server
        .call(Method::POST, &path, Some(token), Value::Null)
        .await;
    reblogged["id"].as_str().unwrap().to_owned()
}

/// Every status id on a timeline, paging to its end.
async fn timeline(server: &TestServer, token: &str, path: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut max_id: Option<String> = None;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut path = format!("{path}{separator}limit=40");
        if let Some(max_id) = &max_id {
            path.push_str(&format!("&max_id={max_id}"));
        }
        let (_, page) = server
            .call(Method::GET, &path, Some(token), Value::Null)
            .await;
        let page = page.as_array().unwrap();
        let Some(last) = page.last() else {
            return ids;
        };
        max_id = Some(last["id"].as_str().unwrap().to_owned());
        ids.extend(
            page.iter()
                .map(|status| status["id"].as_str().unwrap().to_owned()),
        );
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads `update`s into `heard` (status ids by channel) until status `id` was heard on each of
/// `channels`.
async fn listen_until(
    socket: &mut Socket,
    heard: &mut BTreeMap<String, BTreeSet<String>>,
    id: &str,
    channels: &[Value],
) {
    let everywhere = |heard: &BTreeMap<String, BTreeSet<String>>| {
        channels.iter().all(|channel| {
            heard
                .get(&channel.to_string())
                .is_some_and(|ids| ids.contains(id))
        })
    };
    tokio::time::timeout(Duration::from_secs(30), async {
        while !everywhere(heard) {
            let Message::Text(text) = socket.next().await.unwrap().unwrap() else {
                continue;
            };
            let message: Value = serde_json::from_str(&text).unwrap();
            if message["event"] != "update" {
                continue;
            }
            let payload: Value =
                serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
            heard
                .entry(message["stream"].to_string())
                .or_default()
                .insert(payload["id"].as_str().unwrap().to_owned());
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{id} did not reach all of {channels:?}: {heard:?}"));
}

/// A picture of another server's, shown from there.
fn remote_picture(number: usize) -> RemoteMedia {
    RemoteMedia {
        url: format!("https://remote.example/media/{number}.png"),
        kind: "image".to_owned(),
        content_type: "image/png".to_owned(),
        description: None,
        blurhash: None,
        focus: (0.0, 0.0),
        width: 8,
        height: 8,
    }
}

#[tokio::test]
async fn streams_carry_exactly_what_public_and_hashtag_timelines_list() {
    let instance = common::TestInstance::new().await;
    let server = instance.start().await;
    let (alice, _) = account(&server, "alice").await;
    let (bob, _) = account(&server, "bob").await;
    let (carol, _) = account(&server, "carol").await;
    let rita = remote_account(&server, "rita", "remote.example").await;

    // What replies answer, posted before anyone listens.
    let bobs_root = post(&server, &bob, json!({"status": "a root"})).await;
    let alices_root = post(&server, &alice, json!({"status": "alice's root"})).await;
    let ritas_root = remote_status(&server, &rita, "rita's root", Visibility::Public, None).await;

    // Carol listens on every channel. Subscriptions apply in order: the error answering one to
    // a stream that does not exist means all of hers are in place.
    let url = format!(
        "{}/api/v1/streaming",
        server.base_url.replace("http://", "ws://")
    );
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", carol.parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut subscriptions: Vec<Value> = CHANNELS
        .iter()
        .map(|(stream, tag, _)| match tag {
            Some(tag) => json!({"type": "subscribe", "stream": stream, "tag": tag}),
            None => json!({"type": "subscribe", "stream": stream}),
        })
        .collect();
    subscriptions.push(json!({"type": "subscribe", "stream": "no such stream"}));
    for subscription in subscriptions {
        socket
            .send(Message::text(subscription.to_string()))
            .await
            .unwrap();
    }
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Message::Text(text) = socket.next().await.unwrap().unwrap()
                && text.contains("\"error\"")
            {
                return;
            }
        }
    })
    .await
    .expect("the error answering the last subscription");
    let mut heard: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();

    // Every kind of status.
    let mut posted = BTreeSet::new();
    for visibility in VISIBILITIES {
        for reply in [Reply::None, Reply::ToSelf, Reply::ToOthers] {
            for with_media in [false, true] {
                for tagged in [false, true] {
                    let text = format!(
                        "@bob {visibility:?} {reply:?} media={with_media}{}",
                        if tagged { " #wool" } else { "" }
                    );
                    let mut body = json!({"status": text, "visibility": visibility.as_str()});
                    match reply {
                        Reply::None => {}
                        Reply::ToSelf => body["in_reply_to_id"] = json!(alices_root),
                        Reply::ToOthers => body["in_reply_to_id"] = json!(bobs_root),
                    }
                    if with_media {
                        body["media_ids"] = json!([upload_png(&server, &alice).await]);
                    }
                    posted.insert(post(&server, &alice, body).await);

                    let answered = match reply {
                        Reply::None => None,
                        Reply::ToSelf => Some(ritas_root.as_str()),
                        Reply::ToOthers => Some(bobs_root.as_str()),
                    };
                    let number = posted.len();
                    let remote =
                        remote_status_with(&server, &rita, &text, visibility, answered, |status| {
                            if with_media {
                                status.media.push(remote_picture(number));
                            }
                        })
                        .await;
                    posted.insert(remote);
                }
            }
        }
    }
    posted.insert(reblog(&server, &alice, &bobs_root).await);
    let rita_reblog = server
        .woolly
        .federation()
        .store_remote_reblog(
            &rita,
            bobs_root.parse().unwrap(),
            "https://remote.example/users/rita/statuses/reblog".to_owned(),
            Visibility::Public,
        )
        .await
        .unwrap();
    posted.insert(rita_reblog.to_string());
    jobs_idle(&server).await;

    // Closing statuses, one local and one remote, together on every channel: once each
    // channel has carried its closing ones, it has carried everything posted before them.
    let media = upload_png(&server, &alice).await;
    let closing_local = post(
        &server,
        &alice,
        json!({"status": "closing #wool", "media_ids": [media]}),
    )
    .await;
    let local_channels: Vec<Value> = CHANNELS
        .iter()
        .filter(|(stream, _, _)| !stream.contains("remote"))
        .map(|(stream, tag, _)| channel_name(stream, *tag))
        .collect();
    listen_until(&mut socket, &mut heard, &closing_local, &local_channels).await;
    let closing_remote = remote_status_with(
        &server,
        &rita,
        "closing #wool",
        Visibility::Public,
        None,
        |status| status.media.push(remote_picture(0)),
    )
    .await;
    let remote_channels: Vec<Value> = CHANNELS
        .iter()
        .filter(|(stream, _, _)| !stream.contains("local"))
        .map(|(stream, tag, _)| channel_name(stream, *tag))
        .collect();
    listen_until(&mut socket, &mut heard, &closing_remote, &remote_channels).await;

    let mut disagreements = Vec::new();
    for (stream, tag, path) in CHANNELS {
        let streamed: BTreeSet<String> = heard
            .get(&channel_name(stream, tag).to_string())
            .cloned()
            .unwrap_or_default()
            .intersection(&posted)
            .cloned()
            .collect();
        let listed: BTreeSet<String> = timeline(&server, &carol, path)
            .await
            .intersection(&posted)
            .cloned()
            .collect();
        if streamed != listed {
            disagreements.push(format!(
                "{stream} {tag:?}: streamed but not listed {:?}, listed but not streamed {:?}",
                streamed.difference(&listed).collect::<Vec<_>>(),
                listed.difference(&streamed).collect::<Vec<_>>()
            ));
        }
        // Neither is trivially empty: each channel has statuses of the matrix on it.
        assert!(!listed.is_empty(), "{stream} lists none of the statuses");
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    server.stop().await;
}
