//! Command-line arguments (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use zhenggai::notice::Status;
use zhenggai::search::SearchRequest;

/// 整改 zhenggai — 巡视巡察整改通报全文检索 (full-text search over inspection-rectification notices).
///
/// Examples / 示例:
///   zhenggai search 医共体
///   zhenggai search 医共体 -医联体
///   zhenggai search 公务用车 --level 市 --status 已完成
///   zhenggai search "家庭医生签约" --agency 北京 --json
///   zhenggai stats --by agency
///   zhenggai index seeds/
///   zhenggai parse seeds/003_044f5fdef5878133.txt --json
///
/// Index and corpus / 索引与语料目录 (first found wins / 依次查找):
///   index:  --index DIR > $ZHENGGAI_INDEX > `index` in the config file
///           > ./index (when ./index or ./seeds is in the working directory)
///           > $XDG_DATA_HOME/zhenggai/index (~/.local/share/zhenggai/index)
///   corpus: `zhenggai index DIR` > the corpus the index was built from
///           > $ZHENGGAI_CORPUS > `corpus` in the config file > ./seeds
///   config file: $ZHENGGAI_CONFIG, else $XDG_CONFIG_HOME/zhenggai/config.toml
///           (~/.config/zhenggai/config.toml), e.g.
///             index = "~/zhenggai/index"
///             corpus = "~/zhenggai/notices"
///   A search builds a missing index from the corpus, unless --index names it.
///   检索时索引不存在就从语料目录建立（用 --index 指定的索引除外）。
#[derive(Debug, Parser)]
#[command(name = "zhenggai", version, verbatim_doc_comment)]
pub struct Cli {
    /// 索引目录 (index directory) [default: $ZHENGGAI_INDEX, the config file's `index`, ./index in a checkout, else ~/.local/share/zhenggai/index]
    #[arg(long, global = true)]
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
    /// 语料目录 (corpus directory or file) [default: the corpus the index was built from, else $ZHENGGAI_CORPUS, the config file's `corpus`, ./seeds]
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

/// Which records a command covers: query words and filters, shared by `search`,
/// `stats` and `export`.
#[derive(Debug, Args, Clone)]
pub struct Select {
    /// 检索词：空格表示“并且”，OR 表示“或”，-词 或 NOT 词 表示排除，"引号" 表示短语；可省略，只用筛选条件
    /// (words: space = AND, OR, -word / NOT word excludes, "quotes" keep a phrase; none: filters only)
    pub query: Vec<String>,
    /// 按机构筛选，可给多个或用逗号分隔，如 怀化,汕尾 (agency contains this text; several: any of them)
    #[arg(long)]
    pub agency: Vec<String>,
    /// 按整改状态筛选：已完成 基本完成 阶段性完成 正在整改 未完成 未说明 (or completed, basically_completed, phased, in_progress, unfinished, unspecified; several: any of them)
    #[arg(long)]
    pub status: Vec<String>,
    /// 按问题类别或条目筛选 (category or item contains this text)
    #[arg(long)]
    pub category: Option<String>,
    /// 按层级筛选：省 市 县 (level: 省/province, 市/city, 县/county)
    #[arg(long)]
    pub level: Option<String>,
    /// 发布日期不早于 YYYY[-MM[-DD]] (published on or after)
    #[arg(long)]
    pub since: Option<String>,
    /// 发布日期不晚于 YYYY[-MM[-DD]] (published on or before)
    #[arg(long)]
    pub until: Option<String>,
    /// 只含整改措施，不含前言等段落 (measures only, no other paragraphs)
    #[arg(long)]
    pub measures_only: bool,
    /// 不使用同义词 (no synonyms)
    #[arg(long)]
    pub exact: bool,
    /// 重复发布的通报每一份都算 (count every copy of a notice published more than once)
    #[arg(long)]
    pub all_copies: bool,
}

impl Select {
    /// The search request for these words and filters (10 hits, by relevance, no
    /// facets: the caller sets those). Bad status or level values are errors that
    /// list the valid ones.
    pub fn request(&self) -> Result<SearchRequest> {
        let mut req = SearchRequest::new(
            self.query
                .iter()
                .map(|w| w.trim())
                .collect::<Vec<_>>()
                .join(" "),
        );
        let agencies: Vec<&str> = self
            .agency
            .iter()
            .flat_map(|a| a.split([',', '，']))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        if !agencies.is_empty() {
            req.agency = Some(agencies.join(","));
        } else if !self.agency.is_empty() {
            bail!("--agency 不能为空 (--agency needs a name)");
        }
        req.status = parse_status(&self.status)?;
        req.category = self.category.clone();
        req.level = self.level.as_deref().map(parse_level).transpose()?;
        req.since = self.since.clone();
        req.until = self.until.clone();
        req.measures_only = self.measures_only;
        req.exact = self.exact;
        req.all_copies = self.all_copies;
        Ok(req)
    }
}

/// `--status` values (repeated or comma-separated) as statuses; an unknown one is an
/// error listing the valid values.
pub fn parse_status(list: &[String]) -> Result<Vec<Status>> {
    Status::parse_user_list(list.iter().map(String::as_str)).map_err(|s| {
        anyhow::anyhow!(
            "未知的整改状态 “{s}” (unknown status {s:?}); 可用: 已完成/completed, 基本完成/basically_completed, 阶段性完成/phased, 正在整改/in_progress, 未完成/unfinished, 未说明/unspecified"
        )
    })
}

/// A `--level` value as the index stores it (省, 市 or 县); an unknown one is an
/// error listing the valid values.
pub fn parse_level(level: &str) -> Result<String> {
    match zhenggai::search::level_of_user(level) {
        Some(l) => Ok(l.to_string()),
        None => {
            let l = level.trim();
            bail!("未知的层级 “{l}” (unknown level {l:?}); 可用: 省/province, 市/city, 县/county（区级算县级）")
        }
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub select: Select,
    /// 返回条数 (number of hits)
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// 跳过前若干条 (skip this many hits)
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// 排序 (order)
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
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

/// Lets a query word that starts with `-` through (`search 医共体 -医联体`): clap
/// would take it for an option. A `-` followed by anything but an ASCII letter or
/// another `-` can never be one of our options, so such a word, where the command
/// takes query words and it is not the value of an option, gets a leading space,
/// which clap reads as a plain value and the query language ignores. Everything
/// after `--` and every other argument is passed on unchanged.
pub fn hyphen_words(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut root = Cli::command();
    root.build();
    let mut out = Vec::new();
    let mut args = args.into_iter();
    out.extend(args.next());
    let mut current = &root;
    let mut value_next = false;
    let mut escaped = false;
    for arg in args {
        let Some(s) = arg.to_str().filter(|_| !escaped && !value_next) else {
            value_next = false;
            out.push(arg);
            continue;
        };
        if s == "--" {
            escaped = true;
        } else if let Some(long) = s.strip_prefix("--") {
            value_next = !long.contains('=')
                && current
                    .get_arguments()
                    .any(|a| a.get_long() == Some(long) && a.get_action().takes_values());
        } else if let Some(rest) = s.strip_prefix('-') {
            match rest.chars().next() {
                Some(c) if c.is_ascii_alphabetic() => {
                    // A cluster of short options: the first that takes a value takes
                    // the rest of the cluster, or the next argument.
                    for (i, c) in rest.char_indices() {
                        let takes = current
                            .get_arguments()
                            .any(|a| a.get_short() == Some(c) && a.get_action().takes_values());
                        if takes {
                            value_next = i + c.len_utf8() == rest.len();
                            break;
                        }
                    }
                }
                Some(c) if c != '-' && takes_query(current) => {
                    out.push(OsString::from(format!(" {s}")));
                    continue;
                }
                _ => {}
            }
        } else if std::ptr::eq(current, &root) {
            if let Some(sub) = root.find_subcommand(s) {
                current = sub;
            }
        }
        out.push(arg);
    }
    out
}

/// Whether a command takes query words (`search`, `stats`, `export`).
fn takes_query(cmd: &clap::Command) -> bool {
    cmd.get_positionals().any(|a| a.get_id() == "query")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Vec<String> {
        hyphen_words(
            std::iter::once("zhenggai")
                .chain(args.iter().copied())
                .map(OsString::from),
        )
        .into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
    }

    #[test]
    fn a_hyphen_word_is_a_query_word() {
        assert_eq!(
            rewrite(&["search", "医共体", "-医联体", "--json"]),
            ["search", "医共体", " -医联体", "--json"]
        );
        assert_eq!(
            rewrite(&[
                "--index",
                "i",
                "stats",
                "-医联体",
                "-\"家庭 医生\"",
                "-1308"
            ]),
            [
                "--index",
                "i",
                "stats",
                " -医联体",
                " -\"家庭 医生\"",
                " -1308"
            ]
        );
        // Options, option values, `--` and other commands are left alone.
        for args in [
            &["search", "-n", "5", "--json", "-q"][..],
            &["search", "--category", "-医联体"],
            &["search", "-n", "-医联体"],
            &["search", "--", "-医联体"],
            &["similar", "--text", "-医联体"],
            &["parse", "-医联体"],
        ] {
            assert_eq!(rewrite(args), args, "{args:?}");
        }
        let cli = Cli::try_parse_from(hyphen_words(
            ["zhenggai", "search", "医共体", "-医联体", "-n", "3"].map(OsString::from),
        ))
        .expect("parses");
        let Command::Search(a) = cli.command else {
            panic!("search")
        };
        assert_eq!(a.limit, 3);
        assert_eq!(a.select.request().expect("request").query, "医共体 -医联体");
    }

    #[test]
    fn levels_and_statuses_are_checked() {
        assert_eq!(parse_level("city").expect("valid"), "市");
        assert_eq!(parse_level("区").expect("valid"), "县");
        let e = parse_level("乡").expect_err("invalid").to_string();
        assert!(e.contains("乡") && e.contains("省/province"), "{e}");
        assert!(parse_status(&["bogus".into()]).is_err());
        let select = Select {
            agency: vec!["汕尾, 怀化".into(), "北京".into()],
            ..Select::parse_from(["x"])
        };
        assert_eq!(
            select.request().expect("request").agency.as_deref(),
            Some("汕尾,怀化,北京")
        );
    }

    #[derive(Parser)]
    struct Only {
        #[command(flatten)]
        select: Select,
    }

    impl Select {
        fn parse_from(args: [&str; 1]) -> Select {
            Only::parse_from(args).select
        }
    }
}
