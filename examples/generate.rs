//! Writes a realistic process register of any size, the same bytes for the same seed.
//!
//! `cargo run --release --example generate -- --processes 10000 --seed 7 -o /tmp/r.json`
//! (`--format csv` for CSV, `--invalid` to break about 3% of the entries on purpose).

#[path = "support/generator.rs"]
mod generator;
#[path = "support/vocabulary.rs"]
mod vocabulary;

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Csv,
}

/// Generate a realistic process register for benchmarks and soak tests.
#[derive(Debug, Parser)]
struct Args {
    /// Number of processes.
    #[arg(long, default_value_t = 1000)]
    processes: usize,
    /// Seed of the random choices: the same seed gives the same register.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Break about 3% of the entries: wrong types, unknown properties, duplicate ids, unknown
    /// parents, parent cycles.
    #[arg(long)]
    invalid: bool,
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    format: FormatArg,
    /// Output file; standard output when absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let options = generator::Options {
        processes: args.processes,
        seed: args.seed,
        invalid: args.invalid,
        format: match args.format {
            FormatArg::Json => generator::Format::Json,
            FormatArg::Csv => generator::Format::Csv,
        },
    };
    let result = match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let mut out = BufWriter::new(file);
            let summary = generator::generate(&options, &mut out)?;
            out.flush()?;
            Ok(summary)
        }),
        None => generator::generate(&options, &mut BufWriter::new(std::io::stdout().lock())),
    };
    match result {
        Ok(summary) => eprintln!(
            "{}: {} processes ({} broken on purpose), {} bytes",
            args.output
                .as_ref()
                .map_or("<stdout>".into(), |p| p.display().to_string()),
            summary.processes,
            summary.invalid,
            summary.bytes
        ),
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(2);
        }
    }
}
