//! The topic model: one linear SVM per topic over shared TF-IDF features, each
//! with its own decision threshold.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{ClassifyError, Result};
use crate::features::{article_keys, FeatureSettings, Vocabulary};
use crate::record::Record;
use crate::sparse::Csr;
use crate::svm::{self, Problem, SvmParams, LANES};

/// The most topics one model holds (topic numbers are stored as `u16`).
pub const MAX_TOPICS: usize = u16::MAX as usize;

/// How each topic's decision threshold is chosen on the training articles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum ThresholdMethod {
    /// Score 0, the SVM's own boundary.
    Zero,
    /// The F1-best cut over held-out scores of `folds`-fold cross-validation;
    /// trains every topic `folds` more times.
    CrossValidation {
        /// Number of folds (at least 2).
        folds: usize,
    },
}

/// Everything training can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainOptions {
    /// How articles become vectors.
    pub features: FeatureSettings,
    /// Cost of a margin violation (the SVM's `C`).
    pub c: f64,
    /// Positives of a topic cost this many times more than negatives.
    pub positive_weight: f64,
    /// Solver tolerance (LIBLINEAR's default is 0.1).
    pub eps: f64,
    /// Solver tolerance of the cross-validation solves, which only place thresholds.
    pub cv_eps: f64,
    /// Solver pass limit per topic.
    pub max_passes: usize,
    /// How thresholds are chosen.
    pub thresholds: ThresholdMethod,
    /// A threshold is never set above this score (keeps rare topics findable).
    pub max_threshold: Option<f64>,
    /// When the best F1 a tuned threshold reaches on the training articles is
    /// below this, the topic keeps threshold 0 (too little evidence to move it).
    pub min_tuned_f1: f64,
    /// Give every article with words at least its best topic. `None`: do so
    /// when every training article carries a topic.
    pub at_least_one: Option<bool>,
    /// Learn only these topics (each must occur in the training data);
    /// `None`: every topic found.
    pub topics: Option<Vec<String>>,
    /// Worker threads for training (1 = the calling thread only).
    pub threads: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            features: FeatureSettings::default(),
            c: 1.0,
            positive_weight: 1.0,
            eps: 0.1,
            cv_eps: 1.0,
            max_passes: 1000,
            thresholds: ThresholdMethod::CrossValidation { folds: 3 },
            max_threshold: None,
            min_tuned_f1: 0.3,
            at_least_one: None,
            topics: None,
            threads: 1,
        }
    }
}

/// A trained multi-label topic model.
#[derive(Debug, Clone)]
pub struct TopicModel {
    pub(crate) settings: FeatureSettings,
    pub(crate) vocab: Vocabulary,
    pub(crate) topics: Vec<String>,
    /// Feature-major weights: feature `f`'s nonzero weights are
    /// `w_topic[w_offsets[f]..w_offsets[f + 1]]` with `w_value` beside.
    pub(crate) w_offsets: Vec<u32>,
    pub(crate) w_topic: Vec<u16>,
    pub(crate) w_value: Vec<f32>,
    pub(crate) bias: Vec<f32>,
    pub(crate) thresholds: Vec<f32>,
    pub(crate) at_least_one: bool,
    pub(crate) info: TrainingInfo,
}

/// What the model remembers about its training, for people (kept in the manifest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// Training articles.
    pub articles: usize,
    /// Training articles per topic, in topic order.
    pub positives: Vec<usize>,
    /// The options used.
    pub options: TrainOptions,
}

/// One article's decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction<'m> {
    /// The topics assigned, the clearest first.
    pub topics: Vec<&'m str>,
}

/// Reusable buffers for turning articles into vectors.
#[derive(Default)]
struct Scratch {
    hashes: Vec<u64>,
    keys: Vec<(u64, u32)>,
}

