//! Folding and cutting text into words: case and diacritics, codes, stems.

use std::sync::OnceLock;

use super::lexicon::STOP_WORDS;

/// "IS" in capitals is the usual abbreviation of "information security" ("IS risk
/// assessment"); lowercased it would be lost as the stop word "is".
pub(super) fn expand_acronyms(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("IS") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 24);
    let mut rest = text;
    while let Some(at) = rest.find("IS") {
        let before = rest[..at].chars().next_back();
        let after = rest[at + 2..].chars().next();
        out.push_str(&rest[..at]);
        let standalone = !before.is_some_and(char::is_alphanumeric)
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '.');
        out.push_str(if standalone {
            "information security"
        } else {
            "IS"
        });
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Lowercase, transliterate German letters and strip common diacritics. Umlauts and their
/// ASCII spellings fold to the same base vowel (`ä`, `ae` -> `a`) so that "Änderung",
/// "Aenderung" and "Anderung" meet.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // ASCII, nearly all register text, needs no Unicode case tables.
        if c.is_ascii() {
            out.push(if c == '&' {
                ' '
            } else {
                c.to_ascii_lowercase()
            });
            continue;
        }
        for c in c.to_lowercase() {
            fold_char(c, &mut out);
        }
    }
    // ASCII transliterations of umlauts ("Aenderung"): fold the same way. Applied everywhere,
    // it only has to be consistent. (Each `replace` copies the text, so only where it applies.)
    for (from, to) in [("ae", "a"), ("oe", "o"), ("ue", "u")] {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// One lower-case character without its accent, onto `out`.
pub fn fold_char(c: char, out: &mut String) {
    match c {
        'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => out.push('a'),
        'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' => out.push('o'),
        'ü' | 'ù' | 'ú' | 'û' | 'ū' => out.push('u'),
        'é' | 'è' | 'ê' | 'ë' | 'ē' => out.push('e'),
        'í' | 'ì' | 'î' | 'ï' => out.push('i'),
        'ç' | 'č' => out.push('c'),
        'ñ' => out.push('n'),
        'ß' => out.push_str("ss"),
        'š' => out.push('s'),
        'ž' => out.push('z'),
        '&' => out.push(' '),
        c => out.push(c),
    }
}

/// Whether a word is in [`STOP_WORDS`]: a binary search in a sorted copy, because every word
/// of every text is looked up.
pub(super) fn is_stop_word(word: &str) -> bool {
    static SORTED: OnceLock<Vec<&'static str>> = OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut sorted = STOP_WORDS.to_vec();
            sorted.sort_unstable();
            sorted
        })
        .binary_search(&word)
        .is_ok()
}

/// Split folded text into words: runs of letters, digits and inner `-`, `.`, `/`.
pub(super) fn words(folded: &str) -> Vec<&str> {
    let mut words = Vec::new();
    // Byte offset where the current word started, if one has.
    let mut start: Option<usize> = None;
    let mut chars = folded.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let inner_joiner = matches!(c, '-' | '.' | '/')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_joiner {
            start.get_or_insert(at);
        } else if let Some(from) = start.take() {
            words.push(&folded[from..at]);
        }
    }
    if let Some(from) = start {
        words.push(&folded[from..]);
    }
    words
}

/// Spelling variants and synonyms that mean the same here, mapped to one form.
pub(super) fn canonical(word: &str) -> &str {
    match word {
        "vendor" | "vendors" => "supplier",
        "programme" | "programmes" => "program",
        "organisation" | "organisations" => "organization",
        "catalogue" => "catalog",
        "centre" => "center",
        "defence" => "defense",
        "licence" => "license",
        "behaviour" => "behavior",
        other => other,
    }
}

/// Catalogue codes: letters and digits joined by dots (`id.ra`, `der.2.1`, `8.5.1`,
/// `isms.1`), or letters followed by digits (`apo13`, `dss02`).
pub(super) fn is_code(word: &str) -> bool {
    let has_digit = word.bytes().any(|b| b.is_ascii_digit());
    let dotted = word.contains('.')
        && word
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if dotted {
        let parts: Vec<&str> = word.split('.').collect();
        let all_letters_short = parts
            .iter()
            .all(|p| p.len() <= 4 && p.bytes().all(|b| b.is_ascii_alphabetic()));
        // "id.ra" (2+2 letters) is a code; "e.g" is not.
        return has_digit || (all_letters_short && parts.iter().all(|p| p.len() >= 2));
    }
    let letters = word.bytes().take_while(u8::is_ascii_alphabetic).count();
    (2..=4).contains(&letters)
        && word.len() > letters
        && word[letters..].bytes().all(|b| b.is_ascii_digit())
}

/// A light stemmer for English and German: plural and common derivational endings.
pub fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    if w.len() <= 3 || w.bytes().any(|b| b.is_ascii_digit()) {
        return w;
    }
    // English.
    for (suffix, replacement, min) in [
        ("ies", "y", 5),
        ("sses", "ss", 6),
        ("ments", "", 8),
        ("ment", "", 7),
        ("ings", "", 7),
        ("ing", "", 6),
        ("ations", "ate", 8),
        ("ation", "ate", 7),
        ("ed", "", 5),
    ] {
        if w.len() >= min && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            w.push_str(replacement);
            break;
        }
    }
    // German plural/inflection endings, then English plural s.
    for (suffix, min) in [("ungen", 7), ("heiten", 8), ("keiten", 8), ("innen", 8)] {
        if w.len() >= min && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len() + suffix.len().min(3) - 1);
            break;
        }
    }
    if w.ends_with("ungen") {
        w.truncate(w.len() - 2);
    }
    for suffix in ["en", "er", "es"] {
        if w.len() >= 7 && w.ends_with(suffix) && !w.ends_with("ier") {
            w.truncate(w.len() - suffix.len());
            break;
        }
    }
    if w.len() >= 4
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
    if w.len() >= 5 && w.ends_with('e') {
        w.pop();
    }
    w
}
