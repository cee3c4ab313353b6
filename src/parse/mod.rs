//! Parsing a notice into structured records.
//!
//! The parser is one grammar for all notices, not a set of special cases:
//!
//! 1. [`lines`] cleans each line and classifies its pieces as headings (`一、`,
//!    `(一)`, `第一,`, `1.`, `(1)`, `问题1:`, `针对“…”问题`), status lines, deadlines,
//!    metadata or body text, splitting OCR lines where numbering continues mid-line;
//! 2. the document is cut into top-level sections (`一、…`); sections that organise the
//!    work (提高政治站位…) or plan ahead (下一步…) hold no problems;
//! 3. inside the other sections, headings nest by the order in which numbering styles
//!    first appear; problems are the headings that say so (`问题N`, `针对“…”问题`, a
//!    status line) or, without such markers, the headings whose children are
//!    numbered measure paragraphs;
//! 4. [`measures`] splits each problem's text into measures; [`header`] reads the
//!    agency, dates, inspection facts and stated figures.

pub mod dates;
pub mod header;
mod kept;
pub mod lines;
pub mod measures;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

pub use self::kept::unkept_lines;
use self::lines::{Heading, Item, ItemKind, Style};
use self::measures::Para;
use crate::notice::{Category, Measure, Notice, Paragraph, Problem, Status};
use crate::text::{fold_parse, fold_script, fold_width, fold_width_cow, squeeze_spaces};

/// Parses the text of one file. `file` is recorded as the notice's `file` field.
///
/// Every content line ends up, whole, in a searchable field: the title and section
/// headings are paragraphs, problems keep all text below them, and whatever is no
/// problem is kept as a paragraph ([`unkept_lines`] checks this; the tests assert it
/// for every seed, fixture and generated notice). [`parse_checked`] adds that check
/// to the parse itself, for text whose shape is not known.
///
/// ```
/// let text = "中共某某县民政局党组关于巡察整改情况的通报\n\
///             一、整改落实情况\n\
///             1.关于“资金监管不严”问题的整改\n\
///             整改情况:已完成整改\n\
///             一是建立台账。二是约谈提醒。\n\
///             中共某某县民政局党组\n2024年3月1日";
/// let notice = zhenggai::parse::parse("a.txt", text);
/// assert_eq!(notice.agency.as_deref(), Some("中共某某县民政局党组"));
/// assert_eq!(notice.problems.len(), 1);
/// assert_eq!(notice.problems[0].title, "资金监管不严");
/// assert_eq!(notice.problems[0].measures.len(), 2);
/// ```
pub fn parse(file: &str, text: &str) -> Notice {
    parse_structure(file, text)
}

/// [`parse`], then every line [`unkept_lines`] finds not kept is added as a
/// paragraph of its own: a notice read wrongly loses no text to search. Costs about
/// one more pass over the text; the parse alone already keeps every line of every
/// layout the tests know.
pub fn parse_checked(file: &str, text: &str) -> Notice {
    let mut notice = parse_structure(file, text);
    if !notice.is_notice {
        // Every line is a paragraph already.
        return notice;
    }
    let lost = unkept_lines(text, &notice);
    if !lost.is_empty() {
        let mut wanted = lost.iter().copied().peekable();
        for (i, l) in split_lines(text).enumerate() {
            if wanted.next_if_eq(&(i + 1)).is_some() {
                notice.paragraphs.push(Paragraph {
                    text: lines::clean_line(l),
                    line: i + 1,
                    section: None,
                });
            }
        }
        notice.paragraphs.sort_by_key(|p| p.line);
    }
    notice
}

