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

/// An ordinal found in text: char offset where it starts, where its content starts, number.
#[derive(Debug, Clone, Copy)]
struct Ordinal {
    at: usize,
    content: usize,
    n: u32,
}

fn sentence_start(chars: &[char], i: usize) -> bool {
    let mut j = i;
    while j > 0 && chars[j - 1].is_whitespace() {
        j -= 1;
    }
    j == 0
        || matches!(
            chars[j - 1],
            '。' | '；' | ';' | '：' | ':' | '！' | '!' | '？' | '?'
        )
}

/// A Chinese numeral 一 … 十 (a `match`, not a search in a string: this runs on
/// every char of every measure).
fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Finds `一是`-style ordinals (with OCR variants) at sentence starts.
fn shi_ordinals(chars: &[char]) -> Vec<Ordinal> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let (num_len, n) = if is_cn_numeral(c) {
            // up to two numeral chars (十一)
            let mut k = i;
            while k < chars.len() && k - i < 3 && is_cn_numeral(chars[k]) {
                k += 1;
            }
            let s: String = chars[i..k].iter().collect();
            (k - i, parse_number(&s).unwrap_or(0))
        } else if c == '·' || c == '-' || c == '•' || c == '—' {
            (1, 1)
        } else {
            i += 1;
            continue;
        };
        let mut k = i + num_len;
        while k < chars.len() && chars[k] == ' ' && k - (i + num_len) < 2 {
            k += 1;
        }
        if n > 0 && k < chars.len() && chars[k] == '是' && sentence_start(chars, i) {
            let mut content = k + 1;
            while content < chars.len() && chars[content].is_whitespace() {
                content += 1;
            }
            out.push(Ordinal { at: i, content, n });
            i = content;
        } else {
            i += 1;
        }
    }
    out
}

/// Finds `1.`/`1、`/`(1)` points at sentence starts inside a paragraph.
fn point_ordinals(chars: &[char]) -> Vec<Ordinal> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let paren = chars[i] == '(' || chars[i] == '（';
        let d0 = if paren { i + 1 } else { i };
        let mut k = d0;
        while k < chars.len()
            && k - d0 < 2
            && (chars[k].is_ascii_digit() || ('０'..='９').contains(&chars[k]))
        {
            k += 1;
        }
        if k > d0 && k < chars.len() && sentence_start(chars, i) {
            let digits: String = chars[d0..k]
                .iter()
                .map(|&c| crate::text::fold_char(c))
                .collect();
            let closer_ok = if paren {
                chars[k] == ')' || chars[k] == '）'
            } else {
                (chars[k] == '.' || chars[k] == '、' || chars[k] == '．')
                    && !chars.get(k + 1).is_some_and(|c| c.is_ascii_digit())
            };
            if closer_ok {
                if let Ok(n) = digits.parse() {
                    out.push(Ordinal {
                        at: i,
                        content: k + 1,
                        n,
                    });
                    i = k + 1;
                    continue;
                }
            }
        }
        i += 1;
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
    let mut chars: Vec<char> = Vec::new();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (char offset, line)
    for p in paras {
        if !chars.is_empty() {
            chars.push('\n');
        }
        starts.push((chars.len(), p.line));
        chars.extend(p.text.chars());
    }
    let line_at = |off: usize| {
        starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= off)
            .map_or(0, |(_, l)| *l)
    };
    let text_of = |a: usize, b: usize| -> String {
        chars[a..b]
            .iter()
            .collect::<String>()
            .trim()
            .replace('\n', "")
    };
    let mut ords = in_sequence(shi_ordinals(&chars));
    if ords.len() < 2 {
        let points = in_sequence(point_ordinals(&chars));
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
        let end = ords.get(k + 1).map_or(chars.len(), |n| n.at);
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
