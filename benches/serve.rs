//! Served queries: latency and throughput of `Engine::search` in process and of
//! `GET /api/search` through `zhenggai serve`, alone and under 16 concurrent clients,
//! on the generated 100 MB index (built once under `$ZHENGGAI_BENCH_DIR`, as
//! `benches/query.rs` does).
//!
//! In process the queries are measured three ways: as they come (a query asked
//! before finds what it prepared and found kept: literals' documents, words'
//! scored documents, [`zhenggai::search::kept`]), with facets (what the page asks),
//! and with facets after forgetting everything kept before each query, outside the
//! timed part (a query never asked before, as while typing; under 16 clients one
//! client's forgetting also makes the others' queries new).
//!
//! Run: `CARGO_TARGET_DIR=/tmp/bench-target cargo bench --bench serve`.
//! `ZHENGGAI_BENCH_REPS` (default 200) runs per query alone; 16 clients send the
//! whole query mix `REPS / 4` times each.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest};

use common::*;

const CLIENTS: usize = 16;

/// (label, request, the same request as a query string).
fn queries() -> Vec<(&'static str, SearchRequest, String)> {
    let q = |s: &str| SearchRequest::new(s);
    let mut out = Vec::new();
    let mut add =
        |label: &'static str, r: SearchRequest, qs: &str| out.push((label, r, qs.to_string()));
    add("医共体", q("医共体"), "q=%E5%8C%BB%E5%85%B1%E4%BD%93");
    add(
        "公务用车",
        q("公务用车"),
        "q=%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6",
    );
    add(
        "第一议题",
        q("第一议题"),
        "q=%E7%AC%AC%E4%B8%80%E8%AE%AE%E9%A2%98",
    );
    add("整改", q("整改"), "q=%E6%95%B4%E6%94%B9");
    add(
        "巡察整改",
        q("巡察整改"),
        "q=%E5%B7%A1%E5%AF%9F%E6%95%B4%E6%94%B9",
    );
    add(
        "\"家庭医生签约\"",
        q("\"家庭医生签约\""),
        "q=%22%E5%AE%B6%E5%BA%AD%E5%8C%BB%E7%94%9F%E7%AD%BE%E7%BA%A6%22",
    );
    add(
        "医共体建设",
        q("医共体建设"),
        "q=%E5%8C%BB%E5%85%B1%E4%BD%93%E5%BB%BA%E8%AE%BE",
    );
    add(
        "医共体 -医联体",
        q("医共体 -医联体"),
        "q=%E5%8C%BB%E5%85%B1%E4%BD%93+-%E5%8C%BB%E8%81%94%E4%BD%93",
    );
    add(
        "公车 OR 公务用车",
        q("公车 OR 公务用车"),
        "q=%E5%85%AC%E8%BD%A6+OR+%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6",
    );
    let mut r = q("医共体");
    r.status = vec![Status::Completed];
    add(
        "医共体 status=已完成",
        r,
        "q=%E5%8C%BB%E5%85%B1%E4%BD%93&status=completed",
    );
    let mut r = q("医共体");
    r.agency = Some("怀化".into());
    add(
        "医共体 agency=怀化",
        r,
        "q=%E5%8C%BB%E5%85%B1%E4%BD%93&agency=%E6%80%80%E5%8C%96",
    );
    let mut r = q("公务用车");
    r.level = Some("县".into());
    add(
        "公务用车 level=县",
        r,
        "q=%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6&level=%E5%8E%BF",
    );
    out
}

