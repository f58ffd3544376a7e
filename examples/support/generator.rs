//! Realistic process registers of any size, the same bytes for the same seed: the data behind
//! `examples/generate.rs` and `examples/bench.rs`.
//!
//! Each process is drawn from a topic in `vocabulary.rs` (ITIL, COBIT, BSI, ISMS, control-area
//! and plain business processes, in English or German) and then varied the way real registers
//! vary: organisation prefixes and suffixes, typos, copied names, security-only twins of
//! generic processes, a shallow hierarchy, missing owners and descriptions, declared mappings
//! and vendor `x-` fields. With `invalid`, about 3% of the entries are broken on purpose.

use std::io::{self, Write};

use crate::vocabulary::{self as vocab, Topic};

/// SplitMix64: a few lines, fast, and the same sequence on every platform for a seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Up to `n` distinct items, in a random order.
    fn sample<'a>(&mut self, items: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut pool = items.to_vec();
        let mut out = Vec::new();
        while out.len() < n && !pool.is_empty() {
            out.push(pool.swap_remove(self.below(pool.len())));
        }
        out
    }
}

/// Output format of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub processes: usize,
    pub seed: u64,
    /// Break about 3% of the entries (wrong types, unknown properties, duplicate ids, broken
    /// parents, cycles, ...).
    pub invalid: bool,
    pub format: Format,
}

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub processes: usize,
    /// Entries broken on purpose.
    pub invalid: usize,
    pub bytes: u64,
}

/// A field value as it will be written.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    List(Vec<String>),
    /// `maps_to`: (prm, relationship, note).
    Maps(Vec<(String, String, Option<String>)>),
    /// JSON text written as is (a wrong type); CSV writes it as cell text.
    Raw(String),
}

#[derive(Debug, Default, Clone)]
struct Entry {
    fields: Vec<(String, Value)>,
    /// The whole entry as raw JSON text instead of an object (JSON only).
    raw: Option<String>,
    /// Emit the `name` member twice (JSON only).
    duplicate_key: bool,
}

impl Entry {
    fn set(&mut self, key: &str, value: Value) {
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((key.to_owned(), value)),
        }
    }
}

/// Register-wide choices, drawn once per seed.
struct Flavour {
    german_share: f64,
    vendor: usize,
}

