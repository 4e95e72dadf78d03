//! `/home`: a member's home timeline, newest first, with the composer above it; posting from
//! that composer (`POST /statuses`), and editing a post (`/statuses/:id/edit`). A refused post shows the page again with what was
//! typed and why; a post sent twice (a double click, a reload) is written once, as the form
//! carries an idempotency key as apps send one.

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::polls::PollDraft;
use woolly_core::statuses::NewPost;
use woolly_core::visibility::Visibility;
use woolly_core::web_sessions::new_browser_secret;
use woolly_core::{CoreError, Woolly};

use crate::cards::{StatusCard, shown_time};
use crate::forms::{FormErrors, local_path, status_of};
use crate::i18n::Words;
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::{PageQuery, older_than};
use crate::visitor::{Member, SignedIn, Visitor};

const VISIBILITIES: [&str; 4] = ["public", "unlisted", "private", "direct"];

/// Images a post may carry (Mastodon's limit), and options a poll may offer in the composer.
const MEDIA_SLOTS: usize = 4;
/// The names of the images' description fields, by slot (where a refusal points).
const DESCRIPTION_FIELDS: [&str; MEDIA_SLOTS] = [
    "description_0",
    "description_1",
    "description_2",
    "description_3",
];
const POLL_OPTIONS: usize = 4;
/// The largest composer form: its images (the server takes no request above 20 MB).
const COMPOSER_FORM_LIMIT: usize = 20 * 1024 * 1024;
/// How long a poll may run, in seconds, as the composer offers it.
const POLL_DURATIONS: [i64; 7] = [300, 1800, 3600, 21_600, 86_400, 259_200, 604_800];

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/home", get(home))
        .route(
            "/statuses",
            post(publish).layer(DefaultBodyLimit::max(COMPOSER_FORM_LIMIT)),
        )
        .route("/statuses/{id}/edit", get(edit_form).post(save_edit))
}

/// What the composer sends, and shows again after a refusal (all but its images).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Draft {
    authenticity_token: String,
    status: String,
    spoiler_text: String,
    visibility: String,
    /// The post's language (ISO 639-1), offered from the member's default.
    language: String,
    sensitive: Option<String>,
    idempotency: String,
    /// The status replied to, from a thread's reply form.
    in_reply_to_id: String,
    /// The page to go back to once posted (a thread's).
    return_to: String,
    /// The images' descriptions (alt text), by slot.
    #[serde(skip)]
    descriptions: Vec<String>,
    #[serde(skip)]
    poll_options: Vec<String>,
    poll_expires_in: String,
    poll_multiple: Option<String>,
}

/// An image of the composer, as sent.
struct Attached {
    /// Which of the composer's image fields it came in.
    slot: usize,
    bytes: Vec<u8>,
    description: String,
}

