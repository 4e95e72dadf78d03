//! The client API's routes, one module per resource.

mod accounts;
mod assets;
mod health;
mod instance;

use axum::Router;
use woolly_core::Woolly;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .merge(instance::router())
        .merge(accounts::router())
        .merge(health::router())
        .merge(assets::router())
}
