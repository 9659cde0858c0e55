//! OCSF for Security Hub, Security Lake and SIEMs: a JSON array of OCSF 1.1.0 **Compliance Finding**
//! events (class 2003, category 2 Findings), one per FAIL, WAIVED and ERROR result.
//!
//! Mapping (OCSF 1.1.0):
//! - `activity_id` 1 Create; `type_uid` = `class_uid` * 100 + `activity_id` = 200301;
//! - `time`: the inventory's `collected_at` in milliseconds since the epoch (the instant the
//!   configuration was observed; the same report gives the same events);
//! - `severity_id`: info 1 Informational, low 2, medium 3, high 4, critical 5;
//! - finding `status_id`: FAIL and ERROR 1 New, WAIVED 3 Suppressed (`status_detail` names the waiver);
//! - `compliance.status_id`: FAIL and WAIVED 3 Fail (a waived result still fails the control), ERROR 99
//!   Other with `status` "Error" (not checked: neither Pass nor Fail); `control` the rule id,
//!   `standards` the frameworks, `requirements` the `framework:control` ids;
//! - `finding_info.uid` the result's stable fingerprint, `title` the rule title, `desc` the message;
//! - `resource` (OCSF 1.1.0 has the singular `resource` in this class; `resources` came in 1.3.0) and
//!   `cloud` (provider AWS, account, region);
//! - `unmapped.palisade`: status, rule, evidence, waiver and baseline state, which OCSF 1.1.0 has no
//!   attribute for.
//!
//! Strings are JSON-escaped by serde_json and otherwise kept as they are: a SIEM gets the data the
//! account holds, hostile or not.
use crate::{RenderOptions, Reporter};
use palisade_model::time::parse_rfc3339_ns;
use palisade_model::{BaselineState, Finding, RuleMeta, ScanReport, Severity, Status, WaiverRef};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

pub struct Ocsf;

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.1.0";
pub const CLASS_UID: u32 = 2003;
pub const CATEGORY_UID: u32 = 2;
pub const ACTIVITY_CREATE: u32 = 1;

#[derive(Serialize)]
struct Event<'a> {
    metadata: Metadata<'a>,
    time: i64,
    class_uid: u32,
    class_name: &'static str,
    category_uid: u32,
    category_name: &'static str,
    activity_id: u32,
    activity_name: &'static str,
    type_uid: u32,
    type_name: &'static str,
    severity_id: u8,
    severity: &'static str,
    status_id: u8,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_detail: Option<String>,
    message: &'a str,
    finding_info: FindingInfo<'a>,
    compliance: Compliance<'a>,
    resource: Resource<'a>,
    cloud: Cloud<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<Remediation<'a>>,
    unmapped: Unmapped<'a>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    version: &'static str,
    product: Product<'a>,
    profiles: [&'static str; 1],
}

#[derive(Serialize)]
struct Product<'a> {
    name: &'static str,
    vendor_name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct FindingInfo<'a> {
    uid: &'a str,
    title: &'a str,
    desc: &'a str,
    types: [&'static str; 1],
}

#[derive(Serialize)]
struct Compliance<'a> {
    control: &'a str,
    standards: Vec<&'a str>,
    requirements: Vec<String>,
    status_id: u8,
    status: &'static str,
    status_code: &'static str,
    status_detail: &'a str,
}

#[derive(Serialize)]
struct Resource<'a> {
    uid: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    region: &'a str,
}

#[derive(Serialize)]
struct Cloud<'a> {
    provider: &'static str,
    region: &'a str,
    account: Account<'a>,
}

#[derive(Serialize)]
struct Account<'a> {
    uid: &'a str,
}

#[derive(Serialize)]
struct Remediation<'a> {
    desc: &'a str,
}

#[derive(Serialize)]
struct Unmapped<'a> {
    palisade: Palisade<'a>,
}

#[derive(Serialize)]
struct Palisade<'a> {
    status: &'static str,
    rule_id: &'a str,
    severity: &'static str,
    evidence: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a WaiverRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineState>,
    policy_set_hash: &'a str,
}

