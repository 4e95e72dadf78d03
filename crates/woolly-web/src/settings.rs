//! A member's settings: their profile (name, bio, fields, images, who may follow and find
//! them), their preferences (the interface's language, how they post by default), their
//! password, their sessions and authorized apps, each of which they can end, and the people
//! and servers they blocked or muted.
//!
//! Every change goes through core as the client API's do (`update_credentials`, the password
//! change, revoking a token), so the same rules hold.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::export::Export;
use woolly_core::profile::{MediaExpansion, ProfileEdit};
use woolly_core::visibility::Visibility;
use woolly_core::{CoreError, Woolly};
use woolly_http::extract::ApiParams;

use crate::cards::shown_time;
use crate::forms::{ButtonForm, FormErrors, button_presser_on, status_of};
use crate::i18n::LOCALES;
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::{PageQuery, full_page_end};
use crate::visitor::{Member, SignedIn, Visitor};

/// The largest profile form: two images (Mastodon takes up to 8 MB each) and the text.
pub(crate) const PROFILE_FORM_LIMIT: usize = 17 * 1024 * 1024;
/// How many profile fields the form offers (Mastodon's limit).
const FIELD_ROWS: usize = 4;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route(
            "/settings/profile",
            get(profile_form)
                .post(save_profile)
                .layer(DefaultBodyLimit::max(PROFILE_FORM_LIMIT)),
        )
        .route(
            "/settings/preferences",
            get(preferences_form).post(save_preferences),
        )
        .route(
            "/settings/password",
            get(password_form).post(change_password),
        )
        .route("/settings/email", post(change_email))
        .route("/settings/two_factor", get(two_factor))
        .route("/settings/two_factor/begin", post(begin_two_factor))
        .route("/settings/two_factor/enable", post(enable_two_factor))
        .route("/settings/two_factor/disable", post(disable_two_factor))
        .route("/settings/sessions", get(sessions))
        .route("/settings/blocks", get(blocks))
        .route("/settings/filters", get(filters).post(create_filter))
        .route("/settings/hashtags", get(hashtags))
        .route("/settings/export", get(exports))
        .route("/settings/export/{file}", get(export_file))
        .route("/settings/featured_tags", post(feature_hashtag))
        .route(
            "/settings/featured_tags/{id}/delete",
            post(unfeature_hashtag),
        )
        .route("/invites", get(invites).post(create_invite))
        .route("/invites/{code}/revoke", post(revoke_invite))
        .route("/settings/filters/{id}/delete", post(delete_filter))
        .route("/settings/domain_blocks", post(block_domain))
        .route("/settings/domain_blocks/remove", post(unblock_domain))
        .route("/settings/sessions/{id}/revoke", post(revoke_session))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SavedQuery {
    saved: Option<String>,
}

/// What the profile form shows and sends back.
#[derive(Debug, Default)]
pub(crate) struct ProfileDraft {
    pub(crate) display_name: String,
    note: String,
    fields: Vec<(String, String)>,
    locked: bool,
    bot: bool,
    discoverable: bool,
    indexable: bool,
}

#[derive(Template)]
#[template(path = "settings_profile.html")]
struct ProfilePage<'a> {
    c: Chrome<'a>,
    draft: ProfileDraft,
    avatar: String,
    saved: bool,
    errors: FormErrors,
}

fn profile_page(
    woolly: &Woolly,
    visitor: &Visitor,
    status: StatusCode,
    mut draft: ProfileDraft,
    saved: bool,
    errors: FormErrors,
) -> Response {
    draft.fields.resize(FIELD_ROWS, Default::default());
    let avatar = visitor
        .member()
        .map(|member| member.account.avatar_url(woolly.config().urls()))
        .unwrap_or_default();
    render(
        visitor,
        status,
        &ProfilePage {
            c: Chrome::new(woolly, visitor),
            draft,
            avatar,
            saved,
            errors,
        },
    )
}

/// `GET /settings/profile`.
async fn profile_form(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<SavedQuery>,
) -> Response {
    let member = &member;
    let account = &member.account;
    let draft = ProfileDraft {
        display_name: account.display_name.clone(),
        note: account.note_source.clone(),
        fields: account
            .fields
            .iter()
            .map(|field| (field.name.clone(), field.source.clone()))
            .collect(),
        locked: account.locked,
        bot: account.bot,
        discoverable: account.discoverable,
        indexable: account.indexable,
    };
    profile_page(
        &woolly,
        &visitor,
        StatusCode::OK,
        draft,
        query.saved.is_some(),
        FormErrors::default(),
    )
}

