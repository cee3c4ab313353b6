//! Deterministic generator of synthetic rectification notices (巡视/巡察整改进展情况的通报).
//!
//! Benchmarks need corpora of any size that look like the real thing. This module builds them by
//! recombining the five real seed notices shipped in `seeds/`: at first use it splits the seeds
//! (embedded with [`include_str!`]) into problem titles, category and item headings, measure
//! sentences (`一是…二是…`, numbered points, unnumbered paragraphs), preamble and closing
//! paragraphs, and then assembles new notices from them with a small built-in PRNG.
//!
//! Every notice gets its own issuing body (one of ~70 real regions × an organ × a party suffix),
//! inspection facts (巡视 / 巡察 / 巡察“回头看”, round, group, dates between 2019 and 2025) and one
//! of five layouts that mirror the seeds:
//!
//! | layout | mirrors | problem heading | measures | status line |
//! |---|---|---|---|---|
//! | A | 000 汕尾 | `问题N:…` under `(一)…` / `N.关于“…”方面` | `一是…二是…` paragraph | none |
//! | B | 003 怀化 | `N.…。` under `(一)反馈问题:…` | `整改情况:一是…` | `整改结果:完成` / `阶段性完成` |
//! | C | 004 新野 | `N、针对“…”问题的整改情况。` | same paragraph | none (full-width punctuation) |
//! | D | 002 北京 | `第一,…。` under `(一)…` | `1.` `2.` numbered points | none |
//! | E | 001 闽清 | `(N)…。` under `(一)…` / `N. 关于…的问题。` | `一是…` paragraph(s) | `整改情况:已完成整改` … |
//!
//! Place names and the organ named in the seed sentences are replaced by those of the generated
//! body, and 巡视/巡察 follow the generated inspection kind. A few benchmark query terms
//! ([`TERM_RATES`]) are switched on per notice with a fixed probability, so their document
//! frequency is realistic and predictable instead of universal.
//!
//! Output is a pure function of `(seed, index)`: the same options always give byte-identical
//! files.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::OnceLock;

/// Smallest size in bytes of a generated notice.
pub const NOTICE_MIN_BYTES: usize = 10_240;

/// Largest size in bytes of a generated notice.
pub const NOTICE_MAX_BYTES: usize = 40_000;

/// Query terms whose presence is decided per notice, with the probability that a notice
/// contains the term (sentences with a term are left out of notices that do not draw it).
pub const TERM_RATES: [(&str, f64); 5] = [
    ("医共体", 0.35),
    ("医联体", 0.25),
    ("公务用车", 0.30),
    ("第一议题", 0.40),
    ("家庭医生签约", 0.15),
];

/// Summary of one generation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateStats {
    /// Number of notice files written.
    pub files: usize,
    /// Total size in bytes of the files written.
    pub bytes: u64,
    /// Number of problems (problem headings) over all notices.
    pub problems: usize,
    /// Number of rectification measures (`一是…`, numbered points or unnumbered paragraphs) over
    /// all notices.
    pub measures: usize,
}

/// Options of [`generate_corpus`].
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    /// Seed of the generator; the same seed and target always give byte-identical files.
    pub seed: u64,
    /// Number of bytes to write at least; generation stops with the first file that reaches it.
    pub target_bytes: u64,
}

/// Writes notices into `dir` (created if missing) as `notice_000001.txt`, `notice_000002.txt`, …
/// until at least `opts.target_bytes` bytes were written, and returns what was written.
///
/// Notice `i` (1-based) is [`generate_notice`]`(opts.seed, i)`, so the output overshoots the
/// target by less than one notice ([`NOTICE_MAX_BYTES`]). A target of 0 writes nothing. Existing
/// files with the same names are overwritten; other files in `dir` are left alone.
///
/// # Errors
/// Returns any I/O error from creating `dir` or writing a file.
pub fn generate_corpus(dir: &Path, opts: GenerateOptions) -> io::Result<GenerateStats> {
    fs::create_dir_all(dir)?;
    let mut stats = GenerateStats {
        files: 0,
        bytes: 0,
        problems: 0,
        measures: 0,
    };
    let mut index = 0u64;
    while stats.bytes < opts.target_bytes {
        index += 1;
        let notice = build_notice(opts.seed, index);
        fs::write(
            dir.join(format!("notice_{index:06}.txt")),
            notice.text.as_bytes(),
        )?;
        stats.files += 1;
        stats.bytes += notice.text.len() as u64;
        stats.problems += notice.problems;
        stats.measures += notice.measures;
    }
    Ok(stats)
}

