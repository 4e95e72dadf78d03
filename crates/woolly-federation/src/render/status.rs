//! Statuses: a post as a `Note` (a `Question` when it has a poll), the `Create` that published
//! it, a reblog as an `Announce` (`note_serializer.rb`, `activity_serializer.rb`), and who each
//! is addressed to (`ActivityPub::TagManager#to` and `#cc`).

use std::collections::HashMap;

use woolly_core::emojis::CustomEmoji;
use woolly_core::statuses::StatusView;
use woolly_core::visibility::Visibility;
use woolly_core::{CoreError, Woolly};

use super::{ActorUrls, media_type_of};
use crate::vocab::{
    Activity, ActivityType, Attachment, AttachmentType, Collection, CollectionType, Document,
    IdOrObject, ImageObject, LinkRef, Object, ObjectType, PUBLIC, PollOption, Tag, TagType,
    Timestamp,
};

/// The URIs of the collections of a local status: its replies, likes and shares.
pub fn status_collections(status_uri: &str) -> (String, String, String) {
    (
        format!("{status_uri}/replies"),
        format!("{status_uri}/likes"),
        format!("{status_uri}/shares"),
    )
}

/// Who a status is addressed to, `(to, cc)`, by Mastodon's rules: public posts to everyone with
/// the followers in copy; unlisted ones to the followers with everyone in copy; followers-only
/// ones to the followers; direct ones to the mentioned accounts only. Mentioned accounts are in
/// copy of all but direct posts; a reblog copies the reblogged author first.
pub fn addressing(woolly: &Woolly, view: &StatusView) -> (Vec<String>, Vec<String>) {
    let followers = ActorUrls::of(woolly, &view.account.username).followers;
    let mentioned: Vec<String> = view
        .mentions
        .iter()
        .map(|account| woolly.federation().actor_uri(account))
        .collect();
    let mut cc = Vec::new();
    if let Some(original) = &view.reblog {
        cc.push(woolly.federation().actor_uri(&original.account));
    }
    let to = match view.status.visibility {
        Visibility::Public => {
            cc.push(followers);
            vec![PUBLIC.to_owned()]
        }
        Visibility::Unlisted => {
            cc.push(PUBLIC.to_owned());
            vec![followers]
        }
        Visibility::Private => vec![followers],
        Visibility::Direct => return (mentioned, cc),
    };
    cc.extend(mentioned);
    (to, cc)
}

/// Self-replies listed in the first page of replies a note embeds, as Mastodon lists them
/// (`NoteSerializer#replies`, `self_replies(5)`).
const EMBEDDED_SELF_REPLIES: i64 = 5;

/// What notes show of other statuses, read for a batch of them at once: the URI of the status
/// each replies to (`inReplyTo`) and the first of its author's own replies (the first page of
/// `replies`).
#[derive(Debug, Default, Clone)]
pub struct NoteContext {
    parents: HashMap<i64, String>,
    self_replies: HashMap<i64, Vec<(i64, String)>>,
}

/// The [`NoteContext`] of the given statuses, in two queries whatever their number.
pub async fn note_context(woolly: &Woolly, views: &[StatusView]) -> Result<NoteContext, CoreError> {
    let parents: Vec<i64> = views
        .iter()
        .filter_map(|view| view.status.in_reply_to_id)
        .collect();
    let parents = if parents.is_empty() {
        HashMap::new()
    } else {
        woolly.federation().status_uris(&parents).await?
    };
    // Only notes of local statuses list their replies; reblogs are no notes.
    let notes: Vec<i64> = views
        .iter()
        .filter(|view| view.status.is_local && view.reblog.is_none())
        .map(|view| view.status.id)
        .collect();
    let self_replies = woolly
        .federation()
        .first_self_replies(&notes, EMBEDDED_SELF_REPLIES)
        .await?;
    Ok(NoteContext {
        parents,
        self_replies,
    })
}

