//! The layering: defaults, then `DATA_DIR/newsdesk.toml` (and the file it
//! includes for the editorial settings), then `NEWSDESK_*` variables. Flags
//! come last, set by the binary with [`Sourced::flag`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::error::ConfigError;
use crate::settings::{Meta, Settings, DEFAULT_DATA_DIR, SECTIONS};
use crate::source::{Source, Sourced};

/// What the layers below the flags are read from. The environment is passed
/// in (not read from the process), so loading is a pure function of its inputs.
#[derive(Debug, Clone, Default)]
pub struct Loader {
    data_dir_flag: Option<PathBuf>,
    env: BTreeMap<String, String>,
}

impl Loader {
    pub fn new() -> Loader {
        Loader::default()
    }

    /// The `NEWSDESK_*` variables of this process.
    pub fn with_process_env(self) -> Loader {
        self.env(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// Environment variables (others than `NEWSDESK_*` are ignored).
    pub fn env<K: Into<String>, V: Into<String>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Loader {
        for (k, v) in vars {
            let k = k.into();
            if k.starts_with("NEWSDESK_") {
                self.env.insert(k, v.into());
            }
        }
        self
    }

    /// `--data-dir`, when given.
    pub fn data_dir_flag(mut self, dir: Option<PathBuf>) -> Loader {
        self.data_dir_flag = dir;
        self
    }

    /// The defaults, with the data folder from the flag or the environment
    /// (for commands that read no configuration).
    pub fn defaults(&self) -> Settings {
        Settings::defaults(self.data_dir())
    }

    /// The data folder: `--data-dir`, then `NEWSDESK_DATA_DIR`, then the default.
    fn data_dir(&self) -> Sourced<PathBuf> {
        match (&self.data_dir_flag, self.env.get("NEWSDESK_DATA_DIR")) {
            (Some(dir), _) => Sourced::new(dir.clone(), Source::Flag("--data-dir".into())),
            (None, Some(dir)) if !dir.is_empty() => {
                Sourced::new(PathBuf::from(dir), Source::Env("NEWSDESK_DATA_DIR".into()))
            }
            _ => Sourced::default_value(PathBuf::from(DEFAULT_DATA_DIR)),
        }
    }

    /// The settings below the flags: defaults < `newsdesk.toml` (with its
    /// include) < environment.
    pub fn load(&self) -> Result<Settings, ConfigError> {
        let mut settings = Settings::defaults(self.data_dir());
        let path = settings.config_file();
        let text = read_if_present(&path)?;
        let doc = match &text {
            Some(text) => Some(parse(&path, text)?),
            None => None,
        };
        // The include is the editorial layer beneath newsdesk.toml's own values.
        let include = doc
            .as_ref()
            .and_then(|doc| find(doc, "editorial", "include"))
            .map(|value| {
                let line = line_of(text.as_deref().unwrap_or(""), value.span().start);
                let include = value
                    .get_ref()
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| ConfigError::BadValue {
                        path: path.clone(),
                        line,
                        key: "editorial.include".into(),
                        expected: "a path (a string)".into(),
                        found: found(text.as_deref().unwrap_or(""), value.span()),
                    })?;
                Ok::<_, ConfigError>((PathBuf::from(include), line))
            })
            .transpose()?;
        let include_path = match &include {
            Some((p, _)) => settings.in_data_dir(p),
            None => settings.in_data_dir(settings.editorial.include.get()),
        };
        match read_if_present(&include_path)? {
            Some(inc) => {
                let table = parse(&include_path, &inc)?;
                apply_table(
                    &mut settings,
                    &include_path,
                    &inc,
                    &table,
                    Some("editorial"),
                )?;
            }
            None => {
                if let Some((p, line)) = &include {
                    return Err(ConfigError::MissingInclude {
                        path: path.clone(),
                        line: *line,
                        include: p.clone(),
                    });
                }
            }
        }
        if let (Some(text), Some(doc)) = (&text, &doc) {
            apply_table(&mut settings, &path, text, doc, None)?;
        }
        apply_env(&mut settings, &self.env)?;
        Ok(settings)
    }
}

fn read_if_present(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The text of a value as written, shortened.
fn found(text: &str, span: std::ops::Range<usize>) -> String {
    let raw = text.get(span).unwrap_or("").trim();
    let mut out: String = raw.chars().take(60).collect();
    if raw.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn parse<'t>(path: &Path, text: &'t str) -> Result<DeTable<'t>, ConfigError> {
    DeTable::parse(text)
        .map(Spanned::into_inner)
        .map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })
}

