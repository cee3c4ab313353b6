//! Telling a text file's encoding: byte-order marks, UTF-8 (whole or with a few bad
//! bytes), an HTML page's `<meta charset>`, UTF-16 without a BOM, and for the rest a
//! guess by `chardetng` that is reported as a guess.
//!
//! Valid UTF-8 without a BOM costs one NUL probe of the first 8 KiB, one scan for
//! CR bytes and the UTF-8 validation: the buffer becomes the text without a copy.

use std::borrow::Cow;

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// How many bytes at the start of a file are probed for NUL bytes, UTF-16 and
/// an HTML `<meta charset>`.
const PROBE: usize = 8192;

/// How many bytes at most `chardetng` is fed: enough to tell, and bounded on large files.
const DETECT: usize = 1 << 20;

/// Bytes decoded to text, and how.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text, line endings already made `\n`.
    pub text: String,
    /// The encoding's name (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE` …).
    pub encoding: &'static str,
    /// Some bytes could not be decoded and were replaced by U+FFFD.
    pub lossy: bool,
    /// The encoding was neither marked (BOM), declared (HTML meta) nor valid UTF-8.
    pub guessed: bool,
    /// What the user should know about the decoding, Chinese with English in parentheses.
    pub warnings: Vec<String>,
}

/// Why bytes could not be decoded as text.
pub(crate) const BINARY: &str = "二进制文件，不是文本 (binary file, not text)";

/// Decodes a text file's bytes; `html` says the bytes are an HTML page, whose
/// `<meta charset>` is then respected. Returns `Err(reason)` for binary data.
pub(crate) fn decode(mut bytes: Cow<'_, [u8]>, html: bool) -> Result<Decoded, &'static str> {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        if enc == UTF_8 {
            strip_prefix(&mut bytes, bom_len);
            normalize_newlines_bytes(&mut bytes);
            return Ok(utf8(bytes, false));
        }
        let (text, lossy) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let mut d = decoded(text, enc, lossy, false);
        d.text = normalize_newlines(d.text);
        return Ok(d);
    }
    let probe = &bytes[..bytes.len().min(PROBE)];
    if memchr::memchr(0, probe).is_some() {
        // Text has no NUL bytes, except UTF-16 (ASCII code units are half zeros).
        let Some(enc) = utf16_without_bom(probe, true) else {
            return Err(BINARY);
        };
        return Ok(decode_utf16_guess(&bytes, enc));
    }
    let mut bytes = match bytes {
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(text) => return Ok(utf8_text(normalize_newlines(text), false)),
            Err(e) => Cow::Owned(e.into_bytes()),
        },
        Cow::Borrowed(b) => match std::str::from_utf8(b) {
            Ok(text) => return Ok(utf8_text(normalize_newlines(text.to_owned()), false)),
            Err(_) => Cow::Borrowed(b),
        },
    };
    let declared = if html {
        meta_charset(probe_of(&bytes))
    } else {
        None
    };
    if let Some(enc) = declared.filter(|&e| e != UTF_8) {
        normalize_newlines_bytes(&mut bytes);
        let (text, lossy) = enc.decode_without_bom_handling(&bytes);
        return Ok(decoded(text, enc, lossy, false));
    }
    let scan = utf8_errors(&bytes);
    if scan.mostly_valid() {
        normalize_newlines_bytes(&mut bytes);
        let mut d = utf8(bytes, false);
        d.warnings = vec![scan.warning()];
        return Ok(d);
    }
    // UTF-16 without NUL bytes has no ASCII at all, and no line breaks; its CR
    // bytes are halves of characters (不 is U+4E0D), so it is told before any
    // line ending is touched.
    if let Some(enc) = utf16_without_bom(probe_of(&bytes), false) {
        return Ok(decode_utf16_guess(&bytes, enc));
    }
    // The legacy encodings left keep ASCII bytes as they are: CR and LF bytes are
    // line endings, never parts of other characters.
    normalize_newlines_bytes(&mut bytes);
    let enc = guess(&bytes);
    let (text, lossy) = enc.decode_without_bom_handling(&bytes);
    if enc.is_single_byte() && !looks_like_text(&text) {
        return Err(BINARY);
    }
    let mut d = decoded(text, enc, lossy, true);
    d.warnings.insert(
        0,
        format!(
            "未声明编码，按 {0} 猜测解码 (no declared encoding; decoded as {0}, a guess)",
            d.encoding
        ),
    );
    Ok(d)
}

