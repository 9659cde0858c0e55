//! Cognito user pools: MFA (from GetUserPoolMfaConfig, which is authoritative), advanced security, password
//! policy, deletion protection, and every app client's hardening flags.
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "cognito-idp",
    placement: Placement::Regional,
    types: &["aws_cognito_user_pool", "aws_cognito_user_pool_client"],
    actions: &[
        "cognito-idp:ListUserPools",
        "cognito-idp:DescribeUserPool",
        "cognito-idp:GetUserPoolMfaConfig",
        "cognito-idp:ListUserPoolClients",
        "cognito-idp:DescribeUserPoolClient",
    ],
};
const SVC: &str = "cognito-idp";

pub fn pool(
    p: &aws_sdk_cognitoidentityprovider::types::UserPoolType,
    mfa: Option<&aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput>,
) -> Value {
    let pw = p.policies().and_then(|x| x.password_policy()).map(|pp| {
        vec![json!({
            "minimum_length": pp.minimum_length(),
            "require_uppercase": pp.require_uppercase(),
            "require_lowercase": pp.require_lowercase(),
            "require_numbers": pp.require_numbers(),
            "require_symbols": pp.require_symbols(),
            "temporary_password_validity_days": pp.temporary_password_validity_days(),
        })]
    });
    let mfa_configuration = mfa
        .and_then(|m| m.mfa_configuration())
        .or(p.mfa_configuration())
        .map(|m| m.as_str().to_string());
    json!({
        "id": p.id(),
        "arn": p.arn(),
        "name": p.name(),
        "mfa_configuration": mfa_configuration,
        "software_token_mfa_configuration": mfa.map(|m| vec![json!({
            "enabled": m.software_token_mfa_configuration().is_some_and(|t| t.enabled()),
        })]),
        "sms_mfa_enabled": mfa.map(|m| m.sms_mfa_configuration().is_some()),
        "user_pool_add_ons": p.user_pool_add_ons().map(|a| vec![json!({
            "advanced_security_mode": a.advanced_security_mode().as_str(),
        })]),
        "password_policy": pw,
        "deletion_protection": p.deletion_protection().map(|d| d.as_str()),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_cognitoidentityprovider, s);
    let mut ids = Vec::new();
    let mut pages = c.list_user_pools().max_results(60).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => ids.extend(
                out.user_pools()
                    .iter()
                    .filter_map(|p| p.id().map(str::to_string)),
            ),
            Err(e) => {
                s.error(SVC, "ListUserPools", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    let (region, account) = (s.region.clone(), s.account.clone());
    let fetched = s
        .each(ids, |id| {
            let c = c.clone();
            async move {
                let d = c.describe_user_pool().user_pool_id(&id).send().await;
                let m = c.get_user_pool_mfa_config().user_pool_id(&id).send().await;
                let mut clients = Vec::new();
                let mut cerr = None;
                let mut pages = c
                    .list_user_pool_clients()
                    .user_pool_id(&id)
                    .max_results(60)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(out) => clients.extend(
                            out.user_pool_clients()
                                .iter()
                                .filter_map(|x| x.client_id().map(str::to_string)),
                        ),
                        Err(e) => {
                            cerr = Some(e);
                            break;
                        }
                    }
                }
                let mut described = Vec::new();
                for cid in clients {
                    let r = c
                        .describe_user_pool_client()
                        .user_pool_id(&id)
                        .client_id(&cid)
                        .send()
                        .await;
                    described.push((cid, r));
                }
                (id, d, m, cerr, described)
            }
        })
        .await;
    for (id, d, m, cerr, described) in fetched {
        let arn = format!("arn:aws:cognito-idp:{region}:{account}:userpool/{id}");
        let mfa = match m {
            Ok(out) => Some(out),
            Err(e) => {
                s.error(
                    SVC,
                    "GetUserPoolMfaConfig",
                    &["aws_cognito_user_pool"],
                    Some(&arn),
                    &e,
                );
                None
            }
        };
        match d {
            Ok(out) => {
                if let Some(p) = out.user_pool() {
                    let tg: BTreeMap<String, String> = p
                        .user_pool_tags()
                        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default();
                    let id_arn = p.arn().unwrap_or(&arn).to_string();
                    s.push(
                        "aws_cognito_user_pool",
                        id_arn,
                        p.name().map(str::to_string),
                        pool(p, mfa.as_ref()),
                        tg,
                    );
                }
            }
            Err(e) => s.error(
                SVC,
                "DescribeUserPool",
                &["aws_cognito_user_pool"],
                Some(&arn),
                &e,
            ),
        }
        if let Some(e) = cerr {
            s.error(
                SVC,
                "ListUserPoolClients",
                &["aws_cognito_user_pool_client"],
                Some(&arn),
                &e,
            );
        }
        for (cid, r) in described {
            let client_arn = format!("{arn}/client/{cid}");
            match r {
                Ok(out) => {
                    if let Some(cl) = out.user_pool_client() {
                        s.push(
                            "aws_cognito_user_pool_client",
                            client_arn,
                            cl.client_name().map(str::to_string),
                            json!({
                                "id": cid,
                                "name": cl.client_name(),
                                "user_pool_id": cl.user_pool_id(),
                                "prevent_user_existence_errors": cl.prevent_user_existence_errors().map(|p| p.as_str()),
                                "enable_token_revocation": cl.enable_token_revocation(),
                                "explicit_auth_flows": cl.explicit_auth_flows().iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                            }),
                            BTreeMap::new(),
                        );
                    }
                }
                Err(e) => s.error(
                    SVC,
                    "DescribeUserPoolClient",
                    &["aws_cognito_user_pool_client"],
                    Some(&client_arn),
                    &e,
                ),
            }
        }
    }
}
