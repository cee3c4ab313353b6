//! The text of a Word document (`.docx`): paragraphs become lines, each row of a
//! table one line with its cells separated by tabs.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

/// The most `word/document.xml` may unpack to: a bound on memory for a
/// compressed-bomb attachment, far above any real notice.
const MAX_XML: u64 = 128 << 20;

/// The first bytes of an OLE compound file: a `.doc`, or an encrypted `.docx`.
const OLE_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// Extracts the text of a `.docx` file's bytes, or the reason it cannot.
pub(crate) fn extract(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err("文件是 .doc 格式或已加密，请另存为未加密的 .docx 或 .txt (a .doc file or an encrypted .docx)".into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("无法读取 .docx 文件 (unreadable .docx: {e})"))?;
    if zip.index_for_name("word/document.xml").is_none() {
        return Err(
            "不是有效的 .docx 文件，缺少 word/document.xml (not a valid .docx: no word/document.xml)"
                .into(),
        );
    }
    // List numbers (一、 （一） 1.) are not in the text but in the list definitions.
    let numbering = match zip.index_for_name("word/numbering.xml") {
        Some(_) => Numbering::parse(&part(&mut zip, "word/numbering.xml")?),
        None => Numbering::default(),
    };
    let xml = part(&mut zip, "word/document.xml")?;
    document_text(&xml, numbering)
}

/// The text of one part of the package, at most [`MAX_XML`] bytes.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, String> {
    let entry = zip
        .by_name(name)
        .map_err(|e| format!("无法读取 .docx 文件 (unreadable .docx: {e})"))?;
    let mut xml = String::new();
    entry
        .take(MAX_XML + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("无法解压 .docx 文件 (cannot unpack .docx: {e})"))?;
    if xml.len() as u64 > MAX_XML {
        return Err("docx 正文超过 128 MiB (document text larger than 128 MiB)".into());
    }
    Ok(xml)
}

/// The `w:val` attribute of an element, as a number.
fn val(e: &BytesStart<'_>) -> Option<u32> {
    let a = e.try_get_attribute("w:val").ok()??;
    std::str::from_utf8(&a.value).ok()?.trim().parse().ok()
}

/// A numeric attribute of an element.
fn num_attr(e: &BytesStart<'_>, name: &str) -> Option<u32> {
    let a = e.try_get_attribute(name).ok()??;
    std::str::from_utf8(&a.value).ok()?.trim().parse().ok()
}

/// How one level of a list is numbered.
#[derive(Debug, Clone, Default)]
struct Level {
    /// The first number.
    start: u32,
    /// `w:numFmt`: `decimal`, `chineseCounting`, `bullet` …
    format: String,
    /// `w:lvlText`: the label, `%1` standing for level 1's number (`%1、`, `（%1）`).
    text: String,
}

/// The lists of a document (`word/numbering.xml`) and the numbers given so far.
#[derive(Debug, Default)]
struct Numbering {
    /// List instance (`w:numId`) → its definition (`w:abstractNumId`).
    nums: HashMap<u32, u32>,
    /// Definition → its levels, by `w:ilvl`.
    abstracts: HashMap<u32, Vec<Level>>,
    /// List instance → the current number at each level, if started.
    counters: HashMap<u32, [Option<u32>; 9]>,
}

