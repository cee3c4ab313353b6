//! Header facts of a notice: title, issuing agency, publication date, inspection facts
//! and the aggregate figures it states.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::dates::{find_dates, resolve_years, split_iso};
use crate::notice::{Inspection, Summary};
use crate::text::{fold_parse, squeeze_spaces};

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:巡察|巡视|整改).*(?:通报|报告|公告|公示|情况)$").expect("static regex")
});
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:中共|中国共产党)?[\p{Han}()（）]{2,40}(?:党组|党委|党工委|委员会|局|委|厅|院|办公室|办|政府|中心|公司|学校|大学|医院|支部|总支|协会|集团|所|站)$")
        .expect("static regex")
});
static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$")
        .expect("static regex")
});
static ROUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:中央|省委|市委|县委|区委|州委|旗委|盟委)[一二三四五六七八九十\d]{1,4}届第[一二三四五六七八九十\d]{1,3}轮|[一二三四五六七八九十\d]{1,4}届(?:中央|省委|市委|县委|区委|州委|旗委|盟委)?第[一二三四五六七八九十\d]{1,3}轮|\d{4}年度?第[一二三四五六七八九十\d]{1,3}轮|(?:中央|省委|市委|县委|区委|州委|旗委|盟委)第[一二三四五六七八九十\d]{1,3}轮)")
        .expect("static regex")
});
/// An inspecting group by its whole name: `市委第五巡察组`, `区委巡察三组`,
/// `市委乡村振兴领域专项巡察组`, `专项巡察第五交叉巡察组`.
static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:中央|省委|市委|县委|区委|州委|旗委|盟委|市|县|区)\p{Han}{0,12}?(?:第[一二三四五六七八九十\d]{1,3})?(?:交叉)?(?:巡视|巡察)(?:第?[一二三四五六七八九十\d]{1,3})?组|(?:专项)?(?:巡视|巡察)第[一二三四五六七八九十\d]{1,3}(?:交叉)?(?:巡视|巡察)?组)")
        .expect("static regex")
});

/// The agency's short form: without 中共 and the trailing party-organ word.
///
/// ```
/// use zhenggai::parse::header::agency_short;
/// assert_eq!(agency_short("中共汕尾市卫生健康局党组"), "汕尾市卫生健康局");
/// assert_eq!(agency_short("中共北京市卫生健康委员会委员会"), "北京市卫生健康委员会");
/// assert_eq!(agency_short("中共怀化市卫生健康委员会"), "怀化市卫生健康委员会");
/// ```
pub fn agency_short(agency: &str) -> String {
    let s = agency
        .trim_start_matches("中国共产党")
        .trim_start_matches("中共");
    for suffix in ["党组", "党委", "党工委", "机关党委", "党总支", "党支部"] {
        if let Some(x) = s.strip_suffix(suffix) {
            if x.chars().count() >= 2 {
                return x.to_string();
            }
        }
    }
    if let Some(x) = s.strip_suffix("委员会委员会") {
        return format!("{x}委员会");
    }
    s.to_string()
}

const MUNICIPALITIES: [&str; 4] = ["北京市", "上海市", "天津市", "重庆市"];

/// Region (the leading place name) and level (省/市/县) of an agency.
///
/// `hint` is the inspecting body's level (县委巡察组 inspects county bodies), used
/// for a region ending in 市, which may be a county-level city.
pub fn region_level(short: &str, hint: Option<&str>) -> (Option<String>, Option<String>) {
    static PLACE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^([\p{Han}]{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|县|区|旗|盟|地区))",
        )
        .expect("static regex")
    });
    let Some(m) = PLACE.find(short) else {
        return (None, None);
    };
    let mut region = m.as_str().to_string();
    // `县市场监督管理局`, `市乡村振兴局`: a level word, not a place name.
    if short.starts_with(['省', '市', '县', '区', '州']) {
        return (None, None);
    }
    // `苏州市`: the lazy match stops at 州; a 市/县/区 right after belongs to the name.
    if region.ends_with('州') {
        if let Some(next) = short[m.end()..]
            .chars()
            .next()
            .filter(|c| "省市县区".contains(*c))
        {
            region.push(next);
        }
    }
    let level = if MUNICIPALITIES.contains(&region.as_str())
        || region.ends_with('省')
        || region.ends_with("自治区")
    {
        "省"
    } else if region.ends_with('县')
        || region.ends_with('旗')
        || (region.ends_with('区') && !region.ends_with("地区"))
    {
        "县"
    } else {
        match hint {
            Some("县") => "县",
            Some("省") => "市",
            _ => "市",
        }
    };
    (Some(region), Some(level.to_string()))
}

