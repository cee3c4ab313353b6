//! The problem sections of the layouts that mirror the seeds (A–E), which layout N
//! shares with B, and the follow-up section of E. Each heading written is recorded in the
//! notice's truth where it is written.

use super::layouts::Layout;
use super::material::Material;
use super::names::cn_number;
use super::plan::{Frame, Planned, Status};
use super::render::Out;
use crate::notice::{self, Summary};

/// Title without a final 问题, for wrappers such as `针对“…”问题` and `关于…的问题`.
pub(super) fn wrap_core(title: &str) -> &str {
    match title.strip_suffix("问题") {
        Some(core) if core.chars().count() >= 4 => core.trim_end_matches('的'),
        _ => title,
    }
}

pub(super) fn summary_d(o: &mut Out, f: &Frame, plan: &[Planned]) {
    let n = o.n;
    let total = plan.len() * f.numbers[3] + f.numbers[4];
    let basic = total * f.numbers[5] / 50;
    let ongoing = total / 10 + f.numbers[4];
    let done = total.saturating_sub(basic + ongoing);
    o.raw(&n.self_party);
    o.raw("聚焦");
    o.raw(&n.committee);
    o.raw(n.kind);
    o.text("反馈问题,着眼整改效果最大化,在条条要整改、件件有着落上集中发力。截至目前,");
    o.raw(n.kind);
    o.raw("反馈");
    o.num(total);
    o.text("项具体问题,已完成整改");
    o.num(done);
    o.text("项,基本完成整改");
    o.num(basic);
    o.text("项,其余");
    o.num(total - done - basic);
    o.raw("项正在持续推进。");
    o.end();
    let earlier = o.written.summary.problems_total;
    o.written.summary = Summary {
        problems_total: earlier.or(u32::try_from(total).ok()),
        completed: u32::try_from(done).ok(),
        basically_completed: u32::try_from(basic).ok(),
        in_progress: u32::try_from(total - done - basic).ok(),
        ..Summary::default()
    };
}

/// Status phrase as printed after `整改结果:` (B) or `整改情况:` (E).
pub(super) fn status_text(layout: Layout, s: Status) -> &'static str {
    match (layout, s) {
        (Layout::B | Layout::N, Status::Phased) => "阶段性完成",
        (Layout::B | Layout::N, _) => "完成",
        (_, Status::Basic) => "基本完成整改",
        (_, Status::Ongoing) => "正在整改尚未完成整改",
        _ => "已完成整改",
    }
}

