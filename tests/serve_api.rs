//! The HTTP API against a real server on a loopback port: every endpoint, bad
//! parameters, unknown ids, escaping, reload after `index`, and 200 requests at once.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;
use zhenggai::serve::Server;

/// The seeds indexed under their relative path `seeds/…`, so that record ids are the
/// ones the command line gives (`07a3a92e-29`), and a server on it for the whole binary.
fn seeds_server() -> SocketAddr {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let dir = DIR.get_or_init(|| {
                let dir = tempfile::tempdir().expect("tempdir");
                let opts = zhenggai::index::BuildOptions::new(Path::new("seeds"), dir.path());
                zhenggai::index::build(&opts, &mut |_| {}).expect("index builds");
                dir
            });
            Server::start(dir.path(), "127.0.0.1:0".parse().expect("addr")).expect("starts")
        })
        .addr()
}

/// A response: status, lower-cased headers, body.
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One HTTP/1.1 GET, connection closed after the answer.
fn get(addr: SocketAddr, target: &str) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("reads");
    let text = String::from_utf8(raw).expect("utf-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_string(),
    }
}

fn search(addr: SocketAddr, params: &str) -> Value {
    let r = get(addr, &format!("/api/search?{params}"));
    assert_eq!(r.status, 200, "{params}: {}", r.body);
    r.json()
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn health_counts_the_index() {
    let addr = seeds_server();
    let r = get(addr, "/api/health");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let v = r.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["files"], 5);
    assert_eq!(v["notices"], 5);
    assert_eq!(v["records"], 463);
}

#[test]
fn search_answers_like_the_command_line() {
    let addr = seeds_server();
    let v = search(addr, &format!("q={}&limit=3&facets=true", enc("医共体")));
    assert_eq!(v["total"], 8);
    assert_eq!(v["offset"], 0);
    assert_eq!(v["limit"], 3);
    assert_eq!(ids(&v), ["07a3a92e-29", "da269975-29", "24828685-9"]);
    let hit = &v["hits"][0];
    // Every field of `search --json`.
    for key in [
        "id",
        "score",
        "kind",
        "agency",
        "agency_short",
        "region",
        "level",
        "published",
        "category",
        "item",
        "problem",
        "problem_n",
        "measure_n",
        "status",
        "status_text",
        "deadline",
        "measure",
        "highlights",
        "source",
        "line",
        "title",
        "inspection",
    ] {
        assert!(hit.get(key).is_some(), "hit has {key}");
    }
    assert_eq!(hit["agency_short"], "汕尾市卫生健康局");
    assert_eq!(hit["problem"], "医联体建设滞后");
    assert_eq!(hit["source"], "seeds/000_3089e93c6afc7ecc.txt");
    assert_eq!(hit["line"], 18);
    assert_eq!(hit["highlights"][0], serde_json::json!([4, 7]));
    let f = &v["facets"];
    assert_eq!(
        f["agency"],
        serde_json::json!([
            ["闽清县卫生健康局", 4],
            ["汕尾市卫生健康局", 2],
            ["怀化市卫生健康委员会", 1],
            ["新野县卫生健康委", 1]
        ])
    );
    assert_eq!(
        f["status"],
        serde_json::json!([
            ["unspecified", 4],
            ["completed", 2],
            ["basically_completed", 1],
            ["in_progress", 1]
        ])
    );
    assert_eq!(f["level"], serde_json::json!([["县", 5], ["市", 3]]));
    assert_eq!(
        f["year"],
        serde_json::json!([["2025", 1], ["2024", 3], ["2023", 4]])
    );

    // The same answer as the library's, hit for hit.
    let next = search(addr, &format!("q={}&limit=3&offset=3", enc("医共体")));
    assert_eq!(next["total"], 8);
    assert_eq!(ids(&next).len(), 3);
    assert!(ids(&next).iter().all(|id| !ids(&v).contains(id)));

    // Filters.
    let done = search(
        addr,
        &format!("q={}&status={}&limit=0", enc("医共体"), enc("已完成")),
    );
    assert_eq!(done["total"], 2);
    assert_eq!(done["hits"], serde_json::json!([]));
    let cars = search(addr, &format!("q={}&level={}", enc("公务用车"), enc("市")));
    // Six measures and the section heading 关于“公务用车管理较为混乱”方面.
    assert_eq!(cars["total"], 7);
    let county = search(addr, &format!("q={}&agency={}", enc("医共体"), enc("闽清")));
    assert_eq!(county["total"], 4);
    let all_years = search(
        addr,
        &format!("q={}&since=2024&until=2024-12", enc("医共体")),
    );
    assert_eq!(all_years["total"], 3);
    let by_date = search(addr, &format!("q={}&sort=date&limit=1", enc("医共体")));
    assert_eq!(
        by_date["hits"][0]["published"].as_str().map(|d| &d[..4]),
        Some("2025")
    );
    let only_filter = search(addr, &format!("agency={}&limit=0", enc("怀化")));
    // Every record of the 怀化 notice: 60 measures and 21 paragraphs.
    assert_eq!(only_filter["total"], 81);
}

