//! Property tests over arbitrary registers, through the library API in the order `check` runs
//! it (load, hygiene, map, analyse, report): register-shaped JSON with random strings (Unicode,
//! controls, bidi overrides), random field types and random `maps_to` never makes a stage
//! panic; the JSON report always matches `schema/report.schema.json`; reports are byte-for-byte
//! deterministic; and the order of the processes in the register changes no finding. The table
//! readers too: a table gives the same findings whatever its separator and encoding (a German
//! Excel's `;` and Windows-1252), and as a worksheet (.xlsx); arbitrary worksheets and damaged
//! workbooks never make a stage panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use crate::common::xlsx;

use prmlint::analysis::{Settings, analyse};
use prmlint::diag::finding::Finding;
use prmlint::load::{Document, InputFormat, Limits, load_bytes};
use prmlint::mapping::{Knowledge, Mapper, ProcessMapping, Thresholds};
use prmlint::report::owners::GroupBy;
use prmlint::report::run::CheckRun;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Cases per property: enough to walk the shapes, few enough that `cargo test` stays quick.
const CASES: u32 = 64;

const WORDS: &[&str] = &[
    "incident",
    "management",
    "risk",
    "assessment",
    "treatment",
    "audit",
    "internal",
    "change",
    "supplier",
    "records",
    "awareness",
    "training",
    "policy",
    "security",
    "information",
    "ISMS",
    "continuity",
    "backup",
    "access",
    "improvement",
    "ITIL",
    "ISO/IEC 27001 9.2",
    "Vorfallmanagement",
    "gestion",
];

fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| prmlint::load::reference::embedded_knowledge().unwrap())
}

fn report_schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::validator_for(&serde_json::from_str(prmlint::validate::schema::REPORT).unwrap())
            .unwrap()
    })
}

/// Text a register might hold: words that map, arbitrary Unicode, and the characters that
/// attack terminals and documents.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 1..5).prop_map(|w| w.join(" ")),
        2 => any::<String>(),
        1 => prop::collection::vec(
            prop::sample::select(vec![
                "\u{1b}[31m", "\u{202e}", "\u{2066}", "\0", "\r\n", "<script>", "=1+1", "|", "*",
                "\u{200b}", "e\u{301}", "👩\u{200d}👩", " ", "", "\t",
            ]),
            0..6,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

/// Any JSON value, nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value that is usually of the right type.
fn mostly<S: Strategy<Value = Value> + 'static>(right: S) -> BoxedStrategy<Value> {
    prop_oneof![6 => right, 1 => any_json()].boxed()
}

/// Ids from a small pool, so that duplicates and parents that exist are common.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0..6u8).prop_map(|n| format!("P-{n}")),
        1 => text(),
    ]
}

fn text_list() -> impl Strategy<Value = Value> {
    prop::collection::vec(text(), 0..4).prop_map(Value::from)
}

fn mapping() -> impl Strategy<Value = Value> {
    let prm = prop_oneof![
        6 => prop::sample::select(prmlint::model::PRM_IDS).prop_map(str::to_owned),
        1 => text(),
    ];
    let relationship = prop_oneof![
        6 => prop::sample::select(vec!["equal", "superset", "subset", "intersects"])
            .prop_map(str::to_owned),
        1 => text(),
    ];
    (
        mostly(prm.prop_map(Value::from)),
        mostly(relationship.prop_map(Value::from)),
        prop::option::of(mostly(text().prop_map(Value::from))),
    )
        .prop_map(|(prm, relationship, note)| {
            let mut item = Map::new();
            item.insert("prm".into(), prm);
            item.insert("relationship".into(), relationship);
            if let Some(note) = note {
                item.insert("note".into(), note);
            }
            Value::Object(item)
        })
}

