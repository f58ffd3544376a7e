//! JSON registers.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use rayon::prelude::*;

use super::{
    Document, Limits, Loaded, Locator, LongString, MAX_DEPTH_CEILING, truncate_long_strings,
};
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::source::SourceFile;
use crate::source::json::{JsonIndex, Kind, decode_string};
use crate::source::register::{Metadata, Process, Register};
use crate::validate::schema::{SchemaError, Validators};

/// Check the syntax with serde_json (which also bounds nesting) and index the spans; a syntax
/// error comes back as a finding placed at the error.
pub(crate) fn parse(file: usize, source: &SourceFile) -> Result<JsonIndex, Box<Finding>> {
    // The index keeps offsets as u32; --max-file-size may let a larger file through.
    if source.text.len() >= u32::MAX as usize {
        return Err(Box::new(
            Finding::new(
                Code::Limit,
                "JSON registers of 4 GiB or more are not supported",
            )
            .at(file, "", None)
            .help("split the register into several files"),
        ));
    }
    // The syntax check and the index both read the whole text: on a large register they run
    // side by side, and the index is thrown away if the syntax is wrong.
    let (checked, index) = rayon::join(
        || serde_json::from_str::<Skip>(&source.text),
        || JsonIndex::build(&source.text),
    );
    if let Err(e) = checked {
        let offset = source.offset_of(e.line(), e.column().max(1));
        let end = source.text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        let mut finding = syntax_finding(source, &e).at(file, "", None);
        finding.span = Some(offset..end);
        return Err(Box::new(finding));
    }
    Ok(index)
}

/// A value that is checked and thrown away. Unlike `IgnoredAny`, which serde_json skips without
/// counting depth, it descends through `deserialize_any`, so serde_json's nesting limit applies:
/// a file nested deeper than any later `Value` parse could read is a syntax error here, not a
/// silently empty value there.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<IgnoredAny, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// Findings for keys that occur twice in one object.
pub(crate) fn duplicate_key_findings(
    file: usize,
    source: &SourceFile,
    index: &JsonIndex,
) -> Vec<Finding> {
    index
        .duplicate_keys
        .iter()
        .map(|duplicate| {
            let key = decode_string(&source.text[duplicate.second.clone()]);
            Finding::new(Code::DuplicateKey, format!("key `{key}` appears twice"))
                .at(
                    file,
                    duplicate.pointer.clone(),
                    Some(duplicate.second.clone()),
                )
                .label("repeated here")
                .secondary(Some(duplicate.first.clone()), "first here")
                .help("remove or merge one of them: JSON readers keep only one value")
        })
        .collect()
}

/// Load a JSON register: the syntax and depth checked, the top level and each process read
/// and checked by the schema, every finding placed in the text.
pub(super) fn load(file: usize, source: SourceFile, limits: &Limits) -> Loaded {
    let mut document = Document {
        source,
        locator: Locator::None,
        register: Register::default(),
        file,
    };
    let index = match parse_within_depth(file, &document.source, limits) {
        Ok(index) => index,
        Err(finding) => return Loaded::new(document, vec![*finding]),
    };
    let mut findings = duplicate_key_findings(file, &document.source, &index);
    let validators = match Validators::get() {
        Ok(v) => v,
        Err(message) => {
            findings.push(Finding::new(Code::SchemaViolation, message).at(file, "", None));
            return without_processes(document, index, findings);
        }
    };
    let Some(root) = index.root() else {
        return without_processes(document, index, findings);
    };
    let text = &document.source.text;
    let (mut top_value, mut process_nodes) = top_level(text, &index, root);
    let mut long_strings = Vec::new();
    truncate_long_strings(
        &mut top_value,
        "",
        limits.max_string_length,
        &mut long_strings,
    );
    let metadata = top_value
        .get("register")
        .map(Metadata::from_value)
        .unwrap_or_default();
    let mut schema_errors = validators.check_top(&top_value);
    drop(top_value);
    findings.extend(limit_processes(file, &mut process_nodes, limits));
    let processes = read_processes(
        text,
        &index,
        &process_nodes,
        validators,
        limits,
        &mut long_strings,
        &mut schema_errors,
    );
    document.register = Register {
        metadata,
        entries: process_nodes.len(),
        processes,
    };
    document.locator = Locator::Json {
        index,
        processes: process_nodes,
    };
    place_findings(
        &document,
        long_strings,
        schema_errors,
        limits,
        &mut findings,
    );
    Loaded::new(document, findings)
}

