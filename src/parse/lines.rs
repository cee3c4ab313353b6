//! The first pass of the parser: cleaning the lines of a file and classifying each
//! piece of text as a heading, a status line, a deadline, or body text.
//!
//! OCR of newspaper columns puts several of these on one line
//! (`(22)担当作为不够。 整改情况:已完成整改`), so a line is split where a label or a
//! heading number that continues the document's numbering follows a space.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::notice::Status;
use crate::text::{fold_parse, parse_number, WideChars};

/// Numbering styles of headings, in no particular order of depth: the parser decides
/// depth by the order in which styles appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// 一、
    CnComma,
    /// (一)
    CnParen,
    /// 第一,
    CnDi,
    /// 1.
    Arabic,
    /// 1、 (a level of its own: notices number problems `1、` and steps `1.`)
    ArabicDun,
    /// (1)
    ArabicParen,
    /// 问题1: / 问题一:
    Wenti,
    /// An unnumbered 针对“…”问题 heading.
    Zhendui,
    /// An unnumbered problem sentence on its own line, followed by its status.
    Implicit,
    /// A row of a table (序号 | 问题 | 整改措施 | …).
    Row,
}

impl Style {
    const COUNT: usize = 10;
    fn idx(self) -> usize {
        self as usize
    }
}

/// A heading line.
#[derive(Debug, Clone)]
pub struct Heading {
    /// Numbering style.
    pub style: Style,
    /// Number (0 for unnumbered headings).
    pub n: u32,
    /// Numbering as printed, without trailing colon (`问题1`, `(1)`, `1.`, `第一`).
    pub label: Option<String>,
    /// The heading's first sentence, without label (as written).
    pub title: String,
    /// Text after the first sentence on the same line, if any.
    pub rest: Option<String>,
    /// The heading itself says it is a problem (`针对“…”问题`, `关于“…”问题的整改`).
    pub explicit: bool,
    /// The whole text after the label, as written.
    pub text: String,
    /// The text after the first sentence opens measures or a status (`一是…`,
    /// `整改情况:…`): a problem with its text on the same line.
    pub inline_measures: bool,
    /// Whether the title ended with sentence-final punctuation (a title without it
    /// may continue on the next line).
    pub closed: bool,
}

/// What one piece of a line is.
#[derive(Debug, Clone)]
pub enum ItemKind {
    /// A numbered (or 针对-style) heading.
    Heading(Heading),
    /// A completion status line (`整改情况:已完成整改`).
    Status {
        /// The status.
        status: Status,
        /// The phrase as printed.
        text: String,
    },
    /// A deadline line (`完成时限:2023年12月前`).
    Deadline {
        /// `YYYY-MM`, if readable.
        value: Option<String>,
        /// The whole piece as written, label included (kept as a paragraph).
        text: String,
    },
    /// Who answers for a problem (`责任单位:办公室`, `责任领导:…`), as written: kept
    /// with the problem as a paragraph, never a measure.
    Note(String),
    /// Site metadata (`发布时间:2025-08-18`): key and value.
    Meta(String, String),
    /// Body text as written.
    Body(String),
    /// A status label without a status phrase (`整改情况:一是…`) at the start of a line:
    /// the text after it follows as its own item.
    Label,
    /// Closing boilerplate (下一步,… plans, 欢迎广大干部群众…监督, 联系电话…): ends the last
    /// problem.
    Trailer(String),
}

/// One classified piece of text with its 1-based source line.
#[derive(Debug, Clone)]
pub struct Item {
    /// 1-based line number in the source.
    pub line: usize,
    /// What it is.
    pub kind: ItemKind,
}

