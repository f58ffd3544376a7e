//! The `check --format html` report, rendered in headless Chromium: it loads offline without
//! console errors or requests, its coverage tiles agree with the JSON report, hostile register
//! text runs nothing, it prints with every detail shown, and its structure is accessible.
//!
//! The browser is driven by `tests/browser/cdp.py` (Python standard library only) over the
//! DevTools protocol. Chromium comes from PATH or `PRMLINT_CHROMIUM`; without it (or without
//! Python) the tests skip and say so, unless `PRMLINT_REQUIRE_BROWSER=1` (set by `.ci/run`,
//! which installs both) makes that a failure. `PRMLINT_SKIP_BROWSER=1` always skips them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, OnceLock};

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::common::EXAMPLES;

const HOSTILE: &str = "fixtures/html/hostile-text.json";

/// A Chromium binary, or `None` when the browser tests are to be skipped.
///
/// Without Chromium (or Python) on the machine these tests skip and say so once on the
/// terminal, so that `cargo test` passes on a fresh machine; `.ci/run` installs both and sets
/// `PRMLINT_REQUIRE_BROWSER=1`, which turns a missing browser into a failure.
fn chromium() -> Option<PathBuf> {
    if std::env::var_os("PRMLINT_SKIP_BROWSER").is_some_and(|v| v == "1") {
        skip_once("PRMLINT_SKIP_BROWSER=1 is set");
        return None;
    }
    let on_path = |name: &str| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    };
    let found = std::env::var_os("PRMLINT_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .iter()
            .find_map(|name| on_path(name))
        });
    let missing = match (&found, on_path("python3")) {
        (Some(_), Some(_)) => return found,
        (None, _) => "no Chromium was found on PATH",
        (Some(_), None) => "python3, which drives the browser, was not found on PATH",
    };
    if std::env::var_os("PRMLINT_REQUIRE_BROWSER").is_some_and(|v| v == "1") {
        panic!("PRMLINT_REQUIRE_BROWSER=1 but {missing}");
    }
    skip_once(missing);
    None
}

/// Say once, past the test harness's output capture, that the browser tests were skipped.
fn skip_once(why: &str) {
    static SAID: OnceLock<()> = OnceLock::new();
    SAID.get_or_init(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: the HTML report browser tests were skipped: {why}. To run them, install \
             Chromium and Python 3 (Debian: `apt-get install chromium python3`, as .ci/run \
             does) or point PRMLINT_CHROMIUM at a Chromium or Chrome binary"
        );
    });
}

/// Render the HTML report of a register into a fresh directory.
fn render(register: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let output = Command::cargo_bin("prmlint")
        .unwrap()
        .args([
            "check",
            register,
            "--format",
            "html",
            "--fail-on",
            "never",
            "-o",
        ])
        .arg(&page)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, page)
}

/// A `file://` URL for a path, with the characters that URLs reserve percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for c in path.to_str().unwrap().chars() {
        match c {
            '%' | ' ' | '#' | '?' | '"' | '<' | '>' => url.push_str(&format!("%{:02X}", c as u32)),
            c => url.push(c),
        }
    }
    url
}

/// Open a page in Chromium, evaluate the plan's expressions and report what happened.
fn open(chromium: &Path, page: &Path, plan: &Value) -> Value {
    // One browser at a time: several at once only compete for memory on small CI machines.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut child = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/cdp.py"))
        .arg(chromium)
        .arg(file_url(page))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python3 for the browser tests: {e}"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(plan.to_string().as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the browser session failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Everything the tests ask about the service-provider report, from one browser session.
fn service_provider() -> Option<&'static Value> {
    static RESULT: OnceLock<Value> = OnceLock::new();
    let chromium = chromium()?;
    Some(RESULT.get_or_init(|| {
        let (_dir, page) = render(EXAMPLES[0], &["--date", "2026-11-28"]);
        open(
            &chromium,
            &page,
            &json!({
                "evaluate": {
                    "tiles": TILES,
                    "lang": "document.documentElement.lang",
                    "headings": "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))",
                    "tables": TABLES,
                    "icons_hidden": "[...document.querySelectorAll('svg')].every(s => s.getAttribute('aria-hidden') === 'true')",
                    "low_contrast": CONTRAST,
                    "closed_details_visible": CLOSED_DETAILS_VISIBLE,
                    "scripts": "document.querySelectorAll('script').length",
                },
                "print_evaluate": {
                    "closed_details_visible": CLOSED_DETAILS_VISIBLE,
                    "section_breaks": "[...document.querySelectorAll('main > section.page')].map(s => getComputedStyle(s).breakBefore)",
                    "tile_labels": "[...document.querySelectorAll('[data-prm]')].map(t => t.querySelector('.tile-status').innerText.trim().toLowerCase())",
                },
            }),
        )
    }))
}

