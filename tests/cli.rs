//! End-to-end tests of the `palisade` binary on recorded fixtures: the policy set, the reference
//! architecture scan, SARIF that GitHub accepts, collection errors, determinism and bad input.

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Every Tier 1 and Tier 2 id of the catalogue (plus the RDS reference-architecture additions).
fn tier1_and_2_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for (prefix, n) in [
        ("WAF", 10),
        ("SHD", 5),
        ("SG", 8),
        ("SM", 5),
        ("RDS", 12),
        ("COG", 5),
        ("CF", 6),
        ("ALB", 6),
        ("S3", 2),
        ("IAM", 2),
    ] {
        for i in 1..=n {
            ids.push(format!("{prefix}-{i:02}"));
        }
    }
    ids
}

const REFERENCE: &str = "tests/fixtures/reference-architecture.json";

fn scan_json(inventory: &str, extra: &[&str]) -> (i32, Value) {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = temp_dir(&format!("scan-{n}"));
    let out = dir.join("report.json");
    let out_s = out.display().to_string();
    let mut args = vec![
        "scan",
        "--inventory",
        inventory,
        "--format",
        "json",
        "--output",
        &out_s,
    ];
    args.extend_from_slice(extra);
    let o = palisade(&args);
    assert!([0, 1, 3].contains(&code(&o)), "scan failed: {}", stderr(&o));
    (code(&o), read_json(&out))
}

#[test]
fn policy_test_runs_two_or_more_passing_tests_for_every_rule() {
    let o = palisade(&["policy", "test", "--format", "json"]);
    let v: Value =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    assert_eq!(code(&o), 0, "policy tests failed: {}", stdout(&o));
    assert_eq!(v["failed"], 0);
    let rules = v["rules"].as_u64().unwrap_or(0);
    assert!(rules >= 45, "only {rules} rules");
    // Tests per rule package.
    let mut per_pkg: BTreeMap<String, usize> = BTreeMap::new();
    for t in v["results"].as_array().into_iter().flatten() {
        let pkg = t["package"]
            .as_str()
            .unwrap_or("")
            .trim_end_matches("_test")
            .to_string();
        *per_pkg.entry(pkg).or_default() += 1;
    }
    let o = palisade(&["rules", "--format", "json"]);
    let rules: Value = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
    for r in rules.as_array().into_iter().flatten() {
        let pkg = r["package"].as_str().unwrap_or("");
        let n = per_pkg.get(pkg).copied().unwrap_or(0);
        assert!(n >= 2, "rule {} ({pkg}) has {n} tests", r["id"]);
    }
}

#[test]
fn rules_json_lists_every_tier1_and_tier2_catalogue_id_with_severity_and_frameworks() {
    let o = palisade(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rules: Value = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
    let by_id: BTreeMap<String, &Value> = rules
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["id"].as_str().unwrap_or("").to_string(), r))
        .collect();
    for id in tier1_and_2_ids() {
        let r = by_id
            .get(&id)
            .unwrap_or_else(|| panic!("rule {id} missing"));
        assert!(
            ["critical", "high", "medium", "low", "info"]
                .contains(&r["severity"].as_str().unwrap_or("")),
            "{id} severity"
        );
        assert!(r["frameworks"].is_object(), "{id} frameworks");
        assert!(
            !r["remediation"].as_str().unwrap_or("").is_empty(),
            "{id} remediation"
        );
        let file = r["file"].as_str().unwrap_or("");
        assert!(
            root().join(file).is_file(),
            "{id}: policy file {file} not in the repo"
        );
    }
}

