use super::*;
use serde_json::json;

fn plan() -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "timestamp": "2026-11-20T10:00:00Z",
        "planned_values": {"root_module": {
            "resources": [
                {"address": "aws_lb.app", "mode": "managed", "type": "aws_lb", "name": "app",
                 "values": {"name": "app", "internal": false, "load_balancer_type": "application",
                            "tags": {"Env": "prod"}, "tags_all": {"Env": "prod"}},
                 "sensitive_values": {}},
                {"address": "aws_wafv2_web_acl_association.app", "mode": "managed",
                 "type": "aws_wafv2_web_acl_association", "name": "app", "values": {}, "sensitive_values": {}},
                {"address": "aws_wafv2_web_acl.main", "mode": "managed", "type": "aws_wafv2_web_acl",
                 "name": "main", "values": {"name": "main", "scope": "REGIONAL",
                  "arn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abc"}, "sensitive_values": {}},
                {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity",
                 "name": "me", "values": {}},
                {"address": "random_password.db", "mode": "managed", "type": "random_password", "name": "db",
                 "values": {}}
            ],
            "child_modules": [{"address": "module.data", "resources": [
                {"address": "module.data.aws_security_group.db[0]", "mode": "managed",
                 "type": "aws_security_group", "name": "db", "index": 0,
                 "values": {"name": "db", "id": "sg-0123",
                            "arn": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123", "ingress": [{"from_port": 5432, "to_port": 5432, "protocol": "tcp",
                            "security_groups": []}]},
                 "sensitive_values": {"ingress": [{"security_groups": []}]}},
                {"address": "module.data.aws_db_instance.main", "mode": "managed", "type": "aws_db_instance",
                 "name": "main", "values": {"identifier": "main", "password": "hunter2", "multi_az": true},
                 "sensitive_values": {"password": true}}
            ]}]
        }},
        "resource_changes": [
            {"address": "aws_lb.app", "change": {"actions": ["create"],
             "after_unknown": {"arn": true, "id": true, "dns_name": true}, "after_sensitive": {}}},
            {"address": "aws_wafv2_web_acl_association.app", "change": {"actions": ["create"],
             "after_unknown": {"id": true, "resource_arn": true, "web_acl_arn": true}}},
            {"address": "aws_wafv2_web_acl.main", "change": {"actions": ["no-op"], "after_unknown": {}}},
            {"address": "aws_s3_bucket.old", "change": {"actions": ["delete"], "after_unknown": {}}},
            {"address": "module.data.aws_security_group.db[0]", "change": {"actions": ["update"],
             "after_unknown": {"ingress": [{"cidr_blocks": true}]}}},
            {"address": "module.data.aws_db_instance.main", "change": {"actions": ["create"],
             "after_unknown": {"arn": true, "vpc_security_group_ids": true, "storage_encrypted": true},
             "after_sensitive": {"password": true}}}
        ],
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {
                "resources": [
                    {"address": "aws_wafv2_web_acl_association.app", "type": "aws_wafv2_web_acl_association",
                     "name": "app", "expressions": {
                        "resource_arn": {"references": ["aws_lb.app.arn", "aws_lb.app"]},
                        "web_acl_arn": {"references": ["aws_wafv2_web_acl.main.arn", "aws_wafv2_web_acl.main"]}}}
                ],
                "module_calls": {"data": {"source": "./modules/data", "module": {"resources": [
                    {"address": "aws_db_instance.main", "type": "aws_db_instance", "name": "main",
                     "expressions": {
                        "vpc_security_group_ids": {"references": ["aws_security_group.db[0].id", "aws_security_group.db[0]", "aws_security_group.db"]},
                        "storage_encrypted": {"references": ["var.encrypted"]}}}
                ]}}}
            }
        }
    })
}

fn parse(v: &Value, opts: &PlanOptions) -> Inventory {
    match parse_plan("plan.json", &v.to_string(), opts) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    }
}

fn find<'a>(inv: &'a Inventory, name: &str) -> &'a Resource {
    match inv
        .resources
        .iter()
        .find(|r| r.name.as_deref() == Some(name))
    {
        Some(r) => r,
        None => panic!("{name} not in the inventory"),
    }
}