/// Whether text decoded by a guessed single-byte encoding reads as text. Any bytes
/// decode in those, so binary data without NUL bytes or controls comes out as a
/// jumble of accented letters and symbols: most of its chars non-ASCII, and many
/// of those not letters. Real Latin or Cyrillic text is mostly ASCII, or its
/// non-ASCII chars are nearly all letters.
fn looks_like_text(text: &str) -> bool {
    let (mut n, mut non_ascii, mut symbols) = (0usize, 0usize, 0usize);
    for c in text.chars().take(1 << 16) {
        n += 1;
        if !c.is_ascii() {
            non_ascii += 1;
            symbols += usize::from(!c.is_alphabetic());
        }
    }
    !(non_ascii >= 32 && non_ascii * 10 > n * 3 && symbols * 4 > non_ascii)
}

fn probe_of(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(PROBE)]
}

fn strip_prefix(bytes: &mut Cow<'_, [u8]>, n: usize) {
    match bytes {
        Cow::Borrowed(b) => *b = &b[n..],
        Cow::Owned(v) => {
            v.drain(..n);
        }
    }
}

/// UTF-8 bytes (possibly with bad sequences) as text.
fn utf8(bytes: Cow<'_, [u8]>, guessed: bool) -> Decoded {
    match bytes {
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(text) => utf8_text(text, guessed),
            Err(e) => lossy_utf8(&e.into_bytes(), guessed),
        },
        Cow::Borrowed(b) => match std::str::from_utf8(b) {
            Ok(text) => utf8_text(text.to_owned(), guessed),
            Err(_) => lossy_utf8(b, guessed),
        },
    }
}

fn utf8_text(text: String, guessed: bool) -> Decoded {
    Decoded {
        text,
        encoding: "UTF-8",
        lossy: false,
        guessed,
        warnings: Vec::new(),
    }
}

fn lossy_utf8(bytes: &[u8], guessed: bool) -> Decoded {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let bad = text.matches('\u{FFFD}').count();
    Decoded {
        text,
        encoding: "UTF-8",
        lossy: true,
        guessed,
        warnings: vec![invalid_utf8_warning(bad)],
    }
}

/// Text decoded by `encoding_rs`; a lossy decode gets a warning naming the encoding.
fn decoded(text: Cow<'_, str>, enc: &'static Encoding, lossy: bool, guessed: bool) -> Decoded {
    let encoding = display_name(enc);
    let mut warnings = Vec::new();
    if lossy {
        let bad = text.matches('\u{FFFD}').count();
        warnings.push(format!(
            "有 {bad} 处字节无法按 {encoding} 解码，已用 U+FFFD 替代 ({bad} byte sequences could not be decoded as {encoding} and were replaced by U+FFFD)"
        ));
    }
    Decoded {
        text: text.into_owned(),
        encoding,
        lossy,
        guessed,
        warnings,
    }
}

