//! Recall on the 3,475 laws of `../shared/corpora/laws/` (58 MB), for the same term
//! list as the seed test: every record whose text contains a term must be returned.
//! Not part of the default suite (the corpus is not shipped with the repository):
//!
//! ```sh
//! cargo test --release --test recall_laws -- --ignored --nocapture
//! ```

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use zhenggai::index::record::records;
use zhenggai::search::{Engine, SearchRequest};

fn squash(s: &str) -> String {
    zhenggai::text::fold(&s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
}

#[test]
#[ignore = "needs ../shared/corpora/laws (58 MB); run with --ignored"]
fn every_literal_match_is_found_in_the_laws() {
    let laws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/laws");
    assert!(laws.is_dir(), "no corpus at {}", laws.display());
    let index = common::build_index(&laws);
    let engine = Engine::open(index.path()).expect("opens");
    // Ground truth: the records the indexer wrote, searched by plain substring.
    let mut all: Vec<(String, String)> = Vec::new();
    for e in walkdir::WalkDir::new(&laws).sort_by_file_name() {
        let e = e.expect("entry");
        if !e.file_type().is_file() {
            continue;
        }
        let source = e.path().to_string_lossy().into_owned();
        let src = zhenggai::read::read_file(e.path()).expect("read");
        let notice = zhenggai::parse::parse(&source, &src.text);
        for r in records(&notice, &source) {
            all.push((r.id, squash(&format!("{}\n{}", r.text, r.problem))));
        }
    }
    let mut total_want = 0;
    for term in common::TERMS {
        let needle = squash(term);
        let want: BTreeSet<&str> = all
            .iter()
            .filter(|(_, t)| t.contains(&needle))
            .map(|(id, _)| id.as_str())
            .collect();
        let mut req = SearchRequest::new(*term);
        req.exact = true;
        req.limit = want.len() + 10;
        let got: BTreeSet<String> = engine
            .search(&req)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        let got: BTreeSet<&str> = got.iter().map(String::as_str).collect();
        println!("{term}\t{} expected\t{} returned", want.len(), got.len());
        assert_eq!(want.difference(&got).count(), 0, "{term}: missed records");
        assert_eq!(
            got.difference(&want).count(),
            0,
            "{term}: hits without the term"
        );
        total_want += want.len();
    }
    println!(
        "{} records over {} terms, recall 100%",
        total_want,
        common::TERMS.len()
    );
}
