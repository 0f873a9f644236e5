//! Normalization: the stage between parsing and analysis. Every function here is
//! pure: same input, same output, no I/O.
//!
//! - URLs: [`canonical_url`], [`resolve_url`], [`cdn_amp_url`]
//! - providers: [`registrable_domain`], [`provider_for`]
//! - dates: [`parse_date`], [`format_date`]
//! - text: [`html_to_text`], [`clean_whitespace`], [`excerpt`],
//!   [`title_from_text`], [`fix_mojibake`], [`normalize_text_field`]
//! - bytes to text: [`charset`] (the one place an encoding is decided, for
//!   pages, response bodies, feeds and plain text)

pub mod charset;
pub mod sanitize;

mod amp;
mod date;
mod error;
mod mojibake;
mod provider;
mod provider_table;
mod text;
mod url;

pub use amp::{amp_cache_label, cdn_amp_url};
pub use date::{format_date, parse_date, MAX_YEAR, MIN_YEAR};
pub use error::NormalizeError;
pub use mojibake::fix_mojibake;
pub use provider::{provider_for, registrable_domain};
pub use text::{clean_whitespace, excerpt, html_to_text, normalize_text_field, title_from_text};
pub use url::{canonical_url, has_scheme, is_tracking_param, resolve_url};
