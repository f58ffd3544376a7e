//! `prmlint validate`: the registers against the schema and the hygiene rules.

use std::io::Write;

use super::{emit, exit, exit_code, load_all, write_diagnostics};
use crate::app::cli::{FindingsFormat, ValidateArgs};
use crate::diag::finding::Finding;
use crate::load::Document;
use crate::report::{self, terminal_safe};

pub(super) fn validate(args: &ValidateArgs, color: bool) -> i32 {
    let (documents, mut findings) = load_all(&args.input);
    crate::pipeline::validate(&documents, crate::model::PRM_IDS, &mut findings);
    let mut out = Vec::new();
    let written = match args.format {
        FindingsFormat::Json => report::json::write_findings(&mut out, &findings, &documents),
        FindingsFormat::Text => {
            let color = color && args.output.is_none();
            write_diagnostics(&mut out, &findings, &documents, color)
                .and_then(|()| write_summary_line(&mut out, &findings, &documents))
        }
    };
    if let Err(e) = written {
        eprintln!("prmlint: cannot render the report: {e}");
        return exit::ERROR;
    }
    let code = emit(&out, args.output.as_deref(), &args.input.registers);
    if code != exit::OK {
        return code;
    }
    exit_code(&findings, args.fail_on)
}

fn write_summary_line(
    out: &mut dyn Write,
    findings: &[Finding],
    documents: &[Document],
) -> std::io::Result<()> {
    let counts = report::json::SeverityCounts::of(findings);
    let processes: usize = documents.iter().map(|d| d.register.entries).sum();
    let names: Vec<String> = documents
        .iter()
        .map(|d| terminal_safe(&d.source.name))
        .collect();
    writeln!(
        out,
        "{}: {} error(s), {} warning(s), {} note(s) in {} process(es)",
        names.join(", "),
        counts.error,
        counts.warning,
        counts.note,
        processes
    )
}
