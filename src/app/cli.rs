//! Command-line arguments (clap derive). Parsing only: `app` turns them into a run.

use std::path::PathBuf;

pub use crate::diag::finding::FailOn;
pub use crate::load::args::{InputArgs, ReferenceArgs, TableArgs};
pub use crate::project::ProjectArgs;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::load::InputFormat;
pub use crate::report::csv_report::CsvTable;
pub use crate::report::owners::GroupBy;

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
    /// List the PRM processes, show one, or list the loaded crosswalk catalogues.
    Model(ModelArgs),
    /// Print one of the JSON Schemas prmlint uses.
    Schema {
        /// Which schema.
        #[arg(value_parser = crate::validate::schema::SCHEMAS.iter().map(|(name, _)| *name).collect::<Vec<_>>())]
        name: String,
    },
    /// Explain a rule: what it checks, why it matters and how to fix it.
    Explain(ExplainArgs),
    /// Accept or reject a suggested mapping, so that `check --decisions` does not suggest it
    /// again while the process is unchanged.
    Decide(DecideArgs),
    /// Write a starter register (processes.json) and configuration (prmlint.json), or with
    /// --from the configuration that reads an existing CSV or workbook register.
    Init(InitArgs),
    /// Write a register (CSV, workbook or JSON) as a normalised JSON register.
    Convert(ConvertArgs),
    /// Compare two versions of a register: processes added, removed, renamed and remapped,
    /// coverage per PRM process, findings new and fixed. Exit 1 when coverage drops or a new
    /// finding reaches --fail-on.
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// BASE and HEAD registers, or with --git the one register to compare with its committed
    /// version.
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub reference: ReferenceArgs,

    /// Compare REGISTER with its version at this git revision (`HEAD`, `origin/main`, a
    /// commit), read with `git show`.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// Lowest severity of a new finding that makes the exit code 1 [default: `fail-on` of
    /// prmlint.json, or error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Configuration file [default: prmlint.json found from HEAD's directory upwards]; both
    /// versions are checked with it.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<String>,

    /// Use no configuration file.
    #[arg(long)]
    pub isolated: bool,

    /// Decisions on suggested mappings (from `prmlint decide`), applied to both versions.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<String>,

    /// Write the diff to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Text,
    /// For scripts.
    Json,
    /// A pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The register to convert (JSON, CSV or workbook); `-` reads standard input.
    #[arg(value_name = "REGISTER")]
    pub register: String,

    /// The JSON register to write; never the input itself.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Input format; `auto` picks by extension and JSON otherwise.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    #[command(flatten)]
    pub table: TableArgs,

    /// Configuration file whose `columns` to use instead of the prmlint.json found beside the
    /// register or above it.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<String>,

    /// Ignore all configuration files.
    #[arg(long)]
    pub isolated: bool,
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

#[derive(Debug, Args)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub view: Option<ModelView>,

    #[command(flatten)]
    pub reference: ReferenceArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text, global = true)]
    pub format: FindingsFormat,
}

#[derive(Debug, Subcommand)]
pub enum ModelView {
    /// Show one PRM process: purpose, activities, inputs, outputs, clauses, names.
    Show {
        /// PRM process id, such as `incident-management`.
        id: String,
    },
    /// List the loaded crosswalk catalogues with entry and alias counts.
    Crosswalks,
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

    /// Which table `--format csv` writes [default: mappings].
    #[arg(long, value_enum)]
    pub csv: Option<CsvTable>,

    /// How findings are grouped in the text, Markdown, HTML and CSV reports: by kind, or by
    /// process owner as an action list (with `--format csv`, the `actions` table).
    #[arg(long, value_enum, default_value_t = GroupBy::Kind)]
    pub group_by: GroupBy,

    /// Language of the report: headings, messages, advice and the PRM's names and activities
    /// [default: `lang` of prmlint.json, else the language the register is written in, else
    /// en]. Codes, ids and JSON field names stay as they are.
    #[arg(long, value_enum)]
    pub lang: Option<crate::i18n::Lang>,

    /// Date shown in the HTML report (YYYY-MM-DD); without it the report carries no date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<String>,

    /// Lowest severity that makes the exit code 1 [default: `fail-on` of prmlint.json, or
    /// error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print the time each stage took to standard error (for profiling).
    #[arg(long, hide = true)]
    pub timings: bool,

    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule code, such as `missing-owner`.
    #[arg(
        value_name = "CODE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub code: Option<String>,

    /// Explain every rule.
    #[arg(long)]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Accept the suggested mapping (then declare it in `maps_to`) or reject it.
    #[arg(value_enum)]
    pub verdict: crate::project::decisions::Verdict,

    /// Register process id, such as `SP-PMO-01`.
    #[arg(value_name = "PROCESS-ID")]
    pub process: String,

    /// PRM process id, such as `risk-treatment`.
    #[arg(value_name = "PRM-ID")]
    pub prm: String,

    #[command(flatten)]
    pub input: InputArgs,

    /// Decisions file to record the decision in; created when missing.
    #[arg(long, value_name = "FILE")]
    pub decisions: PathBuf,

    /// Why: kept in the decisions file for the next reviewer.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// For `accept`: the relationship to declare, instead of the one the evidence shows.
    #[arg(long, value_parser = parse_relationship)]
    pub relationship: Option<crate::source::register::Relationship>,

    /// Configuration file, whose columns, crosswalks and thresholds weigh the evidence as in
    /// `check` [default: prmlint.json found from the register's directory upwards].
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<String>,

    /// Use no configuration file.
    #[arg(long)]
    pub isolated: bool,

    #[command(flatten)]
    pub reference: ReferenceArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write processes.json and prmlint.json into; created when missing.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Guess the column mapping of this CSV or workbook register and write it to
    /// prmlint.json's `columns`, for you to check (no starter register is written).
    #[arg(long, value_name = "REGISTER")]
    pub from: Option<String>,

    #[command(flatten)]
    pub table: TableArgs,
}

fn parse_relationship(text: &str) -> Result<crate::source::register::Relationship, String> {
    crate::source::register::Relationship::parse(text)
        .ok_or_else(|| format!("`{text}` is not one of equal, superset, subset, intersects"))
}

/// Formats of the `check` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people: diagnostics, coverage table, findings by kind.
    Text,
    /// The full report as JSON (schema/report.schema.json).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: one test case per PRM process and per register-check rule.
    Junit,
    /// CSV for spreadsheets: the mapping matrix, or the table `--csv` names.
    Csv,
    /// Markdown, for a pull-request comment or a document.
    Markdown,
    /// One self-contained HTML page to hand to a client: coverage map, findings, mappings.
    Html,
    /// The ISO/IEC 27001:2022 clause matrix for people: every clause and Annex A control the
    /// PRM and the control areas reach, with the processes that implement it.
    Clauses,
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

/// Accept a calendar date written `YYYY-MM-DD` (a real day: no 2026-02-30).
fn parse_date(text: &str) -> Result<String, String> {
    let invalid = || format!("`{text}` is not a date written YYYY-MM-DD");
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes[range.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| {
                bytes[range]
                    .iter()
                    .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
            })
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(invalid());
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(invalid());
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(invalid()),
    };
    if day == 0 || day > days {
        return Err(invalid());
    }
    Ok(text.to_owned())
}
