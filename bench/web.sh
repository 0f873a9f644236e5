#!/bin/sh
# Pages of any site: publication dates (vs htmldate) and main text (vs
# trafilatura) on ../shared/data/web-dev, the article-extraction-benchmark's
# F1 in the same report, and extraction speed side by side.
# Usage: bench/web.sh [--smoke]
set -e
cd "$(dirname "$0")/.."
cargo build --release -q -p newsdesk-extract --example web_pages --example extract_pages
exec python3 bench/web.py "$@" ../shared/data/web-dev
