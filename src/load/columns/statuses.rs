//! Lifecycle statuses as registers in seven languages write them.

use super::fold;

/// Words for the schema's `active`.
const ACTIVE: &[&str] = &[
    "active",
    "live",
    "operational",
    "in operation",
    "in use",
    "released",
    "published",
    "aktiv",
    "in betrieb",
    "freigegeben",
    "gultig",
    "actif",
    "en vigueur",
    "activo",
    "vigente",
    "attivo",
    "in uso",
    "actief",
    "in gebruik",
    "ativo",
    "em uso",
];
/// Words for the schema's `draft`.
const DRAFT: &[&str] = &[
    "draft",
    "planned",
    "proposed",
    "in progress",
    "in review",
    "entwurf",
    "geplant",
    "in bearbeitung",
    "in prufung",
    "brouillon",
    "en projet",
    "prevu",
    "borrador",
    "planificado",
    "bozza",
    "pianificato",
    "concept",
    "ontwerp",
    "gepland",
    "rascunho",
    "planejado",
];
/// Words for the schema's `retired`.
const RETIRED: &[&str] = &[
    "retired",
    "inactive",
    "deprecated",
    "obsolete",
    "archived",
    "withdrawn",
    "ausser betrieb",
    "stillgelegt",
    "archiviert",
    "inaktiv",
    "abgelost",
    "retire",
    "obsolete",
    "inactif",
    "archive",
    "retirado",
    "inactivo",
    "obsoleto",
    "ritirato",
    "inattivo",
    "dismesso",
    "buiten gebruik",
    "vervallen",
    "inactief",
    "gearchiveerd",
    "inativo",
    "descontinuado",
];

/// Statuses as registers in seven languages write them, onto the schema's three values.
pub(crate) fn status(text: &str) -> Option<&'static str> {
    let folded = fold(text);
    [("active", ACTIVE), ("draft", DRAFT), ("retired", RETIRED)]
        .into_iter()
        .find(|(_, words)| words.iter().any(|w| fold(w) == folded))
        .map(|(value, _)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_in_other_words_and_languages_read_as_the_schemas() {
        assert_eq!(status("Active"), Some("active"));
        assert_eq!(status("Außer Betrieb"), Some("retired"));
        assert_eq!(status("Entwurf"), Some("draft"));
        assert_eq!(status("brouillon"), Some("draft"));
        assert_eq!(status("sometimes"), None);
    }
}
