//! The generator as an oracle: every layout's notices parse to exactly the structure the
//! generator wrote (its truth), with no line of the text dropped.

use std::collections::BTreeMap;

use zhenggai::generate::{generate_layout, generate_notice, Layout};

/// Notices generated per layout.
const PER_LAYOUT: u64 = 40;
const SEED: u64 = 20_240_501;

/// Per layout: notices that differ, and for each field (indices folded away) how often and
/// one example.
#[derive(Default)]
struct Report {
    notices: u64,
    failed: u64,
    fields: BTreeMap<String, (usize, String)>,
}

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

#[test]
fn every_layout_parses_to_its_truth() {
    let mut reports: Vec<(Layout, Report)> = Vec::new();
    for layout in Layout::ALL {
        let mut r = Report::default();
        for i in 1..=PER_LAYOUT {
            let (text, truth) = generate_layout(SEED, i, layout);
            let notice = zhenggai::parse::parse("generated.txt", &text);
            let diffs = truth.diff(&notice);
            r.notices += 1;
            if !diffs.is_empty() {
                r.failed += 1;
            }
            for d in diffs {
                let e = r
                    .fields
                    .entry(fold_index(&d.field))
                    .or_insert_with(|| (0, format!("notice {i}: {d}")));
                e.0 += 1;
            }
        }
        reports.push((layout, r));
    }
    let mut failing = Vec::new();
    for (layout, r) in &reports {
        println!(
            "layout {}: {}/{} notices exact",
            layout.name(),
            r.notices - r.failed,
            r.notices
        );
        for (field, (count, example)) in &r.fields {
            println!("    {field} ×{count}   e.g. {example}");
        }
        if r.failed > 0 {
            failing.push(layout.name());
        }
    }
    assert!(
        failing.is_empty(),
        "layouts whose parse differs from the truth: {failing:?}"
    );
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
