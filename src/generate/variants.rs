//! The problem sections of layouts F–L, the header and figures of N, and M (B in
//! traditional characters). Every heading written is recorded in the notice's truth at
//! the place it is written.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::classic::{truth_status, wrap_core};
use super::layouts::Layout;
use super::material::{Lead, Material};
use super::names::{cn_number, date_iso};
use super::plan::{Facts, Frame, Planned, Status};
use super::render::{render, Out, Written};
use crate::notice;

/// Themes of layout F's categories (`(一)关于…方面的问题`).
const F_THEMES: [&str; 6] = [
    "贯彻落实党的路线方针政策和上级决策部署",
    "落实全面从严治党“两个责任”",
    "落实新时代党的组织路线",
    "整治群众身边不正之风和腐败问题",
    "推动巡察、审计等监督发现问题整改",
    "落实意识形态工作责任制",
];

/// Offices named in `责任单位:` lines and table cells (after the body's own name).
const UNITS: [&str; 5] = ["办公室", "财务科", "人事科", "规划发展科", "综合监督科"];

/// Leaders named in `责任领导:` lines.
const LEADERS: [&str; 4] = ["党组书记", "分管副职", "主要负责同志", "纪检监察组组长"];

/// Tracks where the running problem sits in the outline.
struct Outline {
    last_cat: usize,
    last_item: usize,
    cat_no: usize,
    item_no: usize,
    /// Problem number inside the category.
    in_cat: usize,
    /// Problem number inside the item.
    in_item: usize,
}

impl Outline {
    fn new() -> Self {
        Self {
            last_cat: usize::MAX,
            last_item: usize::MAX,
            cat_no: 0,
            item_no: 0,
            in_cat: 0,
            in_item: 0,
        }
    }

    /// Moves to problem `p`; returns whether it opens a new category and a new item.
    fn step(&mut self, p: &Planned) -> (bool, bool) {
        let new_cat = p.cat != self.last_cat;
        let new_item = new_cat || p.item != self.last_item;
        if new_cat {
            self.last_cat = p.cat;
            self.cat_no += 1;
            self.item_no = 0;
            self.in_cat = 0;
        }
        if new_item {
            self.last_item = p.item;
            self.item_no += 1;
            self.in_item = 0;
        }
        self.in_cat += 1;
        self.in_item += 1;
        (new_cat, new_item)
    }
}

fn category_text<'m>(m: &'m Material, f: &Frame, p: &Planned) -> &'m str {
    f.categories
        .get(p.cat)
        .and_then(|&i| m.categories.get(i))
        .map_or("", |u| u.text.as_str())
}

fn item_text<'m>(m: &'m Material, f: &Frame, p: &Planned) -> &'m str {
    f.items
        .get(p.item % f.items.len().max(1))
        .and_then(|&i| m.items.get(i))
        .map_or("", |u| u.text.as_str())
}

fn title_text<'m>(m: &'m Material, p: &Planned) -> &'m str {
    m.records.get(p.record).map_or("", |r| r.title.as_str())
}

fn measure_texts<'m>(m: &'m Material, p: &Planned) -> Vec<&'m str> {
    p.measures
        .iter()
        .filter_map(|&i| m.measures.get(i))
        .map(|u| u.text.as_str())
        .collect()
}

/// `(一)category` as most layouts print it, recorded.
fn plain_category(o: &mut Out, no: usize, title: &str) {
    o.paren(no);
    o.text(title);
    o.end();
    o.note_category(title);
}

/// A deadline `months` after publication: the printed phrase and `YYYY-MM`, or no date
/// for the open-ended phrases.
fn deadline(n: &Facts, months: usize, form: usize) -> (String, Option<String>) {
    let total = n.published.y * 12 + i64::from(n.published.m) - 1 + months as i64;
    let (y, mo) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    match form {
        0 => (format!("{y}年底前"), Some(format!("{y:04}-12"))),
        1 => (format!("{y}年{mo}月底前"), Some(format!("{y:04}-{mo:02}"))),
        2 => (format!("{y}年{mo}月"), Some(format!("{y:04}-{mo:02}"))),
        3 => ("长期坚持".to_string(), None),
        _ => ("常态化推进".to_string(), None),
    }
}

