//! Scoring a register process against the knowledge base.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use foldhash::HashMap;
use rustc_hash::FxHashMap;

use crate::model::{CrosswalkRelationship, Strength};
use crate::register::{Process, Relationship};

use super::knowledge::{Knowledge, Phrase, Target};
use super::typo::TypoIndex;
use super::vocab::{UNKNOWN, Vocabulary};
use super::{Mapping, ProcessMapping, Source};

/// Words weighing less than this are generic in the reference data ("management",
/// "security", "information", "process").
const GENERIC_WEIGHT: f64 = 2.3;

/// How much a name match that rests on a document kind ("policy") keeps when the name has a
/// topic of its own: enough to stay a secondary mapping, not enough to outrank the topic.
const DOCUMENT_KIND_FACTOR: f64 = 0.8;

/// Score from which a match of the process name decides the relationship over a framework
/// reference.
const NAME_DECIDES_FROM: f64 = 0.6;

/// Least share of a phrase's weight a title must contain for the phrase to match it.
const MIN_PHRASE_SHARE: f64 = 0.5;

/// Score thresholds; configurable because organisations differ in how bold they want the
/// suggestions to be.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Lowest score reported as a mapping.
    pub mapping: f64,
    /// Lowest score that makes a process a control area.
    pub control_area: f64,
    /// Lowest score that makes a process an umbrella.
    pub umbrella: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            mapping: 0.5,
            control_area: 0.6,
            umbrella: 0.85,
        }
    }
}

/// Which field of the process a match was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Name,
    Framework,
    Description,
    Activity,
    Other,
}

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Framework => "framework reference",
            Field::Description => "description",
            Field::Activity => "activity",
            Field::Other => "inputs/outputs/tags",
        }
    }
}

/// A piece of the process's text, normalised and matched.
#[derive(Debug)]
struct Item<'p> {
    field: Field,
    text: &'p str,
    found: Rc<Matched>,
}

impl Item<'_> {
    fn tokens(&self) -> &[String] {
        &self.found.tokens
    }
}

/// What matching finds in one text of a field: the same in every process that has the text.
#[derive(Debug)]
struct Matched {
    tokens: Vec<String>,
    /// Phrases found, with their scores.
    hits: Vec<(u32, f64)>,
    /// Unknown words read as known ones, in the order of the text.
    corrected: Vec<(String, String)>,
}

/// About the most memory one thread's [`MatchCache`] may take before it starts again.
const MATCH_CACHE_BYTES: usize = 32 << 20;

/// Texts already matched by this thread, for one [`Mapper`]. Registers repeat the same
/// activities, inputs, outputs and tags across thousands of processes (a merged group register
/// even whole descriptions), so each distinct text is matched once. Keyed by register text,
/// so it uses a hash seeded at random per run (foldhash): a crafted register cannot plan
/// collisions.
#[derive(Default)]
struct MatchCache {
    mapper: u64,
    bytes: usize,
    /// Per text, what it gave in each field (indexed by `Field as usize`).
    texts: HashMap<Box<str>, [Option<Rc<Matched>>; 5]>,
}

thread_local! {
    static MATCHED: RefCell<MatchCache> = RefCell::new(MatchCache::default());
}

/// Source of [`Mapper`] identities for the match cache.
fn next_mapper_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One phrase found in the process.
#[derive(Debug, Clone)]
struct Hit {
    phrase: u32,
    field: Field,
    item: usize,
    score: f64,
}

/// One reason to map onto a PRM process.
#[derive(Debug, Clone)]
struct Candidate {
    score: f64,
    relationship: Relationship,
    source: Source,
    field: Field,
    /// What the candidate rests on, put into words only for the candidates reported.
    evidence: Evidence,
    /// The title matched a name or alias of the PRM process or of a catalogue entry: the
    /// relationship then comes from curated data, not from a keyword or activity term.
    named: bool,
    /// A security-specific PRM name matched by a title without the security wording.
    unqualified: bool,
    /// Comes from a catalogue entry that is itself a control area ("Log management").
    via_area: bool,
    /// A PRM name without security wording ("Communication", "Internal audit") matched by a
    /// name without it either, and nothing else in the text shows the ISMS variant: the name
    /// alone does not tell the organisation-wide process from the ISMS one.
    generic: bool,
}

