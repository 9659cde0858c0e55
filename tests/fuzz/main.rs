//! Hostile-input fuzzing of palisade's readers, as ordinary tests: each target first runs every file of
//! its corpus (`tests/fuzz/corpus/<target>/`, crash reproducers included, so every crash ever found
//! stays a regression test), then a deterministic mutation loop (bit flips, interesting bytes, deletions,
//! duplications, dictionary tokens, truncation, splicing of two inputs, long repetitions) seeded from the
//! corpus. Inputs that make the reader behave differently (a new error message or a new accepted shape)
//! join the pool, a cheap stand-in for coverage feedback.
//!
//! The targets themselves are in `targets.rs`, shared with the cargo-fuzz crate in this folder
//! (`Cargo.toml`, `fuzz_targets/`), which runs the same functions under libFuzzer's coverage-guided
//! engine over the same corpus (see the README's "Fuzzing").
//!
//! Targets:
//! - `inventory`: `palisade_engine::parse_inventory`, then evaluation by the built-in rules and every
//!   report format for what it accepts;
//! - `plan`: `palisade_iac::parse_plan` (Terraform plan JSON);
//! - `metadata`: the METADATA parser (`palisade_engine::metadata::scan_file`, `rule_meta`) and the policy
//!   set's validation (`PolicySet::build`);
//! - `config`: `palisade.toml` and its waivers and frameworks (scanner/cli/src/config.rs, compiled in
//!   in), and the corpus through the binary (`palisade scan --config FILE --inventory …`).
//!
//! A finding is a panic, or an input that takes more than `PALISADE_FUZZ_SLOW_MS` (default 5000 ms) in one
//! reader. It is written to `$TMPDIR/palisade-fuzz-findings/<target>/crash-<hash>`; copy it into the
//! corpus as the regression input once the reader is fixed.
//!
//! ```sh
//! cargo test -p palisade --test fuzz                       # corpus + 300 mutations per target
//! PALISADE_FUZZ_SECONDS=120 cargo test -p palisade --test fuzz -- --nocapture --test-threads 1
//! PALISADE_FUZZ_SEED=7 PALISADE_FUZZ_ITERATIONS=5000 cargo test -p palisade --test fuzz plan
//! ```
//!
//! Each run appends its figures (target, executions, pool, distinct behaviours, findings, seconds) to
//! `$TMPDIR/palisade-fuzz-stats.txt`.

