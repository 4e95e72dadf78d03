//! `Instance` v2 (`entities/Instance.md`) and the older v1 shape (`entities/V1_Instance.md`).
//!
//! The limits reported here are the ones Woolly enforces; clients size their composers by them.

use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

use woolly_core::instance::{InstanceOverview, SiteText, WeekActivity};
use woolly_core::rules::Rule;
use woolly_core::{InstanceConfig, MASTODON_API_VERSION, Woolly, version_string};
use woolly_http::time::{date, iso8601};

use super::account::AccountEntity;

const SOURCE_URL: &str = "https://github.com/woolly-social/woolly";
const MAX_MEDIA_ATTACHMENTS: u32 = 4;
const CHARACTERS_RESERVED_PER_URL: u32 = 23;
const IMAGE_SIZE_LIMIT: u64 = 16 * 1024 * 1024;
const IMAGE_MATRIX_LIMIT: u64 = 33_177_600;
const VIDEO_SIZE_LIMIT: u64 = 99 * 1024 * 1024;
const VIDEO_MATRIX_LIMIT: u64 = 8_294_400;
const VIDEO_FRAME_RATE_LIMIT: u32 = 120;
const DESCRIPTION_LIMIT: u32 = 1500;

/// A server rule (`entities/Rule.md`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleEntity {
    /// Its position, from 1.
    pub id: String,
    pub text: String,
    pub hint: String,
    /// Mastodon 4.4; rules are written in one language, so there are none.
    pub translations: BTreeMap<String, Value>,
}

/// Rules, in the order given.
pub fn rules(rules: &[Rule]) -> Vec<RuleEntity> {
    rules
        .iter()
        .map(|rule| RuleEntity {
            id: rule.id.to_string(),
            text: rule.text.clone(),
            hint: rule.hint.clone(),
            translations: BTreeMap::new(),
        })
        .collect()
}

/// `ExtendedDescription` and `PrivacyPolicy`: an operator's text and when it last changed.
#[derive(Debug, Clone, Serialize)]
pub struct DatedTextEntity {
    pub updated_at: String,
    pub content: String,
}

impl DatedTextEntity {
    pub fn new(text: &SiteText) -> DatedTextEntity {
        DatedTextEntity {
            updated_at: iso8601(text.updated_at),
            content: text.html.clone(),
        }
    }
}

/// `TermsOfService` (Mastodon 4.4). Woolly keeps one version, in effect since it was written.
#[derive(Debug, Clone, Serialize)]
pub struct TermsOfServiceEntity {
    pub effective_date: String,
    pub effective: bool,
    pub content: String,
    pub succeeded_by: Option<String>,
}

impl TermsOfServiceEntity {
    pub fn new(terms: &SiteText) -> TermsOfServiceEntity {
        TermsOfServiceEntity {
            effective_date: date(terms.updated_at),
            effective: true,
            content: terms.html.clone(),
            succeeded_by: None,
        }
    }
}

/// One week of `GET /api/v1/instance/activity`: every figure a string, the week in Unix seconds.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityEntity {
    pub week: String,
    pub statuses: String,
    pub logins: String,
    pub registrations: String,
}

impl ActivityEntity {
    pub fn new(week: &WeekActivity) -> ActivityEntity {
        ActivityEntity {
            week: (week.week_start / 1000).to_string(),
            statuses: week.statuses.to_string(),
            logins: week.logins.to_string(),
            registrations: week.registrations.to_string(),
        }
    }
}

/// The instance thumbnail, served from our own assets.
fn thumbnail_url(config: &InstanceConfig) -> String {
    config.urls().instance_thumbnail()
}

fn statuses_limits(config: &InstanceConfig) -> Value {
    json!({
        "max_characters": config.max_status_characters,
        "max_media_attachments": MAX_MEDIA_ATTACHMENTS,
        "characters_reserved_per_url": CHARACTERS_RESERVED_PER_URL,
    })
}

fn media_limits() -> Value {
    json!({
        "supported_mime_types": woolly_core::media::ACCEPTED_TYPES,
        "description_limit": DESCRIPTION_LIMIT,
        "image_size_limit": IMAGE_SIZE_LIMIT,
        "image_matrix_limit": IMAGE_MATRIX_LIMIT,
        "video_size_limit": VIDEO_SIZE_LIMIT,
        "video_frame_rate_limit": VIDEO_FRAME_RATE_LIMIT,
        "video_matrix_limit": VIDEO_MATRIX_LIMIT,
    })
}

