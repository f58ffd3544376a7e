//! The language a register is written in, from the small words only one of the supported
//! languages uses (articles, prepositions, conjunctions), counted over the processes' names,
//! descriptions and activities.

use super::Lang;
use crate::register::Process;

/// Function words that mark one language and no other of the seven (compared lowercase).
const MARKERS: &[(Lang, &[&str])] = &[
    (
        Lang::En,
        &[
            "the", "and", "of", "to", "for", "with", "from", "into", "by", "is", "are", "on",
            "all", "which", "its",
        ],
    ),
    (
        Lang::De,
        &[
            "und", "der", "die", "das", "für", "mit", "von", "zur", "zum", "den", "dem", "im",
            "ist", "sowie", "bei", "nach", "aller", "einer", "eines",
        ],
    ),
    (
        Lang::Fr,
        &[
            "le", "les", "et", "pour", "avec", "du", "au", "aux", "est", "une", "sur", "dans",
            "des",
        ],
    ),
    (
        Lang::Es,
        &[
            "el", "los", "las", "y", "para", "con", "del", "una", "por", "según", "sobre",
        ],
    ),
    (
        Lang::It,
        &[
            "il", "gli", "della", "delle", "dei", "degli", "per", "nel", "nella", "alla", "ai",
            "sul", "sulla",
        ],
    ),
    (
        Lang::Nl,
        &[
            "het", "een", "en", "van", "voor", "met", "bij", "naar", "op", "wordt", "zijn", "aan",
        ],
    ),
    (
        Lang::Pt,
        &[
            "os", "do", "da", "dos", "das", "para", "com", "uma", "em", "pelo", "pela", "ao", "não",
        ],
    ),
];

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
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            for (i, (_, words)) in MARKERS.iter().enumerate() {
                if words.contains(&word.as_str()) {
                    counts[i] += 1;
                }
            }
        }
    };
    for process in processes {
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
    fn a_short_or_mixed_register_has_no_dominant_language() {
        let p = process("Backup", "Nightly backup");
        assert_eq!(dominant([&p]), None);
        let en = process("A", "the and of to for with the and");
        let de = process("B", "und der die das für mit und der");
        assert_eq!(dominant([&en, &de]), None);
    }
}
