//! Indexing throughput, measured in one run against its floor.
//!
//! 1. criterion, on ~1 MB of seed text: raw jieba-rs `cut_for_search` (HMM), the
//!    analyzer the index uses (`segment::analyze`: fold, `cut`, runs and gaps), and
//!    preparing the dictionary (built-in, and merged as with a user dictionary).
//! 2. For each corpus — a generated notice corpus (`ZHENGGAI_BENCH_MB`, default 100;
//!    a comma-separated list runs several) and `../shared/corpora/laws` if present:
//!    raw single-thread `cut_for_search` over the decoded text of the same files, and
//!    the whole `zhenggai index --rebuild` process (wall clock from spawn to exit, CPU
//!    time and peak RSS from `/usr/bin/time`), alternating: raw, index, raw, index …,
//!    raw (`ZHENGGAI_BENCH_RUNS` builds, default 3; one for corpora of 500 MB and
//!    more). Each build's ratio is its speed over the mean of the raw passes on either
//!    side; the table shows the build with the median ratio and lists every ratio.
//!
//! Run: `CARGO_TARGET_DIR=/tmp/bench-target cargo bench --bench throughput`.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use jieba_rs::Jieba;
use zhenggai::segment::{analyze, Dictionary, Prepared, Scratch};

use common::*;

/// The index/raw ratio the target asks for.
const TARGET_RATIO: f64 = 0.5;
/// Peak RSS allowed while indexing 1 GB.
const TARGET_RSS_KIB: u64 = 1 << 20;

fn criterion_benches(c: &mut Criterion, jieba: &Jieba) {
    let text = seed_text(1 << 20);
    let mut g = c.benchmark_group("segment_1MB_seeds");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("jieba_cut_for_search_hmm", |b| {
        b.iter(|| black_box(jieba.cut_for_search(black_box(&text), true)).len())
    });
    g.bench_function("jieba_cut_hmm", |b| {
        b.iter(|| black_box(jieba.cut(black_box(&text), true)).len())
    });
    // Without the memo of cuts: the same megabyte again and again would only hit it.
    let mut scratch = Scratch::default();
    g.bench_function("analyze", |b| {
        b.iter(|| {
            let mut n = 0usize;
            analyze(jieba, black_box(&text), &mut scratch, |t, _| n += t.len());
            black_box(n)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("dictionary");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    // What `zhenggai index` pays: the built-in dictionary, FST precompiled.
    g.bench_function("prepared_builtin", |b| {
        b.iter(|| black_box(Prepared::load(None).unwrap().total))
    });
    // The path with a user dictionary: parse, merge, build jieba from the merge.
    g.bench_function("load_merge_and_build_jieba", |b| {
        b.iter(|| black_box(Dictionary::load(None).unwrap().jieba()))
    });
    g.finish();
}

/// Raw `cut_for_search` (HMM) on one thread over the decoded text of every file: the
/// time spent cutting only. Files are read and decoded in batches of ~64 MB first, so
/// reading and decoding are not counted.
#[derive(Clone, Copy)]
struct Raw {
    files: usize,
    bytes: u64,
    /// Wall clock spent cutting.
    wall: Duration,
    /// CPU time of this thread spent cutting (user + system, 10 ms ticks).
    cpu: f64,
    tokens: u64,
    /// Bytes of runs of CJK characters, letters and digits, and of those runs that
    /// occurred before in the corpus: what a memo of cuts can save at most.
    run_bytes: u64,
    repeated_bytes: u64,
}

/// Adds the runs of `text` to `seen` (by hash), counting bytes and repeated bytes.
fn count_repeats(text: &str, seen: &mut std::collections::HashSet<u64>, raw: &mut Raw) {
    let is_run = |c: char| zhenggai::text::is_han(c) || c.is_alphanumeric();
    for run in text.split(|c: char| !is_run(c)).filter(|r| !r.is_empty()) {
        raw.run_bytes += run.len() as u64;
        if !seen.insert(xxhash_rust::xxh3::xxh3_64(run.as_bytes())) {
            raw.repeated_bytes += run.len() as u64;
        }
    }
}

/// A raw pass over `corpus`; with `repeats`, also counts the runs that come back
/// (a property of the corpus: the first pass counts them for all).
fn raw_pass(jieba: &Jieba, corpus: &Path, repeats: bool) -> Raw {
    let mut raw = Raw {
        files: 0,
        bytes: 0,
        wall: Duration::ZERO,
        cpu: 0.0,
        tokens: 0,
        run_bytes: 0,
        repeated_bytes: 0,
    };
    let mut seen = repeats.then(std::collections::HashSet::new);
    let mut batch: Vec<String> = Vec::new();
    let mut batch_bytes = 0usize;
    let cut = |batch: &mut Vec<String>, raw: &mut Raw| {
        let c0 = thread_cpu_secs();
        let t = Instant::now();
        for text in batch.iter() {
            raw.tokens += black_box(jieba.cut_for_search(black_box(text), true)).len() as u64;
        }
        raw.wall += t.elapsed();
        raw.cpu += thread_cpu_secs() - c0;
        batch.clear();
    };
    for path in corpus_files(corpus) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        raw.files += 1;
        raw.bytes += bytes.len() as u64;
        let Ok(src) = zhenggai::read::decode_vec(&path, bytes) else {
            continue;
        };
        if let Some(seen) = &mut seen {
            count_repeats(&src.text, seen, &mut raw);
        }
        batch_bytes += src.text.len();
        batch.push(src.text);
        if batch_bytes >= 64 << 20 {
            cut(&mut batch, &mut raw);
            batch_bytes = 0;
        }
    }
    cut(&mut batch, &mut raw);
    raw
}

/// User + system CPU seconds of the calling thread (/proc/thread-self/stat, in ticks of
/// 1/100 s).
fn thread_cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces):
    // state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    f.iter().sum::<u64>() as f64 / 100.0
}

struct Row {
    name: String,
    /// Raw passes: before the first build, between builds, after the last.
    raws: Vec<Raw>,
    /// Index builds; build `i` ran between `raws[i]` and `raws[i + 1]`.
    builds: Vec<ProcRun>,
    counts: Option<(u64, u64)>,
    index_bytes: u64,
}

impl Row {
    /// The mean of the raw passes on either side of build `i`.
    fn raw_around(&self, i: usize) -> Raw {
        let (a, b) = (&self.raws[i], &self.raws[i + 1]);
        Raw {
            wall: (a.wall + b.wall) / 2,
            cpu: (a.cpu + b.cpu) / 2.0,
            ..*a
        }
    }

    /// Wall-clock ratio of build `i`: its speed over the raw speed around it.
    fn ratio(&self, i: usize) -> f64 {
        self.raw_around(i).wall.as_secs_f64() / self.builds[i].wall.as_secs_f64()
    }

    /// The build with the median ratio (the lower middle one for an even count).
    fn median(&self) -> usize {
        let mut order: Vec<usize> = (0..self.builds.len()).collect();
        order.sort_by(|&a, &b| self.ratio(a).total_cmp(&self.ratio(b)));
        order[(order.len() - 1) / 2]
    }
}

/// Index builds per corpus: `ZHENGGAI_BENCH_RUNS` (default 3), one for corpora of
/// 500 MB and more (the 1 GB corpus is there for peak memory).
fn builds_for(corpus_bytes: u64) -> usize {
    if corpus_bytes >= 500_000_000 {
        return 1;
    }
    std::env::var("ZHENGGAI_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(3)
}

fn mbps(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// Bytes of the files under `dir`, sub-folders included (an index keeps its live
/// generation in `gen-NNNNNN/`).
fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let m = e.metadata().ok()?;
                    Some(if m.is_dir() {
                        dir_size(&e.path())
                    } else {
                        m.len()
                    })
                })
                .sum()
        })
        .unwrap_or(0)
}

