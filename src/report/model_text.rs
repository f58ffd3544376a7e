//! `prmlint model`: the reference model and the loaded catalogues, for people and as JSON.

use std::io::Write;

use serde::Serialize;

use crate::mapping::Knowledge;
use crate::model::{PrmProcess, Term};

/// The PRM as a table grouped by category.
pub fn write_table(out: &mut dyn Write, k: &Knowledge) -> std::io::Result<()> {
    writeln!(out, "{} ({})", k.model.title, k.model.edition)?;
    for category in &k.model.categories {
        writeln!(out, "\n{}", category.name)?;
        for p in k
            .model
            .processes
            .iter()
            .filter(|p| p.category == category.id)
        {
            writeln!(
                out,
                "  {:<26} {:<66} ISO/IEC 27001:2022 {}",
                p.id,
                p.name,
                p.clauses_label()
            )?;
        }
    }
    writeln!(
        out,
        "\n{} processes; `prmlint model show <id>` shows one in full",
        k.model.processes.len()
    )
}

fn terms(terms: &[Term], lang: &str) -> String {
    terms
        .iter()
        .filter(|t| t.lang == lang)
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// One PRM process in full.
pub fn write_process(out: &mut dyn Write, p: &PrmProcess) -> std::io::Result<()> {
    writeln!(out, "{}  {}  ({})", p.id, p.name, p.category)?;
    writeln!(out, "\nPurpose\n  {}", p.purpose)?;
    writeln!(out, "\nActivities")?;
    for a in &p.activities {
        writeln!(out, "  {:<44} {}", a.id, a.text)?;
    }
    writeln!(out, "\nInputs\n  {}", p.inputs.join("; "))?;
    writeln!(out, "\nOutputs\n  {}", p.outputs.join("; "))?;
    writeln!(out, "\nISO/IEC 27001:2022")?;
    writeln!(out, "  clauses:   {}", p.iso27001.primary.join(", "))?;
    if !p.iso27001.partial.is_empty() {
        writeln!(out, "  partly:    {}", p.iso27001.partial.join(", "))?;
    }
    writeln!(out, "  Annex A:   {}", p.annex_a.primary.join(", "))?;
    if !p.annex_a.partial.is_empty() {
        writeln!(out, "  partly:    {}", p.annex_a.partial.join(", "))?;
    }
    writeln!(
        out,
        "\nRelated standards\n  {}",
        p.related_standards.join("; ")
    )?;
    writeln!(out, "\nNames it goes by")?;
    writeln!(out, "  en: {}", terms(&p.aliases, "en"))?;
    writeln!(out, "  de: {}", terms(&p.aliases, "de"))
}

/// One loaded catalogue, summarised.
#[derive(Debug, Serialize)]
pub struct CatalogueSummary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub version: Option<&'a str>,
    pub entries: usize,
    pub aliases_en: usize,
    pub aliases_de: usize,
    pub control_areas: usize,
    pub unverified: usize,
}

pub fn catalogues(k: &Knowledge) -> Vec<CatalogueSummary<'_>> {
    k.crosswalks
        .iter()
        .map(|c| {
            let aliases = |lang: &str| {
                c.entries
                    .iter()
                    .flat_map(|e| &e.aliases)
                    .filter(|a| a.lang == lang)
                    .count()
            };
            CatalogueSummary {
                id: &c.id,
                title: &c.title,
                version: c.version.as_deref(),
                entries: c.entries.len(),
                aliases_en: aliases("en"),
                aliases_de: aliases("de"),
                control_areas: c
                    .entries
                    .iter()
                    .filter(|e| e.control_area.is_some())
                    .count(),
                unverified: c.entries.iter().filter(|e| !e.verified).count(),
            }
        })
        .collect()
}

pub fn write_catalogues(out: &mut dyn Write, k: &Knowledge) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<22} {:>7} {:>10} {:>10} {:>13} {:>10}  title",
        "catalogue", "entries", "aliases en", "aliases de", "control areas", "unverified"
    )?;
    for c in catalogues(k) {
        writeln!(
            out,
            "{:<22} {:>7} {:>10} {:>10} {:>13} {:>10}  {}",
            c.id, c.entries, c.aliases_en, c.aliases_de, c.control_areas, c.unverified, c.title
        )?;
    }
    writeln!(
        out,
        "\n{} control areas outside the PRM: {}",
        k.control_areas.len(),
        k.control_areas
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}
