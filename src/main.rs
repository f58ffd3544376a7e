//! The `prmlint` binary: parse arguments, run, exit.

use clap::Parser;

/// Millions of small, short-lived allocations per run: mimalloc serves them faster than the
/// system allocator (figures in Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match prmlint::app::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 0 for --help/--version and 2 for usage errors, as prmlint does.
            std::process::exit(e.exit_code());
        }
    };
    std::process::exit(prmlint::app::run(cli));
}
