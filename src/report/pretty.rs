//! Pretty JSON written field by field, the large arrays rendered on all cores: the same bytes
//! as `serde_json::to_writer_pretty` and a final newline.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Array elements rendered by one task, and elements rendered before they are written: enough
/// work per task to spread it, few enough bytes held at once.
const CHUNK: usize = 64;
const BATCH: usize = 64 * CHUNK;

/// The top-level object of a report, written one field at a time.
pub(crate) struct PrettyObject<'a> {
    // The serialiser writes a few bytes at a time, so they are gathered before they reach
    // `out`, which may not be buffered; large rendered chunks go straight through.
    out: std::io::BufWriter<&'a mut dyn Write>,
    first: bool,
}

impl std::fmt::Debug for PrettyObject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrettyObject")
            .field("first", &self.first)
            .finish_non_exhaustive()
    }
}

impl<'a> PrettyObject<'a> {
    pub(crate) fn begin(out: &'a mut dyn Write) -> std::io::Result<Self> {
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
        out.write_all(b"{")?;
        Ok(PrettyObject { out, first: true })
    }

    /// A field whose value is small enough to render in place.
    pub(crate) fn field(&mut self, key: &str, value: &impl Serialize) -> std::io::Result<()> {
        self.key(key)?;
        render(&mut self.out, value, 1)
    }

    /// An array field, its elements (`view` of each item) rendered in parallel and written in
    /// order.
    pub(crate) fn array<'i, T, V>(
        &mut self,
        key: &str,
        items: &'i [T],
        view: impl Fn(&'i T) -> V + Sync,
    ) -> std::io::Result<()>
    where
        T: Sync,
        V: Serialize,
    {
        self.key(key)?;
        self.out.write_all(b"[")?;
        if items.is_empty() {
            return self.out.write_all(b"]");
        }
        for (b, batch) in items.chunks(BATCH).enumerate() {
            let parts: Vec<std::io::Result<Vec<u8>>> = batch
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut buf = Vec::with_capacity(chunk.len() * 2048);
                    for (i, item) in chunk.iter().enumerate() {
                        let first = b == 0 && c == 0 && i == 0;
                        buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        render(&mut buf, &view(item), 2)?;
                    }
                    Ok(buf)
                })
                .collect();
            for part in parts {
                self.out.write_all(&part?)?;
            }
        }
        self.out.write_all(b"\n  ]")
    }

    pub(crate) fn end(mut self) -> std::io::Result<()> {
        self.out
            .write_all(if self.first { b"}\n" } else { b"\n}\n" })?;
        self.out.flush()
    }

    fn key(&mut self, key: &str) -> std::io::Result<()> {
        self.out
            .write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, key)?;
        self.out.write_all(b": ")
    }
}

/// Write `value` as serde_json's pretty printer does at nesting `depth`.
fn render(out: &mut impl Write, value: &impl Serialize, depth: usize) -> std::io::Result<()> {
    // The pretty formatter keeps its depth to itself; opening arrays into a sink is the public
    // way to start it deeper.
    let mut formatter = PrettyFormatter::new();
    for _ in 0..depth {
        formatter.begin_array(&mut std::io::sink())?;
    }
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

    /// What `PrettyObject` writes for `fields`, then `array` rendered in parallel.
    fn written(
        fields: &[(&str, serde_json::Value)],
        array: (&str, &[serde_json::Value]),
    ) -> Result<String> {
        let mut out = Vec::new();
        let mut object = PrettyObject::begin(&mut out)?;
        for (key, value) in fields {
            object.field(key, value)?;
        }
        object.array(array.0, array.1, |v| v)?;
        object.end()?;
        Ok(String::from_utf8(out)?)
    }

    #[test]
    fn writes_the_bytes_serde_json_pretty_writes() -> Result<()> {
        let items: Vec<serde_json::Value> = (0..BATCH + 70)
            .map(|i| {
                json!({
                    "id": format!("P-{i}"),
                    "empty": [],
                    "none": {},
                    "nested": {"a": [1, {"b": []}], "s": "\"q\" \u{1b}"}
                })
            })
            .collect();
        for array in [&items[..], &items[..1], &[]] {
            // Keys in alphabetical order: that is how serde_json's `Map` orders them.
            let fields = [
                ("a", json!("prmlint")),
                ("b", json!({})),
                ("c", json!([[], [1]])),
            ];
            let mut expected = serde_json::Map::new();
            for (key, value) in &fields {
                expected.insert((*key).to_owned(), value.clone());
            }
            expected.insert("items".to_owned(), json!(array));
            let expected = serde_json::to_string_pretty(&expected)? + "\n";
            let got = written(&fields, ("items", array))?;
            let differs = got.bytes().zip(expected.bytes()).position(|(a, b)| a != b);
            assert!(
                got == expected,
                "{} elements: first difference at byte {differs:?} ({} vs {} bytes)",
                array.len(),
                got.len(),
                expected.len()
            );
        }
        Ok(())
    }
}
