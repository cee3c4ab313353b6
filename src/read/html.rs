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
/// block elements become line breaks, entities are decoded. Each table row becomes
/// one line whose cells are separated by tabs (`序号\t问题\t整改措施…`); line breaks
/// inside a cell become spaces. Tabs in the text itself become spaces, so a tab
/// always separates two cells.
///
/// ```
/// use zhenggai::read::html_to_text;
/// let t = html_to_text("<html><nav>首页 &gt; 信息公开</nav><p>一是&ldquo;第一议题&rdquo;</p><script>x()</script><p>二是</p></html>");
/// assert_eq!(t, "一是“第一议题”\n二是");
/// let t = html_to_text("<table><tr><th>序号</th><th>问题</th></tr>\n<tr>\n <td>1</td>\n <td><p>学习</p><p>不够</p></td></tr></table>");
/// assert_eq!(t, "序号\t问题\n1\t学习 不够");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // Depth of nested tables; rows and cells of the outermost one make lines and tabs.
    let mut tables = 0usize;
    let mut in_row = false;
    let mut cells = 0usize;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt], in_row);
        rest = &rest[lt..];
        let after = rest.as_bytes().get(1).copied().unwrap_or(b' ');
        if !(after.is_ascii_alphabetic() || matches!(after, b'/' | b'!' | b'?')) {
            // A lone `<` in the text.
            push_text(&mut out, "<", in_row);
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
            out.push(if in_row { ' ' } else { '\n' });
            continue;
        }
        if name.eq_ignore_ascii_case("table") {
            if closing {
                tables = tables.saturating_sub(1);
                if tables == 0 {
                    in_row = false;
                }
            } else {
                tables += 1;
            }
            out.push(if in_row { ' ' } else { '\n' });
        } else if name.eq_ignore_ascii_case("tr") && tables <= 1 {
            in_row = !closing;
            cells = 0;
            out.push('\n');
        } else if (name.eq_ignore_ascii_case("td") || name.eq_ignore_ascii_case("th"))
            && tables <= 1
        {
            if !closing {
                if !in_row {
                    // A cell without a row start.
                    in_row = true;
                    cells = 0;
                    out.push('\n');
                }
                if cells > 0 {
                    out.push('\t');
                }
                cells += 1;
            }
        } else if is_one_of(name, &BLOCK)
            || name.eq_ignore_ascii_case("tr")
            || name.eq_ignore_ascii_case("td")
            || name.eq_ignore_ascii_case("th")
        {
            out.push(if in_row { ' ' } else { '\n' });
        }
    }
    push_text(&mut out, rest, in_row);
    tidy_lines(&out)
}

/// Appends text with its entities decoded; tabs become spaces, and inside a table
/// row line breaks do too.
fn push_text(out: &mut String, text: &str, in_row: bool) {
    if text.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(text);
    for c in decoded.chars() {
        out.push(match c {
            '\t' | '\u{a0}' => ' ',
            '\n' | '\r' if in_row => ' ',
            c => c,
        });
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
                // Line breaks in a cell became spaces: one between two words.
                for (j, word) in cell.split(is_space).filter(|w| !w.is_empty()).enumerate() {
                    if j > 0 {
                        text.push(' ');
                    }
                    text.push_str(word);
                }
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
