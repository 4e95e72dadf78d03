//! What posting and editing share: checking a status's text, content warning, language and
//! media count against the limits, and rendering the text with its mentions and hashtags.

use std::collections::HashSet;
use std::sync::Arc;

use woolly_store::Tx;

use crate::accounts::Account;
use crate::error::{CoreError, FieldErrors, FieldRule, Result};
use crate::state::Woolly;
use crate::text::{self, MentionTarget};

const MAX_SPOILER_LENGTH: usize = 1000;
/// Mastodon's `max_media_attachments`.
pub(crate) const MAX_MEDIA: usize = 4;

/// Text, content warning and language that passed the checks.
pub(crate) struct Checked {
    pub text: String,
    pub spoiler_text: String,
    pub language: Option<String>,
}

/// Rendered text with the local accounts it mentions and its hashtags (lower-case, unique).
pub(crate) struct Composed {
    pub html: String,
    pub mentioned: Vec<Account>,
    pub tags: Vec<String>,
}

/// How many unknown remote accounts one post may make Woolly look up.
pub(crate) const MAX_RESOLVED_MENTIONS: usize = 30;
/// How many of those lookups run at once.
const CONCURRENT_MENTION_LOOKUPS: usize = 6;
/// How long all of them together may take.
const MENTION_LOOKUP_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);

impl Woolly {
    /// Checks what a status would say. Text may be blank only when media come with it.
    pub(crate) fn check_composition(
        &self,
        text: &str,
        spoiler_text: &str,
        language: Option<String>,
        media_count: usize,
    ) -> Result<Checked> {
        let text = text.trim().to_owned();
        if media_count > MAX_MEDIA {
            return Err(CoreError::Validation(format!(
                "Validation failed: Media attachments are limited to {MAX_MEDIA}"
            )));
        }
        // Refusals of the text name their field, so that a form shows them beside it; the
        // message stays Mastodon's ("Validation failed: Text can't be blank").
        if text.is_empty() && media_count == 0 {
            let mut errors = FieldErrors::default();
            errors.add("text", FieldRule::Blank, "can't be blank");
            return Err(CoreError::Fields(errors));
        }
        let spoiler_text = spoiler_text.trim().to_owned();
        if spoiler_text.chars().count() > MAX_SPOILER_LENGTH {
            return Err(CoreError::Validation(
                "Validation failed: Content warning is too long".into(),
            ));
        }
        let length = text::count_characters(&text) + spoiler_text.chars().count();
        let limit = self.config().max_status_characters as usize;
        if length > limit {
            let mut errors = FieldErrors::default();
            errors.add(
                "text",
                FieldRule::TooLong,
                format!("character limit of {limit} exceeded"),
            );
            return Err(CoreError::Fields(errors));
        }
        let language = language.filter(|language| !language.is_empty());
        if let Some(language) = &language {
            check_language_code(language)?;
        }
        Ok(Checked {
            text,
            spoiler_text,
            language,
        })
    }

    /// Looks up on their servers the accounts a text mentions as `user@domain` that are not
    /// known here yet, so that composing can link and address them (Mastodon resolves them
    /// when posting too). At most [`MAX_RESOLVED_MENTIONS`] are looked up, a few at a time, and
    /// for at most [`MENTION_LOOKUP_BUDGET`] in all: a post cannot make Woolly contact any
    /// number of hosts or hold its request open. Mentions not found stay plain text.
    pub(crate) async fn resolve_remote_mentions(&self, text: &str) {
        let Some(resolver) = self.remote_resolver() else {
            return;
        };
        let (candidates, _) = text::scan(text);
        let local_domain = self.config().domain.as_str().to_owned();
        let mut unknown = Vec::new();
        for acct in candidates {
            let Some((name, host)) = acct.split_once('@') else {
                continue;
            };
            if host.eq_ignore_ascii_case(&local_domain) || unknown.contains(&acct) {
                continue;
            }
            if matches!(self.db().remote_account_by_acct(name, host).await, Ok(None)) {
                unknown.push(acct);
            }
            if unknown.len() == MAX_RESOLVED_MENTIONS {
                break;
            }
        }
        let mut lookups = tokio::task::JoinSet::new();
        let mut queue = unknown.into_iter();
        let deadline = tokio::time::Instant::now() + MENTION_LOOKUP_BUDGET;
        loop {
            while lookups.len() < CONCURRENT_MENTION_LOOKUPS {
                let Some(acct) = queue.next() else { break };
                let (woolly, resolver) = (self.clone(), Arc::clone(resolver));
                lookups.spawn(async move {
                    if let Err(error) = resolver.resolve(&woolly, &acct).await {
                        tracing::info!(acct, %error, "mentioned account not found");
                    }
                });
            }
            match tokio::time::timeout_at(deadline, lookups.join_next()).await {
                Ok(Some(_)) => {}
                Ok(None) => return,
                Err(_) => {
                    tracing::info!(left = lookups.len(), "mention lookups out of time");
                    // Dropping the set cancels the lookups still running.
                    return;
                }
            }
        }
    }

