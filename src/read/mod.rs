//! Reading files: plain text in any encoding notices come in (UTF-8, GB18030/GBK,
//! Big5, UTF-16 with or without BOM), HTML pages, Word `.docx` and PDF attachments.
//!
//! The result is plain text whose lines are what the parser and the indexer see.
//! Every CR, LF and CRLF ends one line, and line endings are `\n` in the text, so a
//! plain-text file keeps its line numbers and a hit's `source:line` points into the
//! file as an editor shows it; an HTML, `.docx` or PDF file's lines are those of its
//! extracted text (a table row is one line, its cells separated by tabs).

mod docx;
mod encoding;
mod html;
mod pdf;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use html::html_to_text;

/// The text of one file, decoded.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The file it came from.
    pub path: PathBuf,
    /// The decoded text (HTML, `.docx` and PDF already reduced to their text), line
    /// endings made `\n`.
    pub text: String,
    /// The encoding the bytes were read as (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE` …);
    /// `docx` or `pdf` for those formats.
    pub encoding: &'static str,
    /// The format the file was read as.
    pub format: Format,
    /// Whether the file was read as HTML.
    pub html: bool,
    /// Set when some bytes could not be decoded and were replaced by U+FFFD.
    pub lossy: bool,
    /// Set when the encoding was guessed: no byte-order mark, no HTML declaration, and
    /// not UTF-8 (one of `warnings` names the encoding guessed).
    pub guessed: bool,
    /// What the user should know about how the file was read (a guessed encoding,
    /// replaced bytes and the line of the first one …), each in Chinese with English
    /// in parentheses, without the file name.
    pub warnings: Vec<String>,
}

/// The formats zhenggai reads, told by a file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown (`.txt`, `.md`, `.text`, `.markdown`, or no extension).
    Text,
    /// A web page (`.html`, `.htm`, `.xhtml`, `.shtml`).
    Html,
    /// A Word document (`.docx`).
    Docx,
    /// A PDF document (`.pdf`); only its text layer can be read.
    Pdf,
    /// A format notices are published in that zhenggai cannot read (`.doc`, `.wps`):
    /// reported as unsupported, not skipped silently.
    Unsupported,
}

/// The format of a corpus file by its extension, or `None` for files zhenggai does
/// not index at all (images, spreadsheets, `.json` …): those are skipped and counted.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = match path.extension() {
        None => return Some(Format::Text),
        Some(e) => e.to_string_lossy().to_ascii_lowercase(),
    };
    match ext.as_str() {
        "txt" | "text" | "md" | "markdown" => Some(Format::Text),
        "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
        "docx" => Some(Format::Docx),
        "pdf" => Some(Format::Pdf),
        "doc" | "wps" | "rtf" => Some(Format::Unsupported),
        _ => None,
    }
}

/// Whether a path names a file zhenggai reads as HTML.
pub fn is_html_path(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("html" | "htm" | "xhtml" | "shtml")
    )
}

/// Reads a file and extracts its text (see [`decode_vec`]).
///
/// Errors name the file: unreadable, unsupported format, binary, or no text.
pub fn read_file(path: &Path) -> Result<SourceText> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_vec(path, bytes)
}

/// Extracts the text of the bytes of `path` (see [`decode_vec`]).
pub fn decode_bytes(path: &Path, bytes: &[u8]) -> Result<SourceText> {
    decode_source(path, Cow::Borrowed(bytes))
}

