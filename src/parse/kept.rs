//! The nothing-dropped check: which lines of a file a parse did not keep.
//!
//! A line is kept when every piece of its text (cut at punctuation, quotes and
//! brackets, numbering labels and status/deadline labels removed) appears in a
//! searchable field of the notice: the title, the agency, a category or item, a
//! problem title, a status phrase, a measure or a paragraph. Navigation, site
//! metadata and bare dates (the signature date) are not content.
//!
//! The check is linear in practice: each piece is looked for first among the texts
//! that start near its line, and in the whole notice only when it is not there.

use memchr::memmem;

use super::lines;
use crate::notice::Notice;
use std::borrow::Cow;

use crate::text::{fold_script, fold_width_cow};

/// Fields searched for every line (they carry no line of their own, or are short).
struct Haystack {
    /// Texts that start at a line, in line order, normalised and concatenated.
    text: String,
    /// `(line, byte offset in text)` of each text, in line order.
    starts: Vec<(usize, usize)>,
    /// Title, agency, categories, items, status phrases: searched everywhere.
    global: String,
}

/// Texts starting before a piece's line, and lines after it, searched first.
const NEAR_BEFORE: usize = 3;
const WINDOW_AFTER: usize = 2;

/// Appends `s` without whitespace and `*`, traditional characters folded when
/// `script` (the forms compared are otherwise as written: the parser keeps text as
/// written, so no other folding is needed).
fn normalise(s: &str, out: &mut String, script: bool) {
    if script {
        let f = fold_script(s);
        return normalise(&f, out, false);
    }
    // U+3000 and U+00A0 are the spaces besides ASCII ones that Chinese text holds.
    let spaced = s
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b == b'*' || b == 0xC2)
        || memmem::find(s.as_bytes(), "\u{3000}".as_bytes()).is_some();
    if spaced {
        out.extend(s.chars().filter(|c| !c.is_whitespace() && *c != '*'));
    } else {
        out.push_str(s);
    }
}

impl Haystack {
    fn new(notice: &Notice, script: bool) -> Haystack {
        let mut global = String::new();
        let mut push_global = |s: &str| {
            normalise(s, &mut global, script);
            global.push('\u{1}');
        };
        if let Some(a) = &notice.agency {
            push_global(a);
        }
        for a in &notice.co_agencies {
            push_global(a);
        }
        for c in &notice.categories {
            push_global(&c.title);
            for i in &c.items {
                push_global(i);
            }
        }
        let mut entries: Vec<(usize, &str)> = Vec::new();
        for p in &notice.problems {
            entries.push((p.line, &p.title));
            if let Some(s) = &p.status_text {
                // Status phrases repeat: each one once.
                let mut n = String::new();
                normalise(s, &mut n, script);
                if memmem::find(global.as_bytes(), n.as_bytes()).is_none() {
                    global.push_str(&n);
                    global.push('\u{1}');
                }
            }
            for m in &p.measures {
                entries.push((m.line, &m.text));
            }
        }
        for p in &notice.paragraphs {
            entries.push((p.line, &p.text));
        }
        entries.sort_by_key(|(l, _)| *l);
        let mut text = String::new();
        let mut starts = Vec::with_capacity(entries.len());
        for (line, t) in entries {
            starts.push((line, text.len()));
            normalise(t, &mut text, script);
            text.push('\u{1}');
        }
        Haystack {
            text,
            starts,
            global,
        }
    }

    /// Whether `piece` is in the fields, looked for near `line` first: in the texts
    /// from the last few that start at or before `line` to those starting just after
    /// it, then in the global fields, then everywhere.
    fn contains(&self, piece: &str, line: usize) -> bool {
        let needle = piece.as_bytes();
        let at = self.starts.partition_point(|(l, _)| *l <= line);
        // All texts that start on the line of the last one before (one line may hold
        // many measures), and a few before those.
        let last_line = at.checked_sub(1).map_or(0, |k| self.starts[k].0);
        let lo = self
            .starts
            .partition_point(|(l, _)| *l < last_line)
            .saturating_sub(NEAR_BEFORE);
        let hi = self
            .starts
            .partition_point(|(l, _)| *l <= line + WINDOW_AFTER);
        let from = self.starts.get(lo).map_or(self.text.len(), |(_, o)| *o);
        let to = self.starts.get(hi).map_or(self.text.len(), |(_, o)| *o);
        if from < to && memmem::find(&self.text.as_bytes()[from..to], needle).is_some() {
            return true;
        }
        if std::env::var_os("ZG_DEBUG").is_some() {
            eprintln!("FALLBACK {line} {piece}");
        }
        memmem::find(self.global.as_bytes(), needle).is_some()
            || memmem::find(self.text.as_bytes(), needle).is_some()
    }
}

