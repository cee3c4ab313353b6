//! Splitting a problem's rectification text into measures.
//!
//! Measures are numbered `一是…二是…` at the start of a sentence (OCR prints 一是 as
//! `·是` or `-是`), or `1.…2.…` / `(1)…(2)…` inside a paragraph; otherwise each
//! paragraph is one measure. An ordinal that does not continue the sequence (a nested
//! `一是` inside `三是`, or a fragment from another column) is not a new measure.

use crate::notice::Measure;
use crate::text::parse_number;

/// A paragraph of body text with its source line.
#[derive(Debug, Clone)]
pub struct Para {
    /// Text as written.
    pub text: String,
    /// 1-based source line.
    pub line: usize,
}

/// Joins paragraphs that OCR or a line wrap broke mid-sentence: a paragraph that does
/// not end with sentence-final punctuation continues in the next one.
pub fn join_broken(paras: &[Para]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut open = false;
    for p in paras {
        let t = p.text.trim();
        if t.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if open => last.text.push_str(t),
            _ => out.push(Para {
                text: t.to_string(),
                line: p.line,
            }),
        }
        open = !t.ends_with(['。', '！', '？', '!', '?', '；', ';', '”', '"', '」', '…']);
    }
    out
}

/// An ordinal found in text: byte offset where it starts, where its content starts, number.
#[derive(Debug, Clone, Copy)]
struct Ordinal {
    at: usize,
    content: usize,
    n: u32,
}

/// Whether byte offset `i` of `s` starts a sentence: only spaces between it and the
/// start of the text or a sentence-final (or introducing) punctuation mark.
fn sentence_start(s: &str, i: usize) -> bool {
    s[..i]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '。' | '；' | ';' | '：' | ':' | '！' | '!' | '？' | '?'))
}

/// A Chinese numeral 一 … 十 (a `match`, not a search in a string: this runs on
/// every char of every measure).
fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The longest distance, in chars, from an ordinal's first char to its `是`: three
/// numerals and two spaces.
const SHI_REACH: usize = 5;

/// Finds `一是`-style ordinals (with OCR variants) at sentence starts.
fn shi_ordinals(s: &str) -> Vec<Ordinal> {
    let mut out = Vec::new();
    // Ordinals end in 是: only the few chars before one need a closer look.
    let mut next_shi: Option<usize> = None;
    let mut i = 0;
    while i < s.len() {
        if next_shi.is_none_or(|k| k <= i) {
            // The first 是 after i.
            let from = if s[i..].starts_with('是') {
                i + '是'.len_utf8()
            } else {
                i
            };
            // memmem looks for the whole char: `str::find` would stop at every
            // 0xAF byte, which ends many other chars too.
            let Some(k) = memchr::memmem::find(&s.as_bytes()[from..], "是".as_bytes()) else {
                break;
            };
            next_shi = Some(from + k);
        }
        if let Some(k) = next_shi {
            // Jump to the char SHI_REACH chars before the next 是.
            if let Some((b, _)) = s[i..k].char_indices().nth_back(SHI_REACH - 1) {
                i += b;
            }
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let (num_end, n) = if is_cn_numeral(c) {
            // up to three numeral chars (十一)
            let mut end = i;
            for d in s[i..].chars().take(3) {
                if !is_cn_numeral(d) {
                    break;
                }
                end += d.len_utf8();
            }
            (end, parse_number(&s[i..end]).unwrap_or(0))
        } else if c == '·' || c == '-' || c == '•' || c == '—' {
            (i + c.len_utf8(), 1)
        } else {
            i += c.len_utf8();
            continue;
        };
        // up to two spaces
        let mut k = num_end;
        for _ in 0..2 {
            if !s[k..].starts_with(' ') {
                break;
            }
            k += 1;
        }
        if n > 0 && s[k..].starts_with('是') && sentence_start(s, i) {
            let after = k + '是'.len_utf8();
            let content = s.len() - s[after..].trim_start().len();
            out.push(Ordinal { at: i, content, n });
            i = content;
        } else {
            i += c.len_utf8();
        }
    }
    out
}

/// Finds `1.`/`1、`/`(1)` points at sentence starts inside a paragraph.
fn point_ordinals(s: &str) -> Vec<Ordinal> {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let paren = c == '(' || c == '（';
        let d0 = if paren { i + c.len_utf8() } else { i };
        // up to two digits
        let mut k = d0;
        for d in s[d0..].chars().take(2) {
            if !is_digit(d) {
                break;
            }
            k += d.len_utf8();
        }
        let closer = s[k..].chars().next();
        if let Some(closer) = closer.filter(|_| k > d0 && sentence_start(s, i)) {
            let content = k + closer.len_utf8();
            let closer_ok = if paren {
                closer == ')' || closer == '）'
            } else {
                (closer == '.' || closer == '、' || closer == '．')
                    && !s[content..].starts_with(|c: char| c.is_ascii_digit())
            };
            let n = s[d0..k].chars().try_fold(0u32, |n, d| {
                Some(n * 10 + crate::text::fold_char(d).to_digit(10)?)
            });
            if let (true, Some(n)) = (closer_ok, n) {
                out.push(Ordinal { at: i, content, n });
                i = content;
                continue;
            }
        }
        i += c.len_utf8();
    }
    out
}