thread_local! {
    /// Per phrase, the weight it shares with the title being matched; all zero between
    /// titles. One table per thread instead of one allocation per title. `title_hits` must
    /// leave it all zero (nothing in between can panic or re-enter), or later titles on the
    /// thread would be scored wrongly.
    static SHARED: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What a candidate rests on. Most candidates are dropped, so their evidence is only put into
/// words ([`Mapper::evidence`]) for the ones reported, or to break an exact tie.
#[derive(Debug, Clone, Copy)]
enum Evidence {
    /// The hit matched a PRM process's name or alias.
    PrmName { hit: usize },
    /// The hit contains a keyword or an activity term of a PRM process.
    Contains { hit: usize },
    /// The hit matched a catalogue entry and this relation of it.
    Relation {
        hit: usize,
        relation: usize,
        /// Why the relationship differs from the relation's, if it does.
        variant_note: &'static str,
        relationship: Relationship,
    },
    /// The text shows `count` activities of the PRM process.
    Activities { p: usize, count: usize },
}

impl Evidence {
    /// Where the evidence is in the process: item, phrase and relation, ordered as the text
    /// is; evidence from the activities as a whole comes after any single hit.
    fn place(self, hits: &[Hit]) -> (usize, u32, usize, usize) {
        match self {
            Evidence::PrmName { hit } | Evidence::Contains { hit } => {
                (hits[hit].item, hits[hit].phrase, 0, 0)
            }
            Evidence::Relation { hit, relation, .. } => {
                (hits[hit].item, hits[hit].phrase, relation, 0)
            }
            Evidence::Activities { p, .. } => (usize::MAX, u32::MAX, usize::MAX, p),
        }
    }
}

/// Maps register processes onto the PRM. Cheap to share between threads.
#[derive(Debug)]
pub struct Mapper<'k> {
    knowledge: &'k Knowledge,
    typos: TypoIndex,
    corrections: Mutex<HashMap<String, Option<String>>>,
    thresholds: Thresholds,
    /// Per catalogue, token sequences that name it ("cobit", "22301", "itil").
    catalogue_names: Vec<Vec<Vec<String>>>,
    /// Per phrase, the summed weight of its distinct tokens.
    phrase_weights: Vec<f64>,
    /// The reference words by id, for the inner loops of `title_hits` and `contained_hits`.
    vocab: Vocabulary,
    /// Identifies the mapper in the per-thread match cache.
    id: u64,
    /// Per umbrella catalogue entry, the words of all its names, aliases and codes (sorted).
    umbrella_words: FxHashMap<(usize, usize), Vec<String>>,
}

/// The tables a [`Mapper`] derives from a knowledge base. They own their data, so they can be
/// built beside other work (the registers are read meanwhile) and handed to
/// [`Mapper::with_index`] with the same knowledge base.
#[derive(Debug)]
pub struct MapperIndex {
    typos: TypoIndex,
    catalogue_names: Vec<Vec<Vec<String>>>,
    phrase_weights: Vec<f64>,
    vocab: Vocabulary,
    umbrella_words: FxHashMap<(usize, usize), Vec<String>>,
}

