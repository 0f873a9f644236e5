//! The Reuters-21578 ModApte split as the topic-classification literature uses
//! it: stories with `TOPICS="YES"`, `LEWISSPLIT` TRAIN or TEST, labelled with
//! the 90 topics that have at least one story on each side; stories with none
//! of the 90 are left out (7,770 train, 3,019 test).
//! Shared by the Reuters test and the `reuters` example.

use std::collections::BTreeMap;
use std::path::Path;

use newsdesk_classify::Record;
use newsdesk_ingest::reuters::{parse_sgml, ModApte};

pub struct Split {
    pub topics: Vec<String>,
    pub train: Vec<Record>,
    pub test: Vec<Record>,
}

pub fn modapte90(dir: &Path) -> std::io::Result<Split> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reut2-") && n.ends_with(".sgm"))
        })
        .collect();
    files.sort();
    let mut stories = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f)?;
        let batch = parse_sgml(&bytes, &f.display().to_string())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        stories.extend(
            batch
                .stories
                .into_iter()
                .filter_map(|s| s.modapte().map(|side| (side, s))),
        );
    }
    let mut sides: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for (side, s) in &stories {
        for t in &s.topics {
            let e = sides.entry(t.as_str()).or_default();
            match side {
                ModApte::Train => e.0 = true,
                ModApte::Test => e.1 = true,
            }
        }
    }
    let topics: Vec<String> = sides
        .iter()
        .filter(|(_, &(a, b))| a && b)
        .map(|(t, _)| t.to_string())
        .collect();
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (side, s) in &stories {
        let labels: Vec<String> = s
            .topics
            .iter()
            .filter(|t| topics.binary_search(t).is_ok())
            .cloned()
            .collect();
        if labels.is_empty() {
            continue;
        }
        let r = Record {
            id: s.new_id.into(),
            title: s.title.clone().unwrap_or_default(),
            body: s.body.clone().unwrap_or_default(),
            topics: labels,
        };
        match side {
            ModApte::Train => train.push(r),
            ModApte::Test => test.push(r),
        }
    }
    Ok(Split {
        topics,
        train,
        test,
    })
}
