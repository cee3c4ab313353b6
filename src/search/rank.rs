//! Ranking the records another query matches, without scoring the others.
//!
//! A word is matched by its literal ([`super::literal`]) and ranked by BM25 clauses
//! over its jieba words in three fields ([`super::query::Builder`]). Joined by a
//! boolean `Should`, those clauses become a union that decodes and scores every
//! posting of every word, matched or not: for 巡察整改 all records holding 整改
//! anywhere, three times as many as hold the phrase. [`RankQuery`] instead moves
//! each clause only to the records asked for (`seek`), so the work follows the
//! matches and skips whole blocks of postings between them.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The sum of its clauses' scores for each record one of them matches; meant as
/// the optional part of a query whose required part decides what matches.
#[derive(Debug)]
pub struct RankQuery {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for RankQuery {
    fn clone(&self) -> Self {
        RankQuery {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl RankQuery {
    /// Sums `clauses`.
    pub fn new(clauses: Vec<Box<dyn Query>>) -> Self {
        RankQuery { clauses }
    }
}

impl Query for RankQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(RankWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct RankWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for RankWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        if scorers.len() == 1 {
            if let Some(only) = scorers.pop() {
                return Ok(only);
            }
        }
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(RankScorer { scorers, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut details = Vec::new();
        let mut total = 0.0;
        for w in &self.weights {
            let mut s = w.scorer(reader, 1.0)?;
            if s.seek(doc) == doc {
                total += s.score();
                details.push(w.explain(reader, doc)?);
            }
        }
        let mut e = Explanation::new("sum of the ranking clauses matching", total);
        for d in details {
            e.add_detail(d);
        }
        Ok(e)
    }
}

/// Stands on the smallest document any clause stands on.
struct RankScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl RankScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for RankScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let at = self.doc;
        for s in &mut self.scorers {
            if s.doc() == at {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for RankScorer {
    fn score(&mut self) -> Score {
        let at = self.doc;
        let mut sum = 0.0;
        for s in &mut self.scorers {
            if s.doc() == at {
                sum += s.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// Ranking through [`RankQuery`] gives the same documents, scores and order as
    /// the boolean union it replaces.
    #[test]
    fn scores_like_a_boolean_union_of_its_clauses() -> tantivy::Result<()> {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let title = b.add_text_field("title", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let texts = [
            ("a b c", "b"),
            ("b b", "x"),
            ("a", "a b"),
            ("c", "c"),
            ("a c c", ""),
            ("x y", "a"),
        ];
        for _ in 0..300 {
            for (t, h) in texts {
                w.add_document(doc!(body => t, title => h))?;
            }
        }
        w.commit()?;
        let searcher = index.reader()?.searcher();
        let term = |f, s: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, s),
                IndexRecordOption::WithFreqs,
            ))
        };
        let clauses = || -> Vec<Box<dyn Query>> {
            vec![
                term(body, "b"),
                Box::new(BoostQuery::new(term(title, "b"), 2.0)),
                term(body, "c"),
                Box::new(BoostQuery::new(term(title, "c"), 0.5)),
            ]
        };
        let required = || term(body, "a");
        let union = BooleanQuery::new(
            std::iter::once((Occur::Must, required()))
                .chain(clauses().into_iter().map(|q| (Occur::Should, q)))
                .collect(),
        );
        let ranked = BooleanQuery::new(vec![
            (Occur::Must, required()),
            (Occur::Should, Box::new(RankQuery::new(clauses()))),
        ]);
        let top = TopDocs::with_limit(2000).order_by_score();
        let want = searcher.search(&union, &top)?;
        let got = searcher.search(&ranked, &top)?;
        assert_eq!(got.len(), 900);
        assert_eq!(got, want);
        // Standing alone it is the union of its clauses.
        let alone = searcher.search(&RankQuery::new(clauses()), &top)?;
        let some = searcher.search(
            &BooleanQuery::new(clauses().into_iter().map(|q| (Occur::Should, q)).collect()),
            &top,
        )?;
        assert_eq!(alone.len(), 1500);
        let ids = |v: &[(Score, tantivy::DocAddress)]| {
            let mut d: Vec<_> = v.iter().map(|(_, a)| *a).collect();
            d.sort();
            d
        };
        assert_eq!(ids(&alone), ids(&some));
        Ok(())
    }
}
