//! Text of CSV registers as spreadsheets write it: the character encoding (UTF-8, UTF-16, or a
//! legacy Windows code page) and the separator (`,` `;` tab `|`).

use encoding_rs::{Encoding, WINDOWS_1252};

use crate::source::{DecodeError, decode};

/// A file's bytes as text, with the encoding assumed when the file did not say.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    /// Set when the text was read in an encoding the file does not declare (no byte-order
    /// mark, not UTF-8): the run says which, so a wrong guess is noticed.
    pub assumed: Option<&'static str>,
}

/// The encoding named by `--encoding`: any WHATWG label (`utf-8`, `utf-16le`,
/// `windows-1252`, `latin1`, `iso-8859-15`, ...).
pub fn parse_encoding(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label_no_replacement(label.trim().as_bytes()).ok_or_else(|| {
        format!("`{label}` is not an encoding name (try utf-8, utf-16le, windows-1252, latin1)")
    })
}

/// Decode a CSV file. With `encoding` given, the bytes are read in it (a byte-order mark of that
/// encoding is skipped). Without, UTF-8 and UTF-16 are recognised as for JSON; bytes that are not
/// UTF-8 are read as Windows-1252 (the code page of Excel's "CSV" on Western European Windows,
/// which is also what ISO-8859-1 files are read as) unless they are shaped like UTF-8 and only
/// broken, which is damage, not another encoding.
pub(crate) fn decode_csv(
    bytes: Vec<u8>,
    encoding: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    if let Some(encoding) = encoding {
        return decode_as(&bytes, encoding).map(|text| Decoded {
            text,
            assumed: None,
        });
    }
    if !looks_like_legacy_text(&bytes) {
        return decode(bytes).map(|text| Decoded {
            text,
            assumed: None,
        });
    }
    decode_as(&bytes, WINDOWS_1252).map(|text| Decoded {
        text,
        assumed: Some(WINDOWS_1252.name()),
    })
}

/// Read bytes in one named encoding, skipping its byte-order mark.
pub(crate) fn decode_as(bytes: &[u8], encoding: &'static Encoding) -> Result<String, DecodeError> {
    let bom = match Encoding::for_bom(bytes) {
        Some((found, length)) if found == encoding => length,
        _ => 0,
    };
    let body = &bytes[bom..];
    match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok(text.into_owned()),
        None => {
            // Where the first byte that the encoding cannot read is.
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(body.len() * 3 + 16);
            let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
            let offset = match result {
                encoding_rs::DecoderResult::Malformed(bad, _) => {
                    bom + read.saturating_sub(usize::from(bad))
                }
                _ => bom + read,
            };
            Err(DecodeError {
                offset,
                message: format!("invalid {} at byte {offset}", encoding.name()),
            })
        }
    }
}

/// Whether bytes that are not valid UTF-8 come from a single-byte code page: they are not UTF-8
/// or UTF-16 at all, and some byte above 0x7F stands where UTF-8 could not have put it (a
/// lead byte without its continuation bytes, or a continuation byte without a lead). A file
/// whose every non-ASCII run is UTF-8 in shape (an encoded surrogate, an overlong form) is a
/// damaged UTF-8 file and is refused as one.
fn looks_like_legacy_text(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() || Encoding::for_bom(bytes).is_some() {
        return false;
    }
    // UTF-16 without a byte-order mark: zero bytes in the first characters.
    if bytes.len() >= 4 && (bytes[1] == 0 && bytes[3] == 0 || bytes[0] == 0 && bytes[2] == 0) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        let continuation = match lead {
            0x00..=0x7F => {
                i += 1;
                continue;
            }
            0xC0..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF7 => 3,
            // A continuation byte with no lead, or a byte UTF-8 never uses.
            _ => return true,
        };
        let run = bytes
            .get(i + 1..i + 1 + continuation)
            .is_some_and(|next| next.iter().all(|b| (0x80..=0xBF).contains(b)));
        if !run {
            return true;
        }
        i += 1 + continuation;
    }
    false
}

/// The separator of a CSV text: the one of `,` `;` tab `|` that occurs most often outside
/// quotes in the header line (a comma when none does, or on a tie with it).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in text.as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// The separator named by `--delimiter`: one ASCII character, or `tab`.
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match text.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
            _ => Err(format!(
                "`{text}` is not a separator: give one character such as `;` or `|`, or `tab`"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_assumed_for_bytes_that_are_not_utf8() {
        let bytes = b"id;name\nP1;Pr\xfcfung der Ma\xdfnahmen \x80\n".to_vec();
        let decoded = decode_csv(bytes, None).ok();
        let decoded = decoded.as_ref();
        assert_eq!(
            decoded.map(|d| d.text.as_str()),
            Some("id;name\nP1;Prüfung der Maßnahmen €\n")
        );
        assert_eq!(decoded.and_then(|d| d.assumed), Some("windows-1252"));
    }

    #[test]
    fn damaged_utf8_is_not_taken_for_a_code_page() {
        // An encoded surrogate and an overlong slash: UTF-8 in shape, invalid in value.
        assert!(decode_csv(b"id,name\nP1,a\xed\xa0\x80 \xc0\xaf\n".to_vec(), None).is_err());
        // Valid UTF-8 and UTF-16 are read as before, with nothing assumed.
        let utf8 = decode_csv("id,name\nP1,Prüfung\n".as_bytes().to_vec(), None).ok();
        assert_eq!(utf8.and_then(|d| d.assumed), None);
    }

    #[test]
    fn a_named_encoding_is_used_and_its_bom_skipped() {
        let latin1 = parse_encoding("latin1").ok();
        assert_eq!(latin1.map(|e| e.name()), Some("windows-1252"));
        let utf16 = parse_encoding("utf-16le").ok();
        let text = utf16.and_then(|e| decode_as(&[0xFF, 0xFE, b'a', 0, b'b', 0], e).ok());
        assert_eq!(text.as_deref(), Some("ab"));
        let bad = parse_encoding("utf-8")
            .ok()
            .map(|e| decode_as(b"ab\xff", e));
        assert!(matches!(bad, Some(Err(DecodeError { offset: 2, .. }))));
        assert!(parse_encoding("klingon").is_err());
    }

    #[test]
    fn the_separator_is_the_commonest_outside_quotes_in_the_header() {
        assert_eq!(sniff_delimiter("id;name;owner\nP1;a,b;c\n"), b';');
        assert_eq!(sniff_delimiter("id\tname\n"), b'\t');
        assert_eq!(sniff_delimiter("id|name|\"a;b;c\"\n"), b'|');
        assert_eq!(sniff_delimiter("id,name\n"), b',');
        assert_eq!(sniff_delimiter("id\n"), b',');
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
    }
}
