//! Building and updating an index from a corpus directory.
//!
//! Files are read and parsed in parallel (rayon), a chunk at a time so memory stays
//! flat however large the corpus; tantivy's writer threads segment and index them.
//! On an existing index only files whose content changed are re-read, and records of
//! deleted files are removed. Files that cannot be read are reported by name, keep
//! what the index already holds of them, and do not stop the rest.
//!
//! Every build writes a new generation beside the live one and makes it live only
//! when it is complete (see [`super::store`]); one build runs at a time per index.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter};

use super::document::{Backlog, FileValues, RecordDoc};
use super::files::{self, CorpusFile};
use super::record::{index_records, Record, RecordKind};
use super::schema::{self, Fields};
use super::store::Store;
use super::vocab::Vocabulary;
use super::{register_tokenizers, FileEntry, Manifest, DICT_FST};
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::segment::{Dictionary, Prepared};

/// Bytes of documents compressed together in the index's document store.
const DOCSTORE_BLOCK: usize = 64 << 10;

/// Records per batch handed to tantivy's writer threads (a larger problem goes in
/// one batch of its own).
const BATCH_DOCS: usize = 64;
/// Text waiting in tantivy's queue before the build waits ([`Backlog`]).
const BACKLOG_BYTES: usize = 8 << 20;
/// Most threads a build uses, whatever it is asked for.
pub const MAX_THREADS: usize = 64;

/// Threads a build uses when asked for `asked` (0: all cores): at least one, at most
/// the machine's cores and [`MAX_THREADS`].
pub fn clamp_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let limit = cores.min(MAX_THREADS);
    if asked == 0 {
        limit
    } else {
        asked.min(limit)
    }
}

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Directory (or single file) to index.
    pub corpus: PathBuf,
    /// Index directory.
    pub index: PathBuf,
    /// Rebuild from scratch instead of updating.
    pub rebuild: bool,
    /// Threads for parsing and for tantivy's writer (0: all cores; see
    /// [`clamp_threads`]).
    pub threads: usize,
    /// User dictionary (jieba format).
    pub user_dict: Option<PathBuf>,
    /// Memory budget of tantivy's writer, in bytes (shared by its threads).
    pub memory_budget: usize,
    /// Build only if the index has no live generation once the lock is held (a
    /// first search: another process may have built it meanwhile).
    pub if_missing: bool,
}

