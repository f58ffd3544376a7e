//! Candidates: each hit becomes reasons to map onto PRM processes, control areas or an
//! umbrella; per PRM process the strongest reason wins, raised by independent ones.

use std::collections::BTreeMap;

use crate::mapping::Source;
use crate::mapping::knowledge::{Phrase, Target};
use crate::model::{CrosswalkRelationship, Strength};
use crate::source::register::Relationship;

use super::{
    Candidate, DOCUMENT_KIND_FACTOR, Evidence, Field, GENERIC_WEIGHT, Hit, Item, Kinds, Mapper,
    NAME_DECIDES_FROM, Signals,
};

impl<'k> Mapper<'k> {
    /// Per PRM process (by index) the reasons to map onto it, and what the hits say about
    /// control areas, umbrellas and processes outside the PRM.
    pub(super) fn candidates(&self, s: &Signals) -> (Vec<Vec<Candidate>>, Kinds) {
        let k = self.knowledge;
        // Empty lists allocate nothing.
        let mut prm: Vec<Vec<Candidate>> = k.model.processes.iter().map(|_| Vec::new()).collect();
        let mut kinds = Kinds::default();
        for (h, hit) in s.hits.iter().enumerate() {
            let phrase = &k.phrases[hit.phrase as usize];
            match phrase.target {
                Target::Prm(p) => prm[p].push(self.prm_name_candidate(s, h, phrase, p)),
                Target::Keyword(p) | Target::Activity(p, _) => {
                    let (relationship, factor) = if hit.field == Field::Name {
                        (Relationship::Subset, 0.9)
                    } else {
                        (Relationship::Intersects, 0.7)
                    };
                    prm[p].push(Candidate {
                        score: hit.score * factor,
                        relationship,
                        source: Source::Fuzzy,
                        named: false,
                        unqualified: false,
                        via_area: false,
                        generic: false,
                        field: hit.field,
                        evidence: Evidence::Contains { hit: h },
                    });
                }
                Target::Entry(c, e) => self.entry_candidates(s, h, (c, e), &mut prm, &mut kinds),
                Target::Area(a) => {
                    let factor = if hit.field == Field::Name { 1.0 } else { 0.7 };
                    keep_best_area(&mut kinds.areas, a, hit.score * factor, h);
                }
            }
        }
        // Activities alone are evidence too: a process that performs several activities of a
        // PRM process overlaps it whatever it is called.
        for (p, shown) in s.shown.iter().enumerate() {
            let count = shown.iter().filter(|s| **s).count();
            if count >= 2 {
                prm[p].push(Candidate {
                    score: 0.3 + 0.5 * super::verdict::activity_share(shown),
                    relationship: Relationship::Intersects,
                    source: Source::Fuzzy,
                    named: false,
                    unqualified: false,
                    via_area: false,
                    generic: false,
                    field: Field::Other,
                    evidence: Evidence::Activities { p, count },
                });
            }
        }
        (prm, kinds)
    }

    /// A hit `h` on a name or alias of PRM process `p`.
    fn prm_name_candidate(&self, s: &Signals, h: usize, phrase: &Phrase, p: usize) -> Candidate {
        let hit = &s.hits[h];
        // A security-specific alias ("Security incident management") matched by a name without
        // the security wording: weak evidence of equality when the generic process exists in a
        // catalogue (marked here, weighed in `weigh`).
        let unqualified = hit.field == Field::Name
            && !s.security_specific
            && self.phrase_is_security_specific(phrase);
        let relationship = if hit.field == Field::Name || hit.field == Field::Framework {
            Relationship::Equal
        } else {
            Relationship::Intersects
        };
        let generic = hit.field == Field::Name
            && !s.security_specific
            && !s.isms_in_text[p]
            && !self.phrase_is_security_specific(phrase);
        Candidate {
            score: hit.score,
            relationship,
            source: Source::Fuzzy,
            named: matches!(hit.field, Field::Name | Field::Framework),
            unqualified,
            via_area: false,
            generic,
            field: hit.field,
            evidence: Evidence::PrmName { hit: h },
        }
    }

