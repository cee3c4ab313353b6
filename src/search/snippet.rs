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
    // The next char that is not whitespace after each char, folded (one pass from
    // the end, so a long run of spaces costs no more than its length).
    let mut next_solid: Vec<Option<char>> = vec![None; chars.len()];
    let mut solid = None;
    for (i, &c) in chars.iter().enumerate().rev() {
        next_solid[i] = solid;
        if !c.is_whitespace() {
            solid = Some(fold_char(c));
        }
    }
    // Compacted view: folded chars with their original index; spaces between CJK
    // dropped. `starts` holds the byte offset of each view char in `folded`.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(chars.len());
    let mut starts: Vec<usize> = Vec::with_capacity(chars.len());
    let mut prev: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() && prev.is_some_and(is_han) && next_solid[i].is_some_and(is_han) {
            continue;
        }
        let f = fold_char(c);
        starts.push(folded.len());
        origin.push(i);
        folded.push(f);
        prev = Some(f);
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for n in needles {
        let pat: String = n
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_char)
            .collect();
        let len = pat.chars().count();
        if len == 0 {
            continue;
        }
        // Non-overlapping matches, left to right, in linear time.
        for (b, _) in folded.match_indices(pat.as_str()) {
            if let Ok(i) = starts.binary_search(&b) {
                if let (Some(&from), Some(&to)) = (origin.get(i), origin.get(i + len - 1)) {
                    ranges.push((from, to + 1));
                }
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
