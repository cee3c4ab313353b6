//! `stats` on the seed notices: problem, measure and status counts against the gold
//! annotations, stated figures beside parsed counts, deadlines, groupings, filters,
//! and the aligned table.

mod common;

use std::sync::OnceLock;

use serde_json::Value;
use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest};
use zhenggai::stats::table::{render, Align};
use zhenggai::stats::{stats, By, Stats};

fn engine() -> &'static Engine {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = DIR.get_or_init(|| common::build_index(&common::seeds()));
        Engine::open(dir.path()).expect("opens")
    })
}

fn all(today: &str) -> Stats {
    stats(engine(), &SearchRequest::new(""), today).expect("stats")
}

fn gold(stem: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gold")
        .join(format!("{stem}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("gold")).expect("json")
}

fn notice<'a>(s: &'a Stats, stem: &str) -> &'a zhenggai::stats::NoticeStats {
    s.notices
        .iter()
        .find(|n| n.source.ends_with(&format!("{stem}.txt")))
        .expect("notice in stats")
}

/// Problems, measures and status counts of the four seeds the parser reads exactly
/// are the gold annotation's.
#[test]
fn per_notice_counts_match_the_gold_files() {
    let s = all("2026-12-03");
    for stem in [
        "000_3089e93c6afc7ecc",
        "002_cc0588a2ad108fda",
        "003_044f5fdef5878133",
        "004_03096bf25862ec47",
    ] {
        let g = gold(stem);
        let problems = g["problems"].as_array().expect("problems");
        let n = notice(&s, stem);
        assert_eq!(n.problems, problems.len(), "{stem}: problems");
        let measures: u64 = problems
            .iter()
            .map(|p| p["measures"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(n.measures as u64, measures, "{stem}: measures");
        for st in Status::ALL {
            let want = problems
                .iter()
                .filter(|p| p["status"] == st.as_str())
                .count();
            assert_eq!(n.status.get(st), want, "{stem}: {}", st.as_str());
        }
        assert_eq!(n.agency, g["agency"], "{stem}: agency");
        assert_eq!(n.published, g["published"], "{stem}: published");
    }
}

/// The exact table for all five seeds (001 is the OCR notice whose parse the gold
/// file describes as a lower bound: see tests/parse_gold.rs).
#[test]
fn exact_numbers_for_every_seed() {
    let s = all("2026-12-03");
    let rows: Vec<(String, usize, usize, Vec<usize>)> = s
        .notices
        .iter()
        .map(|n| {
            (
                n.agency_short.clone(),
                n.problems,
                n.measures,
                [
                    Status::Completed,
                    Status::BasicallyCompleted,
                    Status::Phased,
                    Status::InProgress,
                    Status::Unspecified,
                ]
                .iter()
                .map(|st| n.status.get(*st))
                .collect(),
            )
        })
        .collect();
    let want = |a: &str, p, m, st: [usize; 5]| (a.to_string(), p, m, st.to_vec());
    assert_eq!(
        rows,
        vec![
            want("汕尾市卫生健康局", 36, 126, [0, 0, 0, 0, 36]),
            want("闽清县卫生健康局", 52, 88, [46, 2, 0, 4, 0]),
            want("北京市卫生健康委员会", 12, 33, [0, 0, 0, 0, 12]),
            want("怀化市卫生健康委员会", 22, 60, [19, 0, 3, 0, 0]),
            want("新野县卫生健康委", 10, 24, [0, 0, 0, 0, 10]),
        ]
    );
    assert_eq!(s.totals.notices, 5);
    assert_eq!(s.totals.problems, 132);
    assert_eq!(s.totals.measures, 331);
    assert_eq!(s.totals.status.unfinished(), 9);
}

/// Each stated figure is the gold summary's, beside the parsed count, and flagged
/// where they disagree (002: 80 stated vs 12 parsed; 003: 25 vs 22; 004: 25
/// measures vs 24).
#[test]
fn stated_figures_beside_parsed_counts() {
    let s = all("2026-12-03");
    for n in &s.notices {
        let stem = std::path::Path::new(&n.source)
            .file_stem()
            .and_then(|x| x.to_str())
            .expect("stem");
        let g = gold(stem);
        let stated: Vec<(&str, u64)> = g["summary"]
            .as_object()
            .expect("summary")
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_u64()?)))
            .collect();
        let mut got: Vec<(&str, u64)> = n
            .figures
            .iter()
            .map(|f| (f.figure, u64::from(f.stated)))
            .collect();
        got.sort();
        let mut want = stated.clone();
        want.sort();
        assert_eq!(got, want, "{stem}: stated figures");
    }
    let checks = |stem: &str| -> Vec<(&'static str, u32, Option<usize>, Option<bool>)> {
        notice(&s, stem)
            .figures
            .iter()
            .map(|f| (f.figure, f.stated, f.parsed, f.agrees))
            .collect()
    };
    assert_eq!(
        checks("002_cc0588a2ad108fda"),
        vec![
            ("problems_total", 80, Some(12), Some(false)),
            ("completed", 62, Some(0), Some(false)),
            ("basically_completed", 10, Some(0), Some(false)),
            ("in_progress", 8, Some(0), Some(false)),
        ]
    );
    assert_eq!(
        checks("003_044f5fdef5878133"),
        vec![
            ("problems_total", 25, Some(22), Some(false)),
            ("completed", 22, Some(19), Some(false)),
            ("phased", 3, Some(3), Some(true)),
            ("rules_made", 34, None, None),
            ("people_held_accountable", 244, None, None),
        ]
    );
    assert_eq!(
        checks("004_03096bf25862ec47"),
        vec![
            ("measures_total", 25, Some(24), Some(false)),
            ("measures_done", 20, None, None),
            ("rules_made", 7, None, None),
        ]
    );
    assert!(checks("000_3089e93c6afc7ecc").is_empty());
    let by_agency: Vec<(String, usize)> = s
        .agencies
        .iter()
        .map(|a| (a.agency_short.clone(), a.disagreements))
        .collect();
    assert_eq!(
        by_agency,
        vec![
            ("闽清县卫生健康局".to_string(), 0),
            ("汕尾市卫生健康局".to_string(), 0),
            ("怀化市卫生健康委员会".to_string(), 2),
            ("北京市卫生健康委员会".to_string(), 4),
            ("新野县卫生健康委".to_string(), 1),
        ]
    );
}

