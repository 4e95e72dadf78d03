//! The server's rules: shown on the about page, accepted at sign-up, named by reports. Admins
//! (`manage_rules`) add and remove them in the web interface; the settings file's `rules` are
//! the first ones, written once when the server first starts with them (numbered 1, 2, … as
//! reports named them before rules were kept in the database).

use woolly_store::RuleRow;

use crate::account_moderation::{Moderator, Target, log_action};
use crate::accounts::permission;
use crate::areas::Instance;
use crate::error::{CoreError, Result};
use crate::state::Woolly;

/// Mastodon's `Rule::TEXT_SIZE_LIMIT`.
const MAX_TEXT: usize = 300;
/// The longest hint kept.
const MAX_HINT: usize = 2_000;

/// One rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: i64,
    pub text: String,
    /// What it means, when the admins said more.
    pub hint: String,
    /// Removed rules are kept for the reports that name them.
    pub removed: bool,
}

impl From<RuleRow> for Rule {
    fn from(row: RuleRow) -> Rule {
        Rule {
            id: row.id,
            text: row.text,
            hint: row.hint,
            removed: row.deleted_at.is_some(),
        }
    }
}

impl Woolly {
    /// Writes the settings' rules when no rule was ever written (on every start: the first
    /// one writes them).
    pub(crate) async fn seed_rules(&self) -> Result<()> {
        if self.config().rules.is_empty() || !self.db().all_rules().await?.is_empty() {
            return Ok(());
        }
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        for (index, text) in (1_i64..).zip(&self.config().rules) {
            tx.insert_rule(&RuleRow {
                id: index,
                text: text.clone(),
                hint: String::new(),
                priority: i32::try_from(index).unwrap_or(i32::MAX),
                created_at: now,
                deleted_at: None,
            })
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Instance<'_> {
    /// The rules in force, in order.
    pub async fn rules(&self) -> Result<Vec<Rule>> {
        Ok(self.overview().await?.rules.clone())
    }

    /// Every rule ever written, removed ones too (for reports that name them).
    pub async fn rules_ever(&self) -> Result<Vec<Rule>> {
        Ok(self
            .db()
            .all_rules()
            .await?
            .into_iter()
            .map(Rule::from)
            .collect())
    }

    /// Adds a rule after the others; 422 when its text is empty or too long.
    pub async fn add_rule(&self, by: Moderator<'_>, text: &str, hint: &str) -> Result<i64> {
        by.require(permission::MANAGE_RULES)?;
        let (text, hint) = checked(text, hint)?;
        let last = self
            .db()
            .all_rules()
            .await?
            .iter()
            .map(|rule| rule.priority)
            .max()
            .unwrap_or(0);
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let id = tx.next_id();
        tx.insert_rule(&RuleRow {
            id,
            text: text.to_owned(),
            hint: hint.to_owned(),
            priority: last.saturating_add(1),
            created_at: now,
            deleted_at: None,
        })
        .await?;
        log_action(&mut tx, by, "create", Target::Rule(id, text), now).await?;
        tx.commit().await?;
        self.forget_overview();
        Ok(id)
    }

    /// Rewrites a rule in force (404 when there is none such; 422 as [`Self::add_rule`]).
    /// Reports that named it name it as it now reads.
    pub async fn edit_rule(
        &self,
        by: Moderator<'_>,
        id: i64,
        text: &str,
        hint: &str,
    ) -> Result<()> {
        by.require(permission::MANAGE_RULES)?;
        let (text, hint) = checked(text, hint)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx.update_rule(id, text, hint).await? {
            return Err(CoreError::NotFound);
        }
        log_action(&mut tx, by, "update", Target::Rule(id, text), now).await?;
        tx.commit().await?;
        self.forget_overview();
        Ok(())
    }

    /// Moves a rule in force one place up (the first stays first).
    pub async fn move_rule_up(&self, by: Moderator<'_>, id: i64) -> Result<()> {
        by.require(permission::MANAGE_RULES)?;
        let in_force: Vec<_> = self
            .db()
            .all_rules()
            .await?
            .into_iter()
            .filter(|rule| rule.deleted_at.is_none())
            .collect();
        let at = in_force
            .iter()
            .position(|rule| rule.id == id)
            .ok_or(CoreError::NotFound)?;
        if at == 0 {
            return Ok(());
        }
        // Their places are renumbered in order, so that equal priorities cannot tie.
        let mut order: Vec<i64> = in_force.iter().map(|rule| rule.id).collect();
        order.swap(at - 1, at);
        let mut tx = self.db().begin().await?;
        for (priority, rule) in (1_i32..).zip(&order) {
            tx.set_rule_priority(*rule, priority).await?;
        }
        let text = &in_force[at].text;
        log_action(
            &mut tx,
            by,
            "update",
            Target::Rule(id, text),
            crate::now_millis(),
        )
        .await?;
        tx.commit().await?;
        self.forget_overview();
        Ok(())
    }

    /// Removes a rule from those in force (404 when there is no such rule in force).
    pub async fn remove_rule(&self, by: Moderator<'_>, id: i64) -> Result<()> {
        by.require(permission::MANAGE_RULES)?;
        let rule = self
            .rules_ever()
            .await?
            .into_iter()
            .find(|rule| rule.id == id && !rule.removed)
            .ok_or(CoreError::NotFound)?;
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        if !tx.remove_rule(id, now).await? {
            return Err(CoreError::NotFound);
        }
        log_action(&mut tx, by, "destroy", Target::Rule(id, &rule.text), now).await?;
        tx.commit().await?;
        self.forget_overview();
        Ok(())
    }
}

/// A rule's text and hint, trimmed; 422 when the text is empty or either is too long.
fn checked<'a>(text: &'a str, hint: &'a str) -> Result<(&'a str, &'a str)> {
    let (text, hint) = (text.trim(), hint.trim());
    if text.is_empty() {
        return Err(CoreError::Validation(
            "Validation failed: Text can't be blank".into(),
        ));
    }
    if text.chars().count() > MAX_TEXT || hint.chars().count() > MAX_HINT {
        return Err(CoreError::Validation(format!(
            "Validation failed: Text is too long (maximum is {MAX_TEXT} characters, \
             {MAX_HINT} for the hint)"
        )));
    }
    Ok((text, hint))
}
