//! Every rule prmlint knows: its stable code, default severity, one-line summary and longer
//! explanation. `explain`, SARIF rule metadata and the README's table all read from here.

use serde::Serialize;

use crate::diag::finding::Severity;

/// What stage a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The file could not be read or parsed at all.
    Input,
    /// The register breaks the schema.
    Schema,
    /// The register is well-formed but untidy or inconsistent.
    Hygiene,
    /// The gap analysis against the PRM.
    Analysis,
    /// prmlint's own files beside the register: configuration, baseline and decisions.
    Config,
}

/// Static description of one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    pub stage: Stage,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
}

macro_rules! rules {
    ($($variant:ident => ($code:literal, $stage:ident, $severity:ident, $summary:literal, $explanation:literal)),+ $(,)?) => {
        /// Stable identifier of a rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn info(self) -> RuleInfo {
                match self {
                    $(Code::$variant => RuleInfo {
                        code: $code,
                        stage: Stage::$stage,
                        severity: Severity::$severity,
                        summary: $summary,
                        explanation: $explanation,
                    }),+
                }
            }
        }
    };
}

rules! {
    Io => ("io-error", Input, Error,
        "A register file could not be read.",
        "The file does not exist, is a directory, or cannot be read. Check the path; `-` reads the register from standard input. The run stops with exit code 2 because nothing was checked."),
    Encoding => ("invalid-encoding", Input, Error,
        "The file is not valid UTF-8 (or UTF-16 with a byte-order mark).",
        "Registers must be text in UTF-8. Spreadsheet exports sometimes use a legacy code page such as Windows-1252; export again choosing UTF-8, or convert the file with `iconv -f WINDOWS-1252 -t UTF-8`. A UTF-8 byte-order mark is accepted."),
    Syntax => ("invalid-json", Input, Error,
        "The file is not well-formed JSON.",
        "The JSON parser stopped at the position shown. Common causes are a trailing comma, a missing comma between two processes, an unquoted key or a file cut off during export. Nesting 128 levels deep or more is also rejected: a process register never needs it."),
    Csv => ("invalid-csv", Input, Error,
        "The CSV register cannot be read as a table of processes.",
        "A CSV register needs a header row naming the register fields (at least `id` and `name`), one row per process, list fields separated by `;` and `maps_to` cells written as `prm-id:relationship`. Quote cells that contain commas, quotes or line breaks (RFC 4180)."),
    Workbook => ("invalid-workbook", Input, Error,
        "The workbook cannot be read as a table of processes.",
        "prmlint reads .xlsx, .xlsm, .xls, .xlsb and .ods workbooks directly. A workbook that is password-protected or damaged cannot be read: save a copy without a password, or open and save it again. The sheet read is the one given with --sheet (a name or a 1-based number), else the first whose header row names an id and a name column (\"Prozess-ID\", \"Number\" and other common headers count; map others with --column or `columns` in prmlint.json). Rows above the header (titles, notes) are skipped; cells are read as the sheet shows them, formulas by their last computed value."),
    Limit => ("limit-exceeded", Input, Error,
        "The input is larger than the configured limit.",
        "prmlint refuses inputs beyond its size limits so that a malformed or hostile file cannot exhaust memory in CI. Raise the limit with the flag named in the message if the register really is that large."),
    UnknownProperty => ("unknown-property", Schema, Error,
        "A property that the register format does not define.",
        "Unknown properties are usually typos (`ownr` for `owner`) that would otherwise silently drop data. Rename the property; to keep tool-specific data such as a ServiceNow sys_id, prefix its name with `x-`, which prmlint keeps and ignores."),
    SchemaViolation => ("schema-violation", Schema, Error,
        "A value does not have the type or form the register schema requires.",
        "The register is checked against `schema/register.schema.json` (print it with `prmlint schema register`). The message names the expected type or form; fix the value at the place shown. A process that lacks a usable `id` or `name` is left out of the analysis."),
    DuplicateKey => ("duplicate-key", Hygiene, Error,
        "The same key appears twice in one JSON object.",
        "JSON parsers disagree on duplicate keys: most silently keep the last one, so the first value is lost without a trace. Remove or merge one of the two."),
    DuplicateId => ("duplicate-id", Hygiene, Error,
        "Two processes share one identifier.",
        "Process ids are how mappings, parents, baselines and suppressions refer to a process, so they must be unique. Give one of the processes a new id."),
    UnknownParent => ("unknown-parent", Hygiene, Error,
        "A process names a parent that is not in the register.",
        "`parent` must be the id of another process in the same register. Fix the id or remove the field."),
    ParentCycle => ("parent-cycle", Hygiene, Error,
        "Processes are each other's parents.",
        "Following `parent` from the process leads back to it, so the hierarchy has no top. Break the cycle by removing one of the `parent` fields."),
    UnknownPrmId => ("unknown-prm-id", Hygiene, Error,
        "A declared mapping names a PRM process that does not exist.",
        "`maps_to[].prm` must be one of the 17 PRM process ids (list them with `prmlint model`). The message suggests the closest id."),
    DuplicateMapping => ("duplicate-mapping", Hygiene, Warning,
        "A process declares the same PRM process twice.",
        "Each PRM process should appear at most once in a process's `maps_to`. Keep the entry with the right relationship."),
    RetiredWithMappings => ("retired-with-mappings", Hygiene, Warning,
        "A retired process still declares PRM mappings.",
        "Retired processes do not count as coverage, so their declared mappings mislead readers of the register. Move the mappings to the process that replaced it, or remove them."),
    MissingOwner => ("missing-owner", Hygiene, Warning,
        "A process has no owner.",
        "ISO/IEC 27001:2022 clause 5.3 requires responsibilities and authorities for roles relevant to information security to be assigned. A process without an owner is a common audit finding. Name the accountable role or person."),
    MissingDescription => ("missing-description", Hygiene, Warning,
        "A process has no description.",
        "Without a description neither readers nor prmlint can tell what the process does beyond its name, so mappings rest on the name alone. Add one or two sentences on purpose and scope."),
    EmptyActivities => ("empty-activities", Hygiene, Note,
        "A process lists no activities.",
        "Activities are the strongest evidence of what a process really does; they let prmlint tell which PRM activities are already performed and which must be added. List the main steps."),
    MissingProcess => ("missing-process", Analysis, Error,
        "A PRM process that no register process covers or could be adapted to.",
        "ISO/IEC TS 27022 describes the processes an ISMS needs; a PRM process with no counterpart in the register is a gap an auditor will look for, because the ISO/IEC 27001:2022 clauses it implements (named in the message) then have no owner and no evidence. Missing management and core processes are errors, missing support processes warnings. Before creating a new process, check whether an existing one can take the activities on (see `adaptable-process`); draft and retired processes do not count."),
    DuplicateProcess => ("duplicate-process", Analysis, Warning,
        "Two or more register processes do the same job.",
        "Active processes that land on the same PRM process are compared pair by pair, across languages, registers and units. A pair is a legitimate split, never a duplicate, when one is a sub-process or procedure of the other, when one is a function with its own mandate (third-line corporate audit, enterprise risk management, the IT service desk that passes security cases on, a data protection impact assessment), when one is a body that steers the other, when one only notifies (a data protection officer's breach notification beside the incident handling), or when a description says the work is handed over (\"escalates to\"). Otherwise the pair is one job run twice when the evidence shows it: names that say the same job in any language, the same PRM activities shown by both, both covering the PRM process, a description saying it runs alongside another or is a legacy procedure, or a security-only process beside an organisation-wide one (ITSM, QMS, HR) on the same PRM process, the parallel pattern ISO/IEC TS 27022 warns against. Groups are those where every two members are such a pair. The finding lists the signals (different owners and units among them) and the processes left out with the reason, and says which process to keep: the organisation-wide one, extended with the security activities, or the closest match."),
    AdaptableProcess => ("adaptable-process", Analysis, Note,
        "An existing process can be reused for a PRM process that is not yet covered.",
        "The process overlaps the PRM process (subset or intersects) but does not cover it. Rather than creating a parallel ISMS process, extend this one with the listed activities and make its owner accountable for them; then declare the mapping in `maps_to`. This is the reuse the reference model recommends."),
    ControlAreaProcess => ("control-area-process", Analysis, Note,
        "A process that runs a control area the PRM leaves to controls.",
        "ISO/IEC TS 27022 separates the ISMS processes from the controls they steer. Access management, backup, business continuity, logging, patching and similar processes implement ISO/IEC 27001:2022 Annex A controls (named in the message); they are neither gaps nor duplicates, and are steered by risk treatment and implementation management. Keep them, and make sure the Statement of Applicability points to them."),
    UmbrellaProcess => ("umbrella-process", Analysis, Warning,
        "One process claims so much of the PRM that it hides real gaps.",
        "A process called \"ISMS\" or \"Security management\", or one that declares many PRM processes, says little about which ISMS processes actually run. prmlint does not count it as coverage. Split it into the processes it really contains, or map its parts to existing processes."),
    UnsupportedMapping => ("unsupported-mapping", Analysis, Warning,
        "A declared mapping that nothing in the process supports.",
        "The register declares that the process maps onto a PRM process, but neither its name, description, activities nor framework references show it. Such a mapping does not count as coverage. Describe the activities that justify it, or correct the mapping."),
    SuggestedMapping => ("suggested-mapping", Analysis, Note,
        "A strong mapping the register does not declare.",
        "The register declares mappings in `maps_to`, and the evidence strongly suggests one more. Declare it (with the relationship shown) so the mapping is explicit and reviewable."),
    InactiveCoverage => ("inactive-coverage", Analysis, Note,
        "A PRM process is covered only by draft or retired processes.",
        "Draft and retired processes do not count as coverage. The PRM process stays a gap until the draft process is approved and active (or the retired process is replaced)."),
    ConfigInvalid => ("config-invalid", Input, Error,
        "A prmlint configuration, baseline or decisions file is invalid.",
        "prmlint.json (see `prmlint schema config`), baseline files and decisions files are checked against their schemas before anything else runs. An unknown key is usually a typo (`fail_on` for `fail-on`) that would otherwise silently change nothing, so it stops the run with exit code 2 instead. Fix the place shown; `prmlint explain --all` lists the rule codes that `rules` and `suppress` accept."),
    UnusedSuppression => ("unused-suppression", Config, Warning,
        "A suppression in prmlint.json matches no finding.",
        "A suppression whose finding has gone (the process was fixed, renamed or removed) hides nothing today but would silently hide a future finding of the same kind. Remove the entry from `suppress`, or correct its `rule`, `process` or `prm`."),
    StaleDecision => ("stale-decision", Config, Note,
        "A recorded mapping decision no longer matches the process it was made for.",
        "`prmlint decide` records, with each accepted or rejected suggestion, a fingerprint of the process's name, description and activities. The process has changed since (or is gone), so the decision no longer applies and the suggestion is shown again. Review it and run `prmlint decide` again to record a fresh decision."),
}

impl Code {
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code {name}");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Code::parse(name), Some(*code));
        }
    }
}
