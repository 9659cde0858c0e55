//! WAFv2: web ACLs in full (rules and their statements in Terraform's shape), logging configurations, IP
//! sets, and which load balancers and user pools each regional ACL protects. CloudFront-scope ACLs are
//! read from us-east-1 and reported in `global`; a distribution names its ACL itself (`web_acl_id`).
use super::{Collector, Placement};
use crate::scope::{service_code, Scope};
use aws_sdk_wafv2::types::{
    ManagedRuleGroupStatement, RuleAction, Scope as WafScope, Statement, WebAcl,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "wafv2",
    placement: Placement::Regional,
    types: &[
        "aws_wafv2_web_acl",
        "aws_wafv2_web_acl_logging_configuration",
        "aws_wafv2_ip_set",
        "aws_wafv2_web_acl_association",
    ],
    actions: &[
        "wafv2:ListWebACLs",
        "wafv2:GetWebACL",
        "wafv2:ListLoggingConfigurations",
        "wafv2:ListIPSets",
        "wafv2:GetIPSet",
        "wafv2:GetWebACLForResource",
    ],
};

fn flag() -> Value {
    json!([{}])
}

fn rule_action(a: &RuleAction) -> Value {
    let mut m = Map::new();
    if a.block().is_some() {
        m.insert("block".into(), flag());
    }
    if a.allow().is_some() {
        m.insert("allow".into(), flag());
    }
    if a.count().is_some() {
        m.insert("count".into(), flag());
    }
    if a.captcha().is_some() {
        m.insert("captcha".into(), flag());
    }
    if a.challenge().is_some() {
        m.insert("challenge".into(), flag());
    }
    Value::Object(m)
}

