//! Reuters-21578 ModApte (90 topics) for the topic classifier.
//!
//! `reuters jsonl --reuters DIR --out DIR [--smoke]` writes `train.jsonl` and
//! `test.jsonl` (the file interface of `newsdesk topics`; `--smoke` keeps
//! every fourth story). `reuters eval --reuters DIR [options]` trains on
//! the train side and prints micro/macro F1 on the test side and the times.

#[path = "../tests/it/modapte.rs"]
mod modapte;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use newsdesk_classify::{eval, Record, ThresholdMethod, TopicModel, TrainOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(value(args, "--reuters").ok_or("--reuters DIR is required")?);
    let t0 = Instant::now();
    let split = modapte::modapte90(&dir)?;
    let read_s = t0.elapsed().as_secs_f64();
    match args.first().map(String::as_str) {
        Some("jsonl") => {
            let out = PathBuf::from(value(args, "--out").ok_or("--out DIR is required")?);
            std::fs::create_dir_all(&out)?;
            let keep = if args.iter().any(|a| a == "--smoke") {
                4
            } else {
                1
            };
            for (name, records) in [("train.jsonl", &split.train), ("test.jsonl", &split.test)] {
                let mut w = std::io::BufWriter::new(std::fs::File::create(out.join(name))?);
                for r in records.iter().step_by(keep) {
                    let line = serde_json::json!({
                        "id": r.id, "title": r.title, "body": r.body, "topics": r.topics,
                    });
                    writeln!(w, "{line}")?;
                }
                w.flush()?;
            }
            eprintln!(
                "{} topics, {} train, {} test stories (read in {read_s:.2} s)",
                split.topics.len(),
                split.train.len().div_ceil(keep),
                split.test.len().div_ceil(keep)
            );
        }
        Some("eval") => {
            let mut o = TrainOptions::default();
            if let Some(v) = value(args, "--c") {
                o.c = v.parse()?;
            }
            if let Some(v) = value(args, "--pw") {
                o.positive_weight = v.parse()?;
            }
            if let Some(v) = value(args, "--eps") {
                o.eps = v.parse()?;
            }
            if let Some(v) = value(args, "--cv-eps") {
                o.cv_eps = v.parse()?;
            }
            if let Some(v) = value(args, "--min-df") {
                o.features.min_df = v.parse()?;
            }
            if let Some(v) = value(args, "--max-threshold") {
                o.max_threshold = Some(v.parse()?);
            }
            if let Some(v) = value(args, "--fbr") {
                o.min_tuned_f1 = v.parse()?;
            }
            if let Some(v) = value(args, "--threads") {
                o.threads = v.parse()?;
            }
            o.features.bigrams = args.iter().any(|a| a == "--bigrams");
            o.features.title_features = args.iter().any(|a| a == "--title");
            o.at_least_one = args
                .iter()
                .any(|a| a == "--no-at-least-one")
                .then_some(false);
            o.thresholds = match value(args, "--thresholds").unwrap_or("cv3") {
                "zero" => ThresholdMethod::Zero,
                cv => ThresholdMethod::CrossValidation {
                    folds: cv.trim_start_matches("cv").parse()?,
                },
            };
            let t = Instant::now();
            let model = TopicModel::train(&split.train, &o)?;
            let train_s = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let pred = model.predict_all(&split.test);
            let predict_s = t.elapsed().as_secs_f64();
            let truth: Vec<&Vec<String>> = split.test.iter().map(|r: &Record| &r.topics).collect();
            let truth: Vec<Vec<&str>> = truth
                .iter()
                .map(|v| v.iter().map(String::as_str).collect())
                .collect();
            let got: Vec<Vec<&str>> = pred.iter().map(|p| p.topics.clone()).collect();
            let r = eval::f1_report(&split.topics, &truth, &got);
            if args.iter().any(|a| a == "--per-topic") {
                for (t, tp, fp, fn_, f1) in &r.per_topic {
                    println!("{t:>12} tp {tp:4} fp {fp:4} fn {fn_:4} f1 {f1:.3}");
                }
            }
            println!(
                "micro-F1 {:.4} macro-F1 {:.4} | {} features, {} weights | read {read_s:.2} s, train {train_s:.2} s, predict {predict_s:.3} s",
                r.micro_f1,
                r.macro_f1,
                model.feature_count(),
                model.thresholds().len(),
            );
        }
        _ => return Err("usage: reuters (jsonl|eval) --reuters DIR ...".into()),
    }
    Ok(())
}
