//! `prmlint convert`: write a register (CSV, workbook or JSON) as a normalised JSON register, so
//! that a team can keep it in git and lint it in CI from then on.

use serde_json::{Map, Value};

use super::exit;
use crate::app::cli::ConvertArgs;
use crate::diag::finding::Finding;
use crate::diag::rules::{Code, Stage};
use crate::load::{self, Document, Limits};
use crate::validate::schema::PROCESS_KEYS;

/// Where the register schema is, for editors: the same `$schema` the README's example has.
const SCHEMA: &str = "https://prmlint.dev/schema/register.schema.json";

pub(super) fn convert(args: &ConvertArgs, color: bool) -> i32 {
    let config = match config_columns(args, color) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let mut options = crate::load::args::table_options(
        &args.table,
        config
            .as_ref()
            .map(|(columns, name)| (columns.as_slice(), name.as_str())),
    );
    options.keep_rows = true;
    let limits = Limits::default();
    let loaded = load::load_path_with(0, &args.register, args.input_format, &limits, &options);
    for note in &loaded.notes {
        super::print_note(&loaded.document.source.name, note);
    }
    let is_table = matches!(loaded.document.locator, load::Locator::Csv(_));
    // A column that names no field is kept as an `x-` field, which is what converting it means.
    let (kept, mut findings): (Vec<Finding>, Vec<Finding>) = loaded
        .findings
        .into_iter()
        .partition(|f| is_table && f.code == Code::UnknownProperty);
    if !kept.is_empty() {
        let headers: Vec<String> = kept
            .iter()
            .filter_map(|f| f.message.strip_prefix("unknown column "))
            .map(str::to_owned)
            .collect();
        eprintln!(
            "prmlint: note: {}: kept {} column(s) no register field names as `x-` fields: {}",
            crate::report::terminal_safe(&loaded.document.source.name),
            headers.len(),
            crate::report::terminal_safe(&headers.join(", "))
        );
    }
    let document = loaded.document;
    let register = if findings.iter().any(|f| f.code.info().stage == Stage::Input) {
        None
    } else if is_table {
        Some(from_rows(&document, loaded.rows))
    } else {
        serde_json::from_str::<Value>(&document.source.text)
            .ok()
            .map(with_schema)
    };
    // Only a register the schema accepts is written: the output is one CI can lint.
    let blocking: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            matches!(f.code.info().stage, Stage::Input | Stage::Schema)
                || f.code == Code::DuplicateKey
        })
        .collect();
    let fails = register.is_none() || !blocking.is_empty();
    if !findings.is_empty() {
        crate::diag::finding::sort_by_place(&mut findings);
        let mut out = Vec::new();
        let use_color = color && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let _ = super::write_diagnostics(
            &mut out,
            &findings,
            std::slice::from_ref(&document),
            use_color,
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), &out);
    }
    let Some(register) = register.filter(|_| !fails) else {
        let input = findings.iter().any(|f| f.code.info().stage == Stage::Input);
        eprintln!(
            "prmlint: nothing was written: {}",
            if input {
                "the register cannot be read"
            } else {
                "fix the errors above, and convert again"
            }
        );
        return if input { exit::ERROR } else { exit::FINDINGS };
    };
    let mut text = String::new();
    write_register(&mut text, &register, Level::Top, 0);
    text.push('\n');
    let bytes = text.into_bytes();
    let mut protected = vec![args.register.clone()];
    protected.extend(config.map(|(_, name)| name));
    let code = super::emit(&bytes, Some(&args.output), &protected);
    if code == exit::OK {
        let processes = register["processes"].as_array().map_or(0, Vec::len);
        eprintln!(
            "prmlint: wrote {processes} process(es) to {}",
            args.output.display()
        );
    }
    code
}

/// A configuration's `(field, header)` pairs and the file's name.
type ConfigColumns = (Vec<(String, String)>, String);

