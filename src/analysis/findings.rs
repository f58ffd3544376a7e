//! Findings about gaps, reuse, control areas, umbrellas and declared mappings.

use super::coverage::{Coverage, CoverageStatus};
use super::{Entry, Settings};
use crate::diag::finding::{ActivityRef, Finding, Severity};
use crate::diag::rules::Code;
use crate::i18n::{Arg, Message};
use crate::load::Document;
use crate::mapping::{Knowledge, Mapping, Source};
use crate::source::register::Status;

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
fn activities_count(n: usize) -> Message {
    if n == 1 {
        crate::msg!("count.activities.one", n = n)
    } else {
        crate::msg!("count.activities.other", n = n)
    }
}

/// The name of a PRM process, translatable.
fn prm_name(prm: &crate::model::PrmProcess) -> Arg {
    Arg::PrmName {
        id: prm.id.clone(),
        name: prm.name.clone(),
    }
}

/// `missing-process`, `adaptable-process` and `inactive-coverage`.
pub(super) fn gaps(
    coverage: &[Coverage],
    entries: &[Entry<'_>],
    documents: &[Document],
    knowledge: &Knowledge,
    findings: &mut Vec<Finding>,
) {
    let anchor = documents.first();
    let find = |id: &str| entries.iter().find(|e| e.process.id == id);
    for c in coverage {
        let Some(prm) = knowledge.model.processes.iter().find(|p| p.id == c.prm) else {
            continue;
        };
        match c.status {
            CoverageStatus::Missing => {
                findings.push(missing_process(c, prm, anchor));
                if !c.inactive.is_empty() {
                    findings.push(inactive(c, &find, prm));
                }
            }
            CoverageStatus::Adaptable => {
                if let Some(finding) = adaptable_process(c, prm, &find, knowledge) {
                    findings.push(finding);
                }
            }
            CoverageStatus::Covered => {}
        }
    }
}

/// `missing-process`: no register process covers `prm`, placed at the register's `processes`
/// key (of the `anchor` document).
fn missing_process(
    c: &Coverage,
    prm: &crate::model::PrmProcess,
    anchor: Option<&Document>,
) -> Finding {
    // Gaps belong to the register as a whole: point at its `processes` key.
    let place = |finding: Finding| match anchor {
        Some(document) => {
            let span = document.key_span("/processes");
            finding.at(document.file, "/processes", span)
        }
        None => finding,
    };
    let severity = if prm.category == "support" {
        Severity::Warning
    } else {
        Severity::Error
    };
    let umbrellas = if c.umbrellas.is_empty() {
        Arg::from("")
    } else {
        crate::msg!("gap.umbrella", ids = quote_ids(&c.umbrellas)).into()
    };
    let message = Message::new(
        "gap.message",
        vec![
            ("prm", Arg::from(&prm.id)),
            ("name", prm_name(prm)),
            ("clauses", clauses(prm)),
            ("umbrellas", umbrellas),
        ],
    );
    let help = if c.inactive.is_empty() {
        let purpose = Arg::PrmPurpose {
            id: prm.id.clone(),
            text: prm.purpose.clone(),
        };
        Message::new("gap.help-set-up", vec![("purpose", purpose)])
    } else {
        crate::msg!("gap.help-activate", ids = quote_ids(&c.inactive))
    };
    place(Finding::new(Code::MissingProcess, message))
        .severity(severity)
        .help(help)
        .prm(prm.id.clone())
}

/// The ISO/IEC 27001 clauses a missing PRM process implements, as said in its finding.
fn clauses(prm: &crate::model::PrmProcess) -> Arg {
    let (primary, partial) = (&prm.iso27001.primary, &prm.iso27001.partial);
    match (primary.len(), partial.is_empty()) {
        (0, true) => Arg::from(""),
        (0, false) => crate::msg!("gap.clauses-partial", clauses = partial.join(", ")).into(),
        (1, _) => crate::msg!("gap.clauses-one", clauses = primary.join(", ")).into(),
        _ => crate::msg!("gap.clauses-many", clauses = primary.join(", ")).into(),
    }
}

/// `adaptable-process`: the closest register process could cover `prm` once adapted; none
/// when the coverage names no process the register has.
fn adaptable_process<'a>(
    c: &Coverage,
    prm: &crate::model::PrmProcess,
    find: &impl Fn(&str) -> Option<&'a Entry<'a>>,
    knowledge: &Knowledge,
) -> Option<Finding> {
    let best = c.contributions.first()?;
    let entry = find(&best.process)?;
    let help = if best.missing_activities.is_empty() {
        crate::msg!("adapt.help-purpose")
    } else {
        crate::msg!(
            "adapt.help-add",
            activities = activities_count(best.missing_activities.len())
        )
    };
    let others = if c.processes.len() > 1 {
        crate::msg!("adapt.others", ids = quote_ids(&c.processes[1..])).into()
    } else {
        Arg::from("")
    };
    let message = crate::msg!(
        "adapt.message",
        id = &entry.process.id,
        name = &entry.process.name,
        relationship = best.relationship.as_str(),
        score = best.score,
        prm = &prm.id,
        others = others,
    );
    Some(
        at_process(Finding::new(Code::AdaptableProcess, message), entry)
            .help(help)
            .activities(activity_refs(&best.missing_activities, knowledge))
            .processes(c.processes.iter().cloned())
            .prm(prm.id.clone()),
    )
}

