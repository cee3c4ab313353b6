//! Query latency.
//!
//! 1. In process, on the index of the generated notice corpus (the first size of
//!    `ZHENGGAI_BENCH_MB`, default 100 MB; built once and reused): p50/p99/max over
//!    `ZHENGGAI_BENCH_REPS` (default 200) runs of `Engine::search` for single terms,
//!    phrases, boolean queries, filtered queries and queries with facets.
//!    Each query is repeated: after the warm-up runs what it prepared and found is
//!    kept (literals' documents, its words' scored documents and its filters' records:
//!    [`zhenggai::search::kept`]); `benches/serve.rs` also measures queries never
//!    asked before.
//! 2. Whole process: `zhenggai --index DIR search 医共体` on an index of `seeds/`, and
//!    on the generated index, ~20 runs each, median wall clock.
//! 3. criterion, for two representative queries.
//!
//! Run: `CARGO_TARGET_DIR=/tmp/bench-target cargo bench --bench query`.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest};

use common::*;

/// In-process p99 targets (ms): single terms and phrases; facets (what the search
/// page asks: as fast as without them, issue 14).
const TARGET_P99_MS: f64 = 10.0;
const TARGET_P99_FACETS_MS: f64 = 10.0;
/// Whole-process `zhenggai search 医共体` on the seeds index (ms).
const TARGET_PROCESS_MS: f64 = 50.0;

struct Case {
    kind: &'static str,
    label: &'static str,
    req: SearchRequest,
    target_ms: Option<f64>,
}

fn cases() -> Vec<Case> {
    fn q(query: &str) -> SearchRequest {
        SearchRequest::new(query)
    }
    fn with(query: &str, f: &dyn Fn(&mut SearchRequest)) -> SearchRequest {
        let mut r = q(query);
        f(&mut r);
        r
    }
    let single = Some(TARGET_P99_MS);
    let facets = Some(TARGET_P99_FACETS_MS);
    vec![
        Case {
            kind: "term",
            label: "医共体",
            req: q("医共体"),
            target_ms: single,
        },
        Case {
            kind: "term",
            label: "公务用车",
            req: q("公务用车"),
            target_ms: single,
        },
        Case {
            kind: "term",
            label: "第一议题",
            req: q("第一议题"),
            target_ms: single,
        },
        Case {
            kind: "term",
            label: "整改",
            req: q("整改"),
            target_ms: single,
        },
        Case {
            kind: "phrase",
            label: "\"家庭医生签约\"",
            req: q("\"家庭医生签约\""),
            target_ms: single,
        },
        Case {
            kind: "phrase",
            label: "巡察整改 (frequent)",
            req: q("巡察整改"),
            target_ms: single,
        },
        Case {
            kind: "phrase",
            label: "医共体建设",
            req: q("医共体建设"),
            target_ms: single,
        },
        Case {
            kind: "boolean",
            label: "医共体 -医联体",
            req: q("医共体 -医联体"),
            target_ms: None,
        },
        Case {
            kind: "boolean",
            label: "公车 OR 公务用车",
            req: q("公车 OR 公务用车"),
            target_ms: None,
        },
        Case {
            kind: "filter",
            label: "医共体 --status 已完成",
            req: with("医共体", &|r| r.status = vec![Status::Completed]),
            target_ms: None,
        },
        Case {
            kind: "filter",
            label: "医共体 --agency 怀化",
            req: with("医共体", &|r| r.agency = Some("怀化".into())),
            target_ms: None,
        },
        Case {
            kind: "filter",
            label: "公务用车 --level 县",
            req: with("公务用车", &|r| r.level = Some("县".into())),
            target_ms: None,
        },
        Case {
            kind: "filter",
            label: "第一议题 --since 2023",
            req: with("第一议题", &|r| r.since = Some("2023".into())),
            target_ms: None,
        },
        Case {
            kind: "facets",
            label: "医共体 --facets",
            req: with("医共体", &|r| r.facets = true),
            target_ms: facets,
        },
        Case {
            kind: "facets",
            label: "整改 --facets",
            req: with("整改", &|r| r.facets = true),
            target_ms: facets,
        },
        Case {
            kind: "facets",
            label: "巡察整改 --facets",
            req: with("巡察整改", &|r| r.facets = true),
            target_ms: facets,
        },
        Case {
            kind: "facets",
            label: "公务用车 --level 县 --facets",
            req: with("公务用车", &|r| {
                r.level = Some("县".into());
                r.facets = true;
            }),
            target_ms: facets,
        },
    ]
}

struct Latency {
    hits: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
    mean: Duration,
}

