//! Replay tests of the IAM collector.
use super::{Answer, Collected, Replay};
use crate::services::iam::collect;
use palisade_model::ErrorKind;
use serde_json::{json, Value};

const SUMMARY: &str = "aws_iam_account_summary";
const POLICY: &str = "aws_iam_policy";
const ROLE_POLICY: &str = "aws_iam_role_policy";
const PASSWORD_POLICY: &str = "aws_iam_account_password_policy";
const ROLE: &str = "aws_iam_role";
const ATTACHMENT: &str = "aws_iam_role_policy_attachment";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("global");
    collect(&s).await;
    r.finish(&s)
}

fn doc(v: &Value) -> Value {
    serde_json::from_str(v.as_str().expect("a policy document")).expect("JSON policy document")
}

#[tokio::test]
async fn maps_the_account_summary_and_every_policy_document() {
    let r = Replay::load("iam");
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());

    // Root MFA and root keys (IAM-01): moto cannot enable root MFA.
    let root = c.by_id("arn:aws:iam::123456789012:root");
    assert_eq!(root.resource_type, SUMMARY);
    assert_eq!(root.region, "global");
    assert_eq!(
        root.attributes,
        json!({"account_mfa_enabled": 0, "account_access_keys_present": 0, "users": 1, "policies": 2})
            .as_object()
            .unwrap()
            .clone()
    );

    // Customer managed policies, URL-decoded default version (IAM-02).
    assert_eq!(
        c.ids(POLICY),
        vec![
            "arn:aws:iam::123456789012:policy/app-ecs-task-access".to_string(),
            "arn:aws:iam::123456789012:policy/legacy-admin-access".to_string(),
        ]
    );
    let admin = c.by_id("arn:aws:iam::123456789012:policy/legacy-admin-access");
    // PolicyName is patched into the recording (moto leaves it out).
    assert_eq!(admin.name.as_deref(), Some("legacy-admin-access"));
    assert_eq!(admin.attributes["name"], json!("legacy-admin-access"));
    assert_eq!(admin.attributes["path"], json!("/"));
    assert_eq!(admin.attributes["attachment_count"], json!(2));
    assert_eq!(
        doc(&admin.attributes["policy"]),
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}]})
    );
    let task = doc(&c
        .by_id("arn:aws:iam::123456789012:policy/app-ecs-task-access")
        .attributes["policy"]);
    assert_eq!(task["Statement"][1]["Sid"], json!("ReadDbSecret"));
    assert!(task["Statement"][1]["Resource"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-"));

    // Inline role policies, id `<role arn>/policy/<name>`.
    assert_eq!(
        c.ids(ROLE_POLICY),
        vec![
            "arn:aws:iam::123456789012:role/app-ecs-execution/policy/app-logs-write".to_string(),
            "arn:aws:iam::123456789012:role/legacy-ecs-task/policy/legacy-task-all".to_string(),
        ]
    );
    let all = c.by_id("arn:aws:iam::123456789012:role/legacy-ecs-task/policy/legacy-task-all");
    assert_eq!(all.attributes["role"], json!("legacy-ecs-task"));
    assert_eq!(all.attributes["name"], json!("legacy-task-all"));
    assert_eq!(
        doc(&all.attributes["policy"]),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]})
    );
    let logs = doc(&c
        .by_id("arn:aws:iam::123456789012:role/app-ecs-execution/policy/app-logs-write")
        .attributes["policy"]);
    assert_eq!(
        logs["Statement"][0]["Resource"],
        json!("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*")
    );
    // No inline user or group policies in the account.
    assert!(c.of_type("aws_iam_user_policy").is_empty());
    assert!(c.of_type("aws_iam_group_policy").is_empty());

    // The account password policy the seeder sets (short, no symbols), Terraform's names.
    let pw = c.by_id("arn:aws:iam::123456789012:account-password-policy");
    assert_eq!(pw.resource_type, PASSWORD_POLICY);
    assert_eq!(pw.attributes["configured"], json!(true));
    assert_eq!(pw.attributes["minimum_password_length"], json!(8));
    assert_eq!(pw.attributes["require_symbols"], json!(false));
    assert_eq!(pw.attributes["require_numbers"], json!(true));
    assert_eq!(pw.attributes["allow_users_to_change_password"], json!(true));

    // Roles from the same response: trust policy, inline policies and managed policy ARNs.
    assert_eq!(
        c.ids(ROLE),
        vec![
            "arn:aws:iam::123456789012:role/app-backend-task".to_string(),
            "arn:aws:iam::123456789012:role/app-ecs-execution".to_string(),
            "arn:aws:iam::123456789012:role/app-secret-rotation".to_string(),
            "arn:aws:iam::123456789012:role/app-waf-log-delivery".to_string(),
            "arn:aws:iam::123456789012:role/legacy-ecs-task".to_string(),
        ]
    );
    let ecs_trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let backend = c.by_id("arn:aws:iam::123456789012:role/app-backend-task");
    assert_eq!(backend.region, "global");
    assert_eq!(backend.name.as_deref(), Some("app-backend-task"));
    assert_eq!(backend.tags.get("stack").map(String::as_str), Some("app"));
    assert_eq!(doc(&backend.attributes["assume_role_policy"]), ecs_trust);
    let mut attrs = backend.attributes.clone();
    attrs.remove("assume_role_policy");
    assert_eq!(
        Value::Object(attrs),
        json!({
            "arn": "arn:aws:iam::123456789012:role/app-backend-task",
            "name": "app-backend-task",
            "id": "app-backend-task",
            "unique_id": "AROARZPUZDIKH64YGVSCA",
            "path": "/",
            "create_date": "2026-11-27T22:33:06.420031Z",
            "inline_policy": [],
            "managed_policy_arns": ["arn:aws:iam::123456789012:policy/app-ecs-task-access"],
        })
    );
    let legacy = c.by_id("arn:aws:iam::123456789012:role/legacy-ecs-task");
    assert_eq!(legacy.attributes["name"], json!("legacy-ecs-task"));
    assert_eq!(doc(&legacy.attributes["assume_role_policy"]), ecs_trust);
    assert_eq!(
        legacy.attributes["managed_policy_arns"],
        json!(["arn:aws:iam::123456789012:policy/legacy-admin-access"])
    );
    let inline = legacy.attributes["inline_policy"].as_array().unwrap();
    assert_eq!(inline.len(), 1);
    assert_eq!(inline[0]["name"], json!("legacy-task-all"));
    assert_eq!(
        doc(&inline[0]["policy"]),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]})
    );
    let execution = c.by_id("arn:aws:iam::123456789012:role/app-ecs-execution");
    assert_eq!(execution.attributes["managed_policy_arns"], json!([]));
    assert_eq!(
        execution.attributes["inline_policy"][0]["name"],
        json!("app-logs-write")
    );
    let rotation = c.by_id("arn:aws:iam::123456789012:role/app-secret-rotation");
    assert_eq!(
        doc(&rotation.attributes["assume_role_policy"])["Statement"][0]["Principal"],
        json!({"Service": "lambda.amazonaws.com"})
    );

    // One attachment per attached managed policy, id `<role arn>/attachment/<policy arn>`.
    assert_eq!(
        c.ids(ATTACHMENT),
        vec![
            "arn:aws:iam::123456789012:role/app-backend-task/attachment/arn:aws:iam::123456789012:policy/app-ecs-task-access".to_string(),
            "arn:aws:iam::123456789012:role/legacy-ecs-task/attachment/arn:aws:iam::123456789012:policy/legacy-admin-access".to_string(),
        ]
    );
    let att = c.by_id("arn:aws:iam::123456789012:role/legacy-ecs-task/attachment/arn:aws:iam::123456789012:policy/legacy-admin-access");
    assert_eq!(att.region, "global");
    assert_eq!(
        att.name.as_deref(),
        Some("legacy-ecs-task/legacy-admin-access")
    );
    assert_eq!(
        Value::Object(att.attributes.clone()),
        json!({"role": "legacy-ecs-task", "policy_arn": "arn:aws:iam::123456789012:policy/legacy-admin-access"})
    );
    assert_eq!(c.resources.len(), 13);
}

