//! Scans across the accounts of an AWS Organization, against the local emulator (its Organizations API
//! and multi-account STS): every account is scanned through the assumed role, results carry their
//! account, shards split the accounts deterministically and merge back into the whole scan, and an
//! account whose role cannot be assumed is ERROR for every rule, never silently absent.

mod common;

use common::emulator::{seeded, ENV};
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

struct Org {
    url: String,
    port: u16,
    management: String,
    members: Vec<String>,
}

fn org() -> &'static Org {
    static ORG: std::sync::OnceLock<Org> = std::sync::OnceLock::new();
    ORG.get_or_init(|| {
        let emu = seeded();
        let venv = std::env::var("PALISADE_VENV")
            .unwrap_or_else(|_| root().join(".venv").display().to_string());
        let o = std::process::Command::new(format!("{venv}/bin/python"))
            .arg(root().join("tests/emulator/seed_org.py"))
            .args(["--endpoint", &emu.url, "--members", "3"])
            .output()
            .unwrap_or_else(|e| panic!("seed_org.py: {e}"));
        assert!(o.status.success(), "seed_org.py: {}", stderr(&o));
        let v: Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("seed_org.py output: {e}"));
        Org {
            url: emu.url.clone(),
            port: emu.port,
            management: v["management"].as_str().unwrap_or("").to_string(),
            members: v["members"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        }
    })
}

fn scan(url: &str, name: &str, extra: &[&str]) -> (i32, Value, String) {
    let (code, report, calls, _) = scan_logged(url, name, extra);
    (code, report, calls)
}

