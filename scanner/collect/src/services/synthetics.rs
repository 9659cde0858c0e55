//! CloudWatch Synthetics: canaries with their state, schedule and run configuration (DescribeCanaries
//! returns them with their tags). The API gives no canary ARN: it is
//! `arn:aws:synthetics:<region>:<account>:canary:<name>`.
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "synthetics",
    placement: Placement::Regional,
    types: &["aws_synthetics_canary"],
    actions: &["synthetics:DescribeCanaries"],
};

const T: &str = "aws_synthetics_canary";

/// The ARN of a canary.
pub fn canary_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:synthetics:{region}:{account}:canary:{name}")
}

/// A canary's attributes. `start_canary` (Terraform's switch to run the canary) is whether its state is
/// RUNNING or STARTING; it is absent when the state is unknown.
pub fn canary(k: &aws_sdk_synthetics::types::Canary, arn: &str) -> Value {
    use aws_sdk_synthetics::types::CanaryState;
    let state = k.status().and_then(|s| s.state());
    json!({
        "arn": arn,
        "id": k.id(),
        "name": k.name(),
        "status": state.map(|s| s.as_str()),
        "start_canary": state.map(|s| matches!(s, CanaryState::Running | CanaryState::Starting)),
        "runtime_version": k.runtime_version(),
        "handler": k.code().and_then(|x| x.handler()),
        "source_location_arn": k.code().and_then(|x| x.source_location_arn()),
        "engine_arn": k.engine_arn(),
        "artifact_s3_location": k.artifact_s3_location(),
        "execution_role_arn": k.execution_role_arn(),
        "schedule": k.schedule().map(|x| vec![json!({
            "expression": x.expression(),
            "duration_in_seconds": x.duration_in_seconds(),
        })]),
        "run_config": k.run_config().map(|x| vec![json!({
            "timeout_in_seconds": x.timeout_in_seconds(),
            "memory_in_mb": x.memory_in_mb(),
            "active_tracing": x.active_tracing(),
        })]),
        "vpc_config": k.vpc_config().map(|x| vec![json!({
            "vpc_id": x.vpc_id(),
            "subnet_ids": x.subnet_ids(),
            "security_group_ids": x.security_group_ids(),
        })]),
        "success_retention_period": k.success_retention_period_in_days(),
        "failure_retention_period": k.failure_retention_period_in_days(),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_synthetics, s);
    let mut pages = c.describe_canaries().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for k in out.canaries() {
                    let name = k.name().unwrap_or_default();
                    let arn = canary_arn(&s.region, &s.account, name);
                    let tags: BTreeMap<String, String> = k
                        .tags()
                        .map(|t| t.iter().map(|(a, b)| (a.clone(), b.clone())).collect())
                        .unwrap_or_default();
                    s.push(
                        T,
                        arn.clone(),
                        k.name().map(str::to_string),
                        canary(k, &arn),
                        tags,
                    );
                }
            }
            Err(e) => {
                s.error("synthetics", "DescribeCanaries", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_synthetics::types::{
        Canary, CanaryCodeOutput, CanaryRunConfigOutput, CanaryScheduleOutput, CanaryState,
        CanaryStatus,
    };

    fn homepage(state: Option<CanaryState>) -> Canary {
        let mut status = CanaryStatus::builder();
        if let Some(st) = state {
            status = status.state(st);
        }
        Canary::builder()
            .id("c0ffee00-0000-4000-8000-000000000001")
            .name("app-homepage")
            .status(status.build())
            .runtime_version("syn-nodejs-puppeteer-9.1")
            .code(CanaryCodeOutput::builder().handler("index.handler").build())
            .artifact_s3_location("s3://app-logs/canary/app-homepage/")
            .execution_role_arn("arn:aws:iam::123456789012:role/app-canary")
            .schedule(
                CanaryScheduleOutput::builder()
                    .expression("rate(5 minutes)")
                    .duration_in_seconds(0)
                    .build(),
            )
            .run_config(
                CanaryRunConfigOutput::builder()
                    .timeout_in_seconds(60)
                    .memory_in_mb(1024)
                    .active_tracing(true)
                    .build(),
            )
            .success_retention_period_in_days(31)
            .failure_retention_period_in_days(31)
            .tags("stack", "app")
            .build()
    }

    #[test]
    fn schedule_and_run_config_are_nested_blocks() {
        let arn = canary_arn("us-east-1", "123456789012", "app-homepage");
        assert_eq!(
            arn,
            "arn:aws:synthetics:us-east-1:123456789012:canary:app-homepage"
        );
        assert_eq!(
            crate::scope::clean(canary(&homepage(Some(CanaryState::Running)), &arn)),
            json!({
                "arn": arn, "id": "c0ffee00-0000-4000-8000-000000000001", "name": "app-homepage",
                "status": "RUNNING", "start_canary": true,
                "runtime_version": "syn-nodejs-puppeteer-9.1", "handler": "index.handler",
                "artifact_s3_location": "s3://app-logs/canary/app-homepage/",
                "execution_role_arn": "arn:aws:iam::123456789012:role/app-canary",
                "schedule": [{"expression": "rate(5 minutes)", "duration_in_seconds": 0}],
                "run_config": [{"timeout_in_seconds": 60, "memory_in_mb": 1024, "active_tracing": true}],
                "success_retention_period": 31, "failure_retention_period": 31,
            })
        );
    }

    #[test]
    fn a_stopped_canary_is_not_started_and_an_unknown_state_is_absent() {
        let arn = canary_arn("us-east-1", "123456789012", "app-homepage");
        let v = crate::scope::clean(canary(&homepage(Some(CanaryState::Stopped)), &arn));
        assert_eq!(v["status"], json!("STOPPED"));
        assert_eq!(v["start_canary"], json!(false));
        let v = crate::scope::clean(canary(&homepage(None), &arn));
        assert!(v.get("status").is_none() && v.get("start_canary").is_none());
    }
}
