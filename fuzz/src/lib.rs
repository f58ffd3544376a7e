//! What the fuzz targets run: a register's bytes through prmlint's stages, as `prmlint check`
//! runs them, with every report written to memory. A panic anywhere is a crash.

use std::sync::OnceLock;

use prmlint::analysis::{Settings, analyse};
use prmlint::load::{Document, InputFormat, Limits, load_bytes};
use prmlint::mapping::{Knowledge, Mapper, ProcessMapping, Thresholds};
use prmlint::report::run::CheckRun;
use prmlint::report::owners::GroupBy;

/// Load a register and run the register checks, rendering the diagnostics as `validate` does.
pub fn load(bytes: &[u8], format: InputFormat) -> (Vec<Document>, Vec<prmlint::diag::finding::Finding>) {
    let loaded = load_bytes(0, "fuzz", bytes.to_vec(), format, &Limits::default());
    let documents = vec![loaded.document];
    let mut findings = loaded.findings;
    prmlint::pipeline::validate(&documents, prmlint::model::PRM_IDS, &mut findings);
    let mut out = Vec::new();
    let _ = prmlint::app::write_diagnostics(&mut out, &findings, &documents, false);
    let _ = prmlint::report::json::write_findings(&mut out, &findings, &documents);
    (documents, findings)
}

fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| match prmlint::load::reference::embedded_knowledge() {
        Ok(knowledge) => knowledge,
        Err(e) => panic!("the embedded reference data does not load: {e}"),
    })
}

/// The whole `check`: load, map, analyse, and write every report format.
pub fn check(bytes: &[u8], format: InputFormat) {
    let (documents, mut findings) = load(bytes, format);
    let knowledge = knowledge();
    let mapper = Mapper::new(knowledge, Thresholds::default());
    let results: Vec<Vec<ProcessMapping>> =
        prmlint::pipeline::map_all(&mapper, &documents, documents.len());
    let analysis = analyse(&documents, &results, knowledge, &Settings::default());
    findings.extend(analysis.findings.iter().cloned());
    let run = CheckRun {
        documents: &documents,
        sources: &documents,
        results: &results,
        analysis: &analysis,
        findings: &findings,
        knowledge,
        words: prmlint::i18n::Translator::english(),
        paths: None,
    };
    let mut out = Vec::new();
    let _ = prmlint::report::check_json::write(&mut out, &run);
    let _ = prmlint::report::sarif::write(&mut out, &run);
    let _ = prmlint::report::github::write(&mut out, &run);
    let _ = prmlint::report::junit::write(&mut out, &run);
    for group_by in [GroupBy::Kind, GroupBy::Owner] {
        let _ = prmlint::report::markdown::write(&mut out, &run, group_by);
        let _ = prmlint::report::html::write(&mut out, &run, None, group_by);
        let _ = prmlint::report::check_text::write(&mut out, &run, b"", "fuzz", group_by);
    }
    for table in [
        prmlint::app::cli::CsvTable::Mappings,
        prmlint::app::cli::CsvTable::Coverage,
        prmlint::app::cli::CsvTable::Actions,
    ] {
        let _ = prmlint::report::csv_report::write(&mut out, &run, table);
    }
    let _ = prmlint::report::mapping_text::write(&mut out, &documents, &results, knowledge);
}
