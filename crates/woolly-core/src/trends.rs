//! Trends (`/api/v1/trends/tags` and `/statuses`), scored as Mastodon scores them and shown
//! only once moderators allow them. They are a page of their own: no timeline is ranked.
//!
//! A hashtag trends when more accounts used it today than yesterday: with `expected` the
//! distinct authors of public posts using it yesterday (1 at least) and `observed` today's, its
//! score is `(observed − expected)² / expected` once `observed` reaches 5 and passes `expected`;
//! the highest score of the last two days decays with a half-life of 4 hours, and a hashtag is
//! listed while that is at least 1 (`trends/tags.rb`). A post trends with its favourites and
//! boosts: `(n − 1)²` once `n` reaches 5, halved every hour since it was posted, listed while at
//! least 0.3, and only the best post of each author (`trends/statuses.rb`). Only public posts of
//! discoverable authors who are neither silenced nor suspended count; a post must also not be a
//! reply, sensitive, behind a content warning or without a language.
//!
//! Scores are refreshed by a job at most every 5 minutes, asked for by the requests that read
//! them. What was never reviewed is shown only with `trendable_by_default`; moderators allow or
//! refuse a hashtag, a post, or all posts of an author.

use std::collections::HashMap;

use crate::account_moderation::{Moderator, Target, log_action};
use crate::accounts::permission;
use crate::areas::Discovery;
use crate::error::{CoreError, Result};
use crate::jobs::{Job, JobFuture, JobHandler, new_job};
use crate::state::Woolly;
use crate::statuses::StatusView;
use crate::tags::TagView;
use woolly_store::{LinkTrendRow, LinkUseRow, StatusTrendRow, TagTrendRow};

const TRENDS_KIND: &str = "discovery.trends";
const TRENDS: &str = "trends";
const MINUTE_MILLIS: i64 = 60 * 1000;
const HOUR_MILLIS: i64 = 60 * MINUTE_MILLIS;
const DAY_MILLIS: i64 = 24 * HOUR_MILLIS;
const REFRESH_EVERY_MILLIS: i64 = 5 * MINUTE_MILLIS;

/// How many of the trending hashtags, highest first, a moderator may review by id.
const REVIEWABLE_TAGS: i64 = 1_000;
/// Distinct authors a hashtag needs today to trend.
const TAG_THRESHOLD: i64 = 5;
const TAG_MAX_SCORE_COOLDOWN_MILLIS: i64 = 2 * DAY_MILLIS;
const TAG_HALF_LIFE_MILLIS: i64 = 4 * HOUR_MILLIS;
const TAG_DECAY_THRESHOLD: f64 = 1.0;
const LINK_HALF_LIFE_MILLIS: i64 = 8 * HOUR_MILLIS;
/// Favourites and boosts a post needs to trend.
const STATUS_THRESHOLD: i64 = 5;
const STATUS_HALF_LIFE_MILLIS: i64 = HOUR_MILLIS;
const STATUS_DECAY_THRESHOLD: f64 = 0.3;
/// How old a post may be and still be scored: past it, no count of favourites is enough.
const STATUS_WINDOW_MILLIS: i64 = 2 * DAY_MILLIS;

/// A trending link: its card, and its shares of the last seven days, today first, as
/// (day in Unix seconds, uses, accounts).
#[derive(Debug, Clone)]
pub struct LinkView {
    pub card: crate::link_previews::PreviewCard,
    pub history: Vec<(i64, i64, i64)>,
}

/// A publisher of links, as moderators review it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// A number derived from the domain (publishers have no row of their own).
    pub id: i64,
    pub domain: String,
    pub trendable: bool,
    pub requires_review: bool,
    pub reviewed_at: Option<i64>,
}

/// What moderators decide about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendSubject {
    Tag,
    Status,
    /// All posts of an author.
    Account,
    /// A link, by its card's id.
    Link,
    /// Every link of a publisher, by its domain.
    Publisher,
}

impl TrendSubject {
    fn kind(self) -> &'static str {
        match self {
            TrendSubject::Tag => "tag",
            TrendSubject::Status => "status",
            TrendSubject::Account => "account",
            TrendSubject::Link => "link",
            TrendSubject::Publisher => "publisher",
        }
    }
}

/// A hashtag's (or link's) score today, from its distinct users today and yesterday.
fn tag_score(today: i64, yesterday: i64) -> f64 {
    let expected = yesterday.max(1) as f64;
    let observed = today as f64;
    if today < TAG_THRESHOLD || expected > observed {
        return 0.0;
    }
    (observed - expected).powi(2) / expected
}

