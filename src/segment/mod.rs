//! Segmentation: the word analyzer the index and queries share, and the dictionary.
//!
//! One analyzer feeds the index ([`analyze`], as a tantivy tokenizer
//! [`WordTokenizer`]): jieba-rs `cut` (HMM on) over each run of CJK characters,
//! runs of letters and digits as whole tokens (chunks of [`ALNUM_CHUNK`] chars if
//! longer), positions recorded. Its tokens
//! partition the text, so they serve both ends of a search: ranking (a record that
//! holds the query as a jieba word scores higher) and matching (a query is found
//! wherever its characters stand together, whatever jieba made of them, by
//! [`crate::search::literal`] over the index's vocabulary). One token per word,
//! instead of a word field plus a character field, is what keeps indexing fast.
//! While indexing, cuts of phrases that come back (a problem title repeated on each
//! of its measures, boilerplate) are remembered ([`CutCache`]).
//!
//! The dictionary is jieba's own (`dict/jieba.dict.txt`), the domain words in
//! `dict/domain.txt`, and an optional user dictionary. Loading all of it takes
//! 150–250 ms, too slow for every query, so the index stores it as an FST
//! ([`Dictionary::write_fst`]); a query loads only the words that occur in it
//! ([`QueryDict::jieba_for`]) and segments exactly as the full dictionary would.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

mod cache;

pub use cache::{CutCache, CutRef, Lookup};

use crate::error::{Error, Result};
use crate::text::is_han;

/// jieba's dictionary (MIT licence, from the jieba project).
pub const JIEBA_DICT: &str = include_str!("../../dict/jieba.dict.txt");
/// Domain words that must stay whole (医共体, 第一议题, 回头看 …).
pub const DOMAIN_DICT: &str = include_str!("../../dict/domain.txt");

/// Tokenizer name of the word analyzer in the tantivy index.
pub const WORDS: &str = "zh_words";

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

    /// A fingerprint of the dictionary sources (built-in and user dictionary bytes),
    /// without parsing them; an index records it so that a later build or search can
    /// tell whether it segments the same way. Also returns the user dictionary's hash.
    pub fn fingerprint(user: Option<&Path>) -> Result<(u64, u64)> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(JIEBA_DICT.as_bytes());
        h.update(DOMAIN_DICT.as_bytes());
        let mut user_hash = 0;
        if let Some(path) = user {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            user_hash = xxhash_rust::xxh3::xxh3_64(&bytes);
            h.update(&user_hash.to_le_bytes());
        }
        Ok((h.digest(), user_hash))
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

/// The built-in dictionary as an FST map (word → frequency), compiled by `build.rs`.
static BUILTIN_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dict.fst"));
/// Total frequency of the built-in dictionary, compiled by `build.rs`.
const BUILTIN_TOTAL: u64 = include!(concat!(env!("OUT_DIR"), "/dict_total.txt"));

/// What an index build needs of the dictionary: the segmenter, its total frequency
/// and the FST the index stores for queries.
pub struct Prepared {
    /// The full segmenter.
    pub jieba: Jieba,
    /// jieba's total frequency (the query side must use the same).
    pub total: u64,
    /// The query dictionary to store.
    pub fst: QueryFst,
}

/// The query dictionary an index stores: the compiled-in one, or one merged with a
/// user dictionary.
pub enum QueryFst {
    /// The built-in dictionary, precompiled.
    BuiltIn,
    /// Built-in and user dictionary, merged.
    Merged(Dictionary),
}

impl QueryFst {
    /// Writes it to `path` (see [`QueryDict`]).
    pub fn write(&self, path: &Path) -> Result<()> {
        match self {
            QueryFst::Merged(dict) => dict.write_fst(path),
            QueryFst::BuiltIn => std::fs::write(path, BUILTIN_FST).map_err(|e| Error::io(path, e)),
        }
    }
}