#[test]
fn explain_prints_rule_remediation_and_controls() {
    let o = palisade(&["explain", "RDS-01"]);
    assert_eq!(code(&o), 0);
    let s = stdout(&o);
    assert!(
        s.contains("RDS-01") && s.contains("How to fix") && s.contains("fsbp: RDS.5"),
        "{s}"
    );
    let o = palisade(&["explain", "NOPE-99"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no rule with id `NOPE-99`"));
}

#[test]
fn every_inventory_fixture_validates_against_the_json_schema() {
    let v = common::inventory_validator();
    let mut checked = 0;
    for e in std::fs::read_dir(root().join("tests/fixtures"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.ends_with(".json")
            || name.contains("expected")
            || name.contains("sarif")
            || name.starts_with("bad-")
        {
            continue;
        }
        let doc = read_json(&p);
        if doc.get("schema_version").is_none() {
            continue;
        }
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} inventory fixtures checked");
    // And the schema is not vacuous: a wrong type is rejected.
    let mut doc = read_json(&fixture("reference-architecture.json"));
    doc["resources"][0]["account"] = json!("not-an-account");
    assert!(!v.is_valid(&doc));
}

#[test]
fn reference_architecture_scan_finds_every_seeded_violation_and_passes_the_twins() {
    let (code, report) = scan_json(REFERENCE, &[]);
    assert_eq!(code, 1, "findings exist, so the gate fails");
    let status: BTreeMap<(String, String), String> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                (
                    r["rule_id"].as_str().unwrap_or("").into(),
                    r["resource_id"].as_str().unwrap_or("").into(),
                ),
                r["status"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let expected = read_json(&fixture("reference-architecture.expected.json"));
    let mut seen_fail = BTreeSet::new();
    let mut seen_pass = BTreeSet::new();
    for e in expected.as_array().into_iter().flatten() {
        let key = (
            e["rule"].as_str().unwrap_or("").to_string(),
            e["resource"].as_str().unwrap_or("").to_string(),
        );
        let want = e["status"].as_str().unwrap_or("");
        assert_eq!(
            status.get(&key).map(String::as_str),
            Some(want),
            "{key:?} ({})",
            e["part"]
        );
        if want == "FAIL" {
            seen_fail.insert(key.0.clone());
        } else if want == "PASS" {
            seen_pass.insert(key.0.clone());
        }
    }
    for id in tier1_and_2_ids() {
        assert!(
            seen_fail.contains(&id),
            "no seeded violation expected for {id}"
        );
        assert!(
            seen_pass.contains(&id),
            "no compliant twin expected for {id}"
        );
    }
    assert_eq!(report["summary"]["by_status"]["ERROR"], 0);
}

/// The whole result set is a reviewed snapshot: a change in any rule's verdict shows in the diff.
/// Regenerate with `UPDATE_SNAPSHOTS=1 cargo test`.
#[test]
fn reference_architecture_results_match_the_snapshot() {
    let (_, report) = scan_json(REFERENCE, &[]);
    let mut lines = String::new();
    for r in report["results"].as_array().into_iter().flatten() {
        lines.push_str(&format!(
            "{:<8} {:<15} {}\n",
            r["rule_id"].as_str().unwrap_or(""),
            r["status"].as_str().unwrap_or(""),
            r["resource_id"].as_str().unwrap_or("")
        ));
    }
    let snap = fixture("reference-architecture.results.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        write(&snap, &lines);
    }
    assert!(
        snap.exists(),
        "{} is missing: create it with UPDATE_SNAPSHOTS=1 and review it",
        snap.display()
    );
    let want = std::fs::read_to_string(&snap).unwrap_or_default();
    assert!(
        want == lines,
        "results differ from {}; run with UPDATE_SNAPSHOTS=1 and review the diff",
        snap.display()
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(fixture("sarif-schema-2.1.0.json"))
        .unwrap_or_default()
        // The official schema's `language` pattern has a stray `]` that jsonschema refuses as a regex.
        .replace(
            r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
            r#"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"#,
        );
    let schema: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("sarif schema: {e}"))
}

/// What GitHub code scanning rejects or ignores (../shared/sarif-github.md §3).
fn assert_github_ingestible(sarif: &Value) {
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| !s.is_empty()));
    let runs = sarif["runs"]
        .as_array()
        .unwrap_or_else(|| panic!("no runs"));
    assert!(!runs.is_empty() && runs.len() <= 20);
    for run in runs {
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap_or_else(|| panic!("no rules"));
        assert!(rules.len() <= 25_000);
        let ids: BTreeSet<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        for r in rules {
            for f in ["shortDescription", "fullDescription", "help"] {
                let t = r[f]["text"].as_str().unwrap_or("");
                assert!(!t.is_empty(), "{} lacks {f}", r["id"]);
                if f != "help" {
                    assert!(t.chars().count() <= 1024, "{} {f} too long", r["id"]);
                }
            }
            assert!(r["help"]["markdown"]
                .as_str()
                .is_some_and(|s| !s.is_empty()));
            let sev: f64 = r["properties"]["security-severity"]
                .as_str()
                .unwrap_or_else(|| panic!("{} security-severity is not a string", r["id"]))
                .parse()
                .unwrap_or_else(|_| panic!("{} security-severity not numeric", r["id"]));
            assert!(sev > 0.0 && sev <= 10.0);
            assert!(r["properties"]["tags"].as_array().map_or(0, Vec::len) <= 20);
        }
        let results = run["results"]
            .as_array()
            .unwrap_or_else(|| panic!("run without results array"));
        assert!(results.len() <= 25_000);
        for res in results {
            assert!(ids.contains(res["ruleId"].as_str().unwrap_or("")));
            assert!(!res["message"]["text"].as_str().unwrap_or("").is_empty());
            let loc = &res["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or("");
            assert!(!uri.is_empty(), "empty uri");
            assert!(!uri.contains(':'), "uri {uri} has a scheme");
            assert!(!uri.starts_with('/'), "uri {uri} is not repo-relative");
            assert!(
                root().join(uri).is_file(),
                "uri {uri} is not a file of the repo"
            );
            assert!(loc["region"]["startLine"].as_u64().unwrap_or(0) >= 1);
            let fp = res["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap_or("");
            assert!(fp.len() >= 16);
            let arn = res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap_or("");
            assert!(!arn.is_empty() && res["message"]["text"].as_str().unwrap_or("").contains(arn));
        }
    }
}

#[test]
fn sarif_of_the_reference_scan_passes_the_schema_and_github_rules() {
    let dir = temp_dir("sarif");
    let out = dir.join("r.sarif");
    let o = palisade(&[
        "scan",
        "--inventory",
        REFERENCE,
        "--format",
        "sarif",
        "--category",
        "palisade/123456789012/",
        "--output",
        &out.display().to_string(),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let sarif = read_json(&out);
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_github_ingestible(&sarif);
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "palisade/123456789012/"
    );
    // Fingerprints are unique per result: GitHub dedupes alerts by them.
    let fps: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["partialFingerprints"]["primaryLocationLineHash"].as_str())
        .collect();
    let unique: BTreeSet<&&str> = fps.iter().collect();
    assert_eq!(unique.len(), fps.len());
    assert!(fps.len() > 20);
    // The validator is not vacuous.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = json!("critical");
    assert!(!sarif_validator().is_valid(&broken));
}

/// An inventory with one compliant account-level resource and AccessDenied on Secrets Manager.
fn access_denied_inventory() -> Value {
    json!({
        "schema_version": "1.0",
        "provenance": {"source": "snapshot", "collected_at": "2026-11-27T00:00:00Z", "tool_version": "0.1.0"},
        "resources": [{
            "id": "arn:aws:iam::123456789012:root", "type": "aws_iam_account_summary",
            "account": "123456789012", "region": "global",
            "attributes": {"account_mfa_enabled": 1, "account_access_keys_present": 0}, "tags": {}
        }],
        "collection_errors": [{
            "service": "secretsmanager", "account": "123456789012", "region": "us-east-1",
            "operation": "secretsmanager:ListSecrets", "error_code": "AccessDeniedException",
            "message": "User is not authorized to perform: secretsmanager:ListSecrets", "kind": "access_denied",
            "resource_types": ["aws_secretsmanager_secret"]
        }]
    })
}

#[test]
fn access_denied_on_one_service_makes_its_rules_error_and_exits_3() {
    let dir = temp_dir("denied");
    let inv = dir.join("inv.json");
    write(&inv, &access_denied_inventory().to_string());
    let (code, report) = scan_json(&inv.display().to_string(), &[]);
    assert_eq!(
        code, 3,
        "an incomplete scan with no failure exits 3, never 0"
    );
    let results = report["results"].as_array().cloned().unwrap_or_default();
    let sm: Vec<&Value> = results
        .iter()
        .filter(|r| r["rule_id"].as_str().unwrap_or("").starts_with("SM-"))
        .collect();
    assert_eq!(sm.len(), 5, "one ERROR per Secrets Manager rule: {sm:#?}");
    for r in &sm {
        assert_eq!(r["status"], "ERROR");
        assert!(r["message"]
            .as_str()
            .unwrap_or("")
            .contains("secretsmanager:ListSecrets"));
    }
    let iam: Vec<&Value> = results
        .iter()
        .filter(|r| r["rule_id"] == "IAM-01")
        .collect();
    assert_eq!(iam.len(), 1);
    assert_eq!(iam[0]["status"], "PASS");
    assert!(!results
        .iter()
        .any(|r| r["status"] == "PASS" && r["rule_id"].as_str().unwrap_or("").starts_with("SM-")));
    // --allow-incomplete accepts it; the SARIF still reports the errors as notifications.
    let o = palisade(&[
        "scan",
        "--inventory",
        &inv.display().to_string(),
        "--allow-incomplete",
        "--format",
        "sarif",
    ]);
    assert_eq!(common::code(&o), 0);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(notes, 5);
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert_github_ingestible(&sarif);
}

#[test]
fn access_denied_in_one_region_leaves_other_results_unchanged() {
    let (_, clean) = scan_json(REFERENCE, &[]);
    let mut inv = read_json(&fixture("reference-architecture.json"));
    inv["resources"] = Value::Array(
        inv["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["type"] != "aws_secretsmanager_secret")
            .cloned()
            .collect(),
    );
    inv["collection_errors"] = access_denied_inventory()["collection_errors"].clone();
    let dir = temp_dir("denied-ref");
    let p = dir.join("inv.json");
    write(&p, &inv.to_string());
    let (code, denied) = scan_json(&p.display().to_string(), &["--fail-on", "none"]);
    assert_eq!(code, 3);
    let key = |r: &Value| {
        (
            r["rule_id"].as_str().unwrap_or("").to_string(),
            r["resource_id"].as_str().unwrap_or("").to_string(),
            r["status"].as_str().unwrap_or("").to_string(),
        )
    };
    let non_sm = |rep: &Value| -> BTreeSet<(String, String, String)> {
        rep["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| !r["rule_id"].as_str().unwrap_or("").starts_with("SM-"))
            .map(key)
            .collect()
    };
    assert_eq!(
        non_sm(&clean),
        non_sm(&denied),
        "other services' results changed"
    );
    let sm_statuses: BTreeSet<String> = denied["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rule_id"].as_str().unwrap_or("").starts_with("SM-"))
        .map(|r| r["status"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(sm_statuses, BTreeSet::from(["ERROR".to_string()]));
}

/// Evaluated in chunks of whole accounts (`--chunk-resources`), an inventory gives the results it gives
/// evaluated whole: the reference architecture's two accounts, plus a third account that only has a
/// collection error (judged in its chunk) and a rule whose subjects are in one account only (its
/// NOT_APPLICABLE from the other chunk must not survive).
#[test]
fn evaluation_in_chunks_of_accounts_gives_the_same_results() {
    let mut inv = read_json(&fixture("reference-architecture.json"));
    let mut errors = access_denied_inventory()["collection_errors"].clone();
    errors[0]["account"] = json!("333333333333");
    inv["collection_errors"] = errors;
    let accounts: BTreeSet<&str> = inv["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["account"].as_str())
        .collect();
    assert_eq!(accounts.len(), 2, "the fixture should span two accounts");
    let dir = temp_dir("chunks");
    let p = dir.join("inv.json");
    write(&p, &inv.to_string());
    let p = p.display().to_string();
    let (code_whole, whole) = scan_json(&p, &["--chunk-resources", "0"]);
    // A limit of 1 makes every account a chunk of its own.
    let (code_chunked, chunked) = scan_json(&p, &["--chunk-resources", "1"]);
    assert_eq!(code_whole, code_chunked);
    assert_eq!(whole["results"], chunked["results"]);
    assert_eq!(whole["summary"], chunked["summary"]);
    let results: Vec<&Value> = whole["results"].as_array().into_iter().flatten().collect();
    // The third account's error is judged, and some rule is NOT_APPLICABLE in one account only.
    assert!(results
        .iter()
        .any(|r| r["account"] == "333333333333" && r["status"] == "ERROR"));
    let rules_in = |acct: &str| -> BTreeSet<String> {
        results
            .iter()
            .filter(|r| r["account"] == acct && r["status"] != "NOT_APPLICABLE")
            .map(|r| r["rule_id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_ne!(rules_in("123456789012"), rules_in("210987654321"));
}

#[test]
fn the_same_inventory_gives_byte_identical_reports() {
    for format in ["json", "sarif"] {
        let run = || {
            palisade_env(
                &["scan", "--inventory", REFERENCE, "--format", format],
                &[("SOURCE_DATE_EPOCH", "1795737600")],
            )
        };
        let (a, b) = (run(), run());
        assert_eq!(a.stdout, b.stdout, "{format} differs between runs");
        assert!(stdout(&a).contains("2026-11-27T00:00:00Z"));
        // Without SOURCE_DATE_EPOCH only generated_at may differ.
        let strip = |o: &std::process::Output| -> String {
            stdout(o)
                .lines()
                .filter(|l| !l.contains("generated_at") && !l.contains("endTimeUtc"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let c = palisade(&["scan", "--inventory", REFERENCE, "--format", format]);
        assert_eq!(strip(&a), strip(&c));
    }
}

#[test]
fn runs_writing_the_same_output_at_once_all_succeed() {
    // Each run writes its own temporary file and renames it: none fails on another's rename, and the
    // file left is one whole report.
    let dir = temp_dir("cli-same-output");
    let out = dir.join("scan.json").display().to_string();
    let runs: Vec<_> = (0..6)
        .map(|_| {
            let out = out.clone();
            std::thread::spawn(move || {
                palisade(&[
                    "scan",
                    "--inventory",
                    REFERENCE,
                    "--format",
                    "json",
                    "--output",
                    &out,
                    "--fail-on",
                    "none",
                ])
            })
        })
        .collect();
    for r in runs {
        let o = r.join().unwrap_or_else(|_| panic!("a run panicked"));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let report = read_json(std::path::Path::new(&out));
    assert!(report["results"].as_array().is_some_and(|r| !r.is_empty()));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, ["scan.json"], "temporary files left behind");
}

#[test]
fn fail_on_threshold_sets_the_exit_code() {
    let dir = temp_dir("failon");
    let inv = dir.join("inv.json");
    let mut doc = access_denied_inventory();
    doc["collection_errors"] = json!([]);
    doc["resources"][0]["attributes"]["account_access_keys_present"] = json!(1);
    write(&inv, &doc.to_string());
    let p = inv.display().to_string();
    // IAM-01 is critical: it fails every threshold but none.
    assert_eq!(
        code(&palisade(&[
            "scan",
            "--inventory",
            &p,
            "--fail-on",
            "critical"
        ])),
        1
    );
    assert_eq!(
        code(&palisade(&["scan", "--inventory", &p, "--fail-on", "none"])),
        0
    );
    doc["resources"][0]["attributes"]["account_access_keys_present"] = json!(0);
    write(&inv, &doc.to_string());
    assert_eq!(code(&palisade(&["scan", "--inventory", &p])), 0);
    let o = palisade(&["scan", "--inventory", &p, "--fail-on", "severe"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown severity `severe`"));
}

fn assert_clean_error(o: &std::process::Output, needles: &[&str]) {
    let e = stderr(o);
    assert_eq!(code(o), 2, "stderr: {e}");
    assert!(!e.contains("panicked"), "{e}");
    for n in needles {
        assert!(e.contains(n), "`{n}` not in: {e}");
    }
}

#[test]
fn malformed_inventory_names_file_line_and_column() {
    let dir = temp_dir("badjson");
    let p = dir.join("bad.json");
    write(
        &p,
        "{\n  \"schema_version\": \"1.0\",\n  \"resources\": [\n    {\"id\": \"x\",,}\n  ]\n}\n",
    );
    let ps = p.display().to_string();
    assert_clean_error(
        &palisade(&["scan", "--inventory", &ps]),
        &[&format!("{ps}:4:16")],
    );
    write(&p, "{\"schema_version\": \"9.9\", \"provenance\": {}}");
    assert_clean_error(
        &palisade(&["scan", "--inventory", &ps]),
        &["unsupported schema_version \"9.9\"", &ps],
    );
    write(
        &p,
        r#"{"schema_version": "1.0", "provenance": {"source":"snapshot","collected_at":"2026-11-27T00:00:00Z","tool_version":"x"}, "resources": [{"id":"a","type":"aws_s3_bucket","account":"1","region":"us-east-1","atributes":{}}]}"#,
    );
    assert_clean_error(
        &palisade(&["scan", "--inventory", &ps]),
        &["unknown field `atributes`"],
    );
    assert_clean_error(
        &palisade(&["scan", "--inventory", "no/such/file.json"]),
        &["cannot read inventory no/such/file.json"],
    );
}

const GOOD_RULE: &str = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: USR-01\n#   severity: low\n#   resource_types: [aws_s3_bucket]\n#   remediation: R\n#   frameworks: {}\npackage custom.bucket_named\n\nimport rego.v1\n\ndeny contains f if {\n\tsome b in input.resources.aws_s3_bucket\n\tb.name == \"bad\"\n\tf := {\"resource\": b.id, \"message\": \"bad name\", \"evidence\": {}}\n}\n";

#[test]
fn policy_with_a_syntax_error_names_file_and_line() {
    let dir = temp_dir("badpolicy");
    let p = dir.join("custom/bucket_named.rego");
    write(
        &p,
        &GOOD_RULE.replace("b.name == \"bad\"", "b.name == (\"bad\""),
    );
    let d = dir.display().to_string();
    assert_clean_error(
        &palisade(&["rules", "--policies", &d]),
        &["custom/bucket_named.rego:17"],
    );
}

#[test]
fn metadata_missing_a_field_or_repeating_an_id_is_refused() {
    let dir = temp_dir("badmeta");
    let d = dir.display().to_string();
    write(
        &dir.join("custom/bucket_named.rego"),
        &GOOD_RULE.replace("#   remediation: R\n", ""),
    );
    assert_clean_error(
        &palisade(&["rules", "--policies", &d]),
        &["bucket_named.rego:1", "missing `custom.remediation`"],
    );
    write(&dir.join("custom/bucket_named.rego"), GOOD_RULE);
    write(
        &dir.join("custom/other.rego"),
        &GOOD_RULE.replace("package custom.bucket_named", "package custom.other"),
    );
    assert_clean_error(
        &palisade(&["rules", "--policies", &d]),
        &["rule id `USR-01` is already used"],
    );
    // Repeating a built-in id is refused as well.
    std::fs::remove_file(dir.join("custom/other.rego")).ok();
    write(
        &dir.join("custom/bucket_named.rego"),
        &GOOD_RULE.replace("USR-01", "RDS-01"),
    );
    assert_clean_error(
        &palisade(&["rules", "--policies", &d]),
        &["rule id `RDS-01` is already used"],
    );
    // Package must match the path.
    write(
        &dir.join("custom/bucket_named.rego"),
        &GOOD_RULE.replace("package custom.bucket_named", "package custom.elsewhere"),
    );
    assert_clean_error(
        &palisade(&["rules", "--policies", &d]),
        &["does not match the file's path"],
    );
}

#[test]
fn a_user_policy_is_evaluated_with_the_builtin_ones() {
    let dir = temp_dir("userpolicy");
    write(&dir.join("custom/bucket_named.rego"), GOOD_RULE);
    let inv = dir.join("inv.json");
    write(&inv, &json!({
        "schema_version": "1.0",
        "provenance": {"source": "snapshot", "collected_at": "2026-11-27T00:00:00Z", "tool_version": "0.1.0"},
        "resources": [{"id": "arn:aws:s3:::bad", "type": "aws_s3_bucket", "account": "123456789012", "region": "us-east-1", "name": "bad", "attributes": {"bucket": "bad"}}],
        "collection_errors": []
    }).to_string());
    let (_, report) = scan_json(
        &inv.display().to_string(),
        &["--policies", &dir.display().to_string()],
    );
    let usr: Vec<&Value> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rule_id"] == "USR-01")
        .collect();
    assert_eq!(usr.len(), 1);
    assert_eq!(usr[0]["status"], "FAIL");
}

#[test]
fn a_rule_that_errors_at_evaluation_is_error_not_a_crash() {
    let dir = temp_dir("rterror");
    // A conflicting object key is a runtime error in Rego.
    let bad = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: USR-02\n#   severity: low\n#   resource_types: [aws_s3_bucket]\n#   remediation: R\n#   frameworks: {}\npackage custom.conflict\n\nimport rego.v1\n\nv := 1 if { some b in input.resources.aws_s3_bucket }\nv := 2 if { some b in input.resources.aws_s3_bucket }\n\ndeny contains f if {\n\tv == 3\n\tf := {\"resource\": \"x\", \"message\": \"m\", \"evidence\": {}}\n}\n";
    write(&dir.join("custom/conflict.rego"), bad);
    let inv = dir.join("inv.json");
    write(&inv, &json!({
        "schema_version": "1.0",
        "provenance": {"source": "snapshot", "collected_at": "2026-11-27T00:00:00Z", "tool_version": "0.1.0"},
        "resources": [{"id": "arn:aws:s3:::b", "type": "aws_s3_bucket", "account": "123456789012", "region": "us-east-1", "name": "b", "attributes": {"bucket": "b"}}],
        "collection_errors": []
    }).to_string());
    let (code, report) = scan_json(
        &inv.display().to_string(),
        &[
            "--policies",
            &dir.display().to_string(),
            "--fail-on",
            "none",
        ],
    );
    let r: Vec<&Value> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rule_id"] == "USR-02")
        .collect();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0]["status"], "ERROR");
    assert!(r[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("could not be evaluated"));
    assert_eq!(code, 3);
}

#[test]
fn an_unknown_flag_or_config_key_exits_2() {
    assert_clean_error(
        &palisade(&["scan", "--inventry", REFERENCE]),
        &["--inventry"],
    );
    let dir = temp_dir("cfg");
    let cfg = dir.join("palisade.toml");
    write(&cfg, "[scan]\nfail_on = \"high\"\n\n[paramters]\nx = 1\n");
    assert_clean_error(
        &palisade(&[
            "scan",
            "--inventory",
            REFERENCE,
            "--config",
            &cfg.display().to_string(),
        ]),
        &["palisade.toml:4:2", "paramters"],
    );
    write(&cfg, "[parameters]\nrds_backup_retention_min_dayz = 7\n");
    assert_clean_error(
        &palisade(&[
            "scan",
            "--inventory",
            REFERENCE,
            "--config",
            &cfg.display().to_string(),
        ]),
        &["unknown parameter `rds_backup_retention_min_dayz`"],
    );
}

#[test]
fn a_broken_test_file_fails_policy_test_with_its_line_but_not_a_scan() {
    let dir = temp_dir("broken-test-file");
    write(
        &dir.join("team/ok.rego"),
        "# METADATA\n# title: Always fine\n# description: A rule that never denies.\n# custom:\n#   id: TEAM-01\n#   severity: low\n#   resource_types: [aws_s3_bucket]\n#   remediation: Nothing to do.\n#   frameworks: {}\npackage team.ok\n\nimport rego.v1\n\ndeny contains f if {\n\tsome b in input.resources.aws_s3_bucket\n\tb.attributes.never_set == true\n\tf := {\"resource\": b.id, \"message\": \"no\"}\n}\n",
    );
    write(
        &dir.join("team/ok_test.rego"),
        "package team.ok_test\n\nimport rego.v1\n\ntest_broken if {\n\tcount([1, 2) == 2\n}\n",
    );
    let d = dir.display().to_string();
    let o = palisade(&["policy", "test", &d]);
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("ok_test.rego:6"), "{}", stderr(&o));
    // A scan never evaluates test files, so it does not load them: the rules still run.
    let (_, report) = scan_json(REFERENCE, &["--policies", &d]);
    let ids: BTreeSet<&str> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["rule_id"].as_str())
        .collect();
    assert!(ids.contains("TEAM-01"), "{ids:?}");
}

#[test]
fn a_failed_read_about_another_resource_makes_the_verdicts_that_may_rest_on_it_error() {
    let alb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/legacy-admin-alb/7a8b9c0d1e2f3a4b";
    let admin_acl = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/legacy-admin-acl/77777777-7777-7777-7777-777777777777";
    let app_alb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188";
    let result = |report: &Value, rule: &str, id: &str| -> Value {
        report["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["rule_id"] == rule && r["resource_id"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let status = |report: &Value, rule: &str, id: &str| result(report, rule, id)["status"].clone();
    let (_, clean) = scan_json(REFERENCE, &[]);
    assert_eq!(status(&clean, "WAF-08", admin_acl), "FAIL");
    // The admin load balancer's GetWebACLForResource failed: its association is not in the inventory.
    let mut inv = read_json(&root().join(REFERENCE));
    if let Some(rs) = inv["resources"].as_array_mut() {
        rs.retain(|r| r["attributes"]["resource_arn"] != alb);
    }
    inv["collection_errors"] = json!([{
        "service": "wafv2", "account": "123456789012", "region": "us-east-1",
        "operation": "wafv2:GetWebACLForResource", "error_code": "ThrottlingException",
        "message": "Rate exceeded", "kind": "throttled",
        "resource_types": ["aws_wafv2_web_acl_association"], "resource_id": alb,
    }]);
    let dir = temp_dir("per-resource-error");
    let path = dir.join("inventory.json");
    write(&path, &inv.to_string());
    let (code, report) = scan_json(&path.display().to_string(), &["--fail-on", "none"]);
    assert_eq!(
        code, 3,
        "an incomplete scan with no failure counted exits 3"
    );
    // WAF-08 judges web ACLs: whether the admin ACL fronts a load balancer is what could not be read, so
    // it is ERROR, never the PASS that the missing association alone would give; so is every web ACL of
    // the account (any of them may protect that load balancer).
    assert_eq!(status(&report, "WAF-08", admin_acl), "ERROR");
    for r in report["results"].as_array().into_iter().flatten() {
        if r["rule_id"] == "WAF-08" && r["resource_type"] == "aws_wafv2_web_acl" {
            assert_eq!(r["status"], "ERROR", "{r}");
        }
    }
    // WAF-02 judges load balancers: the failed read concerned that one load balancer only. Without its
    // association it fails (a failure is kept), saying what it may rest on.
    let admin = result(&report, "WAF-02", alb);
    assert_eq!(admin["status"], "FAIL", "{admin}");
    assert!(
        admin["message"]
            .as_str()
            .unwrap_or("")
            .contains("could not be collected: wafv2:GetWebACLForResource"),
        "{admin}"
    );
    assert!(status(&clean, "WAF-02", app_alb).is_string());
    assert_eq!(
        status(&report, "WAF-02", app_alb),
        status(&clean, "WAF-02", app_alb)
    );
}