/// A process: every register field, each present or not and usually of the right type, plus
/// the odd unknown or vendor field.
fn process() -> impl Strategy<Value = Value> {
    let status = prop::sample::select(vec!["active", "draft", "retired"]).prop_map(Value::from);
    let fields = (
        (
            mostly(id().prop_map(Value::from)),
            mostly(text().prop_map(Value::from)),
            prop::option::of(mostly(text().prop_map(Value::from))),
            prop::option::of(mostly(text().prop_map(Value::from))),
            prop::option::of(mostly(text().prop_map(Value::from))),
            prop::option::of(mostly(status)),
            prop::option::of(mostly(id().prop_map(Value::from))),
        ),
        (
            prop::option::of(mostly(text_list())),
            prop::option::of(mostly(text_list())),
            prop::option::of(mostly(text_list())),
            prop::option::of(mostly(text_list())),
            prop::option::of(mostly(
                prop::collection::vec(mapping(), 0..5).prop_map(Value::from),
            )),
            prop::option::of(mostly(text_list())),
            prop::option::of((text(), any_json())),
        ),
    );
    fields.prop_map(|(a, b)| {
        let (id, name, description, owner, category, status, parent) = a;
        let (activities, inputs, outputs, frameworks, maps_to, tags, extra) = b;
        let mut object = Map::new();
        object.insert("id".into(), id);
        object.insert("name".into(), name);
        let optional = [
            ("description", description),
            ("owner", owner),
            ("category", category),
            ("status", status),
            ("parent", parent),
            ("activities", activities),
            ("inputs", inputs),
            ("outputs", outputs),
            ("frameworks", frameworks),
            ("maps_to", maps_to),
            ("tags", tags),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                object.insert(key.into(), value);
            }
        }
        if let Some((key, value)) = extra {
            object.insert(key, value);
        }
        Value::Object(object)
    })
}

/// A register's processes (the metadata is fixed: it takes no part in the analysis).
fn processes() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(mostly(process()), 0..8)
}

/// The processes with every string id replaced by `P-<position>` (parents keep pointing into
/// the same pool of ids).
fn unique_ids(mut processes: Vec<Value>) -> Vec<Value> {
    for (i, process) in processes.iter_mut().enumerate() {
        if let Some(id) = process.get_mut("id").filter(|id| id.is_string()) {
            *id = Value::from(format!("P-{i}"));
        }
    }
    processes
}

fn register_text(processes: &[Value]) -> Vec<u8> {
    let register = serde_json::json!({
        "register": {"organisation": "Property \u{202e} test", "version": "1"},
        "processes": processes,
    });
    serde_json::to_vec_pretty(&register).unwrap()
}

/// What one `check` produced.
struct Checked {
    documents: Vec<Document>,
    results: Vec<Vec<ProcessMapping>>,
    analysis: prmlint::analysis::Analysis,
    findings: Vec<Finding>,
}

impl Checked {
    fn run(&self) -> CheckRun<'_> {
        CheckRun {
            documents: &self.documents,
            sources: &self.documents,
            results: &self.results,
            analysis: &self.analysis,
            findings: &self.findings,
            knowledge: knowledge(),
            words: prmlint::i18n::Translator::english(),
            paths: None,
        }
    }
}

/// The `check` pipeline as `app::check` runs it.
fn check(bytes: Vec<u8>, format: InputFormat) -> Checked {
    let loaded = load_bytes(0, "register", bytes, format, &Limits::default());
    let documents = vec![loaded.document];
    let mut findings = loaded.findings;
    findings.extend(prmlint::validate::hygiene::check(
        &documents,
        prmlint::model::PRM_IDS,
    ));
    prmlint::diag::finding::sort_by_place(&mut findings);
    let mapper = Mapper::new(knowledge(), Thresholds::default());
    let results: Vec<Vec<ProcessMapping>> = documents
        .iter()
        .map(|d| d.register.processes.iter().map(|p| mapper.map(p)).collect())
        .collect();
    let analysis = analyse(&documents, &results, knowledge(), &Settings::default());
    findings.extend(analysis.findings.iter().cloned());
    Checked {
        documents,
        results,
        analysis,
        findings,
    }
}