/// Generate a register and write it to `out`.
pub fn generate(options: &Options, out: &mut dyn Write) -> io::Result<Summary> {
    let mut rng = Rng::new(options.seed);
    let flavour = Flavour {
        german_share: [0.0, 0.15, 0.35, 0.7][rng.below(4)],
        vendor: rng.below(4),
    };
    let mut entries: Vec<Entry> = Vec::with_capacity(options.processes);
    let mut names: Vec<String> = Vec::with_capacity(options.processes);
    let mut ids: Vec<String> = Vec::with_capacity(options.processes);
    let mut depth: Vec<u8> = Vec::with_capacity(options.processes);
    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(options.processes);
    for i in 0..options.processes {
        let topic = rng.pick(vocab::TOPICS);
        let german = rng.chance(flavour.german_share);
        let id = format!("{}-{:06}", topic.code, i + 1);
        let mut entry = Entry::default();
        entry.set("id", Value::Text(id.clone()));
        let (name, twin) = name(&mut rng, topic, german, &names);
        entry.set("name", Value::Text(name.clone()));
        describe(&mut rng, &mut entry, topic, german);
        // A shallow hierarchy: parents come earlier in the register, so there is no cycle.
        let parent = (i > 0 && rng.chance(0.25)).then(|| {
            let mut p = i - 1 - rng.below(i.min(60));
            while depth[p] >= 3 {
                p = parent_of[p].unwrap_or(p);
            }
            p
        });
        if let Some(p) = parent {
            entry.set("parent", Value::Text(ids[p].clone()));
        }
        lists(&mut rng, &mut entry, topic, german);
        declare(&mut rng, &mut entry, topic, twin);
        vendor_fields(&mut rng, &mut entry, flavour.vendor, i);
        depth.push(parent.map_or(0, |p| depth[p].saturating_add(1)));
        parent_of.push(parent);
        names.push(name);
        ids.push(id);
        entries.push(entry);
    }
    let mut invalid = 0;
    if options.invalid {
        for i in 0..entries.len() {
            if rng.chance(0.03) {
                break_entry(&mut rng, &mut entries, i, &ids, &parent_of, options.format);
                invalid += 1;
            }
        }
    }
    let metadata = [
        ("organisation", rng.pick(vocab::ORGANISATIONS).to_string()),
        ("version", format!("{}.{}", 1 + rng.below(5), rng.below(10))),
        ("source", rng.pick(vocab::SOURCES).to_string()),
        (
            "exported",
            format!("2025-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        ),
    ];
    let mut counting = Counting {
        inner: out,
        bytes: 0,
    };
    match options.format {
        Format::Json => write_json(&mut counting, &metadata, &entries)?,
        Format::Csv => write_csv(&mut counting, &entries, options.invalid)?,
    }
    counting.flush()?;
    Ok(Summary {
        processes: entries.len(),
        invalid,
        bytes: counting.bytes,
    })
}

/// A name for a process of the topic; true when it is a security-only twin.
fn name(rng: &mut Rng, topic: &Topic, german: bool, earlier: &[String]) -> (String, bool) {
    // Registers merged from several sources name the same process twice.
    if !earlier.is_empty() && rng.chance(0.03) {
        return (earlier[rng.below(earlier.len())].clone(), false);
    }
    let pool = if german && !topic.de.is_empty() && !rng.chance(0.15) {
        topic.de
    } else {
        topic.en
    };
    let mut name = (*rng.pick(pool)).to_owned();
    let twin = topic.twin && rng.chance(0.15);
    if twin {
        let templates = if german {
            vocab::TWIN_DE
        } else {
            vocab::TWIN_EN
        };
        let base = if rng.chance(0.5) {
            lower_first(&name)
        } else {
            name.clone()
        };
        name = rng.pick(templates).replace("{}", &base);
    }
    if rng.chance(0.15) {
        name = if german {
            format!("{name} {}", rng.pick(vocab::ORG_UNITS_DE))
        } else {
            format!("{} {}", rng.pick(vocab::ORG_UNITS_EN), lower_first(&name))
        };
    }
    if rng.chance(0.08) {
        let suffixes = if german {
            vocab::SUFFIXES_DE
        } else {
            vocab::SUFFIXES_EN
        };
        let suffix: &&str = rng.pick(suffixes);
        name.push_str(suffix);
    }
    if rng.chance(0.04) {
        name = typo(rng, &name);
    }
    (name, twin)
}

/// Lower-case the first letter unless the first word is an acronym or code ("ISMS", "APO13").
fn lower_first(text: &str) -> String {
    let first_word = text.split(' ').next().unwrap_or_default();
    let acronym = first_word.chars().filter(|c| c.is_uppercase()).count() > 1
        || first_word.chars().any(|c| c.is_ascii_digit());
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if !acronym => c.to_lowercase().chain(chars).collect(),
        _ => text.to_owned(),
    }
}

/// Swap two neighbouring letters or drop one, in a word of five letters or more.
fn typo(rng: &mut Rng, text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&w| words[w].len() >= 5 && words[w].is_ascii())
        .collect();
    if long.is_empty() {
        return text.to_owned();
    }
    let w = *rng.pick(&long);
    let mut letters: Vec<char> = words[w].chars().collect();
    let at = 1 + rng.below(letters.len() - 2);
    if rng.chance(0.5) {
        letters.swap(at, at + 1);
    } else {
        letters.remove(at);
    }
    let changed: String = letters.into_iter().collect();
    let mut out: Vec<&str> = words.clone();
    out[w] = &changed;
    out.join(" ")
}

fn describe(rng: &mut Rng, entry: &mut Entry, topic: &Topic, german: bool) {
    if rng.chance(0.94) {
        let (purpose, scopes, extras) = if german {
            (topic.purpose_de, vocab::SCOPES_DE, vocab::EXTRAS_DE)
        } else {
            (topic.purpose_en, vocab::SCOPES_EN, vocab::EXTRAS_EN)
        };
        let mut text = format!("{purpose} {}.", rng.pick(scopes));
        for share in [0.6, 0.2] {
            if rng.chance(share) {
                text.push(' ');
                let extra: &&str = rng.pick(extras);
                text.push_str(extra);
            }
        }
        entry.set("description", Value::Text(text));
    }
    if rng.chance(0.93) {
        let owners = if german {
            vocab::OWNERS_DE
        } else {
            vocab::OWNERS_EN
        };
        entry.set("owner", Value::Text((*rng.pick(owners)).to_owned()));
    }
    if rng.chance(0.8) {
        let category = if german {
            topic.category_de
        } else {
            topic.category_en
        };
        entry.set("category", Value::Text(category.to_owned()));
    }
    let status = rng.below(100);
    if status >= 8 {
        let status = match status {
            8..=14 => "draft",
            15..=19 => "retired",
            _ => "active",
        };
        entry.set("status", Value::Text(status.to_owned()));
    }
}

