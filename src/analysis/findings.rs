//! Findings about gaps, reuse, control areas, umbrellas and declared mappings.

use super::coverage::{Coverage, CoverageStatus};
use super::{Entry, Settings};
use crate::finding::{ActivityRef, Finding, Severity};
use crate::load::Document;
use crate::mapping::{Knowledge, Mapping, Source};
use crate::register::Status;
use crate::rules::Code;

/// Place a finding at a register process (its `id`).
pub(super) fn at_process(finding: Finding, entry: &Entry<'_>) -> Finding {
    let pointer = entry.process.pointer();
    let span = entry.document.span(&format!("{pointer}/id"));
    finding.at(entry.document.file, pointer, span)
}

/// Place a finding at `field` of the `maps_to` entry that declares `mapping` (entry `i` when
/// none does).
fn at_declaration(
    finding: Finding,
    entry: &Entry<'_>,
    mapping: &Mapping,
    i: usize,
    field: &str,
) -> Finding {
    let index = entry
        .process
        .maps_to
        .iter()
        .position(|d| d.prm == mapping.prm)
        .unwrap_or(i);
    let pointer = format!("{}/maps_to/{index}/{field}", entry.process.pointer());
    let span = entry.document.span(&pointer);
    finding.at(entry.document.file, pointer, span)
}

/// The activities to add, in words from the reference model (the id where it has none).
fn activity_refs(ids: &[String], knowledge: &Knowledge) -> Vec<ActivityRef> {
    ids.iter()
        .map(|id| ActivityRef {
            id: id.clone(),
            text: knowledge.model.activity_text(id).unwrap_or(id).to_owned(),
        })
        .collect()
}

/// "1 activity", "3 activities".
fn activities_count(n: usize) -> String {
    format!("{n} activit{}", if n == 1 { "y" } else { "ies" })
}

/// `missing-process`, `adaptable-process` and `inactive-coverage`.
pub(super) fn gaps(
    coverage: &[Coverage],
    entries: &[Entry<'_>],
    documents: &[Document],
    knowledge: &Knowledge,
    findings: &mut Vec<Finding>,
) {
    // Gaps belong to the register as a whole: point at its `processes` key.
    let anchor = documents.first();
    let place = |finding: Finding| match anchor {
        Some(document) => {
            let span = document.key_span("/processes");
            finding.at(document.file, "/processes", span)
        }
        None => finding,
    };
    let find = |id: &str| entries.iter().find(|e| e.process.id == id);
    for c in coverage {
        let Some(prm) = knowledge.model.processes.iter().find(|p| p.id == c.prm) else {
            continue;
        };
        match c.status {
            CoverageStatus::Missing => {
                let severity = if prm.category == "support" {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                let clauses = if prm.iso27001.primary.is_empty() {
                    if prm.iso27001.partial.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; it contributes to ISO/IEC 27001:2022 {}",
                            prm.iso27001.partial.join(", ")
                        )
                    }
                } else {
                    format!(
                        "; ISO/IEC 27001:2022 {} {} no process",
                        prm.iso27001.primary.join(", "),
                        if prm.iso27001.primary.len() == 1 {
                            "has"
                        } else {
                            "have"
                        }
                    )
                };
                let mut message = format!("no process covers `{}` ({}){clauses}", prm.id, prm.name);
                if !c.umbrellas.is_empty() {
                    message.push_str(&format!(
                        "; umbrella process {} claims it but does not count",
                        quote_ids(&c.umbrellas)
                    ));
                }
                let help = if c.inactive.is_empty() {
                    format!(
                        "assign its activities to an existing process where one fits, otherwise set one up: {}",
                        prm.purpose
                    )
                } else {
                    format!("{} would cover it once active", quote_ids(&c.inactive))
                };
                findings.push(
                    place(Finding::new(Code::MissingProcess, message))
                        .severity(severity)
                        .help(help)
                        .prm(prm.id.clone()),
                );
                if !c.inactive.is_empty() {
                    findings.push(inactive(c, &find, prm));
                }
            }
            CoverageStatus::Adaptable => {
                let Some(best) = c.contributions.first() else {
                    continue;
                };
                let Some(entry) = find(&best.process) else {
                    continue;
                };
                let help = if best.missing_activities.is_empty() {
                    "make the PRM process's purpose explicit in it; then declare the mapping in `maps_to`".to_owned()
                } else {
                    format!(
                        "add {} to it, then declare the mapping in `maps_to`:",
                        activities_count(best.missing_activities.len())
                    )
                };
                let others = if c.processes.len() > 1 {
                    format!(" (other candidates: {})", quote_ids(&c.processes[1..]))
                } else {
                    String::new()
                };
                findings.push(
                    at_process(
                        Finding::new(
                            Code::AdaptableProcess,
                            format!(
                                "`{}` {} ({}, score {:.2}) can be adapted to cover `{}` instead of creating a new process{others}",
                                entry.process.id,
                                entry.process.name,
                                best.relationship.as_str(),
                                best.score,
                                prm.id
                            ),
                        ),
                        entry,
                    )
                    .help(help)
                    .activities(activity_refs(&best.missing_activities, knowledge))
                    .processes(c.processes.iter().cloned())
                    .prm(prm.id.clone()),
                );
            }
            CoverageStatus::Covered => {}
        }
    }
}

