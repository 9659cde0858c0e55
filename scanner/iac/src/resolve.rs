//! Resolving values unknown until apply through the plan's `configuration`: an argument whose expression
//! only refers to other resources' identities (`resource_arn = aws_lb.app.arn`), possibly through module
//! variables (`var.alb_arn`) and module outputs (`module.edge.web_acl_arn`), or inside nested blocks
//! (`rule[0].statement[0].ip_set_reference_statement[0].arn`), gets the referenced value.
//!
//! A resource whose own identity is unknown (a resource being created) gets a placeholder: its provider
//! id where the provider derives it from a known argument (an S3 bucket's id is its name), else an
//! ARN-shaped placeholder that keeps the resource's address (`arn:aws:wafv2:us-east-1:123456789012:
//! regional/webacl/app/(planned:module.edge.aws_wafv2_web_acl.app)`), so that rules that look at the shape
//! of an ARN (a WAFv2 ACL, not a WAF Classic one; an application load balancer) read it as AWS would.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The provider id of a resource type when it is one of its arguments.
pub(crate) fn id_argument(rtype: &str) -> Option<&'static str> {
    Some(match rtype {
        "aws_s3_bucket" => "bucket",
        "aws_db_parameter_group" | "aws_rds_cluster_parameter_group" => "name",
        "aws_db_instance" => "identifier",
        "aws_rds_cluster" => "cluster_identifier",
        "aws_iam_role" | "aws_iam_user" | "aws_iam_group" => "name",
        "aws_cloudwatch_log_group" => "name",
        "aws_lambda_function" => "function_name",
        "aws_cloudwatch_metric_alarm" => "alarm_name",
        "aws_synthetics_canary" => "name",
        "aws_xray_sampling_rule" => "rule_name",
        "aws_ecr_repository" => "name",
        "aws_codepipeline" => "name",
        "aws_ecs_task_definition" => "family",
        "aws_elasticache_replication_group" => "replication_group_id",
        "aws_elasticache_user_group" => "user_group_id",
        _ => return None,
    })
}

/// The provider id of a resource being created whose id AWS generates (a Route 53 health check's id) and
/// that other resources refer to by that id alone (`HealthCheckId = aws_route53_health_check.x.id`): a
/// placeholder that keeps the address and is also the last segment of the resource's placeholder ARN.
pub(crate) fn placeholder_id(rtype: &str, address: &str) -> Option<String> {
    matches!(rtype, "aws_route53_health_check" | "aws_route53_query_log")
        .then(|| format!("(planned:{address})"))
}

/// Types whose `id` is their ARN and that have no `arn` attribute (an existing resource's identity).
pub(crate) fn id_is_arn(rtype: &str) -> bool {
    rtype == "aws_ecs_service"
}

/// The arguments an ARN-shaped placeholder of `rtype` is built from that may be references to other
/// resources (resolved through the configuration before the placeholder is made).
pub(crate) fn placeholder_inputs(rtype: &str) -> &'static [&'static str] {
    match rtype {
        "aws_ecs_service" => &["cluster"],
        "aws_sns_topic_subscription" => &["topic_arn"],
        "aws_iam_role_policy_attachment" => &["role", "policy_arn"],
        "aws_appautoscaling_policy" => &["service_namespace", "resource_id"],
        "aws_codedeploy_deployment_group" => &["app_name"],
        _ => &[],
    }
}

