//! `PreviewCard` (`entities/PreviewCard.md`): a link's preview, under a status or in the
//! trending links.

use serde::Serialize;
use woolly_core::link_previews::PreviewCard;
use woolly_core::trends::LinkView;

use super::iso8601;
use super::tag::TagHistoryEntity;

#[derive(Debug, Clone, Serialize)]
pub struct PreviewCardEntity {
    url: String,
    title: String,
    description: String,
    language: Option<String>,
    #[serde(rename = "type")]
    card_type: String,
    author_name: String,
    author_url: String,
    provider_name: String,
    provider_url: String,
    html: String,
    width: i64,
    height: i64,
    image: Option<String>,
    image_description: String,
    embed_url: String,
    blurhash: Option<String>,
    published_at: Option<String>,
    authors: Vec<PreviewCardAuthorEntity>,
}

/// `PreviewCardAuthor` (Mastodon 4.3): the page's author; `account` names a fediverse account
/// only when the page claims one that confirms it, which Woolly does not check yet.
#[derive(Debug, Clone, Serialize)]
struct PreviewCardAuthorEntity {
    name: String,
    url: String,
    account: Option<()>,
}

impl PreviewCardEntity {
    /// The card under a status: its `url` is the link as the status gives it (Mastodon 4.3).
    pub fn under_status(card: &PreviewCard) -> PreviewCardEntity {
        PreviewCardEntity::new(card, card.link.clone())
    }

    /// The card of a trending link: its `url` is the page's own.
    pub fn of_page(card: &PreviewCard) -> PreviewCardEntity {
        PreviewCardEntity::new(card, card.url.clone())
    }

    fn new(card: &PreviewCard, url: String) -> PreviewCardEntity {
        PreviewCardEntity {
            url,
            title: card.title.clone(),
            description: card.description.clone(),
            language: card.language.clone(),
            card_type: card.card_type.clone(),
            author_name: card.author_name.clone(),
            author_url: card.author_url.clone(),
            provider_name: card.provider_name.clone(),
            provider_url: card.provider_url.clone(),
            html: card.html.clone(),
            width: card.width,
            height: card.height,
            image: card.image.clone(),
            image_description: card.image_description.clone(),
            embed_url: card.embed_url.clone(),
            blurhash: card.blurhash.clone(),
            published_at: card.published_at.map(iso8601),
            authors: vec![PreviewCardAuthorEntity {
                name: card.author_name.clone(),
                url: card.author_url.clone(),
                account: None,
            }],
        }
    }
}

/// `Trends::Link`: a trending link's card with its last seven days of shares.
#[derive(Debug, Clone, Serialize)]
pub struct TrendLinkEntity {
    #[serde(flatten)]
    card: PreviewCardEntity,
    history: Vec<TagHistoryEntity>,
}

impl TrendLinkEntity {
    pub fn new(link: &LinkView) -> TrendLinkEntity {
        TrendLinkEntity {
            card: PreviewCardEntity::of_page(&link.card),
            history: link
                .history
                .iter()
                .map(|(day, uses, accounts)| TagHistoryEntity {
                    day: day.to_string(),
                    uses: uses.to_string(),
                    accounts: accounts.to_string(),
                })
                .collect(),
        }
    }
}
