//! `prmlint decide`: record a reviewer's decision on a suggested mapping in the decisions file.
//! The register is never modified: for an accepted mapping the `maps_to` entry to add is printed.

use std::path::Path;

use super::{Prepared, exit, prepare};
use crate::app::cli::{DecideArgs, ProjectArgs};
use crate::load::Document;
use crate::mapping::{Knowledge, Mapper};
use crate::project::decisions::{Decision, Decisions, Verdict, fingerprint};
use crate::report::terminal_safe;
use crate::source::register::{Process, Relationship};

pub(super) fn decide(args: &DecideArgs, color: bool) -> i32 {
    match record(args, color) {
        Ok(()) => exit::OK,
        Err(code) => code,
    }
}

/// Check the ids, record the decision and say what it means for the register; `Err` holds the
/// exit code once the reason has been printed.
fn record(args: &DecideArgs, color: bool) -> Result<(), i32> {
    // The configuration `check` finds beside the register: its columns, crosswalks and
    // thresholds decide what the evidence shows, as they do in `check`.
    let project_args = ProjectArgs {
        config: args.config.clone(),
        isolated: args.isolated,
        baseline: None,
        write_baseline: None,
        update_baseline: false,
        decisions: None,
    };
    let mut project = super::load_project(&project_args, &args.input.registers, color)?;
    let Prepared {
        documents,
        knowledge,
        index,
        ..
    } = prepare(
        &args.input,
        &project.table_options(&args.input.table),
        &project.reference(&args.reference),
        project.take_documents(),
        color,
    )?;
    known_prm(&args.prm, &knowledge)?;
    let registers = &documents[..args.input.registers.len()];
    let (document, process) = find_process(registers, args)?;
    let mut decisions = if args.decisions.exists() {
        read_decisions(&args.decisions, color)?
    } else {
        Decisions::default()
    };
    let relationship = match args.verdict {
        Verdict::Reject => None,
        Verdict::Accept => Some(relationship_to_declare(
            args,
            Mapper::with_index(&knowledge, project.thresholds(), index),
            process,
        )?),
    };
    decisions.record(Decision {
        process: process.id.clone(),
        prm: args.prm.clone(),
        decision: args.verdict,
        relationship,
        reason: args.reason.clone(),
        fingerprint: fingerprint(process),
        at: None,
    });
    if let Err(message) = crate::report::output::write_atomically(
        &args.decisions,
        decisions.to_json().as_bytes(),
        &args.input.registers,
    ) {
        eprintln!("prmlint: {message}");
        return Err(exit::ERROR);
    }
    print_recorded(args, document, process, relationship);
    Ok(())
}

/// Refuse a PRM id that the loaded model does not have, suggesting the closest one.
fn known_prm(prm: &str, knowledge: &Knowledge) -> Result<(), i32> {
    if knowledge.model.processes.iter().any(|p| p.id == prm) {
        return Ok(());
    }
    Err(super::unknown_prm(prm, knowledge))
}

/// The register process the decision is about, and the document it is in.
fn find_process<'a>(
    registers: &'a [Document],
    args: &DecideArgs,
) -> Result<(&'a Document, &'a Process), i32> {
    let found = registers.iter().find_map(|document| {
        document
            .register
            .processes
            .iter()
            .find(|p| p.id == args.process)
            .map(|p| (document, p))
    });
    found.ok_or_else(|| {
        let ids: Vec<&str> = registers
            .iter()
            .flat_map(|d| &d.register.processes)
            .map(|p| p.id.as_str())
            .collect();
        let hint = crate::diag::suggest::closest(&args.process, &ids)
            .map(|c| format!("; did you mean `{}`?", terminal_safe(c)))
            .unwrap_or_default();
        eprintln!(
            "prmlint: no process `{}` in {}{hint}",
            terminal_safe(&args.process),
            args.input.registers.join(", ")
        );
        exit::ERROR
    })
}

/// The decisions file as it stands; a file that does not validate is reported and refused, so
/// that recording a decision never throws away the ones already there.
fn read_decisions(file: &Path, color: bool) -> Result<Decisions, i32> {
    let path = file.to_string_lossy().into_owned();
    let (mut documents, mut fatal) = (Vec::new(), Vec::new());
    let read = crate::project::read_decisions(0, &path, &mut documents, &mut fatal);
    match read {
        Ok(Some(decisions)) if fatal.is_empty() => Ok(decisions),
        Ok(_) => Err(super::print_stop(
            crate::project::Stop::Invalid {
                findings: fatal,
                documents,
            },
            color,
        )),
        Err(stop) => Err(super::print_stop(stop, color)),
    }
}

/// For an accepted mapping: the relationship given, else the one the evidence shows.
fn relationship_to_declare(
    args: &DecideArgs,
    mapper: Mapper<'_>,
    process: &Process,
) -> Result<Relationship, i32> {
    let evidence = mapper
        .map(process)
        .mappings
        .into_iter()
        .find(|m| m.prm == args.prm)
        .map(|m| m.relationship);
    args.relationship.or(evidence).ok_or_else(|| {
        eprintln!(
            "prmlint: nothing in `{}` maps it onto `{}`; say which relationship to declare with --relationship",
            terminal_safe(&args.process),
            args.prm
        );
        exit::ERROR
    })
}

/// What was recorded and, for an accepted mapping, the `maps_to` entry the register needs.
fn print_recorded(
    args: &DecideArgs,
    document: &Document,
    process: &Process,
    relationship: Option<Relationship>,
) {
    let id = terminal_safe(&process.id);
    let file = args.decisions.display();
    let Some(relationship) = relationship else {
        println!(
            "rejected mapping `{id}` onto `{}`, recorded in {file}: `check --decisions {file}` no longer suggests it while the process's name, description and activities stay as they are",
            args.prm
        );
        return;
    };
    println!(
        "accepted mapping `{id}` onto `{}`, recorded in {file}",
        args.prm
    );
    if process.maps_to.iter().any(|m| m.prm == args.prm) {
        println!(
            "`{id}` already declares `{}` in {}",
            args.prm,
            terminal_safe(&document.source.name)
        );
    } else {
        println!(
            "add this entry to the `maps_to` of `{id}` in {}:",
            terminal_safe(&document.source.name)
        );
        println!(
            "  {{\"prm\": \"{}\", \"relationship\": \"{}\"}}",
            args.prm,
            relationship.as_str()
        );
    }
}
