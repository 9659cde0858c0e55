//! Replay tests of the Shield Advanced collector.
use super::{find_objects, Answer, Body, Collected, Replay};
use crate::services::shield::collect;
use palisade_model::ErrorKind;
use serde_json::json;

const SUB: &str = "aws_shield_subscription";
const PROT: &str = "aws_shield_protection";
const SUB_ID: &str = "arn:aws:shield::123456789012:subscription";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("global");
    collect(&s).await;
    r.finish(&s)
}

#[tokio::test]
async fn an_unsubscribed_account_is_data_inactive_not_an_error() {
    // Recorded as seeded: no subscription (ResourceNotFoundException), four protections.
    let r = Replay::load("shield");
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty());
    let sub = c.by_id(SUB_ID);
    assert_eq!(sub.resource_type, SUB);
    assert_eq!(sub.region, "global");
    assert_eq!(sub.name.as_deref(), Some("shield-advanced"));
    assert_eq!(
        sub.attributes,
        json!({"subscription_state": "INACTIVE", "auto_renew": "DISABLED"})
            .as_object()
            .unwrap()
            .clone()
    );
    let prots = c.of_type(PROT);
    assert_eq!(prots.len(), 4);
    let alb = c.named(PROT, "app-alb");
    assert!(alb
        .id
        .starts_with("arn:aws:shield::123456789012:protection/"));
    assert_eq!(alb.id.rsplit('/').next(), alb.attributes["id"].as_str());
    assert!(alb.attributes["resource_arn"]
        .as_str()
        .unwrap()
        .starts_with(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/"
        ));
    // moto has no automatic application-layer response: DISABLED when absent.
    assert!(prots
        .iter()
        .all(|p| p.attributes["application_layer_automatic_response_status"] == json!("DISABLED")));
    assert!(c.named(PROT, "app-zone").attributes["resource_arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:route53:::hostedzone/"));
}

#[tokio::test]
async fn a_subscription_as_recorded_with_the_emulators_gaps() {
    // Recorded after CreateSubscription: moto answers DescribeDRTAccess and
    // DescribeEmergencyContactSettings with an HTML 500 (not implemented).
    let r = Replay::load("shield-subscribed");
    let c = run(&r).await;
    assert!(r.unused().is_empty());
    let sub = c.by_id(SUB_ID);
    let a = &sub.attributes;
    assert_eq!(a["subscription_state"], json!("ACTIVE"));
    assert_eq!(a["auto_renew"], json!("ENABLED"));
    assert_eq!(a["proactive_engagement_status"], json!("ENABLED"));
    assert!(a["subscription_arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:shield::123456789012:subscription/"));
    assert!(a.get("drt_role_arn").is_none());
    assert!(a.get("emergency_contacts").is_none());
    assert_eq!(c.errors.len(), 2, "{:#?}", c.errors);
    for op in [
        "shield:DescribeDRTAccess",
        "shield:DescribeEmergencyContactSettings",
    ] {
        let e = c.error(op);
        assert_eq!(e.error_code, "HTTP500");
        assert_eq!(e.kind, ErrorKind::Other);
        assert_eq!(e.resource_types, vec![SUB.to_string()]);
    }
    assert_eq!(c.of_type(PROT).len(), 4);
}

#[tokio::test]
async fn a_subscription_with_drt_contacts_and_automatic_mitigation() {
    // What the emulator cannot answer, written here in the shape AWS documents.
    let r = Replay::load("shield-subscribed");
    let mut prots = r
        .recorded(|q| q.operation() == "ListProtections")
        .body
        .json()
        .clone();
    let list = prots["Protections"].as_array_mut().unwrap();
    let i = list
        .iter()
        .position(|p| p["Name"] == json!("app-alb"))
        .unwrap();
    list[i]["ApplicationLayerAutomaticResponseConfiguration"] =
        json!({"Status": "ENABLED", "Action": {"Block": {}}});
    assert_eq!(find_objects(&prots, "Status", "ENABLED").len(), 1);
    let r = r
        .replace(
            |q| q.operation() == "DescribeDRTAccess",
            Answer::json(json!({
                "RoleArn": "arn:aws:iam::123456789012:role/AWSSRTAccess",
                "LogBucketList": ["app-logs"],
            })),
        )
        .replace(
            |q| q.operation() == "DescribeEmergencyContactSettings",
            Answer::json(json!({"EmergencyContactList": [
                {"EmailAddress": "soc@example.com", "PhoneNumber": "+15555550100", "ContactNotes": "24/7"},
            ]})),
        )
        .replace(
            |q| q.operation() == "ListProtections",
            Answer {
                body: Body::Json(prots),
                ..Answer::json(json!({}))
            },
        );
    let c = run(&r).await;
    c.assert_no_errors();
    let a = &c.by_id(SUB_ID).attributes;
    assert_eq!(a["subscription_state"], json!("ACTIVE"));
    assert_eq!(
        a["drt_role_arn"],
        json!("arn:aws:iam::123456789012:role/AWSSRTAccess")
    );
    assert_eq!(
        a["emergency_contacts"],
        json!([{"email_address": "soc@example.com", "phone_number": "+15555550100"}])
    );
    assert_eq!(
        c.named(PROT, "app-alb").attributes["application_layer_automatic_response_status"],
        json!("ENABLED")
    );
    assert_eq!(
        c.named(PROT, "app-cloudfront").attributes["application_layer_automatic_response_status"],
        json!("DISABLED")
    );
}

#[tokio::test]
async fn a_denied_subscription_is_an_error_not_inactive() {
    let r = Replay::load("shield").replace(
        |q| q.operation() == "DescribeSubscription",
        Answer::json_error(
            400,
            "AccessDeniedException",
            "User is not authorized to perform: shield:DescribeSubscription",
        ),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("shield:DescribeSubscription");
    assert_eq!(e.error_code, "AccessDeniedException");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.region, "global");
    assert_eq!(e.resource_types, vec![SUB.to_string()]);
    // Never a made-up INACTIVE subscription: the subscription is unknown.
    assert!(c.of_type(SUB).is_empty());
    assert_eq!(c.of_type(PROT).len(), 4);
}

#[tokio::test]
async fn denied_protections_are_an_error_and_no_subscription_means_none() {
    let r = Replay::load("shield").replace(
        |q| q.operation() == "ListProtections",
        Answer::json_error(400, "AccessDeniedException", "not authorized"),
    );
    let c = run(&r).await;
    let e = c.error("shield:ListProtections");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![PROT.to_string()]);
    assert!(c.of_type(PROT).is_empty());
    assert_eq!(c.of_type(SUB).len(), 1);

    // ResourceNotFoundException from ListProtections (no subscription): data, no error.
    let r = Replay::load("shield").replace(
        |q| q.operation() == "ListProtections",
        Answer::json_error(
            400,
            "ResourceNotFoundException",
            "The subscription does not exist.",
        ),
    );
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(c.of_type(PROT).is_empty());
}
