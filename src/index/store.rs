//! The index directory on disk: zhenggai's marker, the writer lock, and generations.
//!
//! ```text
//! index/
//!   zhenggai-index     marker: this folder is a zhenggai index (nothing else makes it one)
//!   zhenggai.lock      held (OS file lock) by the one process writing the index
//!   CURRENT            name of the live generation, replaced atomically (rename) last
//!   gen-000007/        the live generation: tantivy's files, zhenggai.json, vocab.txt, dict.fst
//!   dict.fst           hard link to the live generation's dict.fst
//! ```
//!
//! A build writes a new generation beside the live one (an update starts from hard
//! links to the live generation's files, which tantivy never modifies in place),
//! commits it, writes zhenggai's files (temporary file, fsync, rename), and only then
//! points `CURRENT` at it. Readers follow `CURRENT`, so they always see a complete
//! generation, and a build killed at any moment leaves the previous one live. Only
//! names this module creates (`gen-*`, `CURRENT`, the marker, the lock, `dict.fst`
//! and their `.tmp` files) are ever deleted; anything else in the folder is left alone.

use std::fs::File;

use fs4::fs_std::FileExt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the marker file that makes a folder a zhenggai index.
pub const MARKER: &str = "zhenggai-index";
/// Name of the pointer to the live generation.
pub const CURRENT: &str = "CURRENT";
/// Name of the lock file held while writing.
pub const LOCK: &str = "zhenggai.lock";
/// What the marker file says.
const MARKER_TEXT: &str = "zhenggai index, layout 1\n";
/// Prefix of generation folders.
const GEN_PREFIX: &str = "gen-";

/// The live generation of `dir`, if `dir` is a zhenggai index with one.
pub fn current(dir: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(dir.join(CURRENT)).ok()?;
    let name = name.trim();
    parse_gen(name)?;
    Some(dir.join(name))
}

/// The folder holding the index files: the live generation of an index folder, or
/// `dir` itself (a generation given directly).
pub fn resolve(dir: &Path) -> PathBuf {
    current(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// Whether `dir` carries zhenggai's marker.
pub fn is_marked(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

fn parse_gen(name: &str) -> Option<u64> {
    let n = name.strip_prefix(GEN_PREFIX)?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn gen_name(n: u64) -> String {
    format!("{GEN_PREFIX}{n:06}")
}

/// Writes `bytes` to `path` through a temporary file: written, synced, renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut f = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Syncs a directory, so that renames in it are on disk (a no-op where directories
/// cannot be opened).
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// The refusal for a folder zhenggai did not create.
fn foreign(dir: &Path) -> Error {
    Error::NotAnIndex {
        path: dir.to_path_buf(),
        reason: "目录非空且不是 zhenggai 索引，不会写入或删除其中任何文件；请换一个空目录 (the folder is not empty and is not a zhenggai index: nothing in it is written or deleted; choose an empty or new folder)".into(),
    }
}

/// Checks that `dir` may be written as an index: it carries the marker, is empty
/// (hidden files such as `.gitkeep` aside), or does not exist.
pub fn check_writable(dir: &Path) -> Result<()> {
    if is_marked(dir) {
        return Ok(());
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut names = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(dir, e))?;
        names.push(e.file_name());
    }
    // Hidden files, and what another zhenggai creating the index at this moment
    // has written so far, do not make the folder foreign.
    let marker_tmp = format!("{MARKER}.tmp");
    let visible: Vec<_> = names
        .iter()
        .filter(|n| !n.as_encoded_bytes().starts_with(b"."))
        .filter(|n| *n != LOCK && *n != marker_tmp.as_str())
        .collect();
    if visible.is_empty() {
        return Ok(());
    }
    if legacy_files(dir).is_some() {
        return Ok(());
    }
    Err(foreign(dir))
}

/// Whether `name` is a segment file name tantivy writes (`<32 hex digits>.<ext>`,
/// `.del` files with an opstamp between).
fn is_tantivy_name(name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() == 32
        && stem.bytes().all(|b| b.is_ascii_hexdigit())
        && !ext.is_empty()
        && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

/// The files of an index written by an older zhenggai (tantivy's files in the
/// folder itself beside `zhenggai.json`, no marker), or `None` if `dir` does not
/// hold one: its manifest, tantivy's `meta.json` and its list of the files it
/// wrote must all be there. Only those files are named: the segment files tantivy
/// listed, and the names zhenggai and tantivy gave their own files.
fn legacy_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("zhenggai.json")).ok()?).ok()?;
    let looks_ours = manifest.get("format").is_some_and(|f| f.is_u64())
        && manifest.get("files").is_some_and(|f| f.is_object());
    if !looks_ours || !dir.join("meta.json").is_file() {
        return None;
    }
    let managed: Vec<String> =
        serde_json::from_slice(&std::fs::read(dir.join(".managed.json")).ok()?).ok()?;
    let mut out: Vec<PathBuf> = managed
        .iter()
        .filter(|n| is_tantivy_name(n))
        .map(|n| dir.join(n))
        .collect();
    for n in [
        "meta.json",
        ".managed.json",
        "zhenggai.json",
        "zhenggai.json.tmp",
        "vocab.txt",
        "vocab.txt.tmp",
        "dict.fst",
        ".tantivy-meta.lock",
        ".tantivy-writer.lock",
    ] {
        out.push(dir.join(n));
    }
    Some(out)
}

/// Deletes the files of an index of an older zhenggai in `dir`, if it holds one
/// ([`legacy_files`]): the index is rebuilt in a generation, whatever else is in
/// the folder stays. The three files that identify such an index go last, so an
/// interrupted run is finished by the next.
fn remove_legacy(dir: &Path) -> Result<()> {
    let Some(files) = legacy_files(dir) else {
        return Ok(());
    };
    let last = ["meta.json", ".managed.json", "zhenggai.json"];
    let (late, early): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| last.iter().any(|l| n == *l)));
    let mut late = late;
    late.sort_by_key(|p| {
        last.iter()
            .position(|l| p.file_name().is_some_and(|n| n == *l))
    });
    for p in early.into_iter().chain(late) {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&p, e)),
        }
    }
    Ok(())
}