/// [`scan`], also returning its stderr.
fn scan_logged(url: &str, name: &str, extra: &[&str]) -> (i32, Value, String, String) {
    let dir = temp_dir(name);
    let out = dir.join("scan.json").display().to_string();
    let calls = dir.join("calls.json").display().to_string();
    let mut args = vec![
        "scan",
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
        "--max-attempts",
        "1",
        "--account-role",
        "palisade-audit",
        "--format",
        "json",
        "--output",
        &out,
        "--record-calls",
        &calls,
        "--fail-on",
        "none",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = palisade_env(&args, ENV);
    assert!([0, 3].contains(&code(&o)), "scan failed: {}", stderr(&o));
    (
        code(&o),
        read_json(&dir.join("scan.json")),
        calls,
        stderr(&o),
    )
}

fn by_account(r: &Value, rule: &str) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut m: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for f in r["results"].as_array().into_iter().flatten() {
        if f["rule_id"] == rule {
            *m.entry(f["account"].as_str().unwrap_or("").to_string())
                .or_default()
                .entry(f["status"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    m
}

#[test]
fn org_scan_covers_every_account_through_the_assumed_role() {
    let o = org();
    assert_eq!(o.members.len(), 3);
    let html_dir = temp_dir("org-html");
    let html = format!("html={}", html_dir.join("org.html").display());
    let (_, r, calls) = scan(&o.url, "org", &["--org", "--output", &html]);
    // The HTML report groups results by account (a table and a filter).
    let page = std::fs::read_to_string(html_dir.join("org.html")).unwrap_or_default();
    assert!(page.contains("<h3>By account</h3>"), "no per-account table");
    for m in &o.members {
        assert!(
            page.contains(&format!("<option value=\"{m}\">")),
            "{m} not in the account filter"
        );
    }
    let accounts: BTreeSet<String> = r["provenance"]["accounts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut want: BTreeSet<String> = o.members.iter().cloned().collect();
    want.insert(o.management.clone());
    assert_eq!(accounts, want);
    // Each member's seeded violations, in that member's account.
    let sg = by_account(&r, "SG-01");
    let s3 = by_account(&r, "S3-01");
    for m in &o.members {
        assert_eq!(sg[m].get("FAIL"), Some(&1), "{m}: {sg:?}");
        assert!(sg[m].get("PASS") >= Some(&1), "{m}: {sg:?}");
        assert_eq!(s3[m].get("FAIL"), Some(&1), "{m}: {s3:?}");
    }
    // The management account's own resources are scanned too (the reference architecture).
    assert!(sg.contains_key(&o.management));
    // The calls stay inside the read-only policy plus the organization policy.
    let mut allowed: BTreeSet<String> = BTreeSet::new();
    for f in [
        "scanner/collect/palisade-readonly-policy.json",
        "scanner/collect/palisade-org-policy.json",
    ] {
        let p = read_json(&root().join(f));
        for st in p["Statement"].as_array().into_iter().flatten() {
            if st["Effect"] == "Allow" {
                for a in st["Action"].as_array().into_iter().flatten() {
                    allowed.insert(a.as_str().unwrap_or("").to_string());
                }
            }
        }
    }
    let used = read_json(std::path::Path::new(&calls));
    for c in used.as_array().into_iter().flatten() {
        let action = c["action"].as_str().unwrap_or("");
        assert!(
            allowed.contains(action),
            "{action} is not in the shipped policies"
        );
    }
}

#[test]
fn shards_split_the_accounts_and_merge_back_into_the_whole_scan() {
    let o = org();
    let (_, whole, _) = scan(&o.url, "whole", &["--org"]);
    let dir = temp_dir("shards");
    let mut files = Vec::new();
    let mut seen_accounts = Vec::new();
    for i in 1..=2 {
        let shard = format!("{i}/2");
        let (_, part, _) = scan(&o.url, &format!("shard-{i}"), &["--org", "--shard", &shard]);
        for a in part["provenance"]["accounts"]
            .as_array()
            .into_iter()
            .flatten()
        {
            seen_accounts.push(a.as_str().unwrap_or("").to_string());
        }
        let p = dir.join(format!("shard-{i}.json"));
        write(&p, &part.to_string());
        files.push(p.display().to_string());
    }
    let mut sorted = seen_accounts.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        seen_accounts.len(),
        "an account is in two shards"
    );
    assert_eq!(sorted.len(), 4, "every account is in a shard");
    let merged = dir.join("merged.json").display().to_string();
    let m = palisade(&[
        "merge",
        &files[1],
        &files[0],
        "--format",
        "json",
        "--output",
        &merged,
        "--fail-on",
        "none",
    ]);
    assert!([0, 3].contains(&code(&m)), "{}", stderr(&m));
    let merged = read_json(std::path::Path::new(&merged));
    assert_eq!(outcomes(&merged), outcomes(&whole));
}

/// (rule, account, resource, status) of every result, sorted. Live ids differ between runs only where
/// the emulator mints them; rule, account and status agree.
fn outcomes(r: &Value) -> Vec<(String, String, String, String)> {
    let mut v: Vec<_> = r["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["account"].as_str().unwrap_or("").to_string(),
                f["resource_id"].as_str().unwrap_or("").to_string(),
                f["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// A scan of several accounts is evaluated account by account while the next ones are collected (the
/// organization's inventory never exists whole); `--save-inventory` asks for the whole inventory and
/// evaluates it at once. Both give the same results, errors and summary. `--verbose` shows which path each
/// took: one "evaluating account" line per account when streamed, none when whole.
#[test]
fn an_org_scan_evaluated_account_by_account_equals_the_whole_inventory_evaluated_at_once() {
    let o = org();
    let saved = temp_dir("org-saved").join("inventory.json");
    let saved_arg = saved.display().to_string();
    let (_, whole, _, whole_log) = scan_logged(
        &o.url,
        "org-whole",
        &["--org", "--save-inventory", &saved_arg, "--verbose"],
    );
    let evaluating = |log: &str| -> Vec<String> {
        let mut v: Vec<String> = log
            .lines()
            .filter_map(|l| l.strip_prefix("palisade: evaluating account "))
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        v.sort();
        v
    };
    assert_eq!(evaluating(&whole_log), Vec::<String>::new(), "{whole_log}");
    let inv = read_json(&saved);
    assert_eq!(
        inv["provenance"]["accounts"].as_array().map(Vec::len),
        Some(4),
        "the saved inventory holds every account"
    );
    let (_, streamed, _, streamed_log) =
        scan_logged(&o.url, "org-streamed", &["--org", "--verbose"]);
    let mut accounts: Vec<String> = inv["provenance"]["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    accounts.sort();
    assert_eq!(
        evaluating(&streamed_log),
        accounts,
        "each account evaluated once, as it was collected: {streamed_log}"
    );
    assert_eq!(outcomes(&streamed), outcomes(&whole));
    let errors = |r: &Value| -> Vec<(String, String, String)> {
        let mut v: Vec<_> = r["collection_errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["account"].as_str().unwrap_or("").to_string(),
                    e["region"].as_str().unwrap_or("").to_string(),
                    e["operation"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(errors(&streamed), errors(&whole));
    assert_eq!(streamed["summary"], whole["summary"]);
    assert_eq!(
        streamed["provenance"]["accounts"],
        whole["provenance"]["accounts"]
    );
    assert!(
        outcomes(&streamed).iter().any(|(_, _, _, s)| s == "FAIL"),
        "the seeded accounts have failures"
    );
}

#[test]
fn an_account_whose_role_cannot_be_assumed_is_error_for_every_rule() {
    let o = org();
    let victim = o.members[0].clone();
    let proxy = proxy::start(
        o.port,
        proxy::Rules {
            deny_body_containing: vec!["Action=AssumeRole".into(), victim.clone()],
            ..proxy::Rules::default()
        },
    );
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let accounts = o.members.join(",");
    let (code, r, _) = scan(&url, "denied-role", &["--accounts", &accounts]);
    assert_eq!(code, 3, "an unreachable account makes the scan incomplete");
    let errors: Vec<&Value> = r["collection_errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["account"] == victim.as_str() && e["operation"] != "palisade:collect")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["operation"], "sts:AssumeRole");
    assert_eq!(errors[0]["kind"], "access_denied");
    // Every rule has an ERROR result in the victim's account, and no PASS or FAIL there.
    let rules = r["rules"].as_array().map(Vec::len).unwrap_or(0);
    let mut error_rules = BTreeSet::new();
    for f in r["results"].as_array().into_iter().flatten() {
        if f["account"] == victim.as_str() {
            assert_eq!(f["status"], "ERROR", "{f}");
            error_rules.insert(f["rule_id"].as_str().unwrap_or("").to_string());
        }
    }
    assert_eq!(
        error_rules.len(),
        rules,
        "every rule is ERROR in the unreachable account"
    );
    // The other members are scanned as usual.
    let sg = by_account(&r, "SG-01");
    for m in &o.members[1..] {
        assert_eq!(sg[m].get("FAIL"), Some(&1));
    }
}