impl TopicModel {
    /// Trains a model on labelled articles.
    pub fn train(articles: &[Record], options: &TrainOptions) -> Result<TopicModel> {
        check_options(options)?;
        if articles.is_empty() {
            return Err(ClassifyError::EmptyTrainingData);
        }
        // Topics: sorted for a deterministic model.
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for a in articles {
            for t in &a.topics {
                *counts.entry(t.as_str()).or_insert(0) += 1;
            }
        }
        let topics: Vec<String> = match &options.topics {
            Some(wanted) => {
                let mut v: Vec<String> = Vec::new();
                for t in wanted {
                    if !counts.contains_key(t.as_str()) {
                        return Err(ClassifyError::TopicNeverOccurs { topic: t.clone() });
                    }
                    if !v.contains(t) {
                        v.push(t.clone());
                    }
                }
                v.sort();
                v
            }
            None => counts.keys().map(|t| t.to_string()).collect(),
        };
        if topics.is_empty() {
            return Err(ClassifyError::NoTopics);
        }
        if topics.len() > MAX_TOPICS {
            return Err(ClassifyError::TooManyTopics {
                count: topics.len(),
                max: MAX_TOPICS,
            });
        }
        let topic_index: BTreeMap<&str, usize> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i))
            .collect();
        // positive[r * topics + t]: article r carries topic t.
        let mut positive = vec![false; articles.len() * topics.len()];
        let mut every_article_has_topic = true;
        for (r, a) in articles.iter().enumerate() {
            let mut any = false;
            for t in &a.topics {
                if let Some(&i) = topic_index.get(t.as_str()) {
                    positive[r * topics.len() + i] = true;
                    any = true;
                }
            }
            every_article_has_topic &= any;
        }

        // Features.
        let settings = options.features.clone();
        let mut scratch = Scratch::default();
        let docs: Vec<Vec<(u64, u32)>> = articles
            .iter()
            .map(|a| {
                article_keys(
                    &settings,
                    &a.title,
                    &a.body,
                    &mut scratch.hashes,
                    &mut scratch.keys,
                );
                scratch.keys.clone()
            })
            .collect();
        let vocab = Vocabulary::fit(&docs, settings.min_df);
        let mut x = Csr::new();
        for d in &docs {
            vocab.push_row(&settings, d, &mut x);
        }
        drop(docs);
        let features = vocab.len();

        // Topics are solved in lockstep in blocks small enough for the
        // block's weights to stay in cache; threads take blocks in turn.
        let block = LANES;
        let sq_norm: Vec<f32> = (0..x.rows())
            .map(|r| x.row(r).1.iter().map(|v| v * v).sum())
            .collect();
        let blocks: Vec<Range<usize>> = (0..topics.len())
            .step_by(block)
            .map(|s| s..(s + block).min(topics.len()))
            .collect();
        let next = AtomicUsize::new(0);
        let done: Mutex<Vec<GroupWeights>> = Mutex::new(Vec::new());
        let work = || loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            let Some(group) = blocks.get(b) else { break };
            let g = train_group(&x, features, &positive, &sq_norm, group.clone(), options);
            done.lock().unwrap_or_else(|e| e.into_inner()).push(g);
        };
        if options.threads <= 1 || blocks.len() == 1 {
            work();
        } else {
            std::thread::scope(|s| {
                for _ in 0..options.threads.min(blocks.len()) {
                    s.spawn(work);
                }
            });
        }
        let mut results = done.into_inner().unwrap_or_else(|e| e.into_inner());
        results.sort_by_key(|g| g.first);

        // Feature-major layout for prediction: one pass over an article's
        // features adds each feature's weights to all topics at once.
        let mut w_offsets = vec![0u32; features + 1];
        for g in &results {
            for f in 0..features {
                w_offsets[f + 1] += (g.offsets[f + 1] - g.offsets[f]) as u32;
            }
        }
        for f in 0..features {
            w_offsets[f + 1] += w_offsets[f];
        }
        let nnz = w_offsets[features] as usize;
        let mut w_topic = Vec::with_capacity(nnz);
        let mut w_value = Vec::with_capacity(nnz);
        for f in 0..features {
            for g in &results {
                let span = g.offsets[f]..g.offsets[f + 1];
                w_topic.extend(g.topic[span.clone()].iter().map(|&t| (g.first + t) as u16));
                w_value.extend_from_slice(&g.value[span]);
            }
        }
        let bias: Vec<f32> = results
            .iter()
            .flat_map(|g| g.bias.iter().copied())
            .collect();
        let thresholds: Vec<f32> = results
            .iter()
            .flat_map(|g| g.thresholds.iter().copied())
            .collect();
        let at_least_one = options.at_least_one.unwrap_or(every_article_has_topic);
        Ok(TopicModel {
            settings,
            vocab,
            w_offsets,
            w_topic,
            w_value,
            bias,
            thresholds,
            at_least_one,
            info: TrainingInfo {
                articles: articles.len(),
                positives: (0..topics.len())
                    .map(|t| {
                        positive
                            .chunks_exact(topics.len())
                            .filter(|row| row[t])
                            .count()
                    })
                    .collect(),
                options: options.clone(),
            },
            topics,
        })
    }

    /// The topics the model knows, in its order.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// Each topic's decision threshold, in topic order.
    pub fn thresholds(&self) -> &[f32] {
        &self.thresholds
    }

    /// Number of features (hashed words and bigrams) the model knows.
    pub fn feature_count(&self) -> usize {
        self.vocab.len()
    }

    /// What the model remembers about its training.
    pub fn training_info(&self) -> &TrainingInfo {
        &self.info
    }

    /// Each topic's score for one article (the SVM's decision value).
    pub fn scores(&self, title: &str, body: &str) -> Vec<f32> {
        let mut scratch = Scratch::default();
        let mut scores = Vec::new();
        self.score_into(title, body, &mut scratch, &mut scores);
        scores
    }

    /// The topics of one article.
    pub fn predict(&self, title: &str, body: &str) -> Prediction<'_> {
        let mut scratch = Scratch::default();
        let mut scores = Vec::new();
        self.predict_with(title, body, &mut scratch, &mut scores)
    }

    /// The topics of many articles, in order.
    pub fn predict_all(&self, articles: &[Record]) -> Vec<Prediction<'_>> {
        let mut scratch = Scratch::default();
        let mut scores = Vec::new();
        articles
            .iter()
            .map(|a| self.predict_with(&a.title, &a.body, &mut scratch, &mut scores))
            .collect()
    }

    fn predict_with(
        &self,
        title: &str,
        body: &str,
        scratch: &mut Scratch,
        scores: &mut Vec<f32>,
    ) -> Prediction<'_> {
        let has_words = self.score_into(title, body, scratch, scores);
        if !has_words {
            // Only the biases speak for an article without a known word:
            // that is no evidence for any topic.
            return Prediction { topics: Vec::new() };
        }
        let mut chosen: Vec<(f32, usize)> = scores
            .iter()
            .zip(&self.thresholds)
            .enumerate()
            .filter(|(_, (&s, &th))| s >= th)
            .map(|(t, (&s, &th))| (s - th, t))
            .collect();
        if chosen.is_empty() && self.at_least_one {
            chosen = scores
                .iter()
                .zip(&self.thresholds)
                .enumerate()
                .map(|(t, (&s, &th))| (s - th, t))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .into_iter()
                .collect();
        }
        chosen.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Prediction {
            topics: chosen
                .into_iter()
                .map(|(_, t)| self.topics[t].as_str())
                .collect(),
        }
    }

    /// Fills `scores`; returns whether the article has any known feature.
    fn score_into(
        &self,
        title: &str,
        body: &str,
        scratch: &mut Scratch,
        scores: &mut Vec<f32>,
    ) -> bool {
        article_keys(
            &self.settings,
            title,
            body,
            &mut scratch.hashes,
            &mut scratch.keys,
        );
        let mut row = Csr::new();
        self.vocab.push_row(&self.settings, &scratch.keys, &mut row);
        scores.clear();
        scores.extend_from_slice(&self.bias);
        let (idx, vals) = row.row(0);
        for (&f, &v) in idx.iter().zip(vals) {
            let span = self.w_offsets[f as usize] as usize..self.w_offsets[f as usize + 1] as usize;
            for (&t, &w) in self.w_topic[span.clone()].iter().zip(&self.w_value[span]) {
                scores[t as usize] += v * w;
            }
        }
        !idx.is_empty()
    }
}

