//! The index: schema, the manifest that records what was indexed, and building.
//!
//! An index folder holds generations (see [`store`]); the live one holds tantivy's
//! files, `zhenggai.json` (the manifest: format, dictionary fingerprint, the corpus,
//! every indexed file with its content hash, the tantivy commit it describes and
//! checksums of the two files below), `dict.fst` (the dictionary queries segment
//! with) and `vocab.txt` (every word of the index, for literal matching across
//! words; see [`vocab`]). Functions taking a `dir` accept the index folder (they
//! follow its live generation) or a generation folder.

pub mod dedup;
mod document;
pub mod files;
pub mod record;
pub mod schema;
pub mod store;
pub mod vocab;
pub mod writer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use crate::error::{Error, Result};
use crate::segment::{WordTokenizer, WORDS};

pub use writer::{build, BuildOptions, BuildReport, Progress};

/// Name of the manifest file in an index directory.
pub const MANIFEST: &str = "zhenggai.json";
/// Name of the query dictionary in an index directory.
pub const DICT_FST: &str = "dict.fst";

/// What one indexed file contributed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct FileEntry {
    /// xxh3 hash of the file's bytes, hex.
    pub hash: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Records indexed from it.
    pub records: usize,
    /// Whether it parsed as a notice.
    pub notice: bool,
    /// The notice's agency as printed (empty if none).
    #[serde(default)]
    pub agency: String,
    /// Its short form.
    #[serde(default)]
    pub agency_short: String,
    /// The notice's title (or a non-notice's first line).
    #[serde(default)]
    pub title: String,
    /// Publication date (ISO), if known.
    #[serde(default)]
    pub published: String,
    /// Region of the agency.
    #[serde(default)]
    pub region: String,
    /// Level 省/市/县.
    #[serde(default)]
    pub level: String,
    /// Inspection kind 巡察/巡视.
    #[serde(default)]
    pub inspection: String,
    /// MinHash signature of its parsed body, hex ([`dedup`]; empty when too short
    /// to compare).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub minhash: String,
    /// The notice of record this file is a copy of (a reposted notice, [`dedup`]):
    /// searches leave it out unless asked for every copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
    /// The copies of this notice of record: where else it was published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_published_at: Vec<String>,
}

/// The manifest: what the index was built from and with.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    /// Layout version ([`schema::FORMAT`]).
    pub format: u32,
    /// Fingerprint of the dictionary the index was segmented with.
    pub dict_fingerprint: u64,
    /// Total word frequency of that dictionary (jieba's `total`).
    pub dict_total: u64,
    /// Hash of the user dictionary's bytes (0 without one).
    pub user_dict_hash: u64,
    /// The user dictionary file, if one was given.
    pub user_dict: Option<PathBuf>,
    /// Indexed files by source path.
    pub files: BTreeMap<String, FileEntry>,
    /// The tantivy commit this manifest (and `vocab.txt`) describes. A build that
    /// stopped after committing but before writing the manifest leaves the index
    /// ahead of it: searches refuse it and the next build starts over.
    #[serde(default)]
    pub opstamp: u64,
    /// The corpus folder (or file) the index was last built from, absolute.
    #[serde(default)]
    pub corpus: Option<String>,
    /// xxh3 of `vocab.txt`, hex (empty: not checked).
    #[serde(default)]
    pub vocab_hash: String,
    /// xxh3 of `dict.fst`, hex (empty: not checked).
    #[serde(default)]
    pub dict_hash: String,
}

/// What can be read of a manifest even when it is outdated: which corpus the index
/// was built from.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ManifestHead {
    /// Layout version.
    #[serde(default)]
    pub format: u32,
    /// The corpus the index was built from.
    #[serde(default)]
    pub corpus: Option<String>,
}

impl ManifestHead {
    /// Reads what can be read of the manifest of `dir`, if it parses at all.
    pub fn load(dir: &Path) -> Option<ManifestHead> {
        let text = std::fs::read_to_string(store::resolve(dir).join(MANIFEST)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

/// xxh3 of a file's bytes, hex.
pub fn file_hash(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)))
}