/// Check the syntax and the nesting depth, and index the spans.
///
/// Depth is read from the span index, which records where each level opens: on text the
/// parser accepted (at most 127 levels), or when the parser stopped at its own limit, where
/// the text is well formed up to that point (the index of the failed parse is not kept, so
/// that rare case indexes the text again). In otherwise broken JSON a stray quote would
/// make the index count brackets inside strings; the syntax error is the finding that helps.
fn parse_within_depth(
    file: usize,
    source: &SourceFile,
    limits: &Limits,
) -> Result<JsonIndex, Box<Finding>> {
    let level = limits.max_depth + 1;
    match parse(file, source) {
        Ok(index) => match index.level_start(level) {
            Some(at) => Err(depth_finding(file, at, limits.max_depth)),
            None => Ok(index),
        },
        Err(finding) if finding.message.contains("recursion limit") => {
            match JsonIndex::build(&source.text).level_start(level) {
                Some(at) => Err(depth_finding(file, at, limits.max_depth)),
                None => Err(finding),
            }
        }
        Err(finding) => Err(finding),
    }
}

/// A document whose processes could not be read (no schema, no root value): indexed, empty.
fn without_processes(mut document: Document, index: JsonIndex, findings: Vec<Finding>) -> Loaded {
    document.locator = Locator::Json {
        index,
        processes: Vec::new(),
    };
    Loaded::new(document, findings)
}

/// The top-level value with `processes` left empty, and the nodes of the processes: each
/// process is parsed on its own later, so the register is never held twice.
fn top_level(
    text: &str,
    index: &JsonIndex,
    root: crate::source::json::NodeId,
) -> (Value, Vec<crate::source::json::NodeId>) {
    if index.kind(root) != Kind::Object {
        let value = serde_json::from_str(&text[index.span(root)]).unwrap_or_default();
        return (value, Vec::new());
    }
    let mut top = Map::new();
    let mut process_nodes = Vec::new();
    for member in index.children(root) {
        let Some(key_span) = index.key_span(member) else {
            continue;
        };
        let key = decode_string(&text[key_span]);
        if key == "processes" && index.kind(member) == Kind::Array {
            process_nodes = index.children(member).collect();
            top.insert(key, Value::Array(Vec::new()));
            continue;
        }
        let value: Value = serde_json::from_str(&text[index.span(member)]).unwrap_or_default();
        top.insert(key, value);
    }
    (Value::Object(top), process_nodes)
}

/// `limit-exceeded` when there are more processes than the limit, which are then cut to it.
fn limit_processes(
    file: usize,
    process_nodes: &mut Vec<crate::source::json::NodeId>,
    limits: &Limits,
) -> Option<Finding> {
    if process_nodes.len() <= limits.max_processes {
        return None;
    }
    let finding = Finding::new(
        Code::Limit,
        format!(
            "the register holds {} processes, more than the limit of {}",
            process_nodes.len(),
            limits.max_processes
        ),
    )
    .help("raise the limit with --max-processes")
    .at(file, "/processes", None);
    process_nodes.truncate(limits.max_processes);
    Some(finding)
}

