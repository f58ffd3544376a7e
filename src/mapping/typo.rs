//! Typo correction: a register word the reference data does not know is read as the closest
//! word it does know, if one is close enough ("incidnet" -> "incident").

use std::collections::HashMap;

/// The reference vocabulary, bucketed by length so a lookup compares a few hundred words.
#[derive(Debug, Default)]
pub struct TypoIndex {
    by_length: HashMap<usize, Vec<String>>,
}

impl TypoIndex {
    pub fn new(vocabulary: &[&str]) -> Self {
        let mut by_length: HashMap<usize, Vec<String>> = HashMap::new();
        for word in vocabulary {
            if word.len() >= 5 && word.bytes().all(|b| b.is_ascii_lowercase()) {
                by_length
                    .entry(word.len())
                    .or_default()
                    .push((*word).to_owned());
            }
        }
        TypoIndex { by_length }
    }

    /// The known word within one edit (two for long words, transpositions count once), or None.
    pub fn correct(&self, word: &str) -> Option<String> {
        if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let max_distance = if word.len() >= 9 { 2 } else { 1 };
        let mut best: Option<(usize, &str)> = None;
        for length in word.len().saturating_sub(max_distance)..=word.len() + max_distance {
            for candidate in self.by_length.get(&length).into_iter().flatten() {
                // Cheap filter: a typo rarely changes both the first and the last letter.
                if candidate.as_bytes()[0] != word.as_bytes()[0]
                    && candidate.as_bytes()[candidate.len() - 1] != word.as_bytes()[word.len() - 1]
                {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, candidate);
                if distance <= max_distance
                    && best.is_none_or(|(d, c)| (distance, candidate.as_str()) < (d, c))
                {
                    best = Some((distance, candidate));
                }
            }
        }
        best.map(|(_, c)| c.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrects_one_edit_and_leaves_far_words_alone() {
        let index = TypoIndex::new(&["incident", "change", "management"]);
        assert_eq!(index.correct("incidnet").as_deref(), Some("incident"));
        assert_eq!(index.correct("chnage").as_deref(), Some("change"));
        assert_eq!(index.correct("canteen"), None);
    }
}