#[test]
fn bad_parameters_are_named() {
    let addr = seeds_server();
    let q = enc("医共体");
    let long = enc(&"医".repeat(300));
    let cases = [
        (format!("q={q}&limit=x"), "limit"),
        (format!("q={q}&limit=101"), "limit"),
        (format!("q={q}&limit=-1"), "limit"),
        (format!("q={q}&offset=9995&limit=10"), "offset"),
        (format!("q={q}&offset=abc"), "offset"),
        (format!("q={q}&status=bogus"), "status"),
        (format!("q={q}&level={}", enc("镇")), "level"),
        (format!("q={q}&since=2024-13"), "since"),
        (format!("q={q}&until=yesterday"), "until"),
        (format!("q={q}&sort=random"), "sort"),
        (format!("q={q}&facets=maybe"), "facets"),
        (format!("q={q}&agency=!!!"), "agency"),
        (format!("q={q}&category={}", enc("。")), "category"),
        (format!("q={q}&color=red"), "color"),
        (format!("q={q}&q=x"), "q"),
        (format!("q={long}"), "q"),
        ("q=".to_string(), "q"),
        (String::new(), "q"),
        (format!("q={}", enc("(医共体")), "q"),
    ];
    for (params, name) in cases {
        let r = get(addr, &format!("/api/search?{params}"));
        assert_eq!(r.status, 400, "{params}: {}", r.body);
        let v = r.json();
        assert_eq!(v["error"]["parameter"], name, "{params}: {}", r.body);
        assert_eq!(v["error"]["status"], 400);
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let r = get(addr, "/api/similar/07a3a92e-29?limit=1000");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "limit");
    let r = get(addr, "/api/notices?x=1");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "x");
    // Request size: an over-long target is refused before any work.
    let r = get(addr, &format!("/api/search?q={}", "a".repeat(5000)));
    assert_eq!(r.status, 414);
    assert_eq!(r.json()["error"]["parameter"], "uri");
}