impl MapperIndex {
    pub fn new(knowledge: &Knowledge) -> Self {
        let catalogue_names = knowledge
            .crosswalks
            .iter()
            .map(|c| {
                c.id.split('-')
                    .filter(|part| {
                        part.len() >= 3
                            && !matches!(*part, "iso" | "iec")
                            && !(part.len() == 4
                                && (part.starts_with("19") || part.starts_with("20"))
                                && part.bytes().all(|b| b.is_ascii_digit()))
                    })
                    .map(|part| knowledge.normalizer.tokens(part))
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .collect();
        let vocab = Vocabulary::new(knowledge);
        // Summed in the order `title_hits` sums them, word by distinct word.
        let phrase_weights = (0..knowledge.phrases.len() as u32)
            .map(|id| {
                let words = vocab.phrase(id);
                words
                    .iter()
                    .enumerate()
                    .filter(|(i, word)| !words[..*i].contains(word))
                    .fold(0.0, |weight, (_, &word)| weight + vocab.weight(word))
            })
            .collect();
        let mut umbrella_words: FxHashMap<(usize, usize), Vec<String>> = FxHashMap::default();
        for phrase in &knowledge.phrases {
            if let Target::Entry(c, e) = phrase.target
                && knowledge.crosswalks[c].entries[e].umbrella
            {
                umbrella_words
                    .entry((c, e))
                    .or_default()
                    .extend(phrase.tokens.iter().cloned());
            }
        }
        for words in umbrella_words.values_mut() {
            words.sort_unstable();
            words.dedup();
        }
        MapperIndex {
            umbrella_words,
            phrase_weights,
            vocab,
            typos: TypoIndex::new(&knowledge.vocabulary()),
            catalogue_names,
        }
    }
}

impl<'k> Mapper<'k> {
    pub fn new(knowledge: &'k Knowledge, thresholds: Thresholds) -> Self {
        Mapper::with_index(knowledge, thresholds, MapperIndex::new(knowledge))
    }

    /// A mapper with tables built beforehand by [`MapperIndex::new`] from this same knowledge
    /// base.
    pub fn with_index(
        knowledge: &'k Knowledge,
        thresholds: Thresholds,
        index: MapperIndex,
    ) -> Self {
        let MapperIndex {
            typos,
            catalogue_names,
            phrase_weights,
            vocab,
            umbrella_words,
        } = index;
        Mapper {
            knowledge,
            typos,
            corrections: Mutex::new(HashMap::default()),
            thresholds,
            catalogue_names,
            phrase_weights,
            vocab,
            id: next_mapper_id(),
            umbrella_words,
        }
    }

    pub fn knowledge(&self) -> &'k Knowledge {
        self.knowledge
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Normalise, and read unknown words as the known word they most likely misspell.
    fn tokens(
        &self,
        text: &str,
        correct: bool,
        corrected: &mut Vec<(String, String)>,
    ) -> Vec<String> {
        let mut tokens = self.knowledge.normalizer.tokens(text);
        // Only short titles are corrected: in running text most unknown words are simply
        // words the reference data does not use, and "correcting" them invents evidence.
        if !correct {
            return tokens;
        }
        for token in &mut tokens {
            if self.knowledge.knows(token) || token.len() < 5 {
                continue;
            }
            let correction = {
                let cached = self
                    .corrections
                    .lock()
                    .ok()
                    .and_then(|cache| cache.get(token.as_str()).cloned());
                match cached {
                    Some(c) => c,
                    None => {
                        let c = self.typos.correct(token);
                        if let Ok(mut cache) = self.corrections.lock() {
                            cache.insert(token.clone(), c.clone());
                        }
                        c
                    }
                }
            };
            if let Some(c) = correction {
                if !corrected.iter().any(|(from, _)| from == token) {
                    corrected.push((token.clone(), c.clone()));
                }
                *token = c;
            }
        }
        tokens
    }

    /// Normalise one text of a field and find the phrases in it.
    fn match_text(&self, field: Field, text: &str) -> Matched {
        let mut corrected = Vec::new();
        let tokens = self.tokens(
            text,
            matches!(field, Field::Name | Field::Framework),
            &mut corrected,
        );
        let mut hits = Vec::new();
        if !tokens.is_empty() {
            match field {
                Field::Name | Field::Framework => self.title_hits(field, text, &tokens, &mut hits),
                _ => self.contained_hits(field, &tokens, &mut hits),
            }
        }
        Matched {
            tokens,
            hits,
            corrected,
        }
    }

    /// [`Self::match_text`] through this thread's cache.
    fn match_cached(&self, field: Field, text: &str) -> Rc<Matched> {
        MATCHED.with(|cache| {
            let Ok(mut cache) = cache.try_borrow_mut() else {
                return Rc::new(self.match_text(field, text));
            };
            if cache.mapper != self.id || cache.bytes > MATCH_CACHE_BYTES {
                cache.texts.clear();
                cache.mapper = self.id;
                cache.bytes = 0;
            }
            if let Some(found) = cache
                .texts
                .get(text)
                .and_then(|s| s[field as usize].as_ref())
            {
                return Rc::clone(found);
            }
            let found = Rc::new(self.match_text(field, text));
            // The text, its tokens and hits, and the table's own share, roughly.
            cache.bytes += text.len()
                + found.tokens.iter().map(|t| t.len() + 24).sum::<usize>()
                + found.hits.len() * 16
                + 128;
            let slots = cache.texts.entry(text.into()).or_default();
            slots[field as usize] = Some(Rc::clone(&found));
            found
        })
    }

    fn items<'p>(
        &self,
        process: &'p Process,
        corrected: &mut Vec<(String, String)>,
    ) -> Vec<Item<'p>> {
        let mut items = Vec::new();
        let mut push = |field: Field, text: &'p str, corrected: &mut Vec<(String, String)>| {
            let found = self.match_cached(field, text);
            for (from, to) in &found.corrected {
                if !corrected.iter().any(|(seen, _)| seen == from) {
                    corrected.push((from.clone(), to.clone()));
                }
            }
            if !found.tokens.is_empty() {
                items.push(Item { field, text, found });
            }
        };
        push(Field::Name, &process.name, corrected);
        for framework in &process.frameworks {
            push(Field::Framework, framework, corrected);
        }
        if let Some(description) = &process.description {
            push(Field::Description, description, corrected);
        }
        for activity in &process.activities {
            push(Field::Activity, activity, corrected);
        }
        for text in process
            .inputs
            .iter()
            .chain(&process.outputs)
            .chain(&process.tags)
        {
            push(Field::Other, text, corrected);
        }
        items
    }

    /// Map one register process.
    pub fn map(&self, process: &Process) -> ProcessMapping {
        let k = self.knowledge;
        let mut corrected = Vec::new();
        let items = self.items(process, &mut corrected);
        let name_index = items.iter().position(|i| i.field == Field::Name);
        let security_specific = name_index.is_some_and(|i| self.is_security_specific(&items[i]));

        let hits: Vec<Hit> = items
            .iter()
            .enumerate()
            .flat_map(|(index, item)| {
                item.found.hits.iter().map(move |&(phrase, score)| Hit {
                    phrase,
                    field: item.field,
                    item: index,
                    score,
                })
            })
            .collect();

        // Activities of each PRM process that the text shows.
        let mut shown: Vec<Vec<bool>> = k
            .model
            .processes
            .iter()
            .map(|p| vec![false; p.activities.len()])
            .collect();
        for hit in &hits {
            if let Target::Activity(p, a) = k.phrases[hit.phrase as usize].target {
                shown[p][a] = true;
            }
        }

        // Per PRM process (by index), its candidates; empty ones allocate nothing.
        let mut prm: Vec<Vec<Candidate>> = k.model.processes.iter().map(|_| Vec::new()).collect();
        let mut areas: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
        let mut unrelated: Option<(f64, usize)> = None;
        let mut umbrella: Option<(f64, usize)> = None;
        let mut umbrella_in_text = false;
        // PRM processes the rest of the text names in their security-specific wording ("incl.
        // internal ISMS audits"): a generic name ("Interne Revision") then runs the ISMS
        // variant, as a security-specific name would. (Framework references reach only
        // catalogue entries, so they do not count here yet.)
        let mut isms_in_text = vec![false; k.model.processes.len()];
        for hit in &hits {
            if let Target::Prm(p) = k.phrases[hit.phrase as usize].target
                && hit.field != Field::Name
                && (hit.field == Field::Framework
                    || self.phrase_is_security_specific(&k.phrases[hit.phrase as usize]))
            {
                isms_in_text[p] = true;
            }
        }
        for (h, hit) in hits.iter().enumerate() {
            let phrase = &k.phrases[hit.phrase as usize];
            match phrase.target {
                Target::Prm(p) => {
                    let score = hit.score;
                    // A security-specific alias ("Security incident management") matched by a
                    // name without the security wording: weak evidence of equality when the
                    // generic process exists in a catalogue (marked here, weighed below).
                    let unqualified = hit.field == Field::Name
                        && !security_specific
                        && self.phrase_is_security_specific(phrase);
                    let relationship = if hit.field == Field::Name || hit.field == Field::Framework
                    {
                        Relationship::Equal
                    } else {
                        Relationship::Intersects
                    };
                    let generic = hit.field == Field::Name
                        && !security_specific
                        && !isms_in_text[p]
                        && !self.phrase_is_security_specific(phrase);
                    prm[p].push(Candidate {
                        score,
                        relationship,
                        source: Source::Fuzzy,
                        named: matches!(hit.field, Field::Name | Field::Framework),
                        unqualified,
                        via_area: false,
                        generic,
                        field: hit.field,
                        evidence: Evidence::PrmName { hit: h },
                    });
                }
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
                Target::Entry(c, e) => {
                    let catalogue = &k.crosswalks[c];
                    let entry = &catalogue.entries[e];
                    // An umbrella term only makes an umbrella when it is (nearly) the whole name:
                    // "ISMS internal audit" is an audit, not the ISMS.
                    if entry.umbrella {
                        if hit.field == Field::Name
                            && self.entry_coverage(c, e, &items[hit.item]) >= 0.75
                        {
                            keep_best(&mut umbrella, hit.score, h);
                        } else if hit.field != Field::Name {
                            umbrella_in_text = true;
                        }
                    }
                    if let Some(area) = &entry.control_area {
                        // Through a catalogue entry a little less sure than through the area's
                        // own names: catalogue names are often generic ("Risk assessment").
                        if let Some(a) = k.area_index(area) {
                            keep_best_area(&mut areas, a, hit.score * 0.9, h);
                        }
                    }
                    // An umbrella entry's relations claim the whole PRM; they only apply when
                    // the process is the umbrella itself, which is handled below.
                    if entry.umbrella {
                        continue;
                    }
                    for (rank, relation) in entry.relations.iter().enumerate() {
                        let Some(relationship) = relation.relationship.relationship() else {
                            if relation.relationship == CrosswalkRelationship::None {
                                keep_best(&mut unrelated, hit.score, h);
                            }
                            continue;
                        };
                        let Some(p) = relation.prm.as_deref().and_then(|id| k.prm_index(id)) else {
                            continue;
                        };
                        let strength = relation.strength.unwrap_or(Strength::Medium);
                        let (relationship, variant_note) = match relation.security_variant {
                            Some(variant)
                                if (security_specific || isms_in_text[p])
                                    && variant != relationship =>
                            {
                                (variant, "; security-specific wording makes it ")
                            }
                            _ => (relationship, ""),
                        };
                        // A framework reference says the process follows part of a catalogue
                        // element, not that it is that element: it never proves coverage.
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
                            score: hit.score
                                * strength.weight()
                                * field_factor
                                * (1.0 - 0.03 * rank as f64),
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
                Target::Area(a) => {
                    let factor = if hit.field == Field::Name { 1.0 } else { 0.7 };
                    keep_best_area(&mut areas, a, hit.score * factor, h);
                }
            }
        }

        let mut result = ProcessMapping {
            security_specific,
            ..ProcessMapping::default()
        };
        // Activities alone are evidence too: a process that performs several activities of a
        // PRM process overlaps it whatever it is called.
        for (p, shown) in shown.iter().enumerate() {
            let count = shown.iter().filter(|s| **s).count();
            if count >= 2 {
                prm[p].push(Candidate {
                    score: 0.3 + 0.5 * activity_share(shown),
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
        // Combine: the strongest signal, raised by independent signals from other fields.
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
                let best = best_candidate(&candidates, &hits)?;
                let mut by_field: BTreeMap<Field, f64> = BTreeMap::new();
                for c in &candidates {
                    let slot = by_field.entry(c.field).or_insert(0.0);
                    *slot = slot.max(c.score);
                }
                let mut others: Vec<f64> = by_field
                    .iter()
                    .filter(|(field, _)| **field != best.field)
                    .map(|(_, s)| *s)
                    .collect();
                others.sort_by(|a, b| b.total_cmp(a));
                let support = 0.4 * others.first().copied().unwrap_or(0.0)
                    + 0.2 * others.get(1).copied().unwrap_or(0.0);
                let score = best.score + (1.0 - best.score) * support;
                Some((p, best, score.min(1.0)))
            })
            .collect();
        // A name made of a document kind and a topic ("Supplier management policy", "Política
        // de gestión de incidentes", "Access control policy") is about the topic: a match that
        // rests on the document kind alone gives way when the name has a topic of its own.
        if let Some(name) = name_index {
            let topic = items[name].tokens().iter().any(|t| self.is_topic_word(t));
            if topic {
                for (_, candidate, score) in &mut scored {
                    if candidate.field == Field::Name
                        && self.rests_on_document_kind(candidate, &hits)
                    {
                        *score *= DOCUMENT_KIND_FACTOR;
                    }
                }
            }
        }
        scored.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        let best_prm = scored.first().map_or(0.0, |s| s.2);

        let best_area = areas
            .iter()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(a.0)))
            .map(|(a, (score, hit))| (*a, *score, *hit));
        // "Privacy training", "Comité de seguridad y protección de datos", "Data protection
        // breach management": the control area is only a qualifier of the name, and what the
        // name does (train, direct, handle breaches) is a PRM process, which stays first.
        let qualified_action = best_area.is_some_and(|(_, _, hit)| {
            let area_words = &k.phrases[hits[hit].phrase as usize].tokens;
            area_words.iter().all(|t| k.is_qualifier(t))
                && scored.iter().any(|(_, c, score)| {
                    c.field == Field::Name
                        && !c.via_area
                        && *score >= self.thresholds.mapping
                        && self.has_telling_words(c, &hits)
                })
        });
        let best_area = best_area.map(|(a, score, hit)| (a, score, self.found(&hits[hit], &items)));
        // A vague umbrella name ("Security") with a description of one specific process is
        // that process, not an umbrella.
        let described = scored
            .iter()
            .filter(|(_, c, _)| !matches!(c.field, Field::Name | Field::Framework))
            .map(|s| s.2)
            .fold(0.0, f64::max);
        let is_umbrella = umbrella.as_ref().is_some_and(|(score, _)| {
            *score >= self.thresholds.umbrella
                && *score >= best_prm - 0.1
                && (described < 0.6 || umbrella_in_text)
        });
        let unrelated_wins = unrelated
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

        // Secondary mappings must be clearly supported, or every process ends up mapped onto
        // half the PRM.
        let cut = (best_prm * 0.75).max(self.thresholds.mapping + 0.1);
        for (rank, (p, candidate, score)) in scored.into_iter().enumerate() {
            if score < self.thresholds.mapping || (rank > 0 && score < cut) {
                continue;
            }
            let mut evidence = vec![self.evidence(candidate.evidence, &hits, &items)];
            let coverage: Vec<&str> = k.model.processes[p]
                .activities
                .iter()
                .zip(&shown[p])
                .filter(|(_, shown)| **shown)
                .map(|(a, _)| a.id.rsplit('/').next().unwrap_or(&a.id))
                .collect();
            if !coverage.is_empty() {
                evidence.push(format!(
                    "shows {} of {} activities: {}",
                    coverage.len(),
                    shown[p].len(),
                    coverage.join(", ")
                ));
            }
            for (from, to) in &corrected {
                evidence.push(format!("read \"{from}\" as \"{to}\""));
            }
            if result.umbrella {
                // Partial matches of an umbrella name ("... management system") are artefacts
                // of its generic words; the umbrella mapping below says what it is.
                continue;
            }
            let relationship = candidate.relationship;
            result.mappings.push(Mapping {
                prm: k.model.processes[p].id.clone(),
                relationship,
                score: round2(score),
                source: candidate.source,
                evidence,
                missing_activities: missing(k, p, &shown[p]),
                declared: None,
            });
        }
        if result.umbrella {
            let evidence = umbrella.map(|(_, hit)| self.found(&hits[hit], &items));
            self.umbrella_mappings(&mut result, evidence, &shown);
        }
        self.merge_declared(process, &mut result, &shown, &hits);
        result.mappings.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| k.prm_index(&a.prm).cmp(&k.prm_index(&b.prm)))
        });
        let understood = items
            .iter()
            .any(|item| item.tokens().iter().any(|t| k.knows(t)));
        if result.mappings.is_empty() && result.control_area.is_none() && !understood {
            result.note = Some(
                "none of the words of the process is known to the reference data in any of the \
                 supported languages (en, de, fr, es, it, nl, pt): it is left unmapped rather \
                 than guessed; add a description or declare maps_to"
                    .into(),
            );
        }
        result
    }

    /// An umbrella process is anchored on governance-interface (superset: it is the whole ISMS).
    fn umbrella_mappings(
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
    fn merge_declared(
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

    /// A candidate's evidence in words.
    fn evidence(&self, evidence: Evidence, hits: &[Hit], items: &[Item]) -> String {
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
    fn found(&self, hit: &Hit, items: &[Item]) -> String {
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

    /// Share of an item's weighted words that any name, alias or code of an umbrella catalogue
    /// entry uses ("APO13 Managed Security" is all APO13). Only umbrella entries have their
    /// words precomputed; any other entry gives 0.
    fn entry_coverage(&self, catalogue: usize, entry: usize, item: &Item) -> f64 {
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
    fn is_topic_word(&self, token: &str) -> bool {
        let k = self.knowledge;
        k.knows(token)
            && k.weight(token) >= GENERIC_WEIGHT
            && !k.is_qualifier(token)
            && !k.is_document_kind(token)
    }

    /// The phrase behind a candidate, when it comes from one hit.
    fn phrase_of<'h>(&self, candidate: &Candidate, hits: &'h [Hit]) -> Option<&'k Phrase> {
        let hit = match candidate.evidence {
            Evidence::PrmName { hit }
            | Evidence::Contains { hit }
            | Evidence::Relation { hit, .. } => hit,
            Evidence::Activities { .. } => return None,
        };
        Some(&self.knowledge.phrases[hits[hit].phrase as usize])
    }

    /// The candidate's phrase has words of its own beyond qualifiers and document kinds.
    fn has_telling_words(&self, candidate: &Candidate, hits: &[Hit]) -> bool {
        self.phrase_of(candidate, hits)
            .is_some_and(|phrase| phrase.tokens.iter().any(|t| self.is_topic_word(t)))
    }

    /// The candidate's phrase names a document kind and nothing telling besides.
    fn rests_on_document_kind(&self, candidate: &Candidate, hits: &[Hit]) -> bool {
        let k = self.knowledge;
        self.phrase_of(candidate, hits).is_some_and(|phrase| {
            phrase.tokens.iter().any(|t| k.is_document_kind(t))
                && !phrase.tokens.iter().any(|t| self.is_topic_word(t))
        })
    }

    fn is_security_specific(&self, item: &Item) -> bool {
        let k = self.knowledge;
        k.security_qualifiers
            .iter()
            .any(|q| q.iter().all(|t| item.tokens().contains(t)))
            || (!k.security_words.is_empty() && {
                let folded = super::text::fold(item.text);
                k.security_words.iter().any(|w| folded.contains(w.as_str()))
            })
    }

    fn phrase_is_security_specific(&self, phrase: &Phrase) -> bool {
        self.knowledge
            .security_qualifiers
            .iter()
            .any(|q| q.iter().all(|t| phrase.tokens.contains(t)))
    }

    /// Whether the item names the catalogue (needed for bare clause numbers).
    fn names_catalogue(&self, tokens: &[String], target: Target) -> bool {
        let Target::Entry(c, _) = target else {
            return true;
        };
        self.catalogue_names[c]
            .iter()
            .any(|name| name.iter().all(|t| tokens.contains(t)))
    }

    /// Phrases that match a short title (the process name or a framework reference), scored by
    /// how much of the phrase is in the title and how much of the title the phrase explains.
    fn title_hits(&self, field: Field, text: &str, title: &[String], hits: &mut Vec<(u32, f64)>) {
        let k = self.knowledge;
        let v = &self.vocab;
        let mut tokens: Vec<&str> = title.iter().map(String::as_str).collect();
        // Catalogue names in a reference ("ITIL 4", "COBIT 2019") say which catalogue, not what
        // the process does: they do not count against the match.
        if field == Field::Framework {
            let names: Vec<&str> = self
                .catalogue_names
                .iter()
                .flatten()
                .flatten()
                .map(String::as_str)
                .collect();
            tokens.retain(|t| {
                !names.contains(t)
                    && !matches!(*t, "iso" | "iec" | "4" | "2019" | "2018" | "2015" | "2022")
            });
        }
        tokens.sort_unstable();
        tokens.dedup();
        // The title's distinct words as ids, in the same order; the known ones are ascending
        // (ids follow the order of the words), so membership is a binary search.
        let ids: Vec<u32> = tokens.iter().map(|t| v.id(t)).collect();
        let known: Vec<u32> = ids.iter().copied().filter(|&id| id != UNKNOWN).collect();
        let in_title = |id: &u32| known.binary_search(id).is_ok();
        let title_weight: f64 = ids.iter().map(|&id| v.weight(id)).sum();
        if title_weight <= 0.0 {
            return;
        }
        // The weight each phrase shares with the title, added up along the postings: a phrase
        // that shares clearly less than MIN_PHRASE_SHARE of its weight cannot match, and most
        // candidates share only a generic word ("management"), so they are dropped before the
        // exact scoring below (the margin leaves the borderline cases to it).
        let mut candidates: Vec<u32> = Vec::new();
        SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            shared.resize(k.phrases.len(), 0.0);
            for &token in &known {
                let weight = v.weight(token);
                for &id in v.postings(token) {
                    if shared[id as usize] == 0.0 {
                        candidates.push(id);
                    }
                    shared[id as usize] += weight;
                }
            }
            candidates.retain(|&id| {
                shared[id as usize] >= self.phrase_weights[id as usize] * (MIN_PHRASE_SHARE - 1e-6)
            });
            // Leave the table all zero for the next title (candidates holds every phrase
            // touched before the retain, so clear through the postings again).
            for &token in &known {
                for &id in v.postings(token) {
                    shared[id as usize] = 0.0;
                }
            }
        });
        candidates.sort_unstable();
        let mut seen: Vec<u32> = Vec::new();
        for id in candidates {
            let phrase = &k.phrases[id as usize];
            let words = v.phrase(id);
            if field == Field::Framework && !matches!(phrase.target, Target::Entry(..)) {
                continue;
            }
            if phrase.needs_catalogue && !self.names_catalogue(title, phrase.target) {
                continue;
            }
            if phrase.is_code && !written_as_code(text, &phrase.text) {
                continue;
            }
            seen.clear();
            let mut common = 0.0;
            for &word in words {
                if !seen.contains(&word) && in_title(&word) {
                    common += v.weight(word);
                }
                seen.push(word);
            }
            // The same sum, in the same order, as the phrase's words counted here.
            let phrase_weight = self.phrase_weights[id as usize];
            if common <= 0.0 || phrase_weight <= 0.0 {
                continue;
            }
            let phrase_share = (common / phrase_weight).min(1.0);
            let title_share = (common / title_weight).min(1.0);
            // Names and aliases may match in part; a keyword or activity term must be there whole.
            let whole_only = matches!(phrase.target, Target::Keyword(_) | Target::Activity(..));
            if phrase_share < MIN_PHRASE_SHARE || (whole_only && phrase_share < 0.999) {
                continue;
            }
            // A partial match may only lack generic words ("security", "management"), and only
            // when the title has no telling word of its own left over: "ISMS management review"
            // is not "ISMS change management", "Information security risk assessment" is not
            // "Information security risk management".
            if phrase_share < 0.999 {
                let lacks_telling = words
                    .iter()
                    .any(|w| !in_title(w) && v.weight(*w) >= GENERIC_WEIGHT);
                // Lacking only the security wording is fine (that is scored below); lacking
                // another generic word while the title has a telling word of its own is not.
                let lacks_other = words.iter().any(|w| !in_title(w) && !v.is_qualifier(*w));
                // An unknown word of the title is never in the phrase.
                let leaves_telling = ids
                    .iter()
                    .any(|t| !words.contains(t) && v.weight(*t) >= GENERIC_WEIGHT);
                if lacks_telling || (lacks_other && leaves_telling) {
                    continue;
                }
            }
            // A phrase made only of generic words ("Management information") says something
            // only when it is (nearly) the whole title.
            let all_generic = words.iter().all(|w| v.weight(*w) < GENERIC_WEIGHT);
            if all_generic && title_share < 0.8 {
                continue;
            }
            let mut score = 0.65 * phrase_share + 0.35 * title_share;
            if phrase.is_code && phrase_share >= 1.0 {
                score = score.max(0.95);
            }
            if score >= 0.45 {
                hits.push((id, score));
            }
        }
    }

    /// Phrases wholly contained in a longer text (description, activity, input...), looked up
    /// through their most telling token.
    fn contained_hits(&self, field: Field, text: &[String], hits: &mut Vec<(u32, f64)>) {
        let k = self.knowledge;
        let v = &self.vocab;
        let ids: Vec<u32> = text.iter().map(|t| v.id(t)).collect();
        // Distinct known words, ascending, which is the order of the words themselves; unknown
        // words anchor no phrase.
        let mut known: Vec<u32> = ids.iter().copied().filter(|&id| id != UNKNOWN).collect();
        known.sort_unstable();
        known.dedup();
        for &token in &known {
            for &id in v.anchored(token) {
                let phrase = &k.phrases[id as usize];
                if phrase.needs_catalogue && !self.names_catalogue(text, phrase.target) {
                    continue;
                }
                let words = v.phrase(id);
                if !words.iter().all(|w| known.binary_search(w).is_ok())
                    || !close_together(&ids, words)
                {
                    continue;
                }
                let specificity = (phrase.weight / 5.0).min(1.0);
                let base = if field == Field::Description {
                    0.75
                } else {
                    0.65
                };
                hits.push((id, base * specificity));
            }
        }
    }
}