static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:当前位置|您当前的位置|您现在的位置|首页\s*[>›»]|扫一扫|打印本页|关闭窗口|【打印】|【关闭】|\[打印\]|\[关闭\]|分享到|微信扫码|微信公众号|字号\s*[:：]|【字体|【\s*大\s*中\s*小|浏览量|浏览次数|访问量|阅读次数|责任编辑|■?编辑\s*[:：]|上一篇|下一篇|相关链接|网站地图|版权所有)",
    )
    .expect("static regex")
});
static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:下一步\s*[,:]|欢迎广大|欢迎社会各界|如有意见|联系人\s*:|联系电话|联系方式|电子邮箱|邮政编码|邮编\s*:|通信地址|通讯地址|邮政信箱|监督电话|举报电话)")
        .expect("static regex")
});
static META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(信息索引号|索引号|发布机构|发文机关|成文日期|发布日期|发布时间|发文日期|发表时间|发稿时间|时间|来源|主题分类|文号|发文字号|公开方式|公开范围|日期)\s*:\s*(.*)$")
        .expect("static regex")
});
static HEAD_CN_COMMA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([一二三四五六七八九十]{1,3})\s*、\s*").expect("static regex"));
static HEAD_CN_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*").expect("static regex")
});
static HEAD_CN_DI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第([一二三四五六七八九十]{1,3})\s*[,、:]\s*").expect("static regex")
});
static HEAD_ARABIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s*([.、])\s*").expect("static regex"));
static HEAD_ARABIC_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(\s*(\d{1,3})\s*\)\s*").expect("static regex"));
static HEAD_WENTI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^问题\s*([一二三四五六七八九十]{1,3}|\d{1,3})\s*[:.、,]\s*").expect("static regex")
});
static HEAD_WENTI_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^问题\s*\(\s*([一二三四五六七八九十]{1,3}|\d{1,3})\s*\)\s*[:.、,]?\s*")
        .expect("static regex")
});
static HEAD_DI_WENTI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第\s*([一二三四五六七八九十]{1,3}|\d{1,3})\s*(?:个|项)问题\s*[:.、,]?\s*")
        .expect("static regex")
});
/// Unnumbered problem headings: `针对“X”问题`, `针对推进X不力问题`, `关于X问题的整改`.
static HEAD_ZHENDUI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^针对\s*[“"「『].+?[”"」』]\s*(?:等)?\s*(?:的)?问题|^针对[^。,;]{2,60}?问题(?:的?整改(?:情况|落实情况)?)?\s*(?:[【\[(][^】\])]{2,8}[】\])])?\s*[。:]?\s*$|^关于[^。;]{2,80}?问题的?整改(?:情况|落实情况)?\s*(?:[【\[(][^】\])]{2,8}[】\])])?\s*[。:]?\s*$"#).expect("static regex")
});
static EXPLICIT_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:针对|关于)\s*[“"「『].+?[”"」』]\s*(?:等|方面)?\s*(?:的)?问题|^(?:针对|关于).+问题的?整改|^针对[^。,;]{2,60}?问题\s*[。:]?\s*$"#)
        .expect("static regex")
});
/// Labels whose value may be a status phrase.
static STATUS_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:整改情况|整改结果|整改状态|整改进展|整改进度|完成情况|进展情况|目前进展|整改成效)\s*:\s*")
        .expect("static regex")
});
/// Labels that introduce the measures.
static MEASURE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:整改情况|整改落实情况|整改措施|整改举措|落实情况|具体措施|主要措施|整改成效|整改结果|整改进展)\s*:\s*")
        .expect("static regex")
});
static STATUS_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(长期坚持|常态化推进|持续推进中|持续推进|长期推进|已办结|已完成整改|已整改完成|已整改到位|已经完成整改|已完成|已整改|整改完成|完成整改|基本完成整改|基本完成|基本整改到位|阶段性完成整改|阶段性完成|阶段性整改|正在整改尚未完成整改|正在整改中|正在整改|正在推进|尚未完成整改|尚未完成|未完成整改|未完成|持续整改中|持续整改|长期整改|整改中|推进中|完成)")
        .expect("static regex")
});
static NOTE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:责任单位|责任领导|责任人|责任部门|责任科室|牵头单位|牵头领导|配合单位|督办领导)\s*:\s*")
        .expect("static regex")
});
static DEADLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:完成时限|整改时限|完成时间|整改期限|时限要求)\s*:\s*").expect("static regex")
});
/// A place inside a line where a new piece may start: after a space (or 。 for labels).
/// Anchored: it runs only where [`split_candidate`] finds a space or 。 followed by a
/// char that can begin one of the alternatives.
static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+|。)(?:(整改情况|整改结果|整改状态|整改进展|完成时限|整改时限)\s*:|(\(\d{1,3}\))|(\d{1,3})\s*[.、]|问题(\d{1,3})\s*:)")
        .expect("static regex")
});

// The first chars the anchored regexes above can match. Testing them first saves a
// regex call on most pieces; the regex still decides.
const NOISE_FIRST: [char; 22] = [
    '当', '您', '首', '扫', '打', '关', '【', '[', '分', '微', '字', '浏', '访', '阅', '责', '■',
    '编', '上', '下', '相', '网', '版',
];
const TRAILER_FIRST: [char; 9] = ['下', '欢', '如', '联', '电', '邮', '通', '监', '举'];
const META_FIRST: [char; 10] = ['信', '索', '发', '成', '时', '来', '主', '文', '公', '日'];
const STATUS_LABEL_FIRST: [char; 4] = ['整', '完', '进', '目'];
const MEASURE_LABEL_FIRST: [char; 4] = ['整', '落', '具', '主'];
const DEADLINE_LABEL_FIRST: [char; 3] = ['完', '整', '时'];
const NOTE_LABEL_FIRST: [char; 4] = ['责', '牵', '配', '督'];
const STATUS_PHRASE_FIRST: [char; 12] = [
    '已', '整', '完', '基', '阶', '正', '尚', '未', '持', '长', '推', '常',
];
const CN_NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// Maps a status phrase to a [`Status`].
pub fn status_of(phrase: &str) -> Status {
    // Traditional script (階段性完成) reads like simplified.
    let phrase = &*crate::text::fold_script(phrase);
    if phrase.starts_with("基本") {
        Status::BasicallyCompleted
    } else if phrase.starts_with("阶段性") {
        Status::Phased
    } else if phrase.contains("正在")
        || phrase.contains("尚未")
        || phrase.contains("未完成")
        || phrase.contains("持续")
        || phrase.contains("长期")
        || phrase.contains("常态")
        || phrase.contains("中")
    {
        Status::InProgress
    } else {
        Status::Completed
    }
}

/// Cleans a raw source line: Markdown markers (`#`, `>`, `**`) and outer whitespace removed.
pub fn clean_line(line: &str) -> String {
    clean_line_cow(line).into_owned()
}

