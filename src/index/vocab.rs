//! The vocabulary: every distinct word the index holds, so that a search can find
//! the words that contain, begin or end with a piece of a query.
//!
//! It is written at the end of every build from the term dictionaries of all
//! segments, one word per line (`vocab.txt`). Words of deleted records may linger
//! until their segment is merged away; that only costs a lookup that finds nothing.

use std::path::Path;

use memchr::memmem;
use tantivy::schema::Field;
use tantivy::Index;

use crate::error::{Error, Result};

/// Name of the vocabulary file in an index directory.
pub const VOCAB: &str = "vocab.txt";

/// Every distinct word of the word fields.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// `"\n"`, then every word followed by `"\n"`, sorted.
    buf: String,
    /// Length of the longest word of CJK characters, in chars.
    max_chars: usize,
}

/// Length in chars of `w` if it is a word of CJK characters, else 0.
fn han_chars(w: &str) -> usize {
    if w.chars().next().is_some_and(crate::text::is_han) {
        w.chars().count()
    } else {
        0
    }
}

/// Merges two sorted lists without duplicates.
fn merge(a: Vec<String>, b: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x < y => a.next(),
            (Some(x), Some(y)) if x > y => b.next(),
            (Some(_), Some(_)) => {
                b.next();
                a.next()
            }
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

impl Vocabulary {
    /// Collects the words of `fields` from every segment of `index`.
    pub fn collect(index: &Index, fields: &[Field]) -> Result<Vocabulary> {
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let mut lists: Vec<Vec<String>> = Vec::new();
        for seg in searcher.segment_readers() {
            for &field in fields {
                let inverted = seg.inverted_index(field)?;
                let mut stream = inverted.terms().stream()?;
                let mut words = Vec::new();
                while let Some((key, _)) = stream.next() {
                    if let Ok(w) = std::str::from_utf8(key) {
                        words.push(w.to_string());
                    }
                }
                lists.push(words);
            }
        }
        // Pairwise merges of sorted lists: linear in the words at each of log(n) rounds.
        while lists.len() > 1 {
            let mut next = Vec::with_capacity(lists.len().div_ceil(2));
            let mut it = lists.into_iter();
            while let Some(a) = it.next() {
                next.push(match it.next() {
                    Some(b) => merge(a, b),
                    None => a,
                });
            }
            lists = next;
        }
        Ok(Self::from_sorted(&lists.pop().unwrap_or_default()))
    }

    /// A vocabulary of words already sorted and without duplicates.
    fn from_sorted<S: AsRef<str>>(words: &[S]) -> Vocabulary {
        let mut buf =
            String::with_capacity(words.iter().map(|w| w.as_ref().len() + 1).sum::<usize>() + 1);
        buf.push('\n');
        let mut max_chars = 0;
        for w in words {
            buf.push_str(w.as_ref());
            buf.push('\n');
            max_chars = max_chars.max(han_chars(w.as_ref()));
        }
        Vocabulary { buf, max_chars }
    }

    /// Writes `vocab.txt` in `dir` atomically (temporary file, fsync, rename).
    pub fn write(&self, dir: &Path) -> Result<()> {
        super::store::write_atomic(&dir.join(VOCAB), self.buf.as_bytes())
    }

    /// xxh3 of the bytes [`Vocabulary::write`] writes, hex (the manifest keeps it).
    pub fn hash(&self) -> String {
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(self.buf.as_bytes()))
    }

    /// Reads `vocab.txt` from `dir` (an index folder's live generation, or a
    /// generation folder).
    pub fn load(dir: &Path) -> Result<Vocabulary> {
        let path = super::store::resolve(dir).join(VOCAB);
        let mut buf = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        if !buf.starts_with('\n') {
            buf.insert(0, '\n');
        }
        if !buf.ends_with('\n') {
            buf.push('\n');
        }
        let max_chars = buf.split('\n').map(han_chars).max().unwrap_or(0);
        Ok(Vocabulary { buf, max_chars })
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.buf.matches('\n').count().saturating_sub(1)
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.buf.len() <= 1
    }

    /// Length of the longest word of CJK characters, in chars.
    pub fn max_chars(&self) -> usize {
        self.max_chars
    }

    /// The word around byte `at` of the buffer.
    fn word_at(&self, at: usize) -> &str {
        let start = self.buf[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = self.buf[at..].find('\n').map_or(self.buf.len(), |i| at + i);
        &self.buf[start..end]
    }

    /// Words that contain `s` (`s` itself included).
    ///
    /// ```
    /// # use zhenggai::index::vocab::Vocabulary;
    /// let v = Vocabulary::from_words(["医共体", "共同体", "体制", "医疗"]);
    /// assert_eq!(v.containing("共"), ["共同体", "医共体"]);
    /// assert_eq!(v.ending_with("体"), ["共同体", "医共体"]);
    /// assert_eq!(v.starting_with("医"), ["医共体", "医疗"]);
    /// ```
    pub fn containing(&self, s: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        if s.is_empty() || s.contains('\n') {
            return out;
        }
        let mut last_start = usize::MAX;
        for at in memmem::find_iter(self.buf.as_bytes(), s.as_bytes()) {
            let w = self.word_at(at);
            let start = w.as_ptr() as usize - self.buf.as_ptr() as usize;
            if start != last_start {
                last_start = start;
                out.push(w);
            }
        }
        out
    }

    /// Words that end with `s`.
    pub fn ending_with(&self, s: &str) -> Vec<&str> {
        if s.is_empty() || s.contains('\n') {
            return Vec::new();
        }
        let needle = format!("{s}\n");
        memmem::find_iter(self.buf.as_bytes(), needle.as_bytes())
            .map(|at| self.word_at(at))
            .collect()
    }

    /// Words that begin with `s`.
    pub fn starting_with(&self, s: &str) -> Vec<&str> {
        if s.is_empty() || s.contains('\n') {
            return Vec::new();
        }
        let needle = format!("\n{s}");
        memmem::find_iter(self.buf.as_bytes(), needle.as_bytes())
            .map(|at| self.word_at(at + 1))
            .collect()
    }

    /// A vocabulary of the given words (sorted and deduplicated here).
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut v: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
        v.sort_unstable();
        v.dedup();
        Self::from_sorted(&v)
    }
}