impl BuildOptions {
    /// Defaults for `corpus` → `index`.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        BuildOptions {
            corpus: corpus.into(),
            index: index.into(),
            rebuild: false,
            threads: 0,
            user_dict: None,
            memory_budget: 400 << 20,
            if_missing: false,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BuildReport {
    /// Files found in the corpus (files zhenggai indexes, hidden and skipped ones
    /// not counted).
    pub files_seen: usize,
    /// Files (re)indexed.
    pub files_indexed: usize,
    /// Files unchanged since the last build, left as they were.
    pub files_unchanged: usize,
    /// Files gone from the corpus whose records were removed.
    pub files_removed: usize,
    /// Files that could not be read this time and keep the records the index held.
    pub files_kept: usize,
    /// Hidden files and folders (names starting with `.`), not indexed.
    pub hidden: usize,
    /// Files of kinds zhenggai does not index (images, spreadsheets …), not indexed.
    pub skipped: usize,
    /// Indexed files that parsed as notices.
    pub notices: usize,
    /// Problems in them.
    pub problems: usize,
    /// Measure records written.
    pub measures: usize,
    /// Paragraph records written.
    pub paragraphs: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Files (by key) that could not be read or indexed, with the reason.
    pub errors: Vec<(PathBuf, String)>,
    /// Files indexed with a caveat (bytes that could not be decoded, a guessed
    /// encoding), with it.
    pub warnings: Vec<(PathBuf, String)>,
    /// Notices read this run whose parsed counts differ from the figures they state
    /// about themselves (see [`Notice::discrepancies`]): they may be mis-read.
    pub mismatched: Vec<(PathBuf, Vec<String>)>,
    /// Whether the index was built from scratch.
    pub rebuilt: bool,
    /// Why the previous index could not be updated and was rebuilt (damage found).
    pub repaired: Option<String>,
    /// The index already existed and nothing was done ([`BuildOptions::if_missing`]).
    pub existing: bool,
    /// Threads used.
    pub threads: usize,
    /// Files the index holds after the build.
    pub total_files: usize,
    /// Records the index holds after the build.
    pub total_records: usize,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// Progress events for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Another process is writing this index: the build waits for it.
    Waiting,
    /// Work is known: files and bytes to read.
    Start {
        /// Files to read.
        files: u64,
        /// Bytes to read.
        bytes: u64,
    },
    /// One more file read and parsed.
    File {
        /// Its size.
        bytes: u64,
    },
    /// Committing to disk.
    Commit,
}

/// A file read and parsed, ready to index.
struct Parsed {
    /// The content is what the index already holds: nothing else was done.
    unchanged: bool,
    source: String,
    entry: FileEntry,
    notice: Option<Notice>,
    records: Vec<Record>,
    /// Why the file could not be read (it is then not indexed).
    error: Option<String>,
    /// A caveat about a file that was indexed.
    warning: Option<String>,
}

impl Parsed {
    fn failed(source: String, entry: FileEntry, error: String) -> Parsed {
        Parsed {
            unchanged: false,
            source,
            entry,
            notice: None,
            records: Vec::new(),
            error: Some(error),
            warning: None,
        }
    }
}

/// Reads a file; unless its hash is `known` (already indexed), decodes and parses it.
fn read_and_parse(file: &CorpusFile, known: Option<&str>) -> Parsed {
    let (path, source) = (&file.path, file.key.clone());
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Parsed::failed(source, FileEntry::default(), e.to_string()),
    };
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    let mut entry = FileEntry {
        hash,
        bytes: bytes.len() as u64,
        ..FileEntry::default()
    };
    if known == Some(entry.hash.as_str()) {
        return Parsed {
            unchanged: true,
            source,
            entry,
            notice: None,
            records: Vec::new(),
            error: None,
            warning: None,
        };
    }
    match crate::read::decode_vec(path, bytes) {
        Ok(src) => {
            let notice = crate::parse::parse(&source, &src.text);
            let recs = index_records(&notice, &source);
            entry.records = recs.len();
            entry.minhash = super::dedup::signature(&recs)
                .map(|s| s.to_hex())
                .unwrap_or_default();
            entry.notice = notice.is_notice;
            entry.agency = notice.agency.clone().unwrap_or_default();
            entry.agency_short = notice.agency_short.clone().unwrap_or_default();
            entry.title = notice.title.clone().unwrap_or_default();
            entry.published = notice.published.clone().unwrap_or_default();
            entry.region = notice.region.clone().unwrap_or_default();
            entry.level = notice.level.clone().unwrap_or_default();
            entry.inspection = notice.inspection.kind.clone().unwrap_or_default();
            let warning = if !src.warnings.is_empty() {
                Some(src.warnings.join("；"))
            } else {
                src.lossy.then(|| {
                    "部分字节无法解码，已用 U+FFFD 替代 (some bytes could not be decoded and were replaced)".to_string()
                })
            };
            Parsed {
                unchanged: false,
                source,
                entry,
                notice: Some(notice),
                records: recs,
                error: None,
                warning,
            }
        }
        Err(e) => {
            let reason = match e {
                Error::BadFile { reason, .. } => reason,
                other => other.to_string(),
            };
            Parsed::failed(source, entry, reason)
        }
    }
}

/// Sends a file's records to tantivy's writer threads. A problem's records go in one
/// batch: they land in one segment, in order, the first (which holds the title)
/// ahead of the rest. Small problems and paragraphs share batches of up to
/// [`BATCH_DOCS`] records: one hand-over between threads per batch, not per record.
fn send_records(
    writer: &IndexWriter<RecordDoc>,
    backlog: &Backlog,
    fields: Fields,
    shared: &FileValues,
    records: Vec<Record>,
) -> Result<()> {
    let groups: Vec<usize> = records
        .chunk_by(|_, next| next.lead > 0)
        .map(<[Record]>::len)
        .collect();
    let mut records = records.into_iter();
    let mut batch = Vec::new();
    let mut batch_bytes = 0;
    for len in groups {
        if !batch.is_empty() && batch.len() + len > BATCH_DOCS {
            backlog.wait(batch_bytes);
            writer.run(std::mem::take(&mut batch))?;
            batch_bytes = 0;
        }
        for r in records.by_ref().take(len) {
            let doc = RecordDoc::new(fields, shared, r, backlog);
            batch_bytes += doc.queued_bytes();
            batch.push(UserOperation::Add(doc));
        }
    }
    if !batch.is_empty() {
        backlog.wait(batch_bytes);
        writer.run(batch)?;
    }
    Ok(())
}

