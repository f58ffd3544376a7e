//! Register text is untrusted in every output: terminal text shows control and bidi characters
//! as escapes (source snippets included), CSV cells cannot start a formula, Markdown and HTML
//! keep markup as text, and `-o` writes atomically and never over an input, however the two
//! paths are spelt. Fixtures: `fixtures/hostile/` (see its README).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use common::prmlint;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "{}",
        run.stderr
    );
    run
}

fn hostile(name: &str) -> String {
    format!("fixtures/hostile/{name}")
}

/// Raw characters a terminal would act on.
fn assert_terminal_safe(text: &str) {
    for (i, c) in text.char_indices() {
        let raw = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
        assert!(!raw, "raw {c:?} at byte {i} of:\n{text}");
    }
}

#[test]
fn a_source_snippet_shows_escape_and_bidi_characters_as_placeholders_of_the_same_width() {
    let run = run(prmlint().args([
        "validate",
        &hostile("syntax-raw-escape-and-bidi-on-error-line.json"),
    ]));
    assert_eq!(run.code, 2);
    assert_terminal_safe(&run.stdout);
    // ESC is one byte and becomes `?`; RLO and PDF are three bytes and become U+FFFD, so every
    // span and column after them stays where it was.
    assert!(
        run.stdout.contains(
            r#"{"id": "ISMS-01", "name": "raw ?[2J?[31mred?[0m and �esrever� in a string"}"#
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("syntax-raw-escape-and-bidi-on-error-line.json:3:")
    );
}

#[test]
fn snippets_of_raw_csv_cells_and_every_text_report_are_terminal_safe() {
    for file in [
        "control-chars-raw.csv",
        "control-chars-in-messages.json",
        "control-chars-in-text.json",
        "bidi-overrides-in-text.json",
        "csv-embedded-newlines.csv",
    ] {
        for args in [
            &["validate"][..],
            &["map"],
            &["check"],
            &["check", "--format", "github"],
            &["check", "--format", "markdown"],
        ] {
            let run = run(prmlint().args(args).arg(hostile(file)));
            assert_terminal_safe(&run.stdout);
            assert_terminal_safe(&run.stderr);
        }
    }
}

#[test]
fn a_register_named_with_escape_and_bidi_characters_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2J\u{202e}nosj.json";
    let path = dir.path().join(name);
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(hostile("parent-cycle-self.json")),
        &path,
    )
    .unwrap();
    for command in ["validate", "check"] {
        let run = run(prmlint().arg(command).arg(&path));
        assert_eq!(run.code, 1);
        assert_terminal_safe(&run.stdout);
        assert!(
            run.stdout.contains(r"evil\u{1b}[2J\u{202e}nosj.json"),
            "{}",
            run.stdout
        );
    }
    let unreadable = dir.path().join("\u{1b}]0;pwned\u{7}.json");
    std::fs::write(&unreadable, "{").unwrap();
    let failed = run(prmlint().arg("check").arg(&unreadable));
    assert_eq!(failed.code, 2);
    assert_terminal_safe(&failed.stderr);
}

#[test]
fn csv_report_neutralises_every_formula_prefix() {
    for table in ["mappings", "coverage"] {
        let run = run(prmlint().args([
            "check",
            &hostile("csv-formula-prefixes.csv"),
            "--format",
            "csv",
            "--csv",
            table,
        ]));
        let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
        let mut cells = 0;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                    && cell.parse::<f64>().is_err();
                assert!(!formula, "cell {cell:?} would run as a formula");
            }
        }
        assert!(cells > 0);
    }
    let matrix = run(prmlint().args([
        "check",
        &hostile("csv-formula-prefixes.csv"),
        "--format",
        "csv",
    ]));
    assert!(matrix.stdout.contains("'=HYPERLINK("), "{}", matrix.stdout);
}

#[test]
fn markdown_and_html_keep_markup_in_every_field_as_text() {
    for file in ["markup-every-field.json", "markup-every-field.csv"] {
        let markdown = run(prmlint().args(["check", &hostile(file), "--format", "markdown"]));
        assert!(!markdown.stdout.contains("<script"), "{}", markdown.stdout);
        assert!(!markdown.stdout.contains("<img"), "{}", markdown.stdout);
        assert!(
            markdown.stdout.contains("&lt;script&gt;"),
            "{}",
            markdown.stdout
        );
        let html = run(prmlint().args(["check", &hostile(file), "--format", "html"]));
        let lower = html.stdout.to_ascii_lowercase();
        assert!(!lower.contains("<script"));
        assert!(!lower.contains("<img"));
        assert!(!lower.contains("href=\"javascript"), "a live link");
        assert!(
            html.stdout
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
    }
}

/// `-o` names the input itself: refused, exit 2, input untouched.
fn assert_refused(dir: &Path, input: &str, output: &str, original: &str) {
    let run = run(prmlint()
        .current_dir(dir)
        .args(["validate", input, "-o", output]));
    assert_eq!(run.code, 2, "{input} -o {output}");
    assert!(
        run.stderr
            .contains("refusing to write the report over the input file"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("register.json")).unwrap(),
        original
    );
}

#[test]
fn output_never_overwrites_an_input_however_the_paths_are_spelt() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(hostile("parent-cycle-self.json")),
    )
    .unwrap();
    std::fs::write(dir.path().join("register.json"), &original).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    assert_refused(dir.path(), "register.json", "./register.json", &original);
    assert_refused(dir.path(), "./register.json", "register.json", &original);
    assert_refused(
        dir.path(),
        "register.json",
        "sub/../register.json",
        &original,
    );
    let absolute = dir.path().join("register.json").display().to_string();
    assert_refused(dir.path(), &absolute, "register.json", &original);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("register.json", dir.path().join("link.json")).unwrap();
        assert_refused(dir.path(), "register.json", "link.json", &original);
        assert_refused(dir.path(), "link.json", "register.json", &original);
        std::fs::hard_link(
            dir.path().join("register.json"),
            dir.path().join("hard.json"),
        )
        .unwrap();
        assert_refused(dir.path(), "register.json", "hard.json", &original);
    }
}

#[test]
fn output_replaces_the_file_whole_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "x".repeat(1_000_000)).unwrap();
    let replaced = run(prmlint().args([
        "check",
        &hostile("parent-cycle-self.json"),
        "--format",
        "json",
        "-o",
        &out.display().to_string(),
    ]));
    assert_eq!(replaced.code, 1);
    let written = std::fs::read_to_string(&out).unwrap();
    let report: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert!(report["findings"].is_array());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["report.json".to_owned()]);
    // A directory that does not exist: nothing written, exit 2, no temporary file left.
    let missing = dir.path().join("missing").join("report.json");
    let failed = run(prmlint().args([
        "check",
        &hostile("parent-cycle-self.json"),
        "-o",
        &missing.display().to_string(),
    ]));
    assert_eq!(failed.code, 2);
    // The message names the report, never the temporary file's random name.
    let missing = missing.display().to_string();
    assert!(
        failed.stderr.contains(&format!("cannot write {missing}: ")),
        "{}",
        failed.stderr
    );
    assert!(!failed.stderr.contains(".prmlint-"), "{}", failed.stderr);
}