impl Prepared {
    /// Prepares the dictionary: without a user dictionary jieba loads the built-in
    /// text directly (it merges repeated words the way [`Dictionary`] does) and the
    /// FST comes precompiled; with one, everything is merged and built here.
    pub fn load(user: Option<&Path>) -> Result<Prepared> {
        if user.is_some() {
            let dict = Dictionary::load(user)?;
            return Ok(Prepared {
                jieba: dict.jieba(),
                total: dict.total(),
                fst: QueryFst::Merged(dict),
            });
        }
        let mut jieba = Jieba::empty();
        let mut text = BufReader::new(JIEBA_DICT.as_bytes().chain(DOMAIN_DICT.as_bytes()));
        jieba.load_dict(&mut text).map_err(|e| Error::BadDict {
            path: PathBuf::from("<built-in>"),
            line: 0,
            reason: e.to_string(),
        })?;
        Ok(Prepared {
            jieba,
            total: BUILTIN_TOTAL,
            fst: QueryFst::BuiltIn,
        })
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

/// Characters that carry nothing and are dropped wherever they stand: zero-width
/// spaces and joiners, soft hyphens, byte-order marks inside the text.
fn ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// What a (folded) character is to the analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Han,
    Alnum,
    Other,
}

fn kind(f: char) -> Kind {
    if f.is_ascii() {
        if f.is_ascii_alphanumeric() {
            Kind::Alnum
        } else {
            Kind::Other
        }
    } else if is_han(f) {
        Kind::Han
    } else if is_cjk_punctuation(f) || !f.is_alphanumeric() {
        // Punctuation is told without `is_alphanumeric`'s table lookups.
        Kind::Other
    } else {
        Kind::Alnum
    }
}

/// General punctuation (U+2000–U+206F: “”…—) and CJK marks (、。《》「」【】 …):
/// common in Chinese text, never letters or digits.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}')
}

/// The kind of the next character that is not whitespace (consuming the whitespace).
fn next_kind(
    rest: &mut std::iter::Peekable<std::str::Chars<'_>>,
    fold: impl Fn(char) -> char,
) -> Kind {
    while let Some(&n) = rest.peek() {
        if n.is_whitespace() || ignorable(n) {
            rest.next();
        } else {
            return kind(fold(n));
        }
    }
    Kind::Other
}

