//! Escaping register text for Markdown: untrusted text made inert, quoted identifiers kept as
//! code spans.

use crate::report::is_unsafe_char;

/// A finding's message: identifiers it quotes in backticks stay code spans when they are made
/// of characters that cannot form markup; everything else is escaped.
pub(crate) fn message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An odd number of backticks: no pairs to trust.
        return escape(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        let identifier = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-'));
        match (i % 2 == 1, identifier) {
            (true, true) => {
                out.push('`');
                out.push_str(part);
                out.push('`');
            }
            (true, false) => out.push_str(&escape(&format!("`{part}`"))),
            (false, _) => out.push_str(&escape(part)),
        }
    }
    out
}

/// Make untrusted text inert in Markdown while it stays readable as raw text. For text inside a
/// line (after a list marker, in a heading or a table cell), which is where this report puts
/// it: backslash-escape only what would start markup there (backslashes, code spans, emphasis
/// with `*`, `~` and `_` at a word edge, link brackets, table pipes); write `<` and `>`, and `&`
/// where it would start an entity, as entities so no HTML (`<script>`) survives; put line
/// breaks as spaces, so text stays in its table cell or list item; show control and bidi
/// characters as `\u{...}` escapes. Hyphens, dots and parentheses in prose stay as they are.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("&amp;"),
            '_' if !within_word(&chars, i) => out.push_str("\\_"),
            '\\' | '`' | '*' | '~' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_char(c) => out.push_str(&format!("\\\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Whether the text after an `&` would make it an entity or character reference (`amp;`,
/// `#38;`, `#x26;`).
fn starts_entity(rest: &[char]) -> bool {
    let body = rest.strip_prefix(&['#']).unwrap_or(rest);
    let body = if body.len() < rest.len() {
        body.strip_prefix(&['x'])
            .or(body.strip_prefix(&['X']))
            .unwrap_or(body)
    } else {
        body
    };
    let name = body
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && body.get(name) == Some(&';')
}

/// Whether the `_` at `i` has a letter or digit on both sides, where it cannot start or end
/// emphasis (`snake_case`).
fn within_word(chars: &[char], i: usize) -> bool {
    let alphanumeric = |j: Option<usize>| {
        j.and_then(|j| chars.get(j))
            .is_some_and(|c| c.is_alphanumeric())
    };
    alphanumeric(i.checked_sub(1)) && alphanumeric(Some(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_html_is_inert() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("**b** [l](u) | x"), "\\*\\*b\\*\\* \\[l\\](u) \\| x");
        assert_eq!(escape("a\nb\r\nc"), "a b  c");
        assert_eq!(
            escape("R&D, a & b, &amp; &#38; &#x26;"),
            "R&D, a & b, &amp;amp; &amp;#38; &amp;#x26;"
        );
        assert_eq!(escape("\u{1b}[31m"), "\\\\u{1b}\\[31m");
        assert_eq!(escape("snake_case _em_ x_"), "snake_case \\_em\\_ x\\_");
        assert_eq!(
            escape("top-level policy (the 5.2 one) - v1.0!"),
            "top-level policy (the 5.2 one) - v1.0!"
        );
    }

    #[test]
    fn quoted_identifiers_stay_code_and_quoted_markup_is_escaped() {
        assert_eq!(message("process `SP-01` has"), "process `SP-01` has");
        assert_eq!(message("key `<b>|x`"), "key \\`&lt;b&gt;\\|x\\`");
        assert_eq!(message("odd ` tick"), "odd \\` tick");
    }

    /// The text a CommonMark reader shows for a list item holding `markdown`, and whether any
    /// markup (emphasis, a link, HTML, strikethrough, code) came out of it.
    fn rendered(markdown: &str) -> (String, bool) {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let mut text = String::new();
        let mut markup = false;
        let line = format!("- note: {markdown}\n");
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        for event in Parser::new_ext(&line, options) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::List(_) | Tag::Item | Tag::Paragraph) | Event::End(_) => {}
                _ => markup = true,
            }
        }
        let text = text.strip_prefix("note:").unwrap_or(&text);
        (text.strip_prefix(' ').unwrap_or(text).to_owned(), markup)
    }

    #[test]
    fn escaped_text_reads_the_same_once_rendered() {
        let samples = [
            "top-level policy (the 5.2 one) - v1.0! #1 + 2",
            "**b** __u__ *i* _e_ ~s~ ~~x~~ `c` [l](u) ![i](s) <https://x> <b>h</b>",
            "R&D, a & b, &amp; &#38; &#x26; &copy; AT&T;",
            "snake_case x_ _y a_b_c 1_000 \\ \\* trailing\\",
            "Lenkung der ISMS-Dokumentation (ISO 27001, 7.5) | Teil [A]",
            "*",
            "_",
            "`",
            "[",
            "]",
            "|",
            "~",
            "<",
            ">",
            "&",
            "\\",
            "a]b[c",
        ];
        for sample in samples {
            let (text, markup) = rendered(&escape(sample));
            assert_eq!(text, sample, "{sample:?} escaped as {:?}", escape(sample));
            assert!(!markup, "{sample:?} made markup: {:?}", escape(sample));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]
        #[test]
        fn any_printable_text_reads_the_same_once_rendered(
            sample in "[ -~äöüßé€]{0,40}"
        ) {
            // Leading and trailing spaces are not content in Markdown.
            let sample = sample.trim();
            let (text, markup) = rendered(&escape(sample));
            proptest::prop_assert_eq!(&text, sample, "escaped as {:?}", escape(sample));
            proptest::prop_assert!(!markup, "escaped as {:?}", escape(sample));
        }
    }
}