#[test]
fn records_similar_and_notices() {
    let addr = seeds_server();
    let r = get(addr, "/api/records/07a3a92e-29");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["hit"]["id"], "07a3a92e-29");
    assert_eq!(v["notice"], "07a3a92e");
    let siblings: Vec<&str> = v["problem_records"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    assert_eq!(
        siblings,
        [
            "07a3a92e-27",
            "07a3a92e-28",
            "07a3a92e-29",
            "07a3a92e-30",
            "07a3a92e-31",
            "07a3a92e-32"
        ]
    );

    let s = get(addr, "/api/similar/07a3a92e-29?limit=3").json();
    assert_eq!(s["id"], "07a3a92e-29");
    // Every similar measure of other agencies, not only the three shown.
    assert_eq!(s["total"], 89);
    for h in s["hits"].as_array().expect("hits") {
        assert_ne!(h["agency_short"], "汕尾市卫生健康局", "other agencies only");
        assert_ne!(h["id"], "07a3a92e-29");
    }

    let n = get(addr, "/api/notices").json();
    assert_eq!(n["total"], 5);
    let list = n["notices"].as_array().expect("notices");
    let by_id = |id: &str| {
        list.iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("notice {id}"))
    };
    let huaihua = by_id("da269975");
    assert_eq!(huaihua["agency_short"], "怀化市卫生健康委员会");
    assert_eq!(huaihua["published"], "2025-06-26");
    assert_eq!(
        huaihua["problems"],
        serde_json::json!({"completed": 19, "phased": 3})
    );
    assert_eq!(
        huaihua["measures"],
        serde_json::json!({"completed": 51, "phased": 9})
    );
    let minqing = by_id("24828685");
    assert_eq!(
        minqing["problems"],
        serde_json::json!({"basically_completed": 2, "completed": 46, "in_progress": 4})
    );
    // Newest first.
    assert_eq!(list[0]["id"], "da269975");

    let one = get(addr, "/api/notices/07a3a92e").json();
    assert_eq!(one["notice"]["id"], "07a3a92e");
    assert_eq!(one["records"].as_array().map(Vec::len), Some(152));
    assert_eq!(one["parsed"]["agency"], "中共汕尾市卫生健康局党组");
    assert_eq!(one["parse_error"], Value::Null);
}

#[test]
fn unknown_ids_and_paths_are_404() {
    let addr = seeds_server();
    for target in [
        "/api/records/ffffffff-1",
        "/api/records/07a3a92e-9999",
        "/api/records/zz",
        "/api/records/..%2F..%2Fetc%2Fpasswd",
        "/api/similar/ffffffff-1",
        "/api/similar/nope",
        "/api/notices/ffffffff",
        "/api/notices/..%2Fseeds",
        "/api/notices/..",
        "/api/nothing",
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 404, "{target}: {}", r.body);
        assert_eq!(r.json()["error"]["status"], 404, "{target}");
    }
    for target in [
        "/../../etc/passwd",
        "/..%2F..%2Fetc%2Fpasswd",
        "/seeds/000_3089e93c6afc7ecc.txt",
        "/Cargo.toml",
        "/app.js/../../Cargo.toml",
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.body.contains("root:") && !r.body.contains("[package]"));
    }
}

#[test]
fn page_and_openapi_are_served() {
    let addr = seeds_server();
    let page = get(addr, "/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("script-src 'self'")));
    assert!(page.body.contains("<html lang=\"zh-CN\">"));
    assert!(page.body.contains("app.js"));
    for (asset, kind) in [
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let r = get(addr, asset);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some(kind));
        assert!(r.body.len() > 500, "{asset} is the real asset");
    }
    let api = get(addr, "/openapi.json");
    assert_eq!(api.status, 200);
    let v = api.json();
    assert_eq!(v["openapi"].as_str().map(|s| &s[..2]), Some("3."));
    for path in [
        "/api/search",
        "/api/records/{id}",
        "/api/similar/{id}",
        "/api/notices",
        "/api/notices/{id}",
        "/api/health",
    ] {
        assert!(
            v["paths"].get(path).is_some(),
            "openapi.json documents {path}"
        );
    }
}

const HOSTILE: &str = "中共测试县卫生健康局党组关于巡察整改进展情况的通报\n\
一、存在问题及整改情况\n\
(一)聚焦<b>粗体</b>问题\n\
问题1:医共体建设<script>alert('x')</script>滞后\n\
整改情况:已完成整改。\n\
一是推进医共体<img src=x onerror=alert(1)>建设，整改“</textarea>”到位。二是加强考核&amp;督导。\n\
\n\
中共测试县卫生健康局党组\n\
2024年5月6日\n";

