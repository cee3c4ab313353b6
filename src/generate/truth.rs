//! The expected parse of a generated notice: what the generator wrote, in the terms of
//! [`crate::notice::Notice`].
//!
//! The renderer records each category, item and problem as it writes it (see
//! `render::Out`), so the truth cannot drift from the text. [`Truth::diff`] compares it
//! with a parsed notice field by field.

use serde::Serialize;

use crate::notice::{Category, Inspection, Notice, Status, Summary};

use super::layouts::Layout;
use super::names::date_iso;
use super::plan::Facts;
use super::render::Written;
use super::variants::to_traditional;

/// One problem as written: what a correct parse must report for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TruthProblem {
    /// Numbering as printed (`问题1`, `(1)`, `1.`, `1、`, `第一`), `None` when unnumbered.
    pub label: Option<String>,
    /// Index into [`Truth::categories`], `None` when the layout has no categories.
    pub category: Option<usize>,
    /// Index into that category's items, `None` when the layout has no items.
    pub item: Option<usize>,
    /// Heading text without label, wrapper words and final 。.
    pub title: String,
    /// Completion status.
    pub status: Status,
    /// The status phrase as printed.
    pub status_text: Option<String>,
    /// Deadline (`YYYY-MM`).
    pub deadline: Option<String>,
    /// Number of measures written under the problem.
    pub measures: usize,
}

/// What a correct parse of one generated notice reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Truth {
    /// The layout the notice was written in.
    pub layout: Layout,
    /// Issuing body as it signs (or, without a signature, as the text names it).
    pub agency: Option<String>,
    /// Agency without 中共 and the party-organ suffix.
    pub agency_short: Option<String>,
    /// Place name as printed.
    pub region: Option<String>,
    /// 省, 市 or 县, as the text supports it: a county-level city printed with 市 and
    /// inspected by a 市委 group reads as 市.
    pub level: Option<String>,
    /// Publication date (ISO).
    pub published: Option<String>,
    /// Inspection facts; `kind` is always the simplified 巡视 / 巡察.
    pub inspection: Inspection,
    /// Figures the notice states. Where a notice of the seed layouts states the number of
    /// problems twice (a seed paragraph's own figure, kept for the benchmark's bytes, before
    /// the layout's summary), the first stated is the truth.
    pub summary: Summary,
    /// Categories with their items, wrapper words removed from items.
    pub categories: Vec<Category>,
    /// Problems in document order.
    pub problems: Vec<TruthProblem>,
}

/// One field where a parse and the truth differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Field path (`agency`, `problems[3].title`, `problems.len`).
    pub field: String,
    /// What the truth says.
    pub expected: String,
    /// What the parse says.
    pub got: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: expected {} got {}",
            self.field, self.expected, self.got
        )
    }
}

