//! Plain HTML renderings of a profile and a status, for people who follow a link to `/@user` or
//! `/@user/:id` until Woolly has its web interface: enough to read the post or profile, and a
//! `<link rel="alternate">` to the ActivityPub document (which is how other servers' "search by
//! URL" finds it).
//!
//! Everything that comes from users is escaped here, except the HTML that core renders itself
//! (status content, profile note and field values), which is built escaped from plain text.

use std::fmt::Write as _;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use woolly_core::Woolly;
use woolly_core::actors::LocalActor;
use woolly_core::statuses::StatusView;

use crate::render::ActorUrls;

use woolly_core::html::escape;

fn page(title: &str, alternate: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <link rel=\"alternate\" type=\"application/activity+json\" href=\"{alternate}\">\n\
         </head>\n<body>\n{body}</body>\n</html>\n",
        title = escape(title),
        alternate = escape(alternate),
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::VARY, HeaderValue::from_static("Accept")),
        ],
        html,
    )
        .into_response()
}

fn display_name(account: &woolly_core::accounts::Account) -> &str {
    if account.display_name.is_empty() {
        &account.username
    } else {
        &account.display_name
    }
}

/// A profile: name, handle, bio, fields and counts.
pub fn profile_page(woolly: &Woolly, actor: &LocalActor) -> Response {
    let account = &actor.account;
    let urls = ActorUrls::of(woolly, &account.username);
    let handle = format!("@{}@{}", account.username, woolly.config().domain);
    let mut body = format!(
        "<main class=\"h-card\">\n<h1 class=\"p-name\">{name}</h1>\n\
         <p><a class=\"u-url\" href=\"{url}\">{handle}</a></p>\n\
         <div class=\"p-note\">{note}</div>\n",
        name = escape(display_name(account)),
        url = escape(&urls.url),
        handle = escape(&handle),
        note = account.note,
    );
    if !account.fields.is_empty() {
        body.push_str("<dl>\n");
        for field in &account.fields {
            let _ = writeln!(
                body,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&field.name),
                field.value
            );
        }
        body.push_str("</dl>\n");
    }
    let _ = writeln!(
        body,
        "<p>{} posts · {} following · {} followers</p>\n</main>",
        account.statuses_count, account.following_count, account.followers_count
    );
    page(
        &format!("{} ({handle})", display_name(account)),
        &urls.id,
        &body,
    )
}

/// A status: its author, content warning and content, media, and when it was posted.
pub fn status_page(woolly: &Woolly, view: &StatusView) -> Response {
    let status = &view.status;
    let account = &view.account;
    let urls = ActorUrls::of(woolly, &account.username);
    let handle = format!("@{}@{}", account.username, woolly.config().domain);
    let published = crate::vocab::Timestamp::from_unix_millis(status.created_at).to_string();
    let mut body = format!(
        "<article class=\"h-entry\">\n<p class=\"p-author h-card\">\
         <a class=\"u-url p-name\" href=\"{profile}\">{name}</a> {handle}</p>\n",
        profile = escape(&urls.url),
        name = escape(display_name(account)),
        handle = escape(&handle),
    );
    let content = format!("<div class=\"e-content\">{}</div>\n", status.content);
    if status.spoiler_text.is_empty() {
        body.push_str(&content);
    } else {
        let _ = write!(
            body,
            "<details>\n<summary class=\"p-summary\">{}</summary>\n{content}</details>\n",
            escape(&status.spoiler_text)
        );
    }
    if let Some(poll) = &view.poll {
        body.push_str("<ul>\n");
        for option in &poll.options {
            let _ = writeln!(body, "<li>{}</li>", escape(&option.title));
        }
        body.push_str("</ul>\n");
    }
    for media in &view.media {
        let _ = writeln!(
            body,
            "<p><a href=\"{url}\">{label}</a></p>",
            url = escape(&media.url),
            label = escape(media.description.as_deref().unwrap_or("Attachment")),
        );
    }
    let permalink = status.url.as_deref().unwrap_or(&status.uri);
    let _ = writeln!(
        body,
        "<p><a class=\"u-url\" href=\"{link}\"><time class=\"dt-published\" datetime=\"{published}\">\
         {published}</time></a></p>\n</article>",
        link = escape(permalink),
    );
    let text: String = status.text.chars().take(60).collect();
    page(
        &format!("{}: {}", display_name(account), text),
        &status.uri,
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
