//! Deterministic generator of synthetic rectification notices (巡视/巡察整改进展情况的通报):
//! test and benchmark tooling, not part of indexing or search.
//!
//! It serves two purposes:
//!
//! - **Benchmark corpora** of any size that look like the real thing ([`generate_corpus`],
//!   [`generate_notice`]), byte-identical across versions for a given seed ([`Mix::Classic`]).
//! - **An oracle for the parser**: the generator knows the structure it writes, so each
//!   notice comes with its [`Truth`], the parse a correct parser gives for it
//!   ([`generate_layout`], [`generate_with_truth`], [`Truth::diff`]); `tests/generator.rs`
//!   parses notices of every [`Layout`] and compares.
//!
//! The module is split by concern:
//!
//! | file | concern |
//! |---|---|
//! | `mod.rs` | public API: corpora, single notices, options and stats |
//! | `rng.rs` | the random numbers (SplitMix64, one stream per notice) |
//! | `material.rs` | pieces cut from the seeds, their names replaced by placeholders |
//! | `names.rs` | regions, organs, numerals and dates as printed |
//! | `plan.rs` | what a notice contains, fixed before any text is written |
//! | `layouts.rs` | the layouts and the corpus mixes |
//! | `render.rs` | the frame of a notice (header, opening, preamble, closing, signature) |
//! | `classic.rs` | the problem sections of the seed layouts A–E (and N) |
//! | `variants.rs` | the problem sections of F–L, N's header and figures, M's script |
//! | `truth.rs` | the expected parse and its comparison with a parsed notice |
//!
//! The generator recombines the five real seed notices shipped in `seeds/`: at first use it splits the seeds
//! (embedded with [`include_str!`]) into problem titles, category and item headings, measure
//! sentences (`一是…二是…`, numbered points, unnumbered paragraphs), preamble and closing
//! paragraphs, and then assembles new notices from them with a small built-in PRNG.
//!
//! Every notice gets its own issuing body (one of ~70 real regions × an organ × a party suffix),
//! inspection facts (巡视 / 巡察 / 巡察“回头看”, round, group, dates between 2019 and 2025) and a
//! layout. The benchmark corpus uses the five layouts that mirror the seeds:
//!
//! | layout | mirrors | problem heading | measures | status line |
//! |---|---|---|---|---|
//! | A | 000 汕尾 | `问题N:…` under `(一)…` / `N.关于“…”方面` | `一是…二是…` paragraph | none |
//! | B | 003 怀化 | `N.…。` under `(一)反馈问题:…` | `整改情况:一是…` | `整改结果:完成` / `阶段性完成` |
//! | C | 004 新野 | `N、针对“…”问题的整改情况。` | same paragraph | none (full-width punctuation) |
//! | D | 002 北京 | `第一,…。` under `(一)…` | `1.` `2.` numbered points | none |
//! | E | 001 闽清 | `(N)…。` under `(一)…` / `N. 关于…的问题。` | `一是…` paragraph(s) | `整改情况:已完成整改` … |
//!
//! Layouts F–N write the other forms real notices take ([`Mix::All`] draws all fourteen;
//! the benchmark corpus does not use them):
//!
//! | layout | problem heading | measures | status, deadline, header |
//! |---|---|---|---|
//! | F | `(1)…。` under `(一)关于…方面的问题` / `1.…` | `一是…;二是…` on the heading's line | none |
//! | G | an unnumbered sentence under a bare `(一)…。` | `整改情况:已完成整改。一是…` | in the 整改情况 line, or none |
//! | H | `问题N:…。` | `一是…` paragraph, then `(1)已完成整改3个,分别是:1-2,…` | `整改情况:已完成整改` line |
//! | I | `N.…。` under `(一)在“…”方面存在的问题`, no `一、` sections | `整改情况:已完成整改。一是…` | in the 整改情况 line; closing `下一步,…` |
//! | J | `N.针对…问题`, `关于…问题的整改`, `问题一:`, `问题(1)`, `第一个问题:`; titles past an inner 。 | `一是…` paragraph | none |
//! | K | `N.…【已完成】` / `[已整改]`, or `N.…。` | `一是…` paragraph | `整改状态:` `整改进度:` `完成情况:`, `整改时限:2024年底前` / `长期坚持`, `责任单位:` `责任领导:` |
//! | L | tab-separated table rows 序号, 问题, 整改措施, 责任单位, 完成时限, 整改情况 | `一是…` in the cell | status and deadline cells |
//! | M | B in traditional characters (巡視, 整改進展情況的通報, 發布時間) | as B | as B |
//! | N | as B, unsigned web copy | as B | agency only in the body, `发布日期:`, special groups, `共反馈N个问题,整改完成N个`, feedback date sometimes unstated |
//!
//! Place names and the organ named in the seed sentences are replaced by those of the generated
//! body, and 巡视/巡察 follow the generated inspection kind. A few benchmark query terms
//! ([`TERM_RATES`]) are switched on per notice with a fixed probability, so their document
//! frequency is realistic and predictable instead of universal.
//!
//! Output is a pure function of `(seed, index)` (and the mix): the same options always give
//! byte-identical files. The classic mix's output is pinned by a hash in
//! `tests/generator.rs`, since benchmark figures are compared across versions.