/// The `columns` of the configuration that applies: `--config`, else the prmlint.json found
/// beside the register or above it, unless `--isolated`.
fn config_columns(args: &ConvertArgs, color: bool) -> Result<Option<ConfigColumns>, i32> {
    let path = match (&args.config, args.isolated) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => crate::project::config::discover(&args.register)
            .map(|p| p.to_string_lossy().into_owned()),
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let loaded = crate::project::config::load(1, &path);
    if !loaded.findings.is_empty() || loaded.config.is_none() {
        let mut findings = loaded.findings;
        let documents = [load::empty_document(0, &args.register), loaded.document];
        super::print_fatal(&mut findings, &documents, color);
        return Err(exit::ERROR);
    }
    Ok(loaded.config.map(|c| (c.columns, path)))
}

/// The register of a table's rows, with where it came from.
fn from_rows(document: &Document, rows: Vec<Value>) -> Value {
    let source = std::path::Path::new(&document.source.name)
        .file_name()
        .map_or_else(
            || document.source.name.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
    let mut register = Map::new();
    register.insert("$schema".into(), Value::from(SCHEMA));
    let mut metadata = Map::new();
    metadata.insert("source".into(), Value::from(source));
    register.insert("register".into(), Value::Object(metadata));
    register.insert("processes".into(), Value::Array(rows));
    Value::Object(register)
}

/// A JSON register without `$schema` gets one, for editors.
fn with_schema(value: Value) -> Value {
    match value {
        Value::Object(mut top) => {
            top.entry("$schema").or_insert_with(|| Value::from(SCHEMA));
            Value::Object(top)
        }
        other => other,
    }
}

/// Which object is written, for the order of its keys.
#[derive(Clone, Copy)]
enum Level {
    Top,
    Metadata,
    Process,
    Mapping,
    Other,
}

/// The keys of an object in the order a reader expects: the schema's order first, anything
/// else (`x-` fields) after, by name.
fn ordered_keys(object: &Map<String, Value>, level: Level) -> Vec<&String> {
    let first: &[&str] = match level {
        Level::Top => &["$schema", "register", "processes"],
        Level::Metadata => &["organisation", "version", "source", "exported"],
        Level::Process => PROCESS_KEYS,
        Level::Mapping => &["prm", "relationship", "note"],
        Level::Other => &[],
    };
    let mut keys: Vec<&String> = first
        .iter()
        .filter_map(|k| object.get_key_value(*k).map(|(k, _)| k))
        .collect();
    keys.extend(object.keys().filter(|k| !first.contains(&k.as_str())));
    keys
}

/// Pretty-print a register with its keys in [`ordered_keys`] order, two spaces per level.
fn write_register(out: &mut String, value: &Value, level: Level, indent: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(object) if !object.is_empty() => {
            out.push_str("{\n");
            let keys = ordered_keys(object, level);
            for (i, key) in keys.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push_str(": ");
                let child = match (level, key.as_str()) {
                    (Level::Top, "register") => Level::Metadata,
                    (Level::Top, "processes") => Level::Process,
                    (Level::Process, "maps_to") => Level::Mapping,
                    _ => Level::Other,
                };
                write_register(out, &object[key.as_str()], child, indent + 1);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_register(out, item, level, indent + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_in_schema_order_and_x_fields_after_them() {
        let value = serde_json::json!({"processes": [
            {"x-b": 1, "owner": "o", "x-a": 2, "id": "P", "name": "n",
             "maps_to": [{"relationship": "equal", "prm": "improvement"}]}
        ], "$schema": "s"});
        let mut out = String::new();
        write_register(&mut out, &value, Level::Top, 0);
        let order: Vec<usize> = [
            "$schema",
            "processes",
            "\"id",
            "\"name",
            "owner",
            "maps_to",
            "prm",
            "relationship",
            "x-a",
            "x-b",
        ]
        .iter()
        .map(|k| out.find(k).unwrap_or(usize::MAX))
        .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(order, sorted, "{out}");
        assert_eq!(serde_json::from_str::<Value>(&out).ok(), Some(value));
    }
}
