//! The streaming API (`methods/streaming.md`): a WebSocket at `/api/v1/streaming` with streams
//! chosen by `?stream=` or by `{"type":"subscribe",…}` messages, and server-sent events at
//! `/api/v1/streaming/{user,public,…}`. Each message carries `stream`, `event` and a `payload`
//! that is a JSON-encoded string (the bare id for `delete`), as Mastodon sends them.
//!
//! What a subscriber receives is decided by `woolly_core::events`, with the REST read rules.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{SinkExt as _, StreamExt as _};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::{self, error::RecvError};
use woolly_core::auth::Scope;
use woolly_core::events::{Delivery, Event, Stream};
use woolly_core::{CoreError, Woolly};

use crate::entities::{
    AnnouncementEntity, ConversationEntity, NotificationEntity, ReactionCountEntity, StatusEntity,
};
use woolly_http::error::HttpError;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/streaming", get(websocket))
        .route("/api/v1/streaming/health", get(|| async { "OK" }))
        .route("/api/v1/streaming/{*channel}", get(server_sent_events))
}

/// Who is streaming, once the token (if any) checked out.
#[derive(Clone, Copy)]
struct Viewer(Option<i64>);

/// The token of a streaming request: `Authorization`, `?access_token=`, or the
/// `Sec-WebSocket-Protocol` header (browsers cannot set headers on a WebSocket).
fn stream_token(headers: &HeaderMap, query: &HashMap<String, String>) -> Option<String> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    from_header
        .or_else(|| query.get("access_token").cloned())
        .or_else(|| {
            headers
                .get(header::SEC_WEBSOCKET_PROTOCOL)
                .and_then(|value| value.to_str().ok())
                .map(|value| value.split(',').next().unwrap_or("").trim().to_owned())
        })
        .filter(|token| !token.is_empty())
}

async fn authenticate(woolly: &Woolly, token: Option<&str>) -> Result<Viewer, HttpError> {
    let Some(token) = token else {
        return Ok(Viewer(None));
    };
    let auth = woolly.oauth().authenticate(token).await?;
    if !auth
        .scopes
        .grants_any(&[Scope::READ_STATUSES, Scope::READ_NOTIFICATIONS])
    {
        return Err(HttpError::missing_scope());
    }
    Ok(Viewer(auth.user.map(|(account, _)| account.id)))
}

fn query_map(uri: &Uri) -> HashMap<String, String> {
    axum::extract::Query::<HashMap<String, String>>::try_from_uri(uri)
        .map(|axum::extract::Query(map)| map)
        .unwrap_or_default()
}

/// The stream a client asked for by name, with its `tag` or `list` parameter, if the viewer may
/// subscribe to it.
async fn stream_for(
    woolly: &Woolly,
    viewer: Viewer,
    name: &str,
    tag: Option<&str>,
    list: Option<&str>,
) -> Result<Stream, HttpError> {
    let stream = Stream::parse(name, tag, list).map_err(|error| match error {
        CoreError::Validation(message) => {
            HttpError::new(axum::http::StatusCode::BAD_REQUEST, message)
        }
        other => HttpError::from(other),
    })?;
    if stream.needs_user() && viewer.0.is_none() {
        return Err(HttpError::unauthorized());
    }
    match woolly.streaming().authorize_stream(viewer.0, &stream).await {
        Ok(()) => Ok(stream),
        Err(CoreError::NotFound) => Err(HttpError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "Not authorized to stream this list",
        )),
        Err(error) => Err(error.into()),
    }
}

