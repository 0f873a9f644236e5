//! Compressed sparse rows: one row per article, `f32` values.

/// A sparse matrix stored row by row.
#[derive(Debug, Clone)]
pub(crate) struct Csr {
    /// Row `r` is `indptr[r]..indptr[r + 1]` of `indices` and `values`.
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Csr {
    pub fn new() -> Csr {
        Csr {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    #[inline]
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let span = self.indptr[r]..self.indptr[r + 1];
        (&self.indices[span.clone()], &self.values[span])
    }
}