mod targets;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A small deterministic PRNG (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn fnv(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for x in b {
        h ^= u64::from(*x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const INTERESTING: &[u8] = b"\0\x7f\x80\xff\"\\{}[]:,-+.0e9\n\r\t# '=&*!|>";

/// One mutation of `input`, with `pool` for splicing and `dict` for tokens.
fn mutate(rng: &mut Rng, input: &[u8], pool: &[Vec<u8>], dict: &[&str]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                out.drain(i..i + n);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                let piece = out[i..i + n].to_vec();
                let at = rng.below(len + 1);
                out.splice(at..at, piece);
            }
            4 => {
                let t = dict[rng.below(dict.len())].as_bytes();
                let at = rng.below(len + 1);
                out.splice(at..at, t.iter().copied());
            }
            5 if len > 0 => {
                out.truncate(rng.below(len));
            }
            6 if !pool.is_empty() => {
                let other = &pool[rng.below(pool.len())];
                let (a, b) = (rng.below(len + 1), rng.below(other.len() + 1));
                out.truncate(a);
                out.extend_from_slice(&other[b..]);
            }
            7 if len > 0 => {
                // Replace a run of digits by an extreme number.
                let i = rng.below(len);
                if let Some(s) = (i..len).find(|&j| out[j].is_ascii_digit()) {
                    let e = (s..len).find(|&j| !out[j].is_ascii_digit()).unwrap_or(len);
                    let n = [
                        "0",
                        "-1",
                        "1e999",
                        "18446744073709551616",
                        "-0.0",
                        "4294967296",
                    ][rng.below(6)];
                    out.splice(s..e, n.bytes());
                }
            }
            8 => {
                // A long repetition: deep nesting, long lines, many entries.
                let t = dict[rng.below(dict.len())].as_bytes();
                let times = 1 + rng.below(2_000);
                let at = rng.below(len + 1);
                let rep: Vec<u8> = t.iter().copied().cycle().take(t.len() * times).collect();
                out.splice(at..at, rep);
            }
            _ if len > 1 => {
                // Swap two bytes.
                let (a, b) = (rng.below(len), rng.below(len));
                out.swap(a, b);
            }
            _ => out.push(INTERESTING[rng.below(INTERESTING.len())]),
        }
    }
    out.truncate(2 << 20);
    out
}

/// What one execution did: `Ok(signature)` (a short, number-free description of the outcome, for
/// feedback) or a panic message.
type Outcome = Result<String, String>;

/// The input in flight per target, for the watchdog: (input, when it started).
type InFlight = BTreeMap<String, (Vec<u8>, Instant)>;

fn in_flight() -> &'static Mutex<InFlight> {
    static F: OnceLock<Mutex<InFlight>> = OnceLock::new();
    F.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// A hang (an input running longer than `PALISADE_FUZZ_HANG_MS`, default 30 s) cannot be caught: the
/// watchdog writes the input to the findings folder as `hang-<hash>` and ends the process.
fn start_watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let limit = Duration::from_millis(env_u64("PALISADE_FUZZ_HANG_MS").unwrap_or(30_000));
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            let hung = in_flight().lock().ok().and_then(|f| {
                f.iter()
                    .find(|(_, (_, t))| t.elapsed() > limit)
                    .map(|(n, (i, t))| (n.clone(), i.clone(), t.elapsed()))
            });
            if let Some((name, input, took)) = hung {
                let dir = std::env::temp_dir()
                    .join("palisade-fuzz-findings")
                    .join(&name);
                let _ = std::fs::create_dir_all(&dir);
                let path = dir.join(format!("hang-{:016x}", fnv(&input)));
                let _ = std::fs::write(&path, &input);
                let _ = std::fs::write(
                    std::env::temp_dir().join("palisade-fuzz-hang.txt"),
                    format!(
                        "{name}: an input ran {} s: {}\n",
                        took.as_secs(),
                        path.display()
                    ),
                );
                std::process::abort();
            }
        });
    });
}

fn run_one(name: &str, target: &dyn Fn(&[u8]) -> String, input: &[u8]) -> (Outcome, Duration) {
    start_watchdog();
    let started = Instant::now();
    if let Ok(mut f) = in_flight().lock() {
        f.insert(name.to_string(), (input.to_vec(), started));
    }
    let r = catch_unwind(AssertUnwindSafe(|| target(input))).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    });
    if let Ok(mut f) = in_flight().lock() {
        f.remove(name);
    }
    (r, started.elapsed())
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

struct Stats {
    executions: u64,
    behaviours: usize,
    pool: usize,
    findings: Vec<String>,
    secs: f64,
}

/// Runs the corpus of `name`, then the mutation loop; panics with the findings.
fn fuzz(name: &str, extra_seeds: &[PathBuf], dict: &[&str], target: &dyn Fn(&[u8]) -> String) {
    fuzz_with(name, extra_seeds, dict, &[], target);
}

/// Strings worth trying in JSON documents: the string literals of the built-in policies (attribute names
/// and values the rules look at) and hostile values.
fn policy_words() -> Vec<String> {
    let mut words: BTreeSet<String> = [
        "",
        "*",
        "null",
        "0.0.0.0/0",
        "::/0",
        "arn:aws:iam::123456789012:root",
        "2026-02-30T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "\u{202e}\u{0}<script>alert(1)</script>",
        "=HYPERLINK(\"http://x\")",
        "::error::workflow command",
        "a\nb\r\nc",
        "é",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut stack = vec![root().join("policies")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rego") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
                    let mut parts = line.split('"');
                    parts.next();
                    while let (Some(lit), Some(_)) = (parts.next(), parts.next()) {
                        if lit.len() < 80 && !lit.contains('\\') {
                            words.insert(lit.to_string());
                        }
                    }
                }
            }
        }
    }
    words.into_iter().collect()
}

