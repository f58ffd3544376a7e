//! The `check --format csv` report: the mapping matrix (one row per register process and PRM
//! mapping), with `--csv coverage` the coverage table, or with `--csv actions` (or `--group-by
//! owner`) the action list per owner, or with `--csv clauses` the ISO/IEC 27001 clause matrix,
//! for spreadsheets. Register text is
//! untrusted, so cells that a spreadsheet would run as a formula are neutralised.

use super::clauses::{Implementer, Kind, matrix};
use super::owners::Actions;
use super::run::CheckRun;
use crate::analysis::CoverageStatus;
use crate::diag::finding::Finding;

/// Which table the CSV report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CsvTable {
    /// One row per register process and PRM mapping.
    #[default]
    Mappings,
    /// One row per PRM process with its coverage.
    Coverage,
    /// The ISO/IEC 27001:2022 clause matrix: one row per clause or Annex A control and
    /// register process that implements it (one row with no process when none does).
    Clauses,
    /// The action list: one row per owner and finding on their processes, then the PRM
    /// processes nobody owns (what `--group-by owner` writes).
    Actions,
}

const MAPPING_HEADER: [&str; 10] = [
    "process_id",
    "process_name",
    "status",
    "prm",
    "relationship",
    "score",
    "source",
    "control_area",
    "umbrella",
    "evidence",
];

const COVERAGE_HEADER: [&str; 6] = [
    "prm",
    "name",
    "category",
    "status",
    "processes",
    "missing_activities",
];

const ACTIONS_HEADER: [&str; 9] = [
    "owner",
    "process_id",
    "process_name",
    "prm",
    "code",
    "severity",
    "message",
    "help",
    "activities",
];

/// Between the items of a list in one cell.
const LIST_SEPARATOR: &str = " | ";

pub fn write(
    out: &mut dyn std::io::Write,
    run: &CheckRun<'_>,
    table: CsvTable,
) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    match table {
        CsvTable::Mappings => write_mappings(&mut writer, run)?,
        CsvTable::Coverage => write_coverage(&mut writer, run)?,
        CsvTable::Actions => write_actions(&mut writer, run)?,
        CsvTable::Clauses => write_clauses(&mut writer, run)?,
    }
    writer.flush()
}

fn write_mappings(
    writer: &mut csv::Writer<&mut dyn std::io::Write>,
    run: &CheckRun<'_>,
) -> std::io::Result<()> {
    writer.write_record(MAPPING_HEADER)?;
    for crate::mapping::Mapped {
        process, result, ..
    } in crate::mapping::mapped(run.documents, run.results)
    {
        let common = |prm: &str, relationship: &str, score: String, source: &str, evidence| {
            [
                process.id.clone(),
                process.name.clone(),
                process.status.as_str().to_owned(),
                prm.to_owned(),
                relationship.to_owned(),
                score,
                source.to_owned(),
                result.control_area.clone().unwrap_or_default(),
                result.umbrella.to_string(),
                evidence,
            ]
        };
        if result.mappings.is_empty() {
            write_row(writer, common("", "", String::new(), "", String::new()))?;
        }
        for mapping in &result.mappings {
            let source = match mapping.source {
                crate::mapping::Source::Declared => "declared",
                crate::mapping::Source::Crosswalk => "crosswalk",
                crate::mapping::Source::Fuzzy => "fuzzy",
            };
            write_row(
                writer,
                common(
                    &mapping.prm,
                    mapping.relationship.as_str(),
                    format!("{:.2}", mapping.score),
                    source,
                    mapping.evidence.join(LIST_SEPARATOR),
                ),
            )?;
        }
    }
    Ok(())
}

fn write_coverage(
    writer: &mut csv::Writer<&mut dyn std::io::Write>,
    run: &CheckRun<'_>,
) -> std::io::Result<()> {
    writer.write_record(COVERAGE_HEADER)?;
    let model = &run.knowledge.model;
    for coverage in &run.analysis.coverage {
        let prm = model.processes.iter().find(|p| p.id == coverage.prm);
        // The activities still to add: those the best candidate lacks, or all of them when no
        // process is a candidate.
        let missing = match coverage.contributions.first() {
            Some(best) => best.missing_activities.clone(),
            None => prm
                .map(|p| p.activities.iter().map(|a| a.id.clone()).collect())
                .unwrap_or_default(),
        };
        let status = match coverage.status {
            CoverageStatus::Covered => "covered",
            CoverageStatus::Adaptable => "adaptable",
            CoverageStatus::Missing => "missing",
        };
        write_row(
            writer,
            [
                coverage.prm.clone(),
                prm.map(|p| p.name.clone()).unwrap_or_default(),
                coverage.category.clone(),
                status.to_owned(),
                coverage.processes.join(LIST_SEPARATOR),
                missing.join(LIST_SEPARATOR),
            ],
        )?;
    }
    Ok(())
}

