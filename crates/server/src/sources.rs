//! Followed sources with their health, as `GET /api/v1/sources` shows them
//! (the view lives in `newsdesk_render`, shared with the command line).

pub use newsdesk_render::sources::SourceView;