/// Open deadlines (not completed, with a 完成时限): overdue ones first, against the
/// given date; a deadline month not yet over is open, not overdue.
#[test]
fn open_deadlines_overdue_first() {
    let s = all("2024-04-15");
    let got: Vec<(&str, bool, &str)> = s
        .deadlines
        .iter()
        .map(|d| (d.deadline.as_str(), d.overdue, d.problem.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2023-12", true, "发挥中医药特色优势滞后"),
            ("2023-12", true, "中医规模偏小"),
            ("2023-12", true, "往来账款长期挂账"),
            ("2023-12", true, "局机关支部书记空缺超过一年"),
            ("2024-04", false, "供用人品比较随音"),
            (
                "2025-01",
                false,
                "妇幼保健院建设项目至今尚未动建,业务用房未达标,缺乏产科医生和临床儿科医生,儿科、产科等发展缓慢"
            ),
        ]
    );
    assert_eq!((s.totals.open_deadlines, s.totals.overdue), (6, 4));
    let later = all("2026-12-03");
    assert_eq!((later.totals.open_deadlines, later.totals.overdue), (6, 6));
}

/// `--by category`: the categories with most unfinished problems first.
#[test]
fn categories_most_unfinished_first() {
    let s = all("2026-12-03");
    let top: Vec<(usize, usize)> = s
        .categories
        .iter()
        .take(6)
        .map(|c| (c.problems, c.unfinished))
        .collect();
    assert_eq!(top, vec![(21, 3), (17, 2), (11, 1), (9, 1), (6, 1), (3, 1)]);
    assert!(s.categories[0]
        .category
        .starts_with("聚焦贯彻落实党的理论路线方针政策"));
    assert_eq!(s.categories.iter().map(|c| c.unfinished).sum::<usize>(), 9);
    assert_eq!(s.categories.iter().map(|c| c.problems).sum::<usize>(), 132);
}