/// Status phrase of layouts H, K and L (`pick` varies the wording).
fn phrase(s: Status, pick: usize) -> Option<&'static str> {
    let p = match s {
        Status::None => return None,
        Status::Done => ["已完成", "已整改", "已完成整改"][pick % 3],
        Status::Phased => "阶段性完成",
        Status::Basic => "基本完成",
        Status::Ongoing => ["正在整改", "持续整改", "常态化推进"][pick % 3],
    };
    Some(p)
}

fn status_of(s: Status, printed: Option<&str>) -> (notice::Status, Option<String>) {
    let (status, _) = truth_status(Layout::A, s);
    (status, printed.map(str::to_string))
}

/// Problem sections of the layouts F–L (after the section heading, if any).
pub(super) fn body(o: &mut Out, m: &Material, f: &Frame, plan: &[Planned]) {
    let n = o.n;
    let mut ol = Outline::new();
    // One heading form per notice in J.
    let form = f.choice(0, 5);
    if n.layout == Layout::L {
        o.raw("序号\t问题\t整改措施\t责任单位\t完成时限\t整改情况");
        o.end();
    }
    for (k, p) in plan.iter().enumerate() {
        let title = title_text(m, p);
        let measures = measure_texts(m, p);
        let (new_cat, new_item) = ol.step(p);
        let pick = f.choice(k + 1, 1_000);
        match n.layout {
            Layout::F => {
                if new_cat {
                    let theme =
                        F_THEMES[(f.choice(0, F_THEMES.len()) + ol.cat_no) % F_THEMES.len()];
                    let heading = format!("关于{theme}方面的问题");
                    plain_category(o, ol.cat_no, &heading);
                }
                if new_item {
                    let item = item_text(m, f, p);
                    o.num(ol.item_no);
                    o.raw(".");
                    o.text(item);
                    o.end();
                    o.note_item(item);
                }
                let label = format!("({})", ol.in_item);
                o.raw(&label);
                o.text(title);
                o.raw("。");
                if let [only] = measures.as_slice() {
                    o.text(only);
                } else {
                    // `一是…;二是…。`: the measures of one line, parted by semicolons.
                    for (i, t) in measures.iter().enumerate() {
                        o.raw(&cn_number(i + 1));
                        o.raw("是");
                        let last = i + 1 == measures.len();
                        match t.strip_suffix('。') {
                            Some(body) if !last => {
                                o.text(body);
                                o.raw(";");
                            }
                            _ => o.text(t),
                        }
                    }
                }
                o.end();
                o.note_problem(
                    Some(label),
                    title,
                    status_of(p.status, None),
                    measures.len(),
                );
            }
            Layout::G => {
                if new_cat {
                    let cat = category_text(m, f, p);
                    o.paren(ol.cat_no);
                    o.text(cat);
                    o.raw("。");
                    o.end();
                    o.note_category(cat);
                }
                o.text(title);
                o.raw("。");
                o.end();
                o.text("整改情况:");
                let printed = match p.status {
                    Status::Done => Some("已完成整改"),
                    Status::Phased => Some("阶段性完成整改"),
                    _ => None,
                };
                if let Some(s) = printed {
                    o.raw(s);
                    o.raw("。");
                }
                o.ordinal_measures(&measures);
                o.end();
                o.note_problem(None, title, status_of(p.status, printed), measures.len());
            }
            Layout::H => {
                if new_cat {
                    plain_category(o, ol.cat_no, category_text(m, f, p));
                }
                let label = format!("问题{}", k + 1);
                o.raw(&label);
                o.text(":");
                o.text(title);
                o.raw("。");
                o.end();
                let printed = phrase(p.status, if p.status == Status::Done { 2 } else { 0 });
                if let Some(s) = printed {
                    o.text("整改情况:");
                    o.raw(s);
                    o.end();
                }
                let listed = pick.is_multiple_of(2);
                let mut texts = measures.clone();
                let review = format!("对照上轮{}反馈问题逐项复核,整改情况如下:", n.kind);
                if listed {
                    texts.push(&review);
                }
                o.ordinal_measures(&texts);
                o.end();
                if listed {
                    enumeration(o, f, k);
                }
                o.note_problem(
                    Some(label),
                    title,
                    status_of(p.status, printed),
                    texts.len(),
                );
            }
            Layout::I => {
                if new_cat {
                    let about = f
                        .items
                        .get((p.cat * 7) % f.items.len().max(1))
                        .and_then(|&i| m.items.get(i))
                        .map_or("", |u| u.text.as_str());
                    o.paren(ol.cat_no);
                    o.raw("在“");
                    o.text(about);
                    o.raw("”方面存在的问题");
                    o.end();
                    o.note_category(&format!("在“{about}”方面存在的问题"));
                }
                let label = format!("{}.", ol.in_cat);
                o.raw(&label);
                o.text(title);
                o.raw("。");
                o.end();
                o.text("整改情况:");
                let printed = phrase(p.status, 0);
                if let Some(s) = printed {
                    o.raw(s);
                    o.raw("。");
                }
                o.ordinal_measures(&measures);
                o.end();
                o.note_problem(
                    Some(label),
                    title,
                    status_of(p.status, printed),
                    measures.len(),
                );
            }
            Layout::J => {
                if new_cat {
                    plain_category(o, ol.cat_no, category_text(m, f, p));
                }
                let core = wrap_core(title);
                // Some headings run on past an inner 。 into a second sentence.
                let second = m
                    .records
                    .get((p.record + k + 1) % m.records.len().max(1))
                    .map_or("", |r| r.title.as_str());
                let long = format!("{title}。{second}");
                let full = if pick % 10 < 3 && !second.is_empty() {
                    long.as_str()
                } else {
                    title
                };
                let (label, shown) = match form {
                    0 => {
                        let label = format!("{}.", ol.in_cat);
                        o.raw(&label);
                        o.raw("针对");
                        o.text(core);
                        o.raw("问题");
                        (Some(label), core)
                    }
                    1 => {
                        o.raw("关于");
                        o.text(core);
                        o.raw("问题的整改");
                        (None, core)
                    }
                    2 => {
                        let label = format!("问题{}", cn_number(k + 1));
                        o.raw(&label);
                        o.text(":");
                        o.text(full);
                        o.raw("。");
                        (Some(label), full)
                    }
                    3 => {
                        let label = format!("问题({})", k + 1);
                        o.text(&label);
                        o.text(title);
                        o.raw("。");
                        (Some(o.conv(&label)), title)
                    }
                    _ => {
                        let label = format!("第{}个问题", cn_number(k + 1));
                        o.raw(&label);
                        o.text(":");
                        o.text(full);
                        o.raw("。");
                        (Some(label), full)
                    }
                };
                o.end();
                o.ordinal_measures(&measures);
                o.end();
                o.note_problem(label, shown, status_of(p.status, None), measures.len());
            }
            Layout::K => {
                if new_cat {
                    plain_category(o, ol.cat_no, category_text(m, f, p));
                }
                let printed = phrase(p.status, pick);
                let (when, date) = deadline(n, 1 + pick % 14, (pick / 14) % 5);
                let unit = format!("{}{}", n.self_name, UNITS[pick % UNITS.len()]);
                let label = format!("{}.", ol.in_cat);
                o.raw(&label);
                o.text(title);
                if f.choice(0, 2) == 0 {
                    // The status in brackets after the heading.
                    let (open, close) = if pick.is_multiple_of(3) {
                        ("[", "]")
                    } else {
                        ("【", "】")
                    };
                    if let Some(s) = printed {
                        o.raw(open);
                        o.raw(s);
                        o.raw(close);
                    }
                    o.end();
                    o.ordinal_measures(&measures);
                    o.end();
                    responsible(o, &unit, pick);
                    o.text("整改时限:");
                    o.raw(&when);
                    o.end();
                } else {
                    o.raw("。");
                    o.end();
                    if let Some(s) = printed {
                        o.text(["整改状态:", "整改进度:", "完成情况:"][pick % 3]);
                        o.raw(s);
                        o.end();
                    }
                    o.text("整改时限:");
                    o.raw(&when);
                    o.end();
                    responsible(o, &unit, pick);
                    o.ordinal_measures(&measures);
                    o.end();
                }
                o.note_problem(
                    Some(label),
                    title,
                    status_of(p.status, printed),
                    measures.len(),
                );
                if let Some(t) = o.written.problems.last_mut() {
                    t.deadline = date;
                }
            }
            Layout::L => {
                let printed = phrase(p.status, pick);
                let (when, date) = deadline(n, 1 + pick % 14, 2 + (pick / 14) % 2);
                let label = (k + 1).to_string();
                o.raw(&label);
                o.raw("\t");
                o.text(title);
                o.raw("\t");
                o.ordinal_measures(&measures);
                o.raw("\t");
                o.raw(&n.self_name);
                o.raw(UNITS[pick % UNITS.len()]);
                o.raw("\t");
                o.raw(&when);
                o.raw("\t");
                o.raw(printed.unwrap_or(""));
                o.end();
                o.note_problem(
                    Some(label),
                    title,
                    status_of(p.status, printed),
                    measures.len(),
                );
                if let Some(t) = o.written.problems.last_mut() {
                    t.deadline = date;
                }
            }
            _ => {}
        }
    }
}

