//! A small pool of read connections. SQLite in WAL mode lets readers run
//! beside the one writer; each connection serves one request at a time on a
//! blocking thread, so a slow query never stalls the async workers.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Mutex;

use newsdesk_store::{SqliteStore, StoreError};
use tokio::sync::Semaphore;

use crate::error::ApiError;

pub struct Pool {
    stores: Mutex<Vec<SqliteStore>>,
    available: Semaphore,
}

impl Pool {
    /// Opens `size` connections to the store in `data_dir`.
    pub fn open(data_dir: &Path, size: usize) -> Result<Pool, StoreError> {
        let size = size.max(1);
        let mut stores = Vec::with_capacity(size);
        for _ in 0..size {
            stores.push(SqliteStore::open(data_dir)?);
        }
        Ok(Pool {
            stores: Mutex::new(stores),
            available: Semaphore::new(size),
        })
    }

    /// Runs `f` with a connection on a blocking thread. A panic inside `f`
    /// becomes an internal error (logged); the connection goes back.
    pub async fn with<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        F: FnOnce(&SqliteStore) -> R + Send + 'static,
        R: Send + 'static,
    {
        let _permit = self
            .available
            .acquire()
            .await
            .map_err(|_| ApiError::internal())?;
        let store = self
            .stores
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .ok_or_else(ApiError::internal)?;
        let joined = tokio::task::spawn_blocking(move || {
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| f(&store)));
            (store, r)
        })
        .await;
        match joined {
            Ok((store, r)) => {
                self.stores
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(store);
                r.map_err(|_| {
                    eprintln!("{{\"level\":\"error\",\"msg\":\"a request handler panicked\"}}");
                    ApiError::internal()
                })
            }
            Err(_) => Err(ApiError::internal()),
        }
    }
}
