//! Reading files as users collect them: encodings, line endings, HTML, `.docx`, PDF,
//! unsupported and binary files.

use std::io::Write;
use std::path::{Path, PathBuf};

use encoding_rs::{BIG5, GB18030, GBK, UTF_16BE, UTF_16LE};
use proptest::prelude::*;
use zhenggai::error::Error;
use zhenggai::read::{self, decode_bytes, format_of, html_to_text, read_file, Format};

const NOTICE: &str = "关于巡察整改进展情况的通报\n\
一、提高政治站位，加强党的领导\n\
（一）学习贯彻不够深入。整改情况：已制定学习计划，召开专题会议3次。\n\
（二）落实主体责任不到位。整改情况：已完成整改，建立长效机制。\n\
二、加强作风建设，严肃财经纪律\n\
（三）公务接待管理不规范。整改情况：已修订制度，退回违规资金12.5万元。\n";

/// A file in a fresh temporary directory holding `bytes`.
fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    (dir, path)
}

/// Reads `bytes` as a file named `name` from disk.
fn read(name: &str, bytes: &[u8]) -> read::SourceText {
    let (_dir, path) = file(name, bytes);
    read_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The error reading `bytes` as `name`; checks it is a BadFile naming the file.
fn error(name: &str, bytes: &[u8]) -> String {
    let (_dir, path) = file(name, bytes);
    let e = read_file(&path).expect_err("should fail");
    assert!(matches!(e, Error::BadFile { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "message does not name the file: {msg}"
    );
    msg
}

/// Line endings made `\n`, as the reader does.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn utf8_with_three_bad_bytes_stays_utf8() {
    let (head, tail) = NOTICE.split_at(NOTICE.find("召开").expect("in notice"));
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFF, 0xC3, 0x28]);
    bytes.extend_from_slice(tail.as_bytes());
    let t = read("a.txt", &bytes);
    // 0xFF is one bad byte, 0xC3 a lead byte without its continuation; `(` stays.
    assert_eq!(t.text, format!("{head}\u{FFFD}\u{FFFD}({tail}"));
    assert_eq!(t.encoding, "UTF-8");
    assert!(t.lossy && !t.guessed);
    let w = t.warnings.join("\n");
    assert!(w.contains("UTF-8") && w.contains("U+FFFD"), "{w}");
    assert!(w.contains("第 3 行") && w.contains("line 3"), "{w}");

    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFD, 0xFE, 0xFF]);
    bytes.extend_from_slice(tail.as_bytes());
    let t = read("a.txt", &bytes);
    assert_eq!(t.text, format!("{head}\u{FFFD}\u{FFFD}\u{FFFD}{tail}"));
    assert_eq!(t.encoding, "UTF-8");
}

#[test]
fn utf8_cut_in_a_character_stays_utf8() {
    let mut bytes = NOTICE.trim_end().as_bytes().to_vec();
    bytes.extend_from_slice(&"改".as_bytes()[..2]);
    let t = read("cut.txt", &bytes);
    assert_eq!(t.text, format!("{}\u{FFFD}", NOTICE.trim_end()));
    assert_eq!(t.encoding, "UTF-8");
    assert!(t.lossy);
    let w = t.warnings.join("\n");
    assert!(w.contains("截断") && w.contains("line 6"), "{w}");
}

#[test]
fn gbk_and_gb18030_are_guessed_and_said_so() {
    let (gbk, _, unmappable) = GBK.encode(NOTICE);
    assert!(!unmappable);
    let t = read("gbk.txt", &gbk);
    assert_eq!(t.text, NOTICE);
    assert_eq!(t.encoding, "GB18030");
    assert!(t.guessed && !t.lossy);
    assert!(
        t.warnings.iter().any(|w| w.contains("GB18030")),
        "{:?}",
        t.warnings
    );

    // Characters outside GBK take GB18030's four-byte sequences.
    let text = format!("{NOTICE}（四）生僻字㐀䶮、欧元符号€与𠀀的整改。\n");
    let (bytes, _, unmappable) = GB18030.encode(&text);
    assert!(!unmappable);
    let t = read("gb18030.txt", &bytes);
    assert_eq!(t.text, text);
    assert_eq!(t.encoding, "GB18030");
}