/// [`clean_line`] without a copy when only outer markers go.
pub(crate) fn clean_line_cow(line: &str) -> Cow<'_, str> {
    let mut s = line.trim();
    loop {
        let t = s
            .trim_start_matches('#')
            .trim_start_matches('>')
            .trim_start();
        if t.len() == s.len() {
            break;
        }
        s = t;
    }
    if has_markup(s) {
        Cow::Owned(
            s.replace("**", "")
                .replace('\u{feff}', "")
                .trim()
                .to_string(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `s` contains `**` or a BOM (what [`clean_line`] removes inside a line):
/// one memchr pass for the bytes that begin them.
fn has_markup(s: &str) -> bool {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    let b = s.as_bytes();
    memchr::memchr2_iter(b'*', BOM[0], b).any(|i| {
        if b[i] == b'*' {
            b.get(i + 1) == Some(&b'*')
        } else {
            b[i..].starts_with(BOM)
        }
    })
}

/// Whether a cleaned line is site navigation rather than content.
pub fn is_noise(norm: &str) -> bool {
    norm.starts_with(NOISE_FIRST) && NOISE.is_match(norm)
}

/// Whether a cleaned, folded line is site metadata (`发布时间:…`, `来源:…`).
pub fn is_meta(norm: &str) -> bool {
    norm.starts_with(META_FIRST) && META.is_match(norm)
}

/// Byte offset in `raw` of the char at byte `b` of `fold_width(raw)`, which is
/// `norm_len` bytes long: each folded char before it is shorter there.
fn raw_offset(raw: &str, norm_len: usize, b: usize) -> usize {
    // Folding only shortens chars: views of equal length are the same text.
    if raw.len() == norm_len {
        return b;
    }
    let mut shrunk = 0;
    for w in WideChars::new(raw) {
        if w - shrunk >= b {
            break;
        }
        // Wide chars fold to one ASCII byte.
        shrunk += raw[w..].chars().next().map_or(1, char::len_utf8) - 1;
    }
    b + shrunk
}

/// A line in two views with the same chars: as written and width-folded.
struct Dual<'a> {
    raw: &'a str,
    norm: &'a str,
}

impl<'a> Dual<'a> {
    /// Splits both views at byte offset `b` of `norm`.
    fn split(&self, b: usize) -> (Dual<'a>, Dual<'a>) {
        let rb = raw_offset(self.raw, self.norm.len(), b);
        (
            Dual {
                raw: &self.raw[..rb],
                norm: &self.norm[..b],
            },
            Dual {
                raw: &self.raw[rb..],
                norm: &self.norm[b..],
            },
        )
    }
    fn from(&self, b: usize) -> Dual<'a> {
        self.split(b).1
    }
    fn trim(&self) -> Dual<'a> {
        // A char is a space exactly when its folded form is (U+3000 and U+00A0 fold
        // to ' '), so both views lose the same chars.
        Dual {
            raw: self.raw.trim(),
            norm: self.norm.trim(),
        }
    }
}

/// Numbering state: the last number seen for each style, and the columns of the
/// table being read, if any.
#[derive(Debug, Default)]
pub struct Numbering {
    last: [u32; Style::COUNT],
    table: Option<Vec<Column>>,
}

/// What a column of a problem table holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// 序号.
    Seq,
    /// 问题, 反馈问题, 存在问题.
    Problem,
    /// 整改措施.
    Measures,
    /// 整改情况, 整改进展, 完成情况: a status, maybe followed by what was done.
    Status,
    /// 完成时限.
    Deadline,
    /// 责任单位 and anything else: kept as a note.
    Other,
}

impl Column {
    fn of(header: &str) -> Column {
        let has = |w: &str| header.contains(w);
        if has("序号") || has("编号") {
            Column::Seq
        } else if has("措施") {
            Column::Measures
        } else if has("时限") || has("期限") || has("时间") {
            Column::Deadline
        } else if has("问题") {
            Column::Problem
        } else if has("情况") || has("进展") || has("状态") || has("结果") || has("进度")
        {
            Column::Status
        } else {
            Column::Other
        }
    }
}

/// The cells of a table row flattened to text: cells separated by tabs (empty
/// cells kept) or by runs of two or more spaces. `None` for a line without either.
fn table_cells(raw: &str) -> Option<Vec<&str>> {
    if raw.contains('\t') {
        return Some(raw.split('\t').map(str::trim).collect());
    }
    // Runs of two or more spaces (U+3000 included).
    let mut cells = Vec::new();
    let mut start = 0;
    let mut run: Option<(usize, usize)> = None; // (start byte, count)
    for (i, c) in raw.char_indices() {
        if c.is_whitespace() {
            run = Some(run.map_or((i, 1), |(s, n)| (s, n + 1)));
        } else {
            if let Some((s, n)) = run.take() {
                if n >= 2 {
                    cells.push(raw[start..s].trim());
                    start = i;
                }
            }
        }
    }
    if cells.is_empty() {
        return None;
    }
    cells.push(raw[start..].trim());
    Some(cells)
}

/// Reads a table header: at least three cells, one of them the problem and one the
/// measures, status or deadline.
fn table_header(cells: &[&str]) -> Option<Vec<Column>> {
    if cells.len() < 3 {
        return None;
    }
    let cols: Vec<Column> = cells
        .iter()
        .map(|c| {
            let c = fold_parse(c);
            // Header cells are short names, not sentences.
            if c.chars().count() > 8 {
                Column::Other
            } else {
                Column::of(&c)
            }
        })
        .collect();
    let named = cells.iter().filter(|c| c.chars().count() <= 8).count();
    (named == cells.len()
        && cols.contains(&Column::Problem)
        && cols
            .iter()
            .any(|c| matches!(c, Column::Measures | Column::Status | Column::Deadline)))
    .then_some(cols)
}

