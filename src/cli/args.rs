//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// 整改 zhenggai — 巡视巡察整改通报全文检索 (full-text search over inspection-rectification notices).
///
/// Examples / 示例:
///   zhenggai search 医共体
///   zhenggai search 公务用车 --level 县 --status 已完成
///   zhenggai search "家庭医生签约" --agency 汕尾 --json
///   zhenggai index seeds/
///   zhenggai parse seeds/003_044f5fdef5878133.txt --json
#[derive(Debug, Parser)]
#[command(name = "zhenggai", version, verbatim_doc_comment)]
pub struct Cli {
    /// 索引目录 (index directory) [default: index]
    #[arg(long, global = true, env = "ZHENGGAI_INDEX")]
    pub index: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 建立或更新索引 (build or update the index from a corpus directory)
    Index(IndexArgs),
    /// 检索整改措施 (search rectification measures)
    Search(SearchArgs),
    /// 解析一份通报并输出结构 (parse one notice and print its structure)
    Parse {
        /// 文件 (.txt .md .html; UTF-8 or GBK)
        file: PathBuf,
        /// 以 JSON 输出，字段与标注一致 (print JSON with the gold annotation's field names)
        #[arg(long)]
        json: bool,
    },
    /// 查找其他机构的相似措施 (find similar measures in other agencies' notices)
    Similar {
        /// 结果编号 (hit id)
        id: Option<String>,
        /// 用一段文字查找，而不是结果编号 (find measures like this text instead)
        #[arg(long, conflicts_with = "id")]
        text: Option<String>,
        /// 返回条数 (number of hits)
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// 以 JSON 输出 (print JSON)
        #[arg(long)]
        json: bool,
    },
    /// 在本机提供检索网页和 JSON 接口 (serve the search page and JSON API)
    Serve(ServeArgs),
    /// 显示一条结果及其所在问题和通报 (show a hit in its context)
    Show {
        /// 结果编号 (hit id, as printed by search)
        id: String,
        /// 以 JSON 输出 (print JSON)
        #[arg(long)]
        json: bool,
    },
    /// 统计问题、措施、整改状态、完成时限，核对通报自述数字 (counts, statuses, deadlines, stated figures)
    Stats(super::report::StatsArgs),
    /// 导出全部字段：jsonl、csv、opensearch、typesense (export every field of each record)
    Export(super::report::ExportArgs),
    /// 输出 shell 补全脚本 (print a shell completion script)
    Completions {
        /// bash、zsh、fish 等 (shell)
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// 输出 man 手册页 (print the man page: zhenggai man > zhenggai.1)
    Man,
}

#[derive(Debug, Args, Clone)]
pub struct IndexArgs {
    /// 语料目录 (corpus directory or file) [default: seeds]
    pub corpus: Option<PathBuf>,
    /// 从头重建索引 (rebuild from scratch instead of updating)
    #[arg(long)]
    pub rebuild: bool,
    /// 线程数，默认为全部核心 (threads; default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
    /// 用户词典，jieba 格式 (user dictionary in jieba format: word [freq [tag]])
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// 不显示进度和摘要 (no progress bar or summary)
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum SortArg {
    /// 按相关度 (best match first)
    #[default]
    Relevance,
    /// 按日期，新的在前 (newest first)
    Date,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// 检索词：空格表示“并且”，OR 表示“或”，-词 或 NOT 词 表示排除，"引号" 表示短语
    /// (words: space = AND, OR, -word / NOT word excludes, "quotes" keep a phrase)
    /// (a leading `-word` must be inside quotes or after `--`, as in `-- -医联体`)
    pub query: Vec<String>,
    /// 按机构筛选，如 怀化 (agency contains this text)
    #[arg(long)]
    pub agency: Option<String>,
    /// 按整改状态筛选：已完成 基本完成 阶段性完成 正在整改 未完成 未说明 (or completed, basically_completed, phased, in_progress, unfinished, unspecified; comma-separated)
    #[arg(long)]
    pub status: Vec<String>,
    /// 按问题类别或条目筛选 (category or item contains this text)
    #[arg(long)]
    pub category: Option<String>,
    /// 按层级筛选：省 市 县 (level)
    #[arg(long)]
    pub level: Option<String>,
    /// 发布日期不早于 YYYY[-MM[-DD]] (published on or after)
    #[arg(long)]
    pub since: Option<String>,
    /// 发布日期不晚于 YYYY[-MM[-DD]] (published on or before)
    #[arg(long)]
    pub until: Option<String>,
    /// 只返回整改措施，不含前言等段落 (measures only, no other paragraphs)
    #[arg(long)]
    pub measures_only: bool,
    /// 返回条数 (number of hits)
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// 跳过前若干条 (skip this many hits)
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// 排序 (order)
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// 不使用同义词 (no synonyms)
    #[arg(long)]
    pub exact: bool,
    /// 显示重复发布的通报的每一份 (show every copy of a notice published more than once)
    #[arg(long)]
    pub all_copies: bool,
    /// 按机构、状态、层级、年份统计 (counts by agency, status, level, year)
    #[arg(long)]
    pub facets: bool,
    /// 用户词典，须与建索引时相同 (user dictionary; must be the one the index was built with)
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// 以 JSON 输出 (print JSON)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听地址，默认只在本机 (address to listen on; loopback by default)
    #[arg(long, default_value = zhenggai::serve::DEFAULT_ADDR)]
    pub addr: std::net::SocketAddr,
}
