//! Route 53: hosted zones (Shield protection of public zones is judged on them).
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::json;
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "route53",
    placement: Placement::Global,
    types: &["aws_route53_zone"],
    actions: &["route53:ListHostedZones"],
};

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_route53, s);
    let mut pages = c.list_hosted_zones().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for z in out.hosted_zones() {
                    let zone_id = z.id().trim_start_matches("/hostedzone/").to_string();
                    s.push(
                        "aws_route53_zone",
                        format!("arn:aws:route53:::hostedzone/{zone_id}"),
                        Some(z.name().trim_end_matches('.').to_string()),
                        json!({
                            "name": z.name().trim_end_matches('.'),
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
                s.error("route53", "ListHostedZones", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
}
