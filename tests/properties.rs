//! Properties that hold for any input, checked on generated inputs (proptest): the
//! decoder, HTML to text, the notice parser, the query parser and the analyzer never
//! panic, and each keeps its own invariant. The same properties run as cargo-fuzz
//! targets in `fuzz/`.
//!
//! More cases: `PROPTEST_CASES=20000 cargo test --release --test properties`.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use zhenggai::error::Error;
use zhenggai::search::query::{parse as parse_query, Expr, MAX_QUERY_CHARS, MAX_QUERY_TERMS};
use zhenggai::segment::{pattern, tokens, Dictionary, ALNUM_CHUNK, CHUNK_MARK};
use zhenggai::text::{fold_char, is_han};

/// Text of notices: CJK characters of the field, digits, letters, the punctuation and
/// numbering the parser looks for, spaces and line breaks.
const NOTICE_CHARS: &str = "[一二三四五六七八九十整改情况问题措施完成时限已未基本阶段性针对关于是年月日第号（）()、.:：，。；“”\"0-9a-zA-Z \\n\\r\\t]";

/// Query-like text: words, operators, quotes of every kind, parentheses, dashes.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[医共体公车务用家庭生 a-z0-9()（）\"＂“”「」|｜\\-－，。]{0,60}",
        proptest::collection::vec(
            prop::sample::select(vec![
                "医共体",
                "公车",
                "OR",
                "AND",
                "NOT",
                "|",
                "&&",
                "-",
                "(",
                ")",
                "（",
                "）",
                "\"",
                "“",
                "”",
                "「",
                "」",
                " ",
                "5G",
                "，",
                "-医联体",
                "－整改",
            ]),
            0..30,
        )
        .prop_map(|v| v.concat()),
    ]
}

/// Lines shaped like a notice's: headings of each level, problems, status, deadline,
/// measures and plain text, in any order.
fn notice_text() -> impl Strategy<Value = String> {
    let t = || proptest::string::string_regex(&format!("{NOTICE_CHARS}{{0,30}}")).expect("regex");
    let line = prop_oneof![
        t().prop_map(|t| format!("一、{t}")),
        (1..30u32, t()).prop_map(|(d, t)| format!("（{d}）{t}")),
        (1..30u32, t()).prop_map(|(d, t)| format!("{d}.{t}")),
        (1..30u32, t()).prop_map(|(d, t)| format!("{d}、针对“{t}”问题")),
        (1..30u32, t()).prop_map(|(d, t)| format!("问题{d}：{t}")),
        (t(), t()).prop_map(|(a, b)| format!("整改情况：一是{a}。二是{b}。")),
        prop::sample::select(vec!["整改状态：已完成", "整改情况：基本完成", "阶段性完成"])
            .prop_map(str::to_string),
        (1..13u32).prop_map(|m| format!("完成时限：2024年{m}月")),
        t(),
    ];
    proptest::collection::vec(line, 0..40).prop_map(|v| v.join("\n"))
}

/// Searchable words and phrases for generated query expressions.
fn term() -> impl Strategy<Value = String> {
    "[医共体公车整改a-z0-9 \"“”「」()|\\-]{1,8}".prop_filter("searchable", |t| pattern(t).is_some())
}

/// Query expressions as the parser makes them: searchable terms, lists of two or more.
fn expr() -> impl Strategy<Value = Expr> {
    term()
        .prop_map(Expr::Term)
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|x| Expr::Not(Box::new(x))),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
                proptest::collection::vec(inner, 2..4).prop_map(Expr::Or),
            ]
        })
}

fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(|| Dictionary::load(None).expect("dictionary").jieba())
}

/// Line breaks as one `\n`.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

