//! Replay tests of the Route 53 collector.
//!
//! route53.json was recorded before the collector listed health checks and query logging configurations;
//! until it is re-recorded, [`load`] adds those two listings to it here, written in the format Route 53
//! answers (health checks over two pages, one of them without the optional `Disabled` element).
use super::{Answer, Body, Exchange, Replay, Req};
use crate::services::route53::collect;
use palisade_model::ErrorKind;
use serde_json::json;

const T: &str = "aws_route53_zone";
const HC: &str = "aws_route53_health_check";
const QL: &str = "aws_route53_query_log";

const HEALTH_CHECKS: &str = "/2013-04-01/healthcheck";
const HEALTH_CHECKS_2: &str = "/2013-04-01/healthcheck?marker=page-2";
const QUERY_LOGS: &str = "/2013-04-01/queryloggingconfig";

const APP_CHECK: &str = "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a10";
const LEGACY_CHECK: &str = "6f5a4b3c-2d1e-4f0a-9b8c-7d6e5f4a3b21";
const QUERY_LOG: &str = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c54";
const LOG_GROUP: &str =
    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/app.example.com";

fn add(r: Replay, path: &str, xml: String) -> Replay {
    r.state.lock().unwrap().exchanges.push(Exchange {
        request: Req {
            method: "GET".into(),
            path: path.into(),
            target: None,
            body: Body::Text(String::new()),
        },
        answer: Answer {
            status: 200,
            content_type: Some("application/xml".into()),
            error_type: None,
            body: Body::Text(xml),
        },
        patched: None,
        served: 0,
    });
    r
}

fn health_check_page(check: &str, truncated: bool) -> String {
    let next = if truncated {
        "<NextMarker>page-2</NextMarker>"
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" ?>\n<ListHealthChecksResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
         <HealthChecks>{check}</HealthChecks><Marker/><IsTruncated>{truncated}</IsTruncated>{next}\
         <MaxItems>1</MaxItems></ListHealthChecksResponse>"
    )
}

/// The recorded fixture plus the two listings it does not have yet.
fn load() -> Replay {
    let app = format!(
        "<HealthCheck><Id>{APP_CHECK}</Id><CallerReference>palisade-app</CallerReference>\
         <HealthCheckConfig><Port>443</Port><Type>HTTPS</Type><ResourcePath>/health</ResourcePath>\
         <FullyQualifiedDomainName>app.example.com</FullyQualifiedDomainName>\
         <RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold>\
         <MeasureLatency>true</MeasureLatency><Inverted>false</Inverted><Disabled>false</Disabled>\
         <EnableSNI>true</EnableSNI></HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion>\
         </HealthCheck>"
    );
    let legacy = format!(
        "<HealthCheck><Id>{LEGACY_CHECK}</Id><CallerReference>palisade-legacy</CallerReference>\
         <HealthCheckConfig><IPAddress>192.0.2.10</IPAddress><Port>80</Port><Type>HTTP</Type>\
         <ResourcePath>/</ResourcePath><RequestInterval>30</RequestInterval>\
         <FailureThreshold>3</FailureThreshold></HealthCheckConfig>\
         <HealthCheckVersion>1</HealthCheckVersion></HealthCheck>"
    );
    let query_logs = format!(
        "<?xml version=\"1.0\" ?>\n<ListQueryLoggingConfigsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
         <QueryLoggingConfigs><QueryLoggingConfig><Id>{QUERY_LOG}</Id>\
         <HostedZoneId>PLD9X6LFNWETCM1OD7SPD0</HostedZoneId>\
         <CloudWatchLogsLogGroupArn>{LOG_GROUP}</CloudWatchLogsLogGroupArn></QueryLoggingConfig>\
         </QueryLoggingConfigs></ListQueryLoggingConfigsResponse>"
    );
    let r = Replay::load("route53");
    let r = add(r, HEALTH_CHECKS, health_check_page(&app, true));
    let r = add(r, HEALTH_CHECKS_2, health_check_page(&legacy, false));
    add(r, QUERY_LOGS, query_logs)
}

