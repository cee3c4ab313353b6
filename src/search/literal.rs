//! Finding a literal string through the word index.
//!
//! The index holds one token per jieba word, with positions, and the tokens of a
//! text partition its characters ([`crate::segment::analyze`]). So a string of
//! CJK characters `r` occurs in a text exactly when
//! - one token contains `r`, or
//! - consecutive tokens `t1 … tk` (k ≥ 2) spell it: `t1` ends with a prefix of `r`,
//!   the middle tokens are the next pieces of `r` exactly, and `tk` begins with the
//!   rest.
//!
//! The vocabulary ([`Vocabulary`]) gives the words that contain, end with or begin
//! with each piece; their postings give the records. Records with a word containing
//! `r` match at once; the others need a word of both ends and are checked position by
//! position. A query of several runs (`2023年5月`, `体，建`) is matched the same way:
//! a letter or digit run is one token in the text (the query's first run may end
//! one, its last begin one), punctuation one empty position.
//!
//! A run of letters and digits longer than [`ALNUM_CHUNK`] chars is several tokens,
//! chunks of that many chars ([`crate::segment::CHUNK_MARK`] ends all but the last),
//! and is spelled across them like a CJK run across jieba's words. The chunks where
//! a match may begin are few (only long runs make them) and found with one
//! vocabulary scan; a query's piece of letters and digits followed by more of the
//! query must end its run, so it does not end on a chunk that the run goes on after.
//!
//! The documents found for a literal in a segment are kept (`search::cache`): a
//! frequent query, typed again or paged through, is found without reading postings.
//!
//! The one approximation: for punctuation inside a query, the empty position is
//! checked only by distance, so `体，建` would also accept a single word between
//! 体 and 建 that this search did not look at.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TantivyError, Term, TERMINATED,
};

use super::cache::Lru;
use crate::index::vocab::Vocabulary;
use crate::segment::{pattern, Piece, ALNUM_CHUNK, CHUNK_MARK};

/// A word contains the whole literal: its records match without further checks.
const CONTAINS: u64 = 1 << 63;
/// Splits of a single CJK run told apart in the candidate filter; later splits
/// share the last slot.
const SLOTS: usize = 31;

/// Candidate mark of split slot `s`: the word can end the first part (`E`) or begin
/// the rest (`F`). A record that may hold a match spanning several words has both
/// marks of one slot.
fn mark_e(s: usize) -> u64 {
    1 << (2 * s.min(SLOTS - 1))
}
fn mark_f(s: usize) -> u64 {
    1 << (2 * s.min(SLOTS - 1) + 1)
}

/// A literal string prepared against a vocabulary: its pieces and every word that
/// can take part in a match.
#[derive(Debug)]
pub struct Literal {
    pieces: Vec<Piece>,
    /// `(word, candidate marks, whether it can take part in a match over several
    /// words)`, each word once.
    words: Vec<(String, u64, bool)>,
    /// What tells this literal apart in the cache of found documents: its pieces,
    /// and a hash of its words.
    key: (String, u64),
}

/// Byte offsets of the char boundaries of `s` strictly inside it.
fn inner_bounds(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.char_indices().map(|(i, _)| i).skip(1)
}

/// Byte offsets of all char boundaries of `s`, ends included.
fn all_bounds(s: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(inner_bounds(s))
        .chain([s.len()])
        .collect()
}

/// `s` cut as the analyzer cuts a long run of letters and digits, from a chunk
/// boundary: the full chunks more of the run follows (with their mark, as the index
/// holds them), and the last part, 1 to [`ALNUM_CHUNK`] chars (empty only if `s`
/// is).
fn tile(s: &str) -> (Vec<String>, &str) {
    let mut full = Vec::new();
    let mut rest = s;
    while let Some((end, _)) = rest.char_indices().nth(ALNUM_CHUNK) {
        let mut w = rest[..end].to_string();
        w.push(CHUNK_MARK);
        full.push(w);
        rest = &rest[end..];
    }
    (full, rest)
}

/// The chunks of `chunks` (words of the vocabulary that continue a long run) that
/// end with `s`.
fn chunks_ending_with<'v>(chunks: &[&'v str], s: &str) -> Vec<&'v str> {
    chunks
        .iter()
        .copied()
        .filter(|w| w.strip_suffix(CHUNK_MARK).is_some_and(|c| c.ends_with(s)))
        .collect()
}

