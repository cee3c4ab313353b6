//! The text layer of a PDF file.
//!
//! `pdf-extract` panics on some damaged files; a panic is caught and reported as an
//! unreadable PDF, and the panic message is kept off the terminal.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// Why a PDF without text cannot be read.
pub(crate) const SCANNED: &str = "扫描版 PDF，没有文字层 (scanned PDF without a text layer)";

thread_local! {
    /// Set while this thread extracts a PDF: its panics are expected and quiet.
    static EXTRACTING: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics inside PDF extraction
/// and hands every other panic to the hook that was there before.
fn quiet_extraction_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !EXTRACTING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Extracts the text of a PDF file's bytes, or the reason it cannot.
pub(crate) fn extract(bytes: &[u8]) -> Result<String, String> {
    // The header may follow some junk, within the first KiB.
    if memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_none() {
        return Err("不是 PDF 文件 (not a PDF file)".into());
    }
    quiet_extraction_panics();
    EXTRACTING.with(|e| e.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem(bytes)
    }));
    EXTRACTING.with(|e| e.set(false));
    let text = match result {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => return Err(format!("无法读取 PDF 文件 (unreadable PDF: {e})")),
        Err(payload) => {
            // The panic message says what was not understood (`unsupported encoding
            // UniGB-UCS2-H` …).
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let what: String = what.chars().take(120).collect();
            return Err(format!(
                "无法读取 PDF 文件，文件已损坏或格式不受支持 (unreadable PDF: damaged or unsupported{}{what})",
                if what.is_empty() { "" } else { ": " }
            ));
        }
    };
    if text.chars().all(|c| c.is_whitespace() || c.is_control()) {
        return Err(SCANNED.into());
    }
    Ok(text)
}
