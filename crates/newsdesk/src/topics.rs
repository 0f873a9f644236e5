//! `newsdesk topics`: topics learned from labelled articles (the file interface).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use newsdesk_classify::{read_jsonl, Record, TopicModel, TrainOptions};

#[derive(Subcommand)]
pub enum TopicsCommand {
    /// Learn topics from labelled articles (JSON lines: id, title, body, topics) and write the model folder.
    Train {
        /// The labelled articles, one JSON object per line.
        #[arg(long)]
        input: PathBuf,
        /// The model folder to write (created if missing; replaced if a model is there).
        #[arg(long)]
        model: PathBuf,
        /// The SVM's C: higher fits the training articles more closely.
        #[arg(long, default_value_t = TrainOptions::default().c)]
        c: f64,
        /// Learn only these topics (comma-separated); each must occur in the input.
        #[arg(long, value_delimiter = ',')]
        only: Option<Vec<String>>,
        /// Worker threads for training.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Each article's (JSON lines: id, title, body) topics, `{"id": ..., "topics": [...]}` lines.
    Predict {
        /// The model folder written by `topics train`.
        #[arg(long)]
        model: PathBuf,
        /// The articles, one JSON object per line.
        #[arg(long)]
        input: PathBuf,
    },
}

pub fn run(command: TopicsCommand) -> anyhow::Result<ExitCode> {
    match command {
        TopicsCommand::Train {
            input,
            model: dir,
            c,
            only,
            threads,
        } => {
            let start = Instant::now();
            let records = read_records(&input)?;
            let options = TrainOptions {
                c,
                topics: only,
                threads: threads.max(1),
                ..TrainOptions::default()
            };
            let model = TopicModel::train(&records, &options)?;
            model.save(&dir)?;
            eprintln!(
                "trained {} topics on {} articles ({} features) in {:.2} s; model in {}",
                model.topics().len(),
                records.len(),
                model.feature_count(),
                start.elapsed().as_secs_f64(),
                dir.display()
            );
        }
        TopicsCommand::Predict { model, input } => {
            let model = TopicModel::load(&model)?;
            let records = read_records(&input)?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            for (r, p) in records.iter().zip(&model.predict_all(&records)) {
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({ "id": r.id, "topics": p.topics }),
                )?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_records(path: &Path) -> anyhow::Result<Vec<Record>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(read_jsonl(
        BufReader::with_capacity(1 << 16, file),
        &path.display().to_string(),
    )?)
}