pub(super) fn body(o: &mut Out, m: &Material, f: &Frame, plan: &[Planned]) {
    let n = o.n;
    let mut last_cat = usize::MAX;
    let mut last_item = usize::MAX;
    let mut cat_no = 0;
    let mut item_no = 0;
    let mut local_no = 0;
    for (k, p) in plan.iter().enumerate() {
        let title = m.records.get(p.record).map_or("", |r| r.title.as_str());
        let measures: Vec<&str> = p
            .measures
            .iter()
            .filter_map(|&i| m.measures.get(i))
            .map(|u| u.text.as_str())
            .collect();
        if n.layout != Layout::C && p.cat != last_cat {
            last_cat = p.cat;
            cat_no += 1;
            local_no = 0;
            let cat = f
                .categories
                .get(p.cat)
                .and_then(|&i| m.categories.get(i))
                .map_or("", |u| u.text.as_str());
            o.paren(cat_no);
            if n.layout == Layout::B {
                o.text("反馈问题:");
            }
            o.text(cat);
            o.end();
            o.note_category(cat);
        }
        if matches!(n.layout, Layout::A | Layout::E) && p.item != last_item {
            last_item = p.item;
            item_no += 1;
            let item = f
                .items
                .get(p.item % f.items.len().max(1))
                .and_then(|&i| m.items.get(i))
                .map_or("", |u| u.text.as_str());
            o.num(item_no);
            if n.layout == Layout::A {
                o.raw(".关于“");
                o.text(item);
                o.raw("”方面");
            } else if f.e_item_form {
                o.raw(". 关于");
                o.text(item);
                o.raw("的问题。");
            } else {
                o.raw(".");
                o.text(item);
                o.raw("。");
            }
            o.end();
            o.note_item(item);
        }
        local_no += 1;
        match n.layout {
            Layout::A => {
                o.raw("问题");
                o.num(k + 1);
                o.text(":");
                o.text(title);
                o.raw("。");
                o.end();
                o.ordinal_measures(&measures);
                o.end();
                let label = format!("问题{}", k + 1);
                o.note_problem(
                    Some(label),
                    title,
                    truth_status(n.layout, p.status),
                    measures.len(),
                );
            }
            Layout::B | Layout::N => {
                o.num(local_no);
                o.raw(".");
                o.text(title);
                o.raw("。");
                o.end();
                o.text("整改结果:");
                o.raw(status_text(n.layout, p.status));
                o.end();
                o.text("整改情况:");
                o.ordinal_measures(&measures);
                o.end();
                let label = format!("{local_no}.");
                o.note_problem(
                    Some(label),
                    title,
                    truth_status(n.layout, p.status),
                    measures.len(),
                );
            }
            Layout::C => {
                if k < 2 || f.labels_after_two {
                    o.num(k + 1);
                    o.raw("、");
                }
                o.raw("针对“");
                o.text(wrap_core(title));
                o.raw("”问题的整改情况。");
                o.ordinal_measures(&measures);
                o.end();
                let label = (k < 2 || f.labels_after_two).then(|| format!("{}、", k + 1));
                o.note_problem(
                    label,
                    wrap_core(title),
                    truth_status(n.layout, p.status),
                    measures.len(),
                );
            }
            Layout::D => {
                o.raw("第");
                o.raw(&cn_number(local_no));
                o.text(",");
                o.text(title);
                o.raw("。");
                o.end();
                if let [only] = measures.as_slice() {
                    o.text(only);
                    o.end();
                } else {
                    for (i, t) in measures.iter().enumerate() {
                        o.num(i + 1);
                        o.raw(".");
                        o.text(t);
                        o.end();
                    }
                }
                let label = format!("第{}", cn_number(local_no));
                o.note_problem(
                    Some(label),
                    title,
                    truth_status(n.layout, p.status),
                    measures.len(),
                );
            }
            Layout::E => {
                o.text("(");
                o.num(k + 1);
                o.text(")");
                o.text(title);
                o.raw("。");
                o.end();
                o.text("整改情况:");
                o.raw(status_text(n.layout, p.status));
                o.end();
                if f.e_split_measures && measures.len() > 1 {
                    for (i, t) in measures.iter().enumerate() {
                        o.raw(&cn_number(i + 1));
                        o.raw("是");
                        o.text(t);
                        o.end();
                    }
                } else {
                    o.ordinal_measures(&measures);
                    o.end();
                }
                let label = format!("{}{}{}", o.conv("("), k + 1, o.conv(")"));
                o.note_problem(
                    Some(label),
                    title,
                    truth_status(n.layout, p.status),
                    measures.len(),
                );
            }
            // The newer layouts write their problems in `variants`.
            _ => {}
        }
    }
}

/// A planned status as a correct parse reports it: the status and the phrase printed.
pub(super) fn truth_status(layout: Layout, s: Status) -> (notice::Status, Option<String>) {
    let status = match s {
        Status::None => return (notice::Status::Unspecified, None),
        Status::Done => notice::Status::Completed,
        Status::Basic => notice::Status::BasicallyCompleted,
        Status::Phased => notice::Status::Phased,
        Status::Ongoing => notice::Status::InProgress,
    };
    (status, Some(status_text(layout, s).to_string()))
}

/// 001-style section listing the problems not yet fully rectified; returns whether anything
/// was written.
pub(super) fn further_steps(
    o: &mut Out,
    m: &Material,
    f: &Frame,
    plan: &[Planned],
    no: usize,
) -> bool {
    let n = o.n;
    let groups = [
        (Status::Basic, "基本完成整改事项"),
        (Status::Ongoing, "正在整改尚未完成事项"),
    ];
    if !plan
        .iter()
        .any(|p| matches!(p.status, Status::Basic | Status::Ongoing))
    {
        return false;
    }
    o.section(no, "需要进一步整改的事项及措施");
    let mut paren = 0;
    for (status, head) in groups {
        let open: Vec<(usize, &Planned)> = plan
            .iter()
            .enumerate()
            .filter(|(_, p)| p.status == status)
            .collect();
        if open.is_empty() {
            continue;
        }
        paren += 1;
        o.paren(paren);
        o.raw(head);
        o.end();
        for (k, (idx, p)) in open.into_iter().enumerate() {
            let title = m.records.get(p.record).map_or("", |r| r.title.as_str());
            o.num(k + 1);
            o.raw(". 关于");
            o.text(wrap_core(title));
            o.raw("的问题。");
            o.end();
            if let Some(u) = p.measures.first().and_then(|&i| m.measures.get(i)) {
                o.text(&u.text);
                o.end();
            }
            let months = f.deadlines.get(idx).copied().unwrap_or(6);
            let total = n.published.y * 12 + i64::from(n.published.m) - 1 + months as i64;
            let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
            o.raw(&format!("完成时限:{year}年{month}月前"));
            o.end();
            if let Some(t) = o.written.problems.get_mut(idx) {
                t.deadline = Some(format!("{year:04}-{month:02}"));
            }
        }
    }
    true
}
