//! The layouts a notice can be written in.

/// How a generated notice writes its problems; each layout mirrors a way real notices are
/// printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
