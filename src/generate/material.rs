//! Seed material: the five seed notices split into reusable pieces (problem titles,
//! category and item headings, measure sentences, preamble and closing paragraphs), with
//! the seed's own names replaced by placeholders.

use std::sync::OnceLock;

use super::names::CN_DIGITS;
use super::TERM_RATES;

/// The seeds, with the place name each one is about (replaced by a placeholder on extraction).
pub(super) const SEEDS: [(&str, &str, &str); 5] = [
    (
        include_str!("../../seeds/000_3089e93c6afc7ecc.txt"),
        "汕尾市",
        "汕尾",
    ),
    (
        include_str!("../../seeds/001_3e0ff09b8005852b.txt"),
        "闽清县",
        "闽清",
    ),
    (
        include_str!("../../seeds/002_cc0588a2ad108fda.txt"),
        "北京市",
        "北京",
    ),
    (
        include_str!("../../seeds/003_044f5fdef5878133.txt"),
        "怀化市",
        "怀化",
    ),
    (
        include_str!("../../seeds/004_03096bf25862ec47.txt"),
        "新野县",
        "新野",
    ),
];

/// Placeholder for the region's full name (汕尾市).
pub(super) const PH_REGION: char = '\u{E000}';
/// Placeholder for the region's short name (汕尾).
pub(super) const PH_SHORT: char = '\u{E001}';
/// Placeholder for the body named by level and organ (市卫生健康局).
pub(super) const PH_SELF: char = '\u{E002}';
/// Placeholder for the body named by region and organ (汕尾市卫生健康局).
pub(super) const PH_AGENCY: char = '\u{E003}';
/// Placeholder for the inspection kind (巡视 / 巡察).
pub(super) const PH_KIND: char = '\u{E004}';
/// Placeholder for the party organ after the body's name (党组 / 党委).
pub(super) const PH_PARTY: char = '\u{E005}';
/// Placeholder for the short self-reference (局党组 / 委党委).
pub(super) const PH_SELF_PARTY: char = '\u{E006}';

/// Organ names used by the seeds, longest first.
pub(super) const SEED_ORGANS: [&str; 5] = [
    "卫生健康委员会",
    "卫生健康局",
    "卫生健康委",
    "卫健委",
    "卫健局",
];

/// Proper names containing 巡视 that must not follow the generated inspection kind.
pub(super) const PROTECTED: [&str; 3] = ["巡视工作条例", "巡视巡察", "巡视工作重要论述"];

/// Extra measure sentences in the seeds' style, so the rarer query terms do not always come
/// with the same single seed sentence.
pub(super) const EXTRA_MEASURES: [&str; 12] = [
    "推进紧密型县域医共体建设,制定医共体章程和内部管理制度,统一医共体内人员调配、财务管理和药品耗材采购,推动优质医疗资源向乡镇下沉。",
    "完善医共体绩效考核办法,将基层诊疗量占比、双向转诊人次和县域就诊率纳入医共体牵头医院年度考核,考核结果与医保基金打包支付挂钩。",
    "组建城市医疗集团和专科联盟,印发《医联体建设工作方案》,明确牵头医院和成员单位职责,推动医联体内检查检验结果互认。",
    "建立医联体双向转诊绿色通道,牵头医院为基层预留专家号源和住院床位,全年上转患者1200余人次、下转患者800余人次。",
    "全面落实家庭医生签约服务,组建家庭医生团队,重点人群家庭医生签约覆盖率较上年提高5个百分点,签约居民满意度持续提升。",
    "印发《家庭医生签约服务工作方案》,优化签约服务包,将慢性病随访、上门服务等纳入家庭医生签约服务内容,做实履约管理。",
    "开展公务用车专项检查,对公务用车使用登记、加油维修和停放管理情况进行全面清理,严禁公车私用。",
    "修订《公务用车管理办法》,实行公务用车使用审批、定点停放、定点加油、定点维修制度,公务用车费用按月公示。",
    "严格落实“第一议题”制度,将习近平总书记最新重要讲话和重要指示批示精神作为党组会议第一议题,及时传达学习、研究贯彻措施。",
    "建立“第一议题”学习台账,党组会议“第一议题”学习后明确责任科室抓好贯彻落实,定期跟踪落实情况。",
    "加快推进医共体信息化建设,建成县域医共体远程影像、远程心电和远程会诊中心,实现乡镇卫生院检查、县级医院诊断。",
    "加强对下属单位公务用车管理的监督检查,对超标准配备、违规使用公务用车问题进行通报并督促整改。",
];