/// The event name and payload of a delivery (empty for `filters_changed`, which has none);
/// `None`, logged, when the payload cannot be serialised: the event is skipped rather than
/// sent empty.
fn encode(woolly: &Woolly, viewer: Viewer, delivery: &Delivery) -> Option<(&'static str, String)> {
    let config = woolly.config();
    let (name, payload) = match delivery {
        Delivery::Update(view) => (
            "update",
            serde_json::to_string(&StatusEntity::new(view, viewer.0, config)),
        ),
        Delivery::StatusUpdate(view) => (
            "status.update",
            serde_json::to_string(&StatusEntity::new(view, viewer.0, config)),
        ),
        Delivery::Delete(id) => return Some(("delete", id.to_string())),
        Delivery::FiltersChanged => return Some((FILTERS_CHANGED, String::new())),
        // Mastodon sends "1"; apps only look at the event's name.
        Delivery::NotificationsMerged => return Some(("notifications_merged", "1".to_owned())),
        Delivery::AnnouncementDelete(id) => return Some(("announcement.delete", id.to_string())),
        Delivery::Announcement(announcement) => (
            "announcement",
            serde_json::to_string(&AnnouncementEntity::new(announcement)),
        ),
        Delivery::AnnouncementReaction {
            announcement_id,
            name,
            count,
        } => (
            "announcement.reaction",
            serde_json::to_string(&ReactionCountEntity {
                name: name.clone(),
                count: *count,
                announcement_id: announcement_id.to_string(),
            }),
        ),
        Delivery::Conversation(view) => (
            "conversation",
            serde_json::to_string(&ConversationEntity::new(
                view,
                viewer.0.unwrap_or_default(),
                config,
            )),
        ),
        Delivery::Notification(view) => (
            "notification",
            serde_json::to_string(&NotificationEntity::new(
                view,
                viewer.0.unwrap_or_default(),
                config,
            )),
        ),
    };
    match payload {
        Ok(payload) => Some((name, payload)),
        Err(error) => {
            tracing::error!(%error, event = name, "could not serialise a streaming event: skipped");
            None
        }
    }
}

const FILTERS_CHANGED: &str = "filters_changed";

async fn deliveries(
    woolly: &Woolly,
    viewer: Viewer,
    streams: &[Stream],
    event: &Event,
) -> Vec<(Vec<String>, &'static str, String)> {
    let mut messages = Vec::new();
    for stream in streams {
        match woolly.streaming().deliver(viewer.0, stream, event).await {
            Ok(Some(delivery)) => {
                if let Some((name, payload)) = encode(woolly, viewer, &delivery) {
                    messages.push((stream.names(), name, payload));
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "could not prepare a streaming event"),
        }
    }
    messages
}

async fn websocket(
    State(woolly): State<Woolly>,
    headers: HeaderMap,
    uri: Uri,
    upgrade: WebSocketUpgrade,
) -> Response {
    let query = query_map(&uri);
    let token = stream_token(&headers, &query);
    let viewer = match authenticate(&woolly, token.as_deref()).await {
        Ok(viewer) => viewer,
        Err(error) => return error.into_response(),
    };
    let initial = match query.get("stream") {
        Some(name) => match stream_for(
            &woolly,
            viewer,
            name,
            query.get("tag").map(String::as_str),
            query.get("list").map(String::as_str),
        )
        .await
        {
            Ok(stream) => Some(stream),
            Err(error) => return error.into_response(),
        },
        None => None,
    };
    // A token sent as the subprotocol must be echoed back, or browsers drop the connection.
    let protocol = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(',').next().unwrap_or("").trim().to_owned());
    let upgrade = match protocol {
        Some(protocol) if !protocol.is_empty() => upgrade.protocols([protocol]),
        _ => upgrade,
    };
    // Subscribed before the upgrade is answered, so that an event published as soon as the
    // client sees the connection open is not missed.
    let events = woolly.streaming().subscribe_events();
    upgrade.on_upgrade(move |socket| run_socket(socket, woolly, viewer, initial, events))
}

#[derive(Debug, Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: Option<String>,
    tag: Option<String>,
    /// A list id; Mastodon's clients send it as a string or a number.
    list: Option<serde_json::Value>,
}

const PING_EVERY: Duration = Duration::from_secs(30);

