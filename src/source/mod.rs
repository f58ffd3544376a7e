//! Source files as read from disk or stdin: the text, its name, and byte offset -> line/column.

pub mod json;
pub mod register;

use std::ops::Range;

use rayon::prelude::*;

/// A byte range into a source text.
pub type Span = Range<usize>;

/// One input file, kept whole so that every diagnostic can point into it.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown to users: the path as given, or `<stdin>`.
    pub name: String,
    /// The decoded text (UTF-8; a byte-order mark is removed, UTF-16 is decoded).
    pub text: String,
    line_starts: Vec<usize>,
    /// Characters before each [`BLOCK`]-byte boundary, so that a column on a very long line (a
    /// minified register is one line) is counted from the nearest boundary, not the line start.
    block_chars: Vec<usize>,
}

/// Bytes between two entries of `block_chars`.
const BLOCK: usize = 4096;

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        // A large file is indexed in slices on all cores; slices are whole blocks, so each
        // slice's block counts only need the characters of the slices before it added.
        let parts: Vec<(Vec<usize>, Vec<usize>, usize)> = if text.len() > PARALLEL_SLICE {
            text.as_bytes()
                .par_chunks(PARALLEL_SLICE)
                .enumerate()
                .map(|(i, slice)| index_slice(slice, i * PARALLEL_SLICE))
                .collect()
        } else {
            vec![index_slice(text.as_bytes(), 0)]
        };
        let lines: usize = parts.iter().map(|(lines, _, _)| lines.len()).sum();
        let mut line_starts = Vec::with_capacity(lines + 1);
        line_starts.push(0);
        let mut block_chars = Vec::with_capacity(text.len() / BLOCK + 2);
        let mut chars = 0;
        for (lines, blocks, count) in parts {
            line_starts.extend(lines);
            block_chars.extend(blocks.into_iter().map(|b| chars + b));
            chars += count;
        }
        // The end of the text is a boundary too, when its length is a multiple of BLOCK.
        block_chars.push(chars);
        Self {
            name: name.into(),
            text,
            line_starts,
            block_chars,
        }
    }

    /// Characters before a byte offset (which need not be a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let counted = self.block_chars[block];
        counted + char_starts(&self.text.as_bytes()[block * BLOCK..offset])
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        // Most lines are short: count them directly rather than from two block boundaries.
        let column = if offset - start < BLOCK {
            char_starts(&self.text.as_bytes()[start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line + 1, column + 1)
    }

    /// 0-based line containing a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where a 0-based line starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Byte offset of a 1-based line and column (columns in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// Files larger than this are indexed on all cores, in slices of this many bytes (whole
/// blocks).
const PARALLEL_SLICE: usize = 256 * BLOCK;

/// The line starts (absolute, after each newline), the characters before each block (relative
/// to the slice) and the characters of one slice of a text that starts at byte `base`.
fn index_slice(slice: &[u8], base: usize) -> (Vec<usize>, Vec<usize>, usize) {
    let mut lines = Vec::new();
    let mut blocks = Vec::with_capacity(slice.len() / BLOCK + 1);
    let mut chars = 0;
    for (block, bytes) in slice.chunks(BLOCK).enumerate() {
        blocks.push(chars);
        chars += char_starts(bytes);
        let start = base + block * BLOCK;
        lines.extend(memchr::memchr_iter(b'\n', bytes).map(|i| start + i + 1));
    }
    (lines, blocks, chars)
}

/// Number of characters that start in a slice of UTF-8 (every byte but continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    // Eight bytes at a time: a continuation byte (0b10xxxxxx) has bit 7 set and bit 6 clear;
    // shifted left by one, each byte's bit 6 lands on its own bit 7.
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut continuation = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        continuation += (x & !(x << 1) & HIGH).count_ones() as usize;
    }
    continuation += chunks
        .remainder()
        .iter()
        .filter(|&&b| (b & 0xC0) == 0x80)
        .count();
    bytes.len() - continuation
}

/// Why raw bytes could not be turned into text.
#[derive(Debug)]
pub struct DecodeError {
    pub offset: usize,
    pub message: String,
}