fn json_report(checked: &Checked) -> Vec<u8> {
    let mut out = Vec::new();
    prmlint::report::check_json::write(&mut out, &checked.run()).unwrap();
    out
}

/// Every other writer, to show none of them panics on what the pipeline produced.
fn write_every_format(checked: &Checked) {
    let run = checked.run();
    let mut out = Vec::new();
    prmlint::report::sarif::write(&mut out, &run).unwrap();
    prmlint::report::github::write(&mut out, &run).unwrap();
    prmlint::report::junit::write(&mut out, &run).unwrap();
    for group_by in [GroupBy::Kind, GroupBy::Owner] {
        prmlint::report::markdown::write(&mut out, &run, group_by).unwrap();
        prmlint::report::html::write(&mut out, &run, Some("2026-01-01"), group_by).unwrap();
    }
    for table in [
        prmlint::app::cli::CsvTable::Mappings,
        prmlint::app::cli::CsvTable::Coverage,
        prmlint::app::cli::CsvTable::Actions,
    ] {
        prmlint::report::csv_report::write(&mut out, &run, table).unwrap();
    }
    let mut diagnostics = Vec::new();
    prmlint::app::write_diagnostics(
        &mut diagnostics,
        &checked.findings,
        &checked.documents,
        true,
    )
    .unwrap();
    for group_by in [GroupBy::Kind, GroupBy::Owner] {
        prmlint::report::check_text::write(&mut out, &run, &diagnostics, "passes", group_by)
            .unwrap();
    }
    prmlint::report::mapping_text::write(
        &mut out,
        &checked.documents,
        &checked.results,
        knowledge(),
    )
    .unwrap();
}

/// A finding as the order of the register cannot change it: no place, sorted processes.
type Content = (String, String, String, Option<String>, Vec<String>);

/// Rules whose message still depends on the order of the register, so only their code,
/// severity, PRM process and processes are compared until the analysis sorts them:
/// `inactive-coverage` and `duplicate-process` list their processes in register order,
/// `missing-process` so names the umbrella processes that claim it, and `adaptable-process`
/// picks the first of equally scored candidates and lists the others in register order.
const MESSAGE_IN_REGISTER_ORDER: &[&str] = &[
    "inactive-coverage",
    "duplicate-process",
    "missing-process",
    "adaptable-process",
];

/// A message with `process 3` (a place in the register, as a schema message gives it) made
/// `process #`.
fn without_process_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("process ") {
        let (head, tail) = rest.split_at(at + "process ".len());
        out.push_str(head);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push('#');
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

fn contents(findings: &[Finding]) -> Vec<Content> {
    let mut all: Vec<Content> = findings
        .iter()
        .map(|f| {
            let mut processes = f.processes.clone();
            processes.sort();
            let message = if MESSAGE_IN_REGISTER_ORDER.contains(&f.code.as_str()) {
                String::new()
            } else {
                without_process_numbers(&f.message)
            };
            (
                f.code.as_str().to_owned(),
                f.severity.as_str().to_owned(),
                message,
                f.prm.clone(),
                processes,
            )
        })
        .collect();
    all.sort();
    all
}

/// Words a German spreadsheet holds, all of them in Windows-1252.
const GERMAN: &[&str] = &[
    "Behandlung",
    "von",
    "Sicherheitsvorfällen",
    "Änderungen",
    "Prüfung",
    "Maßnahmen",
    "Lieferanten",
    "Schulung",
    "Risikobeurteilung",
    "Überwachung",
    "incident",
    "risk",
    "audit",
    "€",
    "–",
    "„Zitat“",
    "100 %",
    "a;b",
    "x\ny",
    "\"q\"",
];

/// Cell text that every table format carries alike: German words, separators, quotes and
/// line breaks inside cells.
fn table_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(GERMAN), 0..5).prop_map(|w| w.join(" "))
}

