//! Bounded work: caps on queries and pages, `show` reading only a problem's records,
//! and letter/digit runs longer than tantivy's term limit still found.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use zhenggai::error::Error;
use zhenggai::index::record::{records, Record};
use zhenggai::search::query::{MAX_QUERY_CHARS, MAX_QUERY_TERMS};
use zhenggai::search::{Engine, SearchRequest, MAX_SIMILAR_CHARS, MAX_WINDOW};

/// A notice of `problems` problems of three measures each, in the plain format the
/// parser reads (问题 `k` mentions 关键词`k` and, in every measure, 整改), grouped by
/// hundreds under `（c）关于第c类方面的整改`. Each problem's 责任单位 line (between its
/// first and second measures) and deadline line are kept as paragraphs of their own.
fn notice(problems: usize) -> String {
    let mut s = String::from(
        "中共枫林县水利局党组关于巡察整改情况的通报\n\n\
         根据县委统一部署,县委第四巡察组对县水利局党组进行了巡察。\n\n\
         一、整改工作总体情况\n\n局党组高度重视巡察整改工作。\n\n二、反馈问题整改情况\n\n",
    );
    for k in 1..=problems {
        if k % 100 == 1 {
            let c = k / 100 + 1;
            s.push_str(&format!("（{}）关于第{c}类方面的整改\n\n", zhenggai_num(c)));
        }
        let i = (k - 1) % 100 + 1;
        s.push_str(&format!(
            "{i}、针对\"第{k}号事项管理存在漏洞\"问题\n\
             整改情况:一是开展第{k}项专项整治,整改关键词{k}。\n\
             责任单位:第{k}项工作专班\n\
             二是建立第{k}项台账,逐项整改。三是出台第{k}项制度,长效整改。\n\
             整改时限:2023年12月底\n\n"
        ));
    }
    s.push_str(
        "三、下一步工作打算\n\n局党组将持续巩固整改成果。\n\n中共枫林县水利局党组\n2023年7月12日\n",
    );
    s
}

/// `c` in Chinese numerals (1 ≤ c ≤ 99).
fn zhenggai_num(c: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (c / 10, c % 10) {
        (0, u) => D[u].to_string(),
        (1, u) => format!("十{}", D[u]),
        (t, u) => format!("{}十{}", D[t], D[u]),
    }
}

#[test]
fn the_big_notice_parses_into_its_problems() {
    let n = zhenggai::parse::parse("big.txt", &notice(PROBLEMS));
    assert_eq!(n.problems.len(), PROBLEMS);
    assert_eq!(n.categories.len(), PROBLEMS / 100);
    assert!(n.problems.iter().all(|p| p.measures.len() == 3));
    assert!(n
        .problems
        .iter()
        .enumerate()
        .all(|(i, p)| p.n == i + 1 && p.title == format!("第{}号事项管理存在漏洞", i + 1)));
    // The title, the opening line, the first two section headings and the line
    // under the first, a heading per hundred problems, 2 lines per problem, the last
    // section heading and its line (the signature is not a paragraph).
    assert_eq!(n.paragraphs.len(), 5 + PROBLEMS / 100 + 2 * PROBLEMS + 2);
}

/// Problems of the big notice: 3 measures each, more records than [`MAX_WINDOW`].
const PROBLEMS: usize = 3_400;

/// An index of one notice of [`PROBLEMS`] problems and a small one, with the
/// records the parser makes of them.
fn engine() -> &'static (tempfile::TempDir, Engine, Vec<Record>) {
    static E: OnceLock<(tempfile::TempDir, Engine, Vec<Record>)> = OnceLock::new();
    E.get_or_init(|| {
        let files = [("big.txt", notice(PROBLEMS)), ("small.txt", notice(3))];
        let corpus = common::corpus(
            &files
                .iter()
                .map(|(n, t)| (*n, t.as_str()))
                .collect::<Vec<_>>(),
        );
        let dir = common::build_index(corpus.path());
        let engine = Engine::open(dir.path()).expect("opens");
        let mut recs = Vec::new();
        for (name, text) in &files {
            let source = zhenggai::index::files::key_for(corpus.path(), &corpus.path().join(name));
            recs.extend(records(&zhenggai::parse::parse(&source, text), &source));
        }
        (dir, engine, recs)
    })
}

/// How many records hold `term` in their measure text or problem title.
fn truth(recs: &[Record], term: &str) -> usize {
    recs.iter()
        .filter(|r| r.text.contains(term) || r.problem.contains(term))
        .count()
}

fn bad_query(r: zhenggai::error::Result<zhenggai::search::SearchResults>) -> String {
    match r {
        Err(Error::BadQuery(m)) => m,
        other => panic!("expected a bad query error, got {other:?}"),
    }
}

