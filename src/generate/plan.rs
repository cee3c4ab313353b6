//! What a notice contains, fixed before any text is written: the issuing body and
//! inspection facts ([`Facts`]), the problems with their measures and statuses
//! ([`Planned`]), and the choices around them ([`Frame`]).

use super::layouts::Layout;
use super::material::{Lead, Material, Unit, REVISIT_BIT};
use super::names::*;
use super::rng::Rng;
use super::TERM_RATES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    None,
    Done,
    Basic,
    Phased,
    Ongoing,
}

/// Facts of one notice (issuing body, inspection, dates, layout), fixed before rendering.
#[derive(Debug, Clone)]
pub(super) struct Facts {
    pub(super) layout: Layout,
    pub(super) region: &'static str,
    pub(super) short: String,
    /// Level character + organ (市卫生健康局).
    pub(super) self_name: String,
    /// Region + organ (汕尾市卫生健康局).
    pub(super) agency_short: String,
    /// As it signs (中共汕尾市卫生健康局党组).
    pub(super) agency_full: String,
    /// How the text names the inspected body (市卫生健康局党组).
    pub(super) target: String,
    /// 党组 / 党委, as the running text names the body's party organ.
    pub(super) party: &'static str,
    /// 局党组 / 委党委 …
    pub(super) self_party: String,
    pub(super) committee: String,
    pub(super) kind: &'static str,
    pub(super) revisit: bool,
    pub(super) round: Option<String>,
    pub(super) group: String,
    pub(super) start: Date,
    pub(super) end: Date,
    pub(super) feedback: Date,
    pub(super) published: Date,
    pub(super) feedback_with_year: bool,
    /// Whether the text says when the feedback was given.
    pub(super) feedback_stated: bool,
    pub(super) allowed: u8,
    pub(super) full_width: bool,
    pub(super) gap: bool,
}

impl Facts {
    /// Draws the facts of a notice; `layout` overrides the layout drawn (the draw is made
    /// either way, so the other facts do not depend on the override).
    pub(super) fn random(rng: &mut Rng, layout: Option<Layout>) -> Self {
        let drawn = match rng.below(100) {
            0..=24 => Layout::A,
            25..=44 => Layout::B,
            45..=59 => Layout::C,
            60..=74 => Layout::D,
            _ => Layout::E,
        };
        let layout = layout.unwrap_or(drawn);
        let level = match rng.below(100) {
            0..=19 => Level::Province,
            20..=64 => Level::City,
            _ => Level::County,
        };
        let region = match level {
            Level::Province => rng.pick(&PROVINCES, "广东省"),
            Level::City => rng.pick(&CITIES, "汕尾市"),
            Level::County => rng.pick(&COUNTIES, "新野县"),
        };
        let level_char = region.chars().last().unwrap_or('市');
        let short = if region.chars().count() > 2 {
            region.trim_end_matches(['省', '市', '县']).to_string()
        } else {
            region.to_string()
        };
        let province_organs = region.ends_with('省');
        let health = rng.chance(0.6);
        let organ = match (health, province_organs) {
            (true, true) => rng.pick(&HEALTH_ORGANS_PROVINCE, "卫生健康委员会"),
            (true, false) => rng.pick(&HEALTH_ORGANS, "卫生健康局"),
            (false, true) => rng.pick(&OTHER_ORGANS_PROVINCE, "教育厅"),
            (false, false) => rng.pick(&OTHER_ORGANS, "教育局"),
        };
        let suffix = match rng.below(100) {
            0..=54 => "党组",
            55..=89 => "党委",
            90..=94 if organ.ends_with("委员会") => "委员会",
            _ => "",
        };
        let party = if suffix == "党组" {
            "党组"
        } else {
            "党委"
        };
        let organ_char = if organ.ends_with("委员会") {
            '委'
        } else {
            organ.chars().last().unwrap_or('局')
        };
        let agency_short = format!("{region}{organ}");
        let self_name = format!("{level_char}{organ}");
        let target = if rng.chance(0.5) {
            format!("{self_name}{party}")
        } else {
            format!("{agency_short}{party}")
        };
        let committee = format!("{level_char}委");
        let kind = if level == Level::Province {
            "巡视"
        } else {
            "巡察"
        };
        let revisit = kind == "巡察" && rng.chance(0.2);

        let first = days_from_civil(2019, 1, 1);
        let last = days_from_civil(2025, 12, 31);
        let span = usize::try_from(last - first).unwrap_or(0);
        let pub_day = first + rng.below(span + 1) as i64;
        let feedback_day = pub_day - rng.range(60, 300) as i64;
        let end_day = feedback_day - rng.range(7, 60) as i64;
        let start_day = end_day - rng.range(28, 100) as i64;
        let published = civil_from_days(pub_day);

        let round = rng.chance(0.6).then(|| {
            let late = published.y >= 2022;
            let term = match (level, late) {
                (Level::Province, false) => "十一",
                (Level::Province, true) => "十二",
                (Level::City, false) => "七",
                (Level::City, true) => "八",
                (Level::County, false) => "十四",
                (Level::County, true) => "十五",
            };
            format!("{term}届{committee}第{}轮", cn_number(rng.range(1, 15)))
        });
        let group_no = cn_number(rng.range(1, 12));
        let group = if rng.chance(0.8) {
            format!("{committee}第{group_no}{kind}组")
        } else {
            format!("{committee}{kind}{group_no}组")
        };

        let mut allowed = 0u8;
        for (i, (_, p)) in TERM_RATES.iter().enumerate() {
            if rng.chance(*p) {
                allowed |= 1 << i;
            }
        }
        if revisit {
            allowed |= REVISIT_BIT;
        }
        let full_width = layout == Layout::C;
        let gap = match layout {
            Layout::B | Layout::M | Layout::N => true,
            Layout::C => rng.chance(0.3),
            _ => false,
        };
        let mut facts = Self {
            layout,
            region,
            short,
            self_party: format!("{organ_char}{party}"),
            party,
            agency_full: format!("中共{agency_short}{suffix}"),
            agency_short,
            self_name,
            target,
            committee,
            kind,
            revisit,
            round,
            group,
            start: civil_from_days(start_day),
            end: civil_from_days(end_day),
            feedback: civil_from_days(feedback_day),
            published,
            feedback_with_year: rng.chance(0.75),
            feedback_stated: true,
            allowed,
            full_width,
            gap,
        };
        // Drawn last, and only for layout N, so the other layouts' draws stay as they were.
        if layout == Layout::N {
            facts.target = format!("{}{}", facts.agency_short, facts.party);
            if rng.chance(0.5) {
                let field = rng.pick(&SPECIAL_FIELDS, "乡村振兴");
                facts.group = format!("{}{field}领域专项{kind}组", facts.committee);
            }
            facts.feedback_stated = rng.chance(0.5);
        }
        facts
    }

