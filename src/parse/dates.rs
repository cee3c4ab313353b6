//! Dates as notices print them: `2023-05-04`, `2023年5月4日`, `5月4日` (year from context),
//! and deadlines such as `2023年12月前`.

use std::sync::LazyLock;

use regex::Regex;

/// A date found in text; `year` is `None` when only month and day are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    /// Year, if printed.
    pub year: Option<i32>,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
    /// Byte offset of the match in the searched text.
    pub start: usize,
    /// Byte offset just past the match.
    pub end: usize,
}

impl FoundDate {
    /// ISO form, with `year` filled in.
    pub fn iso(&self, year: i32) -> String {
        format!("{year:04}-{:02}-{:02}", self.month, self.day)
    }
}

static DATE_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]").expect("static regex")
});
static DATE_ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})").expect("static regex")
});
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月|(底|末|年底))|(\d{4})\s*[-/.]\s*(\d{1,2})")
        .expect("static regex")
});

fn valid(month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// All dates in `text`, in order. Width-folded text is expected (ASCII digits).
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut out = Vec::new();
    for c in DATE_CN.captures_iter(text) {
        let (Some(m), Some(mo), Some(d)) = (c.get(0), c.get(2), c.get(3)) else {
            continue;
        };
        let (Ok(month), Ok(day)) = (mo.as_str().parse(), d.as_str().parse()) else {
            continue;
        };
        if valid(month, day) {
            out.push(FoundDate {
                year: c.get(1).and_then(|y| y.as_str().parse().ok()),
                month,
                day,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    for c in DATE_ISO.captures_iter(text) {
        let (Some(m), Some(y), Some(mo), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        let (Ok(year), Ok(month), Ok(day)) =
            (y.as_str().parse(), mo.as_str().parse(), d.as_str().parse())
        else {
            continue;
        };
        if valid(month, day)
            && !out
                .iter()
                .any(|f: &FoundDate| f.start < m.end() && m.start() < f.end)
        {
            out.push(FoundDate {
                year: Some(year),
                month,
                day,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// Dates written in Chinese numerals (`二〇二三年十二月二十日`) rewritten with digits
/// (`2023年12月20日`); other text unchanged (borrowed when there is none).
///
/// ```
/// use zhenggai::parse::dates::cn_numeral_dates;
/// assert_eq!(cn_numeral_dates("二〇二三年十二月二十日"), "2023年12月20日");
/// assert_eq!(cn_numeral_dates("2023年12月20日"), "2023年12月20日");
/// ```
pub fn cn_numeral_dates(text: &str) -> std::borrow::Cow<'_, str> {
    static CN_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*(?:([一二三四五六七八九十]{1,3})\s*日)?")
            .expect("static regex")
    });
    // Years of this century hold 〇 (or ○, 零): other text is left unread.
    if !text.contains(['〇', '○', '零']) {
        return std::borrow::Cow::Borrowed(text);
    }
    CN_DATE.replace_all(text, |c: &regex::Captures<'_>| {
        let year: String = c[1]
            .chars()
            .map(|ch| match ch {
                '〇' | '○' | '零' => '0',
                d => crate::text::parse_number(&d.to_string())
                    .and_then(|n| char::from_digit(n, 10))
                    .unwrap_or('0'),
            })
            .collect();
        let month = crate::text::parse_number(&c[2]).unwrap_or(0);
        match c.get(3).and_then(|d| crate::text::parse_number(d.as_str())) {
            Some(day) => format!("{year}年{month}月{day}日"),
            None => format!("{year}年{month}月"),
        }
    })
}

/// Resolves dates without a year: each takes the year of the last full date before it,
/// moved on by one when it would otherwise fall before that date; with no full date
/// before it, `fallback` (the publication date) is the reference and the date may not
/// fall after it. Returns ISO strings aligned with `dates`.
pub fn resolve_years(
    dates: &[FoundDate],
    fallback: Option<(i32, u32, u32)>,
) -> Vec<Option<String>> {
    let mut reference: Option<(i32, u32, u32)> = None;
    dates
        .iter()
        .map(|d| match d.year {
            Some(y) => {
                reference = Some((y, d.month, d.day));
                Some(d.iso(y))
            }
            None => {
                if let Some((y, m, day)) = reference {
                    let y = if (d.month, d.day) < (m, day) {
                        y + 1
                    } else {
                        y
                    };
                    reference = Some((y, d.month, d.day));
                    Some(d.iso(y))
                } else if let Some((y, m, day)) = fallback {
                    let y = if (d.month, d.day) > (m, day) {
                        y - 1
                    } else {
                        y
                    };
                    Some(d.iso(y))
                } else {
                    None
                }
            }
        })
        .collect()
}

/// Splits an ISO date into (year, month, day).
pub fn split_iso(iso: &str) -> Option<(i32, u32, u32)> {
    let mut it = iso.split('-');
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

/// Reads a deadline such as `2023年12月前`, `2024年底`, `2025-01` into `YYYY-MM`.
///
/// ```
/// use zhenggai::parse::dates::deadline;
/// assert_eq!(deadline("2023年12月前").as_deref(), Some("2023-12"));
/// assert_eq!(deadline("2024年底前完成").as_deref(), Some("2024-12"));
/// assert_eq!(deadline("长期坚持"), None);
/// ```
pub fn deadline(text: &str) -> Option<String> {
    let c = DEADLINE.captures(text)?;
    if let Some(y) = c.get(1) {
        let month: u32 = match c.get(2) {
            Some(m) => m.as_str().parse().ok()?,
            None => 12,
        };
        if !(1..=12).contains(&month) {
            return None;
        }
        return Some(format!("{}-{month:02}", y.as_str()));
    }
    let y = c.get(4)?;
    let month: u32 = c.get(5)?.as_str().parse().ok()?;
    (1..=12)
        .contains(&month)
        .then(|| format!("{}-{month:02}", y.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_take_year_from_context() {
        let t = "2024年9月10日至11月20日,市委第五巡察组进行了巡察。12月30日,反馈了意见。";
        let d = find_dates(t);
        assert_eq!(d.len(), 3);
        let r = resolve_years(&d, None);
        assert_eq!(r[1].as_deref(), Some("2024-11-20"));
        assert_eq!(r[2].as_deref(), Some("2024-12-30"));
        let d = find_dates("并于4月27日反馈了巡察意见");
        let r = resolve_years(&d, Some((2023, 11, 17)));
        assert_eq!(r[0].as_deref(), Some("2023-04-27"));
        let r = resolve_years(&d, Some((2023, 2, 1)));
        assert_eq!(r[0].as_deref(), Some("2022-04-27"));
    }

    #[test]
    fn iso_dates() {
        let d = find_dates("发布时间:2025-08-18 17:39");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].iso(d[0].year.unwrap()), "2025-08-18");
    }
}
