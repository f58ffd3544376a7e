//! Command-line arguments (clap derive). Parsing only: `app` turns them into a run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::load::InputFormat;

/// Gap analysis and mapping linter for ISMS process registers against the ISO/IEC TS 27022
/// process reference model (PRM).
#[derive(Debug, Parser)]
#[command(name = "prmlint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour text output; NO_COLOR in the environment means never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, map and analyse registers against the PRM: coverage, gaps, duplicates and
    /// processes to reuse.
    Check(CheckArgs),
    /// Check registers against the schema and the hygiene rules.
    Validate(ValidateArgs),
    /// Show how each register process maps onto the PRM, with scores and evidence.
    Map(MapArgs),
    /// Print one of the JSON Schemas prmlint uses.
    Schema {
        /// Which schema.
        #[arg(value_parser = crate::schema::SCHEMAS.iter().map(|(name, _)| *name).collect::<Vec<_>>())]
        name: String,
    },
}

/// Options shared by every command that reads registers.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Register files (JSON or CSV); `-` reads standard input.
    #[arg(value_name = "REGISTER", required = true)]
    pub registers: Vec<String>,

    /// Input format; `auto` picks CSV for `.csv` files and JSON otherwise.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    /// Largest register file accepted, in bytes.
    #[arg(long, default_value_t = crate::load::Limits::default().max_file_size, value_name = "BYTES")]
    pub max_file_size: u64,

    /// Most processes accepted in one register.
    #[arg(long, default_value_t = crate::load::Limits::default().max_processes, value_name = "N")]
    pub max_processes: usize,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Write the output to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Reference data options shared by the commands that map.
#[derive(Debug, Args)]
pub struct ReferenceArgs {
    /// A reference model file to use instead of the embedded ISO/IEC TS 27022 model.
    #[arg(long, value_name = "FILE")]
    pub model: Option<String>,

    /// An extra crosswalk catalogue (repeatable): an organisation's glossary, a sector framework.
    #[arg(long = "crosswalk", value_name = "FILE")]
    pub crosswalks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub reference: ReferenceArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,

    /// Write the output to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub reference: ReferenceArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Formats of the `check` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people: diagnostics, coverage table, findings by kind.
    Text,
    /// The full report as JSON (schema/report.schema.json).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// Diagnostics for people, with the offending place underlined.
    Text,
    /// Machine-readable findings.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<crate::finding::Severity> {
        use crate::finding::Severity;
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}
