use std::time::Instant;
use newsdesk_search::{SearchIndex, SearchQuery, Sort};
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let idx = SearchIndex::open_read_only(std::path::Path::new(&dir)).unwrap();
    let mk = |t: &str| { let mut q = SearchQuery::new(t).published(true); q.limit = 20; q };
    let mut cases: Vec<(String, SearchQuery)> = ["market", "cloud", "outage", "takeover", "chatbot", "penalty", "denver",
        "\"language model\"", "expansion jobs", "service failure", "market OR cloud", "cloud -market", "oil", "\"interest rates\"",
        "quantum", "face-matching systems", "acquisition deal"].iter().map(|t| (t.to_string(), mk(t))).collect();
    cases.push(("study topic=AI".into(), mk("study").topic("AI")));
    cases.push(("cloud topic=AI".into(), mk("cloud").topic("AI")));
    let mut q = mk("partners"); q.published = None; cases.push(("partners any".into(), q));
    let mut q = mk("fine"); q.sort = Sort::Newest; cases.push(("fine newest".into(), q));
    for (label, sq) in cases {
        let mut ts = vec![]; let mut total = 0; let mut exact = true;
        for _ in 0..21 { let t = Instant::now(); let r = idx.search(&sq).unwrap(); ts.push(t.elapsed().as_secs_f64()*1e3); total = r.total; exact = r.total_exact; }
        ts.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{label:26} total {total:7}{} p50 {:6.2} ms", if exact {" "} else {"+"}, ts[10]);
    }
}
