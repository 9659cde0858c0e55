//! Route 53 (global): hosted zones (Shield protection of public zones is judged on them), health checks
//! (whether an alarm watches the endpoints of public zones) and DNS query logging configurations. Each
//! listing that fails records an error for its own type only; the others go on.
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

pub const COLLECTOR: Collector = Collector {
    service: "route53",
    placement: Placement::Global,
    types: &[ZONE, HEALTH_CHECK, QUERY_LOG],
    actions: &[
        "route53:ListHostedZones",
        "route53:ListHealthChecks",
        "route53:ListQueryLoggingConfigs",
    ],
};

const ZONE: &str = "aws_route53_zone";
const HEALTH_CHECK: &str = "aws_route53_health_check";
const QUERY_LOG: &str = "aws_route53_query_log";

/// A hosted zone id without the `/hostedzone/` prefix the API gives it.
fn zone_ref(id: &str) -> &str {
    id.trim_start_matches("/hostedzone/")
}

/// The id of a health check.
pub fn health_check_id(h: &aws_sdk_route53::types::HealthCheck) -> String {
    format!("arn:aws:route53:::healthcheck/{}", h.id())
}

/// A health check's attributes (Terraform's `aws_route53_health_check`). The API leaves out `Disabled` and
/// `Inverted` when they were never set: they then have their defaults, false.
pub fn health_check(h: &aws_sdk_route53::types::HealthCheck) -> Value {
    let cfg = h.health_check_config();
    json!({
        "arn": health_check_id(h),
        "id": h.id(),
        "fqdn": cfg.and_then(|x| x.fully_qualified_domain_name()),
        "ip_address": cfg.and_then(|x| x.ip_address()),
        "port": cfg.and_then(|x| x.port()),
        "type": cfg.map(|x| x.r#type().as_str()),
        "resource_path": cfg.and_then(|x| x.resource_path()),
        "search_string": cfg.and_then(|x| x.search_string()),
        "request_interval": cfg.and_then(|x| x.request_interval()),
        "failure_threshold": cfg.and_then(|x| x.failure_threshold()),
        "measure_latency": cfg.and_then(|x| x.measure_latency()),
        "invert_healthcheck": cfg.map(|x| x.inverted().unwrap_or(false)),
        "disabled": cfg.map(|x| x.disabled().unwrap_or(false)),
        "enable_sni": cfg.and_then(|x| x.enable_sni()),
        "regions": cfg.map(|x| x.regions().iter().map(|r| r.as_str()).collect::<Vec<_>>()),
        "child_healthchecks": cfg.map(|x| x.child_health_checks()),
        "child_health_threshold": cfg.and_then(|x| x.health_threshold()),
        "cloudwatch_alarm_name": cfg.and_then(|x| x.alarm_identifier()).map(|a| a.name()),
        "cloudwatch_alarm_region": cfg.and_then(|x| x.alarm_identifier()).map(|a| a.region().as_str()),
        "insufficient_data_health_status": cfg.and_then(|x| x.insufficient_data_health_status()).map(|s| s.as_str()),
        "routing_control_arn": cfg.and_then(|x| x.routing_control_arn()),
    })
}

/// The name of a health check: what it checks (its domain name, else its IP address), else its id.
fn health_check_name(h: &aws_sdk_route53::types::HealthCheck) -> String {
    let cfg = h.health_check_config();
    cfg.and_then(|x| x.fully_qualified_domain_name())
        .or_else(|| cfg.and_then(|x| x.ip_address()))
        .unwrap_or(h.id())
        .to_string()
}

/// The id of a query logging configuration.
pub fn query_log_id(q: &aws_sdk_route53::types::QueryLoggingConfig) -> String {
    format!("arn:aws:route53:::queryloggingconfig/{}", q.id())
}

/// A query logging configuration's attributes (Terraform's `aws_route53_query_log`).
pub fn query_log(q: &aws_sdk_route53::types::QueryLoggingConfig) -> Value {
    json!({
        "arn": query_log_id(q),
        "id": q.id(),
        "zone_id": zone_ref(q.hosted_zone_id()),
        "cloudwatch_log_group_arn": q.cloud_watch_logs_log_group_arn(),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_route53, s);
    // Zone names by zone id, to name the query logging configurations.
    let mut zone_names: HashMap<String, String> = HashMap::new();
    let mut pages = c.list_hosted_zones().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for z in out.hosted_zones() {
                    let zone_id = zone_ref(z.id()).to_string();
                    let name = z.name().trim_end_matches('.');
                    zone_names.insert(zone_id.clone(), name.to_string());
                    s.push(
                        ZONE,
                        format!("arn:aws:route53:::hostedzone/{zone_id}"),
                        Some(name.to_string()),
                        json!({
                            "name": name,
                            "zone_id": zone_id,
                            "private_zone": z.config().map(|x| x.private_zone()),
                            "comment": z.config().and_then(|x| x.comment()),
                            "record_count": z.resource_record_set_count(),
                        }),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => {
                s.error("route53", "ListHostedZones", &[ZONE], None, &e);
                break;
            }
        }
    }

    let mut pages = c.list_health_checks().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for h in out.health_checks() {
                    s.push(
                        HEALTH_CHECK,
                        health_check_id(h),
                        Some(health_check_name(h)),
                        health_check(h),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => {
                s.error("route53", "ListHealthChecks", &[HEALTH_CHECK], None, &e);
                break;
            }
        }
    }

    let mut pages = c.list_query_logging_configs().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for q in out.query_logging_configs() {
                    let name = match zone_names.get(zone_ref(q.hosted_zone_id())) {
                        Some(zone) => format!("{zone} query log"),
                        None => q.id().to_string(),
                    };
                    s.push(
                        QUERY_LOG,
                        query_log_id(q),
                        Some(name),
                        query_log(q),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => {
                s.error("route53", "ListQueryLoggingConfigs", &[QUERY_LOG], None, &e);
                return;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use aws_sdk_route53::types::{
        AlarmIdentifier, CloudWatchRegion, HealthCheck, HealthCheckConfig, HealthCheckRegion,
        HealthCheckType, QueryLoggingConfig,
    };

    const HC: &str = "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a10";

    #[test]
    fn an_https_health_check() {
        let h = HealthCheck::builder()
            .id(HC)
            .caller_reference("app")
            .health_check_version(1)
            .health_check_config(
                HealthCheckConfig::builder()
                    .r#type(HealthCheckType::Https)
                    .fully_qualified_domain_name("app.example.com")
                    .port(443)
                    .resource_path("/health")
                    .request_interval(30)
                    .failure_threshold(3)
                    .measure_latency(true)
                    .inverted(false)
                    .disabled(false)
                    .enable_sni(true)
                    .regions(HealthCheckRegion::UsEast1)
                    .regions(HealthCheckRegion::EuWest1)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(health_check_name(&h), "app.example.com");
        assert_eq!(
            crate::scope::clean(health_check(&h)),
            json!({
                "arn": format!("arn:aws:route53:::healthcheck/{HC}"), "id": HC,
                "fqdn": "app.example.com", "type": "HTTPS", "port": 443, "resource_path": "/health",
                "request_interval": 30, "failure_threshold": 3, "measure_latency": true,
                "invert_healthcheck": false, "disabled": false, "enable_sni": true,
                "regions": ["us-east-1", "eu-west-1"], "child_healthchecks": [],
            })
        );
    }

    #[test]
    fn a_calculated_health_check_without_the_optional_flags() {
        let h = HealthCheck::builder()
            .id("calc")
            .caller_reference("calc")
            .health_check_version(1)
            .health_check_config(
                HealthCheckConfig::builder()
                    .r#type(HealthCheckType::Calculated)
                    .child_health_checks(HC)
                    .health_threshold(1)
                    .alarm_identifier(
                        AlarmIdentifier::builder()
                            .region(CloudWatchRegion::UsEast1)
                            .name("app-alb-5xx")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(health_check_name(&h), "calc");
        assert_eq!(
            crate::scope::clean(health_check(&h)),
            json!({
                "arn": "arn:aws:route53:::healthcheck/calc", "id": "calc", "type": "CALCULATED",
                "invert_healthcheck": false, "disabled": false, "regions": [],
                "child_healthchecks": [HC], "child_health_threshold": 1,
                "cloudwatch_alarm_name": "app-alb-5xx", "cloudwatch_alarm_region": "us-east-1",
            })
        );
    }

    #[test]
    fn a_query_logging_config() {
        let q = QueryLoggingConfig::builder()
            .id("8a7b6c5d")
            .hosted_zone_id("/hostedzone/Z0APPZONE00001")
            .cloud_watch_logs_log_group_arn(
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/app.example.com",
            )
            .build()
            .unwrap();
        assert_eq!(
            crate::scope::clean(query_log(&q)),
            json!({
                "arn": "arn:aws:route53:::queryloggingconfig/8a7b6c5d", "id": "8a7b6c5d",
                "zone_id": "Z0APPZONE00001",
                "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/app.example.com",
            })
        );
    }
}
