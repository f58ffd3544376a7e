//! Hostile inputs through the real binary: every command and every output format over every
//! file of `fixtures/hostile/` and over large inputs generated here (huge strings, 100,000
//! duplicate ids, deep nesting, a 1,000-long parent cycle). Each run is bounded in time, must
//! not panic, must end with the exit code its input calls for, and must leave output that still
//! parses in its format with register text kept inert.
//!
//! What each committed file tries, and how prmlint must take it (`unreadable`, `invalid` or
//! `accepted`), is in `fixtures/hostile/README.md`, which this test reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const HOSTILE: &str = "fixtures/hostile";

/// How prmlint must take an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Nothing can be read from it: every command exits 2 and says why.
    Unreadable,
    /// Readable, with errors: `validate` and `check` exit 1, `map` maps what it can (exit 0, or 1
    /// when the loader found errors).
    Invalid,
    /// Hostile but valid: exit 0 or 1 (findings).
    Accepted,
}

impl Expect {
    fn parse(word: &str) -> Expect {
        match word {
            "unreadable" => Expect::Unreadable,
            "invalid" => Expect::Invalid,
            "accepted" => Expect::Accepted,
            other => panic!("unknown expectation `{other}` in {HOSTILE}/README.md"),
        }
    }

    fn allowed_codes(self, command: &str) -> &'static [i32] {
        match (self, command) {
            (Expect::Unreadable, _) => &[2],
            // `map` fails only on what the loader reports, not on the register checks.
            (_, "map") => &[0, 1],
            (Expect::Invalid, _) => &[1],
            (Expect::Accepted, _) => &[0, 1],
        }
    }
}

/// One register to throw at prmlint.
#[derive(Debug, Clone)]
struct Input {
    name: String,
    path: PathBuf,
    expect: Expect,
    /// Extra arguments (a lowered limit).
    extra: Vec<String>,
    /// Big enough that a run may take several times the usual limit (100,000 processes).
    big: bool,
}

/// The command lines every input goes through: (command, arguments after the register).
const RUNS: &[(&str, &[&str])] = &[
    ("validate", &["--format", "text"]),
    ("validate", &["--format", "json"]),
    ("map", &["--format", "text"]),
    ("map", &["--format", "json"]),
    ("check", &["--format", "text"]),
    ("check", &["--format", "json"]),
    ("check", &["--format", "sarif"]),
    ("check", &["--format", "github"]),
    ("check", &["--format", "junit"]),
    ("check", &["--format", "csv"]),
    ("check", &["--format", "csv", "--csv", "coverage"]),
    ("check", &["--format", "markdown"]),
    ("check", &["--format", "html"]),
];

/// Longest a single run may take. Generous for the debug build on two busy cores; a run that
/// hangs or goes quadratic blows through it. Inputs of 100,000 processes get six times as long:
/// the debug build maps and reports them in 10 to 30 seconds.
fn timeout(input: &Input) -> Duration {
    let seconds = std::env::var("PRMLINT_HOSTILE_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 20 } else { 10 });
    Duration::from_secs(if input.big { seconds * 6 } else { seconds })
}

/// The committed corpus with its expectations, read from the README table
/// (`| file | expectation | what it tries |`).
fn committed() -> Vec<Input> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join(HOSTILE).join("README.md")).unwrap();
    let described: BTreeMap<String, Expect> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let file = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((file.to_owned(), Expect::parse(cells.get(2)?)))
        })
        .collect();
    let mut inputs = Vec::new();
    for entry in std::fs::read_dir(root.join(HOSTILE)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        let expect = *described
            .get(&name)
            .unwrap_or_else(|| panic!("{HOSTILE}/{name} has no line in the README"));
        inputs.push(Input {
            name,
            path,
            expect,
            extra: Vec::new(),
            big: false,
        });
    }
    for name in described.keys() {
        assert!(
            inputs.iter().any(|i| &i.name == name),
            "the README describes {name}, which is not in {HOSTILE}"
        );
    }
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    inputs
}

/// A process that needs no finding of its own, so large registers stay about one rule.
fn tidy_process(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "owner": "CISO",
        "description": "Handles it.",
        "activities": ["Do it"],
    })
}

fn register(processes: Vec<Value>) -> String {
    json!({ "processes": processes }).to_string()
}

/// Words, so that huge strings go through the mapper's tokenizer rather than past it.
fn words(chars: usize) -> String {
    "incident risk audit change supplier records "
        .chars()
        .cycle()
        .take(chars)
        .collect()
}