/// `责任单位:…` and sometimes `责任领导:…`: kept with the problem, never a measure.
fn responsible(o: &mut Out, unit: &str, pick: usize) {
    o.text("责任单位:");
    o.raw(unit);
    o.end();
    if pick.is_multiple_of(2) {
        o.text("责任领导:");
        o.raw(LEADERS[pick % LEADERS.len()]);
        o.end();
    }
}

/// Layout H: the earlier round's problems by state, `(1)已完成整改3个,分别是:1-2,…`.
fn enumeration(o: &mut Out, f: &Frame, k: usize) {
    let counts = [
        ("已完成整改", 1 + f.choice(k + 2, 4)),
        ("阶段性完成", f.choice(k + 3, 3)),
        ("正在整改", f.choice(k + 4, 2)),
    ];
    let mut no = 0;
    let mut code = 0;
    for (what, count) in counts {
        if count == 0 {
            continue;
        }
        no += 1;
        o.text(&format!("({no})"));
        o.raw(what);
        o.num(count);
        o.text(if count == 1 {
            "个,是:"
        } else {
            "个,分别是:"
        });
        let codes: Vec<String> = (0..count)
            .map(|_| {
                code += 1 + f.choice(k + 5 + code, 3);
                format!("{}-{}", 1 + code / 4, 1 + code % 4)
            })
            .collect();
        o.raw(&codes.join(","));
        o.raw("。");
        o.end();
    }
}