fn poll_limits() -> Value {
    use woolly_core::polls::{
        MAX_EXPIRATION_SECONDS, MAX_OPTION_CHARACTERS, MAX_OPTIONS, MIN_EXPIRATION_SECONDS,
    };
    json!({
        "max_options": MAX_OPTIONS,
        "max_characters_per_option": MAX_OPTION_CHARACTERS,
        "min_expiration": MIN_EXPIRATION_SECONDS,
        "max_expiration": MAX_EXPIRATION_SECONDS,
    })
}

/// `GET /api/v2/instance`.
#[derive(Debug, Serialize)]
pub struct InstanceV2 {
    domain: String,
    title: String,
    version: String,
    source_url: &'static str,
    description: String,
    usage: Value,
    thumbnail: Value,
    icon: Vec<Value>,
    languages: Vec<&'static str>,
    configuration: Value,
    registrations: Value,
    api_versions: Value,
    contact: Value,
    rules: Vec<RuleEntity>,
}

impl InstanceV2 {
    pub fn new(
        woolly: &Woolly,
        overview: &InstanceOverview,
        contact: Option<AccountEntity>,
    ) -> InstanceV2 {
        let config = woolly.config();
        let stats = &overview.stats;
        let registrations = &overview.registrations;
        InstanceV2 {
            domain: config.domain.to_string(),
            title: config.title.clone(),
            version: version_string(),
            source_url: SOURCE_URL,
            description: config.description.clone(),
            usage: json!({ "users": { "active_month": stats.active_month } }),
            thumbnail: json!({
                "url": thumbnail_url(config),
                "blurhash": null,
                "versions": { "@1x": thumbnail_url(config), "@2x": thumbnail_url(config) },
            }),
            icon: Vec::new(),
            languages: vec!["en"],
            configuration: json!({
                "urls": {
                    "streaming": config.streaming_url(),
                    "status": null,
                    "about": config.urls().about(),
                    "privacy_policy": null,
                    "terms_of_service": null,
                },
                "vapid": { "public_key": woolly.vapid_public_key() },
                "accounts": {
                    "max_featured_tags": 10,
                    "max_pinned_statuses": 5,
                    "max_profile_fields": 4,
                    "profile_field_name_limit": 255,
                    "profile_field_value_limit": 255,
                    "max_display_name_length": 30,
                    "max_note_length": 500,
                },
                "statuses": statuses_limits(config),
                "media_attachments": media_limits(),
                "polls": poll_limits(),
                "translation": { "enabled": false },
                "timelines_access": {
                    "live_feeds": { "local": "public", "remote": "public" },
                    "hashtag_feeds": { "local": "public", "remote": "public" },
                    "trending_link_feeds": { "local": "public", "remote": "public" },
                },
                "limited_federation": false,
            }),
            registrations: json!({
                "enabled": registrations.enabled(),
                "approval_required": registrations.approval_required(),
                "reason_required": registrations.reason_required(),
                "message": if registrations.enabled() { None } else { registrations.closed_message.as_deref() },
                "min_age": registrations.min_age,
                "url": null,
            }),
            api_versions: json!({ "mastodon": MASTODON_API_VERSION }),
            contact: json!({ "email": config.contact_email, "account": contact }),
            rules: rules(&overview.rules),
        }
    }
}

/// `GET /api/v1/instance`, still read by older clients and libraries.
#[derive(Debug, Serialize)]
pub struct InstanceV1 {
    uri: String,
    title: String,
    short_description: String,
    description: String,
    email: String,
    version: String,
    urls: Value,
    stats: Value,
    thumbnail: String,
    languages: Vec<&'static str>,
    registrations: bool,
    approval_required: bool,
    invites_enabled: bool,
    configuration: Value,
    contact_account: Option<AccountEntity>,
    rules: Vec<RuleEntity>,
}

impl InstanceV1 {
    pub fn new(
        woolly: &Woolly,
        overview: &InstanceOverview,
        contact: Option<AccountEntity>,
    ) -> InstanceV1 {
        let config = woolly.config();
        let stats = &overview.stats;
        InstanceV1 {
            uri: config.domain.to_string(),
            title: config.title.clone(),
            short_description: config.description.clone(),
            description: config.description.clone(),
            email: config.contact_email.clone(),
            version: version_string(),
            urls: json!({ "streaming_api": config.streaming_url() }),
            stats: json!({
                "user_count": stats.user_count,
                "status_count": stats.status_count,
                "domain_count": stats.domain_count,
            }),
            thumbnail: thumbnail_url(config),
            languages: vec!["en"],
            registrations: overview.registrations.enabled(),
            approval_required: overview.registrations.approval_required(),
            invites_enabled: overview.registrations.invites_enabled,
            configuration: json!({
                "accounts": { "max_featured_tags": 10 },
                "statuses": statuses_limits(config),
                "media_attachments": media_limits(),
                "polls": poll_limits(),
            }),
            contact_account: contact,
            rules: rules(&overview.rules),
        }
    }
}
