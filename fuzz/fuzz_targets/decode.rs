//! Decoding arbitrary bytes never panics; valid UTF-8 text comes back as it was,
//! up to line endings (tests/properties.rs checks the same on generated input).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

/// Line breaks as one `\n`.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fuzz_target!(|data: &[u8]| {
    for name in ["f.txt", "f.html", "f.md"] {
        let _ = zhenggai::read::decode_bytes(Path::new(name), data);
    }
    // Plain text: no markup, no control characters but line breaks and tabs, no
    // byte-order mark, something besides whitespace.
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let plain = !s.trim().is_empty()
        && !s.starts_with('\u{feff}')
        && !s.contains('<')
        && !s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    if plain {
        let got = zhenggai::read::decode_bytes(Path::new("f.txt"), data)
            .expect("plain UTF-8 text decodes");
        assert_eq!(lf(&got.text), lf(s));
    }
});
