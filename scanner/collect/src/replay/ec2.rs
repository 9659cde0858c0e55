//! Replay tests of the EC2 (security groups) collector.
use super::{Answer, Collected, Replay, ACCOUNT};
use crate::services::ec2::collect;
use palisade_model::{ErrorKind, Resource};
use serde_json::{json, Value};

const SG: &str = "aws_security_group";
const DEFAULT_SG: &str = "aws_default_security_group";

/// The ingress or egress rule of `g` on ports `from`-`to` (panics unless exactly one).
fn rule<'a>(g: &'a Resource, dir: &str, from: i64, to: i64) -> &'a Value {
    let rules: Vec<&Value> = g.attributes[dir]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["from_port"] == json!(from) && r["to_port"] == json!(to))
        .collect();
    assert_eq!(rules.len(), 1, "{} {dir} {from}-{to}: {rules:?}", g.id);
    rules[0]
}

fn id_of(g: &Resource) -> String {
    g.attributes["id"].as_str().unwrap().to_string()
}

async fn run(r: &Replay) -> Collected {
    let s = r.scope("us-east-1");
    collect(&s).await;
    r.finish(&s)
}

#[tokio::test]
async fn maps_security_groups_and_their_rules() {
    let r = Replay::load("ec2");
    let recorded = r
        .recorded(|q| q.operation() == "DescribeSecurityGroups")
        .body
        .text();
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());
    assert_eq!(c.of_type(SG).len(), 6);
    assert_eq!(c.of_type(DEFAULT_SG).len(), 3);

    let alb = c.named(SG, "app-alb-sg");
    let ecs = c.named(SG, "app-ecs-sg");
    let db = c.named(SG, "app-db-sg");
    for g in [alb, ecs, db] {
        let id = id_of(g);
        assert!(id.starts_with("sg-"), "{id}");
        assert!(recorded.contains(&format!("<groupId>{id}</groupId>")));
        // The recorded securityGroupArn is the resource id.
        assert_eq!(
            g.id,
            format!("arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/{id}")
        );
        assert_eq!(g.attributes["arn"], json!(g.id));
        assert_eq!(g.attributes["owner_id"], json!(ACCOUNT));
        assert_eq!(g.attributes["is_default"], json!(false));
        assert_eq!(g.attributes["attached_to"], json!([]));
        assert_eq!(g.region, "us-east-1");
        assert_eq!(g.tags.get("stack").map(String::as_str), Some("app"));
    }
    assert_eq!(
        alb.attributes["description"],
        json!("app ALB: HTTP/HTTPS from CloudFront only")
    );
    // The ALB accepts 443 and 80 from the CloudFront prefix list only.
    let https = rule(alb, "ingress", 443, 443);
    assert_eq!(https["protocol"], json!("tcp"));
    assert_eq!(https["cidr_blocks"], json!([]));
    assert_eq!(https["ipv6_cidr_blocks"], json!([]));
    assert_eq!(https["security_groups"], json!([]));
    assert_eq!(https["self"], json!(false));
    let pl = https["prefix_list_ids"].as_array().unwrap();
    assert_eq!(pl.len(), 1);
    assert!(pl[0].as_str().unwrap().starts_with("pl-"));
    assert_eq!(rule(alb, "ingress", 80, 80)["prefix_list_ids"], json!(pl));
    // ... and its egress goes to the ECS group only.
    let out = rule(alb, "egress", 8080, 8080);
    assert_eq!(out["security_groups"], json!([id_of(ecs)]));
    assert_eq!(out["description"], json!("to ECS tasks"));

    // The database accepts MySQL from the ECS group only (SG-07), with the pair's description.
    let mysql = rule(db, "ingress", 3306, 3306);
    assert_eq!(mysql["protocol"], json!("tcp"));
    assert_eq!(mysql["security_groups"], json!([id_of(ecs)]));
    assert_eq!(mysql["cidr_blocks"], json!([]));
    assert_eq!(mysql["description"], json!("MySQL from app-ecs-sg"));
    assert_eq!(db.attributes["egress"], json!([]));
    let e443 = rule(ecs, "egress", 443, 443);
    assert_eq!(e443["cidr_blocks"], json!(["0.0.0.0/0"]));
    assert_eq!(
        e443["description"],
        json!("HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch)")
    );
    assert_eq!(
        rule(ecs, "ingress", 8080, 8080)["security_groups"],
        json!([id_of(alb)])
    );

    // Legacy: SSH, RDP, HTTP (v4 and v6) and MySQL open to the internet (SG-01..04).
    let lalb = c.named(SG, "legacy-alb-sg");
    for (port, desc) in [(22, "SSH admin"), (3389, "RDP admin"), (8080, "app direct")] {
        let x = rule(lalb, "ingress", port, port);
        assert_eq!(x["protocol"], json!("tcp"));
        assert_eq!(x["cidr_blocks"], json!(["0.0.0.0/0"]));
        assert_eq!(x["description"], json!(desc));
    }
    assert_eq!(
        rule(lalb, "ingress", 80, 80)["ipv6_cidr_blocks"],
        json!(["::/0"])
    );
    assert_eq!(
        rule(c.named(SG, "legacy-db-sg"), "ingress", 3306, 3306)["cidr_blocks"],
        json!(["0.0.0.0/0"])
    );
    // All traffic: protocol -1 and no ports in the response, mapped to 0-0 (SG-05).
    let debug = c.named(SG, "legacy-debug-sg");
    let all = rule(debug, "ingress", 0, 0);
    assert_eq!(all["protocol"], json!("-1"));
    assert_eq!(all["cidr_blocks"], json!(["0.0.0.0/0"]));
    assert_eq!(all["ipv6_cidr_blocks"], json!(["::/0"]));
    assert_eq!(all["description"], json!("debug - remove me"));

    // Default groups (SG-08): the app VPC's is empty; the legacy VPC's lets its members in (`self`).
    let in_vpc = |vpc: &Value| -> &Resource {
        let v: Vec<&Resource> = c
            .of_type(DEFAULT_SG)
            .into_iter()
            .filter(|g| &g.attributes["vpc_id"] == vpc)
            .collect();
        assert_eq!(v.len(), 1);
        v[0]
    };
    let app_default = in_vpc(&alb.attributes["vpc_id"]);
    assert_eq!(app_default.name.as_deref(), Some("default"));
    assert_eq!(app_default.attributes["is_default"], json!(true));
    assert_eq!(app_default.attributes["ingress"], json!([]));
    assert_eq!(app_default.attributes["egress"], json!([]));
    let legacy_default = in_vpc(&lalb.attributes["vpc_id"]);
    let own = rule(legacy_default, "ingress", 0, 0);
    assert_eq!(own["self"], json!(true));
    assert_eq!(own["security_groups"], json!([]));
    assert_eq!(own["protocol"], json!("-1"));
}

