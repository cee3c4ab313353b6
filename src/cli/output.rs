//! What the command line prints: hits, facets, parsed notices, build summaries.

use std::io::{self, Write};
use std::path::Path;

use serde_json::Value;
use zhenggai::index::BuildReport;
use zhenggai::notice::{Notice, Status};
use zhenggai::search::snippet::window;
use zhenggai::search::{Hit, SearchRequest, SearchResults};

const HL_ON: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const OFF: &str = "\x1b[0m";

/// One line summarising a build.
pub fn report_line(r: &BuildReport, index: &Path) -> String {
    let mb = r.bytes as f64 / 1e6;
    let speed = if r.seconds > 0.0 { mb / r.seconds } else { 0.0 };
    let action = if r.rebuilt {
        "已建立索引"
    } else {
        "已更新索引"
    };
    format!(
        "{action} {}：共 {} 个文件、{} 条记录。本次：{} 个文件（新读 {}，未变 {}，删除 {}，读不了而保留 {}），跳过 {} 个不索引的文件、{} 个隐藏文件，其中 {} 份通报，{} 个问题，{} 条措施，{} 个其他段落，{} 个错误，{} 个警告，{:.1} 秒，{:.1} MB/s\n\
         ({} files, {} records in the index; this run: {} files seen, {} read, {} unchanged, {} removed, {} unreadable and kept; skipped {} files of other kinds and {} hidden; {} notices, {} problems, {} measures, {} paragraphs read, {} errors, {} warnings, {:.1} s, {:.1} MB/s)",
        index.display(),
        r.total_files, r.total_records,
        r.files_seen, r.files_indexed, r.files_unchanged, r.files_removed, r.files_kept,
        r.skipped, r.hidden,
        r.notices, r.problems, r.measures, r.paragraphs, r.errors.len(), r.warnings.len(), r.seconds, speed,
        r.total_files, r.total_records,
        r.files_seen, r.files_indexed, r.files_unchanged, r.files_removed, r.files_kept,
        r.skipped, r.hidden,
        r.notices, r.problems, r.measures, r.paragraphs, r.errors.len(), r.warnings.len(), r.seconds, speed,
    )
}

fn paint(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
    if !color || ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut k = 0;
    for (i, c) in text.chars().enumerate() {
        if k < ranges.len() && i == ranges[k].0 {
            out.push_str(HL_ON);
        }
        out.push(c);
        if k < ranges.len() && i + 1 == ranges[k].1 {
            out.push_str(OFF);
            k += 1;
        }
    }
    out
}

fn status_label(h: &Hit) -> String {
    if h.kind == "paragraph" {
        return "其他段落".into();
    }
    match (h.status, h.status_text.is_empty()) {
        (Status::Unspecified, _) => "未说明状态".into(),
        (s, true) => s.label().into(),
        (s, false) if s.label() == h.status_text => s.label().into(),
        (s, false) => format!("{}（{}）", s.label(), h.status_text),
    }
}

fn hit_block(out: &mut impl Write, rank: usize, h: &Hit, color: bool) -> io::Result<()> {
    let (b, d, o) = if color {
        (BOLD, DIM, OFF)
    } else {
        ("", "", "")
    };
    let agency = if h.agency_short.is_empty() {
        &h.agency
    } else {
        &h.agency_short
    };
    let agency = if agency.is_empty() {
        "（未署名）"
    } else {
        agency.as_str()
    };
    let mut head = format!("{b}{rank}. {agency}{o}");
    for part in [h.published.as_str(), h.level.as_str()] {
        if !part.is_empty() {
            head.push_str(" · ");
            head.push_str(part);
        }
    }
    head.push_str(" · ");
    head.push_str(&status_label(h));
    if !h.deadline.is_empty() {
        head.push_str(&format!(" · 时限 {}", h.deadline));
    }
    writeln!(out, "{head}  {d}[{}]{o}", h.id)?;
    let mut path: Vec<&str> = Vec::new();
    for p in [h.category.as_str(), h.item.as_str()] {
        if !p.is_empty() {
            path.push(p);
        }
    }
    let problem = if h.problem.is_empty() {
        String::new()
    } else {
        format!("问题：{}", h.problem)
    };
    if !problem.is_empty() {
        path.push(&problem);
    }
    if !path.is_empty() {
        writeln!(out, "   {}", path.join(" › "))?;
    }
    let (text, ranges) = window(&h.measure, &h.highlights, 160);
    let label = if h.kind == "measure" {
        format!("措施{}：", h.measure_n)
    } else {
        String::new()
    };
    if !text.is_empty() {
        writeln!(out, "   {label}{}", paint(&text, &ranges, color))?;
    }
    writeln!(out, "   {d}{}:{}{o}", h.source, h.line)?;
    if !h.also_published_at.is_empty() {
        let places = h.also_published_at.join("、");
        writeln!(out, "   {d}又见于 (also published at) {places}{o}")?;
    }
    if let Some(of) = &h.copy_of {
        writeln!(out, "   {d}转载自 (copy of) {of}{o}")?;
    }
    Ok(())
}

