//! Questions asked in plain words (`怎么整改编外用工`, `医共体建设有哪些措施`).
//!
//! A query of words separated by spaces, without operators, quotes or
//! parentheses, that holds a question or filler word ([`QUESTION_WORDS`],
//! [`GENERIC_WORDS`], [`FILLER_CHARS`]) is a plain question (one with generic
//! words only is searched as written first, [`Plan::asks`]). Its filler words need
//! not match: they are taken out, what is left is cut into words (jieba's, a single character staying
//! with its neighbour: `医共体建设有哪些措施` asks for 医共体 and 建设), and the
//! answer is the records holding most of those words ([`Plan::words`]):
//!
//! - at least half of the words some record holds (if no record holds half of
//!   them, at least one);
//! - ranked by how many of the words they hold, then by how rare those words are
//!   (BM25's idf), then by BM25: records holding every word come first;
//! - when no record holds every word the answer is *partial*, and says so above the
//!   hits.
//!
//! Keyword queries (no filler word: `医共体 公务用车`) and queries with `AND`,
//! `OR`, `NOT`, `-`, quotes or parentheses keep their strict meaning: every word
//! must match as written.

use jieba_rs::Jieba;

use crate::segment::tokens;

/// The generic words every record of this corpus is about (整改, 问题, 措施, 情况 …),
/// taken out of a question wherever they stand, like the question words
/// ([`QUESTION_WORDS`]): a question asking how something was rectified names what,
/// not that it was. Longer words come before the shorter ones they contain.
pub const GENERIC_WORDS: &[&str] = &[
    "整改措施",
    "整改情况",
    "整改",
    "措施",
    "举措",
    "做法",
    "办法",
    "情况",
    "问题",
    "方面",
    "进展",
    "处理",
    "解决",
    "采取",
    "相关",
    "具体",
    "关于",
];

/// Every filler word of two or more characters: the question words, then the
/// generic ones.
pub fn filler_words() -> impl Iterator<Item = &'static str> {
    QUESTION_WORDS.iter().chain(GENERIC_WORDS).copied()
}

/// Question words, taken out of a plain question wherever they stand (the longest
/// first): a query holding one of them (or one of [`QUESTION_CHARS`] standing
/// alone) asks a question. A query whose only fillers are the generic words (`巡察整改`, `医共体问题`) is first searched as written and read
/// as a question only when that finds nothing ([`Plan::asks`]).
pub const QUESTION_WORDS: &[&str] = &[
    "为什么",
    "怎么样",
    "怎么办",
    "怎么",
    "怎样",
    "如何",
    "有哪些",
    "哪些",
    "有什么",
    "什么",
    "有没有",
    "是否",
    "多少",
    "哪里",
    "哪个",
    "请问",
];

/// Filler characters that make a question when they stand alone (吗, 呢 …).
pub const QUESTION_CHARS: &[char] = &['吗', '呢', '吧', '么', '怎', '哪', '啥'];

/// Single characters that are fillers when jieba cuts them as a word of their own
/// (particles and conjunctions: 的 in 巡察的整改, not in 目的).
pub const FILLER_CHARS: &[char] = &[
    '的', '了', '吗', '呢', '吧', '啊', '呀', '么', '是', '有', '和', '与', '及', '或', '在', '对',
    '都', '要', '把', '被', '将', '等', '怎', '哪', '啥',
];

/// A piece of a plain question between its filler words, with its jieba words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The piece as its characters stand (folded as the analyzer folds).
    pub text: String,
    /// Its words as jieba cuts them (filler characters left out).
    pub words: Vec<String>,
}

/// How a plain question is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The query's words as written (split at spaces).
    pub written: Vec<String>,
    /// Filler words taken out, in order of appearance.
    pub ignored: Vec<String>,
    /// What is left.
    pub pieces: Vec<Piece>,
}

/// Splits `word` at the filler words of [`FILLER_WORDS`], the longest first at each
/// place; the fillers go to `ignored`.
fn strip_fillers(word: &str, ignored: &mut Vec<String>) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut rest = word;
    'outer: while let Some(c) = rest.chars().next() {
        // The longest filler word starting here.
        let mut best: Option<&str> = None;
        for f in filler_words() {
            if rest.starts_with(f) && best.is_none_or(|b| f.len() > b.len()) {
                best = Some(f);
            }
        }
        if let Some(f) = best {
            ignored.push((*f).to_string());
            if !current.is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
            rest = &rest[f.len()..];
            continue 'outer;
        }
        current.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

impl Plan {
    /// The plan for the words of a plain question, segmented with `jieba` (which
    /// must know every dictionary word of them, see
    /// [`crate::segment::QueryDict::jieba_for`]).
    pub fn new(words: &[String], jieba: &Jieba) -> Plan {
        let mut ignored = Vec::new();
        let mut pieces = Vec::new();
        for w in words {
            for part in strip_fillers(w, &mut ignored) {
                // Cut into runs at filler characters standing alone and at
                // punctuation (a gap in the positions).
                let mut run: Vec<String> = Vec::new();
                let mut last: Option<usize> = None;
                let mut flush = |run: &mut Vec<String>| {
                    if !run.is_empty() {
                        pieces.push(Piece {
                            text: run.concat(),
                            words: std::mem::take(run),
                        });
                    }
                };
                for (tok, pos) in tokens(jieba, &part) {
                    let mut cs = tok.chars();
                    let filler = match (cs.next(), cs.next()) {
                        (Some(c), None) => FILLER_CHARS.contains(&c),
                        _ => false,
                    };
                    if filler || last.is_some_and(|l| l + 1 != pos) {
                        flush(&mut run);
                    }
                    if filler {
                        ignored.push(tok);
                    } else {
                        run.push(tok);
                    }
                    last = Some(pos);
                }
                flush(&mut run);
            }
        }
        for p in &mut pieces {
            p.words = glue_single_characters(std::mem::take(&mut p.words));
        }
        let mut seen = std::collections::HashSet::new();
        pieces.retain(|p| seen.insert(p.text.clone()));
        Plan {
            written: words.to_vec(),
            ignored,
            pieces,
        }
    }

