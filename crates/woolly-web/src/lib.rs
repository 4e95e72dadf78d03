//! Woolly's web interface: HTML pages rendered on the server, whose every action is a plain
//! form, so that everything works without JavaScript, in the reader's language (`i18n`).
//!
//! It calls core as the client API does and holds no rule of its own: a page shows what core
//! lets its viewer see, and a form does what core allows. Sessions are tokens of the server's own
//! "Web" application kept in a cookie (`visitor`).
//!
//! | module | pages |
//! |---|---|
//! | `landing` | `/` (what this server is, sign-up, a preview of public posts), `/about`, `/privacy-policy` |
//! | `joining` | `/auth/sign_up`, `/invite/:code`, `/auth/setup` (check your e-mail), `/auth/confirmation`, `/start` (the first steps) |
//! | `signing_in` | `/auth/sign_in`, `/auth/sign_out`, `/auth/password/…` (a forgotten password) |
//! | `home` | `/home`: the home timeline with the composer; posting (`/statuses`), editing (`/statuses/:id/edit`) |
//! | `timelines` | `/public/local`, `/public`, `/tags/:name` (and following a hashtag): the public timelines; `/bookmarks`, `/favourites` |
//! | `search` | `/search` |
//! | `lists` | `/lists`, `/lists/:id` (a list's timeline and members), adding to a list from a profile |
//! | `settings` | `/settings/profile`, `/settings/preferences`, `/settings/password` (and the e-mail address), `/settings/two_factor`, `/settings/sessions`, `/settings/blocks`, `/settings/filters`, `/settings/hashtags`, `/settings/export`, `/invites` |
//! | `imports` | `/settings/imports`: CSV files imported, with their progress |
//! | `moving` | `/settings/migration`: aliases, and moving the account |
//! | `leaving` | the account's archive (`/settings/export/archives`), deleting the account (`/settings/delete`) |
//! | `actions` | `/statuses/:id/:action`: favourite, boost, bookmark, delete, and undoing them; `/polls/:id/votes` |
//! | `profiles` | `/@name` (a profile, also `/@name@domain`), `/@name/:id` (a thread), `/@name/followers` and `/following`, following, muting and blocking (`/accounts/:id/:action`) |
//! | `notifications` | `/notifications` |
//! | `live` | `/live`: new posts of a timeline as they come, for the page's script |
//! | `feeds` | `/@name.rss`, `/tags/name.rss` |
//! | `interaction` | `/authorize_interaction` (acting on something of another server), `/follow_remotely` (to one's own server from a page here) |
//! | `moderation` | `/admin/reports`: the moderators' reports, taken on, resolved, reopened |
//! | `authorize` | `/oauth/authorize`: signing in to let an app use an account |
//!
//! What every page shares: `visitor` (the session, the anti-forgery token, the language),
//! `page` (the layout's frame, rendering, redirects, error pages), `forms` (refusals beside their
//! fields, one-button forms), `cards` (statuses and authors as pages show them), `assets` (the
//! stylesheet, the script, the icon).

mod actions;
mod admin_accounts;
mod admin_dashboard;
mod admin_rules;
mod admin_servers;
mod admin_trends;
mod announcements;
mod assets;
mod authorize;
mod cards;
mod disputes;
mod explore;
mod feeds;
mod forms;
mod home;
mod i18n;
mod imports;
mod interaction;
mod joining;
mod landing;
mod languages;
mod leaving;
mod lists;
mod live;
mod moderation;
mod moving;
mod notifications;
mod page;
mod profiles;
mod search;
mod settings;
mod signing_in;
mod timelines;
mod visitor;

use axum::Router;
use woolly_core::Woolly;

pub use i18n::Locale;

pub use profiles::{profile_page, thread_page};

/// Every route of the web interface but the pages of people and statuses ([`profile_page`],
/// [`thread_page`]), whose addresses also serve ActivityPub documents: the binary pairs them.
pub fn router() -> Router<Woolly> {
    Router::new()
        .merge(assets::router())
        .merge(landing::router())
        .merge(joining::router())
        .merge(signing_in::router())
        .merge(home::router())
        .merge(timelines::router())
        .merge(actions::router())
        .merge(profiles::forms())
        .merge(notifications::router())
        .merge(search::router())
        .merge(settings::router())
        .merge(moving::router())
        .merge(imports::router())
        .merge(leaving::router())
        .merge(interaction::router())
        .merge(lists::router())
        .merge(live::router())
        .merge(moderation::router())
        .merge(disputes::router())
        .merge(admin_accounts::router())
        .merge(admin_servers::router())
        .merge(admin_dashboard::router())
        .merge(announcements::router())
        .merge(admin_rules::router())
        .merge(admin_trends::router())
        .merge(explore::router())
        .merge(authorize::router())
}