/// A trend scored by its peak: the peak of the last two days, raised by today's `score`,
/// decaying with `half_life_millis`.
struct Peak<'a> {
    score: &'a mut f64,
    max_score: &'a mut f64,
    max_score_at: &'a mut i64,
}

impl Peak<'_> {
    /// Scores it again at `now`; returns whether it is kept: while it trends, or while its peak
    /// still counts against a new one.
    fn rescore(self, score: f64, now: i64, half_life_millis: i64) -> bool {
        if now - *self.max_score_at > TAG_MAX_SCORE_COOLDOWN_MILLIS {
            *self.max_score = 0.0;
            *self.max_score_at = now;
        }
        if score > *self.max_score {
            *self.max_score = score;
            *self.max_score_at = now;
        }
        *self.score = decay(*self.max_score, now - *self.max_score_at, half_life_millis);
        *self.score >= TAG_DECAY_THRESHOLD || (*self.max_score > 0.0 && *self.score > 0.0)
    }
}

fn decay(score: f64, since_millis: i64, half_life_millis: i64) -> f64 {
    score * 0.5f64.powf(since_millis.max(0) as f64 / half_life_millis as f64)
}

/// The hashtags' trends at `now`, from today's and yesterday's uses and what was kept.
fn score_tags(
    uses: &[woolly_store::TagUseRow],
    kept: Vec<TagTrendRow>,
    now: i64,
) -> Vec<TagTrendRow> {
    let mut by_name: HashMap<String, TagTrendRow> = kept
        .into_iter()
        .map(|row| (row.name.clone(), row))
        .collect();
    let today: HashMap<&str, (i64, i64)> = uses
        .iter()
        .map(|row| (row.name.as_str(), (row.today, row.yesterday)))
        .collect();
    for name in today.keys() {
        by_name
            .entry((*name).to_owned())
            .or_insert_with(|| TagTrendRow {
                name: (*name).to_owned(),
                score: 0.0,
                max_score: 0.0,
                max_score_at: now,
            });
    }
    by_name
        .into_values()
        .filter_map(|mut row| {
            let (observed, expected) = today.get(row.name.as_str()).copied().unwrap_or((0, 0));
            let peak = Peak {
                score: &mut row.score,
                max_score: &mut row.max_score,
                max_score_at: &mut row.max_score_at,
            };
            peak.rescore(tag_score(observed, expected), now, TAG_HALF_LIFE_MILLIS)
                .then_some(row)
        })
        .collect()
}

/// The links' trends at `now`, from today's and yesterday's sharers and what was kept: as
/// hashtags, with a half-life of 8 hours (`trends/links.rb`).
fn score_links(uses: &[LinkUseRow], kept: Vec<LinkTrendRow>, now: i64) -> Vec<LinkTrendRow> {
    let mut by_card: HashMap<i64, LinkTrendRow> =
        kept.into_iter().map(|row| (row.card_id, row)).collect();
    for row in uses {
        by_card.entry(row.card_id).or_insert_with(|| LinkTrendRow {
            card_id: row.card_id,
            publisher: publisher_of(&row.url),
            score: 0.0,
            max_score: 0.0,
            max_score_at: now,
        });
    }
    let today: HashMap<i64, (i64, i64)> = uses
        .iter()
        .map(|row| (row.card_id, (row.today, row.yesterday)))
        .collect();
    by_card
        .into_values()
        .filter_map(|mut row| {
            let (observed, expected) = today.get(&row.card_id).copied().unwrap_or((0, 0));
            let peak = Peak {
                score: &mut row.score,
                max_score: &mut row.max_score,
                max_score_at: &mut row.max_score_at,
            };
            peak.rescore(tag_score(observed, expected), now, LINK_HALF_LIFE_MILLIS)
                .then_some(row)
        })
        .collect()
}

/// A page's publisher: its host.
fn publisher_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

fn score_statuses(candidates: &[woolly_store::TrendCandidateRow], now: i64) -> Vec<StatusTrendRow> {
    candidates
        .iter()
        .filter(|row| row.interactions >= STATUS_THRESHOLD && row.created_at <= now)
        .filter_map(|row| {
            let score = decay(
                ((row.interactions - 1) as f64).powi(2),
                now - row.created_at,
                STATUS_HALF_LIFE_MILLIS,
            );
            (score >= STATUS_DECAY_THRESHOLD).then(|| StatusTrendRow {
                status_id: row.status_id,
                account_id: row.account_id,
                score,
                language: row.language.clone(),
            })
        })
        .collect()
}

