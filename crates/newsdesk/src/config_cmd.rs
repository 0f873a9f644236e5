//! `newsdesk config`, and the flags laid over the configuration
//! (`newsdesk_config`); a flag not given leaves the value as it was.

use std::net::SocketAddr;
use std::process::ExitCode;

use newsdesk_config::{show, RunOverrides, ServeOverrides, Settings};

/// `newsdesk serve`'s (and `config`'s) flags, each naming the key it overrides.
#[derive(clap::Args, Debug, Default)]
pub struct ServeFlags {
    /// Where to listen (`server.addr`; default 127.0.0.1:8080).
    #[arg(long)]
    pub addr: Option<SocketAddr>,
    /// The public base URL for links (`server.base_url`; default: http:// and the address).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Read connections to the store, concurrent queries (`server.readers`; default 4).
    #[arg(long)]
    pub readers: Option<usize>,
    /// Allow browser requests from this origin, repeatable, `*`: any (`server.cors_origins`; default none).
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
    /// Requests per minute per anonymous client address (`server.anonymous_rate`; default 600).
    #[arg(long)]
    pub anonymous_rate: Option<u32>,
    /// Requests per minute for an API key without its own rate (`server.key_rate`; default 6000).
    #[arg(long)]
    pub key_rate: Option<u32>,
    /// Behind a reverse proxy: rate-limit anonymous clients by the last X-Forwarded-For
    /// address, not the connection's (`server.trust_forwarded_for`).
    #[arg(long)]
    pub trust_forwarded_for: bool,
}

impl ServeFlags {
    /// The flags given, over `settings`.
    pub fn apply(self, settings: &mut Settings) {
        let Self {
            addr,
            base_url,
            readers,
            cors_origins,
            anonymous_rate,
            key_rate,
            trust_forwarded_for,
        } = self;
        ServeOverrides {
            addr,
            base_url,
            readers,
            cors_origins,
            anonymous_rate,
            key_rate,
            trust_forwarded_for,
        }
        .apply(settings);
    }
}

/// `newsdesk run`'s settings as flags. Each names the key it overrides.
#[derive(clap::Args, Debug, Default)]
pub struct RunFlags {
    /// Allow loopback addresses (127.0.0.0/8, ::1), refused by default (`run.allow_loopback`).
    #[arg(long)]
    pub allow_loopback: bool,
    /// Allow private, link-local and shared addresses (RFC 1918, fc00::/7, 169.254.0.0/16,
    /// 100.64.0.0/10), refused by default; cloud metadata addresses always (`run.allow_private`).
    #[arg(long)]
    pub allow_private: bool,
    /// Fetch each new item's page for its text, date, lead image and more (`run.fetch_pages`; default).
    #[arg(long, overrides_with = "no_fetch_pages")]
    pub fetch_pages: bool,
    /// Take new items as the feed gives them: no page or image requests.
    #[arg(long, overrides_with = "fetch_pages")]
    pub no_fetch_pages: bool,
    /// Sources polled at once, at most `fetch.per_host_concurrency` per host (`run.concurrency`; default 8).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// The lead-image cache's cap in MiB, oldest images going first (`images.cache_mb`; default 512).
    #[arg(long)]
    pub image_cache_mb: Option<u64>,
}

impl RunFlags {
    /// The flags given, over `settings`.
    pub fn apply(self, settings: &mut Settings) {
        let fetch_pages = (self.fetch_pages || self.no_fetch_pages).then_some(!self.no_fetch_pages);
        let Self {
            allow_loopback,
            allow_private,
            concurrency,
            image_cache_mb,
            ..
        } = self;
        RunOverrides {
            allow_loopback,
            allow_private,
            fetch_pages,
            concurrency,
            image_cache_mb,
        }
        .apply(settings);
    }
}

/// Prints the effective configuration: each value and where it came from, secrets redacted.
pub fn run(settings: &mut Settings, flags: ServeFlags, json: bool) -> anyhow::Result<ExitCode> {
    flags.apply(settings);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&show::to_json(settings))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let file = settings.config_file();
    println!(
        "# {} ({}); later layers win: default < file < env < flag",
        file.display(),
        if file.is_file() {
            "read"
        } else {
            "not present"
        }
    );
    print!("{}", show::to_text(settings));
    Ok(ExitCode::SUCCESS)
}
