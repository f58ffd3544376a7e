//! End-to-end benchmark of `prmlint check`: generates registers of 1,000, 10,000 and 100,000
//! processes, runs the release binary on each and prints wall time, CPU time, peak memory and
//! the time of each stage (from the hidden `check --timings` flag).
//!
//! `cargo run --release --example bench [-- --sizes 1000,10000,100000 --runs 3]`

#[path = "support/generator.rs"]
#[allow(
    dead_code,
    reason = "shared with the generate example, which reads the rest"
)]
mod generator;
#[path = "support/vocabulary.rs"]
mod vocabulary;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

/// The stages `check --timings` reports, in pipeline order.
const STAGES: &[&str] = &["load", "validate", "map", "analyse", "report"];

/// Benchmark `prmlint check --format json` on generated registers.
#[derive(Debug, Parser)]
struct Args {
    /// Register sizes, in processes.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Runs per size; the run with the median wall time is shown.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Seed of the generated registers.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Generate CSV registers instead of JSON.
    #[arg(long)]
    csv: bool,
    /// Where the generated registers go (default: a folder in the system temp directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// The prmlint binary (default: `prmlint` beside this example's folder, built first when
    /// run through cargo).
    #[arg(long)]
    bin: Option<PathBuf>,
}

/// What one run of the binary took.
#[derive(Debug, Clone, Default)]
struct Run {
    wall: Duration,
    /// User + system CPU time, when `/usr/bin/time` is there to tell.
    cpu: Option<Duration>,
    /// Peak resident set size in KiB.
    peak_kib: Option<u64>,
    stages: Vec<(String, f64)>,
}

