//! What a build wrote into an output tree, kept beside the tree so that the
//! next build writing over it can tell an unchanged file without reading it,
//! and an unchanged folder's entries without listing it.
//!
//! For every file the manifest holds a hash of its bytes and the file
//! system's record of it when folio last wrote or checked it: inode, size,
//! and modification and change times to the nanosecond. A later build trusts
//! the hash only if that record still matches the file exactly. Any write to
//! the file since, by any program, moves its change time (which programs
//! cannot set), and replacing it changes its inode, so a match means the
//! bytes are the ones hashed. For every folder but the root it holds the
//! same record, taken once the tree was complete: adding, removing or
//! renaming an entry moves a folder's modification time, so a folder whose
//! record still matches holds exactly the entries the manifest lists under
//! it. As in git's index, a record whose change time is not clearly older
//! than the manifest file's own modification time (both from the file
//! system's clock) is not trusted, since a second change within the same
//! clock tick would leave it as it was; that file is compared by reading
//! it, that folder by listing it, as is everything without an entry.
//! "Clearly older" is [`RACY_NS`] on a file system that keeps sub-second
//! times, [`COARSE_RACY_NS`] on one that keeps whole or even seconds (the
//! manifest's own time then has no fraction).
//!
//! The manifest is a cache: missing, unreadable, or written for another
//! tree (its root folder's inode differs), it is ignored, and deleting it
//! only costs the next build some reads.

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Change times this close to the manifest's own time are not trusted, on
/// a file system with sub-second times: more than the coarsest clock tick
/// Linux stamps files with (10 ms, at 100 ticks a second).
const RACY_NS: i64 = 20_000_000;

/// The same on a file system that keeps whole seconds, or FAT's two.
const COARSE_RACY_NS: i64 = 2_000_000_000;

const MAGIC: &[u8; 8] = b"FOLIOMF3";

/// The fewest bytes a file's entry takes: the length of its path, the hash
/// and four numbers.
const MIN_ENTRY: usize = 8 + 16 + 4 * 8;

/// The fewest bytes a folder's entry takes: the length of its path and four
/// numbers.
const MIN_FOLDER: usize = 8 + 4 * 8;

/// The hash of a file's bytes.
pub(crate) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A file's record in the file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    ino: u64,
    size: u64,
    mtime_ns: i64,
    ctime_ns: i64,
}

