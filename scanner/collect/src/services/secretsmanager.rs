//! Secrets Manager: secrets with their rotation fields and resource policies. Never GetSecretValue:
//! palisade reads configuration, not secrets.
use super::{Collector, Placement};
use crate::scope::{date, service_code, tags, Scope};
use serde_json::{json, Value};

pub const COLLECTOR: Collector = Collector {
    service: "secretsmanager",
    placement: Placement::Regional,
    types: &["aws_secretsmanager_secret"],
    actions: &[
        "secretsmanager:ListSecrets",
        "secretsmanager:GetResourcePolicy",
    ],
};

pub fn secret(e: &aws_sdk_secretsmanager::types::SecretListEntry, policy: Option<String>) -> Value {
    json!({
        "arn": e.arn(),
        "name": e.name(),
        "description": e.description(),
        "kms_key_id": e.kms_key_id(),
        "rotation_enabled": e.rotation_enabled().unwrap_or(false),
        "rotation_lambda_arn": e.rotation_lambda_arn(),
        "rotation_rules": e.rotation_rules().map(|r| vec![json!({
            "automatically_after_days": r.automatically_after_days(),
            "schedule_expression": r.schedule_expression(),
            "duration": r.duration(),
        })]),
        "created_date": date(e.created_date()),
        "last_rotated_date": date(e.last_rotated_date()),
        "last_changed_date": date(e.last_changed_date()),
        "last_accessed_date": date(e.last_accessed_date()),
        "next_rotation_date": date(e.next_rotation_date()),
        "owning_service": e.owning_service(),
        "policy": policy,
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_secretsmanager, s);
    let mut entries = Vec::new();
    let mut pages = c.list_secrets().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => entries.extend(out.secret_list().iter().cloned()),
            Err(e) => {
                s.error("secretsmanager", "ListSecrets", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    let fetched = s
        .each(entries, |e| {
            let c = c.clone();
            async move {
                let arn = e.arn().unwrap_or_default().to_string();
                let p = c.get_resource_policy().secret_id(&arn).send().await;
                (e, arn, p)
            }
        })
        .await;
    for (e, arn, p) in fetched {
        // No policy is data (""), as in Terraform.
        let policy = match p {
            Ok(out) => Some(out.resource_policy().unwrap_or_default().to_string()),
            Err(err) if service_code(&err).as_deref() == Some("ResourceNotFoundException") => {
                Some(String::new())
            }
            Err(err) => {
                s.error(
                    "secretsmanager",
                    "GetResourcePolicy",
                    COLLECTOR.types,
                    Some(&arn),
                    &err,
                );
                None
            }
        };
        let tg = tags(e.tags().iter().map(|t| (t.key(), t.value())));
        s.push(
            "aws_secretsmanager_secret",
            arn,
            e.name().map(str::to_string),
            secret(&e, policy),
            tg,
        );
    }
}
