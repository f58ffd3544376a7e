//! Limits that keep a hostile or broken input from exhausting the machine, and the cutting
//! short of over-long strings and keys, recorded where they were.

use crate::diag::finding::Finding;
use crate::diag::rules::Code;

/// Limits that keep a hostile or broken input from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest register file, in bytes.
    pub max_file_size: u64,
    /// Most processes one register may hold.
    pub max_processes: usize,
    /// Longest string value or key, in characters.
    pub max_string_length: usize,
    /// Deepest nesting of JSON arrays and objects, counting the root.
    pub max_depth: usize,
}

/// The JSON parser's own nesting limit: `--max-depth` cannot go past it.
pub const MAX_DEPTH_CEILING: usize = 127;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 512 * 1024 * 1024,
            max_processes: 1_000_000,
            // A page of text is a few thousand characters; this is a book chapter in one field.
            max_string_length: 100_000,
            // A register nests 4 levels (5 with vendor data): room for any export format.
            max_depth: 64,
        }
    }
}

/// A string value or key longer than [`Limits::max_string_length`].
#[derive(Debug)]
pub(crate) struct LongString {
    /// JSON pointer of the value (of the member, for a key), with long keys cut short.
    pub pointer: String,
    /// The pointer as written in the source, to find the key's span.
    pub source_pointer: String,
    pub is_key: bool,
    /// Its length in characters.
    pub chars: usize,
}

impl LongString {
    pub(crate) fn to_finding(&self, max: usize) -> Finding {
        let what = if self.is_key { "key" } else { "string" };
        Finding::new(
            Code::Limit,
            format!(
                "a {what} of {} characters is longer than the limit of {max}",
                self.chars
            ),
        )
        .label("too long")
        .help("raise the limit with --max-string-length if the text really is this long")
    }
}

/// Cut every string and key in `value` longer than `max` characters down to `max`, recording
/// where each was, so that later stages never see the hostile size. `pointer` is the value's
/// own pointer. (Recursion is bounded: serde_json refuses to nest deeper than 128 levels.)
pub(crate) fn truncate_long_strings(
    value: &mut serde_json::Value,
    pointer: &str,
    max: usize,
    found: &mut Vec<LongString>,
) {
    truncate_below(value, &mut pointer.to_owned(), max, found);
}

/// [`truncate_long_strings`] with the pointer grown and shrunk in one buffer: almost every
/// value is short, and its pointer is only written out when it is not.
fn truncate_below(
    value: &mut serde_json::Value,
    pointer: &mut String,
    max: usize,
    found: &mut Vec<LongString>,
) {
    use serde_json::Value;
    use std::fmt::Write;
    let len = pointer.len();
    match value {
        Value::String(text) => {
            if let Some(chars) = too_long(text, max) {
                truncate_chars(text, max);
                found.push(LongString {
                    pointer: pointer.clone(),
                    source_pointer: pointer.clone(),
                    is_key: false,
                    chars,
                });
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let _ = write!(pointer, "/{i}");
                truncate_below(item, pointer, max, found);
                pointer.truncate(len);
            }
        }
        Value::Object(members) => {
            truncate_long_keys(members, pointer, max, found);
            for (key, member) in members.iter_mut() {
                pointer.push('/');
                push_pointer_token(pointer, key);
                truncate_below(member, pointer, max, found);
                pointer.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Cut the keys of an object's members longer than `max` characters, recording each; the
/// object is only rebuilt when one is.
fn truncate_long_keys(
    members: &mut serde_json::Map<String, serde_json::Value>,
    pointer: &str,
    max: usize,
    found: &mut Vec<LongString>,
) {
    if !members.keys().any(|key| too_long(key, max).is_some()) {
        return;
    }
    *members = std::mem::take(members)
        .into_iter()
        .map(|(mut key, member)| {
            if let Some(chars) = too_long(&key, max) {
                let source_pointer = format!(
                    "{pointer}/{}",
                    crate::source::json::escape_pointer_token(&key)
                );
                truncate_chars(&mut key, max);
                found.push(LongString {
                    pointer: format!(
                        "{pointer}/{}",
                        crate::source::json::escape_pointer_token(&key)
                    ),
                    source_pointer,
                    is_key: true,
                    chars,
                });
            }
            (key, member)
        })
        .collect();
}

/// Append a key to a pointer, escaped as RFC 6901 says.
fn push_pointer_token(pointer: &mut String, key: &str) {
    if key.contains(['~', '/']) {
        pointer.push_str(&crate::source::json::escape_pointer_token(key));
    } else {
        pointer.push_str(key);
    }
}

/// The length in characters of a text longer than `max` characters.
fn too_long(text: &str, max: usize) -> Option<usize> {
    // A character is at least one byte: most strings are ruled out without counting.
    if text.len() <= max {
        return None;
    }
    let chars = text.chars().count();
    (chars > max).then_some(chars)
}

/// Cut a text down to its first `max` characters.
fn truncate_chars(text: &mut String, max: usize) {
    if let Some((end, _)) = text.char_indices().nth(max) {
        text.truncate(end);
    }
}
