//! Times `serve`'s incremental path without the server: loads a site into a
//! [`folio::Session`], then edits one post N times (its body, then
//! its title) and prints the median time of each kind of rebuild. Used for docs/PERFORMANCE.md.
//!
//!     cargo run --release --example incremental -- SITE_ROOT POST.md [EDITS]

use folio::BuildOptions;
use folio::Session;
use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(post)) = (args.next(), args.next()) else {
        eprintln!("usage: incremental SITE_ROOT POST.md [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let started = Instant::now();
    let mut session = Session::start(&BuildOptions::new(&root)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    eprintln!("loaded in {} ms", started.elapsed().as_millis());
    let path = PathBuf::from(&root).join(&post);
    let original = std::fs::read_to_string(&path).expect("readable post");
    // Two kinds of edit: a sentence added at the end of the body (nothing
    // a list shows changes), and a new title (every list showing the post
    // is rendered again).
    let body = |i: usize| format!("{original}\n\nEdit {i}.\n");
    let title = |i: usize| original.replacen("title: ", &format!("title: Edit {i} "), 1);
    for (kind, edit) in [
        ("body", &body as &dyn Fn(usize) -> String),
        ("title", &title),
    ] {
        let mut times = Vec::with_capacity(edits);
        for i in 0..edits {
            std::fs::write(&path, edit(i)).expect("writable post");
            let update = session.apply(&[PathBuf::from(&post)]).expect("rebuild");
            times.push(update.elapsed.as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "{edits} one-post {kind} edits: median {:.1} ms, min {:.1}, max {:.1}",
            times[edits / 2],
            times[0],
            times[edits - 1]
        );
    }
    std::fs::write(&path, original).expect("restore post");
}