#[tokio::test]
async fn network_interfaces_name_what_uses_each_group() {
    // The seeded account has no network interfaces: this answer is written here, in the shape of
    // DescribeNetworkInterfaces, naming the recorded app groups.
    let r = Replay::load("ec2");
    let c = run(&r).await;
    let ecs = id_of(c.named(SG, "app-ecs-sg"));
    let db = id_of(c.named(SG, "app-db-sg"));
    let body = format!(
        "<DescribeNetworkInterfacesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
         <requestId>r</requestId><networkInterfaceSet>\
         <item><networkInterfaceId>eni-0a</networkInterfaceId><description>ECS task</description>\
           <attachment><instanceId>i-0123456789abcdef0</instanceId></attachment>\
           <groupSet><item><groupId>{ecs}</groupId><groupName>app-ecs-sg</groupName></item></groupSet></item>\
         <item><networkInterfaceId>eni-0b</networkInterfaceId><description>RDSNetworkInterface</description>\
           <groupSet><item><groupId>{db}</groupId></item><item><groupId>{ecs}</groupId></item></groupSet></item>\
         </networkInterfaceSet></DescribeNetworkInterfacesResponse>"
    );
    let r = Replay::load("ec2").replace(
        |q| q.operation() == "DescribeNetworkInterfaces",
        Answer {
            status: 200,
            content_type: Some("text/xml".into()),
            error_type: None,
            body: super::Body::Text(body),
        },
    );
    let c = run(&r).await;
    c.assert_no_errors();
    assert_eq!(
        c.named(SG, "app-ecs-sg").attributes["attached_to"],
        json!(["RDSNetworkInterface", "i-0123456789abcdef0"])
    );
    assert_eq!(
        c.named(SG, "app-db-sg").attributes["attached_to"],
        json!(["RDSNetworkInterface"])
    );
    assert_eq!(
        c.named(SG, "app-alb-sg").attributes["attached_to"],
        json!([])
    );
}

