//! Register hygiene: rules on a well-formed register that need no reference model beyond the
//! list of PRM ids (duplicate ids, broken hierarchy, dubious declared mappings, missing data).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use rayon::prelude::*;

use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::diag::suggest::closest;
use crate::i18n::{Arg, Message};
use crate::load::Document;
use crate::source::json::Kind;
use crate::source::register::{Process, Status};

/// Run every hygiene rule over the loaded documents. Ids are checked across all documents,
/// because a run analyses them together.
pub fn check(documents: &[Document], prm_ids: &[&str]) -> Vec<Finding> {
    let mut findings = Vec::new();
    duplicate_ids(documents, &mut findings);
    for document in documents {
        hierarchy(document, &mut findings);
        // Processes on all cores; the indexed `collect` keeps register order.
        let found: Vec<Vec<Finding>> = document
            .register
            .processes
            .par_iter()
            .map(|process| {
                let mut found = Vec::new();
                process_rules(document, process, prm_ids, &mut found);
                found
            })
            .collect();
        findings.extend(found.into_iter().flatten());
    }
    findings
}

/// The rules about one process on its own.
fn process_rules(
    document: &Document,
    process: &Process,
    prm_ids: &[&str],
    findings: &mut Vec<Finding>,
) {
    let pointer = process.pointer();
    mapping_rules(document, process, &pointer, prm_ids, findings);
    if process.status == Status::Retired && !process.maps_to.is_empty() {
        findings.push(at_key(
            document,
            process,
            &pointer,
            "/maps_to",
            Finding::new(
                Code::RetiredWithMappings,
                crate::msg!(
                    "hygiene.retired-with-mappings",
                    id = &process.id,
                    n = process.maps_to.len()
                ),
            )
            .label(crate::msg!("hygiene.retired-with-mappings.label"))
            .help(crate::msg!("hygiene.retired-with-mappings.help")),
        ));
    }
    if process.status == Status::Retired {
        return;
    }
    missing_data(document, process, &pointer, findings);
}

/// `unknown-prm-id` and `duplicate-mapping`: each `maps_to` entry of a process (at `pointer`)
/// names a PRM id that exists, and names it once.
fn mapping_rules(
    document: &Document,
    process: &Process,
    pointer: &str,
    prm_ids: &[&str],
    findings: &mut Vec<Finding>,
) {
    let mut seen = HashSet::new();
    for (i, mapping) in process.maps_to.iter().enumerate() {
        let prm_pointer = format!("{pointer}/maps_to/{i}/prm");
        let span = document.span(&prm_pointer);
        if !prm_ids.contains(&mapping.prm.as_str()) {
            let help = match closest(&mapping.prm, prm_ids) {
                Some(id) => crate::msg!("hygiene.unknown-prm-id.did-you-mean", id = id),
                None => crate::msg!("hygiene.unknown-prm-id.help"),
            };
            findings.push(
                Finding::new(
                    Code::UnknownPrmId,
                    crate::msg!("hygiene.unknown-prm-id", prm = &mapping.prm),
                )
                .at(document.file, prm_pointer, span)
                .label(crate::msg!("hygiene.unknown-prm-id.label"))
                .help(help)
                .processes([process.id.clone()]),
            );
        } else if !seen.insert(mapping.prm.as_str()) {
            findings.push(
                Finding::new(
                    Code::DuplicateMapping,
                    crate::msg!(
                        "hygiene.duplicate-mapping",
                        id = &process.id,
                        prm = &mapping.prm
                    ),
                )
                .at(document.file, prm_pointer, span)
                .label(crate::msg!("hygiene.duplicate-mapping.label"))
                .help(crate::msg!("hygiene.duplicate-mapping.help"))
                .processes([process.id.clone()])
                .prm(mapping.prm.clone()),
            );
        }
    }
}

