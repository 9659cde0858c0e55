//! IAM: the account summary (root MFA, root access keys), the account password policy, and every customer
//! managed policy, inline policy document, role (trust policy, inline policies, managed policy ARNs) and
//! role policy attachment, from one paginated GetAccountAuthorizationDetails instead of a call per policy
//! or role.
use super::{Collector, Placement};
use crate::scope::{date, tags, Scope};
use aws_sdk_iam::types::RoleDetail;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "iam",
    placement: Placement::Global,
    types: &[
        "aws_iam_account_summary",
        "aws_iam_account_password_policy",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_role",
        "aws_iam_role_policy_attachment",
    ],
    actions: &[
        "iam:GetAccountSummary",
        "iam:GetAccountPasswordPolicy",
        "iam:GetAccountAuthorizationDetails",
    ],
};

/// Decodes the URL-encoded policy documents IAM returns.
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The types GetAccountAuthorizationDetails feeds.
const AUTHORIZATION_DETAILS_TYPES: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
    "aws_iam_role_policy_attachment",
];

/// A role as Terraform's `aws_iam_role`: `id` is the role name (Terraform's id), `assume_role_policy` and
/// each `inline_policy[].policy` the URL-decoded JSON document, `managed_policy_arns` every attached policy
/// (customer or AWS managed).
pub fn role(r: &RoleDetail) -> Value {
    json!({
        "arn": r.arn(),
        "name": r.role_name(),
        "id": r.role_name(),
        "unique_id": r.role_id(),
        "path": r.path(),
        "assume_role_policy": r.assume_role_policy_document().map(url_decode),
        "create_date": date(r.create_date()),
        "permissions_boundary": r.permissions_boundary().and_then(|b| b.permissions_boundary_arn()),
        "inline_policy": r.role_policy_list().iter().map(|p| json!({
            "name": p.policy_name(),
            "policy": p.policy_document().map(url_decode),
        })).collect::<Vec<_>>(),
        "managed_policy_arns": r.attached_managed_policies().iter().filter_map(|p| p.policy_arn()).collect::<Vec<_>>(),
        // A role never used has an empty RoleLastUsed: no block.
        "role_last_used": r.role_last_used().filter(|u| u.last_used_date().is_some() || u.region().is_some()).map(|u| vec![json!({
            "last_used_date": date(u.last_used_date()),
            "region": u.region(),
        })]),
    })
}