fn measure(engine: &Engine, req: &SearchRequest, reps: usize) -> Latency {
    let mut hits = 0;
    for _ in 0..5.min(reps) {
        hits = engine.search(req).expect("search").total;
    }
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        let r = engine.search(black_box(req)).expect("search");
        times.push(t.elapsed());
        black_box(r);
    }
    times.sort();
    let sum: Duration = times.iter().sum();
    Latency {
        hits,
        p50: percentile(&times, 50.0),
        p99: percentile(&times, 99.0),
        max: *times.last().unwrap_or(&Duration::ZERO),
        mean: sum / times.len().max(1) as u32,
    }
}

/// Median, min and max wall clock of `zhenggai --index INDEX search QUERY` over `runs`
/// runs (after two warm-up runs), and the hit exit code of the last.
fn process_search(index: &Path, query: &str, runs: usize) -> (Duration, Duration, Duration) {
    let args = [
        "--index".as_ref(),
        index.as_os_str(),
        "search".as_ref(),
        query.as_ref(),
    ];
    for _ in 0..2 {
        let r = run_measured(&args, false);
        assert_eq!(r.code, Some(0), "zhenggai search {query}: {}", r.stderr);
    }
    let mut times: Vec<Duration> = (0..runs).map(|_| run_measured(&args, false).wall).collect();
    times.sort();
    (percentile(&times, 50.0), times[0], times[times.len() - 1])
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let reps: usize = std::env::var("ZHENGGAI_BENCH_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if test_mode() { 5 } else { 200 });
    let runs = if test_mode() { 3 } else { 20 };

    let mb = corpus_sizes_mb()[0];
    let corpus = generated_corpus(mb);
    let big = bench_root().join(format!("index-notices-{mb}mb"));
    ensure_index(&corpus, &big);
    let seeds = bench_root().join("index-seeds");
    ensure_index(&seeds_dir(), &seeds);

    let t = Instant::now();
    let engine = Engine::open(&big).expect("open index");
    let open_ms = ms(t.elapsed());
    let records = engine.manifest().records();

    // criterion: two representative queries.
    {
        let mut g = c.benchmark_group(format!("query_{mb}MB"));
        g.sample_size(50);
        g.warm_up_time(Duration::from_secs(1));
        g.measurement_time(Duration::from_secs(3));
        let plain = SearchRequest::new("医共体");
        let mut faceted = SearchRequest::new("医共体");
        faceted.facets = true;
        g.bench_function("医共体", |b| {
            b.iter(|| engine.search(black_box(&plain)).unwrap())
        });
        g.bench_function("医共体_facets", |b| {
            b.iter(|| engine.search(black_box(&faceted)).unwrap())
        });
        g.finish();
    }
    c.final_summary();

    let results: Vec<(Case, Latency)> = cases()
        .into_iter()
        .map(|case| {
            let l = measure(&engine, &case.req, reps);
            (case, l)
        })
        .collect();

    let (seeds_med, seeds_min, seeds_max) = process_search(&seeds, "医共体", runs);
    let (big_med, big_min, big_max) = process_search(&big, "医共体", runs);

    println!();
    println!(
        "== 检索延迟 query latency, in process, {mb} MB generated index ({records} records, opened in {open_ms:.0} ms), {reps} runs each, limit 10 =="
    );
    println!("{}", machine_summary());
    println!(
        "{:<8} {:<30} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8}  verdict",
        "kind", "query", "hits", "p50 ms", "p99 ms", "max ms", "mean ms", "target"
    );
    for (case, l) in &results {
        let (target, verdict) = match case.target_ms {
            Some(t) if ms(l.p99) < t => (format!("<{t:.0}"), "met"),
            Some(t) => (format!("<{t:.0}"), "NOT met"),
            None => ("-".to_string(), ""),
        };
        // Pad by chars, not bytes: the labels are mostly CJK (two columns wide).
        let width = case
            .label
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>();
        let pad = " ".repeat(30usize.saturating_sub(width));
        println!(
            "{:<8} {}{pad} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8}  {verdict}",
            case.kind,
            case.label,
            l.hits,
            ms(l.p50),
            ms(l.p99),
            ms(l.max),
            ms(l.mean),
            target,
        );
    }
    println!();
    println!("== 整个进程 whole process `zhenggai --index DIR search 医共体`, {runs} runs (stdout to /dev/null) ==");
    let verdict = if ms(seeds_med) < TARGET_PROCESS_MS {
        "met"
    } else {
        "NOT met"
    };
    println!(
        "{:<16} median {:>6.1} ms (min {:.1}, max {:.1}); target < {TARGET_PROCESS_MS:.0} ms: {verdict}",
        "seeds index",
        ms(seeds_med),
        ms(seeds_min),
        ms(seeds_max)
    );
    println!(
        "{:<16} median {:>6.1} ms (min {:.1}, max {:.1})",
        format!("{mb} MB index"),
        ms(big_med),
        ms(big_min),
        ms(big_max)
    );
    println!("load average after the run: {}", load_average());
    println!();
}
