//! Replay tests of the ELBv2 collector.
use super::{Answer, Collected, Replay};
use crate::services::elbv2::collect;
use palisade_model::{ErrorKind, Resource};
use serde_json::json;

const LB: &str = "aws_lb";
const LISTENER: &str = "aws_lb_listener";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("us-east-1");
    collect(&s).await;
    r.finish(&s)
}

fn listener<'a>(c: &'a Collected, lb: &Resource, port: i64) -> &'a Resource {
    let v: Vec<&Resource> = c
        .of_type(LISTENER)
        .into_iter()
        .filter(|l| l.attributes["load_balancer_arn"] == json!(lb.id))
        .filter(|l| l.attributes["port"] == json!(port))
        .collect();
    assert_eq!(v.len(), 1, "{} :{port}", lb.id);
    v[0]
}

#[tokio::test]
async fn maps_load_balancers_attributes_and_listeners() {
    let r = Replay::load("elbv2");
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());
    assert_eq!(c.of_type(LB).len(), 3);
    assert_eq!(c.of_type(LISTENER).len(), 4);

    let app = c.named(LB, "app-alb");
    assert!(app.id.starts_with(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/"
    ));
    let a = &app.attributes;
    assert_eq!(a["arn"], json!(app.id));
    assert_eq!(a["load_balancer_type"], json!("application"));
    assert_eq!(a["internal"], json!(false));
    assert_eq!(
        a["dns_name"],
        json!("app-alb-1.us-east-1.elb.amazonaws.com")
    );
    assert_eq!(a["availability_zones"], json!(["us-east-1a", "us-east-1b"]));
    assert_eq!(a["subnets"].as_array().unwrap().len(), 2);
    assert_eq!(a["security_groups"].as_array().unwrap().len(), 1);
    // DescribeLoadBalancerAttributes, in Terraform's names.
    assert_eq!(a["drop_invalid_header_fields"], json!(true));
    assert_eq!(a["enable_deletion_protection"], json!(true));
    assert_eq!(a["desync_mitigation_mode"], json!("defensive"));
    assert_eq!(a["enable_waf_fail_open"], json!(false));
    assert_eq!(
        a["access_logs"],
        json!([{"enabled": true, "bucket": "app-logs", "prefix": "alb"}])
    );
    assert!(a.get("idle_timeout").is_none());
    // Tags come from DescribeTags.
    assert_eq!(app.tags.get("stack").map(String::as_str), Some("app"));
    assert_eq!(app.tags.get("env").map(String::as_str), Some("prod"));

    // HTTP redirects to HTTPS (ALB-01); HTTPS uses a TLS 1.3 policy and the ACM certificate (ALB-02).
    let http = listener(&c, app, 80);
    assert_eq!(http.attributes["protocol"], json!("HTTP"));
    assert_eq!(
        http.attributes["default_action"],
        json!([{
            "type": "redirect",
            "redirect": [{"protocol": "HTTPS", "port": "443", "host": "#{host}", "path": "/#{path}", "status_code": "HTTP_301"}],
        }])
    );
    let https = listener(&c, app, 443);
    assert_eq!(https.attributes["protocol"], json!("HTTPS"));
    assert_eq!(
        https.attributes["ssl_policy"],
        json!("ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
    );
    assert!(https.attributes["certificate_arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:acm:us-east-1:123456789012:certificate/"));
    let fwd = &https.attributes["default_action"][0];
    assert_eq!(fwd["type"], json!("forward"));
    assert!(fwd["target_group_arn"]
        .as_str()
        .unwrap()
        .contains(":targetgroup/app-frontend/"));
    assert!(https.id.contains(":listener/app/app-alb/"));
    assert_eq!(https.attributes["arn"], json!(https.id));

    // Legacy: HTTP forwards, old TLS policy, no access logs, monitor mode, one AZ.
    let legacy = c.named(LB, "legacy-alb");
    let a = &legacy.attributes;
    assert_eq!(a["drop_invalid_header_fields"], json!(false));
    assert_eq!(a["enable_deletion_protection"], json!(false));
    assert_eq!(a["desync_mitigation_mode"], json!("monitor"));
    assert_eq!(
        a["access_logs"],
        json!([{"enabled": false, "bucket": "", "prefix": ""}])
    );
    assert_eq!(a["availability_zones"], json!(["us-east-1a"]));
    assert_eq!(
        listener(&c, legacy, 80).attributes["default_action"][0]["type"],
        json!("forward")
    );
    assert_eq!(
        listener(&c, legacy, 443).attributes["ssl_policy"],
        json!("ELBSecurityPolicy-2016-08")
    );
    assert_eq!(legacy.tags.get("stack").map(String::as_str), Some("legacy"));
    // The legacy admin ALB has no listener.
    let admin = c.named(LB, "legacy-admin-alb");
    assert!(c
        .of_type(LISTENER)
        .iter()
        .all(|l| l.attributes["load_balancer_arn"] != json!(admin.id)));
}