/// The name an encoding is reported by. GBK is decoded by the GB18030 decoder
/// (the WHATWG GBK decoder is GB18030's), so both are reported as GB18030.
fn display_name(enc: &'static Encoding) -> &'static str {
    if enc == GBK || enc == GB18030 {
        "GB18030"
    } else if enc == BIG5 {
        "Big5"
    } else {
        enc.name()
    }
}

fn decode_utf16_guess(bytes: &[u8], enc: &'static Encoding) -> Decoded {
    let (text, lossy) = enc.decode_without_bom_handling(bytes);
    let mut d = decoded(text, enc, lossy, true);
    d.text = normalize_newlines(d.text);
    d.warnings.insert(
        0,
        format!(
            "没有字节顺序标记，按 {0} 识别 (no byte-order mark; read as {0}, a guess)",
            d.encoding
        ),
    );
    d
}

/// Whether `probe` reads as UTF-16 without a BOM, and which byte order: nearly all
/// of its code units are CJK ideographs, CJK or fullwidth punctuation, or (when
/// `ascii`, for bytes with NULs) ASCII text. GBK, Big5 or UTF-8 bytes read as
/// UTF-16 give Hangul, Latin extensions and the like, not these, and binary data
/// gives anything. Without NULs, text that is mostly ASCII bytes is not UTF-16 (two
/// ASCII letters make a CJK code unit): one byte in eight at least must have
/// the high bit set, as the bytes of CJK code units often do.
pub(crate) fn utf16_without_bom(probe: &[u8], ascii: bool) -> Option<&'static Encoding> {
    let units = probe.len() / 2;
    if units < 2 {
        return None;
    }
    if !ascii {
        let high = probe.iter().filter(|&&b| b >= 0x80).count();
        if high * 8 < probe.len() {
            return None;
        }
    }
    let plausible = |u: u16| {
        (ascii && matches!(u, 0x09 | 0x0A | 0x0D | 0x20..=0x7E))
            || matches!(
                u,
                0x3000..=0x303F
                    | 0x3400..=0x4DBF
                    | 0x4E00..=0x9FFF
                    | 0xFF00..=0xFFEF
                    | 0x2010..=0x206F
            )
    };
    let score = |le: bool| {
        probe
            .chunks_exact(2)
            .filter(|p| {
                let u = if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                };
                plausible(u)
            })
            .count()
    };
    let (le, be) = (score(true), score(false));
    let enough = |n: usize| n * 10 >= units * 9;
    // ASCII text read in the wrong order is often CJK too (`a\0` as BE is U+6100):
    // on a tie the order is the one whose high bytes are the zeros.
    let le_first = match le.cmp(&be) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            let zeros_at = |odd: usize| {
                probe
                    .iter()
                    .skip(odd)
                    .step_by(2)
                    .filter(|&&b| b == 0)
                    .count()
            };
            zeros_at(1) >= zeros_at(0)
        }
    };
    match (le_first, enough(le), enough(be)) {
        (true, true, _) => Some(UTF_16LE),
        (false, _, true) => Some(UTF_16BE),
        _ => None,
    }
}

/// Where bytes are not valid UTF-8: how many bad sequences, and how much valid
/// non-ASCII text is around them.
#[derive(Debug, Default)]
struct Utf8Scan {
    /// Bad sequences (each replaced by one U+FFFD).
    bad: usize,
    /// The bytes end in the middle of a character.
    truncated: bool,
    /// Valid multi-byte characters.
    multibyte: usize,
}

impl Utf8Scan {
    /// A few bad sequences among plenty of valid multi-byte text: a UTF-8 file with
    /// damage, not a file in another encoding (GBK or Big5 read as UTF-8 fails at
    /// nearly every character).
    fn mostly_valid(&self) -> bool {
        self.bad > 0 && self.multibyte >= 4 * self.bad
    }

    fn warning(&self) -> String {
        if self.truncated && self.bad == 1 {
            "文件在一个 UTF-8 字符中间截断，末尾已用 U+FFFD 替代 (file ends in the middle of a UTF-8 character, replaced by U+FFFD)".to_string()
        } else {
            invalid_utf8_warning(self.bad)
        }
    }
}

fn invalid_utf8_warning(bad: usize) -> String {
    format!("有 {bad} 处字节不是有效的 UTF-8，已用 U+FFFD 替代 ({bad} invalid UTF-8 sequences replaced by U+FFFD)")
}

/// Scans `bytes` for bad UTF-8 sequences.
fn utf8_errors(bytes: &[u8]) -> Utf8Scan {
    let mut scan = Utf8Scan::default();
    let mut rest = bytes;
    loop {
        let (valid, bad_len) = match std::str::from_utf8(rest) {
            Ok(s) => (s.len(), None),
            Err(e) => (e.valid_up_to(), Some(e.error_len())),
        };
        scan.multibyte += rest[..valid].iter().filter(|&&b| b >= 0xC0).count();
        let Some(bad_len) = bad_len else { break };
        scan.bad += 1;
        match bad_len {
            Some(n) => {
                rest = &rest[valid + n..];
            }
            None => {
                scan.truncated = true;
                break;
            }
        }
        // Far more bad sequences than good characters: not UTF-8, stop early.
        if scan.bad > 64 && scan.bad * 4 > scan.multibyte {
            break;
        }
    }
    scan
}