/// A note's `replies`: the collection with its first page embedded, as Mastodon writes it
/// (peers such as GoToSocial read only an embedded first page). The page, which has no id of
/// its own, lists the author's first replies and leads on to the rest of them, or, when there
/// are none, to everyone else's (`only_other_accounts`).
fn replies_collection(replies: String, self_replies: &[(i64, String)]) -> Collection {
    let next = match self_replies.last() {
        Some((last_id, _)) => format!("{replies}?page=true&min_id={last_id}"),
        None => format!("{replies}?page=true&only_other_accounts=true"),
    };
    let first = Collection {
        kind: CollectionType::CollectionPage,
        part_of: Some(replies.clone()),
        items: Some(
            self_replies
                .iter()
                .map(|(_, uri)| IdOrObject::Id(uri.clone()))
                .collect(),
        ),
        next: Some(IdOrObject::Id(next)),
        ..Collection::default()
    };
    Collection {
        id: Some(replies),
        kind: CollectionType::Collection,
        first: Some(IdOrObject::Object(Box::new(first))),
        ..Collection::default()
    }
}

/// A custom emoji as a tag (`Emoji`, named `:shortcode:`, with its image). Its id is where
/// Woolly serves it, `/emojis/:shortcode`.
pub fn emoji_tag(woolly: &Woolly, emoji: &CustomEmoji) -> Tag {
    Tag {
        kind: TagType::Emoji,
        id: Some(woolly.config().urls().emoji(&emoji.shortcode)),
        name: Some(format!(":{}:", emoji.shortcode)),
        icon: Some(ImageObject {
            kind: "Image".to_owned(),
            media_type: media_type_of(&emoji.url).map(str::to_owned),
            url: emoji.url.clone(),
            name: None,
        }),
        ..Tag::default()
    }
}

/// A status (not a reblog) as its object: a `Note`, or a `Question` with its poll.
/// `context` holds the URI of the status it replies to and its first self-replies (see
/// [`note_context`]).
pub fn note(woolly: &Woolly, view: &StatusView, context: &NoteContext) -> Object {
    let status = &view.status;
    let urls = woolly.config().urls();
    let (to, cc) = addressing(woolly, view);
    let (replies, likes, shares) = status_collections(&status.uri);
    let mut tag: Vec<Tag> = view
        .mentions
        .iter()
        .map(|account| Tag {
            kind: TagType::Mention,
            href: Some(woolly.federation().actor_uri(account)),
            // Mastodon names a mention by the account's `acct`.
            name: Some(match &account.domain {
                None => format!("@{}", account.username),
                Some(domain) => format!("@{}@{domain}", account.username),
            }),
            ..Tag::default()
        })
        .collect();
    tag.extend(view.tags.iter().map(|name| Tag {
        kind: TagType::Hashtag,
        href: Some(urls.tag(name)),
        name: Some(format!("#{name}")),
        ..Tag::default()
    }));
    tag.extend(view.emojis.iter().map(|emoji| emoji_tag(woolly, emoji)));
    let attachment = view
        .media
        .iter()
        .map(|media| Attachment {
            kind: AttachmentType::Document,
            media_type: media_type_of(&media.url).map(str::to_owned),
            url: vec![LinkRef::Url(media.url.clone())],
            name: media.description.clone(),
            blurhash: media.blurhash.clone(),
            focal_point: Some([media.focus.0, media.focus.1]),
            width: u64::try_from(media.width).ok().filter(|width| *width > 0),
            height: u64::try_from(media.height)
                .ok()
                .filter(|height| *height > 0),
            ..Attachment::default()
        })
        .collect();
    let mut object = Object {
        id: Some(status.uri.clone()),
        kind: ObjectType::Note,
        // ActivityStreams' `summary` is HTML: Mastodon writes and reads it as plain text,
        // GoToSocial as HTML, so only what would read as markup is escaped.
        summary: (!status.spoiler_text.is_empty())
            .then(|| woolly_core::html::escape_markup(&status.spoiler_text)),
        in_reply_to: status
            .in_reply_to_id
            .and_then(|parent| context.parents.get(&parent).cloned()),
        published: Some(Timestamp::from_unix_millis(status.created_at)),
        updated: status.edited_at.map(Timestamp::from_unix_millis),
        url: status.url.iter().cloned().map(LinkRef::Url).collect(),
        attributed_to: vec![woolly.federation().actor_uri(&view.account)],
        to,
        cc,
        // A content warning hides the post, so it is sensitive (Mastodon marks it so when
        // it is posted; peers such as GoToSocial hide nothing that is not).
        sensitive: Some(status.sensitive || !status.spoiler_text.is_empty()),
        content: Some(status.content.clone()),
        content_map: status
            .language
            .iter()
            .map(|language| (language.clone(), status.content.clone()))
            .collect(),
        attachment,
        tag,
        replies: Some(IdOrObject::Object(Box::new(replies_collection(
            replies,
            context
                .self_replies
                .get(&status.id)
                .map_or(&[][..], Vec::as_slice),
        )))),
        likes: Some(IdOrObject::Object(Box::new(Collection {
            id: Some(likes),
            kind: CollectionType::Collection,
            total_items: u64::try_from(status.favourites_count).ok(),
            ..Collection::default()
        }))),
        shares: Some(IdOrObject::Object(Box::new(Collection {
            id: Some(shares),
            kind: CollectionType::Collection,
            total_items: u64::try_from(status.reblogs_count).ok(),
            ..Collection::default()
        }))),
        ..Object::default()
    };
    if let Some(poll) = &view.poll {
        let now = woolly_core::now_millis();
        let shows_tallies = poll.shows_tallies_at(now);
        let options: Vec<PollOption> = poll
            .options
            .iter()
            .map(|option| PollOption {
                kind: ObjectType::Note,
                name: Some(option.title.clone()),
                replies: Some(Collection {
                    kind: CollectionType::Collection,
                    // Hidden until the end when the author hides the tallies, as Mastodon's
                    // options have no count then.
                    total_items: shows_tallies
                        .then(|| u64::try_from(option.votes_count).ok())
                        .flatten(),
                    ..Collection::default()
                }),
            })
            .collect();
        object.kind = ObjectType::Question;
        if poll.multiple {
            object.any_of = options;
        } else {
            object.one_of = options;
        }
        let end = Timestamp::from_unix_millis(poll.expires_at);
        object.end_time = Some(end);
        if poll.is_expired_at(now) {
            object.closed = Some(crate::vocab::PollClosed::At(end));
        }
        object.voters_count = u64::try_from(poll.voters_count).ok();
    }
    object
}

