//! Escaping register text for HTML, and the icons and labels that say a status without colour.

use std::fmt::{self, Display, Write as _};

use crate::analysis::CoverageStatus;
use crate::diag::finding::Severity;
use crate::i18n::Translator;
use crate::report::terminal_safe;

/// Register text, HTML-escaped; control and bidi-override characters are shown as escapes.
pub(super) struct Text<'a>(pub(super) &'a str);

impl Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape(&terminal_safe(self.0), f)
    }
}

fn escape(text: &str, f: &mut dyn fmt::Write) -> fmt::Result {
    for c in text.chars() {
        match c {
            '&' => f.write_str("&amp;")?,
            '<' => f.write_str("&lt;")?,
            '>' => f.write_str("&gt;")?,
            '"' => f.write_str("&quot;")?,
            '\'' => f.write_str("&#39;")?,
            c => f.write_char(c)?,
        }
    }
    Ok(())
}

/// A finding message or advice: escaped like [`Text`], with `backticked` ids set as code.
pub(super) struct Prose<'a>(pub(super) &'a str);

impl Display for Prose<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = terminal_safe(self.0);
        let parts: Vec<&str> = text.split('`').collect();
        // With an odd number of backticks the last one has no partner and stays literal.
        let paired = if parts.len().is_multiple_of(2) {
            parts.len() - 1
        } else {
            parts.len()
        };
        for (i, part) in parts.iter().enumerate() {
            if i >= paired {
                f.write_char('`')?;
                escape(part, f)?;
            } else if i % 2 == 1 {
                f.write_str("<code>")?;
                escape(part, f)?;
                f.write_str("</code>")?;
            } else {
                escape(part, f)?;
            }
        }
        Ok(())
    }
}

/// Inline SVG icons: shape tells the status apart without colour.
pub(super) fn status_icon(status: CoverageStatus) -> &'static str {
    match status {
        CoverageStatus::Covered => {
            r#"<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="7.5"/><path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="white" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/></svg>"#
        }
        CoverageStatus::Adaptable => {
            r#"<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="6.6" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M8 1.4a6.6 6.6 0 0 1 0 13.2z"/></svg>"#
        }
        CoverageStatus::Missing => {
            r#"<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><rect x=".5" y=".5" width="15" height="15" rx="2.5"/><path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" fill="none" stroke="white" stroke-width="1.9" stroke-linecap="round"/></svg>"#
        }
    }
}

pub(super) fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => {
            r#"<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z"/><path d="M8 4.5v4.2M8 11.2v.3" stroke="white" stroke-width="1.8" stroke-linecap="round"/></svg>"#
        }
        Severity::Warning => {
            r#"<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 1.2l7.2 13.3H.8z"/><path d="M8 6v4M8 12.3v.2" stroke="white" stroke-width="1.7" stroke-linecap="round"/></svg>"#
        }
        Severity::Note => {
            r#"<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="7.5"/><path d="M8 7v4.5M8 4.5v.2" stroke="white" stroke-width="1.8" stroke-linecap="round"/></svg>"#
        }
    }
}

/// A coverage status as a label ("Covered"), escaped.
pub(super) fn status_label(status: CoverageStatus, w: &Translator) -> String {
    Text(&sentence(&status.word(w))).to_string()
}

/// A severity as a label ("Error"), escaped.
pub(super) fn severity_label(severity: Severity, w: &Translator) -> String {
    Text(&sentence(&w.severity(severity))).to_string()
}

/// Findings are written as lower-case clauses for the terminal; a page wants sentences.
pub(super) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_every_markup_character() {
        assert_eq!(
            Text(r#"<script>alert("x" & 'y')</script>"#).to_string(),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn text_shows_bidi_overrides_and_control_characters_as_escapes() {
        assert_eq!(Text("a\u{202E}b\u{0}").to_string(), "a\\u{202e}b\\u{0}");
    }

    #[test]
    fn prose_sets_backticked_ids_as_code_and_still_escapes() {
        assert_eq!(
            Prose("keep `<b>` and `x`").to_string(),
            "keep <code>&lt;b&gt;</code> and <code>x</code>"
        );
        assert_eq!(Prose("odd ` tick").to_string(), "odd ` tick");
        assert_eq!(Prose("`a` and ` b").to_string(), "<code>a</code> and ` b");
    }
}