/// Nested `x-` vendor data `depth` levels below the root.
fn nested(depth: usize) -> String {
    // Root object, `processes` array and the process object are three levels.
    let inner = depth - 3;
    format!(
        r#"{{"processes": [{{"id": "ISMS-01", "name": "Incident management", "x-deep": {}{}}}]}}"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
}

/// Inputs that are large or awkward to commit, written once into `dir`.
fn generated(dir: &Path) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, expect: Expect, extra: &[&str]| {
        let path = dir.join(name);
        let big = bytes.len() > 5_000_000;
        std::fs::write(&path, bytes).unwrap();
        inputs.push(Input {
            name: format!("generated/{name}"),
            path,
            expect,
            extra: extra.iter().map(|s| (*s).to_owned()).collect(),
            big,
        });
    };
    let mut big = tidy_process("ISMS-01", "Incident management");
    big["name"] = Value::from(words(200_000));
    add(
        "string-over-limit.json",
        register(vec![big.clone()]).into_bytes(),
        Expect::Unreadable,
        &[],
    );
    add(
        "string-over-raised-limit.json",
        register(vec![big]).into_bytes(),
        Expect::Accepted,
        &["--max-string-length", "300000"],
    );
    let mut long = tidy_process("ISMS-01", "Incident management");
    long["description"] = Value::from(words(99_000));
    long["activities"] = Value::from(vec![words(20_000); 5]);
    long["x-notes"] = Value::from(words(99_000));
    add(
        "strings-under-limit.json",
        register(vec![long]).into_bytes(),
        Expect::Accepted,
        &[],
    );
    let key = format!(
        r#"{{"processes": [{{"id": "ISMS-01", "name": "Incident management", "{}": 1}}]}}"#,
        "k".repeat(200_000)
    );
    add(
        "key-over-limit.json",
        key.into_bytes(),
        Expect::Unreadable,
        &[],
    );
    let csv = format!(
        "id,name,owner,description,activities\nISMS-01,{},CISO,Handles it.,Do it\n",
        words(200_000)
    );
    add(
        "cell-over-limit.csv",
        csv.into_bytes(),
        Expect::Unreadable,
        &[],
    );
    add(
        "string-over-lowered-limit.json",
        register(vec![tidy_process("ISMS-01", "Incident management")]).into_bytes(),
        Expect::Unreadable,
        &["--max-string-length", "10"],
    );
    let duplicates = vec![tidy_process("ISMS-01", "Incident management"); 100_000];
    add(
        "duplicate-ids-100000.json",
        register(duplicates).into_bytes(),
        Expect::Invalid,
        &[],
    );
    // Every parent unknown and every one different: "did you mean" suggestions compare each
    // with every id, so without a budget this is 144 million comparisons.
    let orphans = (0..12_000)
        .map(|i| {
            let mut process = tidy_process(&format!("P-{i}"), "Incident management");
            process["parent"] = Value::from(format!("Q-{i}"));
            process
        })
        .collect();
    add(
        "unknown-parents-12000.json",
        register(orphans).into_bytes(),
        Expect::Invalid,
        &[],
    );
    // Long ids cost the suggestions by their length too: 2,000 unknown parents of 1,000
    // characters each.
    let long_orphans = (0..2_000)
        .map(|i| {
            let mut process = tidy_process(&format!("{}{i}", "A".repeat(1_000)), "Audit");
            process["parent"] = Value::from(format!("{}{i}", "B".repeat(1_000)));
            process
        })
        .collect();
    add(
        "unknown-long-parents-2000.json",
        register(long_orphans).into_bytes(),
        Expect::Invalid,
        &[],
    );
    // One 90,000-letter word: compound splitting tries every head length of a word.
    let mut compound = tidy_process("ISMS-01", "Incident management");
    compound["name"] = Value::from("sicherheit".repeat(9_000));
    add(
        "one-long-word.json",
        register(vec![compound]).into_bytes(),
        Expect::Accepted,
        &[],
    );
    add(
        "nesting-100000-arrays.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        Expect::Unreadable,
        &[],
    );
    add(
        "nesting-100000-objects.json",
        r#"{"a":"#.repeat(100_000).into_bytes(),
        Expect::Unreadable,
        &[],
    );
    add(
        "nesting-at-the-limit.json",
        nested(127).into_bytes(),
        Expect::Accepted,
        &["--max-depth", "127"],
    );
    add(
        "nesting-past-the-default-limit.json",
        nested(65).into_bytes(),
        Expect::Unreadable,
        &[],
    );
    add(
        "nesting-past-the-limit.json",
        nested(128).into_bytes(),
        Expect::Unreadable,
        &[],
    );
    let cycle: Vec<Value> = (0..1000)
        .map(|i| {
            let mut p = tidy_process(&format!("P-{i}"), &format!("Process {i}"));
            p["parent"] = Value::from(format!("P-{}", (i + 1) % 1000));
            p
        })
        .collect();
    add(
        "parent-cycle-1000.json",
        register(cycle).into_bytes(),
        Expect::Invalid,
        &[],
    );
    let processes: Vec<Value> = (0..101)
        .map(|i| tidy_process(&format!("P-{i}"), "Incident management"))
        .collect();
    add(
        "processes-over-lowered-limit.json",
        register(processes).into_bytes(),
        Expect::Unreadable,
        &["--max-processes", "100"],
    );
    add(
        "file-over-lowered-size-limit.json",
        register(vec![tidy_process("ISMS-01", "Incident management")]).into_bytes(),
        Expect::Unreadable,
        &["--max-file-size", "64"],
    );
    let mut declares = tidy_process("ISMS-01", "Incident management");
    declares["maps_to"] = (0..5000)
        .map(|i| json!({"prm": format!("prm-{i}"), "relationship": "equal", "note": words(50)}))
        .collect();
    add(
        "maps-to-5000-unknown-ids.json",
        register(vec![declares]).into_bytes(),
        Expect::Invalid,
        &[],
    );
    // One finding per member of a large object and of a large array: resolving each finding's
    // place must not be quadratic.
    let mut unknown = tidy_process("ISMS-01", "Incident management");
    for i in 0..20_000 {
        unknown[format!("property-{i}")] = Value::from(i);
    }
    unknown["inputs"] = (0..20_000).collect();
    add(
        "unknown-properties-and-wrong-items-20000.json",
        register(vec![unknown]).into_bytes(),
        Expect::Invalid,
        &[],
    );
    // One minified line with an error at its far end: diagnostics must show a window of it.
    let mut minified: Vec<Value> = (0..3000)
        .map(|i| tidy_process(&format!("P-{i}"), &format!("Process {i} \u{202e}")))
        .collect();
    minified.push(json!({"id": "bad id", "name": "\u{1b}[2J"}));
    add(
        "minified-line.json",
        register(minified).into_bytes(),
        Expect::Invalid,
        &[],
    );
    inputs
}