/// Piece of seed text with the query terms it contains.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) text: String,
    pub(super) mask: u8,
}

/// A paragraph that starts with a short lead clause (`提高认识,强化部署。…`).
#[derive(Debug, Clone)]
pub(super) struct Lead {
    pub(super) lead: String,
    pub(super) body: String,
    pub(super) mask: u8,
}

/// A problem title together with the measures printed under it in its seed.
#[derive(Debug, Clone)]
pub(super) struct Record {
    pub(super) title: String,
    pub(super) mask: u8,
    pub(super) measures: Vec<usize>,
}

/// Everything extracted from the seeds.
#[derive(Debug, Default)]
pub(super) struct Material {
    pub(super) measures: Vec<Unit>,
    pub(super) records: Vec<Record>,
    pub(super) categories: Vec<Unit>,
    pub(super) items: Vec<Unit>,
    pub(super) pre_heads: Vec<Unit>,
    pub(super) pre_intros: Vec<Unit>,
    pub(super) pre_items: Vec<Lead>,
    pub(super) close_heads: Vec<Unit>,
    pub(super) close_intros: Vec<Unit>,
    pub(super) close_items: Vec<Lead>,
    /// Section 二 headings by seed number.
    pub(super) sec2: [String; 5],
    /// For each query term, the measures that contain it.
    pub(super) term_measures: [Vec<usize>; TERM_RATES.len()],
}

pub(super) fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(Material::build)
}

/// Mask bit of seed text that names a revisit (巡察“回头看”): allowed only in revisit notices.
pub(super) const REVISIT_BIT: u8 = 1 << 7;

/// Which query terms (bits in [`TERM_RATES`] order) and revisit phrase a text contains.
pub(super) fn term_mask(text: &str) -> u8 {
    let terms = TERM_RATES
        .iter()
        .enumerate()
        .filter(|(_, (term, _))| text.contains(term))
        .fold(0, |m, (i, _)| m | (1 << i));
    if text.contains(&format!("{PH_KIND}“回头看”")) {
        terms | REVISIT_BIT
    } else {
        terms
    }
}

pub(super) fn unit(text: String) -> Unit {
    let mask = term_mask(&text);
    Unit { text, mask }
}

pub(super) fn lead(lead: String, body: String) -> Lead {
    let mask = term_mask(&lead) | term_mask(&body);
    Lead { lead, body, mask }
}

