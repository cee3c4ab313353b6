//! The structured form of a rectification notice, as the parser produces it.
//!
//! Field names follow the hand-checked gold annotations (`tests/fixtures/gold/`), so
//! `zhenggai parse FILE --json` can be compared with them directly.

use serde::{Deserialize, Serialize};

/// Completion status of one problem, as the notice states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已完成整改, 整改结果:完成.
    Completed,
    /// 基本完成整改.
    BasicallyCompleted,
    /// 阶段性完成.
    Phased,
    /// 正在整改, 尚未完成, 整改中, 正在推进; also long-term items (长期坚持, 持续整改,
    /// 常态化推进), which have no end date and so count as in progress (the phrase
    /// stays in `status_text`).
    InProgress,
    /// Nothing stated.
    #[default]
    Unspecified,
}

impl Status {
    /// All statuses, in order of completion.
    pub const ALL: [Status; 5] = [
        Status::Completed,
        Status::BasicallyCompleted,
        Status::Phased,
        Status::InProgress,
        Status::Unspecified,
    ];

    /// The English name used in JSON and the index (`completed` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::BasicallyCompleted => "basically_completed",
            Status::Phased => "phased",
            Status::InProgress => "in_progress",
            Status::Unspecified => "unspecified",
        }
    }

    /// The Chinese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Status::Completed => "已完成",
            Status::BasicallyCompleted => "基本完成",
            Status::Phased => "阶段性完成",
            Status::InProgress => "正在整改",
            Status::Unspecified => "未说明",
        }
    }

    /// Parses a user's list of status names (each item may hold several separated by
    /// commas, `已完成,in_progress`): the statuses, sorted and each once, or the first
    /// name that is not one.
    ///
    /// ```
    /// use zhenggai::notice::Status;
    /// assert_eq!(
    ///     Status::parse_user_list(["正在整改，completed", " "]),
    ///     Ok(vec![Status::Completed, Status::InProgress])
    /// );
    /// assert_eq!(Status::parse_user_list(["已完成,whatever"]), Err("whatever"));
    /// ```
    pub fn parse_user_list<'a>(
        items: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Status>, &'a str> {
        let mut out = Vec::new();
        for s in items.into_iter().flat_map(|s| s.split([',', '，'])) {
            if s.trim().is_empty() {
                continue;
            }
            out.extend(Status::parse_user(s).ok_or(s)?);
        }
        out.sort_by_key(|s| s.as_str());
        out.dedup();
        Ok(out)
    }

    /// Parses an English or Chinese status name as a user types it.
    ///
    /// `未完成`/`unfinished` stands for every status short of completed that the notice
    /// stated, so it returns several.
    ///
    /// ```
    /// use zhenggai::notice::Status;
    /// assert_eq!(Status::parse_user("已完成"), Some(vec![Status::Completed]));
    /// assert_eq!(Status::parse_user("in_progress"), Some(vec![Status::InProgress]));
    /// assert_eq!(Status::parse_user("未完成").map(|v| v.len()), Some(3));
    /// assert_eq!(Status::parse_user("whatever"), None);
    /// ```
    pub fn parse_user(s: &str) -> Option<Vec<Status>> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let one = match s.as_str() {
            "completed" | "done" | "已完成" | "完成" | "已完成整改" | "已整改" => {
                Status::Completed
            }
            "basically_completed" | "basic" | "基本完成" | "基本完成整改" => {
                Status::BasicallyCompleted
            }
            "phased" | "阶段性完成" | "阶段性" => Status::Phased,
            "in_progress" | "ongoing" | "正在整改" | "整改中" | "尚未完成" | "推进中"
            | "正在推进" | "长期坚持" | "持续整改" | "常态化推进" => {
                Status::InProgress
            }
            "unspecified" | "none" | "未说明" | "未标注" => Status::Unspecified,
            "unfinished" | "未完成" | "未完成整改" => {
                return Some(vec![
                    Status::BasicallyCompleted,
                    Status::Phased,
                    Status::InProgress,
                ])
            }
            _ => return None,
        };
        Some(vec![one])
    }

    /// Parses the English name stored in the index.
    pub fn from_stored(s: &str) -> Status {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .unwrap_or_default()
    }
}

