//! `woolly admin …` and `woolly migrate`: operator commands. Each opens the same instance as
//! `woolly serve` (same settings, same database) and may run beside it.

use serde_json::json;
use woolly_core::Woolly;
use woolly_core::account_moderation::{AccountAction, AccountActionKind, Moderator, Reversal};
use woolly_core::accounts::{Email, NewAccount, Role, Username};
use woolly_core::auth::Scopes;
use woolly_core::instance_domain_blocks::{DomainAllow, DomainBlock, DomainBlockChange, Severity};
use woolly_core::jobs::{Probe, ProbeJob, new_job};

use crate::cli::{
    AccountCommand, AdminCommand, DomainCommand, EmojiCommand, InviteCommand, JobsCommand,
    ReportCommand,
};
use crate::settings::Settings;
use woolly_core::joining::RegistrationMode;
use woolly_core::reports::ReportAction;

/// Runs one admin command on the instance the settings name; what it prints goes to standard
/// output. Moving the whole instance works on its database and files, without opening it.
pub async fn run_on(settings: &Settings, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Export { file } => crate::instance_move::export(settings, &file).await,
        AdminCommand::Import { file } => crate::instance_move::import(settings, &file).await,
        command => {
            let woolly = crate::app::open_instance(settings, "admin").await?;
            let outcome = run(&woolly, command).await;
            woolly.close().await;
            outcome
        }
    }
}

/// Runs one admin command; what it prints goes to standard output.
async fn run(woolly: &Woolly, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Export { .. } | AdminCommand::Import { .. } => {
            anyhow::bail!("export and import work on the settings, not an open instance")
        }
        AdminCommand::Account { command } => account_command(woolly, command).await,
        AdminCommand::Registrations { mode } => registrations_command(woolly, mode).await,
        AdminCommand::Invite { command } => invite_command(woolly, command).await,
        AdminCommand::Token { username, scopes } => {
            let scopes = Scopes::parse(&scopes)?;
            let token = woolly.oauth().issue_token(&username, scopes).await?;
            println!("Access token for {username} (scopes: {scopes}):");
            println!("{token}");
            Ok(())
        }
        AdminCommand::RevokeToken { token } => {
            if woolly.oauth().revoke_token(&token).await? {
                println!("Token revoked.");
                Ok(())
            } else {
                anyhow::bail!("no live token matches")
            }
        }
        AdminCommand::Emoji { command } => emoji_command(woolly, command).await,
        AdminCommand::Audit { limit } => show_audit_log(woolly, limit).await,
        AdminCommand::Reports { resolved, limit } => show_reports(woolly, resolved, limit).await,
        AdminCommand::Report { command } => {
            let (id, action) = match command {
                ReportCommand::Resolve { id } => (id, ReportAction::Resolve),
                ReportCommand::Reopen { id } => (id, ReportAction::Reopen),
            };
            woolly
                .moderation()
                .handle_report(Moderator::Operator, id, action)
                .await?;
            println!("Report {id}: {action:?}.");
            Ok(())
        }
        AdminCommand::Domain { command } => domain_command(woolly, command).await,
        AdminCommand::Jobs {
            json,
            dead,
            command: None,
        } => show_jobs(woolly, json, dead).await,
        AdminCommand::Jobs {
            command: Some(command),
            ..
        } => jobs_command(woolly, command).await,
    }
}

async fn create_account(
    woolly: &Woolly,
    username: &str,
    email: &str,
    password: Option<String>,
    role: &str,
) -> anyhow::Result<()> {
    let new = NewAccount {
        username: Username::parse(username)?,
        email: Email::parse(email)?,
        password,
        role: Role::parse(role)?,
    };
    let created = woolly.accounts().create_local(new).await?;
    println!(
        "Created {role} account {username} (id {}).",
        created.account_id
    );
    if let Some(password) = created.generated_password {
        println!("Its password (shown once): {password}");
    }
    Ok(())
}

