//! The verdict on one process: umbrella, control area or PRM process, the mappings reported
//! and the declarations in `maps_to` honoured.

use crate::mapping::knowledge::{Knowledge, Target};
use crate::mapping::{Mapping, ProcessMapping, Source};
use crate::model::Strength;
use crate::source::register::{Process, Relationship};

use super::{Candidate, Field, Hit, Kinds, Mapper, Signals};

impl<'k> Mapper<'k> {
    /// Decide what kind of process it is: an umbrella for the whole ISMS, a control area
    /// (keeping only the PRM mappings its name supports strongly), something the PRM does not
    /// cover (no PRM mappings), or a PRM process (`scored` unchanged).
    pub(super) fn classify(
        &self,
        result: &mut ProcessMapping,
        scored: &mut Vec<(usize, Candidate, f64)>,
        best_prm: f64,
        kinds: &Kinds,
        s: &Signals,
    ) {
        let k = self.knowledge;
        let best_area = kinds
            .areas
            .iter()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(a.0)))
            .map(|(a, (score, hit))| (*a, *score, *hit));
        // "Privacy training", "Comité de seguridad y protección de datos", "Data protection
        // breach management": the control area is only a qualifier of the name, and what the
        // name does (train, direct, handle breaches) is a PRM process, which stays first.
        let qualified_action = best_area.is_some_and(|(_, _, hit)| {
            let area_words = &k.phrases[s.hits[hit].phrase as usize].tokens;
            area_words.iter().all(|t| k.is_qualifier(t))
                && scored.iter().any(|(_, c, score)| {
                    c.field == Field::Name
                        && !c.via_area
                        && *score >= self.thresholds.mapping
                        && self.has_telling_words(c, &s.hits)
                })
        });
        let best_area =
            best_area.map(|(a, score, hit)| (a, score, self.found(&s.hits[hit], &s.items)));
        // A vague umbrella name ("Security") with a description of one specific process is
        // that process, not an umbrella.
        let described = scored
            .iter()
            .filter(|(_, c, _)| !matches!(c.field, Field::Name | Field::Framework))
            .map(|s| s.2)
            .fold(0.0, f64::max);
        let is_umbrella = kinds.umbrella.as_ref().is_some_and(|(score, _)| {
            *score >= self.thresholds.umbrella
                && *score >= best_prm - 0.1
                && (described < 0.6 || kinds.umbrella_in_text)
        });
        let unrelated_wins = kinds
            .unrelated
            .as_ref()
            .is_some_and(|(score, _)| *score >= self.thresholds.control_area && *score >= best_prm);

        if is_umbrella {
            result.umbrella = true;
        } else if let Some((area, score, evidence)) = best_area.filter(|(_, score, _)| {
            *score >= self.thresholds.control_area && *score >= best_prm - 0.02
        }) {
            result.control_area = Some(k.control_areas[area].id.clone());
            if qualified_action {
                result.control_area_evidence = vec![format!(
                    "{evidence} (score {score:.2}); it qualifies what the process does, which \
                     is a PRM process"
                )];
            } else {
                result.control_area_evidence = vec![format!("{evidence} (score {score:.2})")];
                // A combined process ("Patch- und Änderungsmanagement") runs a control area and a
                // PRM process: keep PRM mappings its name supports strongly.
                scored.retain(|(_, candidate, score)| {
                    candidate.named
                        && !candidate.via_area
                        && candidate.field == Field::Name
                        && *score >= 0.8
                });
            }
        } else if unrelated_wins {
            scored.clear();
        }
    }

    /// The PRM mappings reported, with their evidence: the best one, and others only when
    /// clearly supported, or every process ends up mapped onto half the PRM. An umbrella gets
    /// its own mapping instead: partial matches of an umbrella name ("... management system")
    /// are artefacts of its generic words.
    pub(super) fn report(
        &self,
        result: &mut ProcessMapping,
        scored: Vec<(usize, Candidate, f64)>,
        best_prm: f64,
        umbrella: Option<(f64, usize)>,
        s: &Signals,
    ) {
        let k = self.knowledge;
        if result.umbrella {
            let evidence = umbrella.map(|(_, hit)| self.found(&s.hits[hit], &s.items));
            self.umbrella_mappings(result, evidence, &s.shown);
            return;
        }
        let cut = (best_prm * 0.75).max(self.thresholds.mapping + 0.1);
        for (rank, (p, candidate, score)) in scored.into_iter().enumerate() {
            if score < self.thresholds.mapping || (rank > 0 && score < cut) {
                continue;
            }
            let mut evidence = vec![self.evidence(candidate.evidence, &s.hits, &s.items)];
            let coverage: Vec<&str> = k.model.processes[p]
                .activities
                .iter()
                .zip(&s.shown[p])
                .filter(|(_, shown)| **shown)
                .map(|(a, _)| a.id.rsplit('/').next().unwrap_or(&a.id))
                .collect();
            if !coverage.is_empty() {
                evidence.push(format!(
                    "shows {} of {} activities: {}",
                    coverage.len(),
                    s.shown[p].len(),
                    coverage.join(", ")
                ));
            }
            for (from, to) in &s.corrected {
                evidence.push(format!("read \"{from}\" as \"{to}\""));
            }
            result.mappings.push(Mapping {
                prm: k.model.processes[p].id.clone(),
                relationship: candidate.relationship,
                score: round2(score),
                source: candidate.source,
                evidence,
                missing_activities: missing(k, p, &s.shown[p]),
                declared: None,
            });
        }
    }
    /// An umbrella process is anchored on governance-interface (superset: it is the whole ISMS).
    pub(super) fn umbrella_mappings(
        &self,
        result: &mut ProcessMapping,
        evidence: Option<String>,
        shown: &[Vec<bool>],
    ) {
        let k = self.knowledge;
        let Some(g) = k.prm_index("governance-interface") else {
            return;
        };
        result.mappings.retain(|m| m.prm != "governance-interface");
        result.mappings.insert(
            0,
            Mapping {
                prm: "governance-interface".into(),
                relationship: Relationship::Superset,
                score: 1.0,
                source: Source::Crosswalk,
                evidence: vec![
                    evidence.unwrap_or_default(),
                    "an umbrella for the whole ISMS: it claims every PRM process, so it is not \
                     counted as covering any"
                        .into(),
                ],
                missing_activities: missing(k, g, &shown[g]),
                declared: None,
            },
        );
    }

    /// Honour `maps_to`: a declared PRM process is reported with the declared relationship and
    /// whatever evidence supports it (none gives score 0).
    pub(super) fn merge_declared(
        &self,
        process: &Process,
        result: &mut ProcessMapping,
        shown: &[Vec<bool>],
        hits: &[Hit],
    ) {
        let k = self.knowledge;
        for declared in &process.maps_to {
            let Some(p) = k.prm_index(&declared.prm) else {
                continue;
            };
            // `relationship` stays what the evidence shows; `declared` keeps the register's
            // claim, so a reader (and the analysis) can see where the two differ.
            if let Some(mapping) = result.mappings.iter_mut().find(|m| m.prm == declared.prm) {
                mapping.declared = Some(declared.relationship);
                mapping.source = Source::Declared;
                if mapping.relationship != declared.relationship {
                    mapping.evidence.push(format!(
                        "declared {}; the evidence shows {}",
                        declared.relationship.as_str(),
                        mapping.relationship.as_str()
                    ));
                }
                continue;
            }
            // Weak support below the reporting threshold still counts for a declaration.
            let support = hits
                .iter()
                .filter(|h| match k.phrases[h.phrase as usize].target {
                    Target::Prm(x) | Target::Keyword(x) | Target::Activity(x, _) => x == p,
                    // A weak catalogue link (one word such as "records" or "customer") is
                    // not evidence that the process does what the register declares.
                    Target::Entry(c, e) => k.crosswalks[c].entries[e].relations.iter().any(|r| {
                        r.prm.as_deref() == Some(declared.prm.as_str())
                            && r.strength != Some(Strength::Weak)
                    }),
                    Target::Area(_) => false,
                })
                .map(|h| h.score * 0.6)
                .fold(0.0, f64::max);
            let coverage = activity_share(&shown[p]);
            let score = (support + (1.0 - support) * 0.3 * coverage).min(1.0);
            let evidence = if score > 0.0 {
                "declared in maps_to; only weak evidence in the process text".to_owned()
            } else {
                "declared in maps_to; nothing in the process text supports it".to_owned()
            };
            result.mappings.push(Mapping {
                prm: declared.prm.clone(),
                relationship: declared.relationship,
                score: round2(score),
                source: Source::Declared,
                evidence: vec![evidence],
                missing_activities: missing(k, p, &shown[p]),
                declared: Some(declared.relationship),
            });
        }
    }
}

pub(super) fn activity_share(shown: &[bool]) -> f64 {
    if shown.is_empty() {
        return 0.0;
    }
    shown.iter().filter(|s| **s).count() as f64 / shown.len() as f64
}

pub(super) fn missing(k: &Knowledge, p: usize, shown: &[bool]) -> Vec<String> {
    k.model.processes[p]
        .activities
        .iter()
        .zip(shown)
        .filter(|(_, shown)| !**shown)
        .map(|(a, _)| a.id.clone())
        .collect()
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
