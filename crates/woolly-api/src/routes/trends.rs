//! Trends (`methods/trends.md`): `GET /api/v1/trends/tags` (and its old name
//! `/api/v1/trends`), `/api/v1/trends/statuses` and `/api/v1/trends/links`; and their review by
//! moderators (`methods/admin/trends.md`): `GET /api/v1/admin/trends/tags|statuses|links` and
//! `POST …/:id/approve|reject`, and the publishers of links
//! (`/api/v1/admin/trends/links/publishers`, `POST …/:id/approve|reject`).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use woolly_core::Woolly;
use woolly_core::account_moderation::Moderator;
use woolly_core::auth::Scope;
use woolly_core::tags::TagView;
use woolly_core::trends::{LinkView, Publisher, TrendSubject};

use crate::auth::{Auth, optional_viewer};
use crate::entities::{HashtagEntity, StatusEntity, TrendLinkEntity, iso8601};
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::pagination::Paged;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/trends", get(tags))
        .route("/api/v1/trends/tags", get(tags))
        .route("/api/v1/trends/statuses", get(statuses))
        .route("/api/v1/admin/trends/tags", get(admin_tags))
        .route(
            "/api/v1/admin/trends/tags/{id}/{decision}",
            post(review_tag),
        )
        .route("/api/v1/admin/trends/statuses", get(admin_statuses))
        .route(
            "/api/v1/admin/trends/statuses/{id}/{decision}",
            post(review_status),
        )
        .route("/api/v1/trends/links", get(links))
        .route("/api/v1/admin/trends/links", get(admin_links))
        .route(
            "/api/v1/admin/trends/links/{id}/{decision}",
            post(review_link),
        )
        .route("/api/v1/admin/trends/links/publishers", get(publishers))
        .route(
            "/api/v1/admin/trends/links/publishers/{id}/{decision}",
            post(review_publisher),
        )
}

#[derive(Debug, Default, Deserialize)]
struct TrendParams {
    limit: Option<String>,
    offset: Option<String>,
}

impl TrendParams {
    fn read(&self, default: i64) -> (i64, i64) {
        (
            mastodon_count(self.limit.as_deref(), default, 2 * default),
            mastodon_count(self.offset.as_deref(), 0, 100_000),
        )
    }
}

/// A `limit` or `offset` as Mastodon reads one (`to_i.abs`, at most `max`): what does not start
/// with digits is 0, and nothing given is `default`.
pub(super) fn mastodon_count(value: Option<&str>, default: i64, max: i64) -> i64 {
    let Some(text) = value.filter(|text| !text.is_empty()) else {
        return default;
    };
    let digits: String = text
        .trim_start_matches(['-', '+'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse::<i64>().map_or(0, |parsed| parsed.min(max))
}

const TAGS_LIMIT: i64 = 10;
const STATUSES_LIMIT: i64 = 20;
const LINKS_LIMIT: i64 = 10;

async fn tags(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<TrendParams>,
    uri: Uri,
) -> Result<Paged<HashtagEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ])?;
    let (limit, offset) = params.read(TAGS_LIMIT);
    let found = woolly
        .discovery()
        .trending_tags(viewer, limit, offset)
        .await?;
    let items = found
        .iter()
        .map(|tag| HashtagEntity::new(tag, woolly.config()))
        .collect();
    Ok(page(items, offset, limit, &woolly, &uri))
}

async fn statuses(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<TrendParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ])?;
    let (limit, offset) = params.read(STATUSES_LIMIT);
    let found = woolly
        .discovery()
        .trending_statuses(viewer, limit, offset)
        .await?;
    let items = found
        .iter()
        .map(|view| StatusEntity::new(view, viewer, woolly.config()))
        .collect();
    Ok(page(items, offset, limit, &woolly, &uri))
}