/// `--by status` and `--by year`.
#[test]
fn by_status_and_year() {
    let s = all("2026-12-03");
    let st: Vec<(&str, usize, usize)> = s
        .statuses
        .iter()
        .filter(|x| x.problems > 0)
        .map(|x| (x.status.as_str(), x.problems, x.measures))
        .collect();
    assert_eq!(
        st,
        vec![
            ("completed", 65, 127),
            ("basically_completed", 2, 5),
            ("phased", 3, 9),
            ("in_progress", 4, 7),
            ("unspecified", 58, 183),
        ]
    );
    let years: Vec<(&str, usize, usize)> = s
        .years
        .iter()
        .map(|y| (y.year.as_str(), y.notices, y.problems))
        .collect();
    assert_eq!(
        years,
        vec![
            ("2025", 1, 22),
            ("2024", 2, 46),
            ("2023", 1, 52),
            ("2022", 1, 12)
        ]
    );
}

/// Filters select as in search.
#[test]
fn filters_as_in_search() {
    let mut req = SearchRequest::new("");
    req.agency = Some("怀化".into());
    let s = stats(engine(), &req, "2026-12-03").expect("stats");
    assert_eq!(
        (s.totals.notices, s.totals.problems, s.totals.measures),
        (1, 22, 60)
    );
    assert_eq!(s.totals.status.get(Status::Phased), 3);

    let mut req = SearchRequest::new("");
    req.status = Status::parse_user("未完成").expect("status");
    let s = stats(engine(), &req, "2026-12-03").expect("stats");
    assert_eq!(
        (s.totals.notices, s.totals.problems, s.totals.measures),
        (2, 9, 21)
    );
    assert_eq!(s.totals.paragraphs, 0);

    let s = stats(engine(), &SearchRequest::new("医共体"), "2026-12-03").expect("stats");
    assert_eq!(s.totals.problems, 7);
}

