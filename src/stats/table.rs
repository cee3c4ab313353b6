//! The stats report as aligned text tables for a terminal. Chinese characters are
//! two columns wide ([`unicode_width`]), so columns are padded by display width,
//! not by characters.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::{By, Stats, StatusCounts};
use crate::notice::Status;

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// Renders rows under a header, each column as wide as its widest cell (in display
/// columns), two spaces between columns, a rule under the header.
pub fn render(header: &[&str], align: &[Align], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.width());
            }
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, c) in cells.enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(w.saturating_sub(c.width()));
            if i > 0 {
                s.push_str("  ");
            }
            match align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => {
                    s.push_str(c);
                    s.push_str(&pad);
                }
                Align::Right => {
                    s.push_str(&pad);
                    s.push_str(c);
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut out, &mut header.iter().copied());
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push_str(&"─".repeat(total));
    out.push('\n');
    for r in rows {
        line(&mut out, &mut r.iter().map(String::as_str));
    }
    out
}

/// Cuts `s` to at most `max` display columns, with `…` where it was cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

fn status_header() -> Vec<&'static str> {
    Status::ALL.iter().map(|s| s.label()).collect()
}

fn status_cells(s: &StatusCounts) -> Vec<String> {
    s.iter().map(|(_, n)| n.to_string()).collect()
}

fn headed(title: &str, body: String) -> String {
    format!("{title}\n{body}")
}

