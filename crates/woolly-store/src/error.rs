//! The storage error type. Callers match on [`StoreError::Conflict`] and
//! [`StoreError::NotFound`]; everything else is an internal fault to be logged, not shown.

/// What can go wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open database {url}: {source}")]
    Open {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    /// The database URL names an engine Woolly does not speak.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// Applying the embedded migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A unique constraint refused the write; the string names the constraint or index.
    #[error("already exists ({0})")]
    Conflict(String),
    /// The row the caller asked to change does not exist.
    #[error("not found")]
    NotFound,
    /// A stored value could not be understood (a row written by a newer or broken version).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// No id-generator node could be claimed: 256 processes hold one at the same time.
    #[error("no free id-generator node: too many Woolly processes on one database")]
    NoIdNode,
    /// The SQLite read path failed.
    #[error("database error: {0}")]
    SqliteRead(#[from] rusqlite::Error),
    /// The SQLite read path is shutting down.
    #[error("the database read pool is closed")]
    ReadPoolClosed,
    /// A copy of the instance (`woolly admin export` or `import`) could not be read or restored.
    #[error("{0}")]
    Copy(String),
    /// Writing a copy of the instance failed.
    #[error("cannot write the copy: {0}")]
    CopyOut(std::io::Error),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db_error) = &error
            && db_error.is_unique_violation()
        {
            let name = db_error
                .constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| db_error.message().to_owned());
            return StoreError::Conflict(name);
        }
        StoreError::Database(error)
    }
}

pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;