#[tokio::test]
async fn denied_attributes_are_an_error_for_that_load_balancer_only() {
    let r = Replay::load("elbv2").replace(
        |q| {
            q.operation() == "DescribeLoadBalancerAttributes"
                && q.body.text().contains("legacy-alb")
                && !q.body.text().contains("legacy-admin-alb")
        },
        Answer::query_error(
            403,
            "AccessDenied",
            "User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancerAttributes",
        ),
    );
    let c = run(&r).await;
    let legacy = c.named(LB, "legacy-alb");
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("elasticloadbalancing:DescribeLoadBalancerAttributes");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![LB.to_string()]);
    assert_eq!(e.resource_id.as_deref(), Some(legacy.id.as_str()));
    // The load balancer is still reported, without the attributes it could not read.
    assert!(legacy
        .attributes
        .get("drop_invalid_header_fields")
        .is_none());
    assert!(legacy.attributes.get("access_logs").is_none());
    assert_eq!(
        legacy.attributes["load_balancer_type"],
        json!("application")
    );
    assert_eq!(
        c.named(LB, "app-alb").attributes["drop_invalid_header_fields"],
        json!(true)
    );
    assert_eq!(c.of_type(LISTENER).len(), 4);
}

#[tokio::test]
async fn denied_tags_decide_no_rule() {
    let r = Replay::load("elbv2").replace(
        |q| q.operation() == "DescribeTags",
        Answer::query_error(400, "AccessDenied", "not authorized"),
    );
    let c = run(&r).await;
    let e = c.error("elasticloadbalancing:DescribeTags");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec!["aws_lb_tags".to_string()]);
    assert_eq!(c.of_type(LB).len(), 3);
    assert!(c.named(LB, "app-alb").tags.is_empty());
}

#[tokio::test]
async fn denied_listing_is_an_error_for_load_balancers_and_listeners() {
    let r = Replay::load("elbv2").replace(
        |q| q.operation() == "DescribeLoadBalancers",
        Answer::query_error(400, "Throttling", "Rate exceeded"),
    );
    let c = run(&r).await;
    assert!(c.resources.is_empty());
    let e = c.error("elasticloadbalancing:DescribeLoadBalancers");
    assert_eq!(e.error_code, "Throttling");
    assert_eq!(e.kind, ErrorKind::Throttled);
    assert_eq!(e.message, "Rate exceeded");
    assert_eq!(e.resource_types, vec![LB.to_string(), LISTENER.to_string()]);
}

/// `body` (a recorded DescribeLoadBalancerAttributes answer) with attribute `key` set to `value`.
fn set_attribute(body: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    let i = lines
        .iter()
        .position(|l| l.trim() == format!("<Key>{key}</Key>"))
        .unwrap_or_else(|| panic!("no attribute {key} in the recorded answer"));
    let indent = &lines[i][..lines[i].len() - lines[i].trim_start().len()];
    lines[i + 1] = format!("{indent}<Value>{value}</Value>");
    lines.join("\n")
}

#[tokio::test]
async fn each_attribute_maps_from_its_own_key() {
    // The recorded ALBs have equal deletion protection and header dropping: make them differ, and set
    // an idle timeout, to tell the keys apart.
    let r = Replay::load("elbv2");
    let select = |q: &super::Req| {
        q.operation() == "DescribeLoadBalancerAttributes" && q.body.text().contains("%2Fapp-alb%2F")
    };
    let body = r.recorded(select).body.text();
    let body = set_attribute(&body, "deletion_protection.enabled", "false");
    let body = set_attribute(&body, "waf.fail_open.enabled", "true");
    let body = set_attribute(&body, "access_logs.s3.prefix", "edge");
    let body = body.replace(
        "<Key>load_balancing.cross_zone.enabled</Key>",
        "<Key>idle_timeout.timeout_seconds</Key>",
    );
    let body = set_attribute(&body, "idle_timeout.timeout_seconds", "120");
    let r = r.replace(
        select,
        Answer {
            status: 200,
            content_type: Some("text/xml".into()),
            error_type: None,
            body: super::Body::Text(body),
        },
    );
    let c = run(&r).await;
    c.assert_no_errors();
    let a = &c.named(LB, "app-alb").attributes;
    assert_eq!(a["drop_invalid_header_fields"], json!(true));
    assert_eq!(a["enable_deletion_protection"], json!(false));
    assert_eq!(a["enable_waf_fail_open"], json!(true));
    assert_eq!(a["idle_timeout"], json!(120));
    assert_eq!(
        a["access_logs"],
        json!([{"enabled": true, "bucket": "app-logs", "prefix": "edge"}])
    );
}
