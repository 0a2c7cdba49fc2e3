//! Writing the output tree: a staging folder beside the output folder,
//! filled as files are rendered, swapped in whole at the end.

use super::Source;
use super::manifest::{Entry, Manifest, Stamp};
use crate::error::{Diagnostic, Error, Result};
use foldhash::{HashMap, HashSet};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Refuses output folders that would replace the site's own sources.
pub(crate) fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists, so `a/../b` and symlinks compare correctly.
        fs::canonicalize(&p).unwrap_or_else(|_| {
            let parent = p.parent().and_then(|d| fs::canonicalize(d).ok());
            match (parent, p.file_name()) {
                (Some(d), Some(n)) => d.join(n),
                _ => p,
            }
        })
    };
    let given = out;
    let (root, out) = (abs(root), abs(out));
    let inside_sources = ["content", "templates", "static", "src"]
        .iter()
        .any(|d| out.starts_with(root.join(d)));
    if root.starts_with(&out) || inside_sources {
        return Err(Error::Usage(format!(
            "refusing to write the site to {}: it holds the site's own sources",
            out.display()
        )));
    }
    if out.exists() && !out.is_dir() {
        return Err(
            Diagnostic::file_error(given, "output path is a file, not a folder")
                .with_help("move the file away, or pass --out DIR")
                .into(),
        );
    }
    Ok(())
}

/// A new output tree being written beside the output folder, swapped in
/// whole by [`Staging::commit`]; dropped uncommitted, it is removed and the
/// output folder is untouched.
///
/// Files go in as they are rendered, so a large site is never held in
/// memory whole. The tree a build replaces is kept beside the output as
/// `.NAME.folio-previous` and the next build writes over it: a file whose
/// bytes did not change is left as it is, a changed one is rewritten in
/// place, and folders already exist. A rebuild then creates almost no
/// inodes, which on ext4 is most of a large site's write time
/// (docs/PERFORMANCE.md). Each tree's manifest (module `publish::manifest`) lets the
/// next build know most unchanged files without reading them. Deleting
/// `.NAME.folio-previous` or a manifest is always safe.
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    reused: bool,
    tree: Mutex<Tree>,
    committed: bool,
    /// What the build that wrote the reused tree recorded of its files
    /// (see [`super::manifest`]): an unchanged file is known without reading it.
    manifest: Manifest,
    /// What this build wrote, for the manifest of the new tree.
    written: Mutex<Vec<(Arc<str>, Entry)>>,
}

/// Where the manifest of the output tree (`current`) or of the kept
/// previous one lives: beside them, never inside, so it is never published.
fn manifest_path(out: &Path, which: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.folio-{which}.manifest"))
}

/// What a staging folder holds so far: files, and each folder with the
/// first file written under it. A file's path is held once, shared with
/// its folders' entries and with the manifest's list (a 100,000-post site
/// writes 700,000 files).
#[derive(Default)]
struct Tree {
    files: HashSet<Arc<str>>,
    folders: HashMap<String, Arc<str>>,
    made: HashSet<String>,
    /// In a reused tree, each folder that was already there, with its record
    /// as first found (before this build wrote into it).
    found: HashMap<String, Stamp>,
    /// In a reused tree, each folder found there that this build added an
    /// entry to or removed one from: its record is no longer the one found.
    /// Rewriting a file in place leaves its folder's record as it was.
    changed: HashSet<String>,
}

fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

