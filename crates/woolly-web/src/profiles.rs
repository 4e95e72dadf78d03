//! The pages of people and their posts: a profile (`/@name` here, `/@name@domain` for a known
//! account of another server) with its pinned and latest posts and a follow button, and a
//! thread (`/@name/:id`) with its replies and a reply form; following, muting and blocking from
//! a profile (`/accounts/:id/:action`).
//!
//! The same addresses answer ActivityPub JSON to servers: the binary sends requests that ask for
//! it to the federation's handlers, and only pages for people come here. Each page links its
//! ActivityPub document (`<link rel="alternate">`, how other servers' "search by address" finds
//! it) and carries OpenGraph tags for link previews.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use axum::{Form, Router};
use woolly_core::accounts::Account;
use woolly_core::statuses::StatusView;
use woolly_core::{AccountStatusesFilter, CoreError, Woolly};

use crate::cards::{Author, StatusCard};
use crate::forms::{ButtonForm, button_presser_on};
use crate::page::{Chrome, found, redirect, refusal, render};
use crate::timelines::{PageQuery, full_page_end, older_than};
use crate::visitor::Visitor;

/// A profile page, `/@name`: the binary serves it to browsers, and the actor to servers.
pub fn profile_page() -> MethodRouter<Woolly> {
    get(profile)
}

/// A thread page, `/@name/:id`, served likewise.
pub fn thread_page() -> MethodRouter<Woolly> {
    get(thread)
}

/// Following and unfollowing from a profile; a profile's posts with a hashtag.
pub(crate) fn forms() -> Router<Woolly> {
    Router::new()
        .route("/accounts/{id}/{action}", post(relate))
        .route("/@{name}/tagged/{tag}", get(tagged))
}

/// Which of a profile's posts a page lists, as Mastodon's profile tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ProfileTab {
    /// `/@name`: posts and boosts, without replies to others.
    Posts,
    /// `/@name/with_replies`.
    WithReplies,
    /// `/@name/media`: posts with images, videos or sounds.
    Media,
    /// `/@name/tagged/TAG`: posts with a hashtag (where a featured hashtag leads).
    Tagged(String),
}

impl ProfileTab {
    /// The tab's path below the profile's.
    fn suffix(&self) -> String {
        match self {
            ProfileTab::Posts => String::new(),
            ProfileTab::WithReplies => "/with_replies".to_owned(),
            ProfileTab::Media => "/media".to_owned(),
            ProfileTab::Tagged(tag) => format!("/tagged/{tag}"),
        }
    }

    fn filter(&self) -> AccountStatusesFilter {
        AccountStatusesFilter {
            exclude_replies: *self == ProfileTab::Posts,
            only_media: *self == ProfileTab::Media,
            exclude_reblogs: *self == ProfileTab::Media,
            tagged: match self {
                ProfileTab::Tagged(tag) => Some(tag.clone()),
                _ => None,
            },
        }
    }
}

/// How a member relates to the person whose profile they look at.
struct Relation {
    /// Follows, or asked to.
    follows: bool,
    blocking: bool,
    muting: bool,
}

/// A profile's head: who they are, as the profile and its OpenGraph tags show them.
struct ProfileHead {
    author: Author,
    /// The account's ActivityPub id.
    actor_id: String,
    header: String,
    /// HTML core rendered or sanitized.
    note: String,
    /// The note as plain text, for link previews.
    summary: String,
    fields: Vec<(String, String)>,
    statuses: String,
    following: String,
    followers: String,
    joined: String,
    locked: bool,
    bot: bool,
    /// The account it moved to.
    moved: Option<Author>,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    c: Chrome<'a>,
    head: ProfileHead,
    account_id: i64,
    /// A person of this server, who has a feed here.
    is_local: bool,
    /// For a member looking at someone else: how they relate to them.
    relation: Option<Relation>,
    /// The member's lists, for someone they follow: (id, title).
    lists: Vec<(i64, String)>,
    pinned: Vec<StatusCard>,
    /// The hashtags the account features: (name, words for its use).
    featured_tags: Vec<(String, String)>,
    /// The tabs: (path, words, current).
    tabs: Vec<(String, String, bool)>,
    /// The hashtag of a `tagged` page.
    tagged: Option<String>,
    statuses: Vec<StatusCard>,
    older: Option<String>,
}

