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

use super::Sort;
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
    segments: Mutex<HashMap<SegmentId, Arc<[u64]>>>,
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
    pub(crate) fn keys(&self, seg: &SegmentReader) -> Arc<[u64]> {
        let id = seg.segment_id();
        if let Some(k) = self.lock().get(&id) {
            return Arc::clone(k);
        }
        let keys: Arc<[u64]> = self.compute(seg).unwrap_or_default().into();
        self.lock().insert(id, Arc::clone(&keys));
        keys
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<[u64]>>> {
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

/// What a paragraph's score is multiplied by: for the same match a measure ranks
/// above a preamble, plan or heading paragraph.
pub const PARAGRAPH_WEIGHT: f32 = 0.75;

/// A hit's place: greater is better. `first` and `then` are the weighed score
/// (as [`ordered`]) and the date, in the order the [`Sort`] says: by relevance the
/// score first, by date the date first; then the tie-break key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    first: u64,
    then: u64,
    key: u64,
    doc: DocId,
    /// The weighed score.
    score: f32,
}

/// `f` as an integer in the same order (scores are finite; any order of NaNs will do).
fn ordered(f: f32) -> u64 {
    let b = f.to_bits();
    u64::from(if b >> 31 == 1 { !b } else { b | 1 << 31 })
}

impl Ord for Place {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.first, self.then)
            .cmp(&(other.first, other.then))
            // A smaller key, then a smaller doc id, is better.
            .then(other.key.cmp(&self.key))
            .then(other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Place {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Place {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Place {}

/// The best `offset + limit` hits in [`Sort`] order, then the `limit` after the
/// first `offset`, each with its weighed score.
///
/// By score, a match scoring below the worst hit kept so far cannot enter (the
/// weighed score is at most the score), so its kind, date and key are not even
/// read: for a frequent word, most of its matches.
pub(crate) struct TopHits {
    order: Arc<TieBreak>,
    by: Sort,
    offset: usize,
    limit: usize,
}

impl TopHits {
    pub(crate) fn new(order: Arc<TieBreak>, by: Sort, offset: usize, limit: usize) -> Self {
        TopHits {
            order,
            by,
            offset,
            limit,
        }
    }
}

/// One segment's best hits.
pub(crate) struct SegmentTopHits {
    keys: Arc<[u64]>,
    columns: Columns,
    by: Sort,
    want: usize,
    segment: tantivy::SegmentOrdinal,
    /// The worst kept on top.
    kept: std::collections::BinaryHeap<std::cmp::Reverse<Place>>,
    /// Score below which a match cannot enter (by score, once `want` are kept).
    floor: f32,
}

impl tantivy::collector::SegmentCollector for SegmentTopHits {
    type Fruit = Vec<(Place, tantivy::SegmentOrdinal)>;

    #[inline]
    fn collect(&mut self, doc: DocId, score: tantivy::Score) {
        if score < self.floor {
            return;
        }
        let weighed = self.columns.weigh(doc, score);
        let date = self.columns.date(doc);
        let (first, then) = match self.by {
            Sort::Relevance => (ordered(weighed), date),
            Sort::Date => (date, ordered(weighed)),
        };
        let place = Place {
            first,
            then,
            key: self.keys.get(doc as usize).copied().unwrap_or(UNKNOWN),
            doc,
            score: weighed,
        };
        if self.kept.len() < self.want {
            self.kept.push(std::cmp::Reverse(place));
        } else if let Some(mut worst) = self.kept.peek_mut() {
            if place > worst.0 {
                *worst = std::cmp::Reverse(place);
            }
        }
        if self.by == Sort::Relevance && self.kept.len() >= self.want {
            if let Some(worst) = self.kept.peek() {
                self.floor = worst.0.score;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        self.kept
            .into_iter()
            .map(|std::cmp::Reverse(p)| (p, segment))
            .collect()
    }
}

impl tantivy::collector::Collector for TopHits {
    type Fruit = Vec<(f32, tantivy::DocAddress)>;
    type Child = SegmentTopHits;

    fn for_segment(
        &self,
        segment: tantivy::SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTopHits> {
        let want = self.offset.saturating_add(self.limit).max(1);
        Ok(SegmentTopHits {
            keys: self.order.keys(reader),
            columns: Columns::of(reader),
            by: self.by,
            want,
            segment,
            kept: std::collections::BinaryHeap::with_capacity(want.min(1 << 14) + 1),
            floor: f32::NEG_INFINITY,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Place, tantivy::SegmentOrdinal)>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Place, tantivy::SegmentOrdinal)> = fruits.into_iter().flatten().collect();
        // Best first; places compare doc ids last, so equal keys (only documents of
        // unknown files) go by doc id, then segment.
        all.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(all
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|(p, segment)| (p.score, tantivy::DocAddress::new(segment, p.doc)))
            .collect())
    }
}
