//! The stylesheet, the script and the icon, embedded in the binary and served under
//! `/assets/{name}.{hash}.{ext}`: the URL changes whenever the bytes do, so
//! they are cached for a year and never go stale.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::layout::WebError;

const CSS: &[u8] = include_bytes!("../../assets/app.css");
const JS: &[u8] = include_bytes!("../../assets/app.js");
const ICON: &[u8] = include_bytes!("../../assets/icon.svg");

/// One embedded file.
pub struct Asset {
    /// The versioned file name (`app.0123abcd.css`).
    pub file: String,
    pub mime: &'static str,
    pub bytes: &'static [u8],
}

impl Asset {
    fn new(stem: &str, ext: &str, mime: &'static str, bytes: &'static [u8]) -> Asset {
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        Asset {
            file: format!("{stem}.{:08x}.{ext}", hash >> 32),
            mime,
            bytes,
        }
    }

    /// Where pages link it.
    pub fn url(&self) -> String {
        format!("/assets/{}", self.file)
    }
}

/// The stylesheet.
pub static STYLE: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("app", "css", "text/css; charset=utf-8", CSS));
/// The script.
pub static SCRIPT: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("app", "js", "text/javascript; charset=utf-8", JS));

/// The icon browsers show in tabs and bookmarks.
pub static ICON_SVG: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("icon", "svg", "image/svg+xml", ICON));

/// `/assets/{file}`: an embedded file by its versioned name.
pub async fn serve(Path(file): Path<String>) -> Response {
    for asset in [&*STYLE, &*SCRIPT, &*ICON_SVG] {
        if asset.file == file {
            let mut r = (StatusCode::OK, asset.bytes).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            return r;
        }
    }
    WebError::not_found("There is no such file.").into_response()
}