#[test]
fn managed_aws_resources_of_every_module_and_not_deleted_ones() {
    let inv = parse(&plan(), &PlanOptions::default());
    let names: Vec<&str> = inv
        .resources
        .iter()
        .filter_map(|r| r.name.as_deref())
        .collect();
    assert_eq!(inv.resources.len(), 5, "{names:?}");
    assert!(!names
        .iter()
        .any(|n| n.contains("caller_identity") || n.contains("random")));
    assert!(!names.contains(&"aws_s3_bucket.old"));
    assert_eq!(inv.provenance.source, "terraform-plan");
    assert_eq!(inv.provenance.collected_at, "2026-11-20T10:00:00Z");
    // The account comes from the known ARN, the region from the provider configuration.
    let lb = find(&inv, "aws_lb.app");
    assert_eq!(lb.account, "123456789012");
    assert_eq!(lb.region, "eu-west-1");
    assert_eq!(lb.tags.get("Env").map(String::as_str), Some("prod"));
    assert!(!lb.attributes.contains_key("tags_all"));
}

#[test]
fn unknown_identities_become_addresses_and_references_resolve() {
    let inv = parse(&plan(), &PlanOptions::default());
    let lb = find(&inv, "aws_lb.app");
    // An ARN-shaped placeholder that keeps the address, so ARN-shape checks read it as AWS would.
    let placeholder = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/app/(planned:aws_lb.app)";
    assert_eq!(lb.id, placeholder);
    assert_eq!(lb.attributes.get("arn"), Some(&json!(placeholder)));
    assert_eq!(lb.attributes.get("id"), Some(&json!(placeholder)));
    // dns_name is computed by the provider (the configuration never sets it): absent, not unknown,
    // as on a live account.
    assert!(lb.unknown.is_empty(), "{:?}", lb.unknown);
    assert!(!lb.attributes.contains_key("dns_name"));
    let assoc = find(&inv, "aws_wafv2_web_acl_association.app");
    assert_eq!(
        assoc.attributes.get("resource_arn"),
        Some(&json!(placeholder))
    );
    assert_eq!(
        assoc.attributes.get("web_acl_arn"),
        Some(&json!(
            "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abc"
        ))
    );
    assert!(assoc.unknown.is_empty(), "{:?}", assoc.unknown);
    // A module's reference resolves inside the module, to the count instance.
    let db = find(&inv, "module.data.aws_db_instance.main");
    assert_eq!(
        db.attributes.get("vpc_security_group_ids"),
        Some(&json!(["sg-0123"]))
    );
}

#[test]
fn security_relevant_unknowns_stay_unknown() {
    let inv = parse(&plan(), &PlanOptions::default());
    let db = find(&inv, "module.data.aws_db_instance.main");
    // storage_encrypted comes from a variable: nothing in the plan says its value.
    assert_eq!(db.unknown, vec!["storage_encrypted".to_string()]);
    assert!(!db.attributes.contains_key("storage_encrypted"));
    // ingress is not in the configuration either, but a dynamic block may set it
    // (hashicorp/terraform#28346): it stays unknown.
    let sg = find(&inv, "module.data.aws_security_group.db[0]");
    assert_eq!(sg.unknown, vec!["ingress.0.cidr_blocks".to_string()]);
}

#[test]
fn sensitive_values_are_never_kept() {
    let inv = parse(&plan(), &PlanOptions::default());
    let db = find(&inv, "module.data.aws_db_instance.main");
    assert_eq!(db.attributes.get("password"), Some(&json!(SENSITIVE)));
    let text = serde_json::to_string(&inv).unwrap_or_default();
    assert!(!text.contains("hunter2"));
}

#[test]
fn options_fill_what_the_plan_does_not_say() {
    let mut p = plan();
    p["configuration"]["provider_config"] = json!({});
    for ptr in [
        "/planned_values/root_module/resources",
        "/planned_values/root_module/child_modules/0/resources",
    ] {
        let rs = p.pointer_mut(ptr).and_then(Value::as_array_mut);
        for r in rs.into_iter().flatten() {
            if let Some(v) = r["values"].as_object_mut() {
                v.remove("arn");
            }
        }
    }
    let inv = parse(
        &p,
        &PlanOptions {
            account: Some("210987654321".into()),
            region: Some("us-west-2".into()),
            terraform_dir: None,
        },
    );
    let lb = find(&inv, "aws_lb.app");
    assert_eq!(
        (lb.account.as_str(), lb.region.as_str()),
        ("210987654321", "us-west-2")
    );
    let inv = parse(&p, &PlanOptions::default());
    assert_eq!(find(&inv, "aws_lb.app").account, "unknown");
}