/// The profile form as sent: its text fields, its images, and its anti-forgery token (the
/// first steps send a part of it: a name and an avatar).
pub(crate) async fn read_profile_form(
    mut multipart: Multipart,
) -> Result<(String, ProfileDraft, Option<Vec<u8>>, Option<Vec<u8>>), String> {
    let mut token = String::new();
    let mut draft = ProfileDraft::default();
    let (mut avatar, mut header) = (None, None);
    let mut names = vec![String::new(); FIELD_ROWS];
    let mut values = vec![String::new(); FIELD_ROWS];
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| error.to_string())?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "avatar" | "header" => {
                let bytes = field.bytes().await.map_err(|error| error.to_string())?;
                // A file input left empty still sends an empty part.
                if !bytes.is_empty() {
                    if name == "avatar" {
                        avatar = Some(bytes.to_vec());
                    } else {
                        header = Some(bytes.to_vec());
                    }
                }
            }
            _ => {
                let text = field.text().await.map_err(|error| error.to_string())?;
                match name.as_str() {
                    "authenticity_token" => token = text,
                    "display_name" => draft.display_name = text,
                    "note" => draft.note = text,
                    "locked" => draft.locked = true,
                    "bot" => draft.bot = true,
                    "discoverable" => draft.discoverable = true,
                    "indexable" => draft.indexable = true,
                    other => {
                        let row = |prefix: &str| {
                            other
                                .strip_prefix(prefix)
                                .and_then(|index| index.parse::<usize>().ok())
                                .filter(|index| *index < FIELD_ROWS)
                        };
                        if let Some(index) = row("field_name_") {
                            names[index] = text;
                        } else if let Some(index) = row("field_value_") {
                            values[index] = text;
                        }
                    }
                }
            }
        }
    }
    draft.fields = names.into_iter().zip(values).collect();
    Ok((token, draft, avatar, header))
}