fn inactive<'a>(
    c: &Coverage,
    find: &impl Fn(&str) -> Option<&'a Entry<'a>>,
    prm: &crate::model::PrmProcess,
) -> Finding {
    let first = c.inactive.first().and_then(|id| find(id));
    let states: Vec<String> = c
        .inactive
        .iter()
        .filter_map(|id| find(id))
        .map(|e| format!("`{}` ({})", e.process.id, e.process.status.as_str()))
        .collect();
    let finding = Finding::new(
        Code::InactiveCoverage,
        format!(
            "`{}` is only mapped by {}, which do not count as coverage",
            prm.id,
            states.join(", ")
        ),
    )
    .help("approve and activate the draft process, or replace the retired one")
    .processes(c.inactive.iter().cloned())
    .prm(prm.id.clone());
    match first {
        Some(entry) => at_process(finding, entry),
        None => finding,
    }
}

/// `control-area-process`, `umbrella-process`, `unsupported-mapping`, `suggested-mapping`.
pub(super) fn per_process(
    entries: &[Entry<'_>],
    knowledge: &Knowledge,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) {
    use rayon::prelude::*;
    // Suggestions only make sense where the register uses `maps_to` at all.
    let declares = entries.iter().any(|e| !e.process.maps_to.is_empty());
    // Entries on all cores; the indexed `collect` keeps register order.
    let found: Vec<Vec<Finding>> = entries
        .par_iter()
        .map(|entry| {
            let mut found = Vec::new();
            of_process(entry, knowledge, settings, declares, &mut found);
            found
        })
        .collect();
    findings.extend(found.into_iter().flatten());
}

/// The findings of [`per_process`] about one entry.
fn of_process(
    entry: &Entry<'_>,
    knowledge: &Knowledge,
    settings: &Settings,
    declares: bool,
    findings: &mut Vec<Finding>,
) {
    let process = entry.process;
    let result = entry.mapping;
    if let Some(area_id) = &result.control_area
        && let Some(area) = knowledge.control_areas.iter().find(|a| &a.id == area_id)
    {
        findings.push(
            at_process(
                Finding::new(
                    Code::ControlAreaProcess,
                    format!(
                        "`{}` {} runs the control area \"{}\", outside the PRM: ISO/IEC 27001:2022 Annex A {}",
                        process.id,
                        process.name,
                        area.name,
                        area.annex_a.join(", ")
                    ),
                ),
                entry,
            )
            .help(format!(
                "keep it and reference it in the Statement of Applicability; the PRM processes that steer it: {}",
                area.steered_by.join(", ")
            ))
            .processes([process.id.clone()]),
        );
    }
    let declared_count = process.maps_to.len();
    if result.umbrella || declared_count >= settings.umbrella_declared {
        let why = if result.umbrella {
            "its name spans the whole ISMS".to_owned()
        } else {
            format!("it declares {declared_count} PRM processes")
        };
        findings.push(
            at_process(
                Finding::new(
                    Code::UmbrellaProcess,
                    format!(
                        "`{}` {} is an umbrella: {why}, so it does not show which ISMS processes really run and is not counted as coverage",
                        process.id, process.name
                    ),
                ),
                entry,
            )
            .help("split it into the processes it contains, or map its parts onto existing processes")
            .processes([process.id.clone()]),
        );
    }
    for (i, mapping) in result.mappings.iter().enumerate() {
        let overclaimed =
            super::overclaimed(mapping, knowledge) && mapping.score >= settings.unsupported_below;
        if overclaimed {
            findings.push(
                at_declaration(
                    Finding::new(
                        Code::UnsupportedMapping,
                        format!(
                            "`{}` {} declares the relationship {} to `{}`, but the evidence shows only {} (score {:.2}); it counts as adaptable, not as coverage",
                            process.id,
                            process.name,
                            mapping.declared.map_or("", |d| d.as_str()),
                            mapping.prm,
                            mapping.relationship.as_str(),
                            mapping.score
                        ),
                    ),
                    entry,
                    mapping,
                    i,
                    "relationship",
                )
                .label("stronger than the evidence")
                .help(if mapping.missing_activities.is_empty() {
                    format!("declare `{}`", mapping.relationship.as_str())
                } else {
                    format!(
                        "declare `{}`, or add the {} it lacks:",
                        mapping.relationship.as_str(),
                        activities_count(mapping.missing_activities.len())
                    )
                })
                .activities(activity_refs(&mapping.missing_activities, knowledge))
                .processes([process.id.clone()])
                .prm(mapping.prm.clone()),
            );
        }
        if mapping.declared.is_some() && mapping.score < settings.unsupported_below {
            findings.push(
                at_declaration(
                    Finding::new(
                        Code::UnsupportedMapping,
                        format!(
                            "`{}` {} declares `{}` ({}) but nothing in its name, description, activities or frameworks supports it; it does not count as coverage",
                            process.id,
                            process.name,
                            mapping.prm,
                            mapping.relationship.as_str()
                        ),
                    ),
                    entry,
                    mapping,
                    i,
                    "prm",
                )
                .label("no supporting evidence")
                .help("describe the activities that justify the mapping, or correct it")
                .processes([process.id.clone()])
                .prm(mapping.prm.clone()),
            );
        }
        let suggest = declares
            && process.status == Status::Active
            && mapping.source != Source::Declared
            && mapping.score >= settings.suggest_from
            && !result.umbrella
            && result.control_area.is_none();
        if suggest {
            findings.push(
                at_process(
                    Finding::new(
                        Code::SuggestedMapping,
                        format!(
                            "`{}` {} maps onto `{}` ({}, score {:.2}) but does not declare it",
                            process.id,
                            process.name,
                            mapping.prm,
                            mapping.relationship.as_str(),
                            mapping.score
                        ),
                    ),
                    entry,
                )
                .help(format!(
                    "add {{\"prm\": \"{}\", \"relationship\": \"{}\"}} to its `maps_to`",
                    mapping.prm,
                    mapping.relationship.as_str()
                ))
                .processes([process.id.clone()])
                .prm(mapping.prm.clone()),
            );
        }
    }
}

pub(super) fn quote_ids(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
