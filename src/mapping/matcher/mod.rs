//! Scoring a register process against the knowledge base, in stages: the process's texts are
//! matched against the reference phrases (`index`, `titles`), each hit becomes candidates
//! (`candidates`), the candidates are weighed per PRM process, and the verdict says what the
//! process is and which mappings are reported with which evidence (`verdict`, `evidence`).

mod candidates;
mod evidence;
mod index;
mod titles;
mod verdict;

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Mutex;

use foldhash::HashMap;
use prmlint_reference::FixedMap;

use crate::source::register::{Process, Relationship};

use super::knowledge::{Knowledge, Target};
use super::typo::TypoIndex;
use super::vocab::Vocabulary;
use super::{ProcessMapping, Source};

pub use self::index::MapperIndex;
use self::index::{Matched, next_mapper_id};

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
    umbrella_words: FixedMap<(usize, usize), Vec<String>>,
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

    /// Map one register process: find what its text matches, turn the hits into candidates,
    /// weigh them per PRM process, decide what kind of process it is, and report the
    /// mappings with their evidence.
    pub fn map(&self, process: &Process) -> ProcessMapping {
        let k = self.knowledge;
        let signals = self.signals(process);
        let (candidates, kinds) = self.candidates(&signals);
        let mut scored = self.weigh(candidates, &signals);
        let best_prm = scored.first().map_or(0.0, |s| s.2);
        let mut result = ProcessMapping {
            security_specific: signals.security_specific,
            ..ProcessMapping::default()
        };
        self.classify(&mut result, &mut scored, best_prm, &kinds, &signals);
        self.report(&mut result, scored, best_prm, kinds.umbrella, &signals);
        self.merge_declared(process, &mut result, &signals.shown, &signals.hits);
        result.mappings.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| k.prm_index(&a.prm).cmp(&k.prm_index(&b.prm)))
        });
        let understood = signals
            .items
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

    /// What the process's text matches, before anything is weighed.
    fn signals<'p>(&self, process: &'p Process) -> Signals<'p> {
        let k = self.knowledge;
        let mut corrected = Vec::new();
        let items = self.items(process, &mut corrected);
        let name = items.iter().position(|i| i.field == Field::Name);
        let security_specific = name.is_some_and(|i| self.is_security_specific(&items[i]));

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

        // (Framework references reach only catalogue entries, so they do not count here yet.)
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
        Signals {
            items,
            corrected,
            hits,
            name,
            security_specific,
            shown,
            isms_in_text,
        }
    }
}

/// What one process's text matches, before anything is weighed.
#[derive(Debug)]
struct Signals<'p> {
    /// The process's texts, name first, each normalised and matched.
    items: Vec<Item<'p>>,
    /// Unknown words read as known ones, over all items, first occurrence first.
    corrected: Vec<(String, String)>,
    /// Every phrase found, item by item.
    hits: Vec<Hit>,
    /// Index of the name among `items` (a name that normalises to nothing has none).
    name: Option<usize>,
    /// The name says the process is about (information) security.
    security_specific: bool,
    /// Per PRM process (by index), which of its activities the text shows.
    shown: Vec<Vec<bool>>,
    /// Per PRM process, whether the rest of the text names it in its security-specific
    /// wording ("incl. internal ISMS audits"): a generic name ("Interne Revision") then runs
    /// the ISMS variant, as a security-specific name would.
    isms_in_text: Vec<bool>,
}

/// What the hits say besides PRM candidates. Each slot keeps the best score and its hit.
#[derive(Debug, Default)]
struct Kinds {
    /// Per control area (by index), the best hit on it.
    areas: BTreeMap<usize, (f64, usize)>,
    /// The best hit on a catalogue entry that relates to nothing in the PRM.
    unrelated: Option<(f64, usize)>,
    /// The best hit of the name on an umbrella entry that makes up (nearly) the whole name.
    umbrella: Option<(f64, usize)>,
    /// Text besides the name matches an umbrella entry.
    umbrella_in_text: bool,
}