/// JSON for one grouping holds that grouping's rows.
#[test]
fn json_by_grouping() {
    let s = all("2026-12-03");
    let v = s.json(By::Category);
    assert_eq!(v["by"], "category");
    assert_eq!(v["totals"]["problems"], 132);
    assert_eq!(v["totals"]["status"]["completed"], 65);
    assert!(v["categories"].is_array());
    assert!(v.get("notices").is_none());
    let v = s.json(By::Notice);
    assert_eq!(v["notices"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["deadlines"].as_array().map(Vec::len), Some(6));
}

/// Columns are padded by display width: a CJK character takes two columns.
#[test]
fn table_aligns_cjk_by_display_width() {
    let t = render(
        &["机构", "问题"],
        &[Align::Left, Align::Right],
        &[
            vec!["汕尾市".to_string(), "36".to_string()],
            vec!["ab".to_string(), "7".to_string()],
        ],
    );
    assert_eq!(
        t,
        "机构    问题\n────────────\n汕尾市    36\nab         7\n"
    );
}

/// The variant notices (other formats and numbering styles) against their expected
/// parses; the two files that are not notices are counted apart.
#[test]
fn variants_against_their_expected_parses() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/variants");
    let corpus = tempfile::tempdir().expect("tempdir");
    for e in std::fs::read_dir(&src).expect("variants") {
        let p = e.expect("entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with(".json") || name == "README.md" {
            continue;
        }
        std::fs::copy(&p, corpus.path().join(name)).expect("copy");
    }
    let dir = common::build_index(corpus.path());
    let engine = Engine::open(dir.path()).expect("opens");
    let s = stats(&engine, &SearchRequest::new(""), "2026-12-03").expect("stats");
    assert_eq!((s.totals.notices, s.totals.other_files), (9, 2));
    assert_eq!(s.notices.len(), 9);
    for n in &s.notices {
        let stem = std::path::Path::new(&n.source)
            .file_stem()
            .and_then(|x| x.to_str())
            .expect("stem");
        let path = src.join(format!("{stem}.expected.json"));
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("expected")).expect("json");
        let problems = want["problems"].as_array().expect("problems");
        assert_eq!(n.problems, problems.len(), "{stem}: problems");
        let measures: u64 = problems
            .iter()
            .map(|p| p["measures"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(n.measures as u64, measures, "{stem}: measures");
        for st in Status::ALL {
            let k = problems
                .iter()
                .filter(|p| p["status"] == st.as_str())
                .count();
            assert_eq!(n.status.get(st), k, "{stem}: {}", st.as_str());
        }
        let mut stated: Vec<(&str, u64)> = want["summary"]
            .as_object()
            .expect("summary")
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_u64()?)))
            .collect();
        stated.sort();
        let mut got: Vec<(&str, u64)> = n
            .figures
            .iter()
            .map(|f| (f.figure, u64::from(f.stated)))
            .collect();
        got.sort();
        assert_eq!(got, stated, "{stem}: stated figures");
    }
    let flags = |stem: &str| -> Vec<(&'static str, Option<bool>)> {
        s.notices
            .iter()
            .find(|n| n.source.contains(stem))
            .expect("notice")
            .figures
            .iter()
            .map(|f| (f.figure, f.agrees))
            .collect()
    };
    assert_eq!(
        flags("01_county_two_signers"),
        vec![
            ("problems_total", Some(true)),
            ("completed", Some(true)),
            ("basically_completed", Some(true)),
            ("measures_total", Some(true)),
            ("measures_done", None),
        ]
    );
    assert_eq!(
        flags("09_county_special_social"),
        vec![
            ("problems_total", Some(true)),
            ("measures_total", Some(false)),
            ("measures_done", None),
            ("rules_made", None),
            ("people_held_accountable", None),
        ]
    );
}

/// The stated figures are read from the source file only while it has the content
/// the index was built from; otherwise the report says why they are missing.
#[test]
fn stated_figures_need_the_indexed_file() {
    let name = "003_044f5fdef5878133.txt";
    let corpus = tempfile::tempdir().expect("tempdir");
    let file = corpus.path().join(name);
    std::fs::copy(common::seeds().join(name), &file).expect("copy");
    let dir = common::build_index(corpus.path());
    let engine = Engine::open(dir.path()).expect("opens");
    let report = || stats(&engine, &SearchRequest::new(""), "2026-12-03").expect("stats");
    let s = report();
    assert_eq!(s.notices[0].figures.len(), 5);
    assert_eq!(s.notices[0].figures_unavailable, None);

    let mut text = std::fs::read(&file).expect("read");
    text.extend_from_slice("\n附：补充说明。\n".as_bytes());
    std::fs::write(&file, text).expect("write");
    let s = report();
    assert!(s.notices[0].figures.is_empty());
    let why = s.notices[0].figures_unavailable.clone().expect("reason");
    assert!(why.starts_with("来源文件在建索引后已改变"), "{why}");
    // The counts still come from the index.
    assert_eq!((s.notices[0].problems, s.notices[0].measures), (22, 60));

    std::fs::remove_file(&file).expect("remove");
    let why = report().notices[0]
        .figures_unavailable
        .clone()
        .expect("reason");
    assert!(why.starts_with("读不到来源文件"), "{why}");
}
