//! ECS: clusters (ListClusters, then DescribeClusters 100 at a time with their settings and tags), the
//! services of every cluster (ListServices, then DescribeServices 10 at a time with their tags), and the task
//! definitions those services run (DescribeTaskDefinition once per distinct ARN a service, one of its
//! deployments or one of its task sets names; the account's other revisions are not listed).
//!
//! `container_definitions` is, as in Terraform, a JSON string of the API's camelCase container definitions.
//! A container's environment values are never kept in clear text: every `environment[].value` goes through
//! [`redact_value`], and so does a log option whose name says it holds a credential (a Splunk token, a
//! Datadog API key). `secrets[].valueFrom` are references and are kept; a container's command, entry point
//! and Docker labels, which no rule reads and which may hold secrets, are left out.
use super::{Collector, Placement};
use crate::scope::{clean, redact_value, tags, Scope};
use aws_sdk_ecs::types::{
    AssignPublicIp, CapacityProviderStrategyItem, Cluster, ClusterField, ContainerDefinition,
    Failure, LogConfiguration, Secret, Service, ServiceField, TaskDefinition, TaskDefinitionField,
};
use palisade_model::ErrorKind;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const SVC: &str = "ecs";
const CLUSTER: &str = "aws_ecs_cluster";
const SERVICE: &str = "aws_ecs_service";
const TASK_DEFINITION: &str = "aws_ecs_task_definition";

pub const COLLECTOR: Collector = Collector {
    service: "ecs",
    placement: Placement::Regional,
    types: &[CLUSTER, SERVICE, TASK_DEFINITION],
    actions: &[
        "ecs:ListClusters",
        "ecs:DescribeClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:DescribeTaskDefinition",
    ],
};

/// DescribeClusters takes at most 100 clusters, DescribeServices at most 10 services.
const CLUSTER_BATCH: usize = 100;
const SERVICE_BATCH: usize = 10;

fn strategy(items: &[CapacityProviderStrategyItem]) -> Vec<Value> {
    items
        .iter()
        .map(|i| json!({"capacity_provider": i.capacity_provider(), "weight": i.weight(), "base": i.base()}))
        .collect()
}

/// An `aws_ecs_cluster` (described with SETTINGS and TAGS).
pub fn cluster(cl: &Cluster) -> Value {
    let settings: Vec<Value> = cl
        .settings()
        .iter()
        .map(|x| json!({"name": x.name().map(|n| n.as_str()), "value": x.value()}))
        .collect();
    let exec = cl
        .configuration()
        .and_then(|x| x.execute_command_configuration())
        .map(|e| {
            vec![json!({
                "kms_key_id": e.kms_key_id(),
                "logging": e.logging().map(|l| l.as_str()),
                "log_configuration": e.log_configuration().map(|l| vec![json!({
                    "cloud_watch_encryption_enabled": l.cloud_watch_encryption_enabled(),
                    "cloud_watch_log_group_name": l.cloud_watch_log_group_name(),
                    "s3_bucket_name": l.s3_bucket_name(),
                    "s3_bucket_encryption_enabled": l.s3_encryption_enabled(),
                    "s3_key_prefix": l.s3_key_prefix(),
                })]),
            })]
        });
    json!({
        "arn": cl.cluster_arn(),
        "name": cl.cluster_name(),
        "setting": settings,
        "configuration": exec.map(|e| vec![json!({"execute_command_configuration": e})]),
        "capacity_providers": cl.capacity_providers(),
        "default_capacity_provider_strategy": strategy(cl.default_capacity_provider_strategy()),
        "status": cl.status(),
    })
}

