//! Topics by example: a multi-label linear text classifier.
//!
//! Articles become l2-normalised TF-IDF vectors (sublinear tf, smoothed idf)
//! over hashed words (word bigrams and separate title features are options).
//! Each topic gets its own linear SVM (squared hinge loss, dual coordinate
//! descent; the topics are solved eight at a time in lockstep, see `svm.rs`)
//! and its own decision threshold, the F1-best cut over 3-fold cross-validated
//! scores of the training articles — which is what lets rare topics be found
//! at all. An article with words gets at least its best topic when every
//! training article had one. A model is a folder (see [`store`]) with a
//! versioned manifest.
//!
//! ```
//! use newsdesk_classify::{Record, TopicModel, TrainOptions};
//! let art = |id: u32, body: &str, topic: &str| Record {
//!     id: id.into(),
//!     title: String::new(),
//!     body: body.to_owned(),
//!     topics: vec![topic.to_owned()],
//! };
//! let train: Vec<Record> = (0..20)
//!     .map(|i| if i % 2 == 0 {
//!         art(i, "crude oil prices rose as opec met", "oil")
//!     } else {
//!         art(i, "wheat and corn harvest exports grain", "grain")
//!     })
//!     .collect();
//! let mut options = TrainOptions::default();
//! options.features.min_df = 1;
//! let model = TopicModel::train(&train, &options).unwrap();
//! assert_eq!(model.predict("", "opec crude oil output").topics, vec!["oil"]);
//! ```

mod error;
pub mod eval;
mod features;
mod model;
mod record;
mod sparse;
pub mod store;
mod svm;
mod text;

pub use error::{ClassifyError, Result};
pub use features::FeatureSettings;
pub use model::{Prediction, ThresholdMethod, TopicModel, TrainOptions, TrainingInfo, MAX_TOPICS};
pub use record::{read_jsonl, Record};
