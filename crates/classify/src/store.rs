//! A model on disk: a folder with `manifest.json` (format, version, topics,
//! thresholds, settings, and the size and xxh3 checksum of each data file),
//! `features.bin` (feature keys and idf) and `weights.bin` (feature-major
//! topic weights). All numbers little-endian.
//!
//! Data files are written first (each to a temporary name, then renamed) and
//! the manifest last, so a folder with a manifest always has the files it
//! describes. A manifest from a newer format version is refused before
//! anything else is read.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::{ClassifyError, Result};
use crate::features::{FeatureSettings, Vocabulary};
use crate::model::{TopicModel, TrainingInfo};

/// The `format` value of every manifest.
pub const FORMAT: &str = "newsdesk-topic-model";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

const MANIFEST: &str = "manifest.json";
const FEATURES: &str = "features.bin";
const WEIGHTS: &str = "weights.bin";
const FEATURES_MAGIC: &[u8; 8] = b"NDTPFEA1";
const WEIGHTS_MAGIC: &[u8; 8] = b"NDTPWGT1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    version: u32,
    written_by: String,
    topics: Vec<String>,
    thresholds: Vec<f32>,
    bias: Vec<f32>,
    at_least_one: bool,
    features: FeatureSettings,
    feature_count: usize,
    weight_count: usize,
    files: BTreeMap<String, FileInfo>,
    training: TrainingInfo,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileInfo {
    bytes: u64,
    xxh3: String,
}

/// Only what every version's manifest has, read first.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

impl TopicModel {
    /// Writes the model into `dir` (created if missing; a model already
    /// there is replaced).
    pub fn save(&self, dir: &Path) -> Result<()> {
        fs::create_dir_all(dir).map_err(|error| ClassifyError::ModelIo {
            path: dir.to_path_buf(),
            error,
        })?;
        let mut feat = Vec::with_capacity(16 + self.vocab.len() * 12);
        feat.extend_from_slice(FEATURES_MAGIC);
        feat.extend_from_slice(&(self.vocab.len() as u64).to_le_bytes());
        for k in &self.vocab.keys {
            feat.extend_from_slice(&k.to_le_bytes());
        }
        for v in &self.vocab.idf {
            feat.extend_from_slice(&v.to_le_bytes());
        }
        let nnz = self.w_value.len();
        let mut wts = Vec::with_capacity(24 + self.w_offsets.len() * 4 + nnz * 6);
        wts.extend_from_slice(WEIGHTS_MAGIC);
        wts.extend_from_slice(&(self.vocab.len() as u64).to_le_bytes());
        wts.extend_from_slice(&(nnz as u64).to_le_bytes());
        for o in &self.w_offsets {
            wts.extend_from_slice(&o.to_le_bytes());
        }
        for t in &self.w_topic {
            wts.extend_from_slice(&t.to_le_bytes());
        }
        for v in &self.w_value {
            wts.extend_from_slice(&v.to_le_bytes());
        }
        let mut files = BTreeMap::new();
        for (name, bytes) in [(FEATURES, &feat), (WEIGHTS, &wts)] {
            write_file(dir, name, bytes)?;
            files.insert(
                name.to_owned(),
                FileInfo {
                    bytes: bytes.len() as u64,
                    xxh3: format!("{:016x}", xxh3_64(bytes)),
                },
            );
        }
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            written_by: concat!("newsdesk-classify ", env!("CARGO_PKG_VERSION")).to_owned(),
            topics: self.topics.clone(),
            thresholds: self.thresholds.clone(),
            bias: self.bias.clone(),
            at_least_one: self.at_least_one,
            features: self.settings.clone(),
            feature_count: self.vocab.len(),
            weight_count: nnz,
            files,
            training: self.info.clone(),
        };
        let mut json =
            serde_json::to_vec_pretty(&manifest).map_err(|e| ClassifyError::ModelIo {
                path: dir.join(MANIFEST),
                error: std::io::Error::other(e),
            })?;
        json.push(b'\n');
        write_file(dir, MANIFEST, &json)
    }

    /// Reads a model written by [`save`](Self::save).
    pub fn load(dir: &Path) -> Result<TopicModel> {
        let manifest_path = dir.join(MANIFEST);
        let raw = match fs::read(&manifest_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ClassifyError::NotAModel {
                    dir: dir.to_path_buf(),
                })
            }
            Err(error) => {
                return Err(ClassifyError::ModelIo {
                    path: manifest_path,
                    error,
                })
            }
        };
        let corrupt = |path: &Path, reason: String| ClassifyError::CorruptModel {
            path: path.to_path_buf(),
            reason,
        };
        let header: Header = serde_json::from_slice(&raw)
            .map_err(|e| corrupt(&manifest_path, format!("not a model manifest: {e}")))?;
        if header.format != FORMAT {
            return Err(corrupt(
                &manifest_path,
                format!("format is {:?}, expected {FORMAT:?}", header.format),
            ));
        }
        if header.version > FORMAT_VERSION {
            return Err(ClassifyError::NewerModelVersion {
                path: manifest_path,
                found: header.version,
                supported: FORMAT_VERSION,
            });
        }
        let m: Manifest = serde_json::from_slice(&raw)
            .map_err(|e| corrupt(&manifest_path, format!("unreadable manifest: {e}")))?;
        let topics = m.topics.len();
        if topics == 0
            || m.thresholds.len() != topics
            || m.bias.len() != topics
            || topics > crate::model::MAX_TOPICS
        {
            return Err(corrupt(
                &manifest_path,
                "topic, threshold and bias lists do not match".to_owned(),
            ));
        }

        let feat_path = dir.join(FEATURES);
        let feat = read_checked(&feat_path, FEATURES, &m.files)?;
        let mut r = Reader::new(&feat, &feat_path, FEATURES_MAGIC)?;
        let n = r.u64()? as usize;
        if n != m.feature_count {
            return Err(corrupt(
                &feat_path,
                format!("{n} features, manifest says {}", m.feature_count),
            ));
        }
        r.expect_len(n.saturating_mul(12))?;
        let keys: Vec<u64> = (0..n).map(|_| r.u64()).collect::<Result<_>>()?;
        let idf: Vec<f32> = (0..n).map(|_| r.f32()).collect::<Result<_>>()?;
        if keys.windows(2).any(|w| w[0] >= w[1]) || idf.iter().any(|v| !v.is_finite()) {
            return Err(corrupt(
                &feat_path,
                "feature table out of order or not finite".to_owned(),
            ));
        }

        let w_path = dir.join(WEIGHTS);
        let wts = read_checked(&w_path, WEIGHTS, &m.files)?;
        let mut r = Reader::new(&wts, &w_path, WEIGHTS_MAGIC)?;
        let wf = r.u64()? as usize;
        let nnz = r.u64()? as usize;
        if wf != n || nnz != m.weight_count {
            return Err(corrupt(
                &w_path,
                "sizes do not match the manifest".to_owned(),
            ));
        }
        r.expect_len(
            n.saturating_add(1)
                .saturating_mul(4)
                .saturating_add(nnz.saturating_mul(6)),
        )?;
        let w_offsets: Vec<u32> = (0..=n).map(|_| r.u32()).collect::<Result<_>>()?;
        let w_topic: Vec<u16> = (0..nnz).map(|_| r.u16()).collect::<Result<_>>()?;
        let w_value: Vec<f32> = (0..nnz).map(|_| r.f32()).collect::<Result<_>>()?;
        if w_offsets[0] != 0
            || w_offsets[n] as usize != nnz
            || w_offsets.windows(2).any(|w| w[0] > w[1])
            || w_topic.iter().any(|&t| t as usize >= topics)
            || w_value.iter().any(|v| !v.is_finite())
        {
            return Err(corrupt(&w_path, "weight table is inconsistent".to_owned()));
        }
        Ok(TopicModel {
            settings: m.features,
            vocab: Vocabulary::new(keys, idf),
            topics: m.topics,
            w_offsets,
            w_topic,
            w_value,
            bias: m.bias,
            thresholds: m.thresholds,
            at_least_one: m.at_least_one,
            info: m.training,
        })
    }
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let path = dir.join(name);
    fs::write(&tmp, bytes)
        .and_then(|()| fs::rename(&tmp, &path))
        .map_err(|error| ClassifyError::ModelIo { path, error })
}