    /// A hit `h` on catalogue entry `(c, e)`: an umbrella, a control area, something outside
    /// the PRM, or through the entry's relations candidates for PRM processes.
    fn entry_candidates(
        &self,
        s: &Signals,
        h: usize,
        (c, e): (usize, usize),
        prm: &mut [Vec<Candidate>],
        kinds: &mut Kinds,
    ) {
        let k = self.knowledge;
        let hit = &s.hits[h];
        let entry = &k.crosswalks[c].entries[e];
        // An umbrella term only makes an umbrella when it is (nearly) the whole name: "ISMS
        // internal audit" is an audit, not the ISMS.
        if entry.umbrella {
            if hit.field == Field::Name && self.entry_coverage(c, e, &s.items[hit.item]) >= 0.75 {
                keep_best(&mut kinds.umbrella, hit.score, h);
            } else if hit.field != Field::Name {
                kinds.umbrella_in_text = true;
            }
        }
        if let Some(area) = &entry.control_area {
            // Through a catalogue entry a little less sure than through the area's own names:
            // catalogue names are often generic ("Risk assessment").
            if let Some(a) = k.area_index(area) {
                keep_best_area(&mut kinds.areas, a, hit.score * 0.9, h);
            }
        }
        // An umbrella entry's relations claim the whole PRM; they only apply when the process
        // is the umbrella itself (`Mapper::umbrella_mappings`).
        if entry.umbrella {
            return;
        }
        for (rank, relation) in entry.relations.iter().enumerate() {
            let Some(relationship) = relation.relationship.relationship() else {
                if relation.relationship == CrosswalkRelationship::None {
                    keep_best(&mut kinds.unrelated, hit.score, h);
                }
                continue;
            };
            let Some(p) = relation.prm.as_deref().and_then(|id| k.prm_index(id)) else {
                continue;
            };
            let strength = relation.strength.unwrap_or(Strength::Medium);
            let (relationship, variant_note) = match relation.security_variant {
                Some(variant)
                    if (s.security_specific || s.isms_in_text[p]) && variant != relationship =>
                {
                    (variant, "; security-specific wording makes it ")
                }
                _ => (relationship, ""),
            };
            // A framework reference says the process follows part of a catalogue element, not
            // that it is that element: it never proves coverage.
            let (relationship, variant_note) =
                if hit.field == Field::Framework && relationship.covers() {
                    (Relationship::Intersects, "; as a framework reference only ")
                } else {
                    (relationship, variant_note)
                };
            let field_factor = match hit.field {
                Field::Name | Field::Framework => 1.0,
                _ => 0.7,
            };
            prm[p].push(Candidate {
                // The first relation listed is the entry's primary target.
                score: hit.score * strength.weight() * field_factor * (1.0 - 0.03 * rank as f64),
                relationship,
                source: Source::Crosswalk,
                named: matches!(hit.field, Field::Name | Field::Framework),
                unqualified: false,
                via_area: entry.control_area.is_some(),
                generic: false,
                field: hit.field,
                evidence: Evidence::Relation {
                    hit: h,
                    relation: rank,
                    variant_note,
                    relationship,
                },
            });
        }
    }

    /// Per PRM process with candidates, the best one and the combined score: the strongest
    /// signal, raised by independent signals from other fields. Best first.
    pub(super) fn weigh(
        &self,
        prm: Vec<Vec<Candidate>>,
        s: &Signals,
    ) -> Vec<(usize, Candidate, f64)> {
        let mut scored: Vec<(usize, Candidate, f64)> = prm
            .into_iter()
            .enumerate()
            .filter(|(_, candidates)| !candidates.is_empty())
            .filter_map(|(p, mut candidates)| {
                // "Incident management" is the ITIL practice when a catalogue knows it; the
                // PRM's "Security incident management" then only half fits.
                let generic_known = candidates
                    .iter()
                    .any(|c| c.named && c.source == Source::Crosswalk);
                if generic_known {
                    for c in candidates.iter_mut().filter(|c| c.unqualified) {
                        c.score *= 0.7;
                    }
                }
                let best = best_candidate(&candidates, &s.hits)?;
                let score = best.score + (1.0 - best.score) * support(&candidates, best.field);
                Some((p, best, score.min(1.0)))
            })
            .collect();
        // A name made of a document kind and a topic ("Supplier management policy", "Política
        // de gestión de incidentes", "Access control policy") is about the topic: a match that
        // rests on the document kind alone gives way when the name has a topic of its own.
        if let Some(name) = s.name {
            let topic = s.items[name].tokens().iter().any(|t| self.is_topic_word(t));
            if topic {
                for (_, candidate, score) in &mut scored {
                    if candidate.field == Field::Name
                        && self.rests_on_document_kind(candidate, &s.hits)
                    {
                        *score *= DOCUMENT_KIND_FACTOR;
                    }
                }
            }
        }
        scored.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        scored
    }
    /// Share of an item's weighted words that any name, alias or code of an umbrella catalogue
    /// entry uses ("APO13 Managed Security" is all APO13). Only umbrella entries have their
    /// words precomputed; any other entry gives 0.
    pub(super) fn entry_coverage(&self, catalogue: usize, entry: usize, item: &Item) -> f64 {
        let k = self.knowledge;
        // Words the reference data does not know (the organisation's or a site's name: "ISMS
        // KHV Ostalpen") and document kinds ("ISMS framework", "ISMS policy") do not make an
        // umbrella name any less of one.
        let mut words: Vec<&str> = item
            .tokens()
            .iter()
            .map(String::as_str)
            .filter(|t| k.knows(t) && !k.is_document_kind(t))
            .collect();
        words.sort_unstable();
        words.dedup();
        let total: f64 = words.iter().map(|t| k.weight(t)).sum();
        if total <= 0.0 {
            return 0.0;
        }
        let known = self
            .umbrella_words
            .get(&(catalogue, entry))
            .map_or(&[][..], Vec::as_slice);
        let covered: f64 = words
            .iter()
            .filter(|t| known.binary_search_by(|x| x.as_str().cmp(t)).is_ok())
            .map(|t| k.weight(t))
            .sum();
        covered / total
    }

