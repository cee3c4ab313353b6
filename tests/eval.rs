//! The evaluation set (tests/eval/questions.json): questions as users ask them over
//! the seed notices, with the records that answer each judged by hand. Reports P@5
//! and nDCG@10 and fails when either falls below the floor the file records.
//!
//! `cargo test --release --test eval -- --nocapture` prints the figures per question.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest};

#[derive(Debug, Deserialize)]
struct Floors {
    p_at_5: f64,
    ndcg_at_10: f64,
}

#[derive(Debug, Deserialize)]
struct Question {
    asked: String,
    query: String,
    #[serde(default)]
    agency: Option<String>,
    #[serde(default)]
    status: Vec<String>,
    #[serde(default)]
    since: Option<String>,
    #[serde(default)]
    until: Option<String>,
    relevant: BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize)]
struct Set {
    floors: Floors,
    questions: Vec<Question>,
}

fn load() -> Set {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/questions.json");
    let text = std::fs::read_to_string(&path).expect("questions.json");
    serde_json::from_str(&text).expect("questions.json parses")
}

/// Share of the first five hits that are relevant (grade 1 or 2).
fn precision_at_5(ranked: &[String], judged: &BTreeMap<String, u32>) -> f64 {
    let good = ranked
        .iter()
        .take(5)
        .filter(|id| judged.get(*id).is_some_and(|&g| g > 0))
        .count();
    good as f64 / 5.0
}

/// nDCG over the first ten hits, gain 2^grade - 1, against the best order of every
/// judged record.
fn ndcg_at_10(ranked: &[String], judged: &BTreeMap<String, u32>) -> f64 {
    let gain = |g: u32| f64::from((1u32 << g) - 1);
    let dcg = |grades: &mut dyn Iterator<Item = u32>| -> f64 {
        grades
            .take(10)
            .enumerate()
            .map(|(i, g)| gain(g) / ((i + 2) as f64).log2())
            .sum()
    };
    let got = dcg(&mut ranked.iter().map(|id| judged.get(id).copied().unwrap_or(0)));
    let mut best: Vec<u32> = judged.values().copied().collect();
    best.sort_unstable_by(|a, b| b.cmp(a));
    let ideal = dcg(&mut best.into_iter());
    if ideal == 0.0 {
        0.0
    } else {
        got / ideal
    }
}

#[test]
fn metrics_of_known_rankings() {
    let judged: BTreeMap<String, u32> = [("a", 2), ("b", 1)]
        .into_iter()
        .map(|(k, g)| (k.to_string(), g))
        .collect();
    let r = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(precision_at_5(&r(&["a", "x", "b"]), &judged), 0.4);
    assert_eq!(ndcg_at_10(&r(&["a", "b"]), &judged), 1.0);
    assert_eq!(ndcg_at_10(&r(&["x"]), &judged), 0.0);
    let swapped = ndcg_at_10(&r(&["b", "a"]), &judged);
    assert!(swapped < 1.0 && swapped > 0.5, "{swapped}");
}

#[test]
fn evaluation_set_stays_above_its_floors() {
    let set = load();
    assert!(
        set.questions.len() >= 30,
        "{} questions",
        set.questions.len()
    );
    let dir = common::build_index(&common::seeds());
    let engine = Engine::open(dir.path()).expect("opens");
    // Every judged id is a record of the seeds.
    let mut unknown = BTreeSet::new();
    for q in &set.questions {
        for id in q.relevant.keys() {
            if engine.get(id).is_err() {
                unknown.insert(id.clone());
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "judged ids not in the seeds: {unknown:?}"
    );
    let (mut p5, mut ndcg) = (0.0, 0.0);
    println!("{:>5} {:>7}  question", "P@5", "nDCG@10");
    for q in &set.questions {
        let mut req = SearchRequest::new(q.query.clone());
        req.agency = q.agency.clone();
        req.since = q.since.clone();
        req.until = q.until.clone();
        for s in &q.status {
            req.status
                .extend(Status::parse_user(s).expect("known status"));
        }
        req.limit = 10;
        let ranked: Vec<String> = engine
            .search(&req)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        let (a, b) = (
            precision_at_5(&ranked, &q.relevant),
            ndcg_at_10(&ranked, &q.relevant),
        );
        println!("{a:>5.2} {b:>7.3}  {}", q.asked);
        p5 += a;
        ndcg += b;
    }
    let n = set.questions.len() as f64;
    let (p5, ndcg) = (p5 / n, ndcg / n);
    println!("mean P@5 {p5:.3}, nDCG@10 {ndcg:.3} over {n} questions");
    assert!(
        p5 >= set.floors.p_at_5,
        "P@5 {p5:.3} below the floor {}",
        set.floors.p_at_5
    );
    assert!(
        ndcg >= set.floors.ndcg_at_10,
        "nDCG@10 {ndcg:.3} below the floor {}",
        set.floors.ndcg_at_10
    );
}