impl Stamp {
    /// The record of the file `meta` describes (`None` where the system
    /// gives no inode and change time, and then nothing is trusted).
    pub(crate) fn of(meta: &fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            Some(Stamp {
                ino: meta.ino(),
                size: meta.size(),
                mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
                ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// One file's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) hash: u128,
    pub(crate) stamp: Stamp,
}

/// A loaded manifest.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    written_ns: i64,
    entries: HashMap<String, Entry>,
    folders: HashMap<String, Stamp>,
}

fn root_inode(root: &Path) -> Option<u64> {
    let meta = fs::symlink_metadata(root).ok()?;
    Stamp::of(&meta).map(|s| s.ino)
}

impl Manifest {
    /// The manifest at `path`, if it was written for the tree at `root`.
    pub(crate) fn load(path: &Path, root: &Path) -> Option<Manifest> {
        let written_ns = Stamp::of(&fs::symlink_metadata(path).ok()?)?.mtime_ns;
        let bytes = fs::read(path).ok()?;
        let root_ino = root_inode(root)?;
        let mut at = Reader(&bytes);
        if at.take(8)? != MAGIC || at.u64()? != root_ino {
            return None;
        }
        let count = at.u64()?;
        let room = count.min((bytes.len() / MIN_ENTRY) as u64);
        let mut entries = HashMap::with_capacity(room as usize);
        for _ in 0..count {
            let rel = at.path()?;
            let hash = u128::from(at.u64()?) << 64 | u128::from(at.u64()?);
            entries.insert(
                rel,
                Entry {
                    hash,
                    stamp: at.stamp()?,
                },
            );
        }
        let count = at.u64()?;
        let room = count.min((bytes.len() / MIN_FOLDER) as u64);
        let mut folders = HashMap::with_capacity(room as usize);
        for _ in 0..count {
            folders.insert(at.path()?, at.stamp()?);
        }
        at.0.is_empty().then_some(Manifest {
            written_ns,
            entries,
            folders,
        })
    }

    /// How much older than the manifest a record must be to be trusted: a
    /// manifest time with no fraction of a second tells a file system that
    /// keeps whole seconds.
    fn racy_ns(&self) -> i64 {
        if self.written_ns.rem_euclid(1_000_000_000) == 0 {
            COARSE_RACY_NS
        } else {
            RACY_NS
        }
    }

    /// Whether a record is old enough to be trusted (see the module's
    /// documentation).
    fn settled(&self, stamp: &Stamp) -> bool {
        stamp.ctime_ns < self.written_ns.saturating_sub(self.racy_ns())
    }

    /// Whether the file at `rel`, which `meta` describes, certainly holds
    /// `bytes` (whose hash is `hash`) without reading it.
    pub(crate) fn unchanged(&self, rel: &str, meta: &fs::Metadata, hash: u128) -> bool {
        let Some(entry) = self.entries.get(rel) else {
            return false;
        };
        Stamp::of(meta) == Some(entry.stamp) && self.settled(&entry.stamp) && entry.hash == hash
    }

    /// Whether folder `rel`, whose record is `now`, certainly holds what the
    /// manifest lists under it ([`Manifest::listed`]) and nothing else.
    pub(crate) fn folder_unchanged(&self, rel: &str, now: &Stamp) -> bool {
        self.folders
            .get(rel)
            .is_some_and(|then| then == now && self.settled(then))
    }

    /// Every file and folder the manifest records, as paths relative to
    /// the tree's root.
    pub(crate) fn listed(&self) -> impl ParallelIterator<Item = &str> {
        let files = self.entries.par_iter().map(|(rel, _)| rel.as_str());
        files.chain(self.folders.par_iter().map(|(rel, _)| rel.as_str()))
    }

    /// The manifest of the complete tree whose root folder is `root`: its
    /// files and its folders (all but the root), as bytes for
    /// [`Manifest::write`].
    pub(crate) fn encode<'a>(
        root: &Path,
        entries: impl ExactSizeIterator<Item = (&'a str, Entry)>,
        folders: &[(&str, Stamp)],
    ) -> Option<Vec<u8>> {
        let root_ino = root_inode(root)?;
        let mut out = Vec::with_capacity(40 + entries.len() * 96 + folders.len() * 72);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&root_ino.to_le_bytes());
        let path = |out: &mut Vec<u8>, rel: &str| {
            out.extend_from_slice(&(rel.len() as u64).to_le_bytes());
            out.extend_from_slice(rel.as_bytes());
        };
        let stamp = |out: &mut Vec<u8>, s: &Stamp| {
            for n in [s.ino, s.size] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            for n in [s.mtime_ns, s.ctime_ns] {
                out.extend_from_slice(&n.to_le_bytes());
            }
        };
        out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (rel, e) in entries {
            path(&mut out, rel);
            out.extend_from_slice(&((e.hash >> 64) as u64).to_le_bytes());
            out.extend_from_slice(&(e.hash as u64).to_le_bytes());
            stamp(&mut out, &e.stamp);
        }
        out.extend_from_slice(&(folders.len() as u64).to_le_bytes());
        for (rel, s) in folders {
            path(&mut out, rel);
            stamp(&mut out, s);
        }
        Some(out)
    }

    /// Writes encoded manifest `bytes` to `path`, through a temporary file
    /// of this process renamed into place (its modification time is the
    /// manifest's time).
    pub(crate) fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let temporary = path.with_extension(format!("manifest-new-{}", std::process::id()));
        fs::File::create(&temporary)?.write_all(bytes)?;
        fs::rename(&temporary, path)
    }
}