    /// A word of a name that can say what the name is about: known to the reference data,
    /// telling (not "management", "information"), neither a qualifier nor a document kind.
    pub(super) fn is_topic_word(&self, token: &str) -> bool {
        let k = self.knowledge;
        k.knows(token)
            && k.weight(token) >= GENERIC_WEIGHT
            && !k.is_qualifier(token)
            && !k.is_document_kind(token)
    }

    /// The phrase behind a candidate, when it comes from one hit.
    pub(super) fn phrase_of<'h>(
        &self,
        candidate: &Candidate,
        hits: &'h [Hit],
    ) -> Option<&'k Phrase> {
        let hit = match candidate.evidence {
            Evidence::PrmName { hit }
            | Evidence::Contains { hit }
            | Evidence::Relation { hit, .. } => hit,
            Evidence::Activities { .. } => return None,
        };
        Some(&self.knowledge.phrases[hits[hit].phrase as usize])
    }

    /// The candidate's phrase has words of its own beyond qualifiers and document kinds.
    pub(super) fn has_telling_words(&self, candidate: &Candidate, hits: &[Hit]) -> bool {
        self.phrase_of(candidate, hits)
            .is_some_and(|phrase| phrase.tokens.iter().any(|t| self.is_topic_word(t)))
    }

    /// The candidate's phrase names a document kind and nothing telling besides.
    pub(super) fn rests_on_document_kind(&self, candidate: &Candidate, hits: &[Hit]) -> bool {
        let k = self.knowledge;
        self.phrase_of(candidate, hits).is_some_and(|phrase| {
            phrase.tokens.iter().any(|t| k.is_document_kind(t))
                && !phrase.tokens.iter().any(|t| self.is_topic_word(t))
        })
    }

    pub(super) fn is_security_specific(&self, item: &Item) -> bool {
        let k = self.knowledge;
        k.security_qualifiers
            .iter()
            .any(|q| q.iter().all(|t| item.tokens().contains(t)))
            || (!k.security_words.is_empty() && {
                let folded = crate::mapping::text::fold(item.text);
                k.security_words.iter().any(|w| folded.contains(w.as_str()))
            })
    }

    pub(super) fn phrase_is_security_specific(&self, phrase: &Phrase) -> bool {
        self.knowledge
            .security_qualifiers
            .iter()
            .any(|q| q.iter().all(|t| phrase.tokens.contains(t)))
    }
}

/// Keep the strongest hit (its index) for a slot; the first of equal scores stays.
pub(super) fn keep_best(slot: &mut Option<(f64, usize)>, score: f64, hit: usize) {
    if slot.as_ref().is_none_or(|(s, _)| score > *s) {
        *slot = Some((score, hit));
    }
}

/// [`keep_best`] per control area; only scores above zero count.
pub(super) fn keep_best_area(
    areas: &mut BTreeMap<usize, (f64, usize)>,
    area: usize,
    score: f64,
    hit: usize,
) {
    match areas.entry(area) {
        std::collections::btree_map::Entry::Vacant(slot) => {
            if score > 0.0 {
                slot.insert((score, hit));
            }
        }
        std::collections::btree_map::Entry::Occupied(mut slot) => {
            if score > slot.get().0 {
                slot.insert((score, hit));
            }
        }
    }
}

