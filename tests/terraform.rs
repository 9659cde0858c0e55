//! Terraform plans through the `palisade` binary: values unknown until apply never PASS, and (with the
//! reference plan fixture) the plan's violations are the live account's, located on the `.tf` lines.

mod common;

use common::*;
use serde_json::{json, Value};

/// The reference inventory with one compliant resource's attribute marked unknown until apply.
fn with_unknown(resource_id: &str, path: &str) -> Value {
    let mut inv = read_json(&fixture("reference-architecture.json"));
    let mut found = false;
    if let Some(rs) = inv["resources"].as_array_mut() {
        for r in rs.iter_mut().filter(|r| r["id"] == resource_id) {
            let top = path.split('.').next().unwrap_or(path);
            if let Some(a) = r["attributes"].as_object_mut() {
                a.remove(top);
            }
            r["unknown"] = json!([path]);
            found = true;
        }
    }
    assert!(found, "{resource_id} not in the reference fixture");
    inv
}

fn scan_inventory(inv: &Value, name: &str) -> Value {
    let dir = temp_dir(name);
    let p = dir.join("inv.json");
    write(&p, &inv.to_string());
    let out = dir.join("r.json");
    let o = palisade(&[
        "scan",
        "--inventory",
        &p.display().to_string(),
        "--format",
        "json",
        "--output",
        &out.display().to_string(),
        "--fail-on",
        "none",
    ]);
    assert!([0, 3].contains(&code(&o)), "{}", stderr(&o));
    read_json(&out)
}