/// The encoding `chardetng` guesses for bytes that are not UTF-8. The first MiB is
/// enough; it is cut at a line end so that no multi-byte character is split.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let sample = if bytes.len() > DETECT {
        let head = &bytes[..DETECT];
        memchr::memrchr(b'\n', head).map_or(head, |i| &head[..=i])
    } else {
        bytes
    };
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// The encoding an HTML page declares in `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">` within `head`.
/// A page declaring UTF-16 in ASCII-compatible bytes is UTF-8 (as browsers read it).
pub(crate) fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut rest = head;
    while let Some(i) = find_ci(rest, b"<meta") {
        rest = &rest[i + 5..];
        let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(j) = find_ci(tag, b"charset") {
            let mut v = &tag[j + 7..];
            v = trim_start(v);
            if let Some(after) = v.strip_prefix(b"=") {
                let v = trim_start(after);
                let v = v
                    .strip_prefix(b"\"")
                    .or_else(|| v.strip_prefix(b"'"))
                    .unwrap_or(v);
                let len = v
                    .iter()
                    .position(|&b| {
                        !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
                    })
                    .unwrap_or(v.len());
                if let Some(enc) = Encoding::for_label(&v[..len]) {
                    return Some(if enc == UTF_16LE || enc == UTF_16BE {
                        UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
        rest = &rest[end..];
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &b[n..]
}

/// The first position of `needle` (lower-case ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Makes every CR, LF and CRLF one `\n`, in place; nothing is copied unless there
/// is a CR, and an owned buffer is never copied.
pub(crate) fn normalize_newlines_bytes(bytes: &mut Cow<'_, [u8]>) {
    let Some(first) = memchr::memchr(b'\r', bytes) else {
        return;
    };
    let v = bytes.to_mut();
    let mut w = first;
    let mut r = first;
    while r < v.len() {
        // v[r] is a CR.
        v[w] = b'\n';
        w += 1;
        r += 1;
        if v.get(r) == Some(&b'\n') {
            r += 1;
        }
        let next = memchr::memchr(b'\r', &v[r..]).map_or(v.len(), |i| r + i);
        v.copy_within(r..next, w);
        w += next - r;
        r = next;
    }
    v.truncate(w);
}

/// Makes every CR, LF and CRLF in `text` one `\n`.
pub(crate) fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = Cow::Owned(text.into_bytes());
    normalize_newlines_bytes(&mut bytes);
    // CR and LF are ASCII: replacing or removing them keeps UTF-8 valid, and the
    // lossy branch is never taken.
    let bytes = bytes.into_owned();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let mut b = Cow::Borrowed(s.as_bytes());
        normalize_newlines_bytes(&mut b);
        String::from_utf8(b.into_owned()).unwrap()
    }

    #[test]
    fn newlines() {
        assert_eq!(norm("a\r\nb\rc\nd\r\r\ne\r"), "a\nb\nc\nd\n\ne\n");
        assert_eq!(norm("\r\r"), "\n\n");
        assert_eq!(norm("abc"), "abc");
        assert_eq!(norm("\r\n"), "\n");
        assert_eq!(normalize_newlines("甲\r乙\r\n".into()), "甲\n乙\n");
    }

    #[test]
    fn meta() {
        assert_eq!(meta_charset(b"<META charset=\"GBK\">"), Some(GBK));
        assert_eq!(
            meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />"
            ),
            Some(GBK)
        );
        assert_eq!(
            meta_charset(b"<meta name=x><meta charset='big5'>"),
            Some(BIG5)
        );
        assert_eq!(meta_charset(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(meta_charset(b"<p>charset=gbk</p>"), None);
    }

    #[test]
    fn utf16_guess() {
        let ascii: Vec<u8> = "abc\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&ascii, true), Some(UTF_16LE));
        let ascii: Vec<u8> = "abc\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&ascii, true), Some(UTF_16BE));
        let units: Vec<u8> = "第一条 整改情况：已完成。\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&units, true), Some(UTF_16LE));
        assert_eq!(utf16_without_bom(&units, false), None);
        let units: Vec<u8> = "第一条 整改情况：已完成。\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&units, true), Some(UTF_16BE));
        let units: Vec<u8> = "第二条整改情况：已完成不折不扣。"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&units, false), Some(UTF_16LE));
        let latin = "The caf\u{e9} is open, and the notice was published on Monday.";
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(latin);
        assert_eq!(utf16_without_bom(&latin, false), None);
        let (gbk, _, _) = GB18030.encode("第一条 整改情况：已完成。\n");
        assert_eq!(utf16_without_bom(&gbk, false), None);
        assert_eq!(
            utf16_without_bom("第一条 整改情况：已完成。".as_bytes(), false),
            None
        );
    }
}
