//! Importing the CSV files Mastodon (and Woolly, see [`crate::export`]) export: follows, blocks,
//! mutes, blocked domains, bookmarks and lists, in Mastodon's formats, as Mastodon's
//! `Form::Import` reads them: a file may start with Mastodon's header line (`Account
//! address,…`) or not (then its columns are the kind's usual ones), at most 20,000 rows and
//! 20 MB, UTF-8.
//!
//! An import is checked and stored whole (a file that is not CSV, has the wrong columns or too
//! many rows is refused with nothing written), then carried out by jobs
//! ([`IMPORT_KIND`]), a batch of rows at a time, each row as the member's own action would be
//! (remote accounts and posts are looked up on their servers as it goes), so that a large file
//! never holds the server up. A row that cannot be used (an account that cannot be found, a
//! malformed address) is recorded with why, and the rest go on; the member sees the progress
//! and the failed rows. In `overwrite` mode, what the member had and the file does not name is
//! undone first (unfollowed, unblocked, removed), as in Mastodon.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use woolly_store::NewImport;

use crate::accounts::Account;
use crate::areas::Relations;
use crate::error::{CoreError, Result};
use crate::export::Export;
use crate::jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobFuture, JobHandler, new_job};
use crate::relations::{FollowOptions, MuteOptions};
use crate::state::Woolly;

/// The largest file taken (Mastodon's `FILE_SIZE_LIMIT`).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most rows a file may have (Mastodon's `ROWS_PROCESSING_LIMIT`).
pub const MAX_ROWS: usize = 20_000;
/// How many rows one job carries out before handing the worker back.
const BATCH: i64 = 25;

/// The job kind that carries out an import.
pub const IMPORT_KIND: &str = "account.import";

/// What an [`IMPORT_KIND`] job carries out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunImport {
    pub import_id: i64,
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Following,
    Blocking,
    Muting,
    DomainBlocking,
    Bookmarks,
    Lists,
    /// Posts, from an archive (see [`crate::post_import`]).
    Posts,
}

impl ImportKind {
    pub const ALL: [ImportKind; 7] = [
        ImportKind::Following,
        ImportKind::Blocking,
        ImportKind::Muting,
        ImportKind::DomainBlocking,
        ImportKind::Bookmarks,
        ImportKind::Lists,
        ImportKind::Posts,
    ];

    /// Mastodon's names for them.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Following => "following",
            ImportKind::Blocking => "blocking",
            ImportKind::Muting => "muting",
            ImportKind::DomainBlocking => "domain_blocking",
            ImportKind::Bookmarks => "bookmarks",
            ImportKind::Lists => "lists",
            ImportKind::Posts => "posts",
        }
    }

    pub fn parse(name: &str) -> Option<ImportKind> {
        ImportKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// The export that makes such files (posts come in an archive instead).
    fn export(self) -> Option<Export> {
        Some(match self {
            ImportKind::Following => Export::Following,
            ImportKind::Blocking => Export::Blocks,
            ImportKind::Muting => Export::Mutes,
            ImportKind::DomainBlocking => Export::DomainBlocks,
            ImportKind::Bookmarks => Export::Bookmarks,
            ImportKind::Lists => Export::Lists,
            ImportKind::Posts => return None,
        })
    }

    /// The columns Mastodon's header line names for this kind.
    fn expected_headers(self) -> &'static [&'static str] {
        match self {
            ImportKind::Following => &[
                "Account address",
                "Show boosts",
                "Notify on new posts",
                "Languages",
            ],
            ImportKind::Blocking => &["Account address"],
            ImportKind::Muting => &["Account address", "Hide notifications"],
            ImportKind::DomainBlocking => &["#domain"],
            ImportKind::Bookmarks => &["#uri"],
            ImportKind::Lists => &["List name", "Account address"],
            ImportKind::Posts => &[],
        }
    }

    /// The columns of a file without a header line (Mastodon's `default_csv_headers`).
    fn default_headers(self) -> &'static [&'static str] {
        match self {
            ImportKind::Following | ImportKind::Blocking | ImportKind::Muting => {
                &["Account address"]
            }
            ImportKind::DomainBlocking => &["#domain"],
            ImportKind::Bookmarks => &["#uri"],
            ImportKind::Lists => &["List name", "Account address"],
            ImportKind::Posts => &[],
        }
    }
}

