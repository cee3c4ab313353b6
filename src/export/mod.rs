//! Export: every record of the index (or of a search's selection) as one flat row
//! with every field, streamed to a writer in JSON Lines, CSV, OpenSearch bulk NDJSON
//! or Typesense JSONL.
//!
//! The rows come straight from the index, segment by segment and document by
//! document, and are written as they are read: memory stays the same whatever the
//! index size. The field list is [`FIELDS`]; `docs/mappings/export-record.schema.json`
//! is its JSON Schema and `docs/mappings/` holds the matching OpenSearch mapping,
//! Quickwit index config and Typesense schema.

pub mod grams;

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocSet, TantivyDocument, TERMINATED};

use crate::error::{Error, Result};
use crate::index::record::{file_id, record_id};
use crate::index::schema::Fields;
use crate::notice::Status;
use crate::search::{Engine, SearchRequest};

/// JSON type of an exported field, as the JSON Schema and the mappings state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A string, possibly empty.
    Text,
    /// A non-negative integer.
    Integer,
    /// A date string (`YYYY-MM-DD`) or null when unknown.
    Date,
    /// A month string (`YYYY-MM`) or null when none was stated.
    Month,
}

/// One exported field: name, type and meaning (中文 / English).
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// The field's name in every format.
    pub name: &'static str,
    /// Its JSON type.
    pub kind: FieldType,
    /// What it holds.
    pub doc: &'static str,
}

const fn field(name: &'static str, kind: FieldType, doc: &'static str) -> FieldInfo {
    FieldInfo { name, kind, doc }
}

/// Every field of an exported record, in column order (the CSV header, the JSON key
/// order). The list is stable: fields may be added at the end, never renamed.
pub const FIELDS: &[FieldInfo] = &[
    field(
        "id",
        FieldType::Text,
        "记录编号，索引不变时稳定 / stable record id `<source key>-<n>`",
    ),
    field(
        "kind",
        FieldType::Text,
        "`measure` 整改措施 / `paragraph` 其他段落",
    ),
    field("agency", FieldType::Text, "署名机构 / agency as printed"),
    field(
        "agency_short",
        FieldType::Text,
        "机构简称 / agency short form",
    ),
    field("region", FieldType::Text, "地区 / region"),
    field("level", FieldType::Text, "层级 省/市/县 / level"),
    field(
        "published",
        FieldType::Date,
        "通报日期 / publication date, null if unknown",
    ),
    field(
        "inspection",
        FieldType::Text,
        "巡察 或 巡视 / inspection kind",
    ),
    field("title", FieldType::Text, "通报标题 / notice title"),
    field("source", FieldType::Text, "来源文件 / source file path"),
    field("line", FieldType::Integer, "来源行号 / 1-based source line"),
    field("category", FieldType::Text, "问题类别 / category title"),
    field("item", FieldType::Text, "二级条目 / item title"),
    field(
        "problem_n",
        FieldType::Integer,
        "问题序号，段落为 0 / problem number in the notice, 0 for paragraphs",
    ),
    field("problem", FieldType::Text, "问题标题 / problem title"),
    field(
        "measure_n",
        FieldType::Integer,
        "措施序号，段落为 0 / measure number in the problem, 0 for paragraphs",
    ),
    field(
        "status",
        FieldType::Text,
        "整改状态 completed/basically_completed/phased/in_progress/unspecified",
    ),
    field(
        "status_text",
        FieldType::Text,
        "状态原文 / status phrase as printed",
    ),
    field(
        "deadline",
        FieldType::Month,
        "完成时限 YYYY-MM / deadline, null if none",
    ),
    field(
        "measure",
        FieldType::Text,
        "措施或段落原文 / measure or paragraph text as written",
    ),
];

