//! Policy evaluation benchmark: builds an inventory of N resources across every resource type of the
//! reference architecture (copies of the recorded fixture's resources with unique ids), evaluates every
//! built-in rule on it, and prints the time, resources per second and peak memory.
//!
//! cargo run --release -p palisade-engine --example eval_bench -- [--resources N] [--threads T] [--write FILE]
//!     [--policies DIR] [--only ID,ID] [--top K] [--chunk N] [--stream]
//!
//! The inventory is evaluated as `palisade scan` does: consumed, in chunks of whole accounts of up to
//! `--chunk` resources (default as the scanner's, 0 = all at once), each chunk freed once judged. With
//! `--stream` it never exists whole: it is made in parts of whole accounts of up to `--chunk` resources as
//! the evaluation asks for them ([`Engine::evaluate_parts_profiled`]), and the time spent making them is
//! left out of the evaluation's.
//!
//! Each of the `--top` slowest rules is printed as `ID seconds/results`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use palisade_engine::{Engine, EvalOptions, PolicySet};
use palisade_model::{Inventory, Resource};
use serde_json::Value;
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::HashSet;
use std::time::Instant;

const REFERENCE: &str = include_str!("../../../tests/fixtures/reference-architecture.json");

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Identifiers of the base inventory that other resources may reference: resource ids (ARNs) and the
/// values of naming attributes. Short generic words ("default", "application") are left out, so that a
/// renamed copy keeps its meaning.
fn identifiers(base: &Inventory) -> HashSet<String> {
    const KEYS: [&str; 7] = [
        "id",
        "name",
        "arn",
        "bucket",
        "identifier",
        "cluster_identifier",
        "resource_arn",
    ];
    let mut set = HashSet::new();
    let mut add = |v: &str| {
        if v.len() >= 6
            && v.chars()
                .any(|c| c.is_ascii_digit() || c == ':' || c == '-')
        {
            set.insert(v.to_string());
        }
    };
    for r in &base.resources {
        add(&r.id);
        if let Some(n) = &r.name {
            add(n);
        }
        for k in KEYS {
            if let Some(Value::String(v)) = r.attributes.get(k) {
                add(v);
            }
        }
    }
    set
}

