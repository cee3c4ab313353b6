//! A stable order for hits that tie: by source file (its path's place among the
//! indexed paths), then record number. Without it equal scores (or equal dates)
//! come in the order of tantivy's segments and documents, which depends on which
//! writer thread took which batch: pages could shuffle between two builds of the
//! same corpus.
//!
//! The key of every document of a segment is computed once and kept, with the
//! date and kind ranking also reads: the `file` postings give each document's
//! file, and the columns its record number, date and problem number.

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

/// What ranking reads of one document besides its score: the tie-break key
/// (`rank of the file's path << 32 | record number`), the publication date and
/// whether it is a paragraph. Kept densely per segment, so that ranking a frequent
/// word's tens of thousands of matches reads one array instead of three columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rank {
    /// Tie-break key: smaller first.
    pub(crate) key: u64,
    /// Publication date `YYYYMMDD` (0 if unknown).
    pub(crate) date: u32,
    /// A paragraph (problem number 0), not a measure.
    pub(crate) paragraph: bool,
}

impl Rank {
    /// A document whose file is not in the manifest: after all others, undated.
    pub(crate) const UNKNOWN: Rank = Rank {
        key: UNKNOWN,
        date: 0,
        paragraph: false,
    };

    /// `score` weighed by the kind of record this is ([`PARAGRAPH_WEIGHT`]).
    pub(crate) fn weigh(&self, score: f32) -> f32 {
        if self.paragraph {
            score * PARAGRAPH_WEIGHT
        } else {
            score
        }
    }
}

/// The [`Rank`] of every document, per segment.
pub(crate) struct TieBreak {
    fields: Fields,
    /// Place of each file (by [`file_id`]) among the manifest's paths, in order.
    ranks: HashMap<u64, u64>,
    segments: Mutex<HashMap<SegmentId, Arc<[Rank]>>>,
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

    /// The rank of every document of `seg`, by doc id (computed on first use).
    pub(crate) fn ranks(&self, seg: &SegmentReader) -> Arc<[Rank]> {
        let id = seg.segment_id();
        if let Some(k) = self.lock().get(&id) {
            return Arc::clone(k);
        }
        let ranks: Arc<[Rank]> = self
            .compute(seg)
            .unwrap_or_else(|_| vec![Rank::UNKNOWN; seg.max_doc() as usize])
            .into();
        self.lock().insert(id, Arc::clone(&ranks));
        ranks
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<[Rank]>>> {
        match self.segments.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn compute(&self, seg: &SegmentReader) -> tantivy::Result<Vec<Rank>> {
        let mut ranks = vec![Rank::UNKNOWN; seg.max_doc() as usize];
        // A column shorter than the segment (a damaged file) is not read: its
        // records then count as undated measures.
        let col = |name: &str| {
            seg.fast_fields()
                .u64(name)
                .ok()
                .filter(|c| c.num_docs() >= seg.max_doc())
        };
        if let Some(dates) = col("date") {
            for (doc, r) in ranks.iter_mut().enumerate() {
                let date = dates.first(doc as DocId).unwrap_or(0);
                r.date = u32::try_from(date).unwrap_or(0);
            }
        }
        if let Some(problems) = col("problem_n") {
            for (doc, r) in ranks.iter_mut().enumerate() {
                r.paragraph = problems.first(doc as DocId) == Some(0);
            }
        }
        let inverted = seg.inverted_index(self.fields.file)?;
        // Every index of this format has the column; a segment without a whole one
        // gets no keys, and its ties keep tantivy's order.
        let Some(numbers) = col("n") else {
            return Ok(ranks);
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
                if let Some(r) = ranks.get_mut(doc as usize) {
                    r.key = rank << 32 | n.min(u32::MAX as u64);
                }
                doc = postings.advance();
            }
        }
        Ok(ranks)
    }
}

/// What a paragraph's score is multiplied by: for the same match a measure ranks
/// above a preamble, plan or heading paragraph.
pub const PARAGRAPH_WEIGHT: f32 = 0.75;
