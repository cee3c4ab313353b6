//! Reposted notices: the same notice published again by the agency, the county portal
//! or the discipline commission's site (with other navigation, another encoding, as
//! HTML or PDF).
//!
//! Each indexed file gets a MinHash signature of its parsed body ([`signature`]): the
//! set of [`SHINGLE`]-character shingles of its measures and problem titles (of all
//! its records when it has no measure), letters, digits and CJK characters only,
//! folded, so that layout, punctuation, encoding and the page around the notice do
//! not count. Two files are copies when the estimated Jaccard similarity of their
//! shingle sets is at least [`THRESHOLD`]. Candidates are found by LSH banding
//! ([`BANDS`] bands of [`ROWS`] hashes), so grouping a corpus costs time linear in
//! its files; each candidate pair is then checked on the whole signature.
//!
//! A second progress report by the same agency for the same inspection repeats the
//! header and the problem titles but reports other measures: its similarity with
//! the first stays far below the threshold (the tests hold such a pair at about
//! 0.16), while a reposted copy parsed from a page with navigation around it stays
//! above it (0.84 for a short test notice whose last measure took in the page's
//! footer; real notices are ten times longer, so a footer weighs less).
//!
//! Of each group of copies one file is the notice of record: a parsed notice before
//! a file that is not one, then the earliest published, then the first by key. The
//! others name it in [`super::FileEntry::copy_of`] and it lists them in
//! [`super::FileEntry::also_published_at`]; searches leave the copies out unless
//! asked for every copy.

use std::collections::{BTreeMap, HashMap};

use super::record::{Record, RecordKind};
use super::Manifest;

/// Characters per shingle.
pub const SHINGLE: usize = 5;
/// Hashes in a signature.
pub const HASHES: usize = 64;
/// LSH bands.
pub const BANDS: usize = 16;
/// Hashes per band.
pub const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity from which two files are copies of one notice.
pub const THRESHOLD: f64 = 0.7;
/// Days apart from which two dated files are never copies: a repost follows the
/// original within days, while a later progress report on the same inspection
/// (which may repeat most of the first) comes months after it.
pub const MAX_DAYS_APART: i64 = 45;
/// Fewest shingles a file needs to be compared (about 60 characters of measures):
/// shorter bodies (an empty page, a notice of one short measure) say too little to
/// call two files the same notice, and differ by a word or two.
pub const MIN_SHINGLES: usize = 60;

/// A MinHash signature: [`HASHES`] bins, each the least hash of the shingles that
/// fell into it ([`signature_of_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

/// Mixes a 64-bit value (the splitmix64 finalizer).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The signature of a text; `None` if it has fewer than [`MIN_SHINGLES`] shingles.
///
/// One hash per shingle ("one permutation" MinHash): its top bits choose one of the
/// [`HASHES`] bins, which keeps the least of the rest; a bin no shingle fell into
/// takes the value of the next bin that has one (densification), so that two
/// signatures still agree in about the share of bins their sets' Jaccard
/// similarity says. This costs a few operations per character, not one hash
/// function per bin.
pub fn signature_of_text(text: &str) -> Option<Signature> {
    let chars: Vec<u64> = text
        .chars()
        .map(crate::text::fold_char)
        .filter(|c| crate::text::is_word_char(*c))
        .map(u64::from)
        .collect();
    if chars.len() < SHINGLE + MIN_SHINGLES - 1 {
        return None;
    }
    const EMPTY: u32 = u32::MAX;
    let mut bins = [EMPTY; HASHES];
    for w in chars.windows(SHINGLE) {
        let packed = w.iter().fold(0u64, |acc, &c| {
            acc.wrapping_mul(0x0000_0100_0000_01B3).wrapping_add(c)
        });
        let h = mix(packed);
        // HASHES is 64: six bits choose the bin.
        let bin = (h >> 58) as usize;
        let v = (h as u32).min(EMPTY - 1);
        if let Some(b) = bins.get_mut(bin) {
            if v < *b {
                *b = v;
            }
        }
    }
    let filled: Vec<usize> = (0..HASHES).filter(|&i| bins[i] != EMPTY).collect();
    let first = *filled.first()?;
    let mut out = bins;
    for i in 0..HASHES {
        if bins[i] != EMPTY {
            continue;
        }
        // The next filled bin to the right, wrapping, and how far it is.
        let j = filled.iter().copied().find(|&j| j > i).unwrap_or(first);
        let distance = (j + HASHES - i) % HASHES;
        out[i] = (mix(u64::from(bins[j]) ^ ((distance as u64) << 32)) as u32).min(EMPTY - 1);
    }
    Some(Signature(out))
}