    pub(super) fn ok(&self, mask: u8) -> bool {
        mask & !self.allowed == 0
    }
}

/// Shuffled draw pile of pool indices, reshuffled when exhausted.
#[derive(Debug)]
pub(super) struct Deck {
    pub(super) items: Vec<usize>,
    pub(super) pos: usize,
}

impl Deck {
    pub(super) fn new(mut items: Vec<usize>, rng: &mut Rng) -> Self {
        rng.shuffle(&mut items);
        Self { items, pos: 0 }
    }

    pub(super) fn draw(&mut self, rng: &mut Rng) -> Option<usize> {
        if self.items.is_empty() {
            return None;
        }
        if self.pos >= self.items.len() {
            rng.shuffle(&mut self.items);
            self.pos = 0;
        }
        let v = self.items.get(self.pos).copied();
        self.pos += 1;
        v
    }
}

/// One problem as planned: record (title), measures, status and its place in the outline.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub(super) record: usize,
    pub(super) measures: Vec<usize>,
    pub(super) status: Status,
    pub(super) cat: usize,
    pub(super) item: usize,
}

/// Whether a measure may appear in a notice: its query terms are allowed, and in the
/// numbered-point layout (002) it is a paragraph long enough not to read as a heading and
/// does not start with a digit (`2.2023年…` would read as a decimal number).
pub(super) fn fits(n: &Facts, u: &Unit) -> bool {
    n.ok(u.mask)
        && (n.layout != Layout::D
            || (u.text.chars().count() >= 60 && !u.text.starts_with(|c: char| c.is_ascii_digit())))
}

/// Draws problems for one notice.
pub(super) struct Planner<'a> {
    pub(super) m: &'static Material,
    pub(super) n: &'a Facts,
    pub(super) rng: Rng,
    pub(super) records: Deck,
    pub(super) measures: Deck,
    /// Measures already placed in this notice.
    pub(super) used: Vec<bool>,
    pub(super) mean_measures: f64,
    pub(super) max_measures: usize,
}