/// Classifies a table row: the problem as a heading, then its measures, status,
/// deadline and notes. Returns false when the line is no row of the table.
fn table_row(cells: &[&str], cols: &[Column], line_no: usize, out: &mut Vec<Item>) -> bool {
    let filled = cells.iter().filter(|c| !c.is_empty()).count();
    let problem = cols
        .iter()
        .position(|&c| c == Column::Problem)
        .and_then(|i| cells.get(i))
        .filter(|c| !c.is_empty());
    let Some(problem) = problem.filter(|_| filled >= 2) else {
        return false;
    };
    let seq = cols
        .iter()
        .position(|&c| c == Column::Seq)
        .and_then(|i| cells.get(i))
        .filter(|c| !c.is_empty());
    let title = problem.trim_end_matches('。').to_string();
    out.push(Item {
        line: line_no,
        kind: ItemKind::Heading(Heading {
            style: Style::Row,
            n: seq.and_then(|s| parse_number(&fold_parse(s))).unwrap_or(0),
            label: seq.map(|s| s.to_string()),
            title,
            rest: None,
            explicit: true,
            inline_measures: false,
            text: problem.to_string(),
            closed: true,
        }),
    });
    let mut later = Vec::new();
    for (cell, col) in cells.iter().zip(cols) {
        if cell.is_empty() {
            continue;
        }
        let norm = fold_parse(cell);
        match col {
            Column::Seq | Column::Problem => {}
            Column::Measures => out.push(Item {
                line: line_no,
                kind: ItemKind::Body(cell.to_string()),
            }),
            Column::Status => {
                let len = status_phrase(&norm).unwrap_or(0);
                if len > 0 {
                    later.push(ItemKind::Status {
                        status: status_of(&norm[..len]),
                        text: cell[..raw_offset(cell, norm.len(), len)].to_string(),
                    });
                }
                let rest = cell[raw_offset(cell, norm.len(), len)..]
                    .trim_start_matches(|c: char| c.is_whitespace() || "。.,，;；".contains(c));
                if !rest.is_empty() {
                    out.push(Item {
                        line: line_no,
                        kind: ItemKind::Body(rest.to_string()),
                    });
                }
            }
            Column::Deadline => later.push(ItemKind::Deadline {
                value: super::dates::deadline(&norm),
                text: cell.to_string(),
            }),
            Column::Other => later.push(ItemKind::Note(cell.to_string())),
        }
    }
    out.extend(later.into_iter().map(|kind| Item {
        line: line_no,
        kind,
    }));
    true
}

impl Numbering {
    fn accepts_at_line_start(&self, style: Style, n: u32) -> bool {
        // A heading may also step back (`4.` then `3.`: out of the usual order), but
        // not run far ahead of the numbering.
        let last = self.last[style.idx()];
        n >= 1 && n <= last + 3
    }
    fn accepts_inline(&self, style: Style, n: u32, after_heading: bool) -> bool {
        let last = self.last[style.idx()];
        n == last + 1 || (n == 1 && after_heading)
    }
    fn see(&mut self, style: Style, n: u32) {
        self.last[style.idx()] = n;
    }
}

/// Splits the first sentence (up to 。！？ outside quotes and book titles) from the rest.
/// Whether the text after a labelled problem's first sentence is one more short
/// sentence of the problem statement, not a measure or a status.
fn continues_title(rest: &str) -> bool {
    let t = rest.trim().trim_end_matches('。');
    let n = t.chars().count();
    (2..=60).contains(&n)
        && !t.contains(['。', ':', '：', ';', '；'])
        && !t.contains("一是")
        && !opens_measures(rest)
        && status_phrase(t).is_none()
        && bracketed_status(t).is_none()
}

fn first_sentence(s: &str) -> (String, Option<String>) {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '《' | '“' | '「' | '『' | '(' | '（' => depth += 1,
            '》' | '”' | '」' | '』' | ')' | '）' => depth -= 1,
            '。' | '！' | '？' if depth <= 0 => {
                let rest = s[i + c.len_utf8()..].trim();
                let title = s[..i].trim().to_string();
                return (title, (!rest.is_empty()).then(|| rest.to_string()));
            }
            _ => {}
        }
    }
    (
        s.trim().trim_end_matches(['。', '；', ';']).to_string(),
        None,
    )
}

