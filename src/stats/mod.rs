//! Statistics over the indexed notices (统计): problems and measures parsed per notice
//! and per agency, their status breakdown, open deadlines (overdue first), the
//! figures each notice states about itself beside what was parsed, and which
//! categories of problems are most often left unfinished.
//!
//! Counts come from the index, through the same selection as search
//! ([`crate::export::for_each_record`]). The figures a notice states about itself
//! (反馈80项,已完成62项) are not in the index: they are read from the source file
//! again, when it is still there with the content the index was built from.

pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
use crate::export::{for_each_record, ExportRecord};
use crate::notice::{Status, Summary};
use crate::search::{Engine, SearchRequest};

/// What a stats report is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// Per notice, with the stated figures and open deadlines.
    #[default]
    Notice,
    /// Per agency, with open deadlines.
    Agency,
    /// Per category: which kinds of problems are most often left unfinished.
    Category,
    /// Per status.
    Status,
    /// Per year of publication.
    Year,
}

/// Problems per status, in [`Status::ALL`] order (serialized as a map from status name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts(Vec<usize>);

impl StatusCounts {
    fn slot(s: Status) -> usize {
        Status::ALL.iter().position(|x| *x == s).unwrap_or(0)
    }

    fn add(&mut self, s: Status, n: usize) {
        if self.0.len() < Status::ALL.len() {
            self.0.resize(Status::ALL.len(), 0);
        }
        self.0[Self::slot(s)] += n;
    }

    fn merge(&mut self, other: &StatusCounts) {
        for (s, n) in other.iter() {
            self.add(s, n);
        }
    }

    /// The count of one status.
    pub fn get(&self, s: Status) -> usize {
        self.0.get(Self::slot(s)).copied().unwrap_or(0)
    }

    /// Every status with its count, in [`Status::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Status, usize)> + '_ {
        Status::ALL.iter().map(|s| (*s, self.get(*s)))
    }

    /// Problems stated as not yet completed (基本完成, 阶段性完成, 正在整改: `未完成`).
    pub fn unfinished(&self) -> usize {
        unfinished_statuses().iter().map(|s| self.get(*s)).sum()
    }
}

impl Serialize for StatusCounts {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Status::ALL.len()))?;
        for (st, n) in self.iter() {
            m.serialize_entry(st.as_str(), &n)?;
        }
        m.end()
    }
}

/// The statuses that `--status 未完成` stands for.
fn unfinished_statuses() -> Vec<Status> {
    Status::parse_user("unfinished").unwrap_or_default()
}

/// One figure a notice states about itself, beside the parsed count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Field of [`Summary`] (`problems_total`, `completed` …).
    pub figure: &'static str,
    /// Chinese label (问题总数 …).
    pub label: &'static str,
    /// The number the notice states.
    pub stated: u32,
    /// The number parsed, where the parser counts the same thing.
    pub parsed: Option<usize>,
    /// Whether they agree (`None` where nothing parsed compares).
    pub agrees: Option<bool>,
}

/// One notice (or other indexed file) with what the selection holds of it.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeStats {
    /// Source file.
    pub source: String,
    /// Agency as printed.
    pub agency: String,
    /// Agency short form.
    pub agency_short: String,
    /// 省/市/县.
    pub level: String,
    /// Publication date.
    pub published: String,
    /// Problems parsed.
    pub problems: usize,
    /// Measures parsed.
    pub measures: usize,
    /// Other paragraphs.
    pub paragraphs: usize,
    /// Problems per status.
    pub status: StatusCounts,
    /// Problems with a deadline and not completed.
    pub open_deadlines: usize,
    /// Of those, deadlines already past.
    pub overdue: usize,
    /// The figures the notice states, beside the parsed counts.
    pub figures: Vec<Figure>,
    /// Why the stated figures could not be read, if they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures_unavailable: Option<String>,
}

impl NoticeStats {
    /// Stated figures that disagree with the parsed count.
    pub fn disagreements(&self) -> usize {
        self.figures
            .iter()
            .filter(|f| f.agrees == Some(false))
            .count()
    }
}