impl<'a> Planner<'a> {
    pub(super) fn new(m: &'static Material, n: &'a Facts, mut rng: Rng) -> Self {
        // `1.2018年以来,…` would read as a decimal number: keep such titles out of `N.` layouts.
        let records: Vec<usize> = (0..m.records.len())
            .filter(|&i| {
                m.records.get(i).is_some_and(|r| {
                    n.ok(r.mask)
                        && !(matches!(
                            n.layout,
                            Layout::B | Layout::I | Layout::J | Layout::K | Layout::M | Layout::N
                        ) && r.title.starts_with(|c: char| c.is_ascii_digit()))
                })
            })
            .collect();
        let measures: Vec<usize> = (0..m.measures.len())
            .filter(|&i| m.measures.get(i).is_some_and(|u| fits(n, u)))
            .collect();
        let max_measures = match n.layout {
            Layout::A => 6,
            Layout::B => 5,
            _ => 4,
        };
        let mean_measures = (1.2 + rng.unit() * 3.6).min(max_measures as f64);
        Self {
            used: vec![false; m.measures.len()],
            records: Deck::new(records, &mut rng),
            measures: Deck::new(measures, &mut rng),
            m,
            n,
            rng,
            mean_measures,
            max_measures,
        }
    }

    pub(super) fn measure_count(&mut self) -> usize {
        let x = self.mean_measures + (self.rng.unit() - 0.5) * 3.0;
        // 002 prints numbered points; a lone unnumbered paragraph is the exception there.
        // Layout F writes the measures on the problem's line: `一是` marks where they start.
        let min = if (self.n.layout == Layout::D && self.rng.chance(0.92))
            || self.n.layout == Layout::F
        {
            2.0
        } else {
            1.0
        };
        (x.round().max(min) as usize).min(self.max_measures)
    }

    /// Draws a measure not used yet in this notice if possible (never one in `taken`).
    pub(super) fn draw_measure(&mut self, taken: &[usize]) -> Option<usize> {
        let mut fallback = None;
        for _ in 0..12 {
            let v = self.measures.draw(&mut self.rng)?;
            if taken.contains(&v) {
                continue;
            }
            if !self.used.get(v).copied().unwrap_or(false) {
                return Some(self.mark(v));
            }
            fallback.get_or_insert(v);
        }
        fallback.map(|v| self.mark(v))
    }

    pub(super) fn mark(&mut self, v: usize) -> usize {
        if let Some(u) = self.used.get_mut(v) {
            *u = true;
        }
        v
    }

    pub(super) fn problem(&mut self, cat: usize, item: usize) -> Planned {
        let record = self.records.draw(&mut self.rng).unwrap_or(0);
        let want = self.measure_count();
        let own: Vec<usize> = self
            .m
            .records
            .get(record)
            .map(|r| {
                r.measures
                    .iter()
                    .copied()
                    .filter(|&i| self.m.measures.get(i).is_some_and(|u| fits(self.n, u)))
                    .filter(|&i| !self.used.get(i).copied().unwrap_or(false))
                    .collect()
            })
            .unwrap_or_default();
        let mut measures: Vec<usize> = if !own.is_empty() && self.rng.chance(0.5) {
            own.into_iter().take(want).map(|v| self.mark(v)).collect()
        } else {
            Vec::new()
        };
        while measures.len() < want {
            match self.draw_measure(&measures) {
                Some(v) => measures.push(v),
                None => break,
            }
        }
        let status = match self.n.layout {
            Layout::B if self.rng.chance(0.12) => Status::Phased,
            Layout::B => Status::Done,
            Layout::E => match self.rng.below(100) {
                0..=84 => Status::Done,
                85..=91 => Status::Basic,
                _ => Status::Ongoing,
            },
            Layout::M | Layout::N if self.rng.chance(0.2) => Status::Phased,
            Layout::M | Layout::N => Status::Done,
            Layout::I => match self.rng.below(100) {
                0..=69 => Status::Done,
                70..=84 => Status::Phased,
                _ => Status::Ongoing,
            },
            Layout::G => match self.rng.below(100) {
                0..=59 => Status::Done,
                60..=79 => Status::Phased,
                _ => Status::None,
            },
            Layout::H | Layout::K | Layout::L => match self.rng.below(100) {
                0..=59 => Status::Done,
                60..=74 => Status::Phased,
                75..=84 => Status::Basic,
                _ => Status::Ongoing,
            },
            _ => Status::None,
        };
        Planned {
            record,
            measures,
            status,
            cat,
            item,
        }
    }

