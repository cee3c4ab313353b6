//! Matching problem-level text once per problem.
//!
//! A problem's title, category and item are the same for each of its measures, so
//! the index holds them once, on the problem's first record (its head); the other
//! records of the problem follow it directly, in the same segment, and store how far
//! they are from it (the `lead` column: 0 on a head). [`GroupQuery`] runs a query
//! over those fields and extends each head it matches to its whole group, with the
//! head's score: a word of the problem title matches every measure of the problem.
//!
//! Where the groups of a segment begin is read from the lead column once and kept
//! as a bitset of heads (`Heads`), per segment, in a `search::cache` LRU.

use std::sync::{Arc, OnceLock};

use tantivy::columnar::{Column, ColumnValues};
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::cache::Lru;

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

/// Most segments whose [`Heads`] are kept.
const HEADS_KEPT: usize = 64;
/// Most records the kept [`Heads`] cover, over all of them (one bit each: 32 MB).
const HEADS_RECORDS: usize = 1 << 28;

/// Which records of a segment begin a group (their lead is 0: heads of problems,
/// paragraphs), one bit each.
#[derive(Debug)]
pub(crate) struct Heads {
    bits: Vec<u64>,
    max_doc: DocId,
}

impl Heads {
    /// Reads the lead column of `reader`.
    fn read(reader: &SegmentReader) -> tantivy::Result<Heads> {
        let max_doc = reader.max_doc();
        let leads = leads(reader)?;
        let mut bits = vec![0u64; (max_doc as usize).div_ceil(64)];
        for doc in 0..max_doc {
            if leads.get_val(doc) == 0 {
                bits[doc as usize / 64] |= 1 << (doc % 64);
            }
        }
        Ok(Heads { bits, max_doc })
    }

    /// The heads of `reader`'s segment: kept from an earlier search if there was
    /// one, else read.
    pub(crate) fn of(reader: &SegmentReader) -> tantivy::Result<Arc<Heads>> {
        static CACHE: OnceLock<Lru<SegmentId, Arc<Heads>>> = OnceLock::new();
        CACHE
            .get_or_init(|| Lru::new(HEADS_RECORDS, HEADS_KEPT))
            .get_or_insert_with(&reader.segment_id(), || {
                let heads = Heads::read(reader)?;
                let weight = heads.max_doc.max(1) as usize;
                Ok((Arc::new(heads), weight))
            })
    }

    /// The first head after `doc` (`max_doc` if there is none): the end of the
    /// group `doc` is in.
    fn next_after(&self, doc: DocId) -> DocId {
        let from = doc.saturating_add(1);
        if from >= self.max_doc {
            return self.max_doc;
        }
        let mut w = from as usize / 64;
        let mut word = self.bits[w] & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                let found = (w * 64) as DocId + word.trailing_zeros();
                return found.min(self.max_doc);
            }
            w += 1;
            match self.bits.get(w) {
                Some(&next) => word = next,
                None => return self.max_doc,
            }
        }
    }

    /// The head of the group `doc` is in: the last head at or before it (0 if there
    /// is none).
    fn head_of(&self, doc: DocId) -> DocId {
        let doc = doc.min(self.max_doc.saturating_sub(1));
        let mut w = doc as usize / 64;
        let Some(&first) = self.bits.get(w) else {
            return 0;
        };
        let mut word = first & (u64::MAX >> (63 - doc % 64));
        loop {
            if word != 0 {
                return (w * 64) as DocId + 63 - word.leading_zeros();
            }
            if w == 0 {
                return 0;
            }
            w -= 1;
            word = self.bits[w];
        }
    }
}

impl Weight for GroupWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(GroupScorer::new(inner, Heads::of(reader)?)))
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
    heads: Arc<Heads>,
    max_doc: DocId,
    doc: DocId,
    /// End (exclusive) of the current group.
    end: DocId,
    score: Score,
}

impl GroupScorer {
    fn new(inner: Box<dyn Scorer>, heads: Arc<Heads>) -> Self {
        let mut s = GroupScorer {
            inner,
            max_doc: heads.max_doc,
            heads,
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
        self.end = self.heads.next_after(head);
    }

    /// The head of the group `doc` belongs to.
    fn head_of(&self, doc: DocId) -> DocId {
        self.heads.head_of(doc)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Heads from a list of leads, as the lead column gives them.
    fn heads(leads: &[u64]) -> Heads {
        let mut bits = vec![0u64; leads.len().div_ceil(64)];
        for (doc, &l) in leads.iter().enumerate() {
            if l == 0 {
                bits[doc / 64] |= 1 << (doc % 64);
            }
        }
        Heads {
            bits,
            max_doc: leads.len() as DocId,
        }
    }

    #[test]
    fn group_ends_and_heads_agree_with_the_leads() {
        // Groups of many sizes, across word boundaries of the bitset.
        let mut leads = Vec::new();
        for size in [1, 3, 64, 1, 70, 2, 129, 1, 1, 5] {
            leads.extend(0..size as u64);
        }
        let h = heads(&leads);
        let max = leads.len() as DocId;
        for doc in 0..max {
            let head = doc - leads[doc as usize] as DocId;
            assert_eq!(h.head_of(doc), head, "head of {doc}");
            let mut end = doc + 1;
            while end < max && leads[end as usize] > 0 {
                end += 1;
            }
            assert_eq!(h.next_after(doc), end, "end of the group of {doc}");
        }
        assert_eq!(h.next_after(max - 1), max);
        assert_eq!(h.next_after(max + 5), max);
        assert_eq!(h.head_of(max + 5), h.head_of(max - 1));
        // No head at all before a record (a damaged column): 0.
        let h = heads(&[1, 2, 0, 1]);
        assert_eq!(h.head_of(1), 0);
        assert_eq!(h.head_of(3), 2);
        assert_eq!(h.next_after(0), 2);
        let h = heads(&[]);
        assert_eq!(h.next_after(0), 0);
        assert_eq!(h.head_of(0), 0);
    }
}
