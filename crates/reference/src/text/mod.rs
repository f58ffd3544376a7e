//! Text normalisation for matching: folding, tokens, codes, stems, German compounds.
//!
//! Everything that is compared goes through the same [`Normalizer`], reference data and
//! register text alike, so the rules only need to be consistent, not linguistically perfect.

mod fold;
mod lexicon;

use foldhash::HashMap;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{FixedMap, FixedSet};

pub use self::fold::fold_char;
use self::fold::{canonical, expand_acronyms, is_code, is_stop_word, words};
pub use self::fold::{fold, stem};
use self::lexicon::GERMAN_LEXICON;

/// Folds, tokenises and stems text. Holds the compound lexicon.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Normalizer {
    lexicon: FixedSet<String>,
    /// Stop words of the concept lexicon's languages (folded), beside [`lexicon::STOP_WORDS`].
    stop_words: FixedSet<String>,
    /// A word, normalised, read as the tokens of its concept's canonical English word
    /// ("proveedor" -> "supplier", "risiko" -> "risk").
    word_concepts: FixedMap<String, Vec<String>>,
    /// Several-word terms, as tokens after the word concepts, read as their concept
    /// ("copia security" from "copias de seguridad" -> "backup").
    phrase_concepts: FixedMap<Vec<String>, Vec<String>>,
    /// First tokens of the several-word terms, and the most tokens one has.
    phrase_starts: FixedSet<String>,
    longest_phrase: usize,
    /// Identifies the lexicon in the per-thread word cache: a new one for every change, and
    /// for every copy read back from the prebuilt index.
    #[serde(skip, default = "next_generation")]
    generation: u64,
}

/// Normalizers are equal when their lexicons are: the generation only names a lexicon.
impl PartialEq for Normalizer {
    fn eq(&self, other: &Self) -> bool {
        self.lexicon == other.lexicon
            && self.stop_words == other.stop_words
            && self.word_concepts == other.word_concepts
            && self.phrase_concepts == other.phrase_concepts
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer {
            lexicon: FixedSet::default(),
            stop_words: FixedSet::default(),
            word_concepts: FixedMap::default(),
            phrase_concepts: FixedMap::default(),
            phrase_starts: FixedSet::default(),
            longest_phrase: 0,
            generation: next_generation(),
        }
    }
}

/// Source of [`Normalizer::generation`] values.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Longest word (in bytes) split into a compound: "Informationssicherheitsmanagementsystem"
/// has 39.
const MAX_COMPOUND: usize = 64;

/// Most words one thread's cache holds before it starts again, far above the vocabulary of
/// real registers.
const WORD_CACHE_CAPACITY: usize = 50_000;

/// Most bytes of words and tokens one thread's cache holds before it starts again: a bound on
/// memory whatever the register holds (a word may be 100,000 characters long).
const WORD_CACHE_BYTES: usize = 16 << 20;

/// The tokens of each word seen by this thread, for the lexicon of one generation. Register
/// text repeats the same few thousand words; stemming and compound splitting each only once
/// is most of the cost of tokenising.
///
/// Its keys come from the register, so it uses a hash seeded at random per run (foldhash): a
/// crafted register cannot plan collisions.
#[derive(Default)]
struct WordCache {
    generation: u64,
    /// Bytes of the words and tokens held.
    bytes: usize,
    words: HashMap<Box<str>, Box<[String]>>,
}