    pub(super) fn bytes(&self, p: &Planned) -> usize {
        let title = self.m.records.get(p.record).map_or(0, |r| r.title.len());
        let measures: usize = p
            .measures
            .iter()
            .filter_map(|&i| self.m.measures.get(i))
            .map(|u| u.text.len() + 6)
            .sum();
        title + measures + 40
    }

    /// Problems until the byte budget is reached (5 to 40 of them), grouped into categories
    /// and items.
    pub(super) fn plan(&mut self, budget: usize) -> Vec<Planned> {
        let mut plan: Vec<Planned> = Vec::new();
        let mut est = 5_000;
        while (est < budget || plan.len() < 5) && plan.len() < 40 {
            let p = self.problem(0, 0);
            est += self.bytes(&p);
            plan.push(p);
        }
        self.force_terms(&mut plan);
        self.group(&mut plan);
        plan
    }

    /// Makes sure every query term drawn for this notice really occurs (in the first five
    /// problems, which are never dropped when the size is adjusted).
    pub(super) fn force_terms(&mut self, plan: &mut [Planned]) {
        let mut present = 0u8;
        for p in plan.iter() {
            present |= self.m.records.get(p.record).map_or(0, |r| r.mask);
            for &i in &p.measures {
                present |= self.m.measures.get(i).map_or(0, |u| u.mask);
            }
        }
        for (t, list) in self.m.term_measures.iter().enumerate() {
            let bit = 1u8 << t;
            if self.n.allowed & bit == 0 || present & bit != 0 {
                continue;
            }
            let candidates: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| self.m.measures.get(i).is_some_and(|u| fits(self.n, u)))
                .collect();
            let Some(&unit_id) = candidates.get(self.rng.below(candidates.len())) else {
                continue;
            };
            let slot = self.rng.below(plan.len().min(5));
            if let Some(p) = plan.get_mut(slot) {
                if p.measures.len() < self.max_measures {
                    let at = self.rng.range(0, p.measures.len());
                    p.measures.insert(at, unit_id);
                } else if let Some(last) = p.measures.last_mut() {
                    *last = unit_id;
                }
            }
            present |= self.m.measures.get(unit_id).map_or(0, |u| u.mask);
        }
    }

    /// Splits `total` into `parts` non-empty consecutive runs.
    pub(super) fn composition(&mut self, total: usize, parts: usize) -> Vec<usize> {
        let parts = parts.clamp(1, total.max(1));
        let mut cuts: Vec<usize> = (1..total).collect();
        self.rng.shuffle(&mut cuts);
        cuts.truncate(parts - 1);
        cuts.sort_unstable();
        let mut sizes = Vec::with_capacity(parts);
        let mut prev = 0;
        for c in cuts {
            sizes.push(c - prev);
            prev = c;
        }
        sizes.push(total - prev);
        sizes
    }

    pub(super) fn group(&mut self, plan: &mut [Planned]) {
        let has_cats = !matches!(self.n.layout, Layout::C | Layout::L);
        let has_items = matches!(self.n.layout, Layout::A | Layout::E | Layout::F);
        if !has_cats {
            return;
        }
        let cats = self.rng.range(3, 5);
        let sizes = self.composition(plan.len(), cats);
        let mut pos = 0;
        let mut item_id = 0;
        for (cat, size) in sizes.into_iter().enumerate() {
            let item_sizes = if has_items {
                let k = self.rng.range(1, size.min(4));
                self.composition(size, k)
            } else {
                vec![size]
            };
            for isize in item_sizes {
                for p in plan.iter_mut().skip(pos).take(isize) {
                    p.cat = cat;
                    p.item = item_id;
                }
                pos += isize;
                item_id += 1;
            }
        }
    }
}

/// Choices for the parts around the problems, fixed before rendering so that re-rendering
/// after a size adjustment gives the same text.
#[derive(Debug)]
pub(super) struct Frame {
    pub(super) title: bool,
    pub(super) nav: bool,
    pub(super) scan_footer: bool,
    pub(super) indent_signature: bool,
    pub(super) labels_after_two: bool,
    pub(super) e_item_form: bool,
    pub(super) e_split_measures: bool,
    pub(super) close_style: usize,
    pub(super) pre_head: usize,
    pub(super) pre_intro: Option<usize>,
    pub(super) pre_items: Vec<usize>,
    pub(super) close_head: usize,
    pub(super) close_intro: usize,
    pub(super) close_items: Vec<usize>,
    pub(super) categories: Vec<usize>,
    pub(super) items: Vec<usize>,
    pub(super) numbers: [usize; 6],
    pub(super) deadlines: Vec<usize>,
    pub(super) web_time: (usize, usize, usize),
    pub(super) phone: String,
    pub(super) address: String,
    pub(super) zip: usize,
    pub(super) email: String,
    /// Choices of the newer layouts (heading form, status wording, deadline …), one per
    /// problem or per notice; empty for A–E.
    pub(super) extra: Vec<usize>,
}

