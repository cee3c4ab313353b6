//! The query language and its translation into tantivy queries.
//!
//! A query is words separated by spaces, all of which must match (AND). `OR` (or `|`)
//! between words accepts either; `NOT word` or `-word` excludes; `"…"` (or `“…”`)
//! keeps spaces and operators inside one phrase; parentheses group.
//!
//! A word matches a record when its characters stand together in the measure text or
//! the problem title ([`super::literal`]): so 医共体 is found in 医共体内 whether or
//! not jieba cut it as a word. Ranking adds BM25 over jieba words of the measure
//! text, problem title (boosted) and category, so a record that holds the query as a
//! whole word ranks above one that holds only its characters.

use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::group::GroupQuery;
use super::kept::KeptQuery;
use super::literal::{LiteralQuery, Literals};
use super::rank::RankQuery;
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::segment::{pattern, ranking_words};
use crate::text::fold_width;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A word or quoted phrase.
    Term(String),
    /// Excluded.
    Not(Box<Expr>),
    /// All must match.
    And(Vec<Expr>),
    /// Any may match.
    Or(Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lex {
    Word(String),
    Phrase(String),
    Open,
    Close,
    OrOp,
    AndOp,
    NotOp,
}

fn lex(input: &str) -> Result<Vec<Lex>> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let f = fold_width(&c.to_string()).chars().next().unwrap_or(c);
        if c.is_whitespace() {
            i += 1;
        } else if f == '"' || c == '“' || c == '”' || c == '「' {
            let close: &[char] = match c {
                '“' => &['”', '"'],
                '「' => &['」'],
                _ => &['"', '＂', '”'],
            };
            let mut j = i + 1;
            while j < chars.len() && !close.contains(&chars[j]) {
                j += 1;
            }
            if j >= chars.len() {
                return Err(Error::BadQuery(format!(
                    "引号没有闭合 (unclosed quote): {input}"
                )));
            }
            let phrase: String = chars[i + 1..j].iter().collect();
            out.push(Lex::Phrase(phrase));
            i = j + 1;
        } else if f == '(' {
            out.push(Lex::Open);
            i += 1;
        } else if f == ')' {
            out.push(Lex::Close);
            i += 1;
        } else if f == '|' {
            out.push(Lex::OrOp);
            i += 1;
        } else if f == '-'
            && (i == 0 || chars[i - 1].is_whitespace() || matches!(chars[i - 1], '(' | '（'))
            && chars.get(i + 1).is_some_and(|c| !c.is_whitespace())
        {
            out.push(Lex::NotOp);
            i += 1;
        } else {
            let mut j = i;
            while j < chars.len() {
                let g = fold_width(&chars[j].to_string())
                    .chars()
                    .next()
                    .unwrap_or(chars[j]);
                if chars[j].is_whitespace() || matches!(g, '(' | ')' | '"' | '|') || chars[j] == '“'
                {
                    break;
                }
                j += 1;
            }
            let w: String = chars[i..j].iter().collect();
            out.push(match w.as_str() {
                "OR" => Lex::OrOp,
                "AND" | "&" | "&&" => Lex::AndOp,
                "NOT" => Lex::NotOp,
                _ => Lex::Word(w),
            });
            i = j;
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Lex>,
    pos: usize,
    depth: usize,
}

/// Deepest nesting of parentheses and NOT a query may have.
const MAX_DEPTH: usize = 64;

/// Longest query, in characters. A word is matched through every piece of it the
/// index's vocabulary holds ([`super::literal`]), so the work grows with its length;
/// a pasted sentence or two fits.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Most words and phrases a query may hold (each is matched in two fields and
/// ranked in three, and synonyms add their own).
pub const MAX_QUERY_TERMS: usize = 32;

/// Checks that text given to search for is at most [`MAX_QUERY_CHARS`] long; `zh`
/// and `en` name it in the message (`查询`/`query`, `--category` …).
///
/// ```
/// use zhenggai::search::query::{check_length, MAX_QUERY_CHARS};
/// assert!(check_length("查询", "query", &"医".repeat(MAX_QUERY_CHARS)).is_ok());
/// let e = check_length("查询", "query", &"医".repeat(MAX_QUERY_CHARS + 1)).unwrap_err();
/// assert!(e.to_string().contains("1000"));
/// ```
pub fn check_length(zh: &str, en: &str, text: &str) -> Result<()> {
    if text.chars().nth(MAX_QUERY_CHARS).is_some() {
        return Err(Error::BadQuery(format!(
            "{zh}过长：最多 {MAX_QUERY_CHARS} 个字符，给出 {n} 个 \
             ({en} too long: at most {MAX_QUERY_CHARS} characters, {n} given)",
            n = text.chars().count()
        )));
    }
    Ok(())
}

impl Parser {
    fn peek(&self) -> Option<&Lex> {
        self.toks.get(self.pos)
    }
    fn or(&mut self) -> Result<Expr> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Lex::OrOp) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }
    fn and(&mut self) -> Result<Expr> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Lex::Close) | Some(Lex::OrOp) => break,
                Some(Lex::AndOp) => self.pos += 1,
                _ => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 => Err(Error::BadQuery("缺少查询词 (missing search words)".into())),
            1 => Ok(parts.remove(0)),
            _ => Ok(Expr::And(parts)),
        }
    }
    fn unary(&mut self) -> Result<Expr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::BadQuery(format!(
                "查询嵌套过深（最多 {MAX_DEPTH} 层）(query nested deeper than {MAX_DEPTH} levels)"
            )));
        }
        let e = self.unary_inner();
        self.depth -= 1;
        e
    }
    fn unary_inner(&mut self) -> Result<Expr> {
        match self.peek().cloned() {
            Some(Lex::NotOp) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some(Lex::Open) => {
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Lex::Close) {
                    return Err(Error::BadQuery(
                        "括号没有闭合 (unclosed parenthesis)".into(),
                    ));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Lex::Word(w)) | Some(Lex::Phrase(w)) => {
                self.pos += 1;
                Ok(Expr::Term(w))
            }
            Some(other) => Err(Error::BadQuery(format!(
                "意外的符号 (unexpected {other:?})"
            ))),
            None => Err(Error::BadQuery("查询不完整 (incomplete query)".into())),
        }
    }
}

