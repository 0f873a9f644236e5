//! Calibration against the seed site: our quality over the everyday-ai corpus
//! records (the site's own records, with the quality it gave them).
//!
//! Reports, with `--nocapture`:
//! - Spearman rank correlation between our quality and the site's, over the 95
//!   top-level records that carry one (and over those plus the related
//!   entries that carry one);
//! - where the market-research press releases of the corpus (hand-listed
//!   below, both folders, plus related entries) fall: every one must be below
//!   the default bar;
//! - how many of the records the site scored low and left unpublished we also
//!   put below the bar.
//!
//! `NEWSDESK_SCORE_DETAIL=1` prints every record's scores and breakdown.
//!
//! The records carry no body (their full text is encrypted in `secured`), so
//! depth is the neutral no-body value throughout; the comparison exercises
//! source, originality, image, title and spam. A record whose `heat` is -1 is
//! one the site found to be a copy, and is scored as a duplicate (the desk's
//! copy detection gives the scorer the same fact).

use std::path::{Path, PathBuf};

use newsdesk_model::article::Article;
use newsdesk_model::document::Document;
use newsdesk_score::{Breakdown, QualityInput, Scorer, DEFAULT_QUALITY_BAR};

/// The market-research press releases of the corpus, by file name.
const MARKET_RESEARCH_FILES: &[&str] = &[
    // _archive/_news
    "2019-12-16-automotive-artificial-intelligence-market-analysis-in-electronics-segment-research-and-forecasts-2017-to-2024.md",
    "2019-12-16-computer-vision-market-key-players-and-production-information-analysis-with-forecast-2026.md",
    "2019-12-17-the-global-machine-translation-market-at-a-cagr-of-over-19-during-the-forecast-period.md",
    "2019-12-18-the-global-machine-translation-market-at-a-cagr-of-over-19-during-the-forecast-period.md",
    "2019-12-19-global-travel-technologies-market-2019-2023-9-cagr-projection-over-the-next-five-years-technavio.md",
    "2019-12-24-artificial-intelligence-ai-robots-market-statistical-analysis-2020cagr-growth-of-2020-and-forecast-to-2023.md",
    "2019-12-24-machine-translationmt-system-market-in-depth-analysis-report-2019.md",
    "2019-12-27-image-recognition-market-2020-2029-modern-analysis-of-worldwide-competition-strategic-development-and-progressive-approach.md",
    "2019-12-27-statistical-natural-language-processing-market.md",
    // _news
    "2021-03-02-ai-in-fintech-market-2021-growth-analysis-share-demand-by-regions-types-and-analysis-of-key-players-research-forecasts-to-2027.md",
    "2021-03-02-object-recognition-imaging-systems-market-consumption-analysis-growth-forecast-by-manufacturers-regions-type-and-application-to-2025.md",
    "2021-03-03-artificial-intelligence-and-cognitive-computing-market-next-big-thing-major-giants-microsoft-teradata-ibm.md",
    "2021-03-05-natural-language-processing-market-analysis-2021-to-2025-decisive-approach-remarkable-growth-and-countless-market-share-with-future-prospects.md",
    "2021-03-09-healthcare-artificial-intelligence-market-next-big-thing-major-giants-aicure-apixio-ibm.md",
    "2021-03-09-image-recognition-market-key-drivers-restraints-industry-size-share-opportunities-trends-and-forecasts-up-to-2028-fortune-business-insights.md",
    "2021-03-10-ibm-watson-services-market-size-to-accrue-165-billion-by-2027.md",
    "2021-03-11-global-computer-vision-development-market-size-share-value-and-competitive-landscape-2026.md",
    "2021-03-11-self-driving-car-market-revenue-growth-predicted-by-2021-2024-by-kenneth-research.md",
    "2021-03-11-worldwide-ai-in-computer-vision-industry-to-2027-rise-in-demand-for-automating-processes-across-industries-presents-opportunities-researchandmarke.md",
    "2021-03-12-insights-on-the-ai-in-computer-vision-global-market-to-2027-by-component-end-user-and-region.md",
];

