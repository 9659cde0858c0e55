//! End-to-end tests of reports, waivers and baselines through the `palisade` binary: several formats in
//! one run, re-rendering a saved scan, waiver states and the gate, baseline new/existing/fixed, and the
//! configuration errors that must name the file and line.

mod common;

use common::*;
use serde_json::Value;

const INVENTORY: &str = "tests/fixtures/report/inventory.json";
const CONFIG: &str = "tests/fixtures/report/palisade.toml";
const BASELINE: &str = "tests/fixtures/report/baseline.json";
/// 2027-01-01: the fixture's `root-keys` waiver (2026-01-31) has expired, the others have not.
const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1798761600");

fn scan(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["scan", "--inventory", INVENTORY, "--config", CONFIG];
    args.extend_from_slice(extra);
    palisade_env(&args, &[EPOCH])
}

fn results<'a>(r: &'a Value, rule: &str) -> Vec<&'a Value> {
    r["results"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["rule_id"] == rule).collect())
        .unwrap_or_default()
}

#[test]
fn one_scan_writes_every_format() {
    let dir = temp_dir("all-formats");
    let mut args: Vec<String> = Vec::new();
    let names = [
        ("json", "r.json"),
        ("sarif", "r.sarif"),
        ("html", "r.html"),
        ("markdown", "summary.md"),
        ("junit", "r.junit.xml"),
        ("csv", "r.csv"),
        ("ocsf", "r.ocsf.json"),
        ("text", "r.txt"),
    ];
    for (f, file) in names {
        args.push("--output".into());
        args.push(format!("{f}={}", dir.join(file).display()));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = scan(&[&["--fail-on", "none", "--allow-incomplete"], &refs[..]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).is_empty(),
        "all outputs went to files, stdout must stay empty"
    );
    for (f, file) in names {
        let p = dir.join(file);
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(len > 100, "{f} output {} is missing or tiny", p.display());
    }
    let sarif = read_json(&dir.join("r.sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    let json = read_json(&dir.join("r.json"));
    assert!(json["summary"]["by_status"]["WAIVED"].as_u64() >= Some(1));
}

#[test]
fn plain_output_and_format_pairs_combine() {
    let dir = temp_dir("pairs");
    let main = dir.join("main.json").display().to_string();
    let csv = format!("csv={}", dir.join("r.csv").display());
    let o = scan(&[
        "--format",
        "json",
        "--output",
        &main,
        "--output",
        &csv,
        "--fail-on",
        "none",
    ]);
    assert_eq!(
        code(&o),
        3,
        "ERROR results and no --allow-incomplete: {}",
        stderr(&o)
    );
    assert!(read_json(&dir.join("main.json"))["results"].is_array());
    assert!(dir.join("r.csv").is_file());
    let two_plain = scan(&["--output", &main, "--output", &main]);
    assert_eq!(code(&two_plain), 2);
    assert!(stderr(&two_plain).contains("one plain FILE"));
    let empty = scan(&["--output", "html="]);
    assert_eq!(code(&empty), 2);
}

#[test]
fn waivers_are_active_expired_and_unused_and_the_expired_one_fails_the_gate() {
    let dir = temp_dir("waivers");
    let out = dir.join("r.json").display().to_string();
    let o = scan(&[
        "--format",
        "json",
        "--output",
        &out,
        "--fail-on",
        "critical",
    ]);
    let r = read_json(&dir.join("r.json"));
    // The active waiver turns its FAIL into WAIVED, with the waiver attached.
    let rds02: Vec<&Value> = results(&r, "RDS-02")
        .into_iter()
        .filter(|f| f["resource_id"] == "arn:aws:rds:us-east-1:123456789012:db:legacy-db")
        .collect();
    assert_eq!(rds02.len(), 1);
    assert_eq!(rds02[0]["status"], "WAIVED");
    assert_eq!(rds02[0]["waiver"]["id"], "legacy-db-public");
    assert_eq!(rds02[0]["waiver"]["expired"], false);
    // The expired waiver does not apply: the finding stays FAIL and names the expired waiver.
    let iam01: Vec<&Value> = results(&r, "IAM-01")
        .into_iter()
        .filter(|f| f["account"] == "210987654321")
        .collect();
    assert_eq!(iam01[0]["status"], "FAIL");
    assert_eq!(iam01[0]["waiver"]["expired"], true);
    let states: Vec<(&str, &str)> = r["waivers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| {
                    (
                        w["id"].as_str().unwrap_or(""),
                        w["state"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        states,
        vec![
            ("legacy-db-public", "active"),
            ("root-keys", "expired"),
            ("old-bucket", "unused")
        ]
    );
    // IAM-01 is critical: the expired waiver's finding fails the critical gate.
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("waiver root-keys") && e.contains("expired"),
        "{e}"
    );
    assert!(
        e.contains("waiver old-bucket") && e.contains("unused"),
        "{e}"
    );
    // Before its expiry date the same waiver holds, and the critical gate passes on it.
    let before = palisade_env(
        &[
            "scan",
            "--inventory",
            INVENTORY,
            "--config",
            CONFIG,
            "--format",
            "json",
            "--output",
            &out,
            "--fail-on",
            "critical",
            "--allow-incomplete",
        ],
        &[("SOURCE_DATE_EPOCH", "1767225600")], // 2026-01-01
    );
    let r = read_json(&dir.join("r.json"));
    let iam01: Vec<&Value> = results(&r, "IAM-01")
        .into_iter()
        .filter(|f| f["account"] == "210987654321")
        .collect();
    assert_eq!(iam01[0]["status"], "WAIVED");
    let other_critical = r["results"].as_array().is_some_and(|a| {
        a.iter()
            .any(|f| f["status"] == "FAIL" && f["severity"] == "critical")
    });
    assert_eq!(code(&before), if other_critical { 1 } else { 0 });
}

#[test]
fn expired_waiver_is_visible_in_every_human_readable_format() {
    let dir = temp_dir("expired-visible");
    let mut args: Vec<String> = vec!["--fail-on".into(), "none".into()];
    for (f, file) in [
        ("text", "r.txt"),
        ("html", "r.html"),
        ("markdown", "r.md"),
        ("csv", "r.csv"),
    ] {
        args.push("--output".into());
        args.push(format!("{f}={}", dir.join(file).display()));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = scan(&refs);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    for file in ["r.txt", "r.html", "r.md", "r.csv"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            text.contains("root-keys"),
            "{file} does not name the expired waiver"
        );
        assert!(
            text.to_lowercase().contains("expired"),
            "{file} does not flag the waiver as expired"
        );
    }
}

#[test]
fn baseline_marks_new_and_existing_lists_fixed_and_gates_on_new_only() {
    let dir = temp_dir("baseline");
    let out = dir.join("r.json").display().to_string();
    let o = scan(&[
        "--baseline",
        BASELINE,
        "--format",
        "json",
        "--output",
        &out,
        "--fail-on",
        "low",
        "--allow-incomplete",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let r = read_json(&dir.join("r.json"));
    let b = &r["baseline"];
    assert_eq!(b["new"], 3);
    assert!(b["existing"].as_u64() > Some(50));
    assert_eq!(b["fixed"].as_array().map(Vec::len), Some(2));
    let new: Vec<&Value> = r["results"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["baseline"] == "new").collect())
        .unwrap_or_default();
    assert_eq!(new.len(), 3);
    // Gating on new findings only: the new ones are what fails the gate.
    let new_sev: Vec<&str> = new.iter().filter_map(|f| f["severity"].as_str()).collect();
    let strictest = if new_sev.contains(&"critical") {
        "critical"
    } else if new_sev.contains(&"high") {
        "high"
    } else {
        "medium"
    };
    let gated = scan(&[
        "--baseline",
        BASELINE,
        "--fail-on-new",
        "--fail-on",
        strictest,
        "--allow-incomplete",
    ]);
    assert_eq!(code(&gated), 1, "{}", stderr(&gated));
    // Against itself as the baseline nothing is new, so --fail-on-new passes even at `info`.
    let same = scan(&[
        "--baseline",
        &out,
        "--fail-on-new",
        "--fail-on",
        "info",
        "--allow-incomplete",
        "--format",
        "json",
        "--output",
        &dir.join("again.json").display().to_string(),
    ]);
    assert_eq!(code(&same), 0, "{}", stderr(&same));
    let again = read_json(&dir.join("again.json"));
    assert_eq!(again["baseline"]["new"], 0);
    assert_eq!(again["baseline"]["fixed"].as_array().map(Vec::len), Some(0));
    // The order of the baseline's results does not matter.
    let mut shuffled = read_json(&dir.join("r.json"));
    if let Some(a) = shuffled["results"].as_array_mut() {
        a.reverse();
    }
    let sp = dir.join("shuffled.json");
    write(&sp, &shuffled.to_string());
    let s = scan(&[
        "--baseline",
        &sp.display().to_string(),
        "--fail-on-new",
        "--allow-incomplete",
    ]);
    assert_eq!(code(&s), 0, "{}", stderr(&s));
}

#[test]
fn report_rerenders_a_saved_scan_without_aws() {
    let dir = temp_dir("rerender");
    let out = dir.join("scan.json").display().to_string();
    let o = scan(&["--format", "json", "--output", &out, "--fail-on", "none"]);
    assert_eq!(code(&o), 3);
    let html = format!("html={}", dir.join("again.html").display());
    let sarif = format!("sarif={}", dir.join("again.sarif").display());
    let r = palisade(&["report", &out, "--output", &html, "--output", &sarif]);
    assert_eq!(code(&r), 0, "{}", stderr(&r));
    assert!(dir.join("again.html").is_file());
    // JSON re-rendered from JSON is the same report.
    let j = palisade(&["report", &out, "--format", "json"]);
    let again: Value = serde_json::from_str(&stdout(&j)).unwrap_or(Value::Null);
    assert_eq!(again, read_json(&dir.join("scan.json")));
    // A malformed saved scan names the file, line and column and exits 2.
    let bad = dir.join("bad.json");
    write(&bad, "{\n  \"schema_version\": \"1.0\",\n  oops\n}\n");
    let b = palisade(&["report", &bad.display().to_string(), "--format", "html"]);
    assert_eq!(code(&b), 2);
    let e = stderr(&b);
    assert!(e.contains("bad.json:3:"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

fn config_error(name: &str, text: &str) -> (i32, String) {
    let dir = temp_dir(name);
    let p = dir.join("palisade.toml");
    write(&p, text);
    let ps = p.display().to_string();
    let o = palisade(&["scan", "--inventory", INVENTORY, "--config", &ps]);
    assert!(!stderr(&o).contains("panicked"));
    (code(&o), stderr(&o))
}

#[test]
fn malformed_waivers_name_the_file_and_line() {
    let head = "[scan]\nfail_on = \"none\"\n\n";
    let (c, e) = config_error(
        "w-date",
        &format!("{head}[[waivers]]\nrule = \"SG-01\"\nresource = \"*\"\nreason = \"r\"\nexpires = \"31/12/2026\"\n"),
    );
    assert_eq!(c, 2, "{e}");
    assert!(
        e.contains("palisade.toml:8") && e.contains("expires"),
        "{e}"
    );
    let (c, e) = config_error(
        "w-reason",
        &format!("{head}[[waivers]]\nrule = \"SG-01\"\nresource = \"*\"\nexpires = 2027-01-01\n"),
    );
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("palisade.toml:") && e.contains("reason"), "{e}");
    let (c, e) = config_error(
        "w-empty-reason",
        &format!("{head}[[waivers]]\nrule = \"SG-01\"\nresource = \"*\"\nreason = \" \"\nexpires = 2027-01-01\n"),
    );
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("palisade.toml:4") && e.contains("reason"), "{e}");
    let (c, e) = config_error(
        "w-rule",
        &format!("{head}[[waivers]]\nrule = \"SG-99\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2027-01-01\n"),
    );
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("palisade.toml:4") && e.contains("SG-99"), "{e}");
    let (c, e) = config_error(
        "w-key",
        &format!("{head}[[waivers]]\nrule = \"SG-01\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2027-01-01\nexpiry = 2027-01-01\n"),
    );
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("palisade.toml:9") && e.contains("expiry"), "{e}");
    let (c, e) = config_error(
        "fw-rule",
        &format!("{head}[frameworks.soc2]\n\"CC6.1\" = [\"SG-01\", \"NOPE-1\"]\n"),
    );
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("palisade.toml:5") && e.contains("NOPE-1"), "{e}");
}

#[test]
fn custom_framework_controls_reach_the_rules() {
    let dir = temp_dir("frameworks");
    let out = dir.join("r.json").display().to_string();
    let o = scan(&["--format", "json", "--output", &out, "--fail-on", "none"]);
    assert_eq!(code(&o), 3);
    let r = read_json(&dir.join("r.json"));
    let sg01 = r["rules"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == "SG-01"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(sg01["frameworks"]["soc2"], serde_json::json!(["CC6.1"]));
}

#[test]
fn malformed_baseline_names_file_line_and_column() {
    let dir = temp_dir("bad-baseline");
    let p = dir.join("prev.json");
    write(&p, "{\"schema_version\": \"1.0\",\n\"results\": [1, 2,]}\n");
    let o = scan(&["--baseline", &p.display().to_string()]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(e.contains("prev.json:2:"), "{e}");
    let o = scan(&["--fail-on-new"]);
    assert_eq!(code(&o), 2, "--fail-on-new needs --baseline");
}

#[test]
fn merge_of_account_shards_equals_the_whole_scan_in_any_order() {
    let dir = temp_dir("merge");
    let whole = dir.join("whole.json");
    let o = palisade_env(
        &[
            "scan",
            "--inventory",
            INVENTORY,
            "--format",
            "json",
            "--output",
            &whole.display().to_string(),
            "--fail-on",
            "none",
        ],
        &[EPOCH],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let w = read_json(&whole);
    let accounts: std::collections::BTreeSet<String> = w["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["account"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert!(accounts.len() >= 2, "the fixture spans several accounts");
    // One shard per account, as `--shard` would produce.
    let mut shard_files = Vec::new();
    for (i, acct) in accounts.iter().enumerate() {
        let mut part = w.clone();
        let keep = |v: &mut Value, key: &str| {
            if let Some(a) = v[key].as_array_mut() {
                a.retain(|x| x["account"] == acct.as_str());
            }
        };
        keep(&mut part, "results");
        keep(&mut part, "collection_errors");
        part["provenance"]["accounts"] = serde_json::json!([acct]);
        let p = dir.join(format!("shard-{i}.json"));
        write(&p, &part.to_string());
        shard_files.push(p.display().to_string());
    }
    let merged = |files: &[String], name: &str| -> Value {
        let out = dir.join(name).display().to_string();
        let mut args = vec!["merge"];
        args.extend(files.iter().map(String::as_str));
        args.extend(["--format", "json", "--output", &out, "--fail-on", "none"]);
        let o = palisade_env(&args, &[EPOCH]);
        assert_eq!(
            code(&o),
            3,
            "merged ERROR results keep the scan incomplete: {}",
            stderr(&o)
        );
        read_json(&dir.join(name))
    };
    let a = merged(&shard_files, "m1.json");
    let mut reversed = shard_files.clone();
    reversed.reverse();
    let b = merged(&reversed, "m2.json");
    assert_eq!(a, b, "merge depends on the order of its inputs");
    assert_eq!(a["results"], w["results"]);
    assert_eq!(a["collection_errors"], w["collection_errors"]);
    assert_eq!(a["summary"]["by_status"], w["summary"]["by_status"]);
    // Overlapping shards that disagree are refused, and so are reports of different policy sets.
    let mut bad = read_json(std::path::Path::new(&shard_files[0]));
    if let Some(f) = bad["results"].as_array_mut().and_then(|a| a.first_mut()) {
        f["status"] = Value::String("PASS".into());
        f["message"] = Value::String("changed".into());
    }
    let bp = dir.join("bad.json");
    write(&bp, &bad.to_string());
    let o = palisade(&["merge", &shard_files[0], &bp.display().to_string()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("overlap"), "{}", stderr(&o));
    bad["policy_set_hash"] = Value::String("other".into());
    write(&bp, &bad.to_string());
    let o = palisade(&["merge", &shard_files[0], &bp.display().to_string()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("policy set"), "{}", stderr(&o));
}

#[test]
fn the_terminal_summary_strips_control_characters_from_hostile_data() {
    let scan = read_json(&root().join("tests/fixtures/report/scan.json"));
    let hostile = scan.to_string().contains("\\u001b");
    assert!(hostile, "the shared fixture carries ANSI escapes");
    let o = palisade(&[
        "report",
        "tests/fixtures/report/scan.json",
        "--format",
        "text",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("injected"), "the hostile names are shown");
    let controls: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        controls.is_empty(),
        "control characters reach the terminal: {controls:?}"
    );
}