/// Layout I's closing: no section heading, a `下一步,…` paragraph and the contact details.
pub(super) fn closing_i(o: &mut Out, m: &Material, f: &Frame) {
    let leads: Vec<&Lead> = f
        .close_items
        .iter()
        .filter_map(|&i| m.close_items.get(i))
        .collect();
    o.lead_paragraph(
        Some("下一步,我们将持续巩固整改成果,推动整改常态长效。"),
        &leads,
    );
    super::render::contact(o, f);
}

/// Layout N's header: a title without the agency and a `发布日期:` line.
pub(super) fn header_n(o: &mut Out) {
    let n = o.n;
    o.raw("关于");
    if let Some(r) = &n.round {
        o.raw(r);
    }
    o.raw(n.kind);
    o.raw("整改进展情况的通报");
    o.end();
    o.text("发布日期:");
    o.raw(&date_iso(n.published));
    o.end();
}

/// Layout N's figures: `共反馈25个问题,整改完成22个,阶段性完成3个`.
pub(super) fn figures_n(o: &mut Out, plan: &[Planned]) {
    let n = o.n;
    let phased = plan.iter().filter(|p| p.status == Status::Phased).count();
    let total = plan.len();
    o.text("截至目前,");
    o.raw(&n.group);
    o.raw("共反馈");
    o.num(total);
    o.text("个问题,整改完成");
    o.num(total - phased);
    o.text("个,阶段性完成");
    o.num(phased);
    o.raw("个。");
    o.end();
    let s = &mut o.written.summary;
    s.problems_total = u32::try_from(total).ok();
    s.completed = u32::try_from(total - phased).ok();
    s.phased = u32::try_from(phased).ok();
}