/// Parse, check and read every process, adding what each found to `long_strings` and
/// `schema_errors` in register order.
fn read_processes(
    text: &str,
    index: &JsonIndex,
    process_nodes: &[crate::source::json::NodeId],
    validators: &Validators,
    limits: &Limits,
    long_strings: &mut Vec<LongString>,
    schema_errors: &mut Vec<SchemaError>,
) -> Vec<Process> {
    // Each process is parsed, checked and read on its own, on all cores; the indexed
    // `collect` keeps register order, so findings never depend on threads.
    let read: Vec<ReadProcess> = process_nodes
        .par_iter()
        .enumerate()
        .map(|(i, &node)| read_process(i, &text[index.span(node)], validators, limits))
        .collect();
    let mut processes = Vec::with_capacity(read.len());
    for one in read {
        long_strings.extend(one.long_strings);
        schema_errors.extend(one.schema_errors);
        processes.extend(one.process);
    }
    processes
}

/// The findings of long strings and schema errors, each placed at its value (at its key, or
/// at the start of an object missing a property).
fn place_findings(
    document: &Document,
    long_strings: Vec<LongString>,
    schema_errors: Vec<SchemaError>,
    limits: &Limits,
    findings: &mut Vec<Finding>,
) {
    let file = document.file;
    for long in long_strings {
        let span = if long.is_key {
            document.key_span(&long.source_pointer)
        } else {
            document.span(&long.source_pointer)
        };
        let finding = long.to_finding(limits.max_string_length);
        findings.push(finding.at(file, long.pointer, span));
    }
    for error in schema_errors {
        let pointer = error.pointer().to_owned();
        let span = if error.points_at_key() {
            document.key_span(&pointer)
        } else if matches!(error, SchemaError::Missing { .. }) {
            document.start_span(&pointer)
        } else {
            document.span(&pointer)
        };
        findings.push(error.to_finding().at(file, pointer, span));
    }
}

/// `limit-exceeded` at the bracket `at` that opens level `max + 1`.
fn depth_finding(file: usize, at: usize, max: usize) -> Box<Finding> {
    let mut finding = Finding::new(
        Code::Limit,
        format!("the file nests deeper than the limit of {max} levels"),
    )
    .at(file, "", None)
    .label(format!("level {}", max + 1))
    .help(format!(
        "a register nests about 5 levels; raise the limit with --max-depth (at most \
         {MAX_DEPTH_CEILING}) if the data really is this deep"
    ));
    finding.span = Some(at..at + 1);
    Box::new(finding)
}

/// What one entry of `processes` gave.
struct ReadProcess {
    process: Option<Process>,
    long_strings: Vec<LongString>,
    schema_errors: Vec<SchemaError>,
}

/// Parse, check and read the `i`th entry of `processes`, whose source text is `text`.
fn read_process(i: usize, text: &str, validators: &Validators, limits: &Limits) -> ReadProcess {
    let mut value: Value = serde_json::from_str(text).unwrap_or_default();
    let mut long_strings = Vec::new();
    // A string has at least as many bytes as characters: in a short text none is too long.
    if text.len() > limits.max_string_length {
        truncate_long_strings(
            &mut value,
            &format!("/processes/{i}"),
            limits.max_string_length,
            &mut long_strings,
        );
    }
    ReadProcess {
        schema_errors: validators.check_process(i, &value),
        process: Process::from_value(i, value),
        long_strings,
    }
}

fn syntax_finding(source: &SourceFile, error: &serde_json::Error) -> Finding {
    if source.text.trim().is_empty() {
        return Finding::new(Code::Syntax, "the file is empty")
            .label("expected a JSON object")
            .help("a register is a JSON object with a `processes` array: {\"processes\": []}");
    }
    let message = error.to_string();
    // serde_json appends " at line L column C"; the location is shown separately.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    let help = if message.contains("recursion limit") {
        "the file nests 128 levels deep or more; a register never needs this"
    } else if message.contains("EOF") {
        "the file ends early: it may have been cut off during export"
    } else if message.contains("trailing comma") {
        "remove the comma after the last element"
    } else {
        "fix the JSON syntax at the position shown"
    };
    Finding::new(Code::Syntax, format!("invalid JSON: {message}"))
        .label(message)
        .help(help)
}
