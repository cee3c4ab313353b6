//! Search behaviour on the seed notices and on small corpora written for each case:
//! full recall of literal matches across jieba's words, phrases and boolean operators,
//! whole-word ranking, filters, facets, synonyms, show.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use zhenggai::index::record::{records, RecordKind};
use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest};

/// One index of the seeds for the whole test binary.
fn seeds_engine() -> &'static Engine {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = DIR.get_or_init(|| common::build_index(&common::seeds()));
        Engine::open(dir.path()).expect("opens")
    })
}

fn squash(s: &str) -> String {
    zhenggai::text::fold(&s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
}

/// Ids of the seed records for which `keep` holds.
fn truth_by(keep: impl Fn(&zhenggai::index::record::Record) -> bool) -> BTreeSet<String> {
    static RECORDS: OnceLock<Vec<zhenggai::index::record::Record>> = OnceLock::new();
    let all = RECORDS.get_or_init(|| {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(common::seeds()).expect("seeds") {
            let path = entry.expect("entry").path();
            let src = zhenggai::read::read_file(&path).expect("read");
            let source = zhenggai::index::files::key_for(&common::seeds(), &path);
            let notice = zhenggai::parse::parse(&source, &src.text);
            out.extend(records(&notice, &source));
        }
        out
    });
    all.iter()
        .filter(|r| keep(r))
        .map(|r| r.id.clone())
        .collect()
}

/// Ids of every seed record whose measure text or problem title contains `term`.
fn truth(term: &str) -> BTreeSet<String> {
    let needle = squash(term);
    truth_by(|r| squash(&r.text).contains(&needle) || squash(&r.problem).contains(&needle))
}

fn ids(engine: &Engine, req: &SearchRequest) -> BTreeSet<String> {
    engine
        .search(req)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// File names of every hit of `q` (no synonyms), sorted.
fn hit_files(e: &Engine, q: &str) -> Vec<String> {
    let mut v: Vec<String> = e
        .search(&exact(q))
        .expect("search")
        .hits
        .iter()
        .filter_map(|h| std::path::Path::new(&h.source).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn exact(q: &str) -> SearchRequest {
    let mut r = SearchRequest::new(q);
    r.limit = 10_000;
    r.exact = true;
    r
}

#[test]
fn every_literal_match_is_found_in_the_seeds() {
    let engine = seeds_engine();
    assert!(common::TERMS.len() >= 40);
    for term in common::TERMS {
        let want = truth(term);
        let got = ids(engine, &exact(term));
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        assert!(
            missing.is_empty(),
            "{term}: missed {} of {}: {missing:?}",
            missing.len(),
            want.len()
        );
        assert!(
            extra.is_empty(),
            "{term}: {} hits do not contain it: {extra:?}",
            extra.len()
        );
    }
}

#[test]
fn problem_title_and_category_reach_every_measure_of_the_problem() {
    // The title and category of a problem are indexed once, on its first record; a
    // query must still find each of its measures, also together with a word of the
    // measure itself.
    let engine = seeds_engine();
    let has = |r: &zhenggai::index::record::Record, t: &str| {
        let t = squash(t);
        squash(&r.text).contains(&t) || squash(&r.problem).contains(&t)
    };
    let terms = &common::TERMS[..16];
    let mut pairs = 0;
    for a in terms {
        for b in terms {
            let want = truth_by(|r| has(r, a) && has(r, b));
            pairs += usize::from(!want.is_empty() && a != b);
            assert_eq!(ids(engine, &exact(&format!("{a} {b}"))), want, "{a} {b}");
        }
    }
    assert!(pairs >= 4, "{pairs}");
    let mut spans_measures = 0;
    for (cat, word) in [
        ("两个责任", "制度"),
        ("干部队伍", "干部"),
        ("风险管控", "落实"),
    ] {
        let want = truth_by(|r| {
            (squash(&r.category).contains(cat) || squash(&r.item).contains(cat)) && has(r, word)
        });
        spans_measures += want.len();
        let mut req = exact(word);
        req.category = Some(cat.to_string());
        assert_eq!(ids(engine, &req), want, "--category {cat} {word}");
    }
    assert!(spans_measures >= 10, "{spans_measures}");
}

#[test]
fn yigongti_hits_four_agencies_and_every_hit_mentions_it() {
    let engine = seeds_engine();
    let mut req = SearchRequest::new("医共体");
    req.limit = 200;
    let res = engine.search(&req).expect("search");
    let agencies: BTreeSet<&str> = res.hits.iter().map(|h| h.agency_short.as_str()).collect();
    assert_eq!(
        agencies,
        BTreeSet::from([
            "怀化市卫生健康委员会",
            "新野县卫生健康委",
            "汕尾市卫生健康局",
            "闽清县卫生健康局"
        ])
    );
    for h in &res.hits {
        assert!(
            squash(&h.measure).contains("医共体") || squash(&h.problem).contains("医共体"),
            "{}",
            h.measure
        );
        assert!(!h.highlights.is_empty(), "{} has a highlight", h.id);
    }
    assert_eq!(res.total, truth("医共体").len());
}

#[test]
fn phrase_and_boolean_queries_over_overlapping_tokens() {
    let dir = common::corpus(&[
        ("a.txt", "推进家庭医生签约服务。"),
        ("b.txt", "家庭医生与患者签约。"),
        ("c.txt", "签约仪式。"),
        ("d.txt", "中华人民共和国人民大会堂。"),
    ]);
    let index = common::build_index(dir.path());
    let e = Engine::open(index.path()).expect("opens");
    let files = |q: &str| hit_files(&e, q);
    // A word is a contiguous string: 家庭医生签约 only where the five characters stand together.
    assert_eq!(files("家庭医生签约"), ["a.txt"]);
    assert_eq!(files("\"家庭医生签约\""), ["a.txt"]);
    // Space is AND: both words anywhere.
    assert_eq!(files("家庭医生 签约"), ["a.txt", "b.txt"]);
    assert_eq!(files("签约 -家庭医生"), ["c.txt"]);
    assert_eq!(files("签约 NOT 家庭医生"), ["c.txt"]);
    assert_eq!(files("患者 OR 仪式"), ["b.txt", "c.txt"]);
    assert_eq!(files("(患者 OR 仪式) 签约"), ["b.txt", "c.txt"]);
    // Strings inside and across jieba's words.
    assert_eq!(files("共和国人民"), ["d.txt"]);
    assert_eq!(files("人民共和"), ["d.txt"]);
    assert_eq!(files("和国人"), ["d.txt"]);
    assert!(files("人民共和国大会").is_empty());
}

#[test]
fn punctuation_separates_and_ocr_spaces_do_not() {
    let dir = common::corpus(&[
        ("a.txt", "推进医共体建设，邀请专家指导。"),
        ("b.txt", "推进医共 体建设邀请专家。"),
        ("c.txt", "2023年5 月份完成5G网络建设。"),
    ]);
    let index = common::build_index(dir.path());
    let e = Engine::open(index.path()).expect("opens");
    let files = |q: &str| hit_files(&e, q);
    assert_eq!(files("医共体建设"), ["a.txt", "b.txt"]);
    assert_eq!(files("体建设邀"), ["b.txt"]);
    assert_eq!(files("建设，邀请"), ["a.txt"]);
    assert_eq!(files("年5月"), ["c.txt"]);
    assert_eq!(files("5Ｇ网"), ["c.txt"]);
    assert_eq!(files("023年"), ["c.txt"], "a query may begin inside a run");
    assert_eq!(files("5G网"), ["c.txt"]);
    assert_eq!(files("0G"), Vec::<String>::new());
    assert_eq!(files("5g"), ["c.txt"]);
    assert!(files("建设完成").is_empty());
}

#[test]
fn whole_word_ranks_above_characters_only() {
    // jieba cuts 办公/务必 in one text and 公务 as a word in the other.
    let dir = common::corpus(&[
        ("chars.txt", "各科室办公务必规范有序。"),
        ("word.txt", "各科室加强公务管理有序。"),
    ]);
    let index = common::build_index(dir.path());
    let e = Engine::open(index.path()).expect("opens");
    let res = e.search(&exact("公务")).expect("search");
    assert_eq!(res.total, 2);
    assert!(
        res.hits[0].source.ends_with("word.txt"),
        "{:?}",
        res.hits[0].source
    );
    assert!(res.hits[0].score > res.hits[1].score);
}

#[test]
fn filters_by_agency_status_level_and_date() {
    let e = seeds_engine();
    let mut req = SearchRequest::new("");
    req.agency = Some("怀化".into());
    req.status = vec![Status::Phased];
    req.limit = 100;
    let res = e.search(&req).expect("search");
    // 怀化 has three phased problems with 5 + 2 + 2 measures.
    assert_eq!(res.total, 9);
    assert!(res
        .hits
        .iter()
        .all(|h| h.agency.contains("怀化") && h.status == Status::Phased));

    let mut req = SearchRequest::new("医共体");
    req.level = Some("县".into());
    req.limit = 100;
    let res = e.search(&req).expect("search");
    assert!(res.total > 0);
    assert!(res.hits.iter().all(|h| h.level == "县"));

    let mut req = SearchRequest::new("整改");
    req.since = Some("2024".into());
    req.limit = 1000;
    let res = e.search(&req).expect("search");
    assert!(res.total > 0);
    assert!(
        res.hits
            .iter()
            .all(|h| h.published.as_str() >= "2024-01-01"),
        "since"
    );
    let mut req2 = SearchRequest::new("整改");
    req2.limit = 1000;
    assert!(e.search(&req2).expect("search").total > res.total);

    let mut req = SearchRequest::new("医共体");
    req.status = Status::parse_user("未完成").expect("status");
    req.limit = 100;
    let res = e.search(&req).expect("search");
    assert!(res.hits.iter().all(|h| matches!(
        h.status,
        Status::InProgress | Status::Phased | Status::BasicallyCompleted
    )));
    assert!(res.total >= 1);
}

#[test]
fn measures_only_leaves_out_paragraphs() {
    let e = seeds_engine();
    let term = "整改";
    let needle = squash(term);
    let want = truth_by(|r| {
        r.kind == RecordKind::Measure
            && (squash(&r.text).contains(&needle) || squash(&r.problem).contains(&needle))
    });
    let mut req = exact(term);
    req.measures_only = true;
    let res = e.search(&req).expect("search");
    assert!(res
        .hits
        .iter()
        .all(|h| h.kind == "measure" && h.problem_n > 0));
    assert_eq!(
        res.hits
            .iter()
            .map(|h| h.id.clone())
            .collect::<BTreeSet<_>>(),
        want
    );
    // The filter alone lists every measure.
    let mut alone = SearchRequest::new("");
    alone.measures_only = true;
    alone.limit = 10_000;
    let listed = e.search(&alone).expect("a filter alone is a query");
    assert_eq!(
        listed.total,
        truth_by(|r| r.kind == RecordKind::Measure).len()
    );
    // Without the filter the paragraphs that mention it come too.
    let all = ids(e, &exact(term));
    assert!(all.len() > want.len());
    assert!(e
        .search(&exact(term))
        .expect("search")
        .hits
        .iter()
        .any(|h| h.kind == "paragraph" && h.problem_n == 0));
}

#[test]
fn facets_count_the_matching_records() {
    let e = seeds_engine();
    let mut req = SearchRequest::new("医共体");
    req.facets = true;
    let res = e.search(&req).expect("search");
    let f = res.facets.expect("facets");
    let sum = |v: &[(String, u64)]| v.iter().map(|(_, n)| *n).sum::<u64>() as usize;
    assert_eq!(sum(&f.agency), res.total);
    assert_eq!(sum(&f.status), res.total);
    assert_eq!(sum(&f.year), res.total);
    assert!(f
        .agency
        .iter()
        .any(|(a, n)| a == "汕尾市卫生健康局" && *n == 2));
    assert!(f.year.iter().any(|(y, _)| y == "2023"));
}

#[test]
fn synonyms_widen_and_exact_turns_them_off() {
    let dir = common::corpus(&[
        ("a.txt", "规范公务用车管理。"),
        ("b.txt", "清理超标公车。"),
        ("c.txt", "推进县域医疗共同体建设。"),
    ]);
    let index = common::build_index(dir.path());
    let e = Engine::open(index.path()).expect("opens");
    assert_eq!(
        e.search(&SearchRequest::new("公车")).expect("search").total,
        2
    );
    assert_eq!(e.search(&exact("公车")).expect("search").total, 1);
    assert_eq!(
        e.search(&SearchRequest::new("医共体"))
            .expect("search")
            .total,
        1
    );
    assert_eq!(e.search(&exact("医共体")).expect("search").total, 0);
}

#[test]
fn show_reads_a_hit_back_by_its_stable_id() {
    let e = seeds_engine();
    let res = e
        .search(&SearchRequest::new("医联体建设滞后"))
        .expect("search");
    let top = &res.hits[0];
    let again = e.get(&top.id).expect("get");
    assert_eq!(again.measure, top.measure);
    assert_eq!(again.problem, "医联体建设滞后");
    let all = e.records_of(&top.source).expect("records");
    let same_problem = all
        .iter()
        .filter(|h| h.problem_n == top.problem_n && h.kind == "measure")
        .count();
    assert_eq!(same_problem, 6);
    assert!(e.get("nope-1").is_err());
}

#[test]
fn bad_queries_are_errors_not_panics() {
    let e = seeds_engine();
    for q in ["", "   ", "(医共体", "\"医共体", "“”", "-"] {
        assert!(e.search(&SearchRequest::new(q)).is_err(), "{q:?}");
    }
    let mut req = SearchRequest::new("医共体");
    req.since = Some("2024-13".into());
    assert!(e.search(&req).is_err());
}

#[test]
fn traditional_and_simplified_match_each_other() {
    let dir = common::corpus(&[
        ("trad.txt", "推進縣域醫共體建設，規範公務用車。"),
        ("simp.txt", "推进县域医共体建设。"),
    ]);
    let index = common::build_index(dir.path());
    let e = Engine::open(index.path()).expect("opens");
    assert_eq!(e.search(&exact("医共体")).expect("search").total, 2);
    assert_eq!(e.search(&exact("醫共體")).expect("search").total, 2);
    let hits = e.search(&exact("公务用车")).expect("search").hits;
    assert_eq!(hits.len(), 1);
    // The highlight points at the traditional characters as written.
    let (a, b) = hits[0].highlights[0];
    let shown: String = hits[0].measure.chars().skip(a).take(b - a).collect();
    assert_eq!(shown, "公務用車");
}

#[test]
fn similar_finds_other_agencies_measures() {
    let e = seeds_engine();
    let top = e
        .search(&SearchRequest::new("医联体建设滞后"))
        .expect("search")
        .hits
        .remove(0);
    let similar = e
        .similar(
            &format!("{}\n{}", top.problem, top.measure),
            Some(&top.agency_short),
            Some(&top.id),
            5,
        )
        .expect("similar");
    assert!(!similar.is_empty());
    assert!(similar
        .iter()
        .all(|h| h.agency_short != top.agency_short && h.id != top.id));
    // Without the agency exclusion the measure finds itself first.
    let own = e.similar(&top.measure, None, None, 1).expect("similar");
    assert_eq!(own[0].id, top.id);
}

#[test]
fn sort_by_date_puts_newest_first() {
    let e = seeds_engine();
    let mut req = SearchRequest::new("整改");
    req.sort = zhenggai::search::Sort::Date;
    req.limit = 500;
    let hits = e.search(&req).expect("search").hits;
    let dates: Vec<&str> = hits.iter().map(|h| h.published.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert_eq!(dates[0], "2025-06-26");
}

#[test]
fn highlights_never_cut_a_character() {
    let texts = [
        "推进医共 体建设,5G智慧化",
        "ＡＢＣ医联体",
        "",
        "   ",
        "一是\u{200d}二是",
        "𠀀𠀁医共体𠀂",
    ];
    let needles = ["医共体", "5g", "abc", "", " ", "二是", "𠀁医"];
    for t in texts {
        let len = t.chars().count();
        for n in needles {
            for (a, b) in zhenggai::search::snippet::highlight(t, &[n.to_string()]) {
                assert!(a < b && b <= len, "{t:?} {n:?}");
            }
        }
        let (w, ranges) = zhenggai::search::snippet::window(t, &[(0, len.min(1))], 3);
        assert!(ranges
            .iter()
            .all(|(a, b)| a <= b && *b <= w.chars().count()));
    }
}

#[test]
fn a_user_dictionary_is_stored_and_must_match() {
    let corpus = common::corpus(&[("a.txt", "推行县招县管镇用改革。")]);
    let dict_dir = tempfile::tempdir().expect("tempdir");
    let dict = dict_dir.path().join("user.dict");
    std::fs::write(&dict, "县招县管镇用 5000 n\n").expect("write");
    let index = tempfile::tempdir().expect("tempdir");
    let mut opts = zhenggai::index::BuildOptions::new(corpus.path(), index.path());
    opts.user_dict = Some(dict.clone());
    zhenggai::index::build(&opts, &mut |_| {}).expect("build");
    let e = Engine::open(index.path()).expect("opens");
    assert!(e.check_user_dict(Some(&dict)).is_ok());
    let err = e.check_user_dict(None).expect_err("differs");
    assert!(matches!(err, zhenggai::Error::DictMismatch(_)));
    // The user word is one token of the query and of the index.
    assert_eq!(e.search(&exact("县招县管镇用")).expect("search").total, 1);
    let manifest = zhenggai::index::Manifest::load(index.path()).expect("manifest");
    assert_ne!(manifest.user_dict_hash, 0);
}

#[test]
fn any_limit_and_offset_are_safe() {
    let e = seeds_engine();
    let mut r = SearchRequest::new("医共体");
    r.limit = usize::MAX;
    r.offset = usize::MAX;
    let res = e.search(&r).expect("search");
    assert_eq!((res.total, res.hits.len()), (8, 0));
    r.offset = 0;
    assert_eq!(e.search(&r).expect("search").hits.len(), 8);
    r.limit = 0;
    let res = e.search(&r).expect("search");
    assert_eq!((res.total, res.hits.len()), (8, 0), "--limit 0 counts only");
}

/// Ids of the hits of `q`, in order.
fn ranked(e: &Engine, q: &str) -> Vec<String> {
    let mut r = SearchRequest::new(q);
    r.limit = 100;
    e.search(&r)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn plain_questions_answer_with_the_measures_they_ask_about() {
    let e = seeds_engine();
    // 怎么 and 整改 are not required: the one measure on 编外用工 first, then those
    // holding one of its words.
    let r = e
        .search(&SearchRequest::new("怎么整改编外用工"))
        .expect("search");
    assert_eq!(r.hits[0].id, "07a3a92e-148");
    assert!(!r.partial);
    assert_eq!(r.ignored, ["怎么", "整改"]);
    assert_eq!(r.searched.as_deref(), Some("编外 用工"));
    assert_eq!(r.total, (&truth("编外") | &truth("用工")).len());
    // 有哪些 and 措施 are not required: the records holding 医共体 and 建设 first,
    // the three where they stand together ahead.
    let both = &truth("医共体") & &truth("建设");
    let either = &truth("医共体") | &truth("建设");
    let hits = ranked(e, "医共体建设有哪些措施");
    assert_eq!(hits.len(), either.len().min(100));
    assert_eq!(hits[..3], ["07a3a92e-29", "da269975-29", "24828685-9"]);
    assert!(hits[..both.len()].iter().all(|id| both.contains(id)));
    assert!(hits[both.len()..].iter().all(|id| !both.contains(id)));
    // The measures under the problems on official cars first, the heading
    // paragraph after them.
    let cars = ranked(e, "公务用车问题怎么处理");
    assert_eq!(cars, ranked(e, "公务用车"));
    assert_eq!(
        cars[..4],
        [
            "07a3a92e-116",
            "07a3a92e-115",
            "07a3a92e-114",
            "07a3a92e-112"
        ]
    );
    let r = e
        .search(&SearchRequest::new("公务用车问题怎么处理"))
        .expect("search");
    assert_eq!(r.hits[3].kind, "paragraph");
    assert_eq!(r.hits[4].kind, "measure");
}

#[test]
fn a_question_no_record_answers_whole_gets_a_partial_answer() {
    let e = seeds_engine();
    // No record holds two of 违规, 发放 and 津补贴: those holding one, the one
    // holding the rarest word (津补贴) first.
    let mut req = SearchRequest::new("违规发放津补贴怎么整改的");
    req.limit = 100;
    let r = e.search(&req).expect("search");
    assert!(r.partial);
    assert_eq!(r.searched.as_deref(), Some("违规 发放 津补贴"));
    assert_eq!(r.total, 17);
    assert_eq!(r.hits[0].id, "b12da59d-43");
    let rarest = truth("津补贴");
    assert_eq!(rarest.len(), 1);
    assert!(r.hits[1..].iter().all(|h| !rarest.contains(&h.id)));
    // Every hit holds at least one of the words.
    let any = &(&truth("违规") | &truth("发放")) | &rarest;
    assert!(r.hits.iter().all(|h| any.contains(&h.id)));
    assert_eq!(r.hits.len(), any.len());
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["partial"], true);
    // A question every word of which some record holds is not partial.
    let r = e.search(&SearchRequest::new("医共体建设")).expect("search");
    assert!(!r.partial);
    assert_eq!(r.total, 3);
}

#[test]
fn a_question_of_too_many_words_is_an_error() {
    let e = seeds_engine();
    let long = format!("{}怎么办", common::TERMS.concat());
    let err = e.search(&SearchRequest::new(long)).unwrap_err();
    assert!(err.to_string().contains("too many search words"), "{err}");
}

#[test]
fn operators_and_quotes_keep_their_strict_meaning() {
    let e = seeds_engine();
    for q in [
        "\"怎么整改编外用工\"",
        "怎么 AND 编外用工",
        "编外用工 OR 怎么整改",
        "(怎么整改编外用工)",
        "编外用工 -有哪些",
    ] {
        let r = e.search(&SearchRequest::new(q)).expect("search");
        assert!(!r.partial, "{q}");
        assert!(r.ignored.is_empty(), "{q}");
        assert!(r.searched.is_none(), "{q}");
        let want = match q {
            "编外用工 OR 怎么整改" | "编外用工 -有哪些" => 1,
            _ => 0,
        };
        assert_eq!(r.total, want, "{q}");
    }
}

/// Generic words alone (整改, 问题 …) do not make a question while the query as
/// written finds something: 巡察整改 is the phrase; 医共体问题, which no record
/// holds as written, is read as a question about 医共体.
#[test]
fn generic_words_without_a_question_word_are_searched_as_written_first() {
    let e = seeds_engine();
    let plain = e.search(&SearchRequest::new("巡察整改")).expect("search");
    let quoted = e
        .search(&SearchRequest::new("\"巡察整改\""))
        .expect("search");
    assert_eq!(plain.total, 30);
    assert_eq!(plain.total, quoted.total);
    assert!(plain.searched.is_none() && plain.ignored.is_empty());
    let ids = |r: &zhenggai::search::SearchResults| {
        r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&plain), ids(&quoted));

    let r = e.search(&SearchRequest::new("医共体问题")).expect("search");
    assert_eq!(r.searched.as_deref(), Some("医共体"));
    assert_eq!(r.ignored, ["问题"]);
    assert_eq!(r.total, 8);
    assert!(!r.partial);
}

#[test]
fn a_question_of_filler_words_only_is_searched_as_written() {
    let e = seeds_engine();
    let r = e
        .search(&SearchRequest::new("有哪些整改措施"))
        .expect("search");
    assert_eq!(r.total, 0);
    assert!(r.ignored.is_empty());
    // 整改 alone is what it says.
    let r = e.search(&exact("整改")).expect("search");
    assert!(r.ignored.is_empty());
    assert_eq!(r.total, truth("整改").len());
}

/// A notice of 青禾市 agency `agency` dated `date` (`YYYY年M月D日`) with the given
/// problems (title, measures without closing punctuation) and a closing plan
/// paragraph.
fn notice(agency: &str, date: &str, problems: &[(&str, &[&str])], plan: &str) -> String {
    let mut s = format!(
        "中共青禾市{agency}党组关于市委巡察整改进展情况的通报\n\n\
         根据市委统一部署，市委第一巡察组对市{agency}党组开展了常规巡察。现将巡察整改进展情况予以公布。\n\n\
         一、巡察反馈问题整改落实情况\n\n（一）关于全面从严治党方面的问题\n"
    );
    s.push_str("1.制度执行方面\n");
    for (i, (title, measures)) in problems.iter().enumerate() {
        let ordinals = ["一是", "二是", "三是"];
        let ms: Vec<String> = measures
            .iter()
            .zip(ordinals)
            .map(|(m, o)| format!("{o}{m}"))
            .collect();
        s.push_str(&format!("（{}）{title}。{}。\n", i + 1, ms.join("；")));
    }
    s.push_str(&format!(
        "\n二、下一步工作打算\n\n{plan}\n\n中共青禾市{agency}党组\n{date}\n"
    ));
    s
}

#[test]
fn measures_on_the_problem_rank_first_then_newer_notices() {
    let older = notice(
        "档案局",
        "2023年3月1日",
        &[
            (
                "公务用车管理不规范",
                &["修订车辆管理制度，建立派车登记台账，每月公示用车情况"],
            ),
            (
                "财务报销审核不严",
                &["规范差旅费、公务用车运行费等报销审核流程，逐笔核对票据"],
            ),
            ("制度执行不够严格", &["严格执行公务用车管理制度"]),
        ],
        "严格执行公务用车管理制度。",
    );
    let newer = notice(
        "气象局",
        "2024年5月6日",
        &[("制度执行不够严格", &["严格执行公务用车管理制度"])],
        "持续巩固整改成果。",
    );
    // The older notice's file comes first by name.
    let dir = common::corpus(&[("a.txt", &older), ("b.txt", &newer)]);
    let index = common::build_index(dir.path());
    let e = Engine::open(index.path()).expect("opens");
    let mut req = exact("公务用车");
    req.limit = 100;
    let hits = e.search(&req).expect("search").hits;
    let show: Vec<(String, String, String, String)> = hits
        .iter()
        .map(|h| {
            (
                h.kind.clone(),
                h.agency_short.clone(),
                h.problem.clone(),
                h.measure.clone(),
            )
        })
        .collect();
    assert_eq!(hits.len(), 5, "{show:#?}");
    // The measure whose problem is about official cars first, though its text
    // does not name them.
    assert_eq!(hits[0].problem, "公务用车管理不规范", "{show:#?}");
    // The same measure in two notices: the newer notice first, though its file
    // comes second.
    let same: Vec<&str> = hits
        .iter()
        .filter(|h| h.measure == "严格执行公务用车管理制度。")
        .map(|h| h.kind.as_str())
        .collect();
    assert_eq!(same, ["measure", "measure", "paragraph"], "{show:#?}");
    let first_same = hits
        .iter()
        .position(|h| h.measure == "严格执行公务用车管理制度。")
        .expect("found");
    assert_eq!(hits[first_same].published, "2024-05-06", "{show:#?}");
    assert_eq!(hits[first_same + 1].published, "2023-03-01", "{show:#?}");
    // The plan paragraph of the same words after both measures, weighed down.
    assert_eq!(hits[3].kind, "paragraph", "{show:#?}");
    assert!(hits[3].score <= hits[2].score);
    // The measure naming official cars in passing, in a longer text, last.
    assert_eq!(hits[4].problem, "财务报销审核不严", "{show:#?}");
}
