//! Policy sandboxing: a user policy cannot reach the network or the environment (regorus is built
//! without `http.send`, `opa.runtime` and DNS lookups), a runaway rule is stopped by `--rule-timeout` and
//! is ERROR for that rule only while the rest of the scan completes, and a policy file over the engine's
//! limits (1 MiB, 20,000 lines, 1,024 columns) is refused with a clear error (exit 2).

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const INVENTORY: &str = "tests/fixtures/reference-architecture.json";

const META: &str = "# METADATA
# title: User rule
# description: A user policy under test.
# custom:
#   id: USR-01
#   severity: high
#   resource_types: [aws_db_instance]
#   remediation: none
#   frameworks: {}
package usr.rule

import rego.v1

";

/// A policy directory holding one user rule (`usr/rule.rego`) whose body after METADATA is `body`.
fn policy(name: &str, body: &str) -> PathBuf {
    let dir = temp_dir(&format!("sandbox-{name}"));
    write(&dir.join("usr/rule.rego"), &format!("{META}{body}\n"));
    dir
}

fn scan(policies: &Path, extra: &[&str], env: &[(&str, &str)]) -> (i32, String, Option<Value>) {
    let out = policies.join("scan.json");
    let (p, o) = (policies.display().to_string(), out.display().to_string());
    let mut args = vec![
        "scan",
        "--inventory",
        INVENTORY,
        "--policies",
        &p,
        "--format",
        "json",
        "--output",
        &o,
        "--fail-on",
        "none",
    ];
    args.extend_from_slice(extra);
    let _ = std::fs::remove_file(&out);
    let r = palisade_env(&args, env);
    let report = out.is_file().then(|| read_json(&out));
    (code(&r), stderr(&r), report)
}

