//! Every public URL of this server, built in one place: profile pages, actor ids, statuses,
//! hashtags, media, the instance actor. Front doors, entities and ActivityPub documents all ask
//! [`Urls`], so that a link Woolly hands out always matches a route it serves, and a hashtag is
//! percent-encoded the same way everywhere (as Rails' `tag_url` does).

use std::fmt::Write as _;

/// The URLs of one instance, from its base (`https://domain`, no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    base: String,
}

impl Urls {
    pub fn new(base: String) -> Urls {
        Urls { base }
    }

    /// `https://domain`, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The profile page of a local account: `/@username`.
    pub fn profile(&self, username: &str) -> String {
        format!("{}/@{username}", self.base)
    }

    /// This server's page of a remote account: `/@username@domain`.
    pub fn remote_profile(&self, username: &str, domain: &str) -> String {
        format!("{}/@{username}@{domain}", self.base)
    }

    /// The ActivityPub id of a local account: `/users/username`.
    pub fn actor(&self, username: &str) -> String {
        format!("{}/users/{username}", self.base)
    }

    /// The ActivityPub id of a local status: `/users/username/statuses/id`.
    pub fn status(&self, username: &str, id: i64) -> String {
        format!("{}/users/{username}/statuses/{id}", self.base)
    }

    /// The web page of a local status: `/@username/id`.
    pub fn status_page(&self, username: &str, id: i64) -> String {
        format!("{}/@{username}/{id}", self.base)
    }

    /// A hashtag's page: `/tags/name`, the name percent-encoded.
    pub fn tag(&self, name: &str) -> String {
        format!("{}/tags/{}", self.base, percent_encode(name))
    }

    /// A local account's statuses with a hashtag: `/@username/tagged/name`.
    pub fn tagged(&self, username: &str, tag: &str) -> String {
        format!("{}/@{username}/tagged/{}", self.base, percent_encode(tag))
    }

    /// A stored media file by its key.
    pub fn media(&self, key: &str) -> String {
        format!("{}/media/{key}", self.base)
    }

    /// The placeholder image of an account without an avatar (`kind` "avatars") or header
    /// ("headers"), where Mastodon serves its own.
    pub fn missing_image(&self, kind: &str) -> String {
        format!("{}/{kind}/original/missing.png", self.base)
    }

    /// A custom emoji's ActivityPub id: `/emojis/shortcode`.
    pub fn emoji(&self, shortcode: &str) -> String {
        format!("{}/emojis/{shortcode}", self.base)
    }

    /// The instance actor's id.
    pub fn instance_actor(&self) -> String {
        format!("{}/actor", self.base)
    }

    /// The shared inbox.
    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// The instance's thumbnail image.
    pub fn instance_thumbnail(&self) -> String {
        format!("{}/instance/thumbnail.png", self.base)
    }

    /// The page about this server: rules, contact, moderated servers.
    pub fn about(&self) -> String {
        format!("{}/about", self.base)
    }

    /// WebFinger's "remote follow" template: where a person from another server lands to act
    /// on `{uri}`.
    pub fn interaction_template(&self) -> String {
        format!("{}/authorize_interaction?uri={{uri}}", self.base)
    }

    /// Whether `uri` is on this server (the base itself or a path under it).
    pub fn is_local(&self, uri: &str) -> bool {
        uri.strip_prefix(self.base.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The link in a confirmation e-mail (Devise's path, as Mastodon's).
    pub fn email_confirmation(&self, token: &str) -> String {
        format!(
            "{}/auth/confirmation?confirmation_token={}",
            self.base,
            percent_encode(token)
        )
    }

    /// The link in a password-reset e-mail (Devise's path, as Mastodon's).
    pub fn password_reset(&self, token: &str) -> String {
        format!(
            "{}/auth/password/edit?reset_password_token={}",
            self.base,
            percent_encode(token)
        )
    }

    /// An invite link (Mastodon's path).
    pub fn invite(&self, code: &str) -> String {
        format!("{}/invite/{}", self.base, percent_encode(code))
    }

    /// Where a user reads a moderator's warning and may appeal it (Mastodon's address).
    pub fn warning_page(&self, id: i64) -> String {
        format!("{}/disputes/strikes/{id}", self.base)
    }

    /// The server's front page, with a trailing slash.
    pub fn home_page(&self) -> String {
        format!("{}/", self.base)
    }

    /// The local username an ActivityPub id names (`/users/name`, with whatever follows: a key,
    /// a follow), if it names one.
    pub fn local_username_in<'a>(&self, uri: &'a str) -> Option<&'a str> {
        let rest = uri
            .strip_prefix(self.base.as_str())?
            .strip_prefix("/users/")?;
        let username = rest.split(['/', '#', '?']).next()?;
        (!username.is_empty()).then_some(username)
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters, for a path segment or a query
/// component.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_mastodons_layout_and_encode_hashtags() {
        let urls = Urls::new("https://example.org".to_owned());
        assert_eq!(urls.profile("alice"), "https://example.org/@alice");
        assert_eq!(urls.actor("alice"), "https://example.org/users/alice");
        assert_eq!(
            urls.status("alice", 7),
            "https://example.org/users/alice/statuses/7"
        );
        assert_eq!(urls.status_page("alice", 7), "https://example.org/@alice/7");
        assert_eq!(urls.tag("rust"), "https://example.org/tags/rust");
        assert_eq!(urls.tag("café"), "https://example.org/tags/caf%C3%A9");
        assert_eq!(
            urls.tagged("alice", "日本"),
            "https://example.org/@alice/tagged/%E6%97%A5%E6%9C%AC"
        );
        assert_eq!(
            urls.local_username_in("https://example.org/users/alice#main-key"),
            Some("alice")
        );
        assert_eq!(
            urls.local_username_in("https://other.example/users/alice"),
            None
        );
    }
}
