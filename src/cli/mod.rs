//! Command-line interface: argument parsing and dispatch. Output formatting is in
//! [`output`]; all the work is done by the library.

mod args;
mod output;
mod report;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zhenggai::index::{BuildOptions, Progress};
use zhenggai::notice::Status;
use zhenggai::search::{Engine, SearchRequest, Sort};

use self::args::{Cli, Command, IndexArgs, SearchArgs};

/// Default corpus directory.
const DEFAULT_CORPUS: &str = "seeds";
/// Default index directory.
const DEFAULT_INDEX: &str = "index";

/// Exit code when a search found nothing.
const NO_MATCH: u8 = 1;
/// Exit code for errors.
const FAILURE: u8 = 2;
/// Exit code of `index` when some files could not be read (the rest was indexed).
const UNREADABLE: u8 = 3;

/// Runs the command line and maps the outcome to an exit code. A closed pipe
/// (`zhenggai search … | head`) ends the program quietly. A panic (a garbled index
/// file that the engine does not check) becomes a message and exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let index = cli
        .index
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    let panicked = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let slot = panicked.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut s) = slot.lock() {
            if s.is_empty() {
                *s = info.to_string();
            }
        }
    }));
    let outcome = match std::panic::catch_unwind(|| run(cli)) {
        Ok(outcome) => outcome,
        Err(_) => {
            let what = panicked.lock().map(|s| s.clone()).unwrap_or_default();
            eprintln!(
                "错误 (error): 读取索引 {} 时出错，索引文件可能已损坏；运行 `zhenggai index` 会检查并修复 (reading the index failed, its files may be damaged: run `zhenggai index` to check and repair it)\n  ({what})",
                index.display()
            );
            return ExitCode::from(FAILURE);
        }
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            let broken_pipe = |c: &(dyn std::error::Error + 'static)| {
                let io = c.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
                // serde_json reports the writer's error as its own.
                let json = c
                    .downcast_ref::<serde_json::Error>()
                    .and_then(|j| j.io_error_kind());
                io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
            };
            if e.chain().any(broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("错误 (error): {e:#}");
            let engine = |c: &(dyn std::error::Error + 'static)| {
                matches!(
                    c.downcast_ref::<zhenggai::Error>(),
                    Some(zhenggai::Error::Tantivy(_))
                )
            };
            if e.chain().any(engine) {
                eprintln!(
                    "索引 {} 的文件可能已损坏；运行 `zhenggai index` 会检查并修复 (the index's files may be damaged: run `zhenggai index` to check and repair it)",
                    index.display()
                );
            }
            ExitCode::from(FAILURE)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let index_given = cli.index.is_some();
    let index = cli
        .index
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    match cli.command {
        Command::Index(a) => cmd_index(&index, a),
        Command::Search(a) => cmd_search(&index, index_given, a),
        Command::Parse { file, json } => cmd_parse(&file, json),
        Command::Show { id, json } => cmd_show(&index, &id, json),
        Command::Serve(a) => {
            zhenggai::serve::run(&index, a.addr)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Similar {
            id,
            text,
            limit,
            json,
        } => cmd_similar(&index, id.as_deref(), text.as_deref(), limit, json),
        Command::Stats(a) => report::cmd_stats(&index, a),
        Command::Export(a) => report::cmd_export(&index, a),
        Command::Completions { shell } => report::cmd_completions(shell),
        Command::Man => report::cmd_man(),
    }
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} 剩余 {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

fn build_index(
    corpus: &Path,
    index: &Path,
    a: &IndexArgs,
    if_missing: bool,
) -> Result<zhenggai::index::BuildReport> {
    let mut opts = BuildOptions::new(corpus, index);
    opts.rebuild = a.rebuild;
    opts.threads = a.threads.unwrap_or(0);
    opts.user_dict = a.dict.clone();
    opts.if_missing = if_missing;
    let threads = zhenggai::index::writer::clamp_threads(opts.threads);
    if opts.threads > threads {
        eprintln!(
            "提示 (note): --threads {} 超过本机可用的 {threads} 个线程，改用 {threads} (more threads than the machine has: using {threads})",
            opts.threads
        );
    }
    let pb = progress_bar(a.quiet);
    let mut files_done = 0u64;
    let mut files_total = 0u64;
    let report = zhenggai::index::build(&opts, &mut |p| match p {
        Progress::Waiting => pb.suspend(|| {
            eprintln!(
                "索引 {} 正在被另一个 zhenggai 进程写入，等待其完成… (another zhenggai process is writing this index: waiting for it)",
                index.display()
            )
        }),
        Progress::Start { files, bytes } => {
            files_total = files;
            pb.set_length(bytes);
        }
        Progress::File { bytes } => {
            files_done += 1;
            pb.inc(bytes);
            pb.set_message(format!("{files_done}/{files_total} 个文件"));
        }
        Progress::Commit => pb.set_message("正在写入索引 (committing)…"),
    })
    .with_context(|| {
        format!(
            "建立索引失败 (indexing {} into {})",
            corpus.display(),
            index.display()
        )
    })?;
    pb.finish_and_clear();
    Ok(report)
}

/// The corpus an index was built from, if its manifest says. A corpus that is no
/// longer there is an error: updating from another one would drop every file.
fn built_from(index: &Path) -> Result<Option<PathBuf>> {
    let Some(corpus) = zhenggai::index::ManifestHead::load(index).and_then(|h| h.corpus) else {
        return Ok(None);
    };
    let corpus = PathBuf::from(corpus);
    if !corpus.exists() {
        bail!(
            "索引 {} 是从 {} 建立的，该目录已不存在；请给出语料目录：zhenggai index 语料目录 (the index was built from {}, which is gone: name the corpus to index)",
            index.display(),
            corpus.display(),
            corpus.display()
        );
    }
    Ok(Some(corpus))
}

fn cmd_index(index: &Path, a: IndexArgs) -> Result<ExitCode> {
    // Without a corpus, an index is updated from the corpus it was built from.
    let corpus = match a.corpus.clone() {
        Some(c) => c,
        None => built_from(index)?.unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS)),
    };
    let report = build_index(&corpus, index, &a, false)?;
    if let Some(reason) = &report.repaired {
        eprintln!(
            "提示 (note): 原索引已损坏，已从头重建 (the index was damaged and has been rebuilt): {reason}"
        );
    }
    for (path, reason) in &report.warnings {
        eprintln!("警告 (warning): {}: {reason}", path.display());
    }
    for (path, reason) in &report.errors {
        eprintln!("无法读取 (unreadable): {}: {reason}", path.display());
    }
    if !report.mismatched.is_empty() && !a.quiet {
        eprintln!(
            "{} 份通报解析出的数字与通报自述的不一致，可能有误读 ({} notices whose parsed counts differ from their stated figures):",
            report.mismatched.len(),
            report.mismatched.len()
        );
        for (path, diffs) in &report.mismatched {
            eprintln!("  {}: {}", path.display(), diffs.join("；"));
        }
    }
    if !a.quiet {
        eprintln!("{}", output::report_line(&report, index));
    }
    if report.errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(UNREADABLE))
    }
}

