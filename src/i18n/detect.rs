//! The language a register is written in, from the small words only one of the supported
//! languages uses (articles, prepositions, conjunctions), counted over the processes' names,
//! descriptions and activities.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Lang;
use crate::source::register::Process;

/// Words that mark one language and no other of the seven (compared lowercase): function
/// words (articles, prepositions, conjunctions) and a few words of the field spelt only so in
/// that language. A word two languages share ("del", "para", "en", "die") is on no list; a
/// test checks that no word is on two.
const MARKERS: &[(Lang, &[&str])] = &[
    (
        Lang::En,
        &[
            "the", "and", "of", "to", "for", "with", "from", "into", "which", "its", "are", "by",
            "that", "this", "each",
        ],
    ),
    (
        Lang::De,
        &[
            "und",
            "der",
            "den",
            "dem",
            "für",
            "mit",
            "von",
            "zur",
            "zum",
            "im",
            "ist",
            "sowie",
            "bei",
            "nach",
            "einer",
            "eines",
            "werden",
            "wird",
            "auf",
            "informationssicherheit",
        ],
    ),
    (
        Lang::Fr,
        &[
            "les",
            "et",
            "pour",
            "avec",
            "du",
            "au",
            "aux",
            "est",
            "une",
            "sur",
            "dans",
            "selon",
            "sécurité",
            "gestion",
        ],
    ),
    (
        Lang::Es,
        &[
            "el",
            "los",
            "las",
            "y",
            "según",
            "sus",
            "también",
            "hasta",
            "seguridad",
            "gestión",
            "información",
        ],
    ),
    (
        Lang::It,
        &[
            "il",
            "gli",
            "di",
            "della",
            "delle",
            "dei",
            "degli",
            "nel",
            "nella",
            "alla",
            "ai",
            "sul",
            "sulla",
            "che",
            "è",
            "sicurezza",
            "gestione",
        ],
    ),
    (
        Lang::Nl,
        &[
            "het", "een", "van", "voor", "bij", "naar", "op", "wordt", "worden", "zijn", "aan",
            "door", "ook", "beheer",
        ],
    ),
    (
        Lang::Pt,
        &[
            "os",
            "dos",
            "com",
            "uma",
            "em",
            "pelo",
            "pela",
            "ao",
            "não",
            "são",
            "segurança",
            "gestão",
            "informação",
        ],
    ),
];

/// The language each marker word marks.
static MARKER_LANG: LazyLock<HashMap<&'static str, usize>> = LazyLock::new(|| {
    MARKERS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, words))| words.iter().map(move |w| (*w, i)))
        .collect()
});

/// Processes read to tell the language: enough for any register, and a bound on the time a
/// huge one takes.
const MAX_PROCESSES: usize = 2_000;

/// A word of two or more characters, all capitals or digits.
fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// The fewest marker words a register needs before its language is taken as known.
const MIN_MARKERS: usize = 5;

