//! Searching: queries with filters, ranking, highlighting, facets, and reading a record
//! back in its context.

mod cache;
pub mod facets;
pub mod group;
pub mod kept;
pub mod literal;
mod lookup;
mod order;
pub mod plain;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod synonyms;
pub mod turns;

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, Score, Searcher, TantivyDocument, Term};

use self::facets::{FacetCollector, FacetSpace};
use self::query::{literal_match, Builder, Expr};
use self::synonyms::Synonyms;
use crate::error::{Error, Result};
use crate::index::record::{file_id, record_id};
use crate::index::schema::Fields;
use crate::index::vocab::Vocabulary;
use crate::index::{Manifest, DICT_FST};
use crate::notice::Status;
use crate::segment::QueryDict;

/// Hits a search can page through: `--offset` plus `--limit` reach at most this
/// far down the ranking. A page is collected whole (tantivy keeps the best
/// `offset + limit` hits while it searches, and each hit shown is read back from the
/// store), so this bounds the memory and time of a search whatever is asked; the
/// total is still counted over every match.
pub const MAX_WINDOW: usize = 10_000;

/// Characters of text read from a record or given with `similar --text` to find
/// similar measures: the words that best describe a measure come early, and a
/// record of a damaged file may be far longer than any measure.
pub const MAX_SIMILAR_CHARS: usize = 10_000;

/// Most query segmenters an engine keeps (an empty jieba alone holds about half a
/// megabyte).
const SEGMENTERS: usize = 32;

/// Order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest notice first, best match first within a date.
    Date,
}

/// A search: query text and filters.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Query in the query language ([`query`]); may be empty when a filter is given.
    pub query: String,
    /// Agency filter: text the agency (or its short form) contains.
    pub agency: Option<String>,
    /// Status filter: any of these.
    pub status: Vec<Status>,
    /// Category filter: text the category or item contains.
    pub category: Option<String>,
    /// Level filter: 省, 市 or 县.
    pub level: Option<String>,
    /// Published on or after (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Published on or before.
    pub until: Option<String>,
    /// Only measures (true) or everything.
    pub measures_only: bool,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Turn synonyms off.
    pub exact: bool,
    /// Compute facets.
    pub facets: bool,
    /// Show every copy of a notice published more than once; by default only the
    /// notice of record answers ([`crate::index::dedup`]).
    pub all_copies: bool,
}

impl SearchRequest {
    /// A request for `query` with no filters, 10 hits.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            agency: None,
            status: Vec::new(),
            category: None,
            level: None,
            since: None,
            until: None,
            measures_only: false,
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            exact: false,
            facets: false,
            all_copies: false,
        }
    }

    /// A note for the reader when the page was cut at [`MAX_WINDOW`] (`None` when it
    /// was not): `total` is the number of matches the search reported.
    pub fn window_note(&self, total: usize) -> Option<String> {
        let room = MAX_WINDOW.saturating_sub(self.offset);
        (self.limit > room && total > MAX_WINDOW).then(|| {
            format!(
                "只显示前 {MAX_WINDOW} 条结果，请缩小查询范围 \
                 (only the first {MAX_WINDOW} hits can be shown; narrow the query)"
            )
        })
    }

    fn has_filter(&self) -> bool {
        self.agency.is_some()
            || !self.status.is_empty()
            || self.category.is_some()
            || self.level.is_some()
            || self.since.is_some()
            || self.until.is_some()
            || self.measures_only
    }
}

/// One hit: a measure (or paragraph) with where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Stable record id.
    pub id: String,
    /// Score (BM25-based).
    pub score: f32,
    /// `measure` or `paragraph`.
    pub kind: String,
    /// Agency as printed.
    pub agency: String,
    /// Agency short form.
    pub agency_short: String,
    /// Region.
    pub region: String,
    /// 省/市/县.
    pub level: String,
    /// Publication date.
    pub published: String,
    /// Category.
    pub category: String,
    /// Item.
    pub item: String,
    /// Problem title.
    pub problem: String,
    /// Problem number in the notice.
    pub problem_n: u64,
    /// Measure number in the problem.
    pub measure_n: u64,
    /// Status name.
    pub status: Status,
    /// Status phrase as printed.
    pub status_text: String,
    /// Deadline `YYYY-MM`.
    pub deadline: String,
    /// The measure text, as written.
    pub measure: String,
    /// Where the query matched in `measure`: char ranges.
    pub highlights: Vec<(usize, usize)>,
    /// Source file.
    pub source: String,
    /// Source line.
    pub line: u64,
    /// Notice title.
    pub title: String,
    /// 巡察/巡视.
    pub inspection: String,
    /// Where else this notice was published: the copies of it found in the corpus
    /// ([`crate::index::dedup`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_published_at: Vec<String>,
    /// The notice of record this hit's file is a copy of (shown with
    /// [`SearchRequest::all_copies`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
}