/// Characters that must not reach a terminal raw (ESC included among the C0 controls).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn first_unsafe(text: &str) -> Option<(usize, String)> {
    text.char_indices()
        .find(|&(_, c)| is_unsafe(c))
        .map(|(i, _)| {
            let mut start = i.saturating_sub(60);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let context: String = text[start..].chars().take(120).collect();
            (i, format!("{context:?}"))
        })
}

fn report_schema() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json"),
        )
        .unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// Check that `stdout` is well-formed in the format `args` asked for; a problem comes back as
/// text.
fn check_format(command: &str, args: &[&str], stdout: &[u8]) -> Result<(), String> {
    let format = args[1];
    let text = String::from_utf8(stdout.to_vec()).map_err(|e| format!("not UTF-8: {e}"))?;
    let csv_table = args.get(3).copied();
    match (command, format) {
        (_, "text") | ("check", "github" | "markdown") => {
            if let Some((at, context)) = first_unsafe(&text) {
                return Err(format!(
                    "raw control or bidi character at byte {at}: {context}"
                ));
            }
        }
        _ => {}
    }
    match format {
        "json" | "sarif" => {
            let value: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
            if command == "check" && format == "json" {
                let errors: Vec<String> = report_schema()
                    .iter_errors(&value)
                    .take(3)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                if !errors.is_empty() {
                    return Err(format!("breaks schema/report.schema.json: {errors:?}"));
                }
            }
            if format == "sarif" && value["version"] != "2.1.0" {
                return Err("SARIF without version 2.1.0".into());
            }
        }
        "github" => {
            if let Some(line) = text.lines().find(|l| !l.starts_with("::")) {
                return Err(format!("a line that is not a workflow command: {line:?}"));
            }
        }
        "junit" => {
            let mut reader = quick_xml::Reader::from_str(&text);
            let mut depth = 0i64;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                    Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                    Ok(_) => {}
                    Err(e) => return Err(format!("not XML: {e}")),
                }
            }
            if depth != 0 {
                return Err("unbalanced XML elements".into());
            }
            let illegal = |c: char| {
                (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            };
            if let Some(c) = text.chars().find(|&c| illegal(c)) {
                return Err(format!("character {c:?} that XML 1.0 cannot carry"));
            }
        }
        "csv" => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(text.as_bytes());
            let width = reader.headers().map_err(|e| e.to_string())?.len();
            for record in reader.records() {
                let record = record.map_err(|e| format!("not CSV: {e}"))?;
                if record.len() != width {
                    return Err(format!(
                        "a row of {} cells under {width} headers",
                        record.len()
                    ));
                }
                let formula = record.iter().find(|cell| {
                    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                        && cell.parse::<f64>().is_err()
                });
                if let Some(cell) = formula {
                    return Err(format!("cell a spreadsheet would run: {cell:?}"));
                }
            }
            let _ = csv_table;
        }
        "html" | "markdown" => {
            if text.to_ascii_lowercase().contains("<script") {
                return Err("contains `<script`".into());
            }
            if format == "html" && !text.trim_end().ends_with("</html>") {
                return Err("the page does not end with </html>".into());
            }
        }
        _ => {}
    }
    Ok(())
}

