//! The instance as a whole: its figures (for the instance and NodeInfo documents and the weekly
//! activity), and the texts its operator wrote (extended description, privacy policy, terms of
//! service), written in Markdown and served as HTML.

use woolly_store::Db;
pub use woolly_store::WeekActivity;

use crate::accounts::{Account, Role};
use crate::areas::Instance;
use crate::config::InstanceConfig;
use crate::error::Result;
use crate::state::Woolly;

/// The privacy policy of a server whose operator wrote none: what Woolly itself keeps.
const DEFAULT_PRIVACY_POLICY: &str = include_str!("default_privacy_policy.md");

/// How many weeks `/api/v1/instance/activity` covers (Mastodon: 12).
const ACTIVITY_WEEKS: i64 = 12;

/// An operator's text as HTML, with when it last changed (Unix ms).
#[derive(Debug, Clone)]
pub struct SiteText {
    pub html: String,
    pub updated_at: i64,
}

/// The operator's texts, rendered once at start.
#[derive(Debug, Clone)]
pub(crate) struct SiteTexts {
    extended_description: SiteText,
    privacy_policy: SiteText,
    terms_of_service: Option<SiteText>,
}

impl SiteTexts {
    /// Renders the configured texts and records (in the database, shared by every process) when
    /// each changed: the first start with a new text is its `updated_at`.
    pub(crate) async fn record(db: &Db, config: &InstanceConfig) -> Result<SiteTexts> {
        let now = crate::now_millis();
        let render = |name: &'static str, markdown: &str| {
            let markdown = markdown.to_owned();
            async move {
                let digest = crate::crypto::token_digest(&markdown);
                let updated_at = db.record_site_text(name, &digest, now).await?;
                Ok::<_, crate::CoreError>(SiteText {
                    html: markdown_to_html(&markdown),
                    updated_at,
                })
            }
        };
        let privacy_policy = if config.privacy_policy.is_empty() {
            DEFAULT_PRIVACY_POLICY
        } else {
            &config.privacy_policy
        };
        let terms_of_service = if config.terms_of_service.is_empty() {
            None
        } else {
            Some(render("terms_of_service", &config.terms_of_service).await?)
        };
        Ok(SiteTexts {
            extended_description: render("extended_description", &config.extended_description)
                .await?,
            privacy_policy: render("privacy_policy", privacy_policy).await?,
            terms_of_service,
        })
    }
}

/// Markdown to HTML. The operator is trusted: HTML inside their Markdown passes through.
fn markdown_to_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// Counts reported by `/api/v1/instance`, `/api/v2/instance` and NodeInfo.
#[derive(Debug, Clone, Copy)]
pub struct InstanceStats {
    pub user_count: i64,
    pub status_count: i64,
    pub domain_count: i64,
    /// Local users active in the last 30 days.
    pub active_month: i64,
    /// Local users active in the last 180 days.
    pub active_halfyear: i64,
}

/// How long the instance's figures and contact are reused before being read again. Mastodon
/// lets clients and proxies cache the whole document for three minutes; counting every status
/// on every request is what made `/api/v1/instance` slow.
const OVERVIEW_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// What the instance document shows that comes from the database: its figures and its contact.
#[derive(Debug, Clone)]
pub struct InstanceOverview {
    pub stats: InstanceStats,
    /// The contact account (the first owner) and its role.
    pub contact: Option<(Account, Role)>,
    /// Who may sign up; the closed-registrations message is HTML here.
    pub registrations: crate::joining::Registrations,
    /// The rules in force, in order.
    pub rules: Vec<crate::rules::Rule>,
}

/// The last [`InstanceOverview`] read, and when.
pub(crate) type OverviewCache =
    std::sync::Mutex<Option<(std::time::Instant, std::sync::Arc<InstanceOverview>)>>;

