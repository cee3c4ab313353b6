//! Writing a planned notice as text in one of the layouts.

use super::classic::{body, further_steps, summary_d};
use super::layouts::Layout;
use super::material::{
    Lead, Material, PH_AGENCY, PH_KIND, PH_PARTY, PH_REGION, PH_SELF, PH_SELF_PARTY, PH_SHORT,
};
use super::names::{civil_from_days, cn_number, date_cn, date_iso, days_from_civil};
use super::plan::{Facts, Frame, Planned, Status};
use super::truth::TruthProblem;
use super::variants;
use super::NOTICE_MAX_BYTES;
use crate::notice::{self, Category, Summary};

/// Text being built, with the notice's replacements for placeholders and punctuation.
pub(super) struct Out<'a> {
    pub(super) s: String,
    pub(super) n: &'a Facts,
    /// What has been written, as a correct parse reports it.
    pub(super) written: Written,
}

/// The structure a renderer wrote, recorded as it writes it.
#[derive(Debug, Default)]
pub(super) struct Written {
    pub(super) categories: Vec<Category>,
    pub(super) problems: Vec<TruthProblem>,
    pub(super) summary: Summary,
}

impl<'a> Out<'a> {
    pub(super) fn new(n: &'a Facts) -> Self {
        Self {
            s: String::with_capacity(NOTICE_MAX_BYTES + 4096),
            n,
            written: Written::default(),
        }
    }

    /// `t` as [`Out::text`] would write it, without writing it.
    pub(super) fn conv(&mut self, t: &str) -> String {
        let start = self.s.len();
        self.text(t);
        let r = self.s.get(start..).unwrap_or("").to_string();
        self.s.truncate(start);
        r
    }

    /// Records a category heading just written (title as printed, without numbering).
    pub(super) fn note_category(&mut self, title: &str) {
        let title = self.conv(title);
        self.written.categories.push(Category {
            title,
            items: Vec::new(),
        });
    }

    /// Records an item heading just written (title without wrapper words).
    pub(super) fn note_item(&mut self, title: &str) {
        let title = self.conv(title);
        if let Some(c) = self.written.categories.last_mut() {
            c.items.push(title);
        }
    }

    /// Records a problem just written, under the last category and item recorded.
    pub(super) fn note_problem(
        &mut self,
        label: Option<String>,
        title: &str,
        status: (notice::Status, Option<String>),
        measures: usize,
    ) {
        let title = self.conv(title);
        let category = self.written.categories.len().checked_sub(1);
        let item = self
            .written
            .categories
            .last()
            .and_then(|c| c.items.len().checked_sub(1));
        self.written.problems.push(TruthProblem {
            label,
            category,
            item,
            title,
            status: status.0,
            status_text: status.1,
            deadline: None,
            measures,
        });
    }

    /// Appends seed or template text: placeholders replaced, punctuation full-width if the
    /// layout wants it.
    pub(super) fn text(&mut self, t: &str) {
        let bytes = t.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes.get(i).copied().unwrap_or(0);
            let rep: Option<(&str, usize)> = if b == 0xEE {
                match t.get(i..).and_then(|r| r.chars().next()) {
                    Some(PH_REGION) => Some((self.n.region, 3)),
                    Some(PH_SHORT) => Some((&self.n.short, 3)),
                    Some(PH_SELF) => Some((&self.n.self_name, 3)),
                    Some(PH_AGENCY) => Some((&self.n.agency_short, 3)),
                    Some(PH_KIND) => Some((self.n.kind, 3)),
                    Some(PH_PARTY) => Some((self.n.party, 3)),
                    Some(PH_SELF_PARTY) => Some((&self.n.self_party, 3)),
                    _ => None,
                }
            } else if self.n.full_width {
                match b {
                    b',' => Some(("\u{FF0C}", 1)),
                    b';' => Some(("\u{FF1B}", 1)),
                    b':' => Some(("\u{FF1A}", 1)),
                    b'(' => Some(("\u{FF08}", 1)),
                    b')' => Some(("\u{FF09}", 1)),
                    _ => None,
                }
            } else {
                None
            };
            if let Some((r, w)) = rep {
                self.s.push_str(t.get(start..i).unwrap_or(""));
                self.s.push_str(r);
                i += w;
                start = i;
            } else {
                i += 1;
            }
        }
        self.s.push_str(t.get(start..).unwrap_or(""));
    }

    /// Appends text that needs no replacement (names, numbers).
    pub(super) fn raw(&mut self, t: &str) {
        self.s.push_str(t);
    }

    pub(super) fn num(&mut self, v: usize) {
        self.s.push_str(&v.to_string());
    }

    /// Ends a paragraph (with an empty line in web layouts).
    pub(super) fn end(&mut self) {
        self.s.push('\n');
        if self.n.gap {
            self.s.push('\n');
        }
    }

    pub(super) fn section(&mut self, no: usize, head: &str) {
        self.raw(&cn_number(no));
        self.raw("、");
        self.text(head);
        self.end();
    }

    pub(super) fn paren(&mut self, no: usize) {
        self.text("(");
        self.raw(&cn_number(no));
        self.text(")");
    }

    /// `一是…二是…`, or the single measure without ordinal.
    pub(super) fn ordinal_measures(&mut self, texts: &[&str]) {
        if let [only] = texts {
            self.text(only);
            return;
        }
        for (i, t) in texts.iter().enumerate() {
            self.raw(&cn_number(i + 1));
            self.raw("是");
            self.text(t);
        }
    }

    /// `intro一是lead。body二是…` as one paragraph.
    pub(super) fn lead_paragraph(&mut self, intro: Option<&str>, leads: &[&Lead]) {
        if let Some(i) = intro {
            self.text(i);
        }
        for (k, l) in leads.iter().enumerate() {
            self.raw(&cn_number(k + 1));
            self.raw("是");
            self.text(&l.lead);
            self.raw("。");
            self.text(&l.body);
        }
        self.end();
    }
}

