//! `export` on the seed notices: every record with every field in each format, the
//! same selection as search, and the mapping files (JSON Schema, OpenSearch,
//! Quickwit, Typesense) matching the exported fields exactly. Also the `export`,
//! `stats`, `completions` and `man` commands as a user runs them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;
use zhenggai::export::{csv_cell, export, Format, FIELDS, TYPESENSE_EXTRA};
use zhenggai::index::record::{records, Record};
use zhenggai::search::{Engine, SearchRequest};

fn index_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| common::build_index(&common::seeds()))
        .path()
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::open(index_dir()).expect("opens"))
}

fn run(format: Format, req: &SearchRequest) -> (usize, Vec<u8>) {
    let mut out = Vec::new();
    let n = export(engine(), req, format, &mut out).expect("export");
    (n, out)
}

fn jsonl(req: &SearchRequest) -> Vec<Value> {
    let (n, out) = run(Format::Jsonl, req);
    let text = String::from_utf8(out).expect("utf-8");
    let v: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(v.len(), n);
    v
}

/// Every seed record as the parser makes it, by id, with its source (the file's
/// key in the index: `seeds/…`).
fn truth() -> BTreeMap<String, (String, Record)> {
    let mut out = BTreeMap::new();
    let seeds = common::seeds();
    for entry in std::fs::read_dir(&seeds).expect("seeds") {
        let path = entry.expect("entry").path();
        let src = zhenggai::read::read_file(&path).expect("read");
        let source = zhenggai::index::files::key_for(&seeds, &path);
        let notice = zhenggai::parse::parse(&source, &src.text);
        for r in records(&notice, &source) {
            out.insert(r.id.clone(), (source.clone(), r));
        }
    }
    out
}

fn docs_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/mappings")
        .join(name)
}

fn read_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(docs_file(name)).expect("read")).expect("json")
}

fn field_names() -> Vec<String> {
    FIELDS.iter().map(|f| f.name.to_string()).collect()
}

/// The JSONL export holds every record of the index once, each field equal to what
/// the parser made of the seed.
#[test]
fn jsonl_holds_every_record_with_every_field() {
    let rows = jsonl(&SearchRequest::new(""));
    let truth = truth();
    assert_eq!(rows.len(), truth.len());
    assert_eq!(rows.len(), engine().manifest().records());
    let mut seen = BTreeSet::new();
    for row in &rows {
        let keys: Vec<&str> = row
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut want: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        want.sort_unstable();
        assert_eq!(keys, want, "keys of {}", row["id"]);
        let id = row["id"].as_str().expect("id");
        assert!(seen.insert(id.to_string()), "{id} exported twice");
        let (source, r) = &truth[id];
        let s = |k: &str| row[k].as_str().unwrap_or_default().to_string();
        let n = |k: &str| row[k].as_u64().expect("number") as usize;
        assert_eq!(s("source"), *source, "{id}");
        assert_eq!(s("kind"), r.kind.as_str(), "{id}");
        assert_eq!(s("measure"), r.text, "{id}");
        assert_eq!(s("problem"), r.problem, "{id}");
        assert_eq!(n("problem_n"), r.problem_n, "{id}");
        assert_eq!(n("measure_n"), r.measure_n, "{id}");
        assert_eq!(s("category"), r.category, "{id}");
        assert_eq!(s("item"), r.item, "{id}");
        assert_eq!(s("status"), r.status.as_str(), "{id}");
        assert_eq!(s("status_text"), r.status_text, "{id}");
        assert_eq!(s("deadline"), r.deadline, "{id}");
        assert_eq!(n("line"), r.line, "{id}");
    }
    let count = |kind: &str| rows.iter().filter(|r| r["kind"] == kind).count();
    assert_eq!((count("measure"), count("paragraph")), (331, 132));
    let p = rows
        .iter()
        .find(|r| {
            r["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("000_3089e93c6afc7ecc.txt"))
                && r["line"] == 70
        })
        .expect("record");
    assert_eq!(p["agency"], "中共汕尾市卫生健康局党组");
    assert_eq!(p["region"], "汕尾市");
    assert_eq!(p["level"], "市");
    assert_eq!(p["published"], "2024-11-06");
    assert_eq!(p["inspection"], "巡察");
    assert_eq!(p["item"], "公务用车管理较为混乱");
    assert_eq!(p["problem"], "车辆费用管理不严格");
    assert_eq!(p["deadline"], Value::Null);
}

/// A query and filters select the same records as search does.
#[test]
fn selection_is_the_search_selection() {
    for (q, status) in [
        ("医共体", None),
        ("", Some("未完成")),
        ("公务用车", Some("未说明")),
    ] {
        let mut req = SearchRequest::new(q);
        if let Some(s) = status {
            req.status = zhenggai::notice::Status::parse_user(s).expect("status");
        }
        req.limit = 10_000;
        let want: BTreeSet<String> = engine()
            .search(&req)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        let got: BTreeSet<String> = jsonl(&req)
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_string())
            .collect();
        assert_eq!(got, want, "{q} {status:?}");
        assert!(!got.is_empty());
    }
    // The 8 records of `zhenggai search 医共体` (ids depend on the source path).
    assert_eq!(jsonl(&SearchRequest::new("医共体")).len(), 8);
}