impl Staging {
    /// Starts a staging folder for `out`, reusing the previous build's tree
    /// when there is one.
    pub(crate) fn new(out: &Path) -> Result<Staging> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let dir = parent.join(format!(".{name}.folio-new-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.folio-previous"));
        let _ = fs::remove_dir_all(&dir);
        // Claiming the previous tree by renaming it is atomic, so two builds
        // never share it; only a real folder is taken (never a planted link).
        let reused =
            is_real_dir(&previous) && fs::rename(&previous, &dir).is_ok() && is_real_dir(&dir);
        if !reused {
            // A new folder, never one that is already there (such as a planted link).
            fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let previous_manifest = manifest_path(out, "previous");
        let manifest = reused
            .then(|| Manifest::load(&previous_manifest, &dir))
            .flatten()
            .unwrap_or_default();
        let _ = fs::remove_file(&previous_manifest);
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            previous,
            reused,
            tree: Mutex::new(Tree::default()),
            committed: false,
            manifest,
            written: Mutex::new(Vec::new()),
        })
    }

    /// Whether a file was written at `rel`.
    pub(crate) fn holds(&self, rel: &str) -> bool {
        self.tree
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .contains(rel)
    }

    /// How many files were written so far.
    pub(crate) fn files(&self) -> usize {
        self.tree
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .len()
    }

    /// Writes one file (a file with these bytes already there is kept).
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !super::is_safe_relative(rel) {
            return Err(
                Diagnostic::file_error(rel, "output path would leave the output folder").into(),
            );
        }
        let path: Arc<str> = Arc::from(rel);
        {
            let mut tree = self.tree.lock().unwrap_or_else(|e| e.into_inner());
            if tree.files.contains(rel) {
                return Err(
                    Diagnostic::file_error(rel, "two sources write this output file").into(),
                );
            }
            if let Some(inside) = tree.folders.get(rel) {
                return Err(super::file_and_folder(rel, inside).into());
            }
            let folders: Vec<&str> = rel.match_indices('/').map(|(i, _)| &rel[..i]).collect();
            if let Some(file) = folders.iter().find(|f| tree.files.contains(**f)) {
                return Err(super::file_and_folder(file, rel).into());
            }
            tree.files.insert(Arc::clone(&path));
            for f in folders {
                if !tree.folders.contains_key(f) {
                    tree.folders.insert(f.to_string(), Arc::clone(&path));
                }
            }
        }
        let dest = self.dir.join(rel);
        if let Some(parent) = rel.rfind('/').map(|i| &rel[..i]) {
            self.make_folder(parent)?;
        }
        let io = |e| Error::io(&dest, e);
        let hash = super::manifest::hash(bytes);
        let meta = if self.reused {
            self.write_over(rel, &dest, bytes, hash)?
        } else {
            None
        };
        let meta = match meta {
            Some(meta) => meta,
            None => {
                if self.reused {
                    self.changed(parent(rel));
                }
                let mut file = fs::File::create(&dest).map_err(io)?;
                std::io::Write::write_all(&mut file, bytes).map_err(io)?;
                file.metadata().map_err(io)?
            }
        };
        if let Some(stamp) = Stamp::of(&meta) {
            self.written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, Entry { hash, stamp }));
        }
        Ok(())
    }

    /// Writes `bytes` at `dest` in the reused tree, over what is there: a
    /// file the manifest vouches for, or that holds these bytes, is left as
    /// it is; another file is rewritten in place (no new inode). Returns the
    /// file's metadata, or `None` when nothing usable was there (nothing,
    /// or a link or folder, now removed) and the file is still to be made.
    fn write_over(
        &self,
        rel: &str,
        dest: &Path,
        bytes: &[u8],
        hash: u128,
    ) -> Result<Option<fs::Metadata>> {
        let io = |e| Error::io(dest, e);
        if let Ok(meta) = fs::symlink_metadata(dest)
            && meta.is_file()
            && !shared_inode(&meta)
            && self.manifest.unchanged(rel, &meta, hash)
        {
            return Ok(Some(meta));
        }
        match open_no_follow(dest, false) {
            Ok(mut file) => {
                let meta = file.metadata().map_err(io)?;
                if meta.is_file() && !shared_inode(&meta) {
                    if holds(&mut file, meta.len(), bytes).map_err(io)? {
                        return Ok(Some(meta));
                    }
                    drop(file);
                    let mut file = open_no_follow(dest, true).map_err(io)?;
                    std::io::Write::write_all(&mut file, bytes).map_err(io)?;
                    return file.metadata().map(Some).map_err(io);
                }
                drop(file);
                remove_any(dest)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // A link, a folder or something unreadable: replaced.
            Err(_) => remove_any(dest)?,
        }
        Ok(None)
    }

    /// Makes folder `rel` in the staging tree, one level at a time: each
    /// level is checked once (then remembered as made), and in a reused tree
    /// a file or link standing where a folder must go is removed first, so
    /// no write ever goes through a link, at any depth. Another thread may
    /// make the same folder at the same time: whoever finds it missing
    /// makes it, and either outcome is fine.
    fn make_folder(&self, rel: &str) -> Result<()> {
        let made = |folder: &str| {
            self.tree
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .made
                .contains(folder)
        };
        if made(rel) {
            return Ok(());
        }
        let ends = rel.match_indices('/').map(|(i, _)| i).chain([rel.len()]);
        for end in ends {
            let folder = &rel[..end];
            if made(folder) {
                continue;
            }
            let path = self.dir.join(folder);
            // A new tree holds only what this build made.
            let found = if self.reused {
                claim_folder(&path)?
            } else {
                create_folder(&path)?;
                None
            };
            let mut tree = self.tree.lock().unwrap_or_else(|e| e.into_inner());
            match found {
                Some(stamp) => {
                    tree.found.entry(folder.to_string()).or_insert(stamp);
                }
                None if self.reused => {
                    tree.changed.insert(parent(folder).to_string());
                }
                None => {}
            }
            tree.made.insert(folder.to_string());
        }
        Ok(())
    }

    /// Notes that folder `rel` of the reused tree gained or lost an entry.
    fn changed(&self, rel: &str) {
        let mut tree = self.tree.lock().unwrap_or_else(|e| e.into_inner());
        if !tree.changed.contains(rel) {
            tree.changed.insert(rel.to_string());
        }
    }

    /// Writes every file of `files` (reading copies from disk).
    pub(crate) fn write_all(&self, files: &[(String, Source)]) -> Result<()> {
        files.par_iter().try_for_each(|(rel, source)| match source {
            Source::Bytes(bytes) => self.write(rel, bytes),
            Source::Copy(from) => self.write(rel, &fs::read(from).map_err(|e| Error::io(from, e))?),
        })
    }

    /// Removes what a reused tree holds that this build did not write. A
    /// folder whose record matches the manifest's holds what the manifest
    /// lists under it; every other folder that was there and that this
    /// build wrote into is listed (in parallel: a 10,000-post site has
    /// 10,000 of them).
    fn prune(&self) -> Result<()> {
        if !self.reused {
            return Ok(());
        }
        let tree = self.tree.lock().unwrap_or_else(|e| e.into_inner());
        let known: HashSet<&str> = tree
            .found
            .iter()
            .filter(|(rel, stamp)| self.manifest.folder_unchanged(rel, stamp))
            .map(|(rel, _)| rel.as_str())
            .collect();
        let kept = |rel: &str| tree.files.contains(rel) || tree.folders.contains_key(rel);
        let recorded: Vec<&str> = self
            .manifest
            .listed()
            .filter(|rel| known.contains(parent(rel)) && !kept(rel))
            .collect();
        // A folder this build made holds only what it wrote.
        let to_list: Vec<&str> = std::iter::once("")
            .chain(tree.found.keys().map(String::as_str))
            .filter(|rel| !known.contains(rel))
            .collect();
        let listed = to_list
            .par_iter()
            .map(|rel| Ok((rel.to_string(), self.stale_in(&tree, rel)?)))
            .collect::<Result<Vec<_>>>()?;
        drop(tree);
        for rel in recorded {
            let path = self.dir.join(rel);
            // Gone already (inside a folder removed before it) is fine.
            if fs::symlink_metadata(&path).is_ok() {
                remove_any(&path)?;
                self.changed(parent(rel));
            }
        }
        for (rel, stale) in listed {
            for path in &stale {
                remove_any(path)?;
            }
            if !stale.is_empty() {
                self.changed(&rel);
            }
        }
        Ok(())
    }

    /// What folder `rel` of the reused tree holds that this build did not
    /// write. A link is never followed.
    fn stale_in(&self, tree: &Tree, rel: &str) -> Result<Vec<PathBuf>> {
        let dir = self.dir.join(rel);
        let io = |e| Error::io(&dir, e);
        let mut stale = Vec::new();
        for entry in fs::read_dir(&dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let child = match rel {
                "" => name.to_string_lossy().into_owned(),
                _ => format!("{rel}/{}", name.to_string_lossy()),
            };
            let keep = if entry.file_type().map_err(io)?.is_dir() {
                tree.folders.contains_key(&child)
            } else {
                tree.files.contains(child.as_str())
            };
            if !keep {
                stale.push(entry.path());
            }
        }
        Ok(stale)
    }

    /// Swaps the staged tree in for the output folder; the replaced tree is
    /// kept for the next build.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.prune()?;
        // The new tree's manifest, with each folder's record now that the
        // tree is complete (the root's changes when it is renamed).
        let written = std::mem::take(self.written.get_mut().unwrap_or_else(|e| e.into_inner()));
        let tree = std::mem::take(self.tree.get_mut().unwrap_or_else(|e| e.into_inner()));
        // A folder found in the reused tree that this build left as it was
        // still has the record it was found with: only the others are
        // looked at again (anything another program changed since moves
        // the folder's record, and the next build lists it).
        let folders: Vec<(&str, Stamp)> = tree
            .folders
            .par_iter()
            .filter_map(|(rel, _)| {
                if let Some(stamp) = tree.found.get(rel)
                    && !tree.changed.contains(rel)
                {
                    return Some((rel.as_str(), *stamp));
                }
                let meta = fs::symlink_metadata(self.dir.join(rel)).ok()?;
                Some((rel.as_str(), Stamp::of(&meta)?))
            })
            .collect();
        let entries = written.iter().map(|(rel, e)| (&**rel, *e));
        let manifest = Manifest::encode(&self.dir, entries, &folders);
        drop(folders);
        crate::drop_aside((tree, written, std::mem::take(&mut self.manifest)));
        self.committed = true;
        let current = manifest_path(&self.out, "current");
        if !self.out.exists() {
            fs::rename(&self.dir, &self.out).map_err(|e| Error::io(&self.out, e))?;
        } else {
            exchange(&self.dir, &self.out)?;
            // `dir` now holds the previous output: keep it for the next
            // build, with its manifest, unless another build kept one
            // meanwhile.
            if fs::rename(&self.dir, &self.previous).is_ok() {
                let _ = fs::rename(&current, manifest_path(&self.out, "previous"));
            } else {
                let _ = fs::remove_dir_all(&self.dir);
            }
        }
        // The manifest is a cache: failing to write it costs the next build
        // some reads, never a wrong file.
        if let Some(bytes) = manifest {
            let _ = Manifest::write(&current, &bytes);
        }
        Ok(())
    }
}