/// Files parsed together at most.
const CHUNK_FILES: usize = 64;
/// Bytes of files parsed together at most (a single larger file is a chunk of its
/// own): what a chunk's parsed notices and records hold grows with its bytes, so
/// this bounds memory whatever the files' sizes.
const CHUNK_BYTES: u64 = 16 << 20;

/// Consecutive ranges of files (by their sizes) of at most [`CHUNK_FILES`] files
/// and [`CHUNK_BYTES`] bytes, except a larger file alone.
fn chunk_ranges(sizes: &[u64]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && (i - start == CHUNK_FILES || bytes + size > CHUNK_BYTES) {
            out.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// Reads and parses a chunk of files in parallel.
/// `known` maps keys to the content hash the index holds.
fn parse_chunk(
    pool: &rayon::ThreadPool,
    chunk: &[CorpusFile],
    known: &HashMap<String, String>,
) -> Vec<Parsed> {
    pool.install(|| {
        chunk
            .par_iter()
            .map(|f| read_and_parse(f, known.get(&f.key).map(String::as_str)))
            .collect()
    })
}

/// Runs `f`, turning a panic inside tantivy (a garbled file) into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> std::result::Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("读取索引文件时出错 (reading an index file failed)".into()),
    }
}

/// The manifest of the live generation `gen` if it can be updated: `Ok(None)` if it
/// was segmented with another dictionary, `Err` with what is wrong if it is damaged
/// (unreadable manifest, a commit the manifest does not describe, a file whose
/// checksum fails, a missing segment).
fn updatable(gen: &Path, fingerprint: u64) -> std::result::Result<Option<Manifest>, String> {
    guarded(|| {
        let m = Manifest::load(gen)?;
        if m.dict_fingerprint != fingerprint {
            return Ok(None);
        }
        let index = Index::open_in_dir(gen)?;
        if !super::is_complete(&index, &m)? {
            return Err(Error::CorruptIndex {
                path: gen.to_path_buf(),
                reason: "清单与索引提交不符 (the manifest does not describe the last commit)"
                    .into(),
            });
        }
        let damaged = index.validate_checksum()?;
        if let Some(p) = damaged.iter().next() {
            return Err(Error::CorruptIndex {
                path: gen.to_path_buf(),
                reason: format!(
                    "{} 个文件校验和不符，如 {} ({} damaged files)",
                    damaged.len(),
                    p.display(),
                    damaged.len()
                ),
            });
        }
        // Opens every segment's files: a missing one is an error here.
        index.reader()?.searcher();
        super::check_files(gen, &gen.join(DICT_FST), &m)?;
        Ok(Some(m))
    })
}

