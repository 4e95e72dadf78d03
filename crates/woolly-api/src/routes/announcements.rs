//! Announcements (`methods/announcements.md`): the operator's announcements in force, marked
//! read by each member, with their emoji reactions.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use woolly_core::Woolly;
use woolly_core::announcements::Announcement;
use woolly_core::auth::Scope;

use crate::auth::{Auth, path_id};
use crate::entities::iso8601;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::lenient;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/announcements", get(index))
        .route("/api/v1/announcements/{id}/dismiss", post(dismiss))
        .route(
            "/api/v1/announcements/{id}/reactions/{name}",
            put(react).delete(unreact),
        )
}

/// `Announcement` (`entities/Announcement.md`).
#[derive(Debug, Clone, Serialize)]
struct AnnouncementEntity {
    id: String,
    content: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
    published: bool,
    all_day: bool,
    published_at: Option<String>,
    updated_at: String,
    read: bool,
    mentions: Vec<Value>,
    statuses: Vec<Value>,
    tags: Vec<Value>,
    emojis: Vec<Value>,
    reactions: Vec<ReactionEntity>,
}

/// `Reaction` (`entities/Reaction.md`).
#[derive(Debug, Clone, Serialize)]
struct ReactionEntity {
    name: String,
    count: i64,
    me: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    static_url: Option<String>,
}

impl AnnouncementEntity {
    fn new(announcement: &Announcement) -> AnnouncementEntity {
        AnnouncementEntity {
            id: announcement.id.to_string(),
            content: announcement.html.clone(),
            starts_at: announcement.starts_at.map(iso8601),
            ends_at: announcement.ends_at.map(iso8601),
            published: announcement.published_at.is_some(),
            all_day: announcement.all_day,
            published_at: announcement.published_at.map(iso8601),
            updated_at: iso8601(announcement.updated_at),
            read: announcement.read,
            // Announcements are plain text with links: no mentions, hashtags or emojis to list.
            mentions: Vec::new(),
            statuses: Vec::new(),
            tags: Vec::new(),
            emojis: Vec::new(),
            reactions: announcement
                .reactions
                .iter()
                .map(|reaction| ReactionEntity {
                    name: reaction.name.clone(),
                    count: reaction.count,
                    me: reaction.me,
                    url: reaction.custom.as_ref().map(|emoji| emoji.url.clone()),
                    static_url: reaction
                        .custom
                        .as_ref()
                        .map(|emoji| emoji.static_url.clone()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    #[serde(default, deserialize_with = "lenient::boolean")]
    with_dismissed: Option<bool>,
}

/// `GET /api/v1/announcements`.
async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(query): ApiQuery<IndexQuery>,
) -> Result<Json<Vec<AnnouncementEntity>>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ])?.user()?;
    let announcements = woolly
        .instance()
        .announcements(account.id, query.with_dismissed.unwrap_or(false))
        .await?;
    Ok(Json(
        announcements.iter().map(AnnouncementEntity::new).collect(),
    ))
}

/// `POST /api/v1/announcements/:id/dismiss`: answers `{}`.
async fn dismiss(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    woolly
        .instance()
        .dismiss_announcement(account.id, path_id(&id)?)
        .await?;
    Ok(Json(serde_json::json!({})))
}

async fn reaction(
    woolly: &Woolly,
    auth: &Auth,
    id: &str,
    name: &str,
    on: bool,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_FAVOURITES])?.user()?;
    woolly
        .instance()
        .react_to_announcement(account.id, path_id(id)?, name, on)
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// `PUT /api/v1/announcements/:id/reactions/:name`: answers `{}`.
async fn react(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<Value>, HttpError> {
    reaction(&woolly, &auth, &id, &name, true).await
}

/// `DELETE /api/v1/announcements/:id/reactions/:name`: answers `{}`.
async fn unreact(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<Value>, HttpError> {
    reaction(&woolly, &auth, &id, &name, false).await
}
