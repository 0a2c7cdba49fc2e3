//! `import-report.json`: what the import brought over, what it left out
//! and why, and every page's old and new URL, so the author can check
//! that nothing was lost.
//!
//! ```json
//! {
//!   "imported": [{"from": "_posts/2020-01-02-hi.md", "to": "content/posts/2020-01-02-hi.md"}],
//!   "not_imported": [{"path": "_layouts", "why": "…"}],
//!   "warnings": [{"path": "_config.yml", "line": 3, "message": "…"}],
//!   "urls": [{"from": "_posts/2020-01-02-hi.md", "jekyll": "/2020/01/02/hi.html",
//!             "folio": "/2020/01/02/hi.html", "redirect": false}]
//! }
//! ```
//!
//! Paths are from the Jekyll site's root (`from`, `path`) or the folio
//! site's (`to`); URLs are without the base path (`baseurl`).

use super::Plan;
use serde_json::{Value, json};
use std::path::Path;

/// The report of `plan`, as pretty JSON. `jekyll` is cut from the notes'
/// paths.
pub(crate) fn write(plan: &Plan, jekyll: &Path) -> String {
    let shown = |p: &Path| {
        p.strip_prefix(jekyll)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let imported: Vec<Value> = plan
        .files
        .iter()
        .map(|f| json!({"from": shown(&f.from), "to": f.to.to_string_lossy()}))
        .collect();
    let not_imported: Vec<Value> = plan
        .left_out
        .iter()
        .map(|d| {
            let why = d.message.trim_start_matches("not imported: ");
            json!({"path": shown(&d.path), "why": why})
        })
        .collect();
    let warnings: Vec<Value> = plan
        .notes
        .iter()
        .map(|d| json!({"path": shown(&d.path), "line": d.line, "message": d.message}))
        .collect();
    let urls: Vec<Value> = plan
        .urls
        .iter()
        .map(|m| {
            json!({"from": shown(&m.from), "jekyll": m.jekyll, "folio": m.folio, "redirect": m.redirect})
        })
        .collect();
    let report = json!({
        "imported": imported,
        "not_imported": not_imported,
        "warnings": warnings,
        "urls": urls,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