/// The structural parse behind [`parse`].
fn parse_structure(file: &str, text: &str) -> Notice {
    // Most lines need no cleaning and no folding: borrow them from `text`.
    // Sized once: growing it copies the lines of a large file several times.
    let mut lines: Vec<(usize, Cow<str>)> =
        Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    lines.extend(
        split_lines(text)
            .enumerate()
            .map(|(i, l)| (i + 1, lines::clean_line_cow(l)))
            .filter(|(_, l)| !l.is_empty()),
    );
    let raw: Vec<&str> = lines.iter().map(|(_, l)| l.as_ref()).collect();
    // A traditional-script copy is read through simplified characters; the text
    // kept stays as written. Checking the start of the file is enough to tell.
    let traditional = crate::text::is_traditional(crate::text::take_chars(text, 800));
    let norm: Vec<Cow<str>> = raw
        .iter()
        .map(|l| {
            if traditional {
                fold_parse(l)
            } else {
                fold_width_cow(l)
            }
        })
        .collect();

    let title = header::find_title(&raw);
    let mut notice = Notice {
        file: file.to_string(),
        title: title.as_ref().map(|(_, t)| t.clone()),
        ..Notice::default()
    };
    if let Some((i, t)) = &title {
        // The title is searchable text too.
        notice.paragraphs.push(Paragraph {
            text: t.clone(),
            line: lines[*i].0,
            section: None,
        });
    }
    let mut start = title.as_ref().map_or(0, |(i, _)| i + 1);
    // Web copies repeat the title, broken over several lines, under the page title.
    if let Some((_, t)) = &title {
        let mut acc = String::new();
        let mut k = start;
        while k < raw.len() && acc.len() < t.len() {
            acc.push_str(&squeeze_spaces(raw[k]));
            if !t.starts_with(&acc) {
                break;
            }
            k += 1;
            if acc == *t {
                start = k;
                break;
            }
        }
    }
    let head_text: String = norm[start.min(norm.len())..]
        .iter()
        .take(8)
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("\n");
    let title_norm = title
        .as_ref()
        .map(|(_, t)| fold_parse(t).into_owned())
        .unwrap_or_default();
    notice.is_notice = is_notice_title(&title_norm) || is_notice_intro(&head_text);
    if !notice.is_notice {
        notice.paragraphs = lines
            .iter()
            .zip(&norm)
            .filter(|(_, n)| !lines::is_noise(n))
            .map(|((line, text), _)| Paragraph {
                text: text.to_string(),
                line: *line,
                section: None,
            })
            .collect();
        if notice.title.is_none() {
            notice.title = lines.first().map(|(_, t)| squeeze_spaces(t));
        }
        return notice;
    }

    // Signature and date at the end.
    let header::Signature {
        signers,
        date: signed,
    } = header::find_signature(&norm);
    let mut excluded: Vec<usize> = signers.iter().map(|(i, _)| *i).collect();
    if let Some((i, _)) = &signed {
        excluded.push(*i);
    }
    let items = lines::classify_folded(
        lines
            .iter()
            .zip(&norm)
            .enumerate()
            .filter(|(i, (_, n))| *i >= start && !excluded.contains(i) && !lines::is_noise(n))
            .map(|(_, ((line, raw), n))| (*line, raw.as_ref(), n.as_ref())),
    );

    // Metadata (web copies) from the front matter and the body.
    let mut meta_date: Option<String> = None;
    for n in norm.iter().take(start) {
        if let Some(d) = meta_published(n) {
            meta_date.get_or_insert(d);
        }
    }
    for it in &items {
        if let ItemKind::Meta(k, v) = &it.kind {
            if let Some(d) = meta_published(&fold_width(&format!("{k}:{v}"))) {
                meta_date.get_or_insert(d);
            }
        }
    }

    // Names are read in the folded view; a traditional copy shows them as written.
    let title_folded = notice.title.as_deref().map(fold_parse);
    let agency = signers
        .first()
        .map(|(_, a)| a.clone())
        .or_else(|| title_folded.as_deref().and_then(header::agency_from_title));
    let title_written = notice.title.clone();
    let mut sources: Vec<&str> = signers.iter().map(|(i, _)| raw[*i]).collect();
    sources.extend(title_written.as_deref());
    notice.co_agencies = signers
        .iter()
        .skip(1)
        .map(|(_, a)| as_written(a, &sources, traditional))
        .collect();
    notice.published = signed
        .map(|(_, d)| d)
        .or(meta_date)
        .or_else(|| norm.iter().find_map(|l| labelled_published(l)));

    let sections = build_sections(&items);
    let intro: String = sections
        .first()
        .filter(|s| s.heading.is_none())
        .map(|s| {
            // Only what comes before the first heading: a closing paragraph after the
            // problems of a notice without sections is no introduction.
            let first_node = s.nodes.iter().map(|n| n.line).min().unwrap_or(usize::MAX);
            s.body
                .iter()
                .filter(|p| p.line < first_node)
                .map(|p| fold_parse(&p.text))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_else(|| {
            items
                .iter()
                .take(3)
                .filter_map(|i| match &i.kind {
                    ItemKind::Body(b) => Some(fold_parse(b)),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
    let all_text = norm.join("\n");
    notice.inspection = header::inspection(
        notice
            .title
            .as_deref()
            .map(|t| fold_parse(t).into_owned())
            .as_deref(),
        &intro,
        &all_text,
        notice.published.as_deref(),
    );

    extract_problems(&sections, &mut notice, traditional);

    let summary_text: String = notice
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    notice.summary = header::summary(&summary_text);

    // Neither title nor signature names it: the body does (…巡察组对X党组开展了巡察).
    let agency = agency.or_else(|| header::agency_from_body(&intro));
    let intro_written: Vec<&str> = sections
        .first()
        .filter(|s| s.heading.is_none())
        .map(|s| s.body.iter().map(|p| p.text.as_str()).collect())
        .unwrap_or_default();
    sources.extend(intro_written);
    for fact in [&mut notice.inspection.group, &mut notice.inspection.round] {
        if let Some(g) = fact.as_mut() {
            *g = as_written(g, &sources, traditional);
        }
    }
    if let Some(a) = agency {
        let short = header::agency_short(&a);
        let hint = notice.inspection.group.as_deref().and_then(|g| {
            if g.starts_with("县委") || g.starts_with("区委") || g.starts_with('县') {
                Some("县")
            } else if g.starts_with("省委") || g.starts_with("中央") {
                Some("省")
            } else {
                None
            }
        });
        // `县市场监督管理局党组`: the level word the name starts with.
        let own_level = match short.chars().next() {
            Some('县' | '区') => Some("县"),
            Some('市') => Some("市"),
            Some('省') => Some("省"),
            _ => None,
        };
        let (region, mut level) = header::region_level(&short, hint);
        if region.is_none() {
            // `市文化和旅游局党组`: no place name; the inspecting body's level tells.
            level = own_level
                .or(hint)
                .or_else(|| {
                    notice
                        .inspection
                        .group
                        .as_deref()
                        .filter(|g| g.starts_with("市委"))
                        .map(|_| "市")
                })
                .map(str::to_string);
        }
        let written = as_written(&a, &sources, traditional);
        notice.region = region.map(|r| same_slice(&a, &written, &r));
        notice.level = level;
        notice.agency_short = Some(same_slice(&a, &written, &short));
        notice.agency = Some(written);
    }
    notice
}

/// `folded` (read in the folded view) as one of `sources` writes it: a traditional
/// copy keeps its characters. Folding keeps byte offsets, so the same bytes of the
/// width-folded source are the text as written.
fn as_written(folded: &str, sources: &[&str], traditional: bool) -> String {
    if !traditional {
        return folded.to_string();
    }
    for s in sources {
        let w = squeeze_spaces(&fold_width(s));
        let f = fold_script(&w);
        if let Some(pos) = f.find(folded) {
            if let Some(t) = w.get(pos..pos + folded.len()) {
                return t.to_string();
            }
        }
    }
    folded.to_string()
}

/// The part of `written` at the place where `part` stands in `folded` (its folded
/// form, same byte layout).
fn same_slice(folded: &str, written: &str, part: &str) -> String {
    folded
        .find(part)
        .filter(|_| folded.len() == written.len())
        .and_then(|p| written.get(p..p + part.len()))
        .unwrap_or(part)
        .to_string()
}

/// `f` (a title cleaner) applied to the folded view of `raw`, its result given as
/// written: wrappers in traditional script (針對“…”問題) are read like simplified ones.
fn keep_written(traditional: bool, raw: &str, f: impl Fn(&str) -> String) -> String {
    if !traditional {
        return f(raw);
    }
    let folded = fold_script(raw);
    if let Cow::Borrowed(_) = folded {
        return f(raw);
    }
    let out = f(&folded);
    let w = squeeze_spaces(raw);
    let sq = fold_script(&w);
    match sq.find(&out) {
        Some(p) => w.get(p..p + out.len()).unwrap_or(&out).to_string(),
        None => out,
    }
}

/// The lines of `text` as [`str::lines`] gives them, found with memchr.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                // `\r\n` ends a line too; a lone `\r` at the very end stays.
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// A title that announces a rectification notice (not a regulation or a news item).
fn is_notice_title(title: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:巡察|巡视).*(?:整改|反馈).*(?:通报|报告|公告|公示|情况)$")
            .expect("static regex")
    });
    static NOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"办法|条例|规定|细则|会议|召开|推进会").expect("static regex")
    });
    RE.is_match(title) && !NOT.is_match(title)
}

