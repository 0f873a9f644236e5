//! The command-line flags laid over the settings, as plain values: the
//! binary's argument parser fills these, and [`ServeOverrides::apply`] /
//! [`RunOverrides::apply`] set each value given, naming its flag as the
//! value's source. A value not given leaves the setting as it was.

use std::net::SocketAddr;

use crate::Settings;

/// `newsdesk serve`'s flags (`[server]`).
#[derive(Debug, Clone, Default)]
pub struct ServeOverrides {
    pub addr: Option<SocketAddr>,
    pub base_url: Option<String>,
    pub readers: Option<usize>,
    /// Empty: not given.
    pub cors_origins: Vec<String>,
    pub anonymous_rate: Option<u32>,
    pub key_rate: Option<u32>,
    /// `false`: not given.
    pub trust_forwarded_for: bool,
}

impl ServeOverrides {
    /// The values given, over `s`.
    pub fn apply(self, s: &mut Settings) {
        let server = &mut s.server;
        server.addr.flag(self.addr, "--addr");
        server.base_url.flag(self.base_url.map(Some), "--base-url");
        server.readers.flag(self.readers, "--readers");
        let origins = Some(self.cors_origins).filter(|o| !o.is_empty());
        server.cors_origins.flag(origins, "--cors-origin");
        server
            .anonymous_rate
            .flag(self.anonymous_rate, "--anonymous-rate");
        server.key_rate.flag(self.key_rate, "--key-rate");
        server.trust_forwarded_for.flag(
            self.trust_forwarded_for.then_some(true),
            "--trust-forwarded-for",
        );
    }
}

/// `newsdesk run`'s flags (`[run]`, `images.cache_mb`).
#[derive(Debug, Clone, Default)]
pub struct RunOverrides {
    /// `false`: not given.
    pub allow_loopback: bool,
    /// `false`: not given.
    pub allow_private: bool,
    /// `Some(false)`: `--no-fetch-pages`; `Some(true)`: `--fetch-pages`.
    pub fetch_pages: Option<bool>,
    pub concurrency: Option<usize>,
    pub image_cache_mb: Option<u64>,
}

impl RunOverrides {
    /// The values given, over `s`.
    pub fn apply(self, s: &mut Settings) {
        let run = &mut s.run;
        run.allow_loopback
            .flag(self.allow_loopback.then_some(true), "--allow-loopback");
        run.allow_private
            .flag(self.allow_private.then_some(true), "--allow-private");
        let pages_flag = match self.fetch_pages {
            Some(false) => "--no-fetch-pages",
            _ => "--fetch-pages",
        };
        run.fetch_pages.flag(self.fetch_pages, pages_flag);
        run.concurrency.flag(self.concurrency, "--concurrency");
        s.images
            .cache_mb
            .flag(self.image_cache_mb, "--image-cache-mb");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    #[test]
    fn given_flags_override_and_name_themselves_others_stay() {
        let mut s = Settings::defaults(crate::Sourced::default_value("d".into()));
        let readers = *s.server.readers.get();
        ServeOverrides {
            addr: Some("127.0.0.1:9000".parse().unwrap()),
            cors_origins: vec!["*".into()],
            ..ServeOverrides::default()
        }
        .apply(&mut s);
        assert_eq!(s.server.addr.get().port(), 9000);
        assert_eq!(s.server.addr.source(), &Source::Flag("--addr".into()));
        assert_eq!(s.server.cors_origins.get(), &vec!["*".to_string()]);
        assert_eq!(*s.server.readers.get(), readers);
        assert!(!s.server.readers.is_set());

        RunOverrides {
            fetch_pages: Some(false),
            ..RunOverrides::default()
        }
        .apply(&mut s);
        assert!(!*s.run.fetch_pages.get());
        assert_eq!(
            s.run.fetch_pages.source(),
            &Source::Flag("--no-fetch-pages".into())
        );
        assert!(!s.run.allow_loopback.is_set());
    }
}