/// Renders a whole notice.
pub(super) fn render(n: &Facts, m: &Material, f: &Frame, plan: &[Planned]) -> (String, Written) {
    if n.layout == Layout::M {
        return variants::traditional(n, m, f, plan);
    }
    let mut o = Out::new(n);
    if n.layout == Layout::N {
        variants::header_n(&mut o);
    } else {
        header(&mut o, f);
    }
    opening(&mut o);
    let mut no = 1;
    preamble(&mut o, m, f, plan, no);
    if n.layout == Layout::I {
        variants::body(&mut o, m, f, plan);
        closing(&mut o, m, f, no);
        signature(&mut o, f);
        return (o.s, o.written);
    }
    no += 1;
    o.section(no, m.sec2.get(seed_of(n.layout)).map_or("", String::as_str));
    if n.layout == Layout::D {
        summary_d(&mut o, f, plan);
    }
    if n.layout.is_classic() || n.layout == Layout::N {
        body(&mut o, m, f, plan);
    } else {
        variants::body(&mut o, m, f, plan);
    }
    match n.layout {
        Layout::B => {
            no += 1;
            o.section(no, "集中整改期内未完成的整改事项");
        }
        Layout::E => {
            no += 1;
            o.section(no, "巡察反馈问题线索及巡察移交信访举报办理情况");
            o.raw(&n.group);
            o.text("巡察期间,共向");
            o.raw(&n.target);
            o.text("移交问题线索");
            o.num(f.numbers[4]);
            o.text("件、信访举报件");
            o.num(f.numbers[0]);
            o.text("件,已全部办结。");
            o.end();
            if further_steps(&mut o, m, f, plan, no + 1) {
                no += 1;
            }
        }
        _ => {}
    }
    no += 1;
    closing(&mut o, m, f, no);
    // A web copy without signature.
    if n.layout != Layout::N {
        signature(&mut o, f);
    }
    (o.s, o.written)
}

/// Seed that a layout mirrors.
pub(super) fn seed_of(layout: Layout) -> usize {
    match layout {
        Layout::A => 0,
        Layout::E => 1,
        Layout::D => 2,
        Layout::B => 3,
        Layout::C | Layout::K | Layout::L => 4,
        Layout::F | Layout::I | Layout::J => 0,
        Layout::H => 1,
        Layout::G | Layout::M | Layout::N => 3,
    }
}

pub(super) fn notice_title(o: &mut Out) {
    let n = o.n;
    o.raw(&n.agency_full);
    o.raw("关于");
    if let Some(r) = &n.round {
        o.raw(r);
    }
    o.raw(n.kind);
    if n.revisit {
        o.raw("“回头看”");
    }
    o.raw(if n.round.is_some() {
        "整改进展情况的通报"
    } else {
        "整改情况的通报"
    });
}

pub(super) fn header(o: &mut Out, f: &Frame) {
    let n = o.n;
    if !f.title {
        return;
    }
    match n.layout {
        Layout::B => {
            if f.nav {
                o.text("当前位置: 首页 > 信息公开 > 巡视巡察 > 本级巡察情况");
                o.end();
            }
            o.raw("【");
            o.raw(n.kind);
            o.raw("整改】");
            notice_title(o);
            o.end();
            let (days, hh, mm) = f.web_time;
            let web = civil_from_days(
                days_from_civil(n.published.y, n.published.m, n.published.d) + days as i64,
            );
            o.text("发布时间:");
            o.raw(&date_iso(web));
            o.raw(&format!(" {hh:02}:{mm:02}"));
            o.end();
        }
        Layout::D => {
            notice_title(o);
            o.end();
            o.text("来源:");
            o.raw(&n.committee);
            o.raw(n.kind);
            o.text("办 时间:");
            o.raw(&date_iso(n.published));
            o.end();
        }
        _ => {
            notice_title(o);
            o.end();
        }
    }
}