/// Chars that cut a line into pieces.
fn is_cut(c: char) -> bool {
    matches!(
        c,
        '。' | '；'
            | ';'
            | '，'
            | ','
            | '：'
            | ':'
            | '！'
            | '!'
            | '？'
            | '?'
            | '、'
            | '“'
            | '”'
            | '"'
            | '‘'
            | '’'
            | '\''
            | '「'
            | '」'
            | '『'
            | '』'
            | '《'
            | '》'
            | '('
            | ')'
            | '（'
            | '）'
            | '【'
            | '】'
            | '['
            | ']'
            | '|'
            | '\t'
            | '…'
            | '—'
            | '·'
            | '•'
            | '/'
    )
}

/// Words that are numbering or wrappers, not content: a piece that is only these
/// is not looked for.
const WRAPPERS: [&str; 46] = [
    "存在问题",
    "问题描述",
    "针对",
    "关于",
    "问题",
    "的问题",
    "等问题",
    "方面",
    "方面的问题",
    "方面问题",
    "方面存在的问题",
    "存在的问题",
    "问题的整改情况",
    "问题的整改",
    "问题整改情况",
    "的整改情况",
    "整改情况",
    "整改结果",
    "整改状态",
    "整改进展",
    "整改进度",
    "完成情况",
    "进展情况",
    "目前进展",
    "整改成效",
    "整改措施",
    "整改举措",
    "整改落实情况",
    "落实情况",
    "具体措施",
    "主要措施",
    "完成时限",
    "整改时限",
    "完成时间",
    "整改期限",
    "时限要求",
    "责任单位",
    "责任领导",
    "责任人",
    "责任部门",
    "牵头单位",
    "序号",
    "整改问题",
    "反馈问题",
    "问题类别",
    "在",
];

/// Removes a leading ordinal (`一是`, `·是`, `1.`, `问题1`, `第一个问题`, `第一`) and
/// leading or trailing wrapper words from a piece.
fn strip_piece(mut p: &str) -> &str {
    // 一是 / 十二是 / ·是 / -是
    let ord_end = p
        .char_indices()
        .take_while(|(_, c)| {
            matches!(
                c,
                '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '-'
            )
        })
        .last()
        .map(|(i, c)| i + c.len_utf8());
    if let Some(e) = ord_end {
        if let Some(rest) = p[e..].strip_prefix('是') {
            p = rest;
        }
    } else if let Some(rest) = p.strip_prefix('是') {
        // `·是`: the dot cut the piece before 是.
        p = rest;
    }
    // 问题1 / 问题一 / 第一个问题 / 第一
    for prefix in ["问题", "第"] {
        if let Some(rest) = p.strip_prefix(prefix) {
            let n = rest
                .char_indices()
                .take_while(|(_, c)| {
                    c.is_ascii_digit()
                        || ('０'..='９').contains(c)
                        || matches!(
                            c,
                            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
                        )
                })
                .last()
                .map(|(i, c)| i + c.len_utf8());
            if let Some(n) = n {
                p = &rest[n..];
                p = p.strip_prefix("个问题").unwrap_or(p);
                p = p.strip_prefix("项问题").unwrap_or(p);
            }
        }
    }
    // 1. / 12.
    let digits: usize = p
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(char::len_utf8)
        .sum();
    if digits > 0 {
        if let Some(rest) = p[digits..].strip_prefix(['.', '．']) {
            p = rest;
        }
    }
    if WRAPPERS.contains(&p) {
        return "";
    }
    for w in ["针对", "关于"] {
        p = p.strip_prefix(w).unwrap_or(p);
    }
    for w in [
        "问题的整改情况",
        "问题的整改",
        "方面存在的问题",
        "方面的问题",
        "的问题",
        "等问题",
        "问题",
        "方面",
    ] {
        if let Some(x) = p.strip_suffix(w) {
            p = x;
            break;
        }
    }
    p
}

