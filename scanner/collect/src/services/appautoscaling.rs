//! Application Auto Scaling, ECS namespace: scalable targets (DescribeScalableTargets) and scaling policies
//! (DescribeScalingPolicies), both fully paginated, as Terraform's `aws_appautoscaling_target` and
//! `aws_appautoscaling_policy`. The two calls are independent: one failing leaves the other's type collected.
use super::{Collector, Placement};
use crate::scope::Scope;
use aws_sdk_applicationautoscaling::types::{
    ScalableTarget, ScalingPolicy, ServiceNamespace, StepScalingPolicyConfiguration,
    TargetTrackingScalingPolicyConfiguration,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SVC: &str = "application-autoscaling";
const TARGET: &str = "aws_appautoscaling_target";
const POLICY: &str = "aws_appautoscaling_policy";

pub const COLLECTOR: Collector = Collector {
    service: "application-autoscaling",
    placement: Placement::Regional,
    types: &[TARGET, POLICY],
    actions: &[
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
    ],
};

/// A number as Terraform writes it: an integral value as an integer (70), any other as a float (72.5).
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// The id of a scalable target: its ARN, or (from an API that returns none) a stable synthetic one.
pub fn target_id(t: &ScalableTarget, region: &str, account: &str) -> String {
    match t.scalable_target_arn() {
        Some(arn) if !arn.is_empty() => arn.to_string(),
        _ => format!(
            "arn:aws:application-autoscaling:{region}:{account}:scalable-target/{}/{}/{}",
            t.service_namespace().as_str(),
            t.resource_id(),
            t.scalable_dimension().as_str()
        ),
    }
}

/// An `aws_appautoscaling_target` (Terraform's `id` is the resource id).
pub fn target(t: &ScalableTarget) -> Value {
    json!({
        "arn": t.scalable_target_arn(),
        "id": t.resource_id(),
        "service_namespace": t.service_namespace().as_str(),
        "resource_id": t.resource_id(),
        "scalable_dimension": t.scalable_dimension().as_str(),
        "min_capacity": t.min_capacity(),
        "max_capacity": t.max_capacity(),
        "role_arn": t.role_arn(),
        "suspended_state": t.suspended_state().map(|x| vec![json!({
            "dynamic_scaling_in_suspended": x.dynamic_scaling_in_suspended(),
            "dynamic_scaling_out_suspended": x.dynamic_scaling_out_suspended(),
            "scheduled_scaling_suspended": x.scheduled_scaling_suspended(),
        })]),
    })
}

fn target_tracking(t: &TargetTrackingScalingPolicyConfiguration) -> Value {
    json!({
        "target_value": number(t.target_value()),
        "disable_scale_in": t.disable_scale_in(),
        "scale_in_cooldown": t.scale_in_cooldown(),
        "scale_out_cooldown": t.scale_out_cooldown(),
        "predefined_metric_specification": t.predefined_metric_specification().map(|p| vec![json!({
            "predefined_metric_type": p.predefined_metric_type().as_str(),
            "resource_label": p.resource_label(),
        })]),
        "customized_metric_specification": t.customized_metric_specification().map(|m| vec![json!({
            "metric_name": m.metric_name(),
            "namespace": m.namespace(),
            "statistic": m.statistic().map(|x| x.as_str()),
            "unit": m.unit(),
            "dimensions": m.dimensions().iter().map(|d| json!({"name": d.name(), "value": d.value()})).collect::<Vec<_>>(),
        })]),
    })
}

fn step_scaling(p: &StepScalingPolicyConfiguration) -> Value {
    json!({
        "adjustment_type": p.adjustment_type().map(|x| x.as_str()),
        "cooldown": p.cooldown(),
        "metric_aggregation_type": p.metric_aggregation_type().map(|x| x.as_str()),
        "min_adjustment_magnitude": p.min_adjustment_magnitude(),
        "step_adjustment": p.step_adjustments().iter().map(|a| json!({
            "metric_interval_lower_bound": a.metric_interval_lower_bound().map(number),
            "metric_interval_upper_bound": a.metric_interval_upper_bound().map(number),
            "scaling_adjustment": a.scaling_adjustment(),
        })).collect::<Vec<_>>(),
    })
}

/// An `aws_appautoscaling_policy`.
pub fn policy(p: &ScalingPolicy) -> Value {
    json!({
        "arn": p.policy_arn(),
        "name": p.policy_name(),
        "policy_type": p.policy_type().as_str(),
        "service_namespace": p.service_namespace().as_str(),
        "resource_id": p.resource_id(),
        "scalable_dimension": p.scalable_dimension().as_str(),
        "target_tracking_scaling_policy_configuration": p.target_tracking_scaling_policy_configuration().map(|t| vec![target_tracking(t)]),
        "step_scaling_policy_configuration": p.step_scaling_policy_configuration().map(|x| vec![step_scaling(x)]),
        "alarm_arns": p.alarms().iter().map(|a| a.alarm_arn()).collect::<Vec<_>>(),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_applicationautoscaling, s);

    let mut targets = Vec::new();
    let mut failed = false;
    let mut pages = c
        .describe_scalable_targets()
        .service_namespace(ServiceNamespace::Ecs)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => targets.extend(out.scalable_targets().iter().cloned()),
            Err(e) => {
                s.error(SVC, "DescribeScalableTargets", &[TARGET], None, &e);
                failed = true;
                break;
            }
        }
    }
    // A partial listing would look like a complete one: all or nothing.
    if !failed {
        for t in &targets {
            let name = format!("{}/{}", t.resource_id(), t.scalable_dimension().as_str());
            s.push(
                TARGET,
                target_id(t, &s.region, &s.account),
                Some(name),
                target(t),
                BTreeMap::new(),
            );
        }
    }

    let mut policies = Vec::new();
    let mut pages = c
        .describe_scaling_policies()
        .service_namespace(ServiceNamespace::Ecs)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => policies.extend(out.scaling_policies().iter().cloned()),
            Err(e) => {
                s.error(SVC, "DescribeScalingPolicies", &[POLICY], None, &e);
                return;
            }
        }
    }
    for p in &policies {
        s.push(
            POLICY,
            p.policy_arn(),
            Some(p.policy_name().to_string()),
            policy(p),
            BTreeMap::new(),
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use aws_sdk_applicationautoscaling::types::{
        Alarm, MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension,
        StepAdjustment,
    };
    use aws_smithy_types::DateTime;

    const TARGET_ARN: &str = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/4f1c6a5e9b2d4c3e8a7f0b1c2d3e4f50";
    const ROLE: &str = "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService";
    const POLICY_ARN: &str = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c40:resource/ecs/service/app-cluster/app-frontend:policyName/app-frontend-cpu";

    fn scalable_target(arn: Option<&str>) -> ScalableTarget {
        ScalableTarget::builder()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id("service/app-cluster/app-frontend")
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .min_capacity(2)
            .max_capacity(10)
            .role_arn(ROLE)
            .creation_time(DateTime::from_secs(0))
            .set_scalable_target_arn(arn.map(str::to_string))
            .build()
            .unwrap()
    }

    #[test]
    fn target_maps_to_terraform_names() {
        let t = scalable_target(Some(TARGET_ARN));
        assert_eq!(
            crate::scope::clean(target(&t)),
            json!({
                "arn": TARGET_ARN,
                "id": "service/app-cluster/app-frontend",
                "service_namespace": "ecs",
                "resource_id": "service/app-cluster/app-frontend",
                "scalable_dimension": "ecs:service:DesiredCount",
                "min_capacity": 2,
                "max_capacity": 10,
                "role_arn": ROLE,
            })
        );
        assert_eq!(target_id(&t, "us-east-1", "123456789012"), TARGET_ARN);
        let old = scalable_target(None);
        assert_eq!(
            target_id(&old, "us-east-1", "123456789012"),
            "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/ecs/service/app-cluster/app-frontend/ecs:service:DesiredCount"
        );
        assert!(crate::scope::clean(target(&old)).get("arn").is_none());
    }

    fn base_policy(
        t: PolicyType,
    ) -> aws_sdk_applicationautoscaling::types::builders::ScalingPolicyBuilder {
        ScalingPolicy::builder()
            .policy_arn(POLICY_ARN)
            .policy_name("app-frontend-cpu")
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id("service/app-cluster/app-frontend")
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .policy_type(t)
            .creation_time(DateTime::from_secs(0))
    }

    #[test]
    fn target_tracking_policy_maps_to_terraform_blocks() {
        let tracking = TargetTrackingScalingPolicyConfiguration::builder()
            .target_value(70.0)
            .disable_scale_in(false)
            .scale_in_cooldown(300)
            .scale_out_cooldown(60)
            .predefined_metric_specification(
                PredefinedMetricSpecification::builder()
                    .predefined_metric_type(MetricType::EcsServiceAverageCpuUtilization)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let p = base_policy(PolicyType::TargetTrackingScaling)
            .target_tracking_scaling_policy_configuration(tracking)
            .alarms(
                Alarm::builder()
                    .alarm_name("TargetTracking-high")
                    .alarm_arn(
                        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-high",
                    )
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(
            crate::scope::clean(policy(&p)),
            json!({
                "arn": POLICY_ARN,
                "name": "app-frontend-cpu",
                "policy_type": "TargetTrackingScaling",
                "service_namespace": "ecs",
                "resource_id": "service/app-cluster/app-frontend",
                "scalable_dimension": "ecs:service:DesiredCount",
                "target_tracking_scaling_policy_configuration": [{
                    "target_value": 70,
                    "disable_scale_in": false,
                    "scale_in_cooldown": 300,
                    "scale_out_cooldown": 60,
                    "predefined_metric_specification": [{"predefined_metric_type": "ECSServiceAverageCPUUtilization"}],
                }],
                "alarm_arns": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-high"],
            })
        );
    }

    #[test]
    fn step_policy_has_no_target_tracking_block() {
        let step = StepScalingPolicyConfiguration::builder()
            .cooldown(60)
            .step_adjustments(
                StepAdjustment::builder()
                    .metric_interval_lower_bound(0.5)
                    .scaling_adjustment(1)
                    .build()
                    .unwrap(),
            )
            .build();
        let p = base_policy(PolicyType::StepScaling)
            .step_scaling_policy_configuration(step)
            .build()
            .unwrap();
        let v = crate::scope::clean(policy(&p));
        assert!(v
            .get("target_tracking_scaling_policy_configuration")
            .is_none());
        assert_eq!(v["policy_type"], json!("StepScaling"));
        assert_eq!(
            v["step_scaling_policy_configuration"],
            json!([{"cooldown": 60, "step_adjustment": [{"metric_interval_lower_bound": 0.5, "scaling_adjustment": 1}]}])
        );
        assert_eq!(v["alarm_arns"], json!([]));
    }
}
