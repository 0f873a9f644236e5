//! Search at desk scale: the tantivy index the server answers from, side by
//! side with SQLite FTS5 over the same texts and the same queries.
//!
//! ```text
//! cargo run --release -p newsdesk --example search_vs_fts5 -- --data-dir DIR
//!     [--work DIR] [--rounds R] [--count-cap N] [--fts5-filter token|column] [--rebuild-cache]
//! ```
//!
//! `DIR` is a newsdesk data folder (the store and its `search/` index), read
//! only: the store is opened with [`SqliteStore::open_read_only`] (with the
//! keyring from `NEWSDESK_KEYS` or `DIR/keys/keyring` when its bodies are
//! sealed) and the index with [`SearchIndex::open_read_only`].
//!
//! - **tantivy**: [`SearchIndex::search`] with the query the server builds for
//!   `GET /api/v1/search?q=...` ([`api_query`]: published articles only, 20
//!   hits by relevance, `<mark>` snippets), and the same without snippets.
//! - **FTS5**: a table built once from the store's search documents (the texts
//!   the index was built from, [`SqliteStore::all_search_docs`]) and cached in
//!   `--work` (default: `newsdesk-fts5-cache` in the temporary folder; reused
//!   while the store is unchanged). Columns title, excerpt, body, provider,
//!   topics and the published flag, tokenizer `porter unicode61`, ranked by
//!   `bm25` with the index's weights (title 2, the flag 0). Like the index it
//!   keeps the body indexed but not stored (external content table without
//!   bodies). Each query is a count of the matches (it stops one past
//!   `--count-cap`, default 10,000; 0 counts them all) plus the 20 best rows
//!   by `rank` (`ORDER BY rank`, so only those rows are read); the snippets
//!   variant adds `highlight()` of the title and `snippet()` of the excerpt.
//!   The published filter is, by default, a term of the flag column in the
//!   match expression (`... AND published : 1`, a posting-list intersection
//!   like the index's term filter); `--fts5-filter column` tests it on each
//!   matching row instead (`WHERE published = '1'`).
//!
//! After a warm-up round per engine, `R` rounds (default 10) run every query
//! on both engines in turn; it prints p50/p99/max per engine and scenario, the
//! FTS5/tantivy ratios, each query's match counts and top-20 overlap, the
//! sizes on disk and the process's memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use newsdesk_desk::search_sync::index_doc;
use newsdesk_search::{SearchIndex, SearchQuery};
use newsdesk_secure::Keyring;
use newsdesk_server::search::api_query;
use newsdesk_store::prelude::*;
use newsdesk_store::SqliteStore;
use newsdesk_testkit::latency::Latencies;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Queries that suit the desk's texts (the generated stream's vocabulary and
/// the Reuters stories): common and rare words, word pairs, phrases. Only
/// words and quoted phrases, which both query languages read the same way.
const QUERIES: &[&str] = &[
    "market",
    "cloud",
    "\"interest rates\"",
    "million",
    "said",
    "software",
    "robotics",
    "ai",
    "outage",
    "chatbot",
    "semiconductor",
    "cloud outage",
    "generative ai",
    "chief executive",
    "data center",
    "revenue growth",
    "warehouse automation",
    "\"facial recognition\"",
    "\"service failure\"",
    "\"per cent\"",
    "photonics",
    "apologises",
    "orrin labs pittsburgh",
    "crude oil",
    "ecuador",
];

/// Hits per page: the server's default page.
const PAGE: usize = newsdesk_server::DEFAULT_LIMIT;

/// The cache's layout; a cache of another layout is rebuilt.
const LAYOUT: &str = "1";

#[derive(Clone, Copy, PartialEq)]
enum Filter {
    Token,
    Column,
}

struct Args {
    data_dir: PathBuf,
    work: PathBuf,
    rounds: usize,
    count_cap: usize,
    filter: Filter,
    rebuild: bool,
}

