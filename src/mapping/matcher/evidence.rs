//! A candidate's evidence put into words, for the mappings reported.

use crate::mapping::knowledge::Target;
use crate::model::{CrosswalkRelationship, Strength};

use super::{Evidence, Hit, Item, Mapper};

impl<'k> Mapper<'k> {
    /// A candidate's evidence in words.
    pub(super) fn evidence(&self, evidence: Evidence, hits: &[Hit], items: &[Item]) -> String {
        let k = self.knowledge;
        match evidence {
            Evidence::PrmName { hit } => {
                let hit = &hits[hit];
                format!(
                    "{} \"{}\" matches the PRM name \"{}\"",
                    hit.field.label(),
                    shorten(items[hit.item].text),
                    k.phrases[hit.phrase as usize].text
                )
            }
            Evidence::Contains { hit } => {
                let hit = &hits[hit];
                let phrase = &k.phrases[hit.phrase as usize];
                let what = if matches!(phrase.target, Target::Keyword(_)) {
                    "keyword"
                } else {
                    "activity term"
                };
                format!(
                    "{} \"{}\" contains the {what} \"{}\"",
                    hit.field.label(),
                    shorten(items[hit.item].text),
                    phrase.text
                )
            }
            Evidence::Relation {
                hit,
                relation,
                variant_note,
                relationship,
            } => {
                let hit = &hits[hit];
                let Target::Entry(c, e) = k.phrases[hit.phrase as usize].target else {
                    return self.found(hit, items);
                };
                let relation = &k.crosswalks[c].entries[e].relations[relation];
                format!(
                    "{}: {} {}{variant_note}{}",
                    self.found(hit, items),
                    relation.relationship_name(),
                    strength_name(relation.strength.unwrap_or(Strength::Medium)),
                    if variant_note.is_empty() {
                        ""
                    } else {
                        relationship.as_str()
                    }
                )
            }
            Evidence::Activities { p, count } => format!(
                "the text shows {count} of {} activities of {}",
                k.model.processes[p].activities.len(),
                k.model.processes[p].id
            ),
        }
    }

    /// What a hit on a catalogue entry or control area found, in words.
    pub(super) fn found(&self, hit: &Hit, items: &[Item]) -> String {
        let k = self.knowledge;
        let phrase = &k.phrases[hit.phrase as usize];
        let quoted = shorten(items[hit.item].text);
        match phrase.target {
            Target::Entry(c, e) => {
                let catalogue = &k.crosswalks[c];
                let entry = &catalogue.entries[e];
                let code = if entry.code.contains(':') {
                    ""
                } else {
                    &entry.code
                };
                let mut found = format!(
                    "{} \"{quoted}\" matches {} {code} \"{}\"",
                    hit.field.label(),
                    catalogue.title,
                    entry.name,
                );
                if phrase.text != entry.name && phrase.text != entry.code {
                    found.push_str(&format!(" (alias \"{}\")", phrase.text));
                }
                // No code leaves a double space; text with one of its own is tidied the same way.
                if found.contains("  ") {
                    found = found.replace("  ", " ");
                }
                found
            }
            Target::Area(a) => format!(
                "{} \"{}\" matches the control area \"{}\"{}",
                hit.field.label(),
                quoted,
                k.control_areas[a].name,
                if phrase.text != k.control_areas[a].name {
                    format!(" (alias \"{}\")", phrase.text)
                } else {
                    String::new()
                }
            ),
            _ => format!(
                "{} \"{}\" matches \"{}\"",
                hit.field.label(),
                quoted,
                phrase.text
            ),
        }
    }
}

trait RelationName {
    fn relationship_name(&self) -> &'static str;
}

impl RelationName for crate::model::Relation {
    fn relationship_name(&self) -> &'static str {
        match self.relationship {
            CrosswalkRelationship::Equal => "equal",
            CrosswalkRelationship::Subset => "subset",
            CrosswalkRelationship::Superset => "superset",
            CrosswalkRelationship::Intersects => "intersects",
            CrosswalkRelationship::None => "none",
        }
    }
}

fn strength_name(strength: Strength) -> &'static str {
    match strength {
        Strength::Strong => "(strong)",
        Strength::Medium => "(medium)",
        Strength::Weak => "(weak)",
    }
}

pub(super) fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text.to_owned()
    }
}
