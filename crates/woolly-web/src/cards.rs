//! Statuses as the pages show them: what `status.html` reads of one, worked out from core's view
//! of it for one viewer. Content is the HTML core rendered (local posts, built escaped from
//! plain text) or sanitized (remote posts); everything else is escaped by the templates.

use time::OffsetDateTime;
use woolly_core::Woolly;
use woolly_core::accounts::Account;
use woolly_core::statuses::StatusView;
use woolly_core::visibility::Visibility;

use crate::i18n::Words;

/// An author as a status card shows them.
pub struct Author {
    pub name: String,
    /// `@name` here, `@name@domain` elsewhere.
    pub handle: String,
    pub profile: String,
    pub avatar: String,
}

impl Author {
    pub fn of(woolly: &Woolly, account: &Account) -> Author {
        let urls = woolly.config().urls();
        let profile = match &account.domain {
            None => format!("/@{}", account.username),
            Some(domain) => account
                .actor
                .url
                .clone()
                .unwrap_or_else(|| urls.remote_profile(&account.username, domain)),
        };
        Author {
            name: if account.display_name.trim().is_empty() {
                account.username.clone()
            } else {
                account.display_name.clone()
            },
            handle: format!("@{}", account.acct()),
            profile,
            avatar: account.avatar_url(urls),
        }
    }
}

/// An image, video or sound of a status.
pub struct Attachment {
    pub is_image: bool,
    pub url: String,
    pub preview: String,
    pub description: String,
}

/// A link's preview, under a status or among trending links. Players are never embedded here:
/// the page links to the page.
pub struct LinkPreview {
    pub url: String,
    pub title: String,
    pub description: String,
    /// The publisher's name, else the page's host.
    pub provider: String,
    pub image: Option<String>,
    pub image_description: String,
}

impl LinkPreview {
    pub fn of(card: &woolly_core::link_previews::PreviewCard, url: &str) -> LinkPreview {
        let provider = if card.provider_name.is_empty() {
            url.split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
                .to_owned()
        } else {
            card.provider_name.clone()
        };
        LinkPreview {
            url: url.to_owned(),
            title: card.title.clone(),
            description: card.description.clone(),
            provider,
            image: card.image.clone(),
            image_description: card.image_description.clone(),
        }
    }
}

/// A poll under a status: its options with their share of the votes, and whether the viewer may
/// still vote.
pub struct PollCard {
    pub id: i64,
    pub multiple: bool,
    /// (title, percent of the votes, chosen by the viewer).
    pub options: Vec<(String, i64, bool)>,
    pub votes: String,
    /// Closed, or already answered by the viewer (authors never vote in their own).
    pub closed: bool,
    pub ends: String,
}

impl PollCard {
    fn new(words: Words, poll: &woolly_core::polls::Poll) -> PollCard {
        let expired = poll.is_expired_at(woolly_core::now_millis());
        let voted = poll.viewer.as_ref().is_some_and(|state| state.voted);
        let shown_totals = !poll.hide_totals || expired;
        PollCard {
            id: poll.id,
            multiple: poll.multiple,
            options: poll
                .options
                .iter()
                .enumerate()
                .map(|(index, option)| {
                    let percent = if shown_totals && poll.votes_count > 0 {
                        option.votes_count * 100 / poll.votes_count
                    } else {
                        0
                    };
                    let chosen = poll
                        .viewer
                        .as_ref()
                        .is_some_and(|state| state.own_votes.contains(&(index as i64)));
                    (option.title.clone(), percent, chosen)
                })
                .collect(),
            votes: words.count("poll-voters", poll.voters_count),
            closed: expired || voted || poll.viewer.is_none(),
            ends: if expired {
                words.t("poll-closed")
            } else {
                words.t1("poll-ends", "date", &shown_time(words, poll.expires_at))
            },
        }
    }
}

