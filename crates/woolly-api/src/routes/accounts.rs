//! Account routes (`methods/accounts.md`): the own account, other accounts, their statuses,
//! followers and following, and follow, block and mute.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::auth::Scope;
use woolly_core::profile::ProfileImage;
use woolly_core::relations::{FollowOptions, MuteOptions, Relationship};
use woolly_core::{BlockOrMute, FollowSide, Woolly};

use crate::auth::{Auth, optional_viewer, path_id};
use crate::entities::{
    AccountEntity, CredentialAccountEntity, PreferencesEntity, RelationshipEntity, StatusEntity,
};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiParamsWithFiles, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route(
            "/api/v1/accounts/verify_credentials",
            get(verify_credentials),
        )
        .route(
            "/api/v1/accounts/update_credentials",
            axum::routing::patch(update_credentials)
                .layer(DefaultBodyLimit::max(super::media::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/profile/avatar",
            axum::routing::delete(|state, auth| remove_image(state, auth, ProfileImage::Avatar)),
        )
        .route(
            "/api/v1/profile/header",
            axum::routing::delete(|state, auth| remove_image(state, auth, ProfileImage::Header)),
        )
        .route("/api/v1/preferences", get(preferences))
        .route("/api/v1/blocks", get(blocks))
        .route("/api/v1/mutes", get(mutes))
        .route("/api/v1/accounts/lookup", get(lookup))
        .route("/api/v1/accounts/relationships", get(relationships))
        .route("/api/v1/accounts/{id}", get(show))
        .route("/api/v1/accounts/{id}/statuses", get(statuses))
        .route("/api/v1/accounts/{id}/followers", get(followers))
        .route("/api/v1/accounts/{id}/following", get(following))
        .route("/api/v1/accounts/{id}/follow", post(follow))
        .route("/api/v1/accounts/{id}/unfollow", post(unfollow))
        .route(
            "/api/v1/accounts/{id}/remove_from_followers",
            post(remove_from_followers),
        )
        .route("/api/v1/accounts/{id}/block", post(block))
        .route("/api/v1/accounts/{id}/unblock", post(unblock))
        .route("/api/v1/accounts/{id}/mute", post(mute))
        .route("/api/v1/accounts/{id}/unmute", post(unmute))
}

/// Mastodon accepts `profile` (4.3+), `read` or `read:accounts` here.
async fn verify_credentials(
    State(woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<CredentialAccountEntity>, HttpError> {
    let (account, user) = auth
        .require(&[Scope::PROFILE, Scope::READ_ACCOUNTS])?
        .user()?;
    let follow_requests = woolly.relations().follow_requests_count(account.id).await?;
    Ok(Json(CredentialAccountEntity::new(
        account,
        user,
        follow_requests,
        woolly.config(),
    )))
}

async fn account_entity(
    woolly: &Woolly,
    account: &woolly_core::accounts::Account,
) -> Result<AccountEntity, HttpError> {
    let role = woolly
        .accounts()
        .local_user(account.id)
        .await?
        .map(|user| user.role);
    Ok(AccountEntity::new(account, role, woolly.config()))
}

async fn show(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> Result<Json<AccountEntity>, HttpError> {
    optional_viewer(&auth, &[Scope::READ_ACCOUNTS])?;
    let account = woolly
        .accounts()
        .account(path_id(&id)?)
        .await?
        .ok_or_else(HttpError::not_found)?;
    Ok(Json(account_entity(&woolly, &account).await?))
}

#[derive(Debug, Default, Deserialize)]
struct LookupParams {
    #[serde(default)]
    acct: String,
}

async fn lookup(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    ApiQuery(params): ApiQuery<LookupParams>,
) -> Result<Json<AccountEntity>, HttpError> {
    optional_viewer(&auth, &[Scope::READ_ACCOUNTS])?;
    let account = woolly.accounts().lookup_account(&params.acct).await?;
    Ok(Json(account_entity(&woolly, &account).await?))
}

#[derive(Debug, Default, Deserialize)]
struct StatusesParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pinned: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    only_media: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    exclude_replies: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    exclude_reblogs: Option<bool>,
    tagged: Option<String>,
}

async fn statuses(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<StatusesParams>,
    uri: Uri,
) -> Result<Paged<StatusEntity>, HttpError> {
    let viewer = optional_viewer(&auth, &[Scope::READ_STATUSES])?;
    let account = woolly
        .accounts()
        .account(path_id(&id)?)
        .await?
        .ok_or_else(HttpError::not_found)?;
    if params.pinned.unwrap_or(false) {
        // Pins are few (five at most): one page, no Link header.
        let views = woolly
            .statuses()
            .pinned_statuses(viewer, account.id)
            .await?;
        let items = views
            .iter()
            .map(|view| StatusEntity::new(view, viewer, woolly.config()))
            .collect();
        return Ok(Paged { items, link: None });
    }
    let page = params.page.page(PageSize::STATUSES)?;
    let filter = woolly_core::AccountStatusesFilter {
        exclude_replies: params.exclude_replies.unwrap_or(false),
        exclude_reblogs: params.exclude_reblogs.unwrap_or(false),
        tagged: params.tagged.filter(|tag| !tag.is_empty()),
        only_media: params.only_media.unwrap_or(false),
    };
    let listing = woolly
        .timelines()
        .account(viewer, account.id, &filter, page)
        .await?;
    Ok(super::timelines::listed_page(
        &woolly, &listing, viewer, &uri,
    ))
}

async fn follows(
    woolly: &Woolly,
    auth: &Option<Auth>,
    id: &str,
    side: FollowSide,
    params: &PageParams,
    uri: &Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    optional_viewer(auth, &[Scope::READ_ACCOUNTS])?;
    let rows = woolly
        .relations()
        .follows(path_id(id)?, side, params.page(PageSize::ACCOUNTS)?)
        .await?;
    Ok(super::statuses::accounts_page(woolly, rows, uri))
}

async fn followers(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    follows(&woolly, &auth, &id, FollowSide::Followers, &params, &uri).await
}

async fn following(
    State(woolly): State<Woolly>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    follows(&woolly, &auth, &id, FollowSide::Following, &params, &uri).await
}

fn relationship(relationship: &Relationship) -> Json<RelationshipEntity> {
    Json(RelationshipEntity::new(relationship))
}

#[derive(Debug, Default, Deserialize)]
struct FollowParams {
    #[serde(default, deserialize_with = "lenient::boolean")]
    reblogs: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    notify: Option<bool>,
    #[serde(default, deserialize_with = "lenient::list")]
    languages: Vec<String>,
}

async fn follow(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<FollowParams>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_FOLLOWS])?
        .user()?;
    let options = FollowOptions {
        show_reblogs: params.reblogs,
        notify: params.notify,
        languages: (!params.languages.is_empty()).then_some(params.languages),
    };
    let result = woolly
        .relations()
        .follow(account, path_id(&id)?, options)
        .await?;
    Ok(relationship(&result))
}

async fn unfollow(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_FOLLOWS])?
        .user()?;
    Ok(relationship(
        &woolly.relations().unfollow(account, path_id(&id)?).await?,
    ))
}

