//! `prmlint map`: how each register process maps onto the PRM, with scores and evidence.

use super::{
    Prepared, emit, exit, exit_code, map_all, prepare, print_diagnostics, sort_by_place,
    table_options,
};
use crate::app::cli::{FailOn, FindingsFormat, MapArgs};
use crate::mapping::{Mapper, Thresholds};
use crate::report;

pub(super) fn map(args: &MapArgs, color: bool) -> i32 {
    let options = table_options(&args.input.table, None);
    let prepared = match prepare(&args.input, &options, &args.reference, Vec::new(), color) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let Prepared {
        documents: all_documents,
        mut findings,
        knowledge,
        index,
        ..
    } = prepared;
    let mapper = Mapper::with_index(&knowledge, Thresholds::default(), index);
    let registers = args.input.registers.len();
    let results = map_all(&mapper, &all_documents, registers);
    let documents = &all_documents[..registers];
    let mut out = Vec::new();
    let written = match args.format {
        FindingsFormat::Json => {
            report::json::write_mappings(&mut out, documents, &results, &knowledge)
        }
        FindingsFormat::Text => {
            report::mapping_text::write(&mut out, documents, &results, &knowledge)
        }
    };
    if let Err(e) = written {
        eprintln!("prmlint: cannot render the report: {e}");
        return exit::ERROR;
    }
    // The mappings of what could be read are printed; what could not is said on stderr, and
    // the exit code says the register has errors.
    sort_by_place(&mut findings);
    if !findings.is_empty() {
        print_diagnostics(&findings, &all_documents, color);
    }
    let mut protected = args.input.registers.clone();
    protected.extend(args.reference.model.iter().cloned());
    protected.extend(args.reference.crosswalks.iter().cloned());
    let code = emit(&out, args.output.as_deref(), &protected);
    if code != exit::OK {
        return code;
    }
    exit_code(&findings, FailOn::Error)
}
