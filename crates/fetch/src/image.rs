//! Lead images: dimensions from the first bytes (growing `Range` requests),
//! and a size-capped disk cache.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::body::BodyLimits;
use crate::error::FetchError;
use crate::fetcher::{FetchOutcome, Fetcher, Spec};

/// First request: enough for PNG, GIF, WebP and most JPEGs.
const FIRST_RANGE: u64 = 4 * 1024;
/// Second request: JPEGs with a large EXIF block before the size marker.
const SECOND_RANGE: u64 = 64 * 1024;

const IMAGE_ACCEPT: &str =
    "image/avif, image/webp, image/png, image/jpeg, image/gif, image/*;q=0.8";

/// An image's dimensions and format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub width: u32,
    pub height: u32,
    /// File extension of the format (`jpg`, `png`, `gif`, `webp`, `avif`,
    /// ...).
    pub format: &'static str,
}

/// Extensions the cache writes (and looks for on a hit).
const EXTENSIONS: &[&str] = &[
    "jpg", "png", "gif", "webp", "avif", "heic", "heif", "bmp", "ico", "tiff", "jxl", "img",
];

fn format_of(bytes: &[u8]) -> Option<&'static str> {
    let t = imagesize::image_type(bytes).ok()?;
    let name = format!("{t:?}").to_ascii_lowercase();
    Some(match name.as_str() {
        "jpeg" => "jpg",
        "png" => "png",
        "gif" => "gif",
        "webp" => "webp",
        "bmp" => "bmp",
        "ico" => "ico",
        "tiff" => "tiff",
        "jxl" => "jxl",
        n if n.starts_with("heif") && n.contains("av1") => "avif",
        n if n.starts_with("heif") && n.contains("hevc") => "heic",
        n if n.starts_with("heif") => "heif",
        _ => "img",
    })
}

/// Dimensions from the bytes at hand: `Ok(None)` when more bytes may tell.
fn info_of(bytes: &[u8]) -> Result<Option<ImageInfo>, String> {
    let format = match format_of(bytes) {
        Some(f) => f,
        None if bytes.len() < 16 => return Ok(None),
        None => return Err("not an image of a known format".to_string()),
    };
    match imagesize::blob_size(bytes) {
        Ok(s) => {
            let (Ok(width), Ok(height)) = (u32::try_from(s.width), u32::try_from(s.height)) else {
                return Err("dimensions out of range".to_string());
            };
            Ok(Some(ImageInfo {
                width,
                height,
                format,
            }))
        }
        // Ran out of bytes before the size: ask for more.
        Err(imagesize::ImageError::IoError(_) | imagesize::ImageError::CorruptedImage) => Ok(None),
        Err(imagesize::ImageError::NotSupported) => Err("unsupported image format".to_string()),
    }
}

impl Fetcher {
    /// Width and height of the image at `url`, read from its first bytes:
    /// `Range: bytes=0-4095`, then up to 64 KiB if that was not enough. A
    /// server that ignores `Range` is read only as far as needed.
    pub async fn image_size(&self, url: &str) -> Result<ImageInfo, FetchError> {
        let mut have: Vec<u8> = Vec::new();
        let mut final_url = url.to_string();
        for (start, end) in [(0, FIRST_RANGE - 1), (FIRST_RANGE, SECOND_RANGE - 1)] {
            let spec = self.prefix_spec(end + 1, Some((start, end)));
            let outcome = self.fetch_spec(&final_url, &spec).await?;
            let FetchOutcome::Fetched(page) = outcome else {
                return Err(image_err(url, "unexpected 304"));
            };
            final_url = page.final_url.clone();
            let partial = page.status == 206;
            if partial && start > 0 {
                have.extend_from_slice(&page.body);
            } else {
                // A 200 is the whole image from byte 0.
                have = page.body;
                have.truncate(SECOND_RANGE as usize);
            }
            match info_of(&have).map_err(|r| image_err(url, &r))? {
                Some(info) => return Ok(info),
                // Nothing more to read.
                None if (have.len() as u64) < end + 1 => break,
                None => {}
            }
        }
        Err(image_err(
            url,
            &format!("no dimensions in the first {} bytes", have.len()),
        ))
    }