/// What a header line may start with (Mastodon's `KNOWN_FIRST_HEADERS`).
const KNOWN_FIRST_HEADERS: [&str; 4] = ["Account address", "#domain", "#uri", "List name"];

/// One row of a file, as its columns say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acct: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_reblogs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_notifications: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_name: Option<String>,
}

impl ImportRow {
    /// What the row names, to compare with what the member has (overwrite mode).
    fn key(&self, kind: ImportKind) -> String {
        let acct = self.acct.as_deref().unwrap_or_default().to_lowercase();
        match kind {
            ImportKind::Following | ImportKind::Blocking | ImportKind::Muting => acct,
            ImportKind::DomainBlocking => self.domain.clone().unwrap_or_default(),
            ImportKind::Bookmarks | ImportKind::Posts => self.uri.clone().unwrap_or_default(),
            ImportKind::Lists => format!("{}\n{acct}", self.list_name.as_deref().unwrap_or("")),
        }
    }
}

/// Mastodon's reading of a boolean cell (`ActiveModel::Type::Boolean`): empty is unknown, and
/// everything but the false words is true.
fn boolean(cell: &str) -> Option<bool> {
    let cell = cell.trim().to_lowercase();
    if cell.is_empty() {
        return None;
    }
    Some(!matches!(
        cell.as_str(),
        "0" | "f" | "false" | "off" | "n" | "no"
    ))
}

fn refused(message: impl Into<String>) -> CoreError {
    CoreError::Validation(message.into())
}