/// Prints hits for a terminal or a pipe.
pub fn print_results(
    out: &mut impl Write,
    req: &SearchRequest,
    r: &SearchResults,
    color: bool,
) -> io::Result<()> {
    let shown = r.hits.len();
    if r.partial {
        writeln!(out, "{}", zhenggai::search::PARTIAL_NOTE)?;
    }
    if r.total == 0 {
        writeln!(out, "共 0 条结果 (0 hits)\n")?;
    } else if shown == 0 {
        writeln!(
            out,
            "共 {} 条结果，未显示 ({} hits, none shown)\n",
            r.total, r.total
        )?;
    } else {
        writeln!(
            out,
            "共 {} 条结果，显示第 {}–{} 条 ({} hits)\n",
            r.total,
            req.offset.saturating_add(1),
            req.offset.saturating_add(shown),
            r.total
        )?;
    }
    for (i, h) in r.hits.iter().enumerate() {
        hit_block(out, req.offset.saturating_add(i + 1), h, color)?;
        writeln!(out)?;
    }
    if let Some(f) = r.facets.as_ref().filter(|_| r.total > 0) {
        writeln!(out, "统计 (facets)")?;
        let line = |name: &str, v: &[(String, u64)], map: &dyn Fn(&str) -> String| -> String {
            let parts: Vec<String> = v.iter().map(|(k, n)| format!("{} {n}", map(k))).collect();
            format!("  {name}：{}", parts.join("，"))
        };
        let id = |k: &str| {
            if k.is_empty() {
                "未知".to_string()
            } else {
                k.to_string()
            }
        };
        let st = |k: &str| Status::from_stored(k).label().to_string();
        writeln!(out, "{}", line("机构", &f.agency, &id))?;
        writeln!(out, "{}", line("状态", &f.status, &st))?;
        writeln!(out, "{}", line("层级", &f.level, &id))?;
        writeln!(out, "{}", line("年份", &f.year, &id))?;
    }
    Ok(())
}

/// A parsed notice as JSON with the gold annotation's field names; `measures` is the
/// list of measure texts.
pub fn gold_json(n: &Notice) -> Value {
    let mut v = serde_json::to_value(n).unwrap_or(Value::Null);
    if let Some(problems) = v.get_mut("problems").and_then(Value::as_array_mut) {
        for (p, src) in problems.iter_mut().zip(&n.problems) {
            p["measures"] = Value::Array(
                src.measures
                    .iter()
                    .map(|m| Value::String(m.text.clone()))
                    .collect(),
            );
            p["measure_lines"] =
                Value::Array(src.measures.iter().map(|m| Value::from(m.line)).collect());
        }
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "discrepancies".into(),
            serde_json::to_value(n.discrepancies()).unwrap_or(Value::Null),
        );
    }
    v
}

