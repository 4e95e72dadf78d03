//! Trends: what the scoring job reads (hashtags' distinct authors today and yesterday, recent
//! public posts' favourites and boosts), the scores it keeps, the moderators' reviews, and the
//! lists read from them. The scores themselves are computed in core.

use crate::accounts::shown;
use crate::connect::{Db, on_reader, on_tx};
use crate::error::Result;
use crate::statuses::{not_muted, visible_to};

/// A hashtag's distinct authors of public posts today and yesterday.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TagUseRow {
    pub name: String,
    pub today: i64,
    pub yesterday: i64,
}

/// A hashtag's trend as last scored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TagTrendRow {
    pub name: String,
    pub score: f64,
    pub max_score: f64,
    pub max_score_at: i64,
}

/// A recent public post that may trend, with its favourites and boosts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrendCandidateRow {
    pub status_id: i64,
    pub account_id: i64,
    pub language: Option<String>,
    pub interactions: i64,
    pub created_at: i64,
}

/// A post's trend as last scored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StatusTrendRow {
    pub status_id: i64,
    pub account_id: i64,
    pub score: f64,
    pub language: Option<String>,
}

/// A link's distinct sharers (authors of public posts showing its preview, and of their
/// boosts) today and yesterday.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkUseRow {
    pub card_id: i64,
    /// The page's own address, whose host is its publisher.
    pub url: String,
    pub today: i64,
    pub yesterday: i64,
}

/// A link's trend as last scored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LinkTrendRow {
    pub card_id: i64,
    pub publisher: String,
    pub score: f64,
    pub max_score: f64,
    pub max_score_at: i64,
}

/// One link's shares on one day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkDayRow {
    pub card_id: i64,
    /// Days since the Unix epoch.
    pub day: i64,
    pub uses: i64,
    pub accounts: i64,
}

/// A publisher of trending (or reviewed) links, with what moderators decided of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublisherRow {
    pub domain: String,
    pub trendable: Option<bool>,
    pub reviewed_at: Option<i64>,
}

/// What may trend, and who wrote it: discoverable authors neither silenced nor suspended.
fn may_trend_author(alias: &str) -> String {
    format!(
        "{alias}.discoverable AND {alias}.silenced_at IS NULL AND {}",
        shown(alias)
    )
}

/// "Moderators allowed it": `$default` (a boolean parameter: `trendable_by_default`) stands for
/// what was not reviewed. A post is allowed by its own review, else by its author's.
fn tag_allowed(name: &str, default: &str) -> String {
    format!(
        "COALESCE((SELECT r.trendable FROM trend_review r WHERE r.kind = 'tag' AND r.subject = {name}), {default})"
    )
}

/// A link is allowed by its own review, else by its publisher's.
fn link_allowed(alias: &str, default: &str) -> String {
    format!(
        "COALESCE((SELECT r.trendable FROM trend_review r WHERE r.kind = 'link' \
                     AND r.subject = CAST({alias}.card_id AS TEXT)), \
                  (SELECT r.trendable FROM trend_review r WHERE r.kind = 'publisher' \
                     AND r.subject = {alias}.publisher), \
                  {default})"
    )
}

fn status_allowed(alias: &str, default: &str) -> String {
    format!(
        "COALESCE((SELECT r.trendable FROM trend_review r WHERE r.kind = 'status' \
                     AND r.subject = CAST({alias}.status_id AS TEXT)), \
                  (SELECT r.trendable FROM trend_review r WHERE r.kind = 'account' \
                     AND r.subject = CAST({alias}.account_id AS TEXT)), \
                  {default})"
    )
}

