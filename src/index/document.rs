//! Records as tantivy documents, and how many wait to be indexed.
//!
//! tantivy indexes any type that implements its `Document` trait as it is, so a record
//! goes to the writer threads holding its own strings (moved out of the parsed
//! [`Record`], not copied into a `TantivyDocument`). Each document also carries a
//! [`Ticket`] of the [`Backlog`]: the build waits before sending more while too much
//! text is queued. tantivy's own queue is bounded in batches, not bytes, so without
//! this the parsed records waiting for the writer threads would grow with the batch
//! size and the record size; with it they stay near [`Backlog`]'s limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
use tantivy::schema::{Document, Field, Value};

use super::record::{file_id, Record};
use super::schema::Fields;
use crate::notice::Notice;

/// Text of the records sent to tantivy and not yet indexed, shared with their
/// tickets.
#[derive(Debug, Clone)]
pub(crate) struct Backlog {
    queued: Arc<AtomicUsize>,
    limit: usize,
}

/// A document's share of the [`Backlog`], given back when tantivy drops the document
/// (after indexing it, or with the writer on an error).
#[derive(Debug)]
pub(crate) struct Ticket {
    queued: Arc<AtomicUsize>,
    bytes: usize,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.queued.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

impl Backlog {
    /// A backlog that [`Backlog::wait`] keeps under about `limit` bytes of text.
    pub(crate) fn new(limit: usize) -> Self {
        Backlog {
            queued: Arc::new(AtomicUsize::new(0)),
            limit,
        }
    }

    /// Bytes counted now.
    #[cfg(test)]
    pub(crate) fn queued(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }

    /// Counts `bytes` of text until the ticket is dropped.
    pub(crate) fn ticket(&self, bytes: usize) -> Ticket {
        self.queued.fetch_add(bytes, Ordering::Relaxed);
        Ticket {
            queued: Arc::clone(&self.queued),
            bytes,
        }
    }

    /// Waits while more than the limit is queued besides `own`, the bytes of the batch
    /// about to be sent (which tantivy does not have yet, so cannot give back).
    ///
    /// Gives up once nothing has been given back for [`STALL`]: if tantivy's writer
    /// threads have died, the documents queued for them are only dropped with the
    /// writer, and the next send is what reports the failure.
    pub(crate) fn wait(&self, own: usize) {
        let mut last = usize::MAX;
        let mut since = Instant::now();
        loop {
            let queued = self.queued.load(Ordering::Relaxed);
            if queued.saturating_sub(own) <= self.limit {
                return;
            }
            if queued < last {
                last = queued;
                since = Instant::now();
            } else if since.elapsed() >= STALL {
                return;
            }
            // The writer threads index a batch in about a millisecond; polling at a
            // tenth of that costs nothing next to them and needs no wake-up from them.
            std::thread::sleep(Duration::from_micros(100));
        }
    }
}

/// How long [`Backlog::wait`] waits without any document being indexed.
const STALL: Duration = Duration::from_secs(1);

/// One record as the index takes it. Boxed: tantivy's queue sets aside a slot for
/// every one of its 10 000 batches of up to four documents, so a document's own size
/// is memory held for the whole build.
#[derive(Debug)]
pub(crate) struct RecordDoc(Box<Values>);

/// What a [`RecordDoc`] holds.
#[derive(Debug)]
struct Values {
    fields: Fields,
    n: u64,
    text: String,
    status: &'static str,
    date: u64,
    file: u64,
    line: u64,
    problem_n: u64,
    measure_n: u64,
    lead: u64,
    /// Title, category and item: only on the first record of a problem.
    problem: String,
    category: String,
    item: String,
    agency_short: Arc<str>,
    level: Arc<str>,
    status_text: String,
    deadline: String,
    ticket: Ticket,
}

/// Values every record of one file shares. Notice-level text (agency, title, dates
/// as written) lives once per file in the manifest, not in every record.
#[derive(Debug, Clone)]
pub(crate) struct FileValues {
    /// [`super::record::file_id`] of the source path.
    pub(crate) file: u64,
    pub(crate) agency_short: Arc<str>,
    pub(crate) level: Arc<str>,
    /// Publication date as `YYYYMMDD` (0 if unknown).
    pub(crate) date: u64,
}

impl FileValues {
    /// The values of the file `source` that parsed as `notice`.
    pub(crate) fn of(notice: &Notice, source: &str) -> Self {
        let published = notice.published.as_deref().unwrap_or("");
        FileValues {
            file: file_id(source),
            agency_short: notice.agency_short.as_deref().unwrap_or("").into(),
            level: notice.level.as_deref().unwrap_or("").into(),
            date: published.replace('-', "").parse().unwrap_or(0),
        }
    }
}

impl RecordDoc {
    /// The document of `r`, taking its strings, counted in `backlog` until tantivy has
    /// indexed it.
    pub(crate) fn new(fields: Fields, shared: &FileValues, r: Record, backlog: &Backlog) -> Self {
        // What a problem's records share is indexed and stored once, on the first.
        let (problem, category, item) = if r.lead == 0 {
            (r.problem, r.category, r.item)
        } else {
            (String::new(), String::new(), String::new())
        };
        // The text it keeps, and a share for the rest of the document.
        let bytes = [
            &r.text,
            &problem,
            &category,
            &item,
            &r.status_text,
            &r.deadline,
        ]
        .iter()
        .map(|s| s.len())
        .sum::<usize>()
            + std::mem::size_of::<Values>();
        RecordDoc(Box::new(Values {
            fields,
            n: r.n as u64,
            text: r.text,
            status: r.status.as_str(),
            date: shared.date,
            file: shared.file,
            line: r.line as u64,
            problem_n: r.problem_n as u64,
            measure_n: r.measure_n as u64,
            lead: r.lead as u64,
            problem,
            category,
            item,
            agency_short: Arc::clone(&shared.agency_short),
            level: Arc::clone(&shared.level),
            status_text: r.status_text,
            deadline: r.deadline,
            ticket: backlog.ticket(bytes),
        }))
    }

