//! The admins' screen for other servers: `/admin/domain_blocks`, the servers this one limits or
//! cuts off, blocked with a plain form (severity, options, comments) and lifted with a button;
//! and `/admin/domain_allows`, the servers talked to under limited federation. Core decides who
//! may (roles with `manage_federation`): others are refused (403).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::instance_domain_blocks::{DomainBlockChange, Severity};
use woolly_core::{CoreError, Page, Woolly};

use crate::cards::shown_time;
use crate::forms::{ButtonForm, button_presser_on, form_presser};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/admin/domain_blocks", get(servers).post(block))
        .route("/admin/domain_blocks/{id}/delete", post(unblock))
        .route("/admin/domain_allows", post(allow))
        .route("/admin/domain_allows/{id}/delete", post(disallow))
}

/// Every entry, for a screen that lists them all (an instance blocks hundreds at most).
const ALL: Page = Page {
    max_id: None,
    since_id: None,
    min_id: None,
    limit: 1000,
};

struct BlockLine {
    id: i64,
    domain: String,
    severity: String,
    options: Vec<String>,
    public_comment: String,
    private_comment: String,
    when: String,
}

struct AllowLine {
    id: i64,
    domain: String,
}

#[derive(Template)]
#[template(path = "admin_servers.html")]
struct ServersPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    blocks: Vec<BlockLine>,
    allows: Vec<AllowLine>,
    limited: bool,
}

/// `GET /admin/domain_blocks`.
async fn servers(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let instance = woolly.instance();
    let read = async {
        let blocks = instance.domain_blocks_page(member.moderator(), ALL).await?;
        let allows = instance.domain_allows_page(member.moderator(), ALL).await?;
        Ok::<_, CoreError>((blocks, allows))
    };
    let (blocks, allows) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let page = ServersPage {
        c: Chrome::new(&woolly, &visitor),
        section: "servers",
        blocks: blocks
            .iter()
            .map(|block| BlockLine {
                id: block.id,
                domain: block.domain.clone(),
                severity: words.t(&format!("servers-severity-{}", block.severity.as_str())),
                options: [
                    (block.reject_media, "servers-reject-media"),
                    (block.reject_reports, "servers-reject-reports"),
                    (block.obfuscate, "servers-obfuscate"),
                ]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, key)| words.t(key))
                .collect(),
                public_comment: block.public_comment.clone(),
                private_comment: block.private_comment.clone(),
                when: shown_time(words, block.created_at),
            })
            .collect(),
        allows: allows
            .into_iter()
            .map(|allow| AllowLine {
                id: allow.id,
                domain: allow.domain,
            })
            .collect(),
        limited: woolly.config().limited_federation,
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BlockForm {
    authenticity_token: String,
    domain: String,
    severity: String,
    reject_media: Option<String>,
    reject_reports: Option<String>,
    public_comment: String,
    private_comment: String,
    obfuscate: Option<String>,
}

/// `POST /admin/domain_blocks`.
async fn block(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<BlockForm>,
) -> Response {
    let back = "/admin/domain_blocks";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    let blocked = async {
        let change = DomainBlockChange {
            severity: Some(Severity::parse(&form.severity)?),
            reject_media: Some(form.reject_media.is_some()),
            reject_reports: Some(form.reject_reports.is_some()),
            private_comment: Some(form.private_comment.clone()),
            public_comment: Some(form.public_comment.clone()),
            obfuscate: Some(form.obfuscate.is_some()),
        };
        woolly
            .instance()
            .block_domain(member.moderator(), &form.domain, change)
            .await
    };
    match blocked.await {
        Ok(_) => redirect(&visitor, "/admin/domain_blocks"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/domain_blocks/:id/delete`.
async fn unblock(
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
        .instance()
        .unblock_domain(member.moderator(), id)
        .await
    {
        Ok(_) => redirect(&visitor, "/admin/domain_blocks"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AllowForm {
    authenticity_token: String,
    domain: String,
}

/// `POST /admin/domain_allows`.
async fn allow(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<AllowForm>,
) -> Response {
    let back = "/admin/domain_blocks";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly
        .instance()
        .allow_domain(member.moderator(), &form.domain)
        .await
    {
        Ok(_) => redirect(&visitor, "/admin/domain_blocks"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/domain_allows/:id/delete`.
async fn disallow(
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
        .instance()
        .disallow_domain(member.moderator(), id)
        .await
    {
        Ok(_) => redirect(&visitor, "/admin/domain_blocks"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
