//! Replay tests of the Route 53 collector.
use super::{Answer, Replay};
use crate::services::route53::collect;
use palisade_model::ErrorKind;
use serde_json::json;

const T: &str = "aws_route53_zone";

#[tokio::test]
async fn maps_hosted_zones() {
    let r = Replay::load("route53");
    let s = r.scope("global");
    collect(&s).await;
    let c = r.finish(&s);
    c.assert_no_errors();
    assert!(r.unused().is_empty());
    assert_eq!(c.of_type(T).len(), 3);
    let app = c.named(T, "app.example.com");
    let zone_id = app.attributes["zone_id"].as_str().unwrap();
    assert!(!zone_id.starts_with('/'), "{zone_id}");
    assert_eq!(app.id, format!("arn:aws:route53:::hostedzone/{zone_id}"));
    assert_eq!(app.region, "global");
    assert_eq!(
        app.attributes,
        json!({
            "name": "app.example.com", "zone_id": zone_id, "private_zone": false,
            "comment": "Public zone of the app", "record_count": 2,
        })
        .as_object()
        .unwrap()
        .clone()
    );
    assert_eq!(
        c.named(T, "app.internal").attributes["private_zone"],
        json!(true)
    );
    assert_eq!(
        c.named(T, "legacy.example.com").attributes["comment"],
        json!("")
    );
}

#[tokio::test]
async fn denied_listing_is_a_global_error() {
    let r = Replay::load("route53").replace(
        |q| q.path == "/2013-04-01/hostedzone",
        Answer::query_error(
            403,
            "AccessDenied",
            "User is not authorized to perform: route53:ListHostedZones",
        ),
    );
    let s = r.scope("global");
    collect(&s).await;
    let c = r.finish(&s);
    assert!(c.resources.is_empty());
    let e = c.error("route53:ListHostedZones");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.region, "global");
    assert_eq!(e.resource_types, vec![T.to_string()]);
}