async fn account_command(woolly: &Woolly, command: AccountCommand) -> anyhow::Result<()> {
    match command {
        AccountCommand::Create {
            username,
            email,
            password,
            role,
        } => create_account(woolly, &username, &email, password, &role).await,
        AccountCommand::Pending => {
            let pending = woolly.sign_ups().pending().await?;
            if pending.is_empty() {
                println!("No sign-up is waiting for approval.");
            }
            for (account, user) in pending {
                println!(
                    "{}\t{}\t{}\t{}",
                    account.username,
                    user.email,
                    if user.confirmed {
                        "confirmed"
                    } else {
                        "unconfirmed"
                    },
                    user.sign_up_reason
                        .as_deref()
                        .unwrap_or("")
                        .replace(['\n', '\t'], " ")
                );
            }
            Ok(())
        }
        AccountCommand::Approve { username } => {
            woolly
                .sign_ups()
                .approve(&username, Moderator::Operator)
                .await?;
            println!("Approved {username}.");
            Ok(())
        }
        AccountCommand::Reject { username } => {
            woolly
                .sign_ups()
                .reject(&username, Moderator::Operator)
                .await?;
            println!("Rejected {username}: the account was removed.");
            Ok(())
        }
        AccountCommand::Role { username, role } => {
            let moderation = woolly.moderation();
            let id = moderation.local_account_id(&username).await?;
            let role = Role::parse(&role)?;
            moderation
                .change_role(Moderator::Operator, id, role)
                .await?;
            println!("{username} is now {}.", role.as_str());
            Ok(())
        }
        AccountCommand::Suspend { username, reason } => {
            moderate(woolly, &username, AccountActionKind::Suspend, reason).await?;
            println!("Suspended {username}.");
            Ok(())
        }
        AccountCommand::Silence { username, reason } => {
            moderate(woolly, &username, AccountActionKind::Silence, reason).await?;
            println!("Limited {username}: its posts reach only its followers.");
            Ok(())
        }
        AccountCommand::Disable { username, reason } => {
            moderate(woolly, &username, AccountActionKind::Disable, reason).await?;
            println!("Disabled the login of {username}.");
            Ok(())
        }
        AccountCommand::Unsuspend { username } => {
            reverse(woolly, &username, Reversal::Unsuspend).await?;
            println!("Lifted the suspension of {username}.");
            Ok(())
        }
        AccountCommand::Unsilence { username } => {
            reverse(woolly, &username, Reversal::Unsilence).await?;
            println!("Lifted the limit on {username}.");
            Ok(())
        }
        AccountCommand::Enable { username } => {
            reverse(woolly, &username, Reversal::Enable).await?;
            println!("Enabled the login of {username}.");
            Ok(())
        }
        AccountCommand::TwoFactorOff { username } => {
            woolly.accounts().disable_two_factor_for(&username).await?;
            println!("Two-factor sign-in of {username} is off.");
            Ok(())
        }
        AccountCommand::Aliases {
            username,
            add,
            remove,
        } => aliases(woolly, &username, add, remove).await,
        AccountCommand::Password { username, password } => {
            let generated = woolly.accounts().set_password(&username, password).await?;
            println!("Password of {username} changed; every session was signed out.");
            if let Some(password) = generated {
                println!("Its new password (shown once): {password}");
            }
            Ok(())
        }
    }
}