/// Each tile: its PRM id, its status classes, its visible label and whether it has an icon.
const TILES: &str = "[...document.querySelectorAll('[data-prm]')].map(t => ({
    prm: t.dataset.prm,
    category: t.closest('ul.tiles').previousElementSibling.textContent,
    classes: [...t.classList].filter(c => c.startsWith('status-')),
    label: t.querySelector('.tile-status').innerText.trim().toLowerCase(),
    icon: !!t.querySelector('.tile-status svg'),
}))";

const TABLES: &str = "[...document.querySelectorAll('table')].map(t => ({
    caption: !!t.caption,
    head: [...t.querySelectorAll('thead th')].map(th => th.getAttribute('scope')),
    head_cells: t.querySelectorAll('thead td').length,
    row_headers: [...t.querySelectorAll('tbody th, tfoot th')].map(th => th.getAttribute('scope')),
}))";

/// How many children of closed `<details>` (other than the summary) are visible.
const CLOSED_DETAILS_VISIBLE: &str = "(() => {
    const hidden = [...document.querySelectorAll('details:not([open]) > :not(summary)')];
    return [hidden.filter(e => e.checkVisibility()).length, hidden.length];
})()";

/// Text whose contrast with its background is below WCAG AA (4.5:1), with every detail open.
const CONTRAST: &str = "(() => {
    const parse = c => {
        const p = c.match(/[\\d.]+/g).map(Number);
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const lum = c => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const background = el => {
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c.a > 0.5) return c;
        }
        return { r: 255, g: 255, b: 255, a: 1 };
    };
    const closed = [...document.querySelectorAll('details:not([open])')];
    closed.forEach(d => d.open = true);
    const low = [];
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode;
        const el = text.parentElement;
        if (!text.textContent.trim() || seen.has(el) || !el.checkVisibility()) continue;
        seen.add(el);
        const a = lum(parse(getComputedStyle(el).color));
        const b = lum(background(el));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) low.push([el.tagName, el.className, text.textContent.trim().slice(0, 40), ratio.toFixed(2)]);
    }
    closed.forEach(d => d.open = false);
    return { count: low.length, first: low.slice(0, 5) };
})()";

