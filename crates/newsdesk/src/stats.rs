//! `newsdesk stats`: what the store holds, by source, provider and day.

use newsdesk_desk::DeskPaths;
use std::process::ExitCode;

pub fn run(paths: &DeskPaths, json: bool) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    let st = store.stats()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&st)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} articles ({} known only from related lists), {} sources",
        st.articles, st.stubs, st.sources
    );
    for (title, rows) in [
        ("by source", &st.by_source),
        ("by provider", &st.by_provider),
        ("by day", &st.by_day),
    ] {
        println!("\n{title}:");
        for (k, n) in rows.iter() {
            println!("  {n:>8}  {k}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