/// One exported record: a measure (or a problem stated without measures) or a
/// paragraph, with its notice's and problem's facts. Field order is [`FIELDS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRecord {
    /// Stable record id.
    pub id: String,
    /// `measure` or `paragraph`.
    pub kind: String,
    /// Agency as printed.
    pub agency: String,
    /// Agency short form.
    pub agency_short: String,
    /// Region.
    pub region: String,
    /// 省/市/县.
    pub level: String,
    /// Publication date, ISO.
    pub published: Option<String>,
    /// 巡察/巡视.
    pub inspection: String,
    /// Notice title.
    pub title: String,
    /// Source file.
    pub source: String,
    /// Source line.
    pub line: u64,
    /// Category title.
    pub category: String,
    /// Item title.
    pub item: String,
    /// Problem number in the notice (0 for paragraphs).
    pub problem_n: u64,
    /// Problem title.
    pub problem: String,
    /// Measure number in the problem (0 for paragraphs).
    pub measure_n: u64,
    /// Status name.
    pub status: Status,
    /// Status phrase as printed.
    pub status_text: String,
    /// Deadline `YYYY-MM`.
    pub deadline: Option<String>,
    /// Measure or paragraph text.
    pub measure: String,
}

impl ExportRecord {
    /// The record's values as CSV cells, in [`FIELDS`] order.
    pub fn cells(&self) -> [String; 20] {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        [
            self.id.clone(),
            self.kind.clone(),
            self.agency.clone(),
            self.agency_short.clone(),
            self.region.clone(),
            self.level.clone(),
            opt(&self.published),
            self.inspection.clone(),
            self.title.clone(),
            self.source.clone(),
            self.line.to_string(),
            self.category.clone(),
            self.item.clone(),
            self.problem_n.to_string(),
            self.problem.clone(),
            self.measure_n.to_string(),
            self.status.as_str().to_string(),
            self.status_text.clone(),
            opt(&self.deadline),
            self.measure.clone(),
        ]
    }
}

/// A CSV cell as it is written: one that a spreadsheet would take for a formula
/// (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// `'`, so that Excel, WPS and LibreOffice show it as text and never evaluate it
/// (CSV injection). Other cells are written as they are.
pub fn csv_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Output format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header, UTF-8 with a byte-order mark and CRLF line ends (opens in Excel and WPS).
    Csv,
    /// OpenSearch/Elasticsearch `_bulk` NDJSON: an `index` action with the record id, then the record.
    OpenSearch,
    /// Typesense JSONL import: the record without null fields, plus the
    /// pre-segmented search fields `measure_grams` and `problem_grams` ([`grams`]).
    Typesense,
}

/// Names of the extra fields of the Typesense format.
pub const TYPESENSE_EXTRA: [&str; 2] = ["measure_grams", "problem_grams"];

/// Whether a request selects anything narrower than the whole index.
fn selects(req: &SearchRequest) -> bool {
    !req.query.trim().is_empty()
        || req.agency.is_some()
        || !req.status.is_empty()
        || req.category.is_some()
        || req.level.is_some()
        || req.since.is_some()
        || req.until.is_some()
        || req.measures_only
}

fn first_str(doc: &TantivyDocument, f: tantivy::schema::Field) -> &str {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
}