impl Numbering {
    /// Reads `word/numbering.xml`; what cannot be read is left out.
    fn parse(xml: &str) -> Numbering {
        let mut n = Numbering::default();
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        let mut abs: Option<(u32, Vec<Level>)> = None;
        let mut lvl: Option<usize> = None;
        let mut num: Option<u32> = None;
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    b"w:abstractNum" => {
                        abs = num_attr(&e, "w:abstractNumId").map(|id| (id, Vec::new()));
                    }
                    b"w:lvl" if num.is_none() => {
                        lvl = num_attr(&e, "w:ilvl")
                            .map(|l| l as usize)
                            .filter(|&l| l < 9);
                        if let (Some((_, levels)), Some(l)) = (abs.as_mut(), lvl) {
                            if levels.len() <= l {
                                levels.resize(l + 1, Level::default());
                            }
                            levels[l].start = 1;
                        }
                    }
                    b"w:start" | b"w:numFmt" | b"w:lvlText" if num.is_none() => {
                        let Some(level) = abs
                            .as_mut()
                            .zip(lvl)
                            .and_then(|((_, levels), l)| levels.get_mut(l))
                        else {
                            continue;
                        };
                        let Ok(Some(a)) = e.try_get_attribute("w:val") else {
                            continue;
                        };
                        let v = String::from_utf8_lossy(&a.value).into_owned();
                        match e.name().as_ref() {
                            b"w:start" => level.start = v.trim().parse().unwrap_or(1),
                            b"w:numFmt" => level.format = v,
                            _ => level.text = v,
                        }
                    }
                    b"w:num" => num = num_attr(&e, "w:numId"),
                    b"w:abstractNumId" => {
                        if let (Some(id), Some(a)) = (num, val(&e)) {
                            n.nums.insert(id, a);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.name().as_ref() {
                    b"w:abstractNum" => {
                        if let Some((id, levels)) = abs.take() {
                            n.abstracts.insert(id, levels);
                        }
                    }
                    b"w:lvl" => lvl = None,
                    b"w:num" => num = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        n
    }

    /// The label of the next paragraph of list `num_id` at level `ilvl` (`二、`),
    /// counting it; `None` for bullets, unnumbered levels and unknown lists.
    fn next_label(&mut self, num_id: u32, ilvl: usize) -> Option<String> {
        let levels = self.abstracts.get(self.nums.get(&num_id)?)?;
        let level = levels.get(ilvl)?;
        let counters = self.counters.entry(num_id).or_insert([None; 9]);
        counters[ilvl] = Some(counters[ilvl].map_or(level.start, |c| c.saturating_add(1)));
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        if matches!(level.format.as_str(), "bullet" | "none") || level.text.is_empty() {
            return None;
        }
        let mut label = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match digit {
                Some(d @ 1..=9) if c == '%' => {
                    chars.next();
                    let l = d as usize - 1;
                    let lv = levels.get(l);
                    let n = counters[l].or(lv.map(|lv| lv.start)).unwrap_or(1);
                    label.push_str(&format_number(n, lv.map_or("decimal", |lv| &lv.format)));
                }
                _ => label.push(c),
            }
        }
        Some(label)
    }
}

/// A list number written in a `w:numFmt` style.
fn format_number(n: u32, format: &str) -> String {
    const CIRCLED: [char; 20] = [
        '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱',
        '⑲', '⑳',
    ];
    const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    let nth = |set: &[char]| {
        (n as usize)
            .checked_sub(1)
            .and_then(|i| set.get(i))
            .map(|c| c.to_string())
    };
    let formatted = match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "ideographDigital"
        | "chineseLegalSimplified" => chinese_number(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => nth(&CIRCLED),
        "ideographTraditional" => nth(&STEMS),
        "decimalZero" => Some(format!("{n:02}")),
        "decimalFullWidth" | "decimalFullWidth2" => Some(
            n.to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                .collect(),
        ),
        "upperLetter" | "lowerLetter" => (1..=26).contains(&n).then(|| {
            let c = (b'A' + (n - 1) as u8) as char;
            if format == "lowerLetter" {
                c.to_ascii_lowercase().to_string()
            } else {
                c.to_string()
            }
        }),
        "upperRoman" | "lowerRoman" => {
            let r = roman(n);
            Some(if format == "lowerRoman" {
                r.to_ascii_lowercase()
            } else {
                r
            })
        }
        _ => None,
    };
    formatted.unwrap_or_else(|| n.to_string())
}

/// 1–99 in Chinese numerals (一 … 十一 … 九十九); larger numbers stay decimal.
fn chinese_number(n: u32) -> Option<String> {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    match n {
        0 => Some(DIGITS[0].into()),
        1..=9 => Some(DIGITS[ones].into()),
        10..=99 => {
            let mut s = String::new();
            if tens > 1 {
                s.push_str(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push_str(DIGITS[ones]);
            }
            Some(s)
        }
        _ => None,
    }
}

/// A number in Roman numerals (1–3999; others decimal).
fn roman(mut n: u32) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Where the reader is inside the body of `word/document.xml`.
#[derive(Default)]
struct State {
    /// Finished lines.
    lines: Vec<String>,
    /// Text of the paragraph being read.
    para: String,
    /// Inside `<w:t>`: its text is document text.
    in_text: bool,
    /// Depth of nested `<mc:Fallback>`: a copy of content already read from `<mc:Choice>`.
    fallback: usize,
    /// Depth of nested tables.
    tables: usize,
    /// Cells of the outermost table's current row.
    row: Option<Vec<String>>,
    /// Text of the outermost table's current cell, and how many grid columns it spans.
    cell: Option<(String, usize)>,
    /// The document's lists.
    numbering: Numbering,
    /// The list (`w:numId`) and level (`w:ilvl`) of the paragraph being read.
    num_id: Option<u32>,
    ilvl: usize,
    /// Depth of nested `<w:pPrChange>`: formatting before a tracked change, not in force.
    ppr_change: usize,
}

impl State {
    fn push_text(&mut self, s: &str) {
        if !self.in_text || self.fallback > 0 {
            return;
        }
        // Tabs separate table cells only; line breaks are w:br elements.
        for c in s.chars() {
            self.para.push(if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            });
        }
    }

    fn end_paragraph(&mut self) {
        let mut text = std::mem::take(&mut self.para);
        let (num_id, ilvl) = (self.num_id.take(), std::mem::take(&mut self.ilvl));
        if let Some(label) = num_id.and_then(|id| self.numbering.next_label(id, ilvl)) {
            if !text.trim().is_empty() {
                // `一、` and `（一）` join the text; `1.` and `1)` take a space.
                let space = label
                    .ends_with(|c: char| c.is_ascii_punctuation() || c.is_ascii_alphanumeric());
                let sep = if space { " " } else { "" };
                text = format!("{label}{sep}{}", text.trim_start());
            }
        }
        let text = text.trim_end();
        if let Some((cell, _)) = self.cell.as_mut() {
            if !text.trim().is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text.trim());
            }
        } else if !text.trim().is_empty() {
            self.lines.push(text.to_string());
        }
    }