/// The text the word analyzer cuts: folded (see [`crate::text::fold_char`]), invisible characters
/// dropped, whitespace between a CJK character and a CJK character, letter or digit
/// removed (OCR and web pages break lines inside words: `医共 体`, `55 号`), every
/// other run of separators replaced by one space.
fn analysis_text(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    let fold = crate::text::char_folder();
    let mut chars = text.chars().peekable();
    let mut prev = Kind::Other;
    while let Some(c) = chars.next() {
        if ignorable(c) {
            continue;
        }
        let f = fold(c);
        let k = kind(f);
        if k != Kind::Other {
            out.push(f);
            prev = k;
            continue;
        }
        if c.is_whitespace() && prev != Kind::Other {
            let next = next_kind(&mut chars, &fold);
            if next != Kind::Other && (prev == Kind::Han || next == Kind::Han) {
                // Transparent: the next char follows directly.
                continue;
            }
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        prev = Kind::Other;
    }
}

/// Buffers [`analyze`] reuses from one text to the next, and optionally a memo of
/// jieba's cuts ([`CutCache`]): indexing turns it on, since official text repeats
/// whole phrases from document to document.
#[derive(Debug, Default)]
pub struct Scratch {
    text: String,
    runs: Vec<Run>,
    misses: String,
    local: Vec<u32>,
    ends: Vec<u32>,
    cache: Option<CutCache>,
}

impl Scratch {
    /// Buffers with a memo of cuts of about `budget` bytes.
    pub fn with_cache(budget: usize) -> Self {
        Scratch {
            cache: Some(CutCache::new(budget)),
            ..Scratch::default()
        }
    }

    /// Bytes of runs served from the memo of cuts, and of runs cut (zeros without
    /// a memo).
    pub fn stats(&self) -> (u64, u64) {
        self.cache.as_ref().map_or((0, 0), CutCache::stats)
    }
}

/// A run of the analysis text between two spaces, and where its cut is.
#[derive(Debug, Clone)]
struct Run {
    start: usize,
    end: usize,
    cut: Cut,
}

#[derive(Debug, Clone, Copy)]
enum Cut {
    /// Not cut yet (with its hash if it is to be remembered).
    Pending(Option<u64>),
    /// In the memo.
    Cached(CutRef),
    /// Word ends in `Scratch::local`.
    Local(usize, usize),
}

/// Calls `emit(token, position)` for every token of `text`, reusing `scratch`.
///
/// The tokens partition the searchable characters of the text, so any string of
/// them can be found again from the tokens (see [`crate::search::literal`]):
/// - a run of CJK characters is cut by jieba-rs (`cut`, HMM on) into words at
///   consecutive positions;
/// - a run of letters and digits is one token, or if longer than [`ALNUM_CHUNK`]
///   chars, chunks of that many chars at consecutive positions, all but the last
///   ending with [`CHUNK_MARK`];
/// - punctuation and whitespace take no token but leave one empty position, so
///   that nothing matches across them; whitespace between two CJK characters is
///   ignored.
///
/// Text is folded first (traditional → simplified, full-width → ASCII, lower case).
pub fn analyze(jieba: &Jieba, text: &str, scratch: &mut Scratch, emit: impl FnMut(&str, usize)) {
    let Scratch {
        text: s,
        runs,
        misses,
        local,
        ends,
        cache,
    } = scratch;
    analysis_text(text, s);
    let s = s.as_str();
    let cache = match cache {
        Some(c) if c.is_on() => c,
        // Without a memo, jieba's words are used as they come.
        _ => {
            let words = jieba
                .cut(s, true)
                .into_iter()
                .map(|t| (t.byte_start, t.byte_start + t.word.len()));
            emit_words(s, words, emit);
            return;
        }
    };
    cache.trim();
    runs.clear();
    misses.clear();
    local.clear();
    let mut at = 0usize;
    for run in s.split(' ') {
        let start = at;
        at += run.len() + 1;
        if run.is_empty() {
            continue;
        }
        let cut = match cache.find(run) {
            Lookup::Hit(r) => Cut::Cached(r),
            Lookup::Miss(h) => Cut::Pending(Some(h)),
            Lookup::Skip => Cut::Pending(None),
        };
        if let Cut::Pending(_) = cut {
            misses.push_str(run);
            misses.push(' ');
        }
        runs.push(Run {
            start,
            end: start + run.len(),
            cut,
        });
    }
    if !misses.is_empty() {
        // The runs not remembered are cut in one call: jieba never joins words
        // across a space, so each run is cut as it would be alone.
        let mut pending = runs.iter_mut().filter(|r| matches!(r.cut, Cut::Pending(_)));
        let mut run_base = 0usize;
        let mut from = 0usize;
        for token in jieba.cut(misses, true) {
            if token.word != " " {
                local.push((token.byte_start + token.word.len() - run_base) as u32);
                continue;
            }
            run_base = token.byte_start + 1;
            let Some(r) = pending.next() else { break };
            let remembered = match r.cut {
                Cut::Pending(Some(h)) => cache.insert(h, &s[r.start..r.end], &local[from..]),
                _ => None,
            };
            r.cut = match remembered {
                Some(c) => {
                    local.truncate(from);
                    Cut::Cached(c)
                }
                None => Cut::Local(from, local.len()),
            };
            from = local.len();
        }
    }
    // Each run's words, and the space after it as a word of its own, as jieba
    // gives them.
    ends.clear();
    for run in runs.iter() {
        let first = ends.len();
        match run.cut {
            Cut::Cached(c) => cache.ends(c, ends),
            Cut::Local(a, b) => ends.extend_from_slice(&local[a..b]),
            Cut::Pending(_) => {}
        }
        for e in &mut ends[first..] {
            *e += run.start as u32;
        }
        if run.end < s.len() {
            ends.push(run.end as u32 + 1);
        }
    }
    let mut from = 0usize;
    let words = ends.iter().map(|&e| {
        let e = e as usize;
        // The first word of a run starts after the space before it.
        let w = (from, e);
        from = e;
        w
    });
    emit_words(s, words, emit);
}

/// Longest token a run of letters and digits makes, in chars. A longer run (a
/// serial number, an encoded blob in a web page) is cut into chunks of this many
/// chars from its start, at consecutive positions, the last one shorter or equal:
/// tantivy drops tokens over its term limit (about 65 KB), and the literal matcher
/// ([`crate::search::literal`]) finds a string across chunks as it does across
/// jieba's words.
pub const ALNUM_CHUNK: usize = 64;

/// Ends every chunk of a long run of letters and digits but its last, so that a
/// token continuing into the next one is told from one that ends its run (a
/// character the analysis text never holds: private use, not alphanumeric).
pub const CHUNK_MARK: char = '\u{E010}';

/// Emits the tokens of the analysis text `s` cut into `words` (byte ranges, in order,
/// covering `s`; a space is a word of its own), as [`analyze`] describes.
fn emit_words(
    s: &str,
    words: impl Iterator<Item = (usize, usize)>,
    mut emit: impl FnMut(&str, usize),
) {
    let mut next_pos = 0usize;
    let mut gap = false;
    // The current run of letters and digits, as a byte range of `s`: it may span
    // several jieba words and is emitted whole, or in chunks if it is long.
    let mut alnum: Option<(usize, usize)> = None;
    let mut chunk = String::new();
    let mut put = |from: usize, to: usize, gap: &mut bool, next_pos: &mut usize| {
        if *gap && *next_pos > 0 {
            *next_pos += 1;
        }
        *gap = false;
        let mut token = &s[from..to];
        // Chunks of a long run of letters and digits (no more bytes than
        // ALNUM_CHUNK: no more chars either). CJK words are left as jieba cut them.
        let long = token.len() > ALNUM_CHUNK && token.chars().next().is_some_and(|c| !is_han(c));
        while let Some((end, _)) = long
            .then(|| token.char_indices().nth(ALNUM_CHUNK))
            .flatten()
        {
            chunk.clear();
            chunk.push_str(&token[..end]);
            chunk.push(CHUNK_MARK);
            emit(&chunk, *next_pos);
            *next_pos += 1;
            token = &token[end..];
        }
        emit(token, *next_pos);
        *next_pos += 1;
    };
    for (base, end) in words {
        let word = &s[base..end];
        // Split the word where the character class changes (a dictionary word may
        // mix letters and CJK characters, as B超 does).
        let mut han_start: Option<usize> = None;
        for (i, c) in word.char_indices() {
            let at = base + i;
            if is_han(c) {
                if let Some((a, b)) = alnum.take() {
                    put(a, b, &mut gap, &mut next_pos);
                }
                han_start.get_or_insert(at);
            } else {
                if let Some(h) = han_start.take() {
                    put(h, at, &mut gap, &mut next_pos);
                }
                if c == ' ' {
                    if let Some((a, b)) = alnum.take() {
                        put(a, b, &mut gap, &mut next_pos);
                    }
                    gap = true;
                } else {
                    let end = at + c.len_utf8();
                    alnum = Some(alnum.map_or((at, end), |(a, _)| (a, end)));
                }
            }
        }
        if let Some(h) = han_start {
            put(h, end, &mut gap, &mut next_pos);
        }
    }
    if let Some((a, b)) = alnum {
        put(a, b, &mut gap, &mut next_pos);
    }
}

/// The tokens of `text` as [`analyze`] makes them, as `(token, position)`.
///
/// ```
/// use zhenggai::segment::{tokens, Dictionary};
/// let jieba = Dictionary::load(None).unwrap().jieba();
/// let t = tokens(&jieba, "推进医共 体建设，5Ｇ网络");
/// let words: Vec<&str> = t.iter().map(|(w, _)| w.as_str()).collect();
/// assert_eq!(words, ["推进", "医共体", "建设", "5g", "网络"]);
/// // The comma leaves one empty position.
/// assert_eq!(t[3].1, t[2].1 + 2);
/// ```
pub fn tokens(jieba: &Jieba, text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    analyze(jieba, text, &mut Scratch::default(), |t, p| {
        out.push((t.to_string(), p))
    });
    out
}

/// Words of `text` that count for ranking: its tokens of two or more characters (or
/// letters and digits), in order, repeated as often as they occur.
pub fn ranking_words(jieba: &Jieba, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyze(jieba, text, &mut Scratch::default(), |t, _| {
        let mut cs = t.chars();
        let first = cs.next();
        if cs.next().is_some() || first.is_some_and(|c| !is_han(c)) {
            out.push(t.to_string());
        }
    });
    out
}

/// Bytes of remembered cuts per tokenizer (one per field and indexing thread).
const CUT_CACHE_BUDGET: usize = 8 << 20;

/// A tantivy tokenizer over [`analyze`], sharing one dictionary between clones and
/// remembering cuts of repeated phrases ([`CutCache`]).
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
    scratch: Scratch,
    buf: Vec<Token>,
}

