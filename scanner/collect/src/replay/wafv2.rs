//! Replay tests of the WAFv2 collector and its associations phase.
use super::{find_objects, Answer, Collected, Replay};
use crate::services::wafv2::{associations, collect};
use palisade_model::{ErrorKind, Resource};
use serde_json::{json, Value};

const ACL: &str = "aws_wafv2_web_acl";
const LOGGING: &str = "aws_wafv2_web_acl_logging_configuration";
const IPSET: &str = "aws_wafv2_ip_set";
const ASSOC: &str = "aws_wafv2_web_acl_association";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("us-east-1");
    collect(&s).await;
    r.finish(&s)
}

fn rule<'a>(acl: &'a Resource, name: &str) -> &'a Value {
    acl.attributes["rule"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == json!(name))
        .unwrap_or_else(|| panic!("{} has no rule {name}", acl.id))
}

/// The recorded ARN of the ACL (or IP set) named `name`.
fn arn_of(r: &Replay, list_op: &str, name: &str) -> String {
    let mut found = Vec::new();
    for scope in ["REGIONAL", "CLOUDFRONT"] {
        let body = r
            .recorded(|q| q.operation() == list_op && q.body.json()["Scope"] == json!(scope))
            .body;
        found.extend(
            find_objects(body.json(), "Name", name)
                .iter()
                .map(|x| x["ARN"].as_str().unwrap().to_string()),
        );
    }
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    found.remove(0)
}

#[tokio::test]
async fn maps_regional_and_cloudfront_acls_logging_and_ip_sets() {
    let r = Replay::load("wafv2");
    // The associations phase's exchanges are in the same fixture; this test does not run it.
    let c = run(&r).await;
    c.assert_no_errors();
    let unused = r.unused();
    assert_eq!(unused.len(), 5, "{unused:?}");
    assert!(unused.iter().all(|u| u.contains("GetWebACLForResource")));

    assert_eq!(c.of_type(ACL).len(), 4);
    assert_eq!(c.of_type(IPSET).len(), 3);
    // Two ACLs log; the legacy ones answer WAFNonexistentItemException: no logging, no error.
    assert_eq!(c.of_type(LOGGING).len(), 2);

    // The CloudFront-scope ACL is read from us-east-1 and reported in `global`.
    let edge_arn = arn_of(&r, "ListWebACLs", "app-edge-acl");
    assert!(
        edge_arn.starts_with("arn:aws:wafv2:us-east-1:123456789012:global/webacl/app-edge-acl/")
    );
    let edge = c.by_id(&edge_arn);
    assert_eq!(edge.region, "global");
    assert_eq!(edge.name.as_deref(), Some("app-edge-acl"));
    let a = &edge.attributes;
    assert_eq!(a["scope"], json!("CLOUDFRONT"));
    assert_eq!(a["arn"], json!(edge_arn));
    assert_eq!(a["default_action"], json!([{"allow": [{}]}]));
    assert_eq!(a["managed_by_firewall_manager"], json!(false));
    assert_eq!(a["firewall_manager_rule_groups"], json!(0));
    assert_eq!(
        a["visibility_config"],
        json!([{"cloudwatch_metrics_enabled": true, "sampled_requests_enabled": true, "metric_name": "appedgeacl"}])
    );
    assert_eq!(a["rule"].as_array().unwrap().len(), 6);
    // Rate limiting that blocks (WAF-04).
    let rate = rule(edge, "rate-limit-per-ip");
    assert_eq!(rate["priority"], json!(0));
    assert_eq!(rate["action"], json!([{"block": [{}]}]));
    assert_eq!(
        rate["statement"],
        json!([{"rate_based_statement": [{"limit": 2000, "aggregate_key_type": "IP", "evaluation_window_sec": 300}]}])
    );
    // An IP set reference.
    assert_eq!(
        rule(edge, "block-listed-ips")["statement"][0]["ip_set_reference_statement"],
        json!([{"arn": arn_of(&r, "ListIPSets", "app-edge-blocklist")}])
    );
    // Managed rule groups, enforced (override none), with one rule overridden to count.
    let common = rule(edge, "AWS-AWSManagedRulesCommonRuleSet");
    assert_eq!(common["override_action"], json!([{"none": [{}]}]));
    assert!(common.get("action").is_none());
    assert_eq!(
        common["statement"][0]["managed_rule_group_statement"],
        json!([{
            "vendor_name": "AWS", "name": "AWSManagedRulesCommonRuleSet", "excluded_rule": [],
            "rule_action_override": [{"name": "SizeRestrictions_BODY", "action_to_use": [{"count": [{}]}]}],
        }])
    );
    // Logging to Firehose.
    let log = c.by_id(&format!("{edge_arn}/logging"));
    assert_eq!(log.region, "global");
    assert_eq!(log.attributes["resource_arn"], json!(edge_arn));
    assert_eq!(
        log.attributes["log_destination_configs"],
        json!(["arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-app-edge"])
    );

    // Regional ACLs stay in the region.
    let regional = c.named(ACL, "app-regional-acl");
    assert_eq!(regional.region, "us-east-1");
    assert_eq!(regional.attributes["scope"], json!("REGIONAL"));
    assert_eq!(
        rule(regional, "rate-limit-per-ip")["statement"][0]["rate_based_statement"][0]["limit"],
        json!(1000)
    );
    assert!(
        c.by_id(&format!("{}/logging", regional.id)).attributes["log_destination_configs"][0]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-")
    );

    // Legacy: rate limit only counts; the common rule set is overridden to count.
    let legacy = c.named(ACL, "legacy-acl");
    assert_eq!(
        rule(legacy, "legacy-rate-limit")["action"],
        json!([{"count": [{}]}])
    );
    assert_eq!(
        rule(legacy, "AWS-AWSManagedRulesCommonRuleSet")["override_action"],
        json!([{"count": [{}]}])
    );
    let bad_inputs = rule(legacy, "AWS-AWSManagedRulesKnownBadInputsRuleSet");
    assert_eq!(
        bad_inputs["statement"][0]["managed_rule_group_statement"][0]["rule_action_override"],
        json!([
            {"name": "Log4JRCE_BODY", "action_to_use": [{"count": [{}]}]},
            {"name": "Log4JRCE_QUERYSTRING", "action_to_use": [{"count": [{}]}]},
        ])
    );
    assert!(c
        .of_type(LOGGING)
        .iter()
        .all(|l| !l.id.contains("/legacy-acl/")));
    assert_eq!(
        c.named(ACL, "legacy-admin-acl").attributes["rule"],
        json!([])
    );

    // IP sets with their addresses.
    let set = c.named(IPSET, "app-regional-blocklist");
    assert_eq!(set.region, "us-east-1");
    assert_eq!(
        set.attributes,
        json!({
            "name": "app-regional-blocklist", "scope": "REGIONAL", "ip_address_version": "IPV4",
            "addresses": ["192.0.2.44/32", "198.51.100.0/24", "203.0.113.128/25"],
        })
        .as_object()
        .unwrap()
        .clone()
    );
    let edge_set = c.named(IPSET, "app-edge-blocklist");
    assert_eq!(edge_set.region, "global");
    assert_eq!(edge_set.attributes["scope"], json!("CLOUDFRONT"));
    assert_eq!(
        c.named(IPSET, "legacy-blocklist").attributes["addresses"],
        json!([])
    );
}

