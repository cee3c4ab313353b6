//! The search page in headless Chromium: `tests/browser/browser_test.py` drives it
//! against a server started here on a loopback port, over the seeds and one notice
//! full of markup. Screenshots are kept in `target/browser/`.
//!
//! Without `chromium` (or `python3`) the test says so and passes, unless `CI` is set:
//! then a missing browser is a failure. Install with
//! `apt-get install -y chromium fonts-noto-cjk`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A notice whose text is markup: it must show as text.
const HOSTILE: &str = "中共测试县卫生健康局党组关于巡察整改进展情况的通报\n\
一、存在问题及整改情况\n\
(一)聚焦<b>粗体</b>问题\n\
问题1:医共体建设<script>window.__pwned=2</script>滞后\n\
整改情况:已完成整改。\n\
一是推进医共体<img src=x onerror=window.__pwned=1>建设，整改“</textarea>”到位。二是加强医共体考核&amp;督导。\n\
\n\
中共测试县卫生健康局党组\n\
2024年5月6日\n";

fn found(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn search_page_in_headless_chromium() {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    for (program, arg) in [("chromium", "--version"), ("python3", "--version")] {
        if !found(program, arg) {
            assert!(
                !ci,
                "{program} is needed for the browser test under CI (apt-get install -y chromium fonts-noto-cjk)"
            );
            // Straight to the process's stderr: the harness would hide eprintln! of a
            // passing test.
            let _ = writeln!(
                std::io::stderr(),
                "NOTICE: {program} not found: browser test SKIPPED (apt-get install -y chromium fonts-noto-cjk python3)"
            );
            return;
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(root.join("seeds")).expect("seeds") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("file name");
        std::fs::copy(&path, corpus.path().join(name)).expect("copy");
    }
    std::fs::write(corpus.path().join("hostile.txt"), HOSTILE).expect("write");
    let index = tempfile::tempdir().expect("tempdir");
    let opts = zhenggai::index::BuildOptions::new(corpus.path(), index.path());
    zhenggai::index::build(&opts, &mut |_| {}).expect("index builds");
    let server = zhenggai::serve::Server::start(index.path(), "127.0.0.1:0".parse().expect("addr"))
        .expect("server starts");
    let out: PathBuf = root.join("target").join("browser");
    let status = Command::new("python3")
        .arg(root.join("tests/browser/browser_test.py"))
        .arg("--base")
        .arg(format!("http://{}", server.addr()))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("python3 runs");
    server.stop();
    assert!(
        status.success(),
        "browser test failed; screenshots in {}",
        out.display()
    );
}
