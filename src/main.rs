//! The `zhenggai` command: index notices and search their rectification measures.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
