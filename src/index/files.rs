//! The files of a corpus and their identity in the index.
//!
//! A file is known by its key: the name of the corpus folder followed by the file's
//! path inside it, `/`-separated (`seeds/000_3089e93c6afc7ecc.txt`). The key comes
//! from the path's raw bytes relative to the corpus root, so `seeds`, `./seeds` and
//! `/home/me/seeds` give the same keys (and the same record ids), and two names that
//! are not valid UTF-8 never collide: bytes that are not UTF-8 are written `\xNN`
//! and a backslash `\\`, so a key names one file and prints unambiguously.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// A file to index: where it is, and its key.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    /// The path to read it from.
    pub path: PathBuf,
    /// Its key in the index (see the module documentation).
    pub key: String,
}

/// What walking a corpus found.
#[derive(Debug, Default)]
pub struct Walk {
    /// The corpus root, absolute (as the manifest records it).
    pub root: PathBuf,
    /// Files to index, in a stable order.
    pub files: Vec<CorpusFile>,
    /// Entries that could not be walked (a dangling link, a loop, an unreadable
    /// folder), by key, with the reason.
    pub errors: Vec<(String, String)>,
    /// Keys of folders that could not be listed: files indexed under them are kept.
    pub unlisted: Vec<String>,
    /// Hidden files and folders (names starting with `.`), not indexed.
    pub hidden: usize,
    /// Files of kinds zhenggai does not index ([`crate::read::format_of`] is `None`).
    pub skipped: usize,
}

/// `bytes` as text: UTF-8 as it is, `\` as `\\`, other bytes as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// A file or folder name as text, unambiguously (see [`escape_bytes`]).
pub fn escape_name(name: &OsStr) -> String {
    escape_bytes(name.as_encoded_bytes())
}

/// The key of `path`, which lies under the corpus root `given` (as the user spelled
/// it) whose folder name is `prefix`.
fn key_of(prefix: &str, given: &Path, path: &Path) -> String {
    let mut key = prefix.to_string();
    let rel = path.strip_prefix(given).unwrap_or(path);
    for c in rel.components() {
        if let Component::Normal(name) = c {
            if !key.is_empty() {
                key.push('/');
            }
            key.push_str(&escape_name(name));
        }
    }
    key
}

/// The key a build of the corpus `corpus` gives the file `path` inside it (the
/// `source` of its records; their ids derive from it).
///
/// ```
/// # use std::path::Path;
/// let dir = tempfile::tempdir().unwrap();
/// let seeds = dir.path().join("seeds");
/// std::fs::create_dir(&seeds).unwrap();
/// let key = zhenggai::index::files::key_for(&seeds, &seeds.join("a.txt"));
/// assert_eq!(key, "seeds/a.txt");
/// ```
pub fn key_for(corpus: &Path, path: &Path) -> String {
    let root = corpus
        .canonicalize()
        .unwrap_or_else(|_| corpus.to_path_buf());
    let prefix = root.file_name().map(escape_name).unwrap_or_default();
    key_of(&prefix, corpus, path)
}

fn hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// Lists the files of `corpus` (a folder or a single file), leaving out the index
/// folder `index` if it lies inside.
pub fn walk(corpus: &Path, index: &Path) -> Result<Walk> {
    let root = corpus.canonicalize().map_err(|e| {
        let e = if e.kind() == std::io::ErrorKind::NotFound {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "语料目录不存在 (no such corpus directory)",
            )
        } else {
            e
        };
        Error::io(corpus, e)
    })?;
    let mut out = Walk {
        root: root.clone(),
        ..Walk::default()
    };
    if root.is_file() {
        let name = root.file_name().map(escape_name).unwrap_or_default();
        if crate::read::format_of(&root).is_some() {
            out.files.push(CorpusFile {
                path: corpus.to_path_buf(),
                key: name,
            });
        } else {
            out.skipped += 1;
        }
        return Ok(out);
    }
    let prefix = root.file_name().map(escape_name).unwrap_or_default();
    let index_abs = index.canonicalize().ok();
    let mut hidden_count = 0;
    let walker = walkdir::WalkDir::new(corpus)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if hidden(e.file_name()) {
                hidden_count += 1;
                return false;
            }
            let is_index = e.file_type().is_dir()
                && index_abs
                    .as_ref()
                    .is_some_and(|i| e.path().canonicalize().ok().as_ref() == Some(i));
            !is_index
        });
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut unlisted = Vec::new();
    let mut skipped = 0;
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if crate::read::format_of(entry.path()).is_some() {
                    let key = key_of(&prefix, corpus, entry.path());
                    files.push(CorpusFile {
                        path: entry.into_path(),
                        key,
                    });
                } else {
                    skipped += 1;
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(corpus);
                let key = key_of(&prefix, corpus, path);
                let reason = match e.io_error() {
                    Some(io) => io.to_string(),
                    None => e.to_string(),
                };
                // A folder that could not be listed (or a link that could not be
                // followed): what was indexed under it stays.
                unlisted.push(key.clone());
                errors.push((key, reason));
            }
        }
    }
    out.files = files;
    out.errors = errors;
    out.unlisted = unlisted;
    out.hidden = hidden_count;
    out.skipped = skipped;
    Ok(out)
}

/// Whether the file `key` lies under one of the folders `unlisted` (or is one).
pub fn under_any(key: &str, unlisted: &[String]) -> bool {
    unlisted.iter().any(|d| {
        key == d
            || key
                .strip_prefix(d.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
            || d.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_is_unambiguous() {
        assert_eq!(escape_bytes("通报.txt".as_bytes()), "通报.txt");
        assert_eq!(
            escape_bytes(b"\xf7\xa1\xf7\xa2.txt"),
            "\\xf7\\xa1\\xf7\\xa2.txt"
        );
        assert_eq!(escape_bytes(b"a\\xff"), "a\\\\xff");
        assert_ne!(escape_bytes(b"a\\xff"), escape_bytes(b"a\xff"));
    }

    #[test]
    fn keys_do_not_depend_on_the_spelling_of_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("seeds");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        std::fs::write(corpus.join("sub").join("a.txt"), "x").unwrap();
        std::fs::write(corpus.join("b.png"), "x").unwrap();
        std::fs::write(corpus.join(".hidden.txt"), "x").unwrap();
        let idx = dir.path().join("index");
        let a = walk(&corpus, &idx).unwrap();
        let b = walk(&corpus.join("sub").join(".."), &idx).unwrap();
        let keys = |w: &Walk| w.files.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&a), ["seeds/sub/a.txt"]);
        assert_eq!(keys(&b), keys(&a));
        assert_eq!((a.hidden, a.skipped), (1, 1));
    }

    #[test]
    fn under_a_folder() {
        let dirs = ["c/sub".to_string()];
        assert!(under_any("c/sub/a.txt", &dirs));
        assert!(!under_any("c/subway.txt", &dirs));
    }
}
