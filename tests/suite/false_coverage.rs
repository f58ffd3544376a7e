//! Generic company-wide process names never count as coverage of an ISMS process: an auditor
//! would raise the gap they hide. Each case here was once reported as `equal` or `superset`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use prmlint::mapping::{Knowledge, Mapper, ProcessMapping, Thresholds};
use prmlint::source::register::Process;

fn knowledge() -> Knowledge {
    prmlint::load::reference::embedded_knowledge().expect("embedded data loads")
}

fn map(knowledge: &Knowledge, process: Process) -> ProcessMapping {
    Mapper::new(knowledge, Thresholds::default()).map(&process)
}

fn named(name: &str) -> Process {
    Process {
        id: "P-1".into(),
        name: name.into(),
        ..Process::default()
    }
}

/// The relationship the process gets to the PRM process, if it maps onto it at all.
fn relationship(knowledge: &Knowledge, process: Process, prm: &str) -> Option<&'static str> {
    map(knowledge, process)
        .mappings
        .iter()
        .find(|m| m.prm == prm)
        .map(|m| m.relationship.as_str())
}

#[test]
fn bare_generic_names_are_at_most_partial_coverage() {
    let knowledge = knowledge();
    let cases = [
        ("KVP", "improvement"),
        ("Continual improvement", "improvement"),
        ("Kontinuierlicher Verbesserungsprozess", "improvement"),
        ("Corrective and preventive action", "improvement"),
        ("Document management", "records-control"),
        ("Records management", "records-control"),
        ("Dokumentenmanagement", "records-control"),
        ("Schulungsmanagement", "awareness-competence"),
        ("Training management", "awareness-competence"),
        ("Competence management", "awareness-competence"),
        ("Kommunikation", "communication"),
        ("Communication", "communication"),
        ("Corporate communication", "communication"),
        ("Resource management", "resource-management"),
        ("Interne Revision", "internal-audit"),
        ("Corporate internal audit", "internal-audit"),
        ("Certification audits", "internal-audit"),
        ("Zertifizierungsaudits", "internal-audit"),
        ("Risk management", "risk-assessment"),
        ("Operational risk management", "risk-assessment"),
        ("IT risk management", "risk-assessment"),
        ("Enterprise risk management", "risk-assessment"),
        ("27001 9.3 Management review", "governance-interface"),
        ("ISO/IEC 27001 9.3", "governance-interface"),
        ("Security metrics", "performance-evaluation"),
        ("Sicherheitskennzahlen", "performance-evaluation"),
    ];
    let mut wrong = Vec::new();
    for (name, prm) in cases {
        let got = relationship(&knowledge, named(name), prm);
        if matches!(got, Some("equal" | "superset")) {
            wrong.push(format!("{name:?} is {got:?} {prm}"));
        }
    }
    assert!(wrong.is_empty(), "false coverage: {wrong:#?}");
}

#[test]
fn ambiguous_acronyms_are_not_false_friends() {
    let knowledge = knowledge();
    // ICS is an industrial control system in OT registers, not an internal control system.
    let mapped = map(&knowledge, named("ICS"));
    assert!(
        mapped.mappings.is_empty(),
        "ICS mapped to {:?}",
        mapped.mappings
    );
    // A SOC 2 report is an assurance report for customers, not a security operations centre.
    let mapped = map(&knowledge, named("SOC 2 Type II report"));
    assert_eq!(mapped.control_area, None);
    assert_eq!(
        mapped.best().map(|m| m.prm.as_str()),
        Some("customer-relationship")
    );
    let mapped = map(&knowledge, named("SOC"));
    assert_eq!(mapped.control_area.as_deref(), Some("logging-monitoring"));
}

#[test]
fn the_security_wording_or_the_isms_text_makes_the_same_name_cover() {
    let knowledge = knowledge();
    assert_eq!(
        relationship(
            &knowledge,
            named("Information security risk management"),
            "risk-assessment"
        ),
        Some("superset")
    );
    // A corporate audit whose text says it runs the ISMS audits of clause 9.2 covers them.
    let audit = Process {
        description: Some(
            "Prüft alle Unternehmensbereiche nach Jahresprüfplan, inklusive interner \
             ISMS-Audits nach ISO/IEC 27001."
                .into(),
        ),
        frameworks: vec!["ISO/IEC 27001:2022 9.2".into()],
        ..named("Interne Revision")
    };
    assert_eq!(
        relationship(&knowledge, audit, "internal-audit"),
        Some("superset")
    );
}