/// The strongest candidate; on equal scores the name beats other fields and the closer
/// relationship wins, so the choice never depends on the order hits were found in.
pub(super) fn best_candidate(candidates: &[Candidate], hits: &[Hit]) -> Option<Candidate> {
    let top = strongest(candidates.iter(), hits)?;
    // A name match of curated data nearly as strong as the top signal decides the
    // relationship: "Incident management" is the ITIL practice (intersects), even though the
    // words also form an activity term (which would read as subset).
    // A match of the process's own name decides before a framework reference, which only
    // says which catalogue element the process follows ("ISO/IEC 27001 A.5.24" under
    // "Security incident management"); the reference still raises the score.
    let named_in_name = strongest(
        candidates
            .iter()
            .filter(|c| c.named && c.field == Field::Name),
        hits,
    )
    .filter(|n| n.score >= NAME_DECIDES_FROM);
    let named = named_in_name.or_else(|| {
        strongest(candidates.iter().filter(|c| c.named), hits)
            .filter(|n| n.score >= top.score - 0.12)
    });
    let mut best = match named {
        Some(named) => {
            // Several catalogues may name the process equally well and disagree on the
            // relationship ("Incident management": ITIL intersects, a CSF category subset). A
            // PRM name wins, unless it is a generic name that a catalogue knows as the
            // organisation-wide process ("Communication" is corporate communication until the
            // text shows the ISMS side); otherwise the relationship most of them give, and on
            // a tie the more conservative one.
            let tied: Vec<&Candidate> = candidates
                .iter()
                .filter(|c| c.named && c.field == named.field && c.score >= named.score - 0.02)
                .collect();
            let catalogued = candidates
                .iter()
                .any(|c| c.named && c.source == Source::Crosswalk && c.score >= top.score - 0.12);
            if let Some(prm_name) = tied
                .iter()
                .find(|c| c.source == Source::Fuzzy && !(c.generic && catalogued))
            {
                (*prm_name).clone()
            } else {
                let mut voters: Vec<&Candidate> = tied
                    .iter()
                    .copied()
                    .filter(|c| c.source == Source::Crosswalk)
                    .collect();
                if voters.is_empty() {
                    voters.extend(strongest(
                        candidates
                            .iter()
                            .filter(|c| c.named && c.source == Source::Crosswalk),
                        hits,
                    ));
                }
                let mut votes: BTreeMap<Relationship, usize> = BTreeMap::new();
                for c in &voters {
                    *votes.entry(c.relationship).or_default() += 1;
                }
                let chosen = votes
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))
                    .map(|(r, _)| *r);
                voters
                    .iter()
                    .find(|c| Some(c.relationship) == chosen)
                    .map_or_else(|| named.clone(), |c| (*c).clone())
            }
        }
        None => top.clone(),
    };
    best.score = top.score;
    Some(best)
}

/// The highest score; on equal scores the earlier field and the closer relationship, then the
/// evidence found first in the process's text (name, references, description, activities,
/// then inputs, outputs and tags), then the lower phrase and relation. The order of the
/// candidates never matters.
pub(super) fn strongest<'c>(
    candidates: impl Iterator<Item = &'c Candidate>,
    hits: &[Hit],
) -> Option<&'c Candidate> {
    candidates.max_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| b.field.cmp(&a.field))
            .then_with(|| b.relationship.cmp(&a.relationship))
            .then_with(|| b.evidence.place(hits).cmp(&a.evidence.place(hits)))
    })
}

/// How much the best signals of fields other than `best_field` add: 0.4 of the strongest and
/// 0.2 of the next.
fn support(candidates: &[Candidate], best_field: Field) -> f64 {
    let mut by_field: BTreeMap<Field, f64> = BTreeMap::new();
    for c in candidates {
        let slot = by_field.entry(c.field).or_insert(0.0);
        *slot = slot.max(c.score);
    }
    let mut others: Vec<f64> = by_field
        .iter()
        .filter(|(field, _)| **field != best_field)
        .map(|(_, s)| *s)
        .collect();
    others.sort_by(|a, b| b.total_cmp(a));
    0.4 * others.first().copied().unwrap_or(0.0) + 0.2 * others.get(1).copied().unwrap_or(0.0)
}
