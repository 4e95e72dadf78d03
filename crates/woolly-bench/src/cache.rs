//! The seeded-data cache. Seeding 100,000 statuses takes minutes, so the first run keeps what
//! it made: the data directory (the SQLite database and media files), on PostgreSQL a template
//! database on the same server, and the manifest. Later runs with the same sizes and engine copy
//! it back instead of seeding; `--reseed` makes a fresh one.
//!
//! A cache entry is complete only once its `manifest.json` is written, which happens last.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, Manifest};
use crate::engine::{self, Engine, Instance};

/// Bumped when what seeding makes changes, so older caches are not mistaken for current ones.
const FORMAT: u32 = 1;

/// The cache entry of one data set on one engine.
pub struct SeedCache {
    dir: PathBuf,
    /// On PostgreSQL: the database kept as a template.
    template_database: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    /// The PostgreSQL server the template database lives on.
    postgres_server: Option<String>,
    manifest: Manifest,
}

impl SeedCache {
    pub fn new(cache_root: &Path, dataset: &Dataset, engine: &Engine) -> SeedCache {
        let key = format!("{}-{}", dataset.cache_key(), engine.name());
        SeedCache {
            dir: cache_root.join(&key),
            template_database: format!("woolly_bench_cache_{}", key.replace('-', "_")),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest.json")
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The cached manifest, when a complete entry exists for this engine (and, on PostgreSQL,
    /// its template database still exists on the same server).
    pub fn load(&self, engine: &Engine) -> anyhow::Result<Option<Manifest>> {
        let Ok(text) = std::fs::read_to_string(self.manifest_path()) else {
            return Ok(None);
        };
        let Ok(entry) = serde_json::from_str::<Entry>(&text) else {
            return Ok(None);
        };
        if entry.format != FORMAT || !self.data_dir().is_dir() {
            return Ok(None);
        }
        if let Engine::Postgres { server_url } = engine {
            let same_server = entry.postgres_server.as_deref() == Some(server_url.as_str());
            if !same_server || !engine::database_exists(server_url, &self.template_database)? {
                return Ok(None);
            }
        }
        Ok(Some(entry.manifest))
    }

    /// Copies the cached data into `instance` (whose PostgreSQL database, `database`, must not
    /// exist yet).
    pub fn restore(
        &self,
        engine: &Engine,
        instance: &Instance,
        database: Option<&str>,
    ) -> anyhow::Result<()> {
        copy_dir(&self.data_dir(), &instance.data_dir)?;
        if let (Engine::Postgres { server_url }, Some(database)) = (engine, database) {
            engine::create_database(server_url, database, Some(&self.template_database))?;
        }
        Ok(())
    }

    /// Keeps a stopped instance's data as this entry, replacing any older one.
    pub fn save(
        &self,
        engine: &Engine,
        instance: &Instance,
        database: Option<&str>,
        manifest: &Manifest,
    ) -> anyhow::Result<()> {
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir)
                .with_context(|| format!("cannot remove {}", self.dir.display()))?;
        }
        copy_dir(&instance.data_dir, &self.data_dir())?;
        let mut postgres_server = None;
        if let (Engine::Postgres { server_url }, Some(database)) = (engine, database) {
            engine::drop_database(server_url, &self.template_database)?;
            engine::create_database(server_url, &self.template_database, Some(database))?;
            postgres_server = Some(server_url.clone());
        }
        let entry = Entry {
            format: FORMAT,
            postgres_server,
            manifest: manifest.clone(),
        };
        std::fs::write(self.manifest_path(), serde_json::to_vec_pretty(&entry)?)
            .with_context(|| format!("cannot write {}", self.manifest_path().display()))?;
        Ok(())
    }
}

/// Copies a directory tree (data directories hold only files and directories).
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &destination)?;
        } else {
            std::fs::copy(entry.path(), &destination).with_context(|| {
                format!(
                    "cannot copy {} to {}",
                    entry.path().display(),
                    destination.display()
                )
            })?;
        }
    }
    Ok(())
}