/// An `aws_ecs_service`; `assign_public_ip` is Terraform's boolean (the API's ENABLED/DISABLED).
pub fn service(svc: &Service) -> Value {
    let network = svc
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .map(|v| {
            let public_ip = match v.assign_public_ip() {
                Some(AssignPublicIp::Enabled) => Some(true),
                Some(AssignPublicIp::Disabled) => Some(false),
                _ => None,
            };
            vec![json!({
                "subnets": v.subnets(),
                "security_groups": v.security_groups(),
                "assign_public_ip": public_ip,
            })]
        });
    let load_balancers: Vec<Value> = svc
        .load_balancers()
        .iter()
        .map(|l| {
            json!({
                "target_group_arn": l.target_group_arn(),
                "elb_name": l.load_balancer_name(),
                "container_name": l.container_name(),
                "container_port": l.container_port(),
            })
        })
        .collect();
    let deployment = svc.deployment_configuration();
    json!({
        "id": svc.service_arn(),
        "name": svc.service_name(),
        "cluster": svc.cluster_arn(),
        "task_definition": svc.task_definition(),
        "desired_count": svc.desired_count(),
        "launch_type": svc.launch_type().map(|x| x.as_str()),
        "capacity_provider_strategy": strategy(svc.capacity_provider_strategy()),
        "platform_version": svc.platform_version(),
        "platform_family": svc.platform_family(),
        "scheduling_strategy": svc.scheduling_strategy().map(|x| x.as_str()),
        "network_configuration": network,
        "load_balancer": load_balancers,
        "deployment_controller": svc.deployment_controller().map(|d| vec![json!({"type": d.r#type().as_str()})]),
        "deployment_circuit_breaker": deployment
            .and_then(|d| d.deployment_circuit_breaker())
            .map(|b| vec![json!({"enable": b.enable(), "rollback": b.rollback()})]),
        "deployment_maximum_percent": deployment.and_then(|d| d.maximum_percent()),
        "deployment_minimum_healthy_percent": deployment.and_then(|d| d.minimum_healthy_percent()),
        "health_check_grace_period_seconds": svc.health_check_grace_period_seconds(),
        "iam_role": svc.role_arn(),
        "enable_execute_command": svc.enable_execute_command(),
        "enable_ecs_managed_tags": svc.enable_ecs_managed_tags(),
        "propagate_tags": svc.propagate_tags().map(|x| x.as_str()),
        "status": svc.status(),
    })
}

/// Every task definition a service runs: its own, its deployments' and its task sets'.
pub fn task_definitions_used(svc: &Service) -> BTreeSet<String> {
    svc.task_definition()
        .into_iter()
        .chain(svc.deployments().iter().filter_map(|d| d.task_definition()))
        .chain(svc.task_sets().iter().filter_map(|t| t.task_definition()))
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

/// A log option whose name says it holds a credential is redacted like an environment value.
fn log_option(key: &str, value: &str) -> String {
    if palisade_model::redact::credential_option(key) {
        redact_value(value)
    } else {
        value.to_string()
    }
}

fn secret(x: &Secret) -> Value {
    json!({"name": x.name(), "valueFrom": x.value_from()})
}

fn log_configuration(l: &LogConfiguration) -> Value {
    let options: Option<BTreeMap<&str, String>> = l.options.as_ref().map(|o| {
        o.iter()
            .map(|(k, v)| (k.as_str(), log_option(k, v)))
            .collect()
    });
    json!({
        "logDriver": l.log_driver().as_str(),
        "options": options,
        "secretOptions": l.secret_options.as_ref().map(|v| v.iter().map(secret).collect::<Vec<_>>()),
    })
}

/// One container definition in the API's camelCase, environment values redacted. A list the API did not
/// return is absent; an empty one stays empty.
pub fn container(cd: &ContainerDefinition) -> Value {
    let environment = cd.environment.as_ref().map(|v| {
        v.iter()
            .map(|kv| json!({"name": kv.name(), "value": kv.value().map(redact_value)}))
            .collect::<Vec<_>>()
    });
    let port_mappings = cd.port_mappings.as_ref().map(|v| {
        v.iter()
            .map(|p| {
                json!({
                    "containerPort": p.container_port(),
                    "hostPort": p.host_port(),
                    "protocol": p.protocol().map(|x| x.as_str()),
                    "name": p.name(),
                    "appProtocol": p.app_protocol().map(|x| x.as_str()),
                    "containerPortRange": p.container_port_range(),
                })
            })
            .collect::<Vec<_>>()
    });
    let environment_files = cd.environment_files.as_ref().map(|v| {
        v.iter()
            .map(|f| json!({"value": f.value(), "type": f.r#type().as_str()}))
            .collect::<Vec<_>>()
    });
    let linux = cd.linux_parameters().map(|l| {
        json!({
            "capabilities": l.capabilities().map(|k| json!({"add": k.add.clone(), "drop": k.drop.clone()})),
            "initProcessEnabled": l.init_process_enabled(),
        })
    });
    clean(json!({
        "name": cd.name(),
        "image": cd.image(),
        "repositoryCredentials": cd.repository_credentials().map(|r| json!({"credentialsParameter": r.credentials_parameter()})),
        "essential": cd.essential(),
        "cpu": cd.cpu(),
        "memory": cd.memory(),
        "memoryReservation": cd.memory_reservation(),
        "portMappings": port_mappings,
        "environment": environment,
        "environmentFiles": environment_files,
        "secrets": cd.secrets.as_ref().map(|v| v.iter().map(secret).collect::<Vec<_>>()),
        "logConfiguration": cd.log_configuration().map(log_configuration),
        "readonlyRootFilesystem": cd.readonly_root_filesystem(),
        "user": cd.user(),
        "privileged": cd.privileged(),
        "linuxParameters": linux,
        "dockerSecurityOptions": cd.docker_security_options.clone(),
    }))
}

/// Terraform's `container_definitions`: a JSON string of the (redacted) container definitions.
pub fn container_definitions(cds: &[ContainerDefinition]) -> String {
    Value::Array(cds.iter().map(container).collect()).to_string()
}

/// An `aws_ecs_task_definition` (DescribeTaskDefinition).
pub fn task_definition(td: &TaskDefinition) -> Value {
    let arn = td.task_definition_arn();
    let without_revision = arn.and_then(|a| {
        a.rsplit_once(':')
            .filter(|(_, rev)| !rev.is_empty() && rev.bytes().all(|b| b.is_ascii_digit()))
            .map(|(base, _)| base)
    });
    json!({
        "arn": arn,
        "arn_without_revision": without_revision,
        "family": td.family(),
        "revision": td.revision(),
        "status": td.status().map(|x| x.as_str()),
        "network_mode": td.network_mode().map(|x| x.as_str()),
        "requires_compatibilities": td.requires_compatibilities.as_ref().map(|v| v.iter().map(|x| x.as_str()).collect::<Vec<_>>()),
        "cpu": td.cpu(),
        "memory": td.memory(),
        "task_role_arn": td.task_role_arn(),
        "execution_role_arn": td.execution_role_arn(),
        "pid_mode": td.pid_mode().map(|x| x.as_str()),
        "ipc_mode": td.ipc_mode().map(|x| x.as_str()),
        "runtime_platform": td.runtime_platform().map(|p| vec![json!({
            "operating_system_family": p.operating_system_family().map(|x| x.as_str()),
            "cpu_architecture": p.cpu_architecture().map(|x| x.as_str()),
        })]),
        "container_definitions": td.container_definitions.as_deref().map(container_definitions),
    })
}

/// Records the failures of a batch describe call, except MISSING (deleted since it was listed).
fn failures(s: &Scope, operation: &str, types: &[&str], items: &[Failure]) {
    for f in items {
        let reason = f.reason().unwrap_or("Failure");
        if reason == "MISSING" {
            continue;
        }
        s.record(
            SVC,
            operation,
            types,
            f.arn(),
            reason.to_string(),
            f.detail().unwrap_or_default().to_string(),
            ErrorKind::Other,
        );
    }
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_ecs, s);
    let mut cluster_arns: Vec<String> = Vec::new();
    let mut pages = c.list_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => cluster_arns.extend(out.cluster_arns().iter().cloned()),
            Err(e) => {
                s.error(SVC, "ListClusters", COLLECTOR.types, None, &e);
                return;
            }
        }
    }

    for chunk in cluster_arns.chunks(CLUSTER_BATCH) {
        let described = c
            .describe_clusters()
            .set_clusters(Some(chunk.to_vec()))
            .include(ClusterField::Settings)
            .include(ClusterField::Tags)
            .send()
            .await;
        match described {
            Ok(out) => {
                for cl in out.clusters() {
                    let arn = cl.cluster_arn().unwrap_or_default().to_string();
                    let tg = tags(cl.tags().iter().map(|t| (t.key(), t.value())));
                    s.push(
                        CLUSTER,
                        arn,
                        cl.cluster_name().map(str::to_string),
                        cluster(cl),
                        tg,
                    );
                }
                failures(s, "DescribeClusters", &[CLUSTER], out.failures());
            }
            // The clusters are known by their ARNs: the error concerns exactly them, and their services are
            // still listed below.
            Err(e) => {
                for arn in chunk {
                    s.error(SVC, "DescribeClusters", &[CLUSTER], Some(arn), &e);
                }
            }
        }
    }

    // The services of every cluster. A failure concerns that cluster's services and the task definitions
    // they would have named.
    let per_cluster = s
        .each(cluster_arns, |cluster_arn| {
            let c = c.clone();
            async move {
                let types = &[SERVICE, TASK_DEFINITION];
                let mut arns: Vec<String> = Vec::new();
                let mut pages = c
                    .list_services()
                    .cluster(&cluster_arn)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(out) => arns.extend(out.service_arns().iter().cloned()),
                        Err(e) => {
                            s.error(SVC, "ListServices", types, Some(&cluster_arn), &e);
                            return Vec::new();
                        }
                    }
                }
                let mut services: Vec<Service> = Vec::new();
                for chunk in arns.chunks(SERVICE_BATCH) {
                    let described = c
                        .describe_services()
                        .cluster(&cluster_arn)
                        .set_services(Some(chunk.to_vec()))
                        .include(ServiceField::Tags)
                        .send()
                        .await;
                    match described {
                        Ok(out) => {
                            services.extend(out.services().iter().cloned());
                            failures(s, "DescribeServices", types, out.failures());
                        }
                        Err(e) => s.error(SVC, "DescribeServices", types, Some(&cluster_arn), &e),
                    }
                }
                services
            }
        })
        .await;

    let mut used: BTreeSet<String> = BTreeSet::new();
    for svc in per_cluster.iter().flatten() {
        used.extend(task_definitions_used(svc));
        let arn = svc.service_arn().unwrap_or_default().to_string();
        let tg = tags(svc.tags().iter().map(|t| (t.key(), t.value())));
        s.push(
            SERVICE,
            arn,
            svc.service_name().map(str::to_string),
            service(svc),
            tg,
        );
    }

    let described = s
        .each(used.into_iter().collect(), |arn: String| {
            let c = c.clone();
            async move {
                let r = c
                    .describe_task_definition()
                    .task_definition(&arn)
                    .include(TaskDefinitionField::Tags)
                    .send()
                    .await;
                (arn, r)
            }
        })
        .await;
    for (arn, r) in described {
        match r {
            Ok(out) => {
                let Some(td) = out.task_definition() else {
                    s.empty(
                        SVC,
                        "DescribeTaskDefinition",
                        &[TASK_DEFINITION],
                        Some(&arn),
                        "task definition",
                    );
                    continue;
                };
                let id = td.task_definition_arn().unwrap_or(&arn).to_string();
                let name = td.family().map(|f| format!("{f}:{}", td.revision()));
                let tg = tags(out.tags().iter().map(|t| (t.key(), t.value())));
                s.push(TASK_DEFINITION, id, name, task_definition(td), tg);
            }
            Err(e) => s.error(
                SVC,
                "DescribeTaskDefinition",
                &[TASK_DEFINITION],
                Some(&arn),
                &e,
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use aws_sdk_ecs::types::{
        AwsVpcConfiguration, ClusterSetting, ClusterSettingName, Compatibility, CpuArchitecture,
        Deployment, DeploymentController, DeploymentControllerType, KeyValuePair, LaunchType,
        LoadBalancer, LogDriver, NetworkConfiguration, NetworkMode, OsFamily, PortMapping,
        PropagateTags, RuntimePlatform, SchedulingStrategy, Tag, TaskDefinitionStatus,
        TransportProtocol,
    };

    const SERVICE_ARN: &str =
        "arn:aws:ecs:us-east-1:123456789012:service/legacy-cluster/legacy-web";
    const CLUSTER_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/legacy-cluster";
    const TD_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-web:7";

    fn awsvpc(ip: Option<AssignPublicIp>) -> NetworkConfiguration {
        NetworkConfiguration::builder()
            .awsvpc_configuration(
                AwsVpcConfiguration::builder()
                    .subnets("subnet-0d1e2f3a4b5c60001")
                    .security_groups("sg-0a1b2c3d4e5f60006")
                    .set_assign_public_ip(ip)
                    .build()
                    .unwrap(),
            )
            .build()
    }

    fn legacy_service(ip: Option<AssignPublicIp>) -> Service {
        Service::builder()
            .service_arn(SERVICE_ARN)
            .service_name("legacy-web")
            .cluster_arn(CLUSTER_ARN)
            .task_definition(TD_ARN)
            .desired_count(1)
            .launch_type(LaunchType::Fargate)
            .platform_version("1.3.0")
            .scheduling_strategy(SchedulingStrategy::Replica)
            .network_configuration(awsvpc(ip))
            .load_balancers(
                LoadBalancer::builder()
                    .target_group_arn("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/legacy-web/3c4d5e6f708192a3")
                    .container_name("legacy-web")
                    .container_port(80)
                    .build(),
            )
            .deployment_controller(
                DeploymentController::builder()
                    .r#type(DeploymentControllerType::Ecs)
                    .build()
                    .unwrap(),
            )
            .deployments(
                Deployment::builder()
                    .task_definition("arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-web:6")
                    .build(),
            )
            .enable_execute_command(false)
            .propagate_tags(PropagateTags::Service)
            .tags(Tag::builder().key("stack").value("legacy").build())
            .build()
    }

    #[test]
    fn service_maps_to_terraform_names() {
        let v = service(&legacy_service(Some(AssignPublicIp::Enabled)));
        assert_eq!(
            clean(v),
            json!({
                "id": SERVICE_ARN,
                "name": "legacy-web",
                "cluster": CLUSTER_ARN,
                "task_definition": TD_ARN,
                "desired_count": 1,
                "launch_type": "FARGATE",
                "capacity_provider_strategy": [],
                "platform_version": "1.3.0",
                "scheduling_strategy": "REPLICA",
                "network_configuration": [{
                    "subnets": ["subnet-0d1e2f3a4b5c60001"],
                    "security_groups": ["sg-0a1b2c3d4e5f60006"],
                    "assign_public_ip": true,
                }],
                "load_balancer": [{
                    "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/legacy-web/3c4d5e6f708192a3",
                    "container_name": "legacy-web",
                    "container_port": 80,
                }],
                "deployment_controller": [{"type": "ECS"}],
                "enable_execute_command": false,
                "enable_ecs_managed_tags": false,
                "propagate_tags": "SERVICE",
            })
        );
    }

    #[test]
    fn assign_public_ip_is_a_boolean_and_unknown_stays_absent() {
        let ip = |x: Option<AssignPublicIp>| {
            clean(service(&legacy_service(x)))["network_configuration"][0]
                .get("assign_public_ip")
                .cloned()
        };
        assert_eq!(ip(Some(AssignPublicIp::Enabled)), Some(json!(true)));
        assert_eq!(ip(Some(AssignPublicIp::Disabled)), Some(json!(false)));
        assert_eq!(ip(None), None);
        // A service without awsvpc networking (EC2, bridge mode) has no network_configuration at all.
        let bridge = Service::builder().service_name("bridge").build();
        let v = clean(service(&bridge));
        assert!(v.get("network_configuration").is_none());
        assert!(v.get("launch_type").is_none());
        assert!(v.get("deployment_controller").is_none());
        assert!(v.get("platform_version").is_none());
    }

    #[test]
    fn task_definitions_used_include_deployments() {
        let used: Vec<String> = task_definitions_used(&legacy_service(None))
            .into_iter()
            .collect();
        assert_eq!(
            used,
            vec![
                "arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-web:6".to_string(),
                TD_ARN.to_string(),
            ]
        );
    }

    #[test]
    fn cluster_keeps_settings() {
        let cl = Cluster::builder()
            .cluster_arn(CLUSTER_ARN)
            .cluster_name("legacy-cluster")
            .status("ACTIVE")
            .settings(
                ClusterSetting::builder()
                    .name(ClusterSettingName::ContainerInsights)
                    .value("disabled")
                    .build(),
            )
            .build();
        assert_eq!(
            clean(cluster(&cl)),
            json!({
                "arn": CLUSTER_ARN,
                "name": "legacy-cluster",
                "setting": [{"name": "containerInsights", "value": "disabled"}],
                "capacity_providers": [],
                "default_capacity_provider_strategy": [],
                "status": "ACTIVE",
            })
        );
    }

    fn env(name: &str, value: &str) -> KeyValuePair {
        KeyValuePair::builder().name(name).value(value).build()
    }

    fn legacy_task_definition() -> TaskDefinition {
        let web = ContainerDefinition::builder()
            .name("legacy-web")
            .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-web:latest")
            .essential(true)
            .cpu(512)
            .memory(1024)
            .port_mappings(
                PortMapping::builder()
                    .container_port(80)
                    .host_port(80)
                    .protocol(TransportProtocol::Tcp)
                    .build(),
            )
            .environment(env("DB_USER", "admin"))
            .environment(env("DB_PASSWORD", "Legacy-Passw0rd!"))
            .environment(env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"))
            .environment(env(
                "SECRET_REF",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
            ))
            .secrets(
                Secret::builder()
                    .name("DB_CREDENTIALS")
                    .value_from(
                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-legacy",
                    )
                    .build()
                    .unwrap(),
            )
            .log_configuration(
                LogConfiguration::builder()
                    .log_driver(LogDriver::Awslogs)
                    .options("awslogs-group", "/ecs/legacy-web")
                    .options("splunk-token", "Legacy-Passw0rd!")
                    .build()
                    .unwrap(),
            )
            .command("--db-password=Legacy-Passw0rd!")
            .build();
        let router = ContainerDefinition::builder()
            .name("log-router")
            .image("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable")
            .essential(false)
            .cpu(64)
            .build();
        TaskDefinition::builder()
            .task_definition_arn(TD_ARN)
            .family("legacy-web")
            .revision(7)
            .status(TaskDefinitionStatus::Active)
            .network_mode(NetworkMode::Awsvpc)
            .requires_compatibilities(Compatibility::Fargate)
            .cpu("1024")
            .memory("2048")
            .task_role_arn("arn:aws:iam::123456789012:role/legacy-ecs-task")
            .execution_role_arn("arn:aws:iam::123456789012:role/legacy-ecs-task")
            .runtime_platform(
                RuntimePlatform::builder()
                    .operating_system_family(OsFamily::Linux)
                    .cpu_architecture(CpuArchitecture::X8664)
                    .build(),
            )
            .container_definitions(web)
            .container_definitions(router)
            .build()
    }

    #[test]
    fn task_definition_redacts_environment_values() {
        let mut v = clean(task_definition(&legacy_task_definition()));
        let raw = v["container_definitions"].as_str().unwrap().to_string();
        assert!(!raw.contains("Legacy-Passw0rd!"), "{raw}");
        assert!(!raw.contains("AKIAIOSFODNN7EXAMPLE"), "{raw}");
        let containers: Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(
            containers,
            json!([
                {
                    "name": "legacy-web",
                    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-web:latest",
                    "essential": true,
                    "cpu": 512,
                    "memory": 1024,
                    "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
                    "environment": [
                        {"name": "DB_USER", "value": "(redacted)"},
                        {"name": "DB_PASSWORD", "value": "(redacted)"},
                        {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAXXXXXXXXXXXXXXXX"},
                        {"name": "SECRET_REF", "value": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"},
                    ],
                    "secrets": [{"name": "DB_CREDENTIALS", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-legacy"}],
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {"awslogs-group": "/ecs/legacy-web", "splunk-token": "(redacted)"},
                    },
                },
                {
                    "name": "log-router",
                    "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
                    "essential": false,
                    "cpu": 64,
                },
            ])
        );
        if let Value::Object(m) = &mut v {
            m.remove("container_definitions");
        }
        assert_eq!(
            v,
            json!({
                "arn": TD_ARN,
                "arn_without_revision": "arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-web",
                "family": "legacy-web",
                "revision": 7,
                "status": "ACTIVE",
                "network_mode": "awsvpc",
                "requires_compatibilities": ["FARGATE"],
                "cpu": "1024",
                "memory": "2048",
                "task_role_arn": "arn:aws:iam::123456789012:role/legacy-ecs-task",
                "execution_role_arn": "arn:aws:iam::123456789012:role/legacy-ecs-task",
                "runtime_platform": [{"operating_system_family": "LINUX", "cpu_architecture": "X86_64"}],
            })
        );
    }

    #[test]
    fn unknown_container_definitions_stay_absent() {
        let td = TaskDefinition::builder().family("x").revision(1).build();
        let v = clean(task_definition(&td));
        assert_eq!(v, json!({"family": "x", "revision": 1}));
    }
}
