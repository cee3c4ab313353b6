//! Building and updating an index from a corpus directory.
//!
//! Files are read and parsed in parallel (rayon), a chunk at a time so memory stays
//! flat however large the corpus; tantivy's writer threads segment and index them.
//! On an existing index only files whose content changed are re-read, and records of
//! deleted files are removed. Files that cannot be read are reported by name and do
//! not stop the rest.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter};

use super::document::{Backlog, FileValues, RecordDoc};
use super::record::{records, Record, RecordKind};
use super::schema::{self, Fields};
use super::vocab::Vocabulary;
use super::{register_tokenizers, FileEntry, Manifest, DICT_FST, MANIFEST};
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

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Directory (or single file) to index.
    pub corpus: PathBuf,
    /// Index directory.
    pub index: PathBuf,
    /// Rebuild from scratch instead of updating.
    pub rebuild: bool,
    /// Threads for parsing and for tantivy's writer (0: all cores).
    pub threads: usize,
    /// User dictionary (jieba format).
    pub user_dict: Option<PathBuf>,
    /// Memory budget of tantivy's writer, in bytes (shared by its threads).
    pub memory_budget: usize,
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
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BuildReport {
    /// Files found in the corpus.
    pub files_seen: usize,
    /// Files (re)indexed.
    pub files_indexed: usize,
    /// Files unchanged since the last build, left as they were.
    pub files_unchanged: usize,
    /// Files gone from the corpus whose records were removed.
    pub files_removed: usize,
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
    /// Files that could not be indexed, with the reason.
    pub errors: Vec<(PathBuf, String)>,
    /// Whether the index was built from scratch.
    pub rebuilt: bool,
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

/// Files of the corpus in a stable order, with the index directory left out, and the
/// entries that could not be walked (a dangling link, a loop, an unreadable
/// directory) with the reason: they are reported and do not stop the rest.
type Walked = (Vec<PathBuf>, Vec<(PathBuf, String)>);

fn corpus_files(corpus: &Path, index: &Path) -> Result<Walked> {
    if corpus.is_file() {
        return Ok((vec![corpus.to_path_buf()], Vec::new()));
    }
    if !corpus.is_dir() {
        return Err(Error::io(
            corpus,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "语料目录不存在 (no such corpus directory)",
            ),
        ));
    }
    let index_abs = index.canonicalize().ok();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(corpus)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden =
                e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.'));
            let is_index = index_abs
                .as_ref()
                .is_some_and(|i| e.path().canonicalize().ok().as_ref() == Some(i));
            !hidden && !is_index
        });
    let mut errors = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| corpus.to_path_buf());
                let reason = match e.io_error() {
                    Some(io) => io.to_string(),
                    None => e.to_string(),
                };
                errors.push((path, reason));
            }
        }
    }
    Ok((files, errors))
}

/// A file read and parsed, ready to index.
struct Parsed {
    /// The content is what the index already holds: nothing else was done.
    unchanged: bool,
    source: String,
    entry: FileEntry,
    notice: Option<Notice>,
    records: Vec<Record>,
    error: Option<String>,
}

/// Reads a file; unless its hash is `known` (already indexed), decodes and parses it.
fn read_and_parse(path: &Path, known: Option<&str>) -> Parsed {
    let source = path.to_string_lossy().into_owned();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Parsed {
                unchanged: false,
                source,
                entry: FileEntry::default(),
                notice: None,
                records: Vec::new(),
                error: Some(e.to_string()),
            }
        }
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
        };
    }
    match crate::read::decode_vec(path, bytes) {
        Ok(src) => {
            let notice = crate::parse::parse(&source, &src.text);
            let recs = records(&notice, &source);
            entry.records = recs.len();
            entry.notice = notice.is_notice;
            entry.agency = notice.agency.clone().unwrap_or_default();
            entry.agency_short = notice.agency_short.clone().unwrap_or_default();
            entry.title = notice.title.clone().unwrap_or_default();
            entry.published = notice.published.clone().unwrap_or_default();
            entry.region = notice.region.clone().unwrap_or_default();
            entry.level = notice.level.clone().unwrap_or_default();
            entry.inspection = notice.inspection.kind.clone().unwrap_or_default();
            let error = src.lossy.then(|| {
                "部分字节无法解码，已用 U+FFFD 替代 (some bytes could not be decoded and were replaced)".to_string()
            });
            Parsed {
                unchanged: false,
                source,
                entry,
                notice: Some(notice),
                records: recs,
                error,
            }
        }
        Err(e) => {
            let reason = match e {
                Error::BadFile { reason, .. } => reason,
                other => other.to_string(),
            };
            Parsed {
                unchanged: false,
                source,
                entry,
                notice: None,
                records: Vec::new(),
                error: Some(reason),
            }
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

/// Refuses to clear a directory that is not an index (or empty).
fn check_clearable(dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let ours = names.iter().any(|n| n == MANIFEST || n == "meta.json");
    let empty = names.iter().all(|n| n.starts_with('.'));
    if ours || empty {
        Ok(())
    } else {
        Err(Error::BadFile {
            path: dir.to_path_buf(),
            reason: "目录非空且不是 zhenggai 索引，不会覆盖 (directory is not empty and is not a zhenggai index; refusing to overwrite)".into(),
        })
    }
}

fn clear_index_dir(dir: &Path) -> Result<()> {
    check_clearable(dir)?;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let p = e.path();
            let r = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
            r.map_err(|err| Error::io(&p, err))?;
        }
    }
    Ok(())
}