/// The last `/`-separated segment of an ARN or a name (the name itself when it has none).
fn last_segment(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// An ARN-shaped placeholder for a resource being created (or for an existing resource of a type that has
/// no `arn` attribute), or `None` for types without one. Where AWS derives the ARN from arguments the plan
/// knows (an ECS cluster's or a CloudWatch alarm's name), the placeholder is the ARN the resource will have;
/// where AWS adds a generated part, that part is `(planned:ADDRESS)`.
pub(crate) fn placeholder_arn(
    rtype: &str,
    address: &str,
    values: &Map<String, Value>,
    account: &str,
    region: &str,
) -> Option<String> {
    let tail = format!("(planned:{address})");
    let known = |k: &str| {
        values
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let s = |k: &str| known(k).map_or_else(|| tail.clone(), str::to_string);
    Some(match rtype {
        "aws_lb" => {
            let kind = match values.get("load_balancer_type").and_then(Value::as_str) {
                Some("network") => "net",
                Some("gateway") => "gwy",
                _ => "app",
            };
            format!(
                "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{kind}/{}/{tail}",
                s("name")
            )
        }
        "aws_lb_listener" => {
            format!("arn:aws:elasticloadbalancing:{region}:{account}:listener/app/{tail}")
        }
        "aws_lb_target_group" => format!(
            "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{}/{tail}",
            s("name")
        ),
        "aws_wafv2_web_acl" | "aws_wafv2_ip_set" | "aws_wafv2_rule_group" => {
            let scope = if known("scope") == Some("CLOUDFRONT") {
                "global"
            } else {
                "regional"
            };
            let kind = match rtype {
                "aws_wafv2_web_acl" => "webacl",
                "aws_wafv2_ip_set" => "ipset",
                _ => "rulegroup",
            };
            let region = if scope == "global" {
                "us-east-1"
            } else {
                region
            };
            format!(
                "arn:aws:wafv2:{region}:{account}:{scope}/{kind}/{}/{tail}",
                s("name")
            )
        }
        "aws_cloudfront_distribution" => {
            format!("arn:aws:cloudfront::{account}:distribution/{tail}")
        }
        "aws_cognito_user_pool" => {
            format!("arn:aws:cognito-idp:{region}:{account}:userpool/{tail}")
        }
        "aws_route53_zone" => format!("arn:aws:route53:::hostedzone/{tail}"),
        "aws_secretsmanager_secret" => format!(
            "arn:aws:secretsmanager:{region}:{account}:secret:{}-{tail}",
            s("name")
        ),
        "aws_db_instance" => format!("arn:aws:rds:{region}:{account}:db:{}", s("identifier")),
        "aws_rds_cluster" => format!(
            "arn:aws:rds:{region}:{account}:cluster:{}",
            s("cluster_identifier")
        ),
        "aws_s3_bucket" => format!("arn:aws:s3:::{}", s("bucket")),
        "aws_security_group" | "aws_default_security_group" => {
            format!("arn:aws:ec2:{region}:{account}:security-group/{tail}")
        }
        "aws_iam_policy" => format!("arn:aws:iam::{account}:policy/{}", s("name")),
        "aws_iam_role" => {
            let path = known("path").unwrap_or("/");
            format!("arn:aws:iam::{account}:role{path}{}", s("name"))
        }
        // Terraform's id of an attachment is generated; the inventory's is `<role arn>/attachment/<policy arn>`.
        "aws_iam_role_policy_attachment" => format!(
            "arn:aws:iam::{account}:role/{}/attachment/{}",
            known("role").map_or_else(|| tail.clone(), |r| last_segment(r).to_string()),
            s("policy_arn")
        ),
        "aws_shield_protection" => format!("arn:aws:shield::{account}:protection/{tail}"),
        // Tier 3: containers, monitoring, delivery, caching.
        "aws_ecs_cluster" => format!("arn:aws:ecs:{region}:{account}:cluster/{}", s("name")),
        // `cluster` is the cluster's ARN (or name); the service ARN carries the cluster's name.
        "aws_ecs_service" => match known("cluster") {
            Some(c) => format!(
                "arn:aws:ecs:{region}:{account}:service/{}/{}",
                last_segment(c),
                s("name")
            ),
            None => format!("arn:aws:ecs:{region}:{account}:service/{tail}"),
        },
        // The revision is only known once the definition is registered.
        "aws_ecs_task_definition" => format!(
            "arn:aws:ecs:{region}:{account}:task-definition/{}:{tail}",
            s("family")
        ),
        "aws_appautoscaling_target" => {
            format!("arn:aws:application-autoscaling:{region}:{account}:scalable-target/{tail}")
        }
        "aws_appautoscaling_policy" => format!(
            "arn:aws:autoscaling:{region}:{account}:scalingPolicy:{tail}:resource/{}/{}:policyName/{}",
            s("service_namespace"),
            s("resource_id"),
            s("name")
        ),
        "aws_cloudwatch_metric_alarm" => format!(
            "arn:aws:cloudwatch:{region}:{account}:alarm:{}",
            s("alarm_name")
        ),
        "aws_sns_topic" => format!("arn:aws:sns:{region}:{account}:{}", s("name")),
        "aws_sns_topic_subscription" => match known("topic_arn") {
            Some(t) if t.starts_with("arn:") => format!("{t}:{tail}"),
            _ => format!("arn:aws:sns:{region}:{account}:{tail}"),
        },
        "aws_cloudwatch_log_group" => format!(
            "arn:aws:logs:{region}:{account}:log-group:{}",
            s("name")
        ),
        "aws_synthetics_canary" => {
            format!("arn:aws:synthetics:{region}:{account}:canary:{}", s("name"))
        }
        "aws_xray_encryption_config" => format!("arn:aws:xray:{region}:{account}:encryption-config"),
        "aws_xray_sampling_rule" => format!(
            "arn:aws:xray:{region}:{account}:sampling-rule/{}",
            s("rule_name")
        ),
        "aws_route53_health_check" => format!("arn:aws:route53:::healthcheck/{tail}"),
        "aws_route53_query_log" => format!("arn:aws:route53:::queryloggingconfig/{tail}"),
        "aws_codepipeline" => format!("arn:aws:codepipeline:{region}:{account}:{}", s("name")),
        "aws_codebuild_project" => {
            format!("arn:aws:codebuild:{region}:{account}:project/{}", s("name"))
        }
        "aws_ecr_repository" => {
            format!("arn:aws:ecr:{region}:{account}:repository/{}", s("name"))
        }
        "aws_ecr_registry_scanning_configuration" => {
            format!("arn:aws:ecr:{region}:{account}:registry/scanning-configuration")
        }
        "aws_codedeploy_app" => format!(
            "arn:aws:codedeploy:{region}:{account}:application:{}",
            s("name")
        ),
        "aws_codedeploy_deployment_group" => format!(
            "arn:aws:codedeploy:{region}:{account}:deploymentgroup:{}/{}",
            s("app_name"),
            s("deployment_group_name")
        ),
        "aws_elasticache_replication_group" => format!(
            "arn:aws:elasticache:{region}:{account}:replicationgroup:{}",
            s("replication_group_id")
        ),
        "aws_elasticache_user_group" => format!(
            "arn:aws:elasticache:{region}:{account}:usergroup:{}",
            s("user_group_id")
        ),
        _ => return None,
    })
}

/// A computed attribute that the provider derives from what the plan knows: the value it will have after
/// apply, or `None`. `id` and `provider_id` are the resource's identity and provider id in the inventory.
///
/// - `arn_suffix` of a load balancer (the CloudWatch `LoadBalancer` dimension) and of a target group: the
///   part of the (placeholder) ARN after `loadbalancer/` (`targetgroup/…` whole);
/// - `zone_id` of a hosted zone: its id;
/// - `arn_without_revision` of a task definition: `…:task-definition/<family>`;
/// - `registry_id` and `repository_url` of an ECR repository (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`)
///   and `registry_id` of the registry scanning configuration: the account's registry;
/// - `status` of a Synthetics canary: RUNNING when `start_canary` is true (the provider starts the canary
///   and waits until it runs, or apply fails), else READY (created, never started).
pub(crate) fn derived(
    rtype: &str,
    attr: &str,
    id: &str,
    provider_id: &str,
    values: &Map<String, Value>,
    account: &str,
    region: &str,
) -> Option<Value> {
    let known_account = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let name = |k: &str| {
        values
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let v = match (rtype, attr) {
        ("aws_lb" | "aws_alb", "arn_suffix") => id.split_once(":loadbalancer/")?.1.to_string(),
        ("aws_lb_target_group" | "aws_alb_target_group", "arn_suffix") => {
            id[id.find(":targetgroup/")? + 1..].to_string()
        }
        ("aws_route53_zone", "zone_id") => provider_id.to_string(),
        ("aws_ecs_task_definition", "arn_without_revision") => format!(
            "arn:aws:ecs:{region}:{account}:task-definition/{}",
            name("family")?
        ),
        ("aws_ecr_repository" | "aws_ecr_registry_scanning_configuration", "registry_id")
            if known_account =>
        {
            account.to_string()
        }
        ("aws_ecr_repository", "repository_url") if known_account && region != "unknown" => {
            format!("{account}.dkr.ecr.{region}.amazonaws.com/{}", name("name")?)
        }
        ("aws_synthetics_canary", "status") => match values.get("start_canary")? {
            Value::Bool(true) => "RUNNING".to_string(),
            Value::Bool(false) | Value::Null => "READY".to_string(),
            _ => return None,
        },
        _ => return None,
    };
    Some(Value::String(v))
}

/// Attributes that hold a document built from other values (`jsonencode(...)`, a template): a reference
/// inside the expression is a part of the value, never the value, so they are never resolved.
pub(crate) fn document_valued(attr: &str) -> bool {
    matches!(
        attr,
        "container_definitions"
            | "policy"
            | "assume_role_policy"
            | "EnvironmentVariables"
            | "definition"
            | "buildspec"
            | "user_data"
            | "template_body"
            | "access_policies"
            | "delivery_policy"
            | "filter_policy"
            | "redrive_policy"
            | "script"
    )
}

/// The configuration block of a module (by call names from the root).
pub(crate) fn config_module<'a>(config: &'a Value, module: &[String]) -> Option<&'a Value> {
    let mut m = config.get("root_module")?;
    for name in module {
        m = m.get("module_calls")?.get(name)?.get("module")?;
    }
    Some(m)
}

/// The module call names and instance prefix of the parent of a module instance prefix
/// (`module.a.module.b["k"].` → `module.a.`).
fn parent_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_end_matches('.');
    match trimmed.rfind("module.") {
        Some(0) | None => String::new(),
        Some(i) => trimmed[..i].to_string(),
    }
}

