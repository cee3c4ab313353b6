//! The `zhenggai` command as a user runs it: exit codes, messages, JSON output, the
//! first run that builds the default index, and a closed pipe.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs zhenggai in `cwd` with no index or corpus configured: no `ZHENGGAI_*`
/// variables and no config file (the user's own must not leak into the tests).
fn zhenggai(cwd: &Path, args: &[&str]) -> Output {
    isolated(cwd, &cwd.join(".no-home"))
        .args(args)
        .output()
        .expect("runs")
}

/// The command with `home` as the home folder and nothing else configured.
fn isolated(cwd: &Path, home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhenggai"));
    c.current_dir(cwd).env("HOME", home).env("NO_COLOR", "1");
    for var in [
        "ZHENGGAI_INDEX",
        "ZHENGGAI_CORPUS",
        "ZHENGGAI_CONFIG",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
    ] {
        c.env_remove(var);
    }
    c
}

/// `total` of a `--json` answer.
fn total(o: &Output) -> u64 {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["total"].as_u64().expect("total")
}

/// The live generation of the index folder `index`.
fn live(index: &Path) -> std::path::PathBuf {
    let name = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    index.join(name.trim())
}

/// Runs `cmd` with its standard output a pipe whose reading end is already closed
/// (as `zhenggai … | head` after `head` exits).
fn with_stdout_closed(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
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
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhenggai"));
        cmd.current_dir(dir.path()).args(&args);
        let o = with_stdout_closed(&mut cmd);
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
    // The hint names the index the way the user did.
    assert!(
        stderr(&o).contains("`zhenggai --index index index`"),
        "{}",
        stderr(&o)
    );
}

