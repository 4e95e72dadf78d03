//! What everyone sees of a status, kept between requests.
//!
//! A page of statuses is read in two parts (see `woolly_store::status_pages`): a small batch on
//! every look (which statuses still exist, their [`StatusStamp`]s, their polls, and what the
//! viewer did with them), and the rest (text, authors, mentions, hashtags, media, apps, custom
//! emojis) only for the statuses this cache does not hold as they are now. An entry is used only
//! while the stamp read with the page equals the one it was built under, so an edit, a new
//! favourite or a profile change shows on the very next read, in this process or any other
//! sharing the database, with nothing to invalidate.
//!
//! Visibility, blocks, mutes and filters are never cached: the queries that list a page decide
//! what the viewer may see, and filters are applied to each view as it is assembled. Changes
//! that alter how statuses show without touching their rows (custom emojis, descriptions of
//! attached media) bump a generation that is part of every stamp. An entry is rebuilt after
//! [`MAX_AGE`] anyway, which bounds what no stamp covers (the profile link of a mentioned
//! remote account that moved it).

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use woolly_store::StatusStamp;

use crate::accounts::Account;
use crate::emojis::CustomEmoji;
use crate::link_previews::PreviewCard;
use crate::media::Media;
use crate::statuses::Status;

/// How many statuses are kept: a few thousand pages' worth of timeline entries, a few tens of
/// megabytes at most.
const CAPACITY: usize = 8192;

/// How many entries the cache makes room for when it starts.
const INITIAL_ROOM: usize = 256;

/// How long an entry serves at most.
const MAX_AGE: Duration = Duration::from_secs(300);

/// A status as everyone sees it: the same for every viewer, so shared between requests.
#[derive(Debug)]
pub struct SharedStatus {
    pub status: Status,
    pub account: Account,
    pub mentions: Vec<Account>,
    pub tags: Vec<String>,
    pub media: Vec<Media>,
    /// The posting application's name and website.
    pub application: Option<(String, Option<String>)>,
    /// The custom emojis its text and content warning use.
    pub emojis: Vec<CustomEmoji>,
    /// The preview of its first link, once read.
    pub card: Option<PreviewCard>,
    renderings: Renderings,
}

impl SharedStatus {
    pub(crate) fn new(
        status: Status,
        account: Account,
        mentions: Vec<Account>,
        tags: Vec<String>,
        media: Vec<Media>,
        application: Option<(String, Option<String>)>,
        emojis: Vec<CustomEmoji>,
    ) -> SharedStatus {
        SharedStatus {
            status,
            account,
            mentions,
            tags,
            media,
            application,
            emojis,
            card: None,
            renderings: Renderings::default(),
        }
    }

    pub(crate) fn with_card(mut self, card: Option<PreviewCard>) -> SharedStatus {
        self.card = card;
        self
    }

    /// A front door's rendering of this status (of type `T`), made by `render` the first time
    /// and kept as long as the status is: a front door renders what everyone sees once per
    /// cached status rather than once per request. `render` sees only what everyone sees.
    pub fn rendered<T: Any + Send + Sync>(
        &self,
        render: impl FnOnce(&SharedStatus) -> T,
    ) -> Arc<T> {
        if let Some(found) = self.renderings.find::<T>() {
            return found;
        }
        let rendering = Arc::new(render(self));
        self.renderings
            .keep(Arc::clone(&rendering) as Arc<dyn Any + Send + Sync>);
        rendering
    }
}

/// The renderings kept with a shared status, one per type.
#[derive(Default)]
struct Renderings(Mutex<Vec<Arc<dyn Any + Send + Sync>>>);

impl Renderings {
    fn find<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let kept = self.0.lock().ok()?;
        kept.iter()
            .find_map(|rendering| Arc::clone(rendering).downcast::<T>().ok())
    }

    fn keep(&self, rendering: Arc<dyn Any + Send + Sync>) {
        if let Ok(mut kept) = self.0.lock() {
            kept.push(rendering);
        }
    }
}

impl std::fmt::Debug for Renderings {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Renderings")
    }
}

struct Entry {
    stamp: StatusStamp,
    built: Instant,
    shared: Arc<SharedStatus>,
}

/// The cache itself, one per instance (see the module documentation).
pub(crate) struct StatusCache {
    entries: quick_cache::sync::Cache<i64, Arc<Entry>>,
}

impl StatusCache {
    pub(crate) fn new() -> StatusCache {
        // Room for few entries at first, so that an idle server stays small; it grows as
        // statuses are read, up to CAPACITY.
        StatusCache {
            entries: quick_cache::sync::Cache::with_weighter(
                INITIAL_ROOM,
                CAPACITY as u64,
                quick_cache::UnitWeighter,
            ),
        }
    }

    /// The status as cached, if it was cached under this very stamp not too long ago.
    pub(crate) fn get(&self, stamp: &StatusStamp) -> Option<Arc<SharedStatus>> {
        let entry = self.entries.get(&stamp.id)?;
        (entry.stamp == *stamp && entry.built.elapsed() < MAX_AGE)
            .then(|| Arc::clone(&entry.shared))
    }

    pub(crate) fn insert(&self, stamp: StatusStamp, shared: Arc<SharedStatus>) {
        self.entries.insert(
            stamp.id,
            Arc::new(Entry {
                stamp,
                built: Instant::now(),
                shared,
            }),
        );
    }
}