#[tokio::test]
async fn no_password_policy_is_data_not_an_error() {
    let r = Replay::load("iam").replace(
        |q| q.operation() == "GetAccountPasswordPolicy",
        Answer::query_error(
            404,
            "NoSuchEntity",
            "The Password Policy with domain name 123456789012 cannot be found.",
        ),
    );
    let c = run(&r).await;
    c.assert_no_errors();
    let pw = c.by_id("arn:aws:iam::123456789012:account-password-policy");
    assert_eq!(
        pw.attributes,
        json!({"configured": false})
            .as_object()
            .cloned()
            .unwrap_or_default()
    );
}

#[tokio::test]
async fn a_denied_password_policy_is_an_error_for_its_type_only() {
    let r = Replay::load("iam").replace(
        |q| q.operation() == "GetAccountPasswordPolicy",
        Answer::query_error(
            403,
            "AccessDenied",
            "not authorized to perform: iam:GetAccountPasswordPolicy",
        ),
    );
    let c = run(&r).await;
    let e = c.error("iam:GetAccountPasswordPolicy");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![PASSWORD_POLICY.to_string()]);
    assert!(c.of_type(PASSWORD_POLICY).is_empty());
    assert_eq!(c.of_type(POLICY).len(), 2);
}

#[tokio::test]
async fn a_denied_summary_leaves_the_policies_collected() {
    let r = Replay::load("iam").replace(
        |q| q.operation() == "GetAccountSummary",
        Answer::query_error(
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: iam:GetAccountSummary",
        ),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("iam:GetAccountSummary");
    assert_eq!(e.service, "iam");
    assert_eq!(e.region, "global");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![SUMMARY.to_string()]);
    assert!(c.of_type(SUMMARY).is_empty());
    assert_eq!(c.of_type(POLICY).len(), 2);
    assert_eq!(c.of_type(ROLE_POLICY).len(), 2);
    assert_eq!(c.of_type(ROLE).len(), 5);
    assert_eq!(c.of_type(ATTACHMENT).len(), 2);
}

#[tokio::test]
async fn denied_authorization_details_are_an_error_for_every_policy_type() {
    let r = Replay::load("iam").replace(
        |q| q.operation() == "GetAccountAuthorizationDetails",
        Answer::query_error(400, "Throttling", "Rate exceeded"),
    );
    let c = run(&r).await;
    let e = c.error("iam:GetAccountAuthorizationDetails");
    assert_eq!(e.kind, ErrorKind::Throttled);
    assert_eq!(
        e.resource_types,
        vec![
            "aws_iam_policy",
            "aws_iam_role_policy",
            "aws_iam_user_policy",
            "aws_iam_group_policy",
            "aws_iam_role",
            "aws_iam_role_policy_attachment"
        ]
    );
    assert_eq!(
        c.ids(SUMMARY),
        vec!["arn:aws:iam::123456789012:root".to_string()]
    );
    assert_eq!(c.of_type(PASSWORD_POLICY).len(), 1);
    assert_eq!(c.resources.len(), 2);
}
