//! Choosing the backend: the one place that names [`SqliteStore`]. Everything
//! else holds a `dyn DeskStore`.

use std::path::Path;

use crate::{DeskStore, SqliteStore, StoreError};

/// Opens (creating if needed) the store in data folder `dir`.
pub fn open(dir: &Path) -> Result<Box<dyn DeskStore>, StoreError> {
    Ok(Box::new(SqliteStore::open(dir)?))
}

/// Opens the existing store in data folder `dir` for reading only: nothing
/// is created or migrated, and every write through it fails.
pub fn open_read_only(dir: &Path) -> Result<Box<dyn DeskStore>, StoreError> {
    Ok(Box::new(SqliteStore::open_read_only(dir)?))
}