impl Woolly {
    async fn count_instance_stats(&self) -> Result<InstanceStats> {
        let db = self.db();
        let now = crate::now_millis();
        Ok(InstanceStats {
            user_count: db.count_local_users(None).await?,
            status_count: db.count_local_statuses().await?,
            domain_count: db.count_known_domains().await?,
            active_month: db.count_active_local_users(now - 30 * DAY_MILLIS).await?,
            active_halfyear: db.count_active_local_users(now - 180 * DAY_MILLIS).await?,
        })
    }
}

impl Instance<'_> {
    /// The instance's figures, contact and registration mode, read at most once a minute by
    /// this process (a mode set by `woolly admin` shows within a minute; sign-ups read it
    /// fresh).
    pub async fn overview(&self) -> Result<std::sync::Arc<InstanceOverview>> {
        let cached = self
            .overview_cache()
            .lock()
            .ok()
            .and_then(|cache| cache.clone())
            .filter(|(read_at, _)| read_at.elapsed() < OVERVIEW_TTL);
        if let Some((_, overview)) = cached {
            return Ok(overview);
        }
        let stats = self.count_instance_stats().await?;
        let contact = match self.contact_account().await? {
            Some(account) => self
                .accounts()
                .local_user(account.id)
                .await?
                .map(|user| (account, user.role)),
            None => None,
        };
        let mut registrations = self.sign_ups().registrations().await?;
        registrations.closed_message = registrations
            .closed_message
            .map(|markdown| markdown_to_html(&markdown));
        let rules = self
            .rules_ever()
            .await?
            .into_iter()
            .filter(|rule| !rule.removed)
            .collect();
        let overview = std::sync::Arc::new(InstanceOverview {
            stats,
            contact,
            registrations,
            rules,
        });
        if let Ok(mut cache) = self.overview_cache().lock() {
            *cache = Some((std::time::Instant::now(), std::sync::Arc::clone(&overview)));
        }
        Ok(overview)
    }

    /// Drops this process's copy of the overview, after a change it shows.
    pub(crate) fn forget_overview(&self) {
        if let Ok(mut cache) = self.overview_cache().lock() {
            *cache = None;
        }
    }

    /// The instance's figures (see [`crate::areas::Instance::overview`]).
    pub async fn stats(&self) -> Result<InstanceStats> {
        Ok(self.overview().await?.stats)
    }

    /// The account people should contact about this instance: its first owner, if any.
    pub async fn contact_account(&self) -> Result<Option<Account>> {
        let row = self
            .db()
            .first_account_with_role(Role::Owner.as_str())
            .await?;
        Ok(self
            .accounts_from_rows(row.into_iter().collect())
            .await?
            .pop())
    }

    /// The servers this instance knows accounts of (`/api/v1/instance/peers`).
    pub async fn peers(&self) -> Result<Vec<String>> {
        Ok(self.db().known_domains().await?)
    }

    /// The long "about" text (`/api/v1/instance/extended_description`); empty when not written.
    pub async fn extended_description(&self) -> Result<SiteText> {
        Ok(self.site_texts().await?.extended_description.clone())
    }

    /// The privacy policy: the operator's, or Woolly's own account of what it keeps.
    pub async fn privacy_policy(&self) -> Result<SiteText> {
        Ok(self.site_texts().await?.privacy_policy.clone())
    }

    /// The terms of service, when the operator wrote some.
    pub async fn terms_of_service(&self) -> Result<Option<SiteText>> {
        Ok(self.site_texts().await?.terms_of_service.clone())
    }

    /// The last twelve weeks' local statuses, active users and sign-ups, this week first.
    pub async fn weekly_activity(&self) -> Result<Vec<WeekActivity>> {
        let this_week = woolly_store::week_start(crate::now_millis());
        Ok(self.db().weekly_activity(this_week, ACTIVITY_WEEKS).await?)
    }

    /// Whether the database answers (for `/health`).
    pub async fn check_health(&self) -> Result<()> {
        Ok(self.db().ping().await?)
    }
}
