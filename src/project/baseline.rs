//! Baselines: the findings a team has accepted for now, so that CI fails only on new ones.
//! Entries are keyed by rule code, PRM process and sorted register process ids, never by
//! position, so reordering or reformatting the register does not invalidate them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diag::finding::Finding;

/// Version of the file format.
pub const VERSION: u32 = 1;

/// What a baseline entry is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub code: String,
    pub prm: Option<String>,
    pub processes: Vec<String>,
}

impl Key {
    pub fn of(finding: &Finding) -> Key {
        let mut processes = finding.processes.clone();
        processes.sort();
        processes.dedup();
        Key {
            code: finding.code.as_str().to_owned(),
            prm: finding.prm.clone(),
            processes,
        }
    }

    /// `missing-owner SP-REL-01`, `missing-process requirements-management`.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.code.clone()];
        parts.extend(self.prm.clone());
        parts.extend(self.processes.iter().cloned());
        parts.join(" ")
    }
}

/// A set of accepted findings, with how many findings share each key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<Key, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prm: Option<String>,
    #[serde(default)]
    processes: Vec<String>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// Findings left after a baseline is applied, and what the baseline holds that no longer occurs.
#[derive(Debug, Default)]
pub struct Filtered {
    pub findings: Vec<Finding>,
    /// Findings hidden because the baseline holds them.
    pub baselined: usize,
    /// Entries (with how many of their findings) that no longer occur.
    pub fixed: Vec<(Key, usize)>,
}

impl Baseline {
    /// The baseline that accepts exactly these findings.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries = BTreeMap::new();
        for finding in findings {
            *entries.entry(Key::of(finding)).or_insert(0) += 1;
        }
        Baseline { entries }
    }

    /// Read a baseline from a value that has passed `schema/baseline.schema.json`.
    pub fn from_value(value: Value) -> Result<Baseline, String> {
        let file: File = serde_json::from_value(value).map_err(|e| e.to_string())?;
        let mut entries = BTreeMap::new();
        for entry in file.findings {
            let mut processes = entry.processes;
            processes.sort();
            processes.dedup();
            let key = Key {
                code: entry.code,
                prm: entry.prm,
                processes,
            };
            *entries.entry(key).or_insert(0) += entry.count;
        }
        Ok(Baseline { entries })
    }

    /// The file's text: sorted, pretty-printed, ending in a newline.
    pub fn to_json(&self) -> String {
        let file = File {
            version: VERSION,
            findings: self
                .entries
                .iter()
                .map(|(key, count)| Entry {
                    code: key.code.clone(),
                    prm: key.prm.clone(),
                    processes: key.processes.clone(),
                    count: *count,
                })
                .collect(),
        };
        // One line per entry: a baseline is reviewed in diffs, where a finding that comes or
        // goes should be one line.
        let entries: Vec<String> = file
            .findings
            .iter()
            .map(|e| serde_json::to_string(e).unwrap_or_default())
            .collect();
        let mut text = format!("{{\n  \"version\": {},\n  \"findings\": [", file.version);
        if !entries.is_empty() {
            text.push_str("\n    ");
            text.push_str(&entries.join(",\n    "));
            text.push_str("\n  ");
        }
        text.push_str("]\n}\n");
        text
    }

    /// Number of findings the baseline accepts.
    pub fn len(&self) -> usize {
        self.entries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Hide the findings the baseline accepts. When more findings share a key than the
    /// baseline holds, the later ones are new.
    pub fn filter(&self, findings: Vec<Finding>) -> Filtered {
        let mut left = self.entries.clone();
        let mut kept = Vec::new();
        let mut baselined = 0;
        for finding in findings {
            match left.get_mut(&Key::of(&finding)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    baselined += 1;
                }
                _ => kept.push(finding),
            }
        }
        Filtered {
            findings: kept,
            baselined,
            fixed: left.into_iter().filter(|(_, n)| *n > 0).collect(),
        }
    }

    /// This baseline without the entries that no longer occur; never adds anything.
    pub fn without(&self, fixed: &[(Key, usize)]) -> Baseline {
        let mut entries = self.entries.clone();
        for (key, gone) in fixed {
            if let Some(n) = entries.get_mut(key) {
                *n = n.saturating_sub(*gone);
                if *n == 0 {
                    entries.remove(key);
                }
            }
        }
        Baseline { entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::rules::Code;

    fn owner(process: &str) -> Finding {
        Finding::new(Code::MissingOwner, "no owner")
            .at(0, "/processes/1/id", Some(3..5))
            .processes([process])
    }

    #[test]
    fn keys_ignore_positions_and_process_order() {
        let a = owner("P-1").processes(["B", "A"]);
        let b = Finding::new(Code::MissingOwner, "other text")
            .at(0, "/processes/9/id", Some(90..95))
            .processes(["A", "B"]);
        assert_eq!(Key::of(&a), Key::of(&b));
    }

    #[test]
    fn filtering_hides_known_findings_and_counts_the_fixed_ones() {
        let baseline = Baseline::of(&[owner("P-1"), owner("P-1"), owner("P-2")]);
        let filtered = baseline.filter(vec![owner("P-1"), owner("P-3")]);
        assert_eq!(filtered.baselined, 1);
        assert_eq!(filtered.findings.len(), 1);
        assert_eq!(filtered.findings[0].processes, ["P-3"]);
        let fixed: Vec<String> = filtered
            .fixed
            .iter()
            .map(|(k, n)| format!("{} x{n}", k.describe()))
            .collect();
        assert_eq!(fixed, ["missing-owner P-1 x1", "missing-owner P-2 x1"]);
        let updated = baseline.without(&filtered.fixed);
        assert_eq!(updated, Baseline::of(&[owner("P-1")]));
    }

    #[test]
    fn the_file_round_trips_sorted_with_counts() {
        let baseline = Baseline::of(&[
            owner("P-2"),
            owner("P-1"),
            owner("P-1"),
            Finding::new(Code::MissingProcess, "gap").prm("records-control"),
        ]);
        let text = baseline.to_json();
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(value["version"], 1);
        assert_eq!(value["findings"][0]["processes"][0], "P-1");
        assert_eq!(value["findings"][0]["count"], 2);
        assert!(value["findings"][1].get("count").is_none());
        assert_eq!(value["findings"][2]["prm"], "records-control");
        assert_eq!(Baseline::from_value(value).ok(), Some(baseline));
    }
}
