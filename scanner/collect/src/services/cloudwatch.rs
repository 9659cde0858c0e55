//! CloudWatch: metric alarms (DescribeAlarms, which returns only metric alarms when no alarm type is
//! asked for), the alarms Application Auto Scaling creates included. A single-metric alarm has
//! `namespace`, `metric_name` and `dimensions` (a map, as in Terraform); a metric-math alarm has
//! `metric_query[]` with each metric in `metric[0]`. CloudWatch signs requests as `monitoring` but its IAM
//! prefix is `cloudwatch`: errors name the IAM action (`cloudwatch:DescribeAlarms`).
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "monitoring",
    placement: Placement::Regional,
    types: &["aws_cloudwatch_metric_alarm"],
    actions: &["cloudwatch:DescribeAlarms"],
};

const T: &str = "aws_cloudwatch_metric_alarm";

/// Dimensions as a map from name to value, as Terraform's `dimensions`.
pub fn dimensions(d: &[aws_sdk_cloudwatch::types::Dimension]) -> Value {
    Value::Object(
        d.iter()
            .filter_map(|x| {
                Some((
                    x.name()?.to_string(),
                    Value::String(x.value().unwrap_or_default().to_string()),
                ))
            })
            .collect::<Map<String, Value>>(),
    )
}

/// One element of Terraform's `metric_query`.
pub fn metric_query(q: &aws_sdk_cloudwatch::types::MetricDataQuery) -> Value {
    let metric = q.metric_stat().map(|st| {
        vec![json!({
            "namespace": st.metric().and_then(|m| m.namespace()),
            "metric_name": st.metric().and_then(|m| m.metric_name()),
            "dimensions": st.metric().map(|m| dimensions(m.dimensions())),
            "period": st.period(),
            "stat": st.stat(),
            "unit": st.unit().map(|u| u.as_str()),
        })]
    });
    json!({
        "id": q.id(),
        "expression": q.expression(),
        "label": q.label(),
        "return_data": q.return_data(),
        "period": q.period(),
        "account_id": q.account_id(),
        "metric": metric,
    })
}

