//! Asking again gives the same answer. A search keeps what it prepared and found
//! (literals, words' scored documents, whole words once asked for a second time:
//! `search::kept`); the first, second and third time a request is asked, and after
//! everything kept is forgotten, its total, facets, hits, their order and scores
//! are the same, on the seeds and on a generated corpus of several segments.

mod common;

use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest, SearchResults, Sort};

fn requests() -> Vec<SearchRequest> {
    let q = |s: &str| {
        let mut r = SearchRequest::new(s);
        r.facets = true;
        r
    };
    let mut out: Vec<SearchRequest> = [
        "医共体",
        "整改",
        "巡察整改",
        "公车 OR 公务用车",
        "医共体 -医联体",
        "\"家庭医生签约\"",
        "医共体建设",
        "怎么整改医共体的问题",
        "哪些单位整改了公务用车问题",
        "(医保 OR 医疗) 基金",
    ]
    .into_iter()
    .map(q)
    .collect();
    let mut r = q("医共体");
    r.status = vec![Status::Completed];
    out.push(r);
    let mut r = q("整改");
    r.sort = Sort::Date;
    r.offset = 10;
    r.limit = 20;
    out.push(r);
    let mut r = q("整改");
    r.level = Some("县".into());
    r.offset = 5;
    out.push(r);
    let mut r = q("医院");
    r.exact = true;
    out.push(r);
    let mut r = q("医共体");
    r.agency = Some("卫生健康,怀化".into());
    r.since = Some("2020".into());
    out.push(r);
    let mut r = q("");
    r.status = vec![Status::InProgress, Status::Completed];
    r.measures_only = true;
    out.push(r);
    let mut r = q("整改");
    r.category = Some("医疗".into());
    r.all_copies = true;
    out.push(r);
    out
}

/// What must not change between two askings: scores to the bit.
fn same(a: &SearchResults, b: &SearchResults, what: &str) {
    assert_eq!(a.total, b.total, "{what}: total");
    let facets = |r: &SearchResults| serde_json::to_value(&r.facets).expect("json");
    assert_eq!(facets(a), facets(b), "{what}: facets");
    assert_eq!(a.partial, b.partial, "{what}: partial");
    let ids = |r: &SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(a), ids(b), "{what}: hits");
    for (x, y) in a.hits.iter().zip(&b.hits) {
        assert_eq!(
            x.score.to_bits(),
            y.score.to_bits(),
            "{what}: {} scored {} then {}",
            x.id,
            x.score,
            y.score
        );
    }
}

fn check(engine: &Engine) {
    let mut found = 0;
    for req in requests() {
        let what = format!("{:?}", req.query);
        let first = engine.search(&req).expect("search");
        found += usize::from(first.total > 0);
        for time in ["second", "third", "fourth"] {
            let again = engine.search(&req).expect("search");
            same(&first, &again, &format!("{what}, {time} time"));
        }
        engine.forget_kept();
        let anew = engine.search(&req).expect("search");
        same(&first, &anew, &format!("{what}, after forgetting"));
    }
    // The requests find something: the comparisons compare hits.
    assert!(found >= 10, "only {found} requests found anything");
}

#[test]
fn asking_again_gives_the_same_answer_on_the_seeds() {
    let dir = common::build_index(&common::seeds());
    check(&Engine::open(dir.path()).expect("opens"));
}

#[test]
fn asking_again_gives_the_same_answer_on_a_generated_corpus() {
    let (_corpus, dir) = common::generated_index(11, 3_000_000);
    let engine = Engine::open(dir.path()).expect("opens");
    assert!(
        engine
            .index()
            .searchable_segment_ids()
            .expect("segments")
            .len()
            > 1
    );
    check(&engine);
}

/// How a word is cut can depend on the rest of the query (the query's segmenter
/// knows the dictionary words of its whole text: next to 巡察整改, “巡察 整改” is cut
/// as one word). A word asked for within another query does not change its answer
/// when asked alone.
#[test]
fn a_word_asked_within_another_query_keeps_its_own_answer() {
    let dir = common::build_index(&common::seeds());
    let engine = Engine::open(dir.path()).expect("opens");
    for (alone, within) in [
        ("\"巡察 整改\"", "\"巡察 整改\" 巡察整改"),
        ("整改落實", "整改落實 | 整改落实"),
    ] {
        let ask = |q: &str| {
            let mut r = SearchRequest::new(q);
            r.exact = true;
            engine.search(&r).expect("search")
        };
        engine.forget_kept();
        let first = ask(alone);
        assert!(first.total > 0, "{alone}");
        for _ in 0..3 {
            ask(within);
        }
        for time in ["after", "again after"] {
            same(&first, &ask(alone), &format!("{alone}, {time} {within}"));
        }
    }
}