fn write_actions(
    writer: &mut csv::Writer<&mut dyn std::io::Write>,
    run: &CheckRun<'_>,
) -> std::io::Result<()> {
    writer.write_record(ACTIONS_HEADER)?;
    let row = |owner: &str, id: &str, name: &str, prm: &str, finding: Option<&Finding>| {
        [
            owner.to_owned(),
            id.to_owned(),
            name.to_owned(),
            finding
                .and_then(|f| f.prm.clone())
                .unwrap_or_else(|| prm.to_owned()),
            finding.map_or("", |f| f.code.as_str()).to_owned(),
            finding.map_or("", |f| f.severity.as_str()).to_owned(),
            finding.map_or_else(
                || run.words.word("owners.csv-unowned"),
                |f| f.message.clone(),
            ),
            finding.and_then(|f| f.help.clone()).unwrap_or_default(),
            finding.map_or_else(String::new, |f| {
                f.activities
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR)
            }),
        ]
    };
    let actions = Actions::of(run);
    for owner in &actions.owners {
        for p in &owner.processes {
            for finding in &p.findings {
                let cells = row(
                    owner.owner.unwrap_or_default(),
                    &p.process.id,
                    &p.process.name,
                    "",
                    Some(finding),
                );
                write_row(writer, cells)?;
            }
        }
    }
    for u in &actions.unowned {
        let processes = u.processes.join(LIST_SEPARATOR);
        if u.findings.is_empty() {
            write_row(writer, row("", &processes, "", &u.prm.id, None))?;
        }
        for finding in &u.findings {
            write_row(writer, row("", &processes, "", &u.prm.id, Some(finding)))?;
        }
    }
    for finding in &actions.other {
        write_row(writer, row("", "", "", "", Some(finding)))?;
    }
    Ok(())
}

const CLAUSES_HEADER: [&str; 11] = [
    "ref",
    "kind",
    "status",
    "through",
    "process_id",
    "process_name",
    "via",
    "via_kind",
    "reach",
    "relationship",
    "unrun",
];

fn write_clauses(
    writer: &mut csv::Writer<&mut dyn std::io::Write>,
    run: &CheckRun<'_>,
) -> std::io::Result<()> {
    writer.write_record(CLAUSES_HEADER)?;
    for row in matrix(run) {
        let cells = |i: Option<&Implementer<'_>>| {
            [
                row.reference.to_owned(),
                match row.kind {
                    Kind::Clause => "clause",
                    Kind::Control => "control",
                }
                .to_owned(),
                row.status.as_str().to_owned(),
                row.through.join(LIST_SEPARATOR),
                i.map_or("", |i| i.process).to_owned(),
                i.map_or("", |i| i.name).to_owned(),
                i.map_or("", |i| i.via).to_owned(),
                i.map_or("", |i| i.via_kind).to_owned(),
                i.map_or("", |i| i.reach).to_owned(),
                i.and_then(|i| i.relationship)
                    .map_or("", |r| r.as_str())
                    .to_owned(),
                row.unrun.join(LIST_SEPARATOR),
            ]
        };
        if row.implementers.is_empty() {
            write_row(writer, cells(None))?;
        }
        for implementer in &row.implementers {
            write_row(writer, cells(Some(implementer)))?;
        }
    }
    Ok(())
}

fn write_row<const N: usize>(
    writer: &mut csv::Writer<&mut dyn std::io::Write>,
    cells: [String; N],
) -> std::io::Result<()> {
    writer.write_record(cells.iter().map(|cell| neutralise(cell).into_owned()))?;
    Ok(())
}

/// Prefix a cell that a spreadsheet would evaluate as a formula with `'` (OWASP, CSV injection):
/// `=`, `+`, `-`, `@`, tab and carriage return start a formula in Excel, LibreOffice or Sheets.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_other_cells_kept() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("a=1"), "a=1");
        assert_eq!(neutralise(""), "");
    }
}