impl Woolly {
    /// Scores every trend again (the job's work).
    pub(crate) async fn refresh_trends(&self) -> Result<()> {
        let now = crate::now_millis();
        let today = now - now.rem_euclid(DAY_MILLIS);
        let uses = self.db().tag_uses(today - DAY_MILLIS, today).await?;
        let tags = score_tags(&uses, self.db().tag_trends_kept().await?, now);
        let candidates = self
            .db()
            .trend_candidates(now - STATUS_WINDOW_MILLIS, STATUS_THRESHOLD)
            .await?;
        let statuses = score_statuses(&candidates, now);
        let link_uses = self.db().link_uses(today - DAY_MILLIS, today).await?;
        let links = score_links(&link_uses, self.db().link_trends_kept().await?, now);
        self.db().replace_trends(&tags, &statuses, &links).await?;
        Ok(())
    }

    /// Has a job score the trends when they were last scored more than 5 minutes ago.
    async fn keep_trends_fresh(&self) -> Result<()> {
        let now = crate::now_millis();
        if self
            .db()
            .claim_discovery_refresh(TRENDS, now, now - REFRESH_EVERY_MILLIS)
            .await?
        {
            self.jobs()
                .enqueue_job(&new_job(TRENDS_KIND, &(), now, 3)?)
                .await?;
        }
        Ok(())
    }
}

