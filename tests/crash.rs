//! `zhenggai index` killed with SIGKILL at random moments, during a first build, an
//! update and a rebuild of a corpus of a few MB: every time, a search answers from
//! a complete state (the one before or the one after; no index at all only before
//! the first build completed), and the next `index` converges to the counts of a
//! clean build.
//!
//! The default run kills 3 times (one per kind of build) so CI stays fast. The long
//! version kills 20 times:
//!
//! ```sh
//! ZHENGGAI_CRASH_KILLS=20 cargo test --test crash -- --nocapture
//! ```
//!
//! `ZHENGGAI_CRASH_SEED=N` replays the moments of an earlier run (printed with
//! `--nocapture`).

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use zhenggai::index::Manifest;
use zhenggai::search::{Engine, SearchRequest};

/// A small deterministic generator (xorshift), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A duration in `[0, max)`.
    fn below(&mut self, max: Duration) -> Duration {
        let ms = max.as_millis().max(1) as u64;
        Duration::from_millis(self.next() % ms)
    }
}

fn zhenggai(index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .expect("runs")
}

/// Writes `copies` variations of every seed into `dir`: each copy has its own
/// first line and years, so its records differ from the others'.
fn corpus(dir: &Path, copies: usize, edition: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for e in std::fs::read_dir(common::seeds()).expect("seeds") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read");
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        for i in 0..copies {
            let year = format!("20{}", 10 + i % 15);
            let body = format!("第{i}批{edition}\n{}", text.replace("2024", &year));
            std::fs::write(dir.join(format!("{i:03}_{name}")), body).expect("write");
        }
    }
}

/// Files, records (by the manifest) and documents (by tantivy) of the live index,
/// and hits of a search; `None` if there is no index yet. Panics if the index is
/// not a complete state.
fn state(index: &Path) -> Option<(usize, usize, u64, usize)> {
    if !zhenggai::index::exists(index) {
        // Nothing published yet: a search says so, cleanly.
        let o = zhenggai(index, &["search", "医共体"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("没有找到索引"));
        return None;
    }
    let o = zhenggai(index, &["search", "医共体", "--json", "--limit", "1"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let engine = Engine::open(index).expect("a complete index opens");
    let m = Manifest::load(index).expect("manifest");
    let docs = engine
        .index()
        .reader()
        .expect("reader")
        .searcher()
        .num_docs();
    let hits = engine
        .search(&SearchRequest::new("医共体"))
        .expect("search")
        .total;
    Some((m.files.len(), m.records(), docs, hits))
}

fn run_to_end(index: &Path, corpus: &Path, rebuild: bool) -> Duration {
    let started = Instant::now();
    let mut args = vec!["index", "-q", corpus.to_str().expect("utf-8 path")];
    if rebuild {
        args.push("--rebuild");
    }
    let o = zhenggai(index, &args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    started.elapsed()
}

/// Starts `index`, kills it with SIGKILL after `after`.
fn kill_after(index: &Path, corpus: &Path, rebuild: bool, after: Duration) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhenggai"));
    cmd.arg("--index")
        .arg(index)
        .args(["index", "-q"])
        .arg(corpus);
    if rebuild {
        cmd.arg("--rebuild");
    }
    let mut child = cmd.spawn().expect("spawn");
    std::thread::sleep(after);
    // SIGKILL on Unix; an error only if it already finished.
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn killed_builds_leave_a_complete_index_and_converge() {
    let kills: usize = std::env::var("ZHENGGAI_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(3);
    let seed: u64 = std::env::var("ZHENGGAI_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    println!("ZHENGGAI_CRASH_SEED={seed} ZHENGGAI_CRASH_KILLS={kills}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    // About 3.4 MB each; `new` changes every file of `old` and adds some.
    corpus(&old, 20, "");
    corpus(&new, 24, "（修订）");

    // Clean builds: the states a killed build may leave, and the one to converge to.
    let clean_old = dir.path().join("clean_old");
    run_to_end(&clean_old, &old, false);
    let want_old = state(&clean_old).expect("built");
    let clean_new = dir.path().join("clean_new");
    let took = run_to_end(&clean_new, &new, false);
    let want_new = state(&clean_new).expect("built");
    assert_ne!(want_old, want_new);
    assert_eq!(want_new.1 as u64, want_new.2);
    // Kill moments spread over the whole build, commit and publication included.
    let window = took + took / 5;

    let per = [
        kills.div_ceil(3),
        kills / 3,
        kills - kills.div_ceil(3) - kills / 3,
    ];
    for (kind, &n) in ["build", "update", "rebuild"].iter().zip(&per) {
        for k in 0..n {
            let index = dir.path().join(format!("{kind}{k}"));
            let before = match *kind {
                "build" => None,
                _ => {
                    run_to_end(&index, &old, false);
                    Some(want_old)
                }
            };
            let after = rng.below(window);
            let rebuild = *kind == "rebuild";
            let target = if rebuild { &old } else { &new };
            kill_after(&index, target, rebuild, after);
            let got = state(&index);
            println!("{kind} killed after {after:?}: {got:?}");
            let want_after = if rebuild { want_old } else { want_new };
            assert!(
                got == before || got == Some(want_after),
                "{kind} killed after {after:?}: {got:?}, expected {before:?} or {want_after:?}"
            );
            // The next run converges to a clean build of the corpus it is given.
            run_to_end(&index, &new, false);
            assert_eq!(state(&index), Some(want_new), "{kind} after {after:?}");
        }
    }
}
