//! Live timelines: the first page of a member's timeline listens, with the browser's
//! `EventSource`, to `/live?stream=…`, which sends each new post as the HTML of its card (event
//! `update`) and the id of each deleted post (`delete`). The script offers the new posts behind
//! a "show new posts" button, so that nothing moves under the reader's eyes; without the script
//! the page is read as before, by reloading it.
//!
//! What a page receives is core's deliveries of the streaming API, with its visibility, block,
//! mute and filter rules. It is for members only, by their session cookie (an `EventSource`
//! cannot send the API's bearer token); a session signed out elsewhere ends its streams within
//! [`SESSION_CHECK`].

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use woolly_core::events::{Delivery, Stream};
use woolly_core::{CoreError, Woolly};

use crate::cards::StatusCard;
use crate::page::{Chrome, refusal};
use crate::timelines::PageQuery;
use crate::visitor::{Member, Visitor};

/// How often an open stream checks that its session still exists.
const SESSION_CHECK: Duration = Duration::from_secs(60);

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/live", get(live))
}

/// The address a timeline page listens to, on its first page and for a member only; `stream`
/// is the query naming the stream (`stream=user`, `stream=hashtag&tag=cats`).
pub fn address(visitor: &Visitor, query: &PageQuery, stream: &str) -> Option<String> {
    (visitor.member().is_some() && query.max_id.is_none()).then(|| format!("/live?{stream}"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LiveQuery {
    stream: String,
    tag: Option<String>,
    list: Option<String>,
}

/// The page a stream's cards belong to, where their buttons come back to.
fn page_of(stream: &Stream) -> Option<String> {
    match stream {
        Stream::User => Some("/home".to_owned()),
        Stream::Public {
            local: Some(true),
            only_media: false,
        } => Some("/public/local".to_owned()),
        Stream::Public {
            local: None,
            only_media: false,
        } => Some("/public".to_owned()),
        Stream::Hashtag { tag, local: false } => {
            Some(format!("/tags/{}", woolly_core::urls::percent_encode(tag)))
        }
        Stream::List { list_id } => Some(format!("/lists/{list_id}")),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "live_status.html")]
struct LiveCard<'a> {
    c: Chrome<'a>,
    card: StatusCard,
}

/// An event for the page, if the delivery is one it shows.
fn event_for(woolly: &Woolly, visitor: &Visitor, delivery: &Delivery) -> Option<SseEvent> {
    match delivery {
        Delivery::Update(view) => {
            let viewer = visitor.member().map(|member| member.account.id);
            let card = StatusCard::new(woolly, visitor.words(), view, viewer);
            let html = LiveCard {
                c: Chrome::new(woolly, visitor),
                card,
            }
            .render();
            match html {
                Ok(html) => Some(SseEvent::default().event("update").data(html)),
                Err(error) => {
                    tracing::error!(%error, "a live status did not render: skipped");
                    None
                }
            }
        }
        Delivery::Delete(id) => Some(SseEvent::default().event("delete").data(id.to_string())),
        _ => None,
    }
}

/// `GET /live?stream=user` (also `public:local`, `public`, `hashtag&tag=…`, `list&list=…`).
async fn live(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<LiveQuery>,
) -> Response {
    let me = member.account.id;
    let stream = match Stream::parse(&query.stream, query.tag.as_deref(), query.list.as_deref()) {
        Ok(stream) => stream,
        Err(_) => return refusal(&woolly, &visitor, &CoreError::NotFound),
    };
    let Some(page) = page_of(&stream) else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    if let Err(error) = woolly.streaming().authorize_stream(Some(me), &stream).await {
        return refusal(&woolly, &visitor, &error);
    }
    // The cards' forms come back to the timeline's page, not to this address.
    let mut visitor = visitor;
    visitor.here = page;
    let token = member.token.clone();
    let events = woolly.streaming().subscribe_events();
    let mut session_check = tokio::time::interval(SESSION_CHECK);
    session_check.reset();
    let state = (events, session_check, VecDeque::new());
    let stopping = woolly.stopping();
    let updates = futures_util::stream::unfold(
        state,
        move |(mut events, mut session_check, mut pending): (_, _, VecDeque<SseEvent>)| {
            let (woolly, visitor, stream, token, stopping) = (
                woolly.clone(),
                visitor.clone(),
                stream.clone(),
                token.clone(),
                stopping.clone(),
            );
            async move {
                loop {
                    if let Some(event) = pending.pop_front() {
                        return Some((
                            Ok::<_, Infallible>(event),
                            (events, session_check, pending),
                        ));
                    }
                    let event = tokio::select! {
                        () = stopping.cancelled() => return None,
                        _ = session_check.tick() => {
                            match woolly.oauth().authenticate_any_standing(&token).await {
                                Err(CoreError::Unauthenticated) => return None,
                                Err(error) => tracing::warn!(%error, "could not check a live page's session"),
                                Ok(_) => {}
                            }
                            continue;
                        }
                        event = events.recv() => event,
                    };
                    match event {
                        Ok(event) => {
                            match woolly.streaming().deliver(Some(me), &stream, &event).await {
                                Ok(Some(delivery)) => {
                                    pending.extend(event_for(&woolly, &visitor, &delivery));
                                }
                                Ok(None) => {}
                                Err(error) => {
                                    tracing::warn!(%error, "could not prepare a live update");
                                }
                            }
                        }
                        Err(RecvError::Lagged(missed)) => {
                            tracing::warn!(missed, "a live page fell behind");
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        },
    );
    let mut response = Sse::new(updates)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