/// Finds the title among the first lines: the first line that names an inspection and
/// reads like a title (not a sentence, not a numbered heading). Returns its index and
/// its text as written, with line-break spaces removed.
pub fn find_title<S: AsRef<str>>(lines: &[S]) -> Option<(usize, String)> {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[一二三四五六七八九十\d]+\s*[、.]|\(|第[一二三四五六七八九十]+[,、])")
            .expect("static regex")
    });
    lines.iter().take(40).enumerate().find_map(|(i, l)| {
        let l = l.as_ref();
        // TITLE needs 巡察, 巡视 or 整改 (maybe broken by spaces): skip other lines unread.
        if !(l.contains('巡') || l.contains('整')) {
            return None;
        }
        // A title has at most 90 chars besides spaces: skip paragraphs unread.
        if l.chars().count() > 90 && l.chars().filter(|c| !c.is_whitespace()).nth(90).is_some() {
            return None;
        }
        let t = squeeze_spaces(l);
        let norm = fold_parse(&t);
        let n = t.chars().count();
        let ok = (6..=90).contains(&n)
            && TITLE.is_match(&norm)
            && !norm.contains('。')
            && !norm.starts_with("根据")
            && !norm.starts_with("按照")
            && !NUMBERED.is_match(&norm)
            && !super::lines::is_noise(&norm);
        if !ok {
            return None;
        }
        // A title broken over two lines: `中共X局党组关于巡察` / `整改进展情况的通报`,
        // or the agency alone on the line before `关于…的通报`.
        let prev = i
            .checked_sub(1)
            .and_then(|k| lines.get(k))
            .map(|p| squeeze_spaces(p.as_ref()))
            .filter(|p| {
                let pn = fold_parse(p);
                let pc = p.chars().count();
                (2..=40).contains(&pc)
                    && !pn.contains(['。', ',', ':', '，', '：'])
                    && !norm.starts_with("中共")
                    && (pn.ends_with("关于")
                        || (pn.contains("关于") && !norm.contains("关于"))
                        || (ORG.is_match(&pn) && norm.starts_with("关于")))
            });
        Some(match prev {
            Some(p) => (i, format!("{p}{t}")),
            None => (i, t),
        })
    })
}

/// The signature block at the end of a notice.
#[derive(Debug, Default)]
pub struct Signature {
    /// Signing bodies with their line indexes; the first is the agency.
    pub signers: Vec<(usize, String)>,
    /// The signature date: line index and ISO date.
    pub date: Option<(usize, String)>,
}