impl Manifest {
    /// Reads the manifest of `dir`.
    pub fn load(dir: &Path) -> Result<Manifest> {
        let path = store::resolve(dir).join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::NoIndex(dir.to_path_buf())
            } else {
                Error::io(&path, e)
            }
        })?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: format!("{MANIFEST}: {e}"),
        })?;
        if m.format != schema::FORMAT {
            return Err(Error::CorruptIndex {
                path: dir.to_path_buf(),
                reason: format!(
                    "格式版本 {} (format {}), 需要 {}",
                    m.format,
                    m.format,
                    schema::FORMAT
                ),
            });
        }
        Ok(m)
    }

    /// Writes the manifest atomically (temporary file, fsync, rename).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = store::resolve(dir).join(MANIFEST);
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        store::write_atomic(&path, text.as_bytes())
    }

    /// Records indexed in all.
    pub fn records(&self) -> usize {
        self.files.values().map(|f| f.records).sum()
    }

    /// The files that are copies of another notice ([`dedup`]), by key.
    pub fn copies(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(|(_, e)| e.copy_of.is_some())
            .map(|(k, _)| k.as_str())
    }
}

/// Whether `dir` holds a zhenggai index (a live generation, or a generation given
/// directly).
pub fn exists(dir: &Path) -> bool {
    let g = store::resolve(dir);
    g.join(MANIFEST).is_file() && g.join("meta.json").is_file()
}

/// Registers the analyzers on an index. The word analyzer needs the dictionary; an
/// index opened only for searching registers a placeholder that is never called,
/// because queries are analyzed by [`crate::search`] itself.
pub fn register_tokenizers(index: &Index, jieba: Option<Arc<jieba_rs::Jieba>>) {
    let jieba = jieba.unwrap_or_else(|| Arc::new(jieba_rs::Jieba::empty()));
    index.tokenizers().register(
        WORDS,
        TextAnalyzer::builder(WordTokenizer::new(jieba)).build(),
    );
}

/// Whether the manifest describes the index's last commit (see [`Manifest::opstamp`]).
pub fn is_complete(index: &Index, manifest: &Manifest) -> Result<bool> {
    Ok(index.load_metas()?.opstamp == manifest.opstamp)
}

fn check_complete(dir: &Path, index: &Index, manifest: &Manifest) -> Result<()> {
    if is_complete(index, manifest)? {
        Ok(())
    } else {
        Err(Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: "上次建索引没有完成，请重新运行 zhenggai index (the last build did not finish: run `zhenggai index` again)".into(),
        })
    }
}

/// Checks zhenggai's own files against the checksums the manifest holds: the
/// vocabulary of generation `gen` and the dictionary `fst` a reader will load.
pub fn check_files(gen: &Path, fst: &Path, manifest: &Manifest) -> Result<()> {
    for (path, want) in [
        (gen.join(vocab::VOCAB), &manifest.vocab_hash),
        (fst.to_path_buf(), &manifest.dict_hash),
    ] {
        if want.is_empty() {
            continue;
        }
        if &file_hash(&path)? != want {
            return Err(Error::CorruptIndex {
                path: gen.to_path_buf(),
                reason: format!(
                    "{} 校验和不符 (checksum mismatch: the file is damaged)",
                    path.display()
                ),
            });
        }
    }
    Ok(())
}

/// Opens the tantivy index in `dir` for searching, after checking that its manifest
/// describes its last commit and that `vocab.txt` and `dir/dict.fst` are intact.
pub fn open(dir: &Path) -> Result<(Index, Manifest)> {
    if !exists(dir) {
        return Err(Error::NoIndex(dir.to_path_buf()));
    }
    // Engine::open reads `dict.fst` from the folder it was given.
    let fst = dir.join(DICT_FST);
    let gen = store::resolve(dir);
    let dir = gen.as_path();
    let manifest = Manifest::load(dir)?;
    let index = Index::open_in_dir(dir).map_err(|e| Error::CorruptIndex {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    if schema::Fields::from_schema(&index.schema()).is_none() {
        return Err(Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: "字段不符 (schema mismatch)".into(),
        });
    }
    check_complete(dir, &index, &manifest)?;
    check_files(dir, &fst, &manifest)?;
    register_tokenizers(&index, None);
    Ok((index, manifest))
}