/// Reads little-endian numbers and byte runs, `None` past the end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Option<i64> {
        self.take(8)?.try_into().ok().map(i64::from_le_bytes)
    }

    fn path(&mut self) -> Option<String> {
        let len = usize::try_from(self.u64()?).ok()?;
        std::str::from_utf8(self.take(len)?)
            .ok()
            .map(str::to_string)
    }

    fn stamp(&mut self) -> Option<Stamp> {
        Some(Stamp {
            ino: self.u64()?,
            size: self.u64()?,
            mtime_ns: self.i64()?,
            ctime_ns: self.i64()?,
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn entry_for(path: &Path, bytes: &[u8]) -> Entry {
        Entry {
            hash: hash(bytes),
            stamp: Stamp::of(&fs::symlink_metadata(path).unwrap()).unwrap(),
        }
    }

    #[test]
    fn trusts_only_an_exact_old_record_of_the_same_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        fs::create_dir(&root).unwrap();
        let file = root.join("a.html");
        fs::write(&file, "old").unwrap();
        let entry = entry_for(&file, b"old");
        let path = dir.path().join("m.manifest");
        let bytes = Manifest::encode(&root, [("a.html", entry)].into_iter(), &[]).unwrap();
        Manifest::write(&path, &bytes).unwrap();
        let meta = fs::symlink_metadata(&file).unwrap();

        // Written within the racy window of the file: not trusted yet.
        let mut fresh = Manifest::load(&path, &root).unwrap();
        assert!(fresh.written_ns >= entry.stamp.ctime_ns);
        fresh.written_ns = entry.stamp.ctime_ns + RACY_NS / 2;
        assert!(!fresh.unchanged("a.html", &meta, hash(b"old")));

        // As if written well after the file: trusted for the same bytes only.
        let mut settled = fresh;
        settled.written_ns = entry.stamp.ctime_ns + 10 * RACY_NS;
        assert!(settled.unchanged("a.html", &meta, hash(b"old")));
        assert!(!settled.unchanged("a.html", &meta, hash(b"new")));
        assert!(!settled.unchanged("b.html", &meta, hash(b"old")));

        // Any write moves the change time: no longer trusted.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&file, "old").unwrap();
        let rewritten = fs::symlink_metadata(&file).unwrap();
        assert!(!settled.unchanged("a.html", &rewritten, hash(b"old")));

        // A manifest of another tree, or a damaged one, is not loaded.
        let other = dir.path().join("other");
        fs::create_dir(&other).unwrap();
        assert!(Manifest::load(&path, &other).is_none());
        let mut bytes = fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 1);
        fs::write(&path, &bytes).unwrap();
        assert!(Manifest::load(&path, &root).is_none());
    }

    #[test]
    fn trusts_a_folder_only_while_its_record_is_old_and_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        fs::create_dir_all(root.join("posts/a")).unwrap();
        fs::write(root.join("posts/a/index.html"), "a").unwrap();
        let stamp_of =
            |rel: &str| Stamp::of(&fs::symlink_metadata(root.join(rel)).unwrap()).unwrap();
        let posts = stamp_of("posts");
        let file = entry_for(&root.join("posts/a/index.html"), b"a");
        let path = dir.path().join("m.manifest");
        let folders = [("posts", posts), ("posts/a", stamp_of("posts/a"))];
        let bytes =
            Manifest::encode(&root, [("posts/a/index.html", file)].into_iter(), &folders).unwrap();
        Manifest::write(&path, &bytes).unwrap();
        let mut manifest = Manifest::load(&path, &root).unwrap();
        let mut listed: Vec<&str> = manifest.listed().collect();
        listed.sort();
        assert_eq!(listed, ["posts", "posts/a", "posts/a/index.html"]);

        // Recorded within the racy window: not trusted; long before: trusted.
        manifest.written_ns = posts.ctime_ns + RACY_NS / 2;
        assert!(!manifest.folder_unchanged("posts", &posts));
        manifest.written_ns = posts.ctime_ns + 10 * COARSE_RACY_NS;
        assert!(manifest.folder_unchanged("posts", &posts));
        assert!(!manifest.folder_unchanged("other", &posts));

        // A new entry moves the folder's times: no longer trusted.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("posts/planted.txt"), "x").unwrap();
        assert!(!manifest.folder_unchanged("posts", &stamp_of("posts")));
    }

    #[test]
    fn a_file_system_with_whole_second_times_gets_the_wide_window() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        fs::create_dir(&root).unwrap();
        let path = dir.path().join("m.manifest");
        let bytes = Manifest::encode(&root, std::iter::empty(), &[]).unwrap();
        Manifest::write(&path, &bytes).unwrap();
        let when = |ns: u64| std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns);
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(when(1_700_000_000_000_000_000)).unwrap();
        assert_eq!(
            Manifest::load(&path, &root).unwrap().racy_ns(),
            COARSE_RACY_NS
        );
        file.set_modified(when(1_700_000_000_250_000_000)).unwrap();
        assert_eq!(Manifest::load(&path, &root).unwrap().racy_ns(), RACY_NS);
    }
}
