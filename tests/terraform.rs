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