/// A metric alarm's attributes.
pub fn alarm(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Value {
    let math = !a.metrics().is_empty();
    json!({
        "arn": a.alarm_arn(),
        "alarm_name": a.alarm_name(),
        "alarm_description": a.alarm_description(),
        "namespace": a.namespace(),
        "metric_name": a.metric_name(),
        // A metric-math alarm has its dimensions in metric_query.
        "dimensions": if math && a.dimensions().is_empty() { None } else { Some(dimensions(a.dimensions())) },
        "metric_query": if math { Some(a.metrics().iter().map(metric_query).collect::<Vec<_>>()) } else { None },
        "statistic": a.statistic().map(|s| s.as_str()),
        "extended_statistic": a.extended_statistic(),
        "period": a.period(),
        "unit": a.unit().map(|u| u.as_str()),
        "evaluation_periods": a.evaluation_periods(),
        "datapoints_to_alarm": a.datapoints_to_alarm(),
        "threshold": a.threshold(),
        "threshold_metric_id": a.threshold_metric_id(),
        "comparison_operator": a.comparison_operator().map(|x| x.as_str()),
        "treat_missing_data": a.treat_missing_data(),
        "evaluate_low_sample_count_percentiles": a.evaluate_low_sample_count_percentile(),
        "actions_enabled": a.actions_enabled(),
        "alarm_actions": a.alarm_actions(),
        "ok_actions": a.ok_actions(),
        "insufficient_data_actions": a.insufficient_data_actions(),
        "state_value": a.state_value().map(|v| v.as_str()),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_cloudwatch, s);
    let mut pages = c.describe_alarms().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for a in out.metric_alarms() {
                    s.push(
                        T,
                        a.alarm_arn().unwrap_or_default(),
                        a.alarm_name().map(str::to_string),
                        alarm(a),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => {
                s.error("cloudwatch", "DescribeAlarms", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatch::types::{
        ComparisonOperator, Dimension, Metric, MetricAlarm, MetricDataQuery, MetricStat, Statistic,
    };

    const ARN: &str = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:";
    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:app-alerts";

    fn dim(n: &str, v: &str) -> Dimension {
        Dimension::builder().name(n).value(v).build()
    }

    #[test]
    fn a_single_metric_alarm_has_its_dimensions_as_a_map() {
        let a = MetricAlarm::builder()
            .alarm_name("app-frontend-cpu")
            .alarm_arn(format!("{ARN}app-frontend-cpu"))
            .namespace("AWS/ECS")
            .metric_name("CPUUtilization")
            .dimensions(dim("ClusterName", "app-cluster"))
            .dimensions(dim("ServiceName", "app-frontend"))
            .statistic(Statistic::Average)
            .period(60)
            .evaluation_periods(5)
            .threshold(90.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .treat_missing_data("missing")
            .actions_enabled(true)
            .alarm_actions(TOPIC)
            .ok_actions(TOPIC)
            .build();
        assert_eq!(
            crate::scope::clean(alarm(&a)),
            json!({
                "arn": format!("{ARN}app-frontend-cpu"), "alarm_name": "app-frontend-cpu",
                "namespace": "AWS/ECS", "metric_name": "CPUUtilization",
                "dimensions": {"ClusterName": "app-cluster", "ServiceName": "app-frontend"},
                "statistic": "Average", "period": 60, "evaluation_periods": 5, "threshold": 90.0,
                "comparison_operator": "GreaterThanThreshold", "treat_missing_data": "missing",
                "actions_enabled": true, "alarm_actions": [TOPIC], "ok_actions": [TOPIC],
                "insufficient_data_actions": [],
            })
        );
    }

    #[test]
    fn a_metric_math_alarm_has_metric_query_blocks() {
        let metric = |name: &str| {
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace("AWS/ApplicationELB")
                        .metric_name(name)
                        .dimensions(dim("LoadBalancer", "app/app-alb/50dc6c495c0c9188"))
                        .build(),
                )
                .period(60)
                .stat("Sum")
                .build()
        };
        let a = MetricAlarm::builder()
            .alarm_name("app-alb-error-rate")
            .alarm_arn(format!("{ARN}app-alb-error-rate"))
            .metrics(
                MetricDataQuery::builder()
                    .id("e1")
                    .expression("100 * errors / requests")
                    .label("error rate")
                    .return_data(true)
                    .build(),
            )
            .metrics(
                MetricDataQuery::builder()
                    .id("errors")
                    .metric_stat(metric("HTTPCode_ELB_5XX_Count"))
                    .return_data(false)
                    .build(),
            )
            .metrics(
                MetricDataQuery::builder()
                    .id("requests")
                    .metric_stat(metric("RequestCount"))
                    .return_data(false)
                    .build(),
            )
            .evaluation_periods(3)
            .threshold(5.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .actions_enabled(false)
            .alarm_actions(TOPIC)
            .build();
        let m = |name: &str| {
            json!([{"namespace": "AWS/ApplicationELB", "metric_name": name,
                    "dimensions": {"LoadBalancer": "app/app-alb/50dc6c495c0c9188"},
                    "period": 60, "stat": "Sum"}])
        };
        assert_eq!(
            crate::scope::clean(alarm(&a)),
            json!({
                "arn": format!("{ARN}app-alb-error-rate"), "alarm_name": "app-alb-error-rate",
                "metric_query": [
                    {"id": "e1", "expression": "100 * errors / requests", "label": "error rate",
                     "return_data": true},
                    {"id": "errors", "return_data": false, "metric": m("HTTPCode_ELB_5XX_Count")},
                    {"id": "requests", "return_data": false, "metric": m("RequestCount")},
                ],
                "evaluation_periods": 3, "threshold": 5.0,
                "comparison_operator": "GreaterThanThreshold", "actions_enabled": false,
                "alarm_actions": [TOPIC], "ok_actions": [], "insufficient_data_actions": [],
            })
        );
    }

    #[test]
    fn an_alarm_without_dimensions_has_an_empty_map() {
        let a = MetricAlarm::builder()
            .alarm_name("billing")
            .namespace("AWS/Billing")
            .metric_name("EstimatedCharges")
            .extended_statistic("p95")
            .build();
        let v = crate::scope::clean(alarm(&a));
        assert_eq!(v["dimensions"], json!({}));
        assert_eq!(v["extended_statistic"], json!("p95"));
        assert!(v.get("statistic").is_none());
        assert!(v.get("metric_query").is_none());
    }
}