impl Literal {
    /// Prepares `text`; `None` if it has nothing searchable.
    pub fn new(text: &str, vocab: &Vocabulary) -> Option<Literal> {
        let pieces = pattern(text)?;
        let mut words: std::collections::HashMap<String, (u64, bool)> =
            std::collections::HashMap::new();
        let mut add = |w: &str, mark: u64, dp: bool| {
            let e = words.entry(w.to_string()).or_default();
            e.0 |= mark;
            e.1 |= dp;
        };
        let n = pieces.len();
        let max = vocab.max_chars();
        // The chunks of long runs of letters and digits the index holds (usually
        // none), where a query's first run of letters and digits may begin.
        let chunks: Vec<&str> = match pieces.first() {
            Some(Piece::Alnum(a)) if a.chars().nth(1).is_some() => {
                vocab.containing(CHUNK_MARK.encode_utf8(&mut [0; 4]))
            }
            _ => Vec::new(),
        };
        if let [Piece::Alnum(a)] = pieces.as_slice() {
            // One run of letters and digits: a token containing it, or (in a long
            // run) a chunk ending with its first x chars, then the chunks of the
            // rest and a token beginning with the last of it.
            for w in vocab.containing(a) {
                add(w, CONTAINS, false);
            }
            for (slot, x) in inner_bounds(a).take(ALNUM_CHUNK).enumerate() {
                let ends = chunks_ending_with(&chunks, &a[..x]);
                if ends.is_empty() {
                    continue;
                }
                for w in ends {
                    add(w, mark_e(slot), true);
                }
                let (full, last) = tile(&a[x..]);
                for (i, w) in full.iter().enumerate() {
                    add(w, if i == 0 { mark_f(slot) } else { 0 }, true);
                }
                let mark = if full.is_empty() { mark_f(slot) } else { 0 };
                for w in vocab.starting_with(last) {
                    add(w, mark, true);
                }
            }
        } else if let [Piece::Han(r)] = pieces.as_slice() {
            // The common case, one CJK run: a word containing it, or a split after
            // its a-th char with a word ending with r[..a] and one beginning r[a..].
            // No word is longer than `max` chars: that bounds the work for long
            // queries (the first word ends, and the last begins, within `max` chars
            // of the ends).
            let bounds = all_bounds(r);
            let len = bounds.len() - 1;
            if len <= max {
                for w in vocab.containing(r) {
                    add(w, CONTAINS, false);
                }
            }
            for (s, &a) in bounds[1..len].iter().enumerate() {
                if s < max {
                    for w in vocab.ending_with(&r[..a]) {
                        add(w, mark_e(s), true);
                    }
                }
                if len - (s + 1) <= max {
                    for w in vocab.starting_with(&r[a..]) {
                        add(w, mark_f(s), true);
                    }
                }
                let mark = if s < max { mark_f(s) } else { 0 };
                for &j in bounds.iter().filter(|&&j| j > a).take(max) {
                    add(&r[a..j], mark, true);
                }
            }
        } else {
            // Several runs: a word that can begin the match (slot 0, E) and one that
            // can end it (slot 0, F), then the check by positions.
            let (begin, end) = (mark_e(0), mark_f(0));
            for (k, piece) in pieces.iter().enumerate() {
                let (first, last) = (k == 0, k + 1 == n);
                match piece {
                    Piece::Gap => {}
                    // Letters and digits are one token per run, or chunks of a
                    // long run; the query's run may end one (at its start) or
                    // begin one (at its end).
                    Piece::Alnum(a) if first => {
                        for w in vocab.ending_with(a) {
                            add(w, begin, true);
                        }
                        for x in inner_bounds(a).take(ALNUM_CHUNK) {
                            let ends = chunks_ending_with(&chunks, &a[..x]);
                            if ends.is_empty() {
                                continue;
                            }
                            for w in ends {
                                add(w, begin, true);
                            }
                            let (full, tail) = tile(&a[x..]);
                            for w in &full {
                                add(w, 0, true);
                            }
                            add(tail, 0, true);
                        }
                    }
                    Piece::Alnum(a) => {
                        let (full, rest) = tile(a);
                        for w in &full {
                            add(w, 0, true);
                        }
                        if last {
                            for w in vocab.starting_with(rest) {
                                add(w, end, true);
                            }
                        } else {
                            add(rest, 0, true);
                        }
                    }
                    Piece::Han(r) => {
                        let bounds = all_bounds(r);
                        let len = bounds.len() - 1;
                        if first {
                            // Words ending with a prefix of r, or with all of it.
                            for &a in bounds[1..].iter().take(max) {
                                for w in vocab.ending_with(&r[..a]) {
                                    add(w, begin, true);
                                }
                            }
                        }
                        if last {
                            for &i in &bounds[len.saturating_sub(max)..len] {
                                for w in vocab.starting_with(&r[i..]) {
                                    add(w, end, true);
                                }
                            }
                        }
                        // Whole pieces of r in between.
                        for (x, &i) in bounds.iter().enumerate() {
                            for &j in bounds[x + 1..].iter().take(max) {
                                add(&r[i..j], 0, true);
                            }
                        }
                    }
                }
            }
        }
        let mut words: Vec<(String, u64, bool)> =
            words.into_iter().map(|(w, (m, dp))| (w, m, dp)).collect();
        words.sort();
        let mut spelled = String::new();
        for p in &pieces {
            match p {
                Piece::Han(r) => spelled.extend(['H'].into_iter().chain(r.chars())),
                Piece::Alnum(a) => spelled.extend(['A'].into_iter().chain(a.chars())),
                Piece::Gap => spelled.push('G'),
            }
            spelled.push('\0');
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        words.hash(&mut h);
        let key = (spelled, h.finish());
        Some(Literal { pieces, words, key })
    }

    /// Documents of one segment where the literal occurs in `field`, sorted: kept
    /// from an earlier search of the same segment if there was one
    /// (`search::cache`), else found with [`Literal::matching_docs`] and kept.
    pub fn docs(&self, reader: &SegmentReader, field: Field) -> tantivy::Result<Arc<[DocId]>> {
        let key = CacheKey {
            segment: reader.segment_id(),
            field,
            literal: self.key.clone(),
        };
        found().get_or_insert_with(&key, || {
            let docs: Arc<[DocId]> = self.matching_docs(reader, field)?.into();
            let weight = docs.len().max(1);
            Ok((docs, weight))
        })
    }

    /// Documents of one segment where the literal occurs in `field`, sorted.
    pub fn matching_docs(
        &self,
        reader: &SegmentReader,
        field: Field,
    ) -> tantivy::Result<Vec<DocId>> {
        let inverted = reader.inverted_index(field)?;
        let mut infos = Vec::with_capacity(self.words.len());
        for (w, _, _) in &self.words {
            infos.push(inverted.get_term_info(&Term::from_field_text(field, w))?);
        }
        let with = |bit: u64| -> Vec<TermInfo> {
            self.words
                .iter()
                .zip(&infos)
                .filter(|((_, m, _), info)| m & bit != 0 && info.is_some())
                .filter_map(|(_, info)| info.clone())
                .collect()
        };
        let contains = union_docs(&inverted, &with(CONTAINS))?;
        // Records where some split has a word on each side. The side with fewer
        // postings is read; the other is only sought in its records.
        let mut candidates: Vec<DocId> = Vec::new();
        for slot in 0..SLOTS {
            let (e, f) = (with(mark_e(slot)), with(mark_f(slot)));
            if e.is_empty() || f.is_empty() {
                continue;
            }
            let size = |v: &[TermInfo]| v.iter().map(|i| u64::from(i.doc_freq)).sum::<u64>();
            let (small, large) = if size(&e) <= size(&f) { (e, f) } else { (f, e) };
            let docs = union_docs(&inverted, &small)?;
            candidates.extend(present_in(&inverted, &large, &docs)?);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|d| contains.binary_search(d).is_err());
        let mut out = contains;
        if !candidates.is_empty() {
            // (record, position, word) of every word that can take part, in the
            // undecided records only (by their place in `candidates`): postings skip
            // to them.
            let mut at: Vec<(u32, u32, u32)> = Vec::new();
            let mut positions = Vec::new();
            for (i, ((_, _, dp), info)) in self.words.iter().zip(&infos).enumerate() {
                let (true, Some(info)) = (*dp, info) else {
                    continue;
                };
                let mut p = inverted
                    .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)?;
                for_each_common(&mut p, &candidates, |p, k, _| {
                    p.positions(&mut positions);
                    at.extend(positions.iter().map(|&pos| (k as u32, pos, i as u32)));
                });
            }
            // Grouped by record (a counting sort: there are many), then each record's
            // tokens in order of position.
            let mut start = vec![0usize; candidates.len() + 1];
            for &(k, _, _) in &at {
                start[k as usize + 1] += 1;
            }
            for k in 0..candidates.len() {
                start[k + 1] += start[k];
            }
            let mut next = start.clone();
            let mut toks: Vec<(u32, &str)> = vec![(0, ""); at.len()];
            for &(k, pos, i) in &at {
                toks[next[k as usize]] = (pos, self.words[i as usize].0.as_str());
                next[k as usize] += 1;
            }
            for (k, &d) in candidates.iter().enumerate() {
                let group = &mut toks[start[k]..start[k + 1]];
                if group.is_empty() {
                    continue;
                }
                group.sort_unstable();
                if self.spelled(group) {
                    out.push(d);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Whether consecutive tokens of `toks` (`(position, word)`, sorted) spell the
    /// literal.
    fn spelled(&self, toks: &[(u32, &str)]) -> bool {
        let n = self.pieces.len();
        let find = |pos: u32| toks.binary_search_by_key(&pos, |t| t.0).ok();
        // The token after position `pos` (none past the last position).
        let after = |pos: u32| pos.checked_add(1).and_then(find);
        // State: (token index, piece, byte offset in the piece).
        let mut stack: Vec<(usize, usize, usize)> = Vec::new();
        // Piece `k` is complete at position `pos`: go on with the next one.
        let next_piece = |k: usize, pos: u32, stack: &mut Vec<(usize, usize, usize)>| -> bool {
            let mut k2 = k + 1;
            if k2 == n {
                return true;
            }
            let mut q = pos.checked_add(1);
            if self.pieces[k2] == Piece::Gap {
                k2 += 1;
                q = q.and_then(|q| q.checked_add(1));
            }
            if let Some(e) = q.and_then(find) {
                stack.push((e, k2, 0));
            }
            false
        };
        for start in 0..toks.len() {
            stack.clear();
            stack.push((start, 0, 0));
            while let Some((e, k, o)) = stack.pop() {
                let (pos, word) = toks[e];
                // A chunk of a long run of letters and digits that the run goes on
                // after: spelled without its mark, and no piece but the last may
                // end on it (a piece followed by others ends its run).
                let (t, more) = match word.strip_suffix(CHUNK_MARK) {
                    Some(t) => (t, true),
                    None => (word, false),
                };
                let may_end = k + 1 == n || !more;
                let r = match &self.pieces[k] {
                    Piece::Gap => continue,
                    Piece::Han(r) | Piece::Alnum(r) => r.as_str(),
                };
                if k == 0 && o == 0 {
                    // The first piece: the token ends with the start of it.
                    if n == 1 && t.contains(r) {
                        return true;
                    }
                    for a in inner_bounds(r).chain([r.len()]) {
                        if !t.ends_with(&r[..a]) {
                            continue;
                        }
                        if a == r.len() {
                            if may_end && next_piece(k, pos, &mut stack) {
                                return true;
                            }
                        } else if let Some(e2) = after(pos) {
                            stack.push((e2, k, a));
                        }
                    }
                } else {
                    // Further tokens spell the piece on, the last one may only
                    // begin with the rest of the last piece.
                    let rest = &r[o..];
                    if k + 1 == n && t.starts_with(rest) {
                        return true;
                    }
                    if !t.is_empty() && rest.starts_with(t) {
                        let o2 = o + t.len();
                        if o2 == r.len() {
                            if may_end && next_piece(k, pos, &mut stack) {
                                return true;
                            }
                        } else if let Some(e2) = after(pos) {
                            stack.push((e2, k, o2));
                        }
                    }
                }
            }
        }
        false
    }
}

/// Calls `f` with the postings, the place in `docs` and the record, for every record
/// of `docs` (sorted) that `postings` holds, skipping ahead in whichever of the two
/// is behind.
fn for_each_common(
    postings: &mut SegmentPostings,
    docs: &[DocId],
    mut f: impl FnMut(&mut SegmentPostings, usize, DocId),
) {
    let mut k = 0;
    while k < docs.len() {
        let (d, have) = (docs[k], postings.doc());
        if have == TERMINATED {
            break;
        }
        if have > d {
            k += docs[k..].partition_point(|&x| x < have);
            continue;
        }
        if postings.seek(d) == d {
            f(postings, k, d);
        }
        k += 1;
    }
}

/// Every record holding one of the words, sorted.
fn union_docs(inverted: &InvertedIndexReader, words: &[TermInfo]) -> tantivy::Result<Vec<DocId>> {
    let mut out = Vec::new();
    for info in words {
        let mut block =
            inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                break;
            }
            out.extend_from_slice(docs);
            block.advance();
        }
    }
    if words.len() > 1 {
        out.sort_unstable();
        out.dedup();
    }
    Ok(out)
}

/// The records of `docs` (sorted) that hold one of the words.
fn present_in(
    inverted: &InvertedIndexReader,
    words: &[TermInfo],
    docs: &[DocId],
) -> tantivy::Result<Vec<DocId>> {
    let mut found = vec![false; docs.len()];
    for info in words {
        let mut p = inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        for_each_common(&mut p, docs, |_, k, _| found[k] = true);
    }
    Ok(docs
        .iter()
        .zip(found)
        .filter_map(|(&d, f)| f.then_some(d))
        .collect())
}

/// The tantivy query for a [`Literal`] in one field. Every match scores the same
/// (its boost): ranking comes from the word queries beside it.
#[derive(Debug, Clone)]
pub struct LiteralQuery {
    field: Field,
    literal: Arc<Literal>,
}

impl LiteralQuery {
    /// Finds `literal` in `field`.
    pub fn new(field: Field, literal: Arc<Literal>) -> Self {
        LiteralQuery { field, literal }
    }
}

impl Query for LiteralQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(LiteralWeight {
            field: self.field,
            literal: Arc::clone(&self.literal),
        }))
    }
}