fn lists(rng: &mut Rng, entry: &mut Entry, topic: &Topic, german: bool) {
    let roll = rng.below(100);
    if roll >= 5 {
        let pool = if german { topic.acts_de } else { topic.acts_en };
        let mut activities: Vec<String> = if roll < 8 {
            Vec::new()
        } else {
            let n = 2 + rng.below(7);
            rng.sample(pool, n).into_iter().map(str::to_owned).collect()
        };
        if !activities.is_empty() && rng.chance(0.2) {
            activities.push(
                if german {
                    "Ergebnisse dokumentieren und berichten"
                } else {
                    "Document results and report to management"
                }
                .to_owned(),
            );
        }
        entry.set("activities", Value::List(activities));
    }
    for key in ["inputs", "outputs"] {
        if rng.chance(0.6) {
            let n = 1 + rng.below(3);
            let items = rng.sample(topic.io, n);
            entry.set(
                key,
                Value::List(items.into_iter().map(str::to_owned).collect()),
            );
        }
    }
    if !topic.frameworks.is_empty() && rng.chance(0.5) {
        let n = 1 + rng.below(2);
        let items = rng.sample(topic.frameworks, n);
        entry.set(
            "frameworks",
            Value::List(items.into_iter().map(str::to_owned).collect()),
        );
    }
    if rng.chance(0.5) {
        let n = 1 + rng.below(3);
        let items = rng.sample(vocab::TAGS, n);
        entry.set(
            "tags",
            Value::List(items.into_iter().map(str::to_owned).collect()),
        );
    }
}

/// `maps_to` on some processes: mostly plausible, now and then a dubious extra.
fn declare(rng: &mut Rng, entry: &mut Entry, topic: &Topic, twin: bool) {
    if topic.prm.is_empty() || !rng.chance(0.15) {
        return;
    }
    let relationship = if twin {
        "equal"
    } else {
        *rng.pick(&["intersects", "intersects", "subset", "equal", "superset"])
    };
    let note = rng
        .chance(0.3)
        .then(|| "declared by the process owner in the 2024 review".to_owned());
    let mut maps = vec![(topic.prm.to_owned(), relationship.to_owned(), note)];
    if rng.chance(0.1) {
        let other = *rng.pick(vocab::PRM_IDS);
        if other != topic.prm {
            maps.push((other.to_owned(), "intersects".to_owned(), None));
        }
    }
    entry.set("maps_to", Value::Maps(maps));
}

fn vendor_fields(rng: &mut Rng, entry: &mut Entry, vendor: usize, i: usize) {
    if !rng.chance(0.8) {
        return;
    }
    match vendor {
        0 => {
            let sys_id = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
            entry.set("x-servicenow-sys_id", Value::Text(sys_id));
            entry.set(
                "x-servicenow-number",
                Value::Text(format!("PRC{:07}", i + 1)),
            );
        }
        1 => {
            entry.set(
                "x-archer-tracking-id",
                Value::Text((200_000 + i).to_string()),
            );
        }
        2 => {
            let a = rng.next_u64();
            let b = rng.next_u64();
            let uuid = format!(
                "{:08x}-{:04x}-5{:03x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                0x8000 | (b >> 48) & 0x3fff,
                b & 0xffff_ffff_ffff
            );
            entry.set("x-verinice-uuid", Value::Text(uuid));
        }
        _ => {}
    }
}

/// Break one entry the way broken exports are broken.
fn break_entry(
    rng: &mut Rng,
    entries: &mut [Entry],
    i: usize,
    ids: &[String],
    parent_of: &[Option<usize>],
    format: Format,
) {
    // Kinds 0..=5 work in both formats; the rest need JSON's types and structure.
    let kinds = if format == Format::Json { 13 } else { 6 };
    let kind = rng.below(kinds);
    if kind == 2 {
        // The parent's parent becomes this process: a two-process cycle (or a self-loop).
        let id = ids[i].clone();
        entries[parent_of[i].unwrap_or(i)].set("parent", Value::Text(id));
        return;
    }
    let entry = &mut entries[i];
    match kind {
        0 if i > 0 => entry.set("id", Value::Text(ids[rng.below(i)].clone())),
        0 | 1 => entry.set("parent", Value::Text(format!("{}X", ids[i]))),
        3 => entry.set("status", Value::Text("aktiv".to_owned())),
        4 => entry.set("id", Value::Text(format!("{} (alt)", ids[i]))),
        5 => entry.set(
            "maps_to",
            Value::Maps(vec![("incident-mgmt".to_owned(), "equal".to_owned(), None)]),
        ),
        6 => entry.set("name", Value::Raw("42".to_owned())),
        7 => entry.set(
            "activities",
            Value::Raw("\"Prüfen, Freigeben, Archivieren\"".to_owned()),
        ),
        8 => entry.set("owner", Value::Raw("[\"Leiter IT\", \"CISO\"]".to_owned())),
        9 => entry.set("descripton", Value::Text("Typo in the key.".to_owned())),
        10 => entry.set("maps_to", Value::Raw("\"risk-assessment\"".to_owned())),
        11 => entry.duplicate_key = true,
        _ => entry.raw = Some(format!("\"{} Prozess ohne Details\"", ids[i])),
    }
}