impl Draft {
    /// The composer's fields and images, from its multipart form or (without images, as the
    /// reply form of a thread sends it) a plain one.
    async fn read(request: Request) -> Result<(Draft, Vec<Attached>), String> {
        let is_multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("multipart/form-data"));
        if !is_multipart {
            let Form(mut draft) = Form::<Draft>::from_request(request, &())
                .await
                .map_err(|rejection| rejection.body_text())?;
            draft.fill_slots();
            return Ok((draft, Vec::new()));
        }
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|rejection| rejection.body_text())?;
        let mut draft = Draft::default();
        draft.fill_slots();
        let mut files: Vec<Option<Vec<u8>>> = vec![None; MEDIA_SLOTS];
        let slot = |name: &str, prefix: &str, slots: usize| {
            name.strip_prefix(prefix)
                .and_then(|index| index.parse::<usize>().ok())
                .filter(|index| *index < slots)
        };
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|error| error.body_text())?
        {
            let name = field.name().unwrap_or_default().to_owned();
            if let Some(index) = slot(&name, "media_", MEDIA_SLOTS) {
                let bytes = field.bytes().await.map_err(|error| error.body_text())?;
                files[index] = Some(bytes.to_vec()).filter(|bytes| !bytes.is_empty());
                continue;
            }
            let text = field.text().await.map_err(|error| error.body_text())?;
            if let Some(index) = slot(&name, "description_", MEDIA_SLOTS) {
                draft.descriptions[index] = text;
            } else if let Some(index) = slot(&name, "poll_option_", POLL_OPTIONS) {
                draft.poll_options[index] = text;
            } else {
                match name.as_str() {
                    "authenticity_token" => draft.authenticity_token = text,
                    "status" => draft.status = text,
                    "spoiler_text" => draft.spoiler_text = text,
                    "visibility" => draft.visibility = text,
                    "language" => draft.language = text,
                    "sensitive" => draft.sensitive = Some(text),
                    "idempotency" => draft.idempotency = text,
                    "in_reply_to_id" => draft.in_reply_to_id = text,
                    "return_to" => draft.return_to = text,
                    "poll_expires_in" => draft.poll_expires_in = text,
                    "poll_multiple" => draft.poll_multiple = Some(text),
                    _ => {}
                }
            }
        }
        let attached = files
            .into_iter()
            .zip(&draft.descriptions)
            .enumerate()
            .filter_map(|(slot, (bytes, description))| {
                bytes.map(|bytes| Attached {
                    slot,
                    bytes,
                    description: description.trim().to_owned(),
                })
            })
            .collect();
        Ok((draft, attached))
    }

    /// Whether alt texts were typed (the images' part of the form opens again to show them).
    fn has_descriptions(&self) -> bool {
        self.descriptions.iter().any(|text| !text.trim().is_empty())
    }

    /// Whether poll options were typed.
    fn has_poll(&self) -> bool {
        self.poll_options
            .iter()
            .any(|option| !option.trim().is_empty())
    }

    fn fill_slots(&mut self) {
        self.descriptions.resize(MEDIA_SLOTS, String::new());
        self.poll_options.resize(POLL_OPTIONS, String::new());
    }

    /// The poll the draft asks for: two options or more filled in.
    fn poll(&self) -> Option<PollDraft> {
        if !self.has_poll() {
            return None;
        }
        let options: Vec<String> = self
            .poll_options
            .iter()
            .map(|option| option.trim().to_owned())
            .filter(|option| !option.is_empty())
            .collect();
        Some(PollDraft {
            options,
            expires_in: self.poll_expires_in.parse().ok().or(Some(86_400)),
            multiple: self.poll_multiple.is_some(),
            hide_totals: false,
        })
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: Chrome<'a>,
    draft: Draft,
    /// The visibilities the composer offers, with their words, the draft's selected.
    visibilities: Vec<(&'static str, String, bool)>,
    max_characters: u32,
    /// The poll durations offered: (seconds, words, selected).
    durations: Vec<(i64, String, bool)>,
    /// The languages offered: (code, name, selected).
    languages: Vec<(&'static str, &'static str, bool)>,
    /// Whether each image needs a description (the member's setting).
    alt_required: bool,
    errors: FormErrors,
    /// Focus the composer (right after the first steps, or when it holds an error).
    focus: bool,
    statuses: Vec<StatusCard>,
    /// The operator's announcements the member has not dismissed: (id, HTML, when).
    announcements: Vec<(i64, String, String)>,
    /// The next (older) page's `max_id`.
    older: Option<i64>,
    /// Where the page's script hears of new posts (`live`).
    live: Option<String>,
}

impl HomePage<'_> {
    /// Why the description of image `slot` was refused, if it was.
    fn alt_problem(&self, slot: impl std::borrow::Borrow<usize>) -> Option<&str> {
        DESCRIPTION_FIELDS
            .get(*slot.borrow())
            .and_then(|field| self.errors.of(field))
    }
}

