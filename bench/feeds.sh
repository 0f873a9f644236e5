#!/bin/sh
# Feed parsing throughput, newsdesk vs Python feedparser, over feed-rs's fixtures.
# Usage: bench/feeds.sh [--smoke]
set -e
cd "$(dirname "$0")/.."
cargo build --release -q -p newsdesk-ingest --example parse_feeds
exec python3 bench/feeds.py "$@" ../shared/data/feeds/feed-rs-fixtures
