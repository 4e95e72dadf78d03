//! `GET /api/v1/instance` and `GET /api/v2/instance`: public, no token needed.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use woolly_core::Woolly;

use crate::entities::{AccountEntity, InstanceV1, InstanceV2};
use crate::error::ApiError;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/instance", get(instance_v1))
        .route("/api/v2/instance", get(instance_v2))
        .route("/api/v1/instance/rules", get(rules))
        .route("/api/v1/instance/peers", get(peers))
}

async fn rules(State(woolly): State<Woolly>) -> Json<Vec<Value>> {
    Json(crate::entities::instance_rules(woolly.config()))
}

async fn peers(State(woolly): State<Woolly>) -> Result<Json<Vec<String>>, ApiError> {
    Ok(Json(woolly.peers().await?))
}

async fn contact(woolly: &Woolly) -> Result<Option<AccountEntity>, ApiError> {
    let Some(account) = woolly.contact_account().await? else {
        return Ok(None);
    };
    let role = woolly.local_user(account.id).await?.map(|user| user.role);
    Ok(Some(AccountEntity::new(&account, role, woolly.config())))
}

async fn instance_v2(State(woolly): State<Woolly>) -> Result<Json<InstanceV2>, ApiError> {
    let stats = woolly.instance_stats().await?;
    let contact = contact(&woolly).await?;
    Ok(Json(InstanceV2::new(&woolly, &stats, contact)))
}

async fn instance_v1(State(woolly): State<Woolly>) -> Result<Json<InstanceV1>, ApiError> {
    let stats = woolly.instance_stats().await?;
    let contact = contact(&woolly).await?;
    Ok(Json(InstanceV1::new(&woolly, &stats, contact)))
}
