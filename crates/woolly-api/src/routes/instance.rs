//! `GET /api/v1/instance`, `GET /api/v2/instance`, the instance's pages (rules, peers,
//! activity, extended description, privacy policy, terms of service) and its custom emojis:
//! public, no token needed.

use axum::extract::State;
use axum::http::header;
use axum::routing::get;
use axum::{Json, Router};
use woolly_core::Woolly;
use woolly_core::instance::InstanceOverview;

use crate::entities::{
    AccountEntity, ActivityEntity, CustomEmojiEntity, DatedTextEntity, InstanceV1, InstanceV2,
    RuleEntity, TermsOfServiceEntity,
};
use woolly_http::error::HttpError;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/instance", get(instance_v1))
        .route("/api/v2/instance", get(instance_v2))
        .route("/api/v1/instance/rules", get(rules))
        .route("/api/v1/instance/peers", get(peers))
        .route("/api/v1/instance/activity", get(activity))
        .route(
            "/api/v1/instance/extended_description",
            get(extended_description),
        )
        .route("/api/v1/instance/privacy_policy", get(privacy_policy))
        .route("/api/v1/instance/terms_of_service", get(terms_of_service))
        .route("/api/v1/custom_emojis", get(custom_emojis))
}

async fn custom_emojis(
    State(woolly): State<Woolly>,
) -> Result<Json<Vec<CustomEmojiEntity>>, HttpError> {
    let emojis = woolly.instance().custom_emojis().await?;
    Ok(Json(emojis.iter().map(CustomEmojiEntity::new).collect()))
}

async fn extended_description(
    State(woolly): State<Woolly>,
) -> Result<Json<DatedTextEntity>, HttpError> {
    Ok(Json(DatedTextEntity::new(
        &woolly.instance().extended_description().await?,
    )))
}

async fn privacy_policy(State(woolly): State<Woolly>) -> Result<Json<DatedTextEntity>, HttpError> {
    Ok(Json(DatedTextEntity::new(
        &woolly.instance().privacy_policy().await?,
    )))
}

/// 404 when the operator published no terms, as Mastodon answers.
async fn terms_of_service(
    State(woolly): State<Woolly>,
) -> Result<Json<TermsOfServiceEntity>, HttpError> {
    let terms = woolly
        .instance()
        .terms_of_service()
        .await?
        .ok_or(HttpError::not_found())?;
    Ok(Json(TermsOfServiceEntity::new(&terms)))
}

/// Weekly activity, this week first.
async fn activity(State(woolly): State<Woolly>) -> Result<Json<Vec<ActivityEntity>>, HttpError> {
    let weeks = woolly.instance().weekly_activity().await?;
    Ok(Json(weeks.iter().map(ActivityEntity::new).collect()))
}

async fn rules(State(woolly): State<Woolly>) -> Result<Json<Vec<RuleEntity>>, HttpError> {
    let rules = woolly.instance().rules().await?;
    Ok(Json(crate::entities::instance_rules(&rules)))
}

async fn peers(State(woolly): State<Woolly>) -> Result<Json<Vec<String>>, HttpError> {
    Ok(Json(woolly.instance().peers().await?))
}

/// The figures, contact account and registrations of the instance document (read at most
/// once a minute).
async fn overview(
    woolly: &Woolly,
) -> Result<(std::sync::Arc<InstanceOverview>, Option<AccountEntity>), HttpError> {
    let overview = woolly.instance().overview().await?;
    let contact = overview
        .contact
        .as_ref()
        .map(|(account, role)| AccountEntity::new(account, Some(*role), woolly.config()));
    Ok((overview, contact))
}

/// Mastodon lets clients and proxies keep the instance document for three minutes.
const INSTANCE_CACHE_CONTROL: [(header::HeaderName, &str); 1] =
    [(header::CACHE_CONTROL, "max-age=180, public")];

async fn instance_v2(
    State(woolly): State<Woolly>,
) -> Result<([(header::HeaderName, &'static str); 1], Json<InstanceV2>), HttpError> {
    let (overview, contact) = overview(&woolly).await?;
    Ok((
        INSTANCE_CACHE_CONTROL,
        Json(InstanceV2::new(&woolly, &overview, contact)),
    ))
}

async fn instance_v1(
    State(woolly): State<Woolly>,
) -> Result<([(header::HeaderName, &'static str); 1], Json<InstanceV1>), HttpError> {
    let (overview, contact) = overview(&woolly).await?;
    Ok((
        INSTANCE_CACHE_CONTROL,
        Json(InstanceV1::new(&woolly, &overview, contact)),
    ))
}