/// Finds the signature at the end: one or more organisation lines followed by (or
/// sharing a line with) a date.
pub fn find_signature<S: AsRef<str>>(norm_lines: &[S]) -> Signature {
    let n = norm_lines.len();
    let lo = n.saturating_sub(10);
    let mut signers: Vec<(usize, String)> = Vec::new();
    let mut signed: Option<(usize, String)> = None;
    let mut i = n;
    while i > lo {
        i -= 1;
        // `二〇二三年十二月二十日` reads as `2023年12月20日`.
        let source = super::dates::cn_numeral_dates(norm_lines[i].as_ref());
        let line = squeeze_spaces(&source);
        if line.is_empty() || super::lines::is_noise(&line) {
            continue;
        }
        // `中共闽清县卫生健康局党组 2023年11月17日` on one line.
        let parts: Vec<&str> = source.split_whitespace().collect();
        let (org_part, date_part) =
            if parts.len() >= 2 && DATE_ONLY.is_match(&parts[parts.len() - 1..].concat()) {
                (
                    parts[..parts.len() - 1].join(""),
                    Some(parts[parts.len() - 1].to_string()),
                )
            } else if DATE_ONLY.is_match(&line) {
                (String::new(), Some(line.clone()))
            } else {
                (line.clone(), None)
            };
        if let Some(d) = date_part {
            if signed.is_none() && signers.is_empty() {
                if let Some(fd) = find_dates(&d).first() {
                    if let Some(y) = fd.year {
                        signed = Some((i, fd.iso(y)));
                    }
                }
            }
        }
        if !org_part.is_empty() {
            if ORG.is_match(&org_part) && org_part.chars().count() <= 40 {
                signers.insert(0, (i, org_part));
                continue;
            }
            if !signers.is_empty() || signed.is_some() {
                break;
            }
        }
    }
    Signature {
        signers,
        date: signed,
    }
}

/// The agency as the title names it: the text before 关于, without a 【…】 prefix.
pub fn agency_from_title(title: &str) -> Option<String> {
    let t = if title.starts_with('【') {
        title.split_once('】').map_or(title, |(_, r)| r)
    } else {
        title
    };
    let (before, _) = t.split_once("关于")?;
    let before = before.trim();
    (ORG.is_match(before)).then(|| before.to_string())
}

/// The inspected body as the text names it, for a notice with neither a title that
/// names it nor a signature: `…巡察组对市文化和旅游局党组开展了巡察`,
/// `…向县农业农村局党组反馈了巡察意见`, `市X局党组(以下简称…)`.
pub fn agency_from_body(text: &str) -> Option<String> {
    static TO_ORG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:对|向)((?:中共|中国共产党)?[\p{Han}()]{3,30}?(?:党组|党委|党工委|党总支|党支部))(?:进行|开展|反馈|实施|的)")
            .expect("static regex")
    });
    static CALLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:中共|中国共产党)?[\p{Han}()]{3,30}?(?:党组|党委|党工委|党总支|党支部))\s*\(以下简称")
            .expect("static regex")
    });
    let named = |m: &str| {
        // `对局党组`, `向我局党组`: a reference, not a name.
        (!m.starts_with(['局', '本', '该', '我', '其', '各', '委'])).then(|| m.to_string())
    };
    TO_ORG
        .captures_iter(text)
        .find_map(|c| named(c.get(1)?.as_str()))
        .or_else(|| {
            CALLED.captures_iter(text).find_map(|c| {
                let m = c.get(1)?.as_str();
                // `…于6月对市X局党组(以下简称…)`: the name follows the last 对/向.
                let m = m.rsplit_once(['对', '向']).map_or(m, |(_, r)| r);
                named(m)
            })
        })
}

