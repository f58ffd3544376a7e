//! Which register field each column of a table (CSV or worksheet) holds: the user's mapping
//! (`--column`, `columns` in prmlint.json), the field names themselves, and the headers that
//! common tools and languages write for them ("Short description", "Prozessname", "Pilote").

mod aliases;
mod statuses;

use crate::diag::suggest::closest;
use crate::validate::schema::PROCESS_KEYS;

use self::aliases::ALIASES;
pub(crate) use self::statuses::status;

/// The user's mapping of register fields onto a file's headers: `(field, header)` pairs, the
/// command line's first, then the configuration's.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    pub pairs: Vec<ColumnChoice>,
}

/// One field the user mapped onto a header, and where the mapping was given.
#[derive(Debug, Clone)]
pub struct ColumnChoice {
    pub field: String,
    pub header: String,
    /// `--column` or the configuration file, for messages.
    pub origin: String,
}

/// `--column FIELD=HEADER`: a register field (or `x-` field) and a header.
pub fn parse_column(text: &str) -> Result<(String, String), String> {
    let (field, header) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not FIELD=HEADER, such as owner=Verantwortlich"))?;
    let field = field.trim();
    check_field(field)?;
    if header.trim().is_empty() {
        return Err(format!("`{text}` names no header after `=`"));
    }
    Ok((field.to_owned(), header.trim().to_owned()))
}

/// Whether a register field can be the target of a column mapping.
pub fn check_field(field: &str) -> Result<(), String> {
    if PROCESS_KEYS.contains(&field) || (field.starts_with("x-") && field.len() > 2) {
        return Ok(());
    }
    let hint = closest(field, PROCESS_KEYS)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    Err(format!(
        "`{field}` is not a register field (id, name, description, owner, ... or an `x-` field){hint}"
    ))
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    /// A register field or `x-` field, from the user's mapping or the header itself: it wins
    /// over aliases.
    Named(String),
    /// A register field guessed from a built-in alias.
    Alias(String),
    /// Nothing known: kept as an `x-` field under this name, and reported.
    Unknown {
        kept_as: String,
        suggestion: Option<&'static str>,
    },
    /// An empty header: its cells are not read.
    Blank,
}

impl Column {
    /// The register field the cells are read into.
    pub(crate) fn field(&self) -> Option<&str> {
        match self {
            Column::Named(f) | Column::Alias(f) => Some(f),
            Column::Unknown { kept_as, .. } => Some(kept_as),
            Column::Blank => None,
        }
    }
}

/// Case, accents, spaces and punctuation removed: "Prozess-ID" and "prozess id" are one key.
/// Accents fold as in all matched text ([`crate::mapping::text::fold_char`]).
pub(crate) fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            // "N°", the number column of French and Italian sheets.
            '°' => folded.push('o'),
            c => crate::mapping::text::fold_char(c, &mut folded),
        }
    }
    folded.retain(char::is_alphanumeric);
    folded
}

/// The field a header means on its own, without the user's mapping.
pub(crate) fn guess(header: &str) -> Column {
    let header = header.trim();
    if header.is_empty() {
        return Column::Blank;
    }
    if PROCESS_KEYS.contains(&header) || header.starts_with("x-") {
        return Column::Named(header.to_owned());
    }
    let folded = fold(header);
    if let Some(field) = PROCESS_KEYS.iter().find(|k| fold(k) == folded) {
        return Column::Named((*field).to_owned());
    }
    for (field, aliases) in ALIASES {
        if aliases.iter().any(|a| fold(a) == folded) {
            return Column::Alias((*field).to_owned());
        }
    }
    Column::Unknown {
        kept_as: format!("x-{header}"),
        suggestion: suggest(header),
    }
}

