//! Writes a generated notice corpus, optionally with each notice's expected parse.
//!
//! ```sh
//! cargo run --example generate -- DIR [MB] [--all] [--truth] [--seed N]
//! ```
//!
//! `MB` (default 1) is the size in 10^6 bytes; `--all` draws every layout instead of the
//! benchmark's five; `--truth` writes `notice_000001.truth.json` beside each notice.

use std::path::PathBuf;

use zhenggai::generate::{generate_corpus, GenerateOptions, Mix};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir: Option<PathBuf> = None;
    let mut mb: u64 = 1;
    let mut opts = GenerateOptions {
        seed: 20_240_501,
        ..GenerateOptions::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--all" => opts.mix = Mix::All,
            "--truth" => opts.truth = true,
            "--seed" => {
                opts.seed = args.next().ok_or("--seed needs a number")?.parse()?;
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => mb = a.parse()?,
        }
    }
    let dir = dir.ok_or("usage: generate DIR [MB] [--all] [--truth] [--seed N]")?;
    opts.target_bytes = mb * 1_000_000;
    let stats = generate_corpus(&dir, opts)?;
    println!(
        "{} files, {} bytes, {} problems, {} measures in {}",
        stats.files,
        stats.bytes,
        stats.problems,
        stats.measures,
        dir.display()
    );
    Ok(())
}
