//! Reading files: encodings (UTF-8 with or without BOM, UTF-16, GB18030/GBK) and HTML.
//!
//! The result is plain text whose lines are what the parser and the indexer see.
//! Plain-text files keep their line numbers, so a hit's `source:line` points into
//! the file as it is on disk; an HTML file's lines are those of its extracted text.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The text of one file, decoded.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The file it came from.
    pub path: PathBuf,
    /// The decoded text, as written (HTML already reduced to its text).
    pub text: String,
    /// The encoding the bytes were read as (`UTF-8`, `GB18030`, `UTF-16LE` …).
    pub encoding: &'static str,
    /// Whether the file was read as HTML.
    pub html: bool,
    /// Set when some bytes could not be decoded and were replaced by U+FFFD.
    pub lossy: bool,
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

/// Reads and decodes a file.
///
/// Errors name the file: unreadable, binary (NUL bytes), or empty after decoding.
pub fn read_file(path: &Path) -> Result<SourceText> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_vec(path, bytes)
}

/// Decodes the bytes of `path` (see [`read_file`]).
pub fn decode_bytes(path: &Path, bytes: &[u8]) -> Result<SourceText> {
    decode_source(path, Cow::Borrowed(bytes))
}

/// Decodes the bytes of `path` (see [`read_file`]), keeping the buffer as the text
/// when it is UTF-8 already.
pub fn decode_vec(path: &Path, bytes: Vec<u8>) -> Result<SourceText> {
    decode_source(path, Cow::Owned(bytes))
}

fn decode_source(path: &Path, bytes: Cow<'_, [u8]>) -> Result<SourceText> {
    let html = is_html_path(path) || looks_like_html(&bytes);
    let (text, encoding, lossy) = decode(bytes).ok_or_else(|| Error::BadFile {
        path: path.to_path_buf(),
        reason: "二进制文件，不是文本 (binary file, not text)".into(),
    })?;
    let mut text = if html { html_to_text(&text) } else { text };
    // Control characters other than line breaks and tabs carry no text, and would
    // reach a terminal as escape sequences when results are printed.
    let stray = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if has_stray_control(&text) {
        text = text
            .chars()
            .map(|c| if c == '\u{000C}' { '\n' } else { c })
            .filter(|&c| !stray(c))
            .collect();
    }
    if text.trim().is_empty() {
        return Err(Error::BadFile {
            path: path.to_path_buf(),
            reason: "文件没有文字内容 (no text in file)".into(),
        });
    }
    Ok(SourceText {
        path: path.to_path_buf(),
        text,
        encoding,
        html,
        lossy,
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

/// Returns (text, encoding name, lossy) or `None` for binary data.
fn decode(bytes: Cow<'_, [u8]>) -> Option<(String, &'static str, bool)> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Some((text.into_owned(), enc.name(), had_errors));
    }
    let probe = &bytes[..bytes.len().min(8192)];
    if probe.contains(&0) {
        return None;
    }
    match String::from_utf8(bytes.into_owned()) {
        Ok(s) => Some((s, "UTF-8", false)),
        Err(e) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(e.as_bytes());
            Some((text.into_owned(), encoding_rs::GB18030.name(), had_errors))
        }
    }
}

/// Reduces an HTML page to its text: scripts, styles and navigation blocks are dropped,
/// block elements become line breaks, entities are decoded.
///
/// ```
/// use zhenggai::read::html_to_text;
/// let t = html_to_text("<html><nav>首页 &gt; 信息公开</nav><p>一是&ldquo;第一议题&rdquo;</p><script>x()</script><p>二是</p></html>");
/// assert_eq!(t, "一是“第一议题”\n二是");
/// ```
pub fn html_to_text(html: &str) -> String {
    const SKIP: [&str; 8] = [
        "script", "style", "nav", "head", "noscript", "iframe", "svg", "select",
    ];
    const BLOCK: [&str; 22] = [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "title",
        "header",
        "footer",
        "blockquote",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
            // Skip everything up to the matching end tag.
            let end = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&end) {
                Some(e) => {
                    let after = &rest[e..];
                    after.find('>').map_or("", |g| &after[g + 1..])
                }
                None => "",
            };
            out.push('\n');
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out);
    let mut text = String::with_capacity(decoded.len());
    for line in decoded.lines() {
        let line = line.replace('\u{a0}', " ");
        let line = line.trim();
        if !line.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("整改情况：已完成整改");
        let t = decode_bytes(Path::new("a.txt"), &gbk).unwrap();
        assert_eq!(t.text, "整改情况：已完成整改");
        assert_eq!(t.encoding, "gb18030");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("问题1:".as_bytes());
        let t = decode_bytes(Path::new("a.txt"), &bom).unwrap();
        assert_eq!(t.text, "问题1:");
        // The owned buffer takes the same paths.
        let t = decode_vec(Path::new("a.txt"), gbk.into_owned()).unwrap();
        assert_eq!(
            (t.text.as_str(), t.encoding),
            ("整改情况：已完成整改", "gb18030")
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
        assert_eq!(t.text, "整改[2J情况\r\n一是加强\n二是");
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
