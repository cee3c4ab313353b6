//! The layouts a notice can be written in, and which layouts a corpus mixes.

/// How a generated notice writes its problems. A–E mirror the five seed notices (the
/// benchmark corpus uses only these); F–N are further ways real notices are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Layout {
    /// 000-style: `问题N:…` under `(一)…` / `N.关于“…”方面`, `一是…二是…` paragraph.
    A,
    /// 003-style web copy: `N.…。` under `(一)反馈问题:…`, `整改结果:` and `整改情况:一是…`.
    B,
    /// 004-style: `N、针对“…”问题的整改情况。一是…`, full-width punctuation, no categories.
    C,
    /// 002-style: `第一,…。` under `(一)…`, measures as numbered points `1.` `2.`.
    D,
    /// 001-style: `(N)…。` under `(一)…` / `N. 关于…的问题。`, `整改情况:已完成整改`, a
    /// follow-up section with 完成时限.
    E,
    /// Three levels, the problem lowest with its measures on the same line:
    /// `(一)关于…方面的问题` / `1.…` / `(1)…。一是…;二是…`.
    F,
    /// Bare category headings `(一)…。`, each problem an unnumbered sentence on its own line,
    /// then `整改情况:…一是…二是…`.
    G,
    /// `问题N:` problems whose measures end in an enumeration of an earlier round's problems
    /// (`…整改情况如下:` then lines `(1)已完成整改3个,分别是:1-2,…`). The enumeration stays
    /// inside the problem and continues the measure that announces it: it adds no measure,
    /// as the gold rules count numbering nested under an ordinal measure (`三是` …).
    H,
    /// No `一、`/`二、` sections: the preamble runs straight into `(一)在“…”方面存在的问题`;
    /// problems `N.…。` with `整改情况:已完成整改。一是…`.
    I,
    /// Problem headings `N.针对…问题`, `关于…问题的整改`, `问题一:`, `问题(1)`, `第一个问题:`
    /// (one form per notice); some titles run past an inner 。.
    J,
    /// Status and deadline forms: `【已完成】`/`[已整改]` after the heading, `整改状态:`,
    /// `整改进度:`, `完成情况:`, `整改时限:2024年底前`, `长期坚持`, `责任单位:`/`责任领导:` lines.
    K,
    /// A table flattened to text: one tab-separated row per problem
    /// (序号, 问题, 整改措施, 责任单位, 完成时限, 整改情况).
    L,
    /// Layout B in traditional characters (巡視, 整改進展情況的通報, 發布時間).
    M,
    /// Web copy without signature: the agency named only in the body, `发布日期:`, a special
    /// inspection group, figures stated as `共反馈N个问题`, the feedback date sometimes unstated.
    N,
}

impl Layout {
    /// Every layout.
    pub const ALL: [Layout; 14] = [
        Layout::A,
        Layout::B,
        Layout::C,
        Layout::D,
        Layout::E,
        Layout::F,
        Layout::G,
        Layout::H,
        Layout::I,
        Layout::J,
        Layout::K,
        Layout::L,
        Layout::M,
        Layout::N,
    ];

    /// The layouts that mirror the seeds, used by the benchmark corpus.
    pub const CLASSIC: [Layout; 5] = [Layout::A, Layout::B, Layout::C, Layout::D, Layout::E];

    /// Whether the layout mirrors a seed (A–E).
    pub fn is_classic(self) -> bool {
        Self::CLASSIC.contains(&self)
    }

    /// One-letter name used in reports and file names.
    pub fn name(self) -> &'static str {
        match self {
            Layout::A => "A",
            Layout::B => "B",
            Layout::C => "C",
            Layout::D => "D",
            Layout::E => "E",
            Layout::F => "F",
            Layout::G => "G",
            Layout::H => "H",
            Layout::I => "I",
            Layout::J => "J",
            Layout::K => "K",
            Layout::L => "L",
            Layout::M => "M",
            Layout::N => "N",
        }
    }
}

/// Which layouts a corpus draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mix {
    /// The five seed layouts A–E in the benchmark proportions (25/20/15/15/25 %); the
    /// benchmark corpus, byte-identical across versions.
    #[default]
    Classic,
    /// All layouts, equally often.
    All,
}