/// Counts of matching records by one property.
pub type FacetCounts = Vec<(String, u64)>;

/// Counts of the matching records by agency, status, level and year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By agency short form.
    pub agency: FacetCounts,
    /// By status name.
    pub status: FacetCounts,
    /// By level.
    pub level: FacetCounts,
    /// By year of publication.
    pub year: FacetCounts,
}

/// What is printed above the hits of a partial answer ([`SearchResults::partial`]).
pub const PARTIAL_NOTE: &str =
    "没有同时包含全部词语的结果，以下为部分匹配 (no record holds every word; partial matches follow)";

/// The answer to a search.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Number of matching records.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facets, if requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// No record holds every word of the (plain) question: the hits hold most of
    /// them ([`plain`]); [`PARTIAL_NOTE`] says so.
    pub partial: bool,
    /// Question and filler words of a plain question that were not required
    /// ([`plain::QUESTION_WORDS`], [`plain::GENERIC_WORDS`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// The words searched for, when a plain question was searched for other words
    /// than it was written with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub searched: Option<String>,
}

/// A query built for a request, with the words to highlight.
type Built = (Box<dyn Query>, Vec<String>);

/// An open index, ready to answer queries.
pub struct Engine {
    dir: PathBuf,
    reader: IndexReader,
    index: Index,
    fields: Fields,
    manifest: Manifest,
    /// Source paths by [`file_id`], as records hold them.
    sources: std::collections::HashMap<u64, String>,
    qdict: QueryDict,
    /// Segmenters made for query texts ([`QueryDict::jieba_for`]), kept by text.
    segmenters: cache::Lru<String, Arc<jieba_rs::Jieba>>,
    literals: literal::Literals,
    synonyms: Synonyms,
    /// The facet values of the searcher's segments, numbered together (made on
    /// the first search asking for facets), with the searcher generation.
    facet_space: std::sync::Mutex<Option<(u64, Arc<FacetSpace>)>>,
    /// Searches run in turns, twice as many at once as there are cores ([`turns`]).
    turns: turns::Turns,
    /// Ties broken by (file, record number).
    order: Arc<order::TieBreak>,
    /// The `file` terms of the copies of reposted notices, left out of searches.
    copies: Vec<Term>,
    /// Every file's agency and its short form as `--agency` compares them
    /// ([`squash`]), with the file's term (made on the first `--agency`).
    agencies: std::sync::OnceLock<Vec<(String, String, Term)>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("dir", &self.dir).finish()
    }
}

/// The level (省, 市 or 县, as the index stores it) a user's level name stands for:
/// Chinese or English, with or without 级; a district (区) counts as a county.
///
/// ```
/// use zhenggai::search::level_of_user;
/// assert_eq!(level_of_user(" city "), Some("市"));
/// assert_eq!(level_of_user("区"), Some("县"));
/// assert_eq!(level_of_user("乡"), None);
/// ```
pub fn level_of_user(level: &str) -> Option<&'static str> {
    Some(match level.trim() {
        "省" | "省级" | "province" => "省",
        "市" | "市级" | "city" => "市",
        "县" | "县级" | "区" | "county" => "县",
        _ => return None,
    })
}

/// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first (or last) day it covers, `YYYYMMDD`.
pub fn date_bound(s: &str, end: bool) -> Result<u64> {
    let bad = || {
        Error::BadQuery(format!(
            "日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD (bad date {s:?})"
        ))
    };
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let num = |p: &str| p.parse::<u64>().map_err(|_| bad());
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y)?, if end { 12 } else { 1 }, if end { 31 } else { 1 }),
        [y, m] => (num(y)?, num(m)?, if end { 31 } else { 1 }),
        [y, m, d] => (num(y)?, num(m)?, num(d)?),
        _ => return Err(bad()),
    };
    if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(y * 10000 + m * 100 + d)
}

/// Measure records: only they have a problem number.
fn measures(f: &Fields) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_u64(f.problem_n, 1)),
        Bound::Unbounded,
    ))
}

/// Records whose exact-value field (status, level, agency) is `value`. These
/// fields are columns only (no postings: one term per record would cost indexing
/// time), so the filter reads the column.
fn exactly(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    let t = Term::from_field_text(field, value);
    Box::new(RangeQuery::new(
        Bound::Included(t.clone()),
        Bound::Included(t),
    ))
}

