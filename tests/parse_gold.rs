//! The parser against the hand-checked gold annotations of the five seed notices
//! (`tests/fixtures/gold/`, rules in its README).

mod common;

use common::{assert_header, json};
use serde_json::Value;
use zhenggai::notice::Notice;

fn load(stem: &str) -> (Notice, Value) {
    let root = env!("CARGO_MANIFEST_DIR");
    let path = format!("{root}/seeds/{stem}.txt");
    let src = zhenggai::read::read_file(std::path::Path::new(&path)).expect("seed readable");
    let notice = zhenggai::parse::parse(&format!("{stem}.txt"), &src.text);
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/tests/fixtures/gold/{stem}.json")).expect("gold"),
    )
    .expect("gold json");
    (notice, gold)
}

fn assert_exact(stem: &str) {
    let (notice, gold) = load(stem);
    common::assert_exact(stem, &notice, &gold);
}

#[test]
fn shanwei_000_exact() {
    assert_exact("000_3089e93c6afc7ecc");
}

#[test]
fn beijing_002_exact() {
    assert_exact("002_cc0588a2ad108fda");
}

#[test]
fn huaihua_003_exact() {
    assert_exact("003_044f5fdef5878133");
}

#[test]
fn xinye_004_exact() {
    assert_exact("004_03096bf25862ec47");
}

/// The OCR notice 001 (three newspaper columns, interleaved). What is matched:
/// - header facts, categories and every item title of categories 1–3, exactly;
/// - the problems, by label, in order: all 53 but (35), whose heading OCR printed
///   inside another problem's text (gold note on (35)); no extra problems;
/// - for every matched problem: category, status, status text and deadline exactly;
///   the title as a prefix of the gold title (gold completed five titles from
///   fragments printed elsewhere on the page);
/// - measure counts exact for at least 40 of the 52 (the gold counts of several are
///   lower bounds or rest on fragments moved to other columns).
#[test]
fn minqing_001_ocr() {
    let (notice, gold) = load("001_3e0ff09b8005852b");
    assert_header(&notice, &gold);
    let got = json(&notice);
    for (c, g) in got["categories"]
        .as_array()
        .expect("array")
        .iter()
        .zip(gold["categories"].as_array().expect("array"))
    {
        assert_eq!(c["title"], g["title"]);
    }
    for k in 0..3 {
        assert_eq!(
            got["categories"][k]["items"],
            gold["categories"][k]["items"]
        );
    }
    let gp: Vec<&Value> = gold["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|g| g["label"] != "(35)")
        .collect();
    let labels: Vec<Option<&str>> = notice.problems.iter().map(|p| p.label.as_deref()).collect();
    let want: Vec<Option<&str>> = gp.iter().map(|g| g["label"].as_str()).collect();
    assert_eq!(labels, want);
    let mut counts_equal = 0;
    for (p, g) in notice.problems.iter().zip(&gp) {
        let pj = serde_json::to_value(p).expect("serializes");
        for key in ["category", "status", "status_text", "deadline"] {
            assert_eq!(pj[key], g[key], "001 {}: {key}", g["label"]);
        }
        let gt = g["title"].as_str().expect("title");
        assert!(
            gt.starts_with(&p.title),
            "001 {}: title {:?} vs gold {gt:?}",
            g["label"],
            p.title
        );
        if p.measures.len() as u64 == g["measures"].as_u64().expect("count") {
            counts_equal += 1;
        }
    }
    assert!(
        counts_equal >= 40,
        "measure counts equal for {counts_equal} of 52"
    );
}
