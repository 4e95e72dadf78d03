//! Moving an account, in a member's settings (`/settings/migration`): the aliases this account
//! may be moved to from (added by address, removed by button), and the move of this account to
//! another, with the password. Core checks everything (see `woolly_core::moving`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::Woolly;

use crate::cards::{Author, shown_time};
use crate::forms::{FormErrors, form_presser, status_of};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, SignedIn, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/settings/migration", get(migration).post(move_account))
        .route("/settings/aliases", post(add_alias))
        .route("/settings/aliases/remove", post(remove_alias))
}

#[derive(Template)]
#[template(path = "settings_migration.html")]
struct MigrationPage<'a> {
    c: Chrome<'a>,
    /// (actor id, the account when known).
    aliases: Vec<(String, Option<Author>)>,
    alias_errors: FormErrors,
    moved_to: Option<Author>,
    /// When the account last moved, and from when it may move again.
    last_move: Option<(String, String)>,
    move_errors: FormErrors,
    /// Just done: `moved` or `alias`.
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MigrationQuery {
    done: Option<String>,
}

async fn page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    done: Option<String>,
    (alias_errors, move_errors): (FormErrors, FormErrors),
) -> Response {
    let accounts = woolly.accounts();
    // The account as it is now: a move just made shows at once.
    let account = match accounts.account(member.account.id).await {
        Ok(Some(account)) => account,
        Ok(None) => member.account.clone(),
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let read = async {
        Ok::<_, woolly_core::CoreError>((
            accounts.aliases(&account).await?,
            accounts.move_state(&account).await?,
        ))
    };
    let (aliases, state) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    render(
        visitor,
        status,
        &MigrationPage {
            c: Chrome::new(woolly, visitor),
            aliases: aliases
                .into_iter()
                .map(|alias| {
                    let author = alias.account.map(|account| Author::of(woolly, &account));
                    (alias.uri, author)
                })
                .collect(),
            alias_errors,
            moved_to: state.moved_to.map(|target| Author::of(woolly, &target)),
            last_move: state
                .last_move
                .map(|(at, until)| (shown_time(words, at), shown_time(words, until))),
            move_errors,
            done,
        },
    )
}

/// `GET /settings/migration`.
async fn migration(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<MigrationQuery>,
) -> Response {
    let done = query.done.filter(|done| done == "moved" || done == "alias");
    let no_errors = (FormErrors::default(), FormErrors::default());
    page(&woolly, &visitor, &member, StatusCode::OK, done, no_errors).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AliasForm {
    authenticity_token: String,
    /// `user@domain` to add, or the actor id to remove.
    acct: String,
}

/// `POST /settings/aliases`: adds an alias.
async fn add_alias(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<AliasForm>,
) -> Response {
    let back = "/settings/migration";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly
        .accounts()
        .add_alias(&member.account, &form.acct)
        .await
    {
        Ok(_) => redirect(&visitor, "/settings/migration?done=alias"),
        Err(error) => {
            let errors = FormErrors::from_refusal(visitor.words(), &error);
            let status = status_of(&error);
            page(
                &woolly,
                &visitor,
                member,
                status,
                None,
                (errors, FormErrors::default()),
            )
            .await
        }
    }
}

/// `POST /settings/aliases/remove`: removes an alias.
async fn remove_alias(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<AliasForm>,
) -> Response {
    let back = "/settings/migration";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly
        .accounts()
        .remove_alias(&member.account, &form.acct)
        .await
    {
        Ok(_) => redirect(&visitor, back),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    authenticity_token: String,
    acct: String,
    current_password: String,
}

/// `POST /settings/migration`: moves this account to another.
async fn move_account(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<MoveForm>,
) -> Response {
    let back = "/settings/migration";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly
        .accounts()
        .move_to(&member.account, &form.current_password, &form.acct)
        .await
    {
        Ok(_) => redirect(&visitor, "/settings/migration?done=moved"),
        Err(error) => {
            let errors = FormErrors::from_refusal(visitor.words(), &error);
            let status = status_of(&error);
            page(
                &woolly,
                &visitor,
                member,
                status,
                None,
                (FormErrors::default(), errors),
            )
            .await
        }
    }
}
