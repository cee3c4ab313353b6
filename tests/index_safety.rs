//! An index folder is never damaged by what users do to it: foreign folders, odd
//! file names, unreadable files, concurrent runs, damaged files, absurd options.
//! Each case runs the `zhenggai` command as a user would and checks exit codes and
//! outcomes exactly.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary run in `cwd`, away from the developer's own index, corpus and config
/// file (they would change which index `./index`-relative tests use).
fn command(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhenggai"));
    c.current_dir(cwd)
        .env_remove("ZHENGGAI_INDEX")
        .env_remove("ZHENGGAI_CORPUS")
        .env_remove("ZHENGGAI_CONFIG")
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env("XDG_DATA_HOME", cwd.join(".no-data"))
        .env("NO_COLOR", "1");
    c
}

fn zhenggai(cwd: &Path, args: &[&str]) -> Output {
    command(cwd).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The live generation of the index folder `index`.
fn live(index: &Path) -> PathBuf {
    let name = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    index.join(name.trim())
}

/// A working directory with a copy of the seeds, as after a fresh clone.
fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&common::seeds(), &dir.path().join("seeds"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
    }
}

/// Total hits of a search, from its JSON output (exit code checked to be 0).
fn total(dir: &Path, args: &[&str]) -> u64 {
    let o = zhenggai(dir, args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["total"].as_u64().expect("total")
}

/// Every id of the records found for `query`, sorted.
fn ids(dir: &Path, args: &[&str]) -> Vec<String> {
    let o = zhenggai(dir, args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut out: Vec<String> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn a_folder_that_is_not_an_index_is_refused_and_left_alone() {
    let dir = checkout();
    let target = dir.path().join("mine");
    std::fs::create_dir_all(target.join("photos")).expect("mkdir");
    std::fs::write(target.join("meta.json"), b"{\"mine\": true}").expect("write");
    std::fs::write(target.join("photos").join("a.jpg"), b"jpeg").expect("write");
    for args in [
        vec!["--index", "mine", "index"],
        vec!["--index", "mine", "index", "--rebuild"],
    ] {
        let o = zhenggai(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("不是 zhenggai 索引"), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("not a zhenggai index"),
            "{}",
            stderr(&o)
        );
    }
    let mut left: Vec<String> = walkdir::WalkDir::new(&target)
        .into_iter()
        .map(|e| {
            let e = e.expect("entry");
            e.path()
                .strip_prefix(&target)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    left.sort();
    assert_eq!(left, ["", "meta.json", "photos", "photos/a.jpg"]);
    assert_eq!(
        std::fs::read(target.join("meta.json")).expect("read"),
        b"{\"mine\": true}"
    );
    // An empty folder (hidden files aside) becomes an index; its hidden files stay.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    std::fs::write(empty.join(".gitkeep"), b"").expect("write");
    let o = zhenggai(dir.path(), &["--index", "empty", "index", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(empty.join(".gitkeep").is_file());
    assert!(empty.join("zhenggai-index").is_file());
}

#[test]
fn an_index_keeps_what_it_did_not_write() {
    let dir = checkout();
    assert_eq!(
        zhenggai(dir.path(), &["index", "-q"]).status.code(),
        Some(0)
    );
    let index = dir.path().join("index");
    std::fs::write(index.join("notes.txt"), b"mine").expect("write");
    std::fs::create_dir(index.join("gen-backup")).expect("mkdir");
    let o = zhenggai(dir.path(), &["index", "--rebuild", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(index.join("notes.txt")).expect("read"),
        b"mine"
    );
    assert!(index.join("gen-backup").is_dir());
    // One live generation: the old one went.
    let gens: Vec<_> = std::fs::read_dir(&index)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-0"))
        .collect();
    assert_eq!(gens.len(), 1, "{gens:?}");
}

#[test]
fn an_index_of_an_older_zhenggai_is_searched_then_replaced_keeping_the_rest() {
    let dir = checkout();
    assert_eq!(
        zhenggai(dir.path(), &["index", "-q"]).status.code(),
        Some(0)
    );
    // The older layout: tantivy's and zhenggai's files in the folder itself.
    let old = dir.path().join("old");
    copy_dir(&live(&dir.path().join("index")), &old);
    std::fs::write(old.join("notes.txt"), b"mine").expect("write");
    let q = ["--index", "old", "search", "医共体", "--json"];
    assert_eq!(total(dir.path(), &q), 8);
    let o = zhenggai(dir.path(), &["--index", "old", "index", "seeds"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(total(dir.path(), &q), 8);
    let mut left: Vec<String> = std::fs::read_dir(&old)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("gen-"))
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "CURRENT",
            "dict.fst",
            "notes.txt",
            "zhenggai-index",
            "zhenggai.lock"
        ]
    );
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_do_not_collide() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("c");
    std::fs::create_dir(&corpus).expect("mkdir");
    // Two GBK names (lead bytes 0xF7) that are invalid UTF-8 byte for byte: lossy
    // decoding makes both the same string of U+FFFD.
    let a = std::ffi::OsStr::from_bytes(b"\xf7\xa1\xf7\xa2.txt");
    let b = std::ffi::OsStr::from_bytes(b"\xf7\xa3\xf7\xa4.txt");
    assert_eq!(a.to_string_lossy(), b.to_string_lossy());
    std::fs::write(corpus.join(a), "推进医共体建设。").expect("write");
    std::fs::write(corpus.join(b), "加强医共体管理。").expect("write");
    let r = |args: &[&str]| {
        let o = zhenggai(dir.path(), args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stderr(&o)
    };
    let first = r(&["--index", "i", "index", "c"]);
    assert!(first.contains("2 files, 2 records"), "{first}");
    let again = r(&["--index", "i", "index", "c"]);
    assert!(again.contains("0 read, 2 unchanged, 0 removed"), "{again}");
    let o = zhenggai(dir.path(), &["--index", "i", "search", "医共体", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut sources: Vec<&str> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["source"].as_str().expect("source"))
        .collect();
    sources.sort();
    assert_eq!(
        sources,
        ["c/\\xf7\\xa1\\xf7\\xa2.txt", "c/\\xf7\\xa3\\xf7\\xa4.txt"]
    );
}

#[test]
fn ids_do_not_depend_on_how_the_corpus_is_spelled() {
    let dir = checkout();
    let abs = dir.path().join("seeds");
    let abs = abs.to_str().expect("utf-8 temp path");
    let query = ["search", "医共体", "--json", "--limit", "100"];
    assert_eq!(
        zhenggai(dir.path(), &["index", "seeds", "-q"])
            .status
            .code(),
        Some(0)
    );
    let first = ids(dir.path(), &query);
    assert!(first.contains(&"07a3a92e-25".to_string()), "{first:?}");
    for spelling in ["./seeds", abs, "seeds/"] {
        let o = zhenggai(dir.path(), &["index", spelling]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("5 files seen, 0 read, 5 unchanged, 0 removed"),
            "{spelling}: {}",
            stderr(&o)
        );
        assert_eq!(ids(dir.path(), &query), first, "{spelling}");
    }
    let o = zhenggai(dir.path(), &["show", "07a3a92e-25"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn other_kinds_and_hidden_files_are_counted_not_indexed() {
    let dir = checkout();
    let seeds = dir.path().join("seeds");
    std::fs::write(seeds.join("scan.png"), b"\x89PNG....").expect("write");
    std::fs::write(seeds.join("data.json"), "{\"医共体\": 1}").expect("write");
    std::fs::write(seeds.join(".notes.txt"), "医共体").expect("write");
    std::fs::create_dir(seeds.join(".git")).expect("mkdir");
    std::fs::write(seeds.join(".git").join("x.txt"), "医共体").expect("write");
    let o = zhenggai(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped 2 files of other kinds and 2 hidden"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("5 files, 463 records"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_now_keeps_its_records() {
    let dir = checkout();
    let q = ["search", "医共体", "--json", "--limit", "100"];
    assert_eq!(
        zhenggai(dir.path(), &["index", "-q"]).status.code(),
        Some(0)
    );
    let before = total(dir.path(), &q);
    let seeds = dir.path().join("seeds");
    let name = "000_3089e93c6afc7ecc.txt";
    let saved = dir.path().join("saved.txt");
    // Emptied (an editor in the middle of saving), and a link whose target is away.
    std::fs::rename(seeds.join(name), &saved).expect("move");
    std::fs::write(seeds.join(name), b"").expect("write");
    std::fs::rename(
        seeds.join("003_044f5fdef5878133.txt"),
        dir.path().join("003.txt"),
    )
    .expect("move");
    std::os::unix::fs::symlink(
        dir.path().join("away.txt"),
        seeds.join("003_044f5fdef5878133.txt"),
    )
    .expect("link");
    let o = zhenggai(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("无法读取 (unreadable): seeds/000_3089e93c6afc7ecc.txt"),
        "{err}"
    );
    assert!(err.contains("seeds/003_044f5fdef5878133.txt"), "{err}");
    assert!(err.contains("0 removed, 2 unreadable and kept"), "{err}");
    assert!(err.contains("5 files, 463 records"), "{err}");
    assert_eq!(total(dir.path(), &q), before);
    // Readable again: nothing to re-read, nothing lost.
    std::fs::rename(&saved, seeds.join(name)).expect("move back");
    let o = zhenggai(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    std::fs::remove_file(seeds.join("003_044f5fdef5878133.txt")).expect("rm link");
    let o = zhenggai(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Gone for good: now its records go, and the summary says so.
    assert!(stderr(&o).contains("1 removed"), "{}", stderr(&o));
    assert!(stderr(&o).contains("4 files"), "{}", stderr(&o));
}

#[test]
fn concurrent_index_runs_wait_for_each_other() {
    let dir = checkout();
    let q = ["search", "医共体", "--json", "--limit", "100"];
    for args in [vec!["index", "-q"], vec!["index", "--rebuild", "-q"]] {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let cwd = dir.path().to_path_buf();
                let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                std::thread::spawn(move || command(&cwd).args(&args).output().expect("runs"))
            })
            .collect();
        for h in handles {
            let o = h.join().expect("thread");
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        }
        assert_eq!(total(dir.path(), &q), 8);
        let fst =
            std::fs::metadata(live(&dir.path().join("index")).join("dict.fst")).expect("dict.fst");
        assert!(fst.len() > 1000);
    }
}

#[test]
fn a_second_writer_says_it_waits_and_then_runs() {
    use fs4::fs_std::FileExt;
    let dir = checkout();
    assert_eq!(
        zhenggai(dir.path(), &["index", "-q"]).status.code(),
        Some(0)
    );
    // This test holds the lock, as a running `index` would.
    let lock = std::fs::File::open(dir.path().join("index").join("zhenggai.lock")).expect("open");
    FileExt::lock_exclusive(&lock).expect("lock");
    let mut child = command(dir.path())
        .args(["index", "--rebuild"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "did not wait"
    );
    // Searches do not wait for the writer.
    assert_eq!(total(dir.path(), &["search", "医共体", "--json"]), 8);
    FileExt::unlock(&lock).expect("unlock");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("正在被另一个 zhenggai 进程写入"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("5 files, 463 records"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn two_first_searches_do_not_race() {
    let dir = checkout();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let cwd = dir.path().to_path_buf();
            std::thread::spawn(move || zhenggai(&cwd, &["search", "医共体", "--json"]))
        })
        .collect();
    for h in handles {
        let o = h.join().expect("thread");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["total"].as_u64(), Some(8));
    }
}

#[test]
fn searches_during_an_update_answer_from_a_complete_index() {
    let dir = checkout();
    let q = ["search", "医共体", "--json", "--limit", "100"];
    assert_eq!(
        zhenggai(dir.path(), &["index", "-q"]).status.code(),
        Some(0)
    );
    let seeds = dir.path().join("seeds");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searcher = {
        let (cwd, stop) = (dir.path().to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let o = zhenggai(&cwd, &q);
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
                seen.push(v["total"].as_u64().expect("total"));
            }
            seen
        })
    };
    // A copy of 000 added and indexed, then removed and rebuilt.
    for round in 0..4 {
        let copy = seeds.join(format!("copy{round}.txt"));
        std::fs::copy(seeds.join("000_3089e93c6afc7ecc.txt"), &copy).expect("copy");
        let o = zhenggai(dir.path(), &["index", "-q"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::remove_file(&copy).expect("rm");
        let o = zhenggai(dir.path(), &["index", "-q", "--rebuild"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = searcher.join().expect("searches never failed");
    assert!(!seen.is_empty());
    // 8 hits in the seeds, two of them in 000: 10 while a copy is indexed.
    assert!(seen.iter().all(|&t| t == 8 || t == 10), "{seen:?}");
}

#[test]
fn the_default_index_is_not_replaced_unless_built_from_the_seeds() {
    let dir = checkout();
    let other = dir.path().join("mine");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("a.txt"), "推进医共体建设。").expect("write");
    assert_eq!(
        zhenggai(dir.path(), &["index", "mine", "-q"]).status.code(),
        Some(0)
    );
    let index = dir.path().join("index");
    let gen = live(&index);
    // Damaged (or outdated) manifest: the search refuses, and nothing is rebuilt.
    std::fs::write(
        gen.join("zhenggai.json"),
        std::fs::read_to_string(gen.join("zhenggai.json"))
            .expect("read")
            .replacen("\"format\": ", "\"format\": 9", 1),
    )
    .expect("write");
    let o = zhenggai(dir.path(), &["search", "医共体"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("不会自动重建"), "{}", stderr(&o));
    assert_eq!(live(&index), gen);
    // `index` without a corpus updates from the one the index was built from.
    let o = zhenggai(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 files, 1 records"), "{}", stderr(&o));
    assert!(stderr(&o).contains("rebuilt"), "{}", stderr(&o));
    // That corpus gone: `index` does not fall back to the seeds (which would drop
    // every file of the index).
    let gen = live(&index);
    std::fs::rename(&other, dir.path().join("moved")).expect("move");
    let o = zhenggai(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("已不存在"), "{}", stderr(&o));
    assert_eq!(live(&index), gen);
}

/// Garbles `len` bytes in the middle of `path`.
fn garble(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let mid = bytes.len() / 2;
    let end = (mid + 64).min(bytes.len());
    for b in &mut bytes[mid..end] {
        *b = !*b;
    }
    // A fresh file, not the inode other generations may share.
    std::fs::remove_file(path).expect("rm");
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn damaged_files_are_reported_and_repaired() {
    let dir = checkout();
    let q = ["search", "医共体", "--json", "--limit", "100"];
    for ext in ["term", "pos", "fast", "idx", "store", "vocab", "manifest"] {
        assert_eq!(
            zhenggai(dir.path(), &["index", "-q"]).status.code(),
            Some(0)
        );
        assert_eq!(total(dir.path(), &q), 8);
        let gen = live(&dir.path().join("index"));
        let victims: Vec<PathBuf> = match ext {
            "vocab" => vec![gen.join("vocab.txt")],
            "manifest" => vec![gen.join("zhenggai.json")],
            _ => std::fs::read_dir(&gen)
                .expect("read_dir")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect(),
        };
        assert!(!victims.is_empty(), "{ext}");
        for v in &victims {
            if ext == "vocab" {
                // Truncated.
                let text = std::fs::read(v).expect("read");
                std::fs::remove_file(v).expect("rm");
                std::fs::write(v, &text[..text.len() / 2]).expect("write");
            } else {
                garble(v);
            }
        }
        let o = zhenggai(dir.path(), &q);
        let code = o.status.code();
        if ext == "vocab" {
            // zhenggai's own files are checked at every search.
            assert_eq!(code, Some(2), "{ext}: {}", stderr(&o));
            assert!(stderr(&o).contains("校验和不符"), "{ext}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("zhenggai index"),
                "{ext}: {}",
                stderr(&o)
            );
        } else {
            // Tantivy's files are checked by `index` (a search does not read them
            // whole): a search answers, or fails with a message, never panics. A
            // damaged manifest of an index built from the seeds is rebuilt by the
            // search itself.
            assert!(code == Some(0) || code == Some(2), "{ext}: {}", stderr(&o));
            if code == Some(2) {
                assert!(
                    stderr(&o).contains("zhenggai index"),
                    "{ext}: {}",
                    stderr(&o)
                );
            }
        }
        assert!(
            !stderr(&o).contains("RUST_BACKTRACE"),
            "{ext}: {}",
            stderr(&o)
        );
        // `index` finds the damage and rebuilds.
        let o = zhenggai(dir.path(), &["index"]);
        assert_eq!(o.status.code(), Some(0), "{ext}: {}", stderr(&o));
        assert!(
            stderr(&o)
                .contains("原索引已损坏，已从头重建 (the index was damaged and has been rebuilt)"),
            "{ext}: {}",
            stderr(&o)
        );
        assert_eq!(total(dir.path(), &q), 8, "{ext}");
    }
}

#[test]
fn absurd_thread_counts_are_capped() {
    let dir = checkout();
    let o = zhenggai(dir.path(), &["index", "--threads", "100000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("--threads 100000"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("5 files, 463 records"),
        "{}",
        stderr(&o)
    );
}