/// A random JSON value of at most `depth` levels, made of `words` and extreme numbers.
fn random_json(rng: &mut Rng, words: &[String], depth: usize) -> serde_json::Value {
    use serde_json::{json, Value};
    let word = |rng: &mut Rng| words[rng.below(words.len())].clone();
    match rng.below(if depth == 0 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 1),
        2 => [
            json!(0),
            json!(-1),
            json!(65535),
            json!(i64::MIN),
            json!(u64::MAX),
            json!(1e300),
            json!(-0.5),
        ][rng.below(7)]
        .clone(),
        3 | 4 => Value::String(word(rng)),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_json(rng, words, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| (word(rng), random_json(rng, words, depth - 1)))
                .collect(),
        ),
    }
}

fn count_nodes(v: &serde_json::Value) -> usize {
    1 + match v {
        serde_json::Value::Array(a) => a.iter().map(count_nodes).sum(),
        serde_json::Value::Object(m) => m.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Mutates the `*at`-th node (pre-order) of `v`.
fn mutate_node(v: &mut serde_json::Value, at: &mut usize, rng: &mut Rng, words: &[String]) -> bool {
    use serde_json::Value;
    if *at == 0 {
        match v {
            Value::Object(m) if !m.is_empty() && rng.below(3) == 0 => {
                let k = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                m.remove(&k);
            }
            Value::Object(m) if rng.below(2) == 0 => {
                let k = words[rng.below(words.len())].clone();
                m.insert(k, random_json(rng, words, 2));
            }
            Value::Array(a) if !a.is_empty() && rng.below(2) == 0 => {
                let i = rng.below(a.len());
                if rng.below(2) == 0 {
                    a.remove(i);
                } else {
                    let x = a[i].clone();
                    a.push(x);
                }
            }
            _ => *v = random_json(rng, words, 2),
        }
        return true;
    }
    *at -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| mutate_node(x, at, rng, words)),
        Value::Object(m) => m.values_mut().any(|x| mutate_node(x, at, rng, words)),
        _ => false,
    }
}

/// A structure-aware mutation of a JSON document: it stays JSON, so it reaches past the parser.
fn mutate_json(rng: &mut Rng, input: &[u8], words: &[String]) -> Option<Vec<u8>> {
    let mut v: serde_json::Value = serde_json::from_slice(input).ok()?;
    for _ in 0..1 + rng.below(3) {
        let n = count_nodes(&v);
        let mut at = rng.below(n);
        mutate_node(&mut v, &mut at, rng, words);
    }
    serde_json::to_vec(&v).ok()
}