async fn remove_from_followers(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_FOLLOWS])?
        .user()?;
    Ok(relationship(
        &woolly
            .relations()
            .remove_from_followers(account, path_id(&id)?)
            .await?,
    ))
}

async fn block(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_BLOCKS])?
        .user()?;
    Ok(relationship(
        &woolly.relations().block(account, path_id(&id)?).await?,
    ))
}

async fn unblock(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::WRITE_BLOCKS])?
        .user()?;
    Ok(relationship(
        &woolly.relations().unblock(account, path_id(&id)?).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
struct MuteParams {
    #[serde(default, deserialize_with = "lenient::boolean")]
    notifications: Option<bool>,
    #[serde(default, deserialize_with = "lenient::id")]
    duration: Option<String>,
}

async fn mute(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
    ApiParams(params): ApiParams<MuteParams>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::FOLLOW, Scope::WRITE_MUTES])?.user()?;
    let duration = match params.duration.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| HttpError::unprocessable("Invalid duration"))?,
        ),
    };
    let options = MuteOptions {
        notifications: params.notifications.unwrap_or(true),
        duration,
    };
    Ok(relationship(
        &woolly
            .relations()
            .mute(account, path_id(&id)?, options)
            .await?,
    ))
}

async fn unmute(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::FOLLOW, Scope::WRITE_MUTES])?.user()?;
    Ok(relationship(
        &woolly.relations().unmute(account, path_id(&id)?).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
struct RelationshipsParams {
    #[serde(default, deserialize_with = "lenient::list")]
    id: Vec<String>,
}

async fn relationships(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<RelationshipsParams>,
) -> Result<Json<Vec<RelationshipEntity>>, HttpError> {
    let (account, _) = auth
        .require(&[Scope::FOLLOW, Scope::READ_FOLLOWS])?
        .user()?;
    // Unknown and malformed ids are skipped, as Mastodon does.
    let ids: Vec<i64> = params
        .id
        .iter()
        .filter_map(|id| id.parse().ok())
        .take(80)
        .collect();
    let found = woolly.relations().relationships(account.id, &ids).await?;
    Ok(Json(found.iter().map(RelationshipEntity::new).collect()))
}

/// One profile field as clients send it.
#[derive(Debug, Default, Deserialize)]
struct FieldParams {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: String,
}

/// `fields_attributes` comes as an indexed map (`fields_attributes[0][name]`) or an array.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FieldsParams {
    Indexed(std::collections::BTreeMap<String, FieldParams>),
    List(Vec<FieldParams>),
}

#[derive(Debug, Default, Deserialize)]
struct SourceParams {
    privacy: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    sensitive: Option<bool>,
    language: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct UpdateCredentialsParams {
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    locked: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    bot: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    discoverable: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    indexable: Option<bool>,
    fields_attributes: Option<FieldsParams>,
    source: Option<SourceParams>,
}

async fn update_credentials(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParamsWithFiles(params, mut files): ApiParamsWithFiles<UpdateCredentialsParams>,
) -> Result<Json<CredentialAccountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let source = params.source.unwrap_or_default();
    let privacy = match source.privacy.as_deref() {
        None | Some("") => None,
        Some(text) => Some(woolly_core::visibility::Visibility::parse(text)?),
    };
    let fields = params.fields_attributes.map(|fields| {
        let list: Vec<FieldParams> = match fields {
            FieldsParams::Indexed(map) => map.into_values().collect(),
            FieldsParams::List(list) => list,
        };
        list.into_iter()
            .map(|field| (field.name, field.value))
            .collect()
    });
    let edit = woolly_core::profile::ProfileEdit {
        display_name: params.display_name,
        note: params.note,
        locked: params.locked,
        bot: params.bot,
        discoverable: params.discoverable,
        indexable: params.indexable,
        fields,
        privacy,
        sensitive: source.sensitive,
        language: source.language,
        avatar: files.take("avatar"),
        header: files.take("header"),
        // The interface's language and the reading preferences are settings of the web
        // interface; Mastodon's API reports the latter (`/api/v1/preferences`) but sets none.
        ..woolly_core::profile::ProfileEdit::default()
    };
    let (account, user) = woolly.accounts().update_profile(account, edit).await?;
    let follow_requests = woolly.relations().follow_requests_count(account.id).await?;
    Ok(Json(CredentialAccountEntity::new(
        &account,
        &user,
        follow_requests,
        woolly.config(),
    )))
}

/// `DELETE /api/v1/profile/avatar` and `/header` (Mastodon 4.2): back to the default image.
async fn remove_image(
    State(woolly): State<Woolly>,
    auth: Auth,
    image: ProfileImage,
) -> Result<Json<CredentialAccountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    let (account, user) = woolly
        .accounts()
        .remove_profile_image(account, image)
        .await?;
    let follow_requests = woolly.relations().follow_requests_count(account.id).await?;
    Ok(Json(CredentialAccountEntity::new(
        &account,
        &user,
        follow_requests,
        woolly.config(),
    )))
}

async fn preferences(
    State(_woolly): State<Woolly>,
    auth: Auth,
) -> Result<Json<PreferencesEntity>, HttpError> {
    let (_, user) = auth.require(&[Scope::READ_ACCOUNTS])?.user()?;
    Ok(Json(PreferencesEntity::new(user)))
}

async fn blocks(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::FOLLOW, Scope::READ_BLOCKS])?.user()?;
    let rows = woolly
        .relations()
        .blocks_or_mutes(
            account.id,
            BlockOrMute::Block,
            params.page(PageSize::ACCOUNTS)?,
        )
        .await?;
    Ok(super::statuses::accounts_page(&woolly, rows, &uri))
}

async fn mutes(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Paged<AccountEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::FOLLOW, Scope::READ_MUTES])?.user()?;
    let rows = woolly
        .relations()
        .blocks_or_mutes(
            account.id,
            BlockOrMute::Mute,
            params.page(PageSize::ACCOUNTS)?,
        )
        .await?;
    Ok(super::statuses::accounts_page(&woolly, rows, &uri))
}
