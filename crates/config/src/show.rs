//! `newsdesk config`'s two forms: lines of `key = value  # source`, and JSON.

use serde_json::{json, Value as Json};

use crate::settings::Settings;

/// One line per setting: `key = value  # where it came from`, an unset value
/// as `key = (unset)`. Secrets are shown as `<redacted>`.
pub fn to_text(settings: &Settings) -> String {
    let lines: Vec<(String, String)> = settings
        .entries()
        .into_iter()
        .map(|e| {
            let value = match &e.value {
                Json::Null => "(unset)".to_string(),
                v => v.to_string(),
            };
            (format!("{} = {value}", e.key), e.source.to_string())
        })
        .collect();
    let width = lines
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(44);
    let mut out = String::new();
    for (line, source) in lines {
        let pad = width.saturating_sub(line.chars().count());
        out.push_str(&format!("{line}{}  # {source}\n", " ".repeat(pad)));
    }
    out
}

/// `{"file": ..., "settings": {"server.addr": {"value": ..., "source":
/// "flag --addr", "from": "flag"}, ...}}`; a file source also has `path` and `line`.
pub fn to_json(settings: &Settings) -> Json {
    let mut map = serde_json::Map::new();
    for e in settings.entries() {
        let mut v = json!({
            "value": e.value,
            "source": e.source.to_string(),
            "from": e.source.kind(),
        });
        if let crate::Source::File { path, line } = &e.source {
            v["path"] = json!(path.display().to_string());
            v["line"] = json!(line);
        }
        map.insert(e.key.to_string(), v);
    }
    let file = settings.config_file();
    json!({
        "file": file.display().to_string(),
        "file_present": file.is_file(),
        "settings": map,
    })
}
