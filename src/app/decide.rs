//! `prmlint decide`: record a reviewer's decision on a suggested mapping in the decisions file.
//! The register is never modified: for an accepted mapping the `maps_to` entry to add is printed.

use super::{Prepared, exit, prepare, project};
use crate::cli::DecideArgs;
use crate::decisions::{Decision, Decisions, Verdict, fingerprint};
use crate::mapping::{Mapper, Thresholds};
use crate::report::terminal_safe;

pub(super) fn decide(args: &DecideArgs, color: bool) -> i32 {
    if !crate::model::PRM_IDS.contains(&args.prm.as_str()) {
        let hint = crate::schema::closest(&args.prm, crate::model::PRM_IDS)
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        eprintln!(
            "prmlint: `{}` is not a PRM process id{hint} (`prmlint model` lists them)",
            terminal_safe(&args.prm)
        );
        return exit::ERROR;
    }
    let Prepared {
        documents,
        knowledge,
        ..
    } = match prepare(
        &args.input,
        &super::table_options(&args.input.table, None),
        &args.reference,
        Vec::new(),
        color,
    ) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let registers = &documents[..args.input.registers.len()];
    let found = registers.iter().find_map(|document| {
        document
            .register
            .processes
            .iter()
            .find(|p| p.id == args.process)
            .map(|p| (document, p))
    });
    let Some((document, process)) = found else {
        let ids: Vec<&str> = registers
            .iter()
            .flat_map(|d| &d.register.processes)
            .map(|p| p.id.as_str())
            .collect();
        let hint = closest_id(&args.process, &ids)
            .map(|c| format!("; did you mean `{}`?", terminal_safe(c)))
            .unwrap_or_default();
        eprintln!(
            "prmlint: no process `{}` in {}{hint}",
            terminal_safe(&args.process),
            args.input.registers.join(", ")
        );
        return exit::ERROR;
    };

    let mut decisions = if args.decisions.exists() {
        let path = args.decisions.to_string_lossy().into_owned();
        let read = crate::userfile::read(0, &path, crate::schema::DECISIONS);
        let mut findings = read.findings;
        for error in &read.schema_errors {
            findings.push(crate::userfile::schema_finding(
                &read.document,
                error,
                |_| Vec::new(),
            ));
        }
        let parsed = match (findings.is_empty(), read.value) {
            (true, Some(value)) => Decisions::from_value(value, &read.document),
            _ => Err(String::new()),
        };
        match parsed {
            Ok(decisions) => decisions,
            Err(message) => {
                if !message.is_empty() {
                    findings.push(crate::userfile::invalid_at(
                        &read.document,
                        "",
                        false,
                        format!("cannot be used: {message}"),
                    ));
                }
                project::print_fatal(&mut findings, std::slice::from_ref(&read.document), color);
                return exit::ERROR;
            }
        }
    } else {
        Decisions::default()
    };

    let relationship = match args.verdict {
        Verdict::Reject => None,
        Verdict::Accept => {
            let evidence = Mapper::new(&knowledge, Thresholds::default())
                .map(process)
                .mappings
                .into_iter()
                .find(|m| m.prm == args.prm)
                .map(|m| m.relationship);
            match args.relationship.or(evidence) {
                Some(relationship) => Some(relationship),
                None => {
                    eprintln!(
                        "prmlint: nothing in `{}` maps it onto `{}`; say which relationship to declare with --relationship",
                        terminal_safe(&args.process),
                        args.prm
                    );
                    return exit::ERROR;
                }
            }
        }
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
        return exit::ERROR;
    }

    let id = terminal_safe(&process.id);
    let file = args.decisions.display();
    match relationship {
        None => println!(
            "rejected mapping `{id}` onto `{}`, recorded in {file}: `check --decisions {file}` no longer suggests it while the process's name, description and activities stay as they are",
            args.prm
        ),
        Some(relationship) => {
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
    }
    exit::OK
}

fn closest_id<'a>(id: &str, ids: &[&'a str]) -> Option<&'a str> {
    ids.iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&id.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
