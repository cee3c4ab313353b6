//! Character-level text helpers shared by the parser, the tokenizers and the highlighter.
//!
//! Text shown to users always stays as written; these functions produce *folded* views
//! used only for matching. Folding is one char to one char, so offsets found in a
//! folded view are valid in the original text, counted in chars.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Traditional → simplified characters, one to one (from the fast2s project, MIT).
const T2S: &str = include_str!("../dict/t2s.txt");

/// First and last char of the range the conversion table covers.
const T2S_FIRST: u32 = 0x3400;
const T2S_LAST: u32 = 0xFAFF;

/// A dense table over `T2S_FIRST..=T2S_LAST`: one lookup per character, no search.
static T2S_TABLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut table: Vec<char> = (T2S_FIRST..=T2S_LAST)
        .map(|u| char::from_u32(u).unwrap_or(' '))
        .collect();
    for line in T2S.lines() {
        let mut cs = line.split_whitespace().filter_map(|w| w.chars().next());
        if let (Some(t), Some(s)) = (cs.next(), cs.next()) {
            if (T2S_FIRST..=T2S_LAST).contains(&(t as u32)) {
                table[(t as u32 - T2S_FIRST) as usize] = s;
            }
        }
    }
    table
});

/// Folds one character for matching: traditional characters to simplified ones,
/// full-width ASCII forms to ASCII, the ideographic space to a space, ASCII letters
/// to lower case. One char always gives one char.
///
/// ```
/// use zhenggai::text::fold_char;
/// assert_eq!(fold_char('Ａ'), 'a');
/// assert_eq!(fold_char('１'), '1');
/// assert_eq!(fold_char('：'), ':');
/// assert_eq!(fold_char('医'), '医');
/// assert_eq!(fold_char('醫'), '医');
/// assert_eq!(fold_char('衛'), '卫');
/// ```
#[inline]
pub fn fold_char(c: char) -> char {
    fold_with(&T2S_TABLE, c)
}

/// [`fold_char`] with the conversion table fetched once, for loops over many chars.
pub(crate) fn char_folder() -> impl Fn(char) -> char {
    let table: &'static [char] = &T2S_TABLE;
    move |c| fold_with(table, c)
}

/// [`fold_char`] with the traditional-to-simplified `table` at hand.
#[inline(always)]
fn fold_with(table: &[char], c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
            .unwrap_or(c)
            .to_ascii_lowercase(),
        '\u{3000}' => ' ',
        '\u{3400}'..='\u{FAFF}' => table
            .get((c as u32 - T2S_FIRST) as usize)
            .copied()
            .unwrap_or(c),
        _ => c.to_ascii_lowercase(),
    }
}

/// Traditional characters folded to simplified ones, nothing else: the parser reads a
/// traditional-script copy (巡視, 整改進展情況的通報) through this view. Only
/// characters whose simplified form has the same UTF-8 length are folded, so byte
/// offsets in the view are valid in the original.
///
/// ```
/// use zhenggai::text::fold_script;
/// assert_eq!(fold_script("巡視整改進展情況的通報"), "巡视整改进展情况的通报");
/// assert!(matches!(fold_script("巡察１"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn fold_script(s: &str) -> Cow<'_, str> {
    // Text without a CJK byte (E3–EF lead bytes) has nothing to fold.
    if !s.bytes().any(|b| (0xE3..=0xEF).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let table: &[char] = &T2S_TABLE;
    let folded = |c: char| -> char {
        let u = c as u32;
        if !(T2S_FIRST..=T2S_LAST).contains(&u) {
            return c;
        }
        let t = table.get((u - T2S_FIRST) as usize).copied().unwrap_or(c);
        if t.len_utf8() == c.len_utf8() {
            t
        } else {
            c
        }
    };
    match s.char_indices().find(|&(_, c)| folded(c) != c) {
        None => Cow::Borrowed(s),
        Some((i, _)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..i]);
            out.extend(s[i..].chars().map(folded));
            Cow::Owned(out)
        }
    }
}

/// The view the parser reads: full-width forms folded to ASCII ([`fold_width_cow`])
/// and traditional characters to simplified ones ([`fold_script`]); letter case kept.
/// Byte offsets of the view are valid in `s` wherever no full-width form was folded.
pub fn fold_parse(s: &str) -> Cow<'_, str> {
    match fold_width_cow(s) {
        Cow::Borrowed(b) => fold_script(b),
        Cow::Owned(o) => Cow::Owned(fold_script(&o).into_owned()),
    }
}

/// Whether `s` reads as traditional script: at least three characters in it fold to
/// other simplified ones (one stray variant does not make a traditional copy).
pub fn is_traditional(s: &str) -> bool {
    let table: &[char] = &T2S_TABLE;
    s.chars()
        .filter(|&c| {
            let u = c as u32;
            (T2S_FIRST..=T2S_LAST).contains(&u)
                && table.get((u - T2S_FIRST) as usize).is_some_and(|&t| t != c)
        })
        .nth(2)
        .is_some()
}

/// Folds a whole string with [`fold_char`].
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Folds full-width ASCII forms to ASCII but keeps letter case; used by the parser,
/// which must read `问题１：` like `问题1:`.
pub fn fold_width(s: &str) -> String {
    fold_width_cow(s).into_owned()
}