/// Inspection facts from the title and the introduction (and, for the group, the whole text).
pub fn inspection(
    title: Option<&str>,
    intro: &str,
    all: &str,
    published: Option<&str>,
) -> Inspection {
    let head = format!("{}\n{intro}", title.unwrap_or(""));
    let kind = {
        let t = title.unwrap_or("");
        let pick = |s: &str| -> Option<String> {
            match (s.find("巡视"), s.find("巡察")) {
                (Some(a), Some(b)) => Some(if a < b { "巡视" } else { "巡察" }.to_string()),
                (Some(_), None) => Some("巡视".into()),
                (None, Some(_)) => Some("巡察".into()),
                _ => None,
            }
        };
        pick(t).or_else(|| pick(intro)).or_else(|| pick(all))
    };
    let revisit = head.contains("回头看");
    let round = ROUND.find(&head).map(|m| m.as_str().to_string());
    let group = GROUP
        .find(intro)
        .or_else(|| GROUP.find(all))
        .map(|m| m.as_str().to_string());
    // Feedback date: the last date before 反馈 in the same sentence.
    let dates = find_dates(intro);
    let fallback = published.and_then(split_iso);
    let resolved = resolve_years(&dates, fallback);
    let mut feedback_date = None;
    for sentence_end in intro.match_indices("反馈").map(|(i, _)| i) {
        let sentence_start = intro[..sentence_end]
            .rfind(['。', ';', '；', '\n'])
            .map_or(0, |i| {
                i + intro[i..].chars().next().map_or(1, char::len_utf8)
            });
        // A date that begins or ends a period (`9月12日至11月15日`) is the
        // inspection's, not the feedback's.
        let in_range = |d: &super::dates::FoundDate| {
            let after = intro[d.end..].trim_start();
            let before = intro[..d.start].trim_end();
            after.starts_with(['至', '到', '—', '-', '~', '～'])
                || before.ends_with(['至', '到', '—', '-', '~', '～'])
        };
        if let Some(k) = dates
            .iter()
            .rposition(|d| d.start >= sentence_start && d.end <= sentence_end)
        {
            if !in_range(&dates[k]) {
                feedback_date = resolved[k].clone();
            }
            break;
        }
        // `反馈时间为2023年6月5日`, `反馈会于6月5日召开`: a date just after 反馈.
        if let Some(k) = dates.iter().position(|d| {
            d.start >= sentence_end
                && intro[sentence_end..d.start].chars().count() <= 8
                && !intro[sentence_end..d.start].contains(['。', '，', ',', ';', '；', '\n'])
        }) {
            if !in_range(&dates[k]) {
                feedback_date = resolved[k].clone();
                break;
            }
        }
    }
    Inspection {
        kind,
        revisit,
        round,
        group,
        feedback_date,
    }
}

/// The aggregate figures a notice states, read from its non-problem text.
pub fn summary(text: &str) -> Summary {
    figures(&fold_parse(&counted_clauses(text)))
}