    /// Whether the query is a question: it held a filler word and something else.
    pub fn is_question(&self) -> bool {
        !self.ignored.is_empty() && !self.pieces.is_empty()
    }

    /// Whether the query asks a question in so many words: it holds a question word
    /// or particle ([`QUESTION_WORDS`], [`QUESTION_CHARS`]), not only the generic
    /// words every notice is about. A query that does not is searched as written
    /// first: `巡察整改` means the phrase while some record holds it.
    pub fn asks(&self) -> bool {
        self.is_question()
            && self.ignored.iter().any(|w| {
                QUESTION_WORDS.contains(&w.as_str()) || {
                    let mut cs = w.chars();
                    matches!((cs.next(), cs.next()), (Some(c), None) if QUESTION_CHARS.contains(&c))
                }
            })
    }

    /// The words a question asks for, in order, each once; empty when the query is
    /// not a question ([`Plan::is_question`]): it is then searched as written.
    pub fn words(&self) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        if !self.is_question() {
            return words;
        }
        for w in self.pieces.iter().flat_map(|p| &p.words) {
            if !words.contains(w) {
                words.push(w.clone());
            }
        }
        words
    }
}

/// Joins each word of a single CJK character to the next word (the last one to the
/// word before it): jieba leaves words it does not know in pieces (津补贴 as 津 and
/// 补贴), and one character alone matches nearly everything.
fn glue_single_characters(words: Vec<String>) -> Vec<String> {
    let single = |w: &str| {
        let mut cs = w.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if crate::text::is_han(c))
    };
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for w in words {
        if single(&w) {
            pending.push_str(&w);
            continue;
        }
        out.push(std::mem::take(&mut pending) + &w);
    }
    if !pending.is_empty() {
        match out.last_mut() {
            Some(last) => last.push_str(&pending),
            None => out.push(pending),
        }
    }
    out
}

/// Fewest of `present` words (words some record holds) a partial answer must hold:
/// half of them, rounded up.
pub fn most(present: usize) -> usize {
    present.div_ceil(2).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jieba() -> Jieba {
        crate::segment::Dictionary::load(None)
            .expect("dictionary")
            .jieba()
    }

    fn plan(q: &str) -> Plan {
        let words: Vec<String> = q.split_whitespace().map(str::to_string).collect();
        Plan::new(&words, &jieba())
    }

    #[test]
    fn question_words_are_taken_out() {
        let j = jieba();
        let p = Plan::new(&["怎么整改编外用工".to_string()], &j);
        assert_eq!(p.ignored, ["怎么", "整改"]);
        assert_eq!(p.pieces.len(), 1);
        assert_eq!(p.pieces[0].text, "编外用工");
        let p = plan("医共体建设有哪些措施");
        assert_eq!(p.ignored, ["有哪些", "措施"]);
        assert_eq!(p.pieces[0].text, "医共体建设");
        assert_eq!(p.pieces[0].words, ["医共体", "建设"]);
        assert_eq!(p.words(), ["医共体", "建设"]);
        let p = plan("公务用车问题怎么处理");
        assert_eq!(p.ignored, ["问题", "怎么", "处理"]);
        assert_eq!(p.words(), ["公务用车"]);
    }

    #[test]
    fn filler_characters_go_only_when_they_stand_alone() {
        let p = plan("巡察的目的");
        assert_eq!(p.ignored, ["的"]);
        let texts: Vec<&str> = p.pieces.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(texts, ["巡察", "目的"]);
        let p = plan("所有 公务用车");
        assert!(p.ignored.is_empty());
        assert!(p.words().is_empty());
    }

    #[test]
    fn keywords_without_filler_words_are_searched_as_written() {
        assert!(plan("医共体 公务用车").words().is_empty());
        assert!(plan("医共体建设").words().is_empty());
    }

    #[test]
    fn single_characters_stay_with_a_neighbour() {
        let p = plan("违规发放津补贴怎么整改的");
        assert_eq!(p.pieces[0].words, ["违规", "发放", "津补贴"]);
        assert_eq!(
            glue_single_characters(vec!["公务".into(), "车".into()]),
            ["公务车"]
        );
    }

    #[test]
    fn a_query_of_fillers_only_is_no_question() {
        assert!(plan("有哪些整改措施").words().is_empty());
        assert!(plan("怎么办？").words().is_empty());
    }

    #[test]
    fn half_of_the_words_rounded_up() {
        assert_eq!(most(1), 1);
        assert_eq!(most(2), 1);
        assert_eq!(most(3), 2);
        assert_eq!(most(5), 3);
    }
}