/// A reference's leaf form: `aws_lb.app.arn` (not the `aws_lb.app` the references list also holds).
pub(crate) fn leaf_references(refs: &[String]) -> Vec<&str> {
    refs.iter()
        .map(String::as_str)
        .filter(|r| {
            // Drop every reference that is a prefix of another one in the list.
            !refs.iter().any(|o| {
                o.len() > r.len() && o.starts_with(*r) && o[r.len()..].starts_with(['.', '['])
            })
        })
        .collect()
}

/// What one resolution needs: the configuration, the planned resources' values and identities, the
/// root module's variable values.
pub(crate) struct Resolver<'a> {
    pub config: &'a Value,
    /// address → (type, values)
    pub planned: BTreeMap<String, (&'a str, &'a Map<String, Value>)>,
    /// address → identity (ARN, or placeholder)
    pub ids: BTreeMap<String, String>,
    /// address → provider id when unknown in the plan (see [`id_argument`]) or the placeholder
    pub provider_ids: BTreeMap<String, String>,
    pub variables: &'a Value,
    /// The account of the plan's resources.
    pub account: String,
    /// address → region
    pub regions: BTreeMap<String, String>,
}

impl Resolver<'_> {
    /// The known value of `attr` of the resource at `address`, with identities and the computed attributes
    /// the provider derives from known ones ([`derived`]) filled in.
    fn attribute(&self, address: &str, attr: &str) -> Option<Value> {
        let (rtype, values) = self.planned.get(address)?;
        match values.get(attr) {
            Some(v) if !v.is_null() => Some(v.clone()),
            _ if attr == "arn" => self.ids.get(address).cloned().map(Value::String),
            _ if attr == "id" => self.provider_ids.get(address).cloned().map(Value::String),
            _ => derived(
                rtype,
                attr,
                self.ids.get(address)?,
                self.provider_ids.get(address)?,
                values,
                &self.account,
                self.regions.get(address).map_or("unknown", String::as_str),
            ),
        }
    }

    /// The values a reference written in the module at `module` (call names) / `prefix` (instance
    /// prefix of addresses, e.g. `module.data.`) stands for; empty when it cannot be resolved.
    pub fn resolve(
        &self,
        module: &[String],
        prefix: &str,
        reference: &str,
        depth: usize,
    ) -> Vec<Value> {
        if depth > 16 {
            return Vec::new();
        }
        if let Some(var) = reference.strip_prefix("var.") {
            let var = var.split(['.', '[']).next().unwrap_or(var);
            let Some((call, parent)) = module.split_last() else {
                // A root variable: its value is in the plan.
                return self
                    .variables
                    .get(var)
                    .and_then(|v| v.get("value"))
                    .filter(|v| !v.is_null())
                    .cloned()
                    .into_iter()
                    .collect();
            };
            let refs: Vec<String> = config_module(self.config, parent)
                .and_then(|m| m.get("module_calls"))
                .and_then(|c| c.get(call))
                .and_then(|c| c.get("expressions"))
                .and_then(|e| e.get(var))
                .and_then(|e| e.get("references"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let parent_prefix = parent_prefix(prefix);
            return leaf_references(&refs)
                .into_iter()
                .flat_map(|r| self.resolve(parent, &parent_prefix, r, depth + 1))
                .collect();
        }
        if let Some(rest) = reference.strip_prefix("module.") {
            // module.NAME.OUTPUT (instance keys of the called module are not followed).
            let mut parts = rest.splitn(2, '.');
            let (Some(name), Some(output)) = (parts.next(), parts.next()) else {
                return Vec::new();
            };
            let output = output.split(['.', '[']).next().unwrap_or(output);
            let mut child = module.to_vec();
            child.push(name.to_string());
            let refs: Vec<String> = config_module(self.config, &child)
                .and_then(|m| m.get("outputs"))
                .and_then(|o| o.get(output))
                .and_then(|o| o.get("expression"))
                .and_then(|e| e.get("references"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let child_prefix = format!("{prefix}module.{name}.");
            return leaf_references(&refs)
                .into_iter()
                .flat_map(|r| self.resolve(&child, &child_prefix, r, depth + 1))
                .collect();
        }
        let Some((target, attr)) = crate::split_reference(reference) else {
            return Vec::new();
        };
        let exact = format!("{prefix}{target}");
        if self.planned.contains_key(&exact) {
            return self.attribute(&exact, &attr).into_iter().collect();
        }
        // A resource with count/for_each referred to without a key: every instance.
        self.planned
            .keys()
            .filter(|a| {
                a.strip_prefix(&exact)
                    .is_some_and(|rest| rest.starts_with('['))
            })
            .filter_map(|a| self.attribute(a, &attr))
            .collect()
    }
}

/// The `references` of the expression at `path` (dotted, with indices) in a resource's `expressions`;
/// block lists are matched by index, or by their `name` when the planned block has one (providers
/// reorder sets).
pub(crate) fn expression_references(
    expressions: &Value,
    values: &Value,
    path: &[&str],
) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let node = expressions.get(*first)?;
    let value = values.get(*first).unwrap_or(&Value::Null);
    if rest.is_empty() {
        return node.get("references").and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        });
    }
    let Some(blocks) = node.as_array() else {
        // A map or object-typed attribute: one expression for the whole value.
        return node.get("references").and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        });
    };
    let (index, rest) = match rest.split_first() {
        Some((i, r)) if i.parse::<usize>().is_ok() => (i.parse::<usize>().unwrap_or(0), r),
        _ => (0, rest),
    };
    let planned = value.get(index).unwrap_or(&Value::Null);
    let by_name = planned.get("name").and_then(Value::as_str).and_then(|n| {
        blocks.iter().find(|b| {
            b.get("name")
                .and_then(|e| e.get("constant_value"))
                .and_then(Value::as_str)
                == Some(n)
        })
    });
    let block = by_name.or_else(|| blocks.get(index))?;
    if rest.is_empty() {
        return None;
    }
    expression_references(block, planned, rest)
}

