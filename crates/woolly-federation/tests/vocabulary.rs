//! The vocabulary against documents as real servers publish them (`fixtures/`, see its README):
//! each reads as the right kind of document with the fields a status, an account or an
//! activity needs, whatever shape the sender gave them; writing one back and reading it again
//! changes nothing; and no input, however odd, makes reading panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use woolly_federation::vocab::{
    Activity, ActivityType, Actor, ActorType, AttachmentType, Collection, CollectionType, Document,
    IdOrObject, LinkRef, Object, ObjectType, PUBLIC, TagType, Timestamp, is_public,
};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) -> Document {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{name}: {error}"));
    Document::from_json(&text).unwrap_or_else(|error| panic!("{name} does not read: {error}"))
}

fn actor(name: &str) -> Actor {
    match fixture(name) {
        Document::Actor(actor) => actor,
        other => panic!("{name} is not an actor: {other:?}"),
    }
}

fn object(name: &str) -> Object {
    match fixture(name) {
        Document::Object(object) => object,
        other => panic!("{name} is not an object: {other:?}"),
    }
}

fn activity(name: &str) -> Activity {
    match fixture(name) {
        Document::Activity(activity) => activity,
        other => panic!("{name} is not an activity: {other:?}"),
    }
}

fn embedded_object(activity: &Activity) -> &Object {
    match activity.first_object() {
        Some(IdOrObject::Object(document)) => match document.as_ref() {
            Document::Object(object) => object,
            other => panic!("the embedded document is not an object: {other:?}"),
        },
        other => panic!("no embedded object: {other:?}"),
    }
}

