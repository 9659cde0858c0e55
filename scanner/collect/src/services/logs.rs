//! CloudWatch Logs: log groups with their retention and encryption (DescribeLogGroups gives all of it).
//! A group without a retention policy never expires: the API then omits retentionInDays and the inventory
//! says 0, as Terraform does.
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "logs",
    placement: Placement::Regional,
    types: &["aws_cloudwatch_log_group"],
    actions: &["logs:DescribeLogGroups"],
};

const T: &str = "aws_cloudwatch_log_group";

/// The id of a log group: its ARN without the `:*` that DescribeLogGroups's `arn` ends with.
pub fn log_group_id(
    g: &aws_sdk_cloudwatchlogs::types::LogGroup,
    region: &str,
    account: &str,
) -> String {
    g.log_group_arn()
        .map(str::to_string)
        .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()))
        .unwrap_or_else(|| {
            format!(
                "arn:aws:logs:{region}:{account}:log-group:{}",
                g.log_group_name().unwrap_or_default()
            )
        })
}

/// A log group's attributes (`arn` is its id). No KMS key is `""`, as in Terraform.
pub fn log_group(g: &aws_sdk_cloudwatchlogs::types::LogGroup, id: &str) -> Value {
    json!({
        "arn": id,
        "name": g.log_group_name(),
        "retention_in_days": g.retention_in_days().unwrap_or(0),
        "kms_key_id": g.kms_key_id().unwrap_or_default(),
        "log_group_class": g.log_group_class().map(|x| x.as_str()),
        "deletion_protection_enabled": g.deletion_protection_enabled(),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_cloudwatchlogs, s);
    let mut pages = c.describe_log_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for g in out.log_groups() {
                    let id = log_group_id(g, &s.region, &s.account);
                    s.push(
                        T,
                        id.clone(),
                        g.log_group_name().map(str::to_string),
                        log_group(g, &id),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => {
                s.error("logs", "DescribeLogGroups", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatchlogs::types::{LogGroup, LogGroupClass};

    #[test]
    fn a_group_without_retention_never_expires_and_its_id_has_no_wildcard() {
        let g = LogGroup::builder()
            .log_group_name("/aws/codebuild/app-build")
            .arn("arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app-build:*")
            .log_group_class(LogGroupClass::Standard)
            .build();
        let id = log_group_id(&g, "us-east-1", "123456789012");
        assert_eq!(
            id,
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app-build"
        );
        assert_eq!(
            crate::scope::clean(log_group(&g, &id)),
            json!({
                "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app-build",
                "name": "/aws/codebuild/app-build", "retention_in_days": 0, "kms_key_id": "",
                "log_group_class": "STANDARD",
            })
        );
    }

    #[test]
    fn retention_and_key_are_kept() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        let g = LogGroup::builder()
            .log_group_name("/ecs/app-frontend")
            .arn("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app-frontend:*")
            .log_group_arn("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app-frontend")
            .retention_in_days(365)
            .kms_key_id(key)
            .deletion_protection_enabled(true)
            .build();
        let id = log_group_id(&g, "us-east-1", "123456789012");
        assert_eq!(
            crate::scope::clean(log_group(&g, &id)),
            json!({
                "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app-frontend",
                "name": "/ecs/app-frontend", "retention_in_days": 365, "kms_key_id": key,
                "deletion_protection_enabled": true,
            })
        );
    }

    #[test]
    fn without_any_arn_the_id_is_built_from_region_account_and_name() {
        let g = LogGroup::builder()
            .log_group_name("/ecs/legacy-web")
            .build();
        assert_eq!(
            log_group_id(&g, "eu-west-1", "210987654321"),
            "arn:aws:logs:eu-west-1:210987654321:log-group:/ecs/legacy-web"
        );
    }
}
