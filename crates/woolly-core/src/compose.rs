//! What posting and editing share: checking a status's text, content warning, language and
//! media count against the limits, and rendering the text with its mentions and hashtags.

use std::collections::HashSet;

use woolly_store::Tx;

use crate::accounts::Account;
use crate::error::{CoreError, Result};
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
        if text.is_empty() && media_count == 0 {
            return Err(CoreError::Validation(
                "Validation failed: Text can't be blank".into(),
            ));
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
            return Err(CoreError::Validation(format!(
                "Validation failed: Text character limit of {limit} exceeded"
            )));
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
    /// when posting too). Failures leave the mention as plain text.
    pub(crate) async fn resolve_remote_mentions(&self, text: &str) {
        if self.remote_resolver().is_none() {
            return;
        }
        let (candidates, _) = text::scan(text);
        let local_domain = self.config().domain.as_str().to_owned();
        for acct in candidates {
            let Some((name, host)) = acct.split_once('@') else {
                continue;
            };
            if host.eq_ignore_ascii_case(&local_domain) {
                continue;
            }
            let known = self.db().remote_account_by_acct(name, host).await;
            if matches!(known, Ok(None))
                && let Some(resolver) = self.remote_resolver()
                && let Err(error) = resolver.resolve(self, &acct).await
            {
                tracing::info!(acct, %error, "mentioned account not found");
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
