//! Publishing: the files beside the pages (each table's data files, the
//! feed, the sitemap), `static/`, and writing the output tree last and
//! atomically: the new site is written into a staging folder beside the
//! output folder and swapped in only once complete, so a failed build
//! leaves the previous output as it was.

pub(crate) mod bundles;
pub(crate) mod data;
pub(crate) mod feed;
mod manifest;
pub(crate) mod redirects;
pub(crate) mod sitemap;
mod staging;
mod statics;

pub(crate) use staging::{Staging, check_out_dir};
pub(crate) use statics::{plan, static_files};

use crate::error::Diagnostic;
use crate::urls;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputFile {
    /// Path under the output folder, with `/` separators.
    pub(crate) path: String,
    /// Contents.
    pub(crate) bytes: Vec<u8>,
}

/// Where each file of the new site comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// Rendered in memory.
    Bytes(Vec<u8>),
    /// Copied from this file under `static/`.
    Copy(PathBuf),
}

/// The complete output tree, keyed by path under the output folder.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Every file, sorted by path.
    pub(crate) files: BTreeMap<String, Source>,
    /// The paths among them that come from `static/`.
    pub(crate) from_static: BTreeSet<String>,
    /// Warnings found while planning (skipped links).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Whether `path` may name a file in the output folder.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty() && !path.starts_with('/') && urls::stays_inside(path)
}

fn file_and_folder(folder: &str, file: &str) -> Diagnostic {
    Diagnostic::file_error(
        folder,
        format!("output file /{folder} would also have to be the folder of /{file}"),
    )
    .with_help("change the `permalink` or the static file name of one of them")
}
