//! Woolly's storage: the only crate that speaks SQL.
//!
//! One [`Db`] type hides which engine is behind it. SQLite is the zero-configuration default;
//! PostgreSQL serves several processes on one database. Queries are written once in portable SQL
//! (`$1` placeholders work in both engines) and dispatched to the concrete sqlx pool with
//! [`on_reader!`], [`on_writer!`] and [`on_tx!`]; a `match` on the engine appears only where the
//! SQL itself must differ.
//!
//! SQLite gets one writer connection whose transactions start with `BEGIN IMMEDIATE` and a
//! separate pool of read-only connections: sqlx's default deferred transactions upgrade their
//! lock late and fail with `SQLITE_BUSY` under concurrent writers (GoToSocial #2774).
//!
//! This crate knows rows and SQL, not rules: who may see what is decided in `woolly-core`.

mod accounts;
mod announcements;
mod archives;
mod arrays;
mod connect;
mod conversations;
mod databases;
mod domain_blocks;
mod edits;
mod emojis;
mod error;
mod featured;
mod federation;
mod filters;
mod ids;
mod imports;
mod instance_copy;
mod jobs;
mod joining;
mod known_servers;
mod lists;
mod markers;
mod measures;
mod media;
mod moderation;
mod moves;
mod notification_policy;
mod oauth;
mod polls;
mod preview_cards;
mod query_count;
mod relations;
mod replies;
mod reports;
mod rules;
mod scheduled;
mod schema;
mod search;
mod secrets;
mod server_moderation;
mod sign_up_blocks;
mod site;
mod sqlite_reads;
mod status_pages;
mod status_search;
mod statuses;
mod suggestions;
mod tags;
mod thread_mutes;
mod tokens;
mod trends;

pub use accounts::{
    AccountLimits, AccountRow, ActorLinks, LocalUserRow, NewLocalAccount, NewRemoteAccount,
    ProfileImage, ProfileUpdate, RemoteCounts,
};
pub use announcements::{AnnouncementRow, ReactionCount};
pub use archives::ArchiveRecord;
pub use connect::{Db, Engine, Tx, redact_password};
pub use conversations::{ConversationChange, ConversationRow};
pub use databases::{create_postgres_database, drop_postgres_database};
pub use edits::{StatusContent, StatusEditRow, VersionMedia};
pub use emojis::CustomEmojiRow;
pub use error::StoreError;
pub use featured::FeaturedTagRow;
pub use federation::DomainHealthRow;
pub use filters::{FilterKeywordRow, FilterRow, FilterStatusRow};
pub use ids::IdGenerator;
pub use imports::{ImportRecord, ImportRowRecord, NewImport};
pub use instance_copy::{CopiedColumn, CopiedTable, Restore, Snapshot, ValueKind};
pub use jobs::{ClaimedJob, DeadJob, JobCount, JobState, JobSummary, NewJob};
pub use joining::{ClaimedEmailToken, EmailTokenPurpose, InviteRow, OtpSecrets};
pub use lists::ListRow;
pub use markers::MarkerRow;
pub use measures::{DailyCount, Measure};
pub use media::MediaRow;
pub use moderation::{
    AccountLimit, AccountNoteRow, AccountState, AccountWarningRow, AdminAccountFilter,
    AdminActionRow, AppealRow,
};
pub use moves::MigrationRow;
pub use notification_policy::{
    NotificationFacts, NotificationPolicyRow, NotificationRequestRow, OptionalPolicy,
};
pub use oauth::{AppRow, CodeClaim, CodeRow, NewApp};
pub use polls::{NewPoll, PollOptionRow, PollRow};
pub use preview_cards::{LinkSourceRow, PreviewCardRow};
pub use query_count::counting_queries;
pub use relations::{
    BlockOrMute, FollowOptions, FollowSide, NotificationQuery, NotificationRow, RelationshipRow,
    StatusInteraction, StatusRelation, split_languages,
};
pub use replies::RepliesBy;
pub use reports::{ReportChange, ReportFilter, ReportRow};
pub use rules::RuleRow;
pub use scheduled::ScheduledStatusRow;
pub use schema::{DIALECT_SWAPS, SchemaColumn, SchemaIndex, to_postgres_spelling};
pub use search::TagDayRow;
pub use server_moderation::{DomainAllowRow, DomainBlockRow};
pub use sign_up_blocks::{IpBlockRow, ValueBlock, ValueBlockRow};
pub use site::{DAY_MILLIS, WEEK_MILLIS, WeekActivity, day_start, week_start};
pub use status_pages::{StatusPageRows, StatusPageState, StatusStamp, ViewerMark};
pub use status_search::{PostProperty, SearchScope, StatusSearch};
pub use statuses::{
    AccountStatusesFilter, NewStatus, Page, StatusCounter, StatusRow, TagSelection,
};
pub use suggestions::SuggestionRow;
pub use tokens::{SessionRow, TokenHolder, TokenRow};
pub use trends::{
    LinkDayRow, LinkTrendRow, LinkUseRow, PublisherRow, StatusTrendRow, TagTrendRow, TagUseRow,
    TrendCandidateRow,
};

/// The current time in Unix milliseconds, the unit every timestamp column uses.
pub fn now_millis() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}
