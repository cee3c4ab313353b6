//! Segmentation: the jieba word analyzer, the CJK bigram analyzer, and the dictionary
//! that both the index and queries segment with.
//!
//! Two analyzers feed the index:
//! - **words** ([`WordTokenizer`]): jieba-rs `cut_for_search` with HMM, positions in
//!   chars. It ranks: a measure that contains the query as a jieba word scores higher.
//! - **chars** ([`BigramTokenizer`]): every run of CJK characters as overlapping
//!   bigrams plus the run's last character; ASCII letters and digits as whole tokens.
//!   It matches: a query is found wherever its characters stand together in the text,
//!   whatever jieba made of them (see [`char_tokens`]).
//!
//! The dictionary is jieba's own (`dict/jieba.dict.txt`), the domain words in
//! `dict/domain.txt`, and an optional user dictionary. Loading all of it takes
//! 150–250 ms, too slow for every query, so the index stores it as an FST
//! ([`write_query_dict`]); a query loads only the words that occur in it
//! ([`QueryDict::jieba_for`]) and segments exactly as the full dictionary would.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::error::{Error, Result};
use crate::text::{fold_char, is_han};

/// jieba's dictionary (MIT licence, from the jieba project).
pub const JIEBA_DICT: &str = include_str!("../dict/jieba.dict.txt");
/// Domain words that must stay whole (医共体, 第一议题, 回头看 …).
pub const DOMAIN_DICT: &str = include_str!("../dict/domain.txt");

/// Tokenizer name of the word analyzer in the tantivy index.
pub const WORDS: &str = "zh_words";
/// Tokenizer name of the bigram analyzer in the tantivy index.
pub const CHARS: &str = "zh_chars";

/// The merged dictionary: `(word, freq)` sorted by word, later sources overriding
/// earlier ones, as jieba itself does when a word is added twice.
#[derive(Debug, Clone)]
pub struct Dictionary {
    entries: Vec<(String, u64)>,
    /// Hash of the user dictionary's bytes (0 without one), recorded in the index.
    pub user_hash: u64,
}

fn parse_dict_into(
    map: &mut std::collections::BTreeMap<String, u64>,
    text: &str,
    path: Option<&Path>,
) -> Result<()> {
    for (i, line) in text.lines().enumerate() {
        let mut it = line.split_whitespace();
        let Some(word) = it.next() else { continue };
        let freq = match it.next() {
            Some(f) => f.parse::<u64>().map_err(|_| Error::BadDict {
                path: path.map_or_else(|| PathBuf::from("<built-in>"), Path::to_path_buf),
                line: i + 1,
                reason: format!("词频不是整数 (frequency {f:?} is not a whole number)"),
            })?,
            // A word without a frequency: common enough to stay whole.
            None => 1000,
        };
        map.insert(word.to_string(), freq);
    }
    Ok(())
}

impl Dictionary {
    /// jieba's dictionary, the domain words and, if given, a user dictionary in
    /// jieba's format (`word [freq [tag]]` per line).
    pub fn load(user: Option<&Path>) -> Result<Self> {
        let mut map = std::collections::BTreeMap::new();
        parse_dict_into(&mut map, JIEBA_DICT, None)?;
        parse_dict_into(&mut map, DOMAIN_DICT, None)?;
        let mut user_hash = 0;
        if let Some(path) = user {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            user_hash = xxhash_rust::xxh3::xxh3_64(&bytes);
            let text = String::from_utf8(bytes).map_err(|_| Error::BadDict {
                path: path.to_path_buf(),
                line: 0,
                reason: "不是 UTF-8 文本 (not UTF-8 text)".into(),
            })?;
            parse_dict_into(&mut map, &text, Some(path))?;
        }
        Ok(Dictionary {
            entries: map.into_iter().collect(),
            user_hash,
        })
    }

    /// Sum of all frequencies: jieba's `total`, which the query side must reproduce.
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|(_, f)| f).sum()
    }

    /// A fingerprint of the whole dictionary; an index records it so a search can
    /// tell whether it segments the same way.
    pub fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (w, f) in &self.entries {
            h.update(w.as_bytes());
            h.update(&f.to_le_bytes());
        }
        h.digest()
    }

    /// Builds a full jieba segmenter.
    pub fn jieba(&self) -> Jieba {
        let mut text = String::with_capacity(self.entries.len() * 12);
        for (w, f) in &self.entries {
            text.push_str(w);
            text.push(' ');
            text.push_str(&f.to_string());
            text.push('\n');
        }
        let mut jieba = Jieba::empty();
        // The text is built here from parsed entries, so it is well-formed.
        let _ = jieba.load_dict(&mut BufReader::new(text.as_bytes()));
        jieba
    }

    /// Writes the dictionary as an FST map (word → frequency) for queries.
    pub fn write_fst(&self, path: &Path) -> Result<()> {
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let mut b = fst::MapBuilder::new(std::io::BufWriter::new(file))
            .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        for (w, f) in &self.entries {
            b.insert(w, *f)
                .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        }
        b.finish()
            .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        Ok(())
    }
}