#[tokio::test]
async fn outside_us_east_1_only_regional_acls_are_read() {
    // Same answers, another region: no CLOUDFRONT-scope call is made.
    let r = Replay::load("wafv2");
    let s = r.scope("eu-west-1");
    collect(&s).await;
    let c = r.finish(&s);
    assert_eq!(c.of_type(ACL).len(), 3);
    assert!(c.resources.iter().all(|x| x.region == "eu-west-1"));
    assert!(r
        .unused()
        .iter()
        .any(|u| u.contains("ListWebACLs") && u.contains("CLOUDFRONT")));
}

#[tokio::test]
async fn a_denied_web_acl_is_an_error_and_the_others_are_collected() {
    let r = Replay::load("wafv2").replace(
        |q| q.operation() == "GetWebACL" && q.body.json()["Name"] == json!("legacy-acl"),
        Answer::json_error(
            400,
            "AccessDeniedException",
            "User is not authorized to perform: wafv2:GetWebACL",
        ),
    );
    let arn = arn_of(&r, "ListWebACLs", "legacy-acl");
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("wafv2:GetWebACL");
    assert_eq!(e.service, "wafv2");
    assert_eq!(e.error_code, "AccessDeniedException");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![ACL.to_string()]);
    assert_eq!(e.resource_id.as_deref(), Some(arn.as_str()));
    assert_eq!(e.region, "us-east-1");
    assert!(c.of_type(ACL).iter().all(|x| x.id != arn));
    assert_eq!(c.of_type(ACL).len(), 3);
    assert_eq!(c.of_type(IPSET).len(), 3);
    assert_eq!(c.of_type(LOGGING).len(), 2);
}

