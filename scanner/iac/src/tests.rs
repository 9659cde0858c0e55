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
