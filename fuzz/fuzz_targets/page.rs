//! A whole page from any bytes: front matter, body, tables, and rendering
//! with the real site's templates, as a one-page site.
#![no_main]

use folio::config::Config;
use folio::content::parse_page;
use folio::render::{self, Renderer};
use folio::site::Site;
use libfuzzer_sys::fuzz_target;
use serde_json::Map;
use std::path::Path;
use std::sync::OnceLock;

fn renderer() -> &'static (Config, Renderer) {
    static RENDERER: OnceLock<(Config, Renderer)> = OnceLock::new();
    RENDERER.get_or_init(|| {
        let config = Config::resolve(Map::new(), Path::new("content/_index.md"), None)
            .expect("empty settings resolve");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let renderer = Renderer::load(&root, &config.base).expect("the site's templates load");
        (config, renderer)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = parse_page(Path::new("content/posts/fuzz.md"), &text);
    let Some(page) = loaded.item else {
        assert!(loaded.diagnostics.iter().any(|d| d.is_error()));
        return;
    };
    let (config, renderer) = renderer();
    if let Ok(site) = Site::assemble(config.clone(), vec![page], true) {
        let _ = render::render_site(renderer, &site);
    }
});
