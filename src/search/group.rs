//! Matching problem-level text once per problem.
//!
//! A problem's title, category and item are the same for each of its measures, so
//! the index holds them once, on the problem's first record (its head); the other
//! records of the problem follow it directly, in the same segment, and store how far
//! they are from it (the `lead` column: 0 on a head). [`GroupQuery`] runs a query
//! over those fields and extends each head it matches to its whole group, with the
//! head's score: a word of the problem title matches every measure of the problem.

use std::sync::Arc;

use tantivy::columnar::{Column, ColumnValues};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Name of the column holding each record's distance to its group's head.
pub const LEAD: &str = "lead";

/// `inner` (a query over head-only fields), extended from each head to its group.
#[derive(Debug)]
pub struct GroupQuery {
    inner: Box<dyn Query>,
}

impl Clone for GroupQuery {
    fn clone(&self) -> Self {
        GroupQuery {
            inner: self.inner.box_clone(),
        }
    }
}

impl GroupQuery {
    /// Wraps a query over fields that only heads hold.
    pub fn new(inner: Box<dyn Query>) -> Self {
        GroupQuery { inner }
    }
}

impl Query for GroupQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GroupWeight {
            inner: self.inner.weight(scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct GroupWeight {
    inner: Box<dyn Weight>,
}

/// The lead of every record of the segment (0 where absent: heads, paragraphs; a
/// segment of heads only has no lead column at all). A column that does not cover
/// every record of the segment (a damaged file) is an error, not a read out of
/// bounds.
pub(crate) fn leads(reader: &SegmentReader) -> tantivy::Result<Arc<dyn ColumnValues<u64>>> {
    let column = reader
        .fast_fields()
        .column_opt::<u64>(LEAD)?
        .unwrap_or_else(|| Column::build_empty_column(reader.max_doc()));
    if column.num_docs() < reader.max_doc() {
        return Err(tantivy::TantivyError::InternalError(format!(
            "“{LEAD}” 列短于段 (the {LEAD} column holds {} of {} records)",
            column.num_docs(),
            reader.max_doc()
        )));
    }
    Ok(column.first_or_default_col(0))
}

impl Weight for GroupWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(GroupScorer::new(
            inner,
            leads(reader)?,
            reader.max_doc(),
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let lead = leads(reader)?.get_val(doc);
        let head = doc.saturating_sub(u32::try_from(lead).unwrap_or(u32::MAX));
        self.inner.explain(reader, head)
    }
}

/// Walks the inner scorer's heads and every record of their groups.
struct GroupScorer {
    inner: Box<dyn Scorer>,
    leads: Arc<dyn ColumnValues<u64>>,
    max_doc: DocId,
    doc: DocId,
    /// End (exclusive) of the current group.
    end: DocId,
    score: Score,
}

impl GroupScorer {
    fn new(inner: Box<dyn Scorer>, leads: Arc<dyn ColumnValues<u64>>, max_doc: DocId) -> Self {
        let mut s = GroupScorer {
            inner,
            leads,
            max_doc,
            doc: TERMINATED,
            end: TERMINATED,
            score: 0.0,
        };
        let head = s.inner.doc();
        s.enter(head);
        s
    }

    /// Makes `head` (where the inner scorer stands) the current group.
    fn enter(&mut self, head: DocId) {
        self.doc = head;
        if head == TERMINATED {
            self.end = TERMINATED;
            return;
        }
        self.score = self.inner.score();
        let mut end = head + 1;
        while end < self.max_doc && self.leads.get_val(end) > 0 {
            end += 1;
        }
        self.end = end;
    }

    /// The head of the group `doc` belongs to.
    fn head_of(&self, doc: DocId) -> DocId {
        let lead = self.leads.get_val(doc);
        doc.saturating_sub(u32::try_from(lead).unwrap_or(u32::MAX))
    }
}

impl DocSet for GroupScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.doc + 1 < self.end {
            self.doc += 1;
            return self.doc;
        }
        let mut head = self.inner.advance();
        if head < self.end {
            // Heads come after the group before them; a damaged lead column could
            // say otherwise, and doc ids must still only go forward.
            head = self.inner.seek(self.end);
        }
        self.enter(head);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc == TERMINATED || target <= self.doc {
            return self.doc;
        }
        if target < self.end {
            self.doc = target;
            return target;
        }
        if target >= self.max_doc {
            self.doc = TERMINATED;
            self.end = TERMINATED;
            return TERMINATED;
        }
        // The target's group starts after the current one: seek its head.
        let head = self.head_of(target);
        let found = self.inner.seek(head.max(self.end));
        self.enter(found);
        if found == head {
            self.doc = target;
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint().saturating_mul(3)
    }
}

impl Scorer for GroupScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}