fn head(woolly: &Woolly, visitor: &Visitor, account: &Account) -> ProfileHead {
    let words = visitor.words();
    let urls = woolly.config().urls();
    ProfileHead {
        author: Author::of(woolly, account),
        actor_id: match &account.domain {
            None => urls.actor(&account.username),
            Some(_) => account.actor.uri.clone().unwrap_or_default(),
        },
        header: account.header_url(urls),
        summary: woolly_core::sanitize::html_to_plain_text(&account.note),
        note: account.note.clone(),
        fields: account
            .fields
            .iter()
            .map(|field| (field.name.clone(), field.value.clone()))
            .collect(),
        statuses: words.count("posts-count", account.statuses_count),
        following: words.count("following-count", account.following_count),
        followers: words.count("followers-count", account.followers_count),
        joined: words.t1(
            "joined",
            "date",
            &crate::cards::shown_date(words, account.created_at),
        ),
        locked: account.locked,
        bot: account.bot,
        moved: account
            .moved
            .as_deref()
            .map(|target| Author::of(woolly, target)),
    }
}

/// `GET /@name` (or `/@name@domain`).
async fn profile(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path(name): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Some(name) = name.strip_suffix(".rss") {
        return match crate::feeds::account_feed(&woolly, name).await {
            Ok(feed) => feed,
            Err(error) => refusal(&woolly, &visitor, &error),
        };
    }
    profile_tab(woolly, visitor, &name, query, ProfileTab::Posts).await
}

