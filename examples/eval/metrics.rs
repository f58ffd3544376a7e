//! Scoring the mapping engine against the labelled evaluation set in `fixtures/eval/`.
//! Shared by the `eval` example (which prints the figures) and `tests/eval.rs` (which pins a
//! floor).

use std::collections::BTreeMap;

use prmlint::load::{InputFormat, Limits, load_path};
use prmlint::mapping::{Mapper, Thresholds};
use serde_json::Value;

/// What one case expects and what the engine said.
#[derive(Debug)]
pub struct Case {
    pub id: String,
    pub name: String,
    pub lang: String,
    pub expected: Option<String>,
    pub expected_relationship: Option<String>,
    pub expected_area: Option<String>,
    pub also: Vec<String>,
    pub got: Option<String>,
    pub got_relationship: Option<String>,
    pub got_area: Option<String>,
    pub umbrella: bool,
}

/// Figures of one evaluation run.
#[derive(Debug, Default)]
pub struct Figures {
    pub cases: usize,
    pub top1: f64,
    pub top1_lenient: f64,
    pub none_precision: f64,
    pub none_recall: f64,
    pub relationship: f64,
    pub control_area: f64,
    pub by_lang: BTreeMap<String, (usize, usize)>,
    pub confusion: BTreeMap<(String, String), usize>,
}

fn label(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

pub fn run(path: &str) -> Result<(Vec<Case>, Figures), String> {
    let knowledge = prmlint::reference::embedded_knowledge()?;
    let mapper = Mapper::new(&knowledge, Thresholds::default());
    let loaded = load_path(0, path, InputFormat::Json, &Limits::default());
    if !loaded.findings.is_empty() {
        return Err(format!(
            "{path} does not load cleanly: {:?}",
            loaded.findings
        ));
    }
    let raw: Value =
        serde_json::from_str(&loaded.document.source.text).map_err(|e| e.to_string())?;
    let labels = raw["processes"].as_array().cloned().unwrap_or_default();
    let mut cases = Vec::new();
    for (process, raw) in loaded.document.register.processes.iter().zip(labels) {
        let result = mapper.map(process);
        let expect = &raw["x-expect"];
        cases.push(Case {
            id: process.id.clone(),
            name: process.name.clone(),
            lang: label(raw.get("x-lang")).unwrap_or_else(|| "?".into()),
            expected: label(expect.get("prm")),
            expected_relationship: label(expect.get("relationship")),
            expected_area: label(expect.get("control_area")),
            also: raw["x-also"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            got: result.best().map(|m| m.prm.clone()),
            got_relationship: result.best().map(|m| m.relationship.as_str().to_owned()),
            got_area: result.control_area.clone(),
            umbrella: result.umbrella,
        });
    }
    let n = cases.len().max(1) as f64;
    let mut figures = Figures {
        cases: cases.len(),
        ..Figures::default()
    };
    let mut top1 = 0;
    let mut lenient = 0;
    let (mut none_tp, mut none_fp, mut none_fn) = (0, 0, 0);
    let (mut rel_ok, mut rel_n) = (0, 0);
    let (mut area_ok, mut area_n) = (0, 0);
    for case in &cases {
        let correct = case.got == case.expected;
        if correct {
            top1 += 1;
        }
        if correct || case.got.as_ref().is_some_and(|g| case.also.contains(g)) {
            lenient += 1;
        }
        let entry = figures.by_lang.entry(case.lang.clone()).or_default();
        entry.0 += usize::from(correct);
        entry.1 += 1;
        match (&case.expected, &case.got) {
            (None, None) => none_tp += 1,
            (Some(_), None) => none_fp += 1,
            (None, Some(_)) => none_fn += 1,
            _ => {}
        }
        if correct && case.expected.is_some() {
            rel_n += 1;
            if case.got_relationship == case.expected_relationship {
                rel_ok += 1;
            }
        }
        if case.expected_area.is_some() {
            area_n += 1;
            if case.got_area == case.expected_area {
                area_ok += 1;
            }
        }
        if !correct {
            let key = (
                case.expected.clone().unwrap_or_else(|| "none".into()),
                case.got.clone().unwrap_or_else(|| "none".into()),
            );
            *figures.confusion.entry(key).or_default() += 1;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    figures.top1 = top1 as f64 / n;
    figures.top1_lenient = lenient as f64 / n;
    figures.none_precision = ratio(none_tp, none_tp + none_fp);
    figures.none_recall = ratio(none_tp, none_tp + none_fn);
    figures.relationship = ratio(rel_ok, rel_n);
    figures.control_area = ratio(area_ok, area_n);
    Ok((cases, figures))
}
