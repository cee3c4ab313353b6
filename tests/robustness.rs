//! Hostile input: random mixtures of the characters the parser and analyzers react to
//! (numbering, labels, quotes, spaces, full-width forms, rare CJK) must never panic,
//! and every record holds only text that was in the input.

use zhenggai::index::record::records;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "一、",
    "二、",
    "(一)",
    "（二）",
    "第一,",
    "1.",
    "2、",
    "15.",
    "5.5G",
    "(1)",
    "（3）",
    "问题1:",
    "问题二：",
    "针对“",
    "”问题的整改情况。",
    "关于“",
    "”方面",
    "整改情况:",
    "整改结果：",
    "已完成整改",
    "阶段性完成",
    "正在整改尚未完成整改",
    "完成时限:2023年12月前",
    "一是",
    "二是",
    "·是",
    "- 是",
    "三 是",
    "。",
    "，",
    ";",
    "：",
    "\n",
    "\n\n",
    " ",
    "　",
    "医共体",
    "醫共體",
    "ＡＢＣ",
    "１２",
    "𠀀",
    "\u{200d}",
    "《",
    "》",
    "“",
    "”",
    "中共某县卫生健康局党组",
    "2024年7月8日",
    "巡察整改进展情况的通报",
    "根据县委统一部署",
    "予以公布",
    "下一步",
    "欢迎广大干部群众",
    "#",
    "> ",
    "**",
    "<p>",
    "&nbsp;",
    "\u{feff}",
    "\r\n",
    "x",
    "9",
];

#[test]
fn random_documents_never_panic() {
    let mut rng = Rng(20261123);
    for round in 0..3000 {
        let n = (rng.next() % 120) as usize;
        let text: String = (0..n).map(|_| rng.pick(PIECES)).collect();
        let notice = zhenggai::parse::parse("fuzz.txt", &text);
        for r in records(&notice, "fuzz.txt") {
            // Records are pieces of the input (joined across broken lines): no char
            // comes from anywhere else, but the 。 that rejoins a split title.
            for c in r.text.chars().chain(r.problem.chars()) {
                assert!(
                    c == '。' || text.contains(c),
                    "round {round}: {c:?} not in input"
                );
            }
        }
        let _ = zhenggai::segment::pattern(&text);
        let needle: String = text.chars().skip(n / 3).take(4).collect();
        for (a, b) in zhenggai::search::snippet::highlight(&text, &[needle]) {
            assert!(a < b && b <= text.chars().count());
        }
        let _ = zhenggai::search::query::parse(&text);
        let _ = zhenggai::read::decode_bytes(std::path::Path::new("f.html"), text.as_bytes());
    }
}
