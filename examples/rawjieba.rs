//! Raw jieba throughput over a corpus: `cargo run --release --example rawjieba -- DIR`.
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "seeds".into());
    let dict = zhenggai::segment::Dictionary::load(None).expect("dict");
    let jieba = dict.jieba();
    let mut texts = Vec::new();
    for e in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if e.file_type().is_file() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                texts.push(t);
            }
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for t in &texts {
        n += jieba.cut_for_search(t, true).len();
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "cut_for_search: {} MB in {:.2}s = {:.1} MB/s ({} tokens)",
        bytes / 1_000_000,
        s,
        bytes as f64 / 1e6 / s,
        n
    );
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for t in &texts {
        n += zhenggai::segment::char_tokens(t).len();
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "char_tokens: {:.1} MB/s ({} tokens)",
        bytes as f64 / 1e6 / s,
        n
    );
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for t in &texts {
        n += zhenggai::segment::word_tokens(&jieba, t).len();
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "word_tokens: {:.1} MB/s ({} tokens)",
        bytes as f64 / 1e6 / s,
        n
    );
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for t in &texts {
        n += zhenggai::parse::parse("x", t).paragraphs.len();
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "parse: {:.1} MB/s ({} paragraphs)",
        bytes as f64 / 1e6 / s,
        n
    );
}
