//! Highlighting: where the query's words stand in a measure, in char offsets, and a
//! window of text around them.
//!
//! Matching is the same as the search's: width-folded, case-folded, and blind to the
//! spaces OCR puts between two CJK characters; offsets always fall on characters of
//! the original text, so no character is ever cut.

use crate::text::{fold_char, is_han};

/// Char ranges `[start, end)` of `text` where any of `needles` occurs, merged and sorted.
///
/// ```
/// use zhenggai::search::snippet::highlight;
/// assert_eq!(highlight("推进医共 体建设", &["医共体".to_string()]), vec![(2, 6)]);
/// assert_eq!(highlight("ＡＢ医联体", &["ab".to_string()]), vec![(0, 2)]);
/// ```
pub fn highlight(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    // Compacted view: folded chars with their original index; spaces between CJK dropped.
    let mut view: Vec<(char, usize)> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = view.last().map(|(p, _)| *p);
            let next = chars[i + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .map(|&c| fold_char(c));
            if prev.is_some_and(is_han) && next.is_some_and(is_han) {
                continue;
            }
        }
        view.push((fold_char(c), i));
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for n in needles {
        let pat: Vec<char> = n
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_char)
            .collect();
        if pat.is_empty() || pat.len() > view.len() {
            continue;
        }
        let mut i = 0;
        while i + pat.len() <= view.len() {
            if view[i..i + pat.len()]
                .iter()
                .map(|(c, _)| *c)
                .eq(pat.iter().copied())
            {
                ranges.push((view[i].1, view[i + pat.len() - 1].1 + 1));
                i += pat.len();
            } else {
                i += 1;
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    merged
}

/// A window of at most `width` chars around the first highlight, with `…` where text
/// was cut, and the highlight ranges shifted into the window.
pub fn window(
    text: &str,
    ranges: &[(usize, usize)],
    width: usize,
) -> (String, Vec<(usize, usize)>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return (text.to_string(), ranges.to_vec());
    }
    let first = ranges.first().map_or(0, |r| r.0);
    let start = first
        .saturating_sub(width / 4)
        .min(chars.len().saturating_sub(width));
    let end = (start + width).min(chars.len());
    let mut s = String::new();
    let mut shift = start;
    if start > 0 {
        s.push('…');
        shift = start.saturating_sub(1);
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
        s.push('…');
    }
    let rs = ranges
        .iter()
        .filter(|(a, b)| *a >= start && *b <= end)
        .map(|(a, b)| (a - shift, b - shift))
        .collect();
    (s, rs)
}