/// [`summary`] of text already folded ([`fold_parse`]), read whole.
fn figures(text: &str) -> Summary {
    // `25个具体问题`, `6个方面18个突出问题`, `反馈25个问题`, `反馈的4个问题`,
    // `提出了11项问题`, `反馈问题25个` (not `9个方面问题`: aspects are no problems).
    static PROBLEMS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d+)\s*(?:项|个|条)\s*(?:具体|突出)问题|\d+\s*个方面\s*(\d+)\s*(?:项|个|条)(?:具体|突出)?问题|(?:反馈|指出|提出|交办)(?:了|的)?(?:意见)?(?:共)?\s*(\d+)\s*(?:项|个|条)(?:具体|突出)?问题|(?:反馈|指出|提出|交办)(?:了|的)?(?:具体)?问题\s*(?:共)?\s*(\d+)\s*(?:项|个|条)")
            .expect("static regex")
    });
    static COMPLETED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:已(?:经)?(?:完成|整改完成|整改到位|办结|整改)|整改完成|完成整改)(?:整改)?\s*(\d+)\s*(?:项|个|条)")
            .expect("static regex")
    });
    static BASIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"基本完成(?:整改)?\s*(\d+)\s*(?:项|个|条)").expect("static regex")
    });
    static PHASED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"阶段性完成(?:整改)?\s*(\d+)\s*(?:项|个|条)").expect("static regex")
    });
    static IN_PROGRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:其余|剩余|还有|另有)?\s*(\d+)\s*(?:项|个|条)\s*(?:正在|仍在|持续|需要)(?:持续)?(?:推进|整改)|(?:正在整改|正在推进|尚未完成|未完成|整改中)(?:整改|中)?\s*(\d+)\s*(?:项|个|条)")
            .expect("static regex")
    });
    static MEASURES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d+)\s*(?:条|项)\s*(?:具体)?整改措施|整改措施\s*(\d+)\s*(?:条|项)")
            .expect("static regex")
    });
    static MEASURES_DONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"已(?:经)?(?:落实|完成)(?:到位)?\s*(\d+)\s*条").expect("static regex")
    });
    static RULES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:建立|完善|制定|出台|修订|健全)(?:和|完善|修订|健全)*(?:规章)?制度(?:机制)?\s*(\d+)\s*(?:项|个|份|件|条)").expect("static regex")
    });
    static ACCOUNTABLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:问责|追责)(?:追责|问责|处理)?\s*(\d+)\s*(?:人|名)").expect("static regex")
    });
    /// Long-term items (`长期坚持2项`), counted with those in progress.
    static LONG_TERM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:长期坚持|持续整改|常态化推进|长期推进)(?:的)?\s*(\d+)\s*(?:项|个|条)|(\d+)\s*(?:项|个|条)\s*(?:需)?(?:长期坚持|持续推进|常态化推进)")
            .expect("static regex")
    });
    /// A count (`3项`): IN_PROGRESS and MEASURES hold one but no literal the regex
    /// engine could search for first, so this fast search runs before them.
    static COUNT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d\s*(?:项|个|条)").expect("static regex"));
    /// The number in the first group of `re` that took part in the match.
    fn num(re: &Regex, text: &str) -> Option<u32> {
        let c = re.captures(text)?;
        c.iter().skip(1).flatten().next()?.as_str().parse().ok()
    }
    let counted = COUNT.is_match(text);
    Summary {
        problems_total: num(&PROBLEMS, text),
        completed: num(&COMPLETED, text),
        basically_completed: num(&BASIC, text),
        phased: num(&PHASED, text),
        in_progress: counted
            .then(|| {
                let a = num(&IN_PROGRESS, text);
                let b = num(&LONG_TERM, text);
                a.zip(b).map(|(a, b)| a + b).or(a).or(b)
            })
            .flatten(),
        measures_total: (counted && text.contains("整改措施"))
            .then(|| num(&MEASURES, text))
            .flatten(),
        measures_done: num(&MEASURES_DONE, text),
        rules_made: num(&RULES, text),
        people_held_accountable: num(&ACCOUNTABLE, text),
    }
}

/// Marks no figure pattern of [`summary`] contains: a match never spans one.
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '。' | ','
            | '，'
            | ';'
            | '；'
            | ':'
            | '：'
            | '、'
            | '('
            | ')'
            | '（'
            | '）'
            | '“'
            | '”'
            | '!'
            | '！'
    )
}