struct LiteralWeight {
    field: Field,
    literal: Arc<Literal>,
}

impl Weight for LiteralWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self.literal.docs(reader, self.field)?;
        Ok(Box::new(ConstScorer::new(DocIds { docs, at: 0 }, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let docs = self.literal.docs(reader, self.field)?;
        if docs.binary_search(&doc).is_ok() {
            Ok(Explanation::new("literal match", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )))
        }
    }
}

/// Sorted document ids as a tantivy doc set.
struct DocIds {
    docs: Arc<[DocId]>,
    at: usize,
}

impl DocSet for DocIds {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        self.docs.len() as u32
    }
}

/// Most literals an index keeps prepared.
const PREPARED_ENTRIES: usize = 4096;
/// Most vocabulary words the prepared literals hold together.
const PREPARED_WORDS: usize = 1 << 20;

/// The literals of an index, prepared from its vocabulary and kept by text:
/// preparing one scans the whole vocabulary for the words that can spell it, which
/// took a quarter of a light query's time, and the same words come back (paging,
/// facet clicks, typing).
#[derive(Debug)]
pub struct Literals {
    vocab: Vocabulary,
    prepared: Lru<String, Option<Arc<Literal>>>,
}

impl Literals {
    /// The literals of the index whose vocabulary is `vocab`.
    pub fn new(vocab: Vocabulary) -> Self {
        Literals {
            vocab,
            prepared: Lru::new(PREPARED_WORDS, PREPARED_ENTRIES),
        }
    }

