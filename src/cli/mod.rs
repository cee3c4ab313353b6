//! Command-line interface: argument parsing and dispatch. Output formatting is in
//! [`output`]; all the work is done by the library.

mod args;
mod config;
mod output;
mod report;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zhenggai::index::{BuildOptions, Progress};
use zhenggai::search::{Engine, SearchRequest, Sort};

use self::args::{Cli, Command, IndexArgs, SearchArgs};
use self::config::Places;

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
    let cli = Cli::parse_from(args::hyphen_words(std::env::args_os()));
    // `parse`, `completions` and `man` need no index: a broken config file does
    // not stop them.
    let needs_index = !matches!(
        cli.command,
        Command::Parse { .. } | Command::Completions { .. } | Command::Man
    );
    let places = match Places::from_env(cli.index.clone()) {
        Ok(p) => p,
        Err(e) if needs_index => {
            eprintln!("错误 (error): {e:#}");
            return ExitCode::from(FAILURE);
        }
        Err(_) => Places::unresolved(cli.index.clone()),
    };
    let index = places.index.path.clone();
    let program = places.program();
    let panicked = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let slot = panicked.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut s) = slot.lock() {
            if s.is_empty() {
                *s = info.to_string();
            }
        }
    }));
    let outcome = match std::panic::catch_unwind(|| run(cli, &places)) {
        Ok(outcome) => outcome,
        Err(_) => {
            let what = panicked.lock().map(|s| s.clone()).unwrap_or_default();
            eprintln!(
                "错误 (error): 读取索引 {} 时出错，索引文件可能已损坏；运行 `{program} index` 会检查并修复 (reading the index failed, its files may be damaged: run `{program} index` to check and repair it)\n  ({what})",
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
            // The library's hints say `zhenggai index`: an index named on the command
            // line has to be named in the command the user is told to run.
            let message = format!("{e:#}").replace("`zhenggai index", &format!("`{program} index"));
            eprintln!("错误 (error): {message}");
            let engine = |c: &(dyn std::error::Error + 'static)| {
                matches!(
                    c.downcast_ref::<zhenggai::Error>(),
                    Some(zhenggai::Error::Tantivy(_))
                )
            };
            if e.chain().any(engine) {
                eprintln!(
                    "索引 {} 的文件可能已损坏；运行 `{program} index` 会检查并修复 (the index's files may be damaged: run `{program} index` to check and repair it)",
                    index.display()
                );
            }
            ExitCode::from(FAILURE)
        }
    }
}

