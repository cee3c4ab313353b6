//! Prints a parsed notice as JSON: `cargo run --example parse_dump -- FILE`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let src = zhenggai::read::read_file(std::path::Path::new(&path))?;
        let notice = zhenggai::parse::parse(&path, &src.text);
        println!("{}", serde_json::to_string_pretty(&notice)?);
    }
    Ok(())
}
