//! Follow suggestions (`methods/suggestions.md`): `GET /api/v2/suggestions` (accounts with why),
//! `GET /api/v1/suggestions` (the accounts alone) and `DELETE /api/v1/suggestions/:account_id`.

use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use woolly_core::Woolly;
use woolly_core::auth::Scope;
use woolly_core::suggestions::Suggestion;

use super::trends::mastodon_count;
use crate::auth::Auth;
use crate::entities::{AccountEntity, SuggestionEntity};
use woolly_http::error::HttpError;
use woolly_http::extract::ApiQuery;

/// Mastodon's default page; at most twice as many.
const DEFAULT_LIMIT: i64 = 40;

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        .route("/api/v2/suggestions", get(suggestions_v2))
        .route("/api/v1/suggestions", get(suggestions_v1))
        .route("/api/v1/suggestions/{account_id}", delete(dismiss))
}

#[derive(Debug, Default, Deserialize)]
struct SuggestionParams {
    limit: Option<String>,
    offset: Option<String>,
}

async fn page(
    woolly: &Woolly,
    auth: &Auth,
    params: &SuggestionParams,
) -> Result<Vec<Suggestion>, HttpError> {
    let (account, _) = auth.require(&[Scope::READ_ACCOUNTS])?.user()?;
    let limit = mastodon_count(params.limit.as_deref(), DEFAULT_LIMIT, 2 * DEFAULT_LIMIT);
    let offset = mastodon_count(params.offset.as_deref(), 0, 100_000);
    if limit == 0 {
        return Ok(Vec::new());
    }
    Ok(woolly
        .discovery()
        .suggestions(
            account.id,
            usize::try_from(limit).unwrap_or_default(),
            usize::try_from(offset).unwrap_or_default(),
        )
        .await?)
}

async fn suggestions_v2(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<SuggestionParams>,
) -> Result<Json<Vec<SuggestionEntity>>, HttpError> {
    let suggestions = page(&woolly, &auth, &params).await?;
    Ok(Json(
        suggestions
            .iter()
            .map(|suggestion| SuggestionEntity::new(suggestion, woolly.config()))
            .collect(),
    ))
}

async fn suggestions_v1(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(params): ApiQuery<SuggestionParams>,
) -> Result<Json<Vec<AccountEntity>>, HttpError> {
    let suggestions = page(&woolly, &auth, &params).await?;
    Ok(Json(
        suggestions
            .iter()
            .map(|suggestion| AccountEntity::new(&suggestion.account, None, woolly.config()))
            .collect(),
    ))
}

/// `{}` whatever the id, as Mastodon answers.
async fn dismiss(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(account_id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_ACCOUNTS])?.user()?;
    if let Ok(target) = account_id.parse::<i64>() {
        woolly
            .discovery()
            .dismiss_suggestion(account.id, target)
            .await?;
    }
    Ok(Json(json!({})))
}

#[cfg(test)]
mod tests {
    use super::mastodon_count;

    #[test]
    fn counts_are_read_as_mastodon_reads_them() {
        let read = |text: &str| mastodon_count(Some(text), 40, 80);
        assert_eq!(mastodon_count(None, 40, 80), 40);
        assert_eq!(read(""), 40);
        assert_eq!(read("5"), 5);
        assert_eq!(read("-5"), 5);
        assert_eq!(read("500"), 80);
        assert_eq!(read("abc"), 0);
        assert_eq!(read("12abc"), 12);
    }
}
