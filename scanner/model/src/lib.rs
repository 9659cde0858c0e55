//! palisade's data model. This crate owns every type that crosses a boundary between the collectors,
//! the engine and the reporters: the [`Inventory`] (what an account looks like), the [`RuleMeta`] of a
//! policy, and the [`ScanReport`] (what was found). It depends on serde only, so every other crate can
//! use it, and every value in it serializes deterministically (maps are `BTreeMap`s).
//!
//! The inventory's JSON form is specified by `inventory.schema.json` beside this crate and documented in
//! `docs/inventory.md`.

pub mod redact;
pub mod time;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The inventory schema version this build reads and writes. A file with any other version is refused.
pub const SCHEMA_VERSION: &str = "1.0";

/// The JSON Schema of an inventory file (draft 2020-12).
pub const INVENTORY_JSON_SCHEMA: &str = include_str!("../inventory.schema.json");

/// The normalized configuration of one or more AWS accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub schema_version: String,
    pub provenance: Provenance,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub collection_errors: Vec<CollectionError>,
}

/// Where an inventory came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// `live`, `terraform-plan`, `snapshot` or `generated`.
    pub source: String,
    /// RFC 3339 time of collection. Policies measure ages ("rotated within 90 days") from this instant,
    /// never from the wall clock, so a replayed inventory gives the same results.
    pub collected_at: String,
    pub tool_version: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
}

/// One resource, typed and named after the Terraform AWS provider (`aws_db_instance`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Stable id: the ARN where AWS has one.
    pub id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub account: String,
    /// An AWS region, or `global` for global services (IAM, CloudFront, Route 53, Shield).
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Attribute values named as in the Terraform provider; nested blocks are arrays of objects, as in
    /// `terraform show -json`.
    #[serde(default)]
    pub attributes: serde_json::Map<String, Value>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Attributes whose values are unknown until apply (Terraform plans), as dotted paths into
    /// `attributes` (`ingress.0.cidr_blocks`). A rule that reads one of them cannot PASS the resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
    /// Where the resource is declared (Terraform plans read with `--terraform-dir`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceLocation>,
}

/// A place in a source file (a Terraform resource block).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceLocation {
    /// Path relative to the repository (or the directory given), with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// Why a collection call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    AccessDenied,
    Throttled,
    NotSubscribed,
    NotImplemented,
    Timeout,
    Malformed,
    Other,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::Throttled => "throttled",
            ErrorKind::NotSubscribed => "not_subscribed",
            ErrorKind::NotImplemented => "not_implemented",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Other => "other",
        }
    }
}

/// A call that failed during collection. The resource types it feeds are ERROR in its scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionError {
    pub service: String,
    pub account: String,
    /// The region of the call, or `global`: a global error covers every region of the account.
    pub region: String,
    /// e.g. `rds:DescribeDBInstances`
    pub operation: String,
    pub error_code: String,
    pub message: String,
    pub kind: ErrorKind,
    /// The resource types whose data this call would have provided.
    pub resource_types: Vec<String>,
    /// Set when the call concerned one resource (e.g. one bucket's policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

/// Severity of a rule, ordered from `Info` (lowest) to `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    /// GitHub's `security-severity` score for this severity.
    pub fn score(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "0.5",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "critical" => Ok(Severity::Critical),
            "high" => Ok(Severity::High),
            "medium" => Ok(Severity::Medium),
            "low" => Ok(Severity::Low),
            "info" | "informational" => Ok(Severity::Info),
            other => Err(format!(
                "unknown severity `{other}` (expected critical, high, medium, low or info)"
            )),
        }
    }
}

/// The outcome of one rule on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Fail,
    Error,
    Waived,
    Pass,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Fail,
        Status::Error,
        Status::Waived,
        Status::Pass,
        Status::NotApplicable,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Waived => "WAIVED",
            Status::Pass => "PASS",
            Status::NotApplicable => "NOT_APPLICABLE",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's metadata, parsed from the `# METADATA` block of its policy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    /// The resource types the rule judges: each one of them gets PASS, FAIL or ERROR.
    pub resource_types: Vec<String>,
    /// Further resource types the rule reads (cross-resource checks): their collection errors make the
    /// rule's results ERROR too.
    #[serde(default)]
    pub requires: Vec<String>,
    pub remediation: String,
    /// Framework name (`fsbp`, `cis-aws-v5`, `prowler`, `nist-800-53-r5`, ...) → control ids.
    pub frameworks: BTreeMap<String, Vec<String>>,
    /// Tunable parameters and their defaults, readable as `data.palisade.config.<name>`.
    #[serde(default)]
    pub parameters: BTreeMap<String, Value>,
    /// The Rego package, e.g. `aws.rds.multi_az`.
    pub package: String,
    /// The policy file, relative to the repository root for built-in rules.
    pub file: String,
    /// The line of the rule's `deny` head (1-based), used as the SARIF location.
    pub line: u32,
    /// `builtin` or `user`.
    pub origin: String,
}

/// One (rule, resource) result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub status: Status,
    pub severity: Severity,
    /// The resource id (ARN), or `*` for a result about a whole scope (a failed collection, a rule
    /// that could not be evaluated).
    pub resource_id: String,
    pub resource_type: String,
    pub account: String,
    pub region: String,
    pub message: String,
    #[serde(default)]
    pub evidence: Value,
    /// Stable identity across runs: hash of rule id, account, region and resource id.
    pub fingerprint: String,
    /// The waiver that matched this result: active on a WAIVED result, expired on a FAIL result (an
    /// expired waiver no longer applies, and says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRef>,
    /// Where the resource is declared, when known (Terraform plans): SARIF puts the finding there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
    /// With `--baseline`: whether this FAIL (or WAIVED) result was already in the previous scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
}