fn json_report(register: &str) -> Value {
    let output = Command::cargo_bin("prmlint")
        .unwrap()
        .args(["check", register, "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// (PRM id, status) of every PRM process in the JSON report, in model order.
fn json_statuses(report: &Value) -> Vec<(String, String)> {
    report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["prm"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_tiles_match(register: &str, tiles: &Value) {
    let expected = json_statuses(&json_report(register));
    let tiles = tiles.as_array().unwrap();
    assert_eq!(tiles.len(), 17, "{register}: {tiles:#?}");
    for (tile, (prm, status)) in tiles.iter().zip(&expected) {
        assert_eq!(tile["prm"], prm.as_str(), "{register}: tile order");
        assert_eq!(
            tile["classes"],
            json!([format!("status-{status}")]),
            "{register}: {prm}"
        );
        assert_eq!(tile["label"], status.as_str(), "{register}: {prm} label");
        assert_eq!(tile["icon"], true, "{register}: {prm} icon");
    }
}

/// Console messages, exceptions, log errors and requests other than the page itself.
fn assert_quiet_and_offline(result: &Value, page_url_end: &str) {
    assert_eq!(result["console"], json!([]), "console messages");
    assert_eq!(result["exceptions"], json!([]), "uncaught exceptions");
    let problems: Vec<&Value> = result["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["level"] == "error" || e["level"] == "warning")
        .collect();
    assert!(problems.is_empty(), "browser log: {problems:#?}");
    let requests = result["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "requests: {requests:#?}");
    assert!(
        requests[0].as_str().unwrap().ends_with(page_url_end),
        "requests: {requests:#?}"
    );
}

#[test]
fn the_report_loads_offline_without_console_errors_or_requests() {
    let Some(result) = service_provider() else {
        return;
    };
    assert_quiet_and_offline(result, "/report.html");
    assert_eq!(result["values"]["scripts"], 0);
}

#[test]
fn coverage_tiles_carry_the_status_of_the_json_report() {
    let Some(result) = service_provider() else {
        return;
    };
    assert_tiles_match(EXAMPLES[0], &result["values"]["tiles"]);
    // Grouped by category, in the model's order: 1 management, 12 core, 4 support.
    let tiles = result["values"]["tiles"].as_array().unwrap();
    let mut groups: Vec<(String, usize)> = Vec::new();
    for tile in tiles {
        let category = tile["category"].as_str().unwrap();
        let name = category.split_whitespace().take(1).collect::<String>();
        match groups.last_mut() {
            Some((last, n)) if *last == name => *n += 1,
            _ => groups.push((name, 1)),
        }
    }
    assert_eq!(
        groups,
        [
            ("Management".to_owned(), 1),
            ("Core".to_owned(), 12),
            ("Support".to_owned(), 4)
        ]
    );
}

#[test]
fn coverage_tiles_match_the_json_report_for_every_example() {
    let Some(chromium) = chromium() else {
        return;
    };
    for register in &EXAMPLES[1..] {
        // Labels in English, as the JSON report's statuses are (mittelstand-de would be German).
        let (_dir, page) = render(register, &["--lang", "en"]);
        let result = open(&chromium, &page, &json!({"evaluate": {"tiles": TILES}}));
        assert_quiet_and_offline(&result, "/report.html");
        assert_tiles_match(register, &result["values"]["tiles"]);
    }
}

#[test]
fn hostile_register_text_is_shown_as_text_and_runs_nothing() {
    // The file name is markup too: it is shown in the header and in register-check places.
    let dir = tempfile::tempdir().unwrap();
    let register = dir
        .path()
        .join("<img src=x onerror=window.__pwned=11>.json");
    std::fs::copy(HOSTILE, &register).unwrap();
    let (_out, page) = render(register.to_str().unwrap(), &[]);
    let html = std::fs::read_to_string(&page).unwrap().to_lowercase();
    for tag in [
        "<script",
        "<img",
        "<iframe",
        "<base",
        "<link",
        "<a href=\"javascript",
    ] {
        assert!(!html.contains(tag), "the page contains {tag}");
    }
    let Some(chromium) = chromium() else {
        return;
    };
    let result = open(
        &chromium,
        &page,
        &json!({"evaluate": {
            "pwned": "typeof window.__pwned",
            "title": "document.title",
            "marker": "document.getElementById('pwned') === null",
            "active": "document.querySelectorAll('script, iframe, img, object, embed, link, base, form, input, meta[http-equiv=refresh]').length",
            "handlers": "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))",
            "links": "[...document.querySelectorAll('[href], [src], [srcdoc], [action]')].map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('srcdoc') || e.getAttribute('action')).filter(v => !v.startsWith('#'))",
            "style_elements": "document.querySelectorAll('style').length",
            "body_visible": "getComputedStyle(document.body).display",
            "shown_as_text": "['<script>window.__pwned=1;document.title=\\'PWNED\\'</script>', '<img src=x onerror=\"window.__pwned=2\">', '<a href=\"javascript:window.__pwned=3\">click</a>', '</title><div id=pwned>PWNED</div>', '<img src=x onerror=window.__pwned=11>.json'].map(p => document.body.textContent.includes(p))",
        }}),
    );
    let values = &result["values"];
    assert_eq!(values["pwned"], "undefined");
    assert!(
        values["title"]
            .as_str()
            .unwrap()
            .starts_with("ISMS process gap assessment: Acme & Partners"),
        "{}",
        values["title"]
    );
    assert_eq!(values["marker"], true, "an injected element appeared");
    assert_eq!(values["active"], 0, "active elements were injected");
    assert_eq!(
        values["handlers"],
        json!([]),
        "event handlers were injected"
    );
    assert_eq!(values["links"], json!([]), "links or sources were injected");
    assert_eq!(values["style_elements"], 1);
    assert_eq!(values["body_visible"], "block");
    assert_eq!(
        values["shown_as_text"],
        json!([true, true, true, true, true])
    );
    assert_quiet_and_offline(&result, "/report.html");
}

#[test]
fn the_report_references_nothing_outside_itself() {
    // Register text is escaped, so every `<` in the page opens real markup: check the style
    // sheet and every tag, and leave the text alone (a register may well mention a URL).
    for register in EXAMPLES.iter().chain([&HOSTILE]) {
        let (_dir, page) = render(register, &["--date", "2026-11-28"]);
        let html = std::fs::read_to_string(&page).unwrap().to_lowercase();
        let (head, rest) = html.split_once("<style>").unwrap();
        let (css, body) = rest.split_once("</style>").unwrap();
        assert!(!body.contains("<style"), "{register}: a second style sheet");
        for needle in [
            "url(",
            "@import",
            "http:",
            "https:",
            "//",
            "@font-face",
            "image-set(",
        ] {
            assert!(
                !css.contains(needle),
                "{register}: the CSS contains {needle}"
            );
        }
        let markup = format!("{head}{body}");
        for tag in markup.split('<').skip(1) {
            let tag = tag.split_once('>').map_or(tag, |(tag, _)| tag);
            for needle in [
                "src=", "srcset", "http:", "https:", "//", "url(", "action=", "data:",
            ] {
                assert!(
                    !tag.contains(needle),
                    "{register}: <{tag}> contains {needle}"
                );
            }
            for (at, _) in tag.match_indices("href=") {
                assert!(
                    tag[at + 5..].starts_with("\"#"),
                    "{register}: <{tag}> links outside the page"
                );
            }
        }
    }
}

#[test]
fn printing_shows_every_detail_and_starts_each_section_on_a_new_page() {
    let Some(result) = service_provider() else {
        return;
    };
    let [shown, all] = [0, 1].map(|i| {
        result["values"]["closed_details_visible"][i]
            .as_u64()
            .unwrap()
    });
    assert!(all > 17, "expected details on every tile, found {all}");
    assert_eq!(shown, 0, "closed details are visible on screen");
    assert_eq!(
        result["print_values"]["closed_details_visible"],
        json!([all, all]),
        "closed details are hidden in print"
    );
    assert_eq!(
        result["print_values"]["section_breaks"],
        json!(["page", "page", "page", "page", "page"])
    );
    // In print, where backgrounds may be dropped, every tile still says its status in words.
    let labels = result["print_values"]["tile_labels"].as_array().unwrap();
    assert_eq!(labels.len(), 17);
    assert!(
        labels
            .iter()
            .all(|l| ["covered", "adaptable", "missing"].contains(&l.as_str().unwrap()))
    );
}

#[test]
fn the_page_is_accessible_headings_in_order_tables_with_headers_readable_contrast() {
    let Some(result) = service_provider() else {
        return;
    };
    let values = &result["values"];
    assert_eq!(values["lang"], "en");
    let headings: Vec<u64> = values["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_u64().unwrap())
        .collect();
    assert_eq!(headings.first(), Some(&1));
    assert_eq!(headings.iter().filter(|&&h| h == 1).count(), 1, "one h1");
    for pair in headings.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "a heading level is skipped: {headings:?}"
        );
    }
    assert!(headings.iter().all(|&h| h <= 3), "{headings:?}");
    let tables = values["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 4, "figures, control areas, clauses, mapping");
    for table in tables {
        assert_eq!(table["caption"], true);
        assert_eq!(table["head_cells"], 0);
        let head = table["head"].as_array().unwrap();
        assert!(
            !head.is_empty() && head.iter().all(|s| s == "col"),
            "{table}"
        );
        assert!(
            table["row_headers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s == "row" || s == "rowgroup"),
            "{table}"
        );
    }
    assert_eq!(values["icons_hidden"], true);
    assert_eq!(
        values["low_contrast"]["count"], 0,
        "text below WCAG AA contrast: {}",
        values["low_contrast"]
    );
}

/// Run headless Chromium on a page with `extra` switches (`--dump-dom`, `--screenshot=...`).
fn headless(chromium: &Path, page: &Path, extra: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(file_url(page))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A screenshot of a page, as PNG bytes.
fn screenshot(chromium: &Path, page: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("screenshot.png");
    headless(
        chromium,
        page,
        &[&format!("--screenshot={}", png.display())],
    );
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(PNG_SIGNATURE), "not a PNG");
    assert!(
        bytes.len() > 20_000,
        "suspiciously small screenshot: {} bytes",
        bytes.len()
    );
    bytes
}

#[test]
fn chromium_dumps_the_dom_and_takes_a_screenshot_of_the_example_report() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (_dir, page) = render(EXAMPLES[0], &[]);
    let dom = headless(&chromium, &page, &["--dump-dom"]);
    let stderr = String::from_utf8_lossy(&dom.stderr);
    assert!(
        !stderr.contains("Uncaught") && !stderr.contains(":CONSOLE"),
        "console output: {stderr}"
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert_eq!(dom.matches("data-prm=").count(), 17);
    assert!(!dom.contains("<script"));
    screenshot(&chromium, &page);
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The keyword of the PNG text chunk that records which page a docs screenshot shows.
const PAGE_KEY: &str = "prmlint-page-fnv1a64";

/// The screenshot in the README and the command that renders the page it shows.
const DOCS_SCREENSHOT: &str = "docs/report-service-provider.png";
const DOCS_DATE: &[&str] = &["--date", "2026-11-28"];

/// FNV-1a, 64 bits, in hex: a stable digest of the page (not for security).
fn fnv1a64(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The chunks of a PNG file: `(type, data)`.
fn png_chunks(png: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut chunks = Vec::new();
    let mut at = PNG_SIGNATURE.len();
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let Some(data) = png.get(at + 8..at + 8 + length) else {
            break;
        };
        chunks.push((&png[at + 4..at + 8], data));
        at += 12 + length;
    }
    chunks
}

/// The value of a `tEXt` chunk of a PNG file.
fn png_text(png: &[u8], key: &str) -> Option<String> {
    png_chunks(png).into_iter().find_map(|(kind, data)| {
        let (k, v) = data.split_at(data.iter().position(|&b| b == 0)?);
        (kind == b"tEXt" && k == key.as_bytes()).then(|| String::from_utf8_lossy(&v[1..]).into())
    })
}

/// A PNG file with a `tEXt` chunk added after its header.
fn with_png_text(png: &[u8], key: &str, value: &str) -> Vec<u8> {
    let mut data = key.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(value.as_bytes());
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut crc = crc32fast::Hasher::new();
    crc.update(b"tEXt");
    crc.update(&data);
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(&crc.finalize().to_be_bytes());
    // Signature, then IHDR (4 length + 4 type + 13 data + 4 CRC).
    let header_end = PNG_SIGNATURE.len() + 25;
    [&png[..header_end], &chunk, &png[header_end..]].concat()
}

/// The screenshot in `docs/` shows the report as prmlint renders it now: the PNG records the
/// digest of the page it was taken from, and a page that has changed since fails here (without
/// a browser too). `PRMLINT_UPDATE_SCREENSHOT=1` with Chromium takes it again.
#[test]
fn the_docs_screenshot_shows_the_current_report() {
    let (_dir, page) = render(EXAMPLES[0], DOCS_DATE);
    let digest = fnv1a64(&std::fs::read(&page).unwrap());
    let docs = std::fs::read(DOCS_SCREENSHOT).unwrap_or_default();
    let recorded = png_text(&docs, PAGE_KEY);
    if recorded.as_deref() == Some(digest.as_str()) {
        return;
    }
    let update = std::env::var_os("PRMLINT_UPDATE_SCREENSHOT").is_some_and(|v| v == "1");
    assert!(
        update,
        "{DOCS_SCREENSHOT} shows another page than the current report (page {digest}, \
         screenshot {recorded:?}); take it again with Chromium installed: \
         PRMLINT_UPDATE_SCREENSHOT=1 cargo test --test suite html_report::the_docs_screenshot"
    );
    let chromium = chromium().expect("PRMLINT_UPDATE_SCREENSHOT=1 needs Chromium and Python");
    let png = with_png_text(&screenshot(&chromium, &page), PAGE_KEY, &digest);
    assert_eq!(png_text(&png, PAGE_KEY).as_deref(), Some(digest.as_str()));
    std::fs::write(DOCS_SCREENSHOT, png).unwrap();
}

#[test]
fn the_date_is_shown_only_when_given_and_the_page_is_byte_identical_across_runs() {
    let (_a, first) = render(EXAMPLES[0], &[]);
    let (_b, second) = render(EXAMPLES[0], &[]);
    let first = std::fs::read(first).unwrap();
    assert_eq!(first, std::fs::read(second).unwrap());
    let undated = String::from_utf8(first).unwrap();
    assert!(!undated.contains("Report date") && !undated.contains("<time"));
    let (_c, dated) = render(EXAMPLES[0], &["--date", "2026-11-28"]);
    let dated = std::fs::read_to_string(dated).unwrap();
    assert!(dated.contains("<time datetime=\"2026-11-28\">2026-11-28</time>"));
    for bad in [
        "2026-02-30",
        "2025-02-29",
        "28.11.2026",
        "2026-1-05",
        "2026-11-28T10:00",
        "today",
    ] {
        let output = Command::cargo_bin("prmlint")
            .unwrap()
            .args(["check", EXAMPLES[0], "--format", "html", "--date", bad])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad} was accepted");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("YYYY-MM-DD"),
            "{bad}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