fn measure_corpus(jieba: &Jieba, name: &str, corpus: &Path) -> Row {
    let raw_log = |r: &Raw| {
        eprintln!(
            "[{name}]   raw: {} files, {:.1} MB, {:.2} s wall ({:.2} s CPU), {:.1} MB/s",
            r.files,
            r.bytes as f64 / 1e6,
            r.wall.as_secs_f64(),
            r.cpu,
            mbps(r.bytes, r.wall)
        )
    };
    eprintln!("[{name}] raw cut_for_search over {} …", corpus.display());
    let first = raw_pass(jieba, corpus, true);
    raw_log(&first);
    let builds = builds_for(first.bytes);
    let mut raws = vec![first];
    let mut runs = Vec::new();
    let index = bench_root().join(format!("index-{name}"));
    for k in 1..=builds {
        eprintln!(
            "[{name}] zhenggai index --rebuild → {} ({k}/{builds}) …",
            index.display()
        );
        let run = build_index_process(corpus, &index);
        eprintln!(
            "[{name}]   {:.2} s wall, {:.1} MB/s",
            run.wall.as_secs_f64(),
            mbps(first.bytes, run.wall)
        );
        runs.push(run);
        let raw = raw_pass(jieba, corpus, false);
        raw_log(&raw);
        raws.push(raw);
    }
    let counts = runs.last().and_then(|r| parse_report_counts(&r.stderr));
    Row {
        name: name.to_string(),
        index_bytes: dir_size(&index),
        raws,
        builds: runs,
        counts,
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!("== 建索引吞吐 indexing throughput: whole `zhenggai index --rebuild` process vs raw single-thread cut_for_search over the same files ==");
    println!("{}", machine_summary());
    println!(
        "{:<15} {:>6} {:>7} {:>9} {:>11} {:>8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>6} {:>5} {:>6} {:>5} {:>7} {:>5}",
        "corpus",
        "files",
        "MB",
        "raw MB/s",
        "before/after",
        "index s",
        "idx MB/s",
        "CPU s",
        "measures",
        "measures/s",
        "records/s",
        "ratio",
        "CPU×",
        "ideal",
        "RSS",
        "idx MB",
        "rep%"
    );
    for row in rows {
        // The build with the median ratio, and the raw passes around it.
        let m = row.median();
        let (raw_before, raw_after) = (&row.raws[m], &row.raws[m + 1]);
        let around = row.raw_around(m);
        let build = &row.builds[m];
        let secs = build.wall.as_secs_f64();
        let idx = mbps(around.bytes, build.wall);
        let raw = mbps(around.bytes, around.wall);
        let (measures, per_s, rec_s) = match row.counts {
            Some((m, p)) => (
                m.to_string(),
                format!("{:.0}", m as f64 / secs),
                format!("{:.0}", (m + p) as f64 / secs),
            ),
            None => ("?".into(), "?".into(), "?".into()),
        };
        let opt = |v: Option<f64>, prec: usize| v.map_or("?".into(), |v| format!("{v:.prec$}"));
        let cpu_s = build.cpu_secs;
        let rss = build.peak_rss_kib.map(|k| k as f64 / 1024.0);
        println!(
            "{:<15} {:>6} {:>7.1} {:>9.1} {:>11} {:>8.2} {:>8.1} {:>8} {:>8} {:>10} {:>9} {:>6.2} {:>5} {:>6} {:>5} {:>7.0} {:>5.0}",
            row.name,
            around.files,
            around.bytes as f64 / 1e6,
            raw,
            format!(
                "{:.1}/{:.1}",
                mbps(around.bytes, raw_before.wall),
                mbps(around.bytes, raw_after.wall)
            ),
            secs,
            idx,
            opt(cpu_s, 1),
            measures,
            per_s,
            rec_s,
            idx / raw,
            opt(cpu_s.map(|c| c / secs), 2),
            opt(cpu_s.map(|c| 2.0 * around.cpu / c), 2),
            opt(rss, 0),
            row.index_bytes as f64 / 1e6,
            100.0 * row.raws[0].repeated_bytes as f64 / row.raws[0].run_bytes.max(1) as f64,
        );
    }
    println!(
        "each row is the build with the median ratio; \
         raw MB/s: mean of the raw passes just before and after that build (both shown); \
         ratio = idx MB/s ÷ raw MB/s, wall clock (target ≥ {TARGET_RATIO}); \
         CPU s, CPU×: user+sys CPU seconds of the index process and ÷ its wall seconds; \
         ideal = 2 × raw CPU s ÷ index CPU s, the ratio with two idle cores and perfect parallelism; \
         records = measures + other paragraphs; RSS = peak resident set in MiB (GNU time %M); \
         idx MB = size of the index directory; \
         rep% = share of the bytes of CJK/letter/digit runs that occurred earlier in the same corpus \
         (what remembering jieba's cuts can save at most; the generated corpus recombines a few \
         hundred seed sentences, so it repeats far more than real text)."
    );
    println!("load average after the run: {}", load_average());
    for r in rows {
        let ratio = r.ratio(r.median());
        let verdict = if ratio >= TARGET_RATIO {
            "met"
        } else {
            "NOT met"
        };
        let each: Vec<String> = (0..r.builds.len())
            .map(|i| format!("{:.2}", r.ratio(i)))
            .collect();
        println!(
            "  {:<16} ratio {ratio:.2} (median of {}: {}) vs ≥ {TARGET_RATIO}: {verdict}",
            r.name,
            r.builds.len(),
            each.join(", ")
        );
        let bytes = r.raws[0].bytes;
        if bytes >= 1_000_000_000 {
            if let Some(k) = r.builds.iter().filter_map(|b| b.peak_rss_kib).max() {
                let verdict = if k < TARGET_RSS_KIB { "met" } else { "NOT met" };
                println!(
                    "  {:<16} peak RSS {:.0} MiB indexing {:.2} GB vs < 1024 MiB: {verdict}",
                    r.name,
                    k as f64 / 1024.0,
                    bytes as f64 / 1e9
                );
            }
        }
    }
    println!();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let t = Instant::now();
    let jieba = Prepared::load(None).expect("load dictionary").jieba;
    eprintln!(
        "dictionary loaded in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    criterion_benches(&mut c, &jieba);
    c.final_summary();

    let mut rows = Vec::new();
    for mb in corpus_sizes_mb() {
        let corpus = generated_corpus(mb);
        rows.push(measure_corpus(&jieba, &format!("notices-{mb}mb"), &corpus));
    }
    if test_mode() {
        eprintln!("test mode: laws corpus skipped");
    } else {
        match laws_corpus() {
            Some(laws) => rows.push(measure_corpus(&jieba, "laws", &laws)),
            None => println!(
                "laws corpus not found at {}/../shared/corpora/laws: skipped",
                env!("CARGO_MANIFEST_DIR")
            ),
        }
    }
    print_table(&rows);
}
