//! `Relationship` (`entities/Relationship.md`).

use serde::Serialize;
use woolly_core::relations::Relationship;

use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct RelationshipEntity {
    pub id: String,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub languages: Option<Vec<String>>,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub muting_expires_at: Option<String>,
    pub requested: bool,
    pub requested_by: bool,
    pub domain_blocking: bool,
    pub endorsed: bool,
    pub note: String,
}

impl RelationshipEntity {
    pub fn new(relationship: &Relationship) -> RelationshipEntity {
        RelationshipEntity {
            id: relationship.target_id.to_string(),
            following: relationship.following,
            showing_reblogs: relationship.following && relationship.showing_reblogs,
            notifying: relationship.following && relationship.notifying,
            languages: if relationship.following {
                woolly_core::relations::split_languages(relationship.languages.as_deref())
            } else {
                None
            },
            followed_by: relationship.followed_by,
            blocking: relationship.blocking,
            blocked_by: relationship.blocked_by,
            muting: relationship.muting,
            muting_notifications: relationship.muting && relationship.muting_notifications,
            muting_expires_at: relationship.muting_expires_at.map(iso8601),
            requested: relationship.requested,
            requested_by: relationship.requested_by,
            domain_blocking: relationship.domain_blocking,
            endorsed: relationship.endorsed,
            note: relationship.note.clone().unwrap_or_default(),
        }
    }
}
