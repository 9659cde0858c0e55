//! Policy evaluation benchmark: builds an inventory of N resources across every resource type of the
//! reference architecture (copies of the recorded fixture's resources with unique ids), evaluates every
//! built-in rule on it, and prints the time, resources per second and peak memory.
//!
//! cargo run --release -p palisade-engine --example eval_bench -- [--resources N] [--threads T] [--write FILE]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use palisade_engine::{Engine, EvalOptions, PolicySet};
use palisade_model::{Inventory, Resource};
use serde_json::Value;
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

fn suffix(v: &mut Value, i: usize) {
    if let Value::String(s) = v {
        s.push_str(&format!("-{i}"));
    }
}

/// `n` resources: copy k of every fixture resource, ids made unique.
pub fn generate(n: usize) -> Result<Inventory, String> {
    let base: Inventory = serde_json::from_str(REFERENCE).map_err(|e| e.to_string())?;
    if base.resources.is_empty() {
        return Err("the reference fixture has no resources".into());
    }
    let mut resources: Vec<Resource> = Vec::with_capacity(n);
    let mut i = 0;
    while resources.len() < n {
        for r in &base.resources {
            if resources.len() == n {
                break;
            }
            let mut c = r.clone();
            if i > 0 {
                c.id.push_str(&format!("-{i}"));
                if let Some(name) = c.name.as_mut() {
                    name.push_str(&format!("-{i}"));
                }
                for k in ["id", "name", "identifier", "bucket", "arn"] {
                    if let Some(v) = c.attributes.get_mut(k) {
                        suffix(v, i);
                    }
                }
            }
            resources.push(c);
        }
        i += 1;
    }
    Ok(Inventory { resources, ..base })
}

fn main() {
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
    let t0 = Instant::now();
    let inv = match generate(n) {
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
    let engine = match PolicySet::load(&[], true).and_then(|s| {
        Engine::new(
            s,
            &Default::default(),
            EvalOptions {
                threads,
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
    let t2 = Instant::now();
    let (report, timings) = match engine.evaluate_profiled(&inv) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let t_eval = t2.elapsed();
    let errors = report.summary.count(palisade_model::Status::Error);
    let types: std::collections::BTreeSet<&str> = inv
        .resources
        .iter()
        .map(|r| r.resource_type.as_str())
        .collect();
    println!("resources:          {n} ({} types)", types.len());
    println!("rules:              {}", report.rules.len());
    println!(
        "results:            {} ({} FAIL, {} PASS, {errors} ERROR)",
        report.results.len(),
        report.summary.count(palisade_model::Status::Fail),
        report.summary.count(palisade_model::Status::Pass)
    );
    println!("generate inventory: {:.2} s", t_gen.as_secs_f64());
    println!("load policies:      {:.3} s", t_load.as_secs_f64());
    println!("evaluate all rules: {:.2} s", t_eval.as_secs_f64());
    println!(
        "throughput:         {:.0} resources/s",
        n as f64 / t_eval.as_secs_f64()
    );
    println!("peak memory (RSS):  {:.0} MiB", peak_rss_mib());
    let mut slow = timings.clone();
    slow.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let top: Vec<String> = slow
        .iter()
        .take(8)
        .map(|(id, d)| format!("{id} {:.2}s", d.as_secs_f64()))
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
