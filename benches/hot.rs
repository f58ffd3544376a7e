//! Criterion benchmarks of the hot functions: normalising text, mapping one typical process
//! and indexing a 1 MB register. `cargo bench --bench hot`; the end-to-end figures come from
//! `cargo run --release --example bench`.

#[path = "../examples/support/generator.rs"]
#[allow(dead_code, reason = "shared with the examples, which use the rest")]
mod generator;
#[path = "../examples/support/vocabulary.rs"]
mod vocabulary;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use prmlint::mapping::{Knowledge, Mapper, Thresholds};
use prmlint::source::json::JsonIndex;
use prmlint::source::register::Process;

fn knowledge() -> Knowledge {
    match prmlint::load::reference::embedded_knowledge() {
        Ok(knowledge) => knowledge,
        Err(e) => panic!("the embedded reference data does not load: {e}"),
    }
}

/// A process as registers hold them: a name with a typo, a description, activities, a
/// framework reference.
fn typical_process() -> Process {
    let texts = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    Process {
        id: "SEC-02".into(),
        name: "Security incidnet management".into(),
        description: Some(
            "SOC-run handling of information security incidents: detection, triage, \
             containment, eradication and recovery, with lessons learned fed back into the \
             risk assessment."
                .into(),
        ),
        owner: Some("CISO".into()),
        activities: texts(&[
            "Receive and log security events from the SIEM and the service desk",
            "Classify and prioritise incidents",
            "Contain, eradicate and recover",
            "Notify authorities and customers where required",
            "Hold a lessons-learned review",
        ]),
        inputs: texts(&["SIEM alerts", "User reports"]),
        outputs: texts(&["Incident reports", "Lessons learned"]),
        frameworks: texts(&["ISO/IEC 27001:2022 A.5.24", "ITIL 4 Incident management"]),
        has_activities_field: true,
        ..Process::default()
    }
}

/// A generated register of about 1 MB.
fn register_of_one_megabyte() -> String {
    let options = generator::Options {
        processes: 1_700,
        seed: 7,
        invalid: false,
        format: generator::Format::Json,
    };
    let mut bytes = Vec::new();
    if let Err(e) = generator::generate(&options, &mut bytes) {
        panic!("cannot generate the register: {e}");
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn normalizer(c: &mut Criterion) {
    let knowledge = knowledge();
    let english = "Receive and log security events from the SIEM and the service desk, \
                   classify and prioritise incidents";
    let german = "Informationssicherheitsvorfallbehandlung und Änderungsmanagement für \
                  Büro-IT und Produktionsnetz";
    c.bench_function("Normalizer::tokens english sentence", |b| {
        b.iter(|| knowledge.normalizer.tokens(black_box(english)))
    });
    c.bench_function("Normalizer::tokens german compounds", |b| {
        b.iter(|| knowledge.normalizer.tokens(black_box(german)))
    });
}

fn mapper(c: &mut Criterion) {
    let knowledge = knowledge();
    let mapper = Mapper::new(&knowledge, Thresholds::default());
    let process = typical_process();
    c.bench_function("Mapper::map typical process", |b| {
        b.iter(|| mapper.map(black_box(&process)))
    });
}

fn json_index(c: &mut Criterion) {
    let text = register_of_one_megabyte();
    c.bench_function(
        &format!("JsonIndex::build {} KiB register", text.len() / 1024),
        |b| b.iter(|| JsonIndex::build(black_box(&text))),
    );
}

criterion_group!(hot, normalizer, mapper, json_index);
criterion_main!(hot);
