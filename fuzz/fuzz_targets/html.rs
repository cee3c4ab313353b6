//! HTML to text never panics, whatever the markup.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let _ = zhenggai::read::html_to_text(s);
});
