//! The client API's routes, one module per resource.

mod accounts;
mod admin_accounts;
mod admin_dashboard;
mod admin_domains;
mod admin_sign_up_blocks;
mod announcements;
mod apps;
mod assets;
mod conversations;
mod domain_blocks;
mod featured;
mod filters;
mod filters_v1;
mod follow_requests;
mod health;
mod instance;
mod lists;
mod markers;
mod media;
mod notification_groups;
mod notification_requests;
mod notifications;
mod oauth;
mod polls;
mod registrations;
mod reports;
mod scheduled_statuses;
mod search;
mod statuses;
mod streaming;
mod suggestions;
mod tags;
mod thread_mutes;
mod timelines;
mod trends;

use axum::Router;
use woolly_core::Woolly;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .merge(instance::router())
        .merge(accounts::router())
        .merge(apps::router())
        .merge(oauth::router())
        .merge(registrations::router())
        .merge(statuses::router())
        .merge(polls::router())
        .merge(scheduled_statuses::router())
        .merge(timelines::router())
        .merge(lists::router())
        .merge(filters::router())
        .merge(filters_v1::router())
        .merge(notifications::router())
        .merge(streaming::router())
        .merge(markers::router())
        .merge(media::router())
        .merge(search::router())
        .merge(suggestions::router())
        .merge(trends::router())
        .merge(tags::router())
        .merge(conversations::router())
        .merge(follow_requests::router())
        .merge(notification_groups::router())
        .merge(notification_requests::router())
        .merge(domain_blocks::router())
        .merge(featured::router())
        .merge(reports::router())
        .merge(admin_accounts::router())
        .merge(admin_dashboard::router())
        .merge(admin_domains::router())
        .merge(admin_sign_up_blocks::router())
        .merge(announcements::router())
        .merge(thread_mutes::router())
        .merge(health::router())
        .merge(assets::router())
}
