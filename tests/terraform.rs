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

// ---------------------------------------------------------------------------------------------------------
// Tier 3 (ECS, CloudWatch, X-Ray, Route 53, CI/CD, ElastiCache): tests/fixtures/terraform/tier3/

const TIER3_PLAN: &str = "tests/fixtures/terraform/tier3/plan.json";
const TIER3_RULES: &[&str] = &[
    "ECS-01", "ECS-02", "ECS-03", "CW-01", "CW-02", "CW-03", "CW-04", "CW-05", "XR-01", "XR-02",
    "R53-01", "R53-02", "CICD-01", "CICD-02", "CICD-03", "EC-01",
];

/// Scans the Tier 3 plan into the given report files (`FORMAT=FILE`); returns the saved inventory.
fn scan_tier3(dir: &std::path::Path, outputs: &[(&str, &str)]) -> Value {
    let inv = dir.join("inv.json").display().to_string();
    let mut args: Vec<String> = vec![
        "scan".into(),
        "--terraform-plan".into(),
        TIER3_PLAN.into(),
        "--save-inventory".into(),
        inv.clone(),
        "--fail-on".into(),
        "none".into(),
    ];
    for (format, file) in outputs {
        args.push("--output".into());
        args.push(format!("{format}={}", dir.join(file).display()));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = palisade(&refs);
    assert!([0, 3].contains(&code(&o)), "{}", stderr(&o));
    read_json(&dir.join("inv.json"))
}

#[test]
fn the_tier3_plan_is_judged_exactly_as_expected_and_unknowns_never_pass() {
    let dir = temp_dir("tier3-expected");
    let inv = scan_tier3(&dir, &[("json", "r.json")]);
    let report = read_json(&dir.join("r.json"));
    let expected = read_json(&root().join("tests/fixtures/terraform/tier3/expected.json"));
    let want: std::collections::BTreeMap<(String, String), (String, Option<String>)> = expected
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                (
                    e["rule_id"].as_str().unwrap_or("").to_string(),
                    e["resource_id"].as_str().unwrap_or("").to_string(),
                ),
                (
                    e["status"].as_str().unwrap_or("").to_string(),
                    e["unknown"].as_str().map(str::to_string),
                ),
            )
        })
        .collect();
    let results: Vec<&Value> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| TIER3_RULES.contains(&f["rule_id"].as_str().unwrap_or("")))
        .collect();
    let got: std::collections::BTreeMap<(String, String), (String, String)> = results
        .iter()
        .map(|f| {
            (
                (
                    f["rule_id"].as_str().unwrap_or("").to_string(),
                    f["resource_id"].as_str().unwrap_or("").to_string(),
                ),
                (
                    f["status"].as_str().unwrap_or("").to_string(),
                    f["message"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(got.len(), results.len(), "one result per (rule, resource)");
    let mut wrong = Vec::new();
    for (key, (status, unknown)) in &want {
        match got.get(key) {
            None => wrong.push(format!("{key:?}: expected {status}, no result")),
            Some((have, msg)) if have != status => {
                wrong.push(format!("{key:?}: expected {status}, got {have} ({msg})"))
            }
            Some((_, msg)) => {
                if let Some(path) = unknown {
                    if !msg.contains("unknown until apply") || !msg.contains(path.as_str()) {
                        wrong.push(format!("{key:?}: rests on {path}, message: {msg}"));
                    }
                }
            }
        }
    }
    for (key, (have, msg)) in &got {
        if !want.contains_key(key) {
            wrong.push(format!("{key:?}: unexpected {have} ({msg})"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // Every Tier 3 rule is judged, with at least one PASS and one FAIL.
    for rule in TIER3_RULES {
        for status in ["PASS", "FAIL"] {
            assert!(
                got.iter().any(|((r, _), (s, _))| r == rule && s == status),
                "{rule}: no {status}"
            );
        }
    }
    // What rests on a value unknown until apply never passes; the plan has such values.
    let unknown_ids: Vec<&str> = inv["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["unknown"].as_array().is_some_and(|u| !u.is_empty()))
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(unknown_ids.len() >= 2, "{unknown_ids:?}");
    for ((rule, id), (status, msg)) in &got {
        if unknown_ids.contains(&id.as_str()) {
            assert_ne!(status, "PASS", "{rule} {id}: {msg}");
        }
    }
    assert!(want.values().any(|(s, u)| s == "ERROR" && u.is_some()));
}

#[test]
fn tier3_plan_resources_get_the_ids_aws_will_give_them() {
    let dir = temp_dir("tier3-ids");
    let inv = scan_tier3(&dir, &[]);
    let id_of = |address: &str| -> String {
        inv["resources"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["name"] == address))
            .and_then(|r| r["id"].as_str())
            .unwrap_or_else(|| panic!("{address} not in the inventory"))
            .to_string()
    };
    for (address, id) in [
        // created: ARNs AWS derives from names the plan knows
        ("aws_ecs_cluster.app", "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster"),
        (
            "aws_ecs_service.app_frontend",
            "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/app-frontend",
        ),
        (
            "aws_cloudwatch_metric_alarm.app_alb_5xx",
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:app-alb-5xx",
        ),
        (
            r#"aws_cloudwatch_log_group.ecs["app-frontend"]"#,
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app-frontend",
        ),
        (
            "aws_synthetics_canary.app_homepage",
            "arn:aws:synthetics:us-east-1:123456789012:canary:app-homepage",
        ),
        (
            "aws_ecr_repository.app_backend",
            "arn:aws:ecr:us-east-1:123456789012:repository/app-backend",
        ),
        (
            "aws_codebuild_project.app_build",
            "arn:aws:codebuild:us-east-1:123456789012:project/app-build",
        ),
        (
            "aws_codepipeline.app",
            "arn:aws:codepipeline:us-east-1:123456789012:app-pipeline",
        ),
        (
            "aws_codedeploy_deployment_group.app_frontend",
            "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:app-deploy/app-frontend-dg",
        ),
        (
            "aws_elasticache_replication_group.app_sessions",
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:app-sessions",
        ),
        (
            "aws_xray_sampling_rule.app_frontend",
            "arn:aws:xray:us-east-1:123456789012:sampling-rule/app-frontend",
        ),
        ("aws_iam_role.app_ecs_task", "arn:aws:iam::123456789012:role/app-ecs-task"),
        // created: AWS adds a generated part
        (
            "aws_ecs_task_definition.app_frontend",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/app-frontend:(planned:aws_ecs_task_definition.app_frontend)",
        ),
        (
            "aws_route53_health_check.app",
            "arn:aws:route53:::healthcheck/(planned:aws_route53_health_check.app)",
        ),
        // existing, and in the aliased provider's region
        (
            "aws_ecs_service.legacy_web",
            "arn:aws:ecs:us-east-1:123456789012:service/legacy-cluster/legacy-web",
        ),
        (
            "aws_xray_encryption_config.this",
            "arn:aws:xray:us-east-1:123456789012:encryption-config",
        ),
        (
            "aws_xray_encryption_config.dr",
            "arn:aws:xray:eu-west-1:123456789012:encryption-config",
        ),
    ] {
        assert_eq!(id_of(address), id, "{address}");
    }
    // The ids of resources that also exist in the hand-written Tier 3 inventory are the same.
    let tier3 = read_json(&root().join("tests/fixtures/reference/tier3.json"));
    let live: Vec<&str> = tier3["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    let shared = inv["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| live.contains(id))
        .count();
    assert!(shared >= 45, "only {shared} ids shared with tier3.json");
}

/// Every string of `v` (recursively).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The clear-text variable values of one planned resource object: container environments, CodeBuild
/// PLAINTEXT variables, a CodeBuild action's EnvironmentVariables and pipeline variable defaults.
fn clear_text_values(rtype: &str, values: &Value, out: &mut Vec<String>) {
    let plaintext = |v: &Value| {
        !matches!(
            v["type"].as_str(),
            Some("PARAMETER_STORE") | Some("SECRETS_MANAGER")
        )
    };
    match rtype {
        "aws_ecs_task_definition" => {
            let defs: Value = values["container_definitions"]
                .as_str()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(Value::Null);
            for c in defs.as_array().into_iter().flatten() {
                for e in c["environment"].as_array().into_iter().flatten() {
                    strings(&e["value"], out);
                }
            }
        }
        "aws_codebuild_project" => {
            for env in values["environment"].as_array().into_iter().flatten() {
                for v in env["environment_variable"].as_array().into_iter().flatten() {
                    if plaintext(v) {
                        strings(&v["value"], out);
                    }
                }
            }
        }
        "aws_codepipeline" => {
            for stage in values["stage"].as_array().into_iter().flatten() {
                for action in stage["action"].as_array().into_iter().flatten() {
                    let vars: Value = action["configuration"]["EnvironmentVariables"]
                        .as_str()
                        .and_then(|s| serde_json::from_str(s).ok())
                        .unwrap_or(Value::Null);
                    for v in vars.as_array().into_iter().flatten() {
                        if plaintext(v) {
                            strings(&v["value"], out);
                        }
                    }
                }
            }
            for v in values["variable"].as_array().into_iter().flatten() {
                strings(&v["default_value"], out);
            }
        }
        _ => {}
    }
}

#[test]
fn clear_text_variables_and_sensitive_values_of_a_plan_never_reach_a_report() {
    let plan = read_json(&root().join(TIER3_PLAN));
    let mut values = Vec::new();
    let mut sensitive = Vec::new();
    for c in plan["resource_changes"].as_array().into_iter().flatten() {
        let rtype = c["type"].as_str().unwrap_or("");
        for side in ["before", "after"] {
            clear_text_values(rtype, &c["change"][side], &mut values);
        }
        for (k, mark) in c["change"]["after_sensitive"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if mark == &Value::Bool(true) {
                strings(&c["change"]["after"][k], &mut sensitive);
            }
        }
    }
    // The values that say something only there: not a reference, not a value the plan also holds
    // elsewhere (the account id is in every ARN).
    let mut elsewhere = plan.clone();
    fn blank(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for k in [
                    "container_definitions",
                    "environment",
                    "stage",
                    "variable",
                    "variables",
                ] {
                    m.remove(k);
                }
                m.values_mut().for_each(blank);
            }
            Value::Array(a) => a.iter_mut().for_each(blank),
            _ => {}
        }
    }
    blank(&mut elsewhere);
    let elsewhere = elsewhere.to_string();
    values.sort();
    values.dedup();
    let mut secrets: Vec<String> = values
        .into_iter()
        .filter(|v| v.len() >= 4 && !v.starts_with("arn:") && !elsewhere.contains(v.as_str()))
        .collect();
    for known in [
        "Legacy-Passw0rd!",
        "sk_live_51LegacyExampleNotARealKey",
        "Dockerhub-Legacy-2019",
        "AKIAIOSFODNN7EXAMPLE",
        "xoxb-legacy-example",
        "legacyci",
    ] {
        assert!(
            secrets.iter().any(|s| s == known),
            "{known} not found in the plan"
        );
    }
    assert!(!sensitive.is_empty(), "the plan has a sensitive value");
    secrets.extend(sensitive.into_iter().filter(|s| s.len() > 3));
    let dir = temp_dir("tier3-secrets");
    let files = [
        ("json", "r.json"),
        ("sarif", "r.sarif"),
        ("html", "r.html"),
        ("markdown", "r.md"),
        ("csv", "r.csv"),
        ("junit", "r.xml"),
        ("ocsf", "r.ocsf.json"),
        ("text", "r.txt"),
    ];
    scan_tier3(&dir, &files);
    for file in files.iter().map(|(_, f)| *f).chain(["inv.json"]) {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(!text.is_empty(), "{file} was not written");
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{s:?} reached {file}");
        }
    }
    // The rules still see what they need: the legacy variables are named, the access key's shape kept.
    let report = std::fs::read_to_string(dir.join("r.json")).unwrap_or_default();
    assert!(report.contains("DB_PASSWORD") && report.contains("AWS_ACCESS_KEY_ID"));
    let inv = std::fs::read_to_string(dir.join("inv.json")).unwrap_or_default();
    assert!(inv.contains("AKIAXXXXXXXXXXXXXXXX") && inv.contains("(redacted)"));
}