proptest! {
    #[test]
    fn query_parser_never_panics_and_round_trips(s in query_text()) {
        match parse_query(&s) {
            Err(e) => prop_assert!(matches!(e, Error::BadQuery(_)), "{e:?}"),
            Ok(None) => {}
            Ok(Some(e)) => {
                let terms = e.terms();
                prop_assert!(!terms.is_empty() && terms.len() <= MAX_QUERY_TERMS);
                prop_assert!(terms.iter().all(|(t, _)| pattern(t).is_some()));
                if let Some(q) = e.to_query() {
                    if q.chars().count() <= MAX_QUERY_CHARS {
                        prop_assert_eq!(parse_query(&q).expect("parses again"), Some(e), "{}", q);
                    }
                }
            }
        }
    }

    #[test]
    fn query_expressions_are_written_back_exactly(e in expr()) {
        prop_assume!(e.terms().len() <= MAX_QUERY_TERMS);
        if let Some(q) = e.to_query() {
            prop_assert_eq!(parse_query(&q).expect("parses"), Some(e), "{}", q);
        }
    }

    #[test]
    fn analyzer_tokens_partition_the_searchable_chars(
        s in prop_oneof![
            any::<String>(),
            proptest::string::string_regex(&format!("{NOTICE_CHARS}{{0,200}}")).expect("regex"),
            ("[a-z0-9]{60,300}", "[医共体，。 ]{0,4}", "[0-9A-Z]{0,140}").prop_map(|(a, b, c)| format!("{a}{b}{c}")),
        ]
    ) {
        let toks = tokens(jieba(), &s);
        let want: String = s
            .chars()
            .map(fold_char)
            .filter(|&f| is_han(f) || f.is_alphanumeric())
            .collect();
        let mut spelled = String::new();
        let mut last: Option<usize> = None;
        for (w, pos) in &toks {
            prop_assert!(last.is_none_or(|p| *pos > p), "positions go up: {:?}", toks);
            last = Some(*pos);
            let bare = w.strip_suffix(CHUNK_MARK).unwrap_or(w);
            prop_assert!(!bare.is_empty());
            prop_assert!(!bare.contains(CHUNK_MARK));
            if !bare.chars().next().is_some_and(is_han) {
                prop_assert!(bare.chars().count() <= ALNUM_CHUNK, "{}", w);
                if w.ends_with(CHUNK_MARK) {
                    prop_assert_eq!(bare.chars().count(), ALNUM_CHUNK);
                }
            }
            spelled.push_str(bare);
        }
        prop_assert_eq!(spelled, want);
        let _ = zhenggai::segment::ranking_words(jieba(), &s);
    }

    #[test]
    fn notice_parser_never_panics_and_numbers_problems_from_1(
        s in prop_oneof![any::<String>(), notice_text()]
    ) {
        let notice = zhenggai::parse::parse("f.txt", &s);
        let numbers: Vec<usize> = notice.problems.iter().map(|p| p.n).collect();
        let want: Vec<usize> = (1..=numbers.len()).collect();
        prop_assert_eq!(numbers, want);
    }

    #[test]
    fn decoding_never_panics(
        bytes in proptest::collection::vec(any::<u8>(), 0..1024),
        name in prop::sample::select(vec!["f.txt", "f.html", "f.md"]),
    ) {
        let _ = zhenggai::read::decode_bytes(Path::new(name), &bytes);
    }

    #[test]
    fn decoding_utf8_text_keeps_it_up_to_line_endings(
        s in proptest::string::string_regex(&format!("{NOTICE_CHARS}{{1,300}}")).expect("regex")
    ) {
        prop_assume!(!s.trim().is_empty());
        let got = zhenggai::read::decode_bytes(Path::new("f.txt"), s.as_bytes()).expect("decodes");
        prop_assert_eq!(lf(&got.text), lf(&s));
    }

    #[test]
    fn html_to_text_never_panics(
        s in prop_oneof![
            any::<String>(),
            "(<[a-zA-Z/!]{0,8}[^>]{0,10}>?|&[a-z#0-9]{0,6};?|[医共体整改 \\n])*",
        ]
    ) {
        let _ = zhenggai::read::html_to_text(&s);
    }
}