impl Discovery<'_> {
    /// Trending hashtags that moderators allowed, highest first; none when trends are off.
    pub async fn trending_tags(
        &self,
        viewer: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<TagView>> {
        if !self.config().trends {
            return Ok(Vec::new());
        }
        self.keep_trends_fresh().await?;
        let names = self
            .db()
            .trending_tags(true, self.config().trendable_by_default, limit, offset)
            .await?;
        self.tag_views(viewer, &names).await
    }

    /// Trending posts that moderators allowed, the best of each author, those in the viewer's
    /// language first; none when trends are off.
    pub async fn trending_statuses(
        &self,
        viewer: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<StatusView>> {
        if !self.config().trends {
            return Ok(Vec::new());
        }
        self.keep_trends_fresh().await?;
        let language = self.language_of(viewer).await?;
        let ids = self
            .db()
            .trending_statuses(
                viewer,
                language.as_deref(),
                true,
                self.config().trendable_by_default,
                limit,
                offset,
            )
            .await?;
        self.statuses().views(viewer, &ids).await
    }

    /// Every hashtag trending now, allowed or not, for moderators (trends off or not).
    pub async fn tag_trends_to_review(
        &self,
        by: Moderator<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(TagView, bool, bool)>> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        self.keep_trends_fresh().await?;
        let names = self.db().trending_tags(false, false, limit, offset).await?;
        self.reviewed_tags(by, &names).await
    }

    /// The trending hashtag whose id is `id` (hashtag ids are derived from their names), as
    /// [`Discovery::tag_trends_to_review`] shows it; `NotFound` when none trends.
    pub async fn tag_trend_to_review(
        &self,
        by: Moderator<'_>,
        id: &str,
    ) -> Result<(TagView, bool, bool)> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        let names = self
            .db()
            .trending_tags(false, false, REVIEWABLE_TAGS, 0)
            .await?;
        let name = names
            .into_iter()
            .find(|name| crate::crypto::name_number(name).to_string() == id)
            .ok_or(CoreError::NotFound)?;
        self.reviewed_tags(by, std::slice::from_ref(&name))
            .await?
            .pop()
            .ok_or(CoreError::NotFound)
    }

    /// Hashtags with whether each may trend and whether it waits for review.
    async fn reviewed_tags(
        &self,
        by: Moderator<'_>,
        names: &[String],
    ) -> Result<Vec<(TagView, bool, bool)>> {
        let views = self.tag_views(by.account_id(), names).await?;
        let mut reviewed = Vec::with_capacity(views.len());
        for view in views {
            let review = self.db().trend_review("tag", &view.usage.name).await?;
            let trendable = review.unwrap_or(self.config().trendable_by_default);
            reviewed.push((view, trendable, review.is_none()));
        }
        Ok(reviewed)
    }

    /// Every post trending now, allowed or not, for moderators: (post, whether it may trend,
    /// whether it waits for review).
    pub async fn status_trends_to_review(
        &self,
        by: Moderator<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(StatusView, bool, bool)>> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        self.keep_trends_fresh().await?;
        let viewer = by.account_id();
        let ids = self
            .db()
            .trending_statuses(viewer, None, false, false, limit, offset)
            .await?;
        let views = self.statuses().views(viewer, &ids).await?;
        let mut reviewed = Vec::with_capacity(views.len());
        for view in views {
            let (trendable, pending) = self.status_trendable(&view).await?;
            reviewed.push((view, trendable, pending));
        }
        Ok(reviewed)
    }

    /// Whether a post may trend, and whether neither it nor its author was reviewed.
    pub async fn status_trendable(&self, view: &StatusView) -> Result<(bool, bool)> {
        let own = self
            .db()
            .trend_review("status", &view.status.id.to_string())
            .await?;
        let author = self
            .db()
            .trend_review("account", &view.account.id.to_string())
            .await?;
        let pending = own.is_none() && author.is_none();
        Ok((
            own.or(author).unwrap_or(self.config().trendable_by_default),
            pending,
        ))
    }

    /// Trending links that moderators allowed (or whose publisher they allowed), highest first;
    /// none when trends are off.
    pub async fn trending_links(&self, limit: i64, offset: i64) -> Result<Vec<LinkView>> {
        if !self.config().trends {
            return Ok(Vec::new());
        }
        self.keep_trends_fresh().await?;
        let ids = self
            .db()
            .trending_links(true, self.config().trendable_by_default, limit, offset)
            .await?;
        self.link_views(&ids).await
    }

    /// Every link trending now, allowed or not, for moderators: (link, whether it may trend,
    /// whether neither it nor its publisher was reviewed).
    pub async fn link_trends_to_review(
        &self,
        by: Moderator<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(LinkView, bool, bool)>> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        self.keep_trends_fresh().await?;
        let ids = self
            .db()
            .trending_links(false, false, limit, offset)
            .await?;
        let mut reviewed = Vec::with_capacity(ids.len());
        for view in self.link_views(&ids).await? {
            let (trendable, pending) = self.link_trendable(view.card.id).await?;
            reviewed.push((view, trendable, pending));
        }
        Ok(reviewed)
    }

    /// Trending link `card_id` as [`Discovery::link_trends_to_review`] shows it; `NotFound`
    /// when it does not trend.
    pub async fn link_trend_to_review(
        &self,
        by: Moderator<'_>,
        card_id: i64,
    ) -> Result<(LinkView, bool, bool)> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        if self.db().link_trend_publisher(card_id).await?.is_none() {
            return Err(CoreError::NotFound);
        }
        let view = self
            .link_views(&[card_id])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)?;
        let (trendable, pending) = self.link_trendable(card_id).await?;
        Ok((view, trendable, pending))
    }

    /// Whether a trending link may trend, and whether neither it nor its publisher was
    /// reviewed.
    async fn link_trendable(&self, card_id: i64) -> Result<(bool, bool)> {
        let own = self.db().trend_review("link", &card_id.to_string()).await?;
        let publisher = match self.db().link_trend_publisher(card_id).await? {
            Some(domain) => self.db().trend_review("publisher", &domain).await?,
            None => None,
        };
        Ok((
            own.or(publisher)
                .unwrap_or(self.config().trendable_by_default),
            own.is_none() && publisher.is_none(),
        ))
    }

    /// The publishers of trending links and those reviewed, those waiting for review first.
    pub async fn link_publishers(&self, by: Moderator<'_>) -> Result<Vec<Publisher>> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        self.keep_trends_fresh().await?;
        let default = self.config().trendable_by_default;
        Ok(self
            .db()
            .link_publishers()
            .await?
            .into_iter()
            .map(|row| Publisher {
                id: crate::crypto::name_number(&row.domain),
                trendable: row.trendable.unwrap_or(default),
                requires_review: row.trendable.is_none(),
                reviewed_at: row.reviewed_at,
                domain: row.domain,
            })
            .collect())
    }

    /// The cards of links with their last seven days of shares, in the order given.
    async fn link_views(&self, ids: &[i64]) -> Result<Vec<LinkView>> {
        let mut cards: HashMap<i64, crate::link_previews::PreviewCard> = self
            .db()
            .preview_cards_by_ids(ids)
            .await?
            .into_iter()
            .map(|row| (row.id, self.card_from_row(row)))
            .collect();
        let today = crate::now_millis().div_euclid(DAY_MILLIS);
        let days = self.db().link_history(ids, today - 6).await?;
        Ok(ids
            .iter()
            .filter_map(|id| cards.remove(id))
            .map(|card| {
                let history = (0..7)
                    .map(|back| {
                        let day = today - back;
                        let found = days
                            .iter()
                            .find(|row| row.card_id == card.id && row.day == day);
                        (
                            day * 86_400,
                            found.map_or(0, |row| row.uses),
                            found.map_or(0, |row| row.accounts),
                        )
                    })
                    .collect();
                LinkView { card, history }
            })
            .collect())
    }

    /// A moderator allows (or refuses) a hashtag, a post or an author's posts in trends.
    pub async fn review_trend(
        &self,
        by: Moderator<'_>,
        subject: TrendSubject,
        key: &str,
        trendable: bool,
    ) -> Result<()> {
        by.require(permission::MANAGE_TAXONOMIES)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        tx.review_trend(subject.kind(), key, trendable, now).await?;
        let action = if trendable { "approve" } else { "reject" };
        match subject {
            TrendSubject::Tag => log_action(&mut tx, by, action, Target::Tag(key), now).await?,
            TrendSubject::Publisher => {
                log_action(&mut tx, by, action, Target::Publisher(key), now).await?;
            }
            TrendSubject::Link => {
                let id: i64 = key.parse().map_err(|_| CoreError::NotFound)?;
                let card = self
                    .db()
                    .preview_cards_by_ids(&[id])
                    .await?
                    .pop()
                    .ok_or(CoreError::NotFound)?;
                log_action(&mut tx, by, action, Target::Link(id, &card.url), now).await?;
            }
            TrendSubject::Status | TrendSubject::Account => {
                let id: i64 = key.parse().map_err(|_| CoreError::NotFound)?;
                let account_id = match subject {
                    TrendSubject::Status => {
                        self.db()
                            .statuses_by_ids(&[id])
                            .await?
                            .first()
                            .ok_or(CoreError::NotFound)?
                            .account_id
                    }
                    _ => id,
                };
                let account = self
                    .accounts_by_id(&[account_id])
                    .await?
                    .remove(&account_id)
                    .ok_or(CoreError::NotFound)?;
                let target = match subject {
                    TrendSubject::Status => Target::Status(id, &account),
                    _ => Target::Account(&account),
                };
                log_action(&mut tx, by, action, target, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The language trends put first for `viewer`: that of its interface.
    async fn language_of(&self, viewer: Option<i64>) -> Result<Option<String>> {
        let Some(viewer) = viewer else {
            return Ok(None);
        };
        Ok(self.db().local_user(viewer).await?.map(|user| {
            user.locale
                .split(['-', '_'])
                .next()
                .unwrap_or_default()
                .to_owned()
        }))
    }
}

/// Scores the trends again.
pub struct TrendsJob;

impl JobHandler for TrendsJob {
    fn kind(&self) -> &'static str {
        TRENDS_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, _job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            woolly.refresh_trends().await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashtag_trends_when_more_accounts_use_it_today_than_yesterday() {
        assert_eq!(tag_score(4, 0), 0.0, "fewer than five");
        assert_eq!(tag_score(6, 8), 0.0, "fewer than yesterday");
        assert_eq!(tag_score(5, 0), 16.0);
        assert_eq!(tag_score(10, 2), 32.0);
    }

    #[test]
    fn a_peak_decays_by_half_every_four_hours_and_is_forgotten_after_two_days() {
        let now = 10 * DAY_MILLIS;
        let uses = [woolly_store::TagUseRow {
            name: "rust".into(),
            today: 5,
            yesterday: 0,
        }];
        let scored = score_tags(&uses, Vec::new(), now);
        assert_eq!(scored[0].score, 16.0);
        let later = score_tags(&[], scored, now + 4 * HOUR_MILLIS);
        assert_eq!(later[0].score, 8.0);
        assert_eq!(later[0].max_score, 16.0);
        let gone = score_tags(&[], later, now + 3 * DAY_MILLIS);
        assert!(gone.is_empty(), "{gone:?}");
    }

    #[test]
    fn a_post_trends_with_five_interactions_and_fades_by_the_hour() {
        let row = |interactions, age| woolly_store::TrendCandidateRow {
            status_id: 1,
            account_id: 1,
            language: Some("en".into()),
            interactions,
            created_at: DAY_MILLIS - age,
        };
        assert!(score_statuses(&[row(4, 0)], DAY_MILLIS).is_empty());
        assert_eq!(score_statuses(&[row(5, 0)], DAY_MILLIS)[0].score, 16.0);
        assert_eq!(
            score_statuses(&[row(5, HOUR_MILLIS)], DAY_MILLIS)[0].score,
            8.0
        );
        assert!(score_statuses(&[row(5, 6 * HOUR_MILLIS)], DAY_MILLIS).is_empty());
    }
}
