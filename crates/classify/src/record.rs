//! The file interface: one JSON object per line with `id`, `title`, `body` and,
//! for training, `topics`.

use std::io::BufRead;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{ClassifyError, Result};

/// One article of a JSON-lines input.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The article's id as given (a JSON string or number), echoed in predictions.
    pub id: Value,
    /// The title (empty when absent or `null`).
    pub title: String,
    /// The body (empty when absent or `null`).
    pub body: String,
    /// The topics (empty when absent or `null`).
    pub topics: Vec<String>,
}

#[derive(Deserialize)]
struct Raw {
    id: Option<Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    topics: Option<Vec<String>>,
}

/// Reads every line of a JSON-lines input. Blank lines are skipped; any other
/// line that is not an object with a string or number `id`, string `title` and
/// `body`, and a list of non-empty strings `topics` fails the whole read with
/// an error naming `source_name` and the line.
pub fn read_jsonl(reader: impl BufRead, source_name: &str) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut reader = reader;
    let mut line = String::new();
    let mut number = 0;
    loop {
        line.clear();
        number += 1;
        let n = reader
            .read_line(&mut line)
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::InvalidData => ClassifyError::BadRecord {
                    source_name: source_name.to_owned(),
                    line: number,
                    message: "not valid UTF-8".to_owned(),
                },
                _ => ClassifyError::Read {
                    source_name: source_name.to_owned(),
                    error,
                },
            })?;
        if n == 0 {
            break;
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        out.push(
            parse_line(text).map_err(|message| ClassifyError::BadRecord {
                source_name: source_name.to_owned(),
                line: number,
                message,
            })?,
        );
    }
    Ok(out)
}

fn parse_line(text: &str) -> std::result::Result<Record, String> {
    let raw: Raw = serde_json::from_str(text).map_err(|e| format!("not a JSON article: {e}"))?;
    let id = match raw.id {
        Some(v @ (Value::String(_) | Value::Number(_))) => v,
        Some(_) => return Err("`id` must be a string or a number".to_owned()),
        None => return Err("missing `id`".to_owned()),
    };
    let topics = raw.topics.unwrap_or_default();
    for t in &topics {
        if t.trim().is_empty() {
            return Err("a topic is an empty string".to_owned());
        }
    }
    Ok(Record {
        id,
        title: raw.title.unwrap_or_default(),
        body: raw.body.unwrap_or_default(),
        topics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_names_bad_lines() {
        let input = "{\"id\": 1, \"title\": \"a\", \"body\": \"b\", \"topics\": [\"x\"]}\n\n{\"id\": \"z\", \"body\": null}\n";
        let r = read_jsonl(input.as_bytes(), "in.jsonl").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].topics, vec!["x".to_owned()]);
        assert_eq!(r[1].id, Value::String("z".into()));
        assert_eq!(r[1].body, "");

        for (bad, want) in [
            (
                "{\"id\": 1}\n{\"title\": \"no id\"}\n",
                "line 2: missing `id`",
            ),
            ("{\"id\": 1}\n\n{oops\n", "line 3: not a JSON article"),
            ("{\"id\": [1]}\n", "line 1: `id` must be"),
            (
                "{\"id\": 1, \"topics\": [\"\"]}\n",
                "line 1: a topic is an empty",
            ),
            (
                "{\"id\": 1, \"topics\": \"x\"}\n",
                "line 1: not a JSON article",
            ),
        ] {
            let e = read_jsonl(bad.as_bytes(), "in.jsonl")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("in.jsonl: ") && e.contains(want), "{e}");
        }
        let e = read_jsonl(&b"{\"id\": 1}\n\xff\n"[..], "in.jsonl").unwrap_err();
        assert!(e.to_string().contains("line 2: not valid UTF-8"), "{e}");
    }
}