#[test]
fn notice_text_comes_back_as_written() {
    let corpus = tempfile::tempdir().expect("tempdir");
    std::fs::write(corpus.path().join("hostile.txt"), HOSTILE).expect("write");
    let index = tempfile::tempdir().expect("tempdir");
    let opts = zhenggai::index::BuildOptions::new(corpus.path(), index.path());
    zhenggai::index::build(&opts, &mut |_| {}).expect("builds");
    let server = Server::start(index.path(), "127.0.0.1:0".parse().expect("addr")).expect("starts");
    let r = get(server.addr(), &format!("/api/search?q={}", enc("医共体")));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let v = r.json();
    assert_eq!(v["total"], 2);
    let texts: Vec<&str> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["measure"].as_str())
        .collect();
    assert!(
        texts.contains(&"推进医共体<img src=x onerror=alert(1)>建设，整改“</textarea>”到位。"),
        "{texts:?}"
    );
    assert!(v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .any(|h| h["problem"]
            .as_str()
            .is_some_and(|p| p.contains("<script>alert('x')</script>"))));
    // The notice's file is found under the indexed corpus (its key is the corpus
    // folder's name and the file name), wherever the server runs from.
    let id = get(server.addr(), "/api/notices").json()["notices"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let one = get(server.addr(), &format!("/api/notices/{id}")).json();
    assert_eq!(one["parse_error"], Value::Null, "{}", one["parse_error"]);
    assert_eq!(one["parsed"]["agency"], "中共测试县卫生健康局党组");
    server.stop();
}

#[test]
fn index_commits_are_picked_up_without_restart() {
    let corpus = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("a.txt"),
        HOSTILE.replace("医共体", "医联体"),
    )
    .expect("write");
    let index = tempfile::tempdir().expect("tempdir");
    let build = || {
        let opts = zhenggai::index::BuildOptions::new(corpus.path(), index.path());
        zhenggai::index::build(&opts, &mut |_| {}).expect("builds");
    };
    build();
    let server = Server::start(index.path(), "127.0.0.1:0".parse().expect("addr")).expect("starts");
    let addr = server.addr();
    let q = format!("q={}", enc("分级诊疗"));
    assert_eq!(search(addr, &q)["total"], 0);
    let before = get(addr, "/api/health").json()["generation"].as_u64();
    // Another notice (one that differed from a.txt by a word or two would be a
    // reposted copy of it, left out of searches).
    std::fs::write(
        corpus.path().join("b.txt"),
        "中共测试县卫生健康局党组关于巡察整改进展情况的通报\n\
         一、存在问题及整改情况\n(一)聚焦基层医疗问题\n问题1:分级诊疗推进缓慢\n\
         整改情况:已完成整改。\n一是制定县域分级诊疗实施方案并印发执行。二是建立双向转诊绿色通道。\n\n\
         中共测试县卫生健康局党组\n2024年5月6日\n",
    )
    .expect("write");
    build();
    let start = Instant::now();
    while search(addr, &q)["total"] == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "index reopened within 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let v = search(addr, &q);
    assert_eq!(v["total"], 2);
    assert!(v["generation"].as_u64() > before);
    assert_eq!(get(addr, "/api/health").json()["files"], 2);
    assert_eq!(get(addr, "/api/notices").json()["total"], 2);
    server.stop();
}

#[test]
fn two_hundred_requests_at_once_are_all_answered() {
    let addr = seeds_server();
    let queries = ["医共体", "公务用车", "巡察整改", "家庭医生", "培训"];
    let expected: Vec<String> = queries
        .iter()
        .map(|q| get(addr, &format!("/api/search?q={}&limit=5", enc(q))).body)
        .collect();
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let q = queries[i % queries.len()];
            std::thread::spawn(move || (i, get(addr, &format!("/api/search?q={}&limit=5", enc(q)))))
        })
        .collect();
    let mut answered = 0;
    for t in threads {
        let (i, r) = t.join().expect("thread");
        assert_eq!(r.status, 200);
        assert_eq!(r.body, expected[i % queries.len()], "request {i}");
        answered += 1;
    }
    assert_eq!(answered, 200);
}