/// The `Create` of a status, embedding its note (`/users/:u/statuses/:id/activity`).
pub fn create(woolly: &Woolly, view: &StatusView, context: &NoteContext) -> Activity {
    let note = note(woolly, view, context);
    Activity {
        id: Some(format!("{}/activity", view.status.uri)),
        kind: ActivityType::Create,
        actor: Some(IdOrObject::Id(woolly.federation().actor_uri(&view.account))),
        published: note.published,
        to: note.to.clone(),
        cc: note.cc.clone(),
        object: vec![IdOrObject::Object(Box::new(Document::Object(note)))],
        ..Activity::default()
    }
}

/// The `Announce` of a reblog, naming the reblogged status by its URI; `None` for a status
/// that is not a reblog.
pub fn announce(woolly: &Woolly, view: &StatusView) -> Option<Activity> {
    let original = view.reblog.as_ref()?;
    let (to, cc) = addressing(woolly, view);
    Some(Activity {
        // A reblog's URI is its activity's id (`…/statuses/:id/activity`).
        id: Some(view.status.uri.clone()),
        kind: ActivityType::Announce,
        actor: Some(IdOrObject::Id(woolly.federation().actor_uri(&view.account))),
        published: Some(Timestamp::from_unix_millis(view.status.created_at)),
        to,
        cc,
        object: vec![IdOrObject::Id(original.status.uri.clone())],
        ..Activity::default()
    })
}

/// The activity that put a status in its author's outbox: the `Announce` of a reblog, the
/// `Create` of anything else.
pub fn activity(woolly: &Woolly, view: &StatusView, context: &NoteContext) -> Activity {
    announce(woolly, view).unwrap_or_else(|| create(woolly, view, context))
}