fn args() -> anyhow::Result<Args> {
    let mut data_dir = None;
    let mut a = Args {
        data_dir: PathBuf::new(),
        work: std::env::temp_dir().join("newsdesk-fts5-cache"),
        rounds: 10,
        count_cap: 10_000,
        filter: Filter::Token,
        rebuild: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--rebuild-cache" {
            a.rebuild = true;
            continue;
        }
        let v = it.next().with_context(|| format!("{k} needs a value"))?;
        match k.as_str() {
            "--data-dir" => data_dir = Some(PathBuf::from(v)),
            "--work" => a.work = PathBuf::from(v),
            "--rounds" => a.rounds = v.parse().context("--rounds R")?,
            "--count-cap" => a.count_cap = v.parse().context("--count-cap N")?,
            "--fts5-filter" => {
                a.filter = match v.as_str() {
                    "token" => Filter::Token,
                    "column" => Filter::Column,
                    _ => bail!("--fts5-filter: token or column"),
                }
            }
            other => bail!("unknown argument {other}"),
        }
    }
    a.data_dir = data_dir.context("--data-dir DIR is required")?;
    Ok(a)
}

fn main() -> anyhow::Result<()> {
    let a = args()?;
    println!(
        "machine: {} cores, load {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg()
    );
    let mem_start = Memory::now();

    let store = open_store(&a.data_dir)?;
    let store_docs = store.indexable_count()?;
    let index_dir = newsdesk_server::search::index_dir(&a.data_dir);
    let index = SearchIndex::open_read_only(&index_dir)
        .with_context(|| format!("opening the index in {}", index_dir.display()))?;
    println!(
        "store: {store_docs} articles with a search document; tantivy index: {} documents ({})",
        index.doc_count(),
        index_dir.display()
    );
    if index.doc_count() != store_docs {
        println!(
            "warning: the index and the store disagree; the comparison is not over the same texts"
        );
    }

    let fts = Fts5::open(&a, &store, store_docs)?;
    drop(store);
    let mem_open = Memory::now();

    println!(
        "{} queries, {PAGE} hits each, published only; FTS5 count cap {} ({}), published filter: {}",
        QUERIES.len(),
        if a.count_cap == 0 { "none".to_string() } else { a.count_cap.to_string() },
        if a.count_cap == 0 { "counts every match" } else { "counts stop at cap + 1" },
        match a.filter {
            Filter::Token => "a term of the flag column (match expression)",
            Filter::Column => "a test of the flag column on each matching row (WHERE)",
        }
    );

    // Warm-up: each engine alone (so the memory each adds can be told apart),
    // every query in both scenarios; the answers are compared once.
    let mut answers = Vec::with_capacity(QUERIES.len());
    for q in QUERIES {
        let core = tantivy(&index, q, Scenario::Core)?;
        answers.push(tantivy(&index, q, Scenario::Server)?);
        assert_eq!(core.total, answers.last().unwrap().total);
    }
    let mem_tantivy = Memory::now();
    let mut fts_answers = Vec::with_capacity(QUERIES.len());
    for q in QUERIES {
        fts.search(q, Scenario::Core)?;
        fts_answers.push(fts.search(q, Scenario::Server)?);
    }
    let mem_fts = Memory::now();

    // Measured rounds: every query, both scenarios, both engines in turn.
    let scenarios = [Scenario::Core, Scenario::Server];
    let mut all = [
        [Latencies::new(), Latencies::new()],
        [Latencies::new(), Latencies::new()],
    ];
    let mut per_query: Vec<[Latencies; 2]> = QUERIES.iter().map(|_| Default::default()).collect();
    let run = Instant::now();
    for _ in 0..a.rounds {
        for (qi, q) in QUERIES.iter().enumerate() {
            for (si, &s) in scenarios.iter().enumerate() {
                let t = Instant::now();
                std::hint::black_box(tantivy(&index, q, s)?);
                let tv = t.elapsed();
                let t = Instant::now();
                std::hint::black_box(fts.search(q, s)?);
                let ft = t.elapsed();
                all[si][0].push(tv);
                all[si][1].push(ft);
                if s == Scenario::Server {
                    per_query[qi][0].push(tv);
                    per_query[qi][1].push(ft);
                }
            }
        }
    }
    let run = run.elapsed();
    let mem_end = Memory::now();

    println!(
        "\nper query (server scenario; matches: tantivy total, FTS5 count; top-{PAGE} ids in common):"
    );
    println!(
        "{:<28} {:>9} {:>9} {:>6} {:>10} {:>10} {:>7}",
        "query", "tantivy", "fts5", "common", "tv p50 ms", "fts p50 ms", "ratio"
    );
    let mut over_cap = false;
    for (qi, q) in QUERIES.iter().enumerate() {
        let (tv, ft) = (&answers[qi], &fts_answers[qi]);
        over_cap |= a.count_cap > 0 && tv.total > a.count_cap;
        let common = tv.ids.iter().filter(|i| ft.ids.contains(i)).count();
        let capped = a.count_cap > 0 && ft.total > a.count_cap;
        let [t, f] = &mut per_query[qi];
        let (t50, f50) = (t.ms(0.5), f.ms(0.5));
        println!(
            "{:<28} {:>9} {:>9} {:>6} {:>10.3} {:>10.3} {:>6.1}×",
            q,
            if tv.exact {
                tv.total.to_string()
            } else {
                format!("{}+", tv.total)
            },
            if capped {
                format!("{}+", a.count_cap)
            } else {
                ft.total.to_string()
            },
            format!("{common}/{}", tv.ids.len().max(ft.ids.len())),
            t50,
            f50,
            f50 / t50
        );
    }
    if over_cap {
        println!(
            "note: some tantivy totals go above {} (one word without filters, phrases and other queries it scores match by match are counted exactly) while FTS5 stops there",
            a.count_cap
        );
    }

    println!(
        "\n{} queries × {} rounds per engine and scenario (after a warm-up round), {:.1} s; latency per query:",
        QUERIES.len(),
        a.rounds,
        run.as_secs_f64()
    );
    println!(
        "{:<34} {:<8} {:>9} {:>9} {:>9}",
        "scenario", "engine", "p50 ms", "p99 ms", "max ms"
    );
    for (si, s) in scenarios.iter().enumerate() {
        for (ei, engine) in ["tantivy", "fts5"].iter().enumerate() {
            let l = &mut all[si][ei];
            println!(
                "{:<34} {:<8} {:>9.3} {:>9.3} {:>9.3}",
                s.name(),
                engine,
                l.ms(0.5),
                l.ms(0.99),
                l.ms(1.0)
            );
        }
        let [tv, ft] = &mut all[si];
        let p50 = ft.ms(0.5) / tv.ms(0.5);
        println!(
            "{:<34} fts5/tantivy: p50 {:.1}×, p99 {:.1}× (target ≥ 3× at p50: {})",
            s.name(),
            p50,
            ft.ms(0.99) / tv.ms(0.99),
            if p50 >= 3.0 { "met" } else { "not met" }
        );
    }

    println!("\nsize on disk:");
    let (tv_total, tv_store) = dir_size(&index_dir)?;
    println!(
        "  tantivy index   {:>9} (stored fields {}, postings and the rest {})",
        mb(tv_total),
        mb(tv_store),
        mb(tv_total - tv_store)
    );
    let s = fts.sizes()?;
    println!(
        "  FTS5 cache file {:>9} (full-text index {}, stored fields {}, free {})",
        mb(s.file),
        mb(s.index),
        mb(s.content),
        mb(s.free)
    );
    println!("\nprocess memory (MB: resident, of which anonymous / file-backed; peak):");
    for (what, m) in [
        ("start", &mem_start),
        (
            if fts.built_now {
                "both open (FTS5 just built)"
            } else {
                "both open"
            },
            &mem_open,
        ),
        ("after the tantivy warm-up", &mem_tantivy),
        ("after the FTS5 warm-up", &mem_fts),
        ("at the end", &mem_end),
    ] {
        println!("  {what:<26} {}", m.show());
    }
    println!(
        "  (tantivy maps its files: their pages show as file-backed; FTS5 reads through {})",
        if fts.mmap {
            "a memory map too"
        } else {
            "SQLite's page cache"
        }
    );
    println!("machine load at the end: {}", loadavg());
    Ok(())
}

