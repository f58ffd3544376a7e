//! Register hygiene: rules on a well-formed register that need no reference model beyond the
//! list of PRM ids (duplicate ids, broken hierarchy, dubious declared mappings, missing data).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use rayon::prelude::*;

use crate::finding::Finding;
use crate::json::Kind;
use crate::load::Document;
use crate::register::{Process, Status};
use crate::rules::Code;
use crate::schema::closest;

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
    let at = |finding: Finding, suffix: &str| {
        let pointer = format!("{pointer}{suffix}");
        let span = document.key_span(&pointer);
        finding
            .at(document.file, pointer, span)
            .processes([process.id.clone()])
    };
    let mut seen = HashSet::new();
    for (i, mapping) in process.maps_to.iter().enumerate() {
        let prm_pointer = format!("{pointer}/maps_to/{i}/prm");
        let span = document.span(&prm_pointer);
        if !prm_ids.contains(&mapping.prm.as_str()) {
            let help = match closest(&mapping.prm, prm_ids) {
                Some(id) => format!("did you mean `{id}`? `prmlint model` lists the ids"),
                None => "`prmlint model` lists the 17 PRM process ids".into(),
            };
            findings.push(
                Finding::new(
                    Code::UnknownPrmId,
                    format!("`{}` is not a PRM process id", mapping.prm),
                )
                .at(document.file, prm_pointer, span)
                .label("unknown PRM id")
                .help(help)
                .processes([process.id.clone()]),
            );
        } else if !seen.insert(mapping.prm.as_str()) {
            findings.push(
                Finding::new(
                    Code::DuplicateMapping,
                    format!(
                        "process `{}` declares `{}` more than once",
                        process.id, mapping.prm
                    ),
                )
                .at(document.file, prm_pointer, span)
                .label("declared again")
                .help("keep one entry, with the right relationship")
                .processes([process.id.clone()])
                .prm(mapping.prm.clone()),
            );
        }
    }
    if process.status == Status::Retired && !process.maps_to.is_empty() {
        findings.push(at(
            Finding::new(
                Code::RetiredWithMappings,
                format!(
                    "retired process `{}` still declares {} PRM mapping(s)",
                    process.id,
                    process.maps_to.len()
                ),
            )
            .label("retired processes do not count as coverage")
            .help("move the mappings to the process that replaced it, or remove them"),
            "/maps_to",
        ));
    }
    if process.status == Status::Retired {
        return;
    }
    // A field of the wrong type already has its schema-violation; "no owner" would
    // send the reader looking for a field that is there.
    let wrong_type =
        |field: &str, kind: Kind| document.has_wrong_type(&format!("{pointer}/{field}"), kind);
    if process.owner.is_none() && !wrong_type("owner", Kind::String) {
        findings.push(at(
            Finding::new(
                Code::MissingOwner,
                format!("process `{}` has no owner", process.id),
            )
            .label("no `owner`")
            .help("name the accountable role or person (ISO/IEC 27001:2022 5.3)"),
            "/id",
        ));
    }
    if process.description.is_none() && !wrong_type("description", Kind::String) {
        findings.push(at(
            Finding::new(
                Code::MissingDescription,
                format!("process `{}` has no description", process.id),
            )
            .label("no `description`")
            .help("add one or two sentences on purpose and scope"),
            "/id",
        ));
    }
    if process.activities.is_empty() && !wrong_type("activities", Kind::Array) {
        let suffix = if process.has_activities_field {
            "/activities"
        } else {
            "/id"
        };
        findings.push(at(
            Finding::new(
                Code::EmptyActivities,
                format!("process `{}` lists no activities", process.id),
            )
            .label("no activities")
            .help("list the main steps: they show which PRM activities are performed"),
            suffix,
        ));
    }
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
                    let mut finding = Finding::new(
                        Code::DuplicateId,
                        format!("process id `{}` is used more than once", process.id),
                    )
                    .at(document.file, pointer, span)
                    .label("used again here")
                    .help("give one of the processes a new id")
                    .processes([process.id.clone()]);
                    if first_doc.file == document.file {
                        finding =
                            finding.secondary(first_doc.span(&first_pointer), "first used here");
                    } else {
                        let (line, column) = first_doc
                            .span(&first_pointer)
                            .map_or((0, 0), |s| first_doc.line_col(&s));
                        finding.message.push_str(&format!(
                            " (first used in {}:{line}:{column})",
                            first_doc.source.name
                        ));
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
    let parent_of: Vec<Option<usize>> = processes
        .iter()
        .map(|p| p.parent.as_deref().and_then(|id| by_id.get(id).copied()))
        .collect();
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
                    let found = closest_id(parent, processes.iter().map(|p| p.id.as_str()));
                    suggestions.insert(parent, found);
                    found
                }
                None => None,
            };
            let help = match suggestion {
                Some(id) => format!("did you mean `{id}`?"),
                None => "use the id of another process in this register".into(),
            };
            findings.push(
                Finding::new(
                    Code::UnknownParent,
                    format!(
                        "process `{}` names parent `{parent}`, which is not in the register",
                        process.id
                    ),
                )
                .at(document.file, pointer, span)
                .label("no process has this id")
                .help(help)
                .processes([process.id.clone()]),
            );
        }
    }
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
        format!("process `{}` is its own parent", process.id)
    } else {
        format!("parent cycle: {chain}")
    };
    let mut sorted = ids;
    sorted.sort();
    findings.push(
        Finding::new(Code::ParentCycle, message)
            .at(document.file, pointer, span)
            .label("the hierarchy loops back here")
            .help("remove one `parent` field to break the cycle")
            .processes(sorted),
    );
}

/// Most character comparisons (unknown id length times the length of all ids, summed) one
/// document may spend on "did you mean" suggestions for unknown parents: a few tenths of a
/// second.
const SUGGESTION_BUDGET: usize = 100_000_000;

/// Longest unknown parent id a suggestion is looked for.
const MAX_SUGGESTED_ID: usize = 128;

fn closest_id<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    ids.map(|candidate| (strsim::jaro_winkler(id, candidate), candidate))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, id)| id)
}