pub(super) fn opening(o: &mut Out) {
    let n = o.n;
    o.text("根据");
    o.raw(&n.committee);
    match n.layout {
        Layout::B => {
            o.raw(n.kind);
            o.text("工作统一部署,");
        }
        Layout::D => o.text("部署,"),
        _ => o.text("统一部署,"),
    }
    o.raw(&date_cn(n.start));
    o.raw("至");
    if n.end.y == n.start.y {
        o.raw(&format!("{}月{}日", n.end.m, n.end.d));
    } else {
        o.raw(&date_cn(n.end));
    }
    o.text(",");
    o.raw(&n.group);
    o.raw("对");
    o.raw(&n.target);
    o.raw(if n.layout == Layout::D {
        "开展了"
    } else {
        "进行了"
    });
    o.raw(n.kind);
    if n.revisit {
        o.raw("“回头看”");
    }
    o.raw("。");
    if n.feedback_stated {
        if n.feedback_with_year {
            o.raw(&date_cn(n.feedback));
        } else {
            o.raw(&format!("{}月{}日", n.feedback.m, n.feedback.d));
        }
        o.text(",");
        o.raw(&n.group);
        o.raw("向");
        o.raw(&n.target);
        o.raw("反馈了");
        o.raw(n.kind);
        o.raw("意见。");
    }
    o.raw("按照");
    o.text(match n.layout {
        Layout::A | Layout::E => "党务公开原则和",
        Layout::C => "《中国共产党巡视工作条例》等有关规定,",
        _ => "",
    });
    if n.layout != Layout::C {
        o.raw(n.kind);
        o.text("工作有关要求,");
    }
    o.raw("现将");
    if let Some(r) = &n.round {
        o.raw(r);
    }
    o.raw(n.kind);
    o.raw(if n.layout == Layout::C {
        "整改情况予以公布。"
    } else {
        "整改进展情况予以公布。"
    });
    o.end();
}

pub(super) fn preamble(o: &mut Out, m: &Material, f: &Frame, plan: &[Planned], no: usize) {
    let n = o.n;
    let head = m.pre_heads.get(f.pre_head).map_or("", |u| u.text.as_str());
    // Layout I has no sections: the preamble is a paragraph after the opening.
    if n.layout != Layout::I {
        o.section(no, head);
    }
    let intro = f
        .pre_intro
        .and_then(|i| m.pre_intros.get(i))
        .map(|u| u.text.as_str());
    // The newer layouts leave out seed paragraphs stating another inspection's figures.
    let leads: Vec<&Lead> = f
        .pre_items
        .iter()
        .filter_map(|&i| m.pre_items.get(i))
        .filter(|l| n.layout.is_classic() || stated_problems(&l.body).is_none())
        .collect();
    match n.layout {
        Layout::C | Layout::E | Layout::I => o.lead_paragraph(intro, &leads),
        _ => {
            if let Some(i) = intro {
                o.text(i);
                o.end();
            }
            for (k, l) in leads.iter().enumerate() {
                o.paren(k + 1);
                o.text(&l.lead);
                if n.layout == Layout::D {
                    o.end();
                } else {
                    o.raw("。");
                }
                o.text(&l.body);
                o.end();
            }
        }
    }
    // A seed paragraph may state how many problems its own inspection fed back. The
    // benchmark bytes keep it, so where the layout states its own figure later the text
    // states two; the first stated is the truth.
    if let Some(k) = leads.iter().find_map(|l| stated_problems(&l.body)) {
        o.written.summary.problems_total = Some(k);
    }
    let problems = plan.len();
    let measures: usize = plan.iter().map(|p| p.measures.len()).sum();
    let cats = plan.last().map_or(0, |p| p.cat + 1);
    match n.layout {
        Layout::B => {
            let phased = plan.iter().filter(|p| p.status == Status::Phased).count();
            let month = civil_from_days(days_from_civil(n.published.y, n.published.m, 1) - 1);
            o.raw(&format!("截至{}年{}月底,", month.y, month.m));
            o.raw(n.kind);
            o.raw("反馈的");
            o.num(cats);
            o.raw("个方面");
            o.num((cats + problems) / 2);
            o.raw("项");
            o.num(problems);
            o.text("个具体问题,已完成整改");
            o.num(problems - phased);
            o.text("个,阶段性完成整改");
            o.num(phased);
            o.text("个;");
            o.raw(n.kind);
            o.raw("移交的");
            o.num(f.numbers[0]);
            o.text("件信访件,已办结");
            o.num(f.numbers[0]);
            o.text("件;通过");
            o.raw(n.kind);
            o.raw("整改完善制度");
            o.num(f.numbers[1]);
            o.text("项,问责追责");
            o.num(f.numbers[2]);
            o.raw("人次。");
            o.end();
            // A figure stated earlier by a seed paragraph comes first in the text.
            let earlier = o.written.summary.problems_total;
            o.written.summary = Summary {
                problems_total: earlier.or(u32::try_from(problems).ok()),
                completed: u32::try_from(problems - phased).ok(),
                phased: u32::try_from(phased).ok(),
                rules_made: u32::try_from(f.numbers[1]).ok(),
                people_held_accountable: u32::try_from(f.numbers[2]).ok(),
                ..Summary::default()
            };
        }
        Layout::C => {
            let done = measures * (70 + f.numbers[1]) / 110;
            o.text("对照");
            o.raw(&n.committee);
            o.raw(n.kind);
            o.raw("组提出的");
            o.num((problems / 2).max(1));
            o.raw("个方面问题和");
            o.num(f.numbers[3]);
            o.text("个方面的意见,制定的");
            o.num(measures);
            o.text("条整改措施,已落实到位");
            o.num(done);
            o.text("条,整改到位率");
            o.num(done * 100 / measures.max(1));
            o.text("%;制定完善规章制度");
            o.num(f.numbers[5]);
            o.text("项;");
            o.raw(n.kind);
            o.raw("交办问题");
            o.num(f.numbers[0]);
            o.text("件,办理完成");
            o.num(f.numbers[0]);
            o.text("件,移交事项办结率100%。");
            o.end();
            let s = &mut o.written.summary;
            s.measures_total = u32::try_from(measures).ok();
            s.measures_done = u32::try_from(done).ok();
            s.rules_made = u32::try_from(f.numbers[5]).ok();
        }
        Layout::N => variants::figures_n(o, plan),
        _ => {}
    }
}