fn managed(g: &ManagedRuleGroupStatement) -> Value {
    json!([{
        "vendor_name": g.vendor_name(),
        "name": g.name(),
        "version": g.version(),
        "excluded_rule": g.excluded_rules().iter().map(|r| json!({"name": r.name()})).collect::<Vec<_>>(),
        "rule_action_override": g.rule_action_overrides().iter().map(|o| json!({
            "name": o.name(),
            "action_to_use": o.action_to_use().map(|a| vec![rule_action(a)]).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "scope_down_statement": g.scope_down_statement().map(|s| vec![statement(s)]),
    }])
}

/// A WAF statement in Terraform's nested-block shape (recursive for and/or/not and scope-down).
pub fn statement(st: &Statement) -> Value {
    let mut m = Map::new();
    if let Some(r) = st.rate_based_statement() {
        m.insert(
            "rate_based_statement".into(),
            json!([{
                "limit": r.limit(),
                "aggregate_key_type": r.aggregate_key_type().as_str(),
                "evaluation_window_sec": r.evaluation_window_sec(),
                "scope_down_statement": r.scope_down_statement().map(|s| vec![statement(s)]),
            }]),
        );
    }
    if let Some(g) = st.managed_rule_group_statement() {
        m.insert("managed_rule_group_statement".into(), managed(g));
    }
    if let Some(i) = st.ip_set_reference_statement() {
        m.insert(
            "ip_set_reference_statement".into(),
            json!([{"arn": i.arn()}]),
        );
    }
    if let Some(g) = st.rule_group_reference_statement() {
        m.insert(
            "rule_group_reference_statement".into(),
            json!([{"arn": g.arn(), "excluded_rule": g.excluded_rules().iter().map(|r| json!({"name": r.name()})).collect::<Vec<_>>()}]),
        );
    }
    if let Some(a) = st.and_statement() {
        m.insert(
            "and_statement".into(),
            json!([{"statement": a.statements().iter().map(statement).collect::<Vec<_>>()}]),
        );
    }
    if let Some(o) = st.or_statement() {
        m.insert(
            "or_statement".into(),
            json!([{"statement": o.statements().iter().map(statement).collect::<Vec<_>>()}]),
        );
    }
    if let Some(n) = st.not_statement() {
        m.insert(
            "not_statement".into(),
            json!([{"statement": n.statement().map(|s| vec![statement(s)]).unwrap_or_default()}]),
        );
    }
    if let Some(g) = st.geo_match_statement() {
        m.insert(
            "geo_match_statement".into(),
            json!([{"country_codes": g.country_codes().iter().map(|x| x.as_str()).collect::<Vec<_>>()}]),
        );
    }
    for (present, key) in [
        (st.byte_match_statement().is_some(), "byte_match_statement"),
        (st.sqli_match_statement().is_some(), "sqli_match_statement"),
        (st.xss_match_statement().is_some(), "xss_match_statement"),
        (
            st.size_constraint_statement().is_some(),
            "size_constraint_statement",
        ),
        (
            st.label_match_statement().is_some(),
            "label_match_statement",
        ),
        (
            st.regex_match_statement().is_some(),
            "regex_match_statement",
        ),
        (
            st.regex_pattern_set_reference_statement().is_some(),
            "regex_pattern_set_reference_statement",
        ),
    ] {
        if present {
            m.insert(key.into(), flag());
        }
    }
    Value::Object(m)
}

fn visibility(v: Option<&aws_sdk_wafv2::types::VisibilityConfig>) -> Value {
    v.map(|v| {
        json!([{
            "cloudwatch_metrics_enabled": v.cloud_watch_metrics_enabled(),
            "sampled_requests_enabled": v.sampled_requests_enabled(),
            "metric_name": v.metric_name(),
        }])
    })
    .unwrap_or(Value::Null)
}

/// A web ACL in Terraform's shape.
pub fn web_acl(acl: &WebAcl, scope: &str) -> Value {
    let rules: Vec<Value> = acl
        .rules()
        .iter()
        .map(|r| {
            json!({
                "name": r.name(),
                "priority": r.priority(),
                "action": r.action().map(|a| vec![rule_action(a)]),
                "override_action": r.override_action().map(|o| {
                    let mut m = Map::new();
                    if o.none().is_some() { m.insert("none".into(), flag()); }
                    if o.count().is_some() { m.insert("count".into(), flag()); }
                    vec![Value::Object(m)]
                }),
                "statement": r.statement().map(|s| vec![statement(s)]),
                "visibility_config": visibility(r.visibility_config()),
            })
        })
        .collect();
    let default_action = acl.default_action().map(|d| {
        let mut m = Map::new();
        if d.block().is_some() {
            m.insert("block".into(), flag());
        }
        if d.allow().is_some() {
            m.insert("allow".into(), flag());
        }
        vec![Value::Object(m)]
    });
    json!({
        "id": acl.id(),
        "arn": acl.arn(),
        "name": acl.name(),
        "scope": scope,
        "description": acl.description(),
        "default_action": default_action,
        "rule": rules,
        "visibility_config": visibility(acl.visibility_config()),
        "managed_by_firewall_manager": acl.managed_by_firewall_manager(),
        "firewall_manager_rule_groups": acl.pre_process_firewall_manager_rule_groups().len() + acl.post_process_firewall_manager_rule_groups().len(),
    })
}

const SVC: &str = "wafv2";

/// WAFv2 pages with NextMarker and has no SDK paginator: follow a marker while it is new and the page
/// was not empty (a short page may still have a successor, so the page size proves nothing).
fn more_pages(previous: &Option<String>, next: &str, page_len: usize) -> bool {
    !next.is_empty() && previous.as_deref() != Some(next) && page_len > 0
}

/// Every item of a WAFv2 listing, page after page: `$request` is the list request without its marker,
/// `$items` the output's item list. WAFv2 pages with NextMarker and has no SDK paginator. A failed page is
/// an error for `$types` in this scope, and the items of the pages before it are kept.
macro_rules! all_pages {
    ($s:expr, $request:expr, $items:ident, $op:literal, $types:expr) => {{
        let mut all = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            match $request
                .limit(100)
                .set_next_marker(marker.clone())
                .send()
                .await
            {
                Ok(out) => {
                    let page = out.$items();
                    all.extend(page.iter().cloned());
                    match out.next_marker() {
                        Some(m) if more_pages(&marker, m, page.len()) => {
                            marker = Some(m.to_string())
                        }
                        _ => break,
                    }
                }
                Err(e) => {
                    $s.error(SVC, $op, $types, None, &e);
                    break;
                }
            }
        }
        all
    }};
}

/// ACLs, logging configurations and IP sets of one scope. `report_region` is `global` for CLOUDFRONT.
async fn collect_scope(s: &Scope, scope: WafScope, report_region: &str) {
    let c = client!(aws_sdk_wafv2, s);
    let scope_name = scope.as_str().to_string();
    // Web ACLs.
    let summaries = all_pages!(
        s,
        c.list_web_acls().scope(scope.clone()),
        web_acls,
        "ListWebACLs",
        &["aws_wafv2_web_acl"]
    );
    let fetched = s
        .each(summaries, |sum| {
            let c = c.clone();
            let scope = scope.clone();
            async move {
                let r = c
                    .get_web_acl()
                    .scope(scope)
                    .name(sum.name().unwrap_or_default())
                    .id(sum.id().unwrap_or_default())
                    .send()
                    .await;
                (sum, r)
            }
        })
        .await;
    let mut acl_arns = Vec::new();
    for (sum, r) in fetched {
        let arn = sum.arn().unwrap_or_default().to_string();
        acl_arns.push(arn.clone());
        match r {
            Ok(out) => {
                if let Some(acl) = out.web_acl() {
                    s.push_in(
                        report_region,
                        "aws_wafv2_web_acl",
                        arn,
                        Some(acl.name().to_string()),
                        web_acl(acl, &scope_name),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => s.error(SVC, "GetWebACL", &["aws_wafv2_web_acl"], Some(&arn), &e),
        }
    }
    // Logging configurations: one listing per scope (pages of 100), not one GetLoggingConfiguration per
    // ACL. Only the configurations of the ACLs listed above are kept (a listing is per scope and region; the
    // set also guards against a server that ignores the scope). An ACL without one logs nothing: data. If
    // the listing fails, every ACL's logging is unknown: one error for the type in this scope.
    if !acl_arns.is_empty() {
        let wanted: std::collections::BTreeSet<&str> =
            acl_arns.iter().map(String::as_str).collect();
        let configs = all_pages!(
            s,
            c.list_logging_configurations().scope(scope.clone()),
            logging_configurations,
            "ListLoggingConfigurations",
            &["aws_wafv2_web_acl_logging_configuration"]
        );
        for l in configs {
            let arn = l.resource_arn();
            if !wanted.contains(arn) {
                continue;
            }
            s.push_in(
                report_region,
                "aws_wafv2_web_acl_logging_configuration",
                format!("{arn}/logging"),
                None,
                json!({"resource_arn": arn, "log_destination_configs": l.log_destination_configs()}),
                BTreeMap::new(),
            );
        }
    }
    // IP sets (addresses need GetIPSet).
    let sets = all_pages!(
        s,
        c.list_ip_sets().scope(scope.clone()),
        ip_sets,
        "ListIPSets",
        &["aws_wafv2_ip_set"]
    );
    let fetched = s
        .each(sets, |set| {
            let c = c.clone();
            let scope = scope.clone();
            async move {
                let r = c
                    .get_ip_set()
                    .scope(scope)
                    .name(set.name().unwrap_or_default())
                    .id(set.id().unwrap_or_default())
                    .send()
                    .await;
                (set, r)
            }
        })
        .await;
    for (set, r) in fetched {
        let arn = set.arn().unwrap_or_default().to_string();
        match r {
            Ok(out) => {
                if let Some(ip) = out.ip_set() {
                    s.push_in(
                        report_region,
                        "aws_wafv2_ip_set",
                        arn,
                        Some(ip.name().to_string()),
                        json!({
                            "name": ip.name(), "scope": scope_name,
                            "ip_address_version": ip.ip_address_version().as_str(),
                            "addresses": ip.addresses(),
                        }),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => s.error(SVC, "GetIPSet", &["aws_wafv2_ip_set"], Some(&arn), &e),
        }
    }
}

/// REGIONAL resources of this region, plus the CLOUDFRONT scope when the region is us-east-1.
pub async fn collect(s: &Scope) {
    collect_scope(s, WafScope::Regional, &s.region.clone()).await;
    if s.region == "us-east-1" {
        let mut g = s.clone();
        g.region = "global".into();
        // Calls still go to us-east-1 (g.sdk is unchanged); only the reported region is global.
        collect_scope(&g, WafScope::Cloudfront, "global").await;
    }
}

/// Which regional web ACL protects each of `resources` (ALB and user pool ARNs of this region).
/// GetWebACLForResource per resource is answered by AWS and the emulator alike (the emulator's
/// ListResourcesForWebACL fails).
pub async fn associations(s: &Scope, resources: Vec<String>) {
    let c = client!(aws_sdk_wafv2, s);
    let fetched = s
        .each(resources, |arn| {
            let c = c.clone();
            async move {
                let r = c.get_web_acl_for_resource().resource_arn(&arn).send().await;
                (arn, r)
            }
        })
        .await;
    for (arn, r) in fetched {
        match r {
            Ok(out) => {
                if let Some(acl) = out.web_acl() {
                    s.push(
                        "aws_wafv2_web_acl_association",
                        format!("{}/{arn}", acl.arn()),
                        None,
                        json!({"web_acl_arn": acl.arn(), "resource_arn": arn}),
                        BTreeMap::new(),
                    );
                }
            }
            // No ACL for this resource: data.
            Err(e) if service_code(&e).as_deref() == Some("WAFNonexistentItemException") => {}
            Err(e) => s.error(
                SVC,
                "GetWebACLForResource",
                &["aws_wafv2_web_acl_association"],
                Some(&arn),
                &e,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pagination_follows_new_markers_only() {
        assert!(super::more_pages(&None, "m1", 3));
        assert!(!super::more_pages(&Some("m1".into()), "m1", 3));
        assert!(!super::more_pages(&None, "", 3));
        assert!(!super::more_pages(&None, "m1", 0));
    }
}