/// Parses a query string. An empty query (or one of punctuation only) gives `Ok(None)`;
/// words with nothing searchable in them are dropped.
///
/// ```
/// use zhenggai::search::query::{parse, Expr};
/// assert_eq!(parse("医共体 -医联体").unwrap(), Some(Expr::And(vec![
///     Expr::Term("医共体".into()),
///     Expr::Not(Box::new(Expr::Term("医联体".into()))),
/// ])));
/// assert_eq!(parse("公车 OR 公务用车").unwrap(), Some(Expr::Or(vec![
///     Expr::Term("公车".into()), Expr::Term("公务用车".into()),
/// ])));
/// assert!(parse("(医共体").is_err());
/// assert_eq!(parse("医共体 ，").unwrap(), Some(Expr::Term("医共体".into())));
/// assert!(parse(&"(".repeat(1000)).is_err());
/// ```
pub fn parse(input: &str) -> Result<Option<Expr>> {
    check_length("查询", "query", input)?;
    let toks = lex(input)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let terms = toks
        .iter()
        .filter(|t| matches!(t, Lex::Word(_) | Lex::Phrase(_)))
        .count();
    if terms > MAX_QUERY_TERMS {
        return Err(Error::BadQuery(format!(
            "查询词过多：{terms} 个，最多 {MAX_QUERY_TERMS} 个 \
             (too many search words: {terms}, at most {MAX_QUERY_TERMS})"
        )));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(Error::BadQuery(format!(
            "多余的 ')' (unbalanced parenthesis): {input}"
        )));
    }
    Ok(e.prune())
}