/// Lists, adds or removes the aliases of `username`, printing them as they are after.
async fn aliases(
    woolly: &Woolly,
    username: &str,
    add: Option<String>,
    remove: Option<String>,
) -> anyhow::Result<()> {
    let accounts = woolly.accounts();
    let account = accounts
        .local_account(username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no local account is called {username}"))?;
    let aliases = match (add, remove) {
        (Some(handle), _) => {
            // Another server's account is looked up there.
            woolly_federation::connect(woolly)?;
            accounts.add_alias(&account, &handle).await?
        }
        (None, Some(named)) => {
            let listed = accounts.aliases(&account).await?;
            let uri = listed
                .iter()
                .find(|alias| {
                    alias.uri == named
                        || alias
                            .account
                            .as_ref()
                            .is_some_and(|found| found.acct() == named.trim_start_matches('@'))
                })
                .map(|alias| alias.uri.clone())
                .ok_or_else(|| anyhow::anyhow!("{named} is no alias of {username}"))?;
            accounts.remove_alias(&account, &uri).await?
        }
        (None, None) => accounts.aliases(&account).await?,
    };
    if aliases.is_empty() {
        println!("{username} has no alias.");
    }
    for alias in aliases {
        match alias.account {
            Some(found) => println!("{}\t{}", found.acct(), alias.uri),
            None => println!("-\t{}", alias.uri),
        }
    }
    Ok(())
}

/// Takes a moderation action as the operator; the owner is told, and the audit log says so.
async fn moderate(
    woolly: &Woolly,
    username: &str,
    kind: AccountActionKind,
    reason: String,
) -> anyhow::Result<()> {
    let moderation = woolly.moderation();
    let id = moderation.local_account_id(username).await?;
    let action = AccountAction {
        kind,
        report_id: None,
        text: reason,
        notify: true,
    };
    moderation
        .act_on_account(Moderator::Operator, id, action)
        .await?;
    Ok(())
}

async fn reverse(woolly: &Woolly, username: &str, reversal: Reversal) -> anyhow::Result<()> {
    let moderation = woolly.moderation();
    let id = moderation.local_account_id(username).await?;
    moderation
        .reverse(Moderator::Operator, id, reversal)
        .await?;
    Ok(())
}

async fn show_reports(woolly: &Woolly, resolved: bool, limit: i64) -> anyhow::Result<()> {
    let page = woolly_core::Page {
        max_id: None,
        since_id: None,
        min_id: None,
        limit: limit.clamp(1, 200),
    };
    let filter = woolly_core::ReportFilter {
        resolved,
        ..woolly_core::ReportFilter::default()
    };
    let reports = woolly
        .moderation()
        .reports(Moderator::Operator, filter, page)
        .await?;
    if reports.is_empty() {
        println!("No report.");
    }
    for report in reports {
        println!(
            "{}\t{}\t{} about {}\t{}\t{}",
            report.id,
            woolly_http::time::iso8601(report.created_at),
            report.reporter.acct(),
            report.target.acct(),
            report.category.as_str(),
            report.comment.replace(['\n', '\t'], " ")
        );
    }
    Ok(())
}

async fn show_audit_log(woolly: &Woolly, limit: i64) -> anyhow::Result<()> {
    let page = woolly_core::Page {
        max_id: None,
        since_id: None,
        min_id: None,
        limit: limit.clamp(1, 1000),
    };
    let entries = woolly
        .moderation()
        .audit_log(Moderator::Operator, page)
        .await?;
    if entries.is_empty() {
        println!("The audit log is empty.");
    }
    for entry in entries {
        println!(
            "{}\t{}\t{}\t{} {}",
            woolly_http::time::iso8601(entry.created_at),
            entry.actor_label,
            entry.action,
            entry.target_type,
            entry.target_label
        );
    }
    Ok(())
}

async fn registrations_command(woolly: &Woolly, mode: Option<String>) -> anyhow::Result<()> {
    match mode.as_deref() {
        None => {}
        Some("default") => woolly.sign_ups().set_mode(None).await?,
        Some(mode) => {
            woolly
                .sign_ups()
                .set_mode(Some(RegistrationMode::parse(mode)?))
                .await?
        }
    }
    let mode = woolly.sign_ups().mode().await?;
    println!("Registrations: {}", mode.as_str());
    Ok(())
}

async fn invite_command(woolly: &Woolly, command: InviteCommand) -> anyhow::Result<()> {
    match command {
        InviteCommand::Create {
            max_uses,
            expires_in_hours,
        } => {
            let expires_in = expires_in_hours.map(|hours| hours.saturating_mul(60 * 60 * 1000));
            let invite = woolly
                .sign_ups()
                .create_invite(None, max_uses, expires_in)
                .await?;
            println!("Invite {} created:", invite.code);
            println!("{}", invite.url);
        }
        InviteCommand::List => {
            let invites = woolly.sign_ups().invites(None).await?;
            if invites.is_empty() {
                println!("No invites.");
            }
            for invite in invites {
                let uses = match invite.max_uses {
                    Some(max) => format!("{}/{max} uses", invite.uses),
                    None => format!("{} uses", invite.uses),
                };
                let state = if invite.revoked {
                    "revoked".to_owned()
                } else {
                    match invite.expires_at {
                        Some(at) if at <= woolly_core::now_millis() => "expired".to_owned(),
                        Some(at) => format!("expires {}", at / 1000),
                        None => "never expires".to_owned(),
                    }
                };
                println!("{}\t{uses}\t{state}\t{}", invite.code, invite.url);
            }
        }
        InviteCommand::Revoke { code } => {
            if !woolly.sign_ups().revoke_invite(&code).await? {
                anyhow::bail!("no live invite has the code {code:?}");
            }
            println!("Invite {code} revoked.");
        }
    }
    Ok(())
}

async fn domain_command(woolly: &Woolly, command: DomainCommand) -> anyhow::Result<()> {
    let instance = woolly.instance();
    let operator = Moderator::Operator;
    match command {
        DomainCommand::Block {
            domain,
            severity,
            reject_media,
            reject_reports,
            public_comment,
            private_comment,
            obfuscate,
        } => {
            let change = DomainBlockChange {
                severity: Some(Severity::parse(&severity)?),
                reject_media: Some(reject_media),
                reject_reports: Some(reject_reports),
                private_comment: Some(private_comment),
                public_comment: Some(public_comment),
                obfuscate: Some(obfuscate),
            };
            let block = instance.block_domain(operator, &domain, change).await?;
            println!("Blocked {} ({}).", block.domain, block.severity.as_str());
        }
        DomainCommand::Unblock { domain } => {
            let block = instance.domain_block_named(&domain).await?;
            instance.unblock_domain(operator, block.id).await?;
            println!("Unblocked {}.", block.domain);
        }
        DomainCommand::List => {
            for block in every_page(|page| instance.domain_blocks_page(operator, page)).await? {
                let options: Vec<&str> = [
                    (block.reject_media, "reject-media"),
                    (block.reject_reports, "reject-reports"),
                    (block.obfuscate, "obfuscate"),
                ]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| name)
                .collect();
                println!(
                    "{}\t{}\t{}",
                    block.domain,
                    block.severity.as_str(),
                    options.join(",")
                );
            }
        }
        DomainCommand::Allow { domain } => {
            let allow = instance.allow_domain(operator, &domain).await?;
            println!("Allowed {}.", allow.domain);
        }
        DomainCommand::Disallow { domain } => {
            let allows = every_page(|page| instance.domain_allows_page(operator, page)).await?;
            let wanted = woolly_core::Domain::parse(&domain)?;
            let Some(allow) = allows
                .into_iter()
                .find(|allow| allow.domain == wanted.as_str())
            else {
                anyhow::bail!("{domain} is not on the allow list");
            };
            instance.disallow_domain(operator, allow.id).await?;
            println!("{} is no longer allowed.", allow.domain);
        }
        DomainCommand::Allows => {
            for allow in every_page(|page| instance.domain_allows_page(operator, page)).await? {
                println!("{}", allow.domain);
            }
        }
    }
    Ok(())
}