fn reps() -> usize {
    std::env::var("ZHENGGAI_BENCH_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if test_mode() { 5 } else { 200 })
}

struct Stats {
    p50: f64,
    p99: f64,
    max: f64,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    Stats {
        p50: ms(percentile(&v, 50.0)),
        p99: ms(percentile(&v, 99.0)),
        max: ms(v.last().copied().unwrap_or_default()),
    }
}

fn http_get(addr: SocketAddr, target: &str) -> usize {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_nodelay(true).ok();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read");
    assert!(
        buf.starts_with(b"HTTP/1.1 200"),
        "{target}: {}",
        String::from_utf8_lossy(&buf[..buf.len().min(300)])
    );
    buf.len()
}

/// Runs `work(query index)` alone `reps` times per query, then from 16 threads, each
/// going through the mix `rounds` times; prints per-query p50/p99 alone and under
/// load, and the overall throughput under load.
fn measure(
    title: &str,
    n: usize,
    labels: &[&str],
    reps: usize,
    before: Option<Arc<dyn Fn() + Send + Sync>>,
    work: Arc<dyn Fn(usize) + Send + Sync>,
) {
    let before = move || {
        if let Some(f) = &before {
            f();
        }
    };
    for i in 0..n {
        for _ in 0..3 {
            work(i);
        }
    }
    let mut alone = vec![Vec::new(); n];
    let t = Instant::now();
    for _ in 0..reps {
        for (i, v) in alone.iter_mut().enumerate() {
            before();
            let s = Instant::now();
            work(i);
            v.push(s.elapsed());
        }
    }
    let alone_rps = (reps * n) as f64 / t.elapsed().as_secs_f64();
    let rounds = (reps / 4).max(1);
    let t = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let work = Arc::clone(&work);
            let before = before.clone();
            std::thread::spawn(move || {
                let mut got = vec![Vec::new(); n];
                for r in 0..rounds {
                    for k in 0..n {
                        let i = (k + c + r) % n;
                        before();
                        let s = Instant::now();
                        work(i);
                        got[i].push(s.elapsed());
                    }
                }
                got
            })
        })
        .collect();
    let mut loaded = vec![Vec::new(); n];
    for t in threads {
        for (i, v) in t.join().expect("client").into_iter().enumerate() {
            loaded[i].extend(v);
        }
    }
    let wall = t.elapsed();
    let loaded_rps = (CLIENTS * rounds * n) as f64 / wall.as_secs_f64();
    println!("\n### {title}\n");
    println!("| query | alone p50 ms | alone p99 ms | alone max ms | 16 clients p50 ms | 16 clients p99 ms | 16 clients max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut all_alone = Vec::new();
    let mut all_loaded = Vec::new();
    for i in 0..n {
        let a = stats(alone[i].clone());
        let l = stats(loaded[i].clone());
        all_alone.extend(alone[i].iter().copied());
        all_loaded.extend(loaded[i].iter().copied());
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            labels[i], a.p50, a.p99, a.max, l.p50, l.p99, l.max
        );
    }
    let a = stats(all_alone);
    let l = stats(all_loaded);
    println!(
        "| **all** | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
        a.p50, a.p99, a.max, l.p50, l.p99, l.max
    );
    println!(
        "\nthroughput: {alone_rps:.0} requests/s alone (one client), {loaded_rps:.0} requests/s with {CLIENTS} clients ({} requests in {:.2} s)",
        CLIENTS * rounds * n,
        wall.as_secs_f64()
    );
}

fn main() {
    let mb = corpus_sizes_mb().first().copied().unwrap_or(100);
    let corpus = generated_corpus(mb);
    let index = bench_root().join(format!("index-notices-{mb}mb"));
    ensure_index(&corpus, &index);
    println!(
        "served queries on {} ({})",
        index.display(),
        machine_summary()
    );
    println!("commit {}, load average {}", git_commit(), load_average());
    let qs = queries();
    let labels: Vec<&str> = qs.iter().map(|q| q.0).collect();
    let reps = reps();

    let engine = Arc::new(Engine::open(&index).expect("open index"));
    for (label, r, _) in &qs {
        let total = engine.search(r).expect("search").total;
        println!("{label}: {total} hits");
    }
    let reqs: Arc<Vec<SearchRequest>> = Arc::new(qs.iter().map(|q| q.1.clone()).collect());
    {
        let (e, r) = (Arc::clone(&engine), Arc::clone(&reqs));
        measure(
            "in process, Engine::search, limit 10",
            qs.len(),
            &labels,
            reps,
            None,
            Arc::new(move |i| {
                std::hint::black_box(e.search(&r[i]).expect("search"));
            }),
        );
    }
    {
        let (e, r) = (Arc::clone(&engine), Arc::clone(&reqs));
        measure(
            "in process, Engine::search, limit 10, with facets (what the page asks)",
            qs.len(),
            &labels,
            reps,
            None,
            Arc::new(move |i| {
                let mut req = r[i].clone();
                req.facets = true;
                std::hint::black_box(e.search(&req).expect("search"));
            }),
        );
    }
    {
        let (e, r) = (Arc::clone(&engine), Arc::clone(&reqs));
        let forget = Arc::clone(&engine);
        measure(
            "in process, Engine::search, limit 10, with facets, everything kept forgotten before each query, untimed (queries never asked before)",
            qs.len(),
            &labels,
            reps,
            Some(Arc::new(move || forget.forget_kept())),
            Arc::new(move |i| {
                let mut req = r[i].clone();
                req.facets = true;
                std::hint::black_box(e.search(&req).expect("search"));
            }),
        );
    }
    println!(
        "\nload average after the in-process runs {}",
        load_average()
    );
    drop(engine);
    let server = zhenggai::serve::Server::start(&index, "127.0.0.1:0".parse().expect("addr"))
        .expect("server");
    let addr = server.addr();
    for (facets, title) in [
        (
            "",
            "HTTP, GET /api/search (limit 10), new connection per request",
        ),
        (
            "&facets=true",
            "HTTP, GET /api/search (limit 10, facets=true: what the page asks)",
        ),
    ] {
        let targets: Arc<Vec<String>> = Arc::new(
            qs.iter()
                .map(|q| format!("/api/search?{}{facets}", q.2))
                .collect(),
        );
        measure(
            title,
            qs.len(),
            &labels,
            reps,
            None,
            Arc::new(move |i| {
                std::hint::black_box(http_get(addr, &targets[i]));
            }),
        );
    }
    server.stop();
    println!("\nload average at the end {}", load_average());
}
