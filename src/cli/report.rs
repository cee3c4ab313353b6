//! The `stats`, `export`, `completions` and `man` commands: arguments and dispatch.
//! The work is done by [`zhenggai::stats`] and [`zhenggai::export`].

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, ValueEnum};
use zhenggai::export::Format;
use zhenggai::search::Engine;
use zhenggai::stats::By;

use super::args::{Cli, Select};

/// Grouping of `stats`.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum ByArg {
    /// 按通报，含自述数字核对和完成时限 (per notice, with stated figures and deadlines)
    #[default]
    Notice,
    /// 按机构 (per agency)
    Agency,
    /// 按问题类别，未完成多的在前 (per category, most unfinished first)
    Category,
    /// 按整改状态 (per status)
    Status,
    /// 按年份 (per year)
    Year,
}

/// Arguments of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub select: Select,
    /// 分组方式 (grouping)
    #[arg(long, value_enum, default_value_t = ByArg::Notice)]
    pub by: ByArg,
    /// 检查完成时限所用的日期，默认今天 (date deadlines are checked against, YYYY-MM-DD; default: today)
    #[arg(long)]
    pub today: Option<String>,
    /// 以 JSON 输出 (print JSON)
    #[arg(long)]
    pub json: bool,
}

/// Export format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// JSON Lines，每行一条记录 (one JSON object per line)
    Jsonl,
    /// CSV，UTF-8 带 BOM，Excel/WPS 可直接打开 (CSV, UTF-8 with BOM)
    Csv,
    /// OpenSearch/Elasticsearch _bulk NDJSON
    Opensearch,
    /// Typesense JSONL 导入 (Typesense import JSONL, with pre-segmented search fields)
    Typesense,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub select: Select,
    /// 格式 (format)
    #[arg(long, value_enum, default_value_t = FormatArg::Jsonl)]
    pub format: FormatArg,
    /// 输出文件，默认标准输出 (output file; default: stdout)
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// 不报告导出条数 (no summary on stderr)
    #[arg(long, short)]
    pub quiet: bool,
}

/// `zhenggai stats`.
pub fn cmd_stats(index: &Path, a: StatsArgs) -> Result<ExitCode> {
    let engine = Engine::open(index)?;
    let req = a.select.request()?;
    let today = match &a.today {
        Some(t) => zhenggai::stats::check_date(t)?,
        None => zhenggai::stats::today(),
    };
    let by = match a.by {
        ByArg::Notice => By::Notice,
        ByArg::Agency => By::Agency,
        ByArg::Category => By::Category,
        ByArg::Status => By::Status,
        ByArg::Year => By::Year,
    };
    let stats = zhenggai::stats::stats(&engine, &req, &today)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &stats.json(by))?;
        writeln!(out)?;
    } else {
        out.write_all(zhenggai::stats::table::report(&stats, by).as_bytes())?;
    }
    out.flush()?;
    Ok(if stats.totals.notices == 0 {
        ExitCode::from(super::NO_MATCH)
    } else {
        ExitCode::SUCCESS
    })
}

/// `zhenggai export`: to a file (written beside it, then renamed into place) or stdout.
pub fn cmd_export(index: &Path, a: ExportArgs) -> Result<ExitCode> {
    let engine = Engine::open(index)?;
    let req = a.select.request()?;
    let format = match a.format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Opensearch => Format::OpenSearch,
        FormatArg::Typesense => Format::Typesense,
    };
    let n = match &a.output {
        Some(path) => {
            let mut tmp_name = path.as_os_str().to_owned();
            tmp_name.push(".tmp");
            let tmp = PathBuf::from(tmp_name);
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("无法写入 (cannot write) {}", tmp.display()))?;
            let mut w = BufWriter::new(file);
            let n = zhenggai::export::export(&engine, &req, format, &mut w);
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            };
            drop(w);
            std::fs::rename(&tmp, path)
                .with_context(|| format!("无法写入 (cannot write) {}", path.display()))?;
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            zhenggai::export::export(&engine, &req, format, &mut w)?
        }
    };
    if !a.quiet && (a.output.is_some() || !std::io::stdout().is_terminal()) {
        let to = a
            .output
            .as_ref()
            .map_or("stdout".to_string(), |p| p.display().to_string());
        eprintln!("已导出 {n} 条记录到 {to} (exported {n} records to {to})");
    }
    Ok(if n == 0 {
        ExitCode::from(super::NO_MATCH)
    } else {
        ExitCode::SUCCESS
    })
}

/// `zhenggai completions SHELL`: the shell's completion script, from the clap definition.
pub fn cmd_completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    // Generated into memory first: clap_complete panics on a write error, and a
    // closed pipe (`… | head`) is to end the program quietly.
    let mut script: Vec<u8> = Vec::new();
    clap_complete::generate(shell, &mut cmd, "zhenggai", &mut script);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `zhenggai man`: one man page (roff) for the program and every subcommand, from
/// the clap definition: the program's synopsis, description and options, then a
/// section per subcommand with its synopsis, description and options.
pub fn cmd_man() -> Result<ExitCode> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page: Vec<u8> = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("zhenggai {}", sub.get_name());
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        let mut part: Vec<u8> = Vec::new();
        sub_man.render_synopsis_section(&mut part)?;
        sub_man.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            sub_man.render_options_section(&mut part)?;
        }
        // The subcommand's sections become subsections of its own section.
        let part = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let part = part
            .strip_prefix(".SH ")
            .map_or(part.clone(), |p| format!(".SS {p}"));
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        page.extend_from_slice(part.as_bytes());
    }
    man.render_version_section(&mut page)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