/// One status, ready for `status.html`.
pub struct StatusCard {
    pub id: i64,
    /// Its page: here for local statuses, on its server for remote ones.
    pub link: String,
    pub author: Author,
    /// Who boosted it into the list, when it came as a boost.
    pub boosted_by: Option<Author>,
    /// `2026-12-07T06:20:00Z`, for `<time datetime>`.
    pub machine_time: String,
    pub shown_time: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub content: String,
    /// Changed since it was posted.
    pub edited: bool,
    /// The titles of the viewer's filters that matched it (it shows behind them).
    pub filtered: Option<String>,
    pub media: Vec<Attachment>,
    /// The preview of its first link.
    pub preview: Option<LinkPreview>,
    pub poll: Option<PollCard>,
    /// Who may see it, said when that is not everyone.
    pub audience: Option<String>,
    pub replies: i64,
    pub reblogs: i64,
    pub favourites: i64,
    /// What the viewer did with it (all false for anonymous visitors).
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    /// The viewer wrote it: they may delete it.
    pub mine: bool,
    /// Whether the viewer may boost it: public and unlisted posts, and their own private ones.
    pub boostable: bool,
}

impl StatusCard {
    pub fn new(
        woolly: &Woolly,
        words: Words,
        view: &StatusView,
        viewer: Option<i64>,
    ) -> StatusCard {
        let (shown, boosted_by) = match &view.reblog {
            Some(original) => (
                original.as_ref(),
                Some(Author::of(woolly, &view.shared.account)),
            ),
            None => (view, None),
        };
        let status = &shown.shared.status;
        let author = &shown.shared.account;
        let link = if status.is_local {
            format!("/@{}/{}", author.username, status.id)
        } else {
            status.url.clone().unwrap_or_else(|| status.uri.clone())
        };
        StatusCard {
            id: status.id,
            link,
            author: Author::of(woolly, author),
            boosted_by,
            machine_time: machine_time(status.created_at),
            shown_time: shown_time(words, status.created_at),
            spoiler_text: status.spoiler_text.clone(),
            sensitive: status.sensitive,
            content: status.content.clone(),
            edited: status.edited_at.is_some(),
            filtered: (!view.filtered.is_empty()).then(|| {
                view.filtered
                    .iter()
                    .map(|result| result.filter.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            media: shown
                .shared
                .media
                .iter()
                .map(|media| Attachment {
                    is_image: media.kind == "image" || media.kind == "gifv",
                    url: media.url.clone(),
                    preview: media
                        .preview_url
                        .clone()
                        .unwrap_or_else(|| media.url.clone()),
                    description: media.description.clone().unwrap_or_default(),
                })
                .collect(),
            preview: shown
                .shared
                .card
                .as_ref()
                .map(|card| LinkPreview::of(card, &card.link)),
            poll: shown.poll.as_ref().map(|poll| PollCard::new(words, poll)),
            audience: (status.visibility != Visibility::Public)
                .then(|| words.t(&format!("visibility-{}", status.visibility.as_str()))),
            replies: status.replies_count,
            reblogs: status.reblogs_count,
            favourites: status.favourites_count,
            favourited: shown.viewer.is_some_and(|state| state.favourited),
            reblogged: shown.viewer.is_some_and(|state| state.reblogged),
            bookmarked: shown.viewer.is_some_and(|state| state.bookmarked),
            mine: viewer == Some(status.account_id),
            boostable: match status.visibility {
                Visibility::Public | Visibility::Unlisted => true,
                Visibility::Private => viewer == Some(status.account_id),
                Visibility::Direct => false,
            },
        }
    }

    /// Whether its content hides behind its warning (or its media behind a click).
    pub fn has_warning(&self) -> bool {
        !self.spoiler_text.is_empty()
    }
}

fn date_time(millis: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn machine_time(millis: i64) -> String {
    let at = date_time(millis);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A date and time in the reader's language, in UTC (without scripts, a page cannot know the
/// reader's time zone).
pub fn shown_time(words: Words, millis: i64) -> String {
    let at = date_time(millis);
    let month = words.t(&format!("month-{}", u8::from(at.month())));
    words.t1(
        "date-time",
        "date",
        &format!(
            "{} {month} {} {:02}:{:02}",
            at.day(),
            at.year(),
            at.hour(),
            at.minute()
        ),
    )
}

/// A date in the reader's language (`7 Dec 2026`).
pub fn shown_date(words: Words, millis: i64) -> String {
    let at = date_time(millis);
    let month = words.t(&format!("month-{}", u8::from(at.month())));
    format!("{} {month} {}", at.day(), at.year())
}