    fn prefix_spec(&self, bytes: u64, range: Option<(u64, u64)>) -> Spec<'static> {
        let c = self.config();
        Spec {
            accept: IMAGE_ACCEPT,
            etag: None,
            last_modified: None,
            range,
            limits: BodyLimits {
                wire: bytes,
                decoded: bytes,
                ratio: c.max_compression_ratio.max(1),
                stop_at_limit: true,
            },
            retries: c.retries,
        }
    }

    /// The image at `url` in `cache`: the cached file if there is one,
    /// otherwise fetched (at most the cache's per-file cap), checked to be an
    /// image, written, and older files evicted past the total cap.
    pub async fn cache_image(
        &self,
        cache: &ImageCache,
        url: &str,
    ) -> Result<CachedImage, FetchError> {
        let io_err = |path: &Path, source: std::io::Error| FetchError::Io {
            url: url.to_string(),
            path: path.display().to_string(),
            source,
        };
        let stem = cache.stem(url);
        let dir = cache.dir.clone();
        let found = tokio::task::spawn_blocking(move || lookup(&dir, &stem))
            .await
            .ok()
            .flatten();
        if let Some((path, info)) = found {
            return Ok(CachedImage {
                path,
                info,
                hit: true,
            });
        }
        let c = self.config();
        let spec = Spec {
            accept: IMAGE_ACCEPT,
            etag: None,
            last_modified: None,
            range: None,
            limits: BodyLimits {
                wire: cache.max_file_bytes,
                decoded: cache.max_file_bytes,
                ratio: c.max_compression_ratio.max(1),
                stop_at_limit: false,
            },
            retries: c.retries,
        };
        let FetchOutcome::Fetched(page) = self.fetch_spec(url, &spec).await? else {
            return Err(image_err(url, "unexpected 304"));
        };
        let head = &page.body[..page.body.len().min(SECOND_RANGE as usize)];
        let info = info_of(head)
            .map_err(|r| image_err(url, &r))?
            .ok_or_else(|| image_err(url, "no dimensions found"))?;
        let path = cache
            .dir
            .join(format!("{}.{}", cache.stem(url), info.format));
        let (dir, target, total) = (cache.dir.clone(), path.clone(), cache.max_total_bytes);
        let body = page.body;
        tokio::task::spawn_blocking(move || store(&dir, &target, &body, total))
            .await
            .map_err(|e| io_err(&path, std::io::Error::other(e.to_string())))?
            .map_err(|e| io_err(&path, e))?;
        Ok(CachedImage {
            path,
            info,
            hit: false,
        })
    }
}

fn image_err(url: &str, reason: &str) -> FetchError {
    FetchError::Image {
        url: url.to_string(),
        reason: reason.to_string(),
    }
}

/// A folder of fetched images, named by a hash of their URL, under a cap per
/// file and a cap on the total (oldest files evicted first).
#[derive(Debug, Clone)]
pub struct ImageCache {
    dir: PathBuf,
    max_file_bytes: u64,
    max_total_bytes: u64,
}

/// An image in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedImage {
    pub path: PathBuf,
    pub info: ImageInfo,
    /// Whether it was already cached (no request made).
    pub hit: bool,
}

impl ImageCache {
    /// Creates `dir` if needed. `max_file_bytes` is held to
    /// `max_total_bytes`.
    pub fn new(
        dir: impl Into<PathBuf>,
        max_file_bytes: u64,
        max_total_bytes: u64,
    ) -> std::io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            dir,
            max_file_bytes: max_file_bytes.min(max_total_bytes),
            max_total_bytes,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file name without extension: xxh3 of the URL (stable across
    /// versions, so the cache survives upgrades).
    fn stem(&self, url: &str) -> String {
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(url.trim().as_bytes()))
    }

    /// The cached file for `url`, if any (blocking).
    pub fn get(&self, url: &str) -> Option<PathBuf> {
        lookup(&self.dir, &self.stem(url)).map(|(p, _)| p)
    }

    /// Bytes in the cache now (blocking).
    pub fn total_bytes(&self) -> u64 {
        entries(&self.dir).iter().map(|e| e.1).sum()
    }
}

fn lookup(dir: &Path, stem: &str) -> Option<(PathBuf, ImageInfo)> {
    for ext in EXTENSIONS {
        let path = dir.join(format!("{stem}.{ext}"));
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut head = Vec::new();
        if file.take(SECOND_RANGE).read_to_end(&mut head).is_err() {
            continue;
        }
        if let Ok(Some(info)) = info_of(&head) {
            // Refresh the time so eviction removes the least recently used.
            if let Ok(f) = std::fs::File::options().append(true).open(&path) {
                let _ = f.set_modified(std::time::SystemTime::now());
            }
            return Some((path, info));
        }
    }
    None
}

/// Our files in `dir`: (path, size, modified), temporary files excluded.
fn entries(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && !name.contains(".tmp")
        })
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            m.is_file().then(|| {
                (
                    e.path(),
                    m.len(),
                    m.modified().unwrap_or(std::time::UNIX_EPOCH),
                )
            })
        })
        .collect()
}

/// Writes `body` to `target` (temporary file, then rename) and evicts the
/// oldest other files until the folder is within `total`.
fn store(dir: &Path, target: &Path, body: &[u8], total: u64) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{:016x}.tmp", fastrand::u64(..)));
    std::fs::write(&tmp, body)?;
    if let Err(e) = std::fs::rename(&tmp, target) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let mut files = entries(dir);
    let mut sum: u64 = files.iter().map(|e| e.1).sum();
    files.sort_by_key(|e| e.2);
    for (path, size, _) in files {
        if sum <= total {
            break;
        }
        if path == target {
            continue;
        }
        if std::fs::remove_file(&path).is_ok() {
            sum = sum.saturating_sub(size);
        }
    }
    Ok(())
}
