//! Prints jieba's cut_for_search of each argument with the project's dictionary.
fn main() {
    let j = zhenggai::segment::Dictionary::load(None)
        .expect("dict")
        .jieba();
    for a in std::env::args().skip(1) {
        let w: Vec<&str> = j
            .cut_for_search(&a, true)
            .into_iter()
            .map(|t| t.word)
            .collect();
        println!("{a}: {}", w.join("/"));
    }
}