/// A waiver as seen from a result it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverRef {
    /// The waiver's id (`id` in the config, else `<file>#<n>`).
    pub id: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Last day the waiver applies (UTC, inclusive), `YYYY-MM-DD`.
    pub expires: String,
    /// True when the waiver has expired (the result stays FAIL).
    pub expired: bool,
}

/// The state of a waiver in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    /// In force and matched at least one failing result.
    Active,
    /// Past its expiry date: it no longer applies.
    Expired,
    /// In force but matched no failing result (stale, or the finding was fixed).
    Unused,
}

impl WaiverState {
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverState::Active => "active",
            WaiverState::Expired => "expired",
            WaiverState::Unused => "unused",
        }
    }
}

/// A waiver (a time-limited exception) from the configuration, and what it did in this scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverRecord {
    pub id: String,
    /// Rule id the waiver applies to.
    pub rule_id: String,
    /// Resource id (ARN) or glob (`*` any run of characters, `?` one character).
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Last day the waiver applies (UTC, inclusive), `YYYY-MM-DD`.
    pub expires: String,
    pub state: WaiverState,
    /// Failing results the waiver matched (turned into WAIVED when active).
    pub matched: usize,
    /// Where the waiver is defined, `file:line`.
    pub source: String,
}

/// Whether a failing result was in the baseline scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineState {
    New,
    Existing,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Existing => "existing",
        }
    }
}

/// The comparison with a previous scan (`--baseline`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BaselineInfo {
    /// The baseline file as given.
    pub source: String,
    /// `generated_at` of the baseline scan.
    pub generated_at: String,
    /// FAIL results not in the baseline.
    pub new: usize,
    /// FAIL results already failing in the baseline.
    pub existing: usize,
    /// Results that failed in the baseline and do not fail now (fixed, or their resource is gone).
    pub fixed: Vec<FixedFinding>,
}

/// A baseline failure that no longer fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedFinding {
    pub rule_id: String,
    pub severity: Severity,
    pub resource_id: String,
    pub account: String,
    pub region: String,
    pub fingerprint: String,
    /// The baseline's message.
    pub message: String,
    /// The result's status now (`PASS`, or absent when the resource is no longer in the scan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_now: Option<Status>,
}

/// Counts of results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub by_status: BTreeMap<Status, usize>,
    /// FAIL results by severity.
    pub failures_by_severity: BTreeMap<Severity, usize>,
    pub resources: usize,
    pub rules: usize,
    pub collection_errors: usize,
}

impl Summary {
    pub fn count(&self, s: Status) -> usize {
        self.by_status.get(&s).copied().unwrap_or(0)
    }
    pub fn failures(&self, s: Severity) -> usize {
        self.failures_by_severity.get(&s).copied().unwrap_or(0)
    }
}

/// The tool that produced a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

/// Everything a scan found; every report renders one of these and decides nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// The only wall-clock value in a report (or `SOURCE_DATE_EPOCH` when set).
    pub generated_at: String,
    pub provenance: Provenance,
    /// sha256 over the policy files (path and content) that were evaluated.
    pub policy_set_hash: String,
    pub summary: Summary,
    pub rules: Vec<RuleMeta>,
    pub results: Vec<Finding>,
    pub collection_errors: Vec<CollectionError>,
    /// Every configured waiver with its state (active, expired, unused).
    #[serde(default)]
    pub waivers: Vec<WaiverRecord>,
    /// The comparison with a previous scan, when `--baseline` was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineInfo>,
}

impl ScanReport {
    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.iter().find(|r| r.id == id)
    }
    /// Results with this status.
    pub fn with_status(&self, s: Status) -> impl Iterator<Item = &Finding> {
        self.results.iter().filter(move |f| f.status == s)
    }
}

/// Summarizes results (and is the one place counts are computed).
pub fn summarize(
    results: &[Finding],
    resources: usize,
    rules: usize,
    collection_errors: usize,
) -> Summary {
    let mut s = Summary {
        resources,
        rules,
        collection_errors,
        ..Summary::default()
    };
    for st in Status::ALL {
        s.by_status.insert(st, 0);
    }
    for sev in Severity::ALL {
        s.failures_by_severity.insert(sev, 0);
    }
    for f in results {
        *s.by_status.entry(f.status).or_insert(0) += 1;
        if f.status == Status::Fail {
            *s.failures_by_severity.entry(f.severity).or_insert(0) += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_from_info_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert!("severe".parse::<Severity>().is_err());
    }

    #[test]
    fn status_serializes_screaming() {
        assert_eq!(
            serde_json::to_string(&Status::NotApplicable)
                .ok()
                .as_deref(),
            Some("\"NOT_APPLICABLE\"")
        );
    }

    #[test]
    fn inventory_rejects_unknown_fields() {
        let bad = r#"{"schema_version":"1.0","provenance":{"source":"snapshot","collected_at":"2026-01-01T00:00:00Z","tool_version":"x"},"resourcez":[]}"#;
        assert!(serde_json::from_str::<Inventory>(bad).is_err());
    }
}