/// Layout M: layout B written in traditional characters, its truth likewise.
pub(super) fn traditional(
    n: &Facts,
    m: &Material,
    f: &Frame,
    plan: &[Planned],
) -> (String, Written) {
    let b = Facts {
        layout: Layout::B,
        ..n.clone()
    };
    let (text, mut w) = render(&b, m, f, plan);
    for c in &mut w.categories {
        c.title = to_traditional(&c.title);
        for i in &mut c.items {
            *i = to_traditional(i);
        }
    }
    for p in &mut w.problems {
        p.title = to_traditional(&p.title);
        p.label = p.label.as_deref().map(to_traditional);
        p.status_text = p.status_text.as_deref().map(to_traditional);
    }
    (to_traditional(&text), w)
}

/// Simplified → traditional, character by character, from the repository's table
/// (`dict/t2s.txt`) read backwards. Only characters that Big5 cannot encode (simplified
/// forms) are changed, so 出, 才, 了 stay; where several traditional forms map to one
/// simplified character, a few common ones are fixed by hand and the rest stay simplified.
pub(super) fn to_traditional(s: &str) -> String {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let in_big5 = |c: char| {
            let mut buf = [0u8; 4];
            !encoding_rs::BIG5.encode(c.encode_utf8(&mut buf)).2
        };
        let mut all: HashMap<char, Vec<char>> = HashMap::new();
        for line in include_str!("../../dict/t2s.txt").lines() {
            let mut cs = line.split_whitespace().filter_map(|w| {
                let mut chars = w.chars();
                let c = chars.next()?;
                chars.next().is_none().then_some(c)
            });
            if let (Some(t), Some(s)) = (cs.next(), cs.next()) {
                all.entry(s).or_default().push(t);
            }
        }
        let mut table: HashMap<char, char> = all
            .into_iter()
            .filter(|(s, ts)| ts.len() == 1 && !in_big5(*s))
            .filter_map(|(s, ts)| ts.first().map(|&t| (s, t)))
            .filter(|&(_, t)| in_big5(t))
            .collect();
        for (s, t) in [
            ('发', '發'),
            ('干', '幹'),
            ('复', '復'),
            ('历', '歷'),
            ('尽', '盡'),
            ('获', '獲'),
            ('汇', '匯'),
            ('关', '關'),
            ('卫', '衛'),
            ('馈', '饋'),
            ('资', '資'),
            ('会', '會'),
            ('钟', '鐘'),
            ('况', '況'),
            ('党', '黨'),
            ('于', '於'),
            ('据', '據'),
            ('为', '為'),
            ('强', '強'),
            ('针', '針'),
            ('阶', '階'),
            ('体', '體'),
            ('机', '機'),
            ('确', '確'),
            ('担', '擔'),
            ('视', '視'),
            ('当', '當'),
            ('台', '臺'),
            ('里', '裡'),
        ] {
            table.insert(s, t);
        }
        table
    });
    s.chars()
        .map(|c| table.get(&c).copied().unwrap_or(c))
        .collect()
}
