//! Latency samples for the benchmark examples: record durations, read
//! percentiles in milliseconds.

use std::time::Duration;

/// Durations of one kind of operation.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    samples: Vec<Duration>,
    sorted: bool,
}

impl Latencies {
    /// No samples yet.
    pub fn new() -> Latencies {
        Latencies::default()
    }

    /// Adds one sample.
    pub fn push(&mut self, d: Duration) {
        self.samples.push(d);
        self.sorted = false;
    }

    /// How many samples.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The `p` quantile (0.5 for the median, 0.99, 1.0 for the maximum) in
    /// milliseconds, nearest rank; NaN without samples.
    pub fn ms(&mut self, p: f64) -> f64 {
        if self.samples.is_empty() {
            return f64::NAN;
        }
        if !self.sorted {
            self.samples.sort_unstable();
            self.sorted = true;
        }
        let last = self.samples.len() - 1;
        let i = ((last as f64) * p.clamp(0.0, 1.0)).round() as usize;
        self.samples[i.min(last)].as_secs_f64() * 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let mut l = Latencies::new();
        assert!(l.ms(0.5).is_nan());
        for ms in (1..=100).rev() {
            l.push(Duration::from_millis(ms));
        }
        assert_eq!(l.len(), 100);
        assert_eq!(l.ms(0.0), 1.0);
        assert_eq!(l.ms(0.5), 51.0);
        assert_eq!(l.ms(0.99), 99.0);
        assert_eq!(l.ms(1.0), 100.0);
    }
}
