//! `prmlint check`: load, validate, map and analyse the registers, settle the findings with
//! the project's configuration, decisions and baseline, and write the report.

use std::io::Write;
use std::path::Path;

use super::{
    Prepared, emit_with, exit, exit_code, load_project, map_all, prepare, write_diagnostics,
};
use crate::app::cli::{CheckArgs, CsvTable, GroupBy, ReferenceArgs, ReportFormat};
use crate::app::timings::Timings;
use crate::diag::finding::Finding;
use crate::diag::rules::Stage;
use crate::i18n::Translator;
use crate::load::Document;
use crate::mapping::Mapper;
use crate::project::{self, BaselineChange, baseline::Baseline};
use crate::report::{self, run::CheckRun};

pub(super) fn check(args: &CheckArgs, color: bool) -> i32 {
    let mut timings = Timings::start();
    let csv_table = csv_table(args);
    let mut project = match load_project(&args.project, &args.input.registers, color) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let reference = project.reference(&args.reference);
    let Prepared {
        documents: all_documents,
        findings: mut register_findings,
        knowledge,
        index,
        ..
    } = match prepare(
        &args.input,
        &project.table_options(&args.input.table),
        &reference,
        project.take_documents(),
        color,
    ) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    timings.lap("load");
    let registers = args.input.registers.len();
    let sources = &all_documents[..];
    let documents = &all_documents[..registers];
    // PRM ids as the loaded model has them: a `--model` of its own may use other ids.
    crate::pipeline::validate(
        documents,
        &knowledge.model.process_ids(),
        &mut register_findings,
    );
    timings.lap("validate");
    let mapper = Mapper::with_index(&knowledge, project.thresholds(), index);
    let results = map_all(&mapper, documents, registers);
    timings.lap("map");
    let mut analysis =
        crate::analysis::analyse(documents, &results, &knowledge, &project.settings());
    // The mapping is done: from here on the reference data is only shown, in the report's
    // language.
    std::mem::forget(mapper);
    let words = translator(args, &project, &reference, documents);
    let mut knowledge = knowledge;
    words.localize_knowledge(&mut knowledge);
    // The report writers read the findings from `run.findings`, never from the analysis.
    let mut findings = register_findings;
    findings.append(&mut analysis.findings);
    let mut protected = protected(args, &reference, &sources[registers..]);
    let finished = project.finish(findings, documents);
    if let Err(code) = change_baseline(finished.baseline, &protected) {
        return code;
    }
    let mut findings = finished.findings;
    words.localize(&mut findings);
    let fail_on = project.fail_on(args.fail_on);
    timings.lap("analyse");
    // CI formats write paths from the root of the git work tree that holds the current
    // directory, where GitHub resolves them.
    let path_base = report::location::PathBase::current();
    let run = CheckRun {
        documents,
        sources,
        results: &results,
        analysis: &analysis,
        findings: &findings,
        knowledge: &knowledge,
        words: &words,
        paths: path_base.as_ref(),
    };
    let fail_line = |findings: &[Finding]| verdict_line(&words, fail_on, findings, &finished.note);
    let color = color && args.output.is_none();
    let render = |out: &mut dyn Write| render(out, &run, args, csv_table, color, &fail_line);
    protected.extend(args.project.baseline.iter().cloned());
    let code = emit_with(args.output.as_deref(), &protected, render);
    timings.lap("report");
    if args.timings {
        // Standard error only: the report on standard output stays machine-readable.
        eprint!("{}", timings.render());
    }
    let code = if code == exit::OK {
        exit_code(&findings, fail_on)
    } else {
        code
    };
    // The process exits next: freeing a big register's millions of small allocations one by
    // one takes longer than the operating system takes to reclaim them all (0.3 s of 4 s at
    // 100,000 processes), so they are left to it.
    std::mem::forget((results, analysis, findings));
    std::mem::forget((all_documents, knowledge));
    code
}

/// The text report's last line: whether the findings fail the run at `fail_on`, and what the
/// baseline did (`note`).
fn verdict_line(
    words: &Translator,
    fail_on: crate::diag::finding::FailOn,
    findings: &[Finding],
    note: &str,
) -> String {
    let line = match fail_on.threshold() {
        Some(t) if report::check_text::fails(findings, Some(t)) => {
            crate::tr!(words, "text.fails-at", level = t.as_str())
        }
        Some(t) => crate::tr!(words, "text.passes-at", level = t.as_str()),
        None => words.word("text.never-fails"),
    };
    format!("{line}{note}")
}