/// Normalises one seed line: ASCII punctuation, no Markdown markers, no OCR line-break spaces,
/// ASCII quotes turned into “”.
pub(super) fn normalize_line(line: &str) -> String {
    let chars: Vec<char> = line
        .chars()
        .map(|c| match c {
            '\u{FF0C}' => ',',
            '\u{FF1B}' => ';',
            '\u{FF1A}' => ':',
            '\u{FF08}' => '(',
            '\u{FF09}' => ')',
            '\u{3000}' | '\t' => ' ',
            other => other,
        })
        .collect();
    let mut out = String::with_capacity(line.len());
    let mut open = true;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '*' | '#' | '>' => {}
            '"' => {
                out.push(if open { '“' } else { '”' });
                open = !open;
            }
            ' ' => {
                let prev = i.checked_sub(1).and_then(|p| chars.get(p));
                let next = chars.get(i + 1);
                if matches!((prev, next), (Some(p), Some(n)) if p.is_ascii_alphanumeric() && n.is_ascii_alphanumeric())
                {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Replaces the seed's own names by placeholders.
pub(super) fn placeholders(text: &str, region: &str, short: &str) -> String {
    let mut t = text.to_string();
    for (i, p) in PROTECTED.iter().enumerate() {
        t = t.replace(
            p,
            &char::from_u32(0xE010 + i as u32).unwrap_or('_').to_string(),
        );
    }
    for organ in SEED_ORGANS {
        t = t.replace(&format!("{region}{organ}"), &PH_AGENCY.to_string());
        t = t.replace(&format!("市{organ}"), &PH_SELF.to_string());
        t = t.replace(&format!("县{organ}"), &PH_SELF.to_string());
    }
    for named in [PH_AGENCY, PH_SELF] {
        for party in ["党组", "党委"] {
            t = t.replace(&format!("{named}{party}"), &format!("{named}{PH_PARTY}"));
        }
    }
    t = t.replace("局党组", &PH_SELF_PARTY.to_string());
    t = t.replace("委党委", &PH_SELF_PARTY.to_string());
    t = t.replace(region, &PH_REGION.to_string());
    t = t.replace(short, &PH_SHORT.to_string());
    t = t.replace("巡视", &PH_KIND.to_string());
    t = t.replace("巡察", &PH_KIND.to_string());
    for (i, p) in PROTECTED.iter().enumerate() {
        t = t.replace(
            &char::from_u32(0xE010 + i as u32).unwrap_or('_').to_string(),
            p,
        );
    }
    t
}

/// `(一)rest` → `rest`.
pub(super) fn strip_paren_cn(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('(')?;
    let close = rest.find(')')?;
    let inner = &rest[..close];
    if !inner.is_empty() && inner.chars().all(|c| CN_DIGITS.contains(&c)) {
        Some(&rest[close + 1..])
    } else {
        None
    }
}

/// `12.rest` → `rest` (with `sep` as the separator after the digits).
pub(super) fn strip_number(s: &str, sep: char) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    s[digits..].strip_prefix(sep)
}

/// `一、rest` → `rest`, for top-level section headings.
pub(super) fn strip_section(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    let first = chars.next()?;
    if !CN_DIGITS[..5].contains(&first) {
        return None;
    }
    chars.as_str().strip_prefix('、')
}

/// Drops a final 。 (titles are stored without it).
pub(super) fn strip_stop(s: &str) -> String {
    s.trim().trim_end_matches('。').trim().to_string()
}

/// Makes a measure end like a sentence.
pub(super) fn finish_sentence(s: &str) -> String {
    let t = s.trim().trim_end_matches([';', ',', ':']);
    if t.ends_with('。') || t.ends_with('!') {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// Splits `intro一是…。二是…。` into the intro and the ordinal measures (ordinals must run
/// 一, 二, 三 … and start a sentence).
pub(super) fn split_ordinals(p: &str) -> (String, Vec<String>) {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = p.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let expected = CN_DIGITS.get(cuts.len()).copied();
        if Some(c) == expected && matches!(prev, None | Some('。' | ';' | ':')) {
            if let Some(&(j, '是')) = iter.peek() {
                cuts.push((i, j + '是'.len_utf8()));
            }
        }
        prev = Some(c);
    }
    let Some(&(first, _)) = cuts.first() else {
        return (p.to_string(), Vec::new());
    };
    let mut parts = Vec::with_capacity(cuts.len());
    for (k, &(_, start)) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).map_or(p.len(), |c| c.0);
        let part = p[start..end].trim();
        if !part.is_empty() {
            parts.push(finish_sentence(part));
        }
    }
    (p[..first].trim().to_string(), parts)
}

/// `lead。body` → (lead, body).
pub(super) fn split_lead(s: &str) -> (String, String) {
    match s.find('。') {
        Some(i) => (
            s[..i].to_string(),
            s[i + '。'.len_utf8()..].trim().to_string(),
        ),
        None => (s.to_string(), String::new()),
    }
}

/// Lines of a seed: normalised, placeholders set, empty lines dropped.
pub(super) fn seed_lines(seed: usize) -> Vec<String> {
    let Some(&(text, region, short)) = SEEDS.get(seed) else {
        return Vec::new();
    };
    text.lines()
        .map(normalize_line)
        .filter(|l| !l.is_empty())
        .map(|l| placeholders(&l, region, short))
        .collect()
}

impl Material {
    pub(super) fn build() -> Self {
        let mut m = Self::default();
        m.extract_000();
        m.extract_001();
        m.extract_002();
        m.extract_003();
        m.extract_004();
        for text in EXTRA_MEASURES {
            m.measures.push(unit(text.to_string()));
        }
        m.fill_fallbacks();
        for (i, u) in m.measures.iter().enumerate() {
            for (t, list) in m.term_measures.iter_mut().enumerate() {
                if u.mask & (1 << t) != 0 {
                    list.push(i);
                }
            }
        }
        m
    }

    /// Adds a measure paragraph: its ordinal parts, or the whole paragraph if it has none.
    pub(super) fn add_measures(&mut self, paragraph: &str) -> Vec<usize> {
        let (intro, parts) = split_ordinals(paragraph);
        let parts = if parts.is_empty() {
            vec![finish_sentence(&intro)]
        } else {
            parts
        };
        parts
            .into_iter()
            .filter(|p| p.chars().count() >= 8)
            .map(|p| {
                self.measures.push(unit(p));
                self.measures.len() - 1
            })
            .collect()
    }

    /// Adds a problem title; titles with an inner 。 (a heading that runs on into a second
    /// sentence) are skipped because they read as heading plus body text.
    pub(super) fn add_record(&mut self, title: &str) {
        let title = strip_stop(title);
        if title.chars().count() >= 4 && !title.contains('。') {
            self.records.push(Record {
                mask: term_mask(&title),
                title,
                measures: Vec::new(),
            });
        }
    }

    pub(super) fn add_leads(&mut self, paragraph: &str, closing: bool) {
        let (intro, parts) = split_ordinals(paragraph);
        let leads: Vec<Lead> = parts
            .iter()
            .map(|p| {
                let (l, b) = split_lead(p);
                lead(l, b)
            })
            .collect();
        let (intros, items) = if closing {
            (&mut self.close_intros, &mut self.close_items)
        } else {
            (&mut self.pre_intros, &mut self.pre_items)
        };
        if !intro.is_empty() {
            intros.push(unit(intro));
        }
        items.extend(leads);
    }

    /// 000 汕尾: `问题N:` problems with `一是…` paragraphs.
    pub(super) fn extract_000(&mut self) {
        let mut section = 0;
        let mut in_record = false;
        for line in seed_lines(0) {
            if line.starts_with("欢迎") {
                break;
            }
            if let Some(head) = strip_section(&line) {
                section += 1;
                let h = unit(head.to_string());
                match section {
                    1 => self.pre_heads.push(h),
                    2 => self.sec2[0] = h.text,
                    _ => self.close_heads.push(h),
                }
                in_record = false;
                continue;
            }
            match section {
                1 => {
                    if let Some(rest) = strip_paren_cn(&line) {
                        let (l, b) = split_lead(rest);
                        self.pre_items.push(lead(l, b));
                    }
                }
                2 => {
                    if let Some(rest) = strip_paren_cn(&line) {
                        self.categories.push(unit(strip_stop(rest)));
                    } else if let Some(rest) = strip_number(&line, '.') {
                        let core = rest
                            .trim_start_matches("关于")
                            .trim_end_matches("方面")
                            .trim_start_matches('“')
                            .trim_end_matches('”');
                        self.items.push(unit(core.to_string()));
                    } else if let Some(rest) = line.strip_prefix("问题") {
                        if let Some(title) = strip_number(rest, ':') {
                            self.add_record(title);
                            in_record = true;
                        }
                    } else if in_record {
                        let ids = self.add_measures(&line);
                        if let Some(r) = self.records.last_mut() {
                            r.measures.extend(ids);
                        }
                    }
                }
                0 => {}
                _ => self.add_leads(&line, true),
            }
        }
    }

    /// 001 闽清 (newspaper OCR): only headings are clean enough to reuse.
    pub(super) fn extract_001(&mut self) {
        let mut section = 0;
        for line in seed_lines(1) {
            if let Some(head) = strip_section(&line) {
                section += 1;
                if section == 2 {
                    self.sec2[1] = head.to_string();
                }
                if section > 2 {
                    break;
                }
                continue;
            }
            if section != 2 {
                continue;
            }
            if let Some(rest) = strip_paren_cn(&line) {
                self.categories.push(unit(strip_stop(rest)));
            } else if let Some(rest) = strip_number(&line, '.') {
                let ok = rest.ends_with('。') || rest.ends_with("问题");
                // OCR joins some item headings with the first problem: `10.X(37)…`.
                let rest = rest
                    .match_indices('(')
                    .find(|(i, _)| rest[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
                    .map_or(rest, |(i, _)| &rest[..i]);
                let core = strip_stop(rest);
                let core = core.trim_start_matches("关于").trim_end_matches("的问题");
                if ok && (4..=24).contains(&core.chars().count()) {
                    self.items.push(unit(core.to_string()));
                }
            } else if let Some(rest) = line.strip_prefix('(') {
                let Some(title) = strip_number(rest, ')') else {
                    continue;
                };
                let title = title.split("整改情况").next().unwrap_or("").trim();
                if title.ends_with('。')
                    && !title.contains("随音")
                    && (5..=45).contains(&title.chars().count())
                {
                    self.add_record(title);
                }
            }
        }
    }

    /// 002 北京: `第一,…` headings with numbered points.
    pub(super) fn extract_002(&mut self) {
        let mut section = 0;
        let mut started = false;
        let mut pending: Option<String> = None;
        let mut in_record = false;
        for line in seed_lines(2) {
            if !started {
                started = line.starts_with("根据");
                continue;
            }
            if line.starts_with("欢迎") {
                break;
            }
            if let Some(head) = strip_section(&line) {
                section += 1;
                match section {
                    1 => self.pre_heads.push(unit(head.to_string())),
                    2 => self.sec2[2] = head.to_string(),
                    _ => self.close_heads.push(unit(head.to_string())),
                }
                in_record = false;
                continue;
            }
            if section == 2 {
                if let Some(rest) = strip_paren_cn(&line) {
                    self.categories.push(unit(strip_stop(rest)));
                    in_record = false;
                } else if let Some(rest) = line.strip_prefix('第') {
                    if let Some((_, title)) = rest.split_once(',') {
                        self.add_record(title);
                        in_record = true;
                    }
                } else if in_record {
                    let text = strip_number(&line, '.').unwrap_or(&line);
                    let text = finish_sentence(text);
                    if !text.contains("一是") {
                        self.measures.push(unit(text));
                        let id = self.measures.len() - 1;
                        if let Some(r) = self.records.last_mut() {
                            r.measures.push(id);
                        }
                    }
                }
                continue;
            }
            if let Some(rest) = strip_paren_cn(&line) {
                pending = Some(strip_stop(rest));
                continue;
            }
            let closing = section >= 3;
            match pending.take() {
                Some(l) => {
                    let item = lead(l, line.clone());
                    if closing {
                        self.close_items.push(item);
                    } else {
                        self.pre_items.push(item);
                    }
                }
                None => {
                    if closing {
                        self.close_intros.push(unit(line.clone()));
                    } else {
                        self.pre_intros.push(unit(line.clone()));
                    }
                }
            }
        }
    }

    /// 003 怀化: `N.title。` / `整改结果:` / `整改情况:一是…`.
    pub(super) fn extract_003(&mut self) {
        let mut section = 0;
        let mut started = false;
        for line in seed_lines(3) {
            if !started {
                started = line.starts_with("根据");
                continue;
            }
            if line.starts_with("欢迎") {
                break;
            }
            if let Some(head) = strip_section(&line) {
                section += 1;
                match section {
                    1 => self.pre_heads.push(unit(head.to_string())),
                    2 => self.sec2[3] = head.to_string(),
                    4 => self.close_heads.push(unit(head.to_string())),
                    _ => {}
                }
                continue;
            }
            match section {
                1 => {
                    if let Some(rest) = strip_paren_cn(&line) {
                        let (l, b) = split_lead(rest);
                        self.pre_items.push(lead(l, b));
                    } else if !line.starts_with("截至") {
                        self.pre_intros.push(unit(line));
                    }
                }
                2 => {
                    if let Some(rest) = strip_paren_cn(&line) {
                        let rest = rest.trim_start_matches("反馈问题:");
                        self.categories.push(unit(strip_stop(rest)));
                    } else if let Some(rest) = strip_number(&line, '.') {
                        self.add_record(rest);
                    } else if let Some(rest) = line.strip_prefix("整改情况:") {
                        let ids = self.add_measures(rest);
                        if let Some(r) = self.records.last_mut() {
                            r.measures.extend(ids);
                        }
                    }
                }
                4 => {
                    if let Some(rest) = strip_paren_cn(&line) {
                        let (l, b) = split_lead(rest);
                        self.close_items.push(lead(l, b));
                    } else {
                        self.close_intros.push(unit(line));
                    }
                }
                _ => {}
            }
        }
    }

    /// 004 新野: `针对“…”问题的整改情况。一是…`.
    pub(super) fn extract_004(&mut self) {
        let mut section = 0;
        let mut started = false;
        for line in seed_lines(4) {
            if !started {
                started = line.starts_with("根据");
                continue;
            }
            if line.starts_with("欢迎") {
                break;
            }
            if let Some(head) = strip_section(&line) {
                section += 1;
                match section {
                    1 => self.pre_heads.push(unit(head.to_string())),
                    2 => self.sec2[4] = head.to_string(),
                    _ => {}
                }
                continue;
            }
            if section == 1 {
                if line.contains("一是") {
                    self.add_leads(&line, false);
                }
                continue;
            }
            let Some(start) = line.find("针对“") else {
                continue;
            };
            let after = &line[start + "针对“".len()..];
            let (Some(close), Some(body)) = (after.find('”'), after.find("整改情况。"))
            else {
                continue;
            };
            self.add_record(&after[..close]);
            let ids = self.add_measures(&after[body + "整改情况。".len()..]);
            if let Some(r) = self.records.last_mut() {
                r.measures.extend(ids);
            }
        }
    }

    /// Keeps every pool non-empty even if a seed changed shape.
    pub(super) fn fill_fallbacks(&mut self) {
        fn ensure(pool: &mut Vec<Unit>, text: &str) {
            if pool.is_empty() {
                pool.push(unit(text.to_string()));
            }
        }
        fn ensure_leads(pool: &mut Vec<Lead>, l: &str, b: &str) {
            if pool.is_empty() {
                pool.push(lead(l.to_string(), b.to_string()));
            }
        }
        ensure(
            &mut self.measures,
            "对相关责任人进行了批评教育,举一反三,建立健全相关制度。",
        );
        if self.records.is_empty() {
            self.records.push(Record {
                title: "落实全面从严治党主体责任不够到位".to_string(),
                mask: 0,
                measures: Vec::new(),
            });
        }
        ensure(&mut self.categories, "聚焦“全面从严治党”方面");
        ensure(&mut self.items, "落实主体责任不够到位");
        ensure(&mut self.pre_heads, "提高政治站位,认真履行整改责任");
        ensure(&mut self.pre_intros, "党组把巡察整改作为重大政治任务来抓。");
        ensure_leads(&mut self.pre_items, "提高思想认识,把握整改要求", "");
        ensure(&mut self.close_heads, "下一步工作计划");
        ensure(
            &mut self.close_intros,
            "下一步,我们将坚持目标不变、标准不降、力度不减。",
        );
        ensure_leads(&mut self.close_items, "坚持持续整改,完善长效机制", "");
        let defaults = [
            "紧盯反馈问题,逐条逐项真改实改",
            "巡察反馈问题的整改情况",
            "坚持标本兼治,推动整改任务落地见效",
            "集中整改期内已完成的整改事项",
            "整改落实情况",
        ];
        for (slot, d) in self.sec2.iter_mut().zip(defaults) {
            if slot.is_empty() {
                *slot = d.to_string();
            }
        }
    }
}
