//! The moderators' accounts in the web interface: `/admin/accounts`, every account with
//! Mastodon's filters (state, origin, name), sign-ups waiting for approval approved or rejected
//! from the list; `/admin/accounts/:id`, one account with its state, its warnings and their
//! appeals, and plain forms to warn, mark sensitive, disable, limit or suspend it (each
//! optionally answering a report), undo each, change its role and end a suspended account's
//! data; `/admin/appeals`, the appeals waiting for a decision; and `/admin/audit`, the audit
//! log. Every action goes through core, which checks the member's role: what a role may not do
//! is refused (403) and not written, whatever the page showed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::account_moderation::{
    AccountAction, AccountActionKind, AccountWarning, ModeratedAccount, Reversal,
};
use woolly_core::accounts::{Role, permission};
use woolly_core::{AccountState, AdminAccountFilter, AdminActionRow, CoreError, Woolly};

use crate::cards::{Author, shown_time};
use crate::forms::{ButtonForm, button_presser_on, form_presser_on};
use crate::i18n::Words;
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::PageQuery;
use crate::visitor::{Member, Visitor};

/// How many accounts, appeals or log lines a page lists.
const LISTED: i64 = 40;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/admin/accounts", get(accounts))
        .route("/admin/accounts/{id}", get(account))
        .route("/admin/accounts/{id}/action", post(act))
        .route("/admin/accounts/{id}/role", post(change_role))
        .route("/admin/accounts/{id}/notes", post(add_note))
        .route("/admin/account_notes/{id}/delete", post(delete_note))
        .route("/admin/accounts/{id}/{change}", post(change))
        .route("/admin/appeals", get(appeals))
        .route("/admin/appeals/{id}/{decision}", post(decide_appeal))
        .route("/admin/audit", get(audit))
}

/// An account as a line of the list, or the head of its page.
struct AccountLine {
    id: i64,
    author: Author,
    email: Option<String>,
    /// Its states in the reader's words (suspended, limited…).
    badges: Vec<String>,
    pending: bool,
    /// Why it asked to join (approval mode).
    reason: Option<String>,
    role: Option<&'static str>,
    joined: String,
}

