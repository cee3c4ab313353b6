//! The notice parser never panics and numbers problems 1..n.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let notice = zhenggai::parse::parse("f.txt", s);
    for (i, p) in notice.problems.iter().enumerate() {
        assert_eq!(p.n, i + 1, "problem numbering");
    }
});