/// Facts about the inspection the notice answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// 巡察 or 巡视.
    pub kind: Option<String>,
    /// True when the text says 回头看.
    pub revisit: bool,
    /// The round as printed (八届市委第四轮), if stated.
    pub round: Option<String>,
    /// The inspecting group as printed (市委第五巡察组), if stated.
    pub group: Option<String>,
    /// When the feedback was given (ISO date), year inferred when only month and day are printed.
    pub feedback_date: Option<String>,
}

/// Aggregate figures the notice itself states; `None` where it states nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Specific problems fed back (具体问题).
    pub problems_total: Option<u32>,
    /// Problems completed.
    pub completed: Option<u32>,
    /// Problems basically completed.
    pub basically_completed: Option<u32>,
    /// Problems completed in phases.
    pub phased: Option<u32>,
    /// Problems still being rectified.
    pub in_progress: Option<u32>,
    /// Rectification measures planned (整改措施).
    pub measures_total: Option<u32>,
    /// Measures carried out.
    pub measures_done: Option<u32>,
    /// Rules and systems made or improved (制度).
    pub rules_made: Option<u32>,
    /// People held accountable (问责).
    pub people_held_accountable: Option<u32>,
}

/// A first-level group of problems with its second-level items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Heading text without numbering.
    pub title: String,
    /// Second-level headings, wrapper words removed.
    pub items: Vec<String>,
}

/// One rectification measure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The measure's text as written, ordinal word (一是) removed.
    pub text: String,
    /// 1-based line in the source where the measure starts.
    pub line: usize,
}

/// One problem the inspection found, with what was done about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based running index in document order.
    pub n: usize,
    /// Numbering as printed (`问题1`, `(1)`, `1.`, `1、`, `第一`), if any.
    pub label: Option<String>,
    /// Index into [`Notice::categories`].
    pub category: Option<usize>,
    /// Index into that category's items.
    pub item: Option<usize>,
    /// Heading text without its label and final 。.
    pub title: String,
    /// Completion status.
    pub status: Status,
    /// The status phrase as printed.
    pub status_text: Option<String>,
    /// Deadline (`YYYY-MM`) from 完成时限.
    pub deadline: Option<String>,
    /// The measures taken.
    pub measures: Vec<Measure>,
    /// 1-based line of the heading in the source.
    pub line: usize,
}

/// A paragraph of a file that belongs to no problem (preamble, plans, or any
/// paragraph of a document that is not a notice). Indexed so nothing is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The paragraph's text as written.
    pub text: String,
    /// 1-based line in the source.
    pub line: usize,
    /// Heading of the section it sits in, if any.
    pub section: Option<String>,
}

/// A parsed rectification notice (or, with `is_notice == false`, any other document).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// File name or path the notice was read from.
    pub file: String,
    /// Whether the text reads as a rectification notice at all.
    pub is_notice: bool,
    /// Title line, if the text has one.
    pub title: Option<String>,
    /// Issuing body as it signs or titles itself.
    pub agency: Option<String>,
    /// Further bodies signing the same notice.
    pub co_agencies: Vec<String>,
    /// Agency without 中共 and the party-organ suffix.
    pub agency_short: Option<String>,
    /// Place name (汕尾市).
    pub region: Option<String>,
    /// 省, 市 or 县.
    pub level: Option<String>,
    /// Publication date (ISO).
    pub published: Option<String>,
    /// Inspection facts.
    pub inspection: Inspection,
    /// Aggregates the notice states.
    pub summary: Summary,
    /// Categories of problems.
    pub categories: Vec<Category>,
    /// Problems with status and measures.
    pub problems: Vec<Problem>,
    /// Paragraphs that belong to no problem.
    pub paragraphs: Vec<Paragraph>,
}

impl Notice {
    /// Number of measures over all problems.
    pub fn measure_count(&self) -> usize {
        self.problems.iter().map(|p| p.measures.len()).sum()
    }
}

