//! Shield Advanced: the subscription (an unsubscribed account is data — subscription_state INACTIVE —
//! so SHD-01 FAILs instead of staying silent), the DRT and emergency contacts as evidence, and every
//! protection with its automatic application-layer response.
use super::{Collector, Placement};
use crate::scope::{service_code, Scope};
use serde_json::json;
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "shield",
    placement: Placement::Global,
    types: &["aws_shield_subscription", "aws_shield_protection"],
    actions: &[
        "shield:DescribeSubscription",
        "shield:DescribeDRTAccess",
        "shield:DescribeEmergencyContactSettings",
        "shield:ListProtections",
    ],
};

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_shield, s);
    let sub_id = format!("arn:aws:shield::{}:subscription", s.account);
    match c.describe_subscription().send().await {
        Ok(out) => {
            let sub = out.subscription();
            let mut attrs = json!({
                "subscription_state": "ACTIVE",
                "auto_renew": sub.and_then(|x| x.auto_renew()).map(|a| a.as_str()),
                "proactive_engagement_status": sub.and_then(|x| x.proactive_engagement_status()).map(|a| a.as_str()),
                "subscription_arn": sub.and_then(|x| x.subscription_arn()),
            });
            match c.describe_drt_access().send().await {
                Ok(d) => attrs["drt_role_arn"] = json!(d.role_arn()),
                Err(e) => s.error(
                    "shield",
                    "DescribeDRTAccess",
                    &["aws_shield_subscription"],
                    None,
                    &e,
                ),
            }
            match c.describe_emergency_contact_settings().send().await {
                Ok(d) => {
                    attrs["emergency_contacts"] = json!(d
                        .emergency_contact_list()
                        .iter()
                        .map(|x| json!({"email_address": x.email_address(), "phone_number": x.phone_number()}))
                        .collect::<Vec<_>>())
                }
                Err(e) => s.error("shield", "DescribeEmergencyContactSettings", &["aws_shield_subscription"], None, &e),
            }
            s.push(
                "aws_shield_subscription",
                sub_id,
                Some("shield-advanced".into()),
                attrs,
                BTreeMap::new(),
            );
        }
        Err(e) if service_code(&e).as_deref() == Some("ResourceNotFoundException") => {
            s.push(
                "aws_shield_subscription",
                sub_id,
                Some("shield-advanced".into()),
                json!({"subscription_state": "INACTIVE", "auto_renew": "DISABLED"}),
                BTreeMap::new(),
            );
        }
        Err(e) => s.error(
            "shield",
            "DescribeSubscription",
            &["aws_shield_subscription"],
            None,
            &e,
        ),
    }
    let mut pages = c.list_protections().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for p in out.protections() {
                    let status = p
                        .application_layer_automatic_response_configuration()
                        .map(|a| a.status().as_str());
                    s.push(
                        "aws_shield_protection",
                        p.protection_arn().unwrap_or_default(),
                        p.name().map(str::to_string),
                        json!({
                            "id": p.id(),
                            "name": p.name(),
                            "resource_arn": p.resource_arn(),
                            "application_layer_automatic_response_status": status.unwrap_or("DISABLED"),
                        }),
                        BTreeMap::new(),
                    );
                }
            }
            // Without a subscription there are no protections: that is data, not an error.
            Err(e) if service_code(&e).as_deref() == Some("ResourceNotFoundException") => break,
            Err(e) => {
                s.error(
                    "shield",
                    "ListProtections",
                    &["aws_shield_protection"],
                    None,
                    &e,
                );
                break;
            }
        }
    }
}