#[test]
fn bad_plans_say_what_is_wrong() {
    let err = |text: &str| match parse_plan("p.json", text, &PlanOptions::default()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    };
    let e = err("{\n \"format_version\": \"1.2\",\n \"planned_values\": {\n");
    assert!(e.starts_with("invalid Terraform plan p.json:4:"), "{e}");
    let e = err("{\"format_version\": \"2.0\", \"planned_values\": {}}");
    assert!(e.contains("unsupported format_version"), "{e}");
    let e = err("{\"schema_version\": \"1.0\", \"resources\": []}");
    assert!(e.contains("no `format_version`"), "{e}");
    let e = err("{\"format_version\": \"1.0\", \"values\": {}}");
    assert!(e.contains("looks like a state"), "{e}");
    let e = err("{\"format_version\": \"1.2\", \"planned_values\": {}, \"resource_changes\": {}}");
    assert!(e.contains("`resource_changes` is not an array"), "{e}");
    let e = err("{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [{\"address\": \"x\"}]}}}");
    assert!(e.contains("resource #1") && e.contains("`type`"), "{e}");
    let e = err("[1, 2]");
    assert!(e.contains("expected a JSON object"), "{e}");
}

#[test]
fn locations_follow_local_modules() {
    let dir = std::env::temp_dir().join(format!("palisade-iac-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let modules = dir.join("modules/data");
    if let Err(e) = std::fs::create_dir_all(&modules) {
        panic!("{e}");
    }
    let write = |p: std::path::PathBuf, t: &str| {
        if let Err(e) = std::fs::write(&p, t) {
            panic!("{}: {e}", p.display());
        }
    };
    write(
        dir.join("main.tf"),
        "provider \"aws\" {}\n\nresource \"aws_lb\" \"app\" {\n  name = \"app\"\n}\n\nmodule \"data\" {\n  source = \"./modules/data\"\n}\n",
    );
    write(
        modules.join("db.tf"),
        "# database\nresource \"aws_security_group\" \"db\" {\n  count = 1\n}\n\n  resource \"aws_db_instance\" \"main\" {\n}\n",
    );
    let inv = parse(
        &plan(),
        &PlanOptions {
            terraform_dir: Some(dir.clone()),
            ..PlanOptions::default()
        },
    );
    let at = |name: &str| {
        find(&inv, name)
            .source
            .as_ref()
            .map(|s| (s.file.clone(), s.line))
    };
    let shown = normalize_for_test(&dir);
    assert_eq!(at("aws_lb.app"), Some((format!("{shown}/main.tf"), 3)));
    assert_eq!(
        at("module.data.aws_security_group.db[0]"),
        Some((format!("{shown}/modules/data/db.tf"), 2))
    );
    assert_eq!(
        at("module.data.aws_db_instance.main"),
        Some((format!("{shown}/modules/data/db.tf"), 6))
    );
    assert_eq!(
        at("aws_wafv2_web_acl.main"),
        None,
        "no block for it in the files"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn normalize_for_test(p: &std::path::Path) -> String {
    p.display().to_string().trim_end_matches('/').to_string()
}

#[test]
fn module_paths_and_references_split() {
    assert_eq!(module_path("module.a[0].module.b.aws_x.y"), vec!["a", "b"]);
    assert_eq!(module_path("module.a[\"k.v\"].aws_x.y"), vec!["a"]);
    assert_eq!(
        split_reference("aws_lb.app[0].arn"),
        Some(("aws_lb.app[0]".into(), "arn".into()))
    );
    assert_eq!(
        split_reference("aws_lb.app.arn"),
        Some(("aws_lb.app".into(), "arn".into()))
    );
    assert_eq!(split_reference("aws_lb.app"), None);
    assert_eq!(split_reference("var.x.y"), None);
    assert_eq!(
        module_prefix("module.data.aws_db_instance.main", "aws_db_instance.main"),
        "module.data."
    );
}

// ---------------------------------------------------------------------------------------------------------
// Tier 3 types

fn map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn tier3_placeholders_are_the_arns_aws_will_give() {
    let (acct, region) = ("123456789012", "us-east-1");
    let ph = |rtype: &str, address: &str, values: Value| {
        resolve::placeholder_arn(rtype, address, &map(values), acct, region)
            .unwrap_or_else(|| panic!("{rtype}: no placeholder"))
    };
    for (rtype, values, want) in [
        (
            "aws_ecs_cluster",
            json!({"name": "app-cluster"}),
            "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster",
        ),
        (
            "aws_ecs_service",
            json!({"name": "web", "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster"}),
            "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/web",
        ),
        (
            "aws_ecs_service",
            json!({"name": "web", "cluster": "app-cluster"}),
            "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/web",
        ),
        (
            "aws_ecs_service",
            json!({"name": "web"}),
            "arn:aws:ecs:us-east-1:123456789012:service/(planned:x.y)",
        ),
        (
            "aws_ecs_task_definition",
            json!({"family": "web"}),
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:(planned:x.y)",
        ),
        (
            "aws_appautoscaling_target",
            json!({"resource_id": "service/c/s"}),
            "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/(planned:x.y)",
        ),
        (
            "aws_appautoscaling_policy",
            json!({"name": "cpu", "service_namespace": "ecs", "resource_id": "service/c/s"}),
            "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:(planned:x.y):resource/ecs/service/c/s:policyName/cpu",
        ),
        (
            "aws_cloudwatch_metric_alarm",
            json!({"alarm_name": "web-5xx"}),
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx",
        ),
        (
            "aws_cloudwatch_log_group",
            json!({"name": "/ecs/web"}),
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web",
        ),
        (
            "aws_sns_topic",
            json!({"name": "alerts"}),
            "arn:aws:sns:us-east-1:123456789012:alerts",
        ),
        (
            "aws_sns_topic_subscription",
            json!({"topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts"}),
            "arn:aws:sns:us-east-1:123456789012:alerts:(planned:x.y)",
        ),
        (
            "aws_synthetics_canary",
            json!({"name": "home"}),
            "arn:aws:synthetics:us-east-1:123456789012:canary:home",
        ),
        (
            "aws_xray_encryption_config",
            json!({"type": "KMS"}),
            "arn:aws:xray:us-east-1:123456789012:encryption-config",
        ),
        (
            "aws_xray_sampling_rule",
            json!({"rule_name": "Default"}),
            "arn:aws:xray:us-east-1:123456789012:sampling-rule/Default",
        ),
        (
            "aws_route53_health_check",
            json!({"fqdn": "app.example.com"}),
            "arn:aws:route53:::healthcheck/(planned:x.y)",
        ),
        (
            "aws_route53_query_log",
            json!({}),
            "arn:aws:route53:::queryloggingconfig/(planned:x.y)",
        ),
        (
            "aws_codepipeline",
            json!({"name": "app-pipeline"}),
            "arn:aws:codepipeline:us-east-1:123456789012:app-pipeline",
        ),
        (
            "aws_codebuild_project",
            json!({"name": "app-build"}),
            "arn:aws:codebuild:us-east-1:123456789012:project/app-build",
        ),
        (
            "aws_ecr_repository",
            json!({"name": "app"}),
            "arn:aws:ecr:us-east-1:123456789012:repository/app",
        ),
        (
            "aws_ecr_registry_scanning_configuration",
            json!({"scan_type": "BASIC"}),
            "arn:aws:ecr:us-east-1:123456789012:registry/scanning-configuration",
        ),
        (
            "aws_codedeploy_deployment_group",
            json!({"app_name": "deploy", "deployment_group_name": "web-dg"}),
            "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:deploy/web-dg",
        ),
        (
            "aws_elasticache_replication_group",
            json!({"replication_group_id": "sessions"}),
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions",
        ),
        (
            "aws_iam_role",
            json!({"name": "task", "path": "/service/"}),
            "arn:aws:iam::123456789012:role/service/task",
        ),
        (
            "aws_iam_role_policy_attachment",
            json!({"role": "task", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
            "arn:aws:iam::123456789012:role/task/attachment/arn:aws:iam::aws:policy/ReadOnlyAccess",
        ),
        (
            "aws_lb_target_group",
            json!({"name": "web-blue"}),
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/(planned:x.y)",
        ),
    ] {
        assert_eq!(ph(rtype, "x.y", values), want, "{rtype}");
    }
    // A name that is itself unknown keeps the address instead.
    assert_eq!(
        ph("aws_sns_topic", "aws_sns_topic.t", json!({})),
        "arn:aws:sns:us-east-1:123456789012:(planned:aws_sns_topic.t)"
    );
    assert_eq!(
        resolve::placeholder_id("aws_route53_health_check", "aws_route53_health_check.app"),
        Some("(planned:aws_route53_health_check.app)".to_string())
    );
}

#[test]
fn computed_values_the_provider_derives_are_filled_in() {
    let d = |rtype: &str, attr: &str, id: &str, values: Value| {
        resolve::derived(
            rtype,
            attr,
            id,
            "pid",
            &map(values),
            "123456789012",
            "us-east-1",
        )
    };
    let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/(planned:aws_lb.web)";
    assert_eq!(
        d("aws_lb", "arn_suffix", lb, json!({})),
        Some(json!("app/web/(planned:aws_lb.web)"))
    );
    assert_eq!(
        d(
            "aws_synthetics_canary",
            "status",
            "",
            json!({"start_canary": true})
        ),
        Some(json!("RUNNING"))
    );
    assert_eq!(
        d(
            "aws_synthetics_canary",
            "status",
            "",
            json!({"start_canary": null})
        ),
        Some(json!("READY"))
    );
    assert_eq!(d("aws_synthetics_canary", "status", "", json!({})), None);
    assert_eq!(
        d(
            "aws_ecr_repository",
            "repository_url",
            "",
            json!({"name": "app"})
        ),
        Some(json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/app"))
    );
    assert_eq!(
        d(
            "aws_ecs_task_definition",
            "arn_without_revision",
            "",
            json!({"family": "web"})
        ),
        Some(json!(
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web"
        ))
    );
    assert_eq!(
        d("aws_route53_zone", "zone_id", "", json!({})),
        Some(json!("pid"))
    );
    assert_eq!(d("aws_lb", "dns_name", lb, json!({})), None);
}

/// A plan with Tier 3 resources being created, one existing resource in an aliased provider's region.
fn tier3_plan() -> Value {
    let r = |address: &str, values: Value| {
        let (t, n) = address.split_once('.').unwrap_or_default();
        json!({"address": address, "mode": "managed", "type": t, "name": n, "values": values,
               "sensitive_values": {}})
    };
    let create = |address: &str, unknown: Value| {
        json!({"address": address, "change": {"actions": ["create"], "after_unknown": unknown,
                                              "after_sensitive": {}}})
    };
    let cfg = |address: &str, expressions: Value| {
        let (t, n) = address.split_once('.').unwrap_or_default();
        json!({"address": address, "mode": "managed", "type": t, "name": n, "provider_config_key": "aws",
               "expressions": expressions})
    };
    let refs = |r: &[&str]| json!({"references": r});
    let mut dims_all_unknown = r(
        "aws_cloudwatch_metric_alarm.whole",
        json!({"alarm_name": "whole", "namespace": "AWS/ApplicationELB", "metric_name": "TargetResponseTime"}),
    );
    dims_all_unknown["sensitive_values"] = json!({"dimensions": {}, "alarm_actions": []});
    let mut dr = cfg(
        "aws_xray_encryption_config.dr",
        json!({"type": {"constant_value": "NONE"}}),
    );
    dr["provider_config_key"] = json!("aws.dr");
    json!({
        "format_version": "1.2",
        "timestamp": "2026-11-27T00:00:00Z",
        "variables": {"dr_region": {"value": "eu-west-1"}},
        "planned_values": {"root_module": {"resources": [
            r("aws_ecs_cluster.app", json!({"name": "app-cluster"})),
            r("aws_ecs_service.web", json!({"name": "web", "launch_type": "FARGATE"})),
            r("aws_lb.web", json!({"name": "web", "load_balancer_type": "application"})),
            r("aws_sns_topic.alerts", json!({"name": "alerts"})),
            r("aws_cloudwatch_metric_alarm.web_5xx", json!({"alarm_name": "web-5xx",
                "namespace": "AWS/ApplicationELB", "metric_name": "HTTPCode_ELB_5XX_Count", "dimensions": {}})),
            dims_all_unknown,
            r("aws_route53_health_check.web", json!({"fqdn": "web.example.com", "disabled": false})),
            r("aws_cloudwatch_metric_alarm.web_health", json!({"alarm_name": "web-health",
                "namespace": "AWS/Route53", "metric_name": "HealthCheckStatus", "dimensions": {}})),
            r("aws_synthetics_canary.home", json!({"name": "home", "start_canary": true,
                "schedule": [{"expression": "rate(5 minutes)"}]})),
            r("aws_secretsmanager_secret.token", json!({"name": "token"})),
            r("aws_ecs_task_definition.web", json!({"family": "web"})),
            r("aws_iam_policy.access", json!({"name": "access"})),
            r("aws_iam_role_policy_attachment.access", json!({"role": "web-task"})),
            r("aws_xray_encryption_config.dr", json!({"id": "eu-west-1", "type": "NONE"})),
            r("aws_codebuild_project.build", json!({"name": "build", "environment": [{
                "environment_variable": [
                    {"name": "DB_PASSWORD", "type": "PLAINTEXT", "value": "hunter2-clear"},
                    {"name": "KEY_ID", "type": "PLAINTEXT", "value": "AKIAIOSFODNN7EXAMPLE"},
                    {"name": "TOKEN", "type": "SECRETS_MANAGER", "value": "ci/token"}]}],
                "source": [{"type": "NO_SOURCE", "buildspec": "version: 0.2\nenv:\n  variables:\n    X: y"}]})),
        ]}},
        "resource_changes": [
            create("aws_ecs_cluster.app", json!({"arn": true, "id": true})),
            create("aws_ecs_service.web", json!({"id": true, "cluster": true})),
            create("aws_lb.web", json!({"arn": true, "arn_suffix": true, "id": true})),
            create("aws_sns_topic.alerts", json!({"arn": true, "id": true})),
            create("aws_cloudwatch_metric_alarm.web_5xx", json!({"arn": true, "id": true,
                "dimensions": {"LoadBalancer": true}, "alarm_actions": true})),
            create("aws_cloudwatch_metric_alarm.whole", json!({"arn": true, "dimensions": true,
                "alarm_actions": true})),
            create("aws_route53_health_check.web", json!({"arn": true, "id": true})),
            create("aws_cloudwatch_metric_alarm.web_health", json!({"arn": true,
                "dimensions": {"HealthCheckId": true}})),
            create("aws_synthetics_canary.home", json!({"arn": true, "status": true})),
            create("aws_secretsmanager_secret.token", json!({"arn": true, "id": true})),
            create("aws_ecs_task_definition.web", json!({"arn": true, "revision": true,
                "container_definitions": true})),
            create("aws_iam_policy.access", json!({"arn": true, "id": true})),
            create("aws_iam_role_policy_attachment.access", json!({"id": true, "policy_arn": true})),
            {"address": "aws_xray_encryption_config.dr", "change": {"actions": ["no-op"], "after_unknown": {}}},
            create("aws_codebuild_project.build", json!({"arn": true})),
        ],
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
                "aws.dr": {"name": "aws", "alias": "dr", "expressions": {"region": refs(&["var.dr_region"])}},
            },
            "root_module": {"resources": [
                cfg("aws_ecs_service.web", json!({"cluster": refs(&["aws_ecs_cluster.app.id", "aws_ecs_cluster.app"])})),
                cfg("aws_cloudwatch_metric_alarm.web_5xx", json!({
                    "dimensions": refs(&["aws_lb.web.arn_suffix", "aws_lb.web"]),
                    "alarm_actions": refs(&["aws_sns_topic.alerts.arn", "aws_sns_topic.alerts"])})),
                cfg("aws_cloudwatch_metric_alarm.whole", json!({
                    "dimensions": refs(&["aws_lb.web.arn_suffix", "aws_lb.web"]),
                    "alarm_actions": refs(&["aws_sns_topic.alerts.arn", "aws_sns_topic.alerts"])})),
                cfg("aws_cloudwatch_metric_alarm.web_health", json!({
                    "dimensions": refs(&["aws_route53_health_check.web.id", "aws_route53_health_check.web"])})),
                cfg("aws_ecs_task_definition.web", json!({
                    "container_definitions": refs(&["aws_secretsmanager_secret.token.arn",
                                                      "aws_secretsmanager_secret.token"])})),
                cfg("aws_iam_role_policy_attachment.access", json!({
                    "role": {"constant_value": "web-task"},
                    "policy_arn": refs(&["aws_iam_policy.access.arn", "aws_iam_policy.access"])})),
                dr,
            ]},
        },
    })
}

/// The plan has no known ARN to take the account from.
fn tier3_options() -> PlanOptions {
    PlanOptions {
        account: Some("123456789012".into()),
        ..PlanOptions::default()
    }
}

#[test]
fn tier3_references_join_through_placeholders_and_documents_stay_unknown() {
    let inv = parse(&tier3_plan(), &tier3_options());
    // A service's ARN names its cluster, whose unknown id resolves to the cluster's ARN.
    let svc = find(&inv, "aws_ecs_service.web");
    assert_eq!(
        svc.id,
        "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/web"
    );
    assert_eq!(
        svc.attributes.get("cluster"),
        Some(&json!(
            "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster"
        ))
    );
    assert!(svc.unknown.is_empty(), "{:?}", svc.unknown);
    // The ALB's computed arn_suffix is the suffix of its placeholder, in the ALB and in the alarm.
    let lb = find(&inv, "aws_lb.web");
    let suffix = json!("app/web/(planned:aws_lb.web)");
    assert_eq!(lb.attributes.get("arn_suffix"), Some(&suffix));
    let alarm = find(&inv, "aws_cloudwatch_metric_alarm.web_5xx");
    assert_eq!(
        alarm.attributes.get("dimensions"),
        Some(&json!({"LoadBalancer": suffix}))
    );
    assert_eq!(
        alarm.attributes.get("alarm_actions"),
        Some(&json!(["arn:aws:sns:us-east-1:123456789012:alerts"]))
    );
    assert!(alarm.unknown.is_empty(), "{:?}", alarm.unknown);
    // A wholly unknown map cannot say which key a reference fills: it stays unknown (never a string);
    // a wholly unknown list (shape `[]` in sensitive_values) resolves to a list.
    let whole = find(&inv, "aws_cloudwatch_metric_alarm.whole");
    assert_eq!(whole.unknown, vec!["dimensions".to_string()]);
    assert!(!whole.attributes.contains_key("dimensions"));
    assert_eq!(
        whole.attributes.get("alarm_actions"),
        Some(&json!(["arn:aws:sns:us-east-1:123456789012:alerts"]))
    );
    // A health check's generated id: the same placeholder in the check and in its alarm's dimension.
    let hc = find(&inv, "aws_route53_health_check.web");
    assert_eq!(
        hc.attributes.get("id"),
        Some(&json!("(planned:aws_route53_health_check.web)"))
    );
    assert_eq!(
        find(&inv, "aws_cloudwatch_metric_alarm.web_health")
            .attributes
            .get("dimensions"),
        Some(&json!({"HealthCheckId": "(planned:aws_route53_health_check.web)"}))
    );
    // A canary that apply starts is RUNNING.
    let canary = find(&inv, "aws_synthetics_canary.home");
    assert_eq!(canary.attributes.get("status"), Some(&json!("RUNNING")));
    // container_definitions built over a new secret's ARN is a document, not that ARN: unknown.
    let td = find(&inv, "aws_ecs_task_definition.web");
    assert_eq!(td.unknown, vec!["container_definitions".to_string()]);
    assert!(!td.attributes.contains_key("container_definitions"));
    assert_eq!(
        td.id,
        "arn:aws:ecs:us-east-1:123456789012:task-definition/web:(planned:aws_ecs_task_definition.web)"
    );
    // An attachment's id names the (resolved) policy ARN.
    assert_eq!(
        find(&inv, "aws_iam_role_policy_attachment.access").id,
        "arn:aws:iam::123456789012:role/web-task/attachment/arn:aws:iam::123456789012:policy/access"
    );
    // A resource of an aliased provider is in that provider's region (here from a root variable).
    let dr = find(&inv, "aws_xray_encryption_config.dr");
    assert_eq!(dr.region, "eu-west-1");
    assert_eq!(
        dr.id,
        "arn:aws:xray:eu-west-1:123456789012:encryption-config"
    );
    assert_eq!(
        inv.provenance.regions,
        vec![
            "eu-west-1".to_string(),
            "global".to_string(),
            "us-east-1".to_string()
        ]
    );
}

#[test]
fn clear_text_variables_of_a_plan_are_redacted() {
    let inv = parse(&tier3_plan(), &tier3_options());
    let text = serde_json::to_string(&inv).unwrap_or_default();
    assert!(!text.contains("hunter2-clear") && !text.contains("AKIAIOSFODNN7EXAMPLE"));
    assert!(!text.contains("X: y"), "inline buildspec kept");
    let build = find(&inv, "aws_codebuild_project.build");
    assert_eq!(
        build.attributes["environment"][0]["environment_variable"],
        json!([
            {"name": "DB_PASSWORD", "type": "PLAINTEXT", "value": "(redacted)"},
            {"name": "KEY_ID", "type": "PLAINTEXT", "value": "AKIAXXXXXXXXXXXXXXXX"},
            {"name": "TOKEN", "type": "SECRETS_MANAGER", "value": "ci/token"}
        ])
    );
    let defs = r#"[{"name":"web","environment":[{"name":"DB_PASSWORD","value":"s3cret"},{"name":"SECRET_ARN","value":"arn:aws:secretsmanager:us-east-1:1:secret:x"},{"name":"EMPTY","value":""}],"secrets":[{"name":"T","valueFrom":"arn:aws:ssm:us-east-1:1:parameter/t"}],"logConfiguration":{"logDriver":"splunk","options":{"splunk-token":"tok-123","splunk-url":"https://splunk.example.com"}}}]"#;
    let out: Value = serde_json::from_str(&redact::container_definitions(defs)).unwrap_or_default();
    assert_eq!(
        out[0]["environment"],
        json!([{"name": "DB_PASSWORD", "value": "(redacted)"},
               {"name": "SECRET_ARN", "value": "arn:aws:secretsmanager:us-east-1:1:secret:x"},
               {"name": "EMPTY", "value": ""}])
    );
    assert_eq!(
        out[0]["secrets"][0]["valueFrom"],
        json!("arn:aws:ssm:us-east-1:1:parameter/t")
    );
    assert_eq!(
        out[0]["logConfiguration"]["options"],
        json!({"splunk-token": "(redacted)", "splunk-url": "https://splunk.example.com"})
    );
    assert_eq!(
        redact::container_definitions("not json s3cret"),
        "(redacted)"
    );
    assert_eq!(redact::container_definitions(SENSITIVE), SENSITIVE);
    assert_eq!(
        redact::environment_variables(
            r#"[{"name":"A","value":"clear","type":"PLAINTEXT"},{"name":"B","value":"ci/b","type":"PARAMETER_STORE"},{"name":"C","value":"untyped"}]"#
        ),
        r#"[{"name":"A","type":"PLAINTEXT","value":"(redacted)"},{"name":"B","type":"PARAMETER_STORE","value":"ci/b"},{"name":"C","value":"(redacted)"}]"#
    );
    let mut pipeline = map(
        json!({"variable": [{"name": "V", "default_value": "clear"}],
        "stage": [{"action": [{"configuration": {"EnvironmentVariables": "[1,2]", "ProjectName": "p"}}]}]}),
    );
    redact::attributes("aws_codepipeline", &mut pipeline);
    assert_eq!(
        pipeline["variable"][0]["default_value"],
        json!("(redacted)")
    );
    assert_eq!(
        pipeline["stage"][0]["action"][0]["configuration"],
        json!({"EnvironmentVariables": "(redacted)", "ProjectName": "p"})
    );
}