impl Frame {
    /// Choice `k` (cycling) of the newer layouts' choices, reduced to `0..n`.
    pub(super) fn choice(&self, k: usize, n: usize) -> usize {
        match self.extra.get(k % self.extra.len().max(1)) {
            Some(v) if n > 0 => v % n,
            _ => 0,
        }
    }
}

/// Picks `k` distinct entries of a pool whose mask the notice allows (repeats only if the
/// pool is too small).
pub(super) fn pick_distinct(rng: &mut Rng, masks: &[u8], n: &Facts, k: usize) -> Vec<usize> {
    let mut ok: Vec<usize> = (0..masks.len())
        .filter(|&i| masks.get(i).is_some_and(|&m| n.ok(m)))
        .collect();
    if ok.is_empty() {
        ok = (0..masks.len()).collect();
    }
    rng.shuffle(&mut ok);
    if ok.is_empty() {
        return Vec::new();
    }
    (0..k)
        .filter_map(|i| ok.get(i % ok.len()).copied())
        .collect()
}

impl Frame {
    pub(super) fn random(rng: &mut Rng, m: &Material, n: &Facts) -> Self {
        let unit_masks = |pool: &[Unit]| pool.iter().map(|u| u.mask).collect::<Vec<u8>>();
        let lead_masks = |pool: &[Lead]| pool.iter().map(|u| u.mask).collect::<Vec<u8>>();
        let pre_count = if n.layout == Layout::E { 4 } else { 3 };
        let first = |v: Vec<usize>| v.first().copied().unwrap_or(0);
        let pre_head = first(pick_distinct(rng, &unit_masks(&m.pre_heads), n, 1));
        let pre_intro = if rng.chance(0.8) {
            Some(first(pick_distinct(rng, &unit_masks(&m.pre_intros), n, 1)))
        } else {
            None
        };
        let pre_items = pick_distinct(rng, &lead_masks(&m.pre_items), n, pre_count);
        let close_head = first(pick_distinct(rng, &unit_masks(&m.close_heads), n, 1));
        let close_intro = first(pick_distinct(rng, &unit_masks(&m.close_intros), n, 1));
        let close_count = rng.range(3, 4);
        let close_items = pick_distinct(rng, &lead_masks(&m.close_items), n, close_count);
        let categories = pick_distinct(rng, &unit_masks(&m.categories), n, 5);
        let items = pick_distinct(rng, &unit_masks(&m.items), n, 40);
        let numbers = [
            rng.range(1, 12),
            rng.range(5, 40),
            rng.range(10, 300),
            rng.range(2, 5),
            rng.range(0, 4),
            rng.range(2, 6),
        ];
        let deadlines = (0..40).map(|_| rng.range(1, 14)).collect();
        let letters: String = (0..rng.range(5, 9))
            .map(|_| char::from(b'a' + rng.below(26) as u8))
            .collect();
        let domain = rng.pick(&["163.com", "126.com", "qq.com"], "163.com");
        let mut frame = Self {
            title: n.layout != Layout::A || rng.chance(0.4),
            nav: rng.chance(0.5),
            scan_footer: rng.chance(0.5),
            indent_signature: n.layout == Layout::C && rng.chance(0.6),
            labels_after_two: !rng.chance(0.25),
            e_item_form: rng.chance(0.7),
            e_split_measures: rng.chance(0.3),
            close_style: rng.below(3),
            pre_head,
            pre_intro,
            pre_items,
            close_head,
            close_intro,
            close_items,
            categories,
            items,
            numbers,
            deadlines,
            web_time: (rng.range(1, 60), rng.range(8, 18), rng.range(0, 59)),
            phone: format!(
                "0{}-{}",
                rng.range(310, 999),
                rng.range(2_000_000, 8_999_999)
            ),
            address: format!(
                "{}{}{}号",
                n.region,
                rng.pick(&ROADS, "人民路"),
                rng.range(1, 300)
            ),
            zip: rng.range(100_000, 860_000),
            email: format!("{letters}@{domain}"),
            extra: Vec::new(),
        };
        // Drawn last, and only for the newer layouts, so A–E keep their bytes.
        if !n.layout.is_classic() {
            frame.extra = (0..64).map(|_| rng.below(1_000)).collect();
        }
        frame
    }
}