/// An opening that announces the publication of rectification progress.
fn is_notice_intro(head: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:巡察|巡视)[^。]*(?:予以公布|予以公告|予以通报|通报如下|公布如下|现将[^。]*整改[^。]*(?:公布|通报|报告))")
            .expect("static regex")
    });
    RE.is_match(head)
}

/// A publication date behind a label anywhere on a line (`- 发布日期:…`,
/// `编辑:… 发表时间:…`, `发文日期:…`), or a bare date beside 来源
/// (`2024-05-06 10:23 来源:…`).
fn labelled_published(norm: &str) -> Option<String> {
    static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[\s\-*·•|])(?:发布时间|发布日期|发表时间|发文日期|成文日期|发稿时间|时间|日期)\s*:\s*(\d{4}[-/.年]\s*\d{1,2}[-/.月]\s*\d{1,2}[日号]?)|(\d{4}-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*来源|来源\s*:\s*\S+\s+(\d{4}-\d{1,2}-\d{1,2})")
            .expect("static regex")
    });
    // Only short lines that name a date or a source; a regex runs on few lines.
    if norm.len() > 300 {
        return None;
    }
    let b = norm.as_bytes();
    let named = ["时间", "日期", "来源"]
        .iter()
        .any(|w| memchr::memmem::find(b, w.as_bytes()).is_some());
    if !named {
        return None;
    }
    let c = LABELLED.captures(norm)?;
    let d = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?;
    dates::find_dates(d.as_str())
        .into_iter()
        .find_map(|d| d.year.map(|y| d.iso(y)))
}

fn meta_published(norm: &str) -> Option<String> {
    static META_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:发布时间|成文日期|发布日期|发文日期|发表时间|发稿时间|时间|日期)\s*:\s*(\d{4}[-/.年]\s*\d{1,2}[-/.月]\s*\d{1,2}[日号]?)").expect("static regex")
    });
    let c = META_DATE.captures(norm)?;
    dates::find_dates(c.get(1)?.as_str())
        .into_iter()
        .find_map(|d| d.year.map(|y| d.iso(y)))
}

/// What a top-level section is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    /// Text before the first `一、` heading.
    Intro,
    /// How the rectification was organised.
    Preamble,
    /// Plans, follow-up lists, leads handed over: no problems.
    Closing,
    /// Anything else: may hold problems.
    Body,
}

/// One event under a heading, in document order.
#[derive(Debug, Clone)]
enum Event {
    Body(Para),
    Status(Status, String),
    Deadline(Option<String>, Para),
    /// 责任单位 and similar lines: kept as paragraphs of the problem.
    Note(Para),
}

#[derive(Debug)]
struct Node {
    h: Heading,
    line: usize,
    depth: usize,
    parent: Option<usize>,
    children: Vec<usize>,
    events: Vec<Event>,
}

impl Node {
    fn has_status(&self) -> bool {
        self.events.iter().any(|e| matches!(e, Event::Status(..)))
    }
    fn has_body(&self) -> bool {
        self.events.iter().any(|e| matches!(e, Event::Body(_)))
    }
}

#[derive(Debug)]
struct Section {
    heading: Option<Heading>,
    /// 1-based line of the heading (0 for the intro).
    line: usize,
    kind: SectionKind,
    nodes: Vec<Node>,
    roots: Vec<usize>,
    body: Vec<Para>,
}

static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"政治站位|政治责任|政治担当|政治任务|组织整改|组织领导|思想认识|提高认识|高度重视|加强领导|扛起|扛牢|压实|整改工作开展情况|整改工作总体情况|总体情况|基本情况|工作开展情况")
        .expect("static regex")
});
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"下一步|持续巩固|持续深化|巩固.*成果|打算|工作安排|工作计划|长效机制|移交|问题线索|信访|进一步整改的事项|永远在路上|需要进一步")
        .expect("static regex")
});

fn section_kind(h: Option<&Heading>) -> SectionKind {
    match h {
        None => SectionKind::Intro,
        Some(h) => {
            let t = fold_parse(&h.title);
            if CLOSING.is_match(&t) {
                SectionKind::Closing
            } else if PREAMBLE.is_match(&t) && !t.contains("问题") {
                SectionKind::Preamble
            } else {
                SectionKind::Body
            }
        }
    }
}