mod classic;
mod layouts;
mod material;
mod names;
mod plan;
mod render;
mod rng;
mod truth;
mod variants;

use std::fs;
use std::io;
use std::path::Path;

pub use layouts::{Layout, Mix};
pub use truth::{Difference, Truth, TruthProblem};

use material::material;
use plan::{Facts, Frame, Planner};
use render::render;
use rng::{stream_seed, Rng};

/// Smallest size in bytes of a generated notice.
pub const NOTICE_MIN_BYTES: usize = 10_240;

/// Largest size in bytes of a generated notice.
pub const NOTICE_MAX_BYTES: usize = 40_000;

/// Query terms whose presence is decided per notice, with the probability that a notice
/// contains the term (sentences with a term are left out of notices that do not draw it).
pub const TERM_RATES: [(&str, f64); 5] = [
    ("医共体", 0.35),
    ("医联体", 0.25),
    ("公务用车", 0.30),
    ("第一议题", 0.40),
    ("家庭医生签约", 0.15),
];

/// Summary of one generation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateStats {
    /// Number of notice files written.
    pub files: usize,
    /// Total size in bytes of the files written.
    pub bytes: u64,
    /// Number of problems (problem headings) over all notices.
    pub problems: usize,
    /// Number of rectification measures (`一是…`, numbered points or unnumbered paragraphs) over
    /// all notices.
    pub measures: usize,
}

/// Options of [`generate_corpus`].
#[derive(Debug, Clone, Copy, Default)]
pub struct GenerateOptions {
    /// Seed of the generator; the same seed and target always give byte-identical files.
    pub seed: u64,
    /// Number of bytes to write at least; generation stops with the first file that reaches it.
    pub target_bytes: u64,
    /// Which layouts the notices use ([`Mix::Classic`], the benchmark corpus, by default).
    pub mix: Mix,
    /// Also write each notice's [`Truth`] as `notice_000001.truth.json` beside it (not
    /// counted in the stats). Off for benchmarks.
    pub truth: bool,
}

/// Writes notices into `dir` (created if missing) as `notice_000001.txt`, `notice_000002.txt`, …
/// until at least `opts.target_bytes` bytes were written, and returns what was written.
///
/// Notice `i` (1-based) is [`generate_with_truth`]`(opts.seed, i, opts.mix)` (for the default
/// mix, [`generate_notice`]`(opts.seed, i)`), so the output overshoots the
/// target by less than one notice ([`NOTICE_MAX_BYTES`]). A target of 0 writes nothing. Existing
/// files with the same names are overwritten; other files in `dir` are left alone.
///
/// # Errors
/// Returns any I/O error from creating `dir` or writing a file.
pub fn generate_corpus(dir: &Path, opts: GenerateOptions) -> io::Result<GenerateStats> {
    fs::create_dir_all(dir)?;
    let mut stats = GenerateStats {
        files: 0,
        bytes: 0,
        problems: 0,
        measures: 0,
    };
    let mut index = 0u64;
    while stats.bytes < opts.target_bytes {
        index += 1;
        let notice = build_notice(opts.seed, index, layout_of(opts.mix, opts.seed, index));
        fs::write(
            dir.join(format!("notice_{index:06}.txt")),
            notice.text.as_bytes(),
        )?;
        if opts.truth {
            let json = serde_json::to_string_pretty(&notice.truth).map_err(io::Error::other)?;
            fs::write(dir.join(format!("notice_{index:06}.truth.json")), json)?;
        }
        stats.files += 1;
        stats.bytes += notice.text.len() as u64;
        stats.problems += notice.problems;
        stats.measures += notice.measures;
    }
    Ok(stats)
}