/// The CSV table to write; options of one format given with another do nothing, and say so
/// rather than being ignored silently.
fn csv_table(args: &CheckArgs) -> CsvTable {
    for (given, option, format, name) in [
        (args.csv.is_some(), "--csv", ReportFormat::Csv, "csv"),
        (args.date.is_some(), "--date", ReportFormat::Html, "html"),
    ] {
        if given && args.format != format {
            eprintln!("prmlint: warning: {option} only applies to --format {name}; ignored");
        }
    }
    let by_owner = args.group_by == GroupBy::Owner;
    if by_owner
        && !matches!(
            args.format,
            ReportFormat::Text | ReportFormat::Markdown | ReportFormat::Html | ReportFormat::Csv
        )
    {
        eprintln!(
            "prmlint: warning: --group-by owner only applies to --format text, markdown, html and csv; ignored"
        );
    }
    match (args.csv, by_owner) {
        (Some(table), true) if table != CsvTable::Actions => {
            if args.format == ReportFormat::Csv {
                let name = clap::ValueEnum::to_possible_value(&table)
                    .map(|v| v.get_name().to_owned())
                    .unwrap_or_default();
                eprintln!(
                    "prmlint: warning: --group-by owner writes the actions table; --csv {name} ignored"
                );
            }
            CsvTable::Actions
        }
        (_, true) => CsvTable::Actions,
        (table, false) => table.unwrap_or_default(),
    }
}

/// The report's language: reports for people follow the register's language; machine formats
/// (JSON, SARIF, CSV, JUnit, annotations) stay English unless a language is asked for.
fn translator(
    args: &CheckArgs,
    project: &project::Project,
    reference: &ReferenceArgs,
    documents: &[Document],
) -> Translator {
    let for_people = matches!(
        args.format,
        ReportFormat::Text | ReportFormat::Markdown | ReportFormat::Html | ReportFormat::Clauses
    );
    let words = Translator::new(project.lang(args.lang, documents, for_people));
    if reference.model.is_some() {
        words.keep_model_texts()
    } else {
        words
    }
}

/// Every file the run read, protected from `-o` and `--write-baseline`; the baseline itself may
/// only be rewritten by `--update-baseline`. `read` are the files read beside the registers.
fn protected(args: &CheckArgs, reference: &ReferenceArgs, read: &[Document]) -> Vec<String> {
    let mut protected: Vec<String> = args.input.registers.clone();
    protected.extend(reference.model.iter().cloned());
    protected.extend(reference.crosswalks.iter().cloned());
    protected.extend(args.project.config.iter().cloned());
    protected.extend(args.project.decisions.iter().cloned());
    protected.extend(
        read.iter()
            .map(|d| d.source.name.clone())
            .filter(|name| Some(name) != args.project.baseline.as_ref()),
    );
    protected
}

/// Write the report in the format asked for.
fn render(
    out: &mut dyn Write,
    run: &CheckRun<'_>,
    args: &CheckArgs,
    csv_table: CsvTable,
    color: bool,
    fail_line: &dyn Fn(&[Finding]) -> String,
) -> std::io::Result<()> {
    match args.format {
        ReportFormat::Json => report::check_json::write(out, run),
        ReportFormat::Sarif => report::sarif::write(out, run),
        ReportFormat::Github => report::github::write(out, run),
        ReportFormat::Junit => report::junit::write(out, run),
        ReportFormat::Csv => report::csv_report::write(out, run, csv_table),
        ReportFormat::Clauses => report::clauses::write_text(out, run),
        ReportFormat::Markdown => report::markdown::write(out, run, args.group_by),
        ReportFormat::Html => report::html::write(out, run, args.date.as_deref(), args.group_by),
        ReportFormat::Text => {
            let register_findings: Vec<Finding> = run
                .findings
                .iter()
                .filter(|f| f.code.info().stage != Stage::Analysis)
                .cloned()
                .collect();
            let mut diagnostics = Vec::new();
            write_diagnostics(&mut diagnostics, &register_findings, run.sources, color)?;
            let fail_line = fail_line(run.findings);
            report::check_text::write(out, run, &diagnostics, &fail_line, args.group_by)
        }
    }
}

/// Carry out what the run asks of the baseline file, saying so on standard error. `inputs`
/// (the registers and reference files) are never overwritten.
fn change_baseline(change: Option<BaselineChange>, inputs: &[String]) -> Result<(), i32> {
    let write = |path: &Path, baseline: &Baseline| {
        report::output::write_atomically(path, baseline.to_json().as_bytes(), inputs).map_err(
            |message| {
                eprintln!("prmlint: {message}");
                exit::ERROR
            },
        )
    };
    match change {
        None => {}
        Some(BaselineChange::Write { path, baseline }) => {
            write(&path, &baseline)?;
            eprintln!(
                "prmlint: wrote {} finding(s) to the baseline {}",
                baseline.len(),
                path.display()
            );
        }
        Some(BaselineChange::Fixed {
            path,
            count,
            described,
            update,
        }) => {
            eprintln!(
                "prmlint: {count} baselined finding(s) fixed since the baseline was written: \
                 {described}"
            );
            match update {
                Some(baseline) => {
                    write(Path::new(&path), &baseline)?;
                    eprintln!("prmlint: removed them from the baseline {path}");
                }
                None => eprintln!("prmlint: run with --update-baseline to remove them from {path}"),
            }
        }
    }
    Ok(())
}