/// The signature of a parsed file's body: its measures and problem titles (all its
/// records when it has no measure).
pub fn signature(records: &[Record]) -> Option<Signature> {
    let measures = records.iter().any(|r| r.kind == RecordKind::Measure);
    let mut text = String::new();
    let mut last_problem = "";
    for r in records {
        if measures && r.kind != RecordKind::Measure {
            continue;
        }
        if r.problem != last_problem {
            text.push_str(&r.problem);
            text.push('\n');
            last_problem = &r.problem;
        }
        text.push_str(&r.text);
        text.push('\n');
    }
    signature_of_text(&text)
}

impl Signature {
    /// The signature as stored in the manifest: hex, 8 digits a hash.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|v| format!("{v:08x}")).collect()
    }

    /// Reads [`Signature::to_hex`] back; `None` if it is not one.
    pub fn from_hex(s: &str) -> Option<Signature> {
        if s.len() != HASHES * 8 || !s.is_ascii() {
            return None;
        }
        let mut out = [0u32; HASHES];
        for (i, v) in out.iter_mut().enumerate() {
            *v = u32::from_str_radix(&s[i * 8..i * 8 + 8], 16).ok()?;
        }
        Some(Signature(out))
    }

    /// Estimated Jaccard similarity of the two shingle sets: the share of hashes
    /// whose minimum agrees.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }
}

/// A day number for an ISO date `YYYY-MM-DD` (months as 31 days: only distances of
/// weeks matter), `None` for a partial or missing date.
fn day_number(iso: &str) -> Option<i64> {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(y * 372 + (m - 1) * 31 + (d - 1))
}

