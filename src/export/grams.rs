//! Pre-segmented search text for engines without a Chinese analyzer that matches
//! like zhenggai (Typesense): overlapping character bigrams of every run of CJK
//! characters, and every run of letters and digits as one lower-case word.
//!
//! Text is folded as zhenggai folds it ([`crate::text::fold_char`]: width, case,
//! traditional characters); whitespace between two CJK characters (line breaks, OCR
//! spaces) is dropped, and punctuation ends a run. A query is segmented the same way
//! and searched as a phrase (`"医共 共体"`): the bigrams must stand next to each
//! other, so the phrase matches exactly where the characters stand together — the
//! same set of records as zhenggai's literal matching for queries of two or more
//! characters. A run of one CJK character is kept as that character.

use crate::text::{fold_char, is_han};

/// The search tokens of `text`, in order.
///
/// ```
/// use zhenggai::export::grams::grams;
/// assert_eq!(grams("推进医共体 建设"), ["推进", "进医", "医共", "共体", "体建", "建设"]);
/// assert_eq!(grams("醫共體"), ["医共", "共体"]);
/// assert_eq!(grams("B1308号,甲"), ["b1308", "号", "甲"]);
/// ```
pub fn grams(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().map(fold_char).peekable();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => out.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
        }
        run.clear();
    };
    while let Some(c) = chars.next() {
        if is_han(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else if c.is_whitespace() && !run.is_empty() {
            // Spaces inside a CJK run (line breaks, OCR) do not end it.
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            if !chars.peek().is_some_and(|&c| is_han(c)) {
                flush_run(&mut run, &mut out);
            }
        } else {
            flush_run(&mut run, &mut out);
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    flush_run(&mut run, &mut out);
    if !word.is_empty() {
        out.push(word);
    }
    out
}