thread_local! {
    static WORD_CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

impl Normalizer {
    pub fn new() -> Self {
        let mut normalizer = Normalizer::default();
        for word in GERMAN_LEXICON {
            normalizer.lexicon.insert(stem(word));
        }
        normalizer
    }

    /// The generation of the lexicon: a new one whenever it learns words (the per-thread word
    /// cache keys on it; the test of the prebuilt index compares it).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Teach the compound splitter the words of a reference term.
    pub fn learn(&mut self, text: &str) {
        let folded = fold(text);
        for word in words(&folded) {
            if word.len() >= 4 && !word.bytes().any(|b| b.is_ascii_digit()) {
                let stemmed = stem(word);
                if stemmed.len() >= 4 && !self.lexicon.contains(&stemmed) {
                    self.lexicon.insert(stemmed);
                    self.generation = next_generation();
                }
            }
        }
    }

    /// Add stop words of further languages (articles and prepositions: "de", "la", "van").
    pub fn learn_stop_words<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for word in words {
            self.stop_words.insert(fold(word));
        }
        self.generation = next_generation();
    }

    /// Read every term of a concept as the concept's canonical word from now on. Learn the
    /// terms first ([`Self::learn`]), so that compounds made of them split. One-word terms
    /// are read word by word; several-word terms as the token sequence they leave after the
    /// word concepts. The first concept to claim a term keeps it, and no term may rewrite a
    /// canonical word.
    pub fn learn_concepts<'a>(&mut self, concepts: &[(&'a str, Vec<&'a str>)]) {
        let canonical: Vec<Vec<String>> = concepts.iter().map(|(c, _)| self.tokens(c)).collect();
        let reserved: FixedSet<&str> = canonical
            .iter()
            .filter(|c| c.len() == 1)
            .map(|c| c[0].as_str())
            .collect();
        let mut several: Vec<(usize, &str)> = Vec::new();
        let mut word_concepts = FixedMap::default();
        for (i, (_, terms)) in concepts.iter().enumerate() {
            if canonical[i].is_empty() {
                continue;
            }
            for term in terms {
                let tokens = self.tokens(term);
                match tokens.as_slice() {
                    [] => {}
                    [one] => {
                        if !reserved.contains(one.as_str()) && tokens != canonical[i] {
                            word_concepts
                                .entry(one.clone())
                                .or_insert_with(|| canonical[i].clone());
                        }
                    }
                    _ => several.push((i, term)),
                }
            }
        }
        self.word_concepts = word_concepts;
        self.generation = next_generation();
        let mut phrase_concepts = FixedMap::default();
        for (i, term) in several {
            let tokens = self.tokens(term);
            if tokens.len() >= 2 && tokens != canonical[i] {
                phrase_concepts
                    .entry(tokens)
                    .or_insert_with(|| canonical[i].clone());
            }
        }
        self.phrase_starts = phrase_concepts.keys().map(|k| k[0].clone()).collect();
        self.longest_phrase = phrase_concepts.keys().map(Vec::len).max().unwrap_or(0);
        self.phrase_concepts = phrase_concepts;
        self.generation = next_generation();
    }

    /// Several-word concept terms in the tokens, each replaced by its canonical tokens,
    /// longest term first.
    fn read_phrase_concepts(&self, tokens: Vec<String>) -> Vec<String> {
        if self.longest_phrase < 2 || !tokens.iter().any(|t| self.phrase_starts.contains(t)) {
            return tokens;
        }
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            if self.phrase_starts.contains(&tokens[i]) {
                let longest = self.longest_phrase.min(tokens.len() - i);
                let found = (2..=longest).rev().find_map(|len| {
                    self.phrase_concepts
                        .get(&tokens[i..i + len])
                        .map(|canonical| (len, canonical))
                });
                if let Some((len, canonical)) = found {
                    out.extend(canonical.iter().cloned());
                    i += len;
                    continue;
                }
            }
            out.push(tokens[i].clone());
            i += 1;
        }
        out
    }

    /// The normalised tokens of a text, in order: codes kept whole (`apo13`, `id.ra`, `8.5.1`),
    /// stop words dropped, words stemmed, German compounds split into their parts.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let folded = fold(&expand_acronyms(text));
        let mut tokens = Vec::new();
        let raw = words(&folded);
        let mut i = 0;
        while i < raw.len() {
            let word = raw[i];
            // "APO 13" -> "apo13": a short letter group followed by a number is a code.
            if (2..=4).contains(&word.len())
                && word.bytes().all(|b| b.is_ascii_alphabetic())
                && raw
                    .get(i + 1)
                    .is_some_and(|next| next.len() <= 2 && next.bytes().all(|b| b.is_ascii_digit()))
            {
                let next = raw[i + 1];
                tokens.push(format!("{word}{next:0>2}"));
                i += 2;
                continue;
            }
            // "Annex A 5.24", "Anhang A 5.24": the control "A.5.24", not the clause "5.24".
            if word == "a"
                && raw.get(i + 1).is_some_and(|next| {
                    next.contains('.') && next.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                })
            {
                tokens.push(format!("a.{}", raw[i + 1].trim_end_matches('.')));
                i += 2;
                continue;
            }
            i += 1;
            self.word_tokens_cached(word, &mut tokens);
        }
        self.read_phrase_concepts(tokens)
    }

    /// [`Self::word_tokens`] through this thread's cache.
    fn word_tokens_cached(&self, word: &str, tokens: &mut Vec<String>) {
        WORD_CACHE.with(|cache| {
            let Ok(mut cache) = cache.try_borrow_mut() else {
                // Only reachable by re-entry, which tokenising never does; stay correct anyway.
                self.word_tokens(word, tokens);
                return;
            };
            if cache.generation != self.generation
                || cache.words.len() >= WORD_CACHE_CAPACITY
                || cache.bytes > WORD_CACHE_BYTES
            {
                cache.words.clear();
                cache.bytes = 0;
                cache.generation = self.generation;
            }
            if let Some(cached) = cache.words.get(word) {
                tokens.extend(cached.iter().cloned());
                return;
            }
            let start = tokens.len();
            self.word_tokens(word, tokens);
            let found = &tokens[start..];
            cache.bytes += word.len() + found.iter().map(|t| t.len() + 24).sum::<usize>() + 64;
            cache
                .words
                .insert(word.into(), found.to_vec().into_boxed_slice());
        });
    }

    /// The tokens of one word of folded text (not part of a two-word code such as "APO 13").
    fn word_tokens(&self, word: &str, tokens: &mut Vec<String>) {
        if is_code(word) {
            tokens.push(word.trim_end_matches('.').to_owned());
            return;
        }
        // Split on hyphen/slash, then dot, inside words; each part is a word of its own,
        // except codes ("ID.RA-06" is the code "id.ra" and the number "06").
        let parts = word
            .split(['-', '/'])
            .filter(|p| !p.is_empty())
            .flat_map(|piece| {
                if is_code(piece) {
                    vec![piece.trim_end_matches('.')]
                } else {
                    piece.split('.').filter(|p| !p.is_empty()).collect()
                }
            });
        for part in parts {
            if is_stop_word(part) || self.stop_words.contains(part) {
                continue;
            }
            if is_code(part) && part.contains('.') {
                tokens.push(part.to_owned());
                continue;
            }
            if part.bytes().all(|b| b.is_ascii_digit()) {
                tokens.push(part.to_owned());
                continue;
            }
            let stemmed = stem(canonical(part));
            if stemmed.is_empty() {
                continue;
            }
            let start = tokens.len();
            // The stem first; when that fails, the word as written: stemming can cut the last
            // part of a compound below a known word (Dutch "wijzigingsbeheer" stems to
            // "wijzigingsbeh"); the parts are stemmed one by one either way.
            match self
                .split_compound(&stemmed)
                .or_else(|| self.split_compound(canonical(part)))
            {
                Some(parts) => tokens.extend(parts),
                None => tokens.push(stemmed),
            }
            if !self.word_concepts.is_empty() {
                let found: Vec<String> = tokens.drain(start..).collect();
                for token in found {
                    match self.word_concepts.get(&token) {
                        Some(canonical) => tokens.extend(canonical.iter().cloned()),
                        None => tokens.push(token),
                    }
                }
            }
        }
    }

    /// Split a long word into known words ("sicherheitsvorfallbehandlung" -> "sicherheit",
    /// "vorfall", "behandlung"), allowing the German linking letters s/es/n/en between them.
    fn split_compound(&self, word: &str) -> Option<Vec<String>> {
        // Splitting tries every head length, each stemmed: quadratic in the word's length, so
        // only words of a length real compounds have are split.
        if word.len() < 9
            || word.len() > MAX_COMPOUND
            || self.lexicon.contains(word) && word.len() < 14
        {
            return None;
        }
        self.split_from(word, 0)
    }

    fn split_from(&self, word: &str, depth: usize) -> Option<Vec<String>> {
        if depth > 4 {
            return None;
        }
        // A known long word is split into known parts all the same ("lieferantenbeziehungen"
        // into "lieferant" and "beziehung"), so that each part can be read as its concept
        // and the compound meets the same words written apart or in another language.
        if self.lexicon.contains(word) && word.len() < 14 {
            return Some(vec![word.to_owned()]);
        }
        // Prefer the longest known head, so "informationssicherheit" takes "information".
        for head_len in (4..=word.len().saturating_sub(4)).rev() {
            if !word.is_char_boundary(head_len) {
                continue;
            }
            let head = &word[..head_len];
            let head_known = self.lexicon.contains(head)
                || self.lexicon.contains(&stem(head))
                || (head.len() > 5 && self.lexicon.contains(&format!("{head}e")));
            if !head_known {
                continue;
            }
            let mut rest = &word[head_len..];
            for linking in ["s", "es", "n", "en"] {
                if let Some(tail) = rest.strip_prefix(linking)
                    && tail.len() >= 4
                    && self.split_from(tail, depth + 1).is_some()
                {
                    rest = tail;
                    break;
                }
            }
            if rest.len() < 4 {
                continue;
            }
            if let Some(parts) = self.split_from(&stem(rest), depth + 1) {
                let head = stem(head);
                let mut all = if head.len() >= 14 {
                    self.split_from(&head, depth + 1)
                        .unwrap_or_else(|| vec![head.clone()])
                } else {
                    vec![head]
                };
                all.extend(parts);
                return Some(all);
            }
        }
        self.lexicon.contains(word).then(|| vec![word.to_owned()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        Normalizer::new().tokens(text)
    }

    #[test]
    fn umlauts_and_transliterations_fold_together() {
        assert_eq!(
            tokens("Änderungsmanagement"),
            tokens("Aenderungs-Management")
        );
        assert_eq!(fold("Maßnahme"), "massnahme");
    }

    #[test]
    fn german_compounds_split_into_lexicon_words() {
        let sorted = |text: &str| {
            let mut t = tokens(text);
            t.sort();
            t
        };
        assert_eq!(
            sorted("Sicherheitsvorfallbehandlung"),
            sorted("Behandlung von Sicherheitsvorfällen")
        );
        assert_eq!(
            sorted("Informationssicherheitsmanagement"),
            sorted("Management der Informationssicherheit")
        );
    }

    #[test]
    fn codes_survive_tokenising() {
        assert_eq!(
            tokens("APO13 Managed Security"),
            vec!["apo13", "manag", "security"]
        );
        assert_eq!(tokens("APO 13"), vec!["apo13"]);
        assert_eq!(tokens("IS risk"), tokens("information security risk"));
        assert_eq!(tokens("ISMS.1"), vec!["isms.1"]);
        assert_eq!(tokens("ID.RA risk"), vec!["id.ra", "risk"]);
        assert_eq!(tokens("ID.RA-06"), vec!["id.ra", "06"]);
        assert_eq!(tokens("DER.2.1 Behandlung"), vec!["der.2.1", "behandlung"]);
        assert_eq!(tokens("ISO 22301 8.4"), vec!["iso", "22301", "8.4"]);
    }

    #[test]
    fn plurals_and_endings_meet_their_stem() {
        assert_eq!(stem("assessments"), stem("assessment"));
        assert_eq!(stem("policies"), stem("policy"));
        assert_eq!(stem("incidents"), stem("incident"));
        assert_eq!(stem("managing"), stem("manage"));
    }
}
