//! Helpers shared by the benchmarks: generated corpora reused across runs, the
//! `zhenggai` binary run as a whole process (wall clock, CPU time, peak RSS), corpus
//! walking, percentiles and a description of the machine.
//!
//! Everything large lives under `$ZHENGGAI_BENCH_DIR` (default `/tmp/zhenggai-bench`).

#![allow(dead_code)] // each bench uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zhenggai::generate::{generate_corpus, GenerateOptions};

/// Seed of the generated notice corpora (fixed so every run indexes the same bytes).
pub const SEED: u64 = 20_240_501;

/// Name of the marker file in a generated corpus (hidden: the indexer skips it).
const CORPUS_MARKER: &str = ".zhenggai-bench-corpus";
/// Name of the marker file in an index built by a benchmark (hidden: survives `--rebuild`).
const INDEX_MARKER: &str = ".zhenggai-bench-index";

/// Where corpora and indexes go.
pub fn bench_root() -> PathBuf {
    std::env::var_os("ZHENGGAI_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/zhenggai-bench"))
}

/// Whether the bench runs in criterion's quick test mode (`cargo bench -- --test`).
pub fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Sizes in MB of the generated corpora: `ZHENGGAI_BENCH_MB` (comma-separated list),
/// default 100 (1 in test mode).
pub fn corpus_sizes_mb() -> Vec<u64> {
    let default = if test_mode() { "1" } else { "100" };
    let spec = std::env::var("ZHENGGAI_BENCH_MB").unwrap_or_else(|_| default.to_string());
    let sizes: Vec<u64> = spec
        .split(',')
        .filter_map(|s| s.trim().parse::<u64>().ok())
        .filter(|&n| n > 0)
        .collect();
    if sizes.is_empty() {
        vec![100]
    } else {
        sizes
    }
}

/// The law corpus `../shared/corpora/laws` next to the repository (or
/// `$ZHENGGAI_BENCH_LAWS`), if it is there.
pub fn laws_corpus() -> Option<PathBuf> {
    let p = std::env::var_os("ZHENGGAI_BENCH_LAWS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/laws"));
    p.is_dir().then(|| p.canonicalize().unwrap_or(p))
}

/// The seed notices of the repository.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A generated notice corpus of `mb` MB (10^6 bytes): generated once, then reused
/// while its marker says it was generated with the same seed and size.
pub fn generated_corpus(mb: u64) -> PathBuf {
    let dir = bench_root().join(format!("notices-{mb}mb"));
    let target_bytes = mb * 1_000_000;
    let want = format!("seed={SEED} target_bytes={target_bytes}\n");
    let marker = dir.join(CORPUS_MARKER);
    if std::fs::read_to_string(&marker).is_ok_and(|m| m.starts_with(&want)) {
        return dir;
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove stale generated corpus");
    }
    eprintln!("generating {mb} MB of notices into {} …", dir.display());
    let t = Instant::now();
    let stats = generate_corpus(
        &dir,
        GenerateOptions {
            seed: SEED,
            target_bytes,
            ..GenerateOptions::default()
        },
    )
    .expect("generate corpus");
    std::fs::write(
        &marker,
        format!(
            "{want}files={} bytes={} measures={}\n",
            stats.files, stats.bytes, stats.measures
        ),
    )
    .expect("write corpus marker");
    eprintln!(
        "  {} files, {} bytes in {:.1} s",
        stats.files,
        stats.bytes,
        t.elapsed().as_secs_f64()
    );
    dir
}

/// Files of a corpus as the indexer walks it: recursively, sorted by name, hidden
/// entries left out.
pub fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

/// The `zhenggai` binary cargo built for this bench.
pub fn zhenggai_bin() -> PathBuf {
    if let Some(p) = option_env!("CARGO_BIN_EXE_zhenggai") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("zhenggai")
}

/// One whole-process run.
#[derive(Debug, Clone)]
pub struct ProcRun {
    /// Wall clock from spawn to exit.
    pub wall: Duration,
    /// User + system CPU seconds (from `/usr/bin/time`; `None` without it).
    pub cpu_secs: Option<f64>,
    /// Peak resident set in KiB (`/usr/bin/time` %M, or the last VmHWM seen).
    pub peak_rss_kib: Option<u64>,
    /// What the process wrote to stderr.
    pub stderr: String,
    /// Exit code.
    pub code: Option<i32>,
}

const GNU_TIME: &str = "/usr/bin/time";