async fn run_socket(
    socket: WebSocket,
    woolly: Woolly,
    viewer: Viewer,
    initial: Option<Stream>,
    mut events: broadcast::Receiver<Event>,
) {
    let (mut sender, mut receiver) = socket.split();
    let mut streams: Vec<Stream> = initial.into_iter().collect();
    let stopping = woolly.stopping();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    loop {
        tokio::select! {
            () = stopping.cancelled() => break,
            message = receiver.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    if let Some(reply) = apply_command(&woolly, &mut streams, viewer, &text).await
                        && sender.send(Message::Text(reply.into())).await.is_err()
                    {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            event = events.recv() => match event {
                Ok(event) => {
                    for (stream, name, payload) in deliveries(&woolly, viewer, &streams, &event).await {
                        // Mastodon leaves `payload` out of `filters_changed` messages.
                        let message = if name == FILTERS_CHANGED {
                            json!({ "stream": stream, "event": name })
                        } else {
                            json!({ "stream": stream, "event": name, "payload": payload })
                        };
                        if sender.send(Message::Text(message.to_string().into())).await.is_err() {
                            return;
                        }
                    }
                }
                Err(RecvError::Lagged(missed)) => tracing::warn!(missed, "a streaming client fell behind"),
                Err(RecvError::Closed) => break,
            },
            _ = ping.tick() => {
                if sender.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = sender.send(Message::Close(None)).await;
}

/// Applies a `subscribe`/`unsubscribe` message; returns an error message to send, if any.
async fn apply_command(
    woolly: &Woolly,
    streams: &mut Vec<Stream>,
    viewer: Viewer,
    text: &str,
) -> Option<String> {
    let error = |message: &str| Some(json!({ "error": message, "status": 400 }).to_string());
    let Ok(command) = serde_json::from_str::<Command>(text) else {
        return error("Could not parse the message");
    };
    let Some(name) = command.stream.as_deref() else {
        return error("Missing stream");
    };
    let list = command.list.as_ref().map(|list| match list {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    });
    let stream = match stream_for(
        woolly,
        viewer,
        name,
        command.tag.as_deref(),
        list.as_deref(),
    )
    .await
    {
        Ok(stream) => stream,
        Err(api_error) => {
            let message = match (viewer.0, api_error.status()) {
                (None, axum::http::StatusCode::UNAUTHORIZED) => "Missing access token".to_owned(),
                (Some(_), axum::http::StatusCode::UNAUTHORIZED) => {
                    "Not authorized to stream this list".to_owned()
                }
                _ => format!("Could not subscribe to {name}"),
            };
            return error(&message);
        }
    };
    match command.kind.as_str() {
        "subscribe" => {
            if !streams.contains(&stream) {
                streams.push(stream);
            }
            None
        }
        "unsubscribe" => {
            streams.retain(|existing| *existing != stream);
            None
        }
        _ => error("Unknown message type"),
    }
}

async fn server_sent_events(
    State(woolly): State<Woolly>,
    headers: HeaderMap,
    uri: Uri,
    Path(channel): Path<String>,
) -> Response {
    let query = query_map(&uri);
    let token = stream_token(&headers, &query);
    let viewer = match authenticate(&woolly, token.as_deref()).await {
        Ok(viewer) => viewer,
        Err(error) => return error.into_response(),
    };
    let name = channel.trim_end_matches('/').replace('/', ":");
    let stream = match stream_for(
        &woolly,
        viewer,
        &name,
        query.get("tag").map(String::as_str),
        query.get("list").map(String::as_str),
    )
    .await
    {
        Ok(stream) => stream,
        Err(error) => return error.into_response(),
    };
    let state = (
        woolly.streaming().subscribe_events(),
        woolly.clone(),
        woolly.stopping(),
        std::collections::VecDeque::new(),
    );
    let events =
        futures_util::stream::unfold(state, move |(mut events, woolly, stopping, mut pending)| {
            let stream = stream.clone();
            async move {
                loop {
                    if let Some((name, payload)) = pending.pop_front() {
                        // Mastodon's streaming server sends `data: undefined` for no payload.
                        let data = if name == FILTERS_CHANGED {
                            "undefined".to_owned()
                        } else {
                            payload
                        };
                        let event = SseEvent::default().event(name).data(data);
                        return Some((
                            Ok::<_, Infallible>(event),
                            (events, woolly, stopping, pending),
                        ));
                    }
                    let event = tokio::select! {
                        () = stopping.cancelled() => return None,
                        event = events.recv() => event,
                    };
                    match event {
                        Ok(event) => {
                            for (_, name, payload) in
                                deliveries(&woolly, viewer, std::slice::from_ref(&stream), &event)
                                    .await
                            {
                                pending.push_back((name, payload));
                            }
                        }
                        Err(RecvError::Lagged(missed)) => {
                            tracing::warn!(missed, "a streaming client fell behind")
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        });
    let mut response = Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("thump"),
        )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