/// The dictionary as stored in an index, for segmenting queries quickly.
pub struct QueryDict {
    map: fst::Map<Vec<u8>>,
    total: u64,
}

impl std::fmt::Debug for QueryDict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryDict")
            .field("words", &self.map.len())
            .finish()
    }
}

/// A word that occurs in no query text, carrying the frequency mass of the words a
/// query does not contain, so that jieba's `total` matches the full dictionary.
const FILLER: &str = "\u{E000}\u{E001}";

impl QueryDict {
    /// Opens the FST written by [`Dictionary::write_fst`].
    pub fn open(path: &Path, total: u64) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let map = fst::Map::new(bytes).map_err(|e| Error::CorruptIndex {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(QueryDict { map, total })
    }

    /// Dictionary words that occur in `text`, with their frequencies.
    pub fn words_in(&self, text: &str) -> Vec<(String, u64)> {
        let fst = self.map.as_fst();
        let mut out = Vec::new();
        for (start, _) in text.char_indices() {
            let mut node = fst.root();
            let mut out_val = fst::raw::Output::zero();
            let bytes = &text.as_bytes()[start..];
            for (i, &b) in bytes.iter().enumerate() {
                let Some(t) = node.find_input(b) else { break };
                let tr = node.transition(t);
                out_val = out_val.cat(tr.out);
                node = fst.node(tr.addr);
                let end = start + i + 1;
                if node.is_final() && text.is_char_boundary(end) {
                    out.push((
                        text[start..end].to_string(),
                        out_val.cat(node.final_output()).value(),
                    ));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// A jieba segmenter that cuts `text` exactly as the full dictionary would: it
    /// holds every dictionary word occurring in `text` and the same total frequency.
    pub fn jieba_for(&self, text: &str) -> Jieba {
        let mut jieba = Jieba::empty();
        let mut sum = 0u64;
        for (w, f) in self.words_in(text) {
            sum += f;
            jieba.add_word(&w, Some(f as usize), None);
        }
        if self.total > sum {
            jieba.add_word(FILLER, Some((self.total - sum) as usize), None);
        }
        jieba
    }
}

/// Word tokens of `text` for ranking: `cut_for_search` with HMM over the folded text,
/// words of two or more characters (or letters/digits), positions in chars.
pub fn word_tokens(jieba: &Jieba, text: &str) -> Vec<Token> {
    let mut buf = Vec::new();
    let n = word_tokens_into(jieba, text, &mut buf);
    buf.truncate(n);
    buf
}

/// [`word_tokens`] into a reused buffer; returns the number of tokens.
fn word_tokens_into(jieba: &Jieba, text: &str, buf: &mut Vec<Token>) -> usize {
    // Traditional to simplified and lower case, which keep every char's byte length;
    // full-width letters and digits stay (the bigram field folds them for matching).
    let fold_same_width = |c: char| {
        let f = fold_char(c);
        if f.len_utf8() == c.len_utf8() {
            f
        } else {
            c
        }
    };
    let folded: std::borrow::Cow<'_, str> =
        match text.char_indices().find(|&(_, c)| fold_same_width(c) != c) {
            None => std::borrow::Cow::Borrowed(text),
            Some((at, _)) => {
                let mut s = String::with_capacity(text.len());
                s.push_str(&text[..at]);
                s.extend(text[at..].chars().map(fold_same_width));
                std::borrow::Cow::Owned(s)
            }
        };
    let same_bytes = folded.len() == text.len();
    // Byte offset in `text` of each char, needed only when folding changed lengths.
    let map: Vec<usize> = if same_bytes {
        Vec::new()
    } else {
        text.char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .collect()
    };
    let mut n = 0;
    for t in jieba.cut_for_search(&folded, true) {
        // Single characters carry no word-level signal (the bigram field finds them)
        // and make up a third of the tokens: leaving them out speeds indexing.
        let mut cs = t.word.chars();
        let single = cs.next().is_some() && cs.next().is_none();
        if single || !t.word.chars().any(|c| is_han(c) || c.is_alphanumeric()) {
            continue;
        }
        let (from, to) = if same_bytes {
            (t.byte_start, t.byte_end)
        } else {
            (map[t.start], map[t.end])
        };
        if n == buf.len() {
            buf.push(Token::default());
        }
        let tok = &mut buf[n];
        tok.text.clear();
        tok.text.push_str(t.word);
        tok.offset_from = from;
        tok.offset_to = to;
        tok.position = t.start;
        tok.position_length = 1;
        n += 1;
    }
    n
}

/// A tantivy tokenizer over jieba, sharing one dictionary between clones.
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
    buf: Vec<Token>,
}

impl WordTokenizer {
    /// Wraps a shared segmenter.
    pub fn new(jieba: Arc<Jieba>) -> Self {
        WordTokenizer {
            jieba,
            buf: Vec::new(),
        }
    }
}

/// A token stream over a buffer the tokenizer owns, so no allocation per document
/// beyond the tokens themselves.
pub struct BufStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for BufStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = BufStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufStream<'a> {
        let n = word_tokens_into(&self.jieba, text, &mut self.buf);
        BufStream {
            tokens: &mut self.buf[..n],
            next: 0,
        }
    }
}

/// One token of the bigram analyzer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharToken {
    /// Token text (a bigram, a run's last character, or an alphanumeric run).
    pub text: String,
    /// Position.
    pub position: usize,
    /// Byte range in the source text.
    pub from: usize,
    /// End of the byte range.
    pub to: usize,
    /// Whether this is the last character of a CJK run (a unigram).
    pub run_end: bool,
}

/// Bigram analysis of `text`, the same for documents and queries.
///
/// A run of CJK characters `c0…cn` (spaces between two CJK characters do not break a
/// run: OCR puts them at line ends) gives the bigrams `c0c1 … c(n-1)cn` at consecutive
/// positions and the unigram `cn` after them; a run of letters or digits gives one
/// lower-cased token. Punctuation separates runs and takes no position.
///
/// ```
/// use zhenggai::segment::char_tokens;
/// let t: Vec<String> = char_tokens("推进医共 体建设,5G").into_iter().map(|t| t.text).collect();
/// assert_eq!(t, ["推进", "进医", "医共", "共体", "体建", "建设", "设", "5g"]);
/// ```
pub fn char_tokens(text: &str) -> Vec<CharToken> {
    let mut out = Vec::new();
    for_each_char_token(text, |t: &str, position, from, to, run_end| {
        out.push(CharToken {
            text: t.to_string(),
            position,
            from,
            to,
            run_end,
        })
    });
    out
}

/// The bigram analysis as a callback `(token, position, from, to, run_end)`, without
/// allocating per token: the hot path of indexing.
pub fn for_each_char_token(text: &str, emit: impl FnMut(&str, usize, usize, usize, bool)) {
    /// Numbers tokens and hands them out through one reused buffer.
    struct Out<F> {
        emit: F,
        pos: usize,
        buf: String,
    }
    impl<F: FnMut(&str, usize, usize, usize, bool)> Out<F> {
        fn token(
            &mut self,
            chars: impl IntoIterator<Item = char>,
            from: usize,
            to: usize,
            run_end: bool,
        ) {
            self.buf.clear();
            self.buf.extend(chars);
            (self.emit)(&self.buf, self.pos, from, to, run_end);
            self.pos += 1;
        }
        /// The last character of a CJK run, as a unigram.
        fn end_run(&mut self, prev: &mut Option<(char, usize)>) {
            if let Some((p, pb)) = prev.take() {
                self.token([p], pb, pb + p.len_utf8(), true);
            }
        }
        /// A run of letters or digits `text[start..end]`, folded.
        fn alnum(&mut self, text: &str, start: Option<usize>, end: usize) {
            if let Some(start) = start {
                self.token(text[start..end].chars().map(fold_char), start, end, false);
            }
        }
    }
    let mut out = Out {
        emit,
        pos: 0,
        buf: String::with_capacity(64),
    };
    // The previous CJK char of the current run: (folded char, byte offset).
    let mut prev: Option<(char, usize)> = None;
    // Start of the current run of letters or digits.
    let mut alnum_start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((b, c)) = iter.next() {
        let f = fold_char(c);
        if is_han(f) {
            out.alnum(text, alnum_start.take(), b);
            if let Some((p, pb)) = prev {
                out.token([p, f], pb, b + c.len_utf8(), false);
            }
            prev = Some((f, b));
        } else if c.is_whitespace() && prev.is_some() {
            // Spaces between two CJK characters do not end the run.
            let next_han = loop {
                match iter.peek() {
                    Some(&(_, n)) if n.is_whitespace() => {
                        iter.next();
                    }
                    Some(&(_, n)) => break is_han(fold_char(n)),
                    None => break false,
                }
            };
            if !next_han {
                out.end_run(&mut prev);
            }
        } else if f.is_alphanumeric() {
            out.end_run(&mut prev);
            alnum_start.get_or_insert(b);
        } else {
            out.end_run(&mut prev);
            out.alnum(text, alnum_start.take(), b);
        }
    }
    out.end_run(&mut prev);
    out.alnum(text, alnum_start, text.len());
}

/// The bigram analyzer as a tantivy tokenizer. Token buffers are reused from one
/// document to the next.
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    buf: Vec<Token>,
    len: usize,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BufStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufStream<'a> {
        let mut n = 0usize;
        let buf = &mut self.buf;
        for_each_char_token(text, |t, position, from, to, _| {
            if n == buf.len() {
                buf.push(Token::default());
            }
            let tok = &mut buf[n];
            tok.text.clear();
            tok.text.push_str(t);
            tok.position = position;
            tok.offset_from = from;
            tok.offset_to = to;
            tok.position_length = 1;
            n += 1;
        });
        self.len = n;
        BufStream {
            tokens: &mut self.buf[..n],
            next: 0,
        }
    }
}