/// As [`fuzz`]; with `words`, half of the mutations are structure-aware JSON mutations using them.
fn fuzz_with(
    name: &str,
    extra_seeds: &[PathBuf],
    dict: &[&str],
    words: &[String],
    target: &dyn Fn(&[u8]) -> String,
) {
    let corpus_dir = root().join("tests/fuzz/corpus").join(name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", corpus_dir.display());
    files.extend(extra_seeds.iter().cloned());
    let slow = Duration::from_millis(env_u64("PALISADE_FUZZ_SLOW_MS").unwrap_or(5_000));
    let findings_dir = std::env::temp_dir()
        .join("palisade-fuzz-findings")
        .join(name);
    let mut stats = Stats {
        executions: 0,
        behaviours: 0,
        pool: 0,
        findings: Vec::new(),
        secs: 0.0,
    };
    let started = Instant::now();
    let record = |input: &[u8], what: String, stats: &mut Stats| {
        let _ = std::fs::create_dir_all(&findings_dir);
        let path = findings_dir.join(format!("crash-{:016x}", fnv(input)));
        let _ = std::fs::write(&path, input);
        stats.findings.push(format!(
            "{what} ({} bytes): {}",
            input.len(),
            path.display()
        ));
    };
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // 1. The corpus: regression inputs, and the seeds.
    for f in &files {
        let input = std::fs::read(f).unwrap_or_default();
        let (r, took) = run_one(name, target, &input);
        stats.executions += 1;
        match r {
            Ok(sig) => {
                seen.insert(sig);
            }
            Err(p) => record(&input, format!("panic on {}: {p}", f.display()), &mut stats),
        }
        if took > slow {
            record(
                &input,
                format!("slow on {}: {} ms", f.display(), took.as_millis()),
                &mut stats,
            );
        }
        if input.len() <= 256 << 10 {
            pool.push(input);
        }
    }
    // 2. Mutations.
    let seed = env_u64("PALISADE_FUZZ_SEED").unwrap_or(0x5eed) ^ fnv(name.as_bytes());
    let mut rng = Rng(seed);
    let budget = env_u64("PALISADE_FUZZ_SECONDS").map(Duration::from_secs);
    let iterations = env_u64("PALISADE_FUZZ_ITERATIONS").unwrap_or(300);
    let mut i = 0u64;
    let mut rejected_in_pool = 0usize;
    loop {
        match budget {
            Some(b) if started.elapsed() >= b => break,
            None if i >= iterations => break,
            _ => {}
        }
        i += 1;
        let base = pool[rng.below(pool.len())].clone();
        let structured = (!words.is_empty() && rng.below(2) == 0)
            .then(|| mutate_json(&mut rng, &base, words))
            .flatten();
        let input = structured.unwrap_or_else(|| mutate(&mut rng, &base, &pool, dict));
        let (r, took) = run_one(name, target, &input);
        stats.executions += 1;
        match r {
            Ok(sig) => {
                // Accepted inputs lead deeper than rejected ones: rejected ones get a quarter of the pool.
                let accepted = sig.starts_with("ok");
                if seen.insert(sig) && pool.len() < 2_000 && (accepted || rejected_in_pool < 500) {
                    rejected_in_pool += usize::from(!accepted);
                    pool.push(input.clone());
                }
            }
            Err(p) => record(&input, format!("panic: {p}"), &mut stats),
        }
        if took > slow {
            record(&input, format!("slow: {} ms", took.as_millis()), &mut stats);
        }
        if stats.findings.len() >= 20 {
            break;
        }
    }
    stats.behaviours = seen.len();
    stats.pool = pool.len();
    stats.secs = started.elapsed().as_secs_f64();
    {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(std::env::temp_dir().join("palisade-fuzz-stats.txt"))
        {
            let _ = writeln!(
                f,
                "{name}: {} executions in {:.1} s (seed {seed:#x}), {} distinct behaviours, pool {}, {} findings",
                stats.executions,
                stats.secs,
                stats.behaviours,
                stats.pool,
                stats.findings.len()
            );
        }
    }
    assert!(
        stats.findings.is_empty(),
        "{name}: {} findings after {} executions:\n{}",
        stats.findings.len(),
        stats.executions,
        stats.findings.join("\n")
    );
}

const JSON_DICT: &[&str] = &[
    "null",
    "true",
    "[]",
    "{}",
    "[",
    "{\"a\":",
    "\"\"",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "1e999",
    "-0",
    ",",
    ":",
    "\"schema_version\":\"1.0\"",
    "\"resources\":[",
    "\"type\":\"aws_db_instance\"",
    "\"attributes\":{",
    "\"id\":\"arn:aws:x\"",
    "\"collection_errors\":[{\"service\":\"s\",\"account\":\"1\",\"region\":\"global\",\"operation\":\"s:X\",\"error_code\":\"E\",\"message\":\"\",\"kind\":\"other\",\"resource_types\":[\"aws_lb\"]}]",
    "\"unknown\":[\"a.0.b\"]",
    "\"collected_at\":\"2026-13-45T99:99:99Z\"",
    "\"after_unknown\":{\"x\":true}",
    "\"change\":{\"actions\":[\"create\"],\"after\":{}}",
    "\"address\":\"module.a[\\\"k\\\"].aws_lb.x[0]\"",
    "\"references\":[\"aws_lb.a.arn\"]",
    "\"constant_value\":",
    "\"expressions\":{",
    "\"module_calls\":{\"m\":{\"module\":{}}}",
    "é",
    "\u{202e}",
];

#[test]
fn inventory() {
    targets::engine();
    fuzz_with(
        "inventory",
        &[root().join("tests/fixtures/reference-architecture.json")],
        JSON_DICT,
        &policy_words(),
        &targets::inventory,
    );
}

#[test]
fn plan() {
    fuzz_with("plan", &[], JSON_DICT, &policy_words(), &targets::plan);
}

#[test]
fn metadata() {
    // Every built-in rule file is a seed too.
    let mut seeds = Vec::new();
    let mut stack = vec![root().join("policies")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rego") && seeds.len() < 40 {
                seeds.push(p);
            }
        }
    }
    seeds.sort();
    fuzz(
        "metadata",
        &seeds,
        &[
            "# METADATA\n",
            "# ",
            "#",
            "\n",
            "package ",
            "package fuzz\n",
            "deny contains f if {\n",
            "test_x if { true }\n",
            "# custom:\n#   id: X-01\n",
            "#   severity: critical\n",
            "#   resource_types: [aws_lb]\n",
            "#   parameters:\n#     p: 1\n",
            "#   frameworks:\n#     fsbp: [A.1]\n",
            "&a ",
            "*a",
            "!!binary ",
            "!!map ",
            "---\n",
            "...\n",
            ": ",
            "- ",
            "[",
            "{",
            "? ",
            "|\n",
            ">-\n",
            "\t",
            "\"\\ud800\"",
            "é",
        ],
        &targets::metadata,
    );
}

