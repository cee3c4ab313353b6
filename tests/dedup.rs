//! Reposted notices: a corpus holding every seed notice twice (as text, and as a web
//! page with the site's navigation around it, one of them GBK-encoded) answers like
//! the seeds once; `all_copies` shows every copy; a later progress report of the same
//! agency on the same inspection is not a copy.

mod common;

use std::path::Path;

use zhenggai::index::dedup::{self, THRESHOLD};
use zhenggai::index::Manifest;
use zhenggai::search::{Engine, Facets, SearchRequest};

/// `text` as a page of a county portal: a menu, a breadcrumb, the notice one
/// paragraph a line, a footer.
fn page(text: &str, charset: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = text
        .lines()
        .map(|l| format!("<p>{}</p>\n", escape(l)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>巡察整改</title></head>\n<body>\n\
         <div class=\"menu\"><ul><li><a href=\"/\">首页</a></li><li>机构概况</li><li>政务公开</li>\
         <li>政务服务</li><li>互动交流</li><li>专题专栏</li></ul></div>\n\
         <div class=\"crumb\">当前位置：首页 &gt; 政务公开 &gt; 巡视巡察 &gt; 整改情况</div>\n\
         <div class=\"article\">\n{body}</div>\n\
         <div class=\"footer\"><p>主办单位：县人民政府办公室　承办：县政务服务数据管理局</p>\
         <p>网站标识码 3501240001　备案序号 00000000号</p></div>\n</body></html>\n"
    )
}

/// The seeds in `root/seeds/` (keys as in an index of the seeds), and, when `twice`,
/// each again in `root/seeds/web/` as a page, the first GBK-encoded.
fn corpus(twice: bool) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("seeds");
    std::fs::create_dir_all(dir.join("web")).expect("mkdir");
    let mut names: Vec<_> = std::fs::read_dir(common::seeds())
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    for (i, path) in names.iter().enumerate() {
        let name = path.file_name().expect("name");
        std::fs::copy(path, dir.join(name)).expect("copy");
        if !twice {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("utf-8 seed");
        let html = Path::new(name).with_extension("html");
        let bytes = if i == 0 {
            let html = page(&text, "gbk");
            let (b, _, _) = encoding_rs::GBK.encode(&html);
            b.into_owned()
        } else {
            page(&text, "utf-8").into_bytes()
        };
        std::fs::write(dir.join("web").join(html), bytes).expect("write");
    }
    root
}

fn build(root: &Path) -> tempfile::TempDir {
    common::build_index(&root.join("seeds"))
}

fn answer(e: &Engine, q: &str, all: bool) -> (usize, Vec<String>, Facets) {
    let mut r = SearchRequest::new(q);
    r.limit = 10_000;
    r.facets = true;
    r.all_copies = all;
    let res = e.search(&r).expect("search");
    (
        res.total,
        res.hits.into_iter().map(|h| h.id).collect(),
        res.facets.expect("facets"),
    )
}

fn facets_eq(a: &Facets, b: &Facets) -> bool {
    a.agency == b.agency && a.status == b.status && a.level == b.level && a.year == b.year
}

#[test]
fn seeds_twice_answer_like_the_seeds_once() {
    let (once, twice) = (corpus(false), corpus(true));
    let (i1, i2) = (build(once.path()), build(twice.path()));
    let (e1, e2) = (
        Engine::open(i1.path()).expect("opens"),
        Engine::open(i2.path()).expect("opens"),
    );
    // Every page is a copy of its text file, which lists it.
    let m = Manifest::load(i2.path()).expect("manifest");
    let mut copies = 0;
    for (key, entry) in &m.files {
        if let Some(web) = key.strip_prefix("seeds/web/") {
            let of = format!("seeds/{}", Path::new(web).with_extension("txt").display());
            assert_eq!(entry.copy_of.as_deref(), Some(of.as_str()), "{key}");
            assert_eq!(m.files[&of].also_published_at, std::slice::from_ref(key));
            copies += 1;
        } else {
            assert_eq!(entry.copy_of, None, "{key}");
        }
    }
    assert_eq!(copies, 5);
    assert_eq!(m.copies().count(), 5);
    for q in common::TERMS.iter().copied().chain([
        "医共体 OR 整改",
        "医共体建设有哪些措施",
        "公务用车问题怎么处理",
        "违规发放津补贴怎么整改的",
    ]) {
        let (t1, h1, f1) = answer(&e1, q, false);
        let (t2, h2, f2) = answer(&e2, q, false);
        assert_eq!(t1, t2, "{q}: total");
        // The same hits; their order may differ where scores are close, since the
        // copies still count in BM25's statistics (documents, lengths, frequencies).
        let set = |h: &[String]| h.iter().cloned().collect::<std::collections::BTreeSet<_>>();
        assert_eq!(set(&h1), set(&h2), "{q}: hits");
        assert!(facets_eq(&f1, &f2), "{q}: facets {f1:?} {f2:?}");
    }
    // Every copy when asked for: the pages' records too.
    let (t1, _, _) = answer(&e1, "医共体", false);
    let (t2, h2, f2) = answer(&e2, "医共体", true);
    assert!(t2 > t1, "{t2} {t1}");
    let web = h2
        .iter()
        .filter(|id| e2.get(id).expect("get").source.starts_with("seeds/web/"))
        .count();
    assert_eq!(web, t2 - t1);
    assert!(f2.agency.iter().map(|(_, n)| n).sum::<u64>() as usize == t2);
    // A hit names where else its notice was published.
    let h = e2.get(&h2[0]).expect("get");
    assert_eq!(
        h.also_published_at.len() + usize::from(h.copy_of.is_some()),
        1
    );
    // Stats count every notice once.
    let stats = |e: &Engine| {
        let s = zhenggai::stats::stats(e, &SearchRequest::new(""), "2026-01-01").expect("stats");
        (
            serde_json::to_value(&s.totals).expect("json"),
            serde_json::to_value(&s.agencies).expect("json"),
        )
    };
    assert_eq!(stats(&e1), stats(&e2));
    assert_eq!(stats(&e1).0["notices"], 5);
    // Filters alone count every notice once too.
    let mut f = SearchRequest::new("");
    f.agency = Some("怀化".into());
    f.limit = 0;
    assert_eq!(
        e1.search(&f).expect("search").total,
        e2.search(&f).expect("search").total
    );
}

/// A first progress report of 青禾市档案局 and a later one on the same inspection: the
/// same header and problems, other measures.
fn reports() -> (String, String) {
    let problems = [
        "公务用车管理不规范",
        "差旅费报销审核不严",
        "固定资产账实不符",
        "第一议题制度落实不到位",
        "意识形态工作责任制落实不力",
        "档案数字化进度滞后",
    ];
    let first = [
        [
            "修订车辆管理制度，建立派车登记台账",
            "对超标准用车情况进行清理，追回费用一万二千元",
        ],
        [
            "组织对近三年差旅票据进行清查",
            "对财务人员进行谈话提醒，明确审核责任",
        ],
        [
            "成立资产清查小组，对全部资产逐项盘点",
            "对账实不符的十五项资产登记造册",
        ],
        [
            "修订党组会议事规则，明确第一议题学习要求",
            "每月通报各支部第一议题学习情况",
        ],
        [
            "召开党组会专题研究意识形态工作",
            "对下属单位意识形态工作开展调研",
        ],
        ["制定档案数字化三年行动方案", "争取专项资金用于馆藏档案扫描"],
    ];
    let later = [
        [
            "车辆管理系统已上线运行，派车全部线上审批",
            "全年公务用车费用同比下降百分之十八",
        ],
        [
            "差旅费报销实行线上审核，本年度抽查报销单据二百余份",
            "修订出差审批办法并印发执行",
        ],
        [
            "已完成资产处置报废审批，账实相符率达到百分之百",
            "资产管理纳入年度内部审计范围",
        ],
        [
            "第一议题学习已纳入支部考核，全年开展学习二十四次",
            "对学习不到位的两个支部书记进行约谈",
        ],
        [
            "建立意识形态风险研判台账，每季度开展一次分析",
            "网站和公众号信息发布落实三审三校",
        ],
        [
            "馆藏档案扫描已完成六成，数字档案室通过省级测评",
            "明年将完成剩余档案的数字化加工",
        ],
    ];
    let write = |date: &str, measures: &[[&str; 2]; 6], status: &str| {
        let mut s = String::from(
            "中共青禾市档案局党组关于市委巡察整改进展情况的通报\n\n\
             根据市委统一部署，2023年4月10日至6月9日，市委第二巡察组对市档案局党组开展了常规巡察。\
             2023年7月14日，市委第二巡察组向局党组反馈了巡察意见。现将巡察整改进展情况予以公布。\n\n\
             一、巡察反馈问题整改落实情况\n\n（一）关于全面从严治党方面的问题\n1.制度执行方面\n",
        );
        for (i, (p, m)) in problems.iter().zip(measures).enumerate() {
            s.push_str(&format!(
                "（{}）{p}。{status}。一是{}；二是{}。\n",
                i + 1,
                m[0],
                m[1]
            ));
        }
        s.push_str(&format!("\n中共青禾市档案局党组\n{date}\n"));
        s
    };
    (
        write("2023年12月20日", &first, "整改进展：正在整改"),
        write("2024年9月30日", &later, "整改进展：已完成"),
    )
}

#[test]
fn a_later_progress_report_is_not_a_copy() {
    let (first, later) = reports();
    let sig = |text: &str| {
        let notice = zhenggai::parse::parse("x.txt", text);
        let records = zhenggai::index::record::records(&notice, "x.txt");
        assert!(records.len() >= 12, "{}", records.len());
        dedup::signature(&records).expect("signature")
    };
    let (a, b) = (sig(&first), sig(&later));
    let copy = sig(&zhenggai::read::html_to_text(&page(&first, "utf-8")));
    eprintln!(
        "later report {:.3}, page copy {:.3}",
        a.similarity(&b),
        a.similarity(&copy)
    );
    assert!(a.similarity(&b) < THRESHOLD - 0.2, "{}", a.similarity(&b));
    // The page's footer is read into the last measure: a fifth of this short body,
    // still well above the threshold (real notices are ten times longer).
    assert!(
        a.similarity(&copy) >= THRESHOLD + 0.05,
        "{}",
        a.similarity(&copy)
    );

    let dir = common::corpus(&[("a.txt", &first), ("b.txt", &later)]);
    let index = common::build_index(dir.path());
    let m = Manifest::load(index.path()).expect("manifest");
    assert_eq!(m.copies().count(), 0);
    let e = Engine::open(index.path()).expect("opens");
    let mut r = SearchRequest::new("公务用车");
    r.limit = 100;
    let files: std::collections::BTreeSet<String> = e
        .search(&r)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.published)
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
}

/// The command line's text output names where else a hit's notice was published, and
/// with `--all-copies` which notice a copy repeats.
#[test]
fn the_command_line_names_the_other_copies() {
    let twice = corpus(true);
    let index = build(twice.path());
    let run = |extra: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_zhenggai"))
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(index.path())
            .args(["search", "编外用工"])
            .args(extra)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).expect("utf-8")
    };
    let out = run(&["-n", "1"]);
    assert!(
        out.contains("又见于 (also published at) seeds/web/000_3089e93c6afc7ecc.html"),
        "{out}"
    );
    let all = run(&["--all-copies", "-n", "5"]);
    assert!(
        all.contains("转载自 (copy of) seeds/000_3089e93c6afc7ecc.txt"),
        "{all}"
    );
}
