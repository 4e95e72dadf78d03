//! The moderators' screens: `/admin/reports`, the reports this server received (open ones, or
//! resolved ones with `?resolved=1`), each with who reported whom, why, the posts it names, and
//! buttons to take it on, let it go, resolve and reopen it. Core decides who may: members whose
//! role cannot handle reports are refused (403), as the admin API refuses them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::reports::{Report, ReportAction};
use woolly_core::status_moderation::StatusAction;
use woolly_core::{CoreError, ReportFilter, Woolly};

use crate::cards::{Author, StatusCard, shown_time};
use crate::forms::{ButtonForm, button_presser_on, form_presser_on};
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::PageQuery;
use crate::visitor::Member;

/// How many reports a page lists.
const REPORTS_LISTED: i64 = 20;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/admin/reports", get(reports))
        .route("/admin/reports/{id}/statuses", post(act_on_statuses))
        .route("/admin/reports/{id}/{action}", post(handle))
}

/// A report as the moderators' page shows it.
struct ReportCard {
    id: i64,
    reporter: Author,
    target: Author,
    /// The reported account's id, for the moderators' page of it.
    target_id: i64,
    /// The category in the reader's words.
    category: String,
    comment: String,
    /// The rules it names, by their text.
    rules: Vec<String>,
    statuses: Vec<StatusCard>,
    /// The ids of those posts still here, comma-separated, for the form that acts on them.
    status_ids: String,
    when: String,
    assigned: Option<Author>,
    /// When and by whom it was resolved.
    resolved: Option<(String, Option<Author>)>,
}

#[derive(Template)]
#[template(path = "admin_reports.html")]
struct ReportsPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    resolved: bool,
    reports: Vec<ReportCard>,
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportsQuery {
    resolved: Option<String>,
    max_id: Option<String>,
}

/// `GET /admin/reports` (`?resolved=1` for the resolved ones).
async fn reports(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<ReportsQuery>,
) -> Response {
    let resolved = query.resolved.is_some();
    let page = PageQuery {
        max_id: query.max_id.clone(),
    };
    let read = async {
        let filter = ReportFilter {
            resolved,
            ..ReportFilter::default()
        };
        let reports = woolly
            .moderation()
            .reports(member.moderator(), filter, page.page_of(REPORTS_LISTED)?)
            .await?;
        let status_ids: Vec<i64> = reports
            .iter()
            .flat_map(|report| report.status_ids.iter().copied())
            .collect();
        let views = woolly
            .statuses()
            .views(Some(member.account.id), &status_ids)
            .await?;
        // Removed rules too: a report names the rules as they were.
        let rules = woolly.instance().rules_ever().await?;
        Ok::<_, CoreError>((reports, views, rules))
    };
    let (reports, views, rules) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let card = |report: &Report| ReportCard {
        id: report.id,
        reporter: Author::of(&woolly, &report.reporter),
        target: Author::of(&woolly, &report.target),
        target_id: report.target.id,
        category: words.t(&format!("report-category-{}", report.category.as_str())),
        comment: report.comment.clone(),
        rules: report
            .rule_ids
            .iter()
            .filter_map(|id| rules.iter().find(|rule| rule.id == *id))
            .map(|rule| rule.text.clone())
            .collect(),
        statuses: views
            .iter()
            .filter(|view| report.status_ids.contains(&view.status.id))
            .map(|view| StatusCard::new(&woolly, words, view, Some(member.account.id)))
            .collect(),
        status_ids: views
            .iter()
            .filter(|view| report.status_ids.contains(&view.status.id))
            .map(|view| view.status.id.to_string())
            .collect::<Vec<_>>()
            .join(","),
        when: shown_time(words, report.created_at),
        assigned: report
            .assigned
            .as_ref()
            .map(|account| Author::of(&woolly, account)),
        resolved: report.action_taken_at.map(|at| {
            let by = report
                .action_taken_by
                .as_ref()
                .map(|account| Author::of(&woolly, account));
            (shown_time(words, at), by)
        }),
    };
    let older = (reports.len() as i64 >= REPORTS_LISTED)
        .then(|| reports.last().map(|report| report.id))
        .flatten()
        .map(|max_id| {
            let filter = if resolved { "resolved=1&" } else { "" };
            format!("/admin/reports?{filter}max_id={max_id}")
        });
    render(
        &visitor,
        StatusCode::OK,
        &ReportsPage {
            c: Chrome::new(&woolly, &visitor),
            section: "reports",
            resolved,
            reports: reports.iter().map(card).collect(),
            older,
        },
    )
}

/// `POST /admin/reports/:id/{assign_to_self,unassign,resolve,reopen}`.
async fn handle(
    State(woolly): State<Woolly>,
    visitor: crate::visitor::Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let Some(action) = ReportAction::parse(&action) else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    match woolly
        .moderation()
        .handle_report(member.moderator(), id, action)
        .await
    {
        Ok(_) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// The form that takes an action on a report's posts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusesForm {
    authenticity_token: String,
    return_to: String,
    /// `remove` or `mark_sensitive`: the button pressed.
    action: String,
    /// The posts, as comma-separated ids.
    status_ids: String,
    /// The warning's words to their author.
    text: String,
    /// Present when the author is told.
    notify: Option<String>,
}

/// `POST /admin/reports/:id/statuses`: removes the report's posts or marks their media
/// sensitive, with a warning to their author.
async fn act_on_statuses(
    State(woolly): State<Woolly>,
    visitor: crate::visitor::Visitor,
    Path(id): Path<String>,
    Form(form): Form<StatusesForm>,
) -> Response {
    let token = &form.authenticity_token;
    let (member, id) = match form_presser_on(&woolly, &visitor, token, &form.return_to, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let (Some(action), Ok(status_ids)) = (
        StatusAction::parse(&form.action),
        form.status_ids
            .split(',')
            .filter(|id| !id.trim().is_empty())
            .map(|id| id.trim().parse::<i64>())
            .collect::<Result<Vec<i64>, _>>(),
    ) else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    let notify = form.notify.is_some();
    match woolly
        .moderation()
        .act_on_reported_statuses(
            member.moderator(),
            id,
            &status_ids,
            action,
            &form.text,
            notify,
        )
        .await
    {
        Ok(_) => redirect(
            &visitor,
            crate::forms::local_path(&form.return_to).unwrap_or("/admin/reports"),
        ),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
