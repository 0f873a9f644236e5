//! HTML sanitizing (owned by the feed work; see ARCHITECTURE.md).