fn run(cli: Cli, places: &Places) -> Result<ExitCode> {
    let index = places.index.path.as_path();
    match cli.command {
        Command::Index(a) => cmd_index(places, a),
        Command::Search(a) => cmd_search(places, a),
        Command::Parse { file, json } => cmd_parse(&file, json),
        Command::Show { id, json } => cmd_show(index, &id, json),
        Command::Serve(a) => {
            zhenggai::serve::run(index, a.addr)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Similar {
            id,
            text,
            limit,
            json,
        } => cmd_similar(index, id.as_deref(), text.as_deref(), limit, json),
        Command::Stats(a) => report::cmd_stats(index, a),
        Command::Export(a) => report::cmd_export(index, a),
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
fn built_from(places: &Places) -> Result<Option<PathBuf>> {
    let index = places.index.path.as_path();
    let Some(corpus) = zhenggai::index::ManifestHead::load(index).and_then(|h| h.corpus) else {
        return Ok(None);
    };
    let corpus = PathBuf::from(corpus);
    if !corpus.exists() {
        bail!(
            "索引 {} 是从 {} 建立的，该目录已不存在；请给出语料目录：{} index 语料目录 (the index was built from {}, which is gone: name the corpus to index)",
            index.display(),
            corpus.display(),
            places.program(),
            corpus.display()
        );
    }
    Ok(Some(corpus))
}

/// The message when no corpus is given, remembered or configured.
fn no_corpus(places: &Places) -> anyhow::Error {
    let file = places
        .config_file
        .as_ref()
        .map_or_else(|| "config.toml".to_string(), |f| f.display().to_string());
    anyhow::anyhow!(
        "没有语料目录：请运行 `{program} index 语料目录`，或设置 {env}，或在配置文件 {file} 中写 corpus = \"…\" (no corpus: run `{program} index CORPUS`, set {env}, or put corpus = \"…\" in {file})",
        program = places.program(),
        env = config::CORPUS_ENV,
    )
}

fn cmd_index(places: &Places, a: IndexArgs) -> Result<ExitCode> {
    let index = places.index.path.as_path();
    // Without a corpus, an index is updated from the corpus it was built from, and a
    // new one is built from the configured corpus.
    let corpus = match a.corpus.clone() {
        Some(c) => c,
        None => match built_from(places)? {
            Some(c) => c,
            None => places
                .corpus
                .as_ref()
                .map(|c| c.path.clone())
                .ok_or_else(|| no_corpus(places))?,
        },
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

/// Builds the default index from the default corpus when a search finds none, or
/// finds one that was built from that corpus and cannot be used (an older format, a
/// damaged manifest). An index built from another corpus is never replaced: the
/// search fails with a message instead. An index named with `--index` is left as
/// it is.
fn ensure_default_index(places: &Places, dict: Option<&Path>) -> Result<()> {
    let index = places.index.path.as_path();
    if places.index_named() {
        return Ok(());
    }
    let missing = !zhenggai::index::exists(index);
    let unusable = !missing && zhenggai::index::Manifest::load(index).is_err();
    if !missing && !unusable {
        return Ok(());
    }
    let program = places.program();
    let Some(corpus) = places.corpus.as_ref().map(|c| c.path.as_path()) else {
        if unusable {
            bail!(
                "索引 {} 无法使用；请运行 `{program} index 语料目录 --rebuild` (the index cannot be used: run `{program} index CORPUS --rebuild`)",
                index.display()
            );
        }
        return Err(no_corpus(places).context(format!(
            "索引 {} 不存在 (no index at {})",
            index.display(),
            index.display()
        )));
    };
    let shown = corpus.display();
    if unusable {
        let from = zhenggai::index::ManifestHead::load(index).and_then(|h| h.corpus);
        let ours = corpus.canonicalize().ok();
        let from_ours = from
            .as_ref()
            .is_some_and(|c| Some(PathBuf::from(c)) == ours);
        if !from_ours {
            bail!(
                "索引 {} 无法使用，而且不是从 {shown}/ 建立的，不会自动重建；请运行 `{program} index 语料目录 --rebuild` (the index cannot be used and was not built from {shown}/, so it is not rebuilt behind your back: run `{program} index CORPUS --rebuild`)",
                index.display()
            );
        }
        eprintln!(
            "索引 {} 的格式已过时或清单损坏，正在从 {shown}/ 重建… (index format is outdated or its manifest is damaged: rebuilding from {shown}/)",
            index.display()
        );
    } else {
        eprintln!(
            "索引 {} 不存在，正在从 {shown}/ 建立… (no index yet: building it from {shown}/)",
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
    let report = build_index(corpus, index, &ia, missing)?;
    if !report.existing {
        eprintln!("{}", output::report_line(&report, index));
    }
    Ok(())
}

fn cmd_search(places: &Places, a: SearchArgs) -> Result<ExitCode> {
    ensure_default_index(places, a.dict.as_deref())?;
    let engine = open_engine(&places.index.path)?;
    engine.check_user_dict(a.dict.as_deref())?;
    let mut req = a.select.request()?;
    req.limit = a.limit;
    req.offset = a.offset;
    req.sort = match a.sort {
        args::SortArg::Relevance => Sort::Relevance,
        args::SortArg::Date => Sort::Date,
    };
    req.facets = a.facets;
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
    let results = engine.similar_results(&text, agency.as_deref(), own.as_deref(), limit)?;
    write_results(&SearchRequest::new(""), &results, json)?;
    Ok(if results.total == 0 {
        ExitCode::from(NO_MATCH)
    } else {
        ExitCode::SUCCESS
    })
}
