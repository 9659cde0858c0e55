//! ELBv2: load balancers with their attributes (Terraform's flat names) and listeners with their default
//! actions.
use super::{Collector, Placement};
use crate::scope::{tags, Scope};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "elasticloadbalancing",
    placement: Placement::Regional,
    types: &["aws_lb", "aws_lb_listener"],
    actions: &[
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeTags",
    ],
};

const SVC: &str = "elasticloadbalancing";

/// Maps `DescribeLoadBalancerAttributes` keys to Terraform's `aws_lb` attributes.
pub fn map_attributes(pairs: &[(String, String)]) -> Map<String, Value> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let boolean = |k: &str| get(k).map(|v| Value::Bool(v == "true"));
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    };
    put(
        "drop_invalid_header_fields",
        boolean("routing.http.drop_invalid_header_fields.enabled"),
    );
    put(
        "enable_deletion_protection",
        boolean("deletion_protection.enabled"),
    );
    put(
        "desync_mitigation_mode",
        get("routing.http.desync_mitigation_mode").map(|v| json!(v)),
    );
    put("enable_waf_fail_open", boolean("waf.fail_open.enabled"));
    put(
        "idle_timeout",
        get("idle_timeout.timeout_seconds")
            .and_then(|v| v.parse::<i64>().ok())
            .map(|v| json!(v)),
    );
    if let Some(enabled) = boolean("access_logs.s3.enabled") {
        m.insert(
            "access_logs".into(),
            json!([{"enabled": enabled, "bucket": get("access_logs.s3.bucket").unwrap_or(""), "prefix": get("access_logs.s3.prefix").unwrap_or("")}]),
        );
    }
    m
}

fn listener(l: &aws_sdk_elasticloadbalancingv2::types::Listener) -> Value {
    let actions: Vec<Value> = l
        .default_actions()
        .iter()
        .map(|a| {
            json!({
                "type": a.r#type().map(|t| t.as_str()),
                "order": a.order(),
                "target_group_arn": a.target_group_arn(),
                "redirect": a.redirect_config().map(|r| vec![json!({
                    "protocol": r.protocol(), "port": r.port(), "host": r.host(), "path": r.path(),
                    "status_code": r.status_code().map(|x| x.as_str()),
                })]),
                "fixed_response": a.fixed_response_config().map(|f| vec![json!({"status_code": f.status_code()})]),
            })
        })
        .collect();
    json!({
        "arn": l.listener_arn(),
        "load_balancer_arn": l.load_balancer_arn(),
        "port": l.port(),
        "protocol": l.protocol().map(|p| p.as_str()),
        "ssl_policy": l.ssl_policy(),
        "certificate_arn": l.certificates().iter().find_map(|x| x.certificate_arn()),
        "default_action": actions,
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_elasticloadbalancingv2, s);
    let mut lbs = Vec::new();
    // The API's largest page (its default is smaller in some implementations): fewer calls.
    let mut pages = c
        .describe_load_balancers()
        .page_size(400)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => lbs.extend(out.load_balancers().iter().cloned()),
            Err(e) => {
                s.error(SVC, "DescribeLoadBalancers", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    // Tags: one call per 20 load balancers.
    let mut lb_tags: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let arns: Vec<String> = lbs
        .iter()
        .filter_map(|l| l.load_balancer_arn().map(str::to_string))
        .collect();
    for chunk in arns.chunks(20) {
        match c
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
        {
            Ok(out) => {
                for d in out.tag_descriptions() {
                    if let Some(arn) = d.resource_arn() {
                        lb_tags.insert(
                            arn.to_string(),
                            tags(d.tags().iter().map(|t| (t.key(), t.value()))),
                        );
                    }
                }
            }
            // Tags decide no rule; the failure is reported without making rules ERROR.
            Err(e) => s.error(SVC, "DescribeTags", &["aws_lb_tags"], None, &e),
        }
    }
    let per_lb = s
        .each(lbs, |lb| {
            let c = c.clone();
            async move {
                let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
                let attrs = c
                    .describe_load_balancer_attributes()
                    .load_balancer_arn(&arn)
                    .send()
                    .await;
                let mut listeners = Vec::new();
                let mut lerr = None;
                let mut pages = c
                    .describe_listeners()
                    .load_balancer_arn(&arn)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(out) => listeners.extend(out.listeners().iter().cloned()),
                        Err(e) => {
                            lerr = Some(e);
                            break;
                        }
                    }
                }
                (lb, arn, attrs, listeners, lerr)
            }
        })
        .await;
    for (lb, arn, attrs, listeners, lerr) in per_lb {
        let mut a = json!({
            "arn": arn,
            "name": lb.load_balancer_name(),
            "dns_name": lb.dns_name(),
            "load_balancer_type": lb.r#type().map(|t| t.as_str()),
            "internal": lb.scheme().map(|sc| sc.as_str() == "internal"),
            "vpc_id": lb.vpc_id(),
            "security_groups": lb.security_groups(),
            "subnets": lb.availability_zones().iter().filter_map(|z| z.subnet_id()).collect::<Vec<_>>(),
            "availability_zones": lb.availability_zones().iter().filter_map(|z| z.zone_name()).collect::<Vec<_>>(),
        });
        match attrs {
            Ok(out) => {
                let pairs: Vec<(String, String)> = out
                    .attributes()
                    .iter()
                    .filter_map(|x| {
                        Some((
                            x.key()?.to_string(),
                            x.value().unwrap_or_default().to_string(),
                        ))
                    })
                    .collect();
                if let Value::Object(m) = &mut a {
                    m.extend(map_attributes(&pairs));
                }
            }
            Err(e) => s.error(
                SVC,
                "DescribeLoadBalancerAttributes",
                &["aws_lb"],
                Some(&arn),
                &e,
            ),
        }
        if let Some(e) = lerr {
            s.error(
                SVC,
                "DescribeListeners",
                &["aws_lb_listener"],
                Some(&arn),
                &e,
            );
        }
        for l in &listeners {
            let id = l.listener_arn().unwrap_or_default().to_string();
            s.push("aws_lb_listener", id, None, listener(l), BTreeMap::new());
        }
        let name = lb.load_balancer_name().map(str::to_string);
        s.push(
            "aws_lb",
            arn.clone(),
            name,
            a,
            lb_tags.remove(&arn).unwrap_or_default(),
        );
    }
}