#[tokio::test]
async fn denied_security_groups_are_an_error_for_both_group_types() {
    let r = Replay::load("ec2").replace(
        |q| q.operation() == "DescribeSecurityGroups",
        Answer::ec2_error(
            403,
            "UnauthorizedOperation",
            "You are not authorized to perform this operation.",
        ),
    );
    let c = run(&r).await;
    assert!(c.resources.is_empty());
    assert_eq!(c.errors.len(), 1);
    let e = c.error("ec2:DescribeSecurityGroups");
    assert_eq!(e.service, "ec2");
    assert_eq!(e.region, "us-east-1");
    assert_eq!(e.error_code, "UnauthorizedOperation");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(
        e.message,
        "You are not authorized to perform this operation."
    );
    assert_eq!(
        e.resource_types,
        vec![SG.to_string(), DEFAULT_SG.to_string()]
    );
    assert_eq!(e.resource_id, None);
}

#[tokio::test]
async fn denied_network_interfaces_leave_every_group_collected() {
    let r = Replay::load("ec2").replace(
        |q| q.operation() == "DescribeNetworkInterfaces",
        Answer::ec2_error(
            403,
            "UnauthorizedOperation",
            "You are not authorized to perform this operation.",
        ),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("ec2:DescribeNetworkInterfaces");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    // Evidence only: no rule reads it, so no security group rule becomes ERROR.
    assert_eq!(e.resource_types, vec!["aws_network_interface".to_string()]);
    assert_eq!(c.of_type(SG).len() + c.of_type(DEFAULT_SG).len(), 9);
    assert_eq!(
        rule(c.named(SG, "app-db-sg"), "ingress", 3306, 3306)["security_groups"],
        json!([id_of(c.named(SG, "app-ecs-sg"))])
    );
}

#[tokio::test]
async fn throttling_is_classified_as_throttled() {
    let r = Replay::load("ec2").replace(
        |q| q.operation() == "DescribeSecurityGroups",
        Answer::ec2_error(503, "RequestLimitExceeded", "Request limit exceeded."),
    );
    let c = run(&r).await;
    let e = c.error("ec2:DescribeSecurityGroups");
    assert_eq!(e.error_code, "RequestLimitExceeded");
    assert_eq!(e.kind, ErrorKind::Throttled);
}

#[tokio::test]
async fn a_port_range_keeps_both_ends() {
    // The seeded rules are single ports: widen the recorded RDP rule to 3380-3389.
    let r = Replay::load("ec2");
    let body = r
        .recorded(|q| q.operation() == "DescribeSecurityGroups")
        .body
        .text();
    assert_eq!(body.matches("<fromPort>3389</fromPort>").count(), 1);
    let r = r.replace(
        |q| q.operation() == "DescribeSecurityGroups",
        Answer {
            status: 200,
            content_type: Some("text/xml".into()),
            error_type: None,
            body: super::Body::Text(
                body.replace("<fromPort>3389</fromPort>", "<fromPort>3380</fromPort>"),
            ),
        },
    );
    let c = run(&r).await;
    c.assert_no_errors();
    let rdp = rule(c.named(SG, "legacy-alb-sg"), "ingress", 3380, 3389);
    assert_eq!(rdp["description"], json!("RDP admin"));
    assert_eq!(rdp["cidr_blocks"], json!(["0.0.0.0/0"]));
}
