//! Woolly's domain: the types, the rules and the use cases that every front door (the Mastodon
//! API, the web pages, the federation inbox, the command line) calls.
//!
//! Front doors parse their input into the types here (`Username`, `Scopes`, `Domain`, …) and
//! call a use case on [`Woolly`]; they never talk to the database themselves, and a rule (who may
//! see what, what a valid username is) lives here once.

pub mod account_deletion;
pub mod account_moderation;
pub mod accounts;
pub mod actors;
pub mod announcements;
pub mod archives;
pub mod areas;
pub mod auth;
mod compose;
pub mod config;
pub mod conversations;
mod cpu_pool;
mod credentials;
mod crypto;
pub mod dashboard;
pub mod domain_blocks;
mod edits;
pub mod emojis;
mod error;
pub mod events;
pub mod export;
pub mod featured;
pub mod filters;
pub mod html;
pub mod imports;
pub mod instance;
pub mod instance_domain_blocks;
pub mod jobs;
pub mod joining;
mod key_pool;
pub mod known_servers;
pub mod link_previews;
pub mod lists;
pub mod mail;
mod mail_servers;
pub mod media;
pub mod moderation_notes;
pub mod moving;
pub mod notification_policy;
pub mod notifications;
pub mod oauth;
pub mod outbox;
pub mod polls;
pub mod post_import;
pub mod profile;
pub mod relations;
pub mod remote;
pub mod reports;
pub mod rules;
pub mod sanitize;
pub mod scheduled;
pub mod search;
pub mod search_query;
pub mod sign_in_throttle;
pub mod sign_up_blocks;
mod state;
mod status_cache;
pub mod status_moderation;
pub mod statuses;
pub mod suggestions;
pub mod tags;
pub mod text;
pub mod thread_mutes;
pub mod trends;
pub mod two_factor;
pub mod urls;
pub mod visibility;
pub mod web_sessions;
pub mod windows;

pub use config::{Domain, InstanceConfig};
pub use crypto::{SealingKey, pem_decode};
pub use edits::{MediaAttributes, StatusEdit, StatusVersion};
pub use error::{CoreError, FieldError, FieldErrors, FieldRule};
pub use state::Woolly;
pub use urls::Urls;
pub use woolly_store::{
    AccountState, AccountStatusesFilter, AdminAccountFilter, AdminActionRow, BlockOrMute,
    ConversationChange, Db, Engine, FollowSide, NotificationQuery, Page, RepliesBy, ReportFilter,
    StatusInteraction, StatusRelation, StoreError, TagSelection, ValueBlock, now_millis,
};

/// The version of Woolly itself.
pub const WOOLLY_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The Mastodon version whose API Woolly implements; clients switch features on by it.
pub const MASTODON_COMPATIBLE_VERSION: &str = "4.5.0";
/// The Mastodon API revision reported in `api_versions.mastodon` (Mastodon 4.5 reports 6).
pub const MASTODON_API_VERSION: u32 = 6;

/// The version string reported to clients: Mastodon-parseable first, then who we are.
pub fn version_string() -> String {
    format!("{MASTODON_COMPATIBLE_VERSION} (compatible; Woolly {WOOLLY_VERSION})")
}