/// No `Link` header when trends are off, as Mastodon.
fn page<T>(items: Vec<T>, offset: i64, limit: i64, woolly: &Woolly, uri: &Uri) -> Paged<T> {
    if woolly.config().trends {
        Paged::by_offset(items, offset, limit, woolly.config(), uri)
    } else {
        Paged { items, link: None }
    }
}

/// `Admin::Tag`: a hashtag with what moderators decided of it.
#[derive(Debug, Serialize)]
struct AdminTagEntity {
    #[serde(flatten)]
    tag: HashtagEntity,
    trendable: bool,
    usable: bool,
    requires_review: bool,
    listable: bool,
}

impl AdminTagEntity {
    fn new(tag: &TagView, trendable: bool, requires_review: bool, woolly: &Woolly) -> Self {
        AdminTagEntity {
            tag: HashtagEntity::new(tag, woolly.config()),
            trendable,
            usable: true,
            requires_review,
            listable: true,
        }
    }
}

/// A trending post as moderators see it: the status and whether it waits for review.
#[derive(Debug, Serialize)]
struct AdminTrendStatusEntity {
    #[serde(flatten)]
    status: StatusEntity,
    requires_review: bool,
}

fn decision(text: &str) -> Result<bool, HttpError> {
    match text {
        "approve" => Ok(true),
        "reject" => Ok(false),
        _ => Err(HttpError::not_found()),
    }
}

async fn admin_tags(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<TrendParams>,
    uri: Uri,
) -> Result<Paged<AdminTagEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let (limit, offset) = params.read(TAGS_LIMIT);
    let found = woolly
        .discovery()
        .tag_trends_to_review(by, limit, offset)
        .await?;
    let items = found
        .iter()
        .map(|(tag, trendable, pending)| AdminTagEntity::new(tag, *trendable, *pending, &woolly))
        .collect();
    Ok(Paged::by_offset(
        items,
        offset,
        limit,
        woolly.config(),
        &uri,
    ))
}

/// A hashtag's id is a number derived from its name: the trending one it names is found.
async fn review_tag(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, decided)): Path<(String, String)>,
) -> Result<Json<AdminTagEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE])?.user()?;
    let by = Moderator::Staff { account, user };
    let trendable = decision(&decided)?;
    let (tag, _, _) = woolly.discovery().tag_trend_to_review(by, &id).await?;
    woolly
        .discovery()
        .review_trend(by, TrendSubject::Tag, &tag.usage.name, trendable)
        .await?;
    Ok(Json(AdminTagEntity::new(&tag, trendable, false, &woolly)))
}

async fn admin_statuses(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<TrendParams>,
    uri: Uri,
) -> Result<Paged<AdminTrendStatusEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let (limit, offset) = params.read(STATUSES_LIMIT);
    let found = woolly
        .discovery()
        .status_trends_to_review(by, limit, offset)
        .await?;
    let items = found
        .iter()
        .map(|(view, _, pending)| AdminTrendStatusEntity {
            status: StatusEntity::new(view, Some(account.id), woolly.config()),
            requires_review: *pending,
        })
        .collect();
    Ok(Paged::by_offset(
        items,
        offset,
        limit,
        woolly.config(),
        &uri,
    ))
}

