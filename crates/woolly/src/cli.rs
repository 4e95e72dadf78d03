//! The command line (a contract: tests, docs and operators rely on it; see ARCHITECTURE.md).

use clap::{Parser, Subcommand};

use crate::settings::SettingsFlags;

/// Woolly: a federated social server compatible with Mastodon.
#[derive(Debug, Parser)]
#[command(name = "woolly", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsFlags,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the instance over HTTP and run its job worker.
    Serve,
    /// Run a job worker only (scale-out beside `serve`, on the same PostgreSQL database).
    Worker,
    /// Apply pending database migrations and exit (every command also applies them at start).
    Migrate,
    /// Administer the instance; works while `serve` runs on the same data.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Manage accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Show or set who may sign up: open, approval, invite or closed (`default` goes back to
    /// the `registrations` setting).
    Registrations {
        #[arg(value_parser = ["open", "approval", "invite", "closed", "default"])]
        mode: Option<String>,
    },
    /// Manage invitation codes.
    Invite {
        #[command(subcommand)]
        command: InviteCommand,
    },
    /// Print a new OAuth access token for a local user (on the last line).
    Token {
        username: String,
        /// Space-separated scopes.
        #[arg(long, default_value = "read write follow push")]
        scopes: String,
    },
    /// Revoke an access token.
    RevokeToken {
        /// The token; it may begin with `-`, as generated tokens sometimes do.
        #[arg(allow_hyphen_values = true)]
        token: String,
    },
    /// Manage the instance's custom emojis.
    Emoji {
        #[command(subcommand)]
        command: EmojiCommand,
    },
    /// Cut whole servers off (nothing received from them, nothing sent there).
    Domain {
        #[command(subcommand)]
        command: DomainCommand,
    },
    /// List the reports, open ones (or resolved ones), newest first.
    Reports {
        #[arg(long)]
        resolved: bool,
        /// How many to show.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Resolve or reopen a report.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Show the audit log: what moderators, admins and the operator did, newest first.
    Audit {
        /// How many entries to show.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Show the job queue: counts by kind and state, and the dead jobs.
    Jobs {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// How many dead jobs to list.
        #[arg(long, default_value_t = 20)]
        dead: i64,
        #[command(subcommand)]
        command: Option<JobsCommand>,
    },
    /// Write the whole instance (every table, its keys and settings, media) into one file while
    /// it runs: to move it to another machine, or between SQLite and PostgreSQL.
    Export { file: std::path::PathBuf },
    /// Restore a file written by `export` into an empty database and data directory, of either
    /// engine. The domain must be the one it was exported from.
    Import { file: std::path::PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create a local account.
    Create {
        username: String,
        #[arg(long)]
        email: String,
        /// Omitted: a strong password is generated and printed.
        #[arg(long)]
        password: Option<String>,
        #[arg(long, default_value = "user", value_parser = ["user", "moderator", "admin", "owner"])]
        role: String,
    },
    /// List the sign-ups waiting for approval.
    Pending,
    /// Approve a sign-up waiting for approval (its owner is told by e-mail).
    Approve { username: String },
    /// Reject a sign-up waiting for approval: the account is removed, its owner told.
    Reject { username: String },
    /// Turn a user's two-factor sign-in off (they lost their phone and recovery codes).
    TwoFactorOff { username: String },
    /// Give a local user another role.
    Role {
        username: String,
        #[arg(value_parser = ["user", "moderator", "admin", "owner"])]
        role: String,
    },
    /// Suspend a local account: it and everything it posted are hidden at once, other servers
    /// are told, and its data is deleted after 30 days unless the suspension is lifted.
    Suspend {
        username: String,
        /// The warning its owner reads (and may appeal).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Lift a suspension.
    Unsuspend { username: String },
    /// Limit a local account: its posts reach only its followers.
    Silence {
        username: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Lift a limit.
    Unsilence { username: String },
    /// Disable a local user's login (the account stays visible).
    Disable {
        username: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Enable a disabled login again.
    Enable { username: String },
    /// List a local account's aliases (the accounts that may move to it), or add or remove
    /// one; other servers' accounts are looked up there.
    Aliases {
        username: String,
        /// An account to add (`name` here, `name@domain` elsewhere).
        #[arg(long, conflicts_with = "remove")]
        add: Option<String>,
        /// An alias to remove (its address or its actor id, as listed).
        #[arg(long)]
        remove: Option<String>,
    },
    /// Set a user's password; every session is signed out.
    Password {
        username: String,
        /// Omitted: a strong password is generated and printed.
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Mark a report handled (its reporter, if of this server, is told by e-mail).
    Resolve { id: i64 },
    /// Open a resolved report again.
    Reopen { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Make an invite and print its link (on the last line).
    Create {
        /// How many accounts it may make; omitted: no limit.
        #[arg(long)]
        max_uses: Option<i64>,
        /// Hours until it expires; omitted: never.
        #[arg(long)]
        expires_in_hours: Option<i64>,
    },
    /// List every invite.
    List,
    /// Revoke an invite by its code.
    Revoke { code: String },
}

#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Block a domain (and its subdomains).
    Block {
        // Its own id: `domain` is also the global flag naming this server's own domain, which
        // a positional of the same id would set.
        #[arg(id = "blocked_domain", value_name = "DOMAIN")]
        domain: String,
        /// `suspend` cuts it off and purges what is stored from it; `silence` limits its
        /// accounts; `noop` applies the options alone.
        #[arg(long, default_value = "suspend", value_parser = ["suspend", "silence", "noop"])]
        severity: String,
        /// Show none of its media inline.
        #[arg(long)]
        reject_media: bool,
        /// Ignore the reports it sends.
        #[arg(long)]
        reject_reports: bool,
        /// For the public list of blocked servers.
        #[arg(long, default_value = "")]
        public_comment: String,
        /// For moderators only.
        #[arg(long, default_value = "")]
        private_comment: String,
        /// Star some letters of the domain in the public list.
        #[arg(long)]
        obfuscate: bool,
    },
    /// Lift a domain's block.
    Unblock {
        #[arg(id = "blocked_domain", value_name = "DOMAIN")]
        domain: String,
    },
    /// List the blocked domains, with their severity and options.
    List,
    /// Put a domain on the allow list (with `limited_federation`, the only servers talked to).
    Allow {
        #[arg(id = "allowed_domain", value_name = "DOMAIN")]
        domain: String,
    },
    /// Take a domain off the allow list.
    Disallow {
        #[arg(id = "allowed_domain", value_name = "DOMAIN")]
        domain: String,
    },
    /// List the allowed domains.
    Allows,
}

#[derive(Debug, Subcommand)]
pub enum EmojiCommand {
    /// Add an emoji from a PNG, GIF, WebP or JPEG image of at most 256 KiB.
    Add {
        /// Letters, digits and underscores, at least two (used as `:shortcode:`).
        shortcode: String,
        file: std::path::PathBuf,
        /// A heading for clients' emoji pickers.
        #[arg(long)]
        category: Option<String>,
        /// Usable in posts but not offered in pickers.
        #[arg(long)]
        unlisted: bool,
    },
    /// List the emojis (shortcode, category, URL).
    List,
    /// Remove an emoji and its image.
    Remove { shortcode: String },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Enqueue a probe job, to check that workers run; prints its id.
    Probe {
        /// How long the probe works.
        #[arg(long, default_value_t = 0)]
        sleep_ms: u64,
        /// Make every attempt fail (to watch retries and dead jobs).
        #[arg(long)]
        fail: bool,
        #[arg(long, default_value_t = 3)]
        max_attempts: i32,
    },
    /// Show one job as JSON.
    Show { id: i64 },
}