/// The folder holding `rel` ("" for the tree's root).
fn parent(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Opens a file of the reused tree: to read and compare it, or to write it
/// (emptied first). A symbolic link is never followed (the open fails and
/// the caller replaces the link), and a FIFO never blocks. Comparing opens
/// read-only, which is cheaper to open and close than for writing, and an
/// unchanged file (the most common case) is never opened for writing.
fn open_no_follow(path: &Path, write: bool) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    if write {
        options.write(true).truncate(true);
    } else {
        options.read(true);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    #[cfg(not(target_os = "linux"))]
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a symbolic link"));
    }
    options.open(path)
}

/// Whether the open file `file`, of `len` bytes, holds exactly `bytes`:
/// one read of exactly that many bytes when the sizes match.
fn holds(file: &mut fs::File, len: u64, bytes: &[u8]) -> std::io::Result<bool> {
    use std::io::Read;
    if len != bytes.len() as u64 {
        return Ok(false);
    }
    let mut old = vec![0; bytes.len()];
    file.read_exact(&mut old)?;
    Ok(old == bytes)
}

#[cfg(unix)]
fn shared_inode(meta: &fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) > 1
}

#[cfg(not(unix))]
fn shared_inode(_: &fs::Metadata) -> bool {
    false
}

/// Makes sure the reused tree has a folder at `path`; returns its record
/// when one was already there.
fn claim_folder(path: &Path) -> Result<Option<Stamp>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => return Ok(Stamp::of(&m)),
        Ok(_) => {
            // Only the link or file seen is removed: by now another
            // thread may have put the folder there, with files in it.
            if let Err(e) = fs::remove_file(path)
                && e.kind() != std::io::ErrorKind::NotFound
                && !is_real_dir(path)
            {
                return Err(Error::io(path, e));
            }
            create_folder(path)?;
        }
        Err(_) => create_folder(path)?,
    }
    Ok(None)
}

/// Makes one folder; one that another thread just made is fine, but
/// anything else standing there is an error.
fn create_folder(path: &Path) -> Result<()> {
    match fs::create_dir(path) {
        Err(e) if !(e.kind() == std::io::ErrorKind::AlreadyExists && is_real_dir(path)) => {
            Err(Error::io(path, e))
        }
        _ => Ok(()),
    }
}

fn remove_any(path: &Path) -> Result<()> {
    let is_dir = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    let result = if is_dir {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    result.map_err(|e| Error::io(path, e))
}

/// Swaps two folders: atomically where the system can (Linux's
/// `RENAME_EXCHANGE`), else by three renames.
fn exchange(staged: &Path, out: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staged, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = staged.with_extension("swap");
    let _ = fs::remove_dir_all(&aside);
    fs::rename(out, &aside).map_err(|e| Error::io(out, e))?;
    if let Err(e) = fs::rename(staged, out) {
        let _ = fs::rename(&aside, out);
        return Err(Error::io(out, e));
    }
    fs::rename(&aside, staged).map_err(|e| Error::io(staged, e))
}