#[test]
fn big5_is_detected_as_big5() {
    let text = "關於巡察整改進展情況的通報\n一、提高政治站位，加強黨的領導\n（一）學習貫徹不夠深入。整改情況：已制定學習計劃，召開專題會議。\n（二）落實主體責任不到位。整改情況：已完成整改，建立長效機制。\n";
    let (bytes, _, unmappable) = BIG5.encode(text);
    assert!(!unmappable);
    let t = read("big5.txt", &bytes);
    assert_eq!(t.encoding, "Big5");
    assert_eq!(t.text, text);
    assert!(t.guessed);
    assert!(
        t.warnings.iter().any(|w| w.contains("Big5")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn utf16_with_and_without_bom() {
    for le in [true, false] {
        for bom in [true, false] {
            let t = read("u16.txt", &utf16(NOTICE, le, bom));
            assert_eq!(t.text, NOTICE, "le={le} bom={bom}");
            assert_eq!(t.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
            assert_eq!(t.guessed, !bom);
        }
    }
    // CJK only, no ASCII at all: no NUL bytes, still UTF-16.
    let text = "巡察整改进展情况通报二是加强学习三是完善制度四是严肃纪律不折不扣";
    for le in [true, false] {
        let t = read("u16.txt", &utf16(text, le, false));
        assert_eq!(t.text, text);
    }
    // CRLF in UTF-16 is normalized after decoding (0x0D may be half of a character:
    // U+4E0D 不 is 0D 4E in UTF-16LE).
    let t = read("u16.txt", &utf16("不是\r\n不\r不\n", true, true));
    assert_eq!(t.text, "不是\n不\n不\n");
}

#[test]
fn latin_text_with_a_stray_byte_is_not_utf16() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252
        .encode("The caf\u{e9} is open, and the rectification notice was published.\r\n");
    let t = read("latin.txt", &bytes);
    assert_eq!(
        t.text,
        "The caf\u{e9} is open, and the rectification notice was published.\n"
    );
    assert!(t.guessed);
}

#[test]
fn cr_only_and_mixed_line_endings() {
    let t = read("cr.txt", "第一行\r第二行\r第三行\r".as_bytes());
    assert_eq!(
        t.text.lines().collect::<Vec<_>>(),
        ["第一行", "第二行", "第三行"]
    );
    let t = read("mixed.txt", "一\r\n二\r三\n\r\n五\r\r七".as_bytes());
    assert_eq!(t.text, "一\n二\n三\n\n五\n\n七");
    // The same in GBK.
    let (gbk, _, _) = GBK.encode("整改情况一\r整改情况二\r\n整改情况三\n整改完成");
    let t = read("cr-gbk.txt", &gbk);
    assert_eq!(t.text, "整改情况一\n整改情况二\n整改情况三\n整改完成");
}

#[test]
fn cr_only_notice_parses_like_lf() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_3089e93c6afc7ecc.txt");
    let lf_text = read_file(&path).expect("seed").text;
    let lf_notice = zhenggai::parse::parse("n.txt", &lf_text);
    assert!(!lf_notice.problems.is_empty() || !lf_notice.paragraphs.is_empty());
    for ending in ["\r", "\r\n"] {
        let bytes = lf_text.replace('\n', ending);
        let t = read("n.txt", bytes.as_bytes());
        assert_eq!(t.text, lf_text);
        let n = zhenggai::parse::parse("n.txt", &t.text);
        assert_eq!(n.problems.len(), lf_notice.problems.len());
        assert_eq!(n.paragraphs.len(), lf_notice.paragraphs.len());
    }
}

#[test]
fn html_meta_charset_is_respected() {
    let page = "<html><head><meta charset=\"gbk\"><title>通报</title></head><body><p>整改情况：已完成。</p><p>加强党的领导</p></body></html>";
    let (bytes, _, _) = GBK.encode(page);
    let t = read("page.html", &bytes);
    assert_eq!(t.text, "整改情况：已完成。\n加强党的领导");
    assert_eq!(t.encoding, "GB18030");
    assert!(!t.guessed && t.html);

    let page = "<!DOCTYPE html>\r\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><body><p>整改情況</p></body></html>";
    let (bytes, _, _) = BIG5.encode(page);
    let t = read("page.htm", &bytes);
    assert_eq!(t.text, "整改情況");
    assert_eq!(t.encoding, "Big5");
    assert!(!t.guessed);

    // A page saved as UTF-8 that still declares gbk is UTF-8.
    let page = "<html><head><meta charset=\"gbk\"></head><body><p>整改情况</p></body></html>";
    let t = read("saved.html", page.as_bytes());
    assert_eq!(t.text, "整改情况");
    assert_eq!(t.encoding, "UTF-8");
}

#[test]
fn html_tables_become_tab_rows() {
    let page = r#"<html><body><p>一、整改落实情况</p>
<table border="1">
  <tr><th>序号</th><th>问题</th><th>整改措施</th><th>责任单位</th><th>完成时限</th><th>整改情况</th></tr>
  <tr>
    <td>1</td>
    <td><p>理论学习</p><p>不够深入</p></td>
    <td>制定学习计划&nbsp;</td>
    <td>办公室</td>
    <td>2024年6月</td>
    <td>已完成</td>
  </tr>
  <TR><TD></TD><TD>制度不健全</TD><TD>修订制度</TD><TD>财务科</TD><TD>长期坚持</TD><TD>持续推进</TD></TR>
</table>
<p>二、下一步工作</p></body></html>"#;
    let t = read("table.html", page.as_bytes());
    assert_eq!(
        t.text.lines().collect::<Vec<_>>(),
        [
            "一、整改落实情况",
            "序号\t问题\t整改措施\t责任单位\t完成时限\t整改情况",
            "1\t理论学习 不够深入\t制定学习计划\t办公室\t2024年6月\t已完成",
            "\t制度不健全\t修订制度\t财务科\t长期坚持\t持续推进",
            "二、下一步工作",
        ]
    );
    // Tabs in the text are not cell separators.
    assert_eq!(html_to_text("<p>一是\t加强</p>"), "一是 加强");
}

/// A minimal `.docx`: `[Content_Types].xml` and `word/document.xml` with `body`.
fn docx(body: &str) -> Vec<u8> {
    docx_with(body, None)
}

/// A minimal `.docx`, with `word/numbering.xml` when given.
fn docx_with(body: &str, numbering: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", opts).expect("zip");
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
    zip.start_file("word/document.xml", opts).expect("zip");
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip.write_all(xml.as_bytes()).expect("zip");
    if let Some(numbering) = numbering {
        zip.start_file("word/numbering.xml", opts).expect("zip");
        zip.write_all(numbering.as_bytes()).expect("zip");
    }
    zip.finish().expect("zip").into_inner()
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn row(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!("<w:tc><w:tcPr/>{}</w:tc>", para(c)))
        .collect();
    format!("<w:tr>{cells}</w:tr>")
}

#[test]
fn docx_paragraphs_and_table_rows() {
    let body = format!(
        "{}{}<w:tbl>{}{}</w:tbl>{}",
        para("关于巡察整改进展情况的通报"),
        "<w:p><w:r><w:t>一、整改</w:t></w:r><w:r><w:t>落实情况 &amp; 进展</w:t></w:r></w:p>",
        row(&[
            "序号",
            "问题",
            "整改措施",
            "责任单位",
            "完成时限",
            "整改情况"
        ]),
        row(&[
            "1",
            "学习不够深入",
            "制定计划",
            "办公室",
            "2024年6月",
            "已完成"
        ]),
        para("二、下一步工作"),
    );
    let t = read("notice.docx", &docx(&body));
    assert_eq!(t.format, Format::Docx);
    assert_eq!(
        t.text.lines().collect::<Vec<_>>(),
        [
            "关于巡察整改进展情况的通报",
            "一、整改落实情况 & 进展",
            "序号\t问题\t整改措施\t责任单位\t完成时限\t整改情况",
            "1\t学习不够深入\t制定计划\t办公室\t2024年6月\t已完成",
            "二、下一步工作",
        ]
    );
}

#[test]
fn docx_list_numbers_are_text() {
    let numbering = r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
    let p = |lvl: u32, text: &str| {
        format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
    };
    let body = [
        p(0, "提高政治站位"),
        p(1, "学习贯彻不够深入"),
        p(1, "落实主体责任不到位"),
        p(0, "加强作风建设"),
    ]
    .concat();
    let t = read("numbered.docx", &docx_with(&body, Some(numbering)));
    assert_eq!(
        t.text,
        "一、提高政治站位\n（一）学习贯彻不够深入\n（二）落实主体责任不到位\n二、加强作风建设"
    );
}

#[test]
fn broken_docx_is_a_bad_file() {
    let msg = error("broken.docx", b"PK\x03\x04 not really a zip");
    assert!(msg.contains("docx"), "{msg}");
    let msg = error(
        "old.docx",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
    );
    assert!(msg.contains(".doc"), "{msg}");
}

/// A one-page PDF whose page content stream is `content`, with the font `F1`
/// (Helvetica) and `F2` (a CID font whose ToUnicode map gives CIDs 1–4 as 整改完成).
fn pdf(content: &str) -> Vec<u8> {
    let cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n4 beginbfchar\n<0001> <6574>\n<0002> <6539>\n<0003> <5B8C>\n<0004> <6210>\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>".to_string(),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 9 0 R /DW 1000 >>".to_string(),
        format!("<< /Length {} >>\nstream\n{cmap}\nendstream", cmap.len() + 1),
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 860] /ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn pdf_text_layer_is_read() {
    let t = read(
        "notice.pdf",
        &pdf("BT /F1 12 Tf 72 720 Td (Rectification notice) Tj 0 -20 Td (Measures completed) Tj ET\nBT /F2 12 Tf 72 680 Td <0001000200030004> Tj ET"),
    );
    assert_eq!(t.format, Format::Pdf);
    assert!(t.text.contains("Rectification notice"), "{:?}", t.text);
    assert!(t.text.contains("Measures completed"), "{:?}", t.text);
    assert!(t.text.contains("整改完成"), "{:?}", t.text);
}

#[test]
fn pdf_without_text_is_scanned() {
    let msg = error("scan.pdf", &pdf("0 0 1 rg 72 72 200 200 re f"));
    assert!(
        msg.contains("扫描版 PDF") && msg.contains("scanned PDF"),
        "{msg}"
    );
}

#[test]
fn broken_pdf_is_a_bad_file() {
    let msg = error(
        "broken.pdf",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF",
    );
    assert!(msg.contains("PDF"), "{msg}");
    let msg = error("not.pdf", "整改情况".as_bytes());
    assert!(msg.contains("PDF"), "{msg}");
    // A font encoding pdf-extract does not know (same length, offsets unchanged).
    let bytes = pdf("BT /F2 12 Tf 72 680 Td <0001000200030004> Tj ET");
    let bytes = String::from_utf8(bytes)
        .expect("ASCII")
        .replace("/Identity-H", "/GBK-EUC-H ");
    let msg = error("gbk-font.pdf", bytes.as_bytes());
    assert!(msg.contains("unsupported encoding GBK-EUC-H"), "{msg}");
}

#[test]
fn unsupported_formats_are_refused() {
    let msg = error("old.doc", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    assert!(
        msg.contains("不支持 .doc 格式") && msg.contains("unsupported format .doc"),
        "{msg}"
    );
    let msg = error("a.WPS", b"x");
    assert!(msg.contains(".wps"), "{msg}");
    assert_eq!(format_of(Path::new("a.DOC")), Some(Format::Unsupported));
    assert_eq!(format_of(Path::new("a.json")), None);
    assert_eq!(format_of(Path::new("a.png")), None);
    assert_eq!(format_of(Path::new("a.Md")), Some(Format::Text));
    assert_eq!(format_of(Path::new("a.HTM")), Some(Format::Html));
}

#[test]
fn renamed_attachments_are_read_by_content() {
    let body = para("整改情况：已完成");
    let t = read("attachment.txt", &docx(&body));
    assert_eq!(
        (t.text.as_str(), t.format),
        ("整改情况：已完成", Format::Docx)
    );
}

/// Bytes from a fixed linear congruential sequence, none of them 0.
fn noise(n: usize) -> Vec<u8> {
    let mut x: u32 = 12345;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((x >> 16) % 255) as u8 + 1
        })
        .collect()
}

#[test]
fn binary_without_nul_is_refused() {
    let msg = error("noise.txt", &noise(4096));
    assert!(msg.contains("二进制") && msg.contains("binary"), "{msg}");
    let msg = error("noise.html", &noise(4096));
    assert!(msg.contains("binary"), "{msg}");
    // With NUL bytes, not UTF-16.
    let mut bytes = noise(4096);
    bytes[100] = 0;
    let msg = error("nul.txt", &bytes);
    assert!(msg.contains("binary"), "{msg}");
    // Without control characters either: what any single-byte encoding would decode.
    let high: Vec<u8> = noise(4096).into_iter().map(|b| b | 0x80).collect();
    let msg = error("high.txt", &high);
    assert!(msg.contains("binary"), "{msg}");
    let printable: Vec<u8> = noise(4096).into_iter().map(|b| b.max(0x20)).collect();
    let msg = error("printable.txt", &printable);
    assert!(msg.contains("binary"), "{msg}");
    // Cyrillic and Latin text in single-byte encodings is text.
    let ru = "Проверка выполнения рекомендаций комиссии завершена успешно. ".repeat(20);
    let ru = encoding_rs::WINDOWS_1251.encode(&ru).0.into_owned();
    assert_eq!(read("ru.txt", &ru).encoding, "windows-1251");
    let fr = "« Le comité a vérifié l’exécution des mesures » — été 2024. ".repeat(20);
    let fr = encoding_rs::WINDOWS_1252.encode(&fr).0.into_owned();
    assert_eq!(read("fr.txt", &fr).encoding, "windows-1252");
    // A few stray control characters in text are dropped, not called binary.
    let t = read("ctl.txt", "整改\u{1b}情况\u{7}完成".as_bytes());
    assert_eq!(t.text, "整改情况完成");
}

#[test]
fn empty_and_unreadable_files_name_the_file() {
    let msg = error("empty.txt", b" \r\n\r ");
    assert!(msg.contains("no text"), "{msg}");
    let e = read_file(Path::new("/nonexistent/zhenggai/x.txt")).expect_err("missing");
    assert!(e.to_string().contains("/nonexistent/zhenggai/x.txt"));
}

#[test]
fn large_files_are_read_in_linear_time() {
    // 32 MB of UTF-8 with a bad byte every 64 KiB, and its GBK version.
    let line = "（一）学习贯彻不够深入。整改情况：已制定学习计划，召开专题会议3次。\n";
    let mut bytes = Vec::with_capacity(32 << 20);
    while bytes.len() < 32 << 20 {
        bytes.extend_from_slice(line.as_bytes());
        if bytes.len() % (64 << 10) < line.len() {
            bytes.push(0xFF);
        }
    }
    let start = std::time::Instant::now();
    let t = read::decode_vec(Path::new("big.txt"), bytes).expect("big");
    assert_eq!(t.encoding, "UTF-8");
    assert!(t.lossy);
    let gbk = GBK.encode(line).0.repeat((32 << 20) / line.len());
    let t = read::decode_vec(Path::new("big-gbk.txt"), gbk).expect("big gbk");
    assert_eq!(t.encoding, "GB18030");
    // Many scripts and tables: each is skipped or closed once, not searched for anew.
    let page = "<script>x()</script><p>整改</p><table><tr><td>1</td><td>问题</td></tr></table>"
        .repeat(100_000);
    let text = html_to_text(&page);
    assert_eq!(text.lines().count(), 200_000);
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn encodings_are_reported_by_name() {
    let t = read("u16le.txt", &utf16("整改", true, true));
    assert_eq!(t.encoding, UTF_16LE.name());
    let t = read("u16be.txt", &utf16("整改", false, true));
    assert_eq!(t.encoding, UTF_16BE.name());
    let t = read("bom.txt", "\u{feff}整改\r\n".as_bytes());
    assert_eq!(
        (t.text.as_str(), t.encoding, t.guessed),
        ("整改\n", "UTF-8", false)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        ext in prop::sample::select(vec!["txt", "html", "docx", "pdf", "doc", "json", ""]),
    ) {
        let path = PathBuf::from(format!("f.{ext}"));
        let _ = decode_bytes(&path, &bytes);
        let _ = read::decode_vec(&path, bytes);
    }

    #[test]
    fn arbitrary_pdf_and_zip_prefixes_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..1024),
        prefix in prop::sample::select(vec![&b"%PDF-1.4\n"[..], &b"PK\x03\x04"[..], &b"\xFF\xFE"[..], &b"\xEF\xBB\xBF"[..]]),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend_from_slice(&tail);
        for name in ["f.pdf", "f.docx", "f.txt"] {
            let _ = decode_bytes(Path::new(name), &bytes);
        }
    }

    #[test]
    fn html_to_text_never_panics(s in "(<[a-zA-Z/!]{0,8}[^>]{0,10}>?|&[a-z#0-9]{0,6};?|\\PC|\r|\n|\t){0,200}") {
        let _ = html_to_text(&s);
    }

    #[test]
    fn valid_utf8_round_trips(
        s in "(\\PC|\\PC|\\PC|\\PC|\\PC|\\PC|\\PC|\\PC|\r|\n|\r\n|\t|[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\u{80}-\\u{9F}]){1,300}",
    ) {
        prop_assume!(!s.trim_start().starts_with('<') && !s.starts_with("%PDF-"));
        // Line endings made `\n`, form feeds too, other control characters dropped.
        let stray = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
        let expected: String = lf(&s)
            .chars()
            .map(|c| if c == '\u{c}' { '\n' } else { c })
            .filter(|&c| !stray(c))
            .collect();
        match decode_bytes(Path::new("a.txt"), s.as_bytes()) {
            Ok(t) => {
                prop_assert_eq!(t.text, expected);
                prop_assert_eq!(t.encoding, "UTF-8");
                prop_assert!(!t.lossy && !t.guessed && t.warnings.is_empty());
            }
            Err(_) => {
                // Blank, or so many control characters that it is binary.
                let n = lf(&s).chars().count();
                let controls = lf(&s).chars().filter(|&c| stray(c) && c != '\u{c}').count();
                prop_assert!(expected.trim().is_empty() || (controls >= 16 && controls * 20 > n));
            }
        }
    }
}

