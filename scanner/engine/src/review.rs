//! What happens to results after evaluation and before any report: waivers (time-limited exceptions)
//! and the comparison with a previous scan (baseline). Both change statuses and annotations here, once,
//! so that every report shows the same thing.

use palisade_model::{
    summarize, BaselineInfo, BaselineState, FixedFinding, ScanReport, Status, WaiverRecord,
    WaiverRef, WaiverState,
};
use std::collections::{BTreeMap, BTreeSet};

/// A waiver as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub id: String,
    pub rule_id: String,
    /// Resource id (ARN) or glob: `*` matches any run of characters, `?` one character.
    pub resource: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub reason: String,
    pub owner: Option<String>,
    /// Last day it applies, `YYYY-MM-DD` (UTC, inclusive).
    pub expires: String,
    /// `file:line` of its definition.
    pub source: String,
}

/// Whether `text` matches the glob `pattern` (`*` any run, `?` one character, everything else literal).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Whether `date` (`YYYY-MM-DD`) is a valid calendar date.
pub fn valid_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        parts[0].parse::<u32>(),
        parts[1].parse::<u32>(),
        parts[2].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn matches(w: &Waiver, f: &palisade_model::Finding) -> bool {
    w.rule_id == f.rule_id
        && glob_match(&w.resource, &f.resource_id)
        && w.account.as_ref().is_none_or(|a| a == &f.account)
        && w.region.as_ref().is_none_or(|r| r == &f.region)
}

/// Applies `waivers` on `today` (`YYYY-MM-DD`): a FAIL result matched by a waiver in force becomes
/// WAIVED; one matched only by an expired waiver stays FAIL and names the expired waiver. ERROR results
/// are never waived (what could not be checked is not an accepted risk). Records every waiver's state
/// and recomputes the summary.
pub fn apply_waivers(report: &mut ScanReport, waivers: &[Waiver], today: &str) {
    let mut matched = vec![0usize; waivers.len()];
    for f in report.results.iter_mut() {
        if f.status != Status::Fail {
            continue;
        }
        let hits: Vec<usize> = (0..waivers.len())
            .filter(|&i| matches(&waivers[i], f))
            .collect();
        for &i in &hits {
            matched[i] += 1;
        }
        // An active waiver wins; among several, the one that lasts longest.
        let active = hits
            .iter()
            .copied()
            .filter(|&i| waivers[i].expires.as_str() >= today)
            .max_by(|&a, &b| waivers[a].expires.cmp(&waivers[b].expires));
        let chosen = active.or_else(|| {
            hits.iter()
                .copied()
                .max_by(|&a, &b| waivers[a].expires.cmp(&waivers[b].expires))
        });
        if let Some(i) = chosen {
            let w = &waivers[i];
            let expired = w.expires.as_str() < today;
            f.waiver = Some(WaiverRef {
                id: w.id.clone(),
                reason: w.reason.clone(),
                owner: w.owner.clone(),
                expires: w.expires.clone(),
                expired,
            });
            if !expired {
                f.status = Status::Waived;
            }
        }
    }
    report.waivers = waivers
        .iter()
        .zip(matched)
        .map(|(w, n)| WaiverRecord {
            id: w.id.clone(),
            rule_id: w.rule_id.clone(),
            resource: w.resource.clone(),
            account: w.account.clone(),
            region: w.region.clone(),
            reason: w.reason.clone(),
            owner: w.owner.clone(),
            expires: w.expires.clone(),
            state: if w.expires.as_str() < today {
                WaiverState::Expired
            } else if n > 0 {
                WaiverState::Active
            } else {
                WaiverState::Unused
            },
            matched: n,
            source: w.source.clone(),
        })
        .collect();
    resummarize(report);
}

/// Recomputes the summary after statuses changed.
pub fn resummarize(report: &mut ScanReport) {
    report.summary = summarize(
        &report.results,
        report.summary.resources,
        report.summary.rules,
        report.summary.collection_errors,
    );
}