    /// Renders checked text, resolving mentions of local accounts (`user` or
    /// `user@this-domain`) inside the transaction that will store the status.
    pub(crate) async fn compose(&self, tx: &mut Tx, text: &str) -> Result<Composed> {
        let (candidates, tags) = text::scan(text);
        let domain = self.config().domain.as_str().to_owned();
        let local_name = |acct: &str| -> Option<String> {
            match acct.split_once('@') {
                None => Some(acct.to_owned()),
                Some((name, host)) if host.eq_ignore_ascii_case(&domain) => Some(name.to_owned()),
                Some(_) => None,
            }
        };
        let local_names: Vec<String> = candidates
            .iter()
            .filter_map(|acct| local_name(acct))
            .collect();
        let remote_handles: Vec<(String, String)> = candidates
            .iter()
            .filter(|acct| local_name(acct).is_none())
            .filter_map(|acct| acct.split_once('@'))
            .map(|(name, host)| (name.to_owned(), host.to_owned()))
            .collect();
        let mut mentioned: Vec<Account> = tx
            .local_accounts_named(&local_names)
            .await?
            .into_iter()
            .map(Account::from)
            .collect();
        mentioned.extend(
            tx.remote_accounts_named(&remote_handles)
                .await?
                .into_iter()
                .map(Account::from),
        );
        let urls = self.config().urls();
        let resolve = |acct: &str| -> Option<MentionTarget> {
            let account = match local_name(acct) {
                Some(name) => mentioned.iter().find(|account| {
                    account.is_local() && account.username.eq_ignore_ascii_case(&name)
                }),
                None => mentioned.iter().find(|account| {
                    account.domain.as_deref().is_some_and(|domain| {
                        format!("{}@{domain}", account.username).eq_ignore_ascii_case(acct)
                    })
                }),
            }?;
            Some(MentionTarget {
                acct: match &account.domain {
                    Some(domain) => format!("{}@{domain}", account.username),
                    None => account.username.clone(),
                },
                url: match &account.domain {
                    Some(_) => account
                        .actor
                        .url
                        .clone()
                        .or_else(|| account.actor.uri.clone())
                        .unwrap_or_default(),
                    None => urls.profile(&account.username),
                },
                username: account.username.clone(),
            })
        };
        let html = text::render_plain_text(text, urls, &resolve).html;
        let mut seen = HashSet::new();
        let tags = tags
            .into_iter()
            .map(|tag| tag.to_lowercase())
            .filter(|tag| seen.insert(tag.clone()))
            .collect();
        Ok(Composed {
            html,
            mentioned,
            tags,
        })
    }
}

/// Checks the shape of a language code (`en`, `pt-BR`, `yue`) as statuses and follows carry it.
pub(crate) fn check_language_code(language: &str) -> Result<()> {
    let valid = !language.is_empty()
        && language.len() <= 16
        && language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(CoreError::Validation(format!(
            "Validation failed: Language {language:?} is not a language code"
        )))
    }
}
