//! The index schema: which fields exist, how each is analyzed, and what is stored.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
};

use tantivy::Term;

use crate::segment::WORDS;

/// Version of the index layout; an index of another version must be rebuilt.
pub const FORMAT: u32 = 13;

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The record's number in its file, stored; with the file it makes the record id
    /// ([`crate::index::record::record_id`]).
    pub n: Field,
    /// Measure text: words with positions (matching and ranking), stored.
    pub text: Field,
    /// Problem title: words with positions, stored; on the problem's first record only.
    pub problem: Field,
    /// Category and item titles: words with positions (filter and ranking); on the
    /// problem's first record only.
    pub category: Field,
    /// Category title, stored (first record of the problem).
    pub category_title: Field,
    /// Item title, stored (first record of the problem).
    pub item: Field,
    /// Agency short form, a column (facets, filters).
    pub agency_short: Field,
    /// Level 省/市/县, a column.
    pub level: Field,
    /// Status name (`completed` …), a column.
    pub status: Field,
    /// Status phrase as written.
    pub status_text: Field,
    /// Deadline `YYYY-MM`.
    pub deadline: Field,
    /// Publication date as a number `YYYYMMDD` (0 if unknown), for ranges and sorting (a column).
    pub date: Field,
    /// The source file, as [`crate::index::record::file_id`] of its path (the
    /// manifest maps it back to the path): deletes and per-file lookups go by it. A
    /// number rather than the path keeps long paths out of every record.
    pub file: Field,
    /// Source line.
    pub line: Field,
    /// Problem number in the notice, stored and a column; only measures have one
    /// (from 1), so it also tells measures from paragraphs.
    pub problem_n: Field,
    /// Measure number in the problem.
    pub measure_n: Field,
    /// Distance to the first record of the same problem, a column
    /// ([`crate::search::group`]).
    pub lead: Field,
}

/// Words with positions: every word field also finds literal strings
/// ([`crate::search::literal`]), which needs positions.
fn words(stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        o.set_stored()
    } else {
        o
    }
}

/// Builds the schema.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    // FAST: the tie-break order reads every record's number (search::order).
    b.add_u64_field("n", STORED | FAST);
    b.add_text_field("text", words(true));
    b.add_text_field("problem", words(true));
    b.add_text_field("category", words(false));
    b.add_text_field("item", STORED);
    b.add_text_field("agency_short", STORED | FAST);
    b.add_text_field("level", STORED | FAST);
    b.add_text_field("status", STORED | FAST);
    b.add_text_field("status_text", STORED);
    b.add_text_field("deadline", STORED);
    b.add_u64_field("date", FAST);
    b.add_u64_field("file", INDEXED | STORED);
    b.add_u64_field("line", STORED);
    b.add_u64_field("problem_n", STORED | FAST);
    b.add_u64_field("measure_n", STORED);
    b.add_text_field("category_title", STORED);
    b.add_u64_field(crate::search::group::LEAD, STORED | FAST);
    b.build()
}

impl Fields {
    /// The term of the `file` field that every record of `source` holds.
    pub fn file_term(&self, source: &str) -> Term {
        Term::from_field_u64(self.file, crate::index::record::file_id(source))
    }

    /// Looks every field up in `schema`; `None` if the schema is not this version's.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |n: &str| schema.get_field(n).ok();
        Some(Fields {
            n: f("n")?,
            text: f("text")?,
            problem: f("problem")?,
            category: f("category")?,
            category_title: f("category_title")?,
            item: f("item")?,
            agency_short: f("agency_short")?,
            level: f("level")?,
            status: f("status")?,
            status_text: f("status_text")?,
            deadline: f("deadline")?,
            date: f("date")?,
            file: f("file")?,
            line: f("line")?,
            problem_n: f("problem_n")?,
            measure_n: f("measure_n")?,
            lead: f(crate::search::group::LEAD)?,
        })
    }
}