#[test]
fn layout_tables_keep_their_paragraphs() {
    // The whole article inside a layout table, the data table nested in it.
    let page = r#"<html><body><table width="100%"><tr><td class="nav">首页</td></tr>
<tr><td>
<p>关于巡察整改进展情况的通报</p>
<p>一、整改落实情况</p>
<table><tr><td>序号</td><td>问题</td><td>整改情况</td></tr><tr><td>1</td><td>学习不够</td><td>已完成</td></tr></table>
<p>二、下一步工作</p>
</td></tr></table></body></html>"#;
    assert_eq!(
        html_to_text(page).lines().collect::<Vec<_>>(),
        [
            "首页",
            "关于巡察整改进展情况的通报",
            "一、整改落实情况",
            "序号\t问题\t整改情况",
            "1\t学习不够\t已完成",
            "二、下一步工作",
        ]
    );
    // A heading row spanning the table is a line of its own.
    let t = html_to_text("<table><tr><td colspan=3>一、政治建设方面</td></tr><tr><td>1</td><td>问题</td><td>措施</td></tr></table>");
    assert_eq!(t, "一、政治建设方面\n1\t问题\t措施");
    // Cells without end tags, and deep nesting, are read.
    let t = html_to_text("<table><tr><td>1<td>问题<tr><td>2<td>措施</table>");
    assert_eq!(t, "1\t问题\n2\t措施");
    let deep = format!(
        "{}整改{}",
        "<table><tr><td>".repeat(100),
        "</td></tr></table>".repeat(100)
    );
    assert_eq!(html_to_text(&deep), "整改");
}