    /// Bytes it counts for in the backlog.
    pub(crate) fn queued_bytes(&self) -> usize {
        self.0.ticket.bytes
    }

    /// The value in slot `i` of [`SLOTS`], if the record has one there.
    fn slot(&self, i: usize) -> Option<(Field, FieldValue<'_>)> {
        let v = &*self.0;
        fn text(field: Field, s: &str) -> Option<(Field, FieldValue<'_>)> {
            (!s.is_empty()).then_some((field, FieldValue::Str(s)))
        }
        let f = &v.fields;
        // Numbers read back as 0 when absent: paragraphs have no problem, and the
        // first record of a problem (or a paragraph) has no lead.
        let number = |field, n: u64| (n > 0).then_some((field, FieldValue::U64(n)));
        match i {
            0 => Some((f.n, FieldValue::U64(v.n))),
            1 => Some((f.text, FieldValue::Str(&v.text))),
            2 => Some((f.status, FieldValue::Str(v.status))),
            3 => Some((f.date, FieldValue::U64(v.date))),
            4 => Some((f.file, FieldValue::U64(v.file))),
            5 => Some((f.line, FieldValue::U64(v.line))),
            6 => number(f.problem_n, v.problem_n),
            7 => number(f.measure_n, v.measure_n),
            8 => number(f.lead, v.lead),
            9 => text(f.problem, &v.problem),
            10 => text(f.category, &v.category),
            11 => text(f.category, &v.item),
            12 => text(f.category_title, &v.category),
            13 => text(f.item, &v.item),
            14 => text(f.agency_short, &v.agency_short),
            15 => text(f.level, &v.level),
            16 => text(f.status_text, &v.status_text),
            17 => text(f.deadline, &v.deadline),
            _ => None,
        }
    }
}

/// Number of slots [`RecordDoc::slot`] looks at.
const SLOTS: usize = 18;

/// A value of a [`RecordDoc`], borrowed from it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FieldValue<'a> {
    Str(&'a str),
    U64(u64),
}

impl<'a> Value<'a> for FieldValue<'a> {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        match *self {
            FieldValue::Str(s) => ReferenceValue::Leaf(ReferenceValueLeaf::Str(s)),
            FieldValue::U64(n) => ReferenceValue::Leaf(ReferenceValueLeaf::U64(n)),
        }
    }
}

/// The values of a [`RecordDoc`], in slot order.
pub(crate) struct FieldValues<'a> {
    doc: &'a RecordDoc,
    next: usize,
}

impl<'a> Iterator for FieldValues<'a> {
    type Item = (Field, FieldValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < SLOTS {
            let i = self.next;
            self.next += 1;
            if let Some(v) = self.doc.slot(i) {
                return Some(v);
            }
        }
        None
    }
}

impl Document for RecordDoc {
    type Value<'a> = FieldValue<'a>;
    type FieldsValuesIter<'a> = FieldValues<'a>;

