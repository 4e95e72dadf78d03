//! Leaving with one's data: the archive of one's account (asked for on `/settings/export`,
//! downloaded from `/settings/export/archives/:id` by its owner only), and deleting one's
//! account (`/settings/delete`), which offers the archive first and asks for the password.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::archives::Archive;

use crate::cards::shown_time;
use crate::forms::{ButtonForm, FormErrors, button_presser, status_of};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/settings/export/archives", post(request_archive))
        .route("/settings/export/archives/{id}", get(download))
        .route("/settings/delete", get(delete_form).post(delete_account))
}

/// An archive as the pages list it: (id, asked, ready with its size).
pub(crate) fn archive_lines(
    visitor: &Visitor,
    archives: Vec<Archive>,
) -> Vec<(i64, String, Option<String>)> {
    let words = visitor.words();
    archives
        .into_iter()
        .map(|archive| {
            let ready = archive.ready_at.map(|_| {
                let kib = (archive.size.unwrap_or_default() + 1023) / 1024;
                words.t1("archive-size", "size", &kib.to_string())
            });
            (archive.id, shown_time(words, archive.created_at), ready)
        })
        .collect()
}

/// `POST /settings/export/archives`: asks for an archive.
async fn request_archive(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<ButtonForm>,
) -> Response {
    let member = match button_presser(&woolly, &visitor, &form) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly.accounts().request_archive(&member.account).await {
        Ok(_) => redirect(&visitor, "/settings/export#archive-heading"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `GET /settings/export/archives/:id`: the ZIP file, to its owner.
async fn download(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&woolly, &visitor, &woolly_core::CoreError::NotFound);
    };
    match woolly.accounts().archive_file(&member.account, id).await {
        Ok(zip) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"archive-{}-{id}.zip\"",
                        member.account.username
                    ),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            zip,
        )
            .into_response(),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Template)]
#[template(path = "settings_delete.html")]
struct DeletePage<'a> {
    c: Chrome<'a>,
    archives: Vec<(i64, String, Option<String>)>,
    errors: FormErrors,
}

async fn delete_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &crate::visitor::SignedIn,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    let archives = match woolly.accounts().archives(&member.account).await {
        Ok(archives) => archives,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    render(
        visitor,
        status,
        &DeletePage {
            c: Chrome::new(woolly, visitor),
            archives: archive_lines(visitor, archives),
            errors,
        },
    )
}

/// `GET /settings/delete`.
async fn delete_form(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    delete_page(
        &woolly,
        &visitor,
        &member,
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    authenticity_token: String,
    current_password: String,
}

/// `POST /settings/delete`: deletes the account, with its password, and ends the session.
async fn delete_account(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<DeleteForm>,
) -> Response {
    let back = ButtonForm {
        authenticity_token: form.authenticity_token.clone(),
        return_to: "/settings/delete".to_owned(),
    };
    let member = match button_presser(&woolly, &visitor, &back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly
        .accounts()
        .delete_own_account(&member.account, &form.current_password)
        .await
    {
        Ok(()) => visitor.end_session(redirect(&visitor, "/")),
        Err(error) => {
            let errors = FormErrors::from_refusal(visitor.words(), &error);
            delete_page(&woolly, &visitor, member, status_of(&error), errors).await
        }
    }
}