/// What is measured: the index's work alone, or the server's whole search.
#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    /// Matches counted and the top page with its stored fields, no snippets.
    Core,
    /// The server's query: the same plus highlighted title and snippet.
    Server,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Core => "core (count + top 20, no snippets)",
            Scenario::Server => "server (+ highlights and snippets)",
        }
    }
}

/// One engine's answer: the match count and the ids of the page.
struct Answer {
    total: usize,
    /// Whether `total` is exact (else: at least that many).
    exact: bool,
    ids: Vec<i64>,
}

fn tantivy(index: &SearchIndex, text: &str, s: Scenario) -> anyhow::Result<Answer> {
    let mut q: SearchQuery = api_query(text);
    q.snippets = s == Scenario::Server;
    let r = index.search(&q)?;
    Ok(Answer {
        total: r.total,
        exact: r.total_exact,
        ids: r.hits.iter().map(|h| h.id).collect(),
    })
}

/// The store, with the desk's keyring when there is one (a sealed store's
/// bodies are opened with it, as the index's rebuild does).
fn open_store(data_dir: &Path) -> anyhow::Result<SqliteStore> {
    let mut store = SqliteStore::open_read_only(data_dir)
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    let keyring = match Keyring::from_env()? {
        Some(k) => Some(k),
        None => {
            let file = data_dir.join("keys").join("keyring");
            if file.is_file() {
                Some(Keyring::load_file(&file)?.keyring)
            } else {
                None
            }
        }
    };
    match keyring {
        Some(k) => store.set_sealer(Arc::new(k))?,
        None if store.is_marked_sealed()? => {
            bail!("the store's bodies are sealed: set NEWSDESK_KEYS or put the keyring in DIR/keys/keyring")
        }
        None => {}
    }
    Ok(store)
}

