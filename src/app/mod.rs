//! One run of prmlint: turn parsed arguments into loaded registers, checks and a report, and
//! decide the exit code. The only place that prints or exits.

use std::io::{IsTerminal, Write};

use crate::app::cli::{Cli, ColorChoice, Command, FailOn, InputArgs, ReferenceArgs};
use crate::diag::finding::{Finding, sort_by_place};
use crate::diag::rules::Stage;
use crate::load::args::table_options;
use crate::load::{Document, TableOptions};
use crate::pipeline::{self, Prepared, map_all};
use crate::project;
use crate::report::diagnostic::DiagnosticRenderer;
use crate::report::{self, terminal_safe};

mod check;
pub mod cli;
mod convert;
mod decide;
mod diff;
mod explain;
mod init;
mod map;
mod model;
mod timings;
mod validate;

/// Process exit codes.
pub mod exit {
    /// No finding at or above the failing severity.
    pub const OK: i32 = 0;
    /// Findings at or above the failing severity.
    pub const FINDINGS: i32 = 1;
    /// Usage, I/O, parse or internal error: the result cannot be trusted.
    pub const ERROR: i32 = 2;
}

/// Run a parsed command line and return the exit code.
///
/// Meant to be called once per process, as the binary does: `check` leaves its large
/// structures for the operating system to reclaim at exit instead of freeing them.
pub fn run(cli: Cli) -> i32 {
    let color = use_color(cli.color);
    match cli.command {
        Command::Validate(args) => validate::validate(&args, color),
        Command::Map(args) => map::map(&args, color),
        Command::Check(args) => check::check(&args, color),
        Command::Model(args) => model::model(&args, color),
        Command::Explain(args) => explain::explain(&args),
        Command::Decide(args) => decide::decide(&args, color),
        Command::Init(args) => init::init(&args, color),
        Command::Convert(args) => convert::convert(&args, color),
        Command::Diff(args) => diff::diff(&args, color),
        Command::Schema { name } => {
            let text = crate::validate::schema::SCHEMAS
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, text)| *text);
            print_stdout(text.as_bytes())
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Load every register given, with the command line's table options; what a reader assumed
/// (an encoding, a sheet) is told on standard error.
fn load_all(args: &InputArgs) -> (Vec<Document>, Vec<Finding>) {
    let registers = pipeline::load_registers(args, &table_options(&args.table, None));
    print_notes(&registers.notes);
    (registers.documents, registers.findings)
}

/// Readers' notes, on standard error.
fn print_notes(notes: &[pipeline::Note]) {
    for note in notes {
        print_note(&note.file, &note.text);
    }
}

/// What a reader assumed about `file`, on standard error.
fn print_note(file: &str, text: &str) {
    eprintln!(
        "prmlint: note: {}: {}",
        terminal_safe(file),
        terminal_safe(text)
    );
}

/// Exit code for a set of findings: 2 when an input could not be read, 1 when a finding
/// reaches `fail_on`, 0 otherwise.
pub fn exit_code(findings: &[Finding], fail_on: FailOn) -> i32 {
    if findings.iter().any(|f| f.code.info().stage == Stage::Input) {
        return exit::ERROR;
    }
    match fail_on.threshold() {
        Some(threshold) if findings.iter().any(|f| f.severity >= threshold) => exit::FINDINGS,
        _ => exit::OK,
    }
}

/// [`pipeline::prepare`], with the readers' notes on standard error. When something cannot be
/// read at all, its diagnostics follow them and the exit code comes back instead.
fn prepare(
    input: &InputArgs,
    options: &TableOptions,
    reference: &ReferenceArgs,
    extra: Vec<Document>,
    color: bool,
) -> Result<Prepared, i32> {
    match pipeline::prepare(input, options, reference, extra) {
        Ok(prepared) => {
            print_notes(&prepared.notes);
            Ok(prepared)
        }
        Err(unreadable) => {
            print_notes(&unreadable.notes);
            print_diagnostics(&unreadable.findings, &unreadable.documents, color);
            Err(exit::ERROR)
        }
    }
}

/// [`project::load`], printing why it stops; the exit code then.
fn load_project(
    args: &crate::app::cli::ProjectArgs,
    registers: &[String],
    color: bool,
) -> Result<project::Project, i32> {
    project::load(args, registers).map_err(|stop| print_stop(stop, color))
}

/// Say that `id` is not a process of the loaded model, with the closest one; the exit code.
fn unknown_prm(id: &str, knowledge: &crate::mapping::Knowledge) -> i32 {
    let hint = crate::diag::suggest::closest(id, &knowledge.model.process_ids())
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    eprintln!(
        "prmlint: `{}` is not a PRM process id{hint} (`prmlint model` lists them)",
        terminal_safe(id)
    );
    exit::ERROR
}

/// Print why a run stops at prmlint's own files; the exit code then.
fn print_stop(stop: project::Stop, color: bool) -> i32 {
    match stop {
        project::Stop::Invalid {
            mut findings,
            documents,
        } => print_fatal(&mut findings, &documents, color),
        project::Stop::Missing(message) => eprintln!("prmlint: {message}"),
    }
    exit::ERROR
}

/// Print findings that stop the run, sorted by place, each with the file it points into.
fn print_fatal(findings: &mut [Finding], documents: &[Document], color: bool) {
    sort_by_place(findings);
    print_diagnostics(findings, documents, color);
}

/// Findings as diagnostics on standard error (in colour when asked and it is a terminal): the
/// one place that prints them there.
fn print_diagnostics(findings: &[Finding], documents: &[Document], color: bool) {
    let mut out = Vec::new();
    let _ = write_diagnostics(
        &mut out,
        findings,
        documents,
        color && std::io::stderr().is_terminal(),
    );
    let _ = std::io::stderr().write_all(&out);
}

/// Render findings as diagnostics, each with the document it points into (`documents` may be
/// any of the run's files: they are found by their number).
pub fn write_diagnostics(
    out: &mut dyn Write,
    findings: &[Finding],
    documents: &[Document],
    color: bool,
) -> std::io::Result<()> {
    let renderer = DiagnosticRenderer::new(color);
    let mut text = String::new();
    for finding in findings {
        let document = finding.file.and_then(|f| Document::numbered(documents, f));
        renderer
            .render(&mut text, finding, document)
            .map_err(|_| std::io::Error::other("formatting failed"))?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
        text.clear();
    }
    Ok(())
}

/// Render a report to standard output as it is made (a large report is never held whole), or
/// to `output` atomically; returns an exit code.
fn emit_with(
    output: Option<&std::path::Path>,
    inputs: &[String],
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> i32 {
    if output.is_some() {
        let mut out = Vec::new();
        if let Err(e) = render(&mut out) {
            eprintln!("prmlint: cannot render the report: {e}");
            return exit::ERROR;
        }
        return emit(&out, output, inputs);
    }
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    stdout_code(render(&mut stdout).and_then(|()| stdout.flush()))
}

/// Send a finished report to its destination; returns an exit code.
pub fn emit(bytes: &[u8], output: Option<&std::path::Path>, inputs: &[String]) -> i32 {
    match output {
        None => print_stdout(bytes),
        Some(path) => match report::output::write_atomically(path, bytes, inputs) {
            Ok(()) => exit::OK,
            Err(message) => {
                eprintln!("prmlint: {message}");
                exit::ERROR
            }
        },
    }
}

fn print_stdout(bytes: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    stdout_code(stdout.write_all(bytes).and_then(|()| stdout.flush()))
}

/// The exit code for the outcome of writing to standard output.
fn stdout_code(written: std::io::Result<()>) -> i32 {
    match written {
        Ok(()) => exit::OK,
        // A closed pipe (`prmlint ... | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(e) => {
            eprintln!("prmlint: cannot write to standard output: {e}");
            exit::ERROR
        }
    }
}
