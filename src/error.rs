//! The library's error type.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
///
/// Each variant names what the user can act on: the file, the index directory
/// or the query that was at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: {cause}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error (in the message, not repeated as a source).
        cause: std::io::Error,
    },
    /// A file could be read but its content is unusable (binary, undecodable, empty…).
    #[error("{path}: {reason}")]
    BadFile {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// There is no index where one was expected.
    #[error(
        "没有找到索引 (no index at {0}); 请先运行 `zhenggai index` (run `zhenggai index` first)"
    )]
    NoIndex(PathBuf),
    /// The index exists but cannot be opened or is inconsistent.
    #[error("索引损坏或版本不符 (index at {path} is unusable): {reason}; 运行 `zhenggai index` 会修复或重建 (run `zhenggai index` to repair or rebuild it)")]
    CorruptIndex {
        /// The index directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A folder given as an index that zhenggai did not create: it is refused, and
    /// nothing in it is written or deleted.
    #[error("{path}: {reason}")]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The user dictionary given for a search differs from the one the index was built with.
    #[error("词典与索引不一致 (the dictionary differs from the one the index at {0} was built with); 请用相同的 --dict 搜索，或用 `zhenggai index --rebuild --dict FILE` 重建")]
    DictMismatch(PathBuf),
    /// A user dictionary line is malformed.
    #[error("{path}:{line}: 词典格式错误 (bad dictionary line): {reason}")]
    BadDict {
        /// The dictionary file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The query could not be understood.
    #[error("查询有误 (bad query): {0}")]
    BadQuery(String),
    /// A hit id given to `show` or `similar` does not exist.
    #[error("没有编号为 {0} 的结果 (no record with id {0})")]
    NoSuchRecord(String),
    /// An error from the tantivy engine.
    #[error("索引引擎错误 (index engine error): {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// An I/O error not tied to one user file (index directory, temporary files).
    #[error("I/O: {0}")]
    PlainIo(#[from] std::io::Error),
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause: source,
        }
    }
}