/// The words of a plain question: `Some` when `input` is words separated by spaces
/// and nothing else (no `AND`, `OR`, `NOT`, `-`, quotes or parentheses), `None`
/// otherwise ([`super::plain`]).
///
/// ```
/// use zhenggai::search::query::plain_words;
/// assert_eq!(plain_words("医共体 有哪些措施").unwrap(), Some(vec!["医共体".to_string(), "有哪些措施".into()]));
/// assert_eq!(plain_words("医共体 OR 医联体").unwrap(), None);
/// assert_eq!(plain_words("\"医共体建设\"").unwrap(), None);
/// assert_eq!(plain_words("医共体 -医联体").unwrap(), None);
/// ```
pub fn plain_words(input: &str) -> Result<Option<Vec<String>>> {
    check_length("查询", "query", input)?;
    let toks = lex(input)?;
    let mut words = Vec::with_capacity(toks.len());
    for t in toks {
        match t {
            Lex::Word(w) => words.push(w),
            _ => return Ok(None),
        }
    }
    Ok((!words.is_empty()).then_some(words))
}

/// A word or phrase as the lexer reads it back: bare if it can stand as a word,
/// else quoted with quotes it does not hold.
fn word(t: &str) -> Option<String> {
    let folded = |c: char| fold_width(&c.to_string()).chars().next().unwrap_or(c);
    let bare = !t.is_empty()
        && !matches!(t, "OR" | "AND" | "&" | "&&" | "NOT")
        && t.chars()
            .next()
            .is_some_and(|c| !matches!(folded(c), '-' | '"') && !matches!(c, '“' | '”' | '「'))
        && t.chars()
            .all(|c| !c.is_whitespace() && !matches!(folded(c), '(' | ')' | '"' | '|') && c != '“');
    if bare {
        return Some(t.to_string());
    }
    let holds = |cs: &[char]| t.chars().any(|c| cs.contains(&c));
    if !holds(&['"', '＂', '”']) {
        Some(format!("\"{t}\""))
    } else if !holds(&['”', '"']) {
        Some(format!("“{t}”"))
    } else if !holds(&['」']) {
        Some(format!("「{t}」"))
    } else {
        None
    }
}

/// Prunes the parts of an AND or OR; one part left stands alone.
fn prune_list(v: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Option<Expr> {
    let mut v: Vec<Expr> = v.into_iter().filter_map(Expr::prune).collect();
    match v.len() {
        0 => None,
        1 => v.pop(),
        _ => Some(make(v)),
    }
}

impl Expr {
    /// Drops words with nothing searchable in them (a pasted `，` or `—`); `None` if
    /// nothing is left.
    pub(crate) fn prune(self) -> Option<Expr> {
        match self {
            Expr::Term(t) => pattern(&t).map(|_| Expr::Term(t)),
            Expr::Not(x) => x.prune().map(|x| Expr::Not(Box::new(x))),
            Expr::And(v) => prune_list(v, Expr::And),
            Expr::Or(v) => prune_list(v, Expr::Or),
        }
    }

    /// The query written back in the query language, so that [`parse`] gives this
    /// expression again; `None` if a phrase holds every kind of closing quote.
    ///
    /// ```
    /// use zhenggai::search::query::parse;
    /// let e = parse("(公车 | 公务用车) -“家庭 医生”").unwrap().unwrap();
    /// assert_eq!(e.to_query().unwrap(), "(公车 OR 公务用车) NOT \"家庭 医生\"");
    /// assert_eq!(parse(&e.to_query().unwrap()).unwrap(), Some(e));
    /// ```
    pub fn to_query(&self) -> Option<String> {
        Some(match self {
            Expr::Term(t) => word(t)?,
            Expr::Not(x) => format!("NOT {}", x.grouped(true)?),
            Expr::And(v) => v
                .iter()
                .map(|x| x.grouped(true))
                .collect::<Option<Vec<_>>>()?
                .join(" "),
            Expr::Or(v) => v
                .iter()
                .map(|x| x.grouped(matches!(x, Expr::Or(_))))
                .collect::<Option<Vec<_>>>()?
                .join(" OR "),
        })
    }

    /// [`Expr::to_query`], in parentheses if `group` and it is an AND or an OR.
    fn grouped(&self, group: bool) -> Option<String> {
        let q = self.to_query()?;
        Some(if group && matches!(self, Expr::And(_) | Expr::Or(_)) {
            format!("({q})")
        } else {
            q
        })
    }

    /// Every word and phrase of the query, with whether it counts for a match
    /// (`false` under NOT).
    pub fn terms(&self) -> Vec<(&str, bool)> {
        fn walk<'a>(e: &'a Expr, positive: bool, out: &mut Vec<(&'a str, bool)>) {
            match e {
                Expr::Term(t) => out.push((t, positive)),
                Expr::Not(x) => walk(x, !positive, out),
                Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| walk(x, positive, out)),
            }
        }
        let mut out = Vec::new();
        walk(self, true, &mut out);
        out
    }
}