/// Every entry of a list read a page at a time, newest first.
async fn every_page<T, F, Fut>(mut read: F) -> anyhow::Result<Vec<T>>
where
    T: HasId,
    F: FnMut(woolly_core::Page) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, woolly_core::CoreError>>,
{
    let mut all = Vec::new();
    let mut max_id = None;
    loop {
        let page = woolly_core::Page {
            max_id,
            since_id: None,
            min_id: None,
            limit: 200,
        };
        let found = read(page).await?;
        let Some(last) = found.last() else {
            break;
        };
        max_id = Some(last.id());
        let full = found.len() == 200;
        all.extend(found);
        if !full {
            break;
        }
    }
    Ok(all)
}

/// What [`every_page`] pages by.
trait HasId {
    fn id(&self) -> i64;
}

impl HasId for DomainBlock {
    fn id(&self) -> i64 {
        self.id
    }
}

impl HasId for DomainAllow {
    fn id(&self) -> i64 {
        self.id
    }
}

async fn emoji_command(woolly: &Woolly, command: EmojiCommand) -> anyhow::Result<()> {
    match command {
        EmojiCommand::Add {
            shortcode,
            file,
            category,
            unlisted,
        } => {
            let bytes = std::fs::read(&file)
                .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
            let emoji = woolly
                .instance()
                .add_custom_emoji(&shortcode, bytes, category, !unlisted)
                .await?;
            println!("Added :{}: ({}).", emoji.shortcode, emoji.url);
        }
        EmojiCommand::List => {
            for emoji in woolly.instance().custom_emojis().await? {
                println!(
                    ":{}:\t{}\t{}{}",
                    emoji.shortcode,
                    emoji.category.as_deref().unwrap_or("-"),
                    emoji.url,
                    if emoji.visible_in_picker {
                        ""
                    } else {
                        "\t(unlisted)"
                    }
                );
            }
        }
        EmojiCommand::Remove { shortcode } => {
            woolly
                .instance()
                .remove_custom_emoji(&shortcode)
                .await
                .map_err(|error| match error {
                    woolly_core::CoreError::NotFound => anyhow::anyhow!("no emoji :{shortcode}:"),
                    other => other.into(),
                })?;
            println!("Removed :{shortcode}:.");
        }
    }
    Ok(())
}

