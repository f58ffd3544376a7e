//! Typo correction: a register word the reference data does not know is read as the closest
//! word it does know, if one is close enough ("incidnet" -> "incident").

use std::collections::HashMap;

/// The reference vocabulary, bucketed by length so a lookup compares a few hundred words.
#[derive(Debug, Default)]
pub struct TypoIndex {
    by_length: HashMap<usize, Vec<(String, Letters)>>,
}

/// How often each letter a-z occurs in a word.
type Letters = [u8; 26];

fn letters(word: &str) -> Letters {
    let mut counts = [0u8; 26];
    for b in word.bytes().filter(u8::is_ascii_lowercase) {
        let slot = &mut counts[usize::from(b - b'a')];
        *slot = slot.saturating_add(1);
    }
    counts
}

/// A lower bound of twice the edit distance: one edit (insertion, deletion, substitution or
/// transposition) changes the letter counts by two at most.
fn letter_difference(a: &Letters, b: &Letters) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| usize::from(x.abs_diff(*y)))
        .sum()
}

impl TypoIndex {
    pub fn new(vocabulary: &[&str]) -> Self {
        let mut by_length: HashMap<usize, Vec<(String, Letters)>> = HashMap::new();
        for word in vocabulary {
            if word.len() >= 5 && word.bytes().all(|b| b.is_ascii_lowercase()) {
                by_length
                    .entry(word.len())
                    .or_default()
                    .push(((*word).to_owned(), letters(word)));
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
        let counts = letters(word);
        let mut best: Option<(usize, &str)> = None;
        for length in word.len().saturating_sub(max_distance)..=word.len() + max_distance {
            for (candidate, candidate_counts) in self.by_length.get(&length).into_iter().flatten() {
                // Cheap filter: a typo rarely changes both the first and the last letter.
                if candidate.as_bytes()[0] != word.as_bytes()[0]
                    && candidate.as_bytes()[candidate.len() - 1] != word.as_bytes()[word.len() - 1]
                {
                    continue;
                }
                // Exact, so it never drops a word within reach; it spares most edit distances.
                if letter_difference(&counts, candidate_counts) > 2 * max_distance {
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

    #[test]
    fn the_letter_filter_bounds_twice_the_edit_distance() {
        let pairs = [
            ("incidnet", "incident"),  // transposition
            ("incident", "incidents"), // insertion
            ("incident", "incidemt"),  // substitution
            ("managment", "management"),
            ("sicherheit", "sicherhiet"),
        ];
        for (a, b) in pairs {
            let distance = strsim::damerau_levenshtein(a, b);
            assert!(
                letter_difference(&letters(a), &letters(b)) <= 2 * distance,
                "{a} {b}"
            );
        }
        assert_eq!(letter_difference(&letters("change"), &letters("chance")), 2);
    }
}