/// One agency: its notices summed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AgencyStats {
    /// Agency short form.
    pub agency_short: String,
    /// Notices.
    pub notices: usize,
    /// Problems parsed.
    pub problems: usize,
    /// Measures parsed.
    pub measures: usize,
    /// Problems per status.
    pub status: StatusCounts,
    /// Open deadlines.
    pub open_deadlines: usize,
    /// Overdue deadlines.
    pub overdue: usize,
    /// Stated figures that disagree with the parsed counts.
    pub disagreements: usize,
}

/// A problem with a deadline that is not completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenDeadline {
    /// Deadline `YYYY-MM`.
    pub deadline: String,
    /// Whether the deadline's month has passed.
    pub overdue: bool,
    /// Agency short form.
    pub agency_short: String,
    /// Problem number in its notice.
    pub problem_n: u64,
    /// Problem title.
    pub problem: String,
    /// Its status.
    pub status: Status,
    /// Source file.
    pub source: String,
}

/// Problems of one category title, across notices.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryStats {
    /// Category title (empty when the notice has none).
    pub category: String,
    /// Problems.
    pub problems: usize,
    /// Problems stated as not yet completed.
    pub unfinished: usize,
    /// Problems per status.
    pub status: StatusCounts,
    /// Measures.
    pub measures: usize,
}

/// Problems and measures of one status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusStats {
    /// Status name.
    pub status: Status,
    /// Chinese label.
    pub label: &'static str,
    /// Problems.
    pub problems: usize,
    /// Measures of those problems.
    pub measures: usize,
}

/// Notices, problems and measures published in one year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearStats {
    /// Year (empty when the date is unknown).
    pub year: String,
    /// Notices.
    pub notices: usize,
    /// Problems.
    pub problems: usize,
    /// Measures.
    pub measures: usize,
    /// Problems per status.
    pub status: StatusCounts,
}

/// Totals over the selection.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Notices with at least one selected record.
    pub notices: usize,
    /// Other files (not notices: regulations, news …) with selected paragraphs; they
    /// are left out of the groupings.
    pub other_files: usize,
    /// Problems.
    pub problems: usize,
    /// Measures.
    pub measures: usize,
    /// Other paragraphs.
    pub paragraphs: usize,
    /// Problems per status.
    pub status: StatusCounts,
    /// Open deadlines.
    pub open_deadlines: usize,
    /// Overdue deadlines.
    pub overdue: usize,
}

/// A stats report: every grouping, computed once.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The date deadlines are checked against (`YYYY-MM-DD`).
    pub today: String,
    /// Totals.
    pub totals: Totals,
    /// Per notice, by source path.
    pub notices: Vec<NoticeStats>,
    /// Per agency, most problems first.
    pub agencies: Vec<AgencyStats>,
    /// Open deadlines, overdue first, earliest first.
    pub deadlines: Vec<OpenDeadline>,
    /// Per category, most unfinished problems first.
    pub categories: Vec<CategoryStats>,
    /// Per status.
    pub statuses: Vec<StatusStats>,
    /// Per year, newest first.
    pub years: Vec<YearStats>,
}