/// `inactive-coverage`: only processes that are not active cover `prm`.
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
        crate::msg!(
            "inactive.message",
            prm = &prm.id,
            processes = states.join(", ")
        ),
    )
    .help(crate::msg!("inactive.help"))
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
        findings.push(control_area_process(entry, area));
    }
    if result.umbrella || process.maps_to.len() >= settings.umbrella_declared {
        findings.push(umbrella_process(entry));
    }
    for (i, mapping) in result.mappings.iter().enumerate() {
        let overclaimed =
            super::overclaimed(mapping, knowledge) && mapping.score >= settings.unsupported_below;
        if overclaimed {
            findings.push(overclaimed_mapping(entry, mapping, i, knowledge));
        }
        if mapping.declared.is_some() && mapping.score < settings.unsupported_below {
            findings.push(mapping_without_evidence(entry, mapping, i));
        }
        let suggest = declares
            && process.status == Status::Active
            && mapping.source != Source::Declared
            && mapping.score >= settings.suggest_from
            && !result.umbrella
            && result.control_area.is_none();
        if suggest {
            findings.push(suggested_mapping(entry, mapping));
        }
    }
}

/// `control-area-process`: the process is a control area, steered by PRM processes.
fn control_area_process(entry: &Entry<'_>, area: &crate::model::ControlArea) -> Finding {
    let process = entry.process;
    let message = Message::new(
        "area.message",
        vec![
            ("id", Arg::from(&process.id)),
            ("name", Arg::from(&process.name)),
            (
                "area",
                Arg::AreaName {
                    id: area.id.clone(),
                    name: area.name.clone(),
                },
            ),
            ("controls", Arg::from(area.annex_a.join(", "))),
        ],
    );
    at_process(Finding::new(Code::ControlAreaProcess, message), entry)
        .help(crate::msg!("area.help", prms = area.steered_by.join(", ")))
        .processes([process.id.clone()])
}

/// `umbrella-process`: the name says the process is many, or it declares many PRM processes.
fn umbrella_process(entry: &Entry<'_>) -> Finding {
    let process = entry.process;
    let why = if entry.mapping.umbrella {
        crate::msg!("umbrella.why-name")
    } else {
        crate::msg!("umbrella.why-declares", n = process.maps_to.len())
    };
    let message = crate::msg!(
        "umbrella.message",
        id = &process.id,
        name = &process.name,
        why = why
    );
    at_process(Finding::new(Code::UmbrellaProcess, message), entry)
        .help(crate::msg!("umbrella.help"))
        .processes([process.id.clone()])
}

/// `unsupported-mapping`: the declared relationship (mapping `i`) claims more than the evidence
/// shows.
fn overclaimed_mapping(
    entry: &Entry<'_>,
    mapping: &Mapping,
    i: usize,
    knowledge: &Knowledge,
) -> Finding {
    let process = entry.process;
    let message = crate::msg!(
        "unsupported.overclaimed",
        id = &process.id,
        name = &process.name,
        declared = mapping.declared.map_or("", |d| d.as_str()),
        prm = &mapping.prm,
        relationship = mapping.relationship.as_str(),
        score = mapping.score
    );
    let help = if mapping.missing_activities.is_empty() {
        crate::msg!(
            "unsupported.help-declare",
            relationship = mapping.relationship.as_str()
        )
    } else {
        crate::msg!(
            "unsupported.help-declare-or-add",
            relationship = mapping.relationship.as_str(),
            activities = activities_count(mapping.missing_activities.len())
        )
    };
    let finding = Finding::new(Code::UnsupportedMapping, message);
    at_declaration(finding, entry, mapping, i, "relationship")
        .label(crate::msg!("unsupported.label-stronger"))
        .help(help)
        .activities(activity_refs(&mapping.missing_activities, knowledge))
        .processes([process.id.clone()])
        .prm(mapping.prm.clone())
}

/// `unsupported-mapping`: nothing in the process supports the declared mapping `i`.
fn mapping_without_evidence(entry: &Entry<'_>, mapping: &Mapping, i: usize) -> Finding {
    let process = entry.process;
    let message = Message::new("unsupported.no-evidence", mapping_args(entry, mapping));
    let finding = Finding::new(Code::UnsupportedMapping, message);
    at_declaration(finding, entry, mapping, i, "prm")
        .label(crate::msg!("unsupported.label-none"))
        .help(crate::msg!("unsupported.help-describe"))
        .processes([process.id.clone()])
        .prm(mapping.prm.clone())
}

/// `suggested-mapping`: a firm mapping the register does not declare.
fn suggested_mapping(entry: &Entry<'_>, mapping: &Mapping) -> Finding {
    let process = entry.process;
    let mut args = mapping_args(entry, mapping);
    args.push(("score", Arg::from(mapping.score)));
    let message = Message::new("suggested.message", args);
    at_process(Finding::new(Code::SuggestedMapping, message), entry)
        .help(crate::msg!(
            "suggested.help",
            prm = &mapping.prm,
            relationship = mapping.relationship.as_str()
        ))
        .processes([process.id.clone()])
        .prm(mapping.prm.clone())
}

/// The arguments that name a process and one of its mappings, in the order the messages of
/// [`mapping_without_evidence`] and [`suggested_mapping`] take them.
fn mapping_args(entry: &Entry<'_>, mapping: &Mapping) -> Vec<(&'static str, Arg)> {
    vec![
        ("id", Arg::from(&entry.process.id)),
        ("name", Arg::from(&entry.process.name)),
        ("prm", Arg::from(&mapping.prm)),
        ("relationship", Arg::from(mapping.relationship.as_str())),
    ]
}

/// The ids, each in backticks, joined by commas.
pub(super) fn quote_ids(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
