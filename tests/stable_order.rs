//! Hits that tie come in (file, record number) order, the same in every build of a
//! corpus, whatever the number of writer threads.

use zhenggai::search::{Engine, SearchRequest, Sort};

/// One notice; every copy of it scores the same for any query.
fn notice(agency: &str) -> String {
    format!(
        "中共{agency}卫生健康局党组关于巡察整改进展情况的通报\n\
         一、存在问题及整改情况\n\
         (一)聚焦医疗服务问题\n\
         问题1:医共体建设滞后\n\
         整改情况:已完成整改。\n\
         一是推进医共体建设。二是完善医共体考核。三是加强医共体督导。\n\
         问题2:家庭医生签约不实\n\
         整改情况:正在整改。\n\
         一是推进医共体与家庭医生签约。二是开展医共体签约核查。\n\
         \n\
         中共{agency}卫生健康局党组\n\
         2024年5月6日\n"
    )
}

fn build(corpus: &std::path::Path, threads: usize) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = zhenggai::index::BuildOptions::new(corpus, dir.path());
    opts.threads = threads;
    zhenggai::index::build(&opts, &mut |_| {}).expect("builds");
    let engine = Engine::open(dir.path()).expect("opens");
    (dir, engine)
}

/// (score, file name, record number) of each hit.
fn page(e: &Engine, sort: Sort, offset: usize, limit: usize) -> Vec<(f32, String, u64)> {
    let mut r = SearchRequest::new("医共体");
    r.sort = sort;
    r.offset = offset;
    r.limit = limit;
    e.search(&r)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| {
            let file = std::path::Path::new(&h.source)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let n =
                h.id.rsplit_once('-')
                    .and_then(|(_, n)| n.parse().ok())
                    .unwrap_or(0);
            (h.score, file, n)
        })
        .collect()
}

#[test]
fn ties_are_ordered_by_file_and_record() {
    let corpus = tempfile::tempdir().expect("tempdir");
    // Same text, so equal scores and dates; names out of creation order.
    for name in ["f.txt", "b.txt", "d.txt", "a.txt", "e.txt", "c.txt"] {
        std::fs::write(corpus.path().join(name), notice("测试县")).expect("write");
    }
    let (_d1, one) = build(corpus.path(), 1);
    let (_d2, two) = build(corpus.path(), 2);
    for sort in [Sort::Relevance, Sort::Date] {
        let all = page(&one, sort, 0, 100);
        assert_eq!(all.len(), 30, "5 measures in each of 6 files");
        // Records 1-3 of each file are the title and the two section headings
        // (paragraph records), so the first measures are records 4, 5 and 6.
        // Best first; equal scores by file name, then record number.
        let mut sorted = all.clone();
        sorted.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.cmp(&b.1))
                .then_with(|| a.2.cmp(&b.2))
        });
        assert_eq!(all, sorted, "{sort:?}");
        let top: Vec<(&str, u64)> = all.iter().take(4).map(|h| (h.1.as_str(), h.2)).collect();
        assert_eq!(
            top,
            [("a.txt", 4), ("a.txt", 5), ("a.txt", 6), ("b.txt", 4)],
            "{sort:?}: the three equal best of a.txt, then b.txt's"
        );
        // Another build, and pages of 7: the same sequence.
        assert_eq!(page(&two, sort, 0, 100), all, "{sort:?}: two builds agree");
        let paged: Vec<_> = (0..5).flat_map(|p| page(&two, sort, p * 7, 7)).collect();
        assert_eq!(paged, all, "{sort:?}: pages never shuffle");
    }
}