/// Opens the live generation of `index` for searching (see [`Engine::open`]).
fn open_engine(index: &Path) -> Result<Engine> {
    Ok(Engine::open(index)?)
}

/// Builds the default index from the seeds when a search finds none, or finds one
/// that was built from the seeds and cannot be used (an older format, a damaged
/// manifest). An index built from another corpus is never replaced: the search
/// fails with a message instead.
fn ensure_default_index(index: &Path, dict: Option<&Path>) -> Result<()> {
    let seeds = Path::new(DEFAULT_CORPUS);
    let missing = !zhenggai::index::exists(index);
    let unusable = !missing && zhenggai::index::Manifest::load(index).is_err();
    if !missing && !unusable {
        return Ok(());
    }
    if unusable {
        let from = zhenggai::index::ManifestHead::load(index).and_then(|h| h.corpus);
        let ours = seeds.canonicalize().ok();
        let from_seeds = from
            .as_ref()
            .is_some_and(|c| Some(PathBuf::from(c)) == ours);
        if !from_seeds {
            bail!(
                "索引 {} 无法使用，而且不是从 {DEFAULT_CORPUS}/ 建立的，不会自动重建；请运行 `zhenggai index 语料目录 --rebuild` (the index cannot be used and was not built from {DEFAULT_CORPUS}/, so it is not rebuilt behind your back: run `zhenggai index CORPUS --rebuild`)",
                index.display()
            );
        }
        eprintln!(
            "索引 {} 的格式已过时或清单损坏，正在从 {DEFAULT_CORPUS}/ 重建… (index format is outdated or its manifest is damaged: rebuilding from {DEFAULT_CORPUS}/)",
            index.display()
        );
    } else {
        eprintln!(
            "索引 {} 不存在，正在从 {DEFAULT_CORPUS}/ 建立… (no index yet: building it from {DEFAULT_CORPUS}/)",
            index.display()
        );
    }
    let ia = IndexArgs {
        corpus: None,
        rebuild: unusable,
        threads: None,
        dict: dict.map(Path::to_path_buf),
        quiet: true,
    };
    // Two first searches at once: the second waits for the first's build and then
    // uses it (`if_missing`).
    let report = build_index(seeds, index, &ia, missing)?;
    if !report.existing {
        eprintln!("{}", output::report_line(&report, index));
    }
    Ok(())
}