fn check_options(o: &TrainOptions) -> Result<()> {
    let bad = |m: &str| Err(ClassifyError::BadSetting(m.to_owned()));
    if !(o.c.is_finite() && o.c > 0.0) {
        return bad("c must be a positive number");
    }
    if !(o.positive_weight.is_finite() && o.positive_weight > 0.0) {
        return bad("positive_weight must be a positive number");
    }
    if !(o.eps.is_finite() && o.eps > 0.0 && o.cv_eps.is_finite() && o.cv_eps > 0.0) {
        return bad("eps and cv_eps must be positive numbers");
    }
    if o.max_passes == 0 {
        return bad("max_passes must be at least 1");
    }
    if o.max_threshold.is_some_and(f64::is_nan) {
        return bad("max_threshold must be a number");
    }
    if let ThresholdMethod::CrossValidation { folds } = o.thresholds {
        if folds < 2 {
            return bad("cross-validation needs at least 2 folds");
        }
    }
    if o.features.max_text_bytes == 0 {
        return bad("max_text_bytes must be at least 1");
    }
    Ok(())
}

/// The trained weights, biases and thresholds of a group of topics.
struct GroupWeights {
    /// The group's first topic.
    first: usize,
    /// Feature-major nonzero weights: feature f's are `offsets[f]..offsets[f + 1]`.
    offsets: Vec<usize>,
    /// Topic within the group.
    topic: Vec<usize>,
    value: Vec<f32>,
    bias: Vec<f32>,
    thresholds: Vec<f32>,
}

const BIAS: f32 = 1.0;

/// Each row's fold: a fixed shuffle dealt round-robin, so folds have equal
/// sizes and no order in the input (articles grouped by topic) lines up with them.
fn fold_of_rows(n: usize, folds: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..n).rev() {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        order.swap(i, (rng % (i as u64 + 1)) as usize);
    }
    let mut fold = vec![0; n];
    for (i, &r) in order.iter().enumerate() {
        fold[r] = i % folds;
    }
    fold
}