/// Renames, inside `v`, every string that is a known identifier to `<identifier>-<i>`.
fn rename(v: &mut Value, known: &HashSet<String>, i: usize) {
    match v {
        Value::String(s) if known.contains(s.as_str()) => s.push_str(&format!("-{i}")),
        // A policy document held as a JSON string names resources too.
        Value::String(s) if s.starts_with('{') => {
            if let Ok(mut doc) = serde_json::from_str::<Value>(s) {
                rename(&mut doc, known, i);
                *s = doc.to_string();
            }
        }
        // An S3 origin's domain name starts with its bucket's name.
        Value::String(s) => {
            if let Some((bucket, rest)) = s.split_once(".s3") {
                if known.contains(bucket) {
                    *s = format!("{bucket}-{i}.s3{rest}");
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename(x, known, i)),
        Value::Object(o) => o.values_mut().for_each(|x| rename(x, known, i)),
        _ => {}
    }
}

/// `n` resources: copies of the reference fixture, copy `i` standing for another account (its own account
/// id, its resources' ids and every reference between them renamed consistently), so that cross-resource
/// rules join as they would in an organisation-wide scan.
pub fn generate(n: usize) -> Result<Inventory, String> {
    let (base, parts) = generate_parts(n, usize::MAX)?;
    let mut resources: Vec<Resource> = Vec::with_capacity(n);
    for part in parts {
        resources.extend(part);
    }
    Ok(Inventory { resources, ..base })
}

/// As [`generate`], made lazily in parts of whole copies (accounts) of up to `part` resources (at least
/// one copy each): the inventory's provenance (with no resources), and the parts.
pub fn generate_parts(
    n: usize,
    part: usize,
) -> Result<(Inventory, impl Iterator<Item = Vec<Resource>>), String> {
    let mut base: Inventory = serde_json::from_str(REFERENCE).map_err(|e| e.to_string())?;
    if base.resources.is_empty() {
        return Err("the reference fixture has no resources".into());
    }
    let known = identifiers(&base);
    let originals = std::mem::take(&mut base.resources);
    let per_copy = originals.len();
    let mut made = 0usize;
    let mut i = 0usize;
    let parts = std::iter::from_fn(move || {
        if made >= n {
            return None;
        }
        let mut out = Vec::new();
        loop {
            let take = per_copy.min(n - made);
            out.extend(copy_of(&originals, &known, i, take));
            made += take;
            i += 1;
            if made >= n || out.len() + per_copy > part {
                return Some(out);
            }
        }
    });
    Ok((base, parts))
}

/// Copy `i` of the first `take` resources of `originals`: copy 0 as it is, copy `i` in an account of its own.
fn copy_of(
    originals: &[Resource],
    known: &HashSet<String>,
    i: usize,
    take: usize,
) -> Vec<Resource> {
    let mut resources = Vec::with_capacity(take);
    for r in originals.iter().take(take) {
        let mut c = r.clone();
        if i > 0 {
            let account = format!("{:012}", 900_000_000_000u64 + i as u64);
            if known.contains(&c.id) {
                c.id.push_str(&format!("-{i}"));
            } else {
                c.id = format!("{}-{i}", c.id);
            }
            if let Some(name) = c.name.as_mut() {
                if known.contains(name.as_str()) {
                    name.push_str(&format!("-{i}"));
                }
            }
            for v in c.attributes.values_mut() {
                rename(v, known, i);
            }
            if c.attributes.contains_key("account_id") {
                c.attributes
                    .insert("account_id".into(), Value::String(account.clone()));
            }
            c.account = account;
        }
        resources.push(c);
    }
    resources
}

fn main() {
    palisade_engine::no_error_backtraces();
    palisade_engine::alloc::tune();
    palisade_engine::alloc::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = get("--resources")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let threads: usize = get("--threads").and_then(|v| v.parse().ok()).unwrap_or(0);
    let chunk: usize = get("--chunk")
        .and_then(|v| v.parse().ok())
        .unwrap_or(palisade_engine::DEFAULT_CHUNK_RESOURCES);
    let stream = args.iter().any(|a| a == "--stream");
    if stream && get("--write").is_some() {
        eprintln!("error: --write needs the whole inventory; leave out --stream");
        std::process::exit(2);
    }
    let t0 = Instant::now();
    let inv = match if stream {
        // Streamed: only the provenance now; the parts are made as the evaluation asks for them.
        generate_parts(0, chunk).map(|(base, _)| base)
    } else {
        generate(n)
    } {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let t_gen = t0.elapsed();
    if let Some(path) = get("--write") {
        let text = serde_json::to_string(&inv).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {path}: {e}");
            std::process::exit(2);
        }
        println!("wrote {path}");
    }
    let t1 = Instant::now();
    // `--policies DIR` evaluates a policy tree from disk instead of the built-in one (to measure a change
    // to the policies without rebuilding); `--only ID,ID` keeps only those rules.
    let dirs: Vec<std::path::PathBuf> = get("--policies").map(Into::into).into_iter().collect();
    let only: Option<Vec<String>> =
        get("--only").map(|v| v.split(',').map(str::to_string).collect());
    let engine = match PolicySet::load(&dirs, dirs.is_empty()).and_then(|mut s| {
        if let Some(only) = &only {
            s.rules.retain(|r| only.contains(&r.id));
        }
        Engine::new(
            s,
            &Default::default(),
            EvalOptions {
                threads,
                chunk_resources: chunk,
                ..EvalOptions::default()
            },
        )
    }) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let t_load = t1.elapsed();
    let types = std::cell::RefCell::new(std::collections::BTreeSet::<String>::new());
    let note_types = |rs: &[Resource]| {
        let mut t = types.borrow_mut();
        for r in rs {
            if !t.contains(&r.resource_type) {
                t.insert(r.resource_type.clone());
            }
        }
    };
    note_types(&inv.resources);
    let rss_before = peak_rss_mib();
    // Streamed, the parts are generated during the evaluation: that time is measured and left out.
    let making = std::cell::Cell::new(std::time::Duration::ZERO);
    let t2 = Instant::now();
    let evaluated = if stream {
        match generate_parts(n, chunk) {
            Ok((_, parts)) => {
                let mut parts = parts;
                let timed = std::iter::from_fn(|| {
                    let t = Instant::now();
                    let part = parts.next();
                    making.set(making.get() + t.elapsed());
                    if let Some(p) = &part {
                        note_types(p);
                    }
                    part
                });
                engine.evaluate_parts_profiled(&inv, timed)
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        }
    } else {
        engine.evaluate_owned_profiled(inv)
    };
    let (report, timings) = match evaluated {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let t_eval = t2.elapsed() - making.get();
    let types = types.into_inner();
    let errors = report.summary.count(palisade_model::Status::Error);
    println!("resources:          {n} ({} types)", types.len());
    println!("rules:              {}", report.rules.len());
    println!(
        "results:            {} ({} FAIL, {} PASS, {errors} ERROR)",
        report.results.len(),
        report.summary.count(palisade_model::Status::Fail),
        report.summary.count(palisade_model::Status::Pass)
    );
    if stream {
        println!(
            "generate inventory: {:.2} s (streamed: in parts of whole accounts of up to {chunk} resources, made as the evaluation asks for them)",
            t_gen.as_secs_f64() + making.get().as_secs_f64()
        );
    } else {
        println!("generate inventory: {:.2} s", t_gen.as_secs_f64());
    }
    println!("load policies:      {:.3} s", t_load.as_secs_f64());
    println!("evaluate all rules: {:.2} s", t_eval.as_secs_f64());
    println!(
        "throughput:         {:.0} resources/s",
        n as f64 / t_eval.as_secs_f64()
    );
    println!(
        "peak memory (RSS):  {:.0} MiB ({rss_before:.0} MiB {}, before evaluation)",
        peak_rss_mib(),
        if stream {
            "with the policies loaded"
        } else {
            "with the inventory generated"
        }
    );
    let rule_sum: f64 = timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
    println!("sum of rule times:  {rule_sum:.2} s (over all threads)");
    let mut slow = timings.clone();
    slow.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let top: Vec<String> = slow
        .iter()
        .take(get("--top").and_then(|v| v.parse().ok()).unwrap_or(8))
        .map(|(id, d)| {
            let n = report.results.iter().filter(|f| &f.rule_id == id).count();
            format!("{id} {:.3}s/{n}", d.as_secs_f64())
        })
        .collect();
    println!("slowest rules:      {}", top.join(", "));
    if errors > 0 {
        for f in report
            .results
            .iter()
            .filter(|f| f.status == palisade_model::Status::Error)
            .take(5)
        {
            eprintln!("ERROR {} {}", f.rule_id, f.message);
        }
    }
}
