//! Nothing dropped: every content line of every seed and fixture is kept in a
//! searchable field of its parse (`zhenggai::parse::unkept_lines`).

use std::path::{Path, PathBuf};

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["seeds", "tests/fixtures/variants", "tests/fixtures/layouts"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "txt" | "md" | "html" | "htm")
                && p.file_name().is_none_or(|n| n != "README.md")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_line_of_any_seed_or_fixture_is_dropped() {
    let mut report = Vec::new();
    for path in files() {
        let src = zhenggai::read::read_file(&path).expect("readable");
        let name = path.display().to_string();
        let notice = zhenggai::parse::parse(&name, &src.text);
        let lost = zhenggai::parse::unkept_lines(&src.text, &notice);
        let lines: Vec<&str> = src.text.lines().collect();
        for l in &lost {
            report.push(format!("{name}:{l}: {}", lines.get(l - 1).unwrap_or(&"")));
        }
        let rescued = zhenggai::parse::parse_checked(&name, &src.text);
        assert!(
            zhenggai::parse::unkept_lines(&src.text, &rescued).is_empty(),
            "{name}: parse keeps every line"
        );
    }
    assert!(report.is_empty(), "lines dropped:\n{}", report.join("\n"));
}

/// Generated notices (every layout the generator writes) lose no line either.
#[test]
fn no_line_of_generated_notices_is_dropped() {
    let mut report = Vec::new();
    for i in 0..300u64 {
        let text = zhenggai::generate::generate_notice(7, i);
        let notice = zhenggai::parse::parse("gen.txt", &text);
        let lost = zhenggai::parse::unkept_lines(&text, &notice);
        let lines: Vec<&str> = text.lines().collect();
        for l in lost {
            report.push(format!("gen {i}:{l}: {}", lines.get(l - 1).unwrap_or(&"")));
        }
    }
    assert!(report.is_empty(), "lines dropped:\n{}", report.join("\n"));
}