fn statuses(report: &Value, keep: &dyn Fn(&str) -> bool) -> BTreeMap<(String, String), String> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| keep(r["rule_id"].as_str().unwrap_or("")))
        .map(|r| {
            (
                (
                    r["rule_id"].as_str().unwrap_or("").to_string(),
                    r["resource_id"].as_str().unwrap_or("").to_string(),
                ),
                r["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The built-in rules' results on the reference inventory, without user rules (one scan for all the
/// tests, which run in parallel).
fn builtin_only() -> BTreeMap<(String, String), String> {
    static BASELINE: std::sync::OnceLock<BTreeMap<(String, String), String>> =
        std::sync::OnceLock::new();
    BASELINE.get_or_init(baseline_scan).clone()
}

fn baseline_scan() -> BTreeMap<(String, String), String> {
    let dir = temp_dir("sandbox-baseline");
    let out = dir.join("scan.json").display().to_string();
    let o = palisade(&[
        "scan",
        "--inventory",
        INVENTORY,
        "--format",
        "json",
        "--output",
        &out,
        "--fail-on",
        "none",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    statuses(&read_json(Path::new(&out)), &|_| true)
}

/// A loopback listener that counts the connections it gets, to prove a policy made none.
fn listener() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = l.local_addr().map(|a| a.port()).unwrap_or(0);
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let h = hits.clone();
    std::thread::spawn(move || {
        for _ in l.incoming() {
            h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    (port, hits)
}

#[test]
fn http_send_and_opa_runtime_are_refused_at_load() {
    let (port, hits) = listener();
    let canary = "PalisadeSandboxCanary0env0value";
    for (name, body, function) in [
        (
            "http-send",
            format!("deny contains f if {{\n\tr := http.send({{\"method\": \"get\", \"url\": \"http://127.0.0.1:{port}/\"}})\n\tf := {{\"resource\": \"x\", \"message\": sprintf(\"%v\", [r])}}\n}}"),
            "http.send",
        ),
        (
            "opa-runtime",
            "deny contains f if {\n\te := opa.runtime().env\n\tf := {\"resource\": \"x\", \"message\": sprintf(\"%v\", [e])}\n}".to_string(),
            "opa.runtime",
        ),
    ] {
        let dir = policy(name, &body);
        let (code, err, _) = scan(&dir, &[], &[("PALISADE_SANDBOX_CANARY", canary)]);
        assert_eq!(code, 2, "{name}: {err}");
        let file = dir.join("usr/rule.rego").display().to_string();
        assert!(
            err.contains(&format!("invalid policy {file}:15:"))
                && err.contains(&format!("could not find function {function}")),
            "{name}: {err}"
        );
        assert!(!err.contains(canary));
    }
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A call that only runs for some input is not seen at load (the lint evaluates each rule on an empty
/// inventory), but it cannot run either: the rule is ERROR, nothing is sent, every other result holds.
#[test]
fn network_builtins_reached_only_at_scan_time_make_that_rule_error() {
    let (port, hits) = listener();
    let clean = builtin_only();
    for (name, call, function) in [
        (
            "http-send-late",
            format!("http.send({{\"method\": \"get\", \"url\": \"http://127.0.0.1:{port}/\"}})"),
            "http.send",
        ),
        (
            "dns-late",
            "net.lookup_ip_addr(\"localhost\")".to_string(),
            "net.lookup_ip_addr",
        ),
    ] {
        let dir = policy(
            name,
            &format!("deny contains f if {{\n\tsome r in input.resources.aws_db_instance\n\tv := {call}\n\tf := {{\"resource\": r.id, \"message\": sprintf(\"%v\", [v])}}\n}}"),
        );
        let (code, err, report) = scan(&dir, &[], &[]);
        assert_eq!(code, 3, "{name}: {err}");
        let report = report.unwrap_or(Value::Null);
        let usr = statuses(&report, &|r| r == "USR-01");
        assert_eq!(
            usr.values().collect::<Vec<_>>(),
            vec!["ERROR"],
            "{name}: {usr:?}"
        );
        let msg = report["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["rule_id"] == "USR-01")
            .and_then(|r| r["message"].as_str())
            .unwrap_or("")
            .to_string();
        assert!(
            msg.contains(&format!("could not find function {function}")),
            "{name}: {msg}"
        );
        assert_eq!(statuses(&report, &|r| r != "USR-01"), clean, "{name}");
    }
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// Scans with the user rule `body` under `--rule-timeout 1`: the scan ends within `max_secs` with exit 3,
/// that rule is one ERROR result, every built-in rule keeps its usual results. Returns the ERROR's message.
fn runaway_is_error_alone(name: &str, body: &str, max_secs: f64, extra: &[&str]) -> String {
    let clean = builtin_only();
    let dir = policy(name, body);
    let started = std::time::Instant::now();
    let mut args = vec!["--rule-timeout", "1", "--threads", "2"];
    args.extend_from_slice(extra);
    let (code, err, report) = scan(&dir, &args, &[]);
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(code, 3, "{name}: {err}");
    assert!(
        secs < max_secs,
        "{name}: the scan took {secs:.1} s with --rule-timeout 1"
    );
    let report = report.unwrap_or(Value::Null);
    let usr: Vec<&Value> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rule_id"] == "USR-01")
        .collect();
    assert_eq!(usr.len(), 1, "{name}: {usr:?}");
    assert_eq!(usr[0]["status"], "ERROR", "{name}");
    assert_eq!(statuses(&report, &|r| r != "USR-01"), clean, "{name}");
    usr[0]["message"].as_str().unwrap_or("").to_string()
}

#[test]
fn a_runaway_rule_is_stopped_by_the_rule_timeout_and_only_it_is_error() {
    // 400 million iterations of the evaluator: minutes without a limit.
    let msg = runaway_is_error_alone(
        "runaway",
        "deny contains f if {\n\tsome r in input.resources.aws_db_instance\n\tn := count([x | some i in numbers.range(1, 20000); some j in numbers.range(1, 20000); x := i * j])\n\tn > 0\n\tf := {\"resource\": r.id, \"message\": \"never\"}\n}",
        20.0,
        &[],
    );
    assert!(
        msg.contains("rule could not be evaluated") && msg.contains("time limit"),
        "{msg}"
    );
}

#[test]
fn a_runaway_builtin_call_is_stopped_by_the_rule_timeout() {
    // One builtin call that would enumerate 10^11 numbers: the interpreter's own timer is not consulted
    // inside a builtin, so the patched engine checks the rule's deadline in the builtin's loop. Evaluated
    // in chunks (one per account): the rule is ERROR once, and is not run again on the next chunk.
    let msg = runaway_is_error_alone(
        "runaway-builtin",
        "deny contains f if {\n\tsome r in input.resources.aws_db_instance\n\tn := count(numbers.range(1, 100000000000))\n\tn > 0\n\tf := {\"resource\": r.id, \"message\": \"never\"}\n}",
        30.0,
        &["--chunk-resources", "1"],
    );
    assert!(msg.contains("time limit"), "{msg}");
}

#[test]
fn builtin_operands_that_crashed_the_engine_are_undefined() {
    let clean = builtin_only();
    // In regorus 0.14.1 a zero step divided by zero (a panic) and a negative one built a reversed
    // range OPA refuses. Both are now undefined, as OPA treats an invalid operand, so the rule finds
    // nothing and the scan completes.
    for (name, call) in [
        ("zero-step", "numbers.range_step(1, 10, 0)"),
        ("negative-step", "numbers.range_step(1, 10, -1)"),
    ] {
        let dir = policy(
            name,
            &format!("deny contains f if {{\n\tsome r in input.resources.aws_db_instance\n\tn := count({call})\n\tn >= 0\n\tf := {{\"resource\": r.id, \"message\": sprintf(\"%v\", [n])}}\n}}"),
        );
        let (code, err, report) = scan(&dir, &[], &[]);
        assert_eq!(code, 0, "{name}: {err}");
        let report = report.unwrap_or(Value::Null);
        let usr = statuses(&report, &|r| r == "USR-01");
        assert!(!usr.is_empty(), "{name}");
        assert!(usr.values().all(|s| s == "PASS"), "{name}: {usr:?}");
        assert_eq!(statuses(&report, &|r| r != "USR-01"), clean, "{name}");
    }
}

#[test]
fn policy_files_over_the_engine_limits_are_refused_clearly() {
    let deny = "deny contains f if {\n\tfalse\n\tf := 1\n}\n";
    let big_comment: String = (0..15_000)
        .map(|i| format!("# padding line {i:05} {}\n", "y".repeat(60)))
        .collect();
    let many_lines: String = "# l\n".repeat(20_001);
    let long_line = format!("long := \"{}\"\n", "z".repeat(1_100));
    for (name, body, expect) in [
        (
            "over-1mib",
            format!("{deny}{big_comment}"),
            "bytes; the limit is 1048576",
        ),
        (
            "over-20000-lines",
            format!("{deny}{many_lines}"),
            "exceeds maximum allowed line count 20000",
        ),
        (
            "over-1024-columns",
            format!("{deny}{long_line}"),
            "line exceeds maximum column width of 1024",
        ),
    ] {
        let dir = policy(name, &body);
        let (code, err, _) = scan(&dir, &[], &[]);
        let file = dir.join("usr/rule.rego").display().to_string();
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.starts_with(&format!("error: invalid policy {file}")) && err.contains(expect),
            "{name}: {err}"
        );
        assert!(err.lines().count() <= 3, "{name}: a short message: {err}");
    }
}