#[test]
fn a_100k_character_or_query_is_refused_quickly_naming_the_limit() {
    let (_, e, _) = engine();
    let q = "整改 OR ".repeat(100_000 / 6);
    assert!(q.chars().count() >= 99_990);
    let t = Instant::now();
    let msg = bad_query(e.search(&SearchRequest::new(q)));
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert!(msg.contains("查询过长"), "{msg}");
    assert!(
        msg.contains(&format!("at most {MAX_QUERY_CHARS} characters")),
        "{msg}"
    );
}

#[test]
fn too_many_words_are_refused_naming_the_limit() {
    let (_, e, _) = engine();
    let q = (1..=MAX_QUERY_TERMS + 1)
        .map(|k| format!("关键词{k}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    assert!(q.chars().count() < MAX_QUERY_CHARS);
    let msg = bad_query(e.search(&SearchRequest::new(q)));
    assert!(msg.contains("查询词过多"), "{msg}");
    assert!(
        msg.contains(&format!(
            "too many search words: {}, at most {MAX_QUERY_TERMS}",
            MAX_QUERY_TERMS + 1
        )),
        "{msg}"
    );
}

#[test]
fn a_query_just_under_the_caps_works() {
    let (_, e, _) = engine();
    // MAX_QUERY_TERMS words joined by OR, padded with a long phrase to the length cap.
    let mut words: Vec<String> = (1..MAX_QUERY_TERMS).map(|k| format!("关键词{k}")).collect();
    let head = words.join(" OR ") + " OR ";
    let pad = MAX_QUERY_CHARS - head.chars().count() - 2;
    words.push(format!("\"{}\"", "整".repeat(pad)));
    let q = head + &words[MAX_QUERY_TERMS - 1];
    assert_eq!(q.chars().count(), MAX_QUERY_CHARS);
    let mut req = SearchRequest::new(q);
    req.limit = 1_000;
    req.exact = true;
    let t = Instant::now();
    let r = e.search(&req).expect("search under the caps");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    // 关键词1 … 关键词31: 关键词1 also finds 关键词10 … 19, 100 … 199 and so on, so
    // every problem's first measure, in both files.
    let (_, _, recs) = engine();
    assert_eq!(r.total, PROBLEMS + 3);
    assert_eq!(r.total, truth(recs, "关键词"));
}

#[test]
fn a_huge_limit_counts_every_hit_and_shows_at_most_the_window() {
    let (_, e, recs) = engine();
    let want = truth(recs, "整改");
    assert!(want > MAX_WINDOW, "{want}");
    let mut req = SearchRequest::new("整改");
    req.limit = usize::MAX;
    let t = Instant::now();
    let r = e.search(&req).expect("search");
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    assert_eq!(r.total, want);
    assert_eq!(r.hits.len(), MAX_WINDOW);
    let note = req.window_note(r.total).expect("a note");
    assert!(note.contains("only the first 10000 hits"), "{note}");

    // Near the end of the window: the page stops at MAX_WINDOW.
    req.offset = MAX_WINDOW - 5;
    let r = e.search(&req).expect("search");
    assert_eq!(r.total, want);
    assert_eq!(r.hits.len(), 5);

    // The count alone.
    req.offset = 0;
    req.limit = 0;
    let r = e.search(&req).expect("search");
    assert_eq!((r.total, r.hits.len()), (want, 0));
    assert_eq!(req.window_note(r.total), None);

    // A page within the window has no note.
    req.limit = 10;
    assert_eq!(req.window_note(r.total), None);

    // An offset beyond the window is refused where there are hits to show, and
    // gives the count alone where there are none.
    for offset in [MAX_WINDOW, want - 1] {
        req.offset = offset;
        let msg = bad_query(e.search(&req));
        assert!(msg.contains("--offset at most 9999"), "{msg}");
    }
    for offset in [want, usize::MAX] {
        req.offset = offset;
        let r = e.search(&req).expect("search");
        assert_eq!((r.total, r.hits.len()), (want, 0));
    }
}

#[test]
fn similar_with_a_huge_limit_stops_at_the_window() {
    let (_, e, recs) = engine();
    // Every measure says 整改: more similar measures than the window holds.
    assert!(
        recs.iter()
            .filter(|r| r.problem_n > 0 && r.text.contains("整改"))
            .count()
            > MAX_WINDOW
    );
    let hits = e
        .similar("开展专项整治,整改到位", None, None, usize::MAX)
        .expect("similar");
    assert_eq!(hits.len(), MAX_WINDOW);
    // A long text is read up to MAX_SIMILAR_CHARS.
    let long = "整改".repeat(MAX_SIMILAR_CHARS);
    assert_eq!(e.similar(&long, None, None, 3).expect("similar").len(), 3);
}

#[test]
fn long_filters_are_refused_naming_the_limit() {
    let (_, e, _) = engine();
    let mut req = SearchRequest::new("整改");
    req.category = Some("类".repeat(MAX_QUERY_CHARS + 1));
    let msg = bad_query(e.search(&req));
    assert!(
        msg.contains("--category too long: at most 1000 characters, 1001 given"),
        "{msg}"
    );
    let mut req = SearchRequest::new("整改");
    req.agency = Some("局".repeat(5_000));
    let msg = bad_query(e.search(&req));
    assert!(
        msg.contains("--agency too long: at most 1000 characters, 5000 given"),
        "{msg}"
    );
}

#[test]
fn show_returns_exactly_the_problem_records() {
    let (_, e, recs) = engine();
    let big = &recs[0].id[..8];
    for probe in [1usize, 2, 3, 150, PROBLEMS - 1, PROBLEMS] {
        let want: Vec<String> = recs
            .iter()
            .filter(|r| r.problem_n == probe && r.id.starts_with(big))
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(want.len(), 3);
        for id in &want {
            let (hit, all) = e.show(id).expect("show");
            assert_eq!(&hit.id, id);
            assert_eq!(hit.problem_n as usize, probe);
            let got: Vec<String> = all.iter().map(|h| h.id.clone()).collect();
            assert_eq!(&got, &want, "show {id}");
            assert!(all
                .iter()
                .all(|h| h.problem == format!("第{probe}号事项管理存在漏洞")));
        }
    }
    // A paragraph shows itself only, also one written among a problem's measures.
    for para in [
        recs.iter().find(|r| r.problem_n == 0).expect("a paragraph"),
        recs.iter()
            .find(|r| r.text == "责任单位:第150项工作专班")
            .expect("a 责任单位 line"),
    ] {
        assert_eq!(para.problem_n, 0);
        let (hit, all) = e.show(&para.id).expect("show");
        assert_eq!(hit.kind, "paragraph");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].id, para.id);
    }
    // Records are found by their ids, and ids past the end are not.
    for r in recs.iter().step_by(97) {
        assert_eq!(e.get(&r.id).expect("get").id, r.id);
    }
    let key = recs[0].id.rsplit_once('-').expect("id").0;
    for bad in [
        format!("{key}-0"),
        format!("{key}-{}", recs.len() + 10),
        format!("{key}-x"),
        "nope".to_string(),
        "ffffffff-1".to_string(),
    ] {
        assert!(matches!(e.show(&bad), Err(Error::NoSuchRecord(_))), "{bad}");
    }
}

