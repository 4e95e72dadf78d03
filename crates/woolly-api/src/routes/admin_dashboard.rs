//! The dashboard's figures for moderators (`methods/admin/measures.md`,
//! `methods/admin/dimensions.md`, `methods/admin/retention.md`): counts per day over a period,
//! parts of a whole, and how many of those who joined came back. Values are strings, as
//! Mastodon sends them.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use woolly_core::Woolly;
use woolly_core::account_moderation::Moderator;
use woolly_core::auth::Scope;
use woolly_core::dashboard::Frequency;

use crate::entities::iso8601;
use woolly_http::error::HttpError;
use woolly_http::extract::ApiParams;
use woolly_http::lenient;
use woolly_http::time::parse_day_or_time;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v1/admin/measures", post(measures))
        .route("/api/v1/admin/dimensions", post(dimensions))
        .route("/api/v1/admin/retention", post(retention))
}

#[derive(Debug, Default, Deserialize)]
struct FigureParams {
    #[serde(default, deserialize_with = "lenient::list")]
    keys: Vec<String>,
    #[serde(default)]
    start_at: Option<String>,
    #[serde(default)]
    end_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::integer")]
    limit: Option<i64>,
    #[serde(default)]
    frequency: Option<String>,
}

impl FigureParams {
    fn period(&self) -> Result<(i64, i64), HttpError> {
        let day = |name: &str, text: &Option<String>| {
            text.as_deref().and_then(parse_day_or_time).ok_or_else(|| {
                HttpError::unprocessable(format!("Validation failed: {name} is invalid"))
            })
        };
        Ok((
            day("Start at", &self.start_at)?,
            day("End at", &self.end_at)?,
        ))
    }
}

#[derive(Debug, Serialize)]
struct MeasureEntity {
    key: &'static str,
    unit: Option<&'static str>,
    total: String,
    previous_total: String,
    data: Vec<MeasureDay>,
}

#[derive(Debug, Serialize)]
struct MeasureDay {
    date: String,
    value: String,
}

#[derive(Debug, Serialize)]
struct DimensionEntity {
    key: &'static str,
    data: Vec<DimensionPart>,
}

#[derive(Debug, Serialize)]
struct DimensionPart {
    key: String,
    human_key: String,
    value: String,
}

/// `POST /api/v1/admin/measures`.
async fn measures(
    State(woolly): State<Woolly>,
    auth: crate::auth::Auth,
    ApiParams(params): ApiParams<FigureParams>,
) -> Result<Json<Vec<MeasureEntity>>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let (start, end) = params.period()?;
    let results = woolly
        .moderation()
        .measures(by, &params.keys, start, end)
        .await?;
    Ok(Json(
        results
            .into_iter()
            .map(|result| MeasureEntity {
                key: result.key,
                unit: None,
                total: result.total.to_string(),
                previous_total: result.previous_total.to_string(),
                data: result
                    .data
                    .into_iter()
                    .map(|(day, value)| MeasureDay {
                        date: iso8601(day),
                        value: value.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// `POST /api/v1/admin/dimensions`.
async fn dimensions(
    State(woolly): State<Woolly>,
    auth: crate::auth::Auth,
    ApiParams(params): ApiParams<FigureParams>,
) -> Result<Json<Vec<DimensionEntity>>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let (start, end) = params.period()?;
    let limit = params.limit.unwrap_or(10).clamp(1, 100);
    let results = woolly
        .moderation()
        .dimensions(by, &params.keys, start, end, limit)
        .await?;
    Ok(Json(
        results
            .into_iter()
            .map(|result| DimensionEntity {
                key: result.key,
                data: result
                    .data
                    .into_iter()
                    .map(|(key, human_key, value)| DimensionPart {
                        key,
                        human_key,
                        value,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// `Admin::Cohort` (`entities/Admin_Cohort.md`).
#[derive(Debug, Serialize)]
struct CohortEntity {
    period: String,
    frequency: &'static str,
    data: Vec<CohortData>,
}

#[derive(Debug, Serialize)]
struct CohortData {
    date: String,
    rate: f64,
    value: String,
}

/// `POST /api/v1/admin/retention`.
async fn retention(
    State(woolly): State<Woolly>,
    auth: crate::auth::Auth,
    ApiParams(params): ApiParams<FigureParams>,
) -> Result<Json<Vec<CohortEntity>>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ])?.user()?;
    let by = Moderator::Staff { account, user };
    let (start, end) = params.period()?;
    let frequency = Frequency::parse(params.frequency.as_deref().unwrap_or("day"))?;
    let cohorts = woolly
        .moderation()
        .retention(by, start, end, frequency)
        .await?;
    Ok(Json(
        cohorts
            .into_iter()
            .map(|cohort| CohortEntity {
                period: iso8601(cohort.period),
                frequency: cohort.frequency.as_str(),
                data: cohort
                    .data
                    .into_iter()
                    .map(|(date, rate, value)| CohortData {
                        date: iso8601(date),
                        rate,
                        value: value.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}
