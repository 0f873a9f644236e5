//! A small pool of read connections. SQLite in WAL mode lets readers run
//! beside the one writer; each connection serves one request at a time on a
//! blocking thread, so a slow query never stalls the async workers.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex};

use newsdesk_store::{DeskStore, StoreError};
use tokio::sync::Semaphore;

use crate::error::ApiError;

pub struct Pool {
    stores: Arc<Mutex<Vec<Box<dyn DeskStore>>>>,
    available: Arc<Semaphore>,
}

impl Pool {
    /// Opens `size` connections to the store in `data_dir`.
    pub fn open(data_dir: &Path, size: usize) -> Result<Pool, StoreError> {
        let size = size.max(1);
        let mut stores = Vec::with_capacity(size);
        for _ in 0..size {
            stores.push(newsdesk_store::open(data_dir)?);
        }
        Ok(Pool {
            stores: Arc::new(Mutex::new(stores)),
            available: Arc::new(Semaphore::new(size)),
        })
    }

    /// Runs `f` with a connection on a blocking thread. A panic inside `f`
    /// becomes an internal error (logged). The connection goes back to the
    /// pool from the blocking thread itself, so a request dropped half-way
    /// (the client went away) never loses it.
    pub async fn with<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        F: FnOnce(&dyn DeskStore) -> R + Send + 'static,
        R: Send + 'static,
    {
        let permit = self
            .available
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal())?;
        let stores = self.stores.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let store = stores.lock().unwrap_or_else(|p| p.into_inner()).pop()?;
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| f(store.as_ref())));
            stores.lock().unwrap_or_else(|p| p.into_inner()).push(store);
            drop(permit);
            Some(r)
        })
        .await;
        match joined {
            Ok(Some(Ok(r))) => Ok(r),
            Ok(Some(Err(_))) => {
                eprintln!("{{\"level\":\"error\",\"msg\":\"a request handler panicked\"}}");
                Err(ApiError::internal())
            }
            _ => Err(ApiError::internal()),
        }
    }
}
