//! The kinds of values a setting can hold, how each is read from TOML and
//! from an environment variable, and how it is shown.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde_json::Value as Json;
use toml::de::DeValue;

/// A value a setting can hold.
pub trait SettingValue: Sized {
    /// What a good value looks like, for error messages ("true or false").
    fn expected() -> &'static str;
    /// From a TOML value; `None` when it is not of this kind.
    fn from_toml(value: &DeValue<'_>) -> Option<Self>;
    /// From an environment variable's text; `None` when it is not of this kind.
    fn from_env(text: &str) -> Option<Self>;
    /// As shown by `newsdesk config` (secrets redacted).
    fn to_json(&self) -> Json;
}

impl SettingValue for bool {
    fn expected() -> &'static str {
        "true or false"
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        value.as_bool()
    }
    fn from_env(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => None,
        }
    }
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

/// An integer from TOML (any radix TOML allows), or `None`.
fn toml_integer(value: &DeValue<'_>) -> Option<i128> {
    let i = value.as_integer()?;
    i128::from_str_radix(i.as_str(), i.radix()).ok()
}

macro_rules! whole_number {
    ($t:ty, $expected:literal) => {
        impl SettingValue for $t {
            fn expected() -> &'static str {
                $expected
            }
            fn from_toml(value: &DeValue<'_>) -> Option<Self> {
                toml_integer(value)?.try_into().ok()
            }
            fn from_env(text: &str) -> Option<Self> {
                text.trim().replace('_', "").parse().ok()
            }
            fn to_json(&self) -> Json {
                Json::from(*self)
            }
        }
    };
}

whole_number!(u32, "a whole number from 0 to 4294967295");
whole_number!(u64, "a whole number, 0 or more");
whole_number!(usize, "a whole number, 0 or more");
whole_number!(i64, "a whole number");

impl SettingValue for String {
    fn expected() -> &'static str {
        "a string"
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
    fn from_env(text: &str) -> Option<Self> {
        Some(text.to_string())
    }
    fn to_json(&self) -> Json {
        Json::String(redact_userinfo(self))
    }
}

impl SettingValue for PathBuf {
    fn expected() -> &'static str {
        "a path (a string)"
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        value.as_str().filter(|s| !s.is_empty()).map(PathBuf::from)
    }
    fn from_env(text: &str) -> Option<Self> {
        Some(PathBuf::from(text)).filter(|_| !text.is_empty())
    }
    fn to_json(&self) -> Json {
        Json::String(self.display().to_string())
    }
}

impl SettingValue for SocketAddr {
    fn expected() -> &'static str {
        "an address HOST:PORT with an IP address, such as \"127.0.0.1:8080\""
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        value.as_str()?.trim().parse().ok()
    }
    fn from_env(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
    fn to_json(&self) -> Json {
        Json::String(self.to_string())
    }
}

impl SettingValue for Vec<String> {
    fn expected() -> &'static str {
        "a list of strings (in a variable: separated by commas)"
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        value
            .as_array()?
            .iter()
            .map(|v| v.get_ref().as_str().map(str::to_string))
            .collect()
    }
    fn from_env(text: &str) -> Option<Self> {
        Some(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(|s| s.to_json()).collect())
    }
}

/// Unset unless a layer sets it; an empty variable unsets it again.
impl<T: SettingValue> SettingValue for Option<T> {
    fn expected() -> &'static str {
        T::expected()
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        T::from_toml(value).map(Some)
    }
    fn from_env(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(None);
        }
        T::from_env(text).map(Some)
    }
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, T::to_json)
    }
}

/// A value that is never shown: `Debug` and `newsdesk config` print
/// `<redacted>`. Only environment variables hold secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// How a secret is shown.
pub const REDACTED: &str = "<redacted>";

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the code that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

impl SettingValue for Secret {
    fn expected() -> &'static str {
        "a secret"
    }
    fn from_toml(value: &DeValue<'_>) -> Option<Self> {
        value.as_str().map(Secret::new)
    }
    fn from_env(text: &str) -> Option<Self> {
        Some(Secret::new(text))
    }
    fn to_json(&self) -> Json {
        Json::String(REDACTED.to_string())
    }
}

/// A URL's password replaced: `https://user:pw@host/` shows as
/// `https://user:<redacted>@host/`. Other strings are returned as they are.
pub fn redact_userinfo(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let rest = &text[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return text.to_string();
    };
    let userinfo = &authority[..at];
    let user = userinfo.split(':').next().unwrap_or("");
    if !userinfo.contains(':') {
        return text.to_string();
    }
    format!(
        "{}{user}:{REDACTED}{}",
        &text[..scheme_end + 3],
        &rest[at..]
    )
}