/// CSV: UTF-8 with a byte-order mark, CRLF, the field list as header, one row per
/// record with the JSONL values (null as an empty cell).
#[test]
fn csv_opens_in_excel_and_matches_jsonl() {
    let (n, out) = run(Format::Csv, &SearchRequest::new(""));
    assert!(out.starts_with("\u{feff}id,kind,agency,".as_bytes()));
    let text = String::from_utf8(out[3..].to_vec()).expect("utf-8");
    assert!(text.contains("\r\n"));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, field_names());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), n);
    let json = jsonl(&SearchRequest::new(""));
    for (row, j) in rows.iter().zip(&json) {
        for (cell, f) in row.iter().zip(FIELDS) {
            let want = match &j[f.name] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // Text a spreadsheet would run as a formula is defused (`'-是…` in 001).
            assert_eq!(cell, csv_cell(want), "{} {}", j["id"], f.name);
        }
    }
}

/// A cell a spreadsheet would run as a formula is written with a leading `'` in
/// CSV (and only there): the JSON formats keep the text as it is.
#[test]
fn csv_cells_never_run_as_formulas() {
    let texts = [
        "=HYPERLINK(\"http://example.com\",\"点击\")",
        "+1+2",
        "-3+4",
        "@SUM(A1:A9)",
        "普通的一段文字，没有公式",
    ];
    let corpus = common::corpus(&[("formulas.txt", &texts.join("\n\n"))]);
    let index = common::build_index(corpus.path());
    let engine = Engine::open(index.path()).expect("opens");
    let mut out = Vec::new();
    export(&engine, &SearchRequest::new(""), Format::Csv, &mut out).expect("csv");
    let text = String::from_utf8(out[3..].to_vec()).expect("utf-8");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let measure = FIELDS
        .iter()
        .position(|f| f.name == "measure")
        .expect("measure field");
    let cells: Vec<String> = r
        .records()
        .map(|row| row.expect("row")[measure].to_string())
        .collect();
    for t in texts {
        let want = if t.starts_with(['=', '+', '-', '@']) {
            format!("'{t}")
        } else {
            t.to_string()
        };
        assert!(cells.contains(&want), "{want:?} in {cells:?}");
    }
    assert!(
        cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "{cells:?}"
    );
    let mut out = Vec::new();
    export(&engine, &SearchRequest::new(""), Format::Jsonl, &mut out).expect("jsonl");
    let jsonl = String::from_utf8(out).expect("utf-8");
    assert!(jsonl.contains("\"measure\":\"+1+2\""), "{jsonl}");
    assert_eq!(csv_cell("\tx".into()), "'\tx");
    assert_eq!(csv_cell("2024-05".into()), "2024-05");
}

