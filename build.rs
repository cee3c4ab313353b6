//! Precompiles the built-in dictionary (jieba's words and the domain words) into the
//! FST map that every index stores for its queries, and its total frequency, so
//! that building an index does not parse and sort 350,000 words each time.

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let mut map: BTreeMap<String, u64> = BTreeMap::new();
    for file in ["dict/jieba.dict.txt", "dict/domain.txt"] {
        println!("cargo:rerun-if-changed={file}");
        let text = std::fs::read_to_string(file).expect("built-in dictionary is readable");
        for line in text.lines() {
            let mut it = line.split_whitespace();
            let Some(word) = it.next() else { continue };
            let freq = it.next().map_or(1000, |f| {
                f.parse::<u64>()
                    .expect("built-in dictionary frequencies are numbers")
            });
            map.insert(word.to_string(), freq);
        }
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut b = fst::MapBuilder::memory();
    for (w, f) in &map {
        b.insert(w, *f).expect("words are sorted and unique");
    }
    let bytes = b.into_inner().expect("fst builds in memory");
    std::fs::write(Path::new(&out).join("dict.fst"), bytes).expect("OUT_DIR is writable");
    let total: u64 = map.values().sum();
    std::fs::write(Path::new(&out).join("dict_total.txt"), total.to_string())
        .expect("OUT_DIR is writable");
}