/// `…反馈25个具体问题…` → 25.
fn stated_problems(text: &str) -> Option<u32> {
    let end = text.find("个具体问题")?;
    let digits = text[..end]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    text.get(end - digits..end)?.parse().ok()
}

pub(super) fn closing(o: &mut Out, m: &Material, f: &Frame, no: usize) {
    let n = o.n;
    if n.layout == Layout::I {
        variants::closing_i(o, m, f);
        return;
    }
    let head = m
        .close_heads
        .get(f.close_head)
        .map_or("", |u| u.text.as_str());
    o.section(no, head);
    let intro = m.close_intros.get(f.close_intro).map(|u| u.text.as_str());
    let leads: Vec<&Lead> = f
        .close_items
        .iter()
        .filter_map(|&i| m.close_items.get(i))
        .collect();
    let style = match n.layout {
        Layout::A | Layout::C | Layout::F | Layout::H | Layout::J | Layout::L => 0,
        Layout::B | Layout::G | Layout::K | Layout::M | Layout::N => 1,
        Layout::D | Layout::I => 2,
        Layout::E => f.close_style,
    };
    if style == 0 {
        o.lead_paragraph(intro, &leads);
    } else {
        if let Some(i) = intro {
            o.text(i);
            o.end();
        }
        for (k, l) in leads.iter().enumerate() {
            o.paren(k + 1);
            o.text(&l.lead);
            if style == 2 {
                o.end();
            } else {
                o.raw("。");
            }
            o.text(&l.body);
            o.end();
        }
    }
    contact(o, f);
}

/// The closing invitation with the contact details.
pub(super) fn contact(o: &mut Out, f: &Frame) {
    let n = o.n;
    o.text("欢迎广大干部群众对");
    o.raw(n.kind);
    o.text("整改落实情况进行监督。如有意见建议,请及时向我们反映。联系电话:");
    o.raw(&f.phone);
    o.text(";通信地址:");
    o.raw(&f.address);
    o.text(";邮政编码:");
    o.num(f.zip);
    o.text(";电子邮箱:");
    o.raw(&f.email);
    o.raw("。");
    o.end();
}

pub(super) fn signature(o: &mut Out, f: &Frame) {
    let n = o.n;
    let indent = if f.indent_signature {
        "                          "
    } else {
        ""
    };
    o.raw(indent);
    o.raw(&n.agency_full);
    o.end();
    o.raw(indent);
    o.raw(&date_cn(n.published));
    o.s.push('\n');
    if n.layout == Layout::B && f.scan_footer {
        o.s.push('\n');
        o.text("扫一扫,在手机打开当前页面");
        o.s.push('\n');
    }
}