impl Db {
    /// Distinct authors of public posts using each hashtag since `yesterday` (the start of
    /// yesterday), split at `today` (the start of today), for hashtags used in that time.
    pub async fn tag_uses(&self, yesterday: i64, today: i64) -> Result<Vec<TagUseRow>> {
        let sql = format!(
            "SELECT t.name, \
                    COUNT(DISTINCT CASE WHEN s.created_at >= $2 THEN s.account_id END) AS today, \
                    COUNT(DISTINCT CASE WHEN s.created_at < $2 THEN s.account_id END) AS yesterday \
             FROM status_tag t JOIN status s ON s.id = t.status_id \
             JOIN account a ON a.id = s.account_id \
             WHERE s.created_at >= $1 AND s.visibility = 'public' AND s.reblog_of_id IS NULL \
               AND {} \
             GROUP BY t.name",
            may_trend_author("a")
        );
        Ok(
            on_reader!(self, pool => sqlx::query_as::<_, TagUseRow>(&sql)
            .bind(yesterday)
            .bind(today)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Distinct accounts sharing each link since `yesterday`, split at `today` (as
    /// [`Db::tag_uses`]): public posts showing its preview, and public boosts of them, by
    /// accounts that may trend; the post neither sensitive, behind a content warning, nor by a
    /// silenced author. Only link cards with an image of 100 × 100 or more count (Mastodon's
    /// `appropriate_for_trends?`).
    pub async fn link_uses(&self, yesterday: i64, today: i64) -> Result<Vec<LinkUseRow>> {
        let sql = format!(
            "SELECT c.id AS card_id, c.url, \
                    COUNT(DISTINCT CASE WHEN s.created_at >= $2 THEN s.account_id END) AS today, \
                    COUNT(DISTINCT CASE WHEN s.created_at < $2 THEN s.account_id END) AS yesterday \
             FROM status s \
             JOIN status o ON o.id = COALESCE(s.reblog_of_id, s.id) \
             JOIN preview_card c ON c.id = o.card_id \
             JOIN account a ON a.id = s.account_id \
             JOIN account oa ON oa.id = o.account_id \
             WHERE s.created_at >= $1 AND s.visibility = 'public' AND o.visibility = 'public' \
               AND o.spoiler_text = '' AND NOT o.sensitive AND NOT c.failed AND c.card_type = 'link' \
               AND c.width >= 100 AND c.height >= 100 \
               AND oa.silenced_at IS NULL AND {} AND {} \
             GROUP BY c.id, c.url",
            may_trend_author("a"),
            shown("oa")
        );
        Ok(
            on_reader!(self, pool => sqlx::query_as::<_, LinkUseRow>(&sql)
            .bind(yesterday)
            .bind(today)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Every link trend kept, trending or fading.
    pub async fn link_trends_kept(&self) -> Result<Vec<LinkTrendRow>> {
        Ok(on_reader!(self, pool => sqlx::query_as::<_, LinkTrendRow>(
            "SELECT card_id, publisher, score, max_score, max_score_at FROM link_trend",
        )
        .fetch_all(pool)
        .await)?)
    }

    /// Trending links (their cards' ids), highest score first: those moderators allowed
    /// (`only_allowed`), or all of them for the moderators themselves.
    pub async fn trending_links(
        &self,
        only_allowed: bool,
        trendable_by_default: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<i64>> {
        let allowed = if only_allowed {
            format!("AND {}", link_allowed("t", "$1"))
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT t.card_id FROM link_trend t WHERE t.score >= 1 {allowed} \
             ORDER BY t.score DESC, t.card_id DESC LIMIT $2 OFFSET $3"
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(trendable_by_default)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The publisher of trending link `card_id`, if it trends.
    pub async fn link_trend_publisher(&self, card_id: i64) -> Result<Option<String>> {
        Ok(on_reader!(self, pool => sqlx::query_scalar(
            "SELECT publisher FROM link_trend WHERE card_id = $1",
        )
        .bind(card_id)
        .fetch_optional(pool)
        .await)?)
    }

    /// The publishers of the links trending now and those moderators reviewed, those waiting
    /// for review first.
    pub async fn link_publishers(&self) -> Result<Vec<PublisherRow>> {
        Ok(on_reader!(self, pool => sqlx::query_as::<_, PublisherRow>(
            "SELECT p.domain, r.trendable, r.reviewed_at FROM ( \
               SELECT publisher AS domain FROM link_trend \
               UNION SELECT subject FROM trend_review WHERE kind = 'publisher' \
             ) p LEFT JOIN trend_review r ON r.kind = 'publisher' AND r.subject = p.domain \
             ORDER BY CASE WHEN r.trendable IS NULL THEN 0 ELSE 1 END, p.domain",
        )
        .fetch_all(pool)
        .await)?)
    }

    /// Daily shares of links since `since_day` (days since the epoch), for their `history`:
    /// public posts showing each, and public boosts of them.
    pub async fn link_history(&self, card_ids: &[i64], since_day: i64) -> Result<Vec<LinkDayRow>> {
        let mut rows = Vec::new();
        for card_id in card_ids {
            let found = on_reader!(self, pool => sqlx::query_as::<_, LinkDayRow>(
                "SELECT $1 AS card_id, s.created_at / 86400000 AS day, count(*) AS uses, \
                        count(DISTINCT s.account_id) AS accounts \
                 FROM status s WHERE s.created_at >= $2 * 86400000 AND s.visibility = 'public' \
                   AND (s.card_id = $1 OR s.reblog_of_id IN \
                        (SELECT o.id FROM status o WHERE o.card_id = $1 AND o.visibility = 'public')) \
                 GROUP BY s.created_at / 86400000",
            )
            .bind(*card_id)
            .bind(since_day)
            .fetch_all(pool)
            .await)?;
            rows.extend(found);
        }
        Ok(rows)
    }

    /// Every hashtag trend kept, trending or fading.
    pub async fn tag_trends_kept(&self) -> Result<Vec<TagTrendRow>> {
        Ok(on_reader!(self, pool => sqlx::query_as::<_, TagTrendRow>(
            "SELECT name, score, max_score, max_score_at FROM tag_trend",
        )
        .fetch_all(pool)
        .await)?)
    }

    /// Public posts since `since` that may trend (not replies, not sensitive, without a
    /// content warning, in a language, by an author who may trend) with at least `floor`
    /// favourites and boosts.
    pub async fn trend_candidates(&self, since: i64, floor: i64) -> Result<Vec<TrendCandidateRow>> {
        let sql = format!(
            "SELECT s.id AS status_id, s.account_id, s.language, \
                    s.reblogs_count + s.favourites_count AS interactions, s.created_at \
             FROM status s JOIN account a ON a.id = s.account_id \
             WHERE s.created_at >= $1 AND s.visibility = 'public' AND s.reblog_of_id IS NULL \
               AND s.in_reply_to_id IS NULL AND NOT s.sensitive AND s.spoiler_text = '' \
               AND s.language IS NOT NULL AND a.sensitized_at IS NULL AND {} \
               AND s.reblogs_count + s.favourites_count >= $2",
            may_trend_author("a")
        );
        Ok(
            on_reader!(self, pool => sqlx::query_as::<_, TrendCandidateRow>(&sql)
            .bind(since)
            .bind(floor)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Replaces every trend with `tags`, `statuses` and `links`, in one transaction.
    pub async fn replace_trends(
        &self,
        tags: &[TagTrendRow],
        statuses: &[StatusTrendRow],
        links: &[LinkTrendRow],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(rows_affected, tx, conn => sqlx::query("DELETE FROM tag_trend")
            .execute(&mut *conn)
            .await)?;
        on_tx!(rows_affected, tx, conn => sqlx::query("DELETE FROM status_trend")
            .execute(&mut *conn)
            .await)?;
        for tag in tags {
            on_tx!(rows_affected, tx, conn => sqlx::query(
                "INSERT INTO tag_trend (name, score, max_score, max_score_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&tag.name)
            .bind(tag.score)
            .bind(tag.max_score)
            .bind(tag.max_score_at)
            .execute(&mut *conn)
            .await)?;
        }
        on_tx!(rows_affected, tx, conn => sqlx::query("DELETE FROM link_trend")
            .execute(&mut *conn)
            .await)?;
        for link in links {
            // A card deleted since it was read is skipped, as posts below.
            on_tx!(rows_affected, tx, conn => sqlx::query(
                "INSERT INTO link_trend (card_id, publisher, score, max_score, max_score_at) \
                 SELECT id, $2, $3, $4, $5 FROM preview_card WHERE id = $1",
            )
            .bind(link.card_id)
            .bind(&link.publisher)
            .bind(link.score)
            .bind(link.max_score)
            .bind(link.max_score_at)
            .execute(&mut *conn)
            .await)?;
        }
        for status in statuses {
            // A post deleted since it was read is skipped rather than break the whole refresh.
            on_tx!(rows_affected, tx, conn => sqlx::query(
                "INSERT INTO status_trend (status_id, account_id, score, language) \
                 SELECT id, account_id, $2, $3 FROM status WHERE id = $1",
            )
            .bind(status.status_id)
            .bind(status.score)
            .bind(&status.language)
            .execute(&mut *conn)
            .await)?;
        }
        tx.commit().await
    }

    /// Trending hashtags, highest score first: those moderators allowed (`only_allowed`), or
    /// all of them for the moderators themselves.
    pub async fn trending_tags(
        &self,
        only_allowed: bool,
        trendable_by_default: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<String>> {
        let allowed = if only_allowed {
            format!("AND {}", tag_allowed("t.name", "$1"))
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT t.name FROM tag_trend t WHERE t.score >= 1 {allowed} \
             ORDER BY t.score DESC, t.name LIMIT $2 OFFSET $3"
        );
        let rows: Vec<(String,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(trendable_by_default)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(name,)| name).collect())
    }

    /// Trending posts the viewer may see, those in `language` first, then by score: those
    /// moderators allowed (`only_allowed`, the best of each author only, as Mastodon), or all
    /// of them for the moderators. Authors the viewer blocks, mutes or is blocked by are left out.
    #[allow(clippy::too_many_arguments)]
    pub async fn trending_statuses(
        &self,
        viewer: Option<i64>,
        language: Option<&str>,
        only_allowed: bool,
        trendable_by_default: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<i64>> {
        let allowed = if only_allowed {
            format!(
                "AND {} AND NOT EXISTS (SELECT 1 FROM status_trend better \
                   WHERE better.account_id = st.account_id AND {} \
                     AND (better.score > st.score \
                          OR (better.score = st.score AND better.status_id > st.status_id)))",
                status_allowed("st", "$2"),
                status_allowed("better", "$2")
            )
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT s.id FROM status_trend st JOIN status s ON s.id = st.status_id \
             WHERE {} AND {} {allowed} \
             ORDER BY CASE WHEN st.language = $3 THEN 0 ELSE 1 END, st.score DESC, st.status_id DESC \
             LIMIT $4 OFFSET $5",
            visible_to("s", "$1"),
            not_muted("s", "$1", "$6"),
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => sqlx::query_as(&sql)
            .bind(viewer)
            .bind(trendable_by_default)
            .bind(language)
            .bind(limit)
            .bind(offset)
            .bind(crate::now_millis())
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The moderators' decision on `subject` of `kind` (`tag`, `status`, `account`), if any.
    pub async fn trend_review(&self, kind: &str, subject: &str) -> Result<Option<bool>> {
        Ok(on_reader!(self, pool => sqlx::query_scalar(
            "SELECT trendable FROM trend_review WHERE kind = $1 AND subject = $2",
        )
        .bind(kind)
        .bind(subject)
        .fetch_optional(pool)
        .await)?)
    }
}

impl crate::Tx {
    /// Records that `subject` of `kind` may trend (or not), as moderators decided at `now`.
    pub async fn review_trend(
        &mut self,
        kind: &str,
        subject: &str,
        trendable: bool,
        now: i64,
    ) -> Result<()> {
        on_tx!(rows_affected, self, conn => sqlx::query(
            "INSERT INTO trend_review (kind, subject, trendable, reviewed_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (kind, subject) DO UPDATE SET trendable = excluded.trendable, \
               reviewed_at = excluded.reviewed_at",
        )
        .bind(kind)
        .bind(subject)
        .bind(trendable)
        .bind(now)
        .execute(&mut *conn)
        .await)?;
        Ok(())
    }
}
