//! Facets counted from the columns in the search pass give what tantivy's
//! aggregations (how they were counted before) give, on the seeds and on a generated
//! corpus of several hundred notices, for plain, boolean, filtered and empty queries.

mod common;

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use zhenggai::notice::Status;
use zhenggai::search::{Engine, FacetCounts, Facets, SearchRequest, Sort};

/// The facets of `req` as terms and histogram aggregations count them.
fn by_aggregation(engine: &Engine, req: &SearchRequest) -> Facets {
    let (q, _) = engine.build_query(req).expect("query");
    let searcher = engine.index().reader().expect("reader").searcher();
    let aggs: Aggregations = serde_json::from_value(serde_json::json!({
        "agency": {"terms": {"field": "agency_short", "size": 50, "missing": ""}},
        "status": {"terms": {"field": "status", "size": 10}},
        "level": {"terms": {"field": "level", "size": 5}},
        "year": {"histogram": {"field": "date", "interval": 10000, "min_doc_count": 1}},
    }))
    .expect("aggregations");
    let collector = AggregationCollector::from_aggs(aggs, Default::default());
    let v =
        serde_json::to_value(searcher.search(&q, &collector).expect("aggregate")).expect("json");
    let buckets = |name: &str| -> FacetCounts {
        v[name]["buckets"]
            .as_array()
            .expect("buckets")
            .iter()
            .map(|x| {
                let n = x["doc_count"].as_u64().expect("count");
                let key = match &x["key"] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(k) => {
                        let y = k.as_f64().expect("number") as u64 / 10000;
                        if y == 0 {
                            String::new()
                        } else {
                            y.to_string()
                        }
                    }
                    other => panic!("key {other}"),
                };
                (key, n)
            })
            .collect()
    };
    let mut year = buckets("year");
    year.reverse();
    Facets {
        agency: buckets("agency"),
        status: buckets("status"),
        level: buckets("level"),
        year,
    }
}

fn requests() -> Vec<SearchRequest> {
    let q = SearchRequest::new;
    let mut out: Vec<SearchRequest> = [
        "医共体",
        "整改",
        "巡察整改",
        "公车 OR 公务用车",
        "医共体 -医联体",
        "\"家庭医生签约\"",
        "问题",
        "不存在的词语组合",
    ]
    .into_iter()
    .map(q)
    .collect();
    let mut r = q("整改");
    r.status = vec![Status::Completed];
    out.push(r);
    let mut r = q("");
    r.level = Some("县".into());
    out.push(r);
    let mut r = q("");
    r.since = Some("2020".into());
    r.sort = Sort::Date;
    out.push(r);
    let mut r = q("整改");
    r.measures_only = true;
    r.limit = 0;
    out.push(r);
    let mut r = q("落实");
    r.offset = zhenggai::search::MAX_WINDOW;
    out.push(r);
    out
}

fn check(engine: &Engine) {
    for mut req in requests() {
        req.facets = true;
        let Ok(got) = engine.search(&req) else {
            // Past the window with more hits than that: an error either way.
            continue;
        };
        let want = by_aggregation(engine, &req);
        let got = got.facets.expect("facets asked for");
        assert_eq!(got.agency, want.agency, "agency of {:?}", req.query);
        assert_eq!(got.status, want.status, "status of {:?}", req.query);
        assert_eq!(got.level, want.level, "level of {:?}", req.query);
        assert_eq!(got.year, want.year, "year of {:?}", req.query);
        req.facets = false;
        assert!(engine.search(&req).expect("search").facets.is_none());
    }
}

#[test]
fn facets_match_the_aggregations_on_the_seeds() {
    let dir = common::build_index(&common::seeds());
    check(&Engine::open(dir.path()).expect("opens"));
}

#[test]
fn facets_match_the_aggregations_on_a_generated_corpus() {
    let (_corpus, dir) = common::generated_index(7, 3_000_000);
    let engine = Engine::open(dir.path()).expect("opens");
    assert!(
        engine
            .index()
            .searchable_segment_ids()
            .expect("segments")
            .len()
            > 1
            || engine.manifest().files.len() > 100,
        "a corpus large enough to matter"
    );
    check(&engine);
}