/// A parsed notice for reading.
pub fn print_notice(out: &mut impl Write, n: &Notice) -> io::Result<()> {
    let or = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    writeln!(out, "文件：{}", n.file)?;
    if !n.is_notice {
        writeln!(
            out,
            "不是整改通报；按段落索引 {} 段 (not a rectification notice; {} paragraphs)",
            n.paragraphs.len(),
            n.paragraphs.len()
        )?;
        return Ok(());
    }
    writeln!(out, "标题：{}", or(&n.title))?;
    for d in n.discrepancies() {
        writeln!(
            out,
            "⚠ 解析结果与通报自述不一致，可能有误读 (parsed counts differ from the stated figures): {}",
            d.describe()
        )?;
    }
    writeln!(
        out,
        "机构：{}（{}，{}，{}）",
        or(&n.agency),
        or(&n.agency_short),
        or(&n.region),
        or(&n.level)
    )?;
    writeln!(out, "发布：{}", or(&n.published))?;
    let i = &n.inspection;
    writeln!(
        out,
        "巡察：{}{}，轮次 {}，{}，反馈 {}",
        or(&i.kind),
        if i.revisit { "“回头看”" } else { "" },
        or(&i.round),
        or(&i.group),
        or(&i.feedback_date)
    )?;
    writeln!(
        out,
        "问题 {} 个，措施 {} 条\n",
        n.problems.len(),
        n.measure_count()
    )?;
    let mut last_cat = None;
    let mut last_item = None;
    for p in &n.problems {
        if p.category != last_cat {
            if let Some(c) = p.category.and_then(|c| n.categories.get(c)) {
                writeln!(out, "【{}】", c.title)?;
            }
            last_cat = p.category;
            last_item = None;
        }
        if p.item != last_item {
            if let Some(it) = p
                .category
                .and_then(|c| n.categories.get(c))
                .and_then(|c| p.item.and_then(|i| c.items.get(i)))
            {
                writeln!(out, "  · {it}")?;
            }
            last_item = p.item;
        }
        let st = match &p.status_text {
            Some(t) => format!("{}（{t}）", p.status.label()),
            None => p.status.label().to_string(),
        };
        let dl = p
            .deadline
            .as_ref()
            .map(|d| format!("，时限 {d}"))
            .unwrap_or_default();
        writeln!(
            out,
            "    {} {} — {st}{dl}，措施 {} 条",
            p.label.as_deref().unwrap_or("·"),
            p.title,
            p.measures.len()
        )?;
    }
    Ok(())
}

/// A hit in its context: the problem with all its measures and the notice's facts.
pub fn print_show(out: &mut impl Write, hit: &Hit, all: &[Hit], json: bool) -> io::Result<()> {
    let siblings: Vec<&Hit> = all
        .iter()
        .filter(|h| {
            h.kind == hit.kind
                && h.problem_n == hit.problem_n
                && (hit.kind == "measure" || h.id == hit.id)
        })
        .collect();
    if json {
        let v = serde_json::json!({ "hit": hit, "problem_records": siblings });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        return writeln!(out);
    }
    writeln!(
        out,
        "{}",
        if hit.title.is_empty() {
            &hit.source
        } else {
            &hit.title
        }
    )?;
    writeln!(
        out,
        "机构：{}　发布：{}　{}",
        hit.agency, hit.published, hit.inspection
    )?;
    if !hit.category.is_empty() {
        writeln!(out, "类别：{}", hit.category)?;
    }
    if !hit.item.is_empty() {
        writeln!(out, "条目：{}", hit.item)?;
    }
    if !hit.problem.is_empty() {
        writeln!(out, "问题 {}：{}", hit.problem_n, hit.problem)?;
    }
    writeln!(
        out,
        "状态：{}{}",
        status_label(hit),
        if hit.deadline.is_empty() {
            String::new()
        } else {
            format!("　时限：{}", hit.deadline)
        }
    )?;
    writeln!(out)?;
    for h in siblings {
        let mark = if h.id == hit.id { "▶" } else { " " };
        let label = if h.kind == "measure" {
            format!("措施{}：", h.measure_n)
        } else {
            String::new()
        };
        writeln!(out, "{mark} {label}{}", h.measure)?;
        writeln!(out, "    {}:{}  [{}]", h.source, h.line, h.id)?;
    }
    Ok(())
}