/// Market-research press releases that appear only as related entries, by title.
const MARKET_RESEARCH_RELATED: &[&str] = &[
    "Image Recognition Market New Research Report| Attrasoft Inc, NEC Corporation, Google Inc",
    "Machine Translation(MT) System Market In-Depth Analysis Report 2019",
    "The global machine translation market at a CAGR of over 19% during the forecast period",
];

/// The measured values (0.276 over the top-level records, 0.257 with the
/// related entries) minus a margin of about 0.05: a change that lowers
/// agreement this much has changed what quality means.
///
/// The agreement is modest by nature: the site's quality gives no weight to
/// who published (our source component alone has rank correlation 0.00 with
/// it; the score without it 0.45), rates Medium posts highest and gives the
/// same article different values on different days. The components that
/// agree with it are image (0.32 alone), spam (0.31) and originality (0.24).
const MIN_SPEARMAN_TOP: f64 = 0.22;
const MIN_SPEARMAN_ALL: f64 = 0.20;

struct Scored {
    file: String,
    related: bool,
    article: Article,
    ours: i64,
    breakdown: Breakdown,
}

fn corpus_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["_archive/_news", "_news"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            panic!("{} is missing", root.join(dir).display());
        };
        for e in entries {
            let p = e.expect("readable folder entry").path();
            if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn score(scorer: &Scorer, a: &Article) -> (i64, Breakdown) {
    let mut input = QualityInput::from_article(a);
    input.is_duplicate = a.heat == Some(-1);
    let b = scorer.quality(&input);
    assert!(b.is_consistent(), "{}: {b}", a.title);
    (b.score, b)
}

fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation (Pearson over average ranks, so ties are fine).
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn spearman_handles_ties() {
    assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    assert_eq!(ranks(&[5.0, 1.0, 5.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
}

#[test]
fn quality_agrees_with_the_site() {
    let Some(root) = newsdesk_testkit::shared("corpus/everyday-ai") else {
        return;
    };
    let detail = std::env::var("NEWSDESK_SCORE_DETAIL").as_deref() == Ok("1");
    let scorer = Scorer::default();
    let bar = DEFAULT_QUALITY_BAR;

    let mut scored = Vec::new();
    let files = corpus_files(&root);
    assert_eq!(files.len(), 195, "the corpus README lists 195 records");
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable corpus file");
        let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for r in &doc.article.related {
            let (ours, breakdown) = score(&scorer, r);
            scored.push(Scored {
                file: file.clone(),
                related: true,
                article: r.clone(),
                ours,
                breakdown,
            });
        }
        let (ours, breakdown) = score(&scorer, &doc.article);
        scored.push(Scored {
            file,
            related: false,
            article: doc.article,
            ours,
            breakdown,
        });
    }

    if detail {
        for s in &scored {
            eprintln!(
                "site {:>4} ours {:>4} {} {} | {}\n{}\n",
                s.article.quality.map_or("-".into(), |q| q.to_string()),
                s.ours,
                if s.related { "rel" } else { "top" },
                s.file,
                s.article.title,
                s.breakdown
            );
        }
    }

    // Rank agreement.
    let pairs = |top_only: bool| -> (Vec<f64>, Vec<f64>) {
        scored
            .iter()
            .filter(|s| !(top_only && s.related))
            .filter_map(|s| s.article.quality.map(|q| (q as f64, s.ours as f64)))
            .unzip()
    };
    let (site_top, ours_top) = pairs(true);
    let (site_all, ours_all) = pairs(false);
    let rho_top = spearman(&site_top, &ours_top);
    let rho_all = spearman(&site_all, &ours_all);
    // Each component alone, and the score without it (top-level records).
    let with_quality: Vec<&Scored> = scored
        .iter()
        .filter(|s| !s.related && s.article.quality.is_some())
        .collect();
    for name in ["source", "depth", "originality", "image", "title", "spam"] {
        let alone: Vec<f64> = with_quality
            .iter()
            .map(|s| s.breakdown.points(name) as f64)
            .collect();
        let without: Vec<f64> = with_quality
            .iter()
            .map(|s| (s.breakdown.score - s.breakdown.points(name)) as f64)
            .collect();
        let (a, w) = (spearman(&site_top, &alone), spearman(&site_top, &without));
        eprintln!(
            "  {name:<12} alone {:>6}  score without it {w:.3}",
            if a.is_nan() {
                "n/a".to_string()
            } else {
                format!("{a:.3}")
            }
        );
    }
    eprintln!(
        "Spearman (ours vs site quality): {rho_top:.3} over {} top-level records, {rho_all:.3} over {} with related entries",
        site_top.len(),
        site_all.len()
    );

    // Market-research press releases.
    let market: Vec<&Scored> = scored
        .iter()
        .filter(|s| {
            (!s.related && MARKET_RESEARCH_FILES.contains(&s.file.as_str()))
                || (s.related && MARKET_RESEARCH_RELATED.contains(&s.article.title.as_str()))
        })
        .collect();
    let top_market = market.iter().filter(|s| !s.related).count();
    assert_eq!(
        top_market,
        MARKET_RESEARCH_FILES.len(),
        "every listed file was found"
    );
    let max_market = market.iter().map(|s| s.ours).max().unwrap_or(0);
    let above: Vec<String> = market
        .iter()
        .filter(|s| s.ours >= bar)
        .map(|s| format!("{} ({}):\n{}", s.article.title, s.ours, s.breakdown))
        .collect();
    eprintln!(
        "market-research press releases: {} ({} records, {} related entries), highest score {max_market}, {} at or above the bar {bar}",
        market.len(),
        top_market,
        market.len() - top_market,
        above.len()
    );

    // The site's low-quality unpublished records (not copies).
    let low: Vec<&Scored> = scored
        .iter()
        .filter(|s| {
            !s.related
                && s.article.published == Some(false)
                && s.article.heat != Some(-1)
                && s.article.quality.is_some_and(|q| q < 30)
        })
        .collect();
    let low_below = low.iter().filter(|s| s.ours < bar).count();
    eprintln!(
        "site-unpublished records the site scored under 30 (not copies): {}, of which we put {} below the bar",
        low.len(),
        low_below
    );

    // Published by the site vs not: mean of ours.
    let mean = |f: &dyn Fn(&Scored) -> bool| {
        let v: Vec<i64> = scored
            .iter()
            .filter(|s| !s.related && f(s))
            .map(|s| s.ours)
            .collect();
        (
            v.iter().sum::<i64>() as f64 / v.len().max(1) as f64,
            v.len(),
        )
    };
    let (m_pub, n_pub) = mean(&|s| s.article.published == Some(true));
    let (m_unp, n_unp) = mean(&|s| s.article.published == Some(false));
    eprintln!(
        "our mean quality: {m_pub:.1} over {n_pub} records the site published, {m_unp:.1} over {n_unp} it did not"
    );

    assert!(
        above.is_empty(),
        "market-research releases at or above the bar:\n{}",
        above.join("\n")
    );
    assert!(
        rho_top >= MIN_SPEARMAN_TOP,
        "rank agreement with the site fell to {rho_top:.3} (floor {MIN_SPEARMAN_TOP})"
    );
    assert!(
        rho_all >= MIN_SPEARMAN_ALL,
        "rank agreement with the site (with related entries) fell to {rho_all:.3} (floor {MIN_SPEARMAN_ALL})"
    );
    assert!(
        m_pub > m_unp,
        "records the site published score higher on average"
    );
}

/// The seeds: the published ones pass the default bar, the copy (seed 000)
/// scores lower than the same record would as an original.
#[test]
fn seeds_pass_the_bar() {
    let Some(dir) = newsdesk_testkit::shared("seeds") else {
        return;
    };
    let scorer = Scorer::default();
    let mut seen = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seeds folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        let text = std::fs::read_to_string(&p).expect("seed");
        let Ok(doc) = Document::parse(&text) else {
            continue; // seed 002 is a raw text, not a record
        };
        seen += 1;
        let a = &doc.article;
        let mut input = QualityInput::from_article(a);
        input.is_duplicate = a.heat == Some(-1);
        let b = scorer.quality(&input);
        eprintln!("{}: site {:?}, ours\n{b}", a.title, a.quality);
        if a.published == Some(true) {
            assert!(b.score >= DEFAULT_QUALITY_BAR, "{}: {b}", a.title);
        }
        if input.is_duplicate {
            input.is_duplicate = false;
            assert!(scorer.quality(&input).score > b.score);
        }
    }
    assert_eq!(seen, 3);
}