/// Whether two files dated `a` and `b` (ISO, possibly empty) may be one notice:
/// dates too far apart belong to two reports, an unknown date never decides.
pub fn dates_compatible(a: &str, b: &str) -> bool {
    match (day_number(a), day_number(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= MAX_DAYS_APART,
        _ => true,
    }
}

/// Groups of copies among `files` (key, signature, date as ISO or empty), each group
/// sorted by key, groups in order of their first key; files without copies are in no
/// group. Two files dated more than [`MAX_DAYS_APART`] days apart are never joined
/// directly.
pub fn groups(files: &[(&str, &Signature, &str)]) -> Vec<Vec<String>> {
    let mut parent: Vec<usize> = (0..files.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for band in 0..BANDS {
        let mut buckets: HashMap<&[u32], Vec<usize>> = HashMap::new();
        for (i, (_, sig, _)) in files.iter().enumerate() {
            buckets
                .entry(&sig.0[band * ROWS..(band + 1) * ROWS])
                .or_default()
                .push(i);
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            for (k, &i) in members.iter().enumerate() {
                for &j in &members[k + 1..] {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    if ri != rj
                        && files[i].1.similarity(files[j].1) >= THRESHOLD
                        && dates_compatible(files[i].2, files[j].2)
                    {
                        parent[ri.max(rj)] = ri.min(rj);
                    }
                }
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, (key, _, _)) in files.iter().enumerate() {
        let r = find(&mut parent, i);
        by_root.entry(r).or_default().push(key.to_string());
    }
    let mut out: Vec<Vec<String>> = by_root.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort();
    }
    out.sort();
    out
}

/// Finds the copies among the manifest's files and records them: the notice of
/// record of each group and the others ([`super::FileEntry::copy_of`],
/// [`super::FileEntry::also_published_at`]). Files without a signature are no one's
/// copy.
pub fn assign(manifest: &mut Manifest) {
    let mut sigs: Vec<(String, Signature, String)> = Vec::new();
    for (key, e) in manifest.files.iter_mut() {
        e.copy_of = None;
        e.also_published_at.clear();
        if let Some(s) = Signature::from_hex(&e.minhash) {
            sigs.push((key.clone(), s, e.published.clone()));
        }
    }
    let dated: Vec<(&str, &Signature, &str)> = sigs
        .iter()
        .map(|(k, s, d)| (k.as_str(), s, d.as_str()))
        .collect();
    let found = groups(&dated);
    for group in found {
        let of_record = group.iter().min_by(|a, b| {
            let (ea, eb) = (&manifest.files[*a], &manifest.files[*b]);
            // A notice first, then the earliest date (an unknown date last), then
            // the key.
            eb.notice
                .cmp(&ea.notice)
                .then_with(|| {
                    (ea.published.is_empty(), &ea.published)
                        .cmp(&(eb.published.is_empty(), &eb.published))
                })
                .then_with(|| a.cmp(b))
        });
        let Some(of_record) = of_record.cloned() else {
            continue;
        };
        for key in &group {
            if *key == of_record {
                continue;
            }
            if let Some(e) = manifest.files.get_mut(key) {
                e.copy_of = Some(of_record.clone());
            }
        }
        if let Some(e) = manifest.files.get_mut(&of_record) {
            e.also_published_at = group.iter().filter(|k| **k != of_record).cloned().collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "一是修订车辆管理制度，建立派车登记台账，每月公示用车情况。\
        二是规范差旅费报销审核流程，逐笔核对票据，对超标准报销的追回款项。\
        三是开展公务用车专项检查，对违规使用公车的人员进行谈话提醒并通报。\
        四是完善固定资产管理制度，对账实不符的资产逐项清查并登记入账。";

    #[test]
    fn hex_round_trips() {
        let s = signature_of_text(BODY).expect("long enough");
        assert_eq!(Signature::from_hex(&s.to_hex()), Some(s.clone()));
        assert_eq!(s.to_hex().len(), HASHES * 8);
        assert_eq!(Signature::from_hex("00"), None);
        assert_eq!(Signature::from_hex(&"zz".repeat(HASHES * 4)), None);
    }

    #[test]
    fn layout_and_punctuation_do_not_count() {
        let a = signature_of_text(BODY).expect("long enough");
        let spaced: String = BODY
            .chars()
            .map(|c| if c == '，' { ' ' } else { c })
            .collect();
        let b = signature_of_text(&format!("  {spaced}\n\n")).expect("long enough");
        assert_eq!(a.similarity(&b), 1.0);
        assert!(signature_of_text("一是修订制度。").is_none());
    }

    #[test]
    fn copies_group_and_other_texts_do_not() {
        let a = signature_of_text(BODY).expect("sig");
        let b = signature_of_text(&format!("首页 机构概况 信息公开 {BODY} 版权所有")).expect("sig");
        let c = signature_of_text(
            "一是加快推进医共体建设，邀请省专家组开展调研培训。二是推进检验检查结果互认，\
             分步推进二级以上公立医疗机构接入平台。三是加强基层医疗卫生人才培养，招录大学生村医。",
        )
        .expect("sig");
        assert!(a.similarity(&b) >= THRESHOLD, "{}", a.similarity(&b));
        assert!(a.similarity(&c) < 0.2, "{}", a.similarity(&c));
        let g = groups(&[
            ("x/a.txt", &a, ""),
            ("y/c.txt", &c, ""),
            ("z/b.html", &b, ""),
        ]);
        assert_eq!(g, [vec!["x/a.txt".to_string(), "z/b.html".to_string()]]);
    }

    #[test]
    fn reports_months_apart_are_not_copies() {
        let a = signature_of_text(BODY).expect("sig");
        let b = signature_of_text(&format!("{BODY}五是建立长效机制。")).expect("sig");
        assert!(a.similarity(&b) >= THRESHOLD, "{}", a.similarity(&b));
        // A repost a few days later, or one whose date is unknown, is a copy.
        let near = groups(&[("a", &a, "2024-03-01"), ("b", &b, "2024-03-08")]);
        assert_eq!(near.len(), 1);
        assert_eq!(groups(&[("a", &a, "2024-03-01"), ("b", &b, "")]).len(), 1);
        // The second progress report half a year on is not.
        assert!(groups(&[("a", &a, "2024-03-01"), ("b", &b, "2024-09-20")]).is_empty());
        assert!(dates_compatible("2024-03-01", "2024-04-10"));
        assert!(!dates_compatible("2024-03-01", "2024-05-01"));
        assert!(dates_compatible("2024-03", "2025-01-01"));
    }
}