    /// `text` prepared ([`Literal::new`]), kept from an earlier call if there was
    /// one; `None` if it has nothing searchable.
    pub fn get(&self, text: &str) -> Option<Arc<Literal>> {
        self.prepared.get_or_insert(&text.to_string(), || {
            let lit = Literal::new(text, &self.vocab).map(Arc::new);
            let weight = lit.as_ref().map_or(1, |l| l.words.len() + 1);
            (lit, weight)
        })
    }

    /// Forgets every prepared literal (for measuring queries never asked before).
    pub fn clear(&self) {
        self.prepared.clear();
    }
}

/// Most document ids the cache of found documents keeps, over all its entries (16 MB).
const CACHE_DOCS: usize = 4 << 20;
/// Most entries the cache of found documents keeps.
const CACHE_ENTRIES: usize = 4096;

/// Which literal was looked for in which segment and field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    segment: SegmentId,
    field: Field,
    literal: (String, u64),
}

/// The documents found for literals, by segment, field and literal ([`super::cache`]).
/// Deleted documents are kept in the entries like in postings; searches leave them
/// out.
fn found() -> &'static Lru<CacheKey, Arc<[DocId]>> {
    static CACHE: OnceLock<Lru<CacheKey, Arc<[DocId]>>> = OnceLock::new();
    CACHE.get_or_init(|| Lru::new(CACHE_DOCS, CACHE_ENTRIES))
}

