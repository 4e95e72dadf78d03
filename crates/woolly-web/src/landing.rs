//! The door of the server: `/` says what this server is, who runs it, its rules, how many
//! people are here and how to join, with a preview of the latest public posts made here;
//! `/about` and `/privacy-policy` hold the operator's longer texts.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use woolly_core::Woolly;
use woolly_core::joining::RegistrationMode;

use crate::cards::{Author, StatusCard};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::Visitor;

/// How many recent posts the front page previews.
const PREVIEW_POSTS: i64 = 10;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/", get(landing))
        .route("/about", get(about))
        .route("/privacy-policy", get(privacy_policy))
}

/// How someone may join, as the front page tells it.
pub struct Joining {
    /// Whether the sign-up form is open to anyone (with or without approval).
    pub open: bool,
    pub approval: bool,
    pub invite_only: bool,
    /// The operator's words while sign-up is closed (HTML from their Markdown).
    pub closed_message: Option<String>,
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage<'a> {
    c: Chrome<'a>,
    description: &'a str,
    people: String,
    posts: String,
    rules: Vec<String>,
    contact: Option<Author>,
    contact_email: &'a str,
    joining: Joining,
    preview: Vec<StatusCard>,
}

/// `GET /`: the front page; members go on to their home timeline.
async fn landing(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    if visitor.member().is_some() {
        return redirect(&visitor, "/home");
    }
    let overview = match woolly.instance().overview().await {
        Ok(overview) => overview,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    // No preview where the operator keeps the timelines to members (`timeline_preview`).
    let preview = if woolly.config().timeline_preview {
        let page = woolly_core::Page {
            max_id: None,
            since_id: None,
            min_id: None,
            limit: PREVIEW_POSTS,
        };
        match woolly
            .timelines()
            .public(None, Some(true), false, page)
            .await
        {
            Ok((views, _)) => views,
            Err(error) => return refusal(&woolly, &visitor, &error),
        }
    } else {
        Vec::new()
    };
    let words = visitor.words();
    let config = woolly.config();
    let mode = overview.registrations.mode;
    render(
        &visitor,
        StatusCode::OK,
        &LandingPage {
            c: Chrome::new(&woolly, &visitor),
            description: &config.description,
            people: words.count("people-count", overview.stats.user_count),
            posts: words.count("posts-count", overview.stats.status_count),
            rules: overview
                .rules
                .iter()
                .map(|rule| rule.text.clone())
                .collect(),
            contact: overview
                .contact
                .as_ref()
                .map(|(account, _)| Author::of(&woolly, account)),
            contact_email: &config.contact_email,
            joining: Joining {
                open: matches!(mode, RegistrationMode::Open | RegistrationMode::Approval),
                approval: mode == RegistrationMode::Approval,
                invite_only: mode == RegistrationMode::Invite,
                closed_message: overview.registrations.closed_message.clone(),
            },
            preview: preview
                .iter()
                .map(|view| StatusCard::new(&woolly, words, view, None))
                .collect(),
        },
    )
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage<'a> {
    c: Chrome<'a>,
    description: &'a str,
    extended_description: String,
    rules: Vec<String>,
    contact: Option<Author>,
    contact_email: &'a str,
    /// Servers cut off from this one.
    /// `None` when the operator does not show them to this visitor.
    moderated: Option<Vec<ModeratedServer>>,
    /// The terms of service, when the operator wrote some (HTML).
    terms: Option<String>,
}

/// A blocked server as the about page lists it.
struct ModeratedServer {
    /// Obfuscated when the operator asked.
    domain: String,
    /// What the block does, in the reader's words.
    severity: String,
    /// The public comment, when the operator shows them.
    comment: Option<String>,
}

/// `GET /about`: the operator's description, rules, contact and moderated servers.
async fn about(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    let instance = woolly.instance();
    let (overview, extended, moderated, terms) = match (
        instance.overview().await,
        instance.extended_description().await,
        instance
            .public_domain_blocks(visitor.member().is_some())
            .await,
        instance.terms_of_service().await,
    ) {
        (Ok(overview), Ok(extended), Ok(moderated), Ok(terms)) => {
            (overview, extended, moderated, terms)
        }
        (Err(error), ..) | (_, Err(error), ..) | (_, _, Err(error), _) | (.., Err(error)) => {
            return refusal(&woolly, &visitor, &error);
        }
    };
    let config = woolly.config();
    render(
        &visitor,
        StatusCode::OK,
        &AboutPage {
            c: Chrome::new(&woolly, &visitor),
            description: &config.description,
            extended_description: extended.html,
            rules: overview
                .rules
                .iter()
                .map(|rule| rule.text.clone())
                .collect(),
            contact: overview
                .contact
                .as_ref()
                .map(|(account, _)| Author::of(&woolly, account)),
            contact_email: &config.contact_email,
            moderated: moderated.map(|blocks| {
                let words = visitor.words();
                blocks
                    .iter()
                    .map(|block| ModeratedServer {
                        domain: block.public_domain(),
                        severity: words.t(&format!("about-severity-{}", block.severity.as_str())),
                        comment: (config.show_domain_blocks_rationale
                            && !block.public_comment.is_empty())
                        .then(|| block.public_comment.clone()),
                    })
                    .collect()
            }),
            terms: terms.map(|terms| terms.html),
        },
    )
}

#[derive(Template)]
#[template(path = "text_page.html")]
struct TextPage<'a> {
    c: Chrome<'a>,
    heading: String,
    html: String,
}

/// `GET /privacy-policy`: the operator's privacy policy (Woolly's default until they write one).
async fn privacy_policy(State(woolly): State<Woolly>, visitor: Visitor) -> Response {
    match woolly.instance().privacy_policy().await {
        Ok(policy) => render(
            &visitor,
            StatusCode::OK,
            &TextPage {
                c: Chrome::new(&woolly, &visitor),
                heading: visitor.words().t("privacy-policy"),
                html: policy.html,
            },
        ),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
