//! Reports (`methods/reports.md`): a user reports an account and some of its posts to this
//! server's moderators; and the moderators' side (`methods/admin/reports.md`): listing reports,
//! taking one on, letting it go, resolving and reopening it. A user whose role may not handle
//! reports gets 403 from the admin routes, as from Mastodon's.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use woolly_core::account_moderation::Moderator;
use woolly_core::auth::Scope;
use woolly_core::reports::{NewReport, Report, ReportAction, ReportCategory};
use woolly_core::{ReportFilter, Woolly};

use crate::auth::{Auth, path_id};
use crate::entities::{AdminReportEntity, ReportContext, ReportEntity, instance_rules};
use woolly_http::error::HttpError;
use woolly_http::extract::{ApiParams, ApiQuery};
use woolly_http::lenient;
use woolly_http::pagination::{PageParams, PageSize, Paged};

pub(super) fn router() -> Router<Woolly> {
    Router::new()
        // Mastodon.py posts to `/api/v1/reports/`.
        .route("/api/v1/reports", post(create))
        .route("/api/v1/reports/", post(create))
        .route("/api/v1/admin/reports", get(index))
        .route("/api/v1/admin/reports/{id}", get(show))
        .route("/api/v1/admin/reports/{id}/{action}", post(handle))
}

#[derive(Debug, Default, Deserialize)]
struct ReportParams {
    #[serde(default, deserialize_with = "lenient::id")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    status_ids: Vec<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default, deserialize_with = "lenient::integer_list")]
    rule_ids: Vec<i64>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    forward: Option<bool>,
}

/// `POST /api/v1/reports`.
async fn create(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiParams(params): ApiParams<ReportParams>,
) -> Result<Json<ReportEntity>, HttpError> {
    let (account, _) = auth.require(&[Scope::WRITE_REPORTS])?.user()?;
    let target = params
        .account_id
        .as_deref()
        .ok_or_else(|| HttpError::unprocessable("Validation failed: Account can't be blank"))?;
    let category = match params.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(ReportCategory::parse(text)?),
    };
    let new = NewReport {
        target_account_id: path_id(target)?,
        status_ids: params
            .status_ids
            .iter()
            .map(|id| path_id(id))
            .collect::<Result<_, _>>()?,
        comment: params.comment.unwrap_or_default(),
        category,
        rule_ids: params.rule_ids,
        forward: params.forward.unwrap_or(false),
    };
    let report = woolly.moderation().report(account, new).await?;
    Ok(Json(ReportEntity::new(&report, woolly.config())))
}

#[derive(Debug, Default, Deserialize)]
struct ReportQuery {
    #[serde(default, deserialize_with = "lenient::boolean")]
    resolved: Option<bool>,
    #[serde(default, deserialize_with = "lenient::id")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::id")]
    target_account_id: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

/// Reports as moderators see them, with the local users behind their accounts and the
/// statuses they attach.
async fn admin_entities(
    woolly: &Woolly,
    moderator: i64,
    reports: &[Report],
) -> Result<Vec<AdminReportEntity>, HttpError> {
    let mut local_ids: Vec<i64> = Vec::new();
    let mut status_ids: Vec<i64> = Vec::new();
    for report in reports {
        for account in [&report.reporter, &report.target]
            .into_iter()
            .chain(report.assigned.as_ref())
            .chain(report.action_taken_by.as_ref())
        {
            if account.is_local() && !local_ids.contains(&account.id) {
                local_ids.push(account.id);
            }
        }
        status_ids.extend(report.status_ids.iter().copied());
    }
    let mut users = HashMap::new();
    for id in local_ids {
        if let Some(user) = woolly.accounts().local_user(id).await? {
            users.insert(id, user);
        }
    }
    let statuses: HashMap<i64, _> = woolly
        .statuses()
        .views(Some(moderator), &status_ids)
        .await?
        .into_iter()
        .map(|view| (view.status.id, view))
        .collect();
    // Removed rules too: a report names the rules as they were.
    let rules = instance_rules(&woolly.instance().rules_ever().await?);
    let context = ReportContext {
        users: &users,
        statuses: &statuses,
        moderator,
        rules: &rules,
        config: woolly.config(),
    };
    Ok(reports
        .iter()
        .map(|report| AdminReportEntity::new(report, &context))
        .collect())
}

/// `GET /api/v1/admin/reports`: open reports (or resolved ones with `resolved=true`), newest
/// first.
async fn index(
    State(woolly): State<Woolly>,
    auth: Auth,
    ApiQuery(query): ApiQuery<ReportQuery>,
    uri: Uri,
) -> Result<Paged<AdminReportEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_REPORTS])?.user()?;
    let filter = ReportFilter {
        resolved: query.resolved.unwrap_or(false),
        account_id: query.account_id.as_deref().map(path_id).transpose()?,
        target_account_id: query
            .target_account_id
            .as_deref()
            .map(path_id)
            .transpose()?,
    };
    let reports = woolly
        .moderation()
        .reports(
            Moderator::Staff { account, user },
            filter,
            query.page.page(PageSize::REPORTS)?,
        )
        .await?;
    let cursors = reports
        .first()
        .zip(reports.last())
        .map(|(newest, oldest)| (newest.id, oldest.id));
    let items = admin_entities(&woolly, account.id, &reports).await?;
    Ok(Paged::new(items, cursors, woolly.config(), &uri))
}

/// `GET /api/v1/admin/reports/:id`.
async fn show(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<AdminReportEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_READ_REPORTS])?.user()?;
    let report = woolly
        .moderation()
        .report_by_id(Moderator::Staff { account, user }, path_id(&id)?)
        .await?;
    let mut entities = admin_entities(&woolly, account.id, &[report]).await?;
    entities.pop().map(Json).ok_or_else(HttpError::not_found)
}

/// `POST /api/v1/admin/reports/:id/{assign_to_self,unassign,resolve,reopen}`.
async fn handle(
    State(woolly): State<Woolly>,
    auth: Auth,
    Path((id, action)): Path<(String, String)>,
) -> Result<Json<AdminReportEntity>, HttpError> {
    let (account, user) = auth.require(&[Scope::ADMIN_WRITE_REPORTS])?.user()?;
    let action = ReportAction::parse(&action).ok_or_else(HttpError::not_found)?;
    let report = woolly
        .moderation()
        .handle_report(Moderator::Staff { account, user }, path_id(&id)?, action)
        .await?;
    let mut entities = admin_entities(&woolly, account.id, &[report]).await?;
    entities.pop().map(Json).ok_or_else(HttpError::not_found)
}