/// Whether the configuration sets a value.
pub(crate) enum Expr {
    /// The configuration has an expression for it (a constant or references).
    Set,
    /// The configuration does not mention it (inside a block it does mention, or at the top level):
    /// the name of the first key it lacks.
    NotInConfig(String),
    /// Its block could not be matched in the configuration.
    Unmatched,
}

/// Whether the configuration sets the value at `path` (dotted, with indices).
pub(crate) fn expression_at(expressions: &Value, values: &Value, path: &[&str]) -> Expr {
    let Some((first, rest)) = path.split_first() else {
        return Expr::Unmatched;
    };
    let Some(node) = expressions.get(*first) else {
        return Expr::NotInConfig((*first).to_string());
    };
    if rest.is_empty() || !node.is_array() {
        return Expr::Set;
    }
    let value = values.get(*first).unwrap_or(&Value::Null);
    let (index, rest) = match rest.split_first() {
        Some((i, r)) if i.parse::<usize>().is_ok() => (i.parse::<usize>().unwrap_or(0), r),
        _ => (0, rest),
    };
    let Some(blocks) = node.as_array() else {
        return Expr::Set;
    };
    let planned = value.get(index).unwrap_or(&Value::Null);
    let by_name = planned.get("name").and_then(Value::as_str).and_then(|n| {
        blocks.iter().find(|b| {
            b.get("name")
                .and_then(|e| e.get("constant_value"))
                .and_then(Value::as_str)
                == Some(n)
        })
    });
    let Some(block) = by_name.or_else(|| blocks.get(index)) else {
        return Expr::Unmatched;
    };
    if rest.is_empty() {
        return Expr::Set;
    }
    expression_at(block, planned, rest)
}