async fn show_jobs(woolly: &Woolly, as_json: bool, dead_limit: i64) -> anyhow::Result<()> {
    let counts = woolly.jobs().job_counts().await?;
    let dead = woolly.jobs().dead_jobs(dead_limit).await?;
    if as_json {
        let document = json!({
            "counts": counts.iter().map(|count| json!({
                "kind": count.kind, "state": count.state.as_str(), "count": count.count,
            })).collect::<Vec<_>>(),
            "dead": dead.iter().map(|job| json!({
                "id": job.id.to_string(), "kind": job.kind, "attempts": job.attempts,
                "last_error": job.last_error, "payload": job.payload,
            })).collect::<Vec<_>>(),
        });
        println!("{document}");
        return Ok(());
    }
    if counts.is_empty() {
        println!("The job queue is empty.");
    } else {
        println!("{:<32} {:<8} {:>8}", "KIND", "STATE", "COUNT");
        for count in &counts {
            println!("{:<32} {:<8} {:>8}", count.kind, count.state, count.count);
        }
    }
    if !dead.is_empty() {
        println!("\nDead jobs (newest first):");
        for job in &dead {
            println!(
                "  {} {} after {} attempts: {}",
                job.id,
                job.kind,
                job.attempts,
                job.last_error.as_deref().unwrap_or("(no error recorded)")
            );
        }
    }
    Ok(())
}

async fn jobs_command(woolly: &Woolly, command: JobsCommand) -> anyhow::Result<()> {
    match command {
        JobsCommand::Probe {
            sleep_ms,
            fail,
            max_attempts,
        } => {
            anyhow::ensure!(max_attempts >= 1, "--max-attempts must be at least 1");
            let job = new_job(
                ProbeJob::KIND,
                &Probe { sleep_ms, fail },
                woolly_core::now_millis(),
                max_attempts,
            )?;
            let id = woolly.jobs().enqueue_job(&job).await?;
            println!("{id}");
        }
        JobsCommand::Show { id } => {
            let job = woolly
                .jobs()
                .job(id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no job {id}"))?;
            println!(
                "{}",
                json!({
                    "id": job.id.to_string(), "kind": job.kind, "state": job.state.as_str(),
                    "attempts": job.attempts, "max_attempts": job.max_attempts,
                    "run_at": job.run_at, "last_error": job.last_error,
                })
            );
        }
    }
    Ok(())
}