#[test]
fn a_70000_digit_run_is_found_by_its_middle_and_its_ends() {
    // Digits that do not repeat with a short period, so that each probe occurs once.
    let digits: String = (0..70_000u64)
        .map(|i| char::from(b'0' + ((i * i + 7 * i / 3) % 10) as u8))
        .collect();
    let text = format!("附件编号如下：{digits}。以上为全部编号。\n");
    let corpus = common::corpus(&[
        ("digits.txt", &text),
        ("other.txt", "无关的段落，编号abc。\n"),
    ]);
    let dir = common::build_index(corpus.path());
    let e = Engine::open(dir.path()).expect("opens");
    let middle = &digits[35_000..35_010];
    let first = &digits[..20];
    let last = &digits[digits.len() - 20..];
    for q in [
        middle,
        first,
        last,
        &digits[63..65],
        &digits[60..70],
        &digits[..64],
        &digits[..200],
    ] {
        let r = e.search(&SearchRequest::new(q)).expect("search");
        let files: BTreeSet<String> = r
            .hits
            .iter()
            .map(|h| h.source.rsplit('/').next().unwrap_or("").to_string())
            .collect();
        assert_eq!(r.total, 1, "{q}");
        assert_eq!(files, BTreeSet::from(["digits.txt".to_string()]), "{q}");
    }
    // The run ends at 。: its last digits followed by 以 are found, its first digits
    // after 号 too; a digit string that is not in the run is not.
    let r = e
        .search(&SearchRequest::new(format!("{last}。以上")))
        .expect("search");
    assert_eq!(r.total, 1);
    let r = e
        .search(&SearchRequest::new(format!("编号如下：{first}")))
        .expect("search");
    assert_eq!(r.total, 1);
    let absent = "9".repeat(30);
    assert!(!digits.contains(&absent));
    let r = e.search(&SearchRequest::new(absent)).expect("search");
    assert_eq!(r.total, 0);
}