impl WordTokenizer {
    /// Wraps a shared segmenter.
    pub fn new(jieba: Arc<Jieba>) -> Self {
        WordTokenizer {
            jieba,
            scratch: Scratch::with_cache(CUT_CACHE_BUDGET),
            buf: Vec::new(),
        }
    }
}

/// A clone shares the dictionary and starts with empty buffers and memo (tantivy
/// clones a tokenizer for every field of every segment it writes).
impl Clone for WordTokenizer {
    fn clone(&self) -> Self {
        WordTokenizer::new(Arc::clone(&self.jieba))
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
        let mut n = 0usize;
        let buf = &mut self.buf;
        analyze(&self.jieba, text, &mut self.scratch, |t, position| {
            if n == buf.len() {
                buf.push(Token::default());
            }
            let tok = &mut buf[n];
            tok.text.clear();
            tok.text.push_str(t);
            // Offsets are not used (snippets are found in the stored text).
            tok.offset_from = 0;
            tok.offset_to = 0;
            tok.position = position;
            tok.position_length = 1;
            n += 1;
        });
        BufStream {
            tokens: &mut self.buf[..n],
            next: 0,
        }
    }
}

/// One part of a literal query, as [`pattern`] splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A run of CJK characters: covered by one or more consecutive tokens.
    Han(String),
    /// A run of letters and digits: one whole token.
    Alnum(String),
    /// Punctuation or whitespace: one empty position.
    Gap,
}

