//! Errors reading the score configuration files (the provider table and the
//! weights), naming the file, the line and the field.

use std::fmt;

use thiserror::Error;

/// A configuration file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Error)]
pub struct ConfigError {
    /// The file (or other origin) name.
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The field concerned as a dotted path (`quality.depth.length`,
    /// `tiers.wire.credibility`), when known.
    pub field: Option<String>,
    pub kind: ConfigErrorKind,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// The kinds of configuration errors.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigErrorKind {
    #[error("cannot read the file: {0}")]
    Io(String),
    /// TOML syntax, an unknown field, or a value of the wrong type.
    #[error("{0}")]
    Toml(String),
    #[error("unsupported version {found}: this newsdesk reads version {expected}")]
    Version { found: i64, expected: i64 },
    #[error("{value} is out of range: expected {expected}")]
    OutOfRange { value: f64, expected: String },
    #[error("empty provider key")]
    EmptyKey,
    #[error("provider \"{key}\" is already listed in tier \"{first_tier}\"")]
    DuplicateProvider { key: String, first_tier: String },
    #[error("no tier named \"{name}\"")]
    UnknownTier { name: String },
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].bytes().filter(|&b| b == b'\n').count() + 1
}

/// The dotted path of the key written on the line holding `offset`: the
/// nearest `[table]` header above it plus the line's key.
pub(crate) fn field_at(text: &str, offset: usize) -> Option<String> {
    let line_no = line_of(text, offset);
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.get(line_no - 1)?.trim();
    let header = |l: &str| -> Option<String> {
        let l = l.trim();
        let inner = l
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
            .or_else(|| l.strip_prefix('[').and_then(|r| r.split(']').next()))?;
        Some(inner.trim().replace(['"', '\''], ""))
    };
    if line.starts_with('[') {
        return header(line);
    }
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']).to_string();
    if key.is_empty() {
        return None;
    }
    let table = lines[..line_no - 1]
        .iter()
        .rev()
        .find(|l| l.trim_start().starts_with('['))
        .and_then(|l| header(l));
    Some(match table {
        Some(t) if !t.is_empty() => format!("{t}.{key}"),
        _ => key,
    })
}

/// The line where the dotted `path` is set: its last part as a key under the
/// header named by the rest (or at the top level). `None` when it is not
/// written out (a default value) or written in a form this does not follow.
pub(crate) fn line_of_field(text: &str, path: &str) -> Option<usize> {
    let (table, key) = match path.rsplit_once('.') {
        Some((t, k)) => (Some(t), k),
        None => (None, path),
    };
    let mut in_table = table.is_none();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            let name = l
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .replace(['"', '\''], "");
            in_table = table.is_some_and(|t| t == name);
            continue;
        }
        if !in_table {
            continue;
        }
        if let Some((k, _)) = l.split_once('=') {
            if k.trim().trim_matches(['"', '\'']) == key {
                return Some(i + 1);
            }
        }
    }
    None
}

/// A TOML deserialization error as a [`ConfigError`]: line and field from its span.
pub(crate) fn from_toml(text: &str, origin: &str, e: &toml::de::Error) -> ConfigError {
    let span = e.span();
    ConfigError {
        origin: origin.to_string(),
        line: span.as_ref().map(|s| line_of(text, s.start)),
        field: span.and_then(|s| field_at(text, s.start)),
        kind: ConfigErrorKind::Toml(e.message().trim().to_string()),
    }
}

/// Reads a whole configuration file, naming it on failure.
pub(crate) fn read(path: &std::path::Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        origin: path.display().to_string(),
        line: None,
        field: None,
        kind: ConfigErrorKind::Io(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_lines() {
        let text =
            "version = 1\n\n[quality.depth]\nlength = 20\n# c\nquotes = -1\n[heat]\nlead = 5\n";
        assert_eq!(field_at(text, 0).as_deref(), Some("version"));
        let at = text.find("quotes").unwrap();
        assert_eq!(field_at(text, at).as_deref(), Some("quality.depth.quotes"));
        assert_eq!(line_of_field(text, "quality.depth.quotes"), Some(6));
        assert_eq!(line_of_field(text, "heat.lead"), Some(8));
        assert_eq!(line_of_field(text, "version"), Some(1));
        assert_eq!(line_of_field(text, "heat.velocity"), None);
        let at = text.find("[heat]").unwrap();
        assert_eq!(field_at(text, at).as_deref(), Some("heat"));
    }

    #[test]
    fn display_names_everything() {
        let e = ConfigError {
            origin: "score.toml".into(),
            line: Some(4),
            field: Some("quality.depth.length".into()),
            kind: ConfigErrorKind::OutOfRange {
                value: -1.0,
                expected: "a number ≥ 0".into(),
            },
        };
        assert_eq!(
            e.to_string(),
            "score.toml:4: quality.depth.length: -1 is out of range: expected a number ≥ 0"
        );
    }
}
