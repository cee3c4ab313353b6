//! The `zhenggai` command as a user runs it: exit codes, messages, JSON output, the
//! first run that builds the default index, and a closed pipe.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn zhenggai(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .current_dir(cwd)
        .env_remove("ZHENGGAI_INDEX")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs")
}

/// The live generation of the index folder `index`.
fn live(index: &Path) -> std::path::PathBuf {
    let name = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    index.join(name.trim())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A working directory with a copy of the seeds and no index, as after a fresh clone.
fn fresh_checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("seeds")).expect("mkdir");
    for e in std::fs::read_dir(common::seeds()).expect("seeds") {
        let p = e.expect("entry").path();
        std::fs::copy(
            &p,
            dir.path().join("seeds").join(p.file_name().expect("name")),
        )
        .expect("copy");
    }
    dir
}

#[test]
fn first_search_builds_the_default_index_then_answers() {
    let dir = fresh_checkout();
    let o = zhenggai(
        dir.path(),
        &["search", "医共体", "--json", "--limit", "200"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("seeds/"),
        "says it builds: {}",
        stderr(&o)
    );
    assert!(dir.path().join("index").join("zhenggai-index").is_file());
    assert!(live(&dir.path().join("index"))
        .join("zhenggai.json")
        .is_file());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let hits = v["hits"].as_array().expect("hits");
    assert_eq!(v["total"].as_u64(), Some(hits.len() as u64));
    assert_eq!(hits.len(), 8);
    for key in [
        "id",
        "score",
        "agency",
        "agency_short",
        "region",
        "level",
        "published",
        "category",
        "item",
        "problem",
        "status",
        "status_text",
        "deadline",
        "measure",
        "source",
        "line",
    ] {
        assert!(hits[0].get(key).is_some(), "hit has {key}");
    }
    // The second run finds the index and says nothing about building.
    let o = zhenggai(dir.path(), &["search", "医共体"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("seeds/"));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("共 8 条结果"), "{out}");
    assert!(out.contains("怀化市卫生健康委员会"));
    assert!(out.contains("seeds/003_044f5fdef5878133.txt:72"), "{out}");
}

#[test]
fn filters_from_the_command_line() {
    let dir = fresh_checkout();
    let o = zhenggai(dir.path(), &["index", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = zhenggai(
        dir.path(),
        &[
            "search",
            "--agency",
            "怀化",
            "--status",
            "阶段性完成",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["total"], 9);
    assert!(v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .all(|h| h["status"] == "phased"));
    let o = zhenggai(dir.path(), &["search", "医共体", "--status", "bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bogus"));
}

#[test]
fn errors_are_messages_with_exit_codes() {
    let dir = fresh_checkout();
    assert!(zhenggai(dir.path(), &["index", "-q"]).status.success());
    // No match: exit 1 and a message.
    let o = zhenggai(dir.path(), &["search", "量子纠缠"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有找到"));
    // Empty query without filters.
    let o = zhenggai(dir.path(), &["search", ""]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("查询为空"));
    // A named index that does not exist is not built silently.
    let o = zhenggai(dir.path(), &["--index", "nowhere", "search", "医共体"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nowhere"));
    // A corrupt index.
    std::fs::write(
        live(&dir.path().join("index")).join("meta.json"),
        b"{ not json",
    )
    .expect("write");
    let o = zhenggai(dir.path(), &["search", "医共体"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(stderr(&o).contains("index"), "{}", stderr(&o));
}

#[test]
fn parse_prints_gold_field_names_with_measure_texts() {
    let dir = fresh_checkout();
    let o = zhenggai(
        dir.path(),
        &["parse", "seeds/003_044f5fdef5878133.txt", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["agency"], "中共怀化市卫生健康委员会");
    assert_eq!(v["inspection"]["revisit"], true);
    assert_eq!(v["problems"].as_array().expect("problems").len(), 22);
    let m = &v["problems"][0]["measures"];
    assert_eq!(m.as_array().expect("measures").len(), 5);
    assert!(m[0].as_str().expect("text").starts_with("初步设计已通过"));
    let o = zhenggai(dir.path(), &["parse", "seeds/missing.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("seeds/missing.txt"));
}

#[test]
fn show_prints_the_problem_around_a_hit() {
    let dir = fresh_checkout();
    let o = zhenggai(
        dir.path(),
        &["search", "医联体建设滞后", "--json", "--limit", "1"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let id = v["hits"][0]["id"].as_str().expect("id").to_string();
    let o = zhenggai(dir.path(), &["show", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("医联体建设滞后"));
    assert!(out.contains("措施6"));
    assert!(out.contains("中共汕尾市卫生健康局党组"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = fresh_checkout();
    assert!(zhenggai(dir.path(), &["index", "-q"]).status.success());
    for json in [false, true] {
        let mut args = vec!["search", "整改", "--limit", "500"];
        if json {
            args.push("--json");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhenggai"))
            .current_dir(dir.path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("wait");
        assert!(stderr(&o).is_empty(), "json {json}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(0), "json {json}");
    }
}

#[test]
fn an_outdated_default_index_is_rebuilt() {
    let dir = fresh_checkout();
    assert!(zhenggai(dir.path(), &["index", "-q"]).status.success());
    let manifest = live(&dir.path().join("index")).join("zhenggai.json");
    let text = std::fs::read_to_string(&manifest).expect("read");
    let old = text.replacen("\"format\": ", "\"format\": 9", 1);
    std::fs::write(&manifest, old).expect("write");
    let o = zhenggai(dir.path(), &["search", "医共体"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("过时"), "{}", stderr(&o));
    // A named index is never rebuilt behind the user's back.
    let manifest = live(&dir.path().join("index")).join("zhenggai.json");
    std::fs::write(
        &manifest,
        std::fs::read_to_string(&manifest).expect("read").replacen(
            "\"format\": ",
            "\"format\": 9",
            1,
        ),
    )
    .expect("write");
    let o = zhenggai(dir.path(), &["--index", "index", "search", "医共体"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("zhenggai index"), "{}", stderr(&o));
}
