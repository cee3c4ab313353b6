//! Command-line interface: argument parsing and dispatch. Output formatting is in
//! [`output`]; all the work is done by the library.

mod args;
mod output;

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

/// Runs the command line and maps the outcome to an exit code. A closed pipe
/// (`zhenggai search … | head`) ends the program quietly.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
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

fn build_index(corpus: &Path, index: &Path, a: &IndexArgs) -> Result<zhenggai::index::BuildReport> {
    let mut opts = BuildOptions::new(corpus, index);
    opts.rebuild = a.rebuild;
    opts.threads = a.threads.unwrap_or(0);
    opts.user_dict = a.dict.clone();
    let pb = progress_bar(a.quiet);
    let mut files_done = 0u64;
    let mut files_total = 0u64;
    let report = zhenggai::index::build(&opts, &mut |p| match p {
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

fn cmd_index(index: &Path, a: IndexArgs) -> Result<ExitCode> {
    let corpus = a
        .corpus
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS));
    let report = build_index(&corpus, index, &a)?;
    for (path, reason) in &report.errors {
        eprintln!("警告 (warning): {}: {reason}", path.display());
    }
    if !a.quiet {
        eprintln!("{}", output::report_line(&report, index));
    }
    Ok(ExitCode::SUCCESS)
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
    let missing = !zhenggai::index::exists(index);
    let outdated = !missing
        && matches!(
            zhenggai::index::Manifest::load(index),
            Err(zhenggai::Error::CorruptIndex { .. })
        );
    if (missing || outdated) && !index_given {
        // First run from a fresh clone (or after an upgrade that changed the index
        // format): build the default index from the seeds.
        if missing {
            eprintln!(
                "索引 {} 不存在，正在从 {DEFAULT_CORPUS}/ 建立… (no index yet: building it from {DEFAULT_CORPUS}/)",
                index.display()
            );
        } else {
            eprintln!(
                "索引 {} 的格式已过时，正在从 {DEFAULT_CORPUS}/ 重建… (index format is outdated: rebuilding from {DEFAULT_CORPUS}/)",
                index.display()
            );
        }
        let ia = IndexArgs {
            corpus: None,
            rebuild: true,
            threads: None,
            dict: a.dict.clone(),
            quiet: true,
        };
        let report = build_index(Path::new(DEFAULT_CORPUS), index, &ia)?;
        eprintln!("{}", output::report_line(&report, index));
    }
    let engine = Engine::open(index)?;
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
    };
    let results = engine.search(&req)?;
    write_results(&req, &results, a.json)?;
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
    let engine = Engine::open(index)?;
    let hit = engine.get(id)?;
    let all = engine.records_of(&hit.source)?;
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
    let engine = Engine::open(index)?;
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
        facets: None,
    };
    write_results(&SearchRequest::new(""), &results, json)?;
    Ok(if results.total == 0 {
        ExitCode::from(NO_MATCH)
    } else {
        ExitCode::SUCCESS
    })
}
