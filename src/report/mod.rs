//! Writers: one per output format, each a function of the run's results and a `Write`.

pub mod check_json;
pub mod check_text;
pub mod clauses;
pub mod csv_report;
pub mod diagnostic;
pub mod diff;
pub mod explain;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod location;
pub mod mapping_text;
pub mod markdown;
pub mod model_text;
pub mod output;
pub mod owners;
mod pretty;
pub mod run;
pub mod sarif;

/// The figures of a PRM category (`name`) or of all PRM processes in words: `key` is a message
/// with any of `{category}`, `{covered}`, `{adaptable}`, `{missing}` and `{total}`.
pub(crate) fn figures_text(
    w: &crate::i18n::Translator,
    key: &'static str,
    name: &str,
    f: &crate::analysis::CategoryFigures,
) -> String {
    w.render(&crate::i18n::Message::new(
        key,
        vec![
            ("category", name.into()),
            ("covered", f.covered.into()),
            ("adaptable", f.adaptable.into()),
            ("missing", f.missing.into()),
            ("total", f.total.into()),
        ],
    ))
}

/// Make text safe to print on a terminal: control characters (other than tab and newline) and
/// bidirectional-override characters are shown as `\u{...}` escapes, so register text cannot
/// move the cursor, recolour the screen or reorder what a reader sees.
pub fn terminal_safe(text: &str) -> String {
    // Nearly all text is safe: copy it whole rather than character by character.
    let Some(first) = text.find(is_unsafe_char) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that must never reach a terminal or a review UI raw.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}
