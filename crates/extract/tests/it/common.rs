//! What the tests over the real sets share.

use std::io::Read;
use std::path::Path;

/// A gzipped file's bytes (several gzip members read as one); a missing or
/// broken file fails the test naming it.
pub fn read_gz(path: &Path) -> Vec<u8> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}
