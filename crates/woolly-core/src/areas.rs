//! Core's doors, grouped by area, as GoToSocial groups its processor: a front door finds the
//! use case it serves under one name (`woolly.statuses().post(…)`,
//! `woolly.relations().follow(…)`, `woolly.lists().create(…)`), and a newcomer finds where
//! a rule lives from the area it belongs to. Each area is a borrowed view of the one [`Woolly`];
//! it dereferences to it, so the methods of an area reach the store, the configuration and the
//! helpers every area shares, and call other areas by name.
//!
//! | area | what it serves | module(s) |
//! |---|---|---|
//! | [`Accounts`] | local accounts, profiles, markers, the directory | `accounts`, `profile`, `search` |
//! | [`SignUps`] | the registration mode, sign-ups, invites, confirming addresses, approval | `joining`, `mail` |
//! | [`Statuses`] | posting, editing, deleting, threads, polls, pins, reblogs, favourites, bookmarks, thread mutes, scheduled posts | `statuses`, `edits`, `polls`, `relations`, `scheduled`, `thread_mutes` |
//! | [`Timelines`] | home, public, hashtag, list and account timelines | `statuses`, `lists` |
//! | [`Relations`] | follows, follow requests, blocks, mutes, domain blocks, endorsements, notes, familiar followers, a user's data export | `relations`, `domain_blocks`, `featured`, `tags`, `export` |
//! | [`Lists`] | lists and their members | `lists` |
//! | [`Filters`] | keyword and status filters, v2 and v1 | `filters` |
//! | [`Notifications`] | notifications | `notifications` |
//! | [`Conversations`] | direct conversations | `conversations` |
//! | [`MediaUploads`] | uploads and their files | `media` |
//! | [`OAuth`] | apps, authorization, tokens, sign-in | `oauth`, `auth` |
//! | [`Instance`] | the instance document, its texts and figures, server-wide domain blocks, custom emojis | `instance`, `instance_domain_blocks`, `emojis` |
//! | [`Tags`] | hashtags, followed and featured | `tags`, `featured`, `search` |
//! | [`Search`] | search | `search` |
//! | [`Discovery`] | follow suggestions, trends, link previews | `suggestions`, `trends`, `link_previews` |
//! | [`Federation`] | what ActivityPub needs of core: actors, keys, remote accounts and statuses, inbound activities | `actors`, `remote`, `emojis` |
//! | [`Moderation`] | reports to the moderators | `reports` |
//! | [`Jobs`] | the job queue, for operators and tests | `jobs` |
//! | [`Streaming`] | live events for the streaming API | `events` |
//!
//! Lifecycle (`open`, `close`, `config`, `stopping`) stays on [`Woolly`] itself.

use std::ops::Deref;

use crate::state::Woolly;

macro_rules! area {
    ($(#[$doc:meta])* $area:ident, $accessor:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $area<'a>(&'a Woolly);

        impl Deref for $area<'_> {
            type Target = Woolly;

            fn deref(&self) -> &Woolly {
                self.0
            }
        }

        impl Woolly {
            $(#[$doc])*
            pub fn $accessor(&self) -> $area<'_> {
                $area(self)
            }
        }
    };
}

area!(
    /// Local accounts, profiles, markers and the directory.
    Accounts,
    accounts
);
area!(
    /// Signing up: the registration mode, sign-ups, invites, confirming addresses, approving.
    SignUps,
    sign_ups
);
area!(
    /// Posting, editing and deleting statuses, their threads, polls, pins, reblogs, favourites,
    /// bookmarks, thread mutes, and scheduled posts.
    Statuses,
    statuses
);
area!(
    /// Home, public, hashtag, list and account timelines.
    Timelines,
    timelines
);
area!(
    /// Reports to this server's moderators, and what moderators do with them.
    Moderation,
    moderation
);
area!(
    /// Follows and follow requests, blocks, mutes, domain blocks, endorsements, private notes.
    Relations,
    relations
);
area!(
    /// Lists and their members.
    Lists,
    lists
);
area!(
    /// Keyword and status filters (v2, and the v1 view of them).
    Filters,
    filters
);
area!(
    /// Notifications.
    Notifications,
    notifications
);
area!(
    /// Direct conversations.
    Conversations,
    conversations
);
area!(
    /// Uploads and the files they keep.
    MediaUploads,
    media
);
area!(
    /// OAuth apps, authorization, tokens and sign-in.
    OAuth,
    oauth
);
area!(
    /// The instance: its document, texts, figures, server-wide domain blocks, custom emojis.
    Instance,
    instance
);
area!(
    /// Hashtags, followed and featured.
    Tags,
    tags
);
area!(
    /// Search of accounts, statuses and hashtags.
    Search,
    search
);
area!(
    /// What ActivityPub needs of core: actors and keys, remote accounts and statuses, and
    /// inbound activities.
    Federation,
    federation
);
area!(
    /// Discovery without an algorithm: follow suggestions, trends and link previews.
    Discovery,
    discovery
);
area!(
    /// The job queue, for operators and tests.
    Jobs,
    jobs
);
area!(
    /// Live events for the streaming API.
    Streaming,
    streaming
);