fn parse_status(list: &[String]) -> Result<Vec<Status>> {
    let mut out = Vec::new();
    for s in list.iter().flat_map(|s| s.split([',', '，'])) {
        if s.trim().is_empty() {
            continue;
        }
        match Status::parse_user(s) {
            Some(v) => out.extend(v),
            None => bail!(
                "未知的整改状态 “{s}” (unknown status {s:?}); 可用: 已完成/completed, 基本完成/basically_completed, 阶段性完成/phased, 正在整改/in_progress, 未完成/unfinished, 未说明/unspecified"
            ),
        }
    }
    out.sort_by_key(|s| s.as_str());
    out.dedup();
    Ok(out)
}

fn cmd_search(index: &Path, index_given: bool, a: SearchArgs) -> Result<ExitCode> {
    if !index_given {
        ensure_default_index(index, a.dict.as_deref())?;
    }
    let engine = open_engine(index)?;
    engine.check_user_dict(a.dict.as_deref())?;
    let req = SearchRequest {
        query: a.query.join(" "),
        agency: a.agency.clone(),
        status: parse_status(&a.status)?,
        category: a.category.clone(),
        level: a.level.clone(),
        since: a.since.clone(),
        until: a.until.clone(),
        measures_only: a.measures_only,
        limit: a.limit,
        offset: a.offset,
        sort: match a.sort {
            args::SortArg::Relevance => Sort::Relevance,
            args::SortArg::Date => Sort::Date,
        },
        exact: a.exact,
        facets: a.facets,
        all_copies: a.all_copies,
    };
    let results = engine.search(&req)?;
    write_results(&req, &results, a.json)?;
    if let Some(note) = req.window_note(results.total) {
        eprintln!("{note}");
    }
    if results.total == 0 {
        if !a.json {
            eprintln!("没有找到匹配的措施 (no matching measures)");
        }
        return Ok(ExitCode::from(NO_MATCH));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints results to stdout: JSON, or text coloured when stdout is a terminal.
fn write_results(
    req: &SearchRequest,
    results: &zhenggai::search::SearchResults,
    json: bool,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, results)?;
        writeln!(out)?;
    } else {
        let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        output::print_results(&mut out, req, results, color)?;
    }
    out.flush()?;
    Ok(())
}

fn cmd_parse(file: &Path, json: bool) -> Result<ExitCode> {
    let src = zhenggai::read::read_file(file)?;
    let notice = zhenggai::parse::parse(&file.to_string_lossy(), &src.text);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &output::gold_json(&notice))?;
        writeln!(out)?;
    } else {
        output::print_notice(&mut out, &notice)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_show(index: &Path, id: &str, json: bool) -> Result<ExitCode> {
    let engine = open_engine(index)?;
    let (hit, all) = engine.show(id)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    output::print_show(&mut out, &hit, &all, json)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_similar(
    index: &Path,
    id: Option<&str>,
    text: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<ExitCode> {
    let engine = open_engine(index)?;
    let (text, agency, own) = match (id, text) {
        (Some(id), _) => {
            let h = engine.get(id)?;
            (
                format!("{}\n{}", h.problem, h.measure),
                Some(h.agency_short),
                Some(id.to_string()),
            )
        }
        (None, Some(t)) => (t.to_string(), None, None),
        (None, None) => bail!("请给出结果编号或 --text (give a hit id or --text)"),
    };
    let hits = engine.similar(&text, agency.as_deref(), own.as_deref(), limit)?;
    let results = zhenggai::search::SearchResults {
        total: hits.len(),
        hits,
        ..Default::default()
    };
    write_results(&SearchRequest::new(""), &results, json)?;
    Ok(if results.total == 0 {
        ExitCode::from(NO_MATCH)
    } else {
        ExitCode::SUCCESS
    })
}
