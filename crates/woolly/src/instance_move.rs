//! `woolly admin export FILE` and `woolly admin import FILE`: the whole instance in one file, to
//! move it to another machine or between SQLite and PostgreSQL.
//!
//! The file is a ZIP: `manifest.json` (what the file is, the schema and the domain it was taken
//! from, each table with its columns and number of rows), `tables/NAME.jsonl` (one JSON array of
//! values per row), `secret.key` (the key sealing two-factor secrets), and `media/…` and
//! `archives/…` (the files under those directories). The actors' keys and every setting are
//! rows, so an instance restored under its domain is, to other servers, the same instance.
//!
//! Export reads one snapshot while the server runs (see [`woolly_store::Snapshot`]). Import
//! wants a database without accounts or posts: it is opened at the copy's schema, the rows go in
//! within one transaction, the files are unpacked before it commits (and removed if it does not),
//! and later migrations run after. Both run in the one-shot CLI process, whose runtime has
//! nothing else to do, so files are read and written without leaving it.

use std::fs::File;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use woolly_store::{CopiedTable, Db};
use zip::write::SimpleFileOptions;

use crate::app;
use crate::settings::Settings;

/// What `manifest.json` says the file is.
const FORMAT: &str = "woolly-instance";
const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const SECRET_KEY: &str = "secret.key";
/// Rows inserted at a time while importing.
const ROWS_PER_BATCH: usize = 1_000;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    format_version: u32,
    /// The Woolly that wrote it, for the operator; the schema is what import checks.
    woolly_version: String,
    /// The version of the last migration of the database it was taken from.
    schema_version: i64,
    domain: String,
    /// `sqlite` or `postgres`, for the operator.
    engine: String,
    exported_at_ms: i64,
    tables: Vec<ManifestTable>,
    files: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestTable {
    #[serde(flatten)]
    table: CopiedTable,
    rows: u64,
}

/// The directories whose files travel with the instance, by their folder in the copy.
fn file_folders(settings: &Settings) -> [(&'static str, PathBuf); 2] {
    [
        ("media", settings.media_dir()),
        ("archives", settings.archives_dir()),
    ]
}

/// `woolly admin export FILE`.
pub async fn export(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let db = app::open_store(settings, "export").await?;
    let outcome = export_from(&db, settings, file).await;
    db.close().await;
    let manifest = outcome?;
    let rows: u64 = manifest.tables.iter().map(|table| table.rows).sum();
    println!(
        "Exported {} to {}: {rows} rows in {} tables, {} files (schema {}).",
        manifest.domain,
        file.display(),
        manifest.tables.len(),
        manifest.files,
        manifest.schema_version
    );
    Ok(())
}

async fn export_from(db: &Db, settings: &Settings, file: &Path) -> anyhow::Result<Manifest> {
    // Written aside and renamed when whole: a failed export leaves no file that looks complete.
    let partial = file.with_file_name(format!(
        ".{}.partial",
        file.file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("export")
    ));
    let written = write_export(db, settings, &partial).await;
    let manifest = match written {
        Ok(manifest) => manifest,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, file).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(manifest)
}

async fn write_export(db: &Db, settings: &Settings, path: &Path) -> anyhow::Result<Manifest> {
    let out = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut zip = zip::ZipWriter::new(out);
    let compressed = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    // Media are compressed already.
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);

    let tables = db.copied_tables().await?;
    let schema_version = db.schema_version().await?;
    let mut snapshot = db.snapshot().await?;
    let mut listed = Vec::with_capacity(tables.len());
    for table in tables {
        zip.start_file(format!("tables/{}.jsonl", table.name), compressed)?;
        let rows = snapshot
            .read_rows(&table, |values| {
                serde_json::to_writer(&mut zip, &values)?;
                zip.write_all(b"\n")
            })
            .await?;
        listed.push(ManifestTable { table, rows });
    }
    drop(snapshot);

    let key_path = settings.data_dir.join(SECRET_KEY);
    match std::fs::read(&key_path) {
        Ok(key) => {
            zip.start_file(SECRET_KEY, compressed)?;
            zip.write_all(&key)?;
        }
        // An instance that never started has sealed nothing.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).context(format!("cannot read {}", key_path.display())),
    }

    let mut files = 0;
    for (folder, dir) in file_folders(settings) {
        for (relative, path) in files_under(&dir)? {
            let mut source = match File::open(&path) {
                Ok(source) => source,
                // Removed since it was listed: its row went before the snapshot or after it,
                // and a file removed after it belonged to a row removed after it too.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error).context(format!("cannot read {}", path.display())),
            };
            zip.start_file(format!("{folder}/{relative}"), stored)?;
            std::io::copy(&mut source, &mut zip)
                .with_context(|| format!("cannot copy {}", path.display()))?;
            files += 1;
        }
    }

    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        woolly_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version,
        domain: settings.domain.clone(),
        engine: match db.engine() {
            woolly_store::Engine::Sqlite => "sqlite".to_owned(),
            woolly_store::Engine::Postgres => "postgres".to_owned(),
        },
        exported_at_ms: woolly_core::now_millis(),
        tables: listed,
        files,
    };
    zip.start_file(MANIFEST, compressed)?;
    serde_json::to_writer_pretty(&mut zip, &manifest)?;
    let out = zip.finish()?;
    out.sync_all()?;
    Ok(manifest)
}

