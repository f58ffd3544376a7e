//! The stages of a run in order, as data in and data out: read the registers and the
//! reference data, validate, map. (`analysis::analyse` and `project::Project::finish` come
//! next.) `app` runs these for its commands, and the fuzz targets run the same functions.
//! Nothing here prints: what a command shows is up to `app`.

use rayon::prelude::*;

use crate::diag::finding::{Finding, sort_by_place};
use crate::diag::rules::Stage;
use crate::load::args::{InputArgs, ReferenceArgs};
use crate::load::{self, Document, TableOptions};
use crate::mapping::{Knowledge, Mapper, MapperIndex, ProcessMapping};

/// What a reader assumed about a file (an encoding, a sheet), for standard error.
#[derive(Debug, Clone)]
pub struct Note {
    /// The file's name as given.
    pub file: String,
    pub text: String,
}

/// The registers given, in order: one document each, the findings of reading them, and the
/// readers' notes.
#[derive(Debug, Default)]
pub struct Registers {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
}

/// Read every register given, in order.
pub fn load_registers(args: &InputArgs, options: &TableOptions) -> Registers {
    let limits = args.limits();
    let mut registers = Registers::default();
    for (file, path) in args.registers.iter().enumerate() {
        let loaded = load::load_path_with(file, path, args.input_format, &limits, options);
        registers.notes.extend(loaded.notes.iter().map(|text| Note {
            file: loaded.document.source.name.clone(),
            text: text.clone(),
        }));
        registers.documents.push(loaded.document);
        registers.findings.extend(loaded.findings);
    }
    registers
}

/// Registers and reference data, read and ready to map.
#[derive(Debug)]
pub struct Prepared {
    /// The registers, then prmlint's own files, then the reference data files.
    pub documents: Vec<Document>,
    /// What reading them found (nothing fatal).
    pub findings: Vec<Finding>,
    pub knowledge: Knowledge,
    /// The mapper's tables for `knowledge`, built while the registers were read.
    pub index: MapperIndex,
    pub notes: Vec<Note>,
}

/// Something could not be read at all: the findings that say what, sorted by place, and the
/// documents they point into.
#[derive(Debug)]
pub struct Unreadable {
    pub findings: Vec<Finding>,
    pub documents: Vec<Document>,
    pub notes: Vec<Note>,
}

/// Read the registers and the reference data. `extra` are prmlint's own files
/// (configuration, decisions, baseline), numbered after the registers and before the
/// reference data.
pub fn prepare(
    input: &InputArgs,
    options: &TableOptions,
    reference: &ReferenceArgs,
    extra: Vec<Document>,
) -> Result<Prepared, Box<Unreadable>> {
    let sources = load::reference::Sources {
        model: reference.model.clone(),
        crosswalks: reference.crosswalks.clone(),
    };
    // The registers and the reference data do not depend on each other: read them side by
    // side (building the reference index is most of a small run). Each register is one
    // document, so the reference documents' numbers are known before either is read.
    let first_reference = input.registers.len() + extra.len();
    let (registers, (loaded, index)) = rayon::join(
        || load_registers(input, options),
        || {
            // The register schema is compiled once per run; compiled here, it is ready by the
            // time the registers' processes are checked.
            let _ = crate::validate::schema::Validators::get();
            let loaded = load::reference::load(&sources, first_reference);
            let index = loaded.knowledge.as_ref().map(MapperIndex::new);
            (loaded, index)
        },
    );
    let Registers {
        mut documents,
        mut findings,
        notes,
    } = registers;
    documents.extend(extra);
    documents.extend(loaded.documents);
    findings.extend(loaded.findings);
    let fatal = |f: &Finding| {
        matches!(f.code.info().stage, Stage::Input)
            || f.file.is_none_or(|i| i >= input.registers.len())
    };
    match (loaded.knowledge, index) {
        (Some(knowledge), Some(index)) if !findings.iter().any(fatal) => Ok(Prepared {
            documents,
            findings,
            knowledge,
            index,
            notes,
        }),
        _ => {
            sort_by_place(&mut findings);
            findings.retain(fatal);
            Err(Box::new(Unreadable {
                findings,
                documents,
                notes,
            }))
        }
    }
}

/// The register checks of the loaded registers, added to `findings`, sorted by place.
/// `prm_ids` are the loaded model's: a `--model` of one's own may use other ids.
pub fn validate(documents: &[Document], prm_ids: &[&str], findings: &mut Vec<Finding>) {
    findings.extend(crate::validate::hygiene::check(documents, prm_ids));
    sort_by_place(findings);
}

/// Map every process of the first `registers` documents, in order. Processes are mapped on
/// all cores; an indexed parallel `collect` keeps register order, so the output never depends
/// on threads.
pub fn map_all(
    mapper: &Mapper<'_>,
    documents: &[Document],
    registers: usize,
) -> Vec<Vec<ProcessMapping>> {
    documents
        .iter()
        .take(registers)
        .map(|d| {
            d.register
                .processes
                .par_iter()
                .map(|p| mapper.map(p))
                .collect()
        })
        .collect()
}