/// Builds the tantivy query finding `text` literally in `field` (`None` if the text
/// has nothing searchable), for every record it concerns.
pub fn literal_match(
    field: Field,
    fields: &Fields,
    text: &str,
    literals: &Literals,
) -> Option<Box<dyn Query>> {
    let lit = literals.get(text)?;
    Some(per_record(field, fields, LiteralQuery::new(field, lit)))
}

/// `q` over `field`, matching every record the field's text belongs to: the problem
/// title and category are held by a problem's first record only and extend to the
/// rest of its records ([`GroupQuery`]).
fn per_record(field: Field, fields: &Fields, q: impl Query) -> Box<dyn Query> {
    if field == fields.problem || field == fields.category {
        Box::new(GroupQuery::new(Box::new(q)))
    } else {
        Box::new(q)
    }
}

/// The BM25 clauses ranking the records a word matches.
type Ranking = Vec<Box<dyn Query>>;

/// What a word of a query is made of.
struct Parts {
    /// Matches the records holding the word or a synonym (scored by nothing in
    /// particular).
    matcher: Box<dyn Query>,
    /// Ranks them.
    ranking: Ranking,
    /// The word, its synonyms and their ranking words: what names the query.
    key: String,
}

/// Expands a word to the words users of this field treat as the same.
pub trait Expand {
    /// The word itself first, then its alternatives.
    fn alternatives(&self, word: &str) -> Vec<String>;
}

/// Translates an [`Expr`] into a tantivy query over `fields`.
pub struct Builder<'a> {
    /// Index fields.
    pub fields: &'a Fields,
    /// Segmenter for the ranking words (must cut every term the query holds).
    pub jieba: &'a jieba_rs::Jieba,
    /// Synonym expansion, if on.
    pub expand: Option<&'a dyn Expand>,
    /// The index's literals, for literal matching.
    pub literals: &'a Literals,
}

