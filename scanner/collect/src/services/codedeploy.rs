//! CodeDeploy: every deployment group of every application (ListApplications, ListDeploymentGroups per
//! application, then GetDeploymentGroup per group) with its deployment style, rollback and alarm
//! configuration, blue/green settings, ECS services and load balancer info, named as Terraform's
//! `aws_codedeploy_deployment_group`. The API returns no ARN for a group: its id is built as
//! `arn:aws:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>`.
use super::{Collector, Placement};
use crate::scope::{service_code, Scope};
use aws_sdk_codedeploy::types::{
    DeploymentGroupInfo, Ec2TagFilter, LoadBalancerInfo, TagFilter, TrafficRoute,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "codedeploy",
    placement: Placement::Regional,
    types: &["aws_codedeploy_deployment_group"],
    actions: &[
        "codedeploy:ListApplications",
        "codedeploy:ListDeploymentGroups",
        "codedeploy:GetDeploymentGroup",
    ],
};

const SVC: &str = "codedeploy";

/// The id of a deployment group.
pub fn group_arn(region: &str, account: &str, app: &str, group: &str) -> String {
    format!("arn:aws:codedeploy:{region}:{account}:deploymentgroup:{app}/{group}")
}

fn ec2_tag_filter(f: &Ec2TagFilter) -> Value {
    json!({"key": f.key(), "value": f.value(), "type": f.r#type().map(|t| t.as_str())})
}

fn tag_filter(f: &TagFilter) -> Value {
    json!({"key": f.key(), "value": f.value(), "type": f.r#type().map(|t| t.as_str())})
}

fn route(r: Option<&TrafficRoute>) -> Option<Vec<Value>> {
    r.map(|r| vec![json!({"listener_arns": r.listener_arns()})])
}

fn load_balancer_info(l: &LoadBalancerInfo) -> Value {
    let named = |n: Option<&str>| json!({ "name": n });
    json!({
        "elb_info": l.elb_info_list().iter().map(|e| named(e.name())).collect::<Vec<_>>(),
        "target_group_info": l.target_group_info_list().iter().map(|t| named(t.name())).collect::<Vec<_>>(),
        "target_group_pair_info": l.target_group_pair_info_list().iter().map(|p| json!({
            "prod_traffic_route": route(p.prod_traffic_route()),
            "test_traffic_route": route(p.test_traffic_route()),
            "target_group": p.target_groups().iter().map(|t| named(t.name())).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// A deployment group as Terraform's `aws_codedeploy_deployment_group` (nested blocks as lists).
pub fn deployment_group(g: &DeploymentGroupInfo, arn: &str) -> Value {
    let bg = g.blue_green_deployment_configuration().map(|b| {
        vec![json!({
            "deployment_ready_option": b.deployment_ready_option().map(|d| vec![json!({
                "action_on_timeout": d.action_on_timeout().map(|a| a.as_str()),
                "wait_time_in_minutes": d.wait_time_in_minutes(),
            })]),
            "green_fleet_provisioning_option": b.green_fleet_provisioning_option().map(|o| vec![json!({
                "action": o.action().map(|a| a.as_str()),
            })]),
            "terminate_blue_instances_on_deployment_success": b.terminate_blue_instances_on_deployment_success().map(|t| vec![json!({
                "action": t.action().map(|a| a.as_str()),
                "termination_wait_time_in_minutes": t.termination_wait_time_in_minutes(),
            })]),
        })]
    });
    json!({
        "arn": arn,
        "id": g.deployment_group_id(),
        "deployment_group_id": g.deployment_group_id(),
        "app_name": g.application_name(),
        "deployment_group_name": g.deployment_group_name(),
        "compute_platform": g.compute_platform().map(|p| p.as_str()),
        "deployment_config_name": g.deployment_config_name(),
        "service_role_arn": g.service_role_arn(),
        "deployment_style": g.deployment_style().map(|d| vec![json!({
            "deployment_type": d.deployment_type().map(|t| t.as_str()),
            "deployment_option": d.deployment_option().map(|o| o.as_str()),
        })]),
        "auto_rollback_configuration": g.auto_rollback_configuration().map(|r| vec![json!({
            "enabled": r.enabled(),
            "events": r.events().iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        })]),
        "alarm_configuration": g.alarm_configuration().map(|a| vec![json!({
            "enabled": a.enabled(),
            "alarms": a.alarms().iter().filter_map(|x| x.name()).collect::<Vec<_>>(),
            "ignore_poll_alarm_failure": a.ignore_poll_alarm_failure(),
        })]),
        "blue_green_deployment_config": bg,
        "ecs_service": g.ecs_services().iter().map(|s| json!({
            "cluster_name": s.cluster_name(),
            "service_name": s.service_name(),
        })).collect::<Vec<_>>(),
        "load_balancer_info": g.load_balancer_info().map(|l| vec![load_balancer_info(l)]),
        "autoscaling_groups": g.auto_scaling_groups().iter().filter_map(|a| a.name()).collect::<Vec<_>>(),
        "ec2_tag_filter": g.ec2_tag_filters().iter().map(ec2_tag_filter).collect::<Vec<_>>(),
        "ec2_tag_set": g.ec2_tag_set().map(|s| s.ec2_tag_set_list().iter().map(|set| json!({
            "ec2_tag_filter": set.iter().map(ec2_tag_filter).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()),
        "on_premises_instance_tag_filter": g.on_premises_instance_tag_filters().iter().map(tag_filter).collect::<Vec<_>>(),
        "trigger_configuration": g.trigger_configurations().iter().map(|t| json!({
            "trigger_name": t.trigger_name(),
            "trigger_target_arn": t.trigger_target_arn(),
            "trigger_events": t.trigger_events().iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "outdated_instances_strategy": g.outdated_instances_strategy().map(|o| o.as_str()),
        "termination_hook_enabled": g.termination_hook_enabled(),
    })
}

/// Errors meaning the application or group was deleted between the list and the read.
fn gone(code: Option<&str>) -> bool {
    matches!(
        code,
        Some("ApplicationDoesNotExistException") | Some("DeploymentGroupDoesNotExistException")
    )
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_codedeploy, s);
    let mut apps: Vec<String> = Vec::new();
    let mut pages = c.list_applications().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => apps.extend(out.applications().iter().cloned()),
            Err(e) => {
                s.error(SVC, "ListApplications", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    let listed = s
        .each(apps, |app| {
            let c = c.clone();
            async move {
                let mut groups = Vec::new();
                let mut pages = c
                    .list_deployment_groups()
                    .application_name(&app)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(out) => groups.extend(out.deployment_groups().iter().cloned()),
                        Err(e) => return (app, groups, Some(e)),
                    }
                }
                (app, groups, None)
            }
        })
        .await;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (app, groups, err) in listed {
        if let Some(e) = err {
            if !gone(service_code(&e).as_deref()) {
                // The groups of one application: no single group to name, so the error is for the type.
                s.error(SVC, "ListDeploymentGroups", COLLECTOR.types, None, &e);
            }
        }
        pairs.extend(groups.into_iter().map(|g| (app.clone(), g)));
    }
    // GetDeploymentGroup per group (BatchGetDeploymentGroups would read up to 100 groups of an application
    // per call, but not every endpoint implements it).
    let fetched = s
        .each(pairs, |(app, group)| {
            let c = c.clone();
            async move {
                let r = c
                    .get_deployment_group()
                    .application_name(&app)
                    .deployment_group_name(&group)
                    .send()
                    .await;
                (app, group, r)
            }
        })
        .await;
    for (app, group, r) in fetched {
        let arn = group_arn(&s.region, &s.account, &app, &group);
        match r {
            Ok(out) => {
                let Some(g) = out.deployment_group_info() else {
                    s.empty(
                        SVC,
                        "GetDeploymentGroup",
                        COLLECTOR.types,
                        Some(&arn),
                        "deployment group",
                    );
                    continue;
                };
                {
                    s.push(
                        "aws_codedeploy_deployment_group",
                        arn.clone(),
                        Some(g.deployment_group_name().unwrap_or(&group).to_string()),
                        deployment_group(g, &arn),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) if gone(service_code(&e).as_deref()) => {}
            Err(e) => s.error(SVC, "GetDeploymentGroup", COLLECTOR.types, Some(&arn), &e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use aws_sdk_codedeploy::types::{
        Alarm, AlarmConfiguration, AutoRollbackConfiguration, AutoRollbackEvent,
        BlueGreenDeploymentConfiguration, BlueInstanceTerminationOption, ComputePlatform,
        DeploymentOption, DeploymentReadyAction, DeploymentReadyOption, DeploymentStyle,
        DeploymentType, EcsService, InstanceAction, TargetGroupInfo, TargetGroupPairInfo,
    };

    const ARN: &str =
        "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:app-deploy/app-frontend-dg";

    fn frontend() -> DeploymentGroupInfo {
        DeploymentGroupInfo::builder()
            .application_name("app-deploy")
            .deployment_group_id("0a1b2c3d-0000-4000-8000-000000000001")
            .deployment_group_name("app-frontend-dg")
            .compute_platform(ComputePlatform::Ecs)
            .deployment_config_name("CodeDeployDefault.ECSAllAtOnce")
            .service_role_arn("arn:aws:iam::123456789012:role/app-codedeploy")
            .deployment_style(
                DeploymentStyle::builder()
                    .deployment_type(DeploymentType::BlueGreen)
                    .deployment_option(DeploymentOption::WithTrafficControl)
                    .build(),
            )
            .auto_rollback_configuration(
                AutoRollbackConfiguration::builder()
                    .enabled(true)
                    .events(AutoRollbackEvent::DeploymentFailure)
                    .events(AutoRollbackEvent::DeploymentStopOnAlarm)
                    .build(),
            )
            .alarm_configuration(
                AlarmConfiguration::builder()
                    .enabled(true)
                    .alarms(Alarm::builder().name("app-alb-5xx").build())
                    .ignore_poll_alarm_failure(false)
                    .build(),
            )
            .blue_green_deployment_configuration(
                BlueGreenDeploymentConfiguration::builder()
                    .deployment_ready_option(
                        DeploymentReadyOption::builder()
                            .action_on_timeout(DeploymentReadyAction::ContinueDeployment)
                            .wait_time_in_minutes(0)
                            .build(),
                    )
                    .terminate_blue_instances_on_deployment_success(
                        BlueInstanceTerminationOption::builder()
                            .action(InstanceAction::Terminate)
                            .termination_wait_time_in_minutes(15)
                            .build(),
                    )
                    .build(),
            )
            .ecs_services(
                EcsService::builder()
                    .cluster_name("app-cluster")
                    .service_name("app-frontend")
                    .build(),
            )
            .load_balancer_info(
                LoadBalancerInfo::builder()
                    .target_group_pair_info_list(
                        TargetGroupPairInfo::builder()
                            .target_groups(TargetGroupInfo::builder().name("app-frontend-blue").build())
                            .target_groups(TargetGroupInfo::builder().name("app-frontend-green").build())
                            .prod_traffic_route(
                                TrafficRoute::builder()
                                    .listener_arns("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-alb/50dc6c495c0c9188/1a2b3c4d5e6f7a81")
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build()
    }

    #[test]
    fn maps_a_blue_green_ecs_group() {
        let v = crate::scope::clean(deployment_group(&frontend(), ARN));
        assert_eq!(
            v,
            json!({
                "arn": ARN,
                "id": "0a1b2c3d-0000-4000-8000-000000000001",
                "deployment_group_id": "0a1b2c3d-0000-4000-8000-000000000001",
                "app_name": "app-deploy",
                "deployment_group_name": "app-frontend-dg",
                "compute_platform": "ECS",
                "deployment_config_name": "CodeDeployDefault.ECSAllAtOnce",
                "service_role_arn": "arn:aws:iam::123456789012:role/app-codedeploy",
                "deployment_style": [{"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}],
                "auto_rollback_configuration": [{"enabled": true, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}],
                "alarm_configuration": [{"enabled": true, "alarms": ["app-alb-5xx"], "ignore_poll_alarm_failure": false}],
                "blue_green_deployment_config": [{
                    "deployment_ready_option": [{"action_on_timeout": "CONTINUE_DEPLOYMENT", "wait_time_in_minutes": 0}],
                    "terminate_blue_instances_on_deployment_success": [{"action": "TERMINATE", "termination_wait_time_in_minutes": 15}],
                }],
                "ecs_service": [{"cluster_name": "app-cluster", "service_name": "app-frontend"}],
                "load_balancer_info": [{
                    "elb_info": [],
                    "target_group_info": [],
                    "target_group_pair_info": [{
                        "prod_traffic_route": [{"listener_arns": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-alb/50dc6c495c0c9188/1a2b3c4d5e6f7a81"]}],
                        "target_group": [{"name": "app-frontend-blue"}, {"name": "app-frontend-green"}],
                    }],
                }],
                "autoscaling_groups": [],
                "ec2_tag_filter": [],
                "on_premises_instance_tag_filter": [],
                "trigger_configuration": [],
                "termination_hook_enabled": false,
            })
        );
    }

    #[test]
    fn a_group_without_rollback_has_no_rollback_block() {
        let g = DeploymentGroupInfo::builder()
            .application_name("legacy")
            .deployment_group_name("legacy-api-dg")
            .compute_platform(ComputePlatform::Server)
            .build();
        let arn = group_arn("eu-west-1", "123456789012", "legacy", "legacy-api-dg");
        assert_eq!(
            arn,
            "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:legacy/legacy-api-dg"
        );
        let v = crate::scope::clean(deployment_group(&g, &arn));
        assert_eq!(v["compute_platform"], json!("Server"));
        assert!(v.get("auto_rollback_configuration").is_none());
        assert!(v.get("deployment_style").is_none());
        assert_eq!(v["ecs_service"], json!([]));
    }
}