fn train_group(
    x: &Csr,
    features: usize,
    positive_all: &[bool],
    sq_norm: &[f32],
    group: Range<usize>,
    options: &TrainOptions,
) -> GroupWeights {
    let all_topics = positive_all.len() / x.rows().max(1);
    let topics = group.len();
    let positive: Vec<u8> = positive_all
        .chunks_exact(all_topics)
        .map(|row| {
            row[group.clone()]
                .iter()
                .enumerate()
                .fold(0u8, |m, (t, &p)| m | u8::from(p) << t)
        })
        .collect();
    let prob = Problem {
        x,
        features,
        topics,
        positive,
        sq_norm,
    };
    let params = SvmParams {
        c: options.c as f32,
        positive_weight: options.positive_weight as f32,
        eps: options.eps as f32,
        max_passes: options.max_passes,
        bias: BIAS,
        seed: 0x5EED_0000 + group.start as u64,
    };
    let n = x.rows();
    let all_rows: Vec<u32> = (0..n as u32).collect();
    let full = svm::solve(&prob, &all_rows, &params, None);

    let thresholds: Vec<f32> = match options.thresholds {
        ThresholdMethod::Zero => vec![0.0; topics],
        ThresholdMethod::CrossValidation { folds } => {
            // Held-out scores of every row; each fold's solve starts from the
            // full solution, which is close, so it takes few passes.
            let mut held_out = vec![[0f32; LANES]; n];
            let fold = fold_of_rows(n, folds);
            let cv_params = SvmParams {
                eps: options.cv_eps as f32,
                ..params
            };
            for k in 0..folds {
                let kept: Vec<u32> = all_rows
                    .iter()
                    .copied()
                    .filter(|&r| fold[r as usize] != k)
                    .collect();
                let sol = svm::solve(&prob, &kept, &cv_params, Some(&full));
                for r in (0..n).filter(|&r| fold[r] == k) {
                    held_out[r] = prob.scores(&sol.w, BIAS, r);
                }
            }
            (0..topics)
                .map(|t| {
                    let scores: Vec<f64> = held_out.iter().map(|s| f64::from(s[t])).collect();
                    let pos: Vec<bool> = prob.positive.iter().map(|&m| m >> t & 1 == 1).collect();
                    let th = best_threshold(&scores, &pos, options.min_tuned_f1);
                    th.min(options.max_threshold.unwrap_or(f64::INFINITY)) as f32
                })
                .collect()
        }
    };

    let mut offsets = Vec::with_capacity(features + 1);
    let mut topic = Vec::new();
    let mut value = Vec::new();
    offsets.push(0);
    for f in 0..features {
        for (t, &w) in full.w[f][..topics].iter().enumerate() {
            if w != 0.0 {
                topic.push(t);
                value.push(w);
            }
        }
        offsets.push(topic.len());
    }
    let bias = full.w[features][..topics]
        .iter()
        .map(|&b| b * BIAS)
        .collect();
    GroupWeights {
        first: group.start,
        offsets,
        topic,
        value,
        bias,
        thresholds,
    }
}

/// The score cut that maximises F1 when everything at or above it is called
/// positive; halfway between the last score taken and the next one.
fn best_threshold(scores: &[f64], positive: &[bool], min_f1: f64) -> f64 {
    let total_pos = positive.iter().filter(|&&b| b).count();
    if total_pos == 0 {
        return 0.0;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut best = (0.0f64, None::<usize>);
    for (k, &r) in order.iter().enumerate() {
        if positive[r] {
            tp += 1;
        } else {
            fp += 1;
        }
        // Only cut between distinct scores.
        if k + 1 < order.len() && scores[order[k + 1]] == scores[r] {
            continue;
        }
        let f1 = 2.0 * tp as f64 / (tp + fp + total_pos) as f64;
        if f1 > best.0 {
            best = (f1, Some(k));
        }
    }
    match best.1 {
        _ if best.0 < min_f1 => 0.0,
        None => 0.0,
        Some(k) if k + 1 < order.len() => 0.5 * (scores[order[k]] + scores[order[k + 1]]),
        Some(k) => scores[order[k]] - 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_cuts_between_scores() {
        let s = [3.0, 2.0, 1.0, 0.0, -1.0];
        let p = [true, true, false, true, false];
        // Taking the top 4 gives F1 = 6/7, the top 2 gives 4/5.
        assert_eq!(best_threshold(&s, &p, 0.0), -0.5);
        assert_eq!(best_threshold(&s, &p, 0.9), 0.0);
        assert_eq!(best_threshold(&s, &[false; 5], 0.0), 0.0);
    }
}
