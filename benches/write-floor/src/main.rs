//! The floor for writing a site's output: makes a copy of a folder's tree
//! from memory and prints how many seconds that took. Reading the tree
//! into memory first is not timed, so what is timed is only what any
//! build that writes these files must ask of the file system: each folder
//! made, each file created and written. The threads (one per core unless
//! told) make the folders, then write the files, each taking every n-th.
//! `benches/bench.py` runs it beside folio's cold builds.
//!
//! ```text
//! folio-write-floor FROM TO [THREADS]
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs, io, process, thread};

/// A folder's tree, read into memory: folders (each after its parent) and
/// files with their bytes, by path under the folder.
#[derive(Default)]
struct Tree {
    folders: Vec<PathBuf>,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Tree {
    /// Adds what `root/rel` holds, at any depth.
    fn read(&mut self, root: &Path, rel: &Path) -> io::Result<()> {
        for entry in fs::read_dir(root.join(rel))? {
            let entry = entry?;
            let path = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                self.folders.push(path.clone());
                self.read(root, &path)?;
            } else {
                let bytes = fs::read(root.join(&path))?;
                self.files.push((path, bytes));
            }
        }
        Ok(())
    }

    /// Writes the tree under `to` (which must not exist yet) with
    /// `threads` threads. A folder whose parent another thread has not
    /// made yet is made with its parent.
    fn write(&self, to: &Path, threads: usize) -> io::Result<()> {
        fs::create_dir(to)?;
        each(threads, &self.folders, |rel| {
            fs::create_dir_all(to.join(rel))
        })?;
        each(threads, &self.files, |(rel, bytes)| {
            fs::write(to.join(rel), bytes)
        })
    }
}

/// Runs `work` on every item of `items`, thread `k` of `threads` taking
/// items `k`, `k + threads`, …; the first error, if any.
fn each<T: Sync>(
    threads: usize,
    items: &[T],
    work: impl Fn(&T) -> io::Result<()> + Sync,
) -> io::Result<()> {
    thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = (0..threads)
            .map(|k| s.spawn(move || items.iter().skip(k).step_by(threads).try_for_each(work)))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().expect("a writing thread panicked"))
    })
}

fn fail(message: String) -> ! {
    eprintln!("folio-write-floor: {message}");
    process::exit(1)
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let (from, to) = match &args[..] {
        [from, to] | [from, to, _] => (Path::new(from), Path::new(to)),
        _ => {
            eprintln!("usage: folio-write-floor FROM TO [THREADS]");
            process::exit(2)
        }
    };
    let threads = match args.get(2) {
        Some(n) => match n.parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => fail(format!("THREADS must be a number above 0, not `{n}`")),
        },
        None => thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut tree = Tree::default();
    if let Err(e) = tree.read(from, Path::new("")) {
        fail(format!("{}: {e}", from.display()));
    }
    let start = Instant::now();
    if let Err(e) = tree.write(to, threads) {
        fail(format!("{}: {e}", to.display()));
    }
    println!("{:.6}", start.elapsed().as_secs_f64());
}
