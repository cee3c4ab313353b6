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
#[derive(Debug, Clone)]
pub struct FacetCollector {
    space: Arc<FacetSpace>,
}

impl FacetCollector {
    /// A collector of facets over the segments of `space`.
    pub fn new(space: Arc<FacetSpace>) -> Self {
        FacetCollector { space }
    }
}

/// The number of each place of a segment's values, for each facet.
type Numbers = [Vec<u32>; 4];

/// No facet value: not counted.
const NONE: u32 = u32::MAX;

/// The facet values of every segment of one searcher, numbered together, so that
/// segments count into the same arrays and no value is turned into text but the
/// ones shown.
#[derive(Debug)]
pub struct FacetSpace {
    /// Each facet's values, by number.
    names: [Vec<Arc<str>>; 4],
    /// For each segment, its table and the number of each facet's place in it
    /// ([`NONE`] for a place not counted).
    segments: HashMap<SegmentId, (Arc<FacetTable>, Arc<Numbers>)>,
}

impl FacetSpace {
    /// Numbers the values of the segments of `searcher`.
    pub fn of(searcher: &tantivy::Searcher) -> tantivy::Result<FacetSpace> {
        let mut names: [Vec<Arc<str>>; 4] = Default::default();
        let mut numbers: [HashMap<Arc<str>, u32>; 4] = Default::default();
        let mut segments = HashMap::new();
        for reader in searcher.segment_readers() {
            let t = table(reader)?;
            let places: [Vec<u32>; 4] = std::array::from_fn(|i| {
                t.names[i]
                    .iter()
                    .enumerate()
                    .map(|(place, name)| {
                        // Records without an agency count under ""; without a status,
                        // level or year not at all.
                        if place == 0 && i != 0 {
                            return NONE;
                        }
                        *numbers[i].entry(Arc::clone(name)).or_insert_with(|| {
                            names[i].push(Arc::clone(name));
                            (names[i].len() - 1) as u32
                        })
                    })
                    .collect()
            });
            segments.insert(reader.segment_id(), (t, Arc::new(places)));
        }
        Ok(FacetSpace { names, segments })
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
#[derive(Debug)]
struct FacetTable {
    /// The values, by place (place 0 is none), of each facet; the years as text.
    names: [Vec<Arc<str>>; 4],
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
        let mut names: [Vec<Arc<str>>; 4] = Default::default();
        let mut codes = vec![0u64; max_doc as usize];
        let mut shift = 0;
        for (i, field) in ["agency_short", "status", "level"].into_iter().enumerate() {
            let Some(column) = reader.fast_fields().str(field)? else {
                names[i].push("".into());
                shift += BITS[i];
                continue;
            };
            // Place of each term ordinal that occurs, 1-based in order of ordinals.
            let ords = column.ords();
            let rows = ords.num_docs().min(max_doc);
            let mut place: Vec<u64> = vec![0; column.num_terms()];
            names[i].push("".into());
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
                    names[i].push(term.into());
                }
                codes[doc as usize] |= *p << shift;
            }
            shift += BITS[i];
        }
        names[3].push("".into());
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
                        names[3].push(if y == 0 {
                            "".into()
                        } else {
                            y.to_string().into()
                        });
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

/// What one segment counted: records by number of each facet's value.
#[derive(Debug, Default)]
pub struct SegmentFacets {
    counts: [Vec<u64>; 4],
}

/// Counts one segment's matches.
pub struct FacetSegmentCollector {
    table: Arc<FacetTable>,
    /// The number of each place of each facet ([`FacetSpace`]).
    places: Arc<Numbers>,
    /// Records by number of each facet's value.
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
        for ((counts, places), bits) in self.counts.iter_mut().zip(self.places.iter()).zip(BITS) {
            let place = ((code >> shift) & ((1 << bits) - 1)) as usize;
            if let Some(&n) = places.get(place) {
                if let Some(c) = counts.get_mut(n as usize) {
                    *c += 1;
                }
            }
            shift += bits;
        }
    }

    fn harvest(self) -> SegmentFacets {
        SegmentFacets {
            counts: self.counts,
        }
    }
}

/// Counts by value, most first (ties by value), at most `size`.
fn top(names: &[Arc<str>], counts: &[u64], size: usize) -> FacetCounts {
    let mut v: Vec<(&Arc<str>, u64)> = names
        .iter()
        .zip(counts)
        .filter(|(_, &n)| n > 0)
        .map(|(name, &n)| (name, n))
        .collect();
    let order =
        |a: &(&Arc<str>, u64), b: &(&Arc<str>, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    if v.len() > size {
        v.select_nth_unstable_by(size, order);
        v.truncate(size);
    }
    v.sort_unstable_by(order);
    v.into_iter()
        .map(|(name, n)| (name.to_string(), n))
        .collect()
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let (table, places) = match self.space.segments.get(&reader.segment_id()) {
            Some((t, p)) => (Arc::clone(t), Arc::clone(p)),
            None => {
                return Err(tantivy::TantivyError::InternalError(
                    "分面编号缺少此段 (a segment the facet numbering does not know)".into(),
                ))
            }
        };
        let counts = std::array::from_fn(|i| vec![0; self.space.names[i].len()]);
        Ok(FacetSegmentCollector {
            table,
            places,
            counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut all: [Vec<u64>; 4] = std::array::from_fn(|i| vec![0; self.space.names[i].len()]);
        for f in fruits {
            for (into, from) in all.iter_mut().zip(f.counts) {
                for (a, b) in into.iter_mut().zip(from) {
                    *a += b;
                }
            }
        }
        let names = &self.space.names;
        // Years newest first (an unknown year last).
        let mut years: Vec<(u64, (String, u64))> = names[3]
            .iter()
            .zip(&all[3])
            .filter(|(_, &n)| n > 0)
            .map(|(y, &n)| (y.parse().unwrap_or(0), (y.to_string(), n)))
            .collect();
        years.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
        Ok(Facets {
            agency: top(&names[0], &all[0], AGENCIES),
            status: top(&names[1], &all[1], STATUSES),
            level: top(&names[2], &all[2], LEVELS),
            year: years.into_iter().map(|(_, e)| e).collect(),
        })
    }
}