/// The language most of the register's text is written in, when one clearly leads (it has at
/// least [`MIN_MARKERS`] marker words and half again as many as the runner-up); `None` for a
/// register too short or too mixed to tell.
pub fn dominant<'a>(processes: impl IntoIterator<Item = &'a Process>) -> Option<Lang> {
    let mut counts = [0usize; 7];
    let mut count = |text: &str| {
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && w.len() <= 24)
        {
            // An acronym ("AI", "IM") is no function word of any language.
            if is_acronym(word) {
                continue;
            }
            let found = if word.chars().any(char::is_uppercase) {
                MARKER_LANG.get(word.to_lowercase().as_str())
            } else {
                MARKER_LANG.get(word)
            };
            if let Some(&i) = found {
                counts[i] += 1;
            }
        }
    };
    for process in processes.into_iter().take(MAX_PROCESSES) {
        count(&process.name);
        if let Some(description) = &process.description {
            count(description);
        }
        for activity in &process.activities {
            count(activity);
        }
    }
    let mut ranked: Vec<(usize, Lang)> = counts
        .iter()
        .zip(MARKERS)
        .map(|(n, (lang, _))| (*n, *lang))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let (first, lang) = ranked[0];
    let second = ranked[1].0;
    (first >= MIN_MARKERS && first * 2 >= second * 3).then_some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(name: &str, description: &str) -> Process {
        Process {
            id: "P".into(),
            name: name.into(),
            description: Some(description.into()),
            ..Process::default()
        }
    }

    #[test]
    fn each_language_is_told_from_a_few_sentences() {
        let cases = [
            (
                Lang::En,
                "Incident handling",
                "Records and resolves incidents with the service desk and reports them to the board.",
            ),
            (
                Lang::De,
                "Behandlung von Sicherheitsvorfällen",
                "Meldung und Bearbeitung der Vorfälle durch das CERT sowie Berichte an die Geschäftsführung und den ISB.",
            ),
            (
                Lang::Fr,
                "Gestion des incidents",
                "Enregistrer et traiter les incidents avec le centre de services et informer la direction du résultat.",
            ),
            (
                Lang::Es,
                "Gestión de incidentes",
                "Registrar y resolver los incidentes con el centro de servicios y para informar a la dirección del resultado.",
            ),
            (
                Lang::It,
                "Gestione degli incidenti",
                "Registrare e risolvere gli incidenti con il service desk e riferire alla direzione sul risultato per il riesame.",
            ),
            (
                Lang::Nl,
                "Incidentbeheer",
                "Het registreren en oplossen van incidenten met de servicedesk en rapporteren aan het bestuur voor een besluit.",
            ),
            (
                Lang::Pt,
                "Gestão de incidentes",
                "Registar e resolver os incidentes com o service desk e informar a gestão dos resultados para uma decisão.",
            ),
        ];
        for (lang, name, description) in cases {
            let p = process(name, description);
            assert_eq!(dominant([&p]), Some(lang), "{description}");
        }
    }

    #[test]
    fn no_word_marks_two_languages() {
        let mut seen: HashMap<&str, Lang> = HashMap::new();
        for (lang, words) in MARKERS {
            for word in *words {
                assert_eq!(*word, word.to_lowercase(), "{word}");
                if let Some(other) = seen.insert(word, *lang) {
                    panic!("`{word}` marks both {other:?} and {lang:?}");
                }
            }
        }
    }

    #[test]
    fn words_neighbouring_languages_share_do_not_mislead() {
        let cases = [
            (
                Lang::It,
                "Valutazione del rischio",
                "Identificazione e valutazione del rischio con una metodologia comune: il responsabile \
                 della sicurezza raccoglie gli scenari di minaccia e valuta l'impatto sulla \
                 continuità, che viene riesaminato nella riunione di direzione.",
            ),
            (
                Lang::Es,
                "Gestión de cambios",
                "Evaluar los cambios en el comité y registrar las decisiones en la herramienta.",
            ),
            (
                Lang::Pt,
                "Gestão de alterações",
                "As alterações são aprovadas pelo comité e registadas por escrito com uma justificação.",
            ),
            (
                Lang::Nl,
                "Wijzigingsbeheer",
                "Wijzigingen worden door het CAB beoordeeld en met een besluit vastgelegd; de eigenaar \
                 van het systeem zorgt voor de uitvoering.",
            ),
        ];
        for (lang, name, description) in cases {
            let p = process(name, description);
            assert_eq!(dominant([&p]), Some(lang), "{description}");
        }
    }

    #[test]
    fn a_short_or_mixed_register_has_no_dominant_language() {
        let p = process("Backup", "Nightly backup");
        assert_eq!(dominant([&p]), None);
        let en = process("A", "the and of to for with the and");
        let de = process("B", "und der die das für mit und der");
        assert_eq!(dominant([&en, &de]), None);
    }
}