/// An installed binary run from a folder that is neither a checkout nor an index:
/// the data directory, the config file and the environment say where things are,
/// in that order of precedence below the command line.
#[test]
fn an_installed_binary_works_from_any_folder() {
    let t = tempfile::tempdir().expect("tempdir");
    let home = t.path().join("home");
    let cwd = t.path().join("anywhere");
    std::fs::create_dir_all(&home).expect("mkdir");
    std::fs::create_dir_all(&cwd).expect("mkdir");
    let seeds = common::seeds();
    let seeds = seeds.to_str().expect("utf-8 path");
    let run = |envs: &[(&str, &Path)], args: &[&str]| -> Output {
        let mut c = isolated(&cwd, &home);
        for (k, v) in envs {
            c.env(k, v);
        }
        c.args(args).output().expect("runs")
    };
    // Nothing yet: a message saying how to make an index, nothing written here.
    let o = run(&[], &["search", "医共体"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("zhenggai index"), "{}", stderr(&o));
    assert!(stderr(&o).contains("ZHENGGAI_CORPUS"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&cwd).expect("ls").count(), 0);
    // `index CORPUS` builds the data directory's index; searches anywhere use it,
    // and `index` alone updates it from the same corpus.
    let o = run(&[], &["index", seeds, "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data = home.join(".local/share/zhenggai/index");
    assert!(data.join("zhenggai-index").is_file());
    let o = run(&[], &["search", "医共体", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(total(&o), 8);
    let o = run(&[], &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&data.display().to_string()),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_dir(&cwd).expect("ls").count(), 0);

    // XDG_DATA_HOME moves the data directory; ZHENGGAI_CORPUS is what a first
    // search builds it from.
    let xdg_data = t.path().join("xdg-data");
    let o = run(
        &[
            ("XDG_DATA_HOME", &xdg_data),
            ("ZHENGGAI_CORPUS", Path::new(seeds)),
        ],
        &["search", "医共体", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(total(&o), 8);
    assert!(
        stderr(&o).contains("正在从"),
        "says it builds: {}",
        stderr(&o)
    );
    assert!(xdg_data.join("zhenggai/index/zhenggai-index").is_file());

    // The config file: paths relative to it, `~` for the home folder.
    let xdg_config = t.path().join("xdg-config");
    std::fs::create_dir_all(xdg_config.join("zhenggai")).expect("mkdir");
    std::fs::write(
        xdg_config.join("zhenggai/config.toml"),
        format!("# zhenggai\nindex = \"~/my-index\"\ncorpus = '{seeds}'\n"),
    )
    .expect("write");
    let cfg: &[(&str, &Path)] = &[("XDG_CONFIG_HOME", &xdg_config)];
    let o = run(cfg, &["search", "医共体", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(total(&o), 8);
    assert!(home.join("my-index/zhenggai-index").is_file());
    let o = run(cfg, &["stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // ZHENGGAI_INDEX beats the config file, --index beats both and is never built
    // behind the user's back; its hint names it.
    let env_index = t.path().join("env-index");
    let o = run(
        &[
            ("XDG_CONFIG_HOME", &xdg_config),
            ("ZHENGGAI_INDEX", &env_index),
        ],
        &["search", "医共体", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(env_index.join("zhenggai-index").is_file());
    let o = run(
        &[
            ("XDG_CONFIG_HOME", &xdg_config),
            ("ZHENGGAI_INDEX", &env_index),
        ],
        &["--index", "nowhere", "search", "医共体"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`zhenggai --index nowhere index`"),
        "{}",
        stderr(&o)
    );
    assert!(!cwd.join("nowhere").exists());

    // A config file that cannot be used is an error naming it.
    std::fs::write(xdg_config.join("zhenggai/config.toml"), "indx = 'x'\n").expect("write");
    let o = run(cfg, &["search", "医共体"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("config.toml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("indx"), "{}", stderr(&o));
}

/// Splits a shell command line the way `sh` would for the simple quoting the
/// examples use ('…' and "…"), up to a `#` comment.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, '#') if word.is_none() => break,
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Every example of `--help`, and every `search`, `show`, `similar` and `stats` line
/// of the README, finds something in the seeds.
#[test]
fn help_and_readme_examples_find_something() {
    let dir = fresh_checkout();
    assert!(zhenggai(dir.path(), &["index", "-q"]).status.success());
    let help = zhenggai(dir.path(), &["--help"]);
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let examples: Vec<Vec<String>> = help
        .lines()
        .chain(readme.lines())
        .map(|l| shell_words(l.trim().trim_start_matches("$ ")))
        .filter(|w| {
            w.first().is_some_and(|p| p == "zhenggai")
                && w.get(1)
                    .is_some_and(|c| ["search", "show", "similar", "stats"].contains(&c.as_str()))
                && !w.contains(&"--index".to_string())
        })
        .collect();
    let searches = examples.iter().filter(|w| w[1] == "search").count();
    assert!(searches >= 10, "{examples:?}");
    assert!(help.contains("zhenggai search 医共体 -医联体"), "{help}");
    for words in &examples {
        let mut args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        if !args.contains(&"--json") {
            args.push("--json");
        }
        let o = zhenggai(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{words:?}: {}", stderr(&o));
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{words:?}: {e}"));
        let found = match args[0] {
            "stats" => v["totals"]["notices"].as_u64(),
            "show" => v["problem_records"].as_array().map(|r| r.len() as u64),
            _ => v["total"].as_u64(),
        };
        assert!(found.unwrap_or(0) >= 1, "{words:?} finds nothing: {v}");
    }
}

/// `-word` after the first word, several agencies, levels checked like statuses.
#[test]
fn query_words_and_filters_as_typed() {
    let dir = fresh_checkout();
    assert!(zhenggai(dir.path(), &["index", "-q"]).status.success());
    let quoted = zhenggai(dir.path(), &["search", "医共体 -医联体", "--json"]);
    let bare = zhenggai(
        dir.path(),
        &["search", "医共体", "-医联体", "--json", "-n", "3"],
    );
    assert!(bare.status.success(), "{}", stderr(&bare));
    assert_eq!(total(&bare), total(&quoted));
    assert!(total(&bare) < 8, "{}", total(&bare));
    let o = zhenggai(dir.path(), &["stats", "医共体", "-医联体", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let one = |a: &str| {
        total(&zhenggai(
            dir.path(),
            &["search", "医共体", "--agency", a, "--json"],
        ))
    };
    let (shanwei, huaihua) = (one("汕尾"), one("怀化"));
    assert!(shanwei > 0 && huaihua > 0);
    for args in [
        &["--agency", "汕尾", "--agency", "怀化"][..],
        &["--agency", "汕尾,怀化"],
        &["--agency", "汕尾，怀化"],
    ] {
        let mut a = vec!["search", "医共体", "--json"];
        a.extend_from_slice(args);
        assert_eq!(
            total(&zhenggai(dir.path(), &a)),
            shanwei + huaihua,
            "{args:?}"
        );
    }

    let o = zhenggai(dir.path(), &["search", "医共体", "--level", "乡"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("乡"), "{}", stderr(&o));
    assert!(stderr(&o).contains("省/province"), "{}", stderr(&o));
    let o = zhenggai(dir.path(), &["export", "--level", "乡"]);
    assert_eq!(o.status.code(), Some(2));
    let city = zhenggai(
        dir.path(),
        &["search", "公务用车", "--level", "city", "--json"],
    );
    assert_eq!(total(&city), 7);
}

/// `similar` reports how many measures share a word with the hit, not how many it
/// shows.
#[test]
fn similar_reports_an_honest_total() {
    let dir = fresh_checkout();
    assert!(zhenggai(dir.path(), &["index", "-q"]).status.success());
    let o = zhenggai(dir.path(), &["similar", "07a3a92e-29", "-n", "2", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["hits"].as_array().expect("hits").len(), 2);
    let all = total(&zhenggai(
        dir.path(),
        &["similar", "07a3a92e-29", "-n", "1000", "--json"],
    ));
    assert_eq!(v["total"].as_u64(), Some(all));
    assert!(all > 2, "{all}");
    let o = zhenggai(dir.path(), &["similar", "07a3a92e-29", "-n", "2"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("共 {all} 条结果，显示第 1–2 条")),
        "{out}"
    );
    let o = zhenggai(dir.path(), &["similar", "--text", "量子纠缠", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(total(&o), 0);
}

/// The README's `--json` example is what the command prints (the score to 4
/// decimal places).
#[test]
fn the_readme_json_example_is_the_real_output() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let prompt = "$ zhenggai search 公务用车 --level 市 -n 1 --json\n";
    let start = readme.find(prompt).expect("README has the example") + prompt.len();
    let end = start + readme[start..].find("\n```").expect("end of the block");
    let mut shown: serde_json::Value =
        serde_json::from_str(&readme[start..end]).expect("the example is JSON");
    let dir = fresh_checkout();
    let o = zhenggai(
        dir.path(),
        &["search", "公务用车", "--level", "市", "-n", "1", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut real: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let score = |v: &mut serde_json::Value| {
        let s = v["hits"][0]["score"].take().as_f64().expect("score");
        (s * 1e4).round()
    };
    assert_eq!(score(&mut shown), score(&mut real));
    assert_eq!(shown, real);
}

/// A config file that cannot be read stops only the commands that use an index;
/// completions into a closed pipe end quietly.
#[test]
fn a_broken_config_file_stops_only_commands_that_use_an_index() {
    let dir = fresh_checkout();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "index = [").expect("write");
    let run = |args: &[&str]| {
        isolated(dir.path(), &dir.path().join(".no-home"))
            .env("ZHENGGAI_CONFIG", &bad)
            .args(args)
            .output()
            .expect("runs")
    };
    let o = run(&["search", "医共体"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml"), "{}", stderr(&o));
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["parse", "seeds/003_044f5fdef5878133.txt"],
    ] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let o = with_stdout_closed(
        isolated(dir.path(), &dir.path().join(".no-home")).args(["completions", "bash"]),
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));
}