/// Decode file bytes: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order
/// mark, or without one when the text starts with two ASCII characters (a register starts with
/// `{`, or with a CSV header), told apart by where the zero bytes fall as RFC 4627 does.
pub fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest.to_vec(), 3);
    }
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
        [a, 0, b, 0, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => {
            Some((bytes.as_slice(), u16::from_le_bytes as fn([u8; 2]) -> u16))
        }
        [0, a, 0, b, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => {
            Some((bytes.as_slice(), u16::from_be_bytes as fn([u8; 2]) -> u16))
        }
        _ => None,
    };
    if let Some((rest, from_bytes)) = utf16 {
        if rest.len() % 2 != 0 {
            return Err(DecodeError {
                offset: bytes.len(),
                message: "UTF-16 file has an odd number of bytes".into(),
            });
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| from_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16(&units).map_err(|_| DecodeError {
            offset: 2,
            message: "invalid UTF-16 (unpaired surrogate)".into(),
        });
    }
    utf8(bytes, 0)
}

fn utf8(bytes: Vec<u8>, skipped: usize) -> Result<String, DecodeError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        DecodeError {
            offset: offset + skipped,
            message: format!(
                "invalid UTF-8 at byte {}: save the register as UTF-8",
                offset + skipped
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_indexed_as_a_small_one_would_be() {
        // Lines of varying length with multi-byte characters, over several parallel slices and
        // with a slice boundary inside a character.
        let mut text = String::new();
        let mut n = 0;
        while text.len() < 3 * PARALLEL_SLICE + 777 {
            text.push_str(&"ä€x🙂".repeat(n % 13));
            text.push_str(&"a".repeat(n % 97));
            text.push('\n');
            n += 1;
        }
        let file = SourceFile::new("big", text.clone());
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        assert_eq!(file.line_starts, line_starts);
        for offset in (0..text.len()).step_by(4093) {
            let expected_block = text.as_bytes()[..offset / BLOCK * BLOCK]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
            assert_eq!(file.block_chars[offset / BLOCK], expected_block, "{offset}");
            let line = line_starts.partition_point(|&s| s <= offset) - 1;
            let column = text.as_bytes()[line_starts[line]..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
            assert_eq!(file.line_col(offset), (line + 1, column + 1));
        }
        assert_eq!(*file.block_chars.last().unwrap_or(&0), text.chars().count());
    }

    #[test]
    fn char_starts_counts_characters_at_every_length_and_offset() {
        let text = "Ä1€ab𝄞cÖß\n\u{202e}xyz ĳ🙂 Prozess-Übersicht ".repeat(7);
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            for end in (start..=bytes.len()).step_by(5) {
                let expected = bytes[start..end]
                    .iter()
                    .filter(|&&b| (b & 0xC0) != 0x80)
                    .count();
                assert_eq!(char_starts(&bytes[start..end]), expected, "{start}..{end}");
            }
        }
        assert_eq!(char_starts(bytes), text.chars().count());
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("t", "ab\nÄx\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.offset_of(2, 2), 5);
    }

    #[test]
    fn line_col_on_a_long_line_counts_across_blocks() {
        let text = format!("{}\n{}x", "é".repeat(3000), "ä".repeat(5000));
        let file = SourceFile::new("t", text.clone());
        let x = text.len() - 1;
        assert_eq!(file.line_col(x), (2, 5001));
        assert_eq!(file.line_col(6000), (1, 3001));
        assert_eq!(file.line_col(text.len() + 10), (2, 5002));
        let exact = SourceFile::new("t", "a".repeat(2 * BLOCK));
        assert_eq!(exact.line_col(2 * BLOCK), (1, 2 * BLOCK + 1));
    }

    #[test]
    fn decode_strips_bom_and_reads_utf16() {
        assert_eq!(
            decode(vec![0xEF, 0xBB, 0xBF, b'{', b'}']).ok().as_deref(),
            Some("{}")
        );
        assert_eq!(
            decode(vec![0xFF, 0xFE, b'{', 0, b'}', 0]).ok().as_deref(),
            Some("{}")
        );
        assert!(decode(vec![b'a', 0xFF]).is_err());
    }

    #[test]
    fn decode_reads_utf16_without_a_byte_order_mark_by_its_zero_bytes() {
        assert_eq!(decode(vec![b'{', 0, b'}', 0]).ok().as_deref(), Some("{}"));
        assert_eq!(decode(vec![0, b'{', 0, b'}']).ok().as_deref(), Some("{}"));
        // One zero byte is not a pattern: it stays UTF-8 (and JSON rejects the NUL).
        assert_eq!(decode(vec![b'{', 0, b'}']).ok().as_deref(), Some("{\0}"));
    }
}
