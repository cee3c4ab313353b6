//! The layouts a notice can be written in.

/// How a generated notice writes its problems; each layout mirrors a way real notices are
/// printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Layout {
    /// 000-style.
    A,
    /// 003-style.
    B,
    /// 004-style.
    C,
    /// 002-style.
    D,
    /// 001-style.
    E,
}

impl Layout {
    /// Every layout, in the order of [`Layout::name`].
    pub const ALL: [Layout; 5] = [Layout::A, Layout::B, Layout::C, Layout::D, Layout::E];

    /// Short name used in test reports and truth files.
    pub fn name(self) -> &'static str {
        match self {
            Layout::A => "A",
            Layout::B => "B",
            Layout::C => "C",
            Layout::D => "D",
            Layout::E => "E",
        }
    }
}