fn build_sections(items: &[Item]) -> Vec<Section> {
    let mut sections: Vec<Section> = vec![Section {
        heading: None,
        line: 0,
        kind: SectionKind::Intro,
        nodes: Vec::new(),
        roots: Vec::new(),
        body: Vec::new(),
    }];
    let mut stack: Vec<usize> = Vec::new();
    let mut level_of: HashMap<Style, usize> = HashMap::new();
    let mut last_explicit_level: Option<usize> = None;
    // Steps below a problem in its own numbering style: (style, problem node, last number).
    let mut step: Option<(Style, usize, u32)> = None;
    for (k, it) in items.iter().enumerate() {
        let Some(sec) = sections.last_mut() else {
            break;
        };
        // An unnumbered problem sentence right before its status line, under a
        // category heading (or none): a problem without a number.
        if let ItemKind::Body(b) = &it.kind {
            let next_is_status = matches!(
                items.get(k + 1).map(|i| &i.kind),
                Some(ItemKind::Status { .. } | ItemKind::Label)
            );
            let top_implicit = stack
                .last()
                .is_some_and(|&t| sec.nodes[t].h.style == Style::Implicit);
            let under_category = stack.len() <= 1 || (top_implicit && stack.len() == 2);
            if next_is_status
                && under_category
                && sec.kind != SectionKind::Preamble
                && sec.kind != SectionKind::Closing
                && is_problem_sentence(b)
            {
                if top_implicit {
                    stack.pop();
                }
                let title = b.trim().trim_end_matches('。').to_string();
                let h = Heading {
                    style: Style::Implicit,
                    n: 0,
                    label: None,
                    title,
                    rest: None,
                    explicit: true,
                    inline_measures: false,
                    text: b.trim().to_string(),
                    closed: true,
                };
                push_node(sec, &mut stack, &h, it.line);
                continue;
            }
        }
        match &it.kind {
            ItemKind::Heading(h) if h.style == Style::CnComma => {
                let mut body = Vec::new();
                if let Some(rest) = &h.rest {
                    body.push(Para {
                        text: rest.clone(),
                        line: it.line,
                    });
                }
                sections.push(Section {
                    heading: Some(h.clone()),
                    line: it.line,
                    kind: section_kind(Some(h)),
                    nodes: Vec::new(),
                    roots: Vec::new(),
                    body,
                });
                stack.clear();
                level_of.clear();
                last_explicit_level = None;
                step = None;
            }
            ItemKind::Heading(h) => {
                // Steps numbered in the same style as the problem above them
                // (`1.存在问题:…` then `1.…` `2.…`): they stay below it while they count on.
                if let Some((style, parent, last)) = step {
                    if h.style == style && !h.explicit && h.n == last + 1 {
                        let depth = sec.nodes[parent].depth + 1;
                        stack.truncate(depth);
                        push_node(sec, &mut stack, h, it.line);
                        step = Some((style, parent, h.n));
                        continue;
                    }
                    step = None;
                }
                if h.n == 1 && !h.explicit && !h.inline_measures {
                    let prev = level_of
                        .get(&h.style)
                        .and_then(|&l| stack.get(l))
                        .copied()
                        .filter(|&p| {
                            let n = &sec.nodes[p];
                            n.h.style == h.style && marked(&n.h) && n.children.is_empty()
                        });
                    if let Some(p) = prev {
                        stack.truncate(sec.nodes[p].depth + 1);
                        push_node(sec, &mut stack, h, it.line);
                        step = Some((h.style, p, 1));
                        continue;
                    }
                }
                let level = if h.style == Style::Zhendui && last_explicit_level.is_some() {
                    last_explicit_level.unwrap_or(0)
                } else {
                    match level_of.get(&h.style) {
                        Some(&l) if l <= stack.len() => l,
                        Some(_) => stack.len(),
                        // A new style of problem heading after problems of another
                        // style (`2.存在问题:…` then `问题3:`) stands at their level.
                        None => {
                            let l = match last_explicit_level {
                                Some(l) if h.explicit && l <= stack.len() => l,
                                _ => stack.len(),
                            };
                            level_of.insert(h.style, l);
                            l
                        }
                    }
                };
                stack.truncate(level);
                if h.explicit {
                    last_explicit_level = Some(level);
                }
                push_node(sec, &mut stack, h, it.line);
            }
            ItemKind::Trailer(t) => {
                stack.clear();
                sec.body.push(Para {
                    text: t.clone(),
                    line: it.line,
                });
            }
            other => {
                let ev = match other {
                    ItemKind::Body(b) => Event::Body(Para {
                        text: b.clone(),
                        line: it.line,
                    }),
                    ItemKind::Status { status, text } => Event::Status(*status, text.clone()),
                    ItemKind::Note(t) => Event::Note(Para {
                        text: t.clone(),
                        line: it.line,
                    }),
                    ItemKind::Deadline { value, text } => Event::Deadline(
                        value.clone(),
                        Para {
                            text: text.clone(),
                            line: it.line,
                        },
                    ),
                    _ => continue,
                };
                // A status, deadline or note below the steps of a problem is the
                // problem's: it goes to the nearest heading marked as a problem.
                let target = match (&ev, stack.last()) {
                    (Event::Body(_), top) | (_, top @ None) => top.copied(),
                    (_, Some(&top)) if marked(&sec.nodes[top].h) => Some(top),
                    // One level up only: a step's parent.
                    (_, Some(&top)) => Some(
                        sec.nodes[top]
                            .parent
                            .filter(|&p| marked(&sec.nodes[p].h))
                            .unwrap_or(top),
                    ),
                };
                match target {
                    Some(top) => sec.nodes[top].events.push(ev),
                    // Outside any heading every piece is kept as a paragraph.
                    None => sec.body.push(match ev {
                        Event::Body(p) | Event::Deadline(_, p) | Event::Note(p) => p,
                        Event::Status(_, t) => Para {
                            text: t,
                            line: it.line,
                        },
                    }),
                }
            }
        }
    }
    sections
}