/// `missing-owner`, `missing-description` and `empty-activities` of a process in use (at
/// `pointer`).
fn missing_data(
    document: &Document,
    process: &Process,
    pointer: &str,
    findings: &mut Vec<Finding>,
) {
    // A field of the wrong type already has its schema-violation; "no owner" would
    // send the reader looking for a field that is there.
    let wrong_type =
        |field: &str, kind: Kind| document.has_wrong_type(&format!("{pointer}/{field}"), kind);
    let missing = |code: Code, [message, label, help]: [&'static str; 3], suffix: &str| {
        let finding = Finding::new(
            code,
            Message::new(message, vec![("id", Arg::from(&process.id))]),
        )
        .label(Message::new(label, Vec::new()))
        .help(Message::new(help, Vec::new()));
        at_key(document, process, pointer, suffix, finding)
    };
    if process.owner.is_none() && !wrong_type("owner", Kind::String) {
        findings.push(missing(
            Code::MissingOwner,
            [
                "hygiene.missing-owner",
                "hygiene.missing-owner.label",
                "hygiene.missing-owner.help",
            ],
            "/id",
        ));
    }
    if process.description.is_none() && !wrong_type("description", Kind::String) {
        findings.push(missing(
            Code::MissingDescription,
            [
                "hygiene.missing-description",
                "hygiene.missing-description.label",
                "hygiene.missing-description.help",
            ],
            "/id",
        ));
    }
    if process.activities.is_empty() && !wrong_type("activities", Kind::Array) {
        let suffix = if process.has_activities_field {
            "/activities"
        } else {
            "/id"
        };
        findings.push(missing(
            Code::EmptyActivities,
            [
                "hygiene.empty-activities",
                "hygiene.empty-activities.label",
                "hygiene.empty-activities.help",
            ],
            suffix,
        ));
    }
}

/// Place a finding at the key `suffix` of a process (at `pointer`), and name the process.
fn at_key(
    document: &Document,
    process: &Process,
    pointer: &str,
    suffix: &str,
    finding: Finding,
) -> Finding {
    let pointer = format!("{pointer}{suffix}");
    let span = document.key_span(&pointer);
    finding
        .at(document.file, pointer, span)
        .processes([process.id.clone()])
}

fn duplicate_ids(documents: &[Document], findings: &mut Vec<Finding>) {
    let mut first_seen: HashMap<&str, (&Document, usize)> = HashMap::new();
    for document in documents {
        for process in &document.register.processes {
            match first_seen.get(process.id.as_str()) {
                None => {
                    first_seen.insert(&process.id, (document, process.index));
                }
                Some(&(first_doc, first_index)) => {
                    let pointer = format!("{}/id", process.pointer());
                    let span = document.span(&pointer);
                    let first_pointer = format!("/processes/{first_index}/id");
                    let message = if first_doc.file == document.file {
                        crate::msg!("hygiene.duplicate-id", id = &process.id)
                    } else {
                        let (line, column) = first_doc
                            .span(&first_pointer)
                            .map_or((0, 0), |s| first_doc.line_col(&s));
                        crate::msg!(
                            "hygiene.duplicate-id.elsewhere",
                            id = &process.id,
                            place = format!("{}:{line}:{column}", first_doc.source.name)
                        )
                    };
                    let mut finding = Finding::new(Code::DuplicateId, message)
                        .at(document.file, pointer, span)
                        .label(crate::msg!("hygiene.duplicate-id.label"))
                        .help(crate::msg!("hygiene.duplicate-id.help"))
                        .processes([process.id.clone()]);
                    if first_doc.file == document.file {
                        finding = finding.secondary(
                            first_doc.span(&first_pointer),
                            crate::msg!("hygiene.duplicate-id.first"),
                        );
                    }
                    findings.push(finding);
                }
            }
        }
    }
}

/// `unknown-parent` and `parent-cycle`, within one document.
fn hierarchy(document: &Document, findings: &mut Vec<Finding>) {
    let processes = &document.register.processes;
    let by_id: HashMap<&str, usize> = processes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    unknown_parents(document, &by_id, findings);
    let parent_of: Vec<Option<usize>> = processes
        .iter()
        .map(|p| p.parent.as_deref().and_then(|id| by_id.get(id).copied()))
        .collect();
    cycles(document, &parent_of, findings);
}