/// Every file under `dir` (none when it does not exist), as (path relative to `dir` with `/`
/// between its parts, full path), sorted.
fn files_under(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error).context(format!("cannot list {}", current.display())),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let relative = path
                    .strip_prefix(dir)?
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((relative, path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `woolly admin import FILE`.
pub async fn import(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let source = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut zip = zip::ZipArchive::new(source)
        .with_context(|| format!("{} is not a Woolly export (not a ZIP file)", file.display()))?;
    let manifest = read_manifest(&mut zip, file)?;
    let latest = Db::latest_schema_version();
    if manifest.schema_version > latest {
        bail!(
            "{} was exported by a newer Woolly ({}, schema {}); this one knows schema {latest}: \
             upgrade Woolly, then import",
            file.display(),
            manifest.woolly_version,
            manifest.schema_version
        );
    }
    if manifest.domain != settings.domain {
        bail!(
            "{} is the instance {}, and this one is set up as {}: set `domain` to {} (other \
             servers know the instance by that name)",
            file.display(),
            manifest.domain,
            settings.domain,
            manifest.domain
        );
    }

    let db = app::open_store_up_to(settings, "import", Some(manifest.schema_version)).await?;
    let outcome = restore(&db, settings, &mut zip, &manifest).await;
    db.close().await;
    let files = outcome?;
    if manifest.schema_version < latest {
        // The migrations since the copy was taken, now that its rows are in.
        app::open_store(settings, "import").await?.close().await;
    }
    let rows: u64 = manifest.tables.iter().map(|table| table.rows).sum();
    println!(
        "Imported {} from {}: {rows} rows in {} tables, {files} files. Start Woolly with \
         domain {}.",
        manifest.domain,
        file.display(),
        manifest.tables.len(),
        manifest.domain
    );
    Ok(())
}

fn read_manifest(zip: &mut zip::ZipArchive<File>, file: &Path) -> anyhow::Result<Manifest> {
    let not_an_export = || format!("{} is not a Woolly export", file.display());
    let mut text = String::new();
    zip.by_name(MANIFEST)
        .with_context(|| format!("{}: it has no {MANIFEST}", not_an_export()))?
        .take(64 * 1024 * 1024)
        .read_to_string(&mut text)
        .with_context(not_an_export)?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{}: its {MANIFEST} cannot be read", not_an_export()))?;
    if manifest.format != FORMAT {
        bail!("{}: its format is {:?}", not_an_export(), manifest.format);
    }
    if manifest.format_version > FORMAT_VERSION {
        bail!(
            "{} is in a newer export format ({}) than this Woolly reads ({FORMAT_VERSION}): \
             upgrade Woolly, then import",
            file.display(),
            manifest.format_version
        );
    }
    Ok(manifest)
}

/// Restores the rows and unpacks the files; returns how many files.
async fn restore(
    db: &Db,
    settings: &Settings,
    zip: &mut zip::ZipArchive<File>,
    manifest: &Manifest,
) -> anyhow::Result<u64> {
    let schema = db.schema_version().await?;
    if schema != manifest.schema_version {
        bail!(
            "the database is at schema {schema}, past the export's {}: import into a new, \
             empty database",
            manifest.schema_version
        );
    }
    let mut restore = db.begin_restore().await?;
    for table in restore.tables() {
        if !manifest
            .tables
            .iter()
            .any(|listed| listed.table.name == table.name)
        {
            bail!(
                "the export has no table {}, which its schema has",
                table.name
            );
        }
    }
    for listed in &manifest.tables {
        let name = format!("tables/{}.jsonl", listed.table.name);
        let entry = zip
            .by_name(&name)
            .with_context(|| format!("the export has no {name}"))?;
        let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
        let mut rows = 0;
        for (number, line) in BufReader::new(entry).lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {name}"))?;
            let values: Vec<Value> = serde_json::from_str(&line)
                .with_context(|| format!("{name}, line {}: not a JSON array", number + 1))?;
            batch.push(values);
            rows += 1;
            if batch.len() == ROWS_PER_BATCH {
                restore.insert_rows(&listed.table, &batch).await?;
                batch.clear();
            }
        }
        restore.insert_rows(&listed.table, &batch).await?;
        if rows != listed.rows {
            bail!(
                "{name} has {rows} rows where the manifest says {}: the export is incomplete",
                listed.rows
            );
        }
    }

    let mut unpacked = Unpacked::default();
    let outcome = async {
        unpack_files(settings, zip, &mut unpacked)?;
        restore.finish().await?;
        unpacked.commit_key(settings)
    }
    .await;
    if outcome.is_err() {
        unpacked.undo();
    }
    outcome?;
    Ok(unpacked.files.len() as u64)
}

/// What an import wrote outside the database, undone if the database refuses the rows.
#[derive(Default)]
struct Unpacked {
    files: Vec<PathBuf>,
    /// The copy's secret key, written beside the data directory's until the rows are in.
    key_aside: Option<PathBuf>,
}

impl Unpacked {
    fn undo(&mut self) {
        for path in self.files.drain(..).chain(self.key_aside.take()) {
            let _ = std::fs::remove_file(path);
        }
    }

    fn commit_key(&mut self, settings: &Settings) -> anyhow::Result<()> {
        if let Some(aside) = self.key_aside.take() {
            let path = settings.data_dir.join(SECRET_KEY);
            std::fs::rename(&aside, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

fn unpack_files(
    settings: &Settings,
    zip: &mut zip::ZipArchive<File>,
    unpacked: &mut Unpacked,
) -> anyhow::Result<()> {
    let folders = file_folders(settings);
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        if name == MANIFEST || (name.starts_with("tables/") && name.ends_with(".jsonl")) {
            continue;
        }
        if name == SECRET_KEY {
            let aside = settings
                .data_dir
                .join(format!("{SECRET_KEY}.import-{}", std::process::id()));
            let mut key = Vec::new();
            entry.read_to_end(&mut key)?;
            app::write_private(&aside, &key)
                .with_context(|| format!("cannot write {}", aside.display()))?;
            unpacked.key_aside = Some(aside);
            continue;
        }
        let Some(relative) = entry.enclosed_name() else {
            bail!("the export holds {name:?}, a path outside its folders");
        };
        let destination = folders.iter().find_map(|(folder, dir)| {
            relative
                .strip_prefix(folder)
                .ok()
                .filter(|rest| !rest.as_os_str().is_empty())
                .map(|rest| dir.join(rest))
        });
        let Some(destination) = destination else {
            bail!("the export holds {name:?}, which is not part of an instance");
        };
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut out = File::create(&destination)
            .with_context(|| format!("cannot write {}", destination.display()))?;
        unpacked.files.push(destination.clone());
        std::io::copy(&mut entry, &mut out)
            .with_context(|| format!("cannot write {}", destination.display()))?;
    }
    Ok(())
}