/// Keeps the ordinals that form a sequence n, n+1, n+2 … starting at the first one.
fn in_sequence(ords: Vec<Ordinal>) -> Vec<Ordinal> {
    let mut out: Vec<Ordinal> = Vec::new();
    for o in ords {
        match out.last() {
            None => out.push(o),
            Some(last) if o.n == last.n + 1 => out.push(o),
            _ => {}
        }
    }
    out
}

/// Splits `paras` (already joined) into measures. Returns the measures and any lead-in
/// text that precedes the first ordinal (kept so it can be indexed as a paragraph).
pub fn split(paras: &[Para]) -> (Vec<Measure>, Vec<Para>) {
    // Flatten with paragraph boundaries so ordinals may sit in any paragraph.
    let cap = paras.iter().map(|p| p.text.len() + 1).sum();
    let mut flat = String::with_capacity(cap);
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(paras.len()); // (byte offset, line)
    for p in paras {
        if !flat.is_empty() {
            flat.push('\n');
        }
        starts.push((flat.len(), p.line));
        flat.push_str(&p.text);
    }
    let line_at = |off: usize| {
        starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= off)
            .map_or(0, |(_, l)| *l)
    };
    // The text between two byte offsets, trimmed, without paragraph breaks.
    let text_of = |a: usize, b: usize| -> String { flat[a..b].trim().replace('\n', "") };
    let mut ords = in_sequence(shi_ordinals(&flat));
    if ords.len() < 2 {
        let points = in_sequence(point_ordinals(&flat));
        if points.len() >= 2 && points[0].n == 1 {
            ords = points;
        }
    }
    if ords.is_empty() {
        let measures = paras
            .iter()
            .filter(|p| !p.text.trim().is_empty())
            .map(|p| Measure {
                text: p.text.trim().to_string(),
                line: p.line,
            })
            .collect();
        return (measures, Vec::new());
    }
    let mut measures = Vec::new();
    let mut lead = Vec::new();
    let head = text_of(0, ords[0].at);
    if !head.is_empty() {
        if ords[0].n > 1 {
            // The opening ordinal was lost (OCR): what precedes the first one is a measure.
            measures.push(Measure {
                text: head,
                line: line_at(0),
            });
        } else {
            lead.push(Para {
                text: head,
                line: line_at(0),
            });
        }
    }
    for (k, o) in ords.iter().enumerate() {
        let end = ords.get(k + 1).map_or(flat.len(), |n| n.at);
        let text = text_of(o.content, end);
        if !text.is_empty() {
            measures.push(Measure {
                text,
                line: line_at(o.at),
            });
        }
    }
    (measures, lead)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Vec<Para> {
        vec![Para {
            text: t.into(),
            line: 1,
        }]
    }

    #[test]
    fn ordinals_split_and_nested_ones_do_not() {
        let (m, _) = split(&p("一是甲。二是乙。三是丙:一是子;二是丑。"));
        assert_eq!(m.len(), 3);
        assert_eq!(m[2].text, "丙:一是子;二是丑。");
    }

    #[test]
    fn ocr_variants_and_out_of_sequence_fragments() {
        let (m, _) = split(&p("·是摸清底数。二 是引进人才。-是别栏的碎片。"));
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].text, "引进人才。-是别栏的碎片。");
    }

    #[test]
    fn numbered_points_inside_a_paragraph() {
        let (m, _) = split(&p("1.建立台账。2.约谈提醒。3.完善制度。"));
        assert_eq!(m.len(), 3);
        assert_eq!(m[1].text, "约谈提醒。");
    }

    #[test]
    fn unnumbered_paragraphs_are_one_measure_each() {
        let (m, _) = split(&[
            Para {
                text: "县妇幼保健院收回。".into(),
                line: 3,
            },
            Para {
                text: "县计生协会收回。".into(),
                line: 4,
            },
        ]);
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].line, 4);
    }

    #[test]
    fn word_containing_shi_is_not_an_ordinal() {
        let (m, _) = split(&p("统一是非标准,加强管理。"));
        assert_eq!(m.len(), 1);
    }
}
