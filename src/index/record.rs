//! Flattening a parsed notice into the records the index holds: one per measure, one
//! per problem without measures, one per paragraph outside the problems. A problem's
//! records follow each other; the first holds what they share (see
//! [`crate::search::group`]).

use serde::Serialize;

use crate::notice::{Notice, Status};

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A rectification measure (or a problem stated without measures).
    Measure,
    /// A paragraph outside the problems: preamble, plans, or any text of a document
    /// that is not a notice.
    Paragraph,
}

impl RecordKind {
    /// Name stored in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Measure => "measure",
            RecordKind::Paragraph => "paragraph",
        }
    }
}

/// One indexed record.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Stable id: the source's key and the record's number in it (`1a2b3c4d-7`).
    pub id: String,
    /// The record's number in its file, from 1.
    pub n: usize,
    /// Measure or paragraph.
    pub kind: RecordKind,
    /// The measure or paragraph text, as written.
    pub text: String,
    /// Problem title (empty for paragraphs).
    pub problem: String,
    /// Problem number in the notice (0 for paragraphs).
    pub problem_n: usize,
    /// Measure number within the problem (1-based; 0 for paragraphs).
    pub measure_n: usize,
    /// Category title.
    pub category: String,
    /// Item title.
    pub item: String,
    /// Completion status.
    pub status: Status,
    /// Status phrase as written.
    pub status_text: String,
    /// Deadline `YYYY-MM`.
    pub deadline: String,
    /// 1-based source line.
    pub line: usize,
    /// How many records before this one its problem's first record is (0: this is
    /// the first, and holds the problem title, category and item for all of them).
    pub lead: usize,
}

/// Number of a source path in the index: its xxh3 hash.
pub fn file_id(source: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(source.as_bytes())
}

/// Key of a source path in record ids: the first 32 bits of [`file_id`], in hex.
pub fn source_key(source: &str) -> String {
    format!("{:08x}", file_id(source) >> 32)
}

/// Id of the `n`-th record (1-based) of the file whose [`file_id`] is `file`.
pub fn record_id(file: u64, n: usize) -> String {
    format!("{:08x}-{n}", file >> 32)
}

/// The records of one notice, in document order.
pub fn records(notice: &Notice, source: &str) -> Vec<Record> {
    flatten(notice, source, true)
}

/// [`records`] as the index takes them: without ids (the index keeps the record's
/// number and the file instead) and with the problem's title, category and item on
/// its first record only (the others would not be indexed or stored).
pub(crate) fn index_records(notice: &Notice, source: &str) -> Vec<Record> {
    flatten(notice, source, false)
}

fn flatten(notice: &Notice, source: &str, whole: bool) -> Vec<Record> {
    let file = file_id(source);
    let measures: usize = notice
        .problems
        .iter()
        .map(|p| p.measures.len().max(1))
        .sum();
    let mut out: Vec<Record> = Vec::with_capacity(measures + notice.paragraphs.len());
    let cat = |p: &crate::notice::Problem| -> (String, String) {
        let c = p.category.and_then(|c| notice.categories.get(c));
        let item = c
            .and_then(|c| p.item.and_then(|i| c.items.get(i)))
            .cloned()
            .unwrap_or_default();
        (c.map(|c| c.title.clone()).unwrap_or_default(), item)
    };
    // Problems and paragraphs interleave by line so record numbers follow the text.
    let mut paragraphs = notice.paragraphs.iter().peekable();
    let mut push_paragraphs_before = |line: usize, out: &mut Vec<Record>| {
        while let Some(p) = paragraphs.next_if(|p| p.line < line) {
            out.push(Record {
                id: String::new(),
                n: 0,
                kind: RecordKind::Paragraph,
                text: p.text.clone(),
                problem: String::new(),
                problem_n: 0,
                measure_n: 0,
                category: p.section.clone().unwrap_or_default(),
                item: String::new(),
                status: Status::Unspecified,
                status_text: String::new(),
                deadline: String::new(),
                line: p.line,
                lead: 0,
            });
        }
    };
    for p in &notice.problems {
        push_paragraphs_before(p.line, &mut out);
        let (category, item) = cat(p);
        let base = Record {
            id: String::new(),
            n: 0,
            kind: RecordKind::Measure,
            text: String::new(),
            problem: p.title.clone(),
            problem_n: p.n,
            measure_n: 0,
            category,
            item,
            status: p.status,
            status_text: p.status_text.clone().unwrap_or_default(),
            deadline: p.deadline.clone().unwrap_or_default(),
            line: p.line,
            lead: 0,
        };
        if p.measures.is_empty() {
            out.push(Record {
                measure_n: 1,
                ..base.clone()
            });
        }
        for (k, m) in p.measures.iter().enumerate() {
            let shared = if k == 0 || whole {
                base.clone()
            } else {
                Record {
                    id: String::new(),
                    n: 0,
                    kind: base.kind,
                    text: String::new(),
                    problem: String::new(),
                    problem_n: base.problem_n,
                    measure_n: 0,
                    category: String::new(),
                    item: String::new(),
                    status: base.status,
                    status_text: base.status_text.clone(),
                    deadline: base.deadline.clone(),
                    line: base.line,
                    lead: 0,
                }
            };
            out.push(Record {
                text: m.text.clone(),
                measure_n: k + 1,
                line: m.line,
                lead: k,
                ..shared
            });
        }
    }
    push_paragraphs_before(usize::MAX, &mut out);
    for (i, r) in out.iter_mut().enumerate() {
        r.n = i + 1;
        if whole {
            r.id = record_id(file, r.n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_gets_the_same_records_without_what_it_does_not_keep() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut checked = 0;
        for e in std::fs::read_dir(seeds).unwrap().flatten() {
            let source = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).unwrap();
            let notice = crate::parse::parse(&source, &text);
            let (whole, lean) = (records(&notice, &source), index_records(&notice, &source));
            assert_eq!(whole.len(), lean.len());
            for (w, l) in whole.iter().zip(&lean) {
                let mut expected = w.clone();
                expected.id.clear();
                if w.lead > 0 {
                    expected.problem.clear();
                    expected.category.clear();
                    expected.item.clear();
                }
                assert_eq!(format!("{expected:?}"), format!("{l:?}"));
                checked += usize::from(w.lead > 0);
            }
        }
        assert!(checked > 100, "{checked} records after a problem's first");
    }
}