/// How a query string matches in the bigram field: the tokens to find at consecutive
/// positions, the last of which may be a prefix (a single CJK character at the end of
/// the query can begin a longer run in the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharQuery {
    /// `(position offset, token)`.
    pub tokens: Vec<(usize, String)>,
    /// Whether the last token is matched as a prefix.
    pub last_is_prefix: bool,
}

/// Analyzes a query for the bigram field. Inside the query the analysis is the same as
/// for documents; at its end the text may go on, so the final unigram of the last CJK
/// run is dropped (its bigram already ends with it), unless the run is one character,
/// which then matches any token it begins.
///
/// ```
/// use zhenggai::segment::char_query;
/// let q = char_query("医共体").unwrap();
/// assert_eq!(q.tokens, [(0, "医共".to_string()), (1, "共体".to_string())]);
/// assert!(!q.last_is_prefix);
/// assert!(char_query("药").unwrap().last_is_prefix);
/// assert!(char_query("“”").is_none());
/// ```
pub fn char_query(text: &str) -> Option<CharQuery> {
    let mut toks = char_tokens(text);
    let last = toks.last()?.clone();
    let mut last_is_prefix = false;
    if last.run_end {
        let single =
            toks.len() < 2 || toks[toks.len() - 2].run_end || !is_han_token(&toks[toks.len() - 2]);
        if single {
            last_is_prefix = true;
        } else {
            toks.pop();
        }
    }
    Some(CharQuery {
        tokens: toks.into_iter().map(|t| (t.position, t.text)).collect(),
        last_is_prefix,
    })
}

