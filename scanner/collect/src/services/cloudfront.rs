//! CloudFront: every distribution's full configuration (viewer policy of the default AND every cache
//! behaviour, certificate, origins, logging, default root object, web ACL).
use super::{Collector, Placement};
use crate::scope::Scope;
use aws_sdk_cloudfront::types::DistributionConfig;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "cloudfront",
    placement: Placement::Global,
    types: &["aws_cloudfront_distribution"],
    actions: &["cloudfront:ListDistributions", "cloudfront:GetDistribution"],
};

pub fn config(domain: Option<&str>, d: &DistributionConfig) -> Value {
    let origins: Vec<Value> = d
        .origins()
        .map(|o| o.items())
        .unwrap_or_default()
        .iter()
        .map(|o| {
            json!({
                "origin_id": o.id(),
                "domain_name": o.domain_name(),
                "origin_path": o.origin_path(),
                "origin_access_control_id": o.origin_access_control_id().filter(|x| !x.is_empty()),
                "s3_origin_config": o.s3_origin_config().map(|x| vec![json!({"origin_access_identity": x.origin_access_identity()})]),
                "custom_origin_config": o.custom_origin_config().map(|x| vec![json!({
                    "origin_protocol_policy": x.origin_protocol_policy().as_str(),
                    "http_port": x.http_port(),
                    "https_port": x.https_port(),
                    "origin_ssl_protocols": x.origin_ssl_protocols().map(|p| p.items().iter().map(|x| x.as_str()).collect::<Vec<_>>()).unwrap_or_default(),
                })]),
            })
        })
        .collect();
    let ordered: Vec<Value> = d
        .cache_behaviors()
        .map(|x| x.items())
        .unwrap_or_default()
        .iter()
        .map(|b| {
            json!({
                "path_pattern": b.path_pattern(),
                "target_origin_id": b.target_origin_id(),
                "viewer_protocol_policy": b.viewer_protocol_policy().as_str(),
            })
        })
        .collect();
    let logging = d
        .logging()
        .filter(|l| l.enabled())
        .map(|l| vec![json!({"bucket": l.bucket(), "include_cookies": l.include_cookies(), "prefix": l.prefix()})])
        .unwrap_or_default();
    json!({
        "domain_name": domain,
        "enabled": d.enabled(),
        "comment": d.comment(),
        "aliases": d.aliases().map(|a| a.items().to_vec()).unwrap_or_default(),
        "web_acl_id": d.web_acl_id().unwrap_or_default(),
        "default_root_object": d.default_root_object().unwrap_or_default(),
        "default_cache_behavior": d.default_cache_behavior().map(|b| vec![json!({
            "target_origin_id": b.target_origin_id(),
            "viewer_protocol_policy": b.viewer_protocol_policy().as_str(),
        })]),
        "ordered_cache_behavior": ordered,
        "viewer_certificate": d.viewer_certificate().map(|v| vec![json!({
            "cloudfront_default_certificate": v.cloud_front_default_certificate(),
            "minimum_protocol_version": v.minimum_protocol_version().map(|m| m.as_str()),
            "acm_certificate_arn": v.acm_certificate_arn(),
            "ssl_support_method": v.ssl_support_method().map(|m| m.as_str()),
        })]),
        "origin": origins,
        "logging_config": logging,
        "http_version": d.http_version().map(|h| h.as_str()),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_cloudfront, s);
    let mut ids = Vec::new();
    // 1,000 is the API's largest page (its default is 100).
    let mut pages = c
        .list_distributions()
        .max_items(1000)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                if let Some(list) = out.distribution_list() {
                    ids.extend(
                        list.items()
                            .iter()
                            .map(|d| (d.id().to_string(), d.arn().to_string())),
                    );
                }
            }
            Err(e) => {
                s.error("cloudfront", "ListDistributions", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    let fetched = s
        .each(ids, |(id, arn)| {
            let c = c.clone();
            async move {
                let r = c.get_distribution().id(&id).send().await;
                (id, arn, r)
            }
        })
        .await;
    for (id, arn, r) in fetched {
        match r {
            Ok(out) => {
                if let Some(d) = out.distribution() {
                    if let Some(cfg) = d.distribution_config() {
                        let mut attrs = config(Some(d.domain_name()), cfg);
                        attrs["id"] = json!(id);
                        attrs["arn"] = json!(arn);
                        s.push(
                            "aws_cloudfront_distribution",
                            arn.clone(),
                            Some(id.clone()),
                            attrs,
                            BTreeMap::new(),
                        );
                    }
                }
            }
            Err(e) => s.error(
                "cloudfront",
                "GetDistribution",
                COLLECTOR.types,
                Some(&arn),
                &e,
            ),
        }
    }
}