/// Whether an acronym or letter code of the reference data ("CAB", "DE", "ICS") is written in
/// the text as a code: in the same letters and case, as a word of its own. Lowercase, an
/// acronym is an ordinary word in some language ("de", "ics" in "analytics"), and a code
/// matched as a word gives confident nonsense. Codes with digits or dots ("APO13", "ID.RA",
/// "8.5.1") are codes in any case.
fn written_as_code(text: &str, code: &str) -> bool {
    if code.bytes().any(|b| b.is_ascii_digit() || b == b'.') {
        return true;
    }
    // The same letters in any capitals ("SOA" for "SoA"), but not all lowercase; a two-letter
    // code exactly as written. Codes are ASCII: compare bytes in the text itself, so offsets
    // never move between two spellings of it.
    let (t, c) = (text.as_bytes(), code.as_bytes());
    if c.is_empty() || !code.is_ascii() || t.len() < c.len() {
        return false;
    }
    (0..=t.len() - c.len()).any(|at| {
        let written = &t[at..at + c.len()];
        let boundary =
            |b: Option<&u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric() && b.is_ascii());
        written.eq_ignore_ascii_case(c)
            && boundary(at.checked_sub(1).and_then(|i| t.get(i)))
            && boundary(t.get(at + c.len()))
            && if c.len() <= 2 {
                written == c
            } else {
                written.iter().any(u8::is_ascii_uppercase)
            }
    })
}