/// Whether a heading says it is a problem (`问题1:`, `针对“…”问题`, `存在问题:…`) or
/// carries its measures on its line.
fn marked(h: &Heading) -> bool {
    h.explicit || h.inline_measures
}

/// Adds a heading node below the top of `stack` and makes it the top.
fn push_node(sec: &mut Section, stack: &mut Vec<usize>, h: &Heading, line: usize) {
    let id = sec.nodes.len();
    let parent = stack.last().copied();
    sec.nodes.push(Node {
        h: h.clone(),
        line,
        depth: stack.len(),
        parent,
        children: Vec::new(),
        events: Vec::new(),
    });
    match parent {
        Some(p) => sec.nodes[p].children.push(id),
        None => sec.roots.push(id),
    }
    stack.push(id);
}

/// A top-level section heading that names a group of problems (`关于…方面`,
/// `聚焦…`, `在“…”方面存在的问题`) rather than the notice's parts.
fn is_category_section(title: &str) -> bool {
    let t = fold_parse(title);
    t.starts_with("关于")
        || t.starts_with("聚焦")
        || t.starts_with("在")
        || t.contains("方面")
        // `一、党的领导弱化问题`, not `二、巡察反馈问题整改落实情况`.
        || (t.trim_end_matches('。').ends_with("问题") && !t.contains("整改"))
}

/// A body line that reads as a problem statement: one short sentence, not a measure.
fn is_problem_sentence(b: &str) -> bool {
    let t = b.trim().trim_end_matches('。');
    let n = t.chars().count();
    (4..=80).contains(&n) && !t.contains('。') && !t.contains("一是") && !t.ends_with([':', '：'])
}

/// Removes wrapper words around a problem title: `针对“X”问题的整改情况` → `X`,
/// `关于“X”问题的整改` → `X`, a status in brackets at the end, the final 。.
fn clean_problem_title(t: &str) -> String {
    static WRAPPED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?:针对|关于)\s*[“"「『](.+?)[”"」』]\s*(?:等|方面)?\s*(?:的)?问题(?:的?整改(?:情况|落实情况|措施)?)?\s*[。:：]?$"#)
            .expect("static regex")
    });
    static UNQUOTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:针对|关于)(.+?)(?:的|等)?问题(?:的?整改(?:情况|落实情况|措施)?)?\s*[。:：]?$",
        )
        .expect("static regex")
    });
    static STATUS_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\(（【\[](?:已完成整改|已完成|已整改|基本完成|阶段性完成|正在整改|整改中|持续整改|长期坚持|持续推进|常态化推进)[\)）】\]]$").expect("static regex")
    });
    let t = squeeze_spaces(t);
    // Each regex needs a closing bracket at the end or 针对/关于 at the start.
    let t = if t.ends_with([')', '）', '】', ']']) {
        STATUS_SUFFIX.replace(&t, "").to_string()
    } else {
        t
    };
    let t = t.trim_end_matches(['。', ':', '：']).to_string();
    // `存在问题:X`: the label goes.
    let t = match lines::problem_prefix_len(&fold_width_cow(&t)) {
        Some(k) if fold_width_cow(&t).len() == t.len() => t[k..].trim().to_string(),
        Some(k) => {
            let chars = fold_width_cow(&t)[..k].chars().count();
            t.chars().skip(chars).collect::<String>().trim().to_string()
        }
        None => t,
    };
    if !(t.starts_with("针对") || t.starts_with("关于")) {
        return t;
    }
    if let Some(c) = WRAPPED.captures(&t) {
        if let Some(m) = c.get(1) {
            return m.as_str().to_string();
        }
    }
    if let Some(c) = UNQUOTED.captures(&t) {
        if let Some(m) = c.get(1) {
            return m.as_str().trim().to_string();
        }
    }
    t
}

/// The long-term phrase of a deadline piece (`整改时限:长期坚持` → `长期坚持`).
fn long_term(deadline_text: &str) -> Option<(Status, String)> {
    let value = deadline_text
        .split_once([':', '：'])
        .map_or(deadline_text, |(_, v)| v)
        .trim()
        .trim_end_matches('。');
    let long = ["长期", "常态", "持续"]
        .iter()
        .any(|w| value.starts_with(w));
    (long && value.chars().count() <= 8).then(|| (Status::InProgress, value.to_string()))
}

/// A status in brackets at the end of a heading: `（已完成）`.
fn suffix_status(title: &str) -> Option<(Status, String)> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\(（【\[](已完成整改|已完成|已整改|基本完成|阶段性完成|正在整改|整改中|持续整改|长期坚持|持续推进|常态化推进)[\)）】\]]\s*[。]?$")
            .expect("static regex")
    });
    let title = title.trim();
    // The regex needs a closing bracket, maybe followed by spaces and 。, at the end.
    if !title.ends_with([')', '）', '】', ']', '。']) {
        return None;
    }
    // 【階段性完成】 reads like simplified.
    let title = &*fold_script(title);
    let c = RE.captures(title)?;
    let phrase = c.get(1)?.as_str();
    Some((lines::status_of(phrase), phrase.to_string()))
}

/// Item titles: `关于“X”方面` → `X`, `关于X的问题` → `X`.
fn clean_item_title(t: &str) -> String {
    let t = squeeze_spaces(t);
    let mut t = t.trim_end_matches('。').to_string();
    if let Some(x) = t.strip_prefix("关于") {
        t = x.to_string();
        for suffix in ["方面的问题", "方面", "的问题", "问题"] {
            if let Some(x) = t.strip_suffix(suffix) {
                t = x.to_string();
                break;
            }
        }
        let quoted = (t.starts_with('“') && t.ends_with('”'))
            || (t.starts_with('"') && t.ends_with('"') && t.len() > 2);
        if quoted {
            let inner: String = {
                let mut cs = t.chars();
                cs.next();
                cs.next_back();
                cs.collect()
            };
            if !inner.contains(['“', '”', '"']) {
                t = inner;
            }
        }
    }
    t
}