/// Extracts the text of the bytes of `path`, by its [`format_of`]: `.docx` and PDF
/// text layers are extracted, text and HTML decoded (the buffer becomes the text
/// without a copy when it is UTF-8 already), `.doc` and the like are refused.
///
/// Errors are [`Error::BadFile`] naming the file: an unsupported format, a binary
/// file, a damaged document, a scanned PDF, or no text at all.
pub fn decode_vec(path: &Path, bytes: Vec<u8>) -> Result<SourceText> {
    decode_source(path, Cow::Owned(bytes))
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::BadFile {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// The format to read `bytes` as: by extension, except that a text file whose bytes
/// are a PDF or a `.docx` (a renamed attachment) is read as one.
fn sniff(path: &Path, bytes: &[u8]) -> Format {
    match format_of(path) {
        Some(Format::Text) | None if bytes.starts_with(b"%PDF-") => Format::Pdf,
        Some(Format::Text) | None
            if bytes.starts_with(b"PK\x03\x04")
                && memchr::memmem::find(&bytes[..bytes.len().min(64 << 10)], b"word/")
                    .is_some() =>
        {
            Format::Docx
        }
        Some(f) => f,
        None => Format::Text,
    }
}

fn decode_source(path: &Path, bytes: Cow<'_, [u8]>) -> Result<SourceText> {
    let format = sniff(path, &bytes);
    let mut html = false;
    let decoded = match format {
        Format::Unsupported => return Err(bad(path, unsupported_reason(path))),
        Format::Docx => {
            let text = docx::extract(&bytes).map_err(|r| bad(path, r))?;
            plain(encoding::normalize_newlines(text), "docx")
        }
        Format::Pdf => {
            let text = pdf::extract(&bytes).map_err(|r| bad(path, r))?;
            plain(encoding::normalize_newlines(text), "pdf")
        }
        Format::Text | Format::Html => {
            html = format == Format::Html || looks_like_html(&bytes);
            let mut d = encoding::decode(bytes, html).map_err(|r| bad(path, r))?;
            if html {
                d.text = html_to_text(&d.text);
            }
            d
        }
    };
    let encoding::Decoded {
        mut text,
        encoding,
        lossy,
        guessed,
        mut warnings,
    } = decoded;
    if lossy && mostly_undecodable(&text) {
        return Err(bad(path, encoding::BINARY));
    }
    // Control characters other than line breaks and tabs carry no text, and would
    // reach a terminal as escape sequences when results are printed.
    if has_stray_control(&text) {
        if mostly_control(&text) {
            return Err(bad(path, encoding::BINARY));
        }
        let stray = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
        text = text
            .chars()
            .map(|c| if c == '\u{000C}' { '\n' } else { c })
            .filter(|&c| !stray(c))
            .collect();
    }
    if text.trim().is_empty() {
        return Err(bad(path, "文件没有文字内容 (no text in file)"));
    }
    if lossy {
        let line = first_replacement_line(&text);
        if let Some(line) = line {
            warnings.push(format!(
                "第一处 U+FFFD 在第 {line} 行 (the first U+FFFD is on line {line})"
            ));
        }
    }
    Ok(SourceText {
        path: path.to_path_buf(),
        text,
        encoding,
        format,
        html,
        lossy,
        guessed,
        warnings,
    })
}

/// The 1-based line of the first U+FFFD in `text`.
fn first_replacement_line(text: &str) -> Option<usize> {
    let at = text.find('\u{FFFD}')?;
    Some(1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count())
}

fn plain(text: String, encoding: &'static str) -> encoding::Decoded {
    encoding::Decoded {
        text,
        encoding,
        lossy: false,
        guessed: false,
        warnings: Vec::new(),
    }
}

fn unsupported_reason(path: &Path) -> String {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    format!("不支持 .{ext} 格式，请另存为 .docx 或 .txt (unsupported format .{ext})")
}

/// How many chars of a text are looked at to tell binary data from text.
const SAMPLE_CHARS: usize = 1 << 16;

/// At least 16, and more than one char in 20, of the first 64 Ki chars match `bad`.
fn mostly(text: &str, bad: impl Fn(char) -> bool) -> bool {
    let (mut n, mut hits) = (0usize, 0usize);
    for c in text.chars().take(SAMPLE_CHARS) {
        n += 1;
        hits += usize::from(bad(c));
    }
    hits >= 16 && hits * 20 > n
}

/// The text is largely U+FFFD: not text in the encoding it was read in, nor in any.
fn mostly_undecodable(text: &str) -> bool {
    mostly(text, |c| c == '\u{FFFD}')
}

/// The text is largely control characters other than line breaks, tabs and form
/// feeds: binary data that happens to have no NUL bytes at its start.
fn mostly_control(text: &str) -> bool {
    mostly(text, |c| {
        c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{000C}')
    })
}

/// Whether `s` holds a control character other than a line break or a tab (what
/// `s.contains(stray)` says in [`decode_bytes`]), without decoding every char: a
/// 64-byte block is decoded only when it holds a byte that may begin one.
fn has_stray_control(s: &str) -> bool {
    let stray = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    // C0 controls and DEL are single bytes; C1 controls (U+0080–U+009F) start with C2.
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7F || b == 0xC2;
    let mut start = 0;
    for block in s.as_bytes().chunks(64) {
        let end = start + block.len();
        if block.iter().fold(false, |acc, &b| acc | suspect(b)) {
            // The chars that overlap the block.
            let mut a = start;
            while !s.is_char_boundary(a) {
                a -= 1;
            }
            let mut e = end;
            while !s.is_char_boundary(e) {
                e += 1;
            }
            if s[a..e].contains(stray) {
                return true;
            }
        }
        start = end;
    }
    false
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("整改情况：已完成整改");
        let t = decode_bytes(Path::new("a.txt"), &gbk).unwrap();
        assert_eq!(t.text, "整改情况：已完成整改");
        assert_eq!(t.encoding, "GB18030");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("问题1:".as_bytes());
        let t = decode_bytes(Path::new("a.txt"), &bom).unwrap();
        assert_eq!(t.text, "问题1:");
        // The owned buffer takes the same paths.
        let t = decode_vec(Path::new("a.txt"), gbk.into_owned()).unwrap();
        assert_eq!(
            (t.text.as_str(), t.encoding),
            ("整改情况：已完成整改", "GB18030")
        );
        let t = decode_vec(Path::new("a.txt"), "问题1:".as_bytes().to_vec()).unwrap();
        assert_eq!((t.text.as_str(), t.encoding), ("问题1:", "UTF-8"));
    }

    #[test]
    fn drops_terminal_escapes_and_keeps_lines() {
        let t = decode_bytes(
            Path::new("a.txt"),
            "整改\u{1b}[2J情况\u{7}\r\n一是\u{8}加强\u{c}二是".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.text, "整改[2J情况\n一是加强\n二是");
    }

    #[test]
    fn stray_controls_are_found_in_any_block() {
        let stray = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
        for pad in 0..70 {
            for c in [
                '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '·', '\n', '\t',
            ] {
                let s = format!("{}{c}甲\r\n", "a".repeat(pad));
                assert_eq!(has_stray_control(&s), s.contains(stray), "{s:?}");
            }
        }
    }

    #[test]
    fn rejects_binary_and_empty() {
        let err = decode_bytes(Path::new("x.bin"), &[0, 1, 2, 3]).unwrap_err();
        assert!(err.to_string().contains("x.bin"));
        assert!(decode_bytes(Path::new("e.txt"), b"  \n ").is_err());
    }
}
