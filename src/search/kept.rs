//! Scored documents of ranking clauses, kept per segment.
//!
//! A frequent word (整改 is in a fifth of all records) is ranked by decoding its
//! postings, reading field norms and computing BM25 for every record it matches,
//! in each of three fields: most of the time of a query holding it. The scores
//! depend only on the segment and the index's statistics, so [`KeptQuery`] keeps
//! each clause's `(doc, score)` list per segment, and a later query holding the
//! same word (as written, with other words, with other filters) reads the list.
//!
//! A list is kept from the second time its clause is asked for in a segment (as
//! Lucene's query cache waits for a filter to be used again): making it reads every
//! posting of the word, more than one query needs when it is asked only once
//! (while typing, most prefixes are).
//!
//! An entry's key holds the segment id, the boost, and a fingerprint of every
//! segment of the searcher with its record count (BM25's statistics come from
//! them); an index no longer open just leaves its entries unused until they age
//! out ([`super::cache`]).

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::cache::Lru;

/// Most `(doc, score)` pairs kept over all entries (8 bytes each: 32 MB).
const KEPT_PAIRS: usize = 4 << 20;
/// Most entries kept.
const KEPT_ENTRIES: usize = 8192;
/// Most clauses remembered as asked for once.
const SEEN_ENTRIES: usize = 16384;

/// `inner`'s scored documents, kept per segment under `key` (which must name
/// `inner` and nothing else: the field, word and boost).
#[derive(Debug)]
pub struct KeptQuery {
    inner: Box<dyn Query>,
    key: Arc<str>,
}

impl Clone for KeptQuery {
    fn clone(&self) -> Self {
        KeptQuery {
            inner: self.inner.box_clone(),
            key: Arc::clone(&self.key),
        }
    }
}

impl KeptQuery {
    /// Keeps the scored documents of `inner`, known by `key`.
    pub fn new(inner: Box<dyn Query>, key: impl Into<Arc<str>>) -> Self {
        KeptQuery {
            inner,
            key: key.into(),
        }
    }
}

/// What an entry is kept for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    segment: SegmentId,
    searcher: u64,
    /// The boost's bits.
    boost: u32,
    query: Arc<str>,
}

type Pairs = Arc<[(DocId, Score)]>;

fn kept() -> &'static Lru<Key, Pairs> {
    static CACHE: OnceLock<Lru<Key, Pairs>> = OnceLock::new();
    CACHE.get_or_init(|| Lru::new(KEPT_PAIRS, KEPT_ENTRIES))
}

/// Clauses asked for once, not kept yet.
fn seen() -> &'static Lru<Key, ()> {
    static SEEN: OnceLock<Lru<Key, ()>> = OnceLock::new();
    SEEN.get_or_init(|| Lru::new(SEEN_ENTRIES, SEEN_ENTRIES))
}

/// Forgets every kept list, and which clauses were asked for (for measuring
/// queries never asked before).
pub fn clear_cache() {
    kept().clear();
    seen().clear();
}

/// The segments of `searcher` and their record counts: BM25's statistics come from
/// them.
fn fingerprint(searcher: &Searcher) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for seg in searcher.segment_readers() {
        seg.segment_id().hash(&mut h);
        seg.num_docs().hash(&mut h);
    }
    h.finish()
}