/// Builds or updates the index as `opts` says, reporting progress to `progress`.
pub fn build(opts: &BuildOptions, progress: &mut dyn FnMut(Progress)) -> Result<BuildReport> {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let threads = clamp_threads(opts.threads);
    report.threads = threads;
    if !opts.corpus.exists() {
        return Err(Error::io(
            &opts.corpus,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "语料目录不存在 (no such corpus directory)",
            ),
        ));
    }
    let store = Store::lock(&opts.index, &mut || progress(Progress::Waiting))?;
    if opts.if_missing && store.current().is_some_and(|g| super::exists(&g)) {
        report.existing = true;
        return Ok(report);
    }
    store.clean()?;
    // Loading the dictionary and building jieba's trie takes about half a second:
    // it runs beside reading and parsing the first files.
    let user_dict = opts.user_dict.clone();
    let dict_job = std::thread::spawn(move || Prepared::load(user_dict.as_deref()));
    let (fingerprint, user_hash) = Dictionary::fingerprint(opts.user_dict.as_deref())?;

    let live = store.current();
    let previous = match &live {
        Some(gen) if !opts.rebuild => match updatable(gen, fingerprint) {
            Ok(Some(m)) => Some((gen.clone(), m)),
            // Another dictionary: every file must be segmented again.
            Ok(None) => None,
            Err(reason) => {
                report.repaired = Some(reason);
                None
            }
        },
        _ => None,
    };
    report.rebuilt = previous.is_none();
    let walk = files::walk(&opts.corpus, &opts.index)?;
    let gen = store.new_generation()?;
    let mut manifest = match previous {
        Some((old, m)) => {
            store.seed_from(&old, &gen)?;
            m
        }
        None => Manifest {
            format: schema::FORMAT,
            dict_fingerprint: fingerprint,
            dict_total: 0,
            user_dict_hash: user_hash,
            user_dict: opts.user_dict.clone(),
            files: BTreeMap::new(),
            ..Manifest::default()
        },
    };
    manifest.corpus = Some(walk.root.to_string_lossy().into_owned());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::PlainIo(std::io::Error::other(e)))?;
    let known: HashMap<String, String> = manifest
        .files
        .iter()
        .map(|(k, e)| (k.clone(), e.hash.clone()))
        .collect();
    let sizes: Vec<u64> = walk
        .files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        .collect();
    let mut chunks = chunk_ranges(&sizes).into_iter().map(|r| &walk.files[r]);
    let mut ahead: Vec<Vec<Parsed>> = Vec::new();
    while !dict_job.is_finished() {
        match chunks.next() {
            Some(chunk) => ahead.push(parse_chunk(&pool, chunk, &known)),
            None => break,
        }
    }
    let Prepared { jieba, total, fst } = dict_job
        .join()
        .map_err(|_| Error::PlainIo(std::io::Error::other("dictionary thread panicked")))??;
    manifest.dict_total = total;

    // The query dictionary is written beside the indexing (an update keeps the live
    // generation's, linked above: same dictionary).
    let fst_path = gen.join(DICT_FST);
    let fst_job = (!fst_path.is_file()).then(|| {
        std::thread::spawn(move || -> Result<()> {
            let tmp = fst_path.with_extension("fst.tmp");
            fst.write(&tmp)?;
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, &fst_path).map_err(|e| Error::io(&fst_path, e))
        })
    });

    let index = if report.rebuilt {
        // Documents are stored in 64 KiB blocks instead of tantivy's 16 KiB: lz4 sets
        // up its tables once per block, so the store costs about a quarter less to
        // write and is a few percent smaller; a hit reads one block, still well
        // under a millisecond.
        let settings = tantivy::IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK,
            ..tantivy::IndexSettings::default()
        };
        Index::builder()
            .schema(schema::build())
            .settings(settings)
            .create_in_dir(&gen)?
    } else {
        Index::open_in_dir(&gen).map_err(|e| Error::CorruptIndex {
            path: gen.clone(),
            reason: e.to_string(),
        })?
    };
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::CorruptIndex {
        path: gen.clone(),
        reason: "字段不符 (schema mismatch)".into(),
    })?;
    register_tokenizers(&index, Some(Arc::new(jieba)));
    let budget = opts.memory_budget.max((threads * 20) << 20);
    let writer: IndexWriter<RecordDoc> = index.writer_with_num_threads(threads, budget)?;
    let backlog = Backlog::new(BACKLOG_BYTES);
    if report.rebuilt {
        // A fresh build writes a few large segments; merging them as they appear
        // would read and write everything again. Updates keep the default policy so
        // segments with deleted records are merged away.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    }

    // Which files to (re)read.
    report.files_seen = walk.files.len();
    report.hidden = walk.hidden;
    report.skipped = walk.skipped;
    report.errors.extend(
        walk.errors
            .iter()
            .map(|(k, r)| (PathBuf::from(k), r.clone())),
    );
    let current: HashSet<&str> = walk.files.iter().map(|f| f.key.as_str()).collect();
    let mut gone = Vec::new();
    for key in manifest.files.keys() {
        if current.contains(key.as_str()) {
            continue;
        }
        if files::under_any(key, &walk.unlisted) {
            // Under a folder (or behind a link) that could not be read now: kept.
            report.files_kept += 1;
        } else {
            gone.push(key.clone());
        }
    }
    for key in gone {
        writer.delete_term(fields.file_term(&key));
        manifest.files.remove(&key);
        report.files_removed += 1;
    }
    let total_bytes: u64 = sizes.iter().sum();
    progress(Progress::Start {
        files: walk.files.len() as u64,
        bytes: total_bytes,
    });

    let ahead = ahead.into_iter();
    let rest = chunks.map(|chunk| parse_chunk(&pool, chunk, &known));
    for parsed in ahead.chain(rest) {
        for p in parsed {
            progress(Progress::File {
                bytes: p.entry.bytes,
            });
            report.bytes += p.entry.bytes;
            if p.unchanged {
                report.files_unchanged += 1;
                continue;
            }
            let Parsed {
                source,
                entry,
                notice,
                records,
                error,
                warning,
                ..
            } = p;
            if let Some(e) = error {
                // Not readable now: what the index holds of it stays until the file
                // is gone.
                if manifest.files.contains_key(&source) {
                    report.files_kept += 1;
                }
                report.errors.push((PathBuf::from(&source), e));
                continue;
            }
            let Some(notice) = notice else { continue };
            if manifest.files.contains_key(&source) {
                writer.delete_term(fields.file_term(&source));
                manifest.files.remove(&source);
            }
            if let Some(w) = warning {
                report.warnings.push((PathBuf::from(&source), w));
            }
            report.files_indexed += 1;
            if notice.is_notice {
                report.notices += 1;
                let diffs = notice.discrepancies();
                if !diffs.is_empty() {
                    report.mismatched.push((
                        PathBuf::from(&source),
                        diffs.iter().map(|d| d.describe()).collect(),
                    ));
                }
            }
            report.problems += notice.problems.len();
            for r in &records {
                match r.kind {
                    RecordKind::Measure => report.measures += 1,
                    RecordKind::Paragraph => report.paragraphs += 1,
                }
            }
            let shared = FileValues::of(&notice, &source);
            // The records hold what they need of the notice: a large file's text is
            // not kept twice while it is indexed.
            drop(notice);
            send_records(&writer, &backlog, fields, &shared, records)?;
            manifest.files.insert(source, entry);
        }
    }
    report.total_files = manifest.files.len();
    report.total_records = manifest.records();
    super::dedup::assign(&mut manifest);
    if !report.rebuilt && report.files_indexed == 0 && report.files_removed == 0 {
        // Nothing changed: the live generation stays, the new one goes.
        drop(writer);
        drop(index);
        std::fs::remove_dir_all(&gen).map_err(|e| Error::io(&gen, e))?;
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }
    progress(Progress::Commit);
    let mut writer = writer;
    manifest.opstamp = writer.commit()?;
    writer.wait_merging_threads()?;
    let vocab = Vocabulary::collect(&index, &[fields.text, fields.problem, fields.category])?;
    vocab.write(&gen)?;
    manifest.vocab_hash = vocab.hash();
    if let Some(job) = fst_job {
        job.join()
            .map_err(|_| Error::PlainIo(std::io::Error::other("dictionary thread panicked")))??;
    }
    manifest.dict_hash = super::file_hash(&gen.join(DICT_FST))?;
    manifest.save(&gen)?;
    store.publish(&gen)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::Status;
    use std::time::Duration;
    use tantivy::schema::Value;
    use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, Tokenizer};
    use tantivy::TantivyDocument;

    /// Record `n` (from 1) of a file: a paragraph, or measure `lead + 1` of problem
    /// `problem_n`.
    fn record(n: usize, problem_n: usize, lead: usize) -> Record {
        Record {
            id: String::new(),
            n,
            kind: if problem_n == 0 {
                RecordKind::Paragraph
            } else {
                RecordKind::Measure
            },
            text: format!("第{n}条措施"),
            problem: if problem_n > 0 {
                format!("问题{problem_n}")
            } else {
                String::new()
            },
            problem_n,
            measure_n: if problem_n > 0 { lead + 1 } else { 0 },
            category: String::new(),
            item: String::new(),
            status: Status::Unspecified,
            status_text: String::new(),
            deadline: String::new(),
            line: n,
            lead,
        }
    }

    fn ram_index(threads: usize) -> (Index, IndexWriter<RecordDoc>, Fields) {
        let index = Index::create_in_ram(schema::build());
        register_tokenizers(&index, None);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let writer = index
            .writer_with_num_threads(threads, threads * (20 << 20))
            .unwrap();
        (index, writer, fields)
    }

    fn shared(file: u64) -> FileValues {
        FileValues {
            file,
            agency_short: "".into(),
            level: "".into(),
            date: 0,
        }
    }

    #[test]
    fn chunks_are_bounded_by_files_and_bytes() {
        assert_eq!(chunk_ranges(&[]), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(chunk_ranges(&[1; 130]), [0..64, 64..128, 128..130]);
        let big = CHUNK_BYTES;
        assert_eq!(chunk_ranges(&[1, big, 1, 1]), [0..1, 1..2, 2..4]);
        assert_eq!(chunk_ranges(&[big / 2, big / 2, 1]), [0..2, 2..3]);
    }

    #[test]
    fn a_problem_stays_together_in_one_segment_whatever_its_size() {
        let (index, mut writer, fields) = ram_index(2);
        // A small backlog, so that the build also waits on the way.
        let backlog = Backlog::new(4096);
        let sizes = [1, 63, 64, 65, 1, 1, 130, 2, 62, 3, 64, 1, 200, 5];
        for file in 0..30 {
            let mut records = Vec::new();
            for (k, &size) in sizes.iter().cycle().skip(file).take(9).enumerate() {
                let problem_n = if k % 4 == 3 { 0 } else { k + 1 };
                let size = if problem_n == 0 { 1 } else { size };
                for lead in 0..size {
                    records.push(record(records.len() + 1, problem_n, lead));
                }
            }
            send_records(&writer, &backlog, fields, &shared(file as u64), records).unwrap();
        }
        writer.commit().unwrap();
        assert_eq!(backlog.queued(), 0);
        let searcher = index.reader().unwrap().searcher();
        let mut checked = 0;
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(10).unwrap();
            let docs: Vec<TantivyDocument> = (0..segment.max_doc())
                .map(|d| store.get(d).unwrap())
                .collect();
            let get = |d: &TantivyDocument, f| d.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0);
            for (i, d) in docs.iter().enumerate() {
                let lead = get(d, fields.lead) as usize;
                if lead == 0 {
                    continue;
                }
                // Its problem's first record, `lead` documents earlier.
                let head = &docs[i.checked_sub(lead).expect("head in the same segment")];
                assert_eq!(get(head, fields.lead), 0);
                assert_eq!(get(head, fields.file), get(d, fields.file));
                assert_eq!(get(head, fields.n) + lead as u64, get(d, fields.n));
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked} records checked");
    }

    /// A tokenizer whose indexing thread dies on "POISON".
    #[derive(Clone)]
    struct Poison(SimpleTokenizer);

    impl Tokenizer for Poison {
        type TokenStream<'a> = <SimpleTokenizer as Tokenizer>::TokenStream<'a>;
        fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
            if text.contains("POISON") {
                std::thread::sleep(Duration::from_millis(100));
                panic!("indexing thread dies (expected by the test)");
            }
            self.0.token_stream(text)
        }
    }

    #[test]
    fn a_dead_writer_thread_is_an_error_not_a_hang() {
        let (index, writer, fields) = ram_index(1);
        index.tokenizers().register(
            crate::segment::WORDS,
            TextAnalyzer::builder(Poison(SimpleTokenizer::default())).build(),
        );
        let backlog = Backlog::new(1000);
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut poison = record(1, 1, 0);
            poison.text = "POISON".into();
            let mut sent = send_records(&writer, &backlog, fields, &shared(1), vec![poison]);
            // More than the backlog's limit waits behind the dead thread's documents.
            for file in 2..6 {
                if sent.is_err() {
                    break;
                }
                let mut r = record(1, 0, 0);
                r.text = "字".repeat(1000);
                sent = send_records(&writer, &backlog, fields, &shared(file), vec![r]);
            }
            let _ = done.send(sent.is_err());
        });
        let failed = result
            .recv_timeout(Duration::from_secs(30))
            .expect("the build still waits 30 s after its writer thread died");
        assert!(failed, "sending to a dead writer succeeded");
    }
}