/// The register field a misspelt header most likely meant: close to a field name or one of
/// its aliases. Close means a few letters apart, not only a shared beginning ("Reifegrad" is
/// no misspelt "reference").
fn suggest(header: &str) -> Option<&'static str> {
    let folded = fold(header);
    let near = |name: &str| strsim::normalized_damerau_levenshtein(&folded, &fold(name)) >= 0.7;
    if let Some(field) = closest(header, PROCESS_KEYS).filter(|f| near(f)) {
        return Some(field);
    }
    let mut names: Vec<(String, &'static str)> = Vec::new();
    for (field, aliases) in ALIASES.iter().filter(|(f, _)| !f.starts_with("x-")) {
        names.extend(aliases.iter().map(|a| (fold(a), *field)));
    }
    let keys: Vec<&str> = names.iter().map(|(a, _)| a.as_str()).collect();
    let best = closest(&folded, &keys).filter(|k| near(k))?;
    names
        .iter()
        .find(|(a, _)| a == best)
        .map(|(_, field)| *field)
}

/// The columns of a header row: the user's mapping first, then the header itself, then aliases.
pub(crate) fn resolve(headers: &[String], map: &ColumnMap) -> Vec<Column> {
    headers
        .iter()
        .map(|header| {
            let folded = fold(header);
            let chosen = map
                .pairs
                .iter()
                .find(|c| c.header.trim() == header.trim() || fold(&c.header) == folded);
            match chosen {
                Some(choice) if !folded.is_empty() || !header.trim().is_empty() => {
                    Column::Named(choice.field.clone())
                }
                _ => guess(header),
            }
        })
        .collect()
}

/// The user's mappings that name a header the file does not have.
pub(crate) fn unmatched<'a>(headers: &[String], map: &'a ColumnMap) -> Vec<&'a ColumnChoice> {
    map.pairs
        .iter()
        .filter(|c| {
            !headers
                .iter()
                .any(|h| h.trim() == c.header.trim() || fold(h) == fold(&c.header))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(header: &str) -> Option<String> {
        guess(header).field().map(str::to_owned)
    }

    #[test]
    fn headers_of_common_tools_and_languages_read_as_fields() {
        for (header, expected) in [
            ("Number", "id"),
            ("Short description", "name"),
            ("Owned by", "owner"),
            ("Description", "description"),
            ("Prozess-ID", "id"),
            ("Prozessname", "name"),
            ("Verantwortlich", "owner"),
            ("Beschreibung", "description"),
            ("Status", "status"),
            ("Aktivitäten", "activities"),
            ("Intitulé", "name"),
            ("Descripción", "description"),
            ("Responsabile", "owner"),
            ("Proceseigenaar", "owner"),
            ("Descrição", "description"),
            ("maps to", "maps_to"),
            ("Sys ID", "x-servicenow-sys_id"),
            ("x-risk", "x-risk"),
        ] {
            assert_eq!(field(header).as_deref(), Some(expected), "{header}");
        }
    }

    #[test]
    fn an_unknown_header_is_kept_as_an_x_field_with_a_suggestion_when_close() {
        assert_eq!(
            guess("Verantwortlicherr"),
            Column::Unknown {
                kept_as: "x-Verantwortlicherr".into(),
                suggestion: Some("owner")
            }
        );
        assert_eq!(
            guess("Priority"),
            Column::Unknown {
                kept_as: "x-Priority".into(),
                suggestion: None
            }
        );
        assert_eq!(guess("  "), Column::Blank);
    }

    #[test]
    fn the_users_mapping_wins_over_aliases() {
        let map = ColumnMap {
            pairs: vec![ColumnChoice {
                field: "name".into(),
                header: "Titel".into(),
                origin: "--column".into(),
            }],
        };
        let headers = vec!["Nr".to_owned(), "titel".to_owned(), "Prozess".to_owned()];
        let columns = resolve(&headers, &map);
        assert_eq!(columns[0], Column::Alias("id".into()));
        assert_eq!(columns[1], Column::Named("name".into()));
        assert_eq!(columns[2], Column::Alias("name".into()));
        assert!(unmatched(&headers, &map).is_empty());
        assert_eq!(
            parse_column("owner = Verantwortlich").ok(),
            Some(("owner".into(), "Verantwortlich".into()))
        );
        assert!(parse_column("ownr=Verantwortlich").is_err_and(|e| e.contains("`owner`")));
    }
}