/// Tries to read a heading at the start of `d`. Returns the heading's style, number,
/// label and the byte offset (in `norm`) where its text starts.
fn heading_start(d: &Dual<'_>) -> Option<(Style, u32, Option<String>, usize)> {
    let n = d.norm;
    // Each regex is anchored: skip those whose first char cannot match.
    let first = n.chars().next()?;
    let caps = |re: &Regex, may: bool| if may { re.captures(n) } else { None };
    if let Some(c) = caps(&HEAD_WENTI, first == '问') {
        let num = parse_number(c.get(1)?.as_str())?;
        let label_end = c.get(1)?.end();
        let label = d.split(label_end).0.raw.replace(char::is_whitespace, "");
        return Some((Style::Wenti, num, Some(label), c.get(0)?.end()));
    }
    if let Some(c) = caps(&HEAD_WENTI_PAREN, first == '问') {
        let num = parse_number(c.get(1)?.as_str())?;
        let close = n[c.get(1)?.end()..].find(')')? + c.get(1)?.end() + 1;
        let label = d.split(close).0.raw.replace(char::is_whitespace, "");
        return Some((Style::Wenti, num, Some(label), c.get(0)?.end()));
    }
    if let Some(c) = caps(&HEAD_DI_WENTI, first == '第') {
        let num = parse_number(c.get(1)?.as_str())?;
        let end = n[..c.get(0)?.end()].find("问题")? + "问题".len();
        let label = d.split(end).0.raw.replace(char::is_whitespace, "");
        return Some((Style::Wenti, num, Some(label), c.get(0)?.end()));
    }
    if let Some(c) = caps(&HEAD_CN_COMMA, CN_NUMERALS.contains(&first)) {
        let num = parse_number(c.get(1)?.as_str())?;
        let label = d.split(c.get(0)?.end()).0.raw.trim().to_string();
        return Some((Style::CnComma, num, Some(label), c.get(0)?.end()));
    }
    if let Some(c) = caps(&HEAD_CN_PAREN, first == '(') {
        let num = parse_number(c.get(1)?.as_str())?;
        let label = d.split(c.get(0)?.end()).0.raw.trim().to_string();
        return Some((Style::CnParen, num, Some(label), c.get(0)?.end()));
    }
    if let Some(c) = caps(&HEAD_CN_DI, first == '第') {
        let num = parse_number(c.get(1)?.as_str())?;
        let label = format!("第{}", c.get(1)?.as_str());
        return Some((Style::CnDi, num, Some(label), c.get(0)?.end()));
    }
    if let Some(c) = caps(&HEAD_ARABIC_PAREN, first == '(') {
        let num = parse_number(c.get(1)?.as_str())?;
        let label = d
            .split(c.get(0)?.end())
            .0
            .raw
            .replace(char::is_whitespace, "");
        return Some((Style::ArabicParen, num, Some(label), c.get(0)?.end()));
    }
    // `\d` is any Unicode decimal digit; `is_numeric` covers them all.
    if let Some(c) = caps(&HEAD_ARABIC, first.is_numeric()) {
        let num = parse_number(c.get(1)?.as_str())?;
        let punct_end = c.get(2)?.end();
        let label = d.split(punct_end).0.raw.replace(char::is_whitespace, "");
        let style = if c.get(2)?.as_str() == "、" {
            Style::ArabicDun
        } else {
            Style::Arabic
        };
        return Some((style, num, Some(label), c.get(0)?.end()));
    }
    if (first == '针' || first == '关') && HEAD_ZHENDUI.is_match(n) {
        return Some((Style::Zhendui, 0, None, 0));
    }
    None
}

/// Where a `责任单位:…` piece ends: at two spaces (or a tab) or where a deadline or
/// status label follows a space.
fn note_end(norm: &str) -> usize {
    let mut prev_space = false;
    for (i, c) in norm.char_indices() {
        if c == '\t' || (c.is_whitespace() && prev_space) {
            return i;
        }
        if prev_space
            && (find_if(&DEADLINE_LABEL, &DEADLINE_LABEL_FIRST, &norm[i..]).is_some()
                || find_if(&STATUS_LABEL, &STATUS_LABEL_FIRST, &norm[i..]).is_some())
        {
            return i;
        }
        prev_space = c.is_whitespace();
    }
    norm.len()
}

/// The length of a `存在问题:` / `问题描述:` prefix that marks a heading as a problem.
pub(crate) fn problem_prefix_len(norm: &str) -> Option<usize> {
    // Not `反馈问题:`/`问题:`: notices put those before categories too.
    if !norm.starts_with(['存', '问']) {
        return None;
    }
    ["存在问题", "问题描述"].iter().find_map(|p| {
        let rest = norm.strip_prefix(p)?;
        let t = rest.trim_start();
        let t = t.strip_prefix(':')?;
        Some(norm.len() - t.len())
    })
}

/// Whether the text after a heading's first sentence opens its measures or status
/// (`一是…`, `整改情况:…`): the heading is then a problem with its text on the line.
fn opens_measures(rest: &str) -> bool {
    // The labels are short: only the start of the text is read.
    let r = fold_parse(crate::text::take_chars(rest.trim_start(), 12));
    let r = r.trim_start();
    r.starts_with("一是")
        || (r.starts_with(STATUS_LABEL_FIRST) && STATUS_LABEL.is_match(r))
        || (r.starts_with(MEASURE_LABEL_FIRST) && MEASURE_LABEL.is_match(r))
}

/// The status phrase of a piece that is only that phrase in brackets: `（已完成整改）`,
/// `【已完成】`.
fn bracketed_status(norm: &str) -> Option<&str> {
    let t = norm.trim_end_matches(['。', ' ']);
    let inner = t
        .strip_prefix(['(', '【', '['])?
        .strip_suffix([')', '】', ']'])?;
    let len = status_phrase(inner)?;
    (len == inner.len()).then_some(inner)
}

/// Where the phrase of [`bracketed_status`] starts: after the opening bracket.
fn raw_phrase_start(norm: &str) -> usize {
    norm.chars().next().map_or(0, char::len_utf8)
}

/// Reads a status phrase at the start of `norm` when it stands alone (followed by the
/// end, a space or punctuation). Returns the phrase's byte length.
fn status_phrase(norm: &str) -> Option<usize> {
    if !norm.starts_with(STATUS_PHRASE_FIRST) {
        return None;
    }
    let m = STATUS_PHRASE.find(norm)?;
    let next = norm[m.end()..].chars().next();
    match next {
        None => Some(m.end()),
        // `已完成整改并长期坚持`: a phrase joined to more by 并 or 、 is a status too.
        Some(c) if c.is_whitespace() || "。,，;；.!)）】并、".contains(c) => Some(m.end()),
        _ => None,
    }
}

/// Classifies the cleaned lines of a document into items, splitting lines where OCR
/// joined several pieces.
pub fn classify(lines: &[(usize, String)]) -> Vec<Item> {
    classify_folded(
        lines
            .iter()
            .map(|(line_no, raw)| (*line_no, raw.as_str(), fold_parse(raw))),
    )
}

