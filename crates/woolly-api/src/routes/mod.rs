//! The client API's routes, one module per resource.

mod accounts;
mod apps;
mod assets;
mod health;
mod instance;
mod markers;
mod media;
mod notifications;
mod oauth;
mod search;
mod statuses;
mod streaming;
mod timelines;

use axum::Router;
use woolly_core::Woolly;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .merge(instance::router())
        .merge(accounts::router())
        .merge(apps::router())
        .merge(oauth::router())
        .merge(statuses::router())
        .merge(timelines::router())
        .merge(notifications::router())
        .merge(streaming::router())
        .merge(markers::router())
        .merge(media::router())
        .merge(search::router())
        .merge(health::router())
        .merge(assets::router())
}