    fn end_cell(&mut self) {
        if !self.para.is_empty() {
            self.end_paragraph();
        }
        if let (Some((cell, span)), Some(row)) = (self.cell.take(), self.row.as_mut()) {
            row.push(cell);
            row.extend(std::iter::repeat_n(String::new(), span.saturating_sub(1)));
        }
    }

    fn end_row(&mut self) {
        if self.cell.is_some() {
            self.end_cell();
        }
        if let Some(row) = self.row.take() {
            if row.iter().any(|c| !c.is_empty()) {
                self.lines.push(row.join("\t"));
            }
        }
    }
}

/// The text of `word/document.xml`.
fn document_text(xml: &str, numbering: Numbering) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut st = State {
        numbering,
        ..State::default()
    };
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) if st.lines.is_empty() && st.para.is_empty() => {
                return Err(format!(
                    "无法解析 .docx 正文 (cannot parse .docx document.xml: {e})"
                ));
            }
            // A damaged end: keep what was read.
            Err(_) => break,
        };
        match event {
            Event::Start(e) => match e.name().as_ref() {
                b"w:t" => st.in_text = true,
                b"mc:Fallback" => st.fallback += 1,
                b"w:pPrChange" => st.ppr_change += 1,
                b"w:tbl" => st.tables += 1,
                b"w:tr" if st.tables == 1 => {
                    st.end_row();
                    st.row = Some(Vec::new());
                }
                b"w:tc" if st.tables == 1 => {
                    if st.cell.is_some() {
                        st.end_cell();
                    }
                    st.cell = Some((String::new(), 1));
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"w:tab" | b"w:br" | b"w:cr" if st.fallback == 0 => {
                    if st.cell.is_some() || e.name().as_ref() == b"w:tab" {
                        st.para.push(' ');
                    } else {
                        st.end_paragraph();
                    }
                }
                b"w:p" => st.end_paragraph(),
                b"w:numId" if st.ppr_change == 0 && st.fallback == 0 => {
                    st.num_id = val(&e).filter(|&id| id != 0);
                }
                b"w:ilvl" if st.ppr_change == 0 && st.fallback == 0 => {
                    st.ilvl = val(&e).map_or(0, |l| l as usize).min(8);
                }
                b"w:gridSpan" if st.tables == 1 => {
                    let span = e
                        .try_get_attribute("w:val")
                        .ok()
                        .flatten()
                        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<usize>().ok())
                        .unwrap_or(1);
                    if let Some((_, s)) = st.cell.as_mut() {
                        *s = span.clamp(1, 64);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => st.in_text = false,
                b"mc:Fallback" => st.fallback = st.fallback.saturating_sub(1),
                b"w:pPrChange" => st.ppr_change = st.ppr_change.saturating_sub(1),
                b"w:p" => st.end_paragraph(),
                b"w:tc" if st.tables == 1 => st.end_cell(),
                b"w:tr" if st.tables == 1 => st.end_row(),
                b"w:tbl" => {
                    if st.tables == 1 {
                        st.end_row();
                    }
                    st.tables = st.tables.saturating_sub(1);
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Ok(s) = t.decode() {
                    st.push_text(&s);
                }
            }
            Event::CData(t) => {
                if let Ok(s) = t.decode() {
                    st.push_text(&s);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r as &[u8] {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    st.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    st.end_row();
    st.end_paragraph();
    Ok(st.lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_tables() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>一、整改</w:t></w:r><w:r><w:t xml:space="preserve">情况 &amp; 进展</w:t></w:r></w:p>
<w:p/>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>问题</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>措施</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>学习</w:t></w:r></w:p><w:p><w:r><w:t>不够</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>加强</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>二是</w:t><w:br/><w:t>三是</w:t></w:r></w:p>
<w:p><mc:AlternateContent><mc:Choice><w:t>框</w:t></mc:Choice><mc:Fallback><w:t>框</w:t></mc:Fallback></mc:AlternateContent></w:p>
</w:body></w:document>"#;
        assert_eq!(
            document_text(xml, Numbering::default()).unwrap(),
            "一、整改情况 & 进展\n序号\t问题\t\t措施\n1\t学习 不够\t\t加强\n二是\n三是\n框"
        );
    }

    #[test]
    fn list_numbers() {
        let numbering = r#"<w:numbering xmlns:w="x">
<w:abstractNum w:abstractNumId="7">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
<w:lvl w:ilvl="3"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:lvlText w:val="X"/></w:lvl></w:lvlOverride></w:num>
</w:numbering>"#;
        let p = |lvl: u32, text: &str| {
            format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
        };
        let body = [
            p(0, "加强党的领导"),
            p(1, "学习不够"),
            p(1, "责任不实"),
            p(2, "制定计划"),
            p(3, "要点"),
            p(0, "严肃纪律"),
            p(1, "接待超标"),
            "<w:p><w:pPr><w:pPrChange><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>正文</w:t></w:r></w:p>".to_string(),
        ]
        .concat();
        let xml = format!("<w:document xmlns:w=\"x\"><w:body>{body}</w:body></w:document>");
        assert_eq!(
            document_text(&xml, Numbering::parse(numbering)).unwrap(),
            "一、加强党的领导\n（一）学习不够\n（二）责任不实\n1. 制定计划\n要点\n二、严肃纪律\n（一）接待超标\n正文"
        );
    }

    #[test]
    fn number_formats() {
        let f = format_number;
        assert_eq!(
            [1, 10, 11, 20, 21, 99, 100].map(|n| f(n, "chineseCounting")),
            ["一", "十", "十一", "二十", "二十一", "九十九", "100"]
        );
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(21, "decimalEnclosedCircle"), "21");
        assert_eq!(f(2, "ideographTraditional"), "乙");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(3, "lowerLetter"), "c");
        assert_eq!(f(14, "upperRoman"), "XIV");
        assert_eq!(f(7, "decimalZero"), "07");
    }
}