async fn home_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    query: PageQuery,
    mut draft: Draft,
    errors: FormErrors,
) -> Response {
    let listing = match query.page() {
        Ok(page) => woolly.timelines().home(member.account.id, page).await,
        Err(error) => Err(error),
    };
    let listing = match listing {
        Ok(listing) => listing,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    let announcements = match woolly
        .instance()
        .announcements(member.account.id, false)
        .await
    {
        Ok(announcements) => announcements,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    if draft.visibility.is_empty() {
        draft.visibility = member.user.default_privacy.clone();
    }
    if draft.idempotency.is_empty() {
        draft.idempotency = new_browser_secret();
    }
    if draft.language.is_empty() {
        draft.language = member
            .user
            .default_language
            .clone()
            .unwrap_or_else(|| visitor.locale.tag().to_owned());
    }
    let languages = crate::languages::choices(&draft.language);
    draft.fill_slots();
    let chosen = draft.poll_expires_in.parse::<i64>().unwrap_or(86_400);
    let durations = POLL_DURATIONS
        .into_iter()
        .map(|seconds| (seconds, duration_words(words, seconds), seconds == chosen))
        .collect();
    let visibilities = VISIBILITIES
        .into_iter()
        .map(|name| {
            (
                name,
                words.t(&format!("visibility-{name}")),
                name == draft.visibility,
            )
        })
        .collect();
    let focus = errors.general.is_some() || member.account.statuses_count == 0;
    render(
        visitor,
        status,
        &HomePage {
            c: Chrome::new(woolly, visitor),
            draft,
            visibilities,
            max_characters: woolly.config().max_status_characters,
            durations,
            languages,
            alt_required: member.user.require_alt_text,
            live: crate::live::address(visitor, &query, "stream=user"),
            errors,
            focus,
            announcements: announcements
                .iter()
                .map(|announcement| {
                    let when = announcement
                        .published_at
                        .map(|at| shown_time(words, at))
                        .unwrap_or_default();
                    (announcement.id, announcement.html.clone(), when)
                })
                .collect(),
            older: older_than(&listing),
            statuses: listing
                .0
                .iter()
                .map(|view| StatusCard::new(woolly, words, view, Some(member.account.id)))
                .collect(),
        },
    )
}

/// `GET /home`.
async fn home(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<PageQuery>,
) -> Response {
    let member = &member;
    home_page(
        &woolly,
        &visitor,
        member,
        StatusCode::OK,
        query,
        Draft {
            // The box starts as the member's default; unchecked, the post is not sensitive.
            sensitive: member.user.default_sensitive.then(|| "1".to_owned()),
            ..Draft::default()
        },
        FormErrors::default(),
    )
    .await
}

/// A poll's duration in the reader's words.
fn duration_words(words: Words, seconds: i64) -> String {
    match seconds {
        seconds if seconds < 3600 => words.count("duration-minutes", seconds / 60),
        seconds if seconds < 86_400 => words.count("duration-hours", seconds / 3600),
        seconds => words.count("duration-days", seconds / 86_400),
    }
}

/// `POST /statuses`: publishes the composer's draft, its images first (each with its alt text).
async fn publish(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    request: Request,
) -> Response {
    let member = &member;
    let words = visitor.words();
    let again = |draft: Draft, status: StatusCode, errors: FormErrors| {
        home_page(
            &woolly,
            &visitor,
            member,
            status,
            PageQuery::default(),
            draft,
            errors,
        )
    };
    let (draft, attached) = match Draft::read(request).await {
        Ok(read) => read,
        Err(error) => {
            tracing::info!(%error, "an unreadable composer form");
            let errors = FormErrors::general(words.t("error-form-unreadable"));
            return again(Draft::default(), StatusCode::BAD_REQUEST, errors).await;
        }
    };
    if !visitor.form_is_genuine(&draft.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return again(draft, StatusCode::FORBIDDEN, errors).await;
    }
    let visibility = match Visibility::parse(&draft.visibility) {
        Ok(visibility) => Some(visibility),
        Err(_) if draft.visibility.is_empty() => None,
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            return again(draft, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
        }
    };
    let in_reply_to_id = match draft.in_reply_to_id.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return refusal(&woolly, &visitor, &CoreError::NotFound),
        },
    };
    if member.user.require_alt_text {
        let undescribed: Vec<usize> = attached
            .iter()
            .filter(|image| image.description.is_empty())
            .map(|image| image.slot)
            .collect();
        if !undescribed.is_empty() {
            let errors = FormErrors {
                general: Some(words.t("compose-alt-required")),
                fields: undescribed
                    .into_iter()
                    .map(|slot| (DESCRIPTION_FIELDS[slot], words.t("compose-alt-missing")))
                    .collect(),
            };
            return again(draft, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
        }
    }
    let mut post = NewPost {
        text: draft.status.clone(),
        in_reply_to_id,
        spoiler_text: draft.spoiler_text.clone(),
        sensitive: draft.sensitive.is_some(),
        visibility,
        language: Some(draft.language.trim().to_owned()).filter(|code| !code.is_empty()),
        idempotency_key: Some(draft.idempotency.clone()).filter(|key| !key.is_empty()),
        media_ids: Vec::with_capacity(attached.len()),
        poll: draft.poll(),
    };
    // A post that would be refused uploads nothing.
    if let Err(error) = woolly.statuses().check_draft(&post, attached.len()) {
        let errors = FormErrors::from_refusal(words, &error);
        return again(draft, status_of(&error), errors).await;
    }
    for image in attached {
        let description = Some(image.description).filter(|text| !text.is_empty());
        match woolly
            .media()
            .upload(&member.account, image.bytes, description, None)
            .await
        {
            Ok(media) => post.media_ids.push(media.id),
            Err(error) => {
                let errors = FormErrors::from_refusal(words, &error);
                return again(draft, status_of(&error), errors).await;
            }
        }
    }
    match woolly
        .statuses()
        .post(&member.account, &member.user, member.app_id, post)
        .await
    {
        Ok(_) => redirect(&visitor, local_path(&draft.return_to).unwrap_or("/home")),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            again(draft, status_of(&error), errors).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditForm {
    authenticity_token: String,
    status: String,
    spoiler_text: String,
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage<'a> {
    c: Chrome<'a>,
    id: i64,
    form: EditForm,
    /// Where the post lives, to go back to.
    link: String,
    errors: FormErrors,
}

/// The member's own status `id` and its page, or the refusal to show.
async fn own_status(
    woolly: &Woolly,
    member: &SignedIn,
    id: &str,
) -> Result<woolly_core::statuses::StatusView, CoreError> {
    let id = id.parse::<i64>().map_err(|_| CoreError::NotFound)?;
    let view = woolly.statuses().view(Some(member.account.id), id).await?;
    if view.status.account_id != member.account.id || view.reblog.is_some() {
        return Err(CoreError::NotFound);
    }
    Ok(view)
}

/// `GET /statuses/:id/edit`: the member's post, to change its text or warning.
async fn edit_form(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let member = &member;
    let view = match own_status(&woolly, member, &id).await {
        Ok(view) => view,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    render(
        &visitor,
        StatusCode::OK,
        &EditPage {
            c: Chrome::new(&woolly, &visitor),
            id: view.status.id,
            link: format!("/@{}/{}", member.account.username, view.status.id),
            form: EditForm {
                authenticity_token: String::new(),
                status: view.status.text.clone(),
                spoiler_text: view.status.spoiler_text.clone(),
            },
            errors: FormErrors::default(),
        },
    )
}

/// `POST /statuses/:id/edit`: the new text and warning; images, poll and audience stay.
async fn save_edit(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let member = &member;
    let view = match own_status(&woolly, member, &id).await {
        Ok(view) => view,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let link = format!("/@{}/{}", member.account.username, view.status.id);
    let refused = if !visitor.form_is_genuine(&form.authenticity_token) {
        (
            StatusCode::FORBIDDEN,
            FormErrors::general(words.t("error-form-expired")),
        )
    } else {
        let edit = woolly_core::StatusEdit {
            text: form.status.clone(),
            spoiler_text: form.spoiler_text.clone(),
            sensitive: view.status.sensitive,
            language: view.status.language.clone(),
            media_ids: view.media.iter().map(|media| media.id).collect(),
            media_attributes: Vec::new(),
        };
        match woolly
            .statuses()
            .edit(&member.account, view.status.id, edit)
            .await
        {
            Ok(_) => return redirect(&visitor, &link),
            Err(error) => (status_of(&error), FormErrors::from_refusal(words, &error)),
        }
    };
    let (status, errors) = refused;
    render(
        &visitor,
        status,
        &EditPage {
            c: Chrome::new(&woolly, &visitor),
            id: view.status.id,
            link,
            form,
            errors,
        },
    )
}
