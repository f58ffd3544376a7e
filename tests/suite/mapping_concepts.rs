//! The concept lexicon (`mappings/concepts.json`) and what it does to the mapping: process
//! names in the seven supported languages are read onto the reference vocabulary, and
//! catalogue codes only match when written as codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use prmlint::mapping::{Knowledge, Mapper, ProcessMapping, Thresholds};
use prmlint::source::register::Process;
use serde_json::Value;

const LANGUAGES: [&str; 7] = ["en", "de", "fr", "es", "it", "nl", "pt"];

fn knowledge() -> Knowledge {
    prmlint::load::reference::embedded_knowledge().expect("embedded data loads")
}

fn map(knowledge: &Knowledge, name: &str) -> ProcessMapping {
    let mapper = Mapper::new(knowledge, Thresholds::default());
    mapper.map(&Process {
        id: "P-1".into(),
        name: name.into(),
        ..Process::default()
    })
}

fn load(relative: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn concept_lexicon_validates_against_its_schema() {
    let schema = load("schema/concepts.schema.json");
    let data = load("mappings/concepts.json");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn every_supported_language_has_stop_words_and_most_concepts() {
    let data = load("mappings/concepts.json");
    let concepts = data["concepts"].as_array().unwrap();
    for lang in LANGUAGES {
        let with_terms = concepts
            .iter()
            .filter(|c| c["terms"][lang].as_array().is_some_and(|t| !t.is_empty()))
            .count();
        // English is the reference data's own language: only synonyms need listing.
        let floor = if lang == "en" {
            20
        } else {
            concepts.len() * 8 / 10
        };
        assert!(
            with_terms >= floor,
            "{lang}: only {with_terms} of {} concepts have terms",
            concepts.len()
        );
        if !matches!(lang, "en" | "de") {
            assert!(
                data["stop_words"][lang]
                    .as_array()
                    .is_some_and(|w| w.len() >= 10),
                "{lang} has no stop words"
            );
        }
    }
}

#[test]
fn no_term_is_claimed_by_two_concepts_in_one_language() {
    let data = load("mappings/concepts.json");
    let mut owners: std::collections::BTreeMap<(String, String), String> = Default::default();
    let mut clashes = Vec::new();
    for concept in data["concepts"].as_array().unwrap() {
        let id = concept["id"].as_str().unwrap();
        for (lang, terms) in concept["terms"].as_object().unwrap() {
            for term in terms.as_array().unwrap() {
                let key = (lang.clone(), term.as_str().unwrap().to_lowercase());
                if let Some(other) = owners.insert(key.clone(), id.to_owned())
                    && other != id
                {
                    clashes.push(format!("{key:?}: {other} and {id}"));
                }
            }
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

/// Function words of the seven languages, some of them spelled like a catalogue code of the
/// reference data ("DE" is the NIST CSF Detect function, "ID" Identify, "PR" Protect).
const ORDINARY_WORDS: &[&str] = &[
    "de", "la", "el", "les", "des", "du", "di", "da", "do", "dos", "das", "en", "et", "y", "e",
    "i", "o", "op", "te", "het", "van", "een", "il", "lo", "gli", "per", "con", "para", "por",
    "pour", "sur", "und", "der", "die", "of", "and", "the", "id", "pr", "rs", "gv", "rc", "it",
    "is", "ics", "soc", "cab", "bia",
];

#[test]
fn ordinary_words_in_any_language_never_match_a_code() {
    let knowledge = knowledge();
    for word in ORDINARY_WORDS {
        let mapped = map(&knowledge, word);
        assert!(
            mapped.mappings.is_empty() && mapped.control_area.is_none() && !mapped.umbrella,
            "{word:?} mapped to {:?} / {:?}",
            mapped.mappings.first().map(|m| (&m.prm, &m.evidence)),
            mapped.control_area
        );
    }
    // Whole names made of ordinary words and a topic: the topic decides, never "de".
    for (name, area) in [
        ("Copias de seguridad", "backup"),
        ("Cópias de segurança", "backup"),
        ("Gestión de accesos", "identity-access"),
        ("Gestion des accès", "identity-access"),
        ("Gestione degli accessi", "identity-access"),
    ] {
        let mapped = map(&knowledge, name);
        assert_eq!(mapped.control_area.as_deref(), Some(area), "{name}");
        assert!(
            mapped
                .mappings
                .iter()
                .all(|m| m.prm != "incident-management"),
            "{name}: {:?}",
            mapped.mappings
        );
    }
}

#[test]
fn codes_written_as_codes_still_match() {
    let knowledge = knowledge();
    for (name, prm) in [
        ("ID.RA", "risk-assessment"),
        ("APO12", "risk-assessment"),
        ("DSS02 incidents", "incident-management"),
        ("CAB", "change-management"),
    ] {
        let mapped = map(&knowledge, name);
        assert_eq!(
            mapped.best().map(|m| m.prm.as_str()),
            Some(prm),
            "{name}: {:?}",
            mapped.mappings
        );
    }
}

#[test]
fn the_same_process_named_in_seven_languages_maps_to_one_prm_process() {
    let knowledge = knowledge();
    let cases: &[(&str, [&str; 7])] = &[
        (
            "outsourced-services",
            [
                "Supplier management",
                "Lieferantenmanagement",
                "Gestion des fournisseurs",
                "Gestión de proveedores",
                "Gestione dei fornitori",
                "Leveranciersmanagement",
                "Gestão de fornecedores",
            ],
        ),
        (
            "risk-assessment",
            [
                "Information security risk assessment",
                "Risikobeurteilung der Informationssicherheit",
                "Appréciation des risques de sécurité de l'information",
                "Evaluación de riesgos de seguridad de la información",
                "Valutazione dei rischi per la sicurezza delle informazioni",
                "Risicobeoordeling informatiebeveiliging",
                "Avaliação de riscos de segurança da informação",
            ],
        ),
        (
            "incident-management",
            [
                "Security incident management",
                "Management von Sicherheitsvorfällen",
                "Gestion des incidents de sécurité",
                "Gestión de incidentes de seguridad",
                "Gestione degli incidenti di sicurezza",
                "Beheer van beveiligingsincidenten",
                "Gestão de incidentes de segurança",
            ],
        ),
        (
            "internal-audit",
            [
                "ISMS internal audit",
                "Internes ISMS-Audit",
                "Audit interne du SMSI",
                "Auditoría interna del SGSI",
                "Audit interno del SGSI",
                "Interne audit ISMS",
                "Auditoria interna do SGSI",
            ],
        ),
    ];
    let mut wrong = Vec::new();
    for (prm, names) in cases {
        for (lang, name) in LANGUAGES.iter().zip(names) {
            let mapped = map(&knowledge, name);
            let got = mapped.best().map(|m| m.prm.as_str());
            if got != Some(*prm) {
                wrong.push(format!("{lang} {name:?}: expected {prm}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn text_in_no_known_vocabulary_is_left_unmapped_with_a_note() {
    let knowledge = knowledge();
    let mapped = map(&knowledge, "Xyzzy Plugh Quux");
    assert!(mapped.mappings.is_empty() && mapped.control_area.is_none());
    assert!(
        mapped
            .note
            .as_deref()
            .is_some_and(|n| n.contains("left unmapped rather than guessed")),
        "{:?}",
        mapped.note
    );
    // A name the engine reads gets no such note, whether or not it maps.
    assert!(map(&knowledge, "Gestión de proveedores").note.is_none());
    assert!(map(&knowledge, "Copias de seguridad").note.is_none());
}

#[test]
fn case_folding_that_moves_bytes_never_breaks_code_matching() {
    // "İ" grows and "ẞ" shrinks when lowercased: offsets in a lowercased copy would cut "€".
    let knowledge = knowledge();
    let mapped = map(&knowledge, "İ CAB€ẞ");
    assert!(mapped.mappings.iter().all(|m| m.score <= 1.0));
    assert_eq!(
        map(&knowledge, "İ CAB ẞ").best().map(|m| m.prm.as_str()),
        Some("change-management")
    );
}
