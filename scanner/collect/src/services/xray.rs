//! X-Ray: the region's encryption configuration (one per region, the default `NONE` included; its id is
//! `arn:aws:xray:<region>:<account>:encryption-config`) and the sampling rules, the built-in `Default`
//! rule included.
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "xray",
    placement: Placement::Regional,
    types: &["aws_xray_encryption_config", "aws_xray_sampling_rule"],
    actions: &["xray:GetEncryptionConfig", "xray:GetSamplingRules"],
};

const ENCRYPTION: &str = "aws_xray_encryption_config";
const RULE: &str = "aws_xray_sampling_rule";

/// The id of a region's encryption configuration.
pub fn encryption_config_id(region: &str, account: &str) -> String {
    format!("arn:aws:xray:{region}:{account}:encryption-config")
}

/// The encryption configuration's attributes (empty when the answer has none: the type is then unknown).
pub fn encryption_config(e: Option<&aws_sdk_xray::types::EncryptionConfig>) -> Value {
    json!({
        "type": e.and_then(|x| x.r#type()).map(|t| t.as_str()),
        "key_id": e.and_then(|x| x.key_id()),
        "status": e.and_then(|x| x.status()).map(|s| s.as_str()),
    })
}

/// The id of a sampling rule: its ARN, or `arn:aws:xray:<region>:<account>:sampling-rule/<name>`.
pub fn sampling_rule_id(
    r: &aws_sdk_xray::types::SamplingRule,
    region: &str,
    account: &str,
) -> String {
    r.rule_arn().map(str::to_string).unwrap_or_else(|| {
        format!(
            "arn:aws:xray:{region}:{account}:sampling-rule/{}",
            r.rule_name().unwrap_or_default()
        )
    })
}

/// A sampling rule's attributes (`arn` is its id).
pub fn sampling_rule(r: &aws_sdk_xray::types::SamplingRule, id: &str) -> Value {
    let attributes: BTreeMap<&str, &str> = r
        .attributes()
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
        .unwrap_or_default();
    json!({
        "arn": id,
        "rule_name": r.rule_name(),
        "priority": r.priority(),
        "fixed_rate": r.fixed_rate(),
        "reservoir_size": r.reservoir_size(),
        "service_name": r.service_name(),
        "service_type": r.service_type(),
        "host": r.host(),
        "http_method": r.http_method(),
        "url_path": r.url_path(),
        "resource_arn": r.resource_arn(),
        "version": r.version(),
        "attributes": attributes,
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_xray, s);
    match c.get_encryption_config().send().await {
        Ok(out) => s.push(
            ENCRYPTION,
            encryption_config_id(&s.region, &s.account),
            Some("xray-encryption".to_string()),
            encryption_config(out.encryption_config()),
            BTreeMap::new(),
        ),
        Err(e) => s.error("xray", "GetEncryptionConfig", &[ENCRYPTION], None, &e),
    }

    let mut pages = c.get_sampling_rules().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for rec in out.sampling_rule_records() {
                    let Some(r) = rec.sampling_rule() else {
                        s.empty("xray", "GetSamplingRules", &[RULE], None, "sampling rule");
                        continue;
                    };
                    let id = sampling_rule_id(r, &s.region, &s.account);
                    s.push(
                        RULE,
                        id.clone(),
                        r.rule_name().map(str::to_string),
                        sampling_rule(r, &id),
                        BTreeMap::new(),
                    );
                }
            }
            Err(e) => {
                s.error("xray", "GetSamplingRules", &[RULE], None, &e);
                return;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use aws_sdk_xray::types::{EncryptionConfig, EncryptionStatus, EncryptionType, SamplingRule};

    #[test]
    fn encryption_config_with_and_without_a_key() {
        assert_eq!(
            encryption_config_id("us-east-1", "123456789012"),
            "arn:aws:xray:us-east-1:123456789012:encryption-config"
        );
        let kms = EncryptionConfig::builder()
            .r#type(EncryptionType::Kms)
            .key_id("arn:aws:kms:us-east-1:123456789012:key/9d8c7b6a")
            .status(EncryptionStatus::Active)
            .build();
        assert_eq!(
            crate::scope::clean(encryption_config(Some(&kms))),
            json!({"type": "KMS", "key_id": "arn:aws:kms:us-east-1:123456789012:key/9d8c7b6a",
                   "status": "ACTIVE"})
        );
        let default = EncryptionConfig::builder()
            .r#type(EncryptionType::None)
            .status(EncryptionStatus::Active)
            .build();
        assert_eq!(
            crate::scope::clean(encryption_config(Some(&default))),
            json!({"type": "NONE", "status": "ACTIVE"})
        );
        assert_eq!(crate::scope::clean(encryption_config(None)), json!({}));
    }

    fn rule(name: &str, arn: Option<&str>) -> SamplingRule {
        let mut b = SamplingRule::builder()
            .rule_name(name)
            .resource_arn("*")
            .priority(10000)
            .fixed_rate(0.05)
            .reservoir_size(1)
            .service_name("*")
            .service_type("*")
            .host("*")
            .http_method("*")
            .url_path("*")
            .version(1);
        if let Some(a) = arn {
            b = b.rule_arn(a);
        }
        b.build().unwrap()
    }

    #[test]
    fn the_default_rule_is_mapped_like_any_other() {
        let arn = "arn:aws:xray:us-east-1:123456789012:sampling-rule/Default";
        let r = rule("Default", Some(arn));
        let id = sampling_rule_id(&r, "us-east-1", "123456789012");
        assert_eq!(id, arn);
        assert_eq!(
            crate::scope::clean(sampling_rule(&r, &id)),
            json!({
                "arn": arn, "rule_name": "Default", "priority": 10000, "fixed_rate": 0.05,
                "reservoir_size": 1, "service_name": "*", "service_type": "*", "host": "*",
                "http_method": "*", "url_path": "*", "resource_arn": "*", "version": 1,
                "attributes": {},
            })
        );
    }

    #[test]
    fn a_rule_without_arn_gets_one_and_keeps_its_attributes() {
        let mut r = rule("app-api-login", None);
        r.attributes = Some([("team".to_string(), "api".to_string())].into());
        let id = sampling_rule_id(&r, "eu-west-1", "210987654321");
        assert_eq!(
            id,
            "arn:aws:xray:eu-west-1:210987654321:sampling-rule/app-api-login"
        );
        assert_eq!(sampling_rule(&r, &id)["attributes"], json!({"team": "api"}));
    }
}