/// `POST /settings/profile` (a multipart form, for the images).
async fn save_profile(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    multipart: Multipart,
) -> Response {
    let member = &member;
    let words = visitor.words();
    let (token, draft, avatar, header) = match read_profile_form(multipart).await {
        Ok(form) => form,
        Err(error) => {
            tracing::info!(%error, "an unreadable profile form");
            let errors = FormErrors::general(words.t("error-form-unreadable"));
            return profile_page(
                &woolly,
                &visitor,
                StatusCode::BAD_REQUEST,
                ProfileDraft::default(),
                false,
                errors,
            );
        }
    };
    if !visitor.form_is_genuine(&token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return profile_page(
            &woolly,
            &visitor,
            StatusCode::FORBIDDEN,
            draft,
            false,
            errors,
        );
    }
    let edit = ProfileEdit {
        display_name: Some(draft.display_name.clone()),
        note: Some(draft.note.clone()),
        fields: Some(draft.fields.clone()),
        locked: Some(draft.locked),
        bot: Some(draft.bot),
        discoverable: Some(draft.discoverable),
        indexable: Some(draft.indexable),
        avatar,
        header,
        ..ProfileEdit::default()
    };
    match woolly
        .accounts()
        .update_profile(&member.account, edit)
        .await
    {
        Ok(_) => redirect(&visitor, "/settings/profile?saved=1"),
        Err(error) => {
            let status = status_of(&error);
            let errors = FormErrors::from_refusal(words, &error);
            profile_page(&woolly, &visitor, status, draft, false, errors)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PreferencesForm {
    authenticity_token: String,
    locale: String,
    default_privacy: String,
    default_sensitive: Option<String>,
    default_language: String,
    require_alt_text: Option<String>,
    expand_media: String,
    expand_spoilers: Option<String>,
}

#[derive(Template)]
#[template(path = "settings_preferences.html")]
struct PreferencesPage<'a> {
    c: Chrome<'a>,
    /// (tag, name in its own language, selected).
    locales: Vec<(&'static str, String, bool)>,
    /// (value, words, selected).
    visibilities: Vec<(&'static str, String, bool)>,
    default_sensitive: bool,
    default_language: String,
    /// The languages offered: (code, name, selected).
    languages: Vec<(&'static str, &'static str, bool)>,
    require_alt_text: bool,
    /// How media are shown: (value, words, selected).
    media_choices: Vec<(&'static str, String, bool)>,
    expand_spoilers: bool,
    saved: bool,
    errors: FormErrors,
}

fn preferences_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    saved: bool,
    errors: FormErrors,
) -> Response {
    let words = visitor.words();
    let user = &member.user;
    render(
        visitor,
        status,
        &PreferencesPage {
            c: Chrome::new(woolly, visitor),
            locales: LOCALES
                .into_iter()
                .map(|locale| {
                    (
                        locale.tag(),
                        locale.words().t("language-name"),
                        locale == visitor.locale,
                    )
                })
                .collect(),
            visibilities: ["public", "unlisted", "private"]
                .into_iter()
                .map(|name| {
                    (
                        name,
                        words.t(&format!("visibility-{name}")),
                        name == user.default_privacy,
                    )
                })
                .collect(),
            default_sensitive: user.default_sensitive,
            default_language: user.default_language.clone().unwrap_or_default(),
            languages: crate::languages::choices(
                user.default_language.as_deref().unwrap_or_default(),
            ),
            require_alt_text: user.require_alt_text,
            media_choices: MediaExpansion::ALL
                .into_iter()
                .map(|choice| {
                    (
                        choice.as_str(),
                        words.t(&format!("expand-media-{}", choice.as_str())),
                        choice == user.expand_media,
                    )
                })
                .collect(),
            expand_spoilers: user.expand_spoilers,
            saved,
            errors,
        },
    )
}

/// `GET /settings/preferences`.
async fn preferences_form(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<SavedQuery>,
) -> Response {
    preferences_page(
        &woolly,
        &visitor,
        &member,
        StatusCode::OK,
        query.saved.is_some(),
        FormErrors::default(),
    )
}

/// `POST /settings/preferences`.
async fn save_preferences(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<PreferencesForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return preferences_page(
            &woolly,
            &visitor,
            member,
            StatusCode::FORBIDDEN,
            false,
            errors,
        );
    }
    let choices = Visibility::parse(&form.default_privacy).and_then(|privacy| {
        let expand_media = match form.expand_media.as_str() {
            "" => None,
            choice => Some(MediaExpansion::parse(choice)?),
        };
        Ok((privacy, expand_media))
    });
    let (privacy, expand_media) = match choices {
        Ok(choices) => choices,
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            return preferences_page(&woolly, &visitor, member, status_of(&error), false, errors);
        }
    };
    let edit = ProfileEdit {
        locale: Some(form.locale),
        privacy: Some(privacy),
        sensitive: Some(form.default_sensitive.is_some()),
        language: Some(form.default_language.trim().to_owned()),
        require_alt_text: Some(form.require_alt_text.is_some()),
        expand_media,
        expand_spoilers: Some(form.expand_spoilers.is_some()),
        ..ProfileEdit::default()
    };
    match woolly
        .accounts()
        .update_profile(&member.account, edit)
        .await
    {
        Ok(_) => redirect(&visitor, "/settings/preferences?saved=1"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            preferences_page(&woolly, &visitor, member, status_of(&error), false, errors)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    authenticity_token: String,
    current_password: String,
    password: String,
}

#[derive(Template)]
#[template(path = "settings_password.html")]
struct PasswordPage<'a> {
    c: Chrome<'a>,
    saved: bool,
    errors: FormErrors,
    email: &'a str,
    /// A new address waiting for its confirmation link to be followed.
    pending_email: Option<&'a str>,
    /// A link to a new address was just sent.
    email_sent: bool,
    email_errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordPageQuery {
    saved: Option<String>,
    email_sent: Option<String>,
}

fn password_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    (saved, email_sent): (bool, bool),
    errors: FormErrors,
    email_errors: FormErrors,
) -> Response {
    render(
        visitor,
        status,
        &PasswordPage {
            c: Chrome::new(woolly, visitor),
            saved,
            errors,
            email: &member.user.email,
            pending_email: member.user.unconfirmed_email.as_deref(),
            email_sent,
            email_errors,
        },
    )
}

/// `GET /settings/password`: the password and the e-mail address.
async fn password_form(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<PasswordPageQuery>,
) -> Response {
    let member = &member;
    password_page(
        &woolly,
        &visitor,
        member,
        StatusCode::OK,
        (query.saved.is_some(), query.email_sent.is_some()),
        FormErrors::default(),
        FormErrors::default(),
    )
}

/// `POST /settings/password`: every other session is signed out; this one stays.
async fn change_password(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<PasswordForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    let refused = if !visitor.form_is_genuine(&form.authenticity_token) {
        Some((
            StatusCode::FORBIDDEN,
            FormErrors::general(words.t("error-form-expired")),
        ))
    } else {
        match woolly
            .accounts()
            .change_password(
                &member.account,
                &member.user,
                &form.current_password,
                &form.password,
                Some(member.token_id),
            )
            .await
        {
            Ok(()) => None,
            Err(error) => Some((status_of(&error), FormErrors::from_refusal(words, &error))),
        }
    };
    match refused {
        None => redirect(&visitor, "/settings/password?saved=1"),
        Some((status, errors)) => password_page(
            &woolly,
            &visitor,
            member,
            status,
            (false, false),
            errors,
            FormErrors::default(),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EmailForm {
    authenticity_token: String,
    email: String,
    current_password: String,
}

/// `POST /settings/email`: a link goes to the new address; the current one stays until it is
/// followed.
async fn change_email(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<EmailForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    let refused = if !visitor.form_is_genuine(&form.authenticity_token) {
        (
            StatusCode::FORBIDDEN,
            FormErrors::general(words.t("error-form-expired")),
        )
    } else {
        match woolly
            .accounts()
            .change_email(
                &member.account,
                &member.user,
                &form.current_password,
                &form.email,
            )
            .await
        {
            Ok(()) => return redirect(&visitor, "/settings/password?email_sent=1"),
            Err(error) => (status_of(&error), FormErrors::from_refusal(words, &error)),
        }
    };
    let (status, email_errors) = refused;
    password_page(
        &woolly,
        &visitor,
        member,
        status,
        (false, false),
        FormErrors::default(),
        email_errors,
    )
}

#[derive(Template)]
#[template(path = "settings_two_factor.html")]
struct TwoFactorPage<'a> {
    c: Chrome<'a>,
    enabled: bool,
    /// While setting up: the secret to type into an authenticator app, and its `otpauth:` link.
    setup: Option<(String, String)>,
    /// Just turned on: the recovery codes, shown once.
    recovery_codes: Vec<String>,
    errors: FormErrors,
}

fn two_factor_page(
    woolly: &Woolly,
    visitor: &Visitor,
    status: StatusCode,
    page: (bool, Option<(String, String)>, Vec<String>),
    errors: FormErrors,
) -> Response {
    let (enabled, setup, recovery_codes) = page;
    render(
        visitor,
        status,
        &TwoFactorPage {
            c: Chrome::new(woolly, visitor),
            enabled,
            setup,
            recovery_codes,
            errors,
        },
    )
}

/// `GET /settings/two_factor`.
async fn two_factor(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let member = &member;
    match woolly
        .accounts()
        .two_factor_enabled(member.account.id)
        .await
    {
        Ok(enabled) => two_factor_page(
            &woolly,
            &visitor,
            StatusCode::OK,
            (enabled, None, Vec::new()),
            FormErrors::default(),
        ),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TwoFactorForm {
    authenticity_token: String,
    code: String,
    current_password: String,
}

/// `POST /settings/two_factor/begin`: a new secret for the member's authenticator app.
async fn begin_two_factor(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<TwoFactorForm>,
) -> Response {
    let member = &member;
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(visitor.words().t("error-form-expired"));
        let page = (false, None, Vec::new());
        return two_factor_page(&woolly, &visitor, StatusCode::FORBIDDEN, page, errors);
    }
    match woolly.accounts().begin_two_factor(&member.account).await {
        Ok(setup) => two_factor_page(
            &woolly,
            &visitor,
            StatusCode::OK,
            (false, Some((setup.secret, setup.uri)), Vec::new()),
            FormErrors::default(),
        ),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /settings/two_factor/enable`: on, once a code from the app checks out.
async fn enable_two_factor(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<TwoFactorForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        let page = (false, None, Vec::new());
        return two_factor_page(&woolly, &visitor, StatusCode::FORBIDDEN, page, errors);
    }
    match woolly
        .accounts()
        .enable_two_factor(&member.account, form.code.trim())
        .await
    {
        Ok(codes) => two_factor_page(
            &woolly,
            &visitor,
            StatusCode::OK,
            (true, None, codes),
            FormErrors::default(),
        ),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            let page = (false, None, Vec::new());
            two_factor_page(&woolly, &visitor, status_of(&error), page, errors)
        }
    }
}

/// `POST /settings/two_factor/disable`: off, with the member's password.
async fn disable_two_factor(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<TwoFactorForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        let page = (true, None, Vec::new());
        return two_factor_page(&woolly, &visitor, StatusCode::FORBIDDEN, page, errors);
    }
    match woolly
        .accounts()
        .disable_two_factor(&member.account, &form.current_password)
        .await
    {
        Ok(()) => redirect(&visitor, "/settings/two_factor"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            let page = (true, None, Vec::new());
            two_factor_page(&woolly, &visitor, status_of(&error), page, errors)
        }
    }
}

/// A session or authorized app as the list shows it.
struct SessionRow {
    token_id: i64,
    app: String,
    last_used: String,
    address: String,
    browser: String,
    this_one: bool,
}

#[derive(Template)]
#[template(path = "settings_sessions.html")]
struct SessionsPage<'a> {
    c: Chrome<'a>,
    sessions: Vec<SessionRow>,
}

/// `GET /settings/sessions`.
async fn sessions(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let member = &member;
    let words = visitor.words();
    let sessions = match woolly.oauth().sessions(member.account.id).await {
        Ok(sessions) => sessions,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    render(
        &visitor,
        StatusCode::OK,
        &SessionsPage {
            c: Chrome::new(&woolly, &visitor),
            sessions: sessions
                .into_iter()
                .map(|session| SessionRow {
                    token_id: session.token_id,
                    app: session
                        .app_name
                        .unwrap_or_else(|| words.t("sessions-operator")),
                    last_used: shown_time(
                        words,
                        session.last_used_at.unwrap_or(session.created_at),
                    ),
                    address: session.last_used_ip.unwrap_or_default(),
                    browser: session.user_agent.unwrap_or_default(),
                    this_one: session.token_id == member.token_id,
                })
                .collect(),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    authenticity_token: String,
}

/// `POST /settings/sessions/:id/revoke`.
async fn revoke_session(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(id): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let member = &member;
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return refusal(
            &woolly,
            &visitor,
            &CoreError::Forbidden("forged form".to_owned()),
        );
    }
    let Ok(token_id) = id.parse::<i64>() else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    match woolly
        .oauth()
        .revoke_session(member.account.id, token_id)
        .await
    {
        Ok(true) if token_id == member.token_id => visitor.end_session(redirect(&visitor, "/")),
        Ok(true) => redirect(&visitor, "/settings/sessions"),
        Ok(false) => refusal(&woolly, &visitor, &CoreError::NotFound),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// How many blocked or muted accounts, and blocked servers, the page lists.
const LISTED: i64 = 80;

#[derive(Template)]
#[template(path = "settings_blocks.html")]
struct BlocksPage<'a> {
    c: Chrome<'a>,
    blocked: Vec<(i64, crate::cards::Author)>,
    muted: Vec<(i64, crate::cards::Author)>,
    domains: Vec<String>,
    /// The next page of each list, when it filled this one.
    more_blocked: Option<String>,
    more_muted: Option<String>,
    more_domains: Option<String>,
    errors: FormErrors,
}

/// Which page of each of the three lists to show: the `max_id` of each.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BlocksQuery {
    blocked: Option<String>,
    muted: Option<String>,
    domains: Option<String>,
}

async fn blocks_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    query: &BlocksQuery,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    let page = |max_id: &Option<String>| {
        PageQuery {
            max_id: max_id.clone(),
        }
        .page_of(LISTED)
    };
    let me = member.account.id;
    let relations = woolly.relations();
    let read = async {
        let blocked = relations
            .blocks_or_mutes(me, woolly_core::BlockOrMute::Block, page(&query.blocked)?)
            .await?;
        let muted = relations
            .blocks_or_mutes(me, woolly_core::BlockOrMute::Mute, page(&query.muted)?)
            .await?;
        let domains = relations.domain_blocks(me, page(&query.domains)?).await?;
        Ok::<_, CoreError>((blocked, muted, domains))
    };
    let (blocked, muted, domains) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let people = |rows: &[(i64, woolly_core::accounts::Account)]| {
        rows.iter()
            .map(|(_, account)| (account.id, crate::cards::Author::of(woolly, account)))
            .collect()
    };
    let more = |list: &str, end: Option<i64>| {
        end.map(|max_id| format!("/settings/blocks?{list}={max_id}#{list}-heading"))
    };
    render(
        visitor,
        status,
        &BlocksPage {
            c: Chrome::new(woolly, visitor),
            blocked: people(&blocked),
            muted: people(&muted),
            more_blocked: more("blocked", full_page_end(&blocked, LISTED)),
            more_muted: more("muted", full_page_end(&muted, LISTED)),
            more_domains: more("domains", full_page_end(&domains, LISTED)),
            domains: domains.into_iter().map(|(_, domain)| domain).collect(),
            errors,
        },
    )
}

/// `GET /settings/blocks`.
async fn blocks(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<BlocksQuery>,
) -> Response {
    blocks_page(
        &woolly,
        &visitor,
        &member,
        &query,
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DomainForm {
    authenticity_token: String,
    domain: String,
}

/// `POST /settings/domain_blocks` and `/settings/domain_blocks/remove`.
async fn change_domain_block(
    woolly: &Woolly,
    Member { visitor, member }: &Member,
    form: DomainForm,
    block: bool,
) -> Response {
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return blocks_page(
            woolly,
            visitor,
            member,
            &BlocksQuery::default(),
            StatusCode::FORBIDDEN,
            errors,
        )
        .await;
    }
    let Some(domain) = woolly_core::Domain::normalize(&form.domain) else {
        let errors = FormErrors::general(words.t("blocks-domain-invalid"));
        return blocks_page(
            woolly,
            visitor,
            member,
            &BlocksQuery::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let relations = woolly.relations();
    let done = if block {
        relations.block_domain(&member.account, &domain).await
    } else {
        relations.unblock_domain(&member.account, &domain).await
    };
    match done {
        Ok(()) => redirect(visitor, "/settings/blocks"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            blocks_page(
                woolly,
                visitor,
                member,
                &BlocksQuery::default(),
                status_of(&error),
                errors,
            )
            .await
        }
    }
}

async fn block_domain(
    State(woolly): State<Woolly>,
    member: Member,
    Form(form): Form<DomainForm>,
) -> Response {
    change_domain_block(&woolly, &member, form, true).await
}

async fn unblock_domain(
    State(woolly): State<Woolly>,
    member: Member,
    Form(form): Form<DomainForm>,
) -> Response {
    change_domain_block(&woolly, &member, form, false).await
}

/// The contexts a filter may apply in, as the form offers them.
const FILTER_CONTEXTS: [&str; 5] = ["home", "notifications", "public", "thread", "account"];

/// A filter as the list shows it.
struct FilterRow {
    id: i64,
    title: String,
    keywords: String,
    contexts: String,
    hides: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FilterForm {
    authenticity_token: String,
    title: String,
    /// Keywords, one a line or separated by commas.
    keywords: String,
    #[serde(deserialize_with = "woolly_http::lenient::list")]
    context: Vec<String>,
    action: String,
}

#[derive(Template)]
#[template(path = "settings_filters.html")]
struct FiltersPage<'a> {
    c: Chrome<'a>,
    filters: Vec<FilterRow>,
    /// (context, words, checked).
    contexts: Vec<(&'static str, String, bool)>,
    form: FilterForm,
    errors: FormErrors,
}

async fn filters_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    form: FilterForm,
    errors: FormErrors,
) -> Response {
    let words = visitor.words();
    let filters = match woolly.filters().all(member.account.id).await {
        Ok(filters) => filters,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let checked: Vec<&str> = if form.context.is_empty() {
        FILTER_CONTEXTS.to_vec()
    } else {
        form.context.iter().map(String::as_str).collect()
    };
    let contexts = FILTER_CONTEXTS
        .into_iter()
        .map(|name| {
            (
                name,
                words.t(&format!("filter-context-{name}")),
                checked.contains(&name),
            )
        })
        .collect();
    render(
        visitor,
        status,
        &FiltersPage {
            c: Chrome::new(woolly, visitor),
            filters: filters
                .into_iter()
                .map(|filter| FilterRow {
                    id: filter.id,
                    keywords: filter
                        .keywords
                        .iter()
                        .map(|keyword| keyword.keyword.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    contexts: filter
                        .context
                        .iter()
                        .map(|context| words.t(&format!("filter-context-{}", context.as_str())))
                        .collect::<Vec<_>>()
                        .join(", "),
                    hides: filter.action.as_str() == "hide",
                    title: filter.title,
                })
                .collect(),
            contexts,
            form,
            errors,
        },
    )
}

/// `GET /settings/filters`: the member's keyword filters, and a form for a new one.
async fn filters(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let member = &member;
    filters_page(
        &woolly,
        &visitor,
        member,
        StatusCode::OK,
        FilterForm::default(),
        FormErrors::default(),
    )
    .await
}

/// `POST /settings/filters`: a new filter with its keywords.
async fn create_filter(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    ApiParams(form): ApiParams<FilterForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return filters_page(
            &woolly,
            &visitor,
            member,
            StatusCode::FORBIDDEN,
            form,
            errors,
        )
        .await;
    }
    let keywords = form
        .keywords
        .split(['\n', ','])
        .map(str::trim)
        .filter(|keyword| !keyword.is_empty())
        .map(|keyword| woolly_core::filters::KeywordDraft {
            keyword: Some(keyword.to_owned()),
            whole_word: Some(true),
            ..Default::default()
        })
        .collect();
    let draft = woolly_core::filters::FilterDraft {
        title: Some(form.title.clone()),
        context: Some(form.context.clone()),
        action: Some(form.action.clone()).filter(|action| !action.is_empty()),
        expires_in: None,
        keywords,
    };
    match woolly.filters().create(&member.account, draft).await {
        Ok(_) => redirect(&visitor, "/settings/filters"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            filters_page(&woolly, &visitor, member, status_of(&error), form, errors).await
        }
    }
}

/// `POST /settings/filters/:id/delete`.
async fn delete_filter(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(id): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let member = &member;
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return crate::forms::expired(&woolly, &visitor, "/settings/filters");
    }
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    match woolly.filters().delete(&member.account, id).await {
        Ok(()) => redirect(&visitor, "/settings/filters"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Template)]
#[template(path = "settings_hashtags.html")]
struct HashtagsPage<'a> {
    c: Chrome<'a>,
    /// The hashtags featured on the member's profile: (id, name, words for their use).
    featured: Vec<(i64, String, String)>,
    /// Hashtags the member uses and does not feature yet.
    suggestions: Vec<String>,
    /// The name typed in the feature form, shown again when refused.
    typed: String,
    errors: FormErrors,
    hashtags: Vec<String>,
    /// The next page of followed hashtags.
    older: Option<String>,
}

async fn hashtags_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    query: &PageQuery,
    status: StatusCode,
    typed: String,
    errors: FormErrors,
) -> Response {
    let words = visitor.words();
    let everything = async {
        let page = query.page_of(LISTED)?;
        let (followed, cursors) = woolly.tags().followed_tags(&member.account, page).await?;
        let featured = woolly.tags().featured_tags(member.account.id).await?;
        let suggestions = woolly
            .tags()
            .featured_tag_suggestions(&member.account)
            .await?;
        Ok::<_, CoreError>((followed, cursors, featured, suggestions))
    };
    let (followed, cursors, featured, suggestions) = match everything.await {
        Ok(everything) => everything,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let older = cursors
        .filter(|_| followed.len() as i64 >= LISTED)
        .map(|(_, last)| format!("/settings/hashtags?max_id={last}"));
    render(
        visitor,
        status,
        &HashtagsPage {
            c: Chrome::new(woolly, visitor),
            featured: featured
                .into_iter()
                .map(|tag| {
                    let used = words.count("posts-count", tag.statuses_count);
                    (tag.id, tag.name, used)
                })
                .collect(),
            suggestions: suggestions.into_iter().map(|tag| tag.usage.name).collect(),
            typed,
            errors,
            hashtags: followed.into_iter().map(|tag| tag.usage.name).collect(),
            older,
        },
    )
}

/// `GET /settings/hashtags`: the hashtags featured on the member's profile, and those they
/// follow (each hashtag's page has its unfollow button too).
async fn hashtags(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Query(query): Query<PageQuery>,
) -> Response {
    hashtags_page(
        &woolly,
        &visitor,
        &member,
        &query,
        StatusCode::OK,
        String::new(),
        FormErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FeatureForm {
    authenticity_token: String,
    name: String,
}

/// `POST /settings/featured_tags`: features a hashtag on the member's profile.
async fn feature_hashtag(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<FeatureForm>,
) -> Response {
    let words = visitor.words();
    let first_page = PageQuery::default();
    let again = |status, errors| {
        hashtags_page(
            &woolly,
            &visitor,
            &member,
            &first_page,
            status,
            form.name.clone(),
            errors,
        )
    };
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return again(StatusCode::FORBIDDEN, errors).await;
    }
    match woolly.tags().feature_tag(&member.account, &form.name).await {
        Ok(_) => redirect(&visitor, "/settings/hashtags"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            again(status_of(&error), errors).await
        }
    }
}

/// `POST /settings/featured_tags/:id/delete`: stops featuring a hashtag.
async fn unfeature_hashtag(
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
        .tags()
        .unfeature_tag(&member.account, Some(id), None)
        .await
    {
        Ok(()) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Template)]
#[template(path = "settings_export.html")]
struct ExportPage<'a> {
    c: Chrome<'a>,
    /// (file name, what it holds).
    files: Vec<(&'static str, String)>,
    /// The member's archives: (id, asked, ready with its size).
    archives: Vec<(i64, String, Option<String>)>,
}

/// `GET /settings/export`: the member's data as files to download.
async fn exports(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let archives = match woolly.accounts().archives(&member.account).await {
        Ok(archives) => crate::leaving::archive_lines(&visitor, archives),
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let files = Export::ALL
        .into_iter()
        .map(|export| {
            let id = match export {
                Export::Following => "export-following",
                Export::Followers => "export-followers",
                Export::Lists => "export-lists",
                Export::Blocks => "export-blocks",
                Export::Mutes => "export-mutes",
                Export::DomainBlocks => "export-domain-blocks",
                Export::Bookmarks => "export-bookmarks",
            };
            (export.file_name(), words.t(id))
        })
        .collect();
    render(
        &visitor,
        StatusCode::OK,
        &ExportPage {
            c: Chrome::new(&woolly, &visitor),
            files,
            archives,
        },
    )
}

/// `GET /settings/export/FILE.csv`: one export, as a download.
async fn export_file(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(file): Path<String>,
) -> Response {
    let Some(export) = Export::from_file_name(&file) else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    match woolly.relations().export(&member.account, export).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", export.file_name()),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            csv,
        )
            .into_response(),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// How many uses and how long an invite may be given, as the form offers them.
const INVITE_USES: [i64; 6] = [1, 5, 10, 25, 50, 100];
const INVITE_HOURS: [i64; 5] = [1, 6, 24, 168, 720];

/// An invite as the list shows it.
struct InviteRow {
    code: String,
    url: String,
    uses: String,
    expires: String,
    usable: bool,
}

#[derive(Template)]
#[template(path = "invites.html")]
struct InvitesPage<'a> {
    c: Chrome<'a>,
    allowed: bool,
    invites: Vec<InviteRow>,
    uses: Vec<(i64, String)>,
    durations: Vec<(i64, String)>,
    errors: FormErrors,
}

async fn invites_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    let words = visitor.words();
    let invites = match woolly.sign_ups().invites(Some(member.account.id)).await {
        Ok(invites) => invites,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let now = woolly_core::now_millis();
    render(
        visitor,
        status,
        &InvitesPage {
            c: Chrome::new(woolly, visitor),
            allowed: woolly.config().invites_by.allows(member.user.role),
            invites: invites
                .into_iter()
                .map(|invite| {
                    let expired = invite.expires_at.is_some_and(|at| at <= now);
                    let used_up = invite.max_uses.is_some_and(|max| invite.uses >= max);
                    InviteRow {
                        uses: match invite.max_uses {
                            Some(max) => format!("{} / {max}", invite.uses),
                            None => invite.uses.to_string(),
                        },
                        expires: match invite.expires_at {
                            Some(at) if at <= now => words.t("invite-expired"),
                            Some(at) => words.t1("invite-expires", "date", &shown_time(words, at)),
                            None => words.t("invite-never-expires"),
                        },
                        usable: !invite.revoked && !expired && !used_up,
                        code: invite.code,
                        url: invite.url,
                    }
                })
                .collect(),
            uses: INVITE_USES
                .into_iter()
                .map(|uses| (uses, words.count("invite-uses", uses)))
                .collect(),
            durations: INVITE_HOURS
                .into_iter()
                .map(|hours| {
                    let words = if hours < 24 {
                        words.count("duration-hours", hours)
                    } else {
                        words.count("duration-days", hours / 24)
                    };
                    (hours, words)
                })
                .collect(),
            errors,
        },
    )
}

/// `GET /invites`: the member's invite links, and a form for a new one.
async fn invites(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let member = &member;
    invites_page(
        &woolly,
        &visitor,
        member,
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    authenticity_token: String,
    /// Empty: no limit.
    max_uses: String,
    /// Hours; empty: never expires.
    expires_in: String,
}

/// `POST /invites`.
async fn create_invite(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<InviteForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return invites_page(&woolly, &visitor, member, StatusCode::FORBIDDEN, errors).await;
    }
    let max_uses = form.max_uses.parse::<i64>().ok();
    let expires_in = form
        .expires_in
        .parse::<i64>()
        .ok()
        .map(|hours| hours.saturating_mul(3_600_000));
    match woolly
        .sign_ups()
        .create_invite(Some((&member.account, &member.user)), max_uses, expires_in)
        .await
    {
        Ok(_) => redirect(&visitor, "/invites"),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            invites_page(&woolly, &visitor, member, status_of(&error), errors).await
        }
    }
}

/// `POST /invites/:code/revoke`: one of the member's own invites stops working.
async fn revoke_invite(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(code): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let member = &member;
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return crate::forms::expired(&woolly, &visitor, "/invites");
    }
    match woolly
        .sign_ups()
        .revoke_own_invite(&member.account, &code)
        .await
    {
        Ok(_) => redirect(&visitor, "/invites"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