async fn review_status(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, decided)): Path<(String, String)>,
) -> Result<Json<AdminTrendStatusEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE])?.user()?;
    let by = Moderator::Staff { account, user };
    let trendable = decision(&decided)?;
    let id: i64 = id.parse().map_err(|_| HttpError::not_found())?;
    let view = woolly
        .statuses()
        .views(Some(account.id), &[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(HttpError::not_found)?;
    woolly
        .discovery()
        .review_trend(by, TrendSubject::Status, &id.to_string(), trendable)
        .await?;
    let (_, pending) = woolly.discovery().status_trendable(&view).await?;
    Ok(Json(AdminTrendStatusEntity {
        status: StatusEntity::new(&view, Some(account.id), woolly.config()),
        requires_review: pending,
    }))
}

async fn links(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<TrendParams>,
    uri: Uri,
) -> Result<Paged<TrendLinkEntity>, HttpError> {
    optional_viewer(&auth, &[Scope::READ])?;
    let (limit, offset) = params.read(LINKS_LIMIT);
    let found = woolly.discovery().trending_links(limit, offset).await?;
    let items = found.iter().map(TrendLinkEntity::new).collect();
    Ok(page(items, offset, limit, &woolly, &uri))
}

/// `Admin::Trends::Link`: a trending link with what moderators decided of it.
#[derive(Debug, Serialize)]
struct AdminTrendLinkEntity {
    id: String,
    #[serde(flatten)]
    link: TrendLinkEntity,
    trendable: bool,
    requires_review: bool,
}

impl AdminTrendLinkEntity {
    fn new(link: &LinkView, trendable: bool, requires_review: bool) -> Self {
        AdminTrendLinkEntity {
            id: link.card.id.to_string(),
            link: TrendLinkEntity::new(link),
            trendable,
            requires_review,
        }
    }
}

async fn admin_links(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<TrendParams>,
    uri: Uri,
) -> Result<Paged<AdminTrendLinkEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let (limit, offset) = params.read(LINKS_LIMIT);
    let found = woolly
        .discovery()
        .link_trends_to_review(by, limit, offset)
        .await?;
    let items = found
        .iter()
        .map(|(link, trendable, pending)| AdminTrendLinkEntity::new(link, *trendable, *pending))
        .collect();
    Ok(Paged::by_offset(
        items,
        offset,
        limit,
        woolly.config(),
        &uri,
    ))
}

async fn review_link(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, decided)): Path<(String, String)>,
) -> Result<Json<AdminTrendLinkEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE])?.user()?;
    let by = Moderator::Staff { account, user };
    let trendable = decision(&decided)?;
    let id: i64 = id.parse().map_err(|_| HttpError::not_found())?;
    woolly.discovery().link_trend_to_review(by, id).await?;
    woolly
        .discovery()
        .review_trend(by, TrendSubject::Link, &id.to_string(), trendable)
        .await?;
    let (link, trendable, pending) = woolly.discovery().link_trend_to_review(by, id).await?;
    Ok(Json(AdminTrendLinkEntity::new(&link, trendable, pending)))
}

/// `Admin::Trends::Links::PreviewCardProvider`: a publisher with what moderators decided of it.
#[derive(Debug, Serialize)]
struct PublisherEntity {
    id: String,
    domain: String,
    trendable: bool,
    reviewed_at: Option<String>,
    requested_review_at: Option<String>,
    requires_review: bool,
}

impl PublisherEntity {
    fn new(publisher: &Publisher) -> Self {
        PublisherEntity {
            id: publisher.id.to_string(),
            domain: publisher.domain.clone(),
            trendable: publisher.trendable,
            reviewed_at: publisher.reviewed_at.map(iso8601),
            requested_review_at: None,
            requires_review: publisher.requires_review,
        }
    }
}

async fn publishers(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<Vec<PublisherEntity>>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let found = woolly.discovery().link_publishers(by).await?;
    Ok(Json(found.iter().map(PublisherEntity::new).collect()))
}

/// A publisher's id is a number derived from its domain: the listed one it names is found.
async fn review_publisher(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, decided)): Path<(String, String)>,
) -> Result<Json<PublisherEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE])?.user()?;
    let by = Moderator::Staff { account, user };
    let trendable = decision(&decided)?;
    let find = || async {
        woolly
            .discovery()
            .link_publishers(by)
            .await?
            .into_iter()
            .find(|publisher| publisher.id.to_string() == id)
            .ok_or_else(HttpError::not_found)
    };
    let publisher = find().await?;
    woolly
        .discovery()
        .review_trend(by, TrendSubject::Publisher, &publisher.domain, trendable)
        .await?;
    Ok(Json(PublisherEntity::new(&find().await?)))
}
