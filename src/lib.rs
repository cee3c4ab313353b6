//! zhenggai (整改): full-text search over Chinese inspection-rectification notices.
//!
//! The library follows the data flow: [`read`] decodes files, [`parse`] turns a notice
//! into a structured [`notice::Notice`], [`segment`] holds the analyzers, [`index`]
//! builds and updates the tantivy index, and [`search`] answers queries. [`stats`]
//! counts problems, statuses and deadlines beside what each notice states, and
//! [`export`] streams every record out for other engines. The `zhenggai` command-line
//! tool is a thin layer over these modules.

pub mod error;
pub mod export;
pub mod generate;
pub mod index;
pub mod notice;
pub mod parse;
pub mod read;
pub mod search;
pub mod segment;
pub mod serve;
pub mod stats;
pub mod text;

pub use error::{Error, Result};
