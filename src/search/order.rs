//! A stable order for hits that tie: by source file (its path's place among the
//! indexed paths), then record number. Without it equal scores (or equal dates)
//! come in the order of tantivy's segments and documents, which depends on which
//! writer thread took which batch: pages could shuffle between two builds of the
//! same corpus.
//!
//! The key of every document of a segment is computed once and kept: the `file`
//! postings give each document's file, and the record number column (`n`) the
//! numbers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};

use crate::index::record::file_id;
use crate::index::schema::Fields;
use crate::index::Manifest;

/// Key of a document whose file is not in the manifest: after all others.
const UNKNOWN: u64 = u64::MAX;

/// Tie-break keys, `rank of the file's path << 32 | record number`, per segment.
pub(crate) struct TieBreak {
    fields: Fields,
    /// Place of each file (by [`file_id`]) among the manifest's paths, in order.
    ranks: HashMap<u64, u64>,
    segments: Mutex<HashMap<SegmentId, Arc<Vec<u64>>>>,
}

impl TieBreak {
    /// Keys for the files of `manifest`.
    pub(crate) fn new(fields: Fields, manifest: &Manifest) -> Self {
        let ranks = manifest
            .files
            .keys()
            .enumerate()
            .map(|(i, path)| (file_id(path), i as u64))
            .collect();
        TieBreak {
            fields,
            ranks,
            segments: Mutex::new(HashMap::new()),
        }
    }

    /// The key of every document of `seg`, by doc id (computed on first use).
    pub(crate) fn keys(&self, seg: &SegmentReader) -> Arc<Vec<u64>> {
        let id = seg.segment_id();
        if let Some(k) = self.lock().get(&id) {
            return Arc::clone(k);
        }
        let keys = Arc::new(self.compute(seg).unwrap_or_default());
        self.lock().insert(id, Arc::clone(&keys));
        keys
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<Vec<u64>>>> {
        match self.segments.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn compute(&self, seg: &SegmentReader) -> tantivy::Result<Vec<u64>> {
        let mut keys = vec![UNKNOWN; seg.max_doc() as usize];
        let inverted = seg.inverted_index(self.fields.file)?;
        // Every index of this format has the column; a segment without a whole one
        // (a damaged file) gets no keys, and its ties keep tantivy's order.
        let Some(numbers) = seg
            .fast_fields()
            .u64("n")
            .ok()
            .filter(|c| c.num_docs() >= seg.max_doc())
        else {
            return Ok(keys);
        };
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            let Ok(bytes) = <[u8; 8]>::try_from(terms.key()) else {
                continue;
            };
            let Some(&rank) = self.ranks.get(&u64::from_be_bytes(bytes)) else {
                continue;
            };
            let mut postings =
                inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let n = numbers.first(doc).unwrap_or(0);
                if let Some(k) = keys.get_mut(doc as usize) {
                    *k = rank << 32 | n.min(u32::MAX as u64);
                }
                doc = postings.advance();
            }
        }
        Ok(keys)
    }
}

/// What a paragraph's score is multiplied by: for the same match a measure ranks
/// above a preamble, plan or heading paragraph.
pub const PARAGRAPH_WEIGHT: f32 = 0.75;

/// The columns ranking reads besides the score: publication date and problem number
/// (0 for a paragraph). A column shorter than the segment (a damaged file) is not
/// read: its records then count as undated measures.
pub(crate) struct Columns {
    date: Option<tantivy::columnar::Column<u64>>,
    problem_n: Option<tantivy::columnar::Column<u64>>,
}

impl Columns {
    /// The columns of `seg`.
    pub(crate) fn of(seg: &SegmentReader) -> Columns {
        let col = |name: &str| {
            seg.fast_fields()
                .u64(name)
                .ok()
                .filter(|c| c.num_docs() >= seg.max_doc())
        };
        Columns {
            date: col("date"),
            problem_n: col("problem_n"),
        }
    }

    /// Publication date `YYYYMMDD` of `doc` (0 if unknown).
    pub(crate) fn date(&self, doc: DocId) -> u64 {
        self.date.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
    }

    /// `score` weighed by the kind of record `doc` is ([`PARAGRAPH_WEIGHT`]).
    pub(crate) fn weigh(&self, doc: DocId, score: f32) -> f32 {
        match self.problem_n.as_ref().and_then(|c| c.first(doc)) {
            Some(0) => score * PARAGRAPH_WEIGHT,
            _ => score,
        }
    }
}