/// Whether the phrase's words occur near each other in the text (within a window a little
/// longer than the phrase), so that "security" in one sentence and "audit" in the next do not
/// make "security audit".
fn close_together(text: &[u32], phrase: &[u32]) -> bool {
    if phrase.len() < 2 {
        return true;
    }
    let window = phrase.len() + 2;
    (0..text.len()).any(|start| {
        let end = (start + window).min(text.len());
        phrase.iter().all(|t| text[start..end].contains(t))
    })
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

/// Keep the strongest hit (its index) for a slot; the first of equal scores stays.
fn keep_best(slot: &mut Option<(f64, usize)>, score: f64, hit: usize) {
    if slot.as_ref().is_none_or(|(s, _)| score > *s) {
        *slot = Some((score, hit));
    }
}

/// [`keep_best`] per control area; only scores above zero count.
fn keep_best_area(areas: &mut BTreeMap<usize, (f64, usize)>, area: usize, score: f64, hit: usize) {
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
fn best_candidate(candidates: &[Candidate], hits: &[Hit]) -> Option<Candidate> {
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
fn strongest<'c>(
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

fn activity_share(shown: &[bool]) -> f64 {
    if shown.is_empty() {
        return 0.0;
    }
    shown.iter().filter(|s| **s).count() as f64 / shown.len() as f64
}

fn missing(k: &Knowledge, p: usize, shown: &[bool]) -> Vec<String> {
    k.model.processes[p]
        .activities
        .iter()
        .zip(shown)
        .filter(|(_, shown)| !**shown)
        .map(|(a, _)| a.id.clone())
        .collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text.to_owned()
    }
}
