//! The defaults are today's: the ones the fetcher and the scheduler use
//! when nothing is configured.

use std::time::Duration;

use newsdesk_config::Settings;
use newsdesk_fetch::schedule::PollPolicy;
use newsdesk_fetch::FetchConfig;

use crate::{data_dir, load};

fn defaults() -> Settings {
    let dir = data_dir(&[]);
    load(dir.path(), &[]).unwrap()
}

#[test]
fn fetch_defaults_are_the_fetchers() {
    let s = defaults();
    let f = FetchConfig::default();
    assert_eq!(*s.fetch.user_agent.get(), f.user_agent);
    assert_eq!(*s.fetch.per_host_concurrency.get(), f.per_host_concurrency);
    assert_eq!(
        Duration::from_millis(*s.fetch.per_host_delay_ms.get()),
        f.per_host_delay
    );
    assert_eq!(
        Duration::from_secs(*s.fetch.max_crawl_delay_secs.get()),
        f.max_crawl_delay
    );
    assert_eq!(
        Duration::from_secs(*s.fetch.connect_timeout_secs.get()),
        f.connect_timeout
    );
    assert_eq!(
        Duration::from_secs(*s.fetch.total_timeout_secs.get()),
        f.total_timeout
    );
    assert_eq!(
        Duration::from_secs(*s.fetch.idle_timeout_secs.get()),
        f.idle_timeout
    );
    assert_eq!(*s.fetch.max_redirects.get(), f.max_redirects);
    assert_eq!(s.fetch.max_body_mb.get() << 20, f.max_body_bytes);
    assert_eq!(s.fetch.max_decoded_mb.get() << 20, f.max_decoded_bytes);
    assert_eq!(*s.fetch.retries.get(), f.retries);
    assert!(!*s.run.allow_loopback.get() && !f.address_policy.allow_loopback);
    assert!(!*s.run.allow_private.get() && !f.address_policy.allow_private);
}

#[test]
fn poll_defaults_are_the_schedulers() {
    let s = defaults();
    let p = PollPolicy::default();
    assert_eq!(
        Duration::from_secs(*s.run.min_poll_interval_secs.get()),
        p.min_interval
    );
    assert_eq!(
        Duration::from_secs(*s.run.max_poll_interval_secs.get()),
        p.max_interval
    );
}