fn first_u64(doc: &TantivyDocument, f: tantivy::schema::Field) -> u64 {
    doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Calls `each` with every record the request selects (its query and filters, as
/// in search; limit, offset and sort are ignored), or with every record of the
/// index when it selects nothing. Records come in index order: by segment, and
/// within a file in document order. Returns how many were passed.
///
/// Memory does not grow with the index: one stored document (and its problem's
/// first record) is read at a time.
pub fn for_each_record(
    engine: &Engine,
    req: &SearchRequest,
    mut each: impl FnMut(&ExportRecord) -> Result<()>,
) -> Result<usize> {
    let index = engine.index();
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::CorruptIndex {
        path: Default::default(),
        reason: "字段不符 (schema mismatch)".into(),
    })?;
    let query: Box<dyn Query> = if selects(req) {
        engine.build_query(req)?.0
    } else {
        // Reposted notices count once.
        engine.all_records(req)
    };
    let manifest = engine.manifest();
    let sources: HashMap<u64, &str> = manifest
        .files
        .keys()
        .map(|s| (file_id(s), s.as_str()))
        .collect();
    let searcher = index.reader()?.searcher();
    let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
    let mut count = 0;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = u32::try_from(ord).map_err(|_| Error::BadQuery("too many segments".into()))?;
        let alive = segment.alive_bitset();
        let mut scorer = weight.scorer(segment, 1.0)?;
        // The problem's first record, kept while its measures follow it.
        let mut head: Option<(u32, String, String, String)> = None;
        let mut doc_id = scorer.doc();
        while doc_id != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc_id)) {
                let doc: TantivyDocument = searcher.doc(DocAddress::new(ord, doc_id))?;
                let lead = u32::try_from(first_u64(&doc, fields.lead)).unwrap_or(0);
                let head_id = doc_id.saturating_sub(lead);
                if head.as_ref().is_none_or(|h| h.0 != head_id) {
                    let h: TantivyDocument = if lead == 0 {
                        doc.clone()
                    } else {
                        searcher.doc(DocAddress::new(ord, head_id))?
                    };
                    head = Some((
                        head_id,
                        first_str(&h, fields.category_title).to_string(),
                        first_str(&h, fields.item).to_string(),
                        first_str(&h, fields.problem).to_string(),
                    ));
                }
                let (category, item, problem) = match &head {
                    Some((_, c, i, p)) => (c.clone(), i.clone(), p.clone()),
                    None => Default::default(),
                };
                let file = first_u64(&doc, fields.file);
                let source = sources.get(&file).copied().unwrap_or_default();
                let entry = manifest.files.get(source);
                let fact = |f: fn(&crate::index::FileEntry) -> &String| -> String {
                    entry.map(|e| f(e).clone()).unwrap_or_default()
                };
                let problem_n = first_u64(&doc, fields.problem_n);
                let record = ExportRecord {
                    id: record_id(
                        file,
                        usize::try_from(first_u64(&doc, fields.n)).unwrap_or(0),
                    ),
                    kind: if problem_n > 0 {
                        "measure"
                    } else {
                        "paragraph"
                    }
                    .to_string(),
                    agency: fact(|e| &e.agency),
                    agency_short: first_str(&doc, fields.agency_short).to_string(),
                    region: fact(|e| &e.region),
                    level: first_str(&doc, fields.level).to_string(),
                    published: non_empty(&fact(|e| &e.published)),
                    inspection: fact(|e| &e.inspection),
                    title: fact(|e| &e.title),
                    source: source.to_string(),
                    line: first_u64(&doc, fields.line),
                    category,
                    item,
                    problem_n,
                    problem,
                    measure_n: first_u64(&doc, fields.measure_n),
                    status: Status::from_stored(first_str(&doc, fields.status)),
                    status_text: first_str(&doc, fields.status_text).to_string(),
                    deadline: non_empty(first_str(&doc, fields.deadline)),
                    measure: first_str(&doc, fields.text).to_string(),
                };
                each(&record)?;
                count += 1;
            }
            doc_id = scorer.advance();
        }
    }
    Ok(count)
}

/// The I/O error behind a CSV error (so that a closed pipe is still seen as one).
fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("CSV: {other:?}")),
    }
}

fn json_line(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The Typesense document of a record: the record without null fields, plus
/// [`TYPESENSE_EXTRA`].
pub fn typesense_doc(r: &ExportRecord) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(r).map_err(std::io::Error::from)?;
    if let Some(map) = v.as_object_mut() {
        map.retain(|_, x| !x.is_null());
        map.insert(
            "measure_grams".into(),
            grams::grams(&r.measure).join(" ").into(),
        );
        map.insert(
            "problem_grams".into(),
            grams::grams(&r.problem).join(" ").into(),
        );
    }
    Ok(v)
}

/// Writes the records the request selects to `out` in `format`; returns how many.
/// The writer is flushed at the end; give a buffered one.
pub fn export(
    engine: &Engine,
    req: &SearchRequest,
    format: Format,
    out: &mut impl Write,
) -> Result<usize> {
    let n = match format {
        Format::Jsonl => for_each_record(engine, req, |r| json_line(out, r))?,
        Format::OpenSearch => for_each_record(engine, req, |r| {
            json_line(out, &serde_json::json!({"index": {"_id": r.id}}))?;
            json_line(out, r)
        })?,
        Format::Typesense => for_each_record(engine, req, |r| json_line(out, &typesense_doc(r)?))?,
        Format::Csv => {
            out.write_all("\u{feff}".as_bytes())?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut *out);
            let csv_err = |e: csv::Error| Error::PlainIo(csv_io(e));
            w.write_record(FIELDS.iter().map(|f| f.name))
                .map_err(csv_err)?;
            let n = for_each_record(engine, req, |r| {
                w.write_record(r.cells().map(csv_cell)).map_err(csv_err)
            })?;
            w.flush()?;
            n
        }
    };
    out.flush()?;
    Ok(n)
}