#[test]
fn fixture_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/files");
    let ok = |name: &str| read_file(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let first = "关于巡察整改进展情况的通报";
    let t = ok("gbk_cr.txt");
    assert_eq!(
        (t.encoding, t.text.lines().next()),
        ("GB18030", Some(first))
    );
    assert_eq!(t.text.lines().count(), 3);
    let t = ok("big5_crlf.txt");
    assert_eq!(t.encoding, "Big5");
    assert_eq!(t.text.lines().next(), Some("關於巡察整改進展情況的通報"));
    assert_eq!(t.text.lines().count(), 3);
    for (name, enc) in [
        ("utf16le_nobom.txt", "UTF-16LE"),
        ("utf16be_bom.md", "UTF-16BE"),
    ] {
        let t = ok(name);
        assert_eq!(
            (t.encoding, t.text.lines().next()),
            (enc, Some(first)),
            "{name}"
        );
    }
    let t = ok("utf8_bad_bytes.txt");
    assert_eq!(t.encoding, "UTF-8");
    assert!(t.text.contains("\u{FFFD}\u{FFFD}\u{FFFD}整改情况"));
    let t = ok("utf8_truncated.txt");
    assert_eq!(t.encoding, "UTF-8");
    assert!(t.text.ends_with("整改。\u{FFFD}"));
    let t = ok("table_gb2312.html");
    assert_eq!(
        t.text,
        "一、整改落实情况\n序号\t问题\t整改措施\t责任单位\t完成时限\t整改情况\n1\t学习不够深入\t制定学习计划\t办公室\t2024年6月\t已完成"
    );
    let t = ok("notice.docx");
    assert_eq!(
        t.text,
        "关于巡察整改进展情况的通报\n序号\t问题\t整改情况\n1\t学习不够深入\t已完成\n二、下一步工作"
    );
    assert!(ok("text.pdf")
        .text
        .contains("Rectification progress report"));
    for (name, reason) in [
        ("scanned.pdf", "scanned PDF"),
        ("old.doc", "unsupported format .doc"),
        ("noise.txt", "binary"),
    ] {
        let path = dir.join(name);
        let msg = read_file(&path).expect_err(name).to_string();
        assert!(
            msg.contains(reason) && msg.contains(&path.display().to_string()),
            "{msg}"
        );
    }
}

#[test]
fn utf8_buffer_becomes_the_text_without_a_copy() {
    for text in [NOTICE.to_string(), NOTICE.replace('\n', "\r\n")] {
        let bytes = text.into_bytes();
        let ptr = bytes.as_ptr();
        let t = read::decode_vec(Path::new("a.txt"), bytes).expect("utf-8");
        assert_eq!(t.text, NOTICE);
        assert_eq!(t.text.as_ptr(), ptr);
    }
}