impl Query for KeptQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(scoring)?;
        // Kept only where scores are asked for. They come from the searcher's own
        // statistics: the only way this crate searches (`Searcher::search`).
        let searcher = match scoring {
            EnableScoring::Enabled { searcher, .. } => fingerprint(searcher),
            EnableScoring::Disabled { .. } => return Ok(inner),
        };
        Ok(Box::new(KeptWeight {
            inner,
            searcher,
            key: Arc::clone(&self.key),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct KeptWeight {
    inner: Box<dyn Weight>,
    searcher: u64,
    key: Arc<str>,
}

impl KeptWeight {
    /// The kept list of `reader`'s segment under `boost`; `None` the first time it
    /// is asked for, and for a list too long to keep.
    fn pairs(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Option<Pairs>> {
        // Scored with the boost asked for, not scaled afterwards: the scores are then
        // the very ones the clause gives, and ties stay ties across segments.
        let key = Key {
            segment: reader.segment_id(),
            searcher: self.searcher,
            boost: boost.to_bits(),
            query: Arc::clone(&self.key),
        };
        if let Some(pairs) = kept().get(&key) {
            return Ok(Some(pairs));
        }
        if seen().get(&key).is_none() {
            seen().insert(key, (), 1);
            return Ok(None);
        }
        let mut scorer = self.inner.scorer(reader, boost)?;
        if scorer.size_hint() as usize > KEPT_PAIRS {
            // Would not be kept: made on every request, it would cost more than it
            // saves.
            return Ok(None);
        }
        let mut pairs = Vec::new();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            pairs.push((doc, scorer.score()));
            doc = scorer.advance();
        }
        let pairs: Pairs = pairs.into();
        kept().insert(key, Arc::clone(&pairs), pairs.len().max(1));
        Ok(Some(pairs))
    }
}

impl Weight for KeptWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pairs(reader, boost)? {
            Some(pairs) => Box::new(KeptScorer { pairs, at: 0 }),
            None => self.inner.scorer(reader, boost)?,
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// Walks a kept list.
pub(crate) struct KeptScorer {
    pairs: Pairs,
    at: usize,
}

impl DocSet for KeptScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.pairs[self.at.min(self.pairs.len())..];
        // Matches are mostly close together: look at the next few first, then
        // gallop.
        let near = rest.len().min(8);
        if let Some(i) = rest[..near].iter().position(|p| p.0 >= target) {
            self.at += i;
            return rest[i].0;
        }
        let mut step = near.max(1);
        while step < rest.len() && rest[step].0 < target {
            step *= 2;
        }
        let window = &rest[..rest.len().min(step + 1)];
        self.at += window.partition_point(|p| p.0 < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.pairs.get(self.at).map_or(TERMINATED, |p| p.0)
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.pairs.len().saturating_sub(self.at)).unwrap_or(u32::MAX)
    }
}

impl Scorer for KeptScorer {
    fn score(&mut self) -> Score {
        self.pairs.get(self.at).map_or(0.0, |p| p.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// A kept clause scores and finds exactly what the clause does, the first time
    /// and from the kept list, standing alone and joined with a required clause.
    #[test]
    fn kept_scores_are_the_clause_scores() -> tantivy::Result<()> {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for i in 0..3000 {
            let text = match i % 7 {
                0 => "甲 乙 乙",
                1 => "乙",
                2 => "甲 丙 丙 丙 丙",
                3 => "乙 丙",
                _ => "丁",
            };
            w.add_document(doc!(body => text))?;
        }
        w.commit()?;
        let searcher = index.reader()?.searcher();
        let term = |s: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(body, s),
                IndexRecordOption::WithFreqs,
            ))
        };
        let top = TopDocs::with_limit(5000).order_by_score();
        let plain = BoostQuery::new(term("乙"), 2.0);
        let want = searcher.search(&plain, &top)?;
        assert_eq!(want.len(), 1287);
        let key = format!("test-{}", std::process::id());
        let kept = || KeptQuery::new(Box::new(BoostQuery::new(term("乙"), 2.0)), key.as_str());
        // Asked for once (not kept), then kept, then read from the kept list.
        for _ in 0..3 {
            assert_eq!(searcher.search(&kept(), &top)?, want);
        }
        // Under another boost, as the optional part of a query.
        let joined = |q: Box<dyn Query>| {
            BooleanQuery::new(vec![
                (Occur::Must, term("甲")),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, 0.5)) as Box<dyn Query>,
                ),
            ])
        };
        let want = searcher.search(&joined(Box::new(plain.clone())), &top)?;
        assert!(!want.is_empty());
        for _ in 0..3 {
            assert_eq!(searcher.search(&joined(Box::new(kept())), &top)?, want);
        }
        Ok(())
    }

    #[test]
    fn seeking_gallops_to_the_first_doc_at_or_after_the_target() {
        let pairs: Pairs = (0..100u32).map(|d| (d * 3, d as f32)).collect();
        let mut s = KeptScorer { pairs, at: 0 };
        assert_eq!(s.seek(0), 0);
        assert_eq!(s.seek(4), 6);
        assert_eq!(s.score(), 2.0);
        assert_eq!(s.seek(5), 6);
        assert_eq!(s.seek(200), 201);
        assert_eq!(s.advance(), 204);
        assert_eq!(s.seek(297), 297);
        assert_eq!(s.seek(298), TERMINATED);
        assert_eq!(s.advance(), TERMINATED);
    }
}