fn all_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for directory in std::fs::read_dir(fixtures_dir()).unwrap() {
        let directory = directory.unwrap().path();
        if directory.is_dir() {
            for file in std::fs::read_dir(&directory).unwrap() {
                let file = file.unwrap().path();
                if file
                    .extension()
                    .is_some_and(|extension| extension == "json")
                {
                    files.push(file);
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_fixture_reads_and_writes_back_unchanged() {
    let files = all_fixtures();
    assert!(files.len() >= 40, "only {} fixtures", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let document = Document::from_json(&text)
            .unwrap_or_else(|error| panic!("{} does not read: {error}", path.display()));
        let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
        if let Some(id) = raw["id"].as_str() {
            assert_eq!(document.id(), Some(id), "{}", path.display());
        }
        // Writing normalizes (times to whole seconds, single values where Mastodon writes
        // them); from then on a round trip is exact.
        let written = serde_json::to_string(&document).unwrap();
        let again = Document::from_json(&written).unwrap_or_else(|error| {
            panic!("{} written back does not read: {error}", path.display())
        });
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            written,
            "{}",
            path.display()
        );
    }
}

#[test]
fn documents_are_sorted_by_type() {
    for (name, expected) in [
        ("mastodon/person.json", "actor"),
        ("peertube/group.json", "actor"),
        ("lemmy/group.json", "actor"),
        ("mastodon/note_reply.json", "object"),
        ("mobilizon/event.json", "object"),
        ("peertube/video.json", "object"),
        ("lemmy/page.json", "object"),
        ("mastodon/create_note.json", "activity"),
        ("akkoma/emoji_react.json", "activity"),
        ("mastodon/featured_collection.json", "collection"),
    ] {
        let kind = match fixture(name) {
            Document::Actor(_) => "actor",
            Document::Object(_) => "object",
            Document::Activity(_) => "activity",
            Document::Collection(_) => "collection",
        };
        assert_eq!(kind, expected, "{name}");
    }
}

#[test]
fn mastodon_actor_has_key_inboxes_and_avatar() {
    let actor = actor("mastodon/person.json");
    assert_eq!(actor.kind, ActorType::Person);
    assert_eq!(actor.preferred_username.as_deref(), Some("mastodon"));
    let key = actor.public_key.as_ref().unwrap();
    assert_eq!(key.id, format!("{}#main-key", actor.id));
    assert_eq!(key.owner.as_deref(), Some(actor.id.as_str()));
    assert!(
        key.public_key_pem
            .starts_with("-----BEGIN PUBLIC KEY-----\n")
    );
    assert_eq!(
        actor.preferred_inbox(),
        Some("https://masto.qa.urbanwildlife.biz/inbox")
    );
    assert_eq!(actor.manually_approves_followers, Some(false));
    assert_eq!(
        actor.published.map(|time| time.to_string()).as_deref(),
        Some("2022-10-03T00:00:00Z")
    );
    assert_eq!(
        actor.icon.as_ref().map(|icon| icon.media_type.as_deref()),
        Some(Some("image/png"))
    );
    assert_eq!(
        LinkRef::html_url(&actor.url),
        Some("https://masto.qa.urbanwildlife.biz/@mastodon")
    );
}

#[test]
fn profile_fields_and_emojis_read_from_misskey_gotosocial_and_akkoma() {
    let misskey = actor("misskey/person.json");
    let emojis: Vec<_> = misskey
        .tag
        .iter()
        .filter(|tag| tag.kind == TagType::Emoji)
        .collect();
    assert_eq!(emojis.len(), 2);
    assert_eq!(emojis[0].name.as_deref(), Some(":angry_ai:"));
    assert_eq!(
        emojis[0].icon.as_ref().map(|icon| icon.url.as_str()),
        Some("https://media.misskeyusercontent.com/emoji/angry_ai.png")
    );
    assert!(emojis[0].updated.is_some());
    assert_eq!(misskey.attachment[0].kind, AttachmentType::PropertyValue);
    assert_eq!(misskey.attachment[0].name.as_deref(), Some("写真集"));
    // Misskey types its key ("type": "Key"); the key reads all the same.
    assert!(misskey.public_key.is_some());

    let gotosocial = actor("gotosocial/person_fields.json");
    let fields: Vec<(&str, &str)> = gotosocial
        .attachment
        .iter()
        .map(|field| {
            (
                field.name.as_deref().unwrap(),
                field.value.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [("should you follow me?", "maybe!"), ("age", "120")]
    );
    assert_eq!(gotosocial.manually_approves_followers, Some(true));
    assert_eq!(
        gotosocial.summary.as_deref(),
        Some("<p>i post about things that concern me</p>")
    );

    let akkoma = actor("akkoma/person.json");
    assert_eq!(akkoma.also_known_as.len(), 2);
    assert!(akkoma.tag.iter().any(|tag| tag.kind == TagType::Emoji));
}

#[test]
fn group_actors_from_lemmy_and_peertube() {
    let lemmy = actor("lemmy/group.json");
    assert_eq!(lemmy.kind, ActorType::Group);
    assert_eq!(
        lemmy.preferred_inbox(),
        Some("https://enterprise.lemmy.ml/inbox")
    );
    // PeerTube lists its avatar in several sizes; the first is kept.
    let peertube = actor("peertube/group.json");
    assert_eq!(peertube.kind, ActorType::Group);
    assert!(
        peertube
            .icon
            .as_ref()
            .unwrap()
            .url
            .starts_with("https://tilvids.com/")
    );
}

#[test]
fn mastodon_reply_addressing_and_mentions() {
    let note = object("mastodon/note_reply.json");
    assert_eq!(note.kind, ObjectType::Note);
    // Unlisted: followers in `to`, the public collection in `cc`.
    assert_eq!(note.to, ["https://mastodon.madrid/users/felix/followers"]);
    assert!(is_public(&note.cc[0]));
    assert_eq!(
        note.in_reply_to.as_deref(),
        Some("https://mamot.fr/users/retiolus/statuses/107224244380204526")
    );
    assert_eq!(note.summary, None);
    let mention = &note.tag[0];
    assert_eq!(mention.kind, TagType::Mention);
    assert_eq!(
        mention.href.as_deref(),
        Some("https://mamot.fr/users/retiolus")
    );
    assert_eq!(mention.name.as_deref(), Some("@retiolus@mamot.fr"));
    let (content, language) = note.content_and_language().unwrap();
    assert!(content.starts_with("<p><span class=\"h-card\">"));
    assert_eq!(language, Some("en"));
    match note.replies.as_ref().unwrap() {
        IdOrObject::Object(replies) => {
            assert_eq!(replies.kind, CollectionType::Collection);
            assert!(
                replies
                    .first
                    .as_ref()
                    .unwrap()
                    .object()
                    .unwrap()
                    .kind
                    .is_page()
            );
        }
        other => panic!("replies should be embedded: {other:?}"),
    }
}

#[test]
fn mastodon_media_attachment_has_blurhash_focal_point_and_size() {
    let note = object("mastodon/note_2.json");
    let media = &note.attachment[0];
    assert_eq!(media.kind, AttachmentType::Document);
    assert_eq!(media.media_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        media.blurhash.as_deref(),
        Some("USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc")
    );
    assert_eq!(media.focal_point, Some([0.0, 0.0]));
    assert_eq!((media.width, media.height), (Some(1500), Some(1095)));
    assert!(media.description().unwrap().starts_with("The KDE dragons"));
    assert!(media.file_url().unwrap().ends_with("c8d906a2f2ab2334.jpg"));
}

#[test]
fn gotosocial_single_values_stand_for_arrays() {
    let note = object("gotosocial/note_mention.json");
    assert_eq!(note.to, [PUBLIC]);
    assert_eq!(note.cc.len(), 2);
    assert_eq!(note.tag.len(), 1);
    assert_eq!(note.tag[0].kind, TagType::Mention);
    assert_eq!(
        note.tag[0].name.as_deref(),
        Some("@the_mighty_zork@localhost:8080")
    );
    assert_eq!(note.summary.as_deref(), Some(""));

    let with_media = object("gotosocial/note_attachment.json");
    assert_eq!(with_media.to, [PUBLIC]);
    assert_eq!(
        with_media.cc,
        ["http://localhost:8080/users/admin/followers"]
    );
    let image = &with_media.attachment[0];
    assert_eq!(image.kind, AttachmentType::Image);
    assert_eq!(image.focal_point, Some([-0.5, 0.5]));
    // GoToSocial puts the description in `summary`.
    assert!(
        image
            .description()
            .unwrap()
            .starts_with("Black and white image")
    );
    let kinds: Vec<TagType> = with_media.tag.iter().map(|tag| tag.kind).collect();
    assert_eq!(kinds, [TagType::Emoji, TagType::Hashtag]);

    let delete = activity("gotosocial/delete_direct.json");
    assert_eq!(delete.kind, ActivityType::Delete);
    assert_eq!(delete.to, ["http://localhost:8080/users/the_mighty_zork"]);
    assert!(delete.cc.is_empty());
    assert_eq!(
        delete.first_object().and_then(IdOrObject::id),
        Some("http://localhost:8080/users/1happyturtle/statuses/01FN3VJGFH10KR7S2PB0GFJZYG")
    );
}

#[test]
fn pixelfed_create_with_single_tag_and_offset_times() {
    let create = activity("pixelfed/create_note.json");
    assert_eq!(create.kind, ActivityType::Create);
    assert_eq!(
        create.actor_id(),
        Some("https://pixelfed.social/users/mczachurski")
    );
    let expected: Timestamp = "2024-01-10T07:13:25Z".parse().unwrap();
    assert_eq!(create.published, Some(expected));
    let note = embedded_object(&create);
    assert_eq!(note.content.as_deref(), Some("Extra colours!"));
    assert_eq!(note.published, Some(expected));
    assert_eq!(note.tag.len(), 1);
    assert_eq!(
        note.tag[0].href.as_deref(),
        Some("https://gram.social/users/Alice")
    );
    assert_eq!(note.sensitive, Some(false));
}

#[test]
fn threads_spellings_read() {
    let actor = actor("threads/person.json");
    assert_eq!(actor.indexable, Some(false));
    assert_eq!(
        LinkRef::html_url(&actor.url),
        Some("https://www.threads.net/@woolly_fan")
    );

    let create = activity("threads/create_note.json");
    // `+0000`, without the colon RFC 3339 wants.
    assert_eq!(
        create.published.map(|time| time.to_string()).as_deref(),
        Some("2025-05-02T09:30:00Z")
    );
    assert!(create.to.iter().all(|to| is_public(to)));
    let note = embedded_object(&create);
    // The web page among the links, not the app's `threads://` one.
    assert_eq!(
        LinkRef::html_url(&note.url),
        Some("https://www.threads.net/@woolly_fan/post/C9woollyAB")
    );
    assert_eq!(note.url.len(), 2);
}

#[test]
fn peertube_video_lists_its_authors_and_links() {
    let video = object("peertube/video.json");
    assert_eq!(video.kind, ObjectType::Video);
    assert!(video.kind.is_status_like());
    assert_eq!(
        video.attributed_to,
        [
            "https://tilvids.com/accounts/thelinuxexperiment",
            "https://tilvids.com/video-channels/thelinuxexperiment_channel"
        ]
    );
    assert_eq!(
        LinkRef::html_url(&video.url),
        Some("https://tilvids.com/videos/watch/e7946124-7b72-4ad7-9d22-844a84bb2de1")
    );
    assert!(video.name.as_deref().unwrap().starts_with("Mesa, Wayland"));
    assert_eq!(video.duration.as_deref(), Some("PT1145S"));
    assert_eq!(
        video.icon.as_ref().unwrap().media_type.as_deref(),
        Some("image/jpeg")
    );

    let announce = activity("peertube/announce_video.json");
    assert_eq!(announce.kind, ActivityType::Announce);
    assert_eq!(
        announce.first_object().and_then(IdOrObject::id),
        Some("https://tilvids.com/videos/watch/e7946124-7b72-4ad7-9d22-844a84bb2de1")
    );
}

#[test]
fn lemmy_page_has_title_link_and_community_audience() {
    let page = object("lemmy/page.json");
    assert_eq!(page.kind, ObjectType::Page);
    assert_eq!(page.name.as_deref(), Some("Post title"));
    assert_eq!(page.attachment[0].kind, AttachmentType::Link);
    assert_eq!(
        page.attachment[0].file_url(),
        Some("https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png")
    );
    // Lemmy's own tag type stays, as unknown, beside the mention.
    assert!(page.tag.iter().any(|tag| tag.kind == TagType::Unknown));
    assert!(page.tag.iter().any(|tag| tag.kind == TagType::Mention));

    let comment = activity("lemmy/create_comment.json");
    let note = embedded_object(&comment);
    assert_eq!(note.id.as_deref(), Some("http://ds9.lemmy.ml/comment/1"));
}

#[test]
fn mastodon_poll_reads_options_votes_and_end() {
    let question = object("mastodon/question.json");
    assert_eq!(question.kind, ObjectType::Question);
    let (options, multiple) = question.poll_options();
    assert!(multiple);
    let tallies: Vec<(&str, Option<u64>)> = options
        .iter()
        .map(|option| (option.name.as_deref().unwrap(), option.votes()))
        .collect();
    assert_eq!(
        tallies,
        [("apple", Some(3)), ("orange", Some(7)), ("banana", Some(6))]
    );
    assert_eq!(question.voters_count, Some(7));
    assert_eq!(
        question.end_time.map(|time| time.to_string()).as_deref(),
        Some("2023-03-06T07:40:13Z")
    );

    let vote = activity("mastodon/vote.json");
    let answer = embedded_object(&vote);
    assert_eq!(answer.name.as_deref(), Some("orange"));
    assert_eq!(
        answer.in_reply_to.as_deref(),
        Some("https://mastodon.example/users/alice/statuses/1009947848598745")
    );
}

#[test]
fn activities_about_accounts() {
    let flag = activity("mastodon/flag.json");
    assert_eq!(flag.kind, ActivityType::Flag);
    let reported: Vec<&str> = flag.object.iter().filter_map(IdOrObject::id).collect();
    assert_eq!(reported.len(), 3);
    assert_eq!(flag.to, ["https://example.com/users/1"]);
    assert_eq!(
        flag.content.as_deref(),
        Some("Please take a look at this user and their posts")
    );

    let undo = activity("mastodon/undo_follow.json");
    assert_eq!(undo.kind, ActivityType::Undo);
    match undo.first_object().and_then(IdOrObject::object) {
        Some(Document::Activity(follow)) => {
            assert_eq!(follow.kind, ActivityType::Follow);
            assert_eq!(
                follow.first_object().and_then(IdOrObject::id),
                Some("https://ds9.lemmy.ml/c/testcom")
            );
        }
        other => panic!("Undo should embed its Follow: {other:?}"),
    }

    let moving = activity("mastodon/move.json");
    assert_eq!(moving.kind, ActivityType::Move);
    assert_eq!(
        moving.target.as_ref().and_then(IdOrObject::id),
        Some("https://alice.com/users/109835986274379")
    );

    let block = activity("mastodon/block.json");
    assert_eq!(block.kind, ActivityType::Block);

    let follow = activity("pleroma/follow.json");
    assert_eq!(follow.kind, ActivityType::Follow);
    assert_eq!(follow.to, ["https://lemmy.ca/u/kinetix"]);

    let react = activity("akkoma/emoji_react.json");
    assert_eq!(react.kind, ActivityType::EmojiReact);
    assert_eq!(react.content.as_deref(), Some("🧡"));
}

#[test]
fn deletions_carry_a_tombstone_or_an_id() {
    let delete = activity("mastodon/delete.json");
    match delete.first_object().and_then(IdOrObject::object) {
        Some(Document::Object(tombstone)) => assert_eq!(tombstone.kind, ObjectType::Tombstone),
        other => panic!("expected a tombstone: {other:?}"),
    }
    let pleroma = activity("pleroma/delete.json");
    assert!(matches!(pleroma.first_object(), Some(IdOrObject::Id(_))));
}

#[test]
fn featured_collection_embeds_notes() {
    let Document::Collection(featured) = fixture("mastodon/featured_collection.json") else {
        panic!("not a collection");
    };
    assert_eq!(featured.kind, CollectionType::OrderedCollection);
    assert_eq!(featured.total_items, Some(1));
    match featured.all_items() {
        [IdOrObject::Object(note)] => assert!(matches!(**note, Document::Object(_))),
        other => panic!("expected one embedded note: {other:?}"),
    }
}

#[test]
fn misskey_mitra_akkoma_and_friendica_notes() {
    let misskey = object("misskey/note.json");
    assert_eq!(
        misskey
            .source
            .as_ref()
            .and_then(|source| source.media_type.as_deref()),
        Some("text/x.misskeymarkdown")
    );
    assert_eq!(
        misskey.attachment[0].media_type.as_deref(),
        Some("image/webp")
    );
    assert_eq!(misskey.attachment[0].name, None);
    assert_eq!(
        misskey.published.map(|time| time.to_string()).as_deref(),
        Some("2024-07-31T11:38:15Z")
    );

    // Mitra writes `replies` as an id.
    let mitra = object("mitra/note.json");
    assert!(matches!(mitra.replies, Some(IdOrObject::Id(_))));

    // Akkoma writes `"sensitive": null` and an empty summary.
    let akkoma = object("akkoma/note_content_map.json");
    assert_eq!(akkoma.sensitive, None);
    assert_eq!(akkoma.content_and_language().unwrap().1, Some("en"));

    let friendica = object("friendica/note.json");
    // `contentMap` differs from `content`: the language is unknown.
    assert_eq!(friendica.content_and_language().unwrap().1, None);
    assert_eq!(friendica.to.len(), 3);

    let event = object("mobilizon/event.json");
    assert_eq!(event.kind, ObjectType::Event);
    assert!(event.start_time.is_some() && event.end_time.is_some());
}

#[test]
fn inverted_shapes_keep_what_is_usable() {
    let create = activity("odd/inverted_shapes.json");
    // A list of types: the known one counts.
    assert_eq!(create.kind, ActivityType::Create);
    assert_eq!(create.actor_id(), Some("https://odd.example/users/ann"));
    assert!(matches!(create.actor, Some(IdOrObject::Object(_))));
    assert_eq!(create.to, [PUBLIC]);
    // An embedded collection gives its id; a number and a null are dropped.
    assert_eq!(
        create.cc,
        [
            "https://odd.example/users/ann/followers",
            "https://other.example/users/bob"
        ]
    );
    assert_eq!(
        create.published.map(|time| time.unix_millis()),
        Some(1_709_247_599_123)
    );
    assert_eq!(create.object.len(), 2);
    assert!(matches!(&create.object[1], IdOrObject::Id(id) if id == "https://odd.example/notes/2"));

    let note = embedded_object(&create);
    assert_eq!(note.attributed_to, ["https://odd.example/users/ann"]);
    assert_eq!(
        note.in_reply_to.as_deref(),
        Some("https://other.example/notes/9")
    );
    assert_eq!(
        note.content.as_deref(),
        Some("<p>an array where a string belongs</p>")
    );
    assert_eq!(note.content_map.len(), 1);
    assert_eq!(note.sensitive, Some(true));
    assert_eq!(
        LinkRef::html_url(&note.url),
        Some("https://odd.example/@ann/1")
    );
    assert_eq!(
        note.tag[0].href.as_deref(),
        Some("https://odd.example/tags/odd")
    );
    let media = &note.attachment[0];
    assert_eq!(media.file_url(), Some("https://odd.example/files/1.png"));
    assert_eq!((media.width, media.height), (Some(640), Some(480)));
    assert_eq!(media.focal_point, None);
    assert_eq!(media.blurhash, None);
    assert!(matches!(note.replies, Some(IdOrObject::Id(_))));
    assert_eq!(note.published, None);

    let reply = object("odd/tag_object_with_numbered_keys.json");
    assert_eq!(reply.tag.len(), 1);
    assert_eq!(reply.tag[0].name.as_deref(), Some("@parent@else.example"));
    assert!(reply.attachment.is_empty());
}

#[test]
fn malformed_input_is_refused_without_panicking() {
    let deep_array = "[".repeat(100_000);
    let deep_object = "{\"type\":\"Note\",\"content\":".repeat(10_000);
    for bad in [
        "",
        "null",
        "[]",
        "\"https://a.example/1\"",
        "42",
        "{",
        "{}",
        "{\"id\": \"https://a.example/1\"}",
        "{\"type\": 7, \"id\": \"https://a.example/1\"}",
        "{\"type\": \"Person\"}",
        "{\"type\": \"Create\", \"id\": 5}",
        "{\"type\": \"Person\", \"id\": {\"nested\": true}}",
        deep_array.as_str(),
        deep_object.as_str(),
    ] {
        let shown: String = bad.chars().take(40).collect();
        match Document::from_json(bad) {
            Err(_) => {}
            // An activity needs no id to be read (a vote's Create may lack one)…
            Ok(Document::Activity(activity)) => assert_eq!(activity.id, None, "{shown}"),
            Ok(other) => panic!("{shown:?} read as {other:?}"),
        }
    }
    // …but an actor does.
    assert!(Document::from_json(r#"{"type": "Service", "name": "no id"}"#).is_err());
}

#[test]
fn unknown_types_and_fields_are_kept_as_unknown() {
    let document = Document::from_json(
        r#"{"type": "ChatMessage", "id": "https://p.example/c/1", "content": "hi",
            "someExtension": {"a": [1, 2]}}"#,
    )
    .unwrap();
    match document {
        Document::Object(object) => {
            assert_eq!(object.kind, ObjectType::Unknown);
            assert!(!object.kind.is_status_like());
            assert_eq!(object.content.as_deref(), Some("hi"));
        }
        other => panic!("{other:?}"),
    }
    let collection: Collection = serde_json::from_str(
        r#"{"type": "OrderedCollectionPage", "orderedItems": "https://a.example/1",
            "next": {"type": "OrderedCollectionPage", "id": "https://a.example/p2"}}"#,
    )
    .unwrap();
    assert_eq!(collection.all_items().len(), 1);
    assert_eq!(
        collection.next.as_ref().and_then(IdOrObject::id),
        Some("https://a.example/p2")
    );
}
