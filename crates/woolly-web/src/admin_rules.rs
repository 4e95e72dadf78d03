//! `/admin/rules`: the server's rules, as admins (`manage_rules`) keep them: added after the
//! others, rewritten, moved up, removed (reports that named a removed rule still show it).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::Woolly;
use woolly_core::accounts::permission;

use crate::forms::{ButtonForm, button_presser_on, form_presser, form_presser_on};
use crate::page::{Chrome, redirect, refusal, render};
use crate::visitor::{Member, Visitor};

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/admin/rules", get(list).post(add))
        .route("/admin/rules/{id}", post(edit))
        .route("/admin/rules/{id}/up", post(move_up))
        .route("/admin/rules/{id}/delete", post(remove))
}

struct RuleLine {
    id: i64,
    text: String,
    hint: String,
}

#[derive(Template)]
#[template(path = "admin_rules.html")]
struct RulesPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    rules: Vec<RuleLine>,
}

/// `GET /admin/rules`.
async fn list(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let read = async {
        member.moderator().require(permission::MANAGE_RULES)?;
        woolly.instance().rules().await
    };
    let rules = match read.await {
        Ok(rules) => rules,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    render(
        &visitor,
        StatusCode::OK,
        &RulesPage {
            c: Chrome::new(&woolly, &visitor),
            section: "rules",
            rules: rules
                .into_iter()
                .map(|rule| RuleLine {
                    id: rule.id,
                    text: rule.text,
                    hint: rule.hint,
                })
                .collect(),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RuleForm {
    authenticity_token: String,
    text: String,
    hint: String,
}

/// `POST /admin/rules`.
async fn add(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Form(form): Form<RuleForm>,
) -> Response {
    let back = "/admin/rules";
    let member = match form_presser(&woolly, &visitor, &form.authenticity_token, back) {
        Ok(member) => member,
        Err(answer) => return *answer,
    };
    match woolly
        .instance()
        .add_rule(member.moderator(), &form.text, &form.hint)
        .await
    {
        Ok(_) => redirect(&visitor, back),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditForm {
    authenticity_token: String,
    return_to: String,
    text: String,
    hint: String,
}

/// `POST /admin/rules/:id`: rewrites it.
async fn edit(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let token = &form.authenticity_token;
    let (member, id) = match form_presser_on(&woolly, &visitor, token, &form.return_to, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly
        .instance()
        .edit_rule(member.moderator(), id, &form.text, &form.hint)
        .await
    {
        Ok(()) => redirect(&visitor, "/admin/rules"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/rules/:id/up`.
async fn move_up(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly.instance().move_rule_up(member.moderator(), id).await {
        Ok(()) => redirect(&visitor, "/admin/rules"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// `POST /admin/rules/:id/delete`.
async fn remove(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, id) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    match woolly.instance().remove_rule(member.moderator(), id).await {
        Ok(()) => redirect(&visitor, "/admin/rules"),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}