/// Run one command line and check everything about it; problems come back as text.
fn run_one(input: &Input, command: &str, args: &[&str]) -> Result<Duration, String> {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("prmlint");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg(command)
        .arg(&input.path)
        .args(args)
        .args(&input.extra)
        .timeout(timeout(input));
    let started = Instant::now();
    let output = cmd.output().map_err(|e| format!("did not run: {e}"))?;
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(code) = output.status.code() else {
        return Err(format!(
            "killed after {took:.1?} (timeout {:?}, or a signal)",
            timeout(input)
        ));
    };
    if code == 101 || stderr.contains("panicked") {
        return Err(format!("panicked:\n{stderr}"));
    }
    let allowed = input.expect.allowed_codes(command);
    if !allowed.contains(&code) {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let shown: String = stdout.chars().take(600).collect();
        return Err(format!(
            "exit {code}, expected one of {allowed:?}\nstderr: {stderr}\nstdout: {shown}"
        ));
    }
    if code == 2 && stderr.trim().is_empty() && output.stdout.is_empty() {
        return Err("exit 2 without a diagnostic".into());
    }
    if code != 0 && command != "map" && stderr.trim().is_empty() && output.stdout.is_empty() {
        return Err(format!("exit {code} with no output at all"));
    }
    if let Some((at, context)) = first_unsafe(&stderr) {
        return Err(format!(
            "stderr has a raw control or bidi character at byte {at}: {context}"
        ));
    }
    if !output.stdout.is_empty() || code != 2 {
        check_format(command, args, &output.stdout)?;
    }
    Ok(took)
}

/// Every run of every input, spread over a few threads; all problems are reported together.
fn run_all(inputs: &[Input]) {
    // The big inputs first, so that the small ones fill the other threads meanwhile.
    let mut jobs: Vec<(&Input, &str, &[&str])> = inputs
        .iter()
        .flat_map(|input| {
            RUNS.iter()
                .map(move |(command, args)| (input, *command, *args))
        })
        .collect();
    jobs.sort_by_key(|(input, _, _)| !input.big);
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let slowest = Mutex::new((Duration::ZERO, String::new()));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(input, command, args)) = jobs.get(i) else {
                        break;
                    };
                    let line = format!(
                        "prmlint {command} {} {} {}",
                        input.name,
                        args.join(" "),
                        input.extra.join(" ")
                    );
                    match run_one(input, command, args) {
                        Ok(took) => {
                            let mut slowest = slowest.lock().unwrap();
                            if took > slowest.0 {
                                *slowest = (took, line);
                            }
                        }
                        Err(problem) => failures.lock().unwrap().push(format!("{line}: {problem}")),
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    let (took, line) = slowest.into_inner().unwrap();
    eprintln!(
        "{} runs over {} inputs; slowest {took:.1?}: {line}",
        jobs.len(),
        inputs.len()
    );
    let mut message = String::new();
    for failure in failures.iter().take(100) {
        let shown: String = failure.chars().take(800).collect();
        let _ = writeln!(message, "- {shown}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{message}",
        failures.len(),
        jobs.len()
    );
}

#[test]
fn every_command_and_format_survives_every_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = committed();
    assert!(inputs.len() >= 30, "the corpus has {} files", inputs.len());
    inputs.extend(generated(dir.path()));
    run_all(&inputs);
}

/// `validate --format json` findings without their place: (code, message, processes).
fn findings_of(path: &str) -> Vec<(String, String, String)> {
    let output = assert_cmd::cargo::cargo_bin_cmd!("prmlint")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", path, "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut findings: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
                f["processes"].to_string(),
            )
        })
        .collect();
    findings.sort();
    findings
}

#[test]
fn the_same_register_as_json_and_as_csv_gives_the_same_findings() {
    let json = findings_of("fixtures/hostile/same-register.json");
    let csv = findings_of("fixtures/hostile/same-register.csv");
    assert!(json.len() >= 4, "{json:?}");
    assert_eq!(json, csv);
}