#[test]
fn config() {
    targets::rule_ids();
    fuzz(
        "config",
        &[],
        &[
            "[scan]\n",
            "[parameters]\n",
            "[[waivers]]\n",
            "[frameworks.soc2]\n",
            "rule = \"SG-01\"\n",
            "resource = \"*\"\n",
            "reason = \"r\"\n",
            "expires = 2027-03-31\n",
            "expires = \"2027-02-29\"\n",
            "expires = 1979-05-27T07:32:00Z\n",
            "\"CC6.1\" = [\"SG-01\"]\n",
            "fail_on = \"high\"\n",
            "policies = [\"./p\"]\n",
            "x = { a = [1, 2.5, true] }\n",
            "\"\"\"",
            "'''",
            "\\u0000",
            "é",
            "=",
            "[",
            "]",
            "\n",
            "#",
        ],
        &targets::config,
    );
}

/// The config corpus through the binary, as a user would hit it: every file either scans (0, 1, 3) or
/// is refused with exit 2 and a message that names the file; never a panic.
#[test]
fn config_corpus_through_the_binary() {
    let dir = root().join("tests/fuzz/corpus/config");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{} config corpus files", files.len());
    for f in files {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_palisade"))
            .args(["scan", "--config"])
            .arg(&f)
            .args([
                "--inventory",
                "tests/fixtures/reference-architecture.json",
                "--format",
                "json",
            ])
            .current_dir(root())
            .env_remove("PALISADE_CONFIG")
            .env_remove("PALISADE_FAIL_ON")
            .output()
            .unwrap_or_else(|e| panic!("cannot run palisade: {e}"));
        let code = o.status.code().unwrap_or(-1);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains("panicked") && [0, 1, 2, 3].contains(&code),
            "{}: exit {code}: {err}",
            f.display()
        );
        if code == 2 {
            let name = f.display().to_string();
            assert!(
                err.starts_with("error: ") && err.contains(&name),
                "{}: the error does not name the file: {err}",
                f.display()
            );
        }
    }
}
