//! Helpers shared by the parser tests: comparing a parsed notice with an expected
//! annotation in the gold format.
#![allow(dead_code)]

use serde_json::Value;
use zhenggai::notice::Notice;

pub fn json(notice: &Notice) -> Value {
    serde_json::to_value(notice).expect("serializes")
}

/// Header facts: agency, date, inspection, figures.
pub fn assert_header(notice: &Notice, gold: &Value) {
    let got = json(notice);
    for key in [
        "agency",
        "agency_short",
        "region",
        "level",
        "published",
        "inspection",
        "summary",
    ] {
        assert_eq!(got[key], gold[key], "{}: field {key}", gold["file"]);
    }
}

/// The gold rule for measure starts: text after the ordinal, whitespace removed, up to
/// the first clause punctuation (continuing if that clause is under 4 chars), max 12.
pub fn start_of(text: &str) -> String {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    for c in t.chars() {
        if ",，。;；:：!！?？".contains(c) {
            if out.chars().count() >= 4 {
                break;
            }
            out.push(c);
            continue;
        }
        out.push(c);
        if out.chars().count() >= 12 {
            break;
        }
    }
    out.chars().take(12).collect()
}

/// Every problem exactly: label, category, item, title, status, status text, deadline,
/// measure count, and each measure's start.
pub fn assert_exact(stem: &str, notice: &Notice, gold: &Value) {
    assert!(notice.is_notice, "{stem}: is a notice");
    assert_header(notice, gold);
    let got = json(notice);
    let cats: Vec<(Value, Value)> = got["categories"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| (c["title"].clone(), c["items"].clone()))
        .collect();
    let want: Vec<(Value, Value)> = gold["categories"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| (c["title"].clone(), c["items"].clone()))
        .collect();
    assert_eq!(cats, want, "{stem}: categories");
    let gp = gold["problems"].as_array().expect("problems");
    assert_eq!(notice.problems.len(), gp.len(), "{stem}: problem count");
    for (p, g) in notice.problems.iter().zip(gp) {
        let pj = serde_json::to_value(p).expect("serializes");
        for key in [
            "n",
            "label",
            "category",
            "item",
            "title",
            "status",
            "status_text",
            "deadline",
        ] {
            assert_eq!(pj[key], g[key], "{stem} problem {}: {key}", g["n"]);
        }
        assert_eq!(
            p.measures.len() as u64,
            g["measures"].as_u64().expect("count"),
            "{stem} problem {}: measure count",
            g["n"]
        );
        for (m, s) in p
            .measures
            .iter()
            .zip(g["measure_starts"].as_array().expect("starts"))
        {
            let s = s.as_str().expect("str");
            let ours = start_of(&m.text);
            assert!(
                ours.starts_with(s) || s.starts_with(&ours),
                "{stem} problem {}: measure starts {ours:?}, gold {s:?}",
                g["n"]
            );
        }
    }
}

/// Builds an index of `corpus` into a fresh temporary directory.
pub fn build_index(corpus: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = zhenggai::index::BuildOptions::new(corpus, dir.path());
    let report = zhenggai::index::build(&opts, &mut |_| {}).expect("index builds");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    dir
}

/// Generates a corpus of about `bytes` bytes with generator seed `seed` and builds
/// its index; returns the corpus and the index directories.
pub fn generated_index(seed: u64, bytes: u64) -> (tempfile::TempDir, tempfile::TempDir) {
    let corpus = tempfile::tempdir().expect("tempdir");
    zhenggai::generate::generate_corpus(
        corpus.path(),
        zhenggai::generate::GenerateOptions {
            seed,
            target_bytes: bytes,
            ..Default::default()
        },
    )
    .expect("generates");
    let index = build_index(corpus.path());
    (corpus, index)
}

/// The repository's seeds directory.
pub fn seeds() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// Writes `files` (name, text) into a fresh temporary corpus directory.
pub fn corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

/// Terms of this field: institutions, programmes, slogans, two-character words,
/// idioms, words jieba does not know, and strings that cross jieba word boundaries.
pub const TERMS: &[&str] = &[
    "医共体",
    "医联体",
    "公务用车",
    "第一议题",
    "三重一大",
    "一岗双责",
    "回头看",
    "家庭医生",
    "分级诊疗",
    "民主生活会",
    "组织生活会",
    "医养结合",
    "中医药",
    "卫生院",
    "乡村医生",
    "村医",
    "红十字会",
    "计生协会",
    "疾控中心",
    "专科联盟",
    "五大中心",
    "百千万工程",
    "优质服务基层行",
    "八项规定",
    "两个责任",
    "接诉即办",
    "预约挂号",
    "检验检查",
    "互认",
    "整改",
    "监督",
    "培训",
    "约谈",
    "谈话提醒",
    "举一反三",
    "立行立改",
    "真改实改",
    "标本兼治",
    "5G",
    "PCR",
    "医共体内",
    "体建设",
    "院前急救",
    "精神专科医院",
    "差旅费",
    "限额以下采购",
    "化债",
    "共同体",
    "深汕中心医院",
    "台汀区",
];

/// A fixture of `tests/fixtures/{set}/`: the text read from the file named `name`
/// (whatever its extension), the notice parsed from it, and its
/// `{name}.expected.json`.
pub fn fixture(set: &str, name: &str) -> (String, Notice, Value) {
    let dir = format!("{}/tests/fixtures/{set}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_stem().and_then(|s| s.to_str()) == Some(name)
                && p.extension().and_then(|e| e.to_str()) != Some("json")
        })
        .expect("fixture exists");
    let src = zhenggai::read::read_file(&source).expect("fixture readable");
    let notice = zhenggai::parse::parse(name, &src.text);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/{name}.expected.json")).expect("expected"),
    )
    .expect("json");
    (src.text, notice, expected)
}