/// Generates the text of one notice.
///
/// The result is a pure function of `(seed, index)`: UTF-8 text of [`NOTICE_MIN_BYTES`] to
/// [`NOTICE_MAX_BYTES`] bytes, lines separated by `\n`, ending with the issuing body's signature
/// and the publication date.
#[must_use]
pub fn generate_notice(seed: u64, index: u64) -> String {
    build_notice(seed, index).text
}

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast and good enough for picking sentences.
#[derive(Debug, Clone)]
struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n == 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi` (`lo` when `hi < lo`).
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or(fallback)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Mixes seed and index into an independent stream seed.
fn stream_seed(seed: u64, index: u64) -> u64 {
    let mut r = Rng::new(seed ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next_u64() ^ index
}

// ---------------------------------------------------------------------------------------------
// Seed material
// ---------------------------------------------------------------------------------------------

/// The seeds, with the place name each one is about (replaced by a placeholder on extraction).
const SEEDS: [(&str, &str, &str); 5] = [
    (
        include_str!("../seeds/000_3089e93c6afc7ecc.txt"),
        "汕尾市",
        "汕尾",
    ),
    (
        include_str!("../seeds/001_3e0ff09b8005852b.txt"),
        "闽清县",
        "闽清",
    ),
    (
        include_str!("../seeds/002_cc0588a2ad108fda.txt"),
        "北京市",
        "北京",
    ),
    (
        include_str!("../seeds/003_044f5fdef5878133.txt"),
        "怀化市",
        "怀化",
    ),
    (
        include_str!("../seeds/004_03096bf25862ec47.txt"),
        "新野县",
        "新野",
    ),
];

/// Placeholder for the region's full name (汕尾市).
const PH_REGION: char = '\u{E000}';
/// Placeholder for the region's short name (汕尾).
const PH_SHORT: char = '\u{E001}';
/// Placeholder for the body named by level and organ (市卫生健康局).
const PH_SELF: char = '\u{E002}';
/// Placeholder for the body named by region and organ (汕尾市卫生健康局).
const PH_AGENCY: char = '\u{E003}';
/// Placeholder for the inspection kind (巡视 / 巡察).
const PH_KIND: char = '\u{E004}';
/// Placeholder for the party organ after the body's name (党组 / 党委).
const PH_PARTY: char = '\u{E005}';
/// Placeholder for the short self-reference (局党组 / 委党委).
const PH_SELF_PARTY: char = '\u{E006}';

/// Organ names used by the seeds, longest first.
const SEED_ORGANS: [&str; 5] = [
    "卫生健康委员会",
    "卫生健康局",
    "卫生健康委",
    "卫健委",
    "卫健局",
];

/// Proper names containing 巡视 that must not follow the generated inspection kind.
const PROTECTED: [&str; 3] = ["巡视工作条例", "巡视巡察", "巡视工作重要论述"];

/// Extra measure sentences in the seeds' style, so the rarer query terms do not always come
/// with the same single seed sentence.
const EXTRA_MEASURES: [&str; 12] = [
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
struct Unit {
    text: String,
    mask: u8,
}

/// A paragraph that starts with a short lead clause (`提高认识,强化部署。…`).
#[derive(Debug, Clone)]
struct Lead {
    lead: String,
    body: String,
    mask: u8,
}

/// A problem title together with the measures printed under it in its seed.
#[derive(Debug, Clone)]
struct Record {
    title: String,
    mask: u8,
    measures: Vec<usize>,
}

/// Everything extracted from the seeds.
#[derive(Debug, Default)]
struct Material {
    measures: Vec<Unit>,
    records: Vec<Record>,
    categories: Vec<Unit>,
    items: Vec<Unit>,
    pre_heads: Vec<Unit>,
    pre_intros: Vec<Unit>,
    pre_items: Vec<Lead>,
    close_heads: Vec<Unit>,
    close_intros: Vec<Unit>,
    close_items: Vec<Lead>,
    /// Section 二 headings by seed number.
    sec2: [String; 5],
    /// For each query term, the measures that contain it.
    term_measures: [Vec<usize>; TERM_RATES.len()],
}

fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(Material::build)
}

/// Mask bit of seed text that names a revisit (巡察“回头看”): allowed only in revisit notices.
const REVISIT_BIT: u8 = 1 << 7;

/// Which query terms (bits in [`TERM_RATES`] order) and revisit phrase a text contains.
fn term_mask(text: &str) -> u8 {
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

fn unit(text: String) -> Unit {
    let mask = term_mask(&text);
    Unit { text, mask }
}

fn lead(lead: String, body: String) -> Lead {
    let mask = term_mask(&lead) | term_mask(&body);
    Lead { lead, body, mask }
}

/// Normalises one seed line: ASCII punctuation, no Markdown markers, no OCR line-break spaces,
/// ASCII quotes turned into “”.
fn normalize_line(line: &str) -> String {
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
fn placeholders(text: &str, region: &str, short: &str) -> String {
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

const CN_DIGITS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// `(一)rest` → `rest`.
fn strip_paren_cn(s: &str) -> Option<&str> {
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
fn strip_number(s: &str, sep: char) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    s[digits..].strip_prefix(sep)
}

/// `一、rest` → `rest`, for top-level section headings.
fn strip_section(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    let first = chars.next()?;
    if !CN_DIGITS[..5].contains(&first) {
        return None;
    }
    chars.as_str().strip_prefix('、')
}

/// Drops a final 。 (titles are stored without it).
fn strip_stop(s: &str) -> String {
    s.trim().trim_end_matches('。').trim().to_string()
}

/// Makes a measure end like a sentence.
fn finish_sentence(s: &str) -> String {
    let t = s.trim().trim_end_matches([';', ',', ':']);
    if t.ends_with('。') || t.ends_with('!') {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// Splits `intro一是…。二是…。` into the intro and the ordinal measures (ordinals must run
/// 一, 二, 三 … and start a sentence).
fn split_ordinals(p: &str) -> (String, Vec<String>) {
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
fn split_lead(s: &str) -> (String, String) {
    match s.find('。') {
        Some(i) => (
            s[..i].to_string(),
            s[i + '。'.len_utf8()..].trim().to_string(),
        ),
        None => (s.to_string(), String::new()),
    }
}

/// Lines of a seed: normalised, placeholders set, empty lines dropped.
fn seed_lines(seed: usize) -> Vec<String> {
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
    fn build() -> Self {
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
    fn add_measures(&mut self, paragraph: &str) -> Vec<usize> {
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
    fn add_record(&mut self, title: &str) {
        let title = strip_stop(title);
        if title.chars().count() >= 4 && !title.contains('。') {
            self.records.push(Record {
                mask: term_mask(&title),
                title,
                measures: Vec::new(),
            });
        }
    }

    fn add_leads(&mut self, paragraph: &str, closing: bool) {
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
    fn extract_000(&mut self) {
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
    fn extract_001(&mut self) {
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
    fn extract_002(&mut self) {
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
    fn extract_003(&mut self) {
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
    fn extract_004(&mut self) {
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
    fn fill_fallbacks(&mut self) {
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

// ---------------------------------------------------------------------------------------------
// Per-notice facts
// ---------------------------------------------------------------------------------------------

/// Real place names: provinces and municipalities, prefecture cities, counties and county-level
/// cities. The last character decides the party committee (省委 / 市委 / 县委).
const PROVINCES: [&str; 18] = [
    "北京市",
    "上海市",
    "天津市",
    "重庆市",
    "广东省",
    "浙江省",
    "江苏省",
    "山东省",
    "河南省",
    "湖南省",
    "湖北省",
    "四川省",
    "福建省",
    "江西省",
    "安徽省",
    "河北省",
    "云南省",
    "贵州省",
];
const CITIES: [&str; 30] = [
    "汕尾市",
    "怀化市",
    "南阳市",
    "福州市",
    "赣州市",
    "遵义市",
    "绵阳市",
    "洛阳市",
    "岳阳市",
    "常德市",
    "湛江市",
    "梅州市",
    "泉州市",
    "宜昌市",
    "襄阳市",
    "九江市",
    "宜宾市",
    "曲靖市",
    "柳州市",
    "桂林市",
    "保定市",
    "邯郸市",
    "临沂市",
    "潍坊市",
    "徐州市",
    "盐城市",
    "台州市",
    "金华市",
    "芜湖市",
    "阜阳市",
];
const COUNTIES: [&str; 20] = [
    "闽清县",
    "新野县",
    "海丰县",
    "陆河县",
    "永丰县",
    "安吉县",
    "德清县",
    "固始县",
    "商城县",
    "桃江县",
    "安化县",
    "沛县",
    "曹县",
    "宁都县",
    "兴国县",
    "陆丰市",
    "浏阳市",
    "义乌市",
    "晋江市",
    "邓州市",
];

const HEALTH_ORGANS: [&str; 3] = ["卫生健康局", "卫生健康委员会", "卫生健康委"];
const HEALTH_ORGANS_PROVINCE: [&str; 2] = ["卫生健康委员会", "卫生健康委"];
const OTHER_ORGANS: [&str; 8] = [
    "教育局",
    "财政局",
    "自然资源局",
    "医疗保障局",
    "市场监督管理局",
    "民政局",
    "人力资源和社会保障局",
    "生态环境局",
];
const OTHER_ORGANS_PROVINCE: [&str; 7] = [
    "教育厅",
    "财政厅",
    "自然资源厅",
    "民政厅",
    "医疗保障局",
    "市场监督管理局",
    "人力资源和社会保障厅",
];

const ROADS: [&str; 8] = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "胜利路",
    "东风路",
    "新华路",
    "文化路",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Province,
    City,
    County,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// 000-style.
    A,
    /// 003-style.
    B,
    /// 004-style.
    C,
    /// 002-style.
    D,
    /// 001-style.
    E,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    None,
    Done,
    Basic,
    Phased,
    Ongoing,
}

/// Civil date.
#[derive(Debug, Clone, Copy)]
struct Date {
    y: i64,
    m: u32,
    d: u32,
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date { y, m, d }
}

fn date_cn(d: Date) -> String {
    format!("{}年{}月{}日", d.y, d.m, d.d)
}

fn date_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
}

/// Chinese numeral for 1..=99 (decimal beyond).
fn cn_number(n: usize) -> String {
    let digit = |k: usize| CN_DIGITS.get(k.wrapping_sub(1)).copied().unwrap_or('零');
    match n {
        1..=10 => digit(n).to_string(),
        11..=19 => format!("十{}", digit(n - 10)),
        20..=99 if n % 10 == 0 => format!("{}十", digit(n / 10)),
        20..=99 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}

/// Facts of one notice, fixed before rendering.
#[derive(Debug)]
struct Notice {
    layout: Layout,
    region: &'static str,
    short: String,
    /// Level character + organ (市卫生健康局).
    self_name: String,
    /// Region + organ (汕尾市卫生健康局).
    agency_short: String,
    /// As it signs (中共汕尾市卫生健康局党组).
    agency_full: String,
    /// How the text names the inspected body (市卫生健康局党组).
    target: String,
    /// 党组 / 党委, as the running text names the body's party organ.
    party: &'static str,
    /// 局党组 / 委党委 …
    self_party: String,
    committee: String,
    kind: &'static str,
    revisit: bool,
    round: Option<String>,
    group: String,
    start: Date,
    end: Date,
    feedback: Date,
    published: Date,
    feedback_with_year: bool,
    allowed: u8,
    full_width: bool,
    gap: bool,
}

impl Notice {
    fn random(rng: &mut Rng) -> Self {
        let layout = match rng.below(100) {
            0..=24 => Layout::A,
            25..=44 => Layout::B,
            45..=59 => Layout::C,
            60..=74 => Layout::D,
            _ => Layout::E,
        };
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
            Layout::B => true,
            Layout::C => rng.chance(0.3),
            _ => false,
        };
        Self {
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
            allowed,
            full_width,
            gap,
        }
    }

    fn ok(&self, mask: u8) -> bool {
        mask & !self.allowed == 0
    }
}

// ---------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------

/// Shuffled draw pile of pool indices, reshuffled when exhausted.
#[derive(Debug)]
struct Deck {
    items: Vec<usize>,
    pos: usize,
}

impl Deck {
    fn new(mut items: Vec<usize>, rng: &mut Rng) -> Self {
        rng.shuffle(&mut items);
        Self { items, pos: 0 }
    }

    fn draw(&mut self, rng: &mut Rng) -> Option<usize> {
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
struct Planned {
    record: usize,
    measures: Vec<usize>,
    status: Status,
    cat: usize,
    item: usize,
}

/// Whether a measure may appear in a notice: its query terms are allowed, and in the
/// numbered-point layout (002) it is a paragraph long enough not to read as a heading and
/// does not start with a digit (`2.2023年…` would read as a decimal number).
fn fits(n: &Notice, u: &Unit) -> bool {
    n.ok(u.mask)
        && (n.layout != Layout::D
            || (u.text.chars().count() >= 60 && !u.text.starts_with(|c: char| c.is_ascii_digit())))
}

/// Draws problems for one notice.
struct Planner<'a> {
    m: &'static Material,
    n: &'a Notice,
    rng: Rng,
    records: Deck,
    measures: Deck,
    /// Measures already placed in this notice.
    used: Vec<bool>,
    mean_measures: f64,
    max_measures: usize,
}

impl<'a> Planner<'a> {
    fn new(m: &'static Material, n: &'a Notice, mut rng: Rng) -> Self {
        // `1.2018年以来,…` would read as a decimal number: keep such titles out of `N.` layouts.
        let records: Vec<usize> = (0..m.records.len())
            .filter(|&i| {
                m.records.get(i).is_some_and(|r| {
                    n.ok(r.mask)
                        && !(n.layout == Layout::B
                            && r.title.starts_with(|c: char| c.is_ascii_digit()))
                })
            })
            .collect();
        let measures: Vec<usize> = (0..m.measures.len())
            .filter(|&i| m.measures.get(i).is_some_and(|u| fits(n, u)))
            .collect();
        let max_measures = match n.layout {
            Layout::A => 6,
            Layout::B => 5,
            Layout::C | Layout::D | Layout::E => 4,
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

    fn measure_count(&mut self) -> usize {
        let x = self.mean_measures + (self.rng.unit() - 0.5) * 3.0;
        // 002 prints numbered points; a lone unnumbered paragraph is the exception there.
        let min = if self.n.layout == Layout::D && self.rng.chance(0.92) {
            2.0
        } else {
            1.0
        };
        (x.round().max(min) as usize).min(self.max_measures)
    }

    /// Draws a measure not used yet in this notice if possible (never one in `taken`).
    fn draw_measure(&mut self, taken: &[usize]) -> Option<usize> {
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

    fn mark(&mut self, v: usize) -> usize {
        if let Some(u) = self.used.get_mut(v) {
            *u = true;
        }
        v
    }

    fn problem(&mut self, cat: usize, item: usize) -> Planned {
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

    fn bytes(&self, p: &Planned) -> usize {
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
    fn plan(&mut self, budget: usize) -> Vec<Planned> {
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
    fn force_terms(&mut self, plan: &mut [Planned]) {
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
    fn composition(&mut self, total: usize, parts: usize) -> Vec<usize> {
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

    fn group(&mut self, plan: &mut [Planned]) {
        let has_cats = self.n.layout != Layout::C;
        let has_items = matches!(self.n.layout, Layout::A | Layout::E);
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
struct Frame {
    title: bool,
    nav: bool,
    scan_footer: bool,
    indent_signature: bool,
    labels_after_two: bool,
    e_item_form: bool,
    e_split_measures: bool,
    close_style: usize,
    pre_head: usize,
    pre_intro: Option<usize>,
    pre_items: Vec<usize>,
    close_head: usize,
    close_intro: usize,
    close_items: Vec<usize>,
    categories: Vec<usize>,
    items: Vec<usize>,
    numbers: [usize; 6],
    deadlines: Vec<usize>,
    web_time: (usize, usize, usize),
    phone: String,
    address: String,
    zip: usize,
    email: String,
}

/// Picks `k` distinct entries of a pool whose mask the notice allows (repeats only if the
/// pool is too small).
fn pick_distinct(rng: &mut Rng, masks: &[u8], n: &Notice, k: usize) -> Vec<usize> {
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
    fn random(rng: &mut Rng, m: &Material, n: &Notice) -> Self {
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
        Self {
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
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// Text being built, with the notice's replacements for placeholders and punctuation.
struct Out<'a> {
    s: String,
    n: &'a Notice,
}

impl<'a> Out<'a> {
    fn new(n: &'a Notice) -> Self {
        Self {
            s: String::with_capacity(NOTICE_MAX_BYTES + 4096),
            n,
        }
    }

    /// Appends seed or template text: placeholders replaced, punctuation full-width if the
    /// layout wants it.
    fn text(&mut self, t: &str) {
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
    fn raw(&mut self, t: &str) {
        self.s.push_str(t);
    }

    fn num(&mut self, v: usize) {
        self.s.push_str(&v.to_string());
    }

    /// Ends a paragraph (with an empty line in web layouts).
    fn end(&mut self) {
        self.s.push('\n');
        if self.n.gap {
            self.s.push('\n');
        }
    }

    fn section(&mut self, no: usize, head: &str) {
        self.raw(&cn_number(no));
        self.raw("、");
        self.text(head);
        self.end();
    }

    fn paren(&mut self, no: usize) {
        self.text("(");
        self.raw(&cn_number(no));
        self.text(")");
    }

    /// `一是…二是…`, or the single measure without ordinal.
    fn ordinal_measures(&mut self, texts: &[&str]) {
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
    fn lead_paragraph(&mut self, intro: Option<&str>, leads: &[&Lead]) {
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
fn render(n: &Notice, m: &Material, f: &Frame, plan: &[Planned]) -> String {
    let mut o = Out::new(n);
    header(&mut o, f);
    opening(&mut o);
    let mut no = 1;
    preamble(&mut o, m, f, plan, no);
    no += 1;
    o.section(no, m.sec2.get(seed_of(n.layout)).map_or("", String::as_str));
    if n.layout == Layout::D {
        summary_d(&mut o, f, plan);
    }
    body(&mut o, m, f, plan);
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
    signature(&mut o, f);
    o.s
}

/// Title without a final 问题, for wrappers such as `针对“…”问题` and `关于…的问题`.
fn wrap_core(title: &str) -> &str {
    match title.strip_suffix("问题") {
        Some(core) if core.chars().count() >= 4 => core.trim_end_matches('的'),
        _ => title,
    }
}

/// Seed that a layout mirrors.
fn seed_of(layout: Layout) -> usize {
    match layout {
        Layout::A => 0,
        Layout::E => 1,
        Layout::D => 2,
        Layout::B => 3,
        Layout::C => 4,
    }
}

fn notice_title(o: &mut Out) {
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

fn header(o: &mut Out, f: &Frame) {
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

fn opening(o: &mut Out) {
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
    o.raw("意见。按照");
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

fn preamble(o: &mut Out, m: &Material, f: &Frame, plan: &[Planned], no: usize) {
    let n = o.n;
    let head = m.pre_heads.get(f.pre_head).map_or("", |u| u.text.as_str());
    o.section(no, head);
    let intro = f
        .pre_intro
        .and_then(|i| m.pre_intros.get(i))
        .map(|u| u.text.as_str());
    let leads: Vec<&Lead> = f
        .pre_items
        .iter()
        .filter_map(|&i| m.pre_items.get(i))
        .collect();
    match n.layout {
        Layout::C | Layout::E => o.lead_paragraph(intro, &leads),
        Layout::A | Layout::B | Layout::D => {
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
        }
        _ => {}
    }
}

fn summary_d(o: &mut Out, f: &Frame, plan: &[Planned]) {
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
}

/// Status phrase as printed after `整改结果:` (B) or `整改情况:` (E).
fn status_text(layout: Layout, s: Status) -> &'static str {
    match (layout, s) {
        (Layout::B, Status::Phased) => "阶段性完成",
        (Layout::B, _) => "完成",
        (_, Status::Basic) => "基本完成整改",
        (_, Status::Ongoing) => "正在整改尚未完成整改",
        _ => "已完成整改",
    }
}

fn body(o: &mut Out, m: &Material, f: &Frame, plan: &[Planned]) {
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
            }
            Layout::B => {
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
            }
        }
    }
}

/// 001-style section listing the problems not yet fully rectified; returns whether anything
/// was written.
fn further_steps(o: &mut Out, m: &Material, f: &Frame, plan: &[Planned], no: usize) -> bool {
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
            o.raw(&format!(
                "完成时限:{}年{}月前",
                total.div_euclid(12),
                total.rem_euclid(12) + 1
            ));
            o.end();
        }
    }
    true
}

fn closing(o: &mut Out, m: &Material, f: &Frame, no: usize) {
    let n = o.n;
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
        Layout::A | Layout::C => 0,
        Layout::B => 1,
        Layout::D => 2,
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

fn signature(o: &mut Out, f: &Frame) {
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

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

/// A generated notice with its counts.
#[derive(Debug)]
struct Built {
    text: String,
    problems: usize,
    measures: usize,
}

fn build_notice(seed: u64, index: u64) -> Built {
    let m = material();
    let mut rng = Rng::new(stream_seed(seed, index));
    let notice = Notice::random(&mut rng);
    let frame = Frame::random(&mut rng, m, &notice);
    let budget = rng.range(12_000, 36_000);
    let mut planner = Planner::new(m, &notice, Rng::new(rng.next_u64()));
    let mut plan = planner.plan(budget);
    let mut text = render(&notice, m, &frame, &plan);
    for _ in 0..200 {
        let len = text.len();
        if len > NOTICE_MAX_BYTES {
            if plan.len() > 5 {
                plan.pop();
            } else if let Some(p) = plan
                .iter_mut()
                .filter(|p| p.measures.len() > 1)
                .max_by_key(|p| p.measures.len())
            {
                p.measures.pop();
            } else {
                break;
            }
        } else if len < NOTICE_MIN_BYTES {
            let (cat, item) = plan.last().map_or((0, 0), |p| (p.cat, p.item));
            if plan.len() < 40 {
                let p = planner.problem(cat, item);
                plan.push(p);
            } else if let Some(p) = plan
                .iter_mut()
                .find(|p| p.measures.len() < planner.max_measures)
            {
                let taken = p.measures.clone();
                if let Some(v) = planner.draw_measure(&taken) {
                    p.measures.push(v);
                } else {
                    break;
                }
            } else {
                break;
            }
        } else {
            break;
        }
        text = render(&notice, m, &frame, &plan);
    }
    Built {
        text,
        problems: plan.len(),
        measures: plan.iter().map(|p| p.measures.len()).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Temporary directory removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!(
                "zhenggai_generate_{tag}_{}_{nanos}",
                std::process::id()
            ));
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn read_all(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            files.push((
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path())?,
            ));
        }
        files.sort();
        Ok(files)
    }

    fn is_date_line(line: &str) -> bool {
        let Some((y, rest)) = line.split_once('年') else {
            return false;
        };
        let Some((mo, rest)) = rest.split_once('月') else {
            return false;
        };
        let Some(d) = rest.strip_suffix('日') else {
            return false;
        };
        y.len() == 4
            && [y, mo, d]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    }

    /// `中共…` followed by a date line.
    fn has_signature(text: &str) -> bool {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines
            .windows(2)
            .any(|w| w[0].starts_with("中共") && !w[0].contains("关于") && is_date_line(w[1]))
    }

    fn has_problem_heading(text: &str) -> bool {
        text.lines().map(str::trim).any(|l| {
            let numbered = |rest: &str, sep: char| strip_number(rest, sep).is_some();
            l.strip_prefix("问题").is_some_and(|r| numbered(r, ':'))
                || l.strip_prefix('(').is_some_and(|r| numbered(r, ')'))
                || (numbered(l, '.') && l.ends_with('。'))
                || (numbered(l, '、') && l.contains("针对“"))
                || l.starts_with("针对“")
                || l.starts_with("第一,")
        })
    }

    #[test]
    fn material_is_extracted_from_all_seeds() {
        let m = material();
        assert!(m.records.len() >= 100, "records: {}", m.records.len());
        assert!(m.measures.len() >= 200, "measures: {}", m.measures.len());
        assert!(
            m.categories.len() >= 12,
            "categories: {}",
            m.categories.len()
        );
        assert!(m.items.len() >= 15, "items: {}", m.items.len());
        assert!(m.pre_items.len() >= 10 && m.close_items.len() >= 10);
        assert_eq!(m.pre_heads.len(), 4);
        assert_eq!(m.close_heads.len(), 3);
        for list in &m.term_measures {
            assert!(!list.is_empty());
        }
        for u in &m.measures {
            assert!(
                u.text.ends_with('。') || u.text.ends_with('!'),
                "{}",
                u.text
            );
            assert!(!u.text.starts_with("一是"), "{}", u.text);
        }
    }

    #[test]
    fn notice_is_deterministic() {
        for i in 1..20 {
            assert_eq!(generate_notice(7, i), generate_notice(7, i));
        }
        assert_ne!(generate_notice(7, 1), generate_notice(8, 1));
        assert_ne!(generate_notice(7, 1), generate_notice(7, 2));
    }

    #[test]
    fn notices_have_size_signature_and_problems() {
        let mut layouts = [false; 5];
        for i in 1..=400 {
            let text = generate_notice(42, i);
            assert!(
                (NOTICE_MIN_BYTES..=NOTICE_MAX_BYTES).contains(&text.len()),
                "notice {i}: {} bytes",
                text.len()
            );
            assert!(has_signature(&text), "notice {i} has no signature");
            assert!(has_problem_heading(&text), "notice {i} has no problem");
            assert!(!text.contains(|c: char| ('\u{E000}'..='\u{E0FF}').contains(&c)));
            assert!(text.contains("下一步") || text.contains("持续巩固"));
            let markers = ["问题1:", "整改结果:", "问题的整改情况。", "第一,", "(1)"];
            for (slot, marker) in layouts.iter_mut().zip(markers) {
                *slot |= text.contains(marker);
            }
        }
        assert!(layouts.iter().all(|&seen| seen), "{layouts:?}");
    }

    #[test]
    fn counts_are_in_range() {
        for i in 1..=200 {
            let b = build_notice(3, i);
            assert!((5..=40).contains(&b.problems), "{}", b.problems);
            assert!(b.measures >= b.problems && b.measures <= 6 * b.problems);
        }
    }

    #[test]
    fn query_terms_have_realistic_rates() {
        let n = 400;
        let texts: Vec<String> = (1..=n).map(|i| generate_notice(11, i)).collect();
        for (term, p) in TERM_RATES {
            let df = texts.iter().filter(|t| t.contains(term)).count();
            let rate = df as f64 / n as f64;
            assert!(
                rate > p * 0.6 && rate < (p * 1.4).min(0.9),
                "{term}: {rate} (expected about {p})"
            );
        }
    }

    #[test]
    fn corpus_is_deterministic_and_reaches_target() -> io::Result<()> {
        let a = TempDir::new("a");
        let b = TempDir::new("b");
        let opts = GenerateOptions {
            seed: 2024,
            target_bytes: 300_000,
        };
        let sa = generate_corpus(&a.0, opts)?;
        let sb = generate_corpus(&b.0, opts)?;
        assert_eq!(sa, sb);
        let fa = read_all(&a.0)?;
        assert_eq!(fa, read_all(&b.0)?);
        assert_eq!(fa.len(), sa.files);
        let total: u64 = fa.iter().map(|(_, d)| d.len() as u64).sum();
        assert_eq!(total, sa.bytes);
        assert!(sa.bytes >= opts.target_bytes);
        let last = fa.last().map_or(0, |(_, d)| d.len() as u64);
        assert!(
            sa.bytes - last < opts.target_bytes,
            "more than one file past the target"
        );
        assert_eq!(
            fa.first().map(|(name, _)| name.as_str()),
            Some("notice_000001.txt")
        );
        for (name, data) in &fa {
            let text = String::from_utf8(data.clone())
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            assert!(has_signature(&text), "{name}");
            assert!(has_problem_heading(&text), "{name}");
        }
        assert!(sa.problems >= 5 * sa.files && sa.measures >= sa.problems);
        Ok(())
    }

    #[test]
    fn zero_target_writes_nothing() -> io::Result<()> {
        let d = TempDir::new("zero");
        let s = generate_corpus(
            &d.0,
            GenerateOptions {
                seed: 1,
                target_bytes: 0,
            },
        )?;
        assert_eq!(s.files, 0);
        assert_eq!(s.bytes, 0);
        assert!(d.0.is_dir());
        Ok(())
    }

    #[test]
    fn date_roundtrip() {
        for z in [-1, 0, 1, 17_897, 20_089, 20_453] {
            let d = civil_from_days(z);
            assert_eq!(days_from_civil(d.y, d.m, d.d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(cn_number(13), "十三");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(35), "三十五");
    }
}
