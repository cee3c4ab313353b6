//! Reducing an HTML page to the lines of its text.

/// Elements whose content is not text: skipped with everything inside.
const SKIP: [&str; 9] = [
    "script", "style", "nav", "head", "noscript", "iframe", "svg", "select", "template",
];

/// Elements that start a new line (inside a table row: a space).
const BLOCK: [&str; 22] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "title",
    "header",
    "footer",
    "blockquote",
    "caption",
    "hr",
    "pre",
];

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Reduces an HTML page to its text: scripts, styles and navigation blocks are dropped,
/// block elements become line breaks, entities are decoded.
///
/// Each row of a data table becomes one line whose cells are separated by tabs
/// (`序号\t问题\t整改措施…`), line breaks inside a cell becoming spaces. A row that
/// is page layout rather than data (one cell with text, a cell holding a nested
/// table, or a cell holding a long article) gives its cells' lines one after the
/// other instead. Tabs in the text itself become spaces, so a tab always separates
/// two cells.
///
/// ```
/// use zhenggai::read::html_to_text;
/// let t = html_to_text("<html><nav>首页 &gt; 信息公开</nav><p>一是&ldquo;第一议题&rdquo;</p><script>x()</script><p>二是</p></html>");
/// assert_eq!(t, "一是“第一议题”\n二是");
/// let t = html_to_text("<table><tr><th>序号</th><th>问题</th></tr>\n<tr>\n <td>1</td>\n <td><p>学习</p><p>不够</p></td></tr></table>");
/// assert_eq!(t, "序号\t问题\n1\t学习 不够");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut page = Page::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        page.text(&rest[..lt]);
        rest = &rest[lt..];
        let after = rest.as_bytes().get(1).copied().unwrap_or(b' ');
        if !(after.is_ascii_alphabetic() || matches!(after, b'/' | b'!' | b'?')) {
            // A lone `<` in the text.
            page.text("<");
            rest = &rest[1..];
            continue;
        }
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let bare = tag.trim_start_matches('/');
        let len = bare
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &bare[..len];
        if !closing && is_one_of(name, &SKIP) && !tag.ends_with('/') {
            rest = skip_to_end_tag(rest, name);
            page.sink().push('\n');
            continue;
        }
        page.tag(name, closing);
    }
    page.text(rest);
    page.end_tables();
    tidy_lines(&page.out)
}

/// A table being read: the row so far.
#[derive(Default)]
struct Table {
    /// Finished cells of the current row.
    row: Vec<String>,
    /// The cell being read.
    cell: Option<String>,
    /// Whether a row is open.
    in_row: bool,
}

/// The text of a page being read, with the tables open at this point.
#[derive(Default)]
struct Page {
    out: String,
    /// Open tables, outermost first.
    tables: Vec<Table>,
    /// Open tables nested deeper than [`MAX_TABLE_DEPTH`], read as part of the last one.
    too_deep: usize,
}

impl Page {
    /// Where text goes now: the innermost open cell, or the page.
    fn sink(&mut self) -> &mut String {
        for t in self.tables.iter_mut().rev() {
            if let Some(cell) = t.cell.as_mut() {
                return cell;
            }
        }
        &mut self.out
    }