/// Splits a literal query the way [`analyze`] splits text, without cutting CJK runs
/// (the text around them decides where jieba cut): `None` if nothing is searchable.
///
/// ```
/// use zhenggai::segment::{pattern, Piece};
/// assert_eq!(
///     pattern("医共 體，5Ｇ").unwrap(),
///     [Piece::Han("医共体".into()), Piece::Gap, Piece::Alnum("5g".into())]
/// );
/// assert!(pattern("“”").is_none());
/// ```
pub fn pattern(text: &str) -> Option<Vec<Piece>> {
    let mut s = String::new();
    analysis_text(text, &mut s);
    let mut out = Vec::new();
    for part in s.split(' ').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(Piece::Gap);
        }
        let chars: Vec<char> = part.chars().collect();
        for run in chars.chunk_by(|a, b| is_han(*a) == is_han(*b)) {
            let text: String = run.iter().collect();
            out.push(if is_han(run[0]) {
                Piece::Han(text)
            } else {
                Piece::Alnum(text)
            });
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_those_of_the_unicode_tables() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let expected = if is_han(c) {
                Kind::Han
            } else if c.is_alphanumeric() {
                Kind::Alnum
            } else {
                Kind::Other
            };
            assert_eq!(kind(c), expected, "{c:?}");
            assert_eq!(
                crate::text::char_folder()(c),
                crate::text::fold_char(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn precompiled_dictionary_equals_the_merged_one() {
        let dict = Dictionary::load(None).unwrap();
        let fast = Prepared::load(None).unwrap();
        assert_eq!(fast.total, dict.total());
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.fst"), dir.path().join("b.fst"));
        dict.write_fst(&a).unwrap();
        fast.fst.write(&b).unwrap();
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
        let full = dict.jieba();
        for text in [
            "加快推进医共体建设,医联体内检查检验结果互认",
            "落实第一议题制度",
        ] {
            assert_eq!(full.cut(text, true), fast.jieba.cut(text, true), "{text}");
        }
    }

    /// Every (token, position) of `text`, with the given buffers.
    fn collect(jieba: &Jieba, text: &str, scratch: &mut Scratch) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        analyze(jieba, text, scratch, |t, p| out.push((t.to_string(), p)));
        out
    }

    #[test]
    fn remembered_cuts_give_the_same_tokens() {
        let jieba = Prepared::load(None).unwrap().jieba;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut lines = vec![
            "医共体 医共体，医共体B超 5G 医共体".to_string(),
            "a b  c，，d".to_string(),
            String::new(),
        ];
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let text = crate::read::decode_bytes(Path::new("x.txt"), &bytes)
                .unwrap()
                .text;
            lines.extend(text.lines().map(str::to_string));
        }
        let mut plain = Scratch::default();
        // A small budget drops and refills the memo on the way; a large one keeps
        // everything, so the second pass is served from it.
        for budget in [4 << 10, 4 << 20] {
            let mut cached = Scratch::with_cache(budget);
            for _ in 0..2 {
                for line in &lines {
                    let expected = collect(&jieba, line, &mut plain);
                    let got = collect(&jieba, line, &mut cached);
                    assert_eq!(got, expected, "{line}");
                }
            }
            let (hit, miss) = cached.stats();
            assert!(hit > 0 && miss > 0, "{hit} {miss}");
            if budget > 1 << 20 {
                assert!(hit > miss, "{hit} {miss}");
            }
        }
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
            let a: Vec<_> = full.cut(text, true).into_iter().map(|t| t.word).collect();
            let b: Vec<_> = small.cut(text, true).into_iter().map(|t| t.word).collect();
            assert_eq!(a, b, "{text}");
        }
    }
}