#[tokio::test]
async fn maps_hosted_zones() {
    let r = load();
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
async fn maps_health_checks_of_every_page_and_query_logs() {
    let r = load();
    let s = r.scope("global");
    collect(&s).await;
    let c = r.finish(&s);
    c.assert_no_errors();
    assert_eq!(
        c.ids(HC),
        vec![
            format!("arn:aws:route53:::healthcheck/{APP_CHECK}"),
            format!("arn:aws:route53:::healthcheck/{LEGACY_CHECK}"),
        ]
    );
    let app = c.named(HC, "app.example.com");
    assert_eq!(app.region, "global");
    assert_eq!(
        serde_json::Value::Object(app.attributes.clone()),
        json!({
            "arn": format!("arn:aws:route53:::healthcheck/{APP_CHECK}"), "id": APP_CHECK,
            "fqdn": "app.example.com", "type": "HTTPS", "port": 443, "resource_path": "/health",
            "request_interval": 30, "failure_threshold": 3, "measure_latency": true,
            "invert_healthcheck": false, "disabled": false, "enable_sni": true,
            "regions": [], "child_healthchecks": [],
        })
    );
    // Disabled and Inverted left out by the API: their defaults.
    let legacy = c.named(HC, "192.0.2.10");
    assert_eq!(legacy.attributes["disabled"], json!(false));
    assert_eq!(legacy.attributes["invert_healthcheck"], json!(false));
    assert_eq!(legacy.attributes["ip_address"], json!("192.0.2.10"));
    assert!(!legacy.attributes.contains_key("fqdn"));

    let q = c.named(QL, "app.example.com query log");
    assert_eq!(
        q.id,
        format!("arn:aws:route53:::queryloggingconfig/{QUERY_LOG}")
    );
    assert_eq!(q.region, "global");
    assert_eq!(
        serde_json::Value::Object(q.attributes.clone()),
        json!({
            "arn": q.id, "id": QUERY_LOG, "zone_id": "PLD9X6LFNWETCM1OD7SPD0",
            "cloudwatch_log_group_arn": LOG_GROUP,
        })
    );
}

#[tokio::test]
async fn denied_listing_is_a_global_error() {
    let r = load().replace(
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
    assert!(c.of_type(T).is_empty());
    let e = c.error("route53:ListHostedZones");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.region, "global");
    assert_eq!(e.resource_types, vec![T.to_string()]);
    // The other listings go on; a query log is then named by its id.
    assert_eq!(c.errors.len(), 1);
    assert_eq!(c.of_type(HC).len(), 2);
    assert_eq!(
        c.named(QL, QUERY_LOG).attributes["zone_id"],
        json!("PLD9X6LFNWETCM1OD7SPD0")
    );
}

#[tokio::test]
async fn a_failed_listing_is_an_error_for_its_own_type_only() {
    let r = load()
        .replace(
            |q| q.path == HEALTH_CHECKS_2,
            Answer::query_error(400, "Throttling", "Rate exceeded"),
        )
        .replace(
            |q| q.path == QUERY_LOGS,
            Answer::query_error(
                403,
                "AccessDenied",
                "User is not authorized to perform: route53:ListQueryLoggingConfigs",
            ),
        );
    let s = r.scope("global");
    collect(&s).await;
    let c = r.finish(&s);
    assert_eq!(c.errors.len(), 2, "{:#?}", c.errors);
    let e = c.error("route53:ListHealthChecks");
    assert_eq!(e.kind, ErrorKind::Throttled);
    assert_eq!(e.resource_types, vec![HC.to_string()]);
    assert!(e.resource_id.is_none());
    let e = c.error("route53:ListQueryLoggingConfigs");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![QL.to_string()]);
    assert_eq!(c.of_type(T).len(), 3);
    // The first page of health checks was read before the second failed.
    assert_eq!(c.of_type(HC).len(), 1);
    assert!(c.of_type(QL).is_empty());
}
