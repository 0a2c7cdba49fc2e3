//! What a build wrote into an output tree, kept beside the tree so that the
//! next build writing over it can tell an unchanged file without reading it.
//!
//! For every file the manifest holds a hash of its bytes and the file
//! system's record of it when folio last wrote or checked it: inode, size,
//! and modification and change times to the nanosecond. A later build trusts
//! the hash only if that record still matches the file exactly. Any write to
//! the file since, by any program, moves its change time (which programs
//! cannot set), and replacing it changes its inode, so a match means the
//! bytes are the ones hashed. As in git's index, a file whose change time
//! falls within [`RACY_NS`] of the manifest file's own modification time (both
//! from the file system's clock) is not trusted (a file system with coarse
//! timestamps could hide a quick second write), and is compared by reading
//! it, as is every file without an entry.
//!
//! The manifest is a cache: missing, unreadable, or written for another
//! tree (its root folder's inode differs), it is ignored, and deleting it
//! only costs the next build some reads.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Change times this close to the manifest's own time are not trusted.
const RACY_NS: i64 = 2_000_000_000;

const MAGIC: &[u8; 8] = b"FOLIOMF2";

/// The fewest bytes an entry takes: the length of its path, the hash and
/// four numbers.
const MIN_ENTRY: usize = 8 + 16 + 4 * 8;

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
            let len = at.u64()? as usize;
            let rel = std::str::from_utf8(at.take(len)?).ok()?.to_string();
            let hash = u128::from(at.u64()?) << 64 | u128::from(at.u64()?);
            let stamp = Stamp {
                ino: at.u64()?,
                size: at.u64()?,
                mtime_ns: at.i64()?,
                ctime_ns: at.i64()?,
            };
            entries.insert(rel, Entry { hash, stamp });
        }
        at.0.is_empty().then_some(Manifest {
            written_ns,
            entries,
        })
    }

    /// Whether the file at `rel`, which `meta` describes, certainly holds
    /// `bytes` (whose hash is `hash`) without reading it.
    pub(crate) fn unchanged(&self, rel: &str, meta: &fs::Metadata, hash: u128) -> bool {
        let Some(entry) = self.entries.get(rel) else {
            return false;
        };
        Stamp::of(meta) == Some(entry.stamp)
            && entry.stamp.ctime_ns < self.written_ns.saturating_sub(RACY_NS)
            && entry.hash == hash
    }

    /// The manifest of the tree whose root folder is `root`, as bytes for
    /// [`Manifest::write`] (made while the tree is still being finished).
    pub(crate) fn encode<'a>(
        root: &Path,
        entries: impl ExactSizeIterator<Item = (&'a str, Entry)>,
    ) -> Option<Vec<u8>> {
        let root_ino = root_inode(root)?;
        let mut out = Vec::with_capacity(32 + entries.len() * 96);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&root_ino.to_le_bytes());
        out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (rel, e) in entries {
            out.extend_from_slice(&(rel.len() as u64).to_le_bytes());
            out.extend_from_slice(rel.as_bytes());
            out.extend_from_slice(&((e.hash >> 64) as u64).to_le_bytes());
            out.extend_from_slice(&(e.hash as u64).to_le_bytes());
            for n in [e.stamp.ino, e.stamp.size] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            for n in [e.stamp.mtime_ns, e.stamp.ctime_ns] {
                out.extend_from_slice(&n.to_le_bytes());
            }
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
        let bytes = Manifest::encode(&root, [("a.html", entry)].into_iter()).unwrap();
        Manifest::write(&path, &bytes).unwrap();
        let meta = fs::symlink_metadata(&file).unwrap();

        // Written just now: within the racy window, so not trusted yet.
        let fresh = Manifest::load(&path, &root).unwrap();
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
}