/// The FTS5 side: a cached database and its prepared queries.
struct Fts5 {
    conn: Connection,
    path: PathBuf,
    filter: Filter,
    cap: usize,
    mmap: bool,
    /// Whether this run built the cache (the build's memory stays counted).
    built_now: bool,
}

struct FtsSizes {
    file: u64,
    index: u64,
    content: u64,
    free: u64,
}

/// What the cache was built from: rebuilt when any of it changes.
fn source_key(data_dir: &Path, docs: u64) -> anyhow::Result<String> {
    let mut key = format!("layout {LAYOUT}; docs {docs}");
    for name in ["newsdesk.sqlite3", "newsdesk.sqlite3-wal"] {
        if let Ok(m) = std::fs::metadata(data_dir.join(name)) {
            let mtime = m
                .modified()?
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            key.push_str(&format!(
                "; {name} {} bytes, mtime {}",
                m.len(),
                mtime.as_secs()
            ));
        }
    }
    Ok(key)
}

fn meta(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .ok()
        .flatten()
}

impl Fts5 {
    /// Opens the cached FTS5 database for `data_dir`, building it first when
    /// it is missing, incomplete or from another state of the store.
    fn open(a: &Args, store: &SqliteStore, docs: u64) -> anyhow::Result<Fts5> {
        let data_dir = std::fs::canonicalize(&a.data_dir)?;
        let name = format!(
            "fts5-{:016x}.sqlite3",
            xxhash_rust::xxh3::xxh3_64(data_dir.to_string_lossy().as_bytes())
        );
        let path = a.work.join(name);
        let key = source_key(&data_dir, docs)?;
        let existing = if a.rebuild || !path.is_file() {
            None
        } else {
            let c = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let ok = meta(&c, "source").as_deref() == Some(key.as_str())
                && meta(&c, "complete").as_deref() == Some("1");
            ok.then(|| meta(&c, "built").unwrap_or_default())
        };
        let built_now = existing.is_none();
        match existing {
            Some(built) => println!("FTS5: reusing {} ({built})", path.display()),
            None => {
                println!(
                    "FTS5: building {} from the store's search documents",
                    path.display()
                );
                let built = build(&path, &a.work, store, docs, &data_dir, &key)?;
                println!("FTS5: {built}");
            }
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        // Like tantivy, which maps its files: reads from a memory map.
        let file = std::fs::metadata(&path)?.len();
        conn.pragma_update(None, "mmap_size", file as i64)?;
        let mmap: i64 = conn.query_row("PRAGMA mmap_size", [], |r| r.get(0))?;
        Ok(Fts5 {
            conn,
            path,
            filter: a.filter,
            cap: a.count_cap,
            mmap: mmap > 0,
            built_now,
        })
    }

    /// The match expression: the query over the text columns, and (by
    /// default) the published flag as a term.
    fn expr(&self, q: &str) -> String {
        let text = format!("{{title excerpt body provider topics}} : ({q})");
        match self.filter {
            Filter::Token => format!("{text} AND published : 1"),
            Filter::Column => text,
        }
    }

    fn search(&self, q: &str, s: Scenario) -> anyhow::Result<Answer> {
        let expr = self.expr(q);
        let and_published = match self.filter {
            Filter::Token => "",
            Filter::Column => " AND published = '1'",
        };
        let total: i64 = if self.cap == 0 {
            let sql = format!("SELECT count(*) FROM fts WHERE fts MATCH ?1{and_published}");
            self.conn
                .prepare_cached(&sql)?
                .query_row([&expr], |r| r.get(0))?
        } else {
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ?1{and_published} LIMIT ?2)"
            );
            self.conn
                .prepare_cached(&sql)?
                .query_row(rusqlite::params![&expr, self.cap as i64 + 1], |r| r.get(0))?
        };
        // `ORDER BY rank` lets FTS5 rank the matches itself and hand over
        // rows in order, so only the page's rows are read and highlighted.
        let marks = match s {
            Scenario::Core => "",
            Scenario::Server => {
                ", highlight(fts, 0, '<mark>', '</mark>'), snippet(fts, 1, '<mark>', '</mark>', '…', 32)"
            }
        };
        let sql = format!(
            "SELECT rowid, title, excerpt, provider, published_at{marks} FROM fts \
             WHERE fts MATCH ?1{and_published} ORDER BY rank LIMIT {PAGE}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([&expr])?;
        let mut ids = Vec::with_capacity(PAGE);
        let mut page = Vec::with_capacity(PAGE);
        while let Some(r) = rows.next()? {
            ids.push(r.get::<_, i64>(0)?);
            let mut fields: Vec<Option<String>> = Vec::with_capacity(6);
            for i in 1..r.as_ref().column_count() {
                fields.push(r.get(i)?);
            }
            page.push(fields);
        }
        std::hint::black_box(page);
        Ok(Answer {
            total: total as usize,
            exact: self.cap == 0 || total as usize <= self.cap,
            ids,
        })
    }