/// OpenSearch bulk: an `index` action with the record id before each record.
#[test]
fn opensearch_bulk_pairs_actions_and_records() {
    let (n, out) = run(Format::OpenSearch, &SearchRequest::new(""));
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2 * n);
    assert!(text.ends_with('\n'));
    for pair in lines.chunks(2) {
        assert_eq!(pair[0]["index"]["_id"], pair[1]["id"]);
        assert_eq!(pair[1].as_object().map(|o| o.len()), Some(FIELDS.len()));
    }
}

/// Typesense: the record without nulls plus the bigram fields.
#[test]
fn typesense_docs_carry_grams() {
    let (n, out) = run(Format::Typesense, &SearchRequest::new("医共体"));
    assert_eq!(n, 8);
    let text = String::from_utf8(out).expect("utf-8");
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).expect("json");
        let grams = v["measure_grams"].as_str().expect("grams");
        let pgrams = v["problem_grams"].as_str().expect("grams");
        assert!(
            grams.contains("医共 共体") || pgrams.contains("医共 共体"),
            "{l}"
        );
        let nulls = v
            .as_object()
            .map(|o| o.values().filter(|x| x.is_null()).count());
        assert_eq!(nulls, Some(0), "null fields are left out");
    }
}

/// The JSON Schema describes exactly the exported fields, in order, and every
/// exported record conforms to its types.
#[test]
fn json_schema_matches_the_export() {
    let s = read_json("export-record.schema.json");
    let props = s["properties"].as_object().expect("properties");
    let names: Vec<String> = props.keys().cloned().collect();
    let mut want = field_names();
    want.sort();
    assert_eq!(names, want);
    let required: Vec<String> = s["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("str").to_string())
        .collect();
    assert_eq!(required, field_names());
    assert_eq!(s["additionalProperties"], false);
    let pattern_ok = |p: &str, v: &str| -> bool {
        // The schema's patterns are all of digits and dashes: ^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$
        let shape: String = v
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect();
        match p {
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" => shape == "9999-99-99",
            "^[0-9]{4}-[0-9]{2}$" => shape == "9999-99",
            other => panic!("unexpected pattern {other}"),
        }
    };
    for row in jsonl(&SearchRequest::new("")) {
        for (k, p) in props {
            let v = &row[k];
            let types: Vec<&str> = match &p["type"] {
                Value::String(t) => vec![t.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => panic!("type of {k}"),
            };
            let ok = match v {
                Value::Null => types.contains(&"null"),
                Value::String(x) => {
                    types.contains(&"string")
                        && p["pattern"].as_str().is_none_or(|pat| pattern_ok(pat, x))
                        && p["enum"]
                            .as_array()
                            .is_none_or(|e| e.iter().any(|y| y == v))
                }
                Value::Number(x) => types.contains(&"integer") && x.is_u64(),
                _ => false,
            };
            assert!(ok, "{} field {k} = {v} does not fit {p}", row["id"]);
        }
    }
}

/// The OpenSearch mapping, Quickwit config and Typesense schema name every exported
/// field and no other; keyword and date types where the issue asks for them.
#[test]
fn mappings_match_the_export_fields() {
    let want: BTreeSet<String> = field_names().into_iter().collect();

    let os = read_json("opensearch.json");
    let props = os["mappings"]["properties"]
        .as_object()
        .expect("properties");
    let got: BTreeSet<String> = props.keys().cloned().collect();
    assert_eq!(got, want, "opensearch.json");
    for k in ["agency", "status", "level"] {
        assert_eq!(props[k]["type"], "keyword", "opensearch {k}");
    }
    assert_eq!(props["published"]["type"], "date");
    assert_eq!(props["measure"]["analyzer"], "zh_bigram");
    assert_eq!(
        os["settings"]["analysis"]["analyzer"]["zh_bigram"]["filter"],
        serde_json::json!(["cjk_width", "lowercase", "cjk_bigram"])
    );

    let qw: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(docs_file("quickwit.yaml")).expect("read"))
            .expect("yaml");
    let fm = qw["doc_mapping"]["field_mappings"]
        .as_sequence()
        .expect("field_mappings");
    let got: BTreeSet<String> = fm
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(got, want, "quickwit.yaml");
    assert_eq!(fm.len(), want.len(), "quickwit.yaml: no field twice");
    for f in fm {
        if f["tokenizer"].as_str() == Some("chinese_compatible") {
            assert_eq!(f["record"].as_str(), Some("position"), "{:?}", f["name"]);
        }
    }
    for k in ["agency_short", "status", "level", "published", "kind"] {
        let f = fm
            .iter()
            .find(|f| f["name"].as_str() == Some(k))
            .expect("field");
        assert_eq!(f["fast"].as_bool(), Some(true), "quickwit {k} is fast");
    }

    let ts = read_json("typesense.json");
    let mut got: BTreeSet<String> = ts["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_string())
        .collect();
    // Typesense keeps `id` as the document id, outside the schema's fields.
    got.insert("id".into());
    let mut want_ts = want.clone();
    want_ts.extend(TYPESENSE_EXTRA.iter().map(|s| s.to_string()));
    assert_eq!(got, want_ts, "typesense.json");
    // Every key of every Typesense document is in the schema.
    let (_, out) = run(Format::Typesense, &SearchRequest::new(""));
    for l in String::from_utf8(out).expect("utf-8").lines() {
        let v: Value = serde_json::from_str(l).expect("json");
        for k in v.as_object().expect("object").keys() {
            assert!(want_ts.contains(k), "{k}");
        }
    }
}

fn zhenggai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhenggai"))
        .env_remove("ZHENGGAI_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(index_dir())
        .args(args)
        .output()
        .expect("runs")
}

/// `export --output FILE` writes the file and reports the count on stderr.
#[test]
fn cli_export_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("out.csv");
    let o = zhenggai(&[
        "export",
        "--format",
        "csv",
        "--agency",
        "怀化",
        "--output",
        file.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.starts_with('\u{feff}'));
    // 22 problems with 60 measures, and the notice's paragraphs.
    let n = jsonl(&{
        let mut r = SearchRequest::new("");
        r.agency = Some("怀化".into());
        r
    })
    .len();
    assert_eq!(text.lines().count(), n + 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("已导出 {n} 条记录")));
    // (No filler word such as 的: a plain question would find records holding some of its words.)
    let none = zhenggai(&["export", "不存在词语组合"]);
    assert_eq!(none.status.code(), Some(1));
}

/// `stats` prints an aligned table, or JSON.
#[test]
fn cli_stats() {
    let o = zhenggai(&["stats", "--today", "2026-12-03"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).expect("utf-8");
    assert!(text.starts_with("共 5 份通报，132 个问题，331 条措施，132 个其他段落"));
    assert!(text.contains("⚠ 不符"));
    let o = zhenggai(&["stats", "--by", "status", "--json", "--status", "已完成"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["totals"]["problems"], 65);
    assert_eq!(v["statuses"][0]["measures"], 127);
    let bad = zhenggai(&["stats", "--today", "2026-13-01"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Completion scripts and the man page come from the clap definition.
#[test]
fn completions_and_man_page() {
    for (shell, marker) in [
        ("bash", "_zhenggai()"),
        ("zsh", "#compdef zhenggai"),
        ("fish", "complete -c zhenggai"),
    ] {
        let o = zhenggai(&["completions", shell]);
        assert!(o.status.success());
        let text = String::from_utf8(o.stdout).expect("utf-8");
        assert!(text.contains(marker), "{shell}");
        for sub in ["search", "stats", "export", "completions"] {
            assert!(text.contains(sub), "{shell}: {sub}");
        }
    }
    let o = zhenggai(&["man"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).expect("utf-8");
    assert!(text.contains(".TH zhenggai 1"));
    for section in [
        ".SH \"ZHENGGAI SEARCH\"",
        ".SH \"ZHENGGAI STATS\"",
        ".SH \"ZHENGGAI EXPORT\"",
        ".SH \"ZHENGGAI COMPLETIONS\"",
        ".SH \"ZHENGGAI MAN\"",
    ] {
        assert!(text.contains(section), "man page: {section}");
    }
    assert!(
        text.contains("\\-\\-format"),
        "export options are in the page"
    );
}