fn read_checked(path: &PathBuf, name: &str, files: &BTreeMap<String, FileInfo>) -> Result<Vec<u8>> {
    let corrupt = |reason: String| ClassifyError::CorruptModel {
        path: path.clone(),
        reason,
    };
    let info = files
        .get(name)
        .ok_or_else(|| corrupt("not listed in the manifest".to_owned()))?;
    let bytes = fs::read(path).map_err(|error| ClassifyError::ModelIo {
        path: path.clone(),
        error,
    })?;
    if bytes.len() as u64 != info.bytes {
        return Err(corrupt(format!(
            "{} bytes, the manifest says {}",
            bytes.len(),
            info.bytes
        )));
    }
    let sum = format!("{:016x}", xxh3_64(&bytes));
    if sum != info.xxh3 {
        return Err(corrupt(format!(
            "checksum {sum} does not match the manifest's {}",
            info.xxh3
        )));
    }
    Ok(bytes)
}

/// Bounds-checked little-endian reads.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], path: &'a Path, magic: &[u8; 8]) -> Result<Reader<'a>> {
        if bytes.get(..8) != Some(&magic[..]) {
            return Err(ClassifyError::CorruptModel {
                path: path.to_path_buf(),
                reason: "wrong file signature".to_owned(),
            });
        }
        Ok(Reader { bytes, at: 8, path })
    }

    fn expect_len(&self, rest: usize) -> Result<()> {
        if self.bytes.len() - self.at != rest {
            return Err(ClassifyError::CorruptModel {
                path: self.path.to_path_buf(),
                reason: format!(
                    "{} bytes of data, expected {rest}",
                    self.bytes.len() - self.at
                ),
            });
        }
        Ok(())
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let chunk = self
            .bytes
            .get(self.at..self.at + N)
            .and_then(|s| <[u8; N]>::try_from(s).ok())
            .ok_or_else(|| ClassifyError::CorruptModel {
                path: self.path.to_path_buf(),
                reason: "file ends early".to_owned(),
            })?;
        self.at += N;
        Ok(chunk)
    }

    fn u64(&mut self) -> Result<u64> {
        self.take::<8>().map(u64::from_le_bytes)
    }
    fn u32(&mut self) -> Result<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    fn u16(&mut self) -> Result<u16> {
        self.take::<2>().map(u16::from_le_bytes)
    }
    fn f32(&mut self) -> Result<f32> {
        self.take::<4>().map(f32::from_le_bytes)
    }
}