/// Reads a file of `kind` into its rows, or says in one sentence why it cannot be imported.
pub fn parse_csv(kind: ImportKind, bytes: &[u8]) -> Result<Vec<ImportRow>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refused("The file is larger than 20 MB"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| refused("The file is not UTF-8 text: is it a CSV file?"))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let malformed = |error: csv::Error| refused(format!("The file is not valid CSV: {error}"));
    let mut records = reader.records();
    let first = loop {
        match records.next() {
            None => return Err(refused("The file is empty")),
            Some(record) => {
                let record = record.map_err(malformed)?;
                if record.iter().any(|cell| !cell.trim().is_empty()) {
                    break record;
                }
            }
        }
    };
    let first_cell = first.get(0).unwrap_or_default().trim();
    let (headers, first_row): (Vec<String>, Option<csv::StringRecord>) =
        if KNOWN_FIRST_HEADERS.contains(&first_cell) {
            (
                first.iter().map(|cell| cell.trim().to_owned()).collect(),
                None,
            )
        } else {
            let defaults = kind.default_headers().iter().map(|h| (*h).to_owned());
            (defaults.collect(), Some(first))
        };
    if !kind
        .default_headers()
        .iter()
        .all(|header| headers.iter().any(|found| found == header))
    {
        return Err(refused(format!(
            "This file does not hold {}: its columns are {}",
            describe(kind),
            headers.join(", ")
        )));
    }
    let expected = kind.expected_headers();
    let mut rows = Vec::new();
    for record in first_row.into_iter().map(Ok).chain(records) {
        let record = record.map_err(malformed)?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(refused(format!(
                "The file has more than {MAX_ROWS} rows: split it into smaller files"
            )));
        }
        let mut row = ImportRow::default();
        for (header, cell) in headers.iter().zip(record.iter()) {
            if !expected.contains(&header.as_str()) {
                continue;
            }
            let trimmed = cell.trim();
            match header.as_str() {
                "Account address" => {
                    row.acct = Some(trimmed.trim_start_matches('@').to_owned());
                }
                "Show boosts" => row.show_reblogs = boolean(cell),
                "Notify on new posts" => row.notify = boolean(cell),
                "Hide notifications" => row.hide_notifications = boolean(cell),
                "Languages" => {
                    let languages: Vec<String> = trimmed
                        .split(',')
                        .map(|language| language.trim().to_owned())
                        .filter(|language| !language.is_empty())
                        .collect();
                    row.languages = (!languages.is_empty()).then_some(languages);
                }
                "#domain" => row.domain = Some(trimmed.to_lowercase()),
                "#uri" => row.uri = Some(trimmed.to_owned()),
                "List name" => row.list_name = Some(trimmed.to_owned()),
                _ => {}
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

fn describe(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Following => "accounts followed",
        ImportKind::Blocking => "accounts blocked",
        ImportKind::Muting => "accounts muted",
        ImportKind::DomainBlocking => "servers blocked",
        ImportKind::Bookmarks => "bookmarks",
        ImportKind::Lists => "lists",
        ImportKind::Posts => "posts",
    }
}

/// An import, as its owner follows it.
#[derive(Debug, Clone)]
pub struct Import {
    pub id: i64,
    pub kind: ImportKind,
    pub overwrite: bool,
    /// `scheduled`, `in_progress` or `finished`.
    pub state: String,
    pub file_name: String,
    pub total: i64,
    pub processed: i64,
    pub imported: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// The rows that could not be used, with why: (row number from 1, what it named, why).
    pub failures: Vec<(i64, String, String)>,
}

/// How many failed rows an import shows.
const FAILURES_SHOWN: i64 = 100;

impl Relations<'_> {
    /// Checks and stores an import of `bytes` for `actor` and has it carried out by jobs.
    pub async fn import(
        &self,
        actor: &Account,
        kind: ImportKind,
        overwrite: bool,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Import> {
        fn as_json(row: &impl Serialize) -> String {
            serde_json::to_string(row).unwrap_or_else(|_| "{}".to_owned())
        }
        let data: Vec<String> = if kind == ImportKind::Posts {
            if overwrite {
                return Err(refused("Posts are only added: choose merge"));
            }
            let posts = self.read_archive(actor, bytes).await?;
            posts.iter().map(as_json).collect()
        } else {
            parse_csv(kind, bytes)?.iter().map(as_json).collect()
        };
        let now = crate::now_millis();
        let mut tx = self.db().begin().await?;
        let id = tx.next_id();
        let file_name: String = file_name.chars().take(255).collect();
        tx.insert_import(&NewImport {
            id,
            account_id: actor.id,
            kind: kind.as_str(),
            overwrite,
            file_name: &file_name,
            created_at: now,
        })
        .await?;
        tx.insert_import_rows(id, &data).await?;
        let job = new_job(
            IMPORT_KIND,
            &RunImport { import_id: id },
            now,
            DEFAULT_MAX_ATTEMPTS,
        )?;
        tx.enqueue_job(&job).await?;
        tx.commit().await?;
        self.wake_workers();
        tracing::info!(
            account = actor.id,
            import = id,
            kind = kind.as_str(),
            rows = data.len(),
            "import queued"
        );
        self.import_of(actor, id).await
    }

    /// The actor's imports, newest first.
    pub async fn imports(&self, actor: &Account) -> Result<Vec<Import>> {
        let mut imports = Vec::new();
        for row in self.db().imports_of(actor.id, 20).await? {
            imports.push(self.import_from_row(row).await?);
        }
        Ok(imports)
    }

    /// One of the actor's imports.
    pub async fn import_of(&self, actor: &Account, id: i64) -> Result<Import> {
        let row = self
            .db()
            .import(id)
            .await?
            .filter(|row| row.account_id == actor.id)
            .ok_or(CoreError::NotFound)?;
        self.import_from_row(row).await
    }

    async fn import_from_row(&self, row: woolly_store::ImportRecord) -> Result<Import> {
        let kind = ImportKind::parse(&row.kind)
            .ok_or_else(|| CoreError::Internal(format!("an import of kind {}", row.kind)))?;
        let failures = self
            .db()
            .import_failures(row.id, FAILURES_SHOWN)
            .await?
            .into_iter()
            .map(|failed| {
                let named = serde_json::from_str::<ImportRow>(&failed.data)
                    .map(|data| describe_row(kind, &data))
                    .unwrap_or_default();
                (
                    failed.position + 1,
                    named,
                    failed.failure.unwrap_or_default(),
                )
            })
            .collect();
        Ok(Import {
            id: row.id,
            kind,
            overwrite: row.overwrite,
            state: row.state,
            file_name: row.file_name,
            total: row.total_items,
            processed: row.processed_items,
            imported: row.imported_items,
            created_at: row.created_at,
            finished_at: row.finished_at,
            failures,
        })
    }
}

/// How a failed row is named to its owner.
fn describe_row(kind: ImportKind, row: &ImportRow) -> String {
    match kind {
        ImportKind::Lists => format!(
            "{}: {}",
            row.list_name.as_deref().unwrap_or_default(),
            row.acct.as_deref().unwrap_or_default()
        ),
        _ => row.key(kind),
    }
}

impl Woolly {
    /// Carries out the next batch of an import; true when rows remain.
    /// On its `last_tries`, a row that keeps failing on this server's side is recorded as
    /// failed rather than holding the import up for good.
    async fn run_import(&self, import_id: i64, last_tries: bool) -> Result<bool> {
        let Some(record) = self.db().import(import_id).await? else {
            return Ok(false);
        };
        if record.state == "finished" {
            return Ok(false);
        }
        let Some(actor) = self.accounts().account(record.account_id).await? else {
            return Ok(false);
        };
        let kind = ImportKind::parse(&record.kind)
            .ok_or_else(|| CoreError::Internal(format!("an import of kind {}", record.kind)))?;
        if record.state == "scheduled" {
            if record.overwrite {
                self.undo_what_the_file_leaves_out(&actor, kind, import_id)
                    .await?;
            }
            self.db()
                .set_import_state(import_id, "in_progress", None)
                .await?;
        }
        let batch = self.db().pending_import_rows(import_id, BATCH).await?;
        for row in &batch {
            let done = if kind == ImportKind::Posts {
                match serde_json::from_str::<crate::post_import::ArchivedPost>(&row.data) {
                    Ok(post) => Some(self.import_post(&actor, &post).await),
                    Err(_) => None,
                }
            } else {
                match serde_json::from_str::<ImportRow>(&row.data) {
                    Ok(data) => Some(self.import_row(&actor, kind, &data).await),
                    Err(_) => None,
                }
            };
            let failure = match done {
                Some(outcome) => match outcome {
                    Ok(()) => None,
                    Err(error @ (CoreError::Store(_) | CoreError::Internal(_))) if !last_tries => {
                        return Err(error);
                    }
                    Err(error) => Some(row_failure(&error)),
                },
                None => Some("The row could not be read".to_owned()),
            };
            self.db()
                .finish_import_row(import_id, row.position, failure.as_deref())
                .await?;
        }
        if (batch.len() as i64) < BATCH {
            let now = crate::now_millis();
            self.db()
                .set_import_state(import_id, "finished", Some(now))
                .await?;
            tracing::info!(import = import_id, "import finished");
            return Ok(false);
        }
        Ok(true)
    }

    /// Carries out one row as the member's own action.
    async fn import_row(&self, actor: &Account, kind: ImportKind, row: &ImportRow) -> Result<()> {
        let relations = self.relations();
        match kind {
            // Carried out by `import_post`, from their own rows.
            ImportKind::Posts => Err(refused("Not a post")),
            ImportKind::DomainBlocking => {
                let domain = row.domain.as_deref().unwrap_or_default();
                let domain = crate::config::Domain::normalize(domain)
                    .ok_or_else(|| refused("Not a domain name"))?;
                relations.block_domain(actor, &domain).await
            }
            ImportKind::Bookmarks => {
                let uri = row.uri.as_deref().unwrap_or_default();
                let status_id = self.status_by_uri(uri).await?;
                let relation = woolly_store::StatusRelation::Bookmark;
                self.statuses()
                    .add_status_relation(actor, relation, status_id)
                    .await
                    .map(|_| ())
            }
            ImportKind::Following
            | ImportKind::Blocking
            | ImportKind::Muting
            | ImportKind::Lists => {
                let acct = row.acct.as_deref().unwrap_or_default();
                let target = self.accounts().account_by_handle(acct, false).await?;
                match kind {
                    ImportKind::Following => {
                        let options = FollowOptions {
                            show_reblogs: row.show_reblogs,
                            notify: row.notify,
                            languages: row.languages.clone(),
                        };
                        relations
                            .follow(actor, target.id, options)
                            .await
                            .map(|_| ())
                    }
                    ImportKind::Blocking => relations.block(actor, target.id).await.map(|_| ()),
                    ImportKind::Muting => {
                        let options = MuteOptions {
                            notifications: row.hide_notifications.unwrap_or(true),
                            duration: None,
                        };
                        relations.mute(actor, target.id, options).await.map(|_| ())
                    }
                    _ => self.import_list_member(actor, row, &target).await,
                }
            }
        }
    }

    /// A list row: the list (made if missing), the account followed if it is not (as Mastodon
    /// does), then listed.
    async fn import_list_member(
        &self,
        actor: &Account,
        row: &ImportRow,
        target: &Account,
    ) -> Result<()> {
        let title = row.list_name.as_deref().unwrap_or_default();
        let lists = self.lists();
        let existing = lists
            .all(actor.id)
            .await?
            .into_iter()
            .find(|list| list.title == title);
        let list = match existing {
            Some(list) => list,
            None => {
                let edit = crate::lists::ListEdit {
                    title: Some(title.to_owned()),
                    ..Default::default()
                };
                lists.create(actor, edit).await?
            }
        };
        if target.id != actor.id {
            let relation = self.relations().relationship(actor.id, target.id).await?;
            if !relation.following {
                self.relations()
                    .follow(actor, target.id, FollowOptions::default())
                    .await?;
            }
            if !self
                .relations()
                .relationship(actor.id, target.id)
                .await?
                .following
            {
                // A remote account's follow waits for its server: listed once accepted.
                return Err(refused(
                    "Asked to follow the account; it joins the list once the follow is accepted",
                ));
            }
        }
        lists.add_members(actor, list.id, &[target.id]).await
    }

    /// The status whose ActivityPub id is `uri`, looked up on its server when unknown.
    async fn status_by_uri(&self, uri: &str) -> Result<i64> {
        if let Some(id) = self.db().status_id_for_uri(uri).await? {
            return Ok(id);
        }
        let not_found = || refused("The post could not be found");
        let resolver = self.remote_resolver().ok_or_else(not_found)?;
        match resolver.resolve(self, uri).await {
            Ok(Some(crate::remote::Resolved::Status(id))) => Ok(id),
            _ => Err(not_found()),
        }
    }

    /// Overwrite mode: what the member has that the file does not name is undone, read from
    /// the member's own export of the same kind.
    async fn undo_what_the_file_leaves_out(
        &self,
        actor: &Account,
        kind: ImportKind,
        import_id: i64,
    ) -> Result<()> {
        let wanted: HashSet<String> = self
            .db()
            .import_rows_data(import_id)
            .await?
            .iter()
            .filter_map(|data| serde_json::from_str::<ImportRow>(data).ok())
            .map(|row| row.key(kind))
            .collect();
        let relations = self.relations();
        let Some(export) = kind.export() else {
            return Ok(());
        };
        let current = relations.export(actor, export).await?;
        let had = parse_csv(kind, current.as_bytes()).unwrap_or_default();
        for row in had.iter().filter(|row| !wanted.contains(&row.key(kind))) {
            let outcome = match kind {
                ImportKind::DomainBlocking => match row
                    .domain
                    .as_deref()
                    .and_then(crate::config::Domain::normalize)
                {
                    Some(domain) => relations.unblock_domain(actor, &domain).await,
                    None => Ok(()),
                },
                ImportKind::Bookmarks => match row.uri.as_deref() {
                    Some(uri) => match self.db().status_id_for_uri(uri).await? {
                        Some(id) => self
                            .statuses()
                            .remove_status_relation(
                                actor,
                                woolly_store::StatusRelation::Bookmark,
                                id,
                            )
                            .await
                            .map(|_| ()),
                        None => Ok(()),
                    },
                    None => Ok(()),
                },
                _ => {
                    let acct = row.acct.as_deref().unwrap_or_default();
                    let Ok(target) = self.accounts().account_by_handle(acct, false).await else {
                        continue;
                    };
                    match kind {
                        ImportKind::Following => {
                            relations.unfollow(actor, target.id).await.map(|_| ())
                        }
                        ImportKind::Blocking => {
                            relations.unblock(actor, target.id).await.map(|_| ())
                        }
                        ImportKind::Muting => relations.unmute(actor, target.id).await.map(|_| ()),
                        _ => {
                            let title = row.list_name.as_deref().unwrap_or_default();
                            match self
                                .lists()
                                .all(actor.id)
                                .await?
                                .into_iter()
                                .find(|list| list.title == title)
                            {
                                Some(list) => {
                                    self.lists()
                                        .remove_members(actor, list.id, &[target.id])
                                        .await
                                }
                                None => Ok(()),
                            }
                        }
                    }
                }
            };
            match outcome {
                Ok(()) | Err(CoreError::NotFound) => {}
                Err(error @ (CoreError::Store(_) | CoreError::Internal(_))) => return Err(error),
                Err(error) => tracing::info!(%error, "an entry the file leaves out stays"),
            }
        }
        Ok(())
    }
}

/// Why a row failed, in words for its owner.
fn row_failure(error: &CoreError) -> String {
    match error {
        CoreError::NotFound => "The account or post could not be found".to_owned(),
        CoreError::Forbidden(_) => "Not allowed (blocked?)".to_owned(),
        CoreError::Validation(message) => message.clone(),
        CoreError::Fields(errors) => format!("{errors:?}"),
        other => other.to_string(),
    }
}

/// Runs `account.import` jobs: a batch per run, then another job for the rest.
pub struct ImportJob;

impl JobHandler for ImportJob {
    fn kind(&self) -> &'static str {
        IMPORT_KIND
    }

    fn run<'a>(&'a self, woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let RunImport { import_id } = job.payload()?;
            if woolly.run_import(import_id, job.attempt >= 3).await? {
                let next = new_job(
                    IMPORT_KIND,
                    &RunImport { import_id },
                    crate::now_millis(),
                    DEFAULT_MAX_ATTEMPTS,
                )?;
                woolly.jobs().enqueue_job(&next).await?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodons_files_are_read_with_or_without_their_header() {
        let following = b"Account address,Show boosts,Notify on new posts,Languages\n\
            alice@example.org,true,false,\"en, fr\"\n@bob@example.com,false,true,\n";
        let rows = parse_csv(ImportKind::Following, following).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].acct.as_deref(), Some("alice@example.org"));
        assert_eq!(rows[0].show_reblogs, Some(true));
        assert_eq!(rows[0].notify, Some(false));
        assert_eq!(
            rows[0].languages,
            Some(vec!["en".to_owned(), "fr".to_owned()])
        );
        assert_eq!(rows[1].acct.as_deref(), Some("bob@example.com"));
        assert_eq!(rows[1].languages, None);
        // Mastodon's blocked accounts and domains have no header line.
        let blocks = parse_csv(
            ImportKind::Blocking,
            b"troll@example.org\n\nspam@example.net\n",
        )
        .unwrap();
        assert_eq!(blocks.len(), 2);
        let domains = parse_csv(ImportKind::DomainBlocking, b"Spam.Example\n").unwrap();
        assert_eq!(domains[0].domain.as_deref(), Some("spam.example"));
        let lists = parse_csv(
            ImportKind::Lists,
            b"Friends,alice@example.org\n\"Work, mostly\",bob@example.com\n",
        )
        .unwrap();
        assert_eq!(lists[1].list_name.as_deref(), Some("Work, mostly"));
        let mutes = parse_csv(
            ImportKind::Muting,
            b"Account address,Hide notifications\nx@y.z,false\n",
        )
        .unwrap();
        assert_eq!(mutes[0].hide_notifications, Some(false));
    }

    #[test]
    fn a_file_of_another_kind_or_too_large_or_not_text_is_refused() {
        let mutes = b"Account address,Hide notifications\nx@y.z,false\n";
        assert!(parse_csv(ImportKind::DomainBlocking, b"#uri\nhttps://x/1\n").is_err());
        assert!(
            parse_csv(ImportKind::Following, mutes).is_ok(),
            "Mastodon takes it too"
        );
        assert!(parse_csv(ImportKind::Lists, b"Account address\nx@y.z\n").is_err());
        assert!(parse_csv(ImportKind::Blocking, b"").is_err());
        assert!(parse_csv(ImportKind::Blocking, &[0xff, 0xfe, 0x00]).is_err());
        let many = "a@b.c\n".repeat(MAX_ROWS + 1);
        let refusal = parse_csv(ImportKind::Blocking, many.as_bytes()).unwrap_err();
        assert!(refusal.to_string().contains("20000"), "{refusal}");
        let exactly = "a@b.c\n".repeat(MAX_ROWS);
        assert_eq!(
            parse_csv(ImportKind::Blocking, exactly.as_bytes())
                .unwrap()
                .len(),
            MAX_ROWS
        );
    }
}