fn failing(s: Status) -> bool {
    matches!(s, Status::Fail | Status::Waived)
}

/// Compares `report` with a `previous` scan: each FAIL or WAIVED result is new or existing (by its
/// fingerprint: rule, account, region, resource — independent of ordering), and the previous failures
/// that now PASS or whose resource is gone are listed as fixed. A previous failure that is now ERROR is
/// not fixed: it could not be checked.
pub fn compare_baseline(report: &mut ScanReport, previous: &ScanReport, source: &str) {
    let before: BTreeSet<&str> = previous
        .results
        .iter()
        .filter(|f| failing(f.status))
        .map(|f| f.fingerprint.as_str())
        .collect();
    let (mut new, mut existing) = (0, 0);
    for f in report.results.iter_mut() {
        if !failing(f.status) {
            continue;
        }
        let state = if before.contains(f.fingerprint.as_str()) {
            BaselineState::Existing
        } else {
            BaselineState::New
        };
        if f.status == Status::Fail {
            match state {
                BaselineState::New => new += 1,
                BaselineState::Existing => existing += 1,
            }
        }
        f.baseline = Some(state);
    }
    let now: BTreeMap<&str, Status> = report
        .results
        .iter()
        .map(|f| (f.fingerprint.as_str(), f.status))
        .collect();
    let mut seen = BTreeSet::new();
    let mut fixed: Vec<FixedFinding> = previous
        .results
        .iter()
        .filter(|f| failing(f.status))
        .filter(|f| seen.insert(f.fingerprint.as_str()))
        .filter_map(|f| {
            let status_now = now.get(f.fingerprint.as_str()).copied();
            match status_now {
                None | Some(Status::Pass) | Some(Status::NotApplicable) => Some(FixedFinding {
                    rule_id: f.rule_id.clone(),
                    severity: f.severity,
                    resource_id: f.resource_id.clone(),
                    account: f.account.clone(),
                    region: f.region.clone(),
                    fingerprint: f.fingerprint.clone(),
                    message: f.message.clone(),
                    status_now,
                }),
                _ => None,
            }
        })
        .collect();
    fixed.sort_by(|a, b| {
        (&a.rule_id, &a.account, &a.region, &a.resource_id).cmp(&(
            &b.rule_id,
            &b.account,
            &b.region,
            &b.resource_id,
        ))
    });
    report.baseline = Some(BaselineInfo {
        source: source.to_string(),
        generated_at: previous.generated_at.clone(),
        new,
        existing,
        fixed,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_model::{Finding, Severity};

    #[test]
    fn globs() {
        assert!(glob_match("arn:aws:s3:::logs-*", "arn:aws:s3:::logs-2026"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match(
            "*sg-0*f",
            "arn:aws:ec2:eu-west-1:1:security-group/sg-0abf"
        ));
        assert!(!glob_match("arn:aws:s3:::logs", "arn:aws:s3:::logs-2026"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
    }

    #[test]
    fn dates() {
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2026-13-01"));
        assert!(!valid_date("2026-1-01"));
        assert!(!valid_date("tomorrow"));
    }

    fn finding(rule: &str, res: &str, status: Status) -> Finding {
        Finding {
            rule_id: rule.into(),
            status,
            severity: Severity::High,
            resource_id: res.into(),
            resource_type: "t".into(),
            account: "1".into(),
            region: "r".into(),
            message: "m".into(),
            evidence: serde_json::Value::Null,
            fingerprint: crate::fingerprint(rule, "1", "r", res),
            waiver: None,
            location: None,
            baseline: None,
        }
    }

    fn report(results: Vec<Finding>) -> ScanReport {
        let parsed = serde_json::from_value::<ScanReport>(serde_json::json!({
            "schema_version": "1.0",
            "tool": {"name": "palisade", "version": "0"},
            "generated_at": "2026-01-01T00:00:00Z",
            "provenance": {"source": "snapshot", "collected_at": "2026-01-01T00:00:00Z", "tool_version": "0"},
            "policy_set_hash": "",
            "summary": {"by_status": {}, "failures_by_severity": {}, "resources": 0, "rules": 0, "collection_errors": 0},
            "rules": [],
            "results": results,
            "collection_errors": [],
        }));
        match parsed {
            Ok(r) => r,
            Err(e) => panic!("report fixture: {e}"),
        }
    }

    fn waiver(id: &str, rule: &str, res: &str, expires: &str) -> Waiver {
        Waiver {
            id: id.into(),
            rule_id: rule.into(),
            resource: res.into(),
            account: None,
            region: None,
            reason: "accepted".into(),
            owner: Some("sec".into()),
            expires: expires.into(),
            source: "palisade.toml:1".into(),
        }
    }

    #[test]
    fn active_expired_unused() {
        let mut r = report(vec![
            finding("SG-01", "sg-a", Status::Fail),
            finding("SG-01", "sg-b", Status::Fail),
            finding("SG-01", "sg-c", Status::Pass),
            finding("SG-02", "sg-a", Status::Error),
        ]);
        let ws = vec![
            waiver("active", "SG-01", "sg-a", "2026-06-30"),
            waiver("expired", "SG-01", "sg-b", "2026-06-01"),
            waiver("unused", "SG-01", "sg-z*", "2026-12-31"),
            waiver("not-for-errors", "SG-02", "*", "2026-12-31"),
        ];
        apply_waivers(&mut r, &ws, "2026-06-02");
        assert_eq!(r.results[0].status, Status::Waived);
        assert_eq!(
            r.results[0].waiver.as_ref().map(|w| w.id.as_str()),
            Some("active")
        );
        assert_eq!(r.results[1].status, Status::Fail);
        assert_eq!(r.results[1].waiver.as_ref().map(|w| w.expired), Some(true));
        assert_eq!(r.results[3].status, Status::Error);
        let states: Vec<WaiverState> = r.waivers.iter().map(|w| w.state).collect();
        assert_eq!(
            states,
            vec![
                WaiverState::Active,
                WaiverState::Expired,
                WaiverState::Unused,
                WaiverState::Unused
            ]
        );
        assert_eq!(r.summary.count(Status::Waived), 1);
        assert_eq!(r.summary.count(Status::Fail), 1);
        // The last day of a waiver is included.
        let mut r2 = report(vec![finding("SG-01", "sg-a", Status::Fail)]);
        apply_waivers(&mut r2, &ws[..1], "2026-06-30");
        assert_eq!(r2.results[0].status, Status::Waived);
        apply_waivers(&mut r2, &ws[..1], "2026-07-01");
        assert_eq!(r2.results[0].status, Status::Waived, "already waived stays");
    }

    #[test]
    fn baseline_new_existing_fixed() {
        let prev = report(vec![
            finding("SG-01", "sg-a", Status::Fail),
            finding("SG-01", "sg-b", Status::Fail),
            finding("SG-01", "sg-gone", Status::Fail),
            finding("SG-01", "sg-err", Status::Fail),
        ]);
        let mut now = report(vec![
            finding("SG-01", "sg-new", Status::Fail),
            finding("SG-01", "sg-b", Status::Pass),
            finding("SG-01", "sg-a", Status::Fail),
            finding("SG-01", "sg-err", Status::Error),
        ]);
        compare_baseline(&mut now, &prev, "prev.json");
        assert_eq!(now.results[0].baseline, Some(BaselineState::New));
        assert_eq!(now.results[2].baseline, Some(BaselineState::Existing));
        assert_eq!(now.results[1].baseline, None);
        let Some(b) = now.baseline else {
            panic!("no baseline info")
        };
        assert_eq!((b.new, b.existing), (1, 1));
        let fixed: Vec<&str> = b.fixed.iter().map(|f| f.resource_id.as_str()).collect();
        assert_eq!(fixed, vec!["sg-b", "sg-gone"]);
    }
}