fn is_han_token(t: &CharToken) -> bool {
    t.text.chars().next().is_some_and(is_han)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigram_positions_and_offsets() {
        let t = char_tokens("Ａ医共");
        assert_eq!(t[0].text, "a");
        assert_eq!(t[1].text, "医共");
        assert_eq!((t[1].from, t[1].to), (3, 9));
        assert_eq!(t[2].text, "共");
        assert!(t[2].run_end);
        assert_eq!(t[2].position, 2);
    }

    #[test]
    fn single_char_run_in_query_middle_is_exact() {
        let q = char_query("2023年5月").unwrap();
        let toks: Vec<&str> = q.tokens.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(toks, ["2023", "年", "5", "月"]);
        assert!(q.last_is_prefix);
    }

    #[test]
    fn reduced_dictionary_segments_like_the_full_one() {
        let dict = Dictionary::load(None).unwrap();
        let full = dict.jieba();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dict.fst");
        dict.write_fst(&path).unwrap();
        let qd = QueryDict::open(&path, dict.total()).unwrap();
        for text in [
            "中华人民共和国人民大会堂",
            "加快推进医共体建设,医联体内检查检验结果互认",
            "落实“第一议题”制度和三重一大决策",
            "家庭医生签约服务覆盖率",
            "市卫健委公务用车管理不规范",
            "5G智慧化急救体系建设任务进度滞后",
        ] {
            let small = qd.jieba_for(text);
            let a: Vec<_> = full
                .cut_for_search(text, true)
                .into_iter()
                .map(|t| t.word)
                .collect();
            let b: Vec<_> = small
                .cut_for_search(text, true)
                .into_iter()
                .map(|t| t.word)
                .collect();
            assert_eq!(a, b, "{text}");
        }
    }
}