/// OCSF `severity_id` and its caption.
pub fn severity(s: Severity) -> (u8, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// OCSF finding `status_id` and caption for a result that becomes an event.
pub fn finding_status(s: Status) -> Option<(u8, &'static str)> {
    match s {
        Status::Fail | Status::Error => Some((1, "New")),
        Status::Waived => Some((3, "Suppressed")),
        Status::Pass | Status::NotApplicable => None,
    }
}

/// OCSF `compliance.status_id` and caption.
pub fn compliance_status(s: Status) -> (u8, &'static str) {
    match s {
        Status::Pass => (1, "Pass"),
        Status::Fail | Status::Waived => (3, "Fail"),
        Status::Error | Status::NotApplicable => (99, "Error"),
    }
}

fn waiver_detail(w: &WaiverRef) -> String {
    let owner = w
        .owner
        .as_deref()
        .map(|o| format!(", owner {o}"))
        .unwrap_or_default();
    if w.expired {
        format!(
            "waiver {} expired after {}{owner}; it no longer applies: {}",
            w.id, w.expires, w.reason
        )
    } else {
        format!(
            "waived by {} until {}{owner}: {}",
            w.id, w.expires, w.reason
        )
    }
}

fn event<'a>(
    r: &'a ScanReport,
    f: &'a Finding,
    rule: Option<&'a RuleMeta>,
    time: i64,
) -> Option<Event<'a>> {
    let (status_id, status) = finding_status(f.status)?;
    let (severity_id, severity) = severity(f.severity);
    let (cstatus_id, cstatus) = compliance_status(f.status);
    let standards: Vec<&str> = rule
        .map(|m| {
            m.frameworks
                .iter()
                .filter(|(_, ids)| !ids.is_empty())
                .map(|(fw, _)| fw.as_str())
                .collect()
        })
        .filter(|v: &Vec<&str>| !v.is_empty())
        // `standards` is required: a rule mapped to no framework is palisade's own control.
        .unwrap_or_else(|| vec!["palisade"]);
    let requirements: Vec<String> = rule
        .map(|m| {
            m.frameworks
                .iter()
                .flat_map(|(fw, ids)| ids.iter().map(move |id| format!("{fw}:{id}")))
                .collect()
        })
        .unwrap_or_default();
    Some(Event {
        metadata: Metadata {
            version: OCSF_VERSION,
            product: Product {
                name: "palisade",
                vendor_name: "palisade",
                version: &r.tool.version,
            },
            profiles: ["cloud"],
        },
        time,
        class_uid: CLASS_UID,
        class_name: "Compliance Finding",
        category_uid: CATEGORY_UID,
        category_name: "Findings",
        activity_id: ACTIVITY_CREATE,
        activity_name: "Create",
        type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
        type_name: "Compliance Finding: Create",
        severity_id,
        severity,
        status_id,
        status,
        status_detail: f.waiver.as_ref().map(waiver_detail),
        message: &f.message,
        finding_info: FindingInfo {
            uid: &f.fingerprint,
            title: rule.map_or(f.rule_id.as_str(), |m| m.title.as_str()),
            desc: &f.message,
            types: ["Software and Configuration Checks"],
        },
        compliance: Compliance {
            control: &f.rule_id,
            standards,
            requirements,
            status_id: cstatus_id,
            status: cstatus,
            status_code: f.status.as_str(),
            status_detail: &f.message,
        },
        resource: Resource {
            uid: &f.resource_id,
            resource_type: &f.resource_type,
            region: &f.region,
        },
        cloud: Cloud {
            provider: "AWS",
            region: &f.region,
            account: Account { uid: &f.account },
        },
        remediation: rule
            .filter(|m| !m.remediation.is_empty())
            .map(|m| Remediation {
                desc: &m.remediation,
            }),
        unmapped: Unmapped {
            palisade: Palisade {
                status: f.status.as_str(),
                rule_id: &f.rule_id,
                severity: f.severity.as_str(),
                evidence: &f.evidence,
                waiver: f.waiver.as_ref(),
                baseline: f.baseline,
                policy_set_hash: &r.policy_set_hash,
            },
        },
    })
}

impl Reporter for Ocsf {
    fn render(&self, r: &ScanReport, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let time = parse_rfc3339_ns(&r.provenance.collected_at)
            .or_else(|| parse_rfc3339_ns(&r.generated_at))
            .map_or(0, |ns| ns.div_euclid(1_000_000));
        let events: Vec<Event> = r
            .results
            .iter()
            .filter_map(|f| event(r, f, r.rule(&f.rule_id), time))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &events)?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::*;
    use crate::{render_to_string, Format};

