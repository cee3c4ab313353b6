//! The generator as an oracle: every layout's notices parse to exactly the structure the
//! generator wrote (its truth), with no line of the text dropped.
//!
//! There is one test per layout (`layout_a_seed_000` … `layout_n_unsigned_web_copy`); a
//! failing one prints, per field, how many problems differ and one example, e.g.
//! `problems[].title ×12   e.g. notice 3: problems[5].title: expected "…" got "…"`.
//! `cargo test --test generator -- --nocapture` shows the report of passing layouts too.

use std::collections::BTreeMap;

use zhenggai::generate::{generate_layout, generate_notice, Layout};
use zhenggai::notice::Notice;

/// The nothing-dropped check used by the tests.
fn unkept(text: &str, notice: &Notice) -> Vec<usize> {
    zhenggai::parse::unkept_lines(text, notice)
}

/// Notices generated per layout.
const PER_LAYOUT: u64 = 25;
const SEED: u64 = 20_240_501;

/// Per layout: notices whose parse differs from the truth, notices with dropped lines,
/// and for each differing field (indices folded away) how often and one example.
#[derive(Default)]
struct Report {
    notices: u64,
    differ: u64,
    dropped: u64,
    fields: BTreeMap<String, (usize, String)>,
}

impl Report {
    fn note(&mut self, field: String, example: impl FnOnce() -> String) {
        self.fields
            .entry(fold_index(&field))
            .or_insert_with(|| (0, example()))
            .0 += 1;
    }
}

/// `problems[3].title` → `problems[].title`.
fn fold_index(field: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for c in field.chars() {
        match c {
            '[' => {
                skip = true;
                out.push_str("[]");
            }
            ']' => skip = false,
            _ if skip => {}
            c => out.push(c),
        }
    }
    out
}

/// Parses `PER_LAYOUT` notices of `layout` and compares each with its truth and with its
/// text (nothing dropped). Prints a per-field summary of what differs (run with
/// `--nocapture` to see it when everything passes) and fails if anything does.
fn check_layout(layout: Layout) {
    let mut r = Report::default();
    for i in 1..=PER_LAYOUT {
        let (text, truth) = generate_layout(SEED, i, layout);
        let notice = zhenggai::parse::parse("generated.txt", &text);
        let diffs = truth.diff(&notice);
        r.notices += 1;
        if !diffs.is_empty() {
            r.differ += 1;
        }
        for d in diffs {
            r.note(d.field.clone(), || format!("notice {i}: {d}"));
        }
        let lost = unkept(&text, &notice);
        if let Some(&first) = lost.first() {
            r.dropped += 1;
            let line: String = text
                .lines()
                .nth(first - 1)
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            r.note("unkept_lines".to_string(), || {
                format!("notice {i}: lines {lost:?}, first: {line}")
            });
        }
    }
    let mut summary = format!(
        "layout {}: parse = truth {}/{}, nothing dropped {}/{}",
        layout.name(),
        r.notices - r.differ,
        r.notices,
        r.notices - r.dropped,
        r.notices
    );
    for (field, (count, example)) in &r.fields {
        summary.push_str(&format!("\n    {field} ×{count}   e.g. {example}"));
    }
    assert!(r.differ + r.dropped == 0, "{summary}");
    println!("{summary}");
}

/// One test per layout, so a run shows at a glance which layouts the parser reads exactly.
macro_rules! layout_tests {
    ($($name:ident => $layout:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_layout(Layout::$layout);
            }
        )*

        /// Every layout has its test above.
        #[test]
        fn every_layout_is_tested() {
            let tested = [$(Layout::$layout),*];
            assert_eq!(tested.as_slice(), Layout::ALL.as_slice());
        }
    };
}

layout_tests! {
    layout_a_seed_000 => A,
    layout_b_seed_003 => B,
    layout_c_seed_004 => C,
    layout_d_seed_002 => D,
    layout_e_seed_001 => E,
    layout_f_three_levels_inline_measures => F,
    layout_g_bare_categories_unnumbered_problems => G,
    layout_h_enumerations_inside_status => H,
    layout_i_no_sections => I,
    layout_j_problem_heading_forms => J,
    layout_k_status_and_deadline_forms => K,
    layout_l_table => L,
    layout_m_traditional_script => M,
    layout_n_unsigned_web_copy => N,
}

/// Every layout writes notices of the documented size with no placeholder left.
#[test]
fn every_layout_writes_whole_notices() {
    use zhenggai::generate::{NOTICE_MAX_BYTES, NOTICE_MIN_BYTES};
    for layout in Layout::ALL {
        for i in 1..=10 {
            let (text, truth) = generate_layout(SEED, i, layout);
            assert!(
                (NOTICE_MIN_BYTES..=NOTICE_MAX_BYTES).contains(&text.len()),
                "layout {} notice {i}: {} bytes",
                layout.name(),
                text.len()
            );
            assert!(!text.contains(|c: char| ('\u{E000}'..='\u{F8FF}').contains(&c)));
            assert!(
                truth.problems.len() >= 5,
                "layout {} notice {i}",
                layout.name()
            );
            assert_eq!(truth.layout, layout);
        }
    }
}

#[test]
fn same_seed_same_bytes() {
    for i in 1..=20 {
        assert_eq!(generate_notice(SEED, i), generate_notice(SEED, i));
        for layout in Layout::ALL {
            assert_eq!(
                generate_layout(SEED, i, layout),
                generate_layout(SEED, i, layout)
            );
        }
    }
}

/// The benchmark corpus is compared across sessions: its bytes must not change.
#[test]
fn benchmark_notices_are_unchanged() {
    let mut all = String::new();
    for i in 1..=300u64 {
        all.push_str(&generate_notice(SEED, i));
    }
    assert_eq!(
        (xxhash_rust::xxh3::xxh3_64(all.as_bytes()), all.len()),
        (0x2db0_f561_7e71_c810, 7_446_613)
    );
}