#[tokio::test]
async fn denied_cloudfront_scope_listing_is_reported_in_global() {
    let r = Replay::load("wafv2").replace(
        |q| q.operation() == "ListWebACLs" && q.body.json()["Scope"] == json!("CLOUDFRONT"),
        Answer::json_error(400, "AccessDeniedException", "not authorized"),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("wafv2:ListWebACLs");
    assert_eq!(e.region, "global");
    assert_eq!(e.resource_types, vec![ACL.to_string()]);
    assert_eq!(c.of_type(ACL).len(), 3);
    assert!(c.of_type(ACL).iter().all(|x| x.region == "us-east-1"));
    // The CLOUDFRONT IP set is still read.
    assert_eq!(c.named(IPSET, "app-edge-blocklist").region, "global");
}

/// The ALB and user pool ARNs the associations phase was recorded with.
fn association_targets(r: &Replay) -> Vec<String> {
    let mut v: Vec<String> = r
        .exchanges()
        .iter()
        .filter(|x| x.request.operation() == "GetWebACLForResource")
        .map(|x| {
            x.request.body.json()["ResourceArn"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn associations_name_the_acl_of_each_alb_and_user_pool() {
    let r = Replay::load("wafv2");
    let targets = association_targets(&r);
    assert_eq!(targets.len(), 5);
    let regional = arn_of(&r, "ListWebACLs", "app-regional-acl");
    let admin = arn_of(&r, "ListWebACLs", "legacy-admin-acl");
    let s = r.scope("us-east-1");
    associations(&s, targets.clone()).await;
    let c = r.finish(&s);
    c.assert_no_errors();
    assert!(
        r.unused().len() == 13,
        "only the associations' exchanges are used"
    );
    // The app ALB and the app user pool are behind the app regional ACL, the legacy admin ALB behind its
    // placeholder ACL; the legacy ALB and legacy pool (WebACL null) have none.
    let app_alb = targets.iter().find(|t| t.contains("/app-alb/")).unwrap();
    let admin_alb = targets
        .iter()
        .find(|t| t.contains("/legacy-admin-alb/"))
        .unwrap();
    let pool = r
        .exchanges()
        .iter()
        .filter(|x| x.request.operation() == "GetWebACLForResource")
        .find(|x| {
            x.request.body.text().contains(":userpool/")
                && x.answer.body.json()["WebACL"]["ARN"] == json!(regional)
        })
        .map(|x| {
            x.request.body.json()["ResourceArn"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .unwrap();
    let mut expected = vec![
        format!("{regional}/{app_alb}"),
        format!("{regional}/{pool}"),
        format!("{admin}/{admin_alb}"),
    ];
    expected.sort();
    assert_eq!(c.ids(ASSOC), expected);
    let x = c.by_id(&format!("{regional}/{app_alb}"));
    assert_eq!(x.region, "us-east-1");
    assert_eq!(
        x.attributes,
        json!({"web_acl_arn": regional, "resource_arn": app_alb})
            .as_object()
            .unwrap()
            .clone()
    );
}

#[tokio::test]
async fn associations_not_found_is_data_and_denied_is_an_error() {
    let r = Replay::load("wafv2");
    let targets = association_targets(&r);
    let app_alb = targets
        .iter()
        .find(|t| t.contains("/app-alb/"))
        .unwrap()
        .clone();
    let admin_alb = targets
        .iter()
        .find(|t| t.contains("/legacy-admin-alb/"))
        .unwrap()
        .clone();
    let (a, b) = (app_alb.clone(), admin_alb.clone());
    let r = r
        .replace(
            move |q| q.operation() == "GetWebACLForResource" && q.body.text().contains(&a),
            Answer::json_error(
                400,
                "WAFNonexistentItemException",
                "AWS WAF couldn't perform the operation because your resource doesn't exist.",
            ),
        )
        .replace(
            move |q| q.operation() == "GetWebACLForResource" && q.body.text().contains(&b),
            Answer::json_error(400, "AccessDeniedException", "not authorized"),
        );
    let s = r.scope("us-east-1");
    associations(&s, targets).await;
    let c = r.finish(&s);
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("wafv2:GetWebACLForResource");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_id.as_deref(), Some(admin_alb.as_str()));
    assert_eq!(e.resource_types, vec![ASSOC.to_string()]);
    // Only the app user pool's association is left.
    let ids = c.ids(ASSOC);
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(ids[0].contains(":userpool/"));
    assert!(!ids.iter().any(|i| i.ends_with(&app_alb)));
}
