//! The analyzer's tokens spell the searchable characters of any text, in order, none
//! longer than a chunk of a letter/digit run.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zhenggai::segment::{tokens, Dictionary, ALNUM_CHUNK, CHUNK_MARK};
use zhenggai::text::{fold_char, is_han};

fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(|| Dictionary::load(None).expect("dictionary").jieba())
}

fuzz_target!(|s: &str| {
    let want: String = s
        .chars()
        .map(fold_char)
        .filter(|&f| is_han(f) || f.is_alphanumeric())
        .collect();
    let mut spelled = String::new();
    let mut last: Option<usize> = None;
    for (w, pos) in tokens(jieba(), s) {
        assert!(last.is_none_or(|p| pos > p), "positions go up");
        last = Some(pos);
        let bare = w.strip_suffix(CHUNK_MARK).unwrap_or(&w);
        assert!(!bare.is_empty());
        if !bare.chars().next().is_some_and(is_han) {
            assert!(bare.chars().count() <= ALNUM_CHUNK);
        }
        spelled.push_str(bare);
    }
    assert_eq!(spelled, want);
});
