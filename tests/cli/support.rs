//! A small builder over the real `folio` binary and fixture sites.
//!
//! A fixture is `tests/fixtures/<case>/`, one behaviour each. It is copied
//! into a temporary folder on top of `tests/fixtures/_templates/` (minimal
//! templates), so a fixture only holds what its behaviour needs; its own
//! `templates/` files replace the minimal ones.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root (where the real site lives).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A site in a temporary folder.
pub(crate) struct Site {
    dir: tempfile::TempDir,
}

/// The outcome of one run of the binary.
pub(crate) struct Run {
    pub(crate) output: Output,
}

impl Run {
    pub(crate) fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    /// Asserts exit 0 and returns self.
    pub(crate) fn ok(self) -> Self {
        assert_eq!(
            self.code(),
            0,
            "expected success, stderr:\n{}",
            self.stderr()
        );
        self
    }
    /// Asserts exit `code` and returns self.
    pub(crate) fn fails_with(self, code: i32) -> Self {
        assert_eq!(self.code(), code, "stderr:\n{}", self.stderr());
        assert!(
            !self.stderr().contains("panicked"),
            "panic:\n{}",
            self.stderr()
        );
        self
    }
}

impl Site {
    /// An empty site with only the minimal templates.
    pub(crate) fn empty() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(
            &repo_root().join("tests/fixtures/_templates"),
            &dir.path().join("templates"),
        );
        fs::create_dir_all(dir.path().join("content")).unwrap();
        fs::create_dir_all(dir.path().join("static")).unwrap();
        fs::write(dir.path().join("static/style.css"), "body { margin: 0 }\n").unwrap();
        Site { dir }
    }

    /// The fixture `tests/fixtures/<name>` over the minimal templates.
    pub(crate) fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_tree(&repo_root().join("tests/fixtures").join(name), site.path());
        site
    }

    /// A copy of the real site at the repository root.
    pub(crate) fn real() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content", "templates", "static"] {
            copy_tree(&repo_root().join(d), &dir.path().join(d));
        }
        Site { dir }
    }

    /// A copy of this site's folder, as it is now, in a new temporary folder.
    pub(crate) fn copy(&self) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(self.path(), dir.path());
        Site { dir }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file into the site.
    pub(crate) fn file(self, rel: &str, text: &str) -> Self {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Runs `folio ARGS` with the site as working directory.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let output = Command::cargo_bin("folio")
            .unwrap()
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .args(args)
            .output()
            .unwrap();
        Run { output }
    }

    /// Runs `folio ARGS` with extra environment variables.
    pub(crate) fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::cargo_bin("folio").unwrap();
        cmd.current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run {
            output: cmd.output().unwrap(),
        }
    }

    /// `folio build`.
    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Reads an output file under `public/`.
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.path().join("public").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Parses an output HTML file.
    pub(crate) fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }

    /// Every page of the paginated list whose first page is `base`
    /// (`tags/x/`, or `""` for the home page): `base/index.html`, then
    /// `base/page/2/index.html` and on while they exist.
    pub(crate) fn list_pages(&self, base: &str) -> Vec<scraper::Html> {
        let mut pages = vec![self.html(&format!("{base}index.html"))];
        for n in 2.. {
            let rel = format!("{base}page/{n}/index.html");
            if !self.exists(&rel) {
                break;
            }
            pages.push(self.html(&rel));
        }
        pages
    }

    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.path().join("public").join(rel).exists()
    }

    /// Every file under `public/` with its bytes, sorted by path.
    pub(crate) fn snapshot_output(&self) -> Vec<(String, Vec<u8>)> {
        self.output_tree()
            .into_iter()
            .filter_map(|(path, entry)| match entry {
                Entry::File(bytes) => Some((path, bytes)),
                _ => None,
            })
            .collect()
    }

    /// Every entry under `public/`, folders and links included, sorted by
    /// path: a file with its bytes, a link with its target, a folder as
    /// itself. Links are not followed.
    pub(crate) fn output_tree(&self) -> Vec<(String, Entry)> {
        let root = self.path().join("public");
        let mut entries: Vec<(String, Entry)> = walkdir::WalkDir::new(&root)
            .into_iter()
            .map(Result::unwrap)
            .map(|e| {
                let rel = e.path().strip_prefix(&root).unwrap();
                let kind = e.file_type();
                let entry = if kind.is_symlink() {
                    Entry::Link(fs::read_link(e.path()).unwrap())
                } else if kind.is_dir() {
                    Entry::Folder
                } else if kind.is_file() {
                    Entry::File(fs::read(e.path()).unwrap())
                } else {
                    Entry::Other
                };
                (rel.to_string_lossy().into_owned(), entry)
            })
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }

    /// Every entry of the site folder (to prove nothing appeared outside `public/`).
    pub(crate) fn tree(&self) -> Vec<String> {
        let mut all: Vec<String> = walkdir::WalkDir::new(self.path())
            .into_iter()
            .map(Result::unwrap)
            .map(|e| {
                e.path()
                    .strip_prefix(self.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        all.sort();
        all
    }
}

/// One entry of an output tree ([`Site::output_tree`]).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Folder,
    File(Vec<u8>),
    Link(PathBuf),
    /// A FIFO, socket or device.
    Other,
}

/// The paths whose entries differ between two output trees (present in
/// one only, or different there), for a failure message.
pub(crate) fn tree_differences(a: &[(String, Entry)], b: &[(String, Entry)]) -> Vec<String> {
    let mut paths: Vec<&String> = a.iter().chain(b).map(|(p, _)| p).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| entry_at(a, p) != entry_at(b, p))
        .cloned()
        .collect()
}

fn entry_at<'t>(tree: &'t [(String, Entry)], path: &str) -> Option<&'t Entry> {
    tree.iter().find(|(p, _)| p == path).map(|(_, e)| e)
}

/// Texts of the elements matching `selector`.
pub(crate) fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Values of `attr` on the elements matching `selector`.
pub(crate) fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

impl Site {
    /// A folder with nothing in it: no templates, no static files.
    pub(crate) fn bare() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }
}
