//! Word ids for the matcher's inner loops: the words of the reference data numbered in sorted
//! order, so that sorting and comparing ids agrees with sorting and comparing the words, and
//! each word's weight, phrases and anchors are read from a table instead of a hash lookup of
//! the string.

use prmlint_reference::FixedMap;

use super::knowledge::Knowledge;

/// Stands for a word the reference data never uses (no phrase has it).
pub(super) const UNKNOWN: u32 = u32::MAX;

/// The reference data's words by id. Owns its tables, so it can be built beside other work
/// before the knowledge base is borrowed by a mapper.
#[derive(Debug)]
pub(super) struct Vocabulary {
    ids: FixedMap<Box<str>, u32>,
    weights: Vec<f64>,
    unknown_weight: f64,
    /// Phrases containing each word.
    postings: Vec<Vec<u32>>,
    /// Phrases anchored on each word (ascending): long text is searched only through these.
    anchored: Vec<Vec<u32>>,
    /// Each phrase's words, in phrase order.
    phrases: Vec<Vec<u32>>,
    /// Whether each word belongs to a security qualifier ("information", "security", ...).
    qualifier: Vec<bool>,
}

impl Vocabulary {
    pub(super) fn new(knowledge: &Knowledge) -> Self {
        let words = knowledge.vocabulary();
        let ids: FixedMap<Box<str>, u32> = words
            .iter()
            .enumerate()
            .map(|(i, word)| (Box::from(*word), i as u32))
            .collect();
        let id = |word: &str| ids.get(word).copied().unwrap_or(UNKNOWN);
        let phrases: Vec<Vec<u32>> = knowledge
            .phrases
            .iter()
            .map(|phrase| phrase.tokens.iter().map(|t| id(t)).collect())
            .collect();
        let mut anchored = vec![Vec::new(); words.len()];
        for (p, (phrase, tokens)) in knowledge.phrases.iter().zip(&phrases).enumerate() {
            if let Some(list) = tokens
                .get(phrase.anchor)
                .and_then(|&word| anchored.get_mut(word as usize))
            {
                list.push(p as u32);
            }
        }
        let mut qualifier = vec![false; words.len()];
        for word in knowledge.security_qualifiers.iter().flatten() {
            if let Some(slot) = qualifier.get_mut(id(word) as usize) {
                *slot = true;
            }
        }
        Vocabulary {
            weights: words.iter().map(|w| knowledge.weight(w)).collect(),
            unknown_weight: knowledge.unknown_weight,
            postings: words
                .iter()
                .map(|w| knowledge.phrases_with(w).to_vec())
                .collect(),
            anchored,
            phrases,
            qualifier,
            ids,
        }
    }

    /// The id of a word, or [`UNKNOWN`].
    pub(super) fn id(&self, word: &str) -> u32 {
        self.ids.get(word).copied().unwrap_or(UNKNOWN)
    }

    /// The weight of a word (the weight of unknown words for [`UNKNOWN`]).
    pub(super) fn weight(&self, id: u32) -> f64 {
        self.weights
            .get(id as usize)
            .copied()
            .unwrap_or(self.unknown_weight)
    }

    pub(super) fn postings(&self, id: u32) -> &[u32] {
        self.postings.get(id as usize).map_or(&[], Vec::as_slice)
    }

    pub(super) fn anchored(&self, id: u32) -> &[u32] {
        self.anchored.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// A phrase's words, in phrase order.
    pub(super) fn phrase(&self, phrase: u32) -> &[u32] {
        self.phrases.get(phrase as usize).map_or(&[], Vec::as_slice)
    }

    pub(super) fn is_qualifier(&self, id: u32) -> bool {
        self.qualifier.get(id as usize).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_order_of_the_words() {
        let knowledge =
            crate::load::reference::embedded_knowledge().unwrap_or_else(|e| panic!("{e}"));
        let vocab = Vocabulary::new(&knowledge);
        let words = knowledge.vocabulary();
        assert!(words.len() > 1000);
        for pair in words.windows(2) {
            assert!(vocab.id(pair[0]) < vocab.id(pair[1]));
        }
        assert_eq!(vocab.id("no-such-word-anywhere"), UNKNOWN);
        assert_eq!(vocab.weight(UNKNOWN), knowledge.unknown_weight);
        for (p, phrase) in knowledge.phrases.iter().enumerate() {
            let ids = vocab.phrase(p as u32);
            assert_eq!(ids.len(), phrase.tokens.len());
            assert!(ids.iter().all(|&id| id != UNKNOWN));
            let anchor = ids[phrase.anchor];
            assert!(vocab.anchored(anchor).contains(&(p as u32)));
        }
    }
}