/// A table register: a header of field names (always with id and name) and rows of cells.
fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    let headers = prop::collection::vec(
        prop::sample::select(prmlint::validate::schema::PROCESS_KEYS).prop_map(str::to_owned),
        0..6,
    );
    let rows = prop::collection::vec(prop::collection::vec(table_text(), 2..8), 0..6);
    (headers, rows).prop_map(|(headers, rows)| {
        let mut all = vec!["id".to_owned(), "name".to_owned()];
        all.extend(headers.into_iter().filter(|h| h != "id" && h != "name"));
        all.dedup();
        let width = all.len();
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut row)| {
                row.resize(width, String::new());
                row[0] = format!("P-{i}");
                row
            })
            .collect();
        (all, rows)
    })
}

fn csv_bytes(headers: &[String], rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    writer.write_record(headers).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

/// Text in XML, for a worksheet's inline strings.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal .xlsx holding one sheet of `rows` (row number, column, text), as inline strings.
fn xlsx_bytes(rows: &[(u32, u32, String)]) -> Vec<u8> {
    let letters = |mut n: u32| {
        let mut s = Vec::new();
        n += 1;
        while n > 0 {
            s.push(b'A' + ((n - 1) % 26) as u8);
            n = (n - 1) / 26;
        }
        s.reverse();
        String::from_utf8(s).unwrap()
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let mut current = None;
    for (row, column, text) in rows {
        if current != Some(*row) {
            if current.is_some() {
                sheet.push_str("</row>");
            }
            sheet.push_str(&format!(r#"<row r="{}">"#, row + 1));
            current = Some(*row);
        }
        sheet.push_str(&format!(
            r#"<c r="{}{}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
            letters(*column),
            row + 1,
            xml_escape(text)
        ));
    }
    if current.is_some() {
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    xlsx::workbook_of_sheet(&sheet)
}

/// The cells of a table as a worksheet's (row, column, text), empty cells left out, below
/// `above` blank rows and a title.
fn table_cells(headers: &[String], rows: &[Vec<String>], above: u32) -> Vec<(u32, u32, String)> {
    let mut cells = Vec::new();
    if above > 0 {
        cells.push((0, 0, "Prozessübersicht".to_owned()));
    }
    for (r, row) in std::iter::once(headers)
        .chain(rows.iter().map(Vec::as_slice))
        .enumerate()
    {
        for (c, text) in row.iter().enumerate() {
            if !text.trim().is_empty() {
                cells.push((above + r as u32, c as u32, text.clone()));
            }
        }
    }
    cells
}

fn table_findings(bytes: Vec<u8>, format: InputFormat) -> Vec<Content> {
    contents(&check(bytes, format).findings)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_register_goes_through_check_and_gives_a_report_that_matches_its_schema(
        processes in processes(),
    ) {
        let checked = check(register_text(&processes), InputFormat::Json);
        let report: Value = serde_json::from_slice(&json_report(&checked)).unwrap();
        let errors: Vec<String> = report_schema()
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        prop_assert!(errors.is_empty(), "{errors:?}");
        write_every_format(&checked);
    }

    #[test]
    fn any_value_at_all_is_loaded_without_panicking(value in any_json()) {
        let checked = check(serde_json::to_vec(&value).unwrap(), InputFormat::Json);
        write_every_format(&checked);
    }

    #[test]
    fn any_csv_register_goes_through_check(
        headers in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(prmlint::validate::schema::PROCESS_KEYS).prop_map(str::to_owned),
                1 => text(),
            ],
            1..8,
        ),
        rows in prop::collection::vec(prop::collection::vec(text(), 0..9), 0..6),
    ) {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        let mut headers = headers;
        headers.extend(["id".to_owned(), "name".to_owned()]);
        writer.write_record(&headers).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let checked = check(bytes, InputFormat::Csv);
        let report: Value = serde_json::from_slice(&json_report(&checked)).unwrap();
        prop_assert!(report_schema().is_valid(&report));
        write_every_format(&checked);
    }

    #[test]
    fn the_same_register_always_gives_the_same_bytes(processes in processes()) {
        let text = register_text(&processes);
        let first = json_report(&check(text.clone(), InputFormat::Json));
        let second = json_report(&check(text, InputFormat::Json));
        prop_assert_eq!(first, second);
    }

    // Ids are made unique: with two processes of one id, "the process `P-1`" is ambiguous, and
    // which of them a message names rightly depends on the register.
    #[test]
    fn the_order_of_the_processes_changes_no_finding(
        (processes, shuffled) in processes()
            .prop_map(unique_ids)
            .prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle())),
    ) {
        let before = contents(&check(register_text(&processes), InputFormat::Json).findings);
        let after = contents(&check(register_text(&shuffled), InputFormat::Json).findings);
        let only_before: Vec<&Content> = before.iter().filter(|f| !after.contains(f)).collect();
        let only_after: Vec<&Content> = after.iter().filter(|f| !before.contains(f)).collect();
        prop_assert!(
            before == after,
            "in register order only: {:#?}\nshuffled only: {:#?}",
            only_before,
            only_after
        );
    }
    #[test]
    fn a_table_gives_the_same_findings_in_any_separator_and_in_windows_1252(
        (headers, rows) in table(),
        delimiter in prop::sample::select(vec![b';', b'\t', b'|']),
    ) {
        let utf8 = csv_bytes(&headers, &rows, b',');
        let expected = table_findings(utf8.clone(), InputFormat::Csv);
        let legacy_text = String::from_utf8(csv_bytes(&headers, &rows, delimiter)).unwrap();
        let (legacy, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&legacy_text);
        prop_assert!(!unmappable);
        prop_assert_eq!(&table_findings(legacy.into_owned(), InputFormat::Csv), &expected);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(utf8);
        prop_assert_eq!(&table_findings(bom, InputFormat::Csv), &expected);
    }

    #[test]
    fn a_table_gives_the_same_findings_as_a_worksheet_below_title_rows(
        (headers, rows) in table(),
        above in 0u32..4,
    ) {
        let expected = table_findings(csv_bytes(&headers, &rows, b','), InputFormat::Csv);
        let xlsx = xlsx_bytes(&table_cells(&headers, &rows, above));
        prop_assert_eq!(table_findings(xlsx, InputFormat::Workbook), expected);
    }

    #[test]
    fn any_worksheet_goes_through_check(
        cells in prop::collection::btree_map(
            (0u32..40, prop_oneof![0u32..12, Just(16_383u32)]),
            prop_oneof![
                3 => prop::sample::select(prmlint::validate::schema::PROCESS_KEYS).prop_map(str::to_owned),
                6 => text(),
            ],
            0..60,
        ),
    ) {
        let cells: Vec<(u32, u32, String)> =
            cells.into_iter().map(|((r, c), t)| (r, c, t)).collect();
        let checked = check(xlsx_bytes(&cells), InputFormat::Workbook);
        let report: Value = serde_json::from_slice(&json_report(&checked)).unwrap();
        prop_assert!(report_schema().is_valid(&report));
        write_every_format(&checked);
    }

    #[test]
    fn a_damaged_workbook_is_an_input_error_and_never_a_panic(
        cut in 0usize..1_000_000,
        flips in prop::collection::vec((0usize..1_000_000, any::<u8>()), 0..8),
    ) {
        let whole = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/exports/client.xlsx"
        ))
        .unwrap();
        let mut bytes = whole[..cut % whole.len()].to_vec();
        for (at, value) in flips {
            if !bytes.is_empty() {
                let len = bytes.len();
                bytes[at % len] = value;
            }
        }
        let checked = check(bytes, InputFormat::Workbook);
        prop_assert!(
            checked
                .findings
                .iter()
                .any(|f| f.code.info().stage == prmlint::diag::rules::Stage::Input),
            "{:?}",
            checked.findings
        );
        write_every_format(&checked);
    }
}
