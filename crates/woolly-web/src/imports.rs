//! Importing CSV files in a member's settings (`/settings/imports`): the form (what the file
//! holds, merge or overwrite, the file), and the member's imports with their progress and the
//! rows that could not be used. Core checks the file and carries it out by jobs (see
//! `woolly_core::imports`).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use woolly_core::imports::{Import, ImportKind};
use woolly_core::post_import::MAX_ARCHIVE_BYTES;
use woolly_core::{CoreError, Woolly};

use crate::cards::shown_time;
use crate::forms::{FormErrors, status_of};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, SignedIn, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route(
        "/settings/imports",
        get(imports)
            .post(upload)
            // The file (an archive at most), and the form's few fields.
            .layer(DefaultBodyLimit::max(MAX_ARCHIVE_BYTES + 64 * 1024)),
    )
}

/// An import as its line on the page shows it.
struct ImportLine {
    kind: String,
    mode: String,
    file_name: String,
    when: String,
    /// The state and progress, in words.
    progress: String,
    finished: bool,
    /// (row number, what it named, why it failed).
    failures: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "settings_imports.html")]
struct ImportsPage<'a> {
    c: Chrome<'a>,
    /// (value, words) of each kind.
    kinds: Vec<(&'static str, String)>,
    imports: Vec<ImportLine>,
    errors: FormErrors,
}

fn kind_words(visitor: &Visitor, kind: ImportKind) -> String {
    visitor.words().t(&format!("import-kind-{}", kind.as_str()))
}

async fn page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    let imports = match woolly.relations().imports(&member.account).await {
        Ok(imports) => imports,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    let line = |import: Import| {
        let progress = words.t2(
            &format!("import-state-{}", import.state),
            ("processed", &import.processed.to_string()),
            ("total", &import.total.to_string()),
        );
        let imported = words.t1("import-imported", "count", &import.imported.to_string());
        ImportLine {
            kind: kind_words(visitor, import.kind),
            mode: words.t(if import.overwrite {
                "import-mode-overwrite"
            } else {
                "import-mode-merge"
            }),
            file_name: import.file_name,
            when: shown_time(words, import.created_at),
            progress: format!("{progress} {imported}"),
            finished: import.state == "finished",
            failures: import.failures,
        }
    };
    render(
        visitor,
        status,
        &ImportsPage {
            c: Chrome::new(woolly, visitor),
            kinds: ImportKind::ALL
                .into_iter()
                .map(|kind| (kind.as_str(), kind_words(visitor, kind)))
                .collect(),
            imports: imports.into_iter().map(line).collect(),
            errors,
        },
    )
}

/// `GET /settings/imports`.
async fn imports(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    page(
        &woolly,
        &visitor,
        &member,
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

/// The upload form as sent.
#[derive(Default)]
struct UploadForm {
    authenticity_token: String,
    kind: String,
    overwrite: bool,
    file_name: String,
    file: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, String> {
    let mut form = UploadForm::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| error.to_string())?
    {
        match field.name().unwrap_or_default() {
            "data" => {
                form.file_name = field.file_name().unwrap_or_default().to_owned();
                form.file = field
                    .bytes()
                    .await
                    .map_err(|error| error.to_string())?
                    .to_vec();
            }
            name => {
                let name = name.to_owned();
                let text = field.text().await.map_err(|error| error.to_string())?;
                match name.as_str() {
                    "authenticity_token" => form.authenticity_token = text,
                    "type" => form.kind = text,
                    "mode" => form.overwrite = text == "overwrite",
                    _ => {}
                }
            }
        }
    }
    Ok(form)
}

/// `POST /settings/imports`: a file to import.
async fn upload(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    multipart: Multipart,
) -> Response {
    let words = visitor.words();
    let form = match read_upload(multipart).await {
        Ok(form) => form,
        Err(error) => {
            tracing::info!(%error, "an unreadable import form");
            let errors = FormErrors::general(words.t("import-unreadable"));
            return page(&woolly, &visitor, &member, StatusCode::BAD_REQUEST, errors).await;
        }
    };
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return page(&woolly, &visitor, &member, StatusCode::FORBIDDEN, errors).await;
    }
    let Some(kind) = ImportKind::parse(&form.kind) else {
        let errors = FormErrors::general(words.t("import-choose-kind"));
        return page(
            &woolly,
            &visitor,
            &member,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let imported = woolly
        .relations()
        .import(
            &member.account,
            kind,
            form.overwrite,
            &form.file_name,
            &form.file,
        )
        .await;
    match imported {
        Ok(_) => redirect(&visitor, "/settings/imports"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            let status = match &error {
                CoreError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                other => status_of(other),
            };
            page(&woolly, &visitor, &member, status, errors).await
        }
    }
}