impl Stats {
    /// The report as JSON for one grouping: `today`, `totals` and the grouping's
    /// rows (`notices` and `agencies` come with `deadlines`).
    pub fn json(&self, by: By) -> serde_json::Value {
        let mut v = serde_json::json!({
            "by": by,
            "today": self.today,
            "totals": self.totals,
        });
        let rows = match by {
            By::Notice => serde_json::json!({"notices": self.notices, "deadlines": self.deadlines}),
            By::Agency => {
                serde_json::json!({"agencies": self.agencies, "deadlines": self.deadlines})
            }
            By::Category => serde_json::json!({"categories": self.categories}),
            By::Status => serde_json::json!({"statuses": self.statuses}),
            By::Year => serde_json::json!({"years": self.years}),
        };
        if let (Some(m), serde_json::Value::Object(r)) = (v.as_object_mut(), rows) {
            m.extend(r);
        }
        v
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Checks a `--today` date: `YYYY-MM-DD`.
pub fn check_date(s: &str) -> Result<String> {
    let s = s.trim();
    crate::search::date_bound(s, false)?;
    if s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        Ok(s.to_string())
    } else {
        Err(Error::BadQuery(format!(
            "日期格式应为 YYYY-MM-DD (bad date {s:?})"
        )))
    }
}

/// The path of the file whose key is `key` in an index built from `corpus` (the
/// absolute corpus root the manifest records): the key is the root's folder name
/// followed by the path below it, names escaped as in
/// [`crate::index::files::escape_name`]. `None` when the key does not lie under
/// that root.
fn source_path(corpus: &Path, key: &str) -> Option<PathBuf> {
    let prefix = corpus
        .file_name()
        .map(crate::index::files::escape_name)
        .unwrap_or_default();
    if key == prefix {
        // The corpus is a single file.
        return Some(corpus.to_path_buf());
    }
    let rest = if prefix.is_empty() {
        key
    } else {
        key.strip_prefix(&prefix)?.strip_prefix('/')?
    };
    let mut path = corpus.to_path_buf();
    for name in rest.split('/') {
        path.push(unescape_name(name)?);
    }
    Some(path)
}

/// The name [`crate::index::files::escape_name`] made `name` from.
fn unescape_name(name: &str) -> Option<std::ffi::OsString> {
    let mut bytes = Vec::with_capacity(name.len());
    let mut rest = name.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match rest {
            [b'\\', tail @ ..] => {
                bytes.push(b'\\');
                rest = tail;
            }
            [b'x', h, l, tail @ ..] => {
                let hex = [*h, *l];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
                rest = tail;
            }
            _ => return None,
        }
    }
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    os_string(bytes)
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStringExt;
    Some(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> Option<std::ffi::OsString> {
    String::from_utf8(bytes).ok().map(Into::into)
}

/// The stated figures of the file with the key `source` in an index built from
/// `corpus`, if it still has the content the index holds (`hash`, as in the
/// manifest).
fn stated_figures(
    corpus: Option<&str>,
    source: &str,
    hash: &str,
) -> std::result::Result<Summary, String> {
    let corpus = corpus.ok_or_else(|| {
        format!(
            "索引未记录语料目录 (the index does not record its corpus, so {source} cannot be read)"
        )
    })?;
    let path = source_path(Path::new(corpus), source).ok_or_else(|| {
        format!("来源文件不在语料目录下 ({source} is not under the corpus {corpus})")
    })?;
    let shown = path.display();
    let bytes =
        std::fs::read(&path).map_err(|e| format!("读不到来源文件 (cannot read {shown}: {e})"))?;
    if format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)) != hash {
        return Err(format!(
            "来源文件在建索引后已改变 ({shown} changed since it was indexed)"
        ));
    }
    let src = crate::read::decode_vec(&path, bytes).map_err(|e| e.to_string())?;
    Ok(crate::parse::parse(source, &src.text).summary)
}

/// Each stated figure of `s` beside the parsed count it corresponds to.
pub fn compare(
    s: &Summary,
    problems: usize,
    measures: usize,
    status: &StatusCounts,
) -> Vec<Figure> {
    let rows: [(&'static str, &'static str, Option<u32>, Option<usize>); 9] = [
        (
            "problems_total",
            "问题总数",
            s.problems_total,
            Some(problems),
        ),
        (
            "completed",
            "已完成",
            s.completed,
            Some(status.get(Status::Completed)),
        ),
        (
            "basically_completed",
            "基本完成",
            s.basically_completed,
            Some(status.get(Status::BasicallyCompleted)),
        ),
        (
            "phased",
            "阶段性完成",
            s.phased,
            Some(status.get(Status::Phased)),
        ),
        (
            "in_progress",
            "正在整改",
            s.in_progress,
            Some(status.get(Status::InProgress)),
        ),
        (
            "measures_total",
            "整改措施",
            s.measures_total,
            Some(measures),
        ),
        ("measures_done", "已落实措施", s.measures_done, None),
        ("rules_made", "建立制度", s.rules_made, None),
        (
            "people_held_accountable",
            "问责人数",
            s.people_held_accountable,
            None,
        ),
    ];
    rows.into_iter()
        .filter_map(|(figure, label, stated, parsed)| {
            let stated = stated?;
            Some(Figure {
                figure,
                label,
                stated,
                parsed,
                agrees: parsed.map(|p| usize::try_from(stated).is_ok_and(|s| s == p)),
            })
        })
        .collect()
}

