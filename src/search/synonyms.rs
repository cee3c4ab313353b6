//! Synonyms users of this field expect (医共体 ↔ 医疗共同体 ↔ 县域医共体, 公车 ↔ 公务用车 …),
//! from a small editable file; `dict/synonyms.txt` is built in.

use std::collections::HashMap;
use std::path::Path;

use super::query::Expand;
use crate::error::{Error, Result};
use crate::text::fold;

/// The built-in synonym groups.
pub const BUILT_IN: &str = include_str!("../../dict/synonyms.txt");

/// Synonym groups: each word maps to its group.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    index: HashMap<String, usize>,
}

impl Synonyms {
    /// Parses groups, one per line, words separated by spaces; `#` starts a comment.
    pub fn parse(text: &str) -> Synonyms {
        let mut s = Synonyms::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let words: Vec<String> = line
                .split_whitespace()
                .map(|w| w.trim_matches(['“', '”', '"']).to_string())
                .filter(|w| !w.is_empty())
                .collect();
            if words.len() < 2 {
                continue;
            }
            let id = s.groups.len();
            for w in &words {
                s.index.entry(fold(w)).or_insert(id);
            }
            s.groups.push(words);
        }
        s
    }

    /// The built-in groups.
    pub fn built_in() -> Synonyms {
        Synonyms::parse(BUILT_IN)
    }

    /// Reads groups from a file.
    pub fn load(path: &Path) -> Result<Synonyms> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Synonyms::parse(&text))
    }
}

impl Expand for Synonyms {
    /// ```
    /// use zhenggai::search::{query::Expand, synonyms::Synonyms};
    /// let s = Synonyms::built_in();
    /// assert_eq!(s.alternatives("公车"), ["公车", "公务用车", "公务车辆"]);
    /// assert_eq!(s.alternatives("整改"), ["整改"]);
    /// ```
    fn alternatives(&self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_string()];
        if let Some(&g) = self.index.get(&fold(word)) {
            for w in &self.groups[g] {
                if fold(w) != fold(word) && !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
        out
    }
}