/// `s` as `--agency` compares it: folded like queries (width, case, traditional
/// characters), without spaces.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(crate::text::fold_char)
        .collect()
}

fn first_str(doc: &TantivyDocument, f: tantivy::schema::Field) -> String {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn first_u64(doc: &TantivyDocument, f: tantivy::schema::Field) -> u64 {
    doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0)
}

impl Engine {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Engine> {
        // Everything is read from one generation, resolved once. A build that makes
        // another generation live at that moment (and deletes this one) is retried.
        let mut tries = 0;
        loop {
            let live = crate::index::store::resolve(dir);
            match Self::open_generation(&live) {
                Ok(engine) => return Ok(engine),
                Err(_) if tries < 4 && crate::index::store::resolve(dir) != live => tries += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Opens one generation folder (or an index without generations).
    fn open_generation(dir: &Path) -> Result<Engine> {
        let (index, manifest) = crate::index::open(dir)?;
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: "字段不符 (schema mismatch)".into(),
        })?;
        let reader = index.reader().map_err(|e| Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let qdict = QueryDict::open(&dir.join(DICT_FST), manifest.dict_total)?;
        let vocab = Vocabulary::load(dir)?;
        let sources = manifest
            .files
            .keys()
            .map(|s| (file_id(s), s.clone()))
            .collect();
        let copies = manifest.copies().map(|k| fields.file_term(k)).collect();
        Ok(Engine {
            copies,
            agencies: std::sync::OnceLock::new(),
            order: Arc::new(order::TieBreak::new(fields, &manifest)),
            literals: literal::Literals::new(vocab),
            sources,
            dir: dir.to_path_buf(),
            reader,
            index,
            fields,
            manifest,
            qdict,
            segmenters: cache::Lru::new(SEGMENTERS, SEGMENTERS),
            synonyms: Synonyms::built_in(),
            turns: turns::Turns::per_core(),
            facet_space: std::sync::Mutex::new(None),
        })
    }

    /// A segmenter knowing the dictionary's words found in `text`, kept from an
    /// earlier query of the same text if there was one.
    fn jieba_for(&self, text: &str) -> Arc<jieba_rs::Jieba> {
        self.segmenters.get_or_insert(&text.to_string(), || {
            (Arc::new(self.qdict.jieba_for(text)), 1)
        })
    }

    /// The facet values of `searcher`'s segments, numbered together.
    fn facet_space(&self, searcher: &Searcher) -> Result<Arc<FacetSpace>> {
        let generation = searcher.generation().generation_id();
        let mut kept = match self.facet_space.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((g, space)) = kept.as_ref() {
            if *g == generation {
                return Ok(Arc::clone(space));
            }
        }
        let space = Arc::new(FacetSpace::of(searcher)?);
        *kept = Some((generation, Arc::clone(&space)));
        Ok(space)
    }

    /// Forgets what earlier searches kept (literals' documents, words' and filters'
    /// kept lists and which were asked for once, prepared literals, segmenters), so
    /// that the next search runs as if never asked before: for measuring.
    pub fn forget_kept(&self) {
        literal::clear_cache();
        kept::clear_cache();
        self.literals.clear();
        self.segmenters.clear();
    }

    /// The manifest of the open index.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The tantivy index (for tools built on top, such as a server).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Uses other synonym groups.
    pub fn set_synonyms(&mut self, synonyms: Synonyms) {
        self.synonyms = synonyms;
    }

    /// Checks that a user dictionary given for a search is the one the index was built
    /// with (by content), so that queries segment like the index.
    pub fn check_user_dict(&self, user_dict: Option<&Path>) -> Result<()> {
        let hash = match user_dict {
            Some(p) => xxhash_rust::xxh3::xxh3_64(&std::fs::read(p).map_err(|e| Error::io(p, e))?),
            None => 0,
        };
        if hash == self.manifest.user_dict_hash {
            Ok(())
        } else {
            Err(Error::DictMismatch(self.dir.clone()))
        }
    }

    /// The request's filters. Each keeps its records per segment once asked for
    /// again ([`kept`]): a filter such as a status reads a whole column.
    fn filters(&self, req: &SearchRequest) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        let f = &self.fields;
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut push = |q: Box<dyn Query>, key: String| {
            let q = Box::new(kept::KeptQuery::new(q, format!("filter\t{key}")));
            out.push((Occur::Must, Box::new(BoostQuery::new(q, 0.0))));
        };
        if let Some(a) = &req.agency {
            push(self.agency_filter(a)?, format!("agency\t{a}"));
        }
        if let Some(c) = &req.category {
            query::check_length("--category", "--category", c)?;
            let q = literal_match(f.category, f, c, &self.literals).ok_or_else(|| {
                Error::BadQuery(format!(
                    "筛选条件无可检索文字 (nothing searchable in --category {c:?})"
                ))
            })?;
            push(q, format!("category\t{c}"));
        }
        if !req.status.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = req
                .status
                .iter()
                .map(|s| (Occur::Should, exactly(f.status, s.as_str())))
                .collect();
            let key: Vec<&str> = req.status.iter().map(|s| s.as_str()).collect();
            push(
                Box::new(BooleanQuery::new(any)),
                format!("status\t{}", key.join("\t")),
            );
        }
        if let Some(l) = &req.level {
            let level = level_of_user(l).unwrap_or(l.trim());
            push(exactly(f.level, level), format!("level\t{level}"));
        }
        if req.since.is_some() || req.until.is_some() {
            let lo = match &req.since {
                Some(s) => date_bound(s, false)?,
                None => 1,
            };
            let hi = match &req.until {
                Some(s) => Some(date_bound(s, true)?),
                None => None,
            };
            let q = RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.date, lo)),
                hi.map_or(Bound::Unbounded, |h| {
                    Bound::Included(Term::from_field_u64(f.date, h))
                }),
            );
            push(Box::new(q), format!("date\t{lo}\t{hi:?}"));
        }
        if req.measures_only {
            push(measures(f), "measures".into());
        }
        if let Some(q) = self.not_copies(req.all_copies) {
            out.push((Occur::MustNot, q));
        }
        Ok(out)
    }

    /// The records of copies of reposted notices, to leave out (`None` when there are
    /// none, or `all_copies`).
    fn not_copies(&self, all_copies: bool) -> Option<Box<dyn Query>> {
        (!all_copies && !self.copies.is_empty()).then(|| {
            let q = Box::new(TermSetQuery::new(self.copies.iter().cloned()));
            Box::new(kept::KeptQuery::new(q, "copies")) as Box<dyn Query>
        })
    }

    /// Every record the request may see: all of them but the copies of reposted
    /// notices, unless it asks for every copy ([`SearchRequest::all_copies`]).
    pub fn all_records(&self, req: &SearchRequest) -> Box<dyn Query> {
        match self.not_copies(req.all_copies) {
            Some(q) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, q),
            ])),
            None => Box::new(AllQuery),
        }
    }

    /// `--agency`: the files whose agency (or its short form) contains the text, with
    /// the same folding as queries (width, case, traditional characters, spaces).
    /// Several agencies are separated by commas (`汕尾,怀化`): any of them.
    fn agency_filter(&self, text: &str) -> Result<Box<dyn Query>> {
        query::check_length("--agency", "--agency", text)?;
        let needles: Vec<String> = text
            .split([',', '，'])
            .map(squash)
            .filter(|n| n.chars().any(crate::text::is_word_char))
            .collect();
        if needles.is_empty() {
            return Err(Error::BadQuery(format!(
                "筛选条件无可检索文字 (nothing searchable in --agency {text:?})"
            )));
        }
        let agencies = self.agencies.get_or_init(|| {
            self.manifest
                .files
                .iter()
                .map(|(source, e)| {
                    (
                        squash(&e.agency),
                        squash(&e.agency_short),
                        self.fields.file_term(source),
                    )
                })
                .collect()
        });
        let files: Vec<Term> = agencies
            .iter()
            .filter(|(agency, short, _)| {
                needles
                    .iter()
                    .any(|n| agency.contains(n.as_str()) || short.contains(n.as_str()))
            })
            .map(|(_, _, term)| term.clone())
            .collect();
        Ok(if files.is_empty() {
            query::nothing()
        } else {
            Box::new(TermSetQuery::new(files))
        })
    }

    /// Parses the request's query; `None` for an empty query.
    fn expr(&self, req: &SearchRequest) -> Result<Option<Expr>> {
        let e = query::parse(&req.query)?;
        if e.is_none() && !req.has_filter() {
            return Err(Error::BadQuery(
                "查询为空：请输入检索词或筛选条件 (empty query: give search words or a filter)"
                    .into(),
            ));
        }
        Ok(e)
    }

    /// Synonym expansion as the request asks.
    fn expand(&self, req: &SearchRequest) -> Option<&dyn query::Expand> {
        if req.exact {
            None
        } else {
            Some(&self.synonyms)
        }
    }

    /// A segmenter for `terms` and their synonyms, with the words (and synonyms) of
    /// those that count for a match (`true`), to highlight.
    fn segmenter<'t>(
        &self,
        terms: impl IntoIterator<Item = (&'t str, bool)>,
        expand: Option<&dyn query::Expand>,
    ) -> (Arc<jieba_rs::Jieba>, Vec<String>) {
        let mut needles = Vec::new();
        let mut all = String::new();
        for (t, positive) in terms {
            let alts = match expand {
                Some(x) => x.alternatives(t),
                None => vec![t.to_string()],
            };
            for a in &alts {
                all.push_str(a);
                all.push('\n');
            }
            if positive {
                needles.extend(alts);
            }
        }
        (self.jieba_for(&all), needles)
    }

    /// The tantivy query for `expr` (all records without one) under the request's
    /// filters, with the words to highlight.
    fn query_for(
        &self,
        req: &SearchRequest,
        expr: Option<&Expr>,
    ) -> Result<(Box<dyn Query>, Vec<String>)> {
        let mut clauses = self.filters(req)?;
        let mut needles = Vec::new();
        match expr {
            Some(e) => {
                let expand = self.expand(req);
                // Highlight the words that count for a match; segment every word
                // (and its synonyms, as the builder expands them) with one small
                // segmenter.
                let (jieba, n) = self.segmenter(e.terms(), expand);
                needles = n;
                let b = Builder {
                    fields: &self.fields,
                    jieba: &jieba,
                    expand,
                    literals: &self.literals,
                };
                clauses.push((Occur::Must, b.build(e)?));
            }
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        Ok((Box::new(BooleanQuery::new(clauses)), needles))
    }

    /// The plan of a plain question ([`plain`]); `None` for a query with operators,
    /// quotes or parentheses, or an empty one.
    fn plan(&self, req: &SearchRequest) -> Result<Option<plain::Plan>> {
        let Some(words) = query::plain_words(&req.query)? else {
            return Ok(None);
        };
        let jieba = self.jieba_for(&req.query);
        let plan = plain::Plan::new(&words, &jieba);
        // Each word of a question is counted and matched: as many as a query may hold.
        let n = plan.words().len();
        if n > query::MAX_QUERY_TERMS {
            return Err(Error::BadQuery(format!(
                "查询词过多：{n} 个，最多 {m} 个 (too many search words: {n}, at most {m})",
                m = query::MAX_QUERY_TERMS
            )));
        }
        Ok(Some(plan))
    }

    /// The query of a plain question asking for `words` ([`plain`]), with the words
    /// to highlight, and the query of the records holding every one of them; `None`
    /// if no record holds any.
    fn question_query(
        &self,
        req: &SearchRequest,
        words: &[String],
    ) -> Result<Option<(Built, Box<dyn Query>)>> {
        let expand = self.expand(req);
        let (jieba, needles) = self.segmenter(words.iter().map(|w| (w.as_str(), true)), expand);
        let b = Builder {
            fields: &self.fields,
            jieba: &jieba,
            expand,
            literals: &self.literals,
        };
        // How rare each word is: BM25's idf over the records holding it.
        let searcher = self.reader.searcher();
        let n = searcher.num_docs() as f32;
        let mut weighted = Vec::new();
        for w in words {
            if Expr::Term(w.clone()).prune().is_none() {
                continue;
            }
            let mut held: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, b.matcher(w)?)];
            if let Some(q) = self.not_copies(false) {
                held.push((Occur::MustNot, q));
            }
            let df = searcher.search(&BooleanQuery::new(held), &Count)? as f32;
            if df > 0.0 {
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                weighted.push((w.clone(), idf));
            }
        }
        if weighted.is_empty() {
            return Ok(None);
        }
        let every = if weighted.len() < words.len() {
            query::nothing()
        } else {
            let e = Expr::And(
                weighted
                    .iter()
                    .map(|(w, _)| Expr::Term(w.clone()))
                    .collect(),
            );
            let mut clauses = self.filters(req)?;
            clauses.push((Occur::Must, b.build(&e)?));
            Box::new(BooleanQuery::new(clauses))
        };
        // Each word held counts more than every weight together: more words first.
        let floor = 1.0 + weighted.iter().map(|(_, w)| w).sum::<f32>();
        // Half of the words if some record holds that many, else any.
        let mut found = None;
        for min in [plain::most(weighted.len()), 1] {
            let mut clauses = self.filters(req)?;
            clauses.push((Occur::Must, b.most_of(&weighted, floor, min)?));
            let q: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
            let hits = min == 1 || searcher.search(q.as_ref(), &Count)? > 0;
            found = Some(q);
            if hits {
                break;
            }
        }
        Ok(found.map(|q| ((q, needles), every)))
    }

    /// The query of a request read as written (no question reading), with the words
    /// to highlight.
    fn as_written(&self, req: &SearchRequest) -> Result<Built> {
        let expr = self.expr(req)?;
        self.query_for(req, expr.as_ref())
    }

    /// For a query whose only fillers are generic words ([`plain::Plan::asks`] is
    /// false: `巡察整改`), the query as written when some record matches it; `None`
    /// when it is to be read as a question.
    fn as_written_first(&self, req: &SearchRequest, plan: &plain::Plan) -> Result<Option<Built>> {
        if plan.asks() {
            return Ok(None);
        }
        let (q, needles) = self.as_written(req)?;
        let found = self.reader.searcher().search(q.as_ref(), &Count)? > 0;
        Ok(found.then_some((q, needles)))
    }

    /// Builds the tantivy query for a request, with the words to highlight (for a
    /// plain question, the query of its answer: [`plain`]).
    pub fn build_query(&self, req: &SearchRequest) -> Result<(Box<dyn Query>, Vec<String>)> {
        if let Some(plan) = self.plan(req)? {
            let words = plan.words();
            if !words.is_empty() {
                if let Some(built) = self.as_written_first(req, &plan)? {
                    return Ok(built);
                }
                return match self.question_query(req, &words)? {
                    Some((built, _)) => Ok(built),
                    None => Ok((query::nothing(), Vec::new())),
                };
            }
        }
        self.as_written(req)
    }

    /// Runs a search. A plain question ([`plain`]) is answered by the records
    /// holding most of its words; the results say which words were left out, which
    /// were searched, and whether no record holds every one (a partial answer).
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let _turn = self.turns.enter();
        if let Some(plan) = self.plan(req)? {
            let words = plan.words();
            if !words.is_empty() {
                if !plan.asks() {
                    // Generic words only: the query as written, if it finds anything.
                    let (q, needles) = self.as_written(req)?;
                    let r = self.run(req, q.as_ref(), &needles)?;
                    if r.total > 0 {
                        return Ok(r);
                    }
                }
                let mut r = match self.question_query(req, &words)? {
                    Some(((q, needles), every)) => {
                        let mut r = self.run(req, q.as_ref(), &needles)?;
                        if r.total > 0 {
                            let searcher = self.reader.searcher();
                            r.partial = searcher.search(every.as_ref(), &Count)? == 0;
                        }
                        r
                    }
                    None => SearchResults {
                        facets: req.facets.then(Facets::default),
                        ..SearchResults::default()
                    },
                };
                r.ignored = plan.ignored;
                r.searched = Some(words.join(" "));
                return Ok(r);
            }
        }
        let (q, needles) = self.as_written(req)?;
        self.run(req, q.as_ref(), &needles)
    }

    /// Runs the query `q` for a request.
    fn run(&self, req: &SearchRequest, q: &dyn Query, needles: &[String]) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        // Facets are counted in the same pass over the matches as the hits.
        let facets = match req.facets {
            true => Some(FacetCollector::new(self.facet_space(&searcher)?)),
            false => None,
        };
        if req.offset >= MAX_WINDOW {
            // Past the window only a page with no hits on it is answered.
            let (total, facets) = searcher.search(q, &(Count, facets))?;
            if total > req.offset {
                return Err(Error::BadQuery(format!(
                    "只能翻到前 {MAX_WINDOW} 条结果（--offset 最大为 {last}），请缩小查询范围 \
                     (only the first {MAX_WINDOW} hits can be paged through: \
                     --offset at most {last}; narrow the query)",
                    last = MAX_WINDOW - 1
                )));
            }
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
                facets,
                ..SearchResults::default()
            });
        }
        // Hits shown: no further down than MAX_WINDOW. The collector reserves room
        // for offset + limit hits: no more than there are records either.
        let shown = req.limit.min(MAX_WINDOW - req.offset);
        let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = req.offset.min(records);
        let limit = shown.clamp(1, records.max(1));
        let sort = if req.query.trim().is_empty() {
            Sort::Date
        } else {
            req.sort
        };
        // Best match first (a paragraph's score weighed down), then the newest
        // notice, then (file, record number); or by date first.
        let top = order::TopHits::new(Arc::clone(&self.order), sort, offset, limit);
        let (addrs, total, facets) = searcher.search(q, &(top, Count, facets))?;
        let mut hits = Vec::with_capacity(addrs.len());
        // `--limit 0` asks for the count only.
        for (score, addr) in addrs.into_iter().take(shown) {
            let mut hit = self.hit(&searcher, addr, score)?;
            hit.highlights = snippet::highlight(&hit.measure, needles);
            hits.push(hit);
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            ..SearchResults::default()
        })
    }

    /// The record at `addr`, with what it shares with the first record of its problem.
    fn hit(&self, searcher: &Searcher, addr: DocAddress, score: f32) -> Result<Hit> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(addr)?;
        let lead = u32::try_from(first_u64(&doc, f.lead)).unwrap_or(0);
        let first: Option<TantivyDocument> = match addr.doc_id.checked_sub(lead) {
            Some(at) if lead > 0 => Some(searcher.doc(DocAddress::new(addr.segment_ord, at))?),
            _ => None,
        };
        let problem_doc = first.as_ref().unwrap_or(&doc);
        let file_id = first_u64(&doc, f.file);
        let source = self.sources.get(&file_id).cloned().unwrap_or_default();
        let problem_n = first_u64(&doc, f.problem_n);
        // Notice-level facts are kept once per file, in the manifest.
        let file = self
            .manifest
            .files
            .get(&source)
            .cloned()
            .unwrap_or_default();
        Ok(Hit {
            id: record_id(file_id, usize::try_from(first_u64(&doc, f.n)).unwrap_or(0)),
            score,
            kind: if problem_n > 0 {
                "measure"
            } else {
                "paragraph"
            }
            .to_string(),
            agency: file.agency,
            agency_short: first_str(&doc, f.agency_short),
            region: file.region,
            level: first_str(&doc, f.level),
            published: file.published,
            category: first_str(problem_doc, f.category_title),
            item: first_str(problem_doc, f.item),
            problem: first_str(problem_doc, f.problem),
            problem_n,
            measure_n: first_u64(&doc, f.measure_n),
            status: Status::from_stored(&first_str(&doc, f.status)),
            status_text: first_str(&doc, f.status_text),
            deadline: first_str(&doc, f.deadline),
            measure: first_str(&doc, f.text),
            highlights: Vec::new(),
            source,
            line: first_u64(&doc, f.line),
            title: file.title,
            inspection: file.inspection,
            also_published_at: file.also_published_at,
            copy_of: file.copy_of,
        })
    }

    /// Where the record with id `id` (`<source key>-<number>`) is, found without
    /// reading the other records of its file ([`lookup`]).
    fn locate(&self, searcher: &Searcher, id: &str) -> Result<DocAddress> {
        let missing = || Error::NoSuchRecord(id.to_string());
        let (key, number) = id.rsplit_once('-').ok_or_else(missing)?;
        let n: u64 = number.parse().map_err(|_| missing())?;
        let (source, entry) = self
            .manifest
            .files
            .iter()
            .find(|(s, _)| crate::index::record::source_key(s) == key)
            .ok_or_else(missing)?;
        let exists = n >= 1 && u64::try_from(entry.records).is_ok_and(|r| n <= r);
        lookup::find_record(
            searcher,
            self.fields.file,
            &self.fields.file_term(source),
            self.fields.n,
            n,
            exists,
        )?
        .ok_or_else(missing)
    }

    /// The record with id `id` (`<source key>-<number>`).
    pub fn get(&self, id: &str) -> Result<Hit> {
        let id = id.trim();
        let searcher = self.reader.searcher();
        let addr = self.locate(&searcher, id)?;
        self.hit(&searcher, addr, 0.0)
    }

    /// The record with id `id` and the records of its problem in order, itself
    /// included (for a paragraph, just itself): what `zhenggai show` prints. Only
    /// these records are read, at most [`MAX_WINDOW`] of them.
    pub fn show(&self, id: &str) -> Result<(Hit, Vec<Hit>)> {
        let id = id.trim();
        let searcher = self.reader.searcher();
        let addr = self.locate(&searcher, id)?;
        let hit = self.hit(&searcher, addr, 0.0)?;
        if hit.problem_n == 0 {
            return Ok((hit.clone(), vec![hit]));
        }
        // A problem's records are consecutive documents of one segment, the first
        // of them (lead 0) ahead of the rest ([`group`]).
        let segment = searcher.segment_reader(addr.segment_ord);
        let leads = group::leads(segment)?;
        let lead = u32::try_from(leads.get_val(addr.doc_id)).unwrap_or(u32::MAX);
        let head = addr.doc_id.saturating_sub(lead);
        let mut records = Vec::new();
        let mut doc = head;
        while doc < segment.max_doc() && records.len() < MAX_WINDOW {
            if doc > head && leads.get_val(doc) == 0 {
                break;
            }
            if !segment.is_deleted(doc) {
                let h = self.hit(&searcher, DocAddress::new(addr.segment_ord, doc), 0.0)?;
                if h.source == hit.source && h.problem_n == hit.problem_n {
                    records.push(h);
                }
            }
            doc += 1;
        }
        if !records.iter().any(|h| h.id == hit.id) {
            // A damaged lead column: the record at least shows itself.
            records.push(hit.clone());
        }
        records.sort_by_key(|h| record_number(&h.id));
        Ok((hit, records))
    }

    /// Measures most like `text` (tf-idf over its jieba words, like tantivy's
    /// MoreLikeThis but segmented exactly as the index was), in notices of agencies
    /// other than `exclude_agency`. `exclude_id` is left out of the results.
    pub fn similar(
        &self,
        text: &str,
        exclude_agency: Option<&str>,
        exclude_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        self.similar_results(text, exclude_agency, exclude_id, limit)
            .map(|r| r.hits)
    }

    /// [`Engine::similar`] with its `total`: the measures that share at least one of
    /// the chosen words with `text` (other than `exclude_id`), of which the best
    /// `limit` are the hits.
    pub fn similar_results(
        &self,
        text: &str,
        exclude_agency: Option<&str>,
        exclude_id: Option<&str>,
        limit: usize,
    ) -> Result<SearchResults> {
        let _turn = self.turns.enter();
        let searcher = self.reader.searcher();
        let limit = limit.min(MAX_WINDOW);
        let text = match text.char_indices().nth(MAX_SIMILAR_CHARS) {
            Some((end, _)) => &text[..end],
            None => text,
        };
        // Not kept: one text per record asked about, seldom asked again.
        let jieba = self.qdict.jieba_for(text);
        let mut tf: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
        for w in crate::segment::ranking_words(&jieba, text) {
            *tf.entry(w).or_default() += 1.0;
        }
        let n = searcher.num_docs().max(1) as f32;
        let mut scored: Vec<(f32, String)> = Vec::new();
        for (w, f) in tf {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.text, &w))? as f32;
            if df == 0.0 {
                continue;
            }
            scored.push((f * (1.0 + (n / df).ln()), w));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.truncate(25);
        if scored.is_empty() {
            return Ok(SearchResults::default());
        }
        let words: Vec<(Occur, Box<dyn Query>)> = scored
            .iter()
            .map(|(w, t)| {
                let q: Box<dyn Query> = Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.text, t),
                        IndexRecordOption::WithFreqs,
                    )),
                    *w,
                ));
                (Occur::Should, q)
            })
            .collect();
        // At least one of the words: a measure sharing none is not similar at all.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(words)))];
        clauses.push((
            Occur::Must,
            Box::new(BoostQuery::new(measures(&self.fields), 0.0)),
        ));
        if let Some(q) = self.not_copies(false) {
            clauses.push((Occur::MustNot, q));
        }
        if let Some(a) = exclude_agency.filter(|a| !a.is_empty()) {
            clauses.push((Occur::MustNot, exactly(self.fields.agency_short, a)));
        }
        let q = BooleanQuery::new(clauses);
        let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let want = limit.saturating_add(1).clamp(1, records.max(1));
        let order = Arc::clone(&self.order);
        let top = TopDocs::with_limit(want).tweak_score(move |seg: &tantivy::SegmentReader| {
            let keys = order.keys(seg);
            move |doc: tantivy::DocId, score: Score| {
                let k = keys.get(doc as usize).copied().unwrap_or(u64::MAX);
                (score, std::cmp::Reverse(k))
            }
        });
        let (top, mut total) = searcher.search(&q, &(top, Count))?;
        let mut out = Vec::new();
        for ((score, _), addr) in top {
            let h = self.hit(&searcher, addr, score)?;
            if Some(h.id.as_str()) == exclude_id {
                total = total.saturating_sub(1);
            } else if out.len() < limit {
                out.push(h);
            }
        }
        Ok(SearchResults {
            total,
            hits: out,
            ..Default::default()
        })
    }

    /// Every record of one source file, in order. This reads the whole file: to show
    /// one record in its context, [`Engine::show`] reads only its problem.
    pub fn records_of(&self, source: &str) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(self.fields.file_term(source), IndexRecordOption::Basic);
        let n = searcher.search(&q, &Count)?;
        let top = searcher.search(&q, &TopDocs::with_limit(n.max(1)).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            out.push(self.hit(&searcher, addr, 0.0)?);
        }
        out.sort_by_key(|h| record_number(&h.id));
        Ok(out)
    }
}

/// The record number in a record id (`<source key>-<number>`), 0 if there is none.
fn record_number(id: &str) -> u64 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0)
}