/// Whether the index in `dir` is the one `manifest` describes.
fn complete(dir: &Path, manifest: &Manifest) -> bool {
    Index::open_in_dir(dir)
        .ok()
        .and_then(|i| super::is_complete(&i, manifest).ok())
        .unwrap_or(false)
}

/// Reads and parses a chunk of files in parallel.
/// `known` maps source paths to the content hash the index holds.
fn parse_chunk(
    pool: &rayon::ThreadPool,
    chunk: &[PathBuf],
    known: &HashMap<String, String>,
) -> Vec<Parsed> {
    pool.install(|| {
        chunk
            .par_iter()
            .map(|p| {
                let hash = known.get(p.to_string_lossy().as_ref());
                read_and_parse(p, hash.map(String::as_str))
            })
            .collect()
    })
}

/// Builds or updates the index as `opts` says, reporting progress to `progress`.
pub fn build(opts: &BuildOptions, progress: &mut dyn FnMut(Progress)) -> Result<BuildReport> {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.threads
    };
    // Loading the dictionary and building jieba's trie takes about half a second:
    // it runs beside reading and parsing the first files.
    let user_dict = opts.user_dict.clone();
    let dict_job = std::thread::spawn(move || Prepared::load(user_dict.as_deref()));
    let (fingerprint, user_hash) = Dictionary::fingerprint(opts.user_dict.as_deref())?;

    let previous = if super::exists(&opts.index) && !opts.rebuild {
        match Manifest::load(&opts.index) {
            Ok(m) if m.dict_fingerprint == fingerprint && complete(&opts.index, &m) => Some(m),
            // Another dictionary or format, or an interrupted build: every file must
            // be segmented again.
            _ => None,
        }
    } else {
        None
    };
    if previous.is_none() {
        check_clearable(&opts.index)?;
    }
    let rebuilt = previous.is_none();
    // Deleting the old index's files waits on the disk (40 ms for the 60 MB law index,
    // more for larger ones): it runs beside loading the dictionary and reading the
    // first files, and nothing is written to the directory until it is done.
    let clearing = rebuilt.then(|| {
        let dir = opts.index.clone();
        std::thread::spawn(move || clear_index_dir(&dir))
    });
    let mut manifest = previous.unwrap_or_else(|| Manifest {
        format: schema::FORMAT,
        dict_fingerprint: fingerprint,
        dict_total: 0,
        user_dict_hash: user_hash,
        user_dict: opts.user_dict.clone(),
        files: BTreeMap::new(),
        opstamp: 0,
    });
    let (files, walk_errors) = corpus_files(&opts.corpus, &opts.index)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::PlainIo(std::io::Error::other(e)))?;
    let known: HashMap<String, String> = manifest
        .files
        .iter()
        .map(|(k, e)| (k.clone(), e.hash.clone()))
        .collect();
    let mut chunks = files.chunks(64);
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

    if let Some(job) = clearing {
        job.join().map_err(|_| {
            Error::PlainIo(std::io::Error::other("index clearing thread panicked"))
        })??;
        report.rebuilt = true;
    }
    std::fs::create_dir_all(&opts.index).map_err(|e| Error::io(&opts.index, e))?;
    // The query dictionary is written beside the indexing.
    let fst_path = opts.index.join(DICT_FST);
    let fst_job = std::thread::spawn(move || fst.write(&fst_path));

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
            .create_in_dir(&opts.index)?
    } else {
        Index::open_in_dir(&opts.index).map_err(|e| Error::CorruptIndex {
            path: opts.index.clone(),
            reason: e.to_string(),
        })?
    };
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::CorruptIndex {
        path: opts.index.clone(),
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
    report.files_seen = files.len();
    report.errors.extend(walk_errors);
    let current: std::collections::HashSet<String> = files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for gone in manifest
        .files
        .keys()
        .filter(|k| !current.contains(*k))
        .cloned()
        .collect::<Vec<_>>()
    {
        writer.delete_term(fields.file_term(&gone));
        manifest.files.remove(&gone);
        report.files_removed += 1;
    }
    let total_bytes: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    progress(Progress::Start {
        files: files.len() as u64,
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
                ..
            } = p;
            if manifest.files.contains_key(&source) {
                writer.delete_term(fields.file_term(&source));
                manifest.files.remove(&source);
            }
            if let Some(e) = error {
                report.errors.push((PathBuf::from(&source), e));
            }
            let Some(notice) = notice else { continue };
            report.files_indexed += 1;
            if notice.is_notice {
                report.notices += 1;
            }
            report.problems += notice.problems.len();
            for r in &records {
                match r.kind {
                    RecordKind::Measure => report.measures += 1,
                    RecordKind::Paragraph => report.paragraphs += 1,
                }
            }
            let shared = FileValues::of(&notice, &source);
            send_records(&writer, &backlog, fields, &shared, records)?;
            manifest.files.insert(source, entry);
        }
    }
    progress(Progress::Commit);
    let mut writer = writer;
    manifest.opstamp = writer.commit()?;
    writer.wait_merging_threads()?;
    Vocabulary::collect(&index, &[fields.text, fields.problem, fields.category])?
        .write(&opts.index)?;
    fst_job
        .join()
        .map_err(|_| Error::PlainIo(std::io::Error::other("dictionary thread panicked")))??;
    manifest.save(&opts.index)?;
    report.total_files = manifest.files.len();
    report.total_records = manifest.records();
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