/// `unknown-parent`: a parent id that no process of the document has (`by_id`), with a "did
/// you mean" where one is close.
fn unknown_parents(document: &Document, by_id: &HashMap<&str, usize>, findings: &mut Vec<Finding>) {
    let processes = &document.register.processes;
    // Each suggestion compares the unknown id with every id, at a cost of about the product of
    // their lengths: past a budget, a register with thousands of unknown parents (or very long
    // ids) gets the help without a suggestion instead of taking minutes. Each distinct unknown
    // id is compared once; ids longer than anyone types are not compared at all.
    let id_bytes: usize = processes.iter().map(|p| p.id.len().max(1)).sum();
    let cost = |parent: &str| parent.len().max(1) * id_bytes;
    let mut budget = SUGGESTION_BUDGET;
    let mut suggestions: HashMap<&str, Option<&str>> = HashMap::new();
    for process in processes {
        if let Some(parent) = &process.parent
            && !by_id.contains_key(parent.as_str())
        {
            let pointer = format!("{}/parent", process.pointer());
            let span = document.span(&pointer);
            let suggestion = match suggestions.get(parent.as_str()) {
                Some(known) => *known,
                None if parent.len() <= MAX_SUGGESTED_ID && budget >= cost(parent) => {
                    budget -= cost(parent);
                    let ids: Vec<&str> = processes.iter().map(|p| p.id.as_str()).collect();
                    let found = closest(parent, &ids);
                    suggestions.insert(parent, found);
                    found
                }
                None => None,
            };
            let help = match suggestion {
                Some(id) => crate::msg!("hygiene.unknown-parent.did-you-mean", id = id),
                None => crate::msg!("hygiene.unknown-parent.help"),
            };
            findings.push(
                Finding::new(
                    Code::UnknownParent,
                    crate::msg!("hygiene.unknown-parent", id = &process.id, parent = parent),
                )
                .at(document.file, pointer, span)
                .label(crate::msg!("hygiene.unknown-parent.label"))
                .help(help)
                .processes([process.id.clone()]),
            );
        }
    }
}

/// `parent-cycle`: every cycle of the parent links (`parent_of`), once.
fn cycles(document: &Document, parent_of: &[Option<usize>], findings: &mut Vec<Finding>) {
    let processes = &document.register.processes;
    // Colour walk: 0 = unvisited, 1 = on the current path, 2 = done. Iterative, so a chain of
    // any length is fine.
    let mut state = vec![0u8; processes.len()];
    for start in 0..processes.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            match state[i] {
                0 => {
                    state[i] = 1;
                    path.push(i);
                    current = parent_of[i];
                }
                1 => {
                    let cycle_start = path.iter().position(|&p| p == i).unwrap_or(0);
                    let cycle = &path[cycle_start..];
                    report_cycle(document, cycle, findings);
                    break;
                }
                _ => break,
            }
        }
        for i in path {
            state[i] = 2;
        }
    }
}

fn report_cycle(document: &Document, cycle: &[usize], findings: &mut Vec<Finding>) {
    let processes = &document.register.processes;
    // Report at the member that comes first in the register, so the output is stable.
    let Some(&first) = cycle.iter().min_by_key(|&&i| processes[i].index) else {
        return;
    };
    // Start the chain at the smallest id, so that the message does not depend on the order of
    // the register.
    let start = (0..cycle.len())
        .min_by(|&a, &b| processes[cycle[a]].id.cmp(&processes[cycle[b]].id))
        .unwrap_or(0);
    let ids: Vec<String> = cycle[start..]
        .iter()
        .chain(&cycle[..start])
        .map(|&i| processes[i].id.clone())
        .collect();
    let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    let chain = if ids.len() > 5 {
        format!("{} ... ({} processes)", shown.join(" -> "), ids.len())
    } else {
        format!("{} -> {}", shown.join(" -> "), shown[0])
    };
    let process = &processes[first];
    let pointer = format!("{}/parent", process.pointer());
    let span = document.span(&pointer);
    let message = if ids.len() == 1 {
        crate::msg!("hygiene.own-parent", id = &process.id)
    } else {
        crate::msg!("hygiene.parent-cycle", chain = chain)
    };
    let mut sorted = ids;
    sorted.sort();
    findings.push(
        Finding::new(Code::ParentCycle, message)
            .at(document.file, pointer, span)
            .label(crate::msg!("hygiene.parent-cycle.label"))
            .help(crate::msg!("hygiene.parent-cycle.help"))
            .processes(sorted),
    );
}

/// Most character comparisons (unknown id length times the length of all ids, summed) one
/// document may spend on "did you mean" suggestions for unknown parents: a few tenths of a
/// second.
const SUGGESTION_BUDGET: usize = 100_000_000;

/// Longest unknown parent id a suggestion is looked for.
const MAX_SUGGESTED_ID: usize = 128;