/// [`fold_width`] without a copy when there is nothing to fold (most lines).
///
/// Folding only ever shortens a char's UTF-8 form, so the result has the same byte
/// length as `s` exactly when it is `s` itself.
///
/// ```
/// use zhenggai::text::fold_width_cow;
/// assert!(matches!(fold_width_cow("问题1:"), std::borrow::Cow::Borrowed(_)));
/// assert_eq!(fold_width_cow("问题１：\u{3000}甲"), "问题1: 甲");
/// ```
pub fn fold_width_cow(s: &str) -> Cow<'_, str> {
    let mut wide = WideChars::new(s).peekable();
    if wide.peek().is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for i in wide {
        // Copy the text up to the next char to fold as a whole.
        out.push_str(&s[from..i]);
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        out.push(match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        });
        from = i + c.len_utf8();
    }
    out.push_str(&s[from..]);
    Cow::Owned(out)
}

/// The byte offsets, left to right, of the chars [`fold_width`] changes (U+FF01–U+FF5E,
/// U+3000, U+00A0). Searches bytes with memchr instead of decoding every char.
pub(crate) struct WideChars<'a> {
    bytes: &'a [u8],
    /// Where to search on.
    from: usize,
    /// The next U+3000 at or after `from` (`bytes.len()` if none), once searched.
    space: Option<usize>,
}

impl<'a> WideChars<'a> {
    /// The wide chars of `s`.
    pub(crate) fn new(s: &'a str) -> Self {
        WideChars {
            bytes: s.as_bytes(),
            from: 0,
            space: None,
        }
    }
}

impl Iterator for WideChars<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        const IDEOGRAPHIC_SPACE: &[u8] = "\u{3000}".as_bytes();
        static SPACE: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(IDEOGRAPHIC_SPACE));
        let b = self.bytes;
        if self.from >= b.len() {
            return None;
        }
        // U+3000 (E3 80 80) is searched whole: E3 also begins 。 and other common marks.
        let space = match self.space {
            Some(p) if p >= self.from => p,
            _ => {
                let p = SPACE
                    .find(&b[self.from..])
                    .map_or(b.len(), |k| self.from + k);
                self.space = Some(p);
                p
            }
        };
        let mut at = self.from;
        while let Some(k) = memchr::memchr2(0xEF, 0xC2, &b[at..space]) {
            let i = at + k;
            let next = |j: usize| b.get(i + j).copied().unwrap_or(0);
            let wide = if b[i] == 0xC2 {
                // U+00A0
                next(1) == 0xA0
            } else {
                // U+FF01–U+FF3F, U+FF40–U+FF5E
                (next(1) == 0xBC && (0x81..=0xBF).contains(&next(2)))
                    || (next(1) == 0xBD && (0x80..=0x9E).contains(&next(2)))
            };
            if wide {
                self.from = i + 1;
                return Some(i);
            }
            at = i + 1;
        }
        if space < b.len() {
            self.from = space + IDEOGRAPHIC_SPACE.len();
            return Some(space);
        }
        self.from = b.len();
        None
    }
}

/// Whether `c` is a CJK ideograph (the characters jieba segments; runs of them are matched literally).
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{3007}')
}

/// Whether `c` belongs to a searchable token: a CJK ideograph or an (already folded)
/// ASCII letter or digit, or any other alphanumeric character.
#[inline]
pub fn is_word_char(c: char) -> bool {
    is_han(c) || c.is_alphanumeric()
}

/// Removes whitespace that a line break or OCR put into Chinese text, keeping a
/// single space between two ASCII alphanumerics (`CT 机` → `CT机`, `A B` stays `A B`).
///
/// ```
/// use zhenggai::text::squeeze_spaces;
/// assert_eq!(squeeze_spaces("妇幼保健院建设项目至今尚未动 建, 业务用房"), "妇幼保健院建设项目至今尚未动建,业务用房");
/// assert_eq!(squeeze_spaces("PCR 方舱"), "PCR方舱");
/// assert_eq!(squeeze_spaces("Word Excel"), "Word Excel");
/// ```
pub fn squeeze_spaces(s: &str) -> String {
    let s = s.trim();
    if !s.contains(char::is_whitespace) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let before = out.chars().next_back();
            let after = chars.peek().copied();
            if let (Some(b), Some(a)) = (before, after) {
                if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric() {
                    out.push(' ');
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Number of chars in `s` (not bytes).
#[inline]
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The first `n` chars of `s`.
pub fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Parses a Chinese numeral (一…九十九, with 〇/零 and 两) or Arabic digits into a number.
///
/// ```
/// use zhenggai::text::parse_number;
/// assert_eq!(parse_number("十三"), Some(13));
/// assert_eq!(parse_number("二十"), Some(20));
/// assert_eq!(parse_number("二十一"), Some(21));
/// assert_eq!(parse_number("42"), Some(42));
/// assert_eq!(parse_number("三是"), None);
/// ```
pub fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', d] => Some(10 * digit(*t)? + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`fold_width`] means: every char folded on its own.
    fn fold_width_each(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' | '\u{00A0}' => ' ',
                _ => c,
            })
            .collect()
    }

    #[test]
    fn fold_width_folds_every_char_like_fold_width_each() {
        let all: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        assert_eq!(fold_width(&all), fold_width_each(&all));
        for s in [
            "",
            "问题1:",
            "\u{3000}",
            "甲\u{3000}\u{3000}乙\u{FF01}丙\u{00A0}",
            "。\u{3000}，：（１）",
            "\u{FF00}\u{FF5E}\u{FF5F}\u{00A1}\u{3001}",
        ] {
            assert_eq!(fold_width(s), fold_width_each(s), "{s:?}");
        }
    }
}