/// Generates the text of one notice.
///
/// The result is a pure function of `(seed, index)`: UTF-8 text of [`NOTICE_MIN_BYTES`] to
/// [`NOTICE_MAX_BYTES`] bytes, lines separated by `\n`, ending with the issuing body's signature
/// and the publication date.
#[must_use]
pub fn generate_notice(seed: u64, index: u64) -> String {
    build_notice(seed, index, None).text
}

/// Generates notice `index` of `seed` in a layout drawn from `mix`, together with its
/// [`Truth`], the parse a correct parser gives for it. With [`Mix::Classic`] the text is
/// [`generate_notice`]`(seed, index)`.
#[must_use]
pub fn generate_with_truth(seed: u64, index: u64, mix: Mix) -> (String, Truth) {
    let b = build_notice(seed, index, layout_of(mix, seed, index));
    (b.text, b.truth)
}

/// The layout `mix` gives notice `index`: `None` leaves the draw of the classic mix.
fn layout_of(mix: Mix, seed: u64, index: u64) -> Option<Layout> {
    match mix {
        Mix::Classic => None,
        Mix::All => {
            // A stream of its own, so the choice does not shift the notice's other draws.
            let mut r = Rng::new(stream_seed(seed ^ 0x4C41_594F_5554_5321, index));
            Layout::ALL.get(r.below(Layout::ALL.len())).copied()
        }
    }
}

/// Generates notice `index` of `seed` in the given layout, with its [`Truth`]. The other
/// facts (issuing body, dates, inspection) are those of [`generate_notice`]`(seed, index)`.
#[must_use]
pub fn generate_layout(seed: u64, index: u64, layout: Layout) -> (String, Truth) {
    let b = build_notice(seed, index, Some(layout));
    (b.text, b.truth)
}

/// A generated notice with its counts.
#[derive(Debug)]
struct Built {
    text: String,
    problems: usize,
    measures: usize,
    truth: Truth,
}

fn build_notice(seed: u64, index: u64, layout: Option<Layout>) -> Built {
    let m = material();
    let mut rng = Rng::new(stream_seed(seed, index));
    let notice = Facts::random(&mut rng, layout);
    let frame = Frame::random(&mut rng, m, &notice);
    let budget = rng.range(12_000, 36_000);
    let mut planner = Planner::new(m, &notice, Rng::new(rng.next_u64()));
    let mut plan = planner.plan(budget);
    let (mut text, mut written) = render(&notice, m, &frame, &plan);
    for _ in 0..200 {
        let len = text.len();
        if len > NOTICE_MAX_BYTES {
            if plan.len() > 5 {
                plan.pop();
            } else if let Some(p) = plan
                .iter_mut()
                .filter(|p| p.measures.len() > 1)
                .max_by_key(|p| p.measures.len())
            {
                p.measures.pop();
            } else {
                break;
            }
        } else if len < NOTICE_MIN_BYTES {
            let (cat, item) = plan.last().map_or((0, 0), |p| (p.cat, p.item));
            if plan.len() < 40 {
                let p = planner.problem(cat, item);
                plan.push(p);
            } else if let Some(p) = plan
                .iter_mut()
                .find(|p| p.measures.len() < planner.max_measures)
            {
                let taken = p.measures.clone();
                if let Some(v) = planner.draw_measure(&taken) {
                    p.measures.push(v);
                } else {
                    break;
                }
            } else {
                break;
            }
        } else {
            break;
        }
        (text, written) = render(&notice, m, &frame, &plan);
    }
    Built {
        text,
        // Counted as written (layout H adds a measure of its own to some problems).
        problems: written.problems.len(),
        measures: written.problems.iter().map(|p| p.measures).sum(),
        truth: truth::assemble(&notice, written),
    }
}

