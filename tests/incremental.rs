//! Incremental indexing: after changing, adding and deleting files, an updated index
//! holds exactly what a fresh build of the same corpus holds.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use zhenggai::index::{build, BuildOptions, Manifest};
use zhenggai::search::{Engine, SearchRequest};

/// Every record of an index as (source, record number, measure text).
fn contents(index: &Path) -> BTreeSet<(String, String, String)> {
    let e = Engine::open(index).expect("opens");
    let m = Manifest::load(index).expect("manifest");
    let mut out = BTreeSet::new();
    for source in m.files.keys() {
        for h in e.records_of(source).expect("records") {
            out.insert((h.source.clone(), h.id.clone(), h.measure.clone()));
        }
    }
    out
}

/// File names of the entries a build reported as errors, sorted.
fn error_names(r: &zhenggai::index::BuildReport) -> Vec<String> {
    let mut bad: Vec<String> = r
        .errors
        .iter()
        .map(|(p, _)| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    bad.sort();
    bad
}

fn copy_seed(name: &str, to: &Path) {
    std::fs::copy(common::seeds().join(name), to.join(name)).expect("copy");
}

#[test]
fn update_equals_rebuild() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let c = corpus.path();
    copy_seed("000_3089e93c6afc7ecc.txt", c);
    copy_seed("003_044f5fdef5878133.txt", c);
    copy_seed("004_03096bf25862ec47.txt", c);
    let index = tempfile::tempdir().expect("tempdir");
    let opts = BuildOptions::new(c, index.path());
    let first = build(&opts, &mut |_| {}).expect("build");
    assert!(first.rebuilt);
    assert_eq!(first.files_indexed, 3);

    // Nothing changed: nothing is read again.
    let again = build(&opts, &mut |_| {}).expect("build");
    assert!(!again.rebuilt);
    assert_eq!(
        (
            again.files_indexed,
            again.files_unchanged,
            again.files_removed
        ),
        (0, 3, 0)
    );

    // Change one, add one, delete one.
    let changed = c.join("004_03096bf25862ec47.txt");
    let mut text = std::fs::read_to_string(&changed).expect("read");
    text = text.replace(
        "县卫健委组织人员对全县13家乡镇卫生院",
        "县卫健委组织人员对全县14家乡镇卫生院和医共体分院",
    );
    std::fs::write(&changed, text).expect("write");
    copy_seed("002_cc0588a2ad108fda.txt", c);
    std::fs::remove_file(c.join("000_3089e93c6afc7ecc.txt")).expect("rm");
    let update = build(&opts, &mut |_| {}).expect("build");
    assert!(!update.rebuilt);
    assert_eq!(
        (
            update.files_indexed,
            update.files_unchanged,
            update.files_removed
        ),
        (2, 1, 1)
    );

    let fresh = tempfile::tempdir().expect("tempdir");
    let rebuilt = build(&BuildOptions::new(c, fresh.path()), &mut |_| {}).expect("build");
    assert!(rebuilt.rebuilt);
    assert_eq!(contents(index.path()), contents(fresh.path()));

    // The change is searchable; the deleted notice is gone.
    let e = Engine::open(index.path()).expect("opens");
    let hits = e
        .search(&SearchRequest::new("医共体分院"))
        .expect("search")
        .hits;
    assert_eq!(hits.len(), 1);
    assert!(hits[0].source.ends_with("004_03096bf25862ec47.txt"));
    let mut req = SearchRequest::new("");
    req.agency = Some("汕尾".into());
    assert_eq!(e.search(&req).expect("search").total, 0);
    let mut req = SearchRequest::new("");
    req.agency = Some("北京".into());
    assert!(e.search(&req).expect("search").total > 0);
}

#[test]
fn bad_files_are_reported_and_do_not_stop_the_rest() {
    let corpus = common::corpus(&[("good.txt", "推进医共体建设。"), ("empty.txt", "   ")]);
    std::fs::write(corpus.path().join("binary.txt"), [0u8, 159, 146, 150, 0, 1]).expect("write");
    // Not a kind of file zhenggai reads: skipped and counted, not an error.
    std::fs::write(corpus.path().join("photo.png"), [0u8, 159, 146, 150, 0, 1]).expect("write");
    let index = tempfile::tempdir().expect("tempdir");
    let r = build(&BuildOptions::new(corpus.path(), index.path()), &mut |_| {}).expect("build");
    assert_eq!(r.files_seen, 3);
    assert_eq!(r.skipped, 1);
    assert_eq!(r.files_indexed, 1);
    let bad = error_names(&r);
    assert_eq!(bad, ["binary.txt", "empty.txt"]);
    let e = Engine::open(index.path()).expect("opens");
    assert_eq!(
        e.search(&SearchRequest::new("医共体"))
            .expect("search")
            .total,
        1
    );
}

#[cfg(unix)]
#[test]
fn dangling_links_and_loops_are_reported_and_do_not_stop_the_rest() {
    let corpus = common::corpus(&[("good.txt", "推进医共体建设。")]);
    let c = corpus.path();
    std::os::unix::fs::symlink(c.join("missing.txt"), c.join("dangling.txt")).expect("link");
    std::fs::create_dir(c.join("sub")).expect("dir");
    std::os::unix::fs::symlink(c, c.join("sub").join("up")).expect("link");
    let index = tempfile::tempdir().expect("tempdir");
    let r = build(&BuildOptions::new(c, index.path()), &mut |_| {}).expect("build");
    assert_eq!(r.files_indexed, 1);
    let bad = error_names(&r);
    assert_eq!(bad, ["dangling.txt", "up"]);
}

#[test]
fn refuses_to_overwrite_a_directory_that_is_not_an_index() {
    let corpus = common::corpus(&[("a.txt", "推进医共体建设。")]);
    let target = tempfile::tempdir().expect("tempdir");
    std::fs::write(target.path().join("thesis.docx"), b"precious").expect("write");
    let err = build(
        &BuildOptions::new(corpus.path(), target.path()),
        &mut |_| {},
    )
    .expect_err("refuses");
    assert!(err.to_string().contains("不是 zhenggai 索引"), "{err}");
    assert!(target.path().join("thesis.docx").is_file());
}

#[test]
fn an_interrupted_build_is_refused_and_then_rebuilt() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let c = corpus.path();
    copy_seed("000_3089e93c6afc7ecc.txt", c);
    copy_seed("003_044f5fdef5878133.txt", c);
    let index = tempfile::tempdir().expect("tempdir");
    let opts = BuildOptions::new(c, index.path());
    build(&opts, &mut |_| {}).expect("build");
    let whole = contents(index.path());

    // A build that committed to tantivy but stopped before writing the manifest
    // leaves the manifest describing an older commit.
    let mut m = Manifest::load(index.path()).expect("manifest");
    m.opstamp += 1;
    m.save(index.path()).expect("save");
    let err = Engine::open(index.path()).expect_err("refused");
    assert!(matches!(err, zhenggai::Error::CorruptIndex { .. }), "{err}");

    // The next build starts over instead of adding the same files twice.
    let report = build(&opts, &mut |_| {}).expect("build");
    assert!(report.rebuilt);
    assert_eq!(contents(index.path()), whole);
}
