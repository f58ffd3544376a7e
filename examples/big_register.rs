//! Writes a large, valid and hygiene-clean process register, for timing `prmlint validate` on
//! big inputs.
//!
//! `cargo run --release --example big_register -- 200 /tmp/big.json` writes about 200 MB;
//! then `/usr/bin/time -v target/release/prmlint validate /tmp/big.json --format json`.

use std::io::{BufWriter, Write};

const PRM: [&str; 6] = [
    "incident-management",
    "change-management",
    "risk-assessment",
    "internal-audit",
    "records-control",
    "awareness-competence",
];
const RELATIONSHIPS: [&str; 4] = ["equal", "subset", "superset", "intersects"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(megabytes), Some(path)) = (
        args.first().and_then(|a| a.parse::<u64>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: big_register <megabytes> <path>");
        std::process::exit(2);
    };
    match write(megabytes * 1024 * 1024, path) {
        Ok((bytes, processes)) => println!("{path}: {bytes} bytes, {processes} processes"),
        Err(e) => {
            eprintln!("big_register: cannot write {path}: {e}");
            std::process::exit(2);
        }
    }
}

/// Write processes until the file reaches `target` bytes; returns bytes and processes written.
fn write(target: u64, path: &str) -> std::io::Result<(u64, usize)> {
    let mut out = Counting {
        inner: BufWriter::new(std::fs::File::create(path)?),
        written: 0,
    };
    out.write_all(
        b"{\n  \"register\": {\n    \"organisation\": \"Big Register Ltd\",\n    \"version\": \"1\"\n  },\n  \"processes\": [\n",
    )?;
    let mut processes = 0;
    while out.written < target {
        if processes > 0 {
            out.write_all(b",\n")?;
        }
        process(&mut out, processes)?;
        processes += 1;
    }
    out.write_all(b"\n  ]\n}\n")?;
    out.inner.flush()?;
    Ok((out.written, processes))
}

/// One process of about 1 KB, with a parent every tenth process, escapes and non-ASCII text.
fn process(out: &mut dyn Write, i: usize) -> std::io::Result<()> {
    let group = i / 10 * 10;
    let parent = if i == group {
        String::new()
    } else {
        format!("      \"parent\": \"P-{group:07}\",\n")
    };
    let prm = PRM[i % PRM.len()];
    let relationship = RELATIONSHIPS[i % RELATIONSHIPS.len()];
    write!(
        out,
        r#"    {{
      "id": "P-{i:07}",
      "name": "Process {i} \u2013 Sicherheitsvorfälle und Änderungen",
      "description": "Handles the \"{prm}\" work of business unit {unit}: receives reports, assesses them, acts on them and records the outcome so that the ISMS can show it is effective.",
      "owner": "Process owner {unit}",
      "category": "Operations",
      "status": "active",
{parent}      "activities": [
        "Receive and log reports from staff, customers and suppliers",
        "Assess and prioritise each report against agreed criteria",
        "Act on the report and escalate where needed",
        "Record the outcome and lessons learned"
      ],
      "inputs": ["Reports", "Criteria"],
      "outputs": ["Records", "Lessons learned"],
      "frameworks": ["ISO/IEC 27001:2022"],
      "maps_to": [{{"prm": "{prm}", "relationship": "{relationship}", "note": "declared by the owner"}}],
      "tags": ["generated", "unit-{unit}"],
      "x-sys_id": "{i:032x}"
    }}"#,
        unit = i % 97,
    )
}

/// A writer that counts the bytes written through it.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
