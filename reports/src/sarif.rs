//! SARIF 2.1.0 for GitHub code scanning. GitHub rejects a whole upload when any result lacks a physical
//! location with a repo-relative URI, so every result is anchored at the rule's policy file and `deny`
//! line, and the cloud resource goes into `logicalLocations` and the message. FAIL results are results;
//! ERROR results are tool execution notifications (visible without breaking the upload); PASS, WAIVED and
//! NOT_APPLICABLE are not results (GitHub ignores suppressions).
use crate::{RenderOptions, Reporter};
use palisade_model::{Finding, RuleMeta, ScanReport, Severity, Status};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub refuses more results than this in one run.
pub const MAX_RESULTS: usize = 25_000;

pub struct Sarif;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<Value>,
    invocations: Vec<Value>,
    results: Vec<Value>,
    properties: Value,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: String,
    information_uri: &'static str,
    rules: Vec<Value>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Percent-encodes what is not safe in a URI path (spaces, `%`, `#`, `?`, non-ASCII).
pub fn uri_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.trim_start_matches("./").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn rule_descriptor(r: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_string(), format!("severity/{}", r.severity)];
    for (fw, ids) in &r.frameworks {
        for id in ids {
            if tags.len() < 20 {
                tags.push(format!("{fw}/{id}"));
            }
        }
    }
    let frameworks: Vec<String> = r
        .frameworks
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(fw, ids)| format!("- **{fw}**: {}", ids.join(", ")))
        .collect();
    let markdown = format!(
        "**{}**\n\n{}\n\n**Remediation**\n\n{}\n\n**Resource types**: {}\n{}",
        r.title,
        r.description,
        r.remediation,
        r.resource_types.join(", "),
        if frameworks.is_empty() {
            String::new()
        } else {
            format!("\n**Controls**\n\n{}\n", frameworks.join("\n"))
        }
    );
    json!({
        "id": r.id,
        "name": r.package.replace('.', "/"),
        "shortDescription": {"text": truncate(&r.title, 1024)},
        "fullDescription": {"text": truncate(&r.description, 1024)},
        "help": {"text": format!("{}\n\nRemediation: {}", r.description, r.remediation), "markdown": markdown},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": tags,
            "precision": "very-high",
            "security-severity": r.severity.score(),
            "problem.severity": match r.severity { Severity::Critical | Severity::High => "error", Severity::Medium => "warning", _ => "recommendation" },
        }
    })
}

fn result(f: &Finding, rule: &RuleMeta, rule_index: usize) -> Value {
    let text = format!(
        "{}: {} ({} in {}/{})",
        rule.title, f.message, f.resource_id, f.account, f.region
    );
    // A resource declared in Terraform is shown where it is declared (on the pull request's diff);
    // otherwise at the rule's `deny` line in its policy file.
    let (file, line) = match &f.location {
        Some(l) => (l.file.as_str(), l.line),
        None => (rule.file.as_str(), rule.line),
    };
    json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri_path(file)},
                "region": {"startLine": line.max(1)}
            },
            "logicalLocations": [{"fullyQualifiedName": f.resource_id, "kind": "resource"}]
        }],
        "partialFingerprints": {"primaryLocationLineHash": f.fingerprint},
        "properties": {
            "account": f.account,
            "region": f.region,
            "resourceType": f.resource_type,
            "resource": f.resource_id,
            "evidence": f.evidence,
        }
    })
}

impl Reporter for Sarif {
    fn render(&self, r: &ScanReport, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let index: BTreeMap<&str, usize> = r
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| (rule.id.as_str(), i))
            .collect();
        let mut results = Vec::new();
        let mut fails: Vec<&Finding> = r.with_status(Status::Fail).collect();
        // Keep the most severe when over GitHub's limit, and say so.
        fails.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let dropped = fails.len().saturating_sub(MAX_RESULTS);
        for f in fails.into_iter().take(MAX_RESULTS) {
            if let (Some(&i), Some(rule)) = (index.get(f.rule_id.as_str()), r.rule(&f.rule_id)) {
                results.push(result(f, rule, i));
            }
        }
        results.sort_by(|a, b| {
            let key = |v: &Value| {
                (
                    v["ruleIndex"].as_u64().unwrap_or(0),
                    v["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut notifications: Vec<Value> = r
            .with_status(Status::Error)
            .map(|f| {
                json!({
                    "level": "error",
                    "message": {"text": format!("{} not checked for {} in {}/{}: {}", f.rule_id, f.resource_id, f.account, f.region, f.message)},
                    "descriptor": {"id": f.rule_id},
                    "properties": {"resource": f.resource_id, "account": f.account, "region": f.region}
                })
            })
            .collect();
        if dropped > 0 {
            notifications.push(json!({
                "level": "warning",
                "message": {"text": format!("{dropped} lower-severity failures were left out: GitHub accepts at most {MAX_RESULTS} results per run; see the JSON report for all of them")}
            }));
        }
        let incomplete = r.summary.count(Status::Error) > 0;
        let run = Run {
            tool: Tool {
                driver: Driver {
                    name: "palisade",
                    semantic_version: r.tool.version.clone(),
                    information_uri: "https://github.com/palisade-scanner/palisade",
                    rules: r.rules.iter().map(rule_descriptor).collect(),
                },
            },
            automation_details: opts.category.as_ref().map(|c| json!({"id": c})),
            invocations: vec![json!({
                "executionSuccessful": !incomplete,
                "toolExecutionNotifications": notifications,
                "endTimeUtc": r.generated_at,
            })],
            results,
            properties: json!({
                "policySetHash": r.policy_set_hash,
                "source": r.provenance.source,
                "collectedAt": r.provenance.collected_at,
                "accounts": r.provenance.accounts,
                "regions": r.provenance.regions,
            }),
        };
        let log = Log {
            schema: SCHEMA_URI,
            version: "2.1.0",
            runs: vec![run],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")
    }
}