/// The role's policy attachments as Terraform's `aws_iam_role_policy_attachment`: (id, name, attributes),
/// id `<role arn>/attachment/<policy arn>`, name `<role name>/<policy name>`.
pub fn role_attachments(r: &RoleDetail) -> Vec<(String, String, Value)> {
    let owner = r.arn().unwrap_or_default();
    let role_name = r.role_name().unwrap_or_default();
    r.attached_managed_policies()
        .iter()
        .filter_map(|p| {
            let arn = p.policy_arn()?;
            let policy_name = p
                .policy_name()
                .or_else(|| arn.rsplit('/').next())
                .unwrap_or(arn);
            Some((
                format!("{owner}/attachment/{arn}"),
                format!("{role_name}/{policy_name}"),
                json!({"role": role_name, "policy_arn": arn}),
            ))
        })
        .collect()
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_iam, s);
    match c.get_account_summary().send().await {
        Ok(out) => {
            let m = out.summary_map();
            let get = |k: &str| {
                m.and_then(|m| m.iter().find(|(key, _)| key.as_str() == k).map(|(_, v)| *v))
            };
            s.push(
                "aws_iam_account_summary",
                format!("arn:aws:iam::{}:root", s.account),
                Some("root".into()),
                json!({
                    "account_mfa_enabled": get("AccountMFAEnabled"),
                    "account_access_keys_present": get("AccountAccessKeysPresent"),
                    "users": get("Users"),
                    "policies": get("Policies"),
                }),
                BTreeMap::new(),
            );
        }
        Err(e) => s.error(
            "iam",
            "GetAccountSummary",
            &["aws_iam_account_summary"],
            None,
            &e,
        ),
    }
    // The password policy, named as Terraform's aws_iam_account_password_policy. No policy at all
    // (NoSuchEntity) is data: the account uses IAM's defaults, recorded as `configured: false`.
    let policy_id = format!("arn:aws:iam::{}:account-password-policy", s.account);
    match c.get_account_password_policy().send().await {
        Ok(out) => {
            let p = out.password_policy();
            s.push(
                "aws_iam_account_password_policy",
                policy_id,
                Some("account-password-policy".into()),
                json!({
                    "configured": true,
                    "minimum_password_length": p.and_then(|p| p.minimum_password_length()),
                    "require_symbols": p.map(|p| p.require_symbols()),
                    "require_numbers": p.map(|p| p.require_numbers()),
                    "require_uppercase_characters": p.map(|p| p.require_uppercase_characters()),
                    "require_lowercase_characters": p.map(|p| p.require_lowercase_characters()),
                    "allow_users_to_change_password": p.map(|p| p.allow_users_to_change_password()),
                    "expire_passwords": p.map(|p| p.expire_passwords()),
                    "max_password_age": p.and_then(|p| p.max_password_age()),
                    "password_reuse_prevention": p.and_then(|p| p.password_reuse_prevention()),
                    "hard_expiry": p.and_then(|p| p.hard_expiry()),
                }),
                BTreeMap::new(),
            );
        }
        Err(e) if crate::scope::service_code(&e).as_deref() == Some("NoSuchEntity") => s.push(
            "aws_iam_account_password_policy",
            policy_id,
            Some("account-password-policy".into()),
            json!({"configured": false}),
            BTreeMap::new(),
        ),
        Err(e) => s.error(
            "iam",
            "GetAccountPasswordPolicy",
            &["aws_iam_account_password_policy"],
            None,
            &e,
        ),
    }
    use aws_sdk_iam::types::EntityType;
    let mut pages = c
        .get_account_authorization_details()
        .filter(EntityType::LocalManagedPolicy)
        .filter(EntityType::Role)
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let out = match page {
            Ok(out) => out,
            Err(e) => {
                s.error(
                    "iam",
                    "GetAccountAuthorizationDetails",
                    AUTHORIZATION_DETAILS_TYPES,
                    None,
                    &e,
                );
                return;
            }
        };
        for p in out.policies() {
            let doc = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.document())
                .map(url_decode);
            s.push(
                "aws_iam_policy",
                p.arn().unwrap_or_default(),
                p.policy_name().map(str::to_string),
                json!({
                    "arn": p.arn(), "name": p.policy_name(), "path": p.path(),
                    "policy": doc, "attachment_count": p.attachment_count(),
                }),
                BTreeMap::new(),
            );
        }
        for r in out.role_detail_list() {
            let owner = r.arn().unwrap_or_default();
            s.push(
                "aws_iam_role",
                owner,
                r.role_name().map(str::to_string),
                role(r),
                tags(r.tags().iter().map(|t| (Some(t.key()), Some(t.value())))),
            );
            for (id, name, attrs) in role_attachments(r) {
                s.push(
                    "aws_iam_role_policy_attachment",
                    id,
                    Some(name),
                    attrs,
                    BTreeMap::new(),
                );
            }
            for ip in r.role_policy_list() {
                let name = ip.policy_name().unwrap_or_default();
                s.push(
                    "aws_iam_role_policy",
                    format!("{owner}/policy/{name}"),
                    Some(name.to_string()),
                    json!({"name": name, "role": r.role_name(), "policy": ip.policy_document().map(url_decode)}),
                    BTreeMap::new(),
                );
            }
        }
        for u in out.user_detail_list() {
            let owner = u.arn().unwrap_or_default();
            for ip in u.user_policy_list() {
                let name = ip.policy_name().unwrap_or_default();
                s.push(
                    "aws_iam_user_policy",
                    format!("{owner}/policy/{name}"),
                    Some(name.to_string()),
                    json!({"name": name, "user": u.user_name(), "policy": ip.policy_document().map(url_decode)}),
                    BTreeMap::new(),
                );
            }
        }
        for g in out.group_detail_list() {
            let owner = g.arn().unwrap_or_default();
            for ip in g.group_policy_list() {
                let name = ip.policy_name().unwrap_or_default();
                s.push(
                    "aws_iam_group_policy",
                    format!("{owner}/policy/{name}"),
                    Some(name.to_string()),
                    json!({"name": name, "group": g.group_name(), "policy": ip.policy_document().map(url_decode)}),
                    BTreeMap::new(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_policy_documents() {
        assert_eq!(
            super::url_decode("%7B%22Version%22%3A%222012-10-17%22%7D"),
            "{\"Version\":\"2012-10-17\"}"
        );
        assert_eq!(super::url_decode("50%"), "50%");
    }

    #[test]
    fn maps_a_role_and_its_attachments() {
        use aws_sdk_iam::types::{AttachedPolicy, PolicyDetail, RoleDetail};
        use serde_json::json;
        let r = RoleDetail::builder()
            .path("/")
            .role_name("app-ecs-execution")
            .role_id("AROAEXAMPLE")
            .arn("arn:aws:iam::123456789012:role/app-ecs-execution")
            .assume_role_policy_document("%7B%22Version%22%3A%222012-10-17%22%7D")
            .role_policy_list(
                PolicyDetail::builder()
                    .policy_name("app-logs-write")
                    .policy_document("%7B%22Statement%22%3A%5B%5D%7D")
                    .build(),
            )
            .attached_managed_policies(
                AttachedPolicy::builder()
                    .policy_name("AmazonECSTaskExecutionRolePolicy")
                    .policy_arn(
                        "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                    )
                    .build(),
            )
            .build();
        assert_eq!(
            crate::scope::clean(super::role(&r)),
            json!({
                "arn": "arn:aws:iam::123456789012:role/app-ecs-execution",
                "name": "app-ecs-execution",
                "id": "app-ecs-execution",
                "unique_id": "AROAEXAMPLE",
                "path": "/",
                "assume_role_policy": "{\"Version\":\"2012-10-17\"}",
                "inline_policy": [{"name": "app-logs-write", "policy": "{\"Statement\":[]}"}],
                "managed_policy_arns": ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
            })
        );
        let a = super::role_attachments(&r);
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].0,
            "arn:aws:iam::123456789012:role/app-ecs-execution/attachment/arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        );
        assert_eq!(a[0].1, "app-ecs-execution/AmazonECSTaskExecutionRolePolicy");
        assert_eq!(
            a[0].2,
            json!({"role": "app-ecs-execution", "policy_arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"})
        );
    }
}
