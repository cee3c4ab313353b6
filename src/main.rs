//! The `zhenggai` command: index notices and search their rectification measures.

mod cli;

use std::process::ExitCode;

/// Indexing allocates many small, short-lived buffers on several threads at once
/// (parsed records, tokens, documents): mimalloc serves them faster than the system
/// allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
