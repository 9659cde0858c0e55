//! Replay tests of the Secrets Manager collector.
use super::{find_objects, Answer, Replay, ACCOUNT};
use crate::services::secretsmanager::collect;
use palisade_model::time::format_rfc3339;
use palisade_model::ErrorKind;
use serde_json::{json, Value};

const T: &str = "aws_secretsmanager_secret";

fn list(r: &Replay) -> Value {
    r.recorded(|q| q.operation() == "ListSecrets")
        .body
        .json()
        .clone()
}

/// The recorded ListSecrets entry of the secret named `name`.
fn entry(list: &Value, name: &str) -> Value {
    find_objects(list, "Name", name)
        .first()
        .copied()
        .cloned()
        .unwrap_or_else(|| panic!("no recorded secret {name}"))
}

fn rfc3339(v: &Value) -> Value {
    json!(format_rfc3339(
        v.as_f64().expect("a recorded epoch date") as i64
    ))
}

fn policy_of(name: &str) -> impl Fn(&super::Req) -> bool + '_ {
    move |q| q.operation() == "GetResourcePolicy" && q.body.text().contains(&format!(":{name}-"))
}

#[tokio::test]
async fn maps_every_secret_with_rotation_dates_and_policy() {
    let r = Replay::load("secretsmanager");
    let list = list(&r);
    let s = r.scope("us-east-1");
    collect(&s).await;
    let c = r.finish(&s);
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());
    let names: Vec<String> = c.of_type(T).iter().filter_map(|x| x.name.clone()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(c.resources.len(), 6);

    // app/api-key: Lambda rotation every 30 days, KMS key, a resource policy naming the backend role.
    let e = entry(&list, "app/api-key");
    let arn = e["ARN"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/api-key-"));
    let x = c.by_id(arn);
    assert_eq!(x.resource_type, T);
    assert_eq!(x.account, ACCOUNT);
    assert_eq!(x.region, "us-east-1");
    assert_eq!(x.name.as_deref(), Some("app/api-key"));
    let a = &x.attributes;
    assert_eq!(a["arn"], json!(arn));
    assert_eq!(a["name"], json!("app/api-key"));
    assert_eq!(
        a["description"],
        json!("Third-party API key used by the backend service")
    );
    assert_eq!(a["rotation_enabled"], json!(true));
    assert_eq!(
        a["rotation_lambda_arn"],
        json!("arn:aws:lambda:us-east-1:123456789012:function:app-api-key-rotation")
    );
    assert_eq!(
        a["rotation_rules"],
        json!([{"automatically_after_days": 30}])
    );
    assert!(a["kms_key_id"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:kms:us-east-1:123456789012:key/"));
    assert_eq!(a["created_date"], rfc3339(&e["CreatedDate"]));
    assert_eq!(a["last_rotated_date"], rfc3339(&e["LastRotatedDate"]));
    assert_eq!(a["last_changed_date"], rfc3339(&e["LastChangedDate"]));
    assert_eq!(a["next_rotation_date"], rfc3339(&e["NextRotationDate"]));
    // Patched into the recording (moto never reports it): 1764201600.
    assert_eq!(a["last_accessed_date"], json!("2025-11-27T00:00:00Z"));
    let policy: Value = serde_json::from_str(a["policy"].as_str().unwrap()).unwrap();
    assert_eq!(
        policy["Statement"][0]["Principal"]["AWS"],
        json!("arn:aws:iam::123456789012:role/app-backend-task")
    );
    assert_eq!(x.tags.get("stack").map(String::as_str), Some("app"));
    assert_eq!(x.tags.get("env").map(String::as_str), Some("prod"));

    // legacy/db-password: never rotated, no policy (data: ""), no KMS key, never accessed.
    let x = c.named(T, "legacy/db-password");
    let a = &x.attributes;
    assert_eq!(a["rotation_enabled"], json!(false));
    for absent in [
        "rotation_rules",
        "rotation_lambda_arn",
        "last_rotated_date",
        "next_rotation_date",
        "last_accessed_date",
        "kms_key_id",
        "owning_service",
    ] {
        assert!(a.get(absent).is_none(), "{absent} = {:?}", a.get(absent));
    }
    assert_eq!(a["policy"], json!(""));
    assert_eq!(x.tags.get("stack").map(String::as_str), Some("legacy"));

    // legacy/partner-api-token: a policy open to everyone, kept verbatim.
    let a = &c.named(T, "legacy/partner-api-token").attributes;
    let policy: Value = serde_json::from_str(a["policy"].as_str().unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Principal"], json!("*"));
    assert_eq!(policy["Statement"][0]["Sid"], json!("PartnerRead"));

    // legacy/reporting-db-credentials: Lambda rotation every 30 days.
    let a = &c.named(T, "legacy/reporting-db-credentials").attributes;
    assert_eq!(a["rotation_enabled"], json!(true));
    assert_eq!(
        a["rotation_rules"],
        json!([{"automatically_after_days": 30}])
    );
    assert_eq!(
        a["rotation_lambda_arn"],
        json!("arn:aws:lambda:us-east-1:123456789012:function:legacy-mysql-rotation")
    );

    // The RDS-managed master secret: owned by RDS, managed rotation every 7 days without a Lambda.
    let rds: Vec<_> = c
        .of_type(T)
        .into_iter()
        .filter(|x| x.attributes.get("owning_service") == Some(&json!("rds")))
        .collect();
    assert_eq!(rds.len(), 1);
    let a = &rds[0].attributes;
    assert!(a["name"].as_str().unwrap().starts_with("rds!db-"));
    assert_eq!(a["rotation_enabled"], json!(true));
    assert_eq!(
        a["rotation_rules"],
        json!([{"automatically_after_days": 7}])
    );
    assert_eq!(a["rotation_lambda_arn"], json!(""));
    assert_eq!(
        rds[0]
            .tags
            .get("aws:rds:primaryDBInstanceArn")
            .map(String::as_str),
        Some("arn:aws:rds:us-east-1:123456789012:db:app-db")
    );
}

#[tokio::test]
async fn list_secrets_denied_is_a_collection_error_for_every_secret() {
    let r = Replay::load("secretsmanager").replace(
        |q| q.operation() == "ListSecrets",
        Answer::json_error(
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: secretsmanager:ListSecrets",
        ),
    );
    let s = r.scope("us-east-1");
    collect(&s).await;
    let c = r.finish(&s);
    assert!(c.resources.is_empty(), "{:?}", c.resources);
    assert_eq!(c.errors.len(), 1);
    let e = c.error("secretsmanager:ListSecrets");
    assert_eq!(e.service, "secretsmanager");
    assert_eq!(e.account, ACCOUNT);
    assert_eq!(e.region, "us-east-1");
    assert_eq!(e.error_code, "AccessDeniedException");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert!(e
        .message
        .contains("not authorized to perform: secretsmanager:ListSecrets"));
    assert_eq!(e.resource_types, vec![T.to_string()]);
    assert_eq!(e.resource_id, None);
}

#[tokio::test]
async fn a_denied_resource_policy_leaves_the_policy_unknown_and_the_rest_collected() {
    let r = Replay::load("secretsmanager").replace(
        policy_of("legacy/partner-api-token"),
        Answer::json_error(
            400,
            "AccessDeniedException",
            "not authorized to perform: secretsmanager:GetResourcePolicy",
        ),
    );
    let list = list(&r);
    let s = r.scope("us-east-1");
    collect(&s).await;
    let c = r.finish(&s);
    let arn = entry(&list, "legacy/partner-api-token")["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("secretsmanager:GetResourcePolicy");
    assert_eq!(e.error_code, "AccessDeniedException");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_id.as_deref(), Some(arn.as_str()));
    assert_eq!(e.resource_types, vec![T.to_string()]);
    // The secret is still reported, with its policy unknown (absent), not "no policy" ("").
    assert_eq!(c.of_type(T).len(), 6);
    let x = c.by_id(&arn);
    assert!(x.attributes.get("policy").is_none());
    assert_eq!(x.attributes["rotation_enabled"], json!(false));
    assert!(c.named(T, "app/api-key").attributes["policy"]
        .as_str()
        .unwrap()
        .contains("BackendTaskReads"));
    assert_eq!(
        c.named(T, "legacy/db-password").attributes["policy"],
        json!("")
    );
}

#[tokio::test]
async fn no_resource_policy_is_data_not_an_error() {
    let r = Replay::load("secretsmanager").replace(
        policy_of("app/api-key"),
        Answer::json_error(
            400,
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret.",
        ),
    );
    let s = r.scope("us-east-1");
    collect(&s).await;
    let c = r.finish(&s);
    c.assert_no_errors();
    assert_eq!(c.named(T, "app/api-key").attributes["policy"], json!(""));
}
