//! `prmlint map` as text: each process with its mappings, scores and evidence.

use std::io::Write;

use crate::load::Document;
use crate::mapping::{Knowledge, ProcessMapping};
use crate::report::terminal_safe;

/// Write the mappings of every process, in register order.
pub fn write(
    out: &mut dyn Write,
    documents: &[Document],
    results: &[Vec<ProcessMapping>],
    knowledge: &Knowledge,
) -> std::io::Result<()> {
    for crate::mapping::Mapped {
        process, result, ..
    } in crate::mapping::mapped(documents, results)
    {
        let status = match process.status {
            crate::source::register::Status::Active => String::new(),
            other => format!(" [{}]", other.as_str()),
        };
        writeln!(
            out,
            "{}  {}{status}",
            terminal_safe(&process.id),
            terminal_safe(&process.name)
        )?;
        if result.umbrella {
            writeln!(
                out,
                "  umbrella: spans the whole ISMS; not counted as covering any PRM process"
            )?;
        }
        if let Some(area) = &result.control_area {
            let area = knowledge.control_areas.iter().find(|a| &a.id == area);
            if let Some(area) = area {
                writeln!(
                    out,
                    "  control area: {} (Annex A {}; steered by {})",
                    area.name,
                    area.annex_a.join(", "),
                    area.steered_by.join(", ")
                )?;
            }
            for evidence in &result.control_area_evidence {
                writeln!(out, "      {}", terminal_safe(evidence))?;
            }
        }
        if result.mappings.is_empty() && result.control_area.is_none() {
            match &result.note {
                Some(note) => writeln!(out, "  no PRM mapping: {}", terminal_safe(note))?,
                None => writeln!(out, "  no PRM mapping")?,
            }
        }
        for mapping in &result.mappings {
            writeln!(
                out,
                "  -> {:<26} {:<10} {:.2}  {}",
                mapping.prm,
                mapping.relationship.as_str(),
                mapping.score,
                match mapping.source {
                    crate::mapping::Source::Declared => "declared",
                    crate::mapping::Source::Crosswalk => "crosswalk",
                    crate::mapping::Source::Fuzzy => "fuzzy",
                }
            )?;
            for evidence in &mapping.evidence {
                writeln!(out, "       - {}", terminal_safe(evidence))?;
            }
            if !mapping.missing_activities.is_empty() && mapping.missing_activities.len() < 10 {
                writeln!(out, "       missing activities:")?;
                for id in &mapping.missing_activities {
                    let text = knowledge.model.activity_text(id).unwrap_or(id);
                    writeln!(out, "         * {}", terminal_safe(text))?;
                }
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