/// `section.key` in a parsed file.
fn find<'a, 't>(
    doc: &'a DeTable<'t>,
    section: &str,
    key: &str,
) -> Option<&'a Spanned<DeValue<'t>>> {
    let table = doc.get(section)?.get_ref().as_table()?;
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

/// Applies a parsed file. `within`: the section its top-level keys belong to
/// (an included editorial file), `None` for `newsdesk.toml` itself.
fn apply_table(
    settings: &mut Settings,
    path: &Path,
    text: &str,
    doc: &DeTable<'_>,
    within: Option<&str>,
) -> Result<(), ConfigError> {
    let mut fields = settings.fields();
    let keys: Vec<&'static str> = fields
        .iter()
        .filter(|(m, _)| m.not_in_file.is_none())
        .filter(|(m, _)| match within {
            Some(section) => {
                m.key
                    .strip_prefix(section)
                    .is_some_and(|k| k.starts_with('.'))
                    && *m.key != *"editorial.include"
            }
            None => true,
        })
        .map(|(m, _)| m.key)
        // A misspelt section is suggested its name.
        .chain(SECTIONS.iter().copied().filter(|_| within.is_none()))
        .collect();
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        let full = match within {
            Some(section) => format!("{section}.{name}"),
            None => name.to_string(),
        };
        if within.is_none() && SECTIONS.contains(&name) {
            let Some(table) = value.get_ref().as_table() else {
                return Err(ConfigError::BadValue {
                    path: path.to_path_buf(),
                    line: line_of(text, value.span().start),
                    key: name.to_string(),
                    expected: format!("a table ([{name}])"),
                    found: found(text, value.span()),
                });
            };
            for (k, v) in table.iter() {
                let full = format!("{name}.{}", k.get_ref());
                set_from_file(&mut fields, &keys, path, text, &full, k.span(), v, within)?;
            }
        } else {
            set_from_file(
                &mut fields,
                &keys,
                path,
                text,
                &full,
                key.span(),
                value,
                within,
            )?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn set_from_file(
    fields: &mut [(Meta, &mut dyn crate::settings::Field)],
    keys: &[&'static str],
    path: &Path,
    text: &str,
    full: &str,
    key_span: std::ops::Range<usize>,
    value: &Spanned<DeValue<'_>>,
    within: Option<&str>,
) -> Result<(), ConfigError> {
    let key_line = line_of(text, key_span.start);
    // In an included file the keys are written without their section.
    let shown = |k: &str| match within {
        Some(section) => k
            .strip_prefix(section)
            .and_then(|k| k.strip_prefix('.'))
            .unwrap_or(k)
            .to_string(),
        None => k.to_string(),
    };
    let Some((meta, field)) = fields
        .iter_mut()
        .find(|(m, _)| m.key == full && keys.contains(&m.key))
    else {
        if let Some((meta, _)) = fields.iter().find(|(m, _)| m.key == full) {
            if let Some(why) = meta.not_in_file {
                return Err(ConfigError::NotInFile {
                    path: path.to_path_buf(),
                    line: key_line,
                    key: shown(full),
                    why,
                });
            }
        }
        return Err(ConfigError::UnknownKey {
            path: path.to_path_buf(),
            line: key_line,
            key: shown(full),
            suggestion: suggest(full, keys).map(shown),
        });
    };
    let source = Source::File {
        path: path.to_path_buf(),
        line: line_of(text, value.span().start),
    };
    if !field.set_toml(value.get_ref(), source) {
        return Err(ConfigError::BadValue {
            path: path.to_path_buf(),
            line: line_of(text, value.span().start),
            key: shown(meta.key),
            expected: field.expected().to_string(),
            found: found(text, value.span()),
        });
    }
    Ok(())
}

fn apply_env(settings: &mut Settings, env: &BTreeMap<String, String>) -> Result<(), ConfigError> {
    for (meta, field) in settings.fields() {
        let var = meta.env_var();
        let Some(text) = env.get(&var) else { continue };
        if !meta.env {
            if meta.key.starts_with("editorial.") {
                return Err(ConfigError::NotInEnv {
                    var,
                    key: meta.key.to_string(),
                });
            }
            continue;
        }
        if !field.set_env(text, Source::Env(var.clone())) {
            return Err(ConfigError::BadEnv {
                var,
                key: meta.key.to_string(),
                expected: field.expected().to_string(),
                found: text.clone(),
            });
        }
    }
    Ok(())
}

/// The known key nearest to `key`, when it is near enough to be a slip:
/// the same key in another section, or at most two edits (a third of the key).
fn suggest(key: &str, keys: &[&'static str]) -> Option<&'static str> {
    let last = |k: &str| k.rsplit('.').next().unwrap_or(k).to_string();
    let mut best: Option<(usize, &'static str)> = None;
    for &k in keys {
        let d = if last(k) == last(key) {
            1
        } else {
            edit_distance(key, k)
        };
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, k));
        }
    }
    best.filter(|&(d, _)| d <= 2.max(key.len() / 6))
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
