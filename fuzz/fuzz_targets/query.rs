//! The query parser never panics, refuses only with a query error, keeps within its
//! caps, and what it parses is written back to the same expression.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhenggai::search::query::{parse, MAX_QUERY_CHARS, MAX_QUERY_TERMS};

fuzz_target!(|s: &str| {
    match parse(s) {
        Err(e) => assert!(matches!(e, zhenggai::Error::BadQuery(_)), "{e:?}"),
        Ok(None) => {}
        Ok(Some(e)) => {
            let terms = e.terms();
            assert!(!terms.is_empty() && terms.len() <= MAX_QUERY_TERMS);
            assert!(terms
                .iter()
                .all(|(t, _)| zhenggai::segment::pattern(t).is_some()));
            if let Some(q) = e.to_query() {
                if q.chars().count() <= MAX_QUERY_CHARS {
                    assert_eq!(parse(&q).expect("parses again"), Some(e), "{q}");
                }
            }
        }
    }
});
