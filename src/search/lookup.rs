//! Finding one record of a file by its number, reading a handful of records instead
//! of the whole file.
//!
//! The record number (`n`) is stored, not a column, so it cannot be searched for
//! directly. But the indexer hands a file's records to tantivy in order, a batch of
//! consecutive records at a time, and a batch lands in one segment as consecutive
//! documents: within such a run, the document `k` places after one numbered `x` is
//! numbered `x + k`. So the search walks the file's documents run by run: it reads
//! the number at the start of a run, jumps straight to the record if the run holds
//! it, and otherwise finds the end of the run by galloping (a few reads per run).
//! Only if the runs are not what the indexer makes (a damaged index) does it read
//! the file's records one by one, still keeping none of them.

use std::sync::Arc;

use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, InvertedIndexReader, Searcher, SegmentReader, TantivyDocument, Term,
    TERMINATED,
};

/// The documents of one file in one segment.
struct FileDocs<'a> {
    searcher: &'a Searcher,
    segment: &'a SegmentReader,
    ord: u32,
    inverted: Arc<InvertedIndexReader>,
    info: TermInfo,
    n_field: Field,
}

impl FileDocs<'_> {
    /// The first live document of the file at or after `from` ([`TERMINATED`] if none).
    fn next_from(&self, from: DocId) -> tantivy::Result<DocId> {
        let mut p = self
            .inverted
            .read_postings_from_terminfo(&self.info, IndexRecordOption::Basic)?;
        let mut d = p.doc();
        if d < from {
            d = p.seek(from);
        }
        while d != TERMINATED && self.segment.is_deleted(d) {
            d = p.advance();
        }
        Ok(d)
    }

    /// The stored record number of document `d`.
    fn number(&self, d: DocId) -> tantivy::Result<u64> {
        let doc: TantivyDocument = self.searcher.doc(DocAddress::new(self.ord, d))?;
        Ok(doc
            .get_first(self.n_field)
            .and_then(|v| v.as_u64())
            .unwrap_or(0))
    }

    /// Whether `d` is a live document of the file numbered `n`.
    fn holds(&self, d: DocId, n: u64) -> tantivy::Result<bool> {
        Ok(d < self.segment.max_doc() && self.next_from(d)? == d && self.number(d)? == n)
    }

    /// The run of consecutive records starting at `start` (numbered `x`): the offset
    /// of its last document, found by galloping then halving.
    fn run_end(&self, start: DocId, x: u64) -> tantivy::Result<u32> {
        let at = |k: u32| -> tantivy::Result<bool> {
            match start.checked_add(k) {
                Some(d) => self.holds(d, x.saturating_add(u64::from(k))),
                None => Ok(false),
            }
        };
        let (mut good, mut bad) = (0u32, 1u32);
        while at(bad)? {
            good = bad;
            match bad.checked_mul(2) {
                Some(b) => bad = b,
                None => return Ok(good),
            }
        }
        while bad - good > 1 {
            let mid = good + (bad - good) / 2;
            if at(mid)? {
                good = mid;
            } else {
                bad = mid;
            }
        }
        Ok(good)
    }

    /// The document numbered `n`, walking the runs.
    fn find_by_runs(&self, n: u64) -> tantivy::Result<Option<DocId>> {
        let mut d = self.next_from(0)?;
        while d != TERMINATED {
            let x = self.number(d)?;
            if x == n {
                return Ok(Some(d));
            }
            let len = self.run_end(d, x)?;
            if x < n && n - x <= u64::from(len) {
                // Inside this run: n - x fits in u32 since it is at most `len`.
                let t = d + u32::try_from(n - x).unwrap_or(0);
                if self.holds(t, n)? {
                    return Ok(Some(t));
                }
            }
            match d.checked_add(len).and_then(|e| e.checked_add(1)) {
                Some(next) => d = self.next_from(next)?,
                None => break,
            }
        }
        Ok(None)
    }

    /// The document numbered `n`, reading every document of the file (for an index
    /// whose runs are not what the indexer makes).
    fn find_by_scan(&self, n: u64) -> tantivy::Result<Option<DocId>> {
        let mut p = self
            .inverted
            .read_postings_from_terminfo(&self.info, IndexRecordOption::Basic)?;
        let mut d = p.doc();
        while d != TERMINATED {
            if !self.segment.is_deleted(d) && self.number(d)? == n {
                return Ok(Some(d));
            }
            d = p.advance();
        }
        Ok(None)
    }
}

/// The address of the record numbered `n` of the file whose records hold `file_term`.
/// `exists` says the manifest counts that record: only then, if the quick walk does
/// not find it, are the file's records read one by one.
pub(crate) fn find_record(
    searcher: &Searcher,
    file_field: Field,
    file_term: &Term,
    n_field: Field,
    n: u64,
    exists: bool,
) -> tantivy::Result<Option<DocAddress>> {
    let mut segments = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(file_field)?;
        let Some(info) = inverted.get_term_info(file_term)? else {
            continue;
        };
        let Ok(ord) = u32::try_from(ord) else { break };
        segments.push(FileDocs {
            searcher,
            segment,
            ord,
            inverted,
            info,
            n_field,
        });
    }
    for s in &segments {
        if let Some(d) = s.find_by_runs(n)? {
            return Ok(Some(DocAddress::new(s.ord, d)));
        }
    }
    if exists {
        for s in &segments {
            if let Some(d) = s.find_by_scan(n)? {
                return Ok(Some(DocAddress::new(s.ord, d)));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, INDEXED, STORED};
    use tantivy::{doc, Index, IndexWriter};

    /// Finds every record of file 7 in one segment whose documents hold the record
    /// numbers `order` (file 8's records between them), as a merge of segments can
    /// leave them.
    fn check(order: &[u64]) {
        let mut b = Schema::builder();
        let file = b.add_u64_field("file", INDEXED | STORED);
        let n = b.add_u64_field("n", STORED);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, &k) in order.iter().enumerate() {
            w.add_document(doc!(file => 7u64, n => k)).unwrap();
            if i % 3 == 1 {
                w.add_document(doc!(file => 8u64, n => k)).unwrap();
            }
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = Term::from_field_u64(file, 7);
        let max = order.iter().copied().max().unwrap_or(0);
        for k in 1..=max {
            let at = find_record(&searcher, file, &term, n, k, true).unwrap();
            let at = at.unwrap_or_else(|| panic!("{k} in {order:?}"));
            let d: TantivyDocument = searcher.doc(at).unwrap();
            assert_eq!(d.get_first(n).and_then(|v| v.as_u64()), Some(k));
            assert_eq!(d.get_first(file).and_then(|v| v.as_u64()), Some(7));
        }
        for exists in [false, true] {
            assert_eq!(
                find_record(&searcher, file, &term, n, max + 1, exists).unwrap(),
                None
            );
        }
    }

    #[test]
    fn records_are_found_in_any_order_of_runs() {
        check(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        check(&[5, 6, 7, 1, 2, 9, 3, 4, 8]);
        check(&[9, 8, 7, 6, 5, 4, 3, 2, 1]);
        check(&[3, 1, 2]);
        let long: Vec<u64> = (101..=300).chain(1..=100).collect();
        check(&long);
    }
}