    fn events(r: &ScanReport) -> Vec<Value> {
        let text = render_to_string(Format::Ocsf, r, &RenderOptions::default());
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(a)) => a,
            Ok(other) => panic!("not a JSON array: {other}"),
            Err(e) => panic!("invalid JSON: {e}"),
        }
    }

    fn schema() -> jsonschema::Validator {
        let text =
            include_str!("../../tests/fixtures/report/ocsf-1.1.0-compliance-finding.schema.json");
        let schema: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("OCSF subset schema: {e}"),
        };
        match jsonschema::validator_for(&schema) {
            Ok(v) => v,
            Err(e) => panic!("OCSF subset schema: {e}"),
        }
    }

    #[test]
    fn ocsf_matches_the_snapshot() {
        check_snapshot(
            "report.ocsf.json",
            &render_to_string(Format::Ocsf, &fixture(), &RenderOptions::default()),
        );
    }

    #[test]
    fn ocsf_is_deterministic() {
        let r = with_waivers_and_baseline();
        let o = RenderOptions::default();
        assert_eq!(
            render_to_string(Format::Ocsf, &r, &o),
            render_to_string(Format::Ocsf, &r, &o)
        );
    }

    #[test]
    fn ocsf_has_one_event_per_fail_waived_and_error_result() {
        for r in [fixture(), with_waivers_and_baseline()] {
            let ev = events(&r);
            let s = &r.summary;
            assert_eq!(
                ev.len(),
                s.count(Status::Fail) + s.count(Status::Waived) + s.count(Status::Error)
            );
            let uids: Vec<&str> = ev
                .iter()
                .filter_map(|e| e["finding_info"]["uid"].as_str())
                .collect();
            let want: Vec<&str> = r
                .results
                .iter()
                .filter(|f| matches!(f.status, Status::Fail | Status::Waived | Status::Error))
                .map(|f| f.fingerprint.as_str())
                .collect();
            assert_eq!(uids, want);
        }
    }

    #[test]
    fn ocsf_events_have_the_required_attributes_and_valid_enums() {
        let v = schema();
        for r in [fixture(), with_waivers_and_baseline(), hostile()] {
            for e in events(&r) {
                let errors: Vec<String> = v.iter_errors(&e).map(|x| x.to_string()).collect();
                assert!(errors.is_empty(), "{errors:?} in {e}");
                assert_eq!(e["class_uid"], 2003);
                assert_eq!(e["category_uid"], 2);
                assert_eq!(e["activity_id"], 1);
                assert_eq!(e["type_uid"], 200301);
                assert_eq!(e["metadata"]["version"], "1.1.0");
                assert_eq!(e["metadata"]["product"]["name"], "palisade");
                assert_eq!(e["metadata"]["product"]["vendor_name"], "palisade");
                assert_eq!(e["metadata"]["product"]["version"], r.tool.version.as_str());
                // 2026-11-27T00:00:00Z
                assert_eq!(e["time"], 1_795_737_600_000_i64);
                assert!(e["finding_info"]["uid"]
                    .as_str()
                    .is_some_and(|u| !u.is_empty()));
                let sev = e["severity_id"].as_u64().unwrap_or(0);
                assert!((1..=5).contains(&sev), "severity_id {sev}");
                let caption =
                    ["Informational", "Low", "Medium", "High", "Critical"][sev as usize - 1];
                assert_eq!(e["severity"], caption);
                let c = &e["compliance"];
                match e["unmapped"]["palisade"]["status"].as_str() {
                    Some("FAIL") => {
                        assert_eq!((&e["status_id"], &e["status"]), (&1.into(), &"New".into()));
                        assert_eq!((&c["status_id"], &c["status"]), (&3.into(), &"Fail".into()));
                    }
                    Some("WAIVED") => {
                        assert_eq!(
                            (&e["status_id"], &e["status"]),
                            (&3.into(), &"Suppressed".into())
                        );
                        assert_eq!((&c["status_id"], &c["status"]), (&3.into(), &"Fail".into()));
                        assert!(e["unmapped"]["palisade"]["waiver"]["id"].is_string());
                    }
                    Some("ERROR") => {
                        assert_eq!((&e["status_id"], &e["status"]), (&1.into(), &"New".into()));
                        assert_eq!(
                            (&c["status_id"], &c["status"]),
                            (&99.into(), &"Error".into())
                        );
                    }
                    other => panic!("unexpected status {other:?}"),
                }
                assert!(c["standards"].as_array().is_some_and(|s| !s.is_empty()));
            }
        }
    }

    #[test]
    fn ocsf_subset_schema_refuses_what_1_1_0_does_not_have() {
        let v = schema();
        let Some(good) = events(&fixture()).into_iter().next() else {
            panic!("no events");
        };
        assert!(v.is_valid(&good));
        let mut bad = good.clone();
        bad["resources"] = serde_json::json!([{"uid": "x"}]);
        assert!(
            !v.is_valid(&bad),
            "`resources` is not a 1.1.0 Compliance Finding attribute"
        );
        let mut bad = good.clone();
        bad["severity_id"] = 7.into();
        assert!(!v.is_valid(&bad));
        let mut bad = good.clone();
        bad["compliance"]["status_id"] = 4.into();
        assert!(!v.is_valid(&bad));
        let mut bad = good;
        if let Some(m) = bad.as_object_mut() {
            m.remove("finding_info");
        }
        assert!(!v.is_valid(&bad));
    }

    #[test]
    fn ocsf_maps_frameworks_waivers_and_the_baseline() {
        let r = with_waivers_and_baseline();
        let ev = events(&r);
        let Some(alb) = events(&fixture())
            .into_iter()
            .find(|e| e["compliance"]["control"] == "ALB-01")
        else {
            panic!("no ALB-01 event");
        };
        assert_eq!(
            alb["compliance"]["standards"],
            serde_json::json!(["aws-config", "fsbp", "nist-800-53-r5", "prowler"])
        );
        assert_eq!(
            alb["compliance"]["requirements"],
            serde_json::json!([
                "aws-config:alb-http-to-https-redirection-check",
                "fsbp:ELB.1",
                "nist-800-53-r5:AC-4",
                "nist-800-53-r5:AC-17(2)",
                "nist-800-53-r5:IA-5(1)",
                "nist-800-53-r5:SC-7(4)",
                "nist-800-53-r5:SC-8",
                "nist-800-53-r5:SC-8(1)",
                "nist-800-53-r5:SC-8(2)",
                "nist-800-53-r5:SC-12(3)",
                "nist-800-53-r5:SC-13",
                "nist-800-53-r5:SC-23",
                "nist-800-53-r5:SC-23(3)",
                "nist-800-53-r5:SI-7(6)",
                "prowler:elbv2_ssl_listeners"
            ])
        );
        assert_eq!(
            alb["finding_info"]["title"],
            "ALB HTTP listeners redirect to HTTPS"
        );
        assert_eq!(alb["cloud"]["provider"], "AWS");
        assert!(alb["remediation"]["desc"]
            .as_str()
            .is_some_and(|d| d.starts_with("Replace")));
        let Some(expired) = ev
            .iter()
            .find(|e| e["unmapped"]["palisade"]["waiver"]["id"] == EXPIRED_ID)
        else {
            panic!("no event with the expired waiver");
        };
        assert_eq!(expired["status"], "New");
        assert_eq!(expired["unmapped"]["palisade"]["waiver"]["expired"], true);
        assert!(expired["status_detail"]
            .as_str()
            .is_some_and(|d| d.contains("expired after 2026-01-31")));
        let Some(waived) = ev
            .iter()
            .find(|e| e["unmapped"]["palisade"]["waiver"]["id"] == ACTIVE_ID)
        else {
            panic!("no event with the active waiver");
        };
        assert_eq!(waived["status"], "Suppressed");
        assert!(waived["status_detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("waived by test-active-waiver until 2099-12-31")));
        assert!(ev
            .iter()
            .any(|e| e["unmapped"]["palisade"]["baseline"] == "new"));
        assert!(ev
            .iter()
            .any(|e| e["unmapped"]["palisade"]["baseline"] == "existing"));
    }

    #[test]
    fn ocsf_keeps_hostile_text_as_data() {
        let r = hostile();
        let ev = events(&r);
        for f in r
            .results
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Waived | Status::Error))
        {
            let Some(e) = ev
                .iter()
                .find(|e| e["finding_info"]["uid"] == f.fingerprint.as_str())
            else {
                panic!("no event for {}", f.fingerprint);
            };
            assert_eq!(e["message"], f.message.as_str());
            assert_eq!(e["resource"]["uid"], f.resource_id.as_str());
            assert_eq!(e["cloud"]["account"]["uid"], f.account.as_str());
            assert_eq!(e["unmapped"]["palisade"]["evidence"], f.evidence);
        }
        let all = serde_json::to_string(&ev).unwrap_or_default();
        for h in HOSTILE {
            assert!(
                ev.iter().any(|e| e["message"] == h),
                "{h:?} is not kept verbatim"
            );
        }
        // Raw control characters only ever appear JSON-escaped.
        let text = render_to_string(Format::Ocsf, &r, &RenderOptions::default());
        assert!(!text.contains('\u{1b}') && text.contains("\\u001b["));
        assert!(all.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn ocsf_severity_and_status_maps_cover_every_value() {
        let ids: Vec<u8> = Severity::ALL.iter().map(|s| severity(*s).0).collect();
        assert_eq!(ids, vec![5, 4, 3, 2, 1]);
        assert_eq!(finding_status(Status::Pass), None);
        assert_eq!(finding_status(Status::NotApplicable), None);
        assert_eq!(compliance_status(Status::Pass), (1, "Pass"));
    }
}
