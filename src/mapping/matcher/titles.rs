//! Finding reference phrases in a process's text: in short titles (the name, a framework
//! reference) by the share of weight they have in common, in longer texts by containment.

use crate::mapping::knowledge::Target;
use crate::mapping::vocab::UNKNOWN;

use super::{Field, GENERIC_WEIGHT, MIN_PHRASE_SHARE, Mapper};

thread_local! {
    /// Per phrase, the weight it shares with the title being matched; all zero between
    /// titles. One table per thread instead of one allocation per title. `title_hits` must
    /// leave it all zero (nothing in between can panic or re-enter), or later titles on the
    /// thread would be scored wrongly.
    static SHARED: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A short title being matched: the process name or a framework reference.
#[derive(Debug)]
struct Title<'t> {
    field: Field,
    /// As written, for codes that must be written as codes.
    text: &'t str,
    /// Normalised.
    tokens: &'t [String],
    /// Its distinct words as ids (see [`Mapper::title_words`]).
    ids: Vec<u32>,
    /// The known ones among `ids`, ascending.
    known: Vec<u32>,
    /// The summed weight of `ids`.
    weight: f64,
}

impl Title<'_> {
    fn has(&self, word: u32) -> bool {
        self.known.binary_search(&word).is_ok()
    }
}

impl<'k> Mapper<'k> {
    /// Whether the item names the catalogue (needed for bare clause numbers).
    pub(super) fn names_catalogue(&self, tokens: &[String], target: Target) -> bool {
        let Target::Entry(c, _) = target else {
            return true;
        };
        self.catalogue_names[c]
            .iter()
            .any(|name| name.iter().all(|t| tokens.contains(t)))
    }

    /// Phrases that match a short title (the process name or a framework reference), scored by
    /// how much of the phrase is in the title and how much of the title the phrase explains.
    pub(super) fn title_hits(
        &self,
        field: Field,
        text: &str,
        title: &[String],
        hits: &mut Vec<(u32, f64)>,
    ) {
        let ids = self.title_words(field, title);
        let v = &self.vocab;
        let title = Title {
            field,
            text,
            tokens: title,
            known: ids.iter().copied().filter(|&id| id != UNKNOWN).collect(),
            weight: ids.iter().map(|&id| v.weight(id)).sum(),
            ids,
        };
        if title.weight <= 0.0 {
            return;
        }
        let mut seen: Vec<u32> = Vec::new();
        for id in self.sharing_phrases(&title.known) {
            if let Some(score) = self.title_score(&title, id, &mut seen) {
                hits.push((id, score));
            }
        }
    }

    /// The title's distinct words as ids, in the order of the words; the known ones are
    /// ascending (ids follow the order of the words), so membership is a binary search.
    fn title_words(&self, field: Field, title: &[String]) -> Vec<u32> {
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
        tokens.iter().map(|t| self.vocab.id(t)).collect()
    }

    /// The phrases that may match a title with these known words, ascending. The weight each
    /// phrase shares with the title is added up along the postings: a phrase that shares
    /// clearly less than MIN_PHRASE_SHARE of its weight cannot match, and most candidates
    /// share only a generic word ("management"), so they are dropped before the exact scoring
    /// (the margin leaves the borderline cases to it).
    fn sharing_phrases(&self, known: &[u32]) -> Vec<u32> {
        let v = &self.vocab;
        let mut candidates: Vec<u32> = Vec::new();
        SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            shared.resize(self.knowledge.phrases.len(), 0.0);
            for &token in known {
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
            for &token in known {
                for &id in v.postings(token) {
                    shared[id as usize] = 0.0;
                }
            }
        });
        candidates.sort_unstable();
        candidates
    }

    /// The score of phrase `id` against the title, if it matches. `seen` is scratch space.
    fn title_score(&self, title: &Title, id: u32, seen: &mut Vec<u32>) -> Option<f64> {
        let v = &self.vocab;
        let phrase = &self.knowledge.phrases[id as usize];
        let words = v.phrase(id);
        if title.field == Field::Framework && !matches!(phrase.target, Target::Entry(..)) {
            return None;
        }
        if phrase.needs_catalogue && !self.names_catalogue(title.tokens, phrase.target) {
            return None;
        }
        if phrase.is_code && !written_as_code(title.text, &phrase.text) {
            return None;
        }
        seen.clear();
        let mut common = 0.0;
        for &word in words {
            if !seen.contains(&word) && title.has(word) {
                common += v.weight(word);
            }
            seen.push(word);
        }
        // The same sum, in the same order, as the phrase's words counted here.
        let phrase_weight = self.phrase_weights[id as usize];
        if common <= 0.0 || phrase_weight <= 0.0 {
            return None;
        }
        let phrase_share = (common / phrase_weight).min(1.0);
        let title_share = (common / title.weight).min(1.0);
        // Names and aliases may match in part; a keyword or activity term must be there whole.
        let whole_only = matches!(phrase.target, Target::Keyword(_) | Target::Activity(..));
        if phrase_share < MIN_PHRASE_SHARE || (whole_only && phrase_share < 0.999) {
            return None;
        }
        if phrase_share < 0.999 && !self.may_match_in_part(title, words) {
            return None;
        }
        // A phrase made only of generic words ("Management information") says something only
        // when it is (nearly) the whole title.
        let all_generic = words.iter().all(|w| v.weight(*w) < GENERIC_WEIGHT);
        if all_generic && title_share < 0.8 {
            return None;
        }
        let mut score = 0.65 * phrase_share + 0.35 * title_share;
        if phrase.is_code && phrase_share >= 1.0 {
            score = score.max(0.95);
        }
        (score >= 0.45).then_some(score)
    }

    /// A partial match may only lack generic words ("security", "management"), and only when
    /// the title has no telling word of its own left over: "ISMS management review" is not
    /// "ISMS change management", "Information security risk assessment" is not "Information
    /// security risk management".
    fn may_match_in_part(&self, title: &Title, words: &[u32]) -> bool {
        let v = &self.vocab;
        let lacks_telling = words
            .iter()
            .any(|w| !title.has(*w) && v.weight(*w) >= GENERIC_WEIGHT);
        // Lacking only the security wording is fine (that is scored later); lacking another
        // generic word while the title has a telling word of its own is not.
        let lacks_other = words.iter().any(|w| !title.has(*w) && !v.is_qualifier(*w));
        // An unknown word of the title is never in the phrase.
        let leaves_telling = title
            .ids
            .iter()
            .any(|t| !words.contains(t) && v.weight(*t) >= GENERIC_WEIGHT);
        !(lacks_telling || (lacks_other && leaves_telling))
    }

    /// Phrases wholly contained in a longer text (description, activity, input...), looked up
    /// through their most telling token.
    pub(super) fn contained_hits(&self, field: Field, text: &[String], hits: &mut Vec<(u32, f64)>) {
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
pub(super) fn written_as_code(text: &str, code: &str) -> bool {
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
pub(super) fn close_together(text: &[u32], phrase: &[u32]) -> bool {
    if phrase.len() < 2 {
        return true;
    }
    let window = phrase.len() + 2;
    (0..text.len()).any(|start| {
        let end = (start + window).min(text.len());
        phrase.iter().all(|t| text[start..end].contains(t))
    })
}