    /// Appends text with its entities decoded. Tabs become spaces; inside a cell
    /// line breaks do too (only elements break lines there).
    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let in_cell = self.tables.iter().any(|t| t.cell.is_some());
        let decoded = html_escape::decode_html_entities(text);
        let sink = self.sink();
        for c in decoded.chars() {
            sink.push(match c {
                '\t' | '\u{a0}' => ' ',
                '\n' | '\r' if in_cell => ' ',
                c => c,
            });
        }
    }

    fn tag(&mut self, name: &str, closing: bool) {
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if is("table") {
            if closing && self.too_deep > 0 {
                self.too_deep -= 1;
            } else if closing {
                if let Some(mut t) = self.tables.pop() {
                    let lines = t.end_row();
                    self.emit(&lines);
                }
            } else if self.tables.len() >= MAX_TABLE_DEPTH {
                self.too_deep += 1;
            } else {
                self.sink().push('\n');
                self.tables.push(Table::default());
            }
        } else if is("tr") && !self.tables.is_empty() {
            let lines = self
                .tables
                .last_mut()
                .map(Table::end_row)
                .unwrap_or_default();
            self.emit(&lines);
            if let Some(t) = self.tables.last_mut() {
                t.in_row = !closing;
            }
        } else if (is("td") || is("th")) && !self.tables.is_empty() {
            if let Some(t) = self.tables.last_mut() {
                t.end_cell();
                if !closing {
                    t.in_row = true;
                    t.cell = Some(String::new());
                }
            }
        } else if is_one_of(name, &BLOCK) || is("tr") || is("td") || is("th") {
            self.sink().push('\n');
        }
    }

    /// Puts a finished row's lines where text goes now.
    fn emit(&mut self, lines: &str) {
        if lines.is_empty() {
            return;
        }
        let sink = self.sink();
        sink.push('\n');
        sink.push_str(lines);
        sink.push('\n');
    }

    /// Closes tables left open at the end of the page.
    fn end_tables(&mut self) {
        while let Some(mut t) = self.tables.pop() {
            let lines = t.end_row();
            self.emit(&lines);
        }
    }
}

/// A cell holding more lines than this is page layout, not a table cell.
const LAYOUT_LINES: usize = 12;

/// A cell holding more bytes than this (some 4000 Chinese characters) is page
/// layout, not a table cell.
const LAYOUT_BYTES: usize = 12_000;

/// Tables nested deeper than this are read as part of the one that holds them:
/// bounds the work per element on pathological pages.
const MAX_TABLE_DEPTH: usize = 16;

impl Table {
    fn end_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            self.row.push(cell);
        }
    }

    /// Ends the open row, if any, and returns its lines: one tab-separated line for
    /// a data row, the cells' own lines for a layout row.
    fn end_row(&mut self) -> String {
        self.end_cell();
        self.in_row = false;
        let row = std::mem::take(&mut self.row);
        let has_text = |c: &String| c.chars().any(|ch| !ch.is_whitespace());
        let with_text = row.iter().filter(|c| has_text(c)).count();
        if with_text == 0 {
            return String::new();
        }
        let layout = with_text == 1
            || row.iter().any(|c| {
                c.contains('\t')
                    || c.len() > LAYOUT_BYTES
                    || c.lines().filter(|l| !l.trim().is_empty()).count() > LAYOUT_LINES
            });
        let mut out = String::new();
        if layout {
            for cell in row.iter().filter(|c| has_text(c)) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(cell);
            }
        } else {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                for (j, word) in cell.split_whitespace().enumerate() {
                    if j > 0 {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
            }
        }
        out
    }
}

/// The text after the end tag `</name…>` (ASCII case ignored), or nothing.
fn skip_to_end_tag<'a>(rest: &'a str, name: &str) -> &'a str {
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&bytes[from..], b"</") {
        let at = from + i + 2;
        let end = at + name.len();
        if bytes.len() >= end && bytes[at..end].eq_ignore_ascii_case(name.as_bytes()) {
            return rest[end..].find('>').map_or("", |g| &rest[end + g + 1..]);
        }
        from = at;
    }
    ""
}

/// Trims lines, drops empty ones; a row line's cells are trimmed one by one and the
/// row kept when any cell has text.
fn tidy_lines(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let is_space = |c: char| c.is_whitespace() && c != '\t';
    for line in raw.split('\n') {
        let start = text.len();
        if !text.is_empty() {
            text.push('\n');
        }
        let mark = text.len();
        if line.contains('\t') {
            for (i, cell) in line.split('\t').enumerate() {
                if i > 0 {
                    text.push('\t');
                }
                text.push_str(cell.trim_matches(is_space));
            }
            if text[mark..].bytes().all(|b| b == b'\t') {
                text.truncate(start);
            }
        } else {
            let line = line.trim_matches(is_space);
            if line.is_empty() {
                text.truncate(start);
            } else {
                text.push_str(line);
            }
        }
    }
    text
}
