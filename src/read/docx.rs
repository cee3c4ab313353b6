//! The text of a Word document (`.docx`): paragraphs become lines, each row of a
//! table one line with its cells separated by tabs.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

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
    let mut xml = String::new();
    {
        let entry = zip.by_name("word/document.xml").map_err(|_| {
            "不是有效的 .docx 文件，缺少 word/document.xml (not a valid .docx: no word/document.xml)"
                .to_string()
        })?;
        entry
            .take(MAX_XML + 1)
            .read_to_string(&mut xml)
            .map_err(|e| format!("无法解压 .docx 文件 (cannot unpack .docx: {e})"))?;
    }
    if xml.len() as u64 > MAX_XML {
        return Err("docx 正文超过 128 MiB (document text larger than 128 MiB)".into());
    }
    document_text(&xml)
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
        let text = std::mem::take(&mut self.para);
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
fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut st = State::default();
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
            document_text(xml).unwrap(),
            "一、整改情况 & 进展\n序号\t问题\t\t措施\n1\t学习 不够\t\t加强\n二是\n三是\n框"
        );
    }
}
