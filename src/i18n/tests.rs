//! Tests of the catalogues and the translator.

use super::*;
use std::collections::BTreeSet;

/// The `{name}` placeholders of a template.
fn placeholders(template: &str) -> BTreeSet<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find('}')?;
            let name = &rest[..end];
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then_some(name)
        })
        .collect()
}

#[test]
fn every_catalogue_parses_and_names_its_language() {
    for lang in Lang::ALL {
        let catalogue: Catalogue = serde_json::from_str(lang.source())
            .unwrap_or_else(|e| panic!("mappings/i18n/{}.json: {e}", lang.code()));
        assert_eq!(catalogue.lang, lang.code());
    }
}

#[test]
fn every_language_translates_every_message_and_reference_text() {
    let knowledge = crate::load::reference::embedded_knowledge().unwrap_or_else(|e| panic!("{e}"));
    let missing = missing_translations(&knowledge);
    assert!(
        missing.is_empty(),
        "missing translations (shown in English until added to mappings/i18n/<lang>.json):\n{}",
        missing.join("\n")
    );
}

#[test]
fn translations_keep_the_placeholders_and_know_only_english_keys() {
    let english = Catalogue::of(Lang::En);
    for lang in Lang::ALL.into_iter().skip(1) {
        let own = Catalogue::of(lang);
        for (key, template) in &own.messages {
            let Some(original) = english.messages.get(key) else {
                panic!("{}: `{key}` is not an English message", lang.code());
            };
            assert_eq!(
                placeholders(template),
                placeholders(original),
                "{}: `{key}`: {template}",
                lang.code()
            );
        }
    }
}

#[test]
fn messages_hold_no_markup_but_the_report_pages_emphasis() {
    for lang in Lang::ALL {
        for (key, template) in &Catalogue::of(lang).messages {
            // The HTML report inserts these as they are, so they may emphasise.
            let emphasis = [
                "html.lead",
                "html.reading-covered",
                "html.reading-adaptable",
                "html.reading-missing",
                "html.reading-relationships",
                "html.clauses-intro",
            ];
            let mut rest = template.replace("&", "");
            if emphasis.contains(&key.as_str()) {
                for tag in ["<strong>", "</strong>", "<em>", "</em>"] {
                    rest = rest.replace(tag, "");
                }
            }
            assert!(
                !rest.contains(['<', '>']) && !template.contains('&'),
                "{}: `{key}` holds markup: {template}",
                lang.code()
            );
        }
    }
}

#[test]
fn every_key_the_code_names_is_an_english_message() {
    let english = Catalogue::of(Lang::En);
    let prefixes: BTreeSet<&str> = english
        .messages
        .keys()
        .filter_map(|k| k.split('.').next())
        .collect();
    let mut unknown = Vec::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{e}"));
            stack.extend(entries.flatten().map(|e| e.path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        // Every run of text between two quotes, not only pairs: an escaped quote would
        // shift pairs and hide the keys after it.
        let quoted = text.match_indices('"').filter_map(|(i, _)| {
            let rest = &text[i + 1..];
            rest.find('"').map(|end| &rest[..end])
        });
        for literal in quoted {
            let looks_like_key = literal.split_once('.').is_some_and(|(prefix, rest)| {
                prefixes.contains(prefix)
                    && !literal.ends_with(".json")
                    && !rest.is_empty()
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.".contains(c))
            });
            if looks_like_key {
                named.insert(literal.to_owned());
            }
            if looks_like_key && !english.messages.contains_key(literal) {
                unknown.push(format!("{}: {literal}", path.display()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "keys missing from mappings/i18n/en.json: {unknown:?}"
    );
    // And no English message is left that nothing shows (rule and role texts are looked
    // up by code and role).
    let unused: Vec<&String> = english
        .messages
        .keys()
        .filter(|k| !k.starts_with("rule.") && !k.starts_with("role.") && !named.contains(*k))
        .collect();
    assert!(unused.is_empty(), "messages no code names: {unused:?}");
}

#[test]
fn rule_texts_in_english_are_the_rules_registrys() {
    let english = Translator::new(Lang::En);
    let catalogue = Catalogue::of(Lang::En);
    for code in crate::diag::rules::Code::ALL {
        let info = code.info();
        assert_eq!(
            english.rule(*code),
            (info.summary.to_owned(), info.explanation.to_owned())
        );
        assert!(
            catalogue
                .messages
                .contains_key(&format!("rule.{}.summary", info.code))
        );
    }
    let rules = catalogue
        .messages
        .keys()
        .filter(|k| k.starts_with("rule."))
        .count();
    assert_eq!(rules, 2 * crate::diag::rules::Code::ALL.len());
}

#[test]
fn roles_in_english_read_as_the_concept_lexicon_writes_them() {
    let english = Catalogue::of(Lang::En);
    let knowledge = crate::load::reference::embedded_knowledge().unwrap_or_else(|e| panic!("{e}"));
    for (_, role, _) in &knowledge.cues.distinct {
        assert_eq!(english.messages.get(&role_key(role)), Some(role));
    }
}

#[test]
fn placeholders_take_their_arguments_and_other_braces_stay() {
    let t = Translator::new(Lang::En);
    let m = Message::new("test.nothing", vec![("prm", Arg::from("risk-assessment"))]);
    // An unknown key renders as the key.
    assert_eq!(t.render(&m), "test.nothing");
    let mut own = Catalogue::default();
    own.messages.insert(
        "k".into(),
        "add {\"prm\": \"{prm}\"} {missing} {prm}{".into(),
    );
    let t = Translator {
        lang: Lang::De,
        own,
        fallback: None,
    };
    let m = Message::new("k", vec![("prm", Arg::from("risk-assessment"))]);
    assert_eq!(
        t.render(&m),
        "add {\"prm\": \"risk-assessment\"} {missing} risk-assessment{"
    );
}

#[test]
fn counts_take_the_singular_as_each_language_does() {
    let errors = |lang: Lang, n: usize| {
        let m = Message::new(
            "report.findings-counts",
            vec![
                (
                    "errors",
                    counted(n, "count.errors.one", "count.errors.other"),
                ),
                ("warnings", Arg::from("")),
                ("notes", Arg::from("")),
                ("register", Arg::from(0usize)),
            ],
        );
        let text = Translator::new(lang).render(&m);
        text.split(',').next().unwrap_or_default().to_owned()
    };
    assert_eq!(errors(Lang::En, 0), "0 errors");
    assert_eq!(errors(Lang::En, 1), "1 error");
    assert_eq!(errors(Lang::En, 2), "2 errors");
    assert_eq!(errors(Lang::Fr, 0), "0 erreur");
    assert_eq!(errors(Lang::Fr, 1), "1 erreur");
    assert_eq!(errors(Lang::Fr, 2), "2 erreurs");
    assert_eq!(errors(Lang::Es, 1), "1 error");
    assert_eq!(errors(Lang::Es, 0), "0 errores");
    assert_eq!(errors(Lang::Nl, 3), "3 fouten");
}

#[test]
fn scores_use_the_languages_decimal_mark() {
    assert_eq!(Translator::new(Lang::En).number(0.756, 2), "0.76");
    assert_eq!(Translator::new(Lang::De).number(0.756, 2), "0,76");
}

#[test]
fn language_tags_name_their_language() {
    assert_eq!(Lang::from_code("de-CH"), Some(Lang::De));
    assert_eq!(Lang::from_code("PT_br"), Some(Lang::Pt));
    assert_eq!(Lang::from_code("sv"), None);
}