fn write_json(
    out: &mut dyn Write,
    metadata: &[(&str, String)],
    entries: &[Entry],
) -> io::Result<()> {
    out.write_all(b"{\n  \"register\": {\n")?;
    for (n, (key, value)) in metadata.iter().enumerate() {
        let comma = if n + 1 < metadata.len() { "," } else { "" };
        writeln!(out, "    \"{key}\": {}{comma}", quote(value))?;
    }
    out.write_all(b"  },\n  \"processes\": [\n")?;
    let mut text = String::new();
    for (n, entry) in entries.iter().enumerate() {
        text.clear();
        if let Some(raw) = &entry.raw {
            text.push_str("    ");
            text.push_str(raw);
        } else {
            json_entry(&mut text, entry);
        }
        text.push_str(if n + 1 < entries.len() { ",\n" } else { "\n" });
        out.write_all(text.as_bytes())?;
    }
    out.write_all(b"  ]\n}\n")
}

fn json_entry(text: &mut String, entry: &Entry) {
    text.push_str("    {\n");
    let mut members: Vec<String> = Vec::with_capacity(entry.fields.len() + 1);
    for (key, value) in &entry.fields {
        let value = match value {
            Value::Text(t) => quote(t),
            Value::Raw(raw) => raw.clone(),
            Value::List(items) if items.is_empty() => "[]".to_owned(),
            Value::List(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| format!("        {}", quote(i)))
                    .collect();
                format!("[\n{}\n      ]", items.join(",\n"))
            }
            Value::Maps(maps) => {
                let items: Vec<String> = maps
                    .iter()
                    .map(|(prm, relationship, note)| {
                        let note = note
                            .as_ref()
                            .map(|n| format!(", \"note\": {}", quote(n)))
                            .unwrap_or_default();
                        format!(
                            "        {{\"prm\": {}, \"relationship\": {}{note}}}",
                            quote(prm),
                            quote(relationship)
                        )
                    })
                    .collect();
                format!("[\n{}\n      ]", items.join(",\n"))
            }
        };
        members.push(format!("      {}: {value}", quote(key)));
        if key == "name" && entry.duplicate_key {
            members.push(format!("      \"name\": {}", quote("Doppelter Name")));
        }
    }
    text.push_str(&members.join(",\n"));
    text.push_str("\n    }");
}

/// A JSON string literal.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const CSV_COLUMNS: &[&str] = &[
    "id",
    "name",
    "description",
    "owner",
    "category",
    "status",
    "parent",
    "activities",
    "inputs",
    "outputs",
    "frameworks",
    "maps_to",
    "tags",
];

fn write_csv(out: &mut dyn Write, entries: &[Entry], invalid: bool) -> io::Result<()> {
    // Vendor columns: whichever `x-` fields the entries carry, in first-seen order.
    let mut vendor: Vec<&str> = Vec::new();
    for entry in entries.iter().take(1000) {
        for (key, _) in &entry.fields {
            if key.starts_with("x-") && !vendor.contains(&key.as_str()) {
                vendor.push(key);
            }
        }
    }
    let mut columns: Vec<&str> = CSV_COLUMNS.iter().copied().chain(vendor).collect();
    if invalid {
        // A column the format does not know, as spreadsheets grow them.
        columns.push("Bemerkung");
    }
    out.write_all(columns.join(",").as_bytes())?;
    out.write_all(b"\r\n")?;
    let mut line = String::new();
    for entry in entries {
        line.clear();
        for (c, column) in columns.iter().enumerate() {
            if c > 0 {
                line.push(',');
            }
            let cell = match entry.fields.iter().find(|(k, _)| k == column) {
                None => String::new(),
                Some((_, Value::Text(t))) => t.clone(),
                Some((_, Value::Raw(r))) => r.trim_matches('"').to_owned(),
                Some((_, Value::List(items))) => items.join(";"),
                Some((_, Value::Maps(maps))) => maps
                    .iter()
                    .map(|(prm, relationship, _)| format!("{prm}:{relationship}"))
                    .collect::<Vec<_>>()
                    .join(";"),
            };
            if cell.contains([',', '"', '\n', '\r']) {
                line.push('"');
                line.push_str(&cell.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(&cell);
            }
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A writer that counts the bytes through it.
struct Counting<'a> {
    inner: &'a mut dyn Write,
    bytes: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
