//! Documents as real servers publish them (`fixtures/`), turned into what Woolly stores: every
//! post-like object of Mastodon, GoToSocial, Pleroma/Akkoma, Misskey, Pixelfed, PeerTube,
//! Lemmy, Threads and others becomes a status draft with the audience Mastodon's addressing rules
//! give it, its content sanitized, its hashtags, mentions, parent, poll and media; every actor
//! becomes an account with a username, a domain, a key and inboxes. (Storing them and fetching
//! what they point to is exercised between real servers in the `woolly` crate's federation
//! tests.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use woolly_core::visibility::Visibility;
use woolly_federation::remote::{authority_of, draft_status, remote_account, visibility_of};
use woolly_federation::vocab::{Actor, Document, IdOrObject, Object};

fn fixture(name: &str) -> Document {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{name}: {error}"));
    Document::from_json(&text).unwrap_or_else(|error| panic!("{name} does not read: {error}"))
}

/// The status-like object of a fixture: the document itself, or the one its activity embeds.
fn post(name: &str) -> Object {
    match fixture(name) {
        Document::Object(object) => object,
        Document::Activity(activity) => match activity.first_object() {
            Some(IdOrObject::Object(document)) => match document.as_ref() {
                Document::Object(object) => object.clone(),
                other => panic!("{name} embeds no object: {other:?}"),
            },
            other => panic!("{name} embeds no object: {other:?}"),
        },
        other => panic!("{name} is not a post: {other:?}"),
    }
}

fn actor(name: &str) -> Actor {
    match fixture(name) {
        Document::Actor(actor) => actor,
        other => panic!("{name} is not an actor: {other:?}"),
    }
}

/// The followers collection a post's author has, by the convention of its server (what the
/// author's actor document would say).
fn followers_of(object: &Object) -> Option<String> {
    let author = object.attributed_to.first()?;
    Some(format!("{}/followers", author.trim_end_matches('/')))
}

#[test]
fn posts_of_every_server_get_mastodons_audience() {
    use Visibility::{Direct, Public, Unlisted};
    let expected = [
        ("akkoma/note_attachment.json", Public),
        ("akkoma/note_content_map.json", Public),
        ("friendica/note.json", Public),
        ("gotosocial/note_attachment.json", Public),
        ("gotosocial/note_mention.json", Public),
        ("lemmy/create_comment.json", Public),
        ("lemmy/page.json", Public),
        ("lemmy/page_blahaj.json", Public),
        ("mastodon/create_note.json", Unlisted),
        ("mastodon/direct_message_note.json", Direct),
        ("mastodon/note_2.json", Public),
        ("mastodon/note_chaos_social.json", Unlisted),
        ("mastodon/note_reply.json", Unlisted),
        ("mastodon/vote.json", Direct),
        ("misskey/note.json", Public),
        ("misskey/note_sharkey.json", Public),
        ("mitra/note.json", Public),
        ("mobilizon/event.json", Public),
        ("peertube/video.json", Public),
        ("pixelfed/create_note.json", Public),
        ("pleroma/note.json", Unlisted),
        ("threads/create_note.json", Public),
    ];
    for (name, visibility) in expected {
        let object = post(name);
        let draft = draft_status(&object, followers_of(&object).as_deref());
        assert_eq!(draft.status.visibility, visibility, "{name}");
        let uri = object.id.clone().unwrap();
        assert_eq!(draft.status.uri, uri, "{name}");
        // Its author is on its own host (what the inbox insists on).
        assert_eq!(
            authority_of(object.attributed_to.first().unwrap()),
            authority_of(&uri),
            "{name}"
        );
        assert!(draft.status.created_at > 0, "{name}");
    }
}

#[test]
fn followers_only_posts_are_addressed_to_the_followers_alone() {
    let mut object = post("mastodon/create_note.json");
    let followers = object.to[0].clone();
    object.cc.retain(|address| !address.contains("Public"));
    assert_eq!(
        visibility_of(&object, Some(&followers)),
        Visibility::Private
    );
    // Even when the author's followers collection is not known, a `/followers` address is.
    assert_eq!(visibility_of(&object, None), Visibility::Private);
}