fn main() {
    let args = Args::parse();
    if let Err(message) = run(&args) {
        eprintln!("bench: {message}");
        std::process::exit(2);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let bin = match &args.bin {
        Some(bin) => bin.clone(),
        None => default_binary()?,
    };
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("prmlint-bench"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let time = Path::new("/usr/bin/time").exists();
    if !time {
        eprintln!(
            "bench: /usr/bin/time not found; peak memory is polled from /proc, CPU time not shown"
        );
    }
    println!(
        "prmlint check --format json, {} run(s) per size, binary {}",
        args.runs,
        bin.display()
    );
    println!(
        "{:>9} {:>8} {:>9} {:>13} {:>9} {:>9} | {}",
        "processes",
        "MiB in",
        "wall ms",
        "min-max ms",
        "cpu ms",
        "peak MiB",
        STAGES
            .iter()
            .map(|s| format!("{s:>9}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut results = Vec::new();
    for &size in &args.sizes {
        let extension = if args.csv { "csv" } else { "json" };
        let register = dir.join(format!("register-{size}-{}.{extension}", args.seed));
        let summary = generate(&register, size, args.seed, args.csv)?;
        let mut runs = Vec::new();
        for _ in 0..args.runs.max(1) {
            runs.push(measure(&bin, &register, &dir, time)?);
        }
        let peak = runs.iter().filter_map(|r| r.peak_kib).max();
        runs.sort_by_key(|r| r.wall);
        let median = runs[runs.len() / 2].clone();
        let stage_ms = |name: &str| {
            median
                .stages
                .iter()
                .find(|(s, _)| s == name)
                .map_or("-".to_owned(), |(_, ms)| format!("{ms:.1}"))
        };
        // Shared machines drift: the spread of the runs says how far to trust the median.
        let spread = format!(
            "{:.1}-{:.1}",
            runs[0].wall.as_secs_f64() * 1000.0,
            runs[runs.len() - 1].wall.as_secs_f64() * 1000.0
        );
        println!(
            "{:>9} {:>8.1} {:>9.1} {:>13} {:>9} {:>9} | {}",
            size,
            summary.bytes as f64 / 1048576.0,
            median.wall.as_secs_f64() * 1000.0,
            spread,
            median.cpu.map_or("-".to_owned(), |c| format!(
                "{:.1}",
                c.as_secs_f64() * 1000.0
            )),
            peak.map_or("-".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0)),
            STAGES
                .iter()
                .map(|s| format!("{:>9}", stage_ms(s)))
                .collect::<Vec<_>>()
                .join(" ")
        );
        results.push((size, median.wall, peak));
    }
    print_targets(&results);
    Ok(())
}

/// `target/<profile>/prmlint` beside `target/<profile>/examples/bench`; rebuilt first when
/// cargo runs this example, so the benchmark never times a stale binary.
fn default_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot find the target directory")?;
    if let Some(cargo) = std::env::var_os("CARGO") {
        let status = Command::new(cargo)
            .args(["build", "--release", "--quiet", "--bin", "prmlint"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("cargo build --release failed".into());
        }
    }
    let bin = profile_dir.join(format!("prmlint{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        return Err(format!(
            "{} not found: run `cargo build --release` first",
            bin.display()
        ));
    }
    Ok(bin)
}

fn generate(
    path: &Path,
    processes: usize,
    seed: u64,
    csv: bool,
) -> Result<generator::Summary, String> {
    let options = generator::Options {
        processes,
        seed,
        invalid: false,
        format: if csv {
            generator::Format::Csv
        } else {
            generator::Format::Json
        },
    };
    let file =
        std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut out = BufWriter::new(file);
    generator::generate(&options, &mut out)
        .and_then(|summary| out.flush().map(|()| summary))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Run `prmlint check` once, under `/usr/bin/time` when it is there. The report goes to
/// standard output, thrown away: `-o FILE` would add an fsync to the timing.
fn measure(bin: &Path, register: &Path, dir: &Path, time: bool) -> Result<Run, String> {
    let time_file = dir.join("time.txt");
    let mut command = if time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f")
            .arg("%U %S %M")
            .arg("-o")
            .arg(&time_file)
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    command
        .arg("check")
        .arg(register)
        .args(["--format", "json", "--fail-on", "never", "--timings"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let mut polled_peak = None;
    if !time {
        // Without wait4's rusage, sample VmHWM (the kernel's own high-water mark) while it runs.
        while child.try_wait().map_err(|e| e.to_string())?.is_none() {
            let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
            if let Some(kib) = status.ok().as_deref().and_then(vm_hwm) {
                polled_peak = Some(kib);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("cannot wait for prmlint: {e}"))?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("prmlint failed ({}): {stderr}", output.status));
    }
    let stages = stderr
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("timing: ")?.split(' ');
            let stage = words.next()?.to_owned();
            let ms = words.next()?.parse::<f64>().ok()?;
            Some((stage, ms))
        })
        .collect();
    let (cpu, peak_kib) = if time {
        let text = std::fs::read_to_string(&time_file).unwrap_or_default();
        // The last line: GNU time puts "Command exited with ..." before it on failure.
        let fields: Vec<&str> = text
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let seconds = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        let cpu = seconds(0)
            .zip(seconds(1))
            .map(|(user, system)| Duration::from_secs_f64(user + system));
        (cpu, fields.get(2).and_then(|f| f.parse().ok()))
    } else {
        (None, polled_peak)
    };
    Ok(Run {
        wall,
        cpu,
        peak_kib,
        stages,
    })
}

/// `VmHWM` of a `/proc/<pid>/status` text, in KiB.
fn vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The targets of the "Performance at scale" issue, for the sizes that were run.
fn print_targets(results: &[(usize, Duration, Option<u64>)]) {
    let find = |n: usize| results.iter().find(|r| r.0 == n);
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!("targets (2-core machine, release build):");
    if let Some((_, wall, _)) = find(1_000) {
        let ms = wall.as_secs_f64() * 1000.0;
        println!(
            "  1,000 processes < 50 ms: {ms:.1} ms {}",
            verdict(ms < 50.0)
        );
    }
    if let Some((_, wall, peak)) = find(100_000) {
        let s = wall.as_secs_f64();
        println!("  100,000 processes < 3 s: {s:.2} s {}", verdict(s < 3.0));
        if let Some(kib) = peak {
            let mib = *kib as f64 / 1024.0;
            println!(
                "  100,000 processes < 1 GiB peak: {mib:.0} MiB {}",
                verdict(mib < 1024.0)
            );
        }
    }
    if let (Some((_, small, _)), Some((_, large, _))) = (find(10_000), find(100_000)) {
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        println!(
            "  10,000 -> 100,000 at most 12x: {ratio:.1}x {}",
            verdict(ratio <= 12.0)
        );
    }
}