/// The clauses of `text` (between the marks of [`is_clause_end`]) that hold a digit, joined by 。.
///
/// Every pattern of [`summary`] needs a digit and spans no clause end, so it finds
/// the same first match here as in the whole text, which it then need not scan:
/// most of a notice's paragraphs state no figure. Folding keeps clause ends and
/// digits (a full-width digit is numeric too), so the clauses can be cut before it.
fn counted_clauses(text: &str) -> Cow<'_, str> {
    // A superset of what `\d` matches after folding; CJK ideographs are never digits.
    let digit = |c: char| {
        c.is_ascii_digit()
            || (!c.is_ascii() && !('\u{4e00}'..='\u{9fff}').contains(&c) && c.is_numeric())
    };
    let mut kept: Vec<&str> = Vec::new();
    let (mut start, mut counted) = (0, false);
    for (i, c) in text.char_indices() {
        if is_clause_end(c) {
            if counted {
                kept.push(&text[start..i]);
            }
            (start, counted) = (i + c.len_utf8(), false);
        } else if !counted && digit(c) {
            counted = true;
        }
    }
    if counted {
        kept.push(&text[start..]);
    }
    match kept.as_slice() {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one),
        many => Cow::Owned(many.join("。")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_from_the_body() {
        assert_eq!(
            agency_from_body("市委第四巡察组对市文化和旅游局党组开展了巡察。").as_deref(),
            Some("市文化和旅游局党组")
        );
        assert_eq!(
            agency_from_body("巡察结束后向县农业农村局党组反馈了巡察意见。").as_deref(),
            Some("县农业农村局党组")
        );
        assert_eq!(
            agency_from_body("于2023年6月至7月对市乡村振兴局党组(以下简称“局党组”)开展了巡察")
                .as_deref(),
            Some("市乡村振兴局党组")
        );
        assert_eq!(agency_from_body("巡察组对局党组开展了巡察。"), None);
    }

    #[test]
    fn figures_are_read_from_the_clauses_with_digits_as_from_the_whole_text() {
        let mut texts: Vec<String> = [
            "巡察反馈90项具体问题，已完成整改74项，基本完成10项。",
            "反馈问题\n25个，其中已整改完成\n20个；其余5项正在推进",
            "指出9个方面问题。共制定整改措施120条，已落实到位100条",
            "建立完善修订制度 12 项（问责3人）。长期坚持的２项",
            "反馈的4个问题，6个方面18个突出问题，提出了11项问题",
            "没有数字的段落。",
            "",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        for e in std::fs::read_dir(seeds).into_iter().flatten().flatten() {
            texts.extend(std::fs::read_to_string(e.path()));
        }
        assert!(texts.len() > 8);
        for t in &texts {
            let whole = figures(&fold_parse(t));
            assert_eq!(format!("{:?}", summary(t)), format!("{whole:?}"), "{t}");
        }
        let s = summary(&texts[0]);
        assert_eq!(
            (s.problems_total, s.completed, s.basically_completed),
            (Some(90), Some(74), Some(10))
        );
    }

    #[test]
    fn feedback_date_is_not_the_end_of_the_inspection() {
        let intro = "县委第一巡察组于2023年9月12日至11月15日对县农业农村局党组开展了巡察,巡察结束后反馈了巡察意见。";
        assert_eq!(inspection(None, intro, intro, None).feedback_date, None);
        let intro = "2023年6月16日,省委第六巡视组向省农业农村厅党组反馈了巡视意见。";
        assert_eq!(
            inspection(None, intro, intro, None)
                .feedback_date
                .as_deref(),
            Some("2023-06-16")
        );
        let intro = "市委巡察组开展了巡察,反馈时间为2023年7月6日。";
        assert_eq!(
            inspection(None, intro, intro, None)
                .feedback_date
                .as_deref(),
            Some("2023-07-06")
        );
    }

    #[test]
    fn groups_by_their_whole_name() {
        for (text, group) in [
            ("市委乡村振兴领域专项巡察组对", "市委乡村振兴领域专项巡察组"),
            ("专项巡察第五交叉巡察组于", "专项巡察第五交叉巡察组"),
            ("区委巡察三组对", "区委巡察三组"),
            ("市委第一轮巡察第三组于", "市委第一轮巡察第三组"),
        ] {
            assert_eq!(
                inspection(None, text, text, None).group.as_deref(),
                Some(group)
            );
        }
    }

    #[test]
    fn stated_figures_in_common_phrasings() {
        let s = summary(
            "反馈6个方面18个突出问题。整改完成15个,阶段性完成1个,正在推进1个,长期坚持1项。",
        );
        assert_eq!(s.problems_total, Some(18));
        assert_eq!(s.completed, Some(15));
        assert_eq!(s.phased, Some(1));
        assert_eq!(s.in_progress, Some(2));
        assert_eq!(summary("反馈意见提出了11项问题").problems_total, Some(11));
        assert_eq!(summary("反馈25个问题").problems_total, Some(25));
        assert_eq!(summary("指出9个方面问题").problems_total, None);
    }

    #[test]
    fn a_level_word_is_no_place() {
        assert_eq!(region_level("县市场监督管理局", None), (None, None));
        assert_eq!(
            region_level("凤林县卫生健康局", None),
            (Some("凤林县".to_string()), Some("县".to_string()))
        );
    }
}