/// Forgets the documents found for every literal, so that the next searches find
/// them anew (for measuring them).
pub fn clear_cache() {
    found().clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{tokens, Dictionary, CHUNK_MARK};
    use crate::text::{fold_char, is_han};

    /// Runs of CJK characters of `text` as the analyzer sees them (folded, spaces
    /// between CJK characters ignored).
    fn han_runs(text: &str) -> Vec<String> {
        let mut runs = vec![String::new()];
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let f = fold_char(c);
            if is_han(f) {
                runs.last_mut().unwrap().push(f);
            } else if !(c.is_whitespace()
                && chars.peek().is_some_and(|&n| is_han(fold_char(n)))
                && runs.last().is_some_and(|r| !r.is_empty()))
            {
                runs.push(String::new());
            }
        }
        runs.retain(|r| !r.is_empty());
        runs
    }

    /// Runs of letters and digits of `text` as the analyzer sees them (folded).
    fn alnum_runs(text: &str) -> Vec<String> {
        let folded: String = text.chars().map(fold_char).collect();
        folded
            .split(|c: char| !c.is_alphanumeric() || is_han(c))
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A run of `len` letters and digits that does not repeat with a short period.
    fn long_run(len: usize, seed: u64) -> String {
        const ABC: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(ABC[((x >> 33) % ABC.len() as u64) as usize])
            })
            .collect()
    }

    #[test]
    fn tokens_spell_every_substring_and_nothing_else() {
        let jieba = Dictionary::load(None).unwrap().jieba();
        let long = [
            format!("编号{}完成，{}。", long_run(150, 1), long_run(64, 2)),
            format!("{}医共体{}", long_run(129, 3), long_run(65, 4)),
            format!("附件 {} 与 {}", long_run(200, 5), long_run(128, 6)),
        ];
        for text in [
            "加快推进医共体建设，医联体内检查检验结果互认",
            "中华人民共和国人民大会堂召开全国人民代表大会",
            "落实“第一议题”制度和三重一大决策，办公务必节约",
            "2023年5月完成5G智慧化急救体系建设",
            "推进医共 体建设 与 体制改革",
            &long[0],
            &long[1],
            &long[2],
        ] {
            let toks = tokens(&jieba, text);
            let vocab = Vocabulary::from_words(toks.iter().map(|(w, _)| w.as_str()));
            let at: Vec<(u32, &str)> = toks.iter().map(|(w, p)| (*p as u32, w.as_str())).collect();
            let runs = han_runs(text);
            let spelled = |q: &str| Literal::new(q, &vocab).unwrap().spelled(&at);
            for run in &runs {
                // Whole runs are longer than any word: the bounds on long queries.
                assert!(spelled(run), "{run} in {text}: {toks:?}");
                let cs: Vec<char> = run.chars().collect();
                for i in 0..cs.len() {
                    for j in i + 1..=cs.len().min(i + 7) {
                        let q: String = cs[i..j].iter().collect();
                        assert!(spelled(&q), "{q} in {text}: {toks:?}");
                    }
                }
            }
            let all: Vec<char> = runs.iter().flat_map(|r| r.chars()).collect();
            for &a in &all {
                for &b in &all {
                    let q: String = [a, b].iter().collect();
                    let occurs = runs.iter().any(|r| r.contains(&q));
                    assert_eq!(spelled(&q), occurs, "{q} in {text}: {toks:?}");
                }
            }
            // Runs of letters and digits, also those cut into chunks: every
            // substring, and two- and three-char strings exactly where they occur.
            let runs = alnum_runs(text);
            for run in &runs {
                let cs: Vec<char> = run.chars().collect();
                for i in 0..cs.len() {
                    for j in i + 1..=cs.len() {
                        let q: String = cs[i..j].iter().collect();
                        assert!(spelled(&q), "{q} in {text}: {toks:?}");
                    }
                }
            }
            let all: Vec<char> = runs.iter().flat_map(|r| r.chars()).collect();
            for (k, &a) in all.iter().enumerate() {
                for &b in &all {
                    let c = all[(k * 7) % all.len()];
                    for q in [
                        [a, b].iter().collect::<String>(),
                        [a, b, c].iter().collect(),
                    ] {
                        let occurs = runs.iter().any(|r| r.contains(&q));
                        assert_eq!(spelled(&q), occurs, "{q} in {text}: {toks:?}");
                    }
                }
            }
        }
        // Chunks are at most ALNUM_CHUNK chars, and all but the last of a run say
        // that the run goes on.
        let toks = tokens(&jieba, &long[2]);
        let sizes: Vec<(usize, bool)> = toks
            .iter()
            .map(|(w, _)| {
                let more = w.ends_with(CHUNK_MARK);
                (w.trim_end_matches(CHUNK_MARK).chars().count(), more)
            })
            .collect();
        assert_eq!(
            sizes,
            [
                (2, false),
                (64, true),
                (64, true),
                (64, true),
                (8, false),
                (1, false),
                (64, true),
                (64, false)
            ]
        );
    }

    #[test]
    fn long_runs_match_across_chunks_next_to_other_pieces() {
        let jieba = Dictionary::load(None).unwrap().jieba();
        let (x, y) = (long_run(150, 7), long_run(70, 8));
        let text = format!("编号{x}完成，{y}。体制");
        let toks = tokens(&jieba, &text);
        let vocab = Vocabulary::from_words(toks.iter().map(|(w, _)| w.as_str()));
        let at: Vec<(u32, &str)> = toks.iter().map(|(w, p)| (*p as u32, w.as_str())).collect();
        let spelled = |q: &str| Literal::new(q, &vocab).unwrap().spelled(&at);
        for q in [
            format!("编号{}", &x[..100]),
            format!("号{x}完"),
            format!("{}完成", &x[30..]),
            format!("{}完成，{}", &x[64..], &y[..66]),
            format!("完成，{y}。体"),
            format!("{}。体制", &y[1..]),
            format!("{x}完成"),
        ] {
            assert!(spelled(&q), "{q}: {toks:?}");
        }
        for q in [
            // The run goes on after these: they cannot end a piece.
            format!("{}完成", &x[..64]),
            format!("{}完成", &x[..128]),
            format!("{}，{}", &x[..64], &y[..10]),
            // Nor begin one where it does not start.
            format!("编号{}", &x[1..100]),
            format!("完成，{}", &y[1..]),
            format!("{}。体", &y[..69]),
        ] {
            assert!(!spelled(&q), "{q}: {toks:?}");
        }
    }

    #[test]
    fn runs_of_several_kinds_match_in_order() {
        let jieba = Dictionary::load(None).unwrap().jieba();
        let text = "2023年5月份完成，体制建设";
        let toks = tokens(&jieba, text);
        let vocab = Vocabulary::from_words(toks.iter().map(|(w, _)| w.as_str()));
        let at: Vec<(u32, &str)> = toks.iter().map(|(w, p)| (*p as u32, w.as_str())).collect();
        let spelled = |q: &str| Literal::new(q, &vocab).unwrap().spelled(&at);
        assert!(spelled("2023年5月"));
        assert!(spelled("年5月份"));
        assert!(spelled("完成，体制"));
        assert!(spelled("成。体"));
        assert!(!spelled("2023年6月"));
        assert!(spelled("023年"), "a run of digits may end a longer one");
        assert!(
            !spelled("202年"),
            "but the digits before CJK text end their run"
        );
        assert!(spelled("年5"));
        assert!(!spelled("完成体制"), "punctuation separates");
    }
}