/// Nested blocks of the resources palisade reads that a configuration may write as `dynamic` blocks:
/// absent from the plan's configuration, they are still unknown, never "not set".
pub(crate) fn may_be_dynamic_block(key: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "ingress",
        "egress",
        "rule",
        "statement",
        "action",
        "override_action",
        "origin",
        "default_cache_behavior",
        "ordered_cache_behavior",
        "default_action",
        "viewer_certificate",
        "logging_config",
        "custom_origin_config",
        "s3_origin_config",
        "rotation_rules",
        "password_policy",
        "visibility_config",
        "logging_filter",
        "redacted_fields",
        "access_logs",
        "server_side_encryption_configuration",
        "user_pool_add_ons",
        "software_token_mfa_configuration",
        "parameter",
        // Tier 3 blocks the rules read
        "capacity_provider_strategy",
        "network_configuration",
        "load_balancer",
        "deployment_controller",
        "target_tracking_scaling_policy_configuration",
        "predefined_metric_specification",
        "metric_query",
        "metric",
        "schedule",
        "environment",
        "environment_variable",
        "stage",
        "variable",
        "image_scanning_configuration",
        "repository_filter",
        "ecs_service",
        "deployment_style",
        "auto_rollback_configuration",
    ];
    BLOCKS.contains(&key)
}