#[cfg(test)]
mod tests {
    use super::material::strip_number;
    use super::names::{civil_from_days, cn_number, days_from_civil};
    use super::*;
    use std::path::PathBuf;

    /// Temporary directory removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!(
                "zhenggai_generate_{tag}_{}_{nanos}",
                std::process::id()
            ));
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn read_all(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            files.push((
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path())?,
            ));
        }
        files.sort();
        Ok(files)
    }

    fn is_date_line(line: &str) -> bool {
        let Some((y, rest)) = line.split_once('年') else {
            return false;
        };
        let Some((mo, rest)) = rest.split_once('月') else {
            return false;
        };
        let Some(d) = rest.strip_suffix('日') else {
            return false;
        };
        y.len() == 4
            && [y, mo, d]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    }

    /// `中共…` followed by a date line.
    fn has_signature(text: &str) -> bool {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines
            .windows(2)
            .any(|w| w[0].starts_with("中共") && !w[0].contains("关于") && is_date_line(w[1]))
    }

    fn has_problem_heading(text: &str) -> bool {
        text.lines().map(str::trim).any(|l| {
            let numbered = |rest: &str, sep: char| strip_number(rest, sep).is_some();
            l.strip_prefix("问题").is_some_and(|r| numbered(r, ':'))
                || l.strip_prefix('(').is_some_and(|r| numbered(r, ')'))
                || (numbered(l, '.') && l.ends_with('。'))
                || (numbered(l, '、') && l.contains("针对“"))
                || l.starts_with("针对“")
                || l.starts_with("第一,")
        })
    }

    #[test]
    fn material_is_extracted_from_all_seeds() {
        let m = material();
        assert!(m.records.len() >= 100, "records: {}", m.records.len());
        assert!(m.measures.len() >= 200, "measures: {}", m.measures.len());
        assert!(
            m.categories.len() >= 12,
            "categories: {}",
            m.categories.len()
        );
        assert!(m.items.len() >= 15, "items: {}", m.items.len());
        assert!(m.pre_items.len() >= 10 && m.close_items.len() >= 10);
        assert_eq!(m.pre_heads.len(), 4);
        assert_eq!(m.close_heads.len(), 3);
        for list in &m.term_measures {
            assert!(!list.is_empty());
        }
        for u in &m.measures {
            assert!(
                u.text.ends_with('。') || u.text.ends_with('!'),
                "{}",
                u.text
            );
            assert!(!u.text.starts_with("一是"), "{}", u.text);
        }
    }

    #[test]
    fn notice_is_deterministic() {
        for i in 1..20 {
            assert_eq!(generate_notice(7, i), generate_notice(7, i));
        }
        assert_ne!(generate_notice(7, 1), generate_notice(8, 1));
        assert_ne!(generate_notice(7, 1), generate_notice(7, 2));
    }

    #[test]
    fn notices_have_size_signature_and_problems() {
        let mut layouts = [false; 5];
        for i in 1..=400 {
            let text = generate_notice(42, i);
            assert!(
                (NOTICE_MIN_BYTES..=NOTICE_MAX_BYTES).contains(&text.len()),
                "notice {i}: {} bytes",
                text.len()
            );
            assert!(has_signature(&text), "notice {i} has no signature");
            assert!(has_problem_heading(&text), "notice {i} has no problem");
            assert!(!text.contains(|c: char| ('\u{E000}'..='\u{E0FF}').contains(&c)));
            assert!(text.contains("下一步") || text.contains("持续巩固"));
            let markers = ["问题1:", "整改结果:", "问题的整改情况。", "第一,", "(1)"];
            for (slot, marker) in layouts.iter_mut().zip(markers) {
                *slot |= text.contains(marker);
            }
        }
        assert!(layouts.iter().all(|&seen| seen), "{layouts:?}");
    }

    #[test]
    fn counts_are_in_range() {
        for i in 1..=200 {
            let b = build_notice(3, i, None);
            assert!((5..=40).contains(&b.problems), "{}", b.problems);
            assert!(b.measures >= b.problems && b.measures <= 6 * b.problems);
        }
    }

    #[test]
    fn query_terms_have_realistic_rates() {
        let n = 400;
        let texts: Vec<String> = (1..=n).map(|i| generate_notice(11, i)).collect();
        for (term, p) in TERM_RATES {
            let df = texts.iter().filter(|t| t.contains(term)).count();
            let rate = df as f64 / n as f64;
            assert!(
                rate > p * 0.6 && rate < (p * 1.4).min(0.9),
                "{term}: {rate} (expected about {p})"
            );
        }
    }

    #[test]
    fn corpus_is_deterministic_and_reaches_target() -> io::Result<()> {
        let a = TempDir::new("a");
        let b = TempDir::new("b");
        let opts = GenerateOptions {
            seed: 2024,
            target_bytes: 300_000,
            ..GenerateOptions::default()
        };
        let sa = generate_corpus(&a.0, opts)?;
        let sb = generate_corpus(&b.0, opts)?;
        assert_eq!(sa, sb);
        let fa = read_all(&a.0)?;
        assert_eq!(fa, read_all(&b.0)?);
        assert_eq!(fa.len(), sa.files);
        let total: u64 = fa.iter().map(|(_, d)| d.len() as u64).sum();
        assert_eq!(total, sa.bytes);
        assert!(sa.bytes >= opts.target_bytes);
        let last = fa.last().map_or(0, |(_, d)| d.len() as u64);
        assert!(
            sa.bytes - last < opts.target_bytes,
            "more than one file past the target"
        );
        assert_eq!(
            fa.first().map(|(name, _)| name.as_str()),
            Some("notice_000001.txt")
        );
        for (name, data) in &fa {
            let text = String::from_utf8(data.clone())
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            assert!(has_signature(&text), "{name}");
            assert!(has_problem_heading(&text), "{name}");
        }
        assert!(sa.problems >= 5 * sa.files && sa.measures >= sa.problems);
        Ok(())
    }

    #[test]
    fn corpus_with_truth_writes_it_beside_each_notice() -> io::Result<()> {
        let d = TempDir::new("truth");
        let opts = GenerateOptions {
            seed: 5,
            target_bytes: 200_000,
            mix: Mix::All,
            truth: true,
        };
        let stats = generate_corpus(&d.0, opts)?;
        for i in 1..=stats.files as u64 {
            let text = fs::read_to_string(d.0.join(format!("notice_{i:06}.txt")))?;
            let json = fs::read_to_string(d.0.join(format!("notice_{i:06}.truth.json")))?;
            let (want_text, truth) = generate_with_truth(5, i, Mix::All);
            assert_eq!(text, want_text);
            let value: serde_json::Value = serde_json::from_str(&json).map_err(io::Error::other)?;
            assert_eq!(value["layout"], truth.layout.name());
            assert_eq!(
                value["problems"].as_array().map(Vec::len),
                Some(truth.problems.len())
            );
        }
        Ok(())
    }

    #[test]
    fn mix_all_draws_every_layout_and_classic_is_the_benchmark() {
        let mut seen = std::collections::HashSet::new();
        for i in 1..=200 {
            seen.insert(generate_with_truth(9, i, Mix::All).1.layout);
        }
        assert_eq!(seen.len(), Layout::ALL.len());
        for i in 1..=5 {
            assert_eq!(
                generate_with_truth(9, i, Mix::Classic).0,
                generate_notice(9, i)
            );
        }
    }

    #[test]
    fn zero_target_writes_nothing() -> io::Result<()> {
        let d = TempDir::new("zero");
        let s = generate_corpus(
            &d.0,
            GenerateOptions {
                seed: 1,
                target_bytes: 0,
                ..GenerateOptions::default()
            },
        )?;
        assert_eq!(s.files, 0);
        assert_eq!(s.bytes, 0);
        assert!(d.0.is_dir());
        Ok(())
    }

    #[test]
    fn date_roundtrip() {
        for z in [-1, 0, 1, 17_897, 20_089, 20_453] {
            let d = civil_from_days(z);
            assert_eq!(days_from_civil(d.y, d.m, d.d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(cn_number(13), "十三");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(35), "三十五");
    }
}
