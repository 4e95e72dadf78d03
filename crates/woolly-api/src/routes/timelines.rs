//! Timelines (`methods/timelines.md`) and the viewer's favourites and bookmarks: lists of
//! statuses, strictly chronological, paginated with a `Link` header.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use serde::Deserialize;
use woolly_core::StatusRelation;
use woolly_core::auth::Scope;
use woolly_core::filters::Listing;
use woolly_core::{TagSelection, Woolly};

use crate::auth::{Auth, optional_viewer};
use crate::entities::StatusEntity;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/timelines/home", get(home))
        .route("/api/v1/timelines/public", get(public))
        .route("/api/v1/timelines/tag/{hashtag}", get(tag))
        .route("/api/v1/favourites", get(favourites))
        .route("/api/v1/bookmarks", get(bookmarks))
}

/// A page of statuses as listed, paged on the ids of the page read (which may reach past
/// statuses the viewer's filters hid).
pub(super) fn listed_page(
    woolly: &Woolly,
    (views, cursors): &Listing,
    viewer: Option<i64>,
    uri: &Uri,
) -> Paged<StatusEntity> {
    let items = views
        .iter()
        .map(|view| StatusEntity::new(view, viewer, woolly.config()))
        .collect();
    Paged::new(items, *cursors, woolly.config(), uri)
}

async fn home(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_STATUSES])?.user()?;
    let listing = woolly
        .timelines()
        .home(account.id, params.page(PageSize::STATUSES)?)
        .await?;
    Ok(listed_page(&woolly, &listing, Some(account.id), &uri))
}

#[derive(Debug, Default, Deserialize)]
struct PublicParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::boolean")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    only_media: Option<bool>,
}

impl PublicParams {
    fn origin(&self) -> Option<bool> {
        match (self.local.unwrap_or(false), self.remote.unwrap_or(false)) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        }
    }
}

async fn public(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<PublicParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let page = params.page.page(PageSize::STATUSES)?;
    let listing = woolly
        .timelines()
        .public(
            viewer,
            params.origin(),
            params.only_media.unwrap_or(false),
            page,
        )
        .await?;
    Ok(listed_page(&woolly, &listing, viewer, &uri))
}

#[derive(Debug, Default, Deserialize)]
struct TagParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::boolean")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    only_media: Option<bool>,
    #[serde(default, deserialize_with = "lenient::list")]
    any: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    all: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    none: Vec<String>,
}

async fn tag(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(hashtag): Path<String>,
    ApiQuery(params): ApiQuery<TagParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let page = params.page.page(PageSize::STATUSES)?;
    let listing = woolly
        .timelines()
        .tag(
            viewer,
            &hashtag,
            TagSelection {
                any: params.any,
                all: params.all,
                none: params.none,
            },
            params.local.unwrap_or(false),
            params.only_media.unwrap_or(false),
            page,
        )
        .await?;
    Ok(listed_page(&woolly, &listing, viewer, &uri))
}

async fn relation_list(
    woolly: &Woolly,
    auth: &Auth,
    scope: Scope,
    relation: StatusRelation,
    params: &PageParams,
    uri: &Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let (account, _) = auth.require(&[scope])?.user()?;
    let (views, cursors) = woolly
        .statuses()
        .relations_page(account.id, relation, params.page(PageSize::STATUSES)?)
        .await?;
    let items = views
        .iter()
        .map(|view| StatusEntity::new(view, Some(account.id), woolly.config()))
        .collect();
    Ok(Paged::new(items, cursors, woolly.config(), uri))
}

async fn favourites(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    relation_list(
        &woolly,
        &auth,
        Scope::READ_FAVOURITES,
        StatusRelation::Favourite,
        &params,
        &uri,
    )
    .await
}

async fn bookmarks(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    relation_list(
        &woolly,
        &auth,
        Scope::READ_BOOKMARKS,
        StatusRelation::Bookmark,
        &params,
        &uri,
    )
    .await
}
