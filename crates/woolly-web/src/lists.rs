//! A member's lists: `/lists` (made, opened, deleted there), a list's own timeline with its
//! members (`/lists/:id`), and adding the people they follow to a list from their profile.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use woolly_core::lists::ListEdit;
use woolly_core::{CoreError, Woolly};

use crate::cards::{Author, StatusCard};
use crate::forms::{FormErrors, local_path, status_of};
use crate::page::{Chrome, redirect, refusal, render};
use crate::timelines::{PageQuery, full_page_end, older_than};
use crate::visitor::{Member, SignedIn, Visitor};

/// How many members a list's page shows.
const MEMBERS_LISTED: i64 = 80;

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/lists", get(lists).post(create))
        .route("/lists/{id}", get(list))
        .route("/lists/{id}/delete", post(delete))
        .route("/lists/add", post(add_to_chosen_list))
        .route("/lists/{id}/members/remove", post(remove_member))
}

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage<'a> {
    c: Chrome<'a>,
    lists: Vec<(i64, String)>,
    title: String,
    errors: FormErrors,
}

async fn lists_page(
    woolly: &Woolly,
    visitor: &Visitor,
    member: &SignedIn,
    status: StatusCode,
    title: String,
    errors: FormErrors,
) -> Response {
    match woolly.lists().all(member.account.id).await {
        Ok(lists) => render(
            visitor,
            status,
            &ListsPage {
                c: Chrome::new(woolly, visitor),
                lists: lists
                    .into_iter()
                    .map(|list| (list.id, list.title))
                    .collect(),
                title,
                errors,
            },
        ),
        Err(error) => refusal(woolly, visitor, &error),
    }
}

/// `GET /lists`.
async fn lists(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let member = &member;
    lists_page(
        &woolly,
        &visitor,
        member,
        StatusCode::OK,
        String::new(),
        FormErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListForm {
    authenticity_token: String,
    title: String,
    /// The member added to or removed from a list.
    account_id: String,
    /// The list chosen on a profile's "add to list" form.
    list_id: String,
    return_to: String,
}

/// `POST /lists`: a new list.
async fn create(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Form(form): Form<ListForm>,
) -> Response {
    let member = &member;
    let words = visitor.words();
    if !visitor.form_is_genuine(&form.authenticity_token) {
        let errors = FormErrors::general(words.t("error-form-expired"));
        return lists_page(
            &woolly,
            &visitor,
            member,
            StatusCode::FORBIDDEN,
            form.title,
            errors,
        )
        .await;
    }
    let edit = ListEdit {
        title: Some(form.title.clone()),
        ..ListEdit::default()
    };
    match woolly.lists().create(&member.account, edit).await {
        Ok(list) => redirect(&visitor, &format!("/lists/{}", list.id)),
        Err(error) => {
            let errors = FormErrors::from_refusal(words, &error);
            lists_page(
                &woolly,
                &visitor,
                member,
                status_of(&error),
                form.title,
                errors,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage<'a> {
    c: Chrome<'a>,
    id: i64,
    title: String,
    statuses: Vec<StatusCard>,
    older: Option<i64>,
    members: Vec<(i64, Author)>,
    /// The next page of members, when this one is full.
    more_members: Option<String>,
    /// Where the page's script hears of new posts (`live`).
    live: Option<String>,
}

/// A list page's query: the page of its timeline (`max_id`) and of its members (`members`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    max_id: Option<String>,
    members: Option<String>,
}

/// `GET /lists/:id`: the list's timeline and its members.
async fn list(
    State(woolly): State<Woolly>,
    Member { visitor, member }: Member,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    let member = &member;
    let me = member.account.id;
    let statuses_page = PageQuery {
        max_id: query.max_id.clone(),
    };
    let read = async {
        let id = id.parse::<i64>().map_err(|_| CoreError::NotFound)?;
        let list = woolly.lists().get(me, id).await?;
        let listing = woolly
            .timelines()
            .list(me, id, statuses_page.page()?)
            .await?;
        let members_page = PageQuery {
            max_id: query.members.clone(),
        };
        let members = woolly
            .lists()
            .members(me, id, Some(members_page.page_of(MEMBERS_LISTED)?))
            .await?;
        Ok::<_, CoreError>((list, listing, members))
    };
    let (list, listing, members) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    render(
        &visitor,
        StatusCode::OK,
        &ListPage {
            c: Chrome::new(&woolly, &visitor),
            id: list.id,
            title: list.title,
            older: older_than(&listing),
            statuses: listing
                .0
                .iter()
                .map(|view| StatusCard::new(&woolly, words, view, Some(me)))
                .collect(),
            live: crate::live::address(
                &visitor,
                &statuses_page,
                &format!("stream=list&list={}", list.id),
            ),
            more_members: full_page_end(&members, MEMBERS_LISTED)
                .map(|end| format!("/lists/{}?members={end}#members-heading", list.id)),
            members: members
                .iter()
                .map(|(id, account)| (*id, Author::of(&woolly, account)))
                .collect(),
        },
    )
}

/// What a list's one-button forms do.
enum Change {
    Delete,
    Add,
    Remove,
}

async fn change(
    woolly: &Woolly,
    Member { visitor, member }: &Member,
    id: &str,
    form: &ListForm,
    change: Change,
) -> Response {
    let back = local_path(&form.return_to).unwrap_or("/lists");
    if !visitor.form_is_genuine(&form.authenticity_token) {
        return crate::forms::expired(woolly, visitor, back);
    }
    let (Ok(id), account_id) = (id.parse::<i64>(), form.account_id.parse::<i64>()) else {
        return refusal(woolly, visitor, &CoreError::NotFound);
    };
    let lists = woolly.lists();
    let me = &member.account;
    let done = match (change, account_id) {
        (Change::Delete, _) => lists.delete(me, id).await,
        (Change::Add, Ok(account)) => lists.add_members(me, id, &[account]).await,
        (Change::Remove, Ok(account)) => lists.remove_members(me, id, &[account]).await,
        (_, Err(_)) => Err(CoreError::NotFound),
    };
    match done {
        Ok(()) => redirect(visitor, back),
        Err(error) => refusal(woolly, visitor, &error),
    }
}

/// `POST /lists/:id/delete`.
async fn delete(
    State(woolly): State<Woolly>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<ListForm>,
) -> Response {
    change(&woolly, &member, &id, &form, Change::Delete).await
}

/// `POST /lists/add`: adds someone the member follows to the list chosen on their profile.
async fn add_to_chosen_list(
    State(woolly): State<Woolly>,
    member: Member,
    Form(form): Form<ListForm>,
) -> Response {
    change(&woolly, &member, &form.list_id, &form, Change::Add).await
}

/// `POST /lists/:id/members/remove`.
async fn remove_member(
    State(woolly): State<Woolly>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<ListForm>,
) -> Response {
    change(&woolly, &member, &id, &form, Change::Remove).await
}