/// Whether a piece carries no content of its own: wrapper words, numbers, dates,
/// ASCII punctuation.
fn is_empty_piece(p: &str) -> bool {
    p.chars().count() < 2
        || WRAPPERS.contains(&p)
        || p.chars().all(|c| {
            c.is_ascii_punctuation()
                || c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(c, '年' | '月' | '日' | '前' | '底' | '号' | '时' | '分')
        })
}

/// Whether a cleaned, folded line is not content: navigation, site metadata, a
/// bare date or a run of separators.
fn is_not_content(norm: &str) -> bool {
    if lines::is_noise(norm) || lines::is_meta(norm) {
        return true;
    }
    // `二〇二三年十二月二十日`
    let norm = &*super::dates::cn_numeral_dates(norm);
    norm.chars().all(|c| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || c.is_ascii_digit()
            || matches!(c, '年' | '月' | '日' | '—' | '|' | '：')
    })
}

/// The 1-based line numbers of `text` whose content is not kept whole in any
/// searchable field of `notice` (see the module docs for what counts as content).
/// An empty list means the parse dropped nothing.
///
/// ```
/// let text = "中共某某县民政局党组关于巡察整改情况的通报\n\
///             一、整改落实情况\n\
///             1.关于“资金监管不严”问题的整改\n\
///             整改情况:已完成整改\n\
///             一是建立台账。二是约谈提醒。\n\
///             中共某某县民政局党组\n2024年3月1日";
/// let notice = zhenggai::parse::parse("a.txt", text);
/// assert!(zhenggai::parse::unkept_lines(text, &notice).is_empty());
/// let mut lost = notice.clone();
/// lost.problems[0].measures.pop();
/// assert_eq!(zhenggai::parse::unkept_lines(text, &lost), vec![5]);
/// ```
pub fn unkept_lines(text: &str, notice: &Notice) -> Vec<usize> {
    // A traditional-script copy is compared through simplified characters, so the
    // wrapper words and labels read the same.
    let script = crate::text::is_traditional(crate::text::take_chars(text, 800));
    let hay = Haystack::new(notice, script);
    // Lines above the title line are the site's header and navigation.
    let front_end = notice
        .title
        .as_ref()
        .filter(|_| notice.is_notice)
        .and_then(|t| notice.paragraphs.iter().find(|p| &p.text == t))
        .map_or(0, |p| p.line);
    let mut out = Vec::new();
    for (i, raw) in super::split_lines(text).enumerate() {
        let line = i + 1;
        let cleaned = lines::clean_line_cow(raw);
        if cleaned.is_empty() {
            continue;
        }
        let cleaned = if script {
            Cow::Owned(fold_script(&cleaned).into_owned())
        } else {
            cleaned
        };
        if is_not_content(&fold_width_cow(&cleaned)) {
            continue;
        }
        if line < front_end {
            continue;
        }
        // Cut at spaces too: OCR and layout put separate fields on one line.
        let lost = cleaned
            .split(|c: char| is_cut(c) || c.is_whitespace() || c == '*')
            .any(|piece| {
                let p = strip_piece(piece);
                // The piece with its ordinal or wrapper words off, or as it stands.
                let kept = is_empty_piece(p)
                    || hay.contains(p, line)
                    || (p.len() < piece.len() && hay.contains(piece, line));
                !kept
            });
        if lost {
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_lose_ordinals_and_wrappers() {
        assert_eq!(strip_piece("一是建立台账"), "建立台账");
        assert_eq!(strip_piece("十二是建立台账"), "建立台账");
        assert_eq!(strip_piece("问题1"), "");
        assert_eq!(strip_piece("第一个问题"), "");
        assert_eq!(strip_piece("1.执行制度不到位"), "执行制度不到位");
        assert_eq!(strip_piece("针对推进"), "推进");
        assert!(is_empty_piece(strip_piece("问题的整改情况")));
        assert!(is_empty_piece("2024年12月底前"));
    }
}