#[derive(Default)]
struct ProblemAcc {
    title: String,
    category: String,
    status: Status,
    deadline: Option<String>,
    measures: usize,
}

#[derive(Default)]
struct NoticeAcc {
    agency: String,
    agency_short: String,
    level: String,
    published: String,
    paragraphs: usize,
    problems: BTreeMap<u64, ProblemAcc>,
}

/// Computes the report for the records `req` selects (its query and filters, as in
/// search; the whole index when it selects nothing). Deadlines are checked against
/// `today` (`YYYY-MM-DD`).
pub fn stats(engine: &Engine, req: &SearchRequest, today: &str) -> Result<Stats> {
    let mut notices: BTreeMap<String, NoticeAcc> = BTreeMap::new();
    for_each_record(engine, req, |r: &ExportRecord| {
        let n = notices
            .entry(r.source.clone())
            .or_insert_with(|| NoticeAcc {
                agency: r.agency.clone(),
                agency_short: r.agency_short.clone(),
                level: r.level.clone(),
                published: r.published.clone().unwrap_or_default(),
                ..NoticeAcc::default()
            });
        if r.problem_n == 0 {
            n.paragraphs += 1;
            return Ok(());
        }
        let p = n.problems.entry(r.problem_n).or_insert_with(|| ProblemAcc {
            title: r.problem.clone(),
            category: r.category.clone(),
            status: r.status,
            deadline: r.deadline.clone(),
            measures: 0,
        });
        // A problem stated without measures is held as one record with no text.
        if !r.measure.is_empty() {
            p.measures += 1;
        }
        Ok(())
    })?;

    let month = today.get(..7).unwrap_or(today);
    let manifest = engine.manifest();
    let mut totals = Totals::default();
    let mut out_notices = Vec::with_capacity(notices.len());
    let mut deadlines = Vec::new();
    let mut agencies: BTreeMap<String, AgencyStats> = BTreeMap::new();
    let mut categories: HashMap<String, CategoryStats> = HashMap::new();
    let mut statuses: Vec<StatusStats> = Status::ALL
        .iter()
        .map(|s| StatusStats {
            status: *s,
            label: s.label(),
            problems: 0,
            measures: 0,
        })
        .collect();
    let mut years: BTreeMap<String, YearStats> = BTreeMap::new();

    for (source, n) in notices {
        let mut status = StatusCounts::default();
        let mut measures = 0;
        let (mut open, mut overdue) = (0, 0);
        for (num, p) in &n.problems {
            status.add(p.status, 1);
            measures += p.measures;
            let c = categories
                .entry(p.category.clone())
                .or_insert_with(|| CategoryStats {
                    category: p.category.clone(),
                    ..CategoryStats::default()
                });
            c.problems += 1;
            c.measures += p.measures;
            c.status.add(p.status, 1);
            if let Some(s) = statuses.iter_mut().find(|s| s.status == p.status) {
                s.problems += 1;
                s.measures += p.measures;
            }
            if let Some(d) = &p.deadline {
                if p.status != Status::Completed {
                    let late = d.as_str() < month;
                    open += 1;
                    overdue += usize::from(late);
                    deadlines.push(OpenDeadline {
                        deadline: d.clone(),
                        overdue: late,
                        agency_short: n.agency_short.clone(),
                        problem_n: *num,
                        problem: p.title.clone(),
                        status: p.status,
                        source: source.clone(),
                    });
                }
            }
        }
        let problems = n.problems.len();
        let is_notice = manifest.files.get(&source).is_some_and(|e| e.notice);
        if !is_notice && problems == 0 {
            totals.other_files += 1;
            totals.paragraphs += n.paragraphs;
            continue;
        }
        let (figures, figures_unavailable) = match manifest.files.get(&source) {
            Some(e) if is_notice => {
                match stated_figures(manifest.corpus.as_deref(), &source, &e.hash) {
                    Ok(s) => (compare(&s, problems, measures, &status), None),
                    Err(why) => (Vec::new(), Some(why)),
                }
            }
            _ => (Vec::new(), None),
        };
        let ns = NoticeStats {
            source,
            agency: n.agency,
            agency_short: n.agency_short,
            level: n.level,
            published: n.published,
            problems,
            measures,
            paragraphs: n.paragraphs,
            status,
            open_deadlines: open,
            overdue,
            figures,
            figures_unavailable,
        };
        totals.notices += 1;
        totals.problems += problems;
        totals.measures += measures;
        totals.paragraphs += ns.paragraphs;
        totals.status.merge(&ns.status);
        totals.open_deadlines += open;
        totals.overdue += overdue;
        let a = agencies
            .entry(ns.agency_short.clone())
            .or_insert_with(|| AgencyStats {
                agency_short: ns.agency_short.clone(),
                ..AgencyStats::default()
            });
        a.notices += 1;
        a.problems += problems;
        a.measures += measures;
        a.status.merge(&ns.status);
        a.open_deadlines += open;
        a.overdue += overdue;
        a.disagreements += ns.disagreements();
        let year = ns.published.get(..4).unwrap_or_default().to_string();
        let y = years.entry(year.clone()).or_insert_with(|| YearStats {
            year,
            ..YearStats::default()
        });
        y.notices += 1;
        y.problems += problems;
        y.measures += measures;
        y.status.merge(&ns.status);
        out_notices.push(ns);
    }
    deadlines.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| a.deadline.cmp(&b.deadline))
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| a.problem_n.cmp(&b.problem_n))
    });
    let mut agencies: Vec<AgencyStats> = agencies.into_values().collect();
    agencies.sort_by(|a, b| {
        b.problems
            .cmp(&a.problems)
            .then_with(|| a.agency_short.cmp(&b.agency_short))
    });
    let mut categories: Vec<CategoryStats> = categories
        .into_values()
        .map(|mut c| {
            c.unfinished = c.status.unfinished();
            c
        })
        .collect();
    categories.sort_by(|a, b| {
        b.unfinished
            .cmp(&a.unfinished)
            .then_with(|| b.problems.cmp(&a.problems))
            .then_with(|| a.category.cmp(&b.category))
    });
    Ok(Stats {
        today: today.to_string(),
        totals,
        notices: out_notices,
        agencies,
        deadlines,
        categories,
        statuses,
        years: years.into_values().rev().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_resolve_against_the_corpus_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let seeds = dir.path().join("seeds");
        std::fs::create_dir_all(seeds.join("子目录")).expect("mkdir");
        for rel in ["a.txt", "子目录/b\\c.txt"] {
            let file = seeds.join(rel);
            std::fs::write(&file, "x").expect("write");
            let key = crate::index::files::key_for(&seeds, &file);
            assert_eq!(source_path(&seeds, &key), Some(file), "{key}");
        }
        let one = seeds.join("a.txt");
        let key = crate::index::files::key_for(&one, &one);
        assert_eq!(source_path(&one, &key), Some(one.clone()));
        assert_eq!(source_path(&seeds, "other/a.txt"), None);
        assert_eq!(source_path(&seeds, "seeds/../a.txt"), None);
        assert_eq!(source_path(&seeds, "seeds/bad\\q.txt"), None);
    }
}