    fn iter_fields_and_values(&self) -> FieldValues<'_> {
        FieldValues { doc: self, next: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::record::RecordKind;
    use crate::notice::Status;

    /// A record with every field set, so that each slot has something to give.
    fn record(lead: usize) -> Record {
        Record {
            id: String::new(),
            n: 7,
            kind: RecordKind::Measure,
            text: "一是完善制度".into(),
            problem: "公务用车管理不规范".into(),
            problem_n: 3,
            measure_n: lead + 1,
            category: "落实中央八项规定精神方面".into(),
            item: "作风建设".into(),
            status: Status::Completed,
            status_text: "已完成整改".into(),
            deadline: "2024-06".into(),
            line: 40,
            lead,
        }
    }

    /// The document's values by field name, in the order tantivy reads them.
    fn values(doc: &RecordDoc) -> Vec<(String, String)> {
        let schema = crate::index::schema::build();
        doc.iter_fields_and_values()
            .map(|(field, v)| {
                let v = match v {
                    FieldValue::Str(s) => s.to_string(),
                    FieldValue::U64(n) => n.to_string(),
                };
                (schema.get_field_name(field).to_string(), v)
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_problem_head_holds_its_title_and_the_others_their_lead() {
        let fields = Fields::from_schema(&crate::index::schema::build()).unwrap();
        let shared = FileValues {
            file: 42,
            agency_short: "怀化市卫生健康委员会".into(),
            level: "市".into(),
            date: 20231204,
        };
        let backlog = Backlog::new(1 << 20);
        let head = RecordDoc::new(fields, &shared, record(0), &backlog);
        assert_eq!(
            values(&head),
            pairs(&[
                ("n", "7"),
                ("text", "一是完善制度"),
                ("status", "completed"),
                ("date", "20231204"),
                ("file", "42"),
                ("line", "40"),
                ("problem_n", "3"),
                ("measure_n", "1"),
                ("problem", "公务用车管理不规范"),
                // Category first, then item: their positions in the field follow.
                ("category", "落实中央八项规定精神方面"),
                ("category", "作风建设"),
                ("category_title", "落实中央八项规定精神方面"),
                ("item", "作风建设"),
                ("agency_short", "怀化市卫生健康委员会"),
                ("level", "市"),
                ("status_text", "已完成整改"),
                ("deadline", "2024-06"),
            ])
        );
        let mut third = record(2);
        third.status_text.clear();
        let third = RecordDoc::new(fields, &shared, third, &backlog);
        assert_eq!(
            values(&third),
            pairs(&[
                ("n", "7"),
                ("text", "一是完善制度"),
                ("status", "completed"),
                ("date", "20231204"),
                ("file", "42"),
                ("line", "40"),
                ("problem_n", "3"),
                ("measure_n", "3"),
                ("lead", "2"),
                ("agency_short", "怀化市卫生健康委员会"),
                ("level", "市"),
                ("deadline", "2024-06"),
            ])
        );
        // The third record counts only the text it keeps.
        assert!(head.queued_bytes() > third.queued_bytes());
        let queued = head.queued_bytes() + third.queued_bytes();
        assert_eq!(backlog.queued(), queued);
        drop((head, third));
        assert_eq!(backlog.queued(), 0);
    }

    #[test]
    fn the_backlog_waits_for_others_not_for_the_batch_being_sent() {
        let backlog = Backlog::new(100);
        let sent = backlog.ticket(80);
        let own = backlog.ticket(500);
        // 580 queued, but 500 of it is the caller's own batch: 80 is under the limit.
        backlog.wait(500);
        let more = backlog.ticket(50);
        // 130 of others: returns once the writer gives 80 back.
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            drop(sent);
        });
        backlog.wait(500);
        // It could only return once `sent` was given back.
        assert_eq!(backlog.queued(), 550);
        writer.join().unwrap();
        drop((own, more));
        assert_eq!(backlog.queued(), 0);
    }

    #[test]
    fn the_backlog_stops_waiting_when_nothing_is_indexed() {
        // As when tantivy's writer threads have died with documents queued.
        let backlog = Backlog::new(100);
        let _stuck = backlog.ticket(1000);
        let (done, waited) = std::sync::mpsc::channel();
        let b = backlog.clone();
        std::thread::spawn(move || {
            b.wait(0);
            let _ = done.send(());
        });
        assert!(waited.recv_timeout(STALL * 10).is_ok());
    }
}