/// A figure the notice states that differs from what the parser found: the notice may
/// have been read wrongly (or states its figures in another unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// The [`Summary`] field (`problems_total`, `completed`, `basically_completed`,
    /// `phased`, `in_progress`).
    pub field: String,
    /// What the notice states.
    pub stated: u32,
    /// What the parse holds.
    pub parsed: u32,
}

impl Discrepancy {
    /// The figure's Chinese name (问题总数, 已完成 …).
    pub fn label(&self) -> &'static str {
        match self.field.as_str() {
            "problems_total" => "问题总数",
            "completed" => "已完成",
            "basically_completed" => "基本完成",
            "phased" => "阶段性完成",
            "in_progress" => "正在整改",
            _ => "数字",
        }
    }

    /// One line for users: `问题总数:通报写 25 个,解析出 22 个 (problems_total: stated 25, parsed 22)`.
    pub fn describe(&self) -> String {
        format!(
            "{}:通报写 {} 个,解析出 {} 个 ({}: stated {}, parsed {})",
            self.label(),
            self.stated,
            self.parsed,
            self.field,
            self.stated,
            self.parsed
        )
    }
}

impl Notice {
    /// The stated figures ([`Notice::summary`]) that differ from the parsed counts:
    /// the number of problems, and, when the notice gives problems a status, the
    /// number per status (long-term items count as in progress, see [`Status`]).
    /// Empty when everything agrees or the notice states nothing.
    ///
    /// ```
    /// use zhenggai::notice::{Notice, Problem};
    /// let mut n = Notice::default();
    /// n.summary.problems_total = Some(3);
    /// n.problems = vec![Problem::default(), Problem::default()];
    /// let d = n.discrepancies();
    /// assert_eq!((d[0].field.as_str(), d[0].stated, d[0].parsed), ("problems_total", 3, 2));
    /// ```
    pub fn discrepancies(&self) -> Vec<Discrepancy> {
        let count = |s: Status| self.problems.iter().filter(|p| p.status == s).count() as u32;
        let stated_status = self
            .problems
            .iter()
            .any(|p| p.status != Status::Unspecified);
        let mut checks = vec![(
            "problems_total",
            self.summary.problems_total,
            self.problems.len() as u32,
        )];
        if stated_status {
            checks.extend([
                (
                    "completed",
                    self.summary.completed,
                    count(Status::Completed),
                ),
                (
                    "basically_completed",
                    self.summary.basically_completed,
                    count(Status::BasicallyCompleted),
                ),
                ("phased", self.summary.phased, count(Status::Phased)),
                (
                    "in_progress",
                    self.summary.in_progress,
                    count(Status::InProgress),
                ),
            ]);
        }
        checks
            .into_iter()
            .filter_map(|(field, stated, parsed)| {
                let stated = stated?;
                (stated != parsed).then(|| Discrepancy {
                    field: field.to_string(),
                    stated,
                    parsed,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_status(s: Status) -> Problem {
        Problem {
            status: s,
            ..Problem::default()
        }
    }

    #[test]
    fn discrepancies_compare_stated_figures_with_the_parse() {
        let mut n = Notice::default();
        n.summary.problems_total = Some(3);
        n.summary.completed = Some(2);
        n.summary.in_progress = Some(1);
        n.problems = vec![
            with_status(Status::Completed),
            with_status(Status::Completed),
            with_status(Status::InProgress),
        ];
        assert!(n.discrepancies().is_empty());
        n.problems.pop();
        let d = n.discrepancies();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].field, "problems_total");
        assert_eq!(d[1].field, "in_progress");
        assert_eq!(
            d[0].describe(),
            "问题总数:通报写 3 个,解析出 2 个 (problems_total: stated 3, parsed 2)"
        );
    }

    #[test]
    fn status_counts_only_when_problems_have_statuses() {
        let mut n = Notice::default();
        n.summary.completed = Some(5);
        n.problems = vec![Problem::default()];
        assert!(n.discrepancies().is_empty());
    }

    #[test]
    fn long_term_phrases_are_in_progress() {
        assert_eq!(
            Status::parse_user("长期坚持"),
            Some(vec![Status::InProgress])
        );
    }
}