impl Builder<'_> {
    /// The query matching records that hold `text` (or one of its synonyms), scored
    /// by nothing in particular, and the BM25 clauses ranking them (summed by a
    /// [`RankQuery`] over the matched records only).
    fn parts(&self, text: &str) -> Result<Parts> {
        let alts = match self.expand {
            Some(e) => e.alternatives(text),
            None => vec![text.to_string()],
        };
        let f = self.fields;
        let mut matchers: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut scorers: Ranking = Vec::new();
        // A word shared by alternatives (整改 in 巡察整改 and 巡察反馈问题整改) ranks
        // once: counted per alternative, it would weigh double and be scored twice.
        let mut ranked: Vec<String> = Vec::new();
        for alt in &alts {
            if let Some(lit) = self.literals.get(alt) {
                for (field, boost) in [(f.text, 0.5), (f.problem, 1.0)] {
                    let q = Box::new(LiteralQuery::new(field, Arc::clone(&lit)));
                    matchers.push((
                        Occur::Should,
                        per_record(field, f, BoostQuery::new(q, boost)),
                    ));
                }
            }
            for word in ranking_words(self.jieba, alt) {
                if ranked.contains(&word) {
                    continue;
                }
                // The word's clauses, summed once per segment and kept ([`KeptQuery`]).
                let mut key = String::new();
                let mut clauses = Vec::new();
                for (field, boost) in [(f.text, 1.0), (f.problem, 2.0), (f.category, 0.5)] {
                    let q = TermQuery::new(
                        Term::from_field_text(field, &word),
                        IndexRecordOption::WithFreqs,
                    );
                    let q = BoostQuery::new(Box::new(q), boost);
                    clauses.push(per_record(field, f, q));
                    key.push_str(&format!("{}×{boost} ", field.field_id()));
                }
                key.push_str(&word);
                scorers.push(Box::new(KeptQuery::new(
                    Box::new(RankQuery::new(clauses)),
                    key,
                )));
                ranked.push(word);
            }
        }
        if matchers.is_empty() {
            return Err(Error::BadQuery(format!(
                "“{text}” 中没有可检索的文字 (nothing searchable in “{text}”)"
            )));
        }
        // The alternatives and their ranking words decide the whole query (fields
        // and boosts are fixed). The words are named too: how an alternative is cut
        // can depend on the rest of the query (the segmenter knows the words of the
        // whole query's text).
        let key = format!("{}\t\t{}", alts.join("\t"), ranked.join("\t"));
        Ok(Parts {
            matcher: Box::new(KeptQuery::new(
                Box::new(BooleanQuery::new(matchers)),
                format!("match\t{}", alts.join("\t")),
            )),
            ranking: scorers,
            key,
        })
    }

    /// A word: the records it matches, ranked; kept whole per segment once asked
    /// for again ([`KeptQuery`]), so a frequent word asked again is one list.
    fn term(&self, text: &str) -> Result<Box<dyn Query>> {
        let Parts {
            matcher,
            ranking,
            key,
        } = self.parts(text)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matcher)];
        if !ranking.is_empty() {
            clauses.push((Occur::Should, Box::new(RankQuery::new(ranking))));
        }
        Ok(Box::new(KeptQuery::new(
            Box::new(BooleanQuery::new(clauses)),
            format!("term\t{key}"),
        )))
    }

    /// The query matching the records that hold `word` (or one of its synonyms),
    /// without ranking: to count them.
    pub fn matcher(&self, word: &str) -> Result<Box<dyn Query>> {
        Ok(self.parts(word)?.matcher)
    }

    /// Records holding at least `min` of `words`, each given with its weight (how
    /// rare it is). A record scores `floor` plus the weight for each word it holds,
    /// and a hundredth of BM25 on top: with `floor` above the sum of all weights a
    /// record holding more words ranks above one holding fewer, then rarer words
    /// above commoner ones, then by BM25.
    pub fn most_of(
        &self,
        words: &[(String, f32)],
        floor: f32,
        min: usize,
    ) -> Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (word, weight) in words {
            let Parts {
                matcher, ranking, ..
            } = self.parts(word)?;
            let held: Box<dyn Query> = Box::new(ConstScoreQuery::new(matcher, floor + weight));
            let rank: Box<dyn Query> =
                Box::new(BoostQuery::new(Box::new(RankQuery::new(ranking)), 0.01));
            let q = BooleanQuery::new(vec![(Occur::Must, held), (Occur::Should, rank)]);
            clauses.push((Occur::Should, Box::new(q)));
        }
        Ok(Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses, min,
        )))
    }

    /// Builds the query for `e`.
    pub fn build(&self, e: &Expr) -> Result<Box<dyn Query>> {
        Ok(match e {
            Expr::Term(t) => self.term(t)?,
            Expr::Not(x) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.build(x)?),
            ])),
            Expr::And(v) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for x in v {
                    match x {
                        Expr::Not(inner) => clauses.push((Occur::MustNot, self.build(inner)?)),
                        other => {
                            positive = true;
                            clauses.push((Occur::Must, self.build(other)?));
                        }
                    }
                }
                if !positive {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Or(v) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for x in v {
                    clauses.push((Occur::Should, self.build(x)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }
}

/// A query that matches nothing (for an empty result without error).
pub fn nothing() -> Box<dyn Query> {
    Box::new(EmptyQuery)
}