/// The report for one grouping as text.
pub fn report(stats: &Stats, by: By) -> String {
    let mut out = String::new();
    let t = &stats.totals;
    let _ = writeln!(
        out,
        "共 {} 份通报，{} 个问题，{} 条措施，{} 个其他段落；未完成 {} 个，未到期时限 {} 个，已逾期 {} 个（截至 {}）\n({} notices, {} problems, {} measures, {} paragraphs; {} unfinished, {} open deadlines, {} overdue, as of {})",
        t.notices, t.problems, t.measures, t.paragraphs, t.status.unfinished(),
        t.open_deadlines - t.overdue, t.overdue, stats.today,
        t.notices, t.problems, t.measures, t.paragraphs, t.status.unfinished(),
        t.open_deadlines - t.overdue, t.overdue, stats.today,
    );
    if t.other_files > 0 {
        let _ = writeln!(
            out,
            "另有 {} 个非通报文件（只有段落，不计入下表）({} other files, paragraphs only, not in the tables)",
            t.other_files, t.other_files
        );
    }
    out.push('\n');
    let mut status_cols = status_header();
    match by {
        By::Notice => {
            let mut header = vec!["机构 agency", "日期 date", "问题", "措施"];
            header.append(&mut status_cols);
            header.extend(["逾期", "来源 source"]);
            let mut align = vec![Align::Left, Align::Left];
            align.extend(std::iter::repeat_n(Align::Right, header.len() - 3));
            align.push(Align::Left);
            let rows: Vec<Vec<String>> = stats
                .notices
                .iter()
                .map(|n| {
                    let mut r = vec![
                        clip(&n.agency_short, 24),
                        n.published.clone(),
                        n.problems.to_string(),
                        n.measures.to_string(),
                    ];
                    r.extend(status_cells(&n.status));
                    r.push(n.overdue.to_string());
                    r.push(n.source.clone());
                    r
                })
                .collect();
            out.push_str(&headed(
                "按通报 (by notice; 问题与措施为解析所得 / parsed counts)",
                render(&header, &align, &rows),
            ));
            let figures: Vec<Vec<String>> = stats
                .notices
                .iter()
                .flat_map(|n| {
                    n.figures.iter().map(move |f| {
                        vec![
                            clip(&n.agency_short, 24),
                            f.label.to_string(),
                            f.stated.to_string(),
                            f.parsed.map_or("—".into(), |p| p.to_string()),
                            match f.agrees {
                                Some(true) => "一致".into(),
                                Some(false) => "⚠ 不符 (differs)".into(),
                                None => "无可比 (not counted)".into(),
                            },
                        ]
                    })
                })
                .collect();
            if !figures.is_empty() {
                out.push('\n');
                out.push_str(&headed(
                    "通报自述数字与解析结果 (figures stated by each notice vs parsed)",
                    render(
                        &[
                            "机构 agency",
                            "项目 figure",
                            "通报 stated",
                            "解析 parsed",
                            "核对 check",
                        ],
                        &[
                            Align::Left,
                            Align::Left,
                            Align::Right,
                            Align::Right,
                            Align::Left,
                        ],
                        &figures,
                    ),
                ));
            }
            for n in &stats.notices {
                if let Some(why) = &n.figures_unavailable {
                    let _ = writeln!(
                        out,
                        "自述数字无法核对 (stated figures not checked): {}: {why}",
                        n.agency_short
                    );
                }
            }
            deadlines(&mut out, stats);
        }
        By::Agency => {
            let mut header = vec!["机构 agency", "通报", "问题", "措施"];
            header.append(&mut status_cols);
            header.extend(["时限未到", "逾期", "数字不符"]);
            let mut align = vec![Align::Left];
            align.extend(std::iter::repeat_n(Align::Right, header.len() - 1));
            let rows: Vec<Vec<String>> = stats
                .agencies
                .iter()
                .map(|a| {
                    let mut r = vec![
                        clip(&a.agency_short, 24),
                        a.notices.to_string(),
                        a.problems.to_string(),
                        a.measures.to_string(),
                    ];
                    r.extend(status_cells(&a.status));
                    r.extend([
                        (a.open_deadlines - a.overdue).to_string(),
                        a.overdue.to_string(),
                        a.disagreements.to_string(),
                    ]);
                    r
                })
                .collect();
            out.push_str(&headed(
                "按机构 (by agency)",
                render(&header, &align, &rows),
            ));
            deadlines(&mut out, stats);
        }
        By::Category => {
            let mut header = vec!["类别 category", "问题", "未完成", "措施"];
            header.append(&mut status_cols);
            let mut align = vec![Align::Left];
            align.extend(std::iter::repeat_n(Align::Right, header.len() - 1));
            let rows: Vec<Vec<String>> = stats
                .categories
                .iter()
                .map(|c| {
                    let name = if c.category.is_empty() {
                        "（无类别 none）".to_string()
                    } else {
                        clip(&c.category, 40)
                    };
                    let mut r = vec![
                        name,
                        c.problems.to_string(),
                        c.unfinished.to_string(),
                        c.measures.to_string(),
                    ];
                    r.extend(status_cells(&c.status));
                    r
                })
                .collect();
            out.push_str(&headed(
                "按类别，未完成多的在前 (by category, most unfinished first; 未完成 = 基本完成+阶段性完成+正在整改)",
                render(&header, &align, &rows),
            ));
        }
        By::Status => {
            let rows: Vec<Vec<String>> = stats
                .statuses
                .iter()
                .map(|s| {
                    vec![
                        s.label.to_string(),
                        s.status.as_str().to_string(),
                        s.problems.to_string(),
                        s.measures.to_string(),
                    ]
                })
                .collect();
            out.push_str(&headed(
                "按整改状态 (by status)",
                render(
                    &["状态", "status", "问题 problems", "措施 measures"],
                    &[Align::Left, Align::Left, Align::Right, Align::Right],
                    &rows,
                ),
            ));
        }
        By::Year => {
            let mut header = vec!["年份 year", "通报", "问题", "措施"];
            header.append(&mut status_cols);
            let mut align = vec![Align::Left];
            align.extend(std::iter::repeat_n(Align::Right, header.len() - 1));
            let rows: Vec<Vec<String>> = stats
                .years
                .iter()
                .map(|y| {
                    let mut r = vec![
                        if y.year.is_empty() {
                            "未知".into()
                        } else {
                            y.year.clone()
                        },
                        y.notices.to_string(),
                        y.problems.to_string(),
                        y.measures.to_string(),
                    ];
                    r.extend(status_cells(&y.status));
                    r
                })
                .collect();
            out.push_str(&headed("按年份 (by year)", render(&header, &align, &rows)));
        }
    }
    out
}

fn deadlines(out: &mut String, stats: &Stats) {
    if stats.deadlines.is_empty() {
        return;
    }
    let rows: Vec<Vec<String>> = stats
        .deadlines
        .iter()
        .map(|d| {
            vec![
                d.deadline.clone(),
                if d.overdue {
                    "⚠ 已逾期 overdue".into()
                } else {
                    "未到期".into()
                },
                d.status.label().to_string(),
                clip(&d.agency_short, 20),
                clip(&d.problem, 40),
            ]
        })
        .collect();
    out.push('\n');
    out.push_str(&headed(
        &format!(
            "未完成事项的完成时限，逾期的在前 (open deadlines, overdue first, as of {})",
            stats.today
        ),
        render(
            &["时限", "状态", "整改状态", "机构 agency", "问题 problem"],
            &[
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Left,
            ],
            &rows,
        ),
    ));
}
