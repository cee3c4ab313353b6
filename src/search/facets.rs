//! Facet counts (agency, status, level, year) of the records a query matches, read
//! from the fast-field columns in the same pass over the matches as the top hits.
//!
//! Each record is counted once per facet, from its column values: the term ordinals
//! of the `agency_short`, `status` and `level` columns, and the year of the `date`
//! column. Only the ordinals that occur are turned back into text, once per segment.
//! The counts are the ones tantivy's terms and histogram aggregations give (ordered
//! by count, most first, ties by key; years newest first), without their per-segment
//! cut-off: every count is exact.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::cache::Lru;
use super::{FacetCounts, Facets};

/// Agencies shown at most.
const AGENCIES: usize = 50;
/// Statuses shown at most.
const STATUSES: usize = 10;
/// Levels shown at most.
const LEVELS: usize = 5;

/// Collects the [`Facets`] of the matching records.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacetCollector;

impl FacetCollector {
    /// A collector of facets.
    pub fn new() -> Self {
        FacetCollector
    }
}

/// Most segments whose [`FacetTable`] is kept.
const TABLES: usize = 64;
/// Most records the kept tables cover, over all of them (8 bytes each: 128 MB).
const TABLE_RECORDS: usize = 16 << 20;

/// Bits of a record's code for each facet: agency, status, level, year.
const BITS: [u32; 4] = [24, 12, 12, 16];

/// The facet values of every record of one segment, each record's as one code:
/// the place of its agency, status, level and year among the segment's values,
/// [`BITS`] bits each, 0 for none.
struct FacetTable {
    /// The values, by place (place 0 is none), of each facet; the years as text.
    names: [Vec<String>; 4],
    /// The code of each record, by doc id.
    codes: Vec<u64>,
}

/// The segment's table: kept from an earlier search if there was one
/// ([`super::cache`]), else read from its columns.
fn table(reader: &SegmentReader) -> tantivy::Result<Arc<FacetTable>> {
    static CACHE: OnceLock<Lru<SegmentId, Arc<FacetTable>>> = OnceLock::new();
    CACHE
        .get_or_init(|| Lru::new(TABLE_RECORDS, TABLES))
        .get_or_insert_with(&reader.segment_id(), || {
            let t = FacetTable::read(reader)?;
            let weight = t.codes.len().max(1);
            Ok((Arc::new(t), weight))
        })
}

impl FacetTable {
    /// Reads the columns of `reader`. A record's first value counts (the index holds
    /// one of each); a record past the end of a column (a damaged file) has none.
    fn read(reader: &SegmentReader) -> tantivy::Result<FacetTable> {
        let max_doc = reader.max_doc();
        let mut names: [Vec<String>; 4] = Default::default();
        let mut codes = vec![0u64; max_doc as usize];
        let mut shift = 0;
        for (i, field) in ["agency_short", "status", "level"].into_iter().enumerate() {
            let Some(column) = reader.fast_fields().str(field)? else {
                names[i].push(String::new());
                shift += BITS[i];
                continue;
            };
            // Place of each term ordinal that occurs, 1-based in order of ordinals.
            let ords = column.ords();
            let rows = ords.num_docs().min(max_doc);
            let mut place: Vec<u64> = vec![0; column.num_terms()];
            names[i].push(String::new());
            for doc in 0..rows {
                let Some(ord) = ords.first(doc) else {
                    continue;
                };
                let Some(p) = usize::try_from(ord).ok().and_then(|o| place.get_mut(o)) else {
                    continue;
                };
                if *p == 0 {
                    let mut term = String::new();
                    if !matches!(column.ord_to_str(ord, &mut term), Ok(true)) {
                        continue;
                    }
                    *p = names[i].len() as u64;
                    names[i].push(term);
                }
                codes[doc as usize] |= *p << shift;
            }
            shift += BITS[i];
        }
        names[3].push(String::new());
        if let Some(date) = reader.fast_fields().column_opt::<u64>("date")? {
            let mut places: HashMap<u64, u64> = HashMap::new();
            let mut last = (u64::MAX, 0);
            for doc in 0..date.num_docs().min(max_doc) {
                let Some(d) = date.first(doc) else {
                    continue;
                };
                let y = d / 10_000;
                if y != last.0 {
                    let p = *places.entry(y).or_insert_with(|| {
                        names[3].push(if y == 0 { String::new() } else { y.to_string() });
                        (names[3].len() - 1) as u64
                    });
                    last = (y, p);
                }
                codes[doc as usize] |= last.1 << shift;
            }
        }
        for (n, bits) in names.iter().zip(BITS) {
            if n.len() > 1 << bits {
                return Err(tantivy::TantivyError::InternalError(format!(
                    "分面取值过多 (more than {} distinct facet values in a segment)",
                    (1u64 << bits) - 1
                )));
            }
        }
        Ok(FacetTable { names, codes })
    }
}

/// What one segment counted.
#[derive(Debug, Default)]
pub struct SegmentFacets {
    agency: HashMap<String, u64>,
    status: HashMap<String, u64>,
    level: HashMap<String, u64>,
    year: HashMap<String, u64>,
}

/// Counts one segment's matches.
pub struct FacetSegmentCollector {
    table: Arc<FacetTable>,
    /// Records by place of each facet's value.
    counts: [Vec<u64>; 4],
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    #[inline]
    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(&code) = self.table.codes.get(doc as usize) else {
            return;
        };
        let mut shift = 0;
        for (counts, bits) in self.counts.iter_mut().zip(BITS) {
            let place = ((code >> shift) & ((1 << bits) - 1)) as usize;
            if let Some(n) = counts.get_mut(place) {
                *n += 1;
            }
            shift += bits;
        }
    }

    fn harvest(self) -> SegmentFacets {
        let by_name = |i: usize, with_none: bool| -> HashMap<String, u64> {
            let mut out = HashMap::new();
            for (place, (&n, name)) in self.counts[i].iter().zip(&self.table.names[i]).enumerate() {
                if n > 0 && (place > 0 || with_none) {
                    *out.entry(name.clone()).or_insert(0) += n;
                }
            }
            out
        };
        // Records without an agency count under "", without a status or level not
        // at all; years are counted for every dated record (an unknown date is 0).
        SegmentFacets {
            agency: by_name(0, true),
            status: by_name(1, false),
            level: by_name(2, false),
            year: by_name(3, false),
        }
    }
}

/// Counts by key, most first (ties by key), at most `size`.
fn top(counts: HashMap<String, u64>, size: usize) -> FacetCounts {
    let mut v: FacetCounts = counts.into_iter().collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(size);
    v
}

fn add<K: std::hash::Hash + Eq>(into: &mut HashMap<K, u64>, from: HashMap<K, u64>) {
    for (k, n) in from {
        *into.entry(k).or_insert(0) += n;
    }
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let table = table(reader)?;
        let counts = std::array::from_fn(|i| vec![0; table.names[i].len()]);
        Ok(FacetSegmentCollector { table, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut all = SegmentFacets::default();
        for f in fruits {
            add(&mut all.agency, f.agency);
            add(&mut all.status, f.status);
            add(&mut all.level, f.level);
            add(&mut all.year, f.year);
        }
        let mut years: Vec<(u64, (String, u64))> = all
            .year
            .into_iter()
            .map(|(y, n)| (y.parse().unwrap_or(0), (y, n)))
            .collect();
        years.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
        Ok(Facets {
            agency: top(all.agency, AGENCIES),
            status: top(all.status, STATUSES),
            level: top(all.level, LEVELS),
            year: years.into_iter().map(|(_, e)| e).collect(),
        })
    }
}
