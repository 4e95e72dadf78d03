//! Mastodon API entities (`content/en/entities/*.md` in the Mastodon documentation), built from
//! core's domain types. Field names, types and presence follow Mastodon exactly: clients break
//! on a missing field or a wrong type. Ids are JSON strings.

mod account;
mod announcement;
mod application;
mod conversation;
mod domain;
mod emoji;
mod filter;
mod instance;
mod list;
mod marker;
mod media;
mod notification;
mod poll;
mod preview_card;
mod relationship;
mod report;
mod scheduled_status;
mod search;
mod status;
mod status_edit;
mod suggestion;
mod tag;
mod token;
mod warning;

pub use account::{
    AccountEntity, CredentialAccountEntity, FamiliarFollowersEntity, PreferencesEntity,
    role_with_id,
};
pub use announcement::{AnnouncementEntity, ReactionCountEntity};
pub use application::ApplicationEntity;
pub use conversation::ConversationEntity;
pub use domain::{AdminDomainAllowEntity, AdminDomainBlockEntity, DomainBlockEntity};
pub use emoji::CustomEmojiEntity;
pub use filter::{
    FilterEntity, FilterKeywordEntity, FilterResultEntity, FilterStatusEntity, V1FilterEntity,
};
pub use instance::{
    ActivityEntity, DatedTextEntity, InstanceV1, InstanceV2, RuleEntity, TermsOfServiceEntity,
    rules as instance_rules,
};
pub use list::ListEntity;
pub use marker::{MarkerEntity, markers};
pub use media::MediaEntity;
pub use notification::{
    GroupedNotificationsResultsEntity, NotificationEntity, NotificationGroupEntity,
    NotificationPolicyEntity, NotificationRequestEntity, UnreadCountEntity,
    V1NotificationPolicyEntity,
};
pub use poll::{PollEntity, PollOptionEntity};
pub use preview_card::{PreviewCardEntity, TrendLinkEntity};
pub use relationship::RelationshipEntity;
pub use report::{AdminAccountEntity, AdminReportEntity, ReportContext, ReportEntity};
pub use scheduled_status::ScheduledStatusEntity;
pub use search::SearchEntity;
pub use status::{MentionEntity, StatusEntity, TagEntity};
pub use status_edit::{ContextEntity, StatusEditEntity, StatusSourceEntity};
pub use suggestion::SuggestionEntity;
pub use tag::{FeaturedTagEntity, HashtagEntity, TagHistoryEntity};
pub use token::TokenEntity;
pub use warning::{AccountWarningEntity, AppealEntity};
pub use woolly_http::time::{date, iso8601, iso8601_date_midnight};
