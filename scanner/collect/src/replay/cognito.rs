//! Replay tests of the Cognito user pool collector.
use super::{find_objects, Answer, Collected, Replay};
use crate::services::cognito::collect;
use palisade_model::ErrorKind;
use serde_json::json;

const POOL: &str = "aws_cognito_user_pool";
const CLIENT: &str = "aws_cognito_user_pool_client";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("us-east-1");
    collect(&s).await;
    r.finish(&s)
}

/// The recorded id of the pool named `name`.
fn pool_id(r: &Replay, name: &str) -> String {
    let list = r.recorded(|q| q.operation() == "ListUserPools").body;
    find_objects(list.json(), "Name", name)[0]["Id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn for_pool(op: &'static str, id: String) -> impl Fn(&super::Req) -> bool {
    move |q| q.operation() == op && q.body.json()["UserPoolId"] == json!(id)
}

#[tokio::test]
async fn maps_pools_with_mfa_and_their_clients() {
    let r = Replay::load("cognito");
    let app_id = pool_id(&r, "app-users");
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());
    assert_eq!(c.of_type(POOL).len(), 2);
    assert_eq!(c.of_type(CLIENT).len(), 2);

    let arn = format!("arn:aws:cognito-idp:us-east-1:123456789012:userpool/{app_id}");
    let app = c.by_id(&arn);
    assert_eq!(app.resource_type, POOL);
    assert_eq!(app.name.as_deref(), Some("app-users"));
    let a = &app.attributes;
    assert_eq!(a["id"], json!(app_id));
    assert_eq!(a["arn"], json!(arn));
    // MFA required with TOTP (COG-01), advanced security enforced (COG-02).
    assert_eq!(a["mfa_configuration"], json!("ON"));
    assert_eq!(
        a["software_token_mfa_configuration"],
        json!([{"enabled": true}])
    );
    assert_eq!(a["sms_mfa_enabled"], json!(false));
    assert_eq!(
        a["user_pool_add_ons"],
        json!([{"advanced_security_mode": "ENFORCED"}])
    );
    assert_eq!(
        a["password_policy"],
        json!([{
            "minimum_length": 14, "require_uppercase": true, "require_lowercase": true,
            "require_numbers": true, "require_symbols": true, "temporary_password_validity_days": 7,
        }])
    );
    assert_eq!(a["deletion_protection"], json!("ACTIVE"));
    assert_eq!(app.tags.get("stack").map(String::as_str), Some("app"));

    let legacy = c.named(POOL, "legacy-users");
    let a = &legacy.attributes;
    assert_eq!(a["mfa_configuration"], json!("OPTIONAL"));
    assert_eq!(
        a["user_pool_add_ons"],
        json!([{"advanced_security_mode": "OFF"}])
    );
    assert_eq!(a["password_policy"][0]["minimum_length"], json!(8));
    assert_eq!(a["password_policy"][0]["require_symbols"], json!(false));
    assert_eq!(a["deletion_protection"], json!("INACTIVE"));

    // Clients: id `<pool arn>/client/<client id>` (COG-05).
    let web = c.named(CLIENT, "app-web-client");
    let cid = web.attributes["id"].as_str().unwrap();
    assert_eq!(web.id, format!("{arn}/client/{cid}"));
    assert_eq!(web.attributes["user_pool_id"], json!(app_id));
    assert_eq!(
        web.attributes["prevent_user_existence_errors"],
        json!("ENABLED")
    );
    assert_eq!(web.attributes["enable_token_revocation"], json!(true));
    assert_eq!(web.attributes["explicit_auth_flows"], json!([]));
    let old = c.named(CLIENT, "legacy-web-client");
    assert_eq!(
        old.attributes["prevent_user_existence_errors"],
        json!("LEGACY")
    );
    assert_eq!(old.attributes["enable_token_revocation"], json!(false));
    assert!(old.id.starts_with(&format!("{}/client/", legacy.id)));
}

#[tokio::test]
async fn the_mfa_config_call_is_authoritative() {
    // DescribeUserPool says ON; GetUserPoolMfaConfig (authoritative) says OFF.
    let r = Replay::load("cognito");
    let id = pool_id(&r, "app-users");
    let r = r.replace(
        for_pool("GetUserPoolMfaConfig", id),
        Answer::json(json!({"MfaConfiguration": "OFF"})),
    );
    let c = run(&r).await;
    c.assert_no_errors();
    let a = &c.named(POOL, "app-users").attributes;
    assert_eq!(a["mfa_configuration"], json!("OFF"));
    assert_eq!(
        a["software_token_mfa_configuration"],
        json!([{"enabled": false}])
    );
}

#[tokio::test]
async fn denied_mfa_config_is_an_error_on_that_pool() {
    let r = Replay::load("cognito");
    let id = pool_id(&r, "legacy-users");
    let r = r.replace(
        for_pool("GetUserPoolMfaConfig", id.clone()),
        Answer::json_error(
            400,
            "AccessDeniedException",
            "User is not authorized to perform: cognito-idp:GetUserPoolMfaConfig",
        ),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("cognito-idp:GetUserPoolMfaConfig");
    assert_eq!(e.service, "cognito-idp");
    assert_eq!(e.error_code, "AccessDeniedException");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![POOL.to_string()]);
    let arn = format!("arn:aws:cognito-idp:us-east-1:123456789012:userpool/{id}");
    assert_eq!(e.resource_id.as_deref(), Some(arn.as_str()));
    // The pool is still reported from DescribeUserPool, without the MFA call's details.
    let a = &c.by_id(&arn).attributes;
    assert_eq!(a["mfa_configuration"], json!("OPTIONAL"));
    assert!(a.get("software_token_mfa_configuration").is_none());
    assert!(a.get("sms_mfa_enabled").is_none());
    // The other pool and both clients are unaffected.
    assert_eq!(
        c.named(POOL, "app-users").attributes["mfa_configuration"],
        json!("ON")
    );
    assert_eq!(c.of_type(CLIENT).len(), 2);
}

#[tokio::test]
async fn denied_listing_is_an_error_for_pools_and_clients() {
    let r = Replay::load("cognito").replace(
        |q| q.operation() == "ListUserPools",
        Answer::json_error(400, "NotAuthorizedException", "not authorized"),
    );
    let c = run(&r).await;
    assert!(c.resources.is_empty());
    let e = c.error("cognito-idp:ListUserPools");
    assert_eq!(e.error_code, "NotAuthorizedException");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![POOL.to_string(), CLIENT.to_string()]);
}