impl Truth {
    /// Compares a parsed notice with the truth; empty when they agree on every field the
    /// truth holds (problem line numbers and measure texts are not compared, measure
    /// counts are).
    pub fn diff(&self, notice: &Notice) -> Vec<Difference> {
        let mut out = Vec::new();
        let mut check = |field: String, expected: String, got: String| {
            if expected != got {
                out.push(Difference {
                    field,
                    expected,
                    got,
                });
            }
        };
        check("agency".into(), show(&self.agency), show(&notice.agency));
        check(
            "agency_short".into(),
            show(&self.agency_short),
            show(&notice.agency_short),
        );
        check("region".into(), show(&self.region), show(&notice.region));
        check("level".into(), show(&self.level), show(&notice.level));
        check(
            "published".into(),
            show(&self.published),
            show(&notice.published),
        );
        let (ti, ni) = (&self.inspection, &notice.inspection);
        check("inspection.kind".into(), show(&ti.kind), show(&ni.kind));
        check(
            "inspection.revisit".into(),
            ti.revisit.to_string(),
            ni.revisit.to_string(),
        );
        check("inspection.round".into(), show(&ti.round), show(&ni.round));
        check("inspection.group".into(), show(&ti.group), show(&ni.group));
        check(
            "inspection.feedback_date".into(),
            show(&ti.feedback_date),
            show(&ni.feedback_date),
        );
        let (ts, ns) = (&self.summary, &notice.summary);
        for (name, t, n) in [
            ("problems_total", ts.problems_total, ns.problems_total),
            ("completed", ts.completed, ns.completed),
            (
                "basically_completed",
                ts.basically_completed,
                ns.basically_completed,
            ),
            ("phased", ts.phased, ns.phased),
            ("in_progress", ts.in_progress, ns.in_progress),
            ("measures_total", ts.measures_total, ns.measures_total),
            ("measures_done", ts.measures_done, ns.measures_done),
            ("rules_made", ts.rules_made, ns.rules_made),
            (
                "people_held_accountable",
                ts.people_held_accountable,
                ns.people_held_accountable,
            ),
        ] {
            check(format!("summary.{name}"), show(&t), show(&n));
        }
        check(
            "categories.len".into(),
            self.categories.len().to_string(),
            notice.categories.len().to_string(),
        );
        for (i, (a, b)) in self.categories.iter().zip(&notice.categories).enumerate() {
            check(
                format!("categories[{i}].title"),
                a.title.clone(),
                b.title.clone(),
            );
            check(
                format!("categories[{i}].items"),
                a.items.join(" | "),
                b.items.join(" | "),
            );
        }
        check(
            "problems.len".into(),
            self.problems.len().to_string(),
            notice.problems.len().to_string(),
        );
        for (i, (a, b)) in self.problems.iter().zip(&notice.problems).enumerate() {
            let p = |f: &str| format!("problems[{i}].{f}");
            check(p("label"), show(&a.label), show(&b.label));
            check(p("title"), a.title.clone(), b.title.clone());
            check(p("category"), show(&a.category), show(&b.category));
            check(p("item"), show(&a.item), show(&b.item));
            check(
                p("status"),
                a.status.as_str().to_string(),
                b.status.as_str().to_string(),
            );
            check(p("status_text"), show(&a.status_text), show(&b.status_text));
            check(p("deadline"), show(&a.deadline), show(&b.deadline));
            check(
                p("measures"),
                a.measures.to_string(),
                b.measures.len().to_string(),
            );
        }
        out
    }
}

fn show<T: std::fmt::Debug>(v: &Option<T>) -> String {
    match v {
        Some(x) => format!("{x:?}"),
        None => "null".to_string(),
    }
}

/// The truth of a rendered notice: header facts from the plan, structure as written.
pub(super) fn assemble(n: &Facts, written: Written) -> Truth {
    let level = if n.region.ends_with('省')
        || ["北京市", "上海市", "天津市", "重庆市"].contains(&n.region)
    {
        "省"
    } else if n.region.ends_with('县') {
        "县"
    } else {
        "市"
    };
    // Layout N does not sign: the agency is the body the text says was inspected.
    let agency = if n.layout == Layout::N {
        n.target.clone()
    } else {
        n.agency_full.clone()
    };
    // Layout M prints every name in traditional characters.
    let printed = |s: &str| {
        if n.layout == Layout::M {
            to_traditional(s)
        } else {
            s.to_string()
        }
    };
    Truth {
        layout: n.layout,
        agency: Some(printed(&agency)),
        agency_short: Some(printed(&n.agency_short)),
        region: Some(printed(n.region)),
        level: Some(level.to_string()),
        published: Some(date_iso(n.published)),
        inspection: Inspection {
            kind: Some(n.kind.to_string()),
            revisit: n.revisit,
            round: n.round.as_deref().map(printed),
            group: Some(printed(&n.group)),
            feedback_date: n.feedback_stated.then(|| date_iso(n.feedback)),
        },
        summary: written.summary,
        categories: written.categories,
        problems: written.problems,
    }
}
