//! `newsdesk stats`: what the store holds, by source, provider and day.

use newsdesk_desk::DeskPaths;
use std::process::ExitCode;

pub fn run(paths: &DeskPaths, json: bool) -> anyhow::Result<ExitCode> {
    let st = paths.open_store()?.stats()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&st)?);
    } else {
        print!("{}", newsdesk_render::text::stats(&st));
    }
    Ok(ExitCode::SUCCESS)
}