/// `GET /@name/tagged/TAG`.
async fn tagged(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((name, tag)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
    let Ok(tag) = woolly_core::tags::tag_name(&tag) else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    profile_tab(woolly, visitor, &name, query, ProfileTab::Tagged(tag)).await
}

/// A profile with one tab of its posts.
async fn profile_tab(
    woolly: Woolly,
    visitor: Visitor,
    name: &str,
    query: PageQuery,
    tab: ProfileTab,
) -> Response {
    let account = match woolly.accounts().lookup_account(name).await {
        Ok(account) => account,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let viewer = visitor.member().map(|member| member.account.id);
    let words = visitor.words();
    let page = match query.page() {
        Ok(page) => page,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let first_page = page.max_id.is_none() && tab == ProfileTab::Posts;
    let filter = tab.filter();
    let listing = match woolly
        .timelines()
        .account(viewer, account.id, &filter, page)
        .await
    {
        Ok(listing) => listing,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let (pinned, featured) = if first_page {
        let extras = async {
            let pinned = woolly
                .statuses()
                .pinned_statuses(viewer, account.id)
                .await?;
            let featured = woolly.tags().featured_tags(account.id).await?;
            Ok::<_, CoreError>((pinned, featured))
        };
        match extras.await {
            Ok(extras) => extras,
            Err(error) => return refusal(&woolly, &visitor, &error),
        }
    } else {
        (Vec::new(), Vec::new())
    };
    let relation = match viewer.filter(|viewer| *viewer != account.id) {
        None => None,
        Some(viewer) => match woolly
            .relations()
            .relationships(viewer, &[account.id])
            .await
        {
            Ok(relationships) => relationships.first().map(|relationship| Relation {
                follows: relationship.following || relationship.requested,
                blocking: relationship.blocking,
                muting: relationship.muting,
            }),
            Err(error) => return refusal(&woolly, &visitor, &error),
        },
    };
    let lists = match (viewer, &relation) {
        (Some(viewer), Some(relation)) if relation.follows => {
            match woolly.lists().all(viewer).await {
                Ok(lists) => lists
                    .into_iter()
                    .map(|list| (list.id, list.title))
                    .collect(),
                Err(error) => return refusal(&woolly, &visitor, &error),
            }
        }
        _ => Vec::new(),
    };
    let cards = |views: &[StatusView]| -> Vec<StatusCard> {
        views
            .iter()
            .map(|view| StatusCard::new(&woolly, words, view, viewer))
            .collect()
    };
    let path = format!("/@{}", account.acct());
    let mut tabs: Vec<(String, String, bool)> = [
        (ProfileTab::Posts, "profile-tab-posts"),
        (ProfileTab::WithReplies, "profile-tab-replies"),
        (ProfileTab::Media, "profile-tab-media"),
    ]
    .into_iter()
    .map(|(each, id)| (format!("{path}{}", each.suffix()), words.t(id), each == tab))
    .collect();
    if let ProfileTab::Tagged(tag) = &tab {
        tabs.push((format!("{path}{}", tab.suffix()), format!("#{tag}"), true));
    }
    render(
        &visitor,
        StatusCode::OK,
        &ProfilePage {
            c: Chrome::new(&woolly, &visitor),
            head: head(&woolly, &visitor, &account),
            account_id: account.id,
            is_local: account.is_local(),
            lists,
            relation,
            pinned: cards(&pinned),
            featured_tags: featured
                .into_iter()
                .map(|tag| {
                    let used = words.count("posts-count", tag.statuses_count);
                    (tag.name, used)
                })
                .collect(),
            tagged: match &tab {
                ProfileTab::Tagged(tag) => Some(tag.clone()),
                _ => None,
            },
            statuses: cards(&listing.0),
            older: older_than(&listing)
                .map(|max_id| format!("{path}{}?max_id={max_id}", tab.suffix())),
            tabs,
        },
    )
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage<'a> {
    c: Chrome<'a>,
    focus: StatusCard,
    /// The status's ActivityPub id.
    uri: String,
    /// Written here: visitors from elsewhere may answer it from their own server.
    focus_is_local: bool,
    /// Its text, for link previews.
    summary: String,
    ancestors: Vec<StatusCard>,
    descendants: Vec<StatusCard>,
    /// The reply form's starting text: the mentions of the thread.
    reply_text: String,
    idempotency: String,
}

/// `GET /@name/:id`: a status in its thread.
async fn thread(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((name, id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
    let side = match id.as_str() {
        "followers" => Some(woolly_core::FollowSide::Followers),
        "following" => Some(woolly_core::FollowSide::Following),
        _ => None,
    };
    if let Some(side) = side {
        return follows(&woolly, &visitor, &name, side, &query).await;
    }
    let tab = match id.as_str() {
        "with_replies" => Some(ProfileTab::WithReplies),
        "media" => Some(ProfileTab::Media),
        _ => None,
    };
    if let Some(tab) = tab {
        return profile_tab(woolly, visitor, &name, query, tab).await;
    }
    let Ok(id) = id.parse::<i64>() else {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    };
    let member = visitor.member();
    let viewer = member.map(|member| member.account.id);
    let view = match woolly.statuses().view(viewer, id).await {
        Ok(view) => view,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    if !view.account.acct().eq_ignore_ascii_case(&name) {
        return refusal(&woolly, &visitor, &CoreError::NotFound);
    }
    // A boost's page is its original's, as Mastodon's `redirect_to_original`.
    if let Some(original) = &view.reblog {
        let status = &original.status;
        let to = status.url.clone().unwrap_or_else(|| status.uri.clone());
        return found(&visitor, &to);
    }
    let context = match woolly.statuses().context(viewer, id).await {
        Ok(context) => context,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let cards = |views: &[StatusView]| -> Vec<StatusCard> {
        views
            .iter()
            .map(|view| StatusCard::new(&woolly, words, view, viewer))
            .collect()
    };
    let mut mentions: Vec<String> = Vec::new();
    for account in std::iter::once(&view.account).chain(view.mentions.iter()) {
        let handle = format!("@{}", account.acct());
        if Some(account.id) != viewer && !mentions.contains(&handle) {
            mentions.push(handle);
        }
    }
    let reply_text = if mentions.is_empty() {
        String::new()
    } else {
        format!("{} ", mentions.join(" "))
    };
    render(
        &visitor,
        StatusCode::OK,
        &ThreadPage {
            c: Chrome::new(&woolly, &visitor),
            focus: StatusCard::new(&woolly, words, &view, viewer),
            uri: view.status.uri.clone(),
            focus_is_local: view.status.is_local,
            summary: woolly_core::sanitize::html_to_plain_text(&view.status.content)
                .chars()
                .take(200)
                .collect(),
            ancestors: cards(&context.ancestors),
            descendants: cards(&context.descendants),
            reply_text,
            idempotency: woolly_core::web_sessions::new_browser_secret(),
        },
    )
}

/// `POST /accounts/:id/ACTION`: follow, unfollow, block, unblock, mute (with its
/// notifications, until undone), unmute.
async fn relate(
    State(woolly): State<Woolly>,
    visitor: Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let (member, target) = match button_presser_on(&woolly, &visitor, &form, &id) {
        Ok(pressed) => pressed,
        Err(answer) => return *answer,
    };
    let relations = woolly.relations();
    let me = &member.account;
    let done = match action.as_str() {
        "follow" => relations
            .follow(me, target, woolly_core::relations::FollowOptions::default())
            .await
            .map(drop),
        "unfollow" => relations.unfollow(me, target).await.map(drop),
        "block" => relations.block(me, target).await.map(drop),
        "unblock" => relations.unblock(me, target).await.map(drop),
        "mute" => relations
            .mute(
                me,
                target,
                woolly_core::relations::MuteOptions {
                    notifications: true,
                    duration: None,
                },
            )
            .await
            .map(drop),
        "unmute" => relations.unmute(me, target).await.map(drop),
        _ => Err(CoreError::NotFound),
    };
    match done {
        Ok(()) => redirect(&visitor, form.back()),
        Err(error) => refusal(&woolly, &visitor, &error),
    }
}

/// How many followers or follows the page lists.
const FOLLOWS_LISTED: i64 = 80;

#[derive(Template)]
#[template(path = "follows.html")]
struct FollowsPage<'a> {
    c: Chrome<'a>,
    heading: String,
    profile: String,
    people: Vec<Author>,
    /// The next page's address, when this one is full.
    older: Option<String>,
}

/// `GET /@name/followers` and `/@name/following`: the latest of them.
async fn follows(
    woolly: &Woolly,
    visitor: &Visitor,
    name: &str,
    side: woolly_core::FollowSide,
    query: &PageQuery,
) -> Response {
    let account = match woolly.accounts().lookup_account(name).await {
        Ok(account) => account,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let page = match query.page_of(FOLLOWS_LISTED) {
        Ok(page) => page,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let rows = match woolly.relations().follows(account.id, side, page).await {
        Ok(rows) => rows,
        Err(error) => return refusal(woolly, visitor, &error),
    };
    let words = visitor.words();
    let author = Author::of(woolly, &account);
    let heading = match side {
        woolly_core::FollowSide::Followers => words.t1("followers-of", "name", &author.name),
        woolly_core::FollowSide::Following => words.t1("following-of", "name", &author.name),
    };
    render(
        visitor,
        StatusCode::OK,
        &FollowsPage {
            c: Chrome::new(woolly, visitor),
            heading,
            older: full_page_end(&rows, FOLLOWS_LISTED).map(|max_id| {
                let side = match side {
                    woolly_core::FollowSide::Followers => "followers",
                    woolly_core::FollowSide::Following => "following",
                };
                format!("{}/{side}?max_id={max_id}", author.profile)
            }),
            profile: author.profile,
            people: rows
                .iter()
                .map(|(_, account)| Author::of(woolly, account))
                .collect(),
        },
    )
}