/// The index folder, locked for writing: one writer at a time. The lock is released
/// when this is dropped (or the process ends, however it ends).
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    _lock: File,
}

impl Store {
    /// Locks `dir` for writing, creating it (with the marker) if needed. If another
    /// process holds the lock, calls `waiting` once and waits for it. An index of
    /// an older zhenggai (no marker) has its own files deleted (see
    /// `legacy_files`), to be rebuilt.
    pub fn lock(dir: &Path, waiting: &mut dyn FnMut()) -> Result<Store> {
        check_writable(dir)?;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        // An OS lock (flock / LockFileEx): released however the process ends.
        if !FileExt::try_lock_exclusive(&file).map_err(|e| Error::io(&path, e))? {
            waiting();
            FileExt::lock_exclusive(&file).map_err(|e| Error::io(&path, e))?;
        }
        if !is_marked(dir) {
            write_atomic(&dir.join(MARKER), MARKER_TEXT.as_bytes())?;
            sync_dir(dir);
        }
        remove_legacy(dir)?;
        Ok(Store {
            root: dir.to_path_buf(),
            _lock: file,
        })
    }

    /// The index folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The live generation, if any.
    pub fn current(&self) -> Option<PathBuf> {
        current(&self.root)
    }

    /// Deletes what interrupted builds left: generations other than the live one and
    /// zhenggai's temporary files. Nothing else is touched.
    pub fn clean(&self) -> Result<()> {
        remove_legacy(&self.root)?;
        let live = self.current();
        let entries = std::fs::read_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let path = e.path();
            let stale_gen = parse_gen(name).is_some() && Some(&path) != live.as_ref();
            let ours_tmp = [CURRENT, MARKER, crate::index::DICT_FST]
                .iter()
                .any(|n| name == format!("{n}.tmp"));
            if stale_gen && path.is_dir() {
                std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
            } else if ours_tmp {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
        Ok(())
    }

    /// A new, empty generation folder after every existing one.
    pub fn new_generation(&self) -> Result<PathBuf> {
        let mut last = 0;
        let entries = std::fs::read_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        for e in entries.flatten() {
            if let Some(n) = e.file_name().to_str().and_then(parse_gen) {
                last = last.max(n);
            }
        }
        let path = self.root.join(gen_name(last + 1));
        std::fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
        Ok(path)
    }

    /// Fills the new generation `to` with the files of generation `from`: hard links
    /// (tantivy never changes a file once written; it replaces `meta.json` and
    /// `.managed.json` by renaming, which leaves `from` alone), copies where links
    /// are not possible. Tantivy's lock files are not carried over.
    pub fn seed_from(&self, from: &Path, to: &Path) -> Result<()> {
        let entries = std::fs::read_dir(from).map_err(|e| Error::io(from, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::io(from, e))?;
            let name = e.file_name();
            let s = name.to_string_lossy();
            if s.starts_with(".tantivy-") || s.ends_with(".tmp") || !e.path().is_file() {
                continue;
            }
            let (src, dst) = (e.path(), to.join(&name));
            let small = s == "meta.json" || s == ".managed.json";
            if small || std::fs::hard_link(&src, &dst).is_err() {
                std::fs::copy(&src, &dst).map_err(|e| Error::io(&dst, e))?;
            }
        }
        Ok(())
    }

    /// Makes generation `gen` (complete and synced) the live one: `CURRENT` is
    /// replaced by a rename, then the folder's `dict.fst` link follows, and the
    /// previous generations are deleted.
    pub fn publish(&self, gen: &Path) -> Result<()> {
        sync_dir(gen);
        let name = gen
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| parse_gen(n).is_some())
            .ok_or_else(|| {
                Error::io(
                    gen,
                    std::io::Error::other("不是索引的一代 (not a generation folder)"),
                )
            })?;
        write_atomic(&self.root.join(CURRENT), format!("{name}\n").as_bytes())?;
        sync_dir(&self.root);
        // The folder's own dict.fst, for readers given the folder rather than the
        // generation (the library's `Engine::open(folder)`).
        let fst = gen.join(crate::index::DICT_FST);
        let top = self.root.join(crate::index::DICT_FST);
        let tmp = self.root.join(format!("{}.tmp", crate::index::DICT_FST));
        let _ = std::fs::remove_file(&tmp);
        if std::fs::hard_link(&fst, &tmp).is_err() {
            std::fs::copy(&fst, &tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        std::fs::rename(&tmp, &top).map_err(|e| Error::io(&top, e))?;
        // The new generation is live: a previous one that cannot be deleted now (a
        // reader holding it where open files cannot be deleted) goes next time.
        let _ = self.clean();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_names() {
        assert!(is_tantivy_name("44fd5849cfd94b598ca6dc1d6ee68f98.store"));
        assert!(is_tantivy_name("44fd5849cfd94b598ca6dc1d6ee68f98.12.del"));
        assert!(!is_tantivy_name("thesis.docx"));
        assert!(!is_tantivy_name("44fd5849cfd94b598ca6dc1d6ee68f98"));
        assert!(!is_tantivy_name(
            "../44fd5849cfd94b598ca6dc1d6ee68f98.store"
        ));
    }

    #[test]
    fn generation_names() {
        assert_eq!(gen_name(7), "gen-000007");
        assert_eq!(parse_gen("gen-000007"), Some(7));
        assert_eq!(parse_gen("gen-"), None);
        assert_eq!(parse_gen("gen-1x"), None);
        assert_eq!(parse_gen("meta.json"), None);
    }

    #[test]
    fn a_foreign_folder_is_refused_and_an_empty_one_adopted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitkeep"), "").unwrap();
        assert!(check_writable(dir.path()).is_ok());
        std::fs::write(dir.path().join("meta.json"), "{}").unwrap();
        assert!(matches!(
            check_writable(dir.path()),
            Err(Error::NotAnIndex { .. })
        ));
    }
}