impl AccountLine {
    fn new(woolly: &Woolly, words: Words, found: &ModeratedAccount) -> AccountLine {
        let limits = &found.account.limits;
        let user = found.user.as_ref();
        let states = [
            (limits.suspended_at.is_some(), "admin-state-suspended"),
            (limits.silenced_at.is_some(), "admin-state-silenced"),
            (limits.sensitized_at.is_some(), "admin-state-sensitized"),
            (
                user.is_some_and(|user| user.disabled),
                "admin-state-disabled",
            ),
            (
                user.is_some_and(|user| !user.approved),
                "admin-state-pending",
            ),
            (
                user.is_some_and(|user| !user.confirmed),
                "admin-state-unconfirmed",
            ),
        ];
        AccountLine {
            id: found.account.id,
            author: Author::of(woolly, &found.account),
            email: user.map(|user| user.email.clone()),
            badges: states
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, key)| words.t(key))
                .collect(),
            pending: user.is_some_and(|user| !user.approved),
            reason: user.and_then(|user| user.sign_up_reason.clone()),
            role: user
                .map(|user| user.role)
                .filter(|role| *role != Role::User)
                .map(Role::as_str),
            joined: shown_time(words, found.account.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    accounts: Vec<AccountLine>,
    status: String,
    origin: String,
    username: String,
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountsQuery {
    status: String,
    origin: String,
    username: String,
    max_id: Option<String>,
}

/// `GET /admin/accounts` (`?status=&origin=&username=`).
async fn accounts(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<AccountsQuery>,
) -> Response {
    let filter = AdminAccountFilter {
        local: match query.origin.as_str() {
            "local" => Some(true),
            "remote" => Some(false),
            _ => None,
        },
        state: AccountState::named(&query.status),
        username: Some(query.username.trim().to_owned()).filter(|name| !name.is_empty()),
        ..AdminAccountFilter::default()
    };
    let page = PageQuery {
        max_id: query.max_id.clone(),
    };
    let found = match page.page_of(LISTED) {
        Ok(page) => {
            woolly
                .moderation()
                .accounts_page(member.moderator(), &filter, page)
                .await
        }
        Err(error) => Err(error),
    };
    let found = match found {
        Ok(found) => found,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let older = (found.len() as i64 >= LISTED)
        .then(|| found.last().map(|last| last.account.id))
        .flatten()
        .map(|max_id| {
            format!(
                "/admin/accounts?status={}&origin={}&username={}&max_id={max_id}",
                woolly_core::urls::percent_encode(&query.status),
                woolly_core::urls::percent_encode(&query.origin),
                woolly_core::urls::percent_encode(&query.username),
            )
        });
    render(
        &visitor,
        StatusCode::OK,
        &AccountsPage {
            c: Chrome::new(&woolly, &visitor),
            section: "accounts",
            accounts: found
                .iter()
                .map(|found| AccountLine::new(&woolly, words, found))
                .collect(),
            status: query.status,
            origin: query.origin,
            username: query.username,
            older,
        },
    )
}

/// A warning as the moderators' account page shows it.
struct WarningLine {
    action: String,
    text: String,
    when: String,
    /// The appeal's words and its state in the reader's words.
    appeal: Option<(String, String)>,
    overruled: bool,
}

impl WarningLine {
    fn new(words: Words, warning: &AccountWarning) -> WarningLine {
        WarningLine {
            action: words.t(&format!("admin-action-{}", warning.action.as_str())),
            text: warning.text.clone(),
            when: shown_time(words, warning.created_at),
            appeal: warning.appeal.as_ref().map(|appeal| {
                let state = words.t(&format!("appeal-state-{}", appeal.state()));
                (appeal.text.clone(), state)
            }),
            overruled: warning.overruled_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_account.html")]
struct AccountPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    account: AccountLine,
    local: bool,
    /// The actions the form offers: (value, label).
    actions: Vec<(&'static str, String)>,
    /// The reversals that apply: (path segment, label).
    reversals: Vec<(&'static str, String)>,
    /// The roles the member may give, when they may change this user's.
    roles: Vec<(&'static str, String)>,
    current_role: &'static str,
    can_delete: bool,
    report_id: String,
    warnings: Vec<WarningLine>,
    notes: Vec<NoteLine>,
    /// What moderators did to the account, newest first.
    history: Vec<AuditLine>,
}

/// A moderator's note as the account's page shows it.
struct NoteLine {
    id: i64,
    author: String,
    when: String,
    content: String,
    deletable: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountQuery {
    report_id: String,
}

/// `GET /admin/accounts/:id` (`?report_id=` when it answers a report).
async fn account(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(id): Path<String>,
    Query(query): Query<AccountQuery>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    let moderation = woolly.moderation();
    let read = async {
        let by = member.moderator();
        let found = moderation.account_by_id(by, id).await?;
        let warnings = moderation.warnings_of(&found.account).await?;
        let notes = moderation.account_notes(by, id).await?;
        let history = moderation.account_history(by, id).await?;
        Ok::<_, CoreError>((found, warnings, notes, history))
    };
    let (found, warnings, notes, history) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let local = found.account.is_local();
    let limits = &found.account.limits;
    let user = found.user.as_ref();
    let label = |key: &str| words.t(key);
    let actions = [
        (local, "none"),
        (true, "sensitive"),
        (local, "disable"),
        (true, "silence"),
        (true, "suspend"),
    ]
    .into_iter()
    .filter(|(offered, _)| *offered)
    .map(|(_, kind)| (kind, label(&format!("admin-do-{kind}"))))
    .collect();
    let reversals = [
        (
            limits.suspended_at.is_some(),
            Reversal::Unsuspend,
            "unsuspend",
        ),
        (
            limits.silenced_at.is_some(),
            Reversal::Unsilence,
            "unsilence",
        ),
        (
            limits.sensitized_at.is_some(),
            Reversal::Unsensitive,
            "unsensitive",
        ),
        (
            user.is_some_and(|user| user.disabled),
            Reversal::Enable,
            "enable",
        ),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, _, name)| (name, label(&format!("admin-undo-{name}"))))
    .collect();
    let role = member.user.role;
    let roles = match user {
        Some(target)
            if role.can(permission::MANAGE_ROLES) && target.account_id != member.account.id =>
        {
            Role::ALL
                .into_iter()
                .filter(|given| role == Role::Owner || role > *given)
                .map(|given| (given.as_str(), label(&format!("role-{}", given.as_str()))))
                .collect()
        }
        _ => Vec::new(),
    };
    let page = AccountPage {
        c: Chrome::new(&woolly, &visitor),
        section: "accounts",
        account: AccountLine::new(&woolly, words, &found),
        local,
        actions,
        reversals,
        roles,
        current_role: user.map(|user| user.role.as_str()).unwrap_or("user"),
        can_delete: limits.suspended_at.is_some() && role.can(permission::DELETE_USER_DATA),
        report_id: query.report_id,
        warnings: warnings
            .iter()
            .map(|warning| WarningLine::new(words, warning))
            .collect(),
        notes: notes
            .into_iter()
            .map(|note| NoteLine {
                id: note.id,
                author: note.author.acct(),
                when: shown_time(words, note.created_at),
                content: note.content,
                deletable: note.deletable,
            })
            .collect(),
        history: history
            .into_iter()
            .map(|entry| AuditLine::new(words, entry))
            .collect(),
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    authenticity_token: String,
    return_to: String,
    kind: String,
    text: String,
    report_id: String,
    notify: Option<String>,
}

/// `POST /admin/accounts/:id/action`.
async fn act(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    let token = &form.authenticity_token;
    let (member, id) = match form_presser_on(&woolly, &visitor, token, &form.return_to, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let acted = async {
        let report_id = match form.report_id.trim() {
            "" => None,
            text => Some(text.parse::<i64>().map_err(|_| CoreError::NotFound)?),
        };
        let action = AccountAction {
            kind: AccountActionKind::parse(&form.kind)?,
            report_id,
            text: form.text.clone(),
            notify: form.notify.is_some(),
        };
        woolly
            .moderation()
            .act_on_account(member.moderator(), id, action)
            .await
    };
    match acted.await {
        Ok(_) => redirect(&visitor, &format!("/admin/accounts/{id}")),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleForm {
    authenticity_token: String,
    return_to: String,
    role: String,
}

/// `POST /admin/accounts/:id/role`.
async fn change_role(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Response {
    let token = &form.authenticity_token;
    let (member, id) = match form_presser_on(&woolly, &visitor, token, &form.return_to, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let changed = async {
        let role = Role::parse(&form.role)?;
        woolly
            .moderation()
            .change_role(member.moderator(), id, role)
            .await
    };
    match changed.await {
        Ok(_) => redirect(&visitor, &format!("/admin/accounts/{id}")),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    authenticity_token: String,
    return_to: String,
    content: String,
}

/// `POST /admin/accounts/:id/notes`.
async fn add_note(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    let token = &form.authenticity_token;
    let (member, id) = match form_presser_on(&woolly, &visitor, token, &form.return_to, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly
        .moderation()
        .add_account_note(member.moderator(), id, &form.content)
        .await
    {
        Ok(_) => redirect(&visitor, &format!("/admin/accounts/{id}#notes-heading")),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/account_notes/:id/delete`.
async fn delete_note(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly
        .moderation()
        .delete_account_note(member.moderator(), id)
        .await
    {
        Ok(()) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/accounts/:id/{approve,reject,unsuspend,unsilence,unsensitive,enable,destroy}`.
async fn change(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((id, change)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let moderation = woolly.moderation();
    let by = member.moderator();
    let done = match change.as_str() {
        "approve" => moderation.approve(by, id).await,
        "reject" => moderation.reject(by, id).await,
        "destroy" => moderation.delete_account_data(by, id).await,
        name => match Reversal::parse(name) {
            Some(reversal) => moderation.reverse(by, id, reversal).await,
            None => Err(CoreError::NotFound),
        },
    };
    match done {
        // A rejected sign-up and an ended account have no page left.
        Ok(_) if matches!(change.as_str(), "reject" | "destroy") => {
            redirect(&visitor, "/admin/accounts")
        }
        Ok(_) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// An appeal waiting for a decision.
struct AppealLine {
    id: i64,
    author: Author,
    account_id: i64,
    warning: WarningLine,
}

#[derive(Template)]
#[template(path = "admin_appeals.html")]
struct AppealsPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    appeals: Vec<AppealLine>,
}

/// `GET /admin/appeals`.
async fn appeals(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let warnings = match woolly
        .moderation()
        .pending_appeals(member.moderator())
        .await
    {
        Ok(warnings) => warnings,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let appeals = warnings
        .iter()
        .filter_map(|warning| {
            Some(AppealLine {
                id: warning.appeal.as_ref()?.id,
                author: Author::of(&woolly, &warning.target),
                account_id: warning.target.id,
                warning: WarningLine::new(words, warning),
            })
        })
        .collect();
    render(
        &visitor,
        StatusCode::OK,
        &AppealsPage {
            c: Chrome::new(&woolly, &visitor),
            section: "appeals",
            appeals,
        },
    )
}

/// `POST /admin/appeals/:id/{approve,reject}`.
async fn decide_appeal(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((id, decision)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return refusal(&woolly, &visitor, &CoreError::NotFound),
    };
    match woolly
        .moderation()
        .decide_appeal(member.moderator(), id, approve)
        .await
    {
        Ok(()) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// What an entry of the audit log says was done, for its kind of target when the catalogue
/// says it so (`audit-DomainBlock-create`), else by its action alone.
fn audit_words(words: Words, entry: &AdminActionRow) -> String {
    words.first_of(&[
        &format!("audit-{}-{}", entry.target_type, entry.action),
        &format!("audit-{}", entry.action),
    ])
}

/// A line of the audit log.
struct AuditLine {
    when: String,
    who: String,
    /// What was done, in the reader's words, and to what.
    what: String,
    target: String,
    /// The moderators' page of the account it was about, if it was about one.
    link: Option<String>,
}

impl AuditLine {
    fn new(words: Words, entry: AdminActionRow) -> AuditLine {
        AuditLine {
            when: shown_time(words, entry.created_at),
            what: audit_words(words, &entry),
            link: matches!(entry.target_type.as_str(), "Account" | "User")
                .then(|| entry.target_id.map(|id| format!("/admin/accounts/{id}")))
                .flatten(),
            who: entry.actor_label,
            target: entry.target_label,
        }
    }
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    lines: Vec<AuditLine>,
    older: Option<String>,
}

/// `GET /admin/audit` (`?max_id=` for older entries).
async fn audit(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(page): Query<PageQuery>,
) -> Response {
    let entries = match page.page_of(LISTED) {
        Ok(page) => {
            woolly
                .moderation()
                .audit_log(member.moderator(), page)
                .await
        }
        Err(error) => Err(error),
    };
    let entries = match entries {
        Ok(entries) => entries,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let older = (entries.len() as i64 >= LISTED)
        .then(|| entries.last().map(|entry| entry.id))
        .flatten()
        .map(|max_id| format!("/admin/audit?max_id={max_id}"));
    let lines = entries
        .into_iter()
        .map(|entry| AuditLine::new(words, entry))
        .collect();
    render(
        &visitor,
        StatusCode::OK,
        &AuditPage {
            c: Chrome::new(&woolly, &visitor),
            section: "audit",
            lines,
            older,
        },
    )
}
