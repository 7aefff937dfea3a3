//! The `clusterpress` binary: parse the command line, run the command, map the outcome to an
//! exit code (0 success, 1 problems in the site, 2 usage or internal errors).

use std::process::ExitCode;

use clap::Parser;

// Rendering allocates on every core; mimalloc does that faster than the system allocator
// (bench/README.md, "allocator").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = clusterpress::cli::Cli::parse();
    clusterpress::commands::run(cli)
}