/// [`classify`] for lines whose width-folded form the caller already has:
/// `(line number, cleaned line, fold_width of it)`.
pub(crate) fn classify_folded<'a, S: AsRef<str>>(
    lines: impl Iterator<Item = (usize, &'a str, S)>,
) -> Vec<Item> {
    let mut out = Vec::with_capacity(lines.size_hint().1.unwrap_or(0));
    let mut numbering = Numbering::default();
    for (line_no, raw, norm) in lines {
        classify_line(
            &Dual {
                raw,
                norm: norm.as_ref(),
            },
            line_no,
            &mut numbering,
            &mut out,
        );
    }
    out
}

/// `re.find(s)` for an anchored `re` whose matches start with one of `first`.
fn find_if<'h>(re: &Regex, first: &[char], s: &'h str) -> Option<regex::Match<'h>> {
    if s.starts_with(first) {
        re.find(s)
    } else {
        None
    }
}

/// The next place at or after byte `from` where [`SPLIT`] may match: a space or 。
/// followed (after any further spaces) by a char that can begin one of its
/// alternatives. Returns that place and where to look on if the regex fails there.
fn split_candidate(s: &str, from: usize) -> Option<(usize, usize)> {
    // `is_numeric` looks chars up in a table: CJK ideographs, most of the text, are
    // never digits.
    let can_begin = |c: char| {
        matches!(c, '整' | '完' | '(' | '问')
            || c.is_ascii_digit()
            || (!c.is_ascii() && !('\u{4e00}'..='\u{9fff}').contains(&c) && c.is_numeric())
    };
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        // Spaces and 。 begin with an ASCII byte up to b' ' or with one of these lead
        // bytes (U+0085, U+00A0; U+1680; U+2000–U+205F; U+3000, U+3002): skip the
        // rest without decoding chars.
        let Some(k) = bytes[i..]
            .iter()
            .position(|&b| b <= b' ' || b == 0xC2 || (0xE1..=0xE3).contains(&b))
        else {
            break;
        };
        i += k;
        if !may_be_space_or_stop(bytes, i) {
            // “ ” 、 and the like: their lead bytes are shared, their next ones not.
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let after = i + c.len_utf8();
        if c == '。' {
            if s[after..].chars().next().is_some_and(can_begin) {
                return Some((i, after));
            }
        } else if c.is_whitespace() {
            // A run of spaces: every place in it is followed by the same char.
            let rest = s[after..].trim_start();
            let j = s.len() - rest.len();
            if rest.chars().next().is_some_and(can_begin) {
                return Some((i, j));
            }
            i = j;
            continue;
        }
        i = after;
    }
    None
}

/// Whether the char whose lead byte is `b[i]` (one [`split_candidate`] stops at) may
/// be a space or 。, told by its UTF-8 bytes: true for every char `char::is_whitespace`
/// accepts (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000) and for 。, and for any ASCII byte.
fn may_be_space_or_stop(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b.get(i).copied().unwrap_or(0) {
        0xC2 => matches!(at(1), 0x85 | 0xA0),
        0xE1 => at(1) == 0x9A && at(2) == 0x80,
        0xE2 => {
            (at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF))
                || (at(1) == 0x81 && at(2) == 0x9F)
        }
        0xE3 => at(1) == 0x80 && matches!(at(2), 0x80 | 0x82),
        _ => true,
    }
}