    fn sizes(&self) -> anyhow::Result<FtsSizes> {
        let file = std::fs::metadata(&self.path)?.len();
        let page: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let free: i64 = self
            .conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        let sum = |like: &str| -> anyhow::Result<u64> {
            let n: i64 = self.conn.query_row(
                "SELECT COALESCE(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?1",
                [like],
                |r| r.get(0),
            )?;
            Ok(n as u64)
        };
        Ok(FtsSizes {
            file,
            index: sum("fts%")?,
            content: sum("docs")?,
            free: (page * free) as u64,
        })
    }
}

/// Builds the cache at `path` (through a `.partial` file renamed at the end,
/// so an interrupted build is never taken for a complete one).
fn build(
    path: &Path,
    work: &Path,
    store: &SqliteStore,
    docs: u64,
    data_dir: &Path,
    key: &str,
) -> anyhow::Result<String> {
    // Private, like the index: the term dictionary reveals the bodies' words.
    let mut dir = std::fs::DirBuilder::new();
    dir.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
    dir.create(work)
        .with_context(|| format!("creating {}", work.display()))?;
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let start = Instant::now();
    let mut conn = Connection::open(&partial)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
         CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
         -- What the index stores; the body column stays empty (indexed, not stored).
         CREATE TABLE docs(id INTEGER PRIMARY KEY, title TEXT, excerpt TEXT, body TEXT,
             provider TEXT, topics TEXT, published TEXT, published_at TEXT);
         CREATE VIRTUAL TABLE fts USING fts5(title, excerpt, body, provider, topics, published,
             published_at UNINDEXED, content = 'docs', content_rowid = 'id',
             tokenize = 'porter unicode61');
         -- The index's weights: title 2, the other text 1, the flag and date 0.
         INSERT INTO fts(fts, rank) VALUES ('rank', 'bm25(2.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0)');",
    )?;
    let mut n = 0u64;
    let tx = conn.transaction()?;
    {
        let mut content = tx.prepare(
            "INSERT INTO docs(id, title, excerpt, provider, topics, published, published_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut index = tx.prepare(
            "INSERT INTO fts(rowid, title, excerpt, body, provider, topics, published, published_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for d in store.all_search_docs() {
            // The index's document, so both sides read the same values.
            let d = index_doc(d?);
            let topics = d.topics.join(", ");
            let published = match d.published {
                Some(true) => "1",
                Some(false) => "0",
                None => "",
            };
            let at = d.published_at.map(|t| t.to_rfc3339());
            content.execute(rusqlite::params![
                d.id, d.title, d.excerpt, d.provider, topics, published, at
            ])?;
            index.execute(rusqlite::params![
                d.id, d.title, d.excerpt, d.body, d.provider, topics, published, at
            ])?;
            n += 1;
            if n.is_multiple_of(100_000) {
                eprintln!("  {n} documents, {:.0} s", start.elapsed().as_secs_f64());
            }
        }
    }
    tx.commit()?;
    if n != docs {
        println!("warning: read {n} search documents, the store counted {docs}");
    }
    let inserted = start.elapsed();
    conn.execute_batch("INSERT INTO fts(fts) VALUES ('optimize');")?;
    let optimized = start.elapsed();
    conn.execute_batch("VACUUM;")?;
    let total = start.elapsed();
    let built = format!(
        "built {} from {n} documents of {} in {:.0} s (inserts {:.0} s, merging into one segment {:.0} s, vacuum {:.0} s)",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        data_dir.display(),
        total.as_secs_f64(),
        inserted.as_secs_f64(),
        (optimized - inserted).as_secs_f64(),
        (total - optimized).as_secs_f64()
    );
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('source', ?1), ('built', ?2), ('complete', '1')",
        [key, built.as_str()],
    )?;
    drop(conn);
    std::fs::rename(&partial, path)?;
    Ok(built)
}

/// Total bytes of the files in `dir`, and of its stored-field files.
fn dir_size(dir: &Path) -> anyhow::Result<(u64, u64)> {
    let (mut total, mut store) = (0, 0);
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let len = e.metadata()?.len();
        total += len;
        if e.path().extension().is_some_and(|x| x == "store") {
            store += len;
        }
    }
    Ok((total, store))
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// This process's memory, from `/proc/self/status` (Linux; empty elsewhere).
struct Memory {
    rss: u64,
    anon: u64,
    file: u64,
    peak: u64,
}

impl Memory {
    fn now() -> Memory {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kb = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            rss: kb("VmRSS:"),
            anon: kb("RssAnon:"),
            file: kb("RssFile:"),
            peak: kb("VmHWM:"),
        }
    }

    fn show(&self) -> String {
        let m = |kb: u64| kb as f64 / 1024.0;
        format!(
            "{:>7.0} ({:.0} / {:.0}); peak {:.0}",
            m(self.rss),
            m(self.anon),
            m(self.file),
            m(self.peak)
        )
    }
}