/// Runs `zhenggai ARGS` to completion, measuring wall clock and, with `rusage`, CPU
/// time and peak RSS (through `/usr/bin/time` if present, which adds an exec of its
/// own to the wall clock; otherwise VmHWM is polled). Stdout is discarded.
pub fn run_measured(args: &[&std::ffi::OsStr], rusage: bool) -> ProcRun {
    let bin = zhenggai_bin();
    let dir = bench_root();
    std::fs::create_dir_all(&dir).expect("create bench dir");
    let time_out = dir.join(format!(".time-{}", std::process::id()));
    let use_time = rusage && Path::new(GNU_TIME).is_file();
    let mut cmd = if use_time {
        let mut c = Command::new(GNU_TIME);
        c.arg("-f")
            .arg("%M %U %S")
            .arg("-o")
            .arg(&time_out)
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn zhenggai");
    // Without GNU time, poll VmHWM of the child while it runs.
    let pid = child.id();
    let stderr_pipe = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut p) = stderr_pipe {
            use std::io::Read;
            let _ = p.read_to_string(&mut s);
        }
        s
    });
    let mut hwm = None;
    let status = if rusage && !use_time {
        loop {
            if let Some(st) = child.try_wait().expect("wait for zhenggai") {
                break st;
            }
            if let Some(kib) = vm_hwm_kib(pid) {
                hwm = Some(kib);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    } else {
        child.wait().expect("wait for zhenggai")
    };
    let wall = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let (mut peak, mut cpu) = (hwm, None);
    if use_time {
        if let Ok(t) = std::fs::read_to_string(&time_out) {
            // The last line is ours; earlier lines can be "Command exited …".
            let f: Vec<&str> = t.lines().last().unwrap_or("").split_whitespace().collect();
            if f.len() == 3 {
                peak = f[0].parse().ok();
                cpu = match (f[1].parse::<f64>(), f[2].parse::<f64>()) {
                    (Ok(u), Ok(s)) => Some(u + s),
                    _ => None,
                };
            }
        }
        let _ = std::fs::remove_file(&time_out);
    }
    ProcRun {
        wall,
        cpu_secs: cpu,
        peak_rss_kib: peak,
        stderr,
        code: status.code(),
    }
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `zhenggai --index INDEX index CORPUS --rebuild` as a whole process and returns
/// the measurement. The index directory gets a marker naming the corpus, so that
/// [`ensure_index`] can reuse it.
pub fn build_index_process(corpus: &Path, index: &Path) -> ProcRun {
    let marker = index.join(INDEX_MARKER);
    let _ = std::fs::remove_file(&marker);
    let run = run_measured(
        &[
            "--index".as_ref(),
            index.as_os_str(),
            "index".as_ref(),
            corpus.as_os_str(),
            "--rebuild".as_ref(),
        ],
        true,
    );
    assert_eq!(
        run.code,
        Some(0),
        "zhenggai index {} failed:\n{}",
        corpus.display(),
        run.stderr
    );
    std::fs::write(&marker, index_marker_text(corpus)).expect("write index marker");
    run
}

fn index_marker_text(corpus: &Path) -> String {
    let corpus_marker = std::fs::read_to_string(corpus.join(CORPUS_MARKER)).unwrap_or_default();
    format!("corpus={}\n{corpus_marker}", corpus.display())
}

/// An index of `corpus` at `index`: reused if a benchmark built it from the same corpus
/// with the current binary, built (as a whole process) otherwise.
pub fn ensure_index(corpus: &Path, index: &Path) {
    let marker = index.join(INDEX_MARKER);
    let fresh = std::fs::read_to_string(&marker).is_ok_and(|m| m == index_marker_text(corpus))
        && match (
            std::fs::metadata(&marker).and_then(|m| m.modified()),
            std::fs::metadata(zhenggai_bin()).and_then(|m| m.modified()),
        ) {
            (Ok(idx), Ok(bin)) => idx >= bin,
            _ => false,
        };
    if fresh {
        return;
    }
    eprintln!(
        "building index {} from {} …",
        index.display(),
        corpus.display()
    );
    let run = build_index_process(corpus, index);
    eprintln!("  {:.1} s", run.wall.as_secs_f64());
}

/// Counts of measures and paragraphs from the `zhenggai index` report line
/// (`… N measures, M paragraphs …`).
pub fn parse_report_counts(stderr: &str) -> Option<(u64, u64)> {
    fn count_before(s: &str, word: &str) -> Option<u64> {
        let i = s.find(word)?;
        s[..i].split_whitespace().last()?.parse().ok()
    }
    Some((
        count_before(stderr, " measures")?,
        count_before(stderr, " paragraphs")?,
    ))
}

/// Percentile (nearest rank) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Milliseconds with three decimals.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// nproc, CPU model, memory, load average and kernel, one line each.
pub fn machine_summary() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown", str::trim)
        .to_string();
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    format!(
        "machine: {nproc} cores, {model}, {:.1} GiB RAM; load average {}; commit {}",
        mem_kib as f64 / (1u64 << 20) as f64,
        load_average(),
        git_commit()
    )
}

/// The commit of the working tree (`git rev-parse --short HEAD`), marked `+dirty` when
/// `src/` or `Cargo.toml` has uncommitted changes.
pub fn git_commit() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".into();
    };
    let dirty =
        git(&["status", "--porcelain", "--", "src", "Cargo.toml"]).is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{head}+dirty")
    } else {
        head
    }
}

/// The first three fields of /proc/loadavg.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// About 1 MB (at least `min_bytes`) of real notice text: the seeds, repeated.
pub fn seed_text(min_bytes: usize) -> String {
    let mut one = String::new();
    for p in corpus_files(&seeds_dir()) {
        if let Ok(src) = zhenggai::read::read_file(&p) {
            one.push_str(&src.text);
            one.push('\n');
        }
    }
    assert!(!one.is_empty(), "no seed text in {}", seeds_dir().display());
    let mut text = String::with_capacity(min_bytes + one.len());
    while text.len() < min_bytes {
        text.push_str(&one);
    }
    text
}