fn clean_category_title(t: &str) -> String {
    let t = squeeze_spaces(t);
    let t = t.trim_end_matches('。');
    let norm = fold_parse(t);
    for prefix in ["反馈问题:", "问题类别:", "问题:"] {
        if norm.starts_with(prefix) {
            let k = prefix.chars().count();
            return t.chars().skip(k).collect::<String>().trim().to_string();
        }
    }
    t.to_string()
}

/// Whether a node reads as a numbered measure paragraph (a point under a problem).
fn is_point(n: &Node) -> bool {
    n.children.is_empty()
        && !n.h.explicit
        && !n.has_status()
        && (n.h.rest.is_some() || n.h.title.chars().count() > 40)
}

fn extract_problems(sections: &[Section], notice: &mut Notice, traditional: bool) {
    let mut deadlines: Vec<(String, String)> = Vec::new();
    let mut category_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut item_of: HashMap<(usize, usize), usize> = HashMap::new();
    for (si, sec) in sections.iter().enumerate() {
        let section_title = sec.heading.as_ref().map(|h| squeeze_spaces(&h.title));
        let category_section = sec
            .heading
            .as_ref()
            .is_some_and(|h| is_category_section(&h.title));
        // The section heading itself is searchable text.
        if let Some(h) = &sec.heading {
            if !h.title.trim().is_empty() {
                notice.paragraphs.push(Paragraph {
                    text: h.title.trim().to_string(),
                    line: sec.line,
                    section: None,
                });
            }
        }
        let mut used = vec![false; sec.nodes.len()];
        let explicit: Vec<bool> = sec
            .nodes
            .iter()
            .map(|n| {
                n.h.explicit
                    || n.has_status()
                    || suffix_status(&n.h.title).is_some()
                    || (n.h.inline_measures && sec.kind != SectionKind::Preamble)
            })
            .collect();
        let mut problems: Vec<usize> = Vec::new();
        let mut point_parents = false;
        if sec.kind == SectionKind::Closing {
            // Deadlines stated for problems in a follow-up list.
            for n in &sec.nodes {
                for e in &n.events {
                    if let Event::Deadline(Some(d), _) = e {
                        deadlines.push((
                            keep_written(traditional, &n.h.title, clean_item_title),
                            d.clone(),
                        ));
                    }
                }
            }
        } else if explicit.iter().any(|&e| e) {
            // Explicit problems: the deepest nodes marked as problems.
            let has_explicit_desc = |id: usize| -> bool {
                let mut todo = sec.nodes[id].children.clone();
                while let Some(c) = todo.pop() {
                    if explicit[c] {
                        return true;
                    }
                    todo.extend(sec.nodes[c].children.iter().copied());
                }
                false
            };
            let is_problem = |i: usize| explicit[i] && !has_explicit_desc(i);
            // A sibling of problems, numbered in their style, that has text of its
            // own but no marker (or lost its status line to OCR) is a problem too.
            let sibling_of_problem = |i: usize| {
                let n = &sec.nodes[i];
                let has_text = n.has_body() || n.h.rest.is_some();
                if !n.children.is_empty() || !has_text || n.h.style == Style::Zhendui {
                    return false;
                }
                let siblings: &[usize] = match n.parent {
                    Some(p) => &sec.nodes[p].children,
                    None => &sec.roots,
                };
                siblings
                    .iter()
                    .any(|&s| s != i && sec.nodes[s].h.style == n.h.style && is_problem(s))
            };
            problems = (0..sec.nodes.len())
                .filter(|&i| is_problem(i) || sibling_of_problem(i))
                .collect();
        } else if sec.kind == SectionKind::Body {
            // Without markers: headings whose children are numbered measure paragraphs
            // are problems, and so are their siblings that carry text of their own.
            let parents: Vec<usize> = (0..sec.nodes.len())
                .filter(|&i| {
                    let n = &sec.nodes[i];
                    !n.children.is_empty() && n.children.iter().all(|&c| is_point(&sec.nodes[c]))
                })
                .collect();
            if !parents.is_empty() && parents.iter().all(|&p| sec.nodes[p].depth >= 1) {
                let depths: Vec<usize> = parents.iter().map(|&p| sec.nodes[p].depth).collect();
                problems = (0..sec.nodes.len())
                    .filter(|&i| {
                        let n = &sec.nodes[i];
                        parents.contains(&i)
                            || (n.children.is_empty()
                                && depths.contains(&n.depth)
                                && (n.has_body() || n.h.rest.is_some()))
                    })
                    .collect();
                point_parents = true;
            } else {
                // Problems sit below a category, or right under a section that is one.
                let min_depth = match &sec.heading {
                    Some(_) if category_section => 0,
                    // `1.X。整改措施…` right under the section: problems too, when no
                    // heading of the section groups others.
                    Some(_) if sec.nodes.iter().all(|n| n.children.is_empty()) => 0,
                    _ => 1,
                };
                problems = (0..sec.nodes.len())
                    .filter(|&i| {
                        let n = &sec.nodes[i];
                        n.children.is_empty() && n.has_body() && n.depth >= min_depth
                    })
                    .collect();
            }
        }
        let max_depth = problems
            .iter()
            .map(|&p| sec.nodes[p].depth)
            .max()
            .unwrap_or(0);
        let mut built: Vec<Problem> = Vec::new();
        let mut statuses: Vec<Vec<(Status, String)>> = Vec::new();
        for &pid in &problems {
            let node = &sec.nodes[pid];
            used[pid] = true;
            let mut events: &[Event] = &node.events;
            let mut title = node.h.title.clone();
            let mut rest = node.h.rest.clone();
            // `问题3:` alone on its line: the title is the next line.
            if title.trim().is_empty() && rest.is_none() {
                if let [Event::Body(p), ..] = events {
                    title = p.text.trim().to_string();
                    events = &events[1..];
                }
            }
            // A title broken across lines continues in a short first line before the status.
            if !node.h.closed && rest.is_none() {
                if let [Event::Body(p), Event::Status(..), ..] = events {
                    if p.text.chars().count() <= 40 && p.text.trim_end().ends_with('。') {
                        title.push_str(p.text.trim());
                        events = &events[1..];
                    }
                }
            }
            // A two-sentence problem statement directly followed by its status.
            if let (Some(r), [Event::Status(..), ..]) = (&rest, events) {
                if r.chars().count() <= 60 && !r.contains("一是") {
                    title = format!("{title}。{r}");
                    rest = None;
                }
            }
            let mut paras: Vec<Para> = Vec::new();
            if let Some(r) = &rest {
                paras.push(Para {
                    text: r.clone(),
                    line: node.line,
                });
            }
            let mut st: Vec<(Status, String)> = Vec::new();
            let mut deadline = None;
            for e in events {
                match e {
                    Event::Body(p) => paras.push(p.clone()),
                    Event::Status(s, t) => st.push((*s, t.clone())),
                    Event::Deadline(d, _) => deadline = deadline.or(d.clone()),
                    Event::Note(_) => {}
                }
            }
            // Headings below a problem (enumerations in its 整改情况, numbered steps,
            // groups of steps) belong to it: each lowest one, with its text, is one
            // measure; the headings that group them are kept as its paragraphs.
            let mut sub_measures: Vec<Measure> = Vec::new();
            let mut sub_heads: Vec<Para> = Vec::new();
            if !point_parents {
                let mut todo: Vec<usize> = node.children.iter().rev().copied().collect();
                while let Some(c) = todo.pop() {
                    let child = &sec.nodes[c];
                    let mut text = child.h.text.trim().to_string();
                    let mut extra: Vec<Para> = Vec::new();
                    for e in &child.events {
                        match e {
                            Event::Body(p) if child.children.is_empty() => {
                                text.push_str(p.text.trim())
                            }
                            Event::Body(p) => extra.push(p.clone()),
                            Event::Status(s, t) if st.is_empty() => st.push((*s, t.clone())),
                            Event::Status(_, t) => extra.push(Para {
                                text: t.clone(),
                                line: child.line,
                            }),
                            Event::Deadline(d, _) => deadline = deadline.or(d.clone()),
                            Event::Note(_) => {}
                        }
                    }
                    if child.children.is_empty() {
                        if !text.is_empty() {
                            sub_measures.push(Measure {
                                text,
                                line: child.line,
                            });
                        }
                    } else {
                        sub_heads.push(Para {
                            text,
                            line: child.line,
                        });
                    }
                    sub_heads.extend(extra);
                    todo.extend(child.children.iter().rev().copied());
                }
            }
            let mut measures: Vec<Measure> = Vec::new();
            if point_parents && !node.children.is_empty() {
                for &c in &node.children {
                    used[c] = true;
                    let child = &sec.nodes[c];
                    let mut text = child.h.text.trim().to_string();
                    for e in &child.events {
                        if let Event::Body(p) = e {
                            text.push_str(p.text.trim());
                        }
                    }
                    measures.push(Measure {
                        text,
                        line: child.line,
                    });
                }
                // Text directly under the problem heading counts as one more measure.
                measures.extend(measures::join_broken(&paras).into_iter().map(|p| Measure {
                    text: p.text,
                    line: p.line,
                }));
            } else {
                let joined = measures::join_broken(&paras);
                let (m, lead) = measures::split(&joined);
                measures = m;
                // Points after a measure that announces them (`…整改情况如下:`) are
                // numbering nested inside that measure, not measures of their own.
                match measures.last_mut() {
                    Some(last)
                        if !sub_measures.is_empty()
                            && last.text.trim_end().ends_with([':', '：']) =>
                    {
                        for sm in sub_measures {
                            last.text.push_str(&sm.text);
                        }
                    }
                    _ => measures.extend(sub_measures),
                }
                for p in lead.into_iter().chain(sub_heads) {
                    notice.paragraphs.push(Paragraph {
                        text: p.text,
                        line: p.line,
                        section: Some(keep_written(traditional, &title, clean_problem_title)),
                    });
                }
            }
            // Descendants of a problem belong to it.
            let mut todo = node.children.clone();
            while let Some(c) = todo.pop() {
                used[c] = true;
                todo.extend(sec.nodes[c].children.iter().copied());
            }
            // Category and item from the ancestors.
            let ancestors = {
                let mut v = Vec::new();
                let mut p = node.parent;
                while let Some(a) = p {
                    v.push(a);
                    p = sec.nodes[a].parent;
                }
                v.reverse();
                v
            };
            let mut category = None;
            let mut item = None;
            if node.depth >= 1 {
                if let Some(&cat) = ancestors.first() {
                    let ci = *category_of.entry((si, cat)).or_insert_with(|| {
                        notice.categories.push(Category {
                            title: keep_written(
                                traditional,
                                &sec.nodes[cat].h.title,
                                clean_category_title,
                            ),
                            items: Vec::new(),
                        });
                        notice.categories.len() - 1
                    });
                    category = Some(ci);
                    let item_node = if node.depth >= 2 {
                        ancestors.get(1).copied()
                    } else if max_depth >= 2 {
                        Some(pid)
                    } else {
                        None
                    };
                    if let Some(inode) = item_node {
                        let ii = *item_of.entry((si, inode)).or_insert_with(|| {
                            let items = &mut notice.categories[ci].items;
                            items.push(keep_written(
                                traditional,
                                &sec.nodes[inode].h.title,
                                clean_item_title,
                            ));
                            items.len() - 1
                        });
                        item = Some(ii);
                    }
                }
            } else if let Some(h) = sec.heading.as_ref().filter(|_| category_section) {
                // `一、关于…方面问题的整改情况`: the section itself is the category of
                // the problems right under it.
                let ci = *category_of.entry((si, usize::MAX)).or_insert_with(|| {
                    notice.categories.push(Category {
                        title: keep_written(traditional, &h.title, clean_category_title),
                        items: Vec::new(),
                    });
                    notice.categories.len() - 1
                });
                category = Some(ci);
            }
            if st.is_empty() {
                // `1.资金监管不严（已完成）`: a status printed in the heading itself.
                st.extend(suffix_status(&title));
            }
            if st.is_empty() {
                // `整改时限:长期坚持`: a long-term item has no end date; it counts as in
                // progress, with the phrase as its status text.
                st.extend(node.events.iter().find_map(|e| match e {
                    Event::Deadline(None, p) => long_term(&p.text),
                    _ => None,
                }));
            }
            statuses.push(st);
            built.push(Problem {
                n: 0,
                label: node.h.label.clone(),
                category,
                item,
                title: keep_written(traditional, &title, clean_problem_title),
                status: Status::Unspecified,
                status_text: None,
                deadline,
                measures,
                line: node.line,
            });
        }
        // A status printed after the next heading (OCR) goes back to the problem without one.
        for i in 0..statuses.len() {
            while statuses[i].len() > 1 {
                let Some(j) = (0..i).rev().take_while(|&j| statuses[j].is_empty()).last() else {
                    break;
                };
                let s = statuses[i].remove(0);
                statuses[j].push(s);
            }
        }
        for (p, st) in built.iter_mut().zip(&statuses) {
            if let Some((s, t)) = st.first() {
                p.status = *s;
                p.status_text = Some(t.clone());
            }
        }
        notice.problems.extend(built);
        // Everything else in the section is kept as paragraphs.
        for p in &sec.body {
            notice.paragraphs.push(Paragraph {
                text: p.text.clone(),
                line: p.line,
                section: section_title.clone(),
            });
        }
        for (i, n) in sec.nodes.iter().enumerate() {
            // Deadline lines stay searchable as written, wherever they stand.
            for e in &n.events {
                if let Event::Deadline(_, p) | Event::Note(p) = e {
                    notice.paragraphs.push(Paragraph {
                        text: p.text.clone(),
                        line: p.line,
                        section: Some(squeeze_spaces(&n.h.title)),
                    });
                }
            }
            if used[i] {
                continue;
            }
            // A heading that is no problem is kept whole (its first sentence and the rest).
            let text = n.h.text.trim();
            if !text.is_empty() {
                notice.paragraphs.push(Paragraph {
                    text: text.to_string(),
                    line: n.line,
                    section: section_title.clone(),
                });
            }
            for e in &n.events {
                let p = match e {
                    Event::Body(p) => p.clone(),
                    Event::Status(_, t) => Para {
                        text: t.clone(),
                        line: n.line,
                    },
                    Event::Deadline(..) | Event::Note(_) => continue,
                };
                notice.paragraphs.push(Paragraph {
                    text: p.text,
                    line: p.line,
                    section: Some(squeeze_spaces(&n.h.title)),
                });
            }
        }
    }
    for (i, p) in notice.problems.iter_mut().enumerate() {
        p.n = i + 1;
    }
    assign_deadlines(&mut notice.problems, &deadlines);
    notice.paragraphs.sort_by_key(|p| p.line);
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let cs: Vec<char> = s.chars().filter(|c| crate::text::is_han(*c)).collect();
    let mut v: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Matches deadlines listed in a follow-up section to problems by title similarity.
fn assign_deadlines(problems: &mut [Problem], deadlines: &[(String, String)]) {
    if deadlines.is_empty() {
        return;
    }
    // Titles do not change here: their bigrams are computed once.
    let titles: Vec<Vec<(char, char)>> = problems.iter().map(|p| bigrams(&p.title)).collect();
    for (title, d) in deadlines {
        let a = bigrams(title);
        if a.is_empty() {
            continue;
        }
        let mut best: Option<(f64, usize)> = None;
        for (i, b) in titles.iter().enumerate() {
            if b.is_empty() {
                continue;
            }
            let common = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            let score = common as f64 / a.len().min(b.len()) as f64;
            if score >= 0.4 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        if let Some((_, i)) = best {
            if problems[i].deadline.is_none() {
                problems[i].deadline = Some(d.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_str_lines() {
        for t in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\n",
            "a\r",
            "\r\n\r\n",
            "a\n\nb\r\nc\r",
            "甲\r乙\n丙",
        ] {
            assert_eq!(
                split_lines(t).collect::<Vec<_>>(),
                t.lines().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn titles_lose_their_wrappers() {
        assert_eq!(
            clean_problem_title("针对“政治站位不够高，整改责任扛得不牢”问题的整改情况"),
            "政治站位不够高，整改责任扛得不牢"
        );
        assert_eq!(
            clean_problem_title("关于“资金监管不严”问题的整改"),
            "资金监管不严"
        );
        assert_eq!(
            clean_problem_title("针对利用社会资本办医力度不够"),
            "针对利用社会资本办医力度不够"
        );
        assert_eq!(
            clean_item_title("关于“既定工作目标落实不够到位”方面"),
            "既定工作目标落实不够到位"
        );
        assert_eq!(
            clean_item_title("关于红十字会发挥人道领域作用不充"),
            "红十字会发挥人道领域作用不充"
        );
        assert_eq!(
            clean_category_title("反馈问题:落实上轮巡察反馈问题整改不够到位"),
            "落实上轮巡察反馈问题整改不够到位"
        );
    }
}