#[test]
fn replies_mentions_hashtags_and_content_warnings_come_through() {
    let reply = draft_status(&post("mastodon/note_reply.json"), None);
    assert!(reply.in_reply_to.is_some());
    assert!(!reply.mention_uris.is_empty());

    let gotosocial = draft_status(&post("gotosocial/note_mention.json"), None);
    assert_eq!(
        gotosocial.mention_uris,
        ["http://localhost:8080/users/the_mighty_zork"]
    );

    // Pixelfed gives a single tag object where others give an array.
    let pixelfed = draft_status(&post("pixelfed/create_note.json"), None);
    assert_eq!(pixelfed.mention_uris, ["https://gram.social/users/Alice"]);
    for name in ["mitra/note.json", "gotosocial/note_attachment.json"] {
        let draft = draft_status(&post(name), None);
        assert!(!draft.status.tags.is_empty(), "{name}: {:?}", draft.status);
        assert!(
            draft.status.tags.iter().all(|tag| !tag.is_empty()),
            "{name}"
        );
    }

    // A content warning makes the post sensitive, as Mastodon shows it.
    for name in [
        "mastodon/note_2.json",
        "misskey/note.json",
        "akkoma/note_attachment.json",
    ] {
        let draft = draft_status(&post(name), None);
        if !draft.status.spoiler_text.is_empty() {
            assert!(draft.status.sensitive, "{name}");
        }
    }
}

#[test]
fn media_keep_their_urls_descriptions_blurhashes_and_focal_points() {
    let gotosocial = draft_status(&post("gotosocial/note_attachment.json"), None);
    let media = &gotosocial.status.media[0];
    assert_eq!(media.kind, "image");
    assert!(media.url.starts_with("http"));
    assert!(media.blurhash.is_some());
    let akkoma = draft_status(&post("akkoma/note_attachment.json"), None);
    assert!(!akkoma.status.media.is_empty());
    assert!(akkoma.status.media.len() <= 4);
    let peertube = draft_status(&post("peertube/video.json"), None);
    assert!(peertube.status.media.len() <= 4);
}

#[test]
fn polls_keep_their_options_tallies_and_end() {
    let question = draft_status(&post("mastodon/question.json"), None);
    let poll = question.status.poll.expect("a poll");
    assert!(poll.options.len() >= 2);
    assert!(poll.options.iter().all(|(title, _)| !title.is_empty()));
    assert!(poll.expires_at > 0);
}

#[test]
fn actors_of_every_server_become_accounts() {
    for name in [
        "akkoma/person.json",
        "gotosocial/person_fields.json",
        "lemmy/person.json",
        "lemmy/group.json",
        "mastodon/person.json",
        "mastodon/person_fedibird.json",
        "mastodon/person_fediversereport.json",
        "misskey/person.json",
        "misskey/person_sharkey.json",
        "mitra/person.json",
        "peertube/group.json",
        "pleroma/person.json",
        "threads/person.json",
    ] {
        let actor = actor(name);
        let domain = authority_of(&actor.id).unwrap();
        let account =
            remote_account(&actor, &domain).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(!account.username.is_empty(), "{name}");
        assert_eq!(account.domain.as_str(), domain, "{name}");
        assert!(
            account.public_key_pem.contains("PUBLIC KEY"),
            "{name} has a key"
        );
        assert!(account.actor.inbox_url.is_some(), "{name} has an inbox");
        assert_eq!(account.actor.uri.as_deref(), Some(actor.id.as_str()));
    }
}

#[test]
fn remote_html_is_sanitized_before_it_is_stored() {
    let hostile = r#"<p onclick="steal()">hi<script>alert(1)</script> <a href="javascript:x()">x</a> <span class="h-card mention evil">@a</span></p>"#;
    let sanitized = woolly_core::sanitize::sanitize_remote_html(hostile);
    assert!(!sanitized.contains("script"));
    assert!(!sanitized.contains("onclick"));
    assert!(!sanitized.contains("javascript"));
    assert!(!sanitized.contains("evil"));
    assert!(sanitized.contains("h-card"));
}

#[test]
fn articles_pages_and_videos_lead_with_their_title() {
    let page = draft_status(&post("lemmy/page.json"), None);
    let content = page.status.content_html.unwrap();
    assert!(content.starts_with("<h2>"), "{content}");
    let sanitized = woolly_core::sanitize::sanitize_remote_html(&content);
    assert!(sanitized.starts_with("<p><strong>"), "{sanitized}");
    let video = draft_status(&post("peertube/video.json"), None);
    let content = video.status.content_html.unwrap();
    assert!(content.starts_with("<h2>"), "{content}");
}

#[test]
fn addressed_actors_are_kept_for_silent_mentions() {
    let vote = draft_status(&post("mastodon/vote.json"), None);
    assert_eq!(vote.addressed, ["https://mastodon.example/users/alice"]);
    let public = draft_status(&post("mastodon/note_2.json"), None);
    assert!(
        public
            .addressed
            .iter()
            .all(|address| !address.contains("Public") && !address.ends_with("/followers")),
        "{:?}",
        public.addressed
    );
}
