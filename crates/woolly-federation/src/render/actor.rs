//! Actors: a local account as a `Person` (a `Service` for bots), and the instance actor as an
//! `Application` (`app/serializers/activitypub/actor_serializer.rb`).

use woolly_core::Woolly;
use woolly_core::actors::{INSTANCE_ACTOR_USERNAME, LocalActor};

use super::{ActorUrls, emoji_tag, shared_inbox};
use crate::vocab::{
    Actor, ActorType, Attachment, AttachmentType, Endpoints, ImageObject, LinkRef, PublicKey,
    Timestamp,
};

/// An avatar or header in the media store as an `Image` (PNG or JPEG, by its file name).
fn profile_image(woolly: &Woolly, key: &str) -> ImageObject {
    let media_type = if key.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    ImageObject {
        kind: "Image".to_owned(),
        media_type: Some(media_type.to_owned()),
        url: woolly.config().urls().media(key),
        name: None,
    }
}

/// A local account's actor document.
///
/// `icon` and `image` are left out for an account on the default images, as Mastodon does.
pub fn local_actor(woolly: &Woolly, actor: &LocalActor) -> Actor {
    let account = &actor.account;
    let urls = ActorUrls::of(woolly, &account.username);
    if account.limits.suspended_at.is_some() {
        return suspended_local_actor(woolly, actor, urls);
    }
    let name = if account.display_name.is_empty() {
        account.username.clone()
    } else {
        account.display_name.clone()
    };
    Actor {
        context: None,
        kind: if account.bot {
            ActorType::Service
        } else {
            ActorType::Person
        },
        preferred_username: Some(account.username.clone()),
        name: Some(name),
        summary: Some(account.note.clone()),
        url: vec![LinkRef::Url(urls.url.clone())],
        inbox: Some(urls.inbox.clone()),
        outbox: Some(urls.outbox.clone()),
        following: Some(urls.following.clone()),
        followers: Some(urls.followers.clone()),
        featured: Some(urls.featured.clone()),
        featured_tags: Some(urls.featured_tags.clone()),
        endpoints: Some(Endpoints {
            shared_inbox: Some(shared_inbox(woolly)),
        }),
        public_key: Some(PublicKey {
            id: urls.key_id.clone(),
            owner: Some(urls.id.clone()),
            public_key_pem: actor.public_key_pem.clone(),
        }),
        manually_approves_followers: Some(account.locked),
        discoverable: Some(account.discoverable),
        indexable: Some(account.indexable),
        // Mastodon gives the day only.
        published: Some(Timestamp::from_unix_millis(account.created_at).midnight()),
        memorial: Some(false),
        icon: account
            .avatar_key
            .as_deref()
            .map(|key| profile_image(woolly, key)),
        image: account
            .header_key
            .as_deref()
            .map(|key| profile_image(woolly, key)),
        tag: account
            .emojis
            .iter()
            .map(|emoji| emoji_tag(woolly, emoji))
            .collect(),
        attachment: account
            .fields
            .iter()
            .map(|field| Attachment {
                kind: AttachmentType::PropertyValue,
                name: Some(field.name.clone()),
                value: Some(field.value.clone()),
                ..Attachment::default()
            })
            .collect(),
        also_known_as: actor.also_known_as.clone(),
        moved_to: actor.moved_to.clone(),
        id: urls.id,
        ..Actor::default()
    }
}

/// A suspended local account as Mastodon shows one: its name, key and addresses, none of its
/// profile, and `suspended`.
fn suspended_local_actor(woolly: &Woolly, actor: &LocalActor, urls: ActorUrls) -> Actor {
    let account = &actor.account;
    Actor {
        kind: ActorType::Person,
        preferred_username: Some(account.username.clone()),
        name: Some(account.username.clone()),
        summary: Some(String::new()),
        url: vec![LinkRef::Url(urls.url.clone())],
        inbox: Some(urls.inbox.clone()),
        outbox: Some(urls.outbox.clone()),
        following: Some(urls.following.clone()),
        followers: Some(urls.followers.clone()),
        endpoints: Some(Endpoints {
            shared_inbox: Some(shared_inbox(woolly)),
        }),
        public_key: Some(PublicKey {
            id: urls.key_id.clone(),
            owner: Some(urls.id.clone()),
            public_key_pem: actor.public_key_pem.clone(),
        }),
        manually_approves_followers: Some(account.locked),
        published: Some(Timestamp::from_unix_millis(account.created_at).midnight()),
        suspended: Some(true),
        id: urls.id,
        ..Actor::default()
    }
}

/// The instance actor, with the fields Mastodon shows of its own
/// (`InstanceActorsController#restrict_fields_to`) and an empty `featured`: it exists to sign
/// requests and reports, not to be followed.
pub fn instance_actor(woolly: &Woolly) -> Actor {
    let urls = ActorUrls::of_instance(woolly);
    Actor {
        kind: ActorType::Application,
        preferred_username: Some(INSTANCE_ACTOR_USERNAME.to_owned()),
        inbox: Some(urls.inbox),
        outbox: Some(urls.outbox),
        // Empty, but named: GoToSocial fetches every actor's pinned posts and logs an error
        // when an actor has none to fetch.
        featured: Some(urls.featured),
        endpoints: Some(Endpoints {
            shared_inbox: Some(shared_inbox(woolly)),
        }),
        public_key: Some(PublicKey {
            id: urls.key_id,
            owner: Some(urls.id.clone()),
            public_key_pem: woolly.instance_actor_key().public_key_pem.clone(),
        }),
        // Mastodon points at its "about" page; Woolly's home page is its nearest equivalent.
        url: vec![LinkRef::Url(urls.url)],
        manually_approves_followers: Some(true),
        id: urls.id,
        ..Actor::default()
    }
}
