//! Prometheus metrics in the text exposition format, without a metrics
//! library: counters and latency histograms keyed by a few fixed labels.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Latency bucket bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                self.counts[i] += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Default)]
struct Inner {
    /// route → status → requests.
    requests: BTreeMap<String, BTreeMap<u16, u64>>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
    /// name → value, for counters other parts of the desk report
    /// (`ingest_articles_total`, `fetch_errors_total`, ...).
    counters: BTreeMap<String, u64>,
    /// name → latency, for timed steps (`analysis_batch_seconds`, ...).
    timings: BTreeMap<String, Histogram>,
}

/// The desk's metrics registry; cheap to share behind an `Arc`.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One HTTP request answered.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        let mut m = self.lock();
        // Every request passes here: allocate the keys only the first time.
        match m.requests.get_mut(route) {
            Some(by_status) => *by_status.entry(status).or_default() += 1,
            None => {
                m.requests
                    .insert(route.to_string(), BTreeMap::from([(status, 1)]));
            }
        }
        match m.latency.get_mut(route) {
            Some(h) => h.observe(took.as_secs_f64()),
            None => {
                let mut h = Histogram::default();
                h.observe(took.as_secs_f64());
                m.latency.insert(route.to_string(), h);
            }
        }
    }

    /// Adds to a named counter (name in Prometheus form, `_total` suffix).
    pub fn add(&self, name: &str, n: u64) {
        *self.lock().counters.entry(name.to_string()).or_default() += n;
    }

    /// Records how long a named step took (name ends in `_seconds`).
    pub fn time(&self, name: &str, took: Duration) {
        self.lock()
            .timings
            .entry(name.to_string())
            .or_default()
            .observe(took.as_secs_f64());
    }

    /// The exposition text; `gauges` are point-in-time values computed by the caller.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let m = self.lock();
        let mut out = String::new();
        out.push_str(
            "# HELP newsdesk_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE newsdesk_http_requests_total counter\n");
        for (route, by_status) in &m.requests {
            for (status, n) in by_status {
                let _ = writeln!(
                    out,
                    "newsdesk_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP newsdesk_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE newsdesk_http_request_duration_seconds histogram\n");
        for (route, h) in &m.latency {
            write_histogram(
                &mut out,
                "newsdesk_http_request_duration_seconds",
                &format!("route=\"{}\",", escape(route)),
                h,
            );
        }
        for (name, n) in &m.counters {
            let _ = writeln!(out, "# TYPE newsdesk_{name} counter\nnewsdesk_{name} {n}");
        }
        for (name, h) in &m.timings {
            let _ = writeln!(out, "# TYPE newsdesk_{name} histogram");
            write_histogram(&mut out, &format!("newsdesk_{name}"), "", h);
        }
        for (name, help, v) in gauges {
            let _ = writeln!(
                out,
                "# HELP newsdesk_{name} {help}\n# TYPE newsdesk_{name} gauge\nnewsdesk_{name} {v}"
            );
        }
        out
    }
}

fn write_histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    for (i, b) in BUCKETS.iter().enumerate() {
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{b}\"}} {}", h.counts[i]);
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {}", h.count);
    let labels = labels.trim_end_matches(',');
    let braces = if labels.is_empty() {
        String::new()
    } else {
        format!("{{{labels}}}")
    };
    let _ = writeln!(out, "{name}_sum{braces} {}", h.sum);
    let _ = writeln!(out, "{name}_count{braces} {}", h.count);
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("/api/v1/articles", 200, Duration::from_millis(3));
        m.request("/api/v1/articles", 200, Duration::from_millis(30));
        m.request("/api/v1/articles", 400, Duration::from_micros(100));
        m.add("ingest_articles_total", 5);
        let text = m.render(&[("articles", "Articles stored.", 12.0)]);
        assert!(text
            .contains("newsdesk_http_requests_total{route=\"/api/v1/articles\",status=\"200\"} 2"));
        assert!(text.contains(
            "newsdesk_http_request_duration_seconds_bucket{route=\"/api/v1/articles\",le=\"0.005\"} 2"
        ));
        assert!(text.contains(
            "newsdesk_http_request_duration_seconds_bucket{route=\"/api/v1/articles\",le=\"+Inf\"} 3"
        ));
        assert!(text.contains(
            "newsdesk_http_request_duration_seconds_count{route=\"/api/v1/articles\"} 3"
        ));
        assert!(text.contains("newsdesk_ingest_articles_total 5"));
        assert!(text.contains("newsdesk_articles 12"));
    }
}
