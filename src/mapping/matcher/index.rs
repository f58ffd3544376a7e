//! From a process's text to what it matches: normalising and spelling correction, the
//! per-thread cache of texts already matched, and the tables a [`Mapper`] derives from the
//! knowledge base.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use foldhash::HashMap;
use prmlint_reference::FixedMap;

use crate::mapping::knowledge::{Knowledge, Target};
use crate::mapping::typo::TypoIndex;
use crate::mapping::vocab::Vocabulary;
use crate::source::register::Process;

use super::{Field, Item, Mapper};

/// What matching finds in one text of a field: the same in every process that has the text.
#[derive(Debug)]
pub(super) struct Matched {
    pub(super) tokens: Vec<String>,
    /// Phrases found, with their scores.
    pub(super) hits: Vec<(u32, f64)>,
    /// Unknown words read as known ones, in the order of the text.
    pub(super) corrected: Vec<(String, String)>,
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
pub(super) fn next_mapper_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The tables a [`Mapper`] derives from a knowledge base. They own their data, so they can be
/// built beside other work (the registers are read meanwhile) and handed to
/// [`Mapper::with_index`] with the same knowledge base.
#[derive(Debug)]
pub struct MapperIndex {
    pub(super) typos: TypoIndex,
    pub(super) catalogue_names: Vec<Vec<Vec<String>>>,
    pub(super) phrase_weights: Vec<f64>,
    pub(super) vocab: Vocabulary,
    pub(super) umbrella_words: FixedMap<(usize, usize), Vec<String>>,
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
        let mut umbrella_words: FixedMap<(usize, usize), Vec<String>> = FixedMap::default();
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
    /// Normalise, and read unknown words as the known word they most likely misspell.
    pub(super) fn tokens(
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
    pub(super) fn match_text(&self, field: Field, text: &str) -> Matched {
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
    pub(super) fn match_cached(&self, field: Field, text: &str) -> Rc<Matched> {
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

    pub(super) fn items<'p>(
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
}