fn classify_line(line: &Dual<'_>, line_no: usize, numbering: &mut Numbering, out: &mut Vec<Item>) {
    // Tables flattened to text: a header row names the columns, each row is a problem.
    // Most lines have neither a tab nor two spaces in a row: skip them unread.
    let nb = line.norm.as_bytes();
    let may_have_cells = memchr::memchr(b'\t', nb).is_some()
        || memchr::memchr_iter(b' ', nb).any(|i| nb.get(i + 1) == Some(&b' '));
    if let Some(cells) = may_have_cells.then(|| table_cells(line.raw)).flatten() {
        if let Some(cols) = table_header(&cells) {
            numbering.table = Some(cols);
            return;
        }
        if let Some(cols) = &numbering.table {
            if table_row(&cells, cols, line_no, out) {
                return;
            }
        }
    }
    if let Some(c) = line
        .norm
        .starts_with(META_FIRST)
        .then(|| META.captures(line.norm))
        .flatten()
    {
        if let (Some(k), Some(v)) = (c.get(1), c.get(2)) {
            out.push(Item {
                line: line_no,
                kind: ItemKind::Meta(k.as_str().to_string(), v.as_str().trim().to_string()),
            });
            return;
        }
    }
    if line.norm.starts_with(TRAILER_FIRST) && TRAILER.is_match(line.norm) {
        out.push(Item {
            line: line_no,
            kind: ItemKind::Trailer(line.raw.to_string()),
        });
        return;
    }
    let mut piece = line.trim();
    let mut after_heading = false;
    while !piece.norm.is_empty() {
        // What starts this piece.
        let mut kind_start: Option<(Style, u32, Option<String>, usize)> = None;
        let mut body_from = 0usize;
        let mut pending_status: Option<(Status, String)> = None;
        let mut deadline_piece = false;
        if let Some(h) = heading_start(&piece) {
            let ok = match h.0 {
                Style::Zhendui => true,
                Style::Arabic | Style::ArabicDun => {
                    // `5.5G…` is heading 5 only when 5 is next; `5.8万元` is not a heading.
                    let next_digit = piece.norm[h.3..].starts_with(|c: char| c.is_ascii_digit());
                    if next_digit {
                        numbering.accepts_inline(h.0, h.1, false)
                    } else {
                        numbering.accepts_at_line_start(h.0, h.1)
                    }
                }
                _ => numbering.accepts_at_line_start(h.0, h.1),
            };
            if ok {
                numbering.see(h.0, h.1);
                body_from = h.3;
                kind_start = Some(h);
            }
        } else if let Some(m) = find_if(&STATUS_LABEL, &STATUS_LABEL_FIRST, piece.norm) {
            if let Some(len) = status_phrase(&piece.norm[m.end()..]) {
                let value = &piece.norm[m.end()..];
                let status = status_of(&value[..len]);
                // `已完成整改并长期坚持`: the text runs on to the end of the clause.
                let len = if value[len..].starts_with(['并', '、']) {
                    value
                        .find(|c: char| c.is_whitespace() || "。,，;；".contains(c))
                        .unwrap_or(value.len())
                } else {
                    len
                };
                let phrase = piece.split(m.end()).1.split(len).0.raw.to_string();
                pending_status = Some((status, phrase));
                body_from = m.end() + len;
                // `整改状态：完成。制定…`: the sentence end belongs to the status.
                let after = &piece.norm[body_from..];
                let skip = after.len()
                    - after
                        .trim_start_matches(|c: char| c.is_whitespace() || "。.,，;；".contains(c))
                        .len();
                body_from += skip;
            } else if let Some(m2) = find_if(&MEASURE_LABEL, &MEASURE_LABEL_FIRST, piece.norm) {
                body_from = m2.end();
                if piece.raw.len() == line.trim().raw.len() {
                    out.push(Item {
                        line: line_no,
                        kind: ItemKind::Label,
                    });
                }
            }
        } else if let Some(m) = find_if(&MEASURE_LABEL, &MEASURE_LABEL_FIRST, piece.norm) {
            body_from = m.end();
        } else if let Some(m) = find_if(&DEADLINE_LABEL, &DEADLINE_LABEL_FIRST, piece.norm) {
            deadline_piece = true;
            body_from = m.end();
        } else if find_if(&NOTE_LABEL, &NOTE_LABEL_FIRST, piece.norm).is_some() {
            // The value ends at a run of spaces or a 完成时限 label; the rest is a new piece.
            let rest_at = note_end(piece.norm);
            let (this, next) = piece.split(rest_at);
            out.push(Item {
                line: line_no,
                kind: ItemKind::Note(this.raw.trim().to_string()),
            });
            piece = next.trim();
            after_heading = false;
            continue;
        } else if let Some(phrase) = bracketed_status(piece.norm) {
            // `（已完成整改）` alone on its line.
            let raw_phrase = piece
                .split(raw_phrase_start(piece.norm))
                .1
                .split(phrase.len())
                .0
                .raw
                .to_string();
            out.push(Item {
                line: line_no,
                kind: ItemKind::Status {
                    status: status_of(&raw_phrase),
                    text: raw_phrase,
                },
            });
            return;
        } else if let Some(len) = status_phrase(piece.norm) {
            let rest =
                piece.norm[len..].trim_matches(|c: char| c.is_whitespace() || "。.".contains(c));
            if rest.is_empty() {
                let phrase = piece.split(len).0.raw.to_string();
                out.push(Item {
                    line: line_no,
                    kind: ItemKind::Status {
                        status: status_of(&phrase),
                        text: phrase,
                    },
                });
                return;
            }
        }
        if let Some((status, text)) = pending_status.take() {
            out.push(Item {
                line: line_no,
                kind: ItemKind::Status { status, text },
            });
        }
        let content = piece.from(body_from);
        // The deadline value ends at the first space; what follows is a new piece.
        if deadline_piece {
            let t = content.trim();
            let end = t.norm.find(char::is_whitespace).unwrap_or(t.norm.len());
            let (value, rest) = t.split(end);
            let whole = piece.raw.len() - rest.raw.len();
            out.push(Item {
                line: line_no,
                kind: ItemKind::Deadline {
                    value: super::dates::deadline(value.norm),
                    text: piece.raw[..whole].trim().to_string(),
                },
            });
            piece = rest.trim();
            after_heading = false;
            continue;
        }
        // Find where the next piece starts inside this one.
        let is_heading = kind_start.is_some();
        let mut cut: Option<usize> = None;
        // The matches of an unanchored SPLIT, left to right, without scanning the
        // whole piece with the regex: it runs only at candidate places.
        let mut from = 0;
        while let Some((at, resume)) = split_candidate(content.norm, from) {
            let Some(c) = SPLIT.captures(&content.norm[at..]) else {
                from = resume;
                continue;
            };
            let Some(whole) = c.get(0).map(|m| at + m.start()..at + m.end()) else {
                break;
            };
            from = whole.end;
            if whole.start == 0 && body_from == 0 {
                continue;
            }
            let valid = if c.get(1).is_some() {
                true
            } else if let Some(p) = c.get(2) {
                let num = parse_number(p.as_str().trim_matches(['(', ')'])).unwrap_or(0);
                numbering.accepts_inline(Style::ArabicParen, num, is_heading || after_heading)
            } else if let Some(a) = c.get(3) {
                let num = parse_number(a.as_str()).unwrap_or(0);
                let tail = &content.norm[whole.end..];
                let style = if content.norm[whole.clone()].ends_with('、') {
                    Style::ArabicDun
                } else {
                    Style::Arabic
                };
                !tail.starts_with(|ch: char| ch.is_ascii_digit())
                    && numbering.accepts_inline(style, num, is_heading || after_heading)
            } else if let Some(w) = c.get(4) {
                let num = parse_number(w.as_str()).unwrap_or(0);
                numbering.accepts_inline(Style::Wenti, num, false)
            } else {
                false
            };
            if valid {
                // Keep a sentence-final 。 with the text before the cut.
                let start = if content.norm[whole.start..].starts_with('。') {
                    whole.start + '。'.len_utf8()
                } else {
                    whole.start
                };
                cut = Some(start);
                break;
            }
        }
        let (this, next) = match cut {
            Some(b) => content.split(b),
            None => (content.from(0), Dual { raw: "", norm: "" }),
        };
        let this = this.trim();
        match kind_start {
            Some((style, n, label, _)) => {
                let (mut title, mut rest) = first_sentence(this.raw);
                // A labelled problem (`第二个问题:X。Y。`) states the problem in one or two
                // short sentences: a second short one without measures is still the title.
                if style == Style::Wenti && rest.as_deref().is_some_and(continues_title) {
                    title = this
                        .raw
                        .trim()
                        .trim_end_matches(['。', '；', ';'])
                        .to_string();
                    rest = None;
                }
                let closed =
                    rest.is_some() || this.raw.trim_end().ends_with(['。', '！', '？', '；', ';']);
                // EXPLICIT_TITLE starts with 针对 or 关于, which folding leaves alone.
                let inline_measures = rest.as_deref().is_some_and(opens_measures);
                // Markers start with 针对, 关于, 存在问题, 问题描述 (or their
                // traditional forms): other titles are not folded at all.
                let title_f = title
                    .starts_with(['针', '关', '存', '问', '針', '關', '問'])
                    .then(|| fold_parse(&title));
                let explicit = style == Style::Wenti
                    || style == Style::Zhendui
                    || title_f.as_deref().is_some_and(|t| {
                        problem_prefix_len(t).is_some()
                            || (t.starts_with(['针', '关']) && EXPLICIT_TITLE.is_match(t))
                    });
                out.push(Item {
                    line: line_no,
                    kind: ItemKind::Heading(Heading {
                        style,
                        n,
                        label,
                        title,
                        rest,
                        explicit,
                        inline_measures,
                        text: this.raw.to_string(),
                        closed,
                    }),
                });
                after_heading = true;
            }
            None => {
                if !this.raw.is_empty() {
                    out.push(Item {
                        line: line_no,
                        kind: ItemKind::Body(this.raw.to_string()),
                    });
                }
                after_heading = false;
            }
        }
        piece = next.trim();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_byte_check_accepts_every_space_and_the_full_stop() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.is_whitespace() || c == '。' {
                let mut buf = [0u8; 4];
                let b = c.encode_utf8(&mut buf).as_bytes();
                assert!(super::may_be_space_or_stop(b, 0), "{c:?}");
            }
        }
        assert!(!super::may_be_space_or_stop("“".as_bytes(), 0));
        assert!(!super::may_be_space_or_stop("、".as_bytes(), 0));
    }

    use super::*;

    fn kinds(lines: &[&str]) -> Vec<ItemKind> {
        let v: Vec<(usize, String)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, clean_line(l)))
            .collect();
        classify(&v).into_iter().map(|i| i.kind).collect()
    }

    #[test]
    fn splits_ocr_heading_and_status() {
        let k = kinds(&["#### (1)职能作用发挥不充分。 整改情况:已完成整改"]);
        assert!(
            matches!(&k[0], ItemKind::Heading(h) if h.title == "职能作用发挥不充分" && h.label.as_deref() == Some("(1)"))
        );
        assert!(
            matches!(&k[1], ItemKind::Status { status: Status::Completed, text } if text == "已完成整改")
        );
    }

    #[test]
    fn inline_number_must_continue_the_sequence() {
        let k = kinds(&["(1)甲。", "展专题研讨 (2)未按要求", "文字 (9)不是标题"]);
        assert_eq!(k.len(), 4);
        assert!(matches!(&k[2], ItemKind::Heading(h) if h.n == 2));
        assert!(matches!(&k[3], ItemKind::Body(b) if b.contains("(9)")));
    }

    #[test]
    fn decimal_is_not_a_heading_but_5g_is() {
        let k = kinds(&["3.甲。", "4.乙。", "5.5G智慧化急救体系建设任务进度滞后。"]);
        assert!(matches!(&k[2], ItemKind::Heading(h) if h.n == 5 && h.title.starts_with("5G")));
        let k = kinds(&["5.8万元已下拨。"]);
        assert!(matches!(&k[0], ItemKind::Body(_)));
    }

    #[test]
    fn full_width_labels() {
        let k = kinds(&["问题１：公务用车管理不规范。", "整改情况：阶段性完成"]);
        assert!(
            matches!(&k[0], ItemKind::Heading(h) if h.style == Style::Wenti && h.n == 1 && h.label.as_deref() == Some("问题１"))
        );
        assert!(matches!(
            &k[1],
            ItemKind::Status {
                status: Status::Phased,
                ..
            }
        ));
    }

    #[test]
    fn deadline_then_next_heading() {
        let k = kinds(&[
            "1.关于甲的问题。",
            "完成时限:2023年12月前 2. 关于中医规模偏小问题。",
        ]);
        assert!(matches!(&k[1], ItemKind::Deadline { value: Some(v), .. } if v == "2023-12"));
        assert!(matches!(&k[2], ItemKind::Heading(h) if h.n == 2));
    }
}
