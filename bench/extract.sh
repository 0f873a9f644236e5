#!/bin/sh
# Main-text extraction throughput, newsdesk vs Python trafilatura, over the 181
# pages of the article-extraction-benchmark.
# Usage: bench/extract.sh [--smoke]
set -e
cd "$(dirname "$0")/.."
cargo build --release -q -p newsdesk-extract --example extract_pages
exec python3 bench/extract.py "$@" ../shared/data/extraction/article-extraction-benchmark