fn status(r: &Value, rule: &str, id: &str) -> (String, String) {
    r["results"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|f| f["rule_id"] == rule && f["resource_id"] == id)
        })
        .map(|f| {
            (
                f["status"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .unwrap_or_default()
}

const APP_DB: &str = "arn:aws:rds:us-east-1:123456789012:db:app-db";

#[test]
fn a_value_unknown_until_apply_is_error_never_pass() {
    // A security group whose ingress is unknown until apply: the SG rules would find nothing open in an
    // absent list and PASS it; they must say ERROR.
    let inv = read_json(&fixture("reference-architecture.json"));
    let group = app_db_group(&inv);
    let base = scan_inventory(&inv, "unk-base");
    assert_eq!(status(&base, "SG-01", &group).0, "PASS");
    let r = scan_inventory(&with_unknown(&group, "ingress"), "unk-ingress");
    let (st, msg) = status(&r, "SG-01", &group);
    assert_eq!(st, "ERROR", "{msg}");
    assert!(msg.contains("ingress unknown until apply"), "{msg}");
    // Other resources are judged as before (RDS-01 reads no security group).
    assert_eq!(status(&r, "RDS-01", APP_DB).0, "PASS");
    assert!(r["summary"]["by_status"]["ERROR"].as_u64() > Some(0));
}

#[test]
fn a_failure_that_may_rest_on_an_unknown_value_says_so() {
    let r = scan_inventory(&with_unknown(APP_DB, "multi_az"), "unk-multi-az");
    let (st, msg) = status(&r, "RDS-01", APP_DB);
    assert_eq!(st, "FAIL", "{msg}");
    assert!(
        msg.contains("(note: multi_az unknown until apply)"),
        "{msg}"
    );
}

fn app_db_group(inv: &Value) -> String {
    let group_ids: Vec<String> = inv["resources"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == APP_DB))
        .and_then(|db| {
            db["attributes"]["vpc_security_group_ids"]
                .as_array()
                .cloned()
        })
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let group = inv["resources"]
        .as_array()
        .and_then(|a| {
            a.iter().find(|r| {
                r["attributes"]["id"]
                    .as_str()
                    .is_some_and(|id| group_ids.iter().any(|g| g == id))
            })
        })
        .and_then(|g| g["id"].as_str().map(str::to_string))
        .unwrap_or_default();
    assert!(
        !group.is_empty(),
        "the app database's group is in the fixture"
    );
    group
}

#[test]
fn an_unknown_value_of_a_resource_a_rule_reads_makes_its_passes_error() {
    // The app database reaches its port only from security groups (SG-06 passes); if its group's ingress
    // is unknown until apply, the database cannot pass.
    let inv = read_json(&fixture("reference-architecture.json"));
    let base = scan_inventory(&inv, "unk-req-base");
    assert_eq!(status(&base, "SG-06", APP_DB).0, "PASS");
    let group = app_db_group(&inv);
    let r = scan_inventory(&with_unknown(&group, "ingress"), "unk-req");
    let (st, msg) = status(&r, "SG-06", APP_DB);
    assert_eq!(st, "ERROR", "{msg}");
    assert!(msg.contains("unknown until apply"), "{msg}");
}

const PLAN: &str = "tests/fixtures/terraform/reference/plan.json";
const TF_DIR: &str = "tests/fixtures/terraform/reference";

/// Scans the reference plan; returns the report, and address → inventory id.
fn scan_plan(
    name: &str,
    extra: &[&str],
) -> (i32, Value, std::collections::BTreeMap<String, String>) {
    let dir = temp_dir(name);
    let out = dir.join("r.json").display().to_string();
    let inv = dir.join("inv.json").display().to_string();
    let mut args = vec![
        "scan",
        "--terraform-plan",
        PLAN,
        "--format",
        "json",
        "--output",
        &out,
        "--save-inventory",
        &inv,
        "--fail-on",
        "none",
    ];
    args.extend_from_slice(extra);
    let o = palisade(&args);
    assert!([0, 3].contains(&code(&o)), "{}", stderr(&o));
    let inv = read_json(&dir.join("inv.json"));
    let ids = inv["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or("").to_string(),
                r["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (code(&o), read_json(&dir.join("r.json")), ids)
}

/// Results the plan cannot decide as precisely as the fixture's author: palisade says ERROR (or FAIL with
/// a note) because a value it may read is unknown until apply, where a human sees it does not matter.
/// Never a PASS.
const CONSERVATIVE: &[(&str, &str, &str)] = &[
    (
        "CF-04",
        "module.edge.aws_cloudfront_distribution.app",
        "origin domain names come from unknown ALB/S3 names",
    ),
    (
        "SG-08",
        "aws_security_group.legacy_admin_alb",
        "not a default group, but SG-08 reads ingress, which is unknown",
    ),
    (
        "SG-08",
        "module.data.aws_security_group.app_db",
        "not a default group, but SG-08 reads egress, which the provider computes",
    ),
];

#[test]
fn the_reference_plan_is_judged_as_expected_and_unknowns_never_pass() {
    let (_, r, ids) = scan_plan("plan-expected", &[]);
    let expected = read_json(&root().join("tests/fixtures/terraform/reference/expected.json"));
    let result = |rule: &str, address: &str| -> (String, String) {
        let id = ids.get(address).cloned().unwrap_or_default();
        r["results"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|f| f["rule_id"] == rule && f["resource_id"] == id.as_str())
            })
            .map(|f| {
                (
                    f["status"].as_str().unwrap_or("").to_string(),
                    f["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .unwrap_or_default()
    };
    let mut wrong = Vec::new();
    let mut checked = 0;
    for e in expected.as_array().into_iter().flatten() {
        let (rule, address) = (
            e["rule_id"].as_str().unwrap_or(""),
            e["address"].as_str().unwrap_or(""),
        );
        let want = e["expect"].as_str().unwrap_or("");
        let (have, msg) = result(rule, address);
        checked += 1;
        assert_ne!(
            (want, have.as_str()),
            ("UNKNOWN", "PASS"),
            "{rule} {address}: a value unknown until apply gave PASS"
        );
        let ok = match want {
            "UNKNOWN" => have == "ERROR" || (have == "FAIL" && msg.contains("unknown until apply")),
            _ if CONSERVATIVE
                .iter()
                .any(|(r, a, _)| *r == rule && *a == address) =>
            {
                have == "ERROR" || (have == "FAIL" && msg.contains("unknown until apply"))
            }
            w => have == w,
        };
        if !ok {
            wrong.push(format!("{rule} {address}: want {want}, got {have} ({msg})"));
        }
    }
    assert!(checked >= 150, "only {checked} expectations");
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_plan_and_the_live_account_fail_the_same_rules_for_the_same_resources() {
    let (_, plan, ids) = scan_plan("plan-vs-live", &[]);
    let live = scan_inventory(
        &read_json(&fixture("reference-architecture.json")),
        "live-twin",
    );
    let status = |r: &Value, rule: &str, id: &str| -> String {
        r["results"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|f| f["rule_id"] == rule && f["resource_id"] == id)
            })
            .and_then(|f| f["status"].as_str())
            .unwrap_or("")
            .to_string()
    };
    let expected = read_json(&root().join("tests/fixtures/terraform/reference/expected.json"));
    let mut same = 0;
    let mut differ = Vec::new();
    for e in expected.as_array().into_iter().flatten() {
        let (Some(live_id), Some(rule), Some(address)) = (
            e["live_id"].as_str(),
            e["rule_id"].as_str(),
            e["address"].as_str(),
        ) else {
            continue;
        };
        if e["expect"] == "UNKNOWN"
            || CONSERVATIVE
                .iter()
                .any(|(r, a, _)| *r == rule && *a == address)
        {
            continue;
        }
        let p = status(
            &plan,
            rule,
            ids.get(address).map(String::as_str).unwrap_or(""),
        );
        let l = status(&live, rule, live_id);
        if p == l {
            same += 1;
        } else {
            differ.push(format!(
                "{rule} {address} (live {live_id}): plan {p}, live {l}"
            ));
        }
    }
    assert!(same >= 100, "only {same} comparable results");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn plan_findings_in_sarif_point_at_the_resource_blocks() {
    let dir = temp_dir("plan-sarif");
    let sarif = dir.join("r.sarif").display().to_string();
    let inv = dir.join("inv.json").display().to_string();
    let o = palisade(&[
        "scan",
        "--terraform-plan",
        PLAN,
        "--terraform-dir",
        TF_DIR,
        "--format",
        "sarif",
        "--output",
        &sarif,
        "--save-inventory",
        &inv,
        "--fail-on",
        "none",
    ]);
    assert!([0, 3].contains(&code(&o)), "{}", stderr(&o));
    let s = read_json(&dir.join("r.sarif"));
    let address_of: std::collections::BTreeMap<String, String> = read_json(&dir.join("inv.json"))
        ["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let locations = read_json(&root().join("tests/fixtures/terraform/reference/locations.json"));
    let results = s["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(results.len() > 40);
    let mut checked = 0;
    for res in &results {
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or("");
        let line = loc["region"]["startLine"].as_u64().unwrap_or(0);
        let resource = res["properties"]["resource"].as_str().unwrap_or("");
        let Some(address) = address_of.get(resource) else {
            continue;
        };
        let want = locations
            .get(address.as_str())
            .or_else(|| locations.get(address.split('[').next().unwrap_or(address)));
        let Some(want) = want else {
            panic!("{address} has no location in locations.json")
        };
        assert_eq!(
            (uri.to_string(), line),
            (
                format!("{TF_DIR}/{}", want["file"].as_str().unwrap_or("")),
                want["line"].as_u64().unwrap_or(0)
            ),
            "{address}"
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} locations checked");
}

#[test]
fn bad_plans_name_the_file_and_the_problem_and_exit_2() {
    for (file, needle) in [
        ("truncated.json", "truncated.json:123:"),
        ("not-a-plan.json", "looks like a state"),
        ("wrong-version.json", "unsupported format_version"),
        ("bad-shape.json", "`resource_changes` is not an array"),
        ("missing-type.json", "`type`"),
    ] {
        let path = format!("tests/fixtures/terraform/bad/{file}");
        let o = palisade(&["scan", "--terraform-plan", &path]);
        assert_eq!(code(&o), 2, "{file}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(&path) && e.contains(needle), "{file}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
}

#[test]
fn sensitive_plan_values_never_reach_the_reports() {
    let plan = read_json(&root().join(PLAN));
    // Every sensitive value of the plan, as text.
    let mut secrets = Vec::new();
    fn walk(v: &Value, marks: &Value, out: &mut Vec<String>) {
        match (v, marks) {
            (Value::String(s), Value::Bool(true)) if s.len() > 3 => out.push(s.clone()),
            (Value::Object(m), Value::Object(k)) => {
                for (key, mark) in k {
                    if let Some(x) = m.get(key) {
                        walk(x, mark, out);
                    }
                }
            }
            (Value::Array(a), Value::Array(k)) => {
                for (x, mark) in a.iter().zip(k) {
                    walk(x, mark, out);
                }
            }
            _ => {}
        }
    }
    for c in plan["resource_changes"].as_array().into_iter().flatten() {
        walk(
            &c["change"]["after"],
            &c["change"]["after_sensitive"],
            &mut secrets,
        );
    }
    assert!(!secrets.is_empty(), "the fixture has sensitive values");
    let dir = temp_dir("plan-sensitive");
    let mut args = vec![
        "scan".to_string(),
        "--terraform-plan".into(),
        PLAN.into(),
        "--fail-on".into(),
        "none".into(),
    ];
    for (f, file) in [
        ("json", "r.json"),
        ("html", "r.html"),
        ("csv", "r.csv"),
        ("sarif", "r.sarif"),
    ] {
        args.push("--output".into());
        args.push(format!("{f}={}", dir.join(file).display()));
    }
    args.push("--save-inventory".into());
    args.push(dir.join("inv.json").display().to_string());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = palisade(&refs);
    assert!([0, 3].contains(&code(&o)), "{}", stderr(&o));
    for file in ["r.json", "r.html", "r.csv", "r.sarif", "inv.json"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "a sensitive value reached {file}"
            );
        }
    }
}
