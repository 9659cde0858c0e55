//! ECR: private repositories (DescribeRepositories, fully paginated) with their tag mutability, scan-on-push
//! and encryption settings, and the registry's scanning configuration (GetRegistryScanningConfiguration, one
//! per region, the default BASIC configuration without rules included), as Terraform's `aws_ecr_repository`
//! and `aws_ecr_registry_scanning_configuration`.
use super::{Collector, Placement};
use crate::scope::{date, Scope};
use aws_sdk_ecr::operation::get_registry_scanning_configuration::GetRegistryScanningConfigurationOutput;
use aws_sdk_ecr::types::Repository;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SVC: &str = "ecr";
const REPOSITORY: &str = "aws_ecr_repository";
const SCANNING: &str = "aws_ecr_registry_scanning_configuration";

pub const COLLECTOR: Collector = Collector {
    service: "ecr",
    placement: Placement::Regional,
    types: &[REPOSITORY, SCANNING],
    actions: &[
        "ecr:DescribeRepositories",
        "ecr:GetRegistryScanningConfiguration",
    ],
};

/// An `aws_ecr_repository`.
pub fn repository(r: &Repository) -> Value {
    let exclusions = r.image_tag_mutability_exclusion_filters.as_ref().map(|v| {
        v.iter()
            .map(|f| json!({"filter": f.filter(), "filter_type": f.filter_type().as_str()}))
            .collect::<Vec<_>>()
    });
    json!({
        "arn": r.repository_arn(),
        "name": r.repository_name(),
        "registry_id": r.registry_id(),
        "repository_url": r.repository_uri(),
        "image_tag_mutability": r.image_tag_mutability().map(|x| x.as_str()),
        "image_tag_mutability_exclusion_filter": exclusions,
        "image_scanning_configuration": r.image_scanning_configuration().map(|x| vec![json!({"scan_on_push": x.scan_on_push()})]),
        "encryption_configuration": r.encryption_configuration().map(|x| vec![json!({
            "encryption_type": x.encryption_type().as_str(),
            "kms_key": x.kms_key(),
        })]),
        "created_at": date(r.created_at()),
    })
}

/// The id of the registry's scanning configuration in a region (it has no ARN of its own).
pub fn scanning_configuration_id(region: &str, account: &str) -> String {
    format!("arn:aws:ecr:{region}:{account}:registry/scanning-configuration")
}

/// An `aws_ecr_registry_scanning_configuration`.
pub fn scanning_configuration(out: &GetRegistryScanningConfigurationOutput) -> Value {
    let config = out.scanning_configuration();
    let rules = config.and_then(|x| x.rules.as_ref()).map(|rules| {
        rules
            .iter()
            .map(|r| {
                json!({
                    "scan_frequency": r.scan_frequency().as_str(),
                    "repository_filter": r.repository_filters().iter().map(|f| json!({
                        "filter": f.filter(),
                        "filter_type": f.filter_type().as_str(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect::<Vec<_>>()
    });
    json!({
        "registry_id": out.registry_id(),
        "scan_type": config.and_then(|x| x.scan_type()).map(|x| x.as_str()),
        "rule": rules,
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_ecr, s);

    let mut repositories = Vec::new();
    let mut complete = true;
    let mut pages = c.describe_repositories().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => repositories.extend(out.repositories().iter().cloned()),
            Err(e) => {
                s.error(SVC, "DescribeRepositories", &[REPOSITORY], None, &e);
                complete = false;
                break;
            }
        }
    }
    if complete {
        for r in &repositories {
            s.push(
                REPOSITORY,
                r.repository_arn().unwrap_or_default(),
                r.repository_name().map(str::to_string),
                repository(r),
                BTreeMap::new(),
            );
        }
    }

    match c.get_registry_scanning_configuration().send().await {
        Ok(out) => s.push(
            SCANNING,
            scanning_configuration_id(&s.region, &s.account),
            Some("registry-scanning".to_string()),
            scanning_configuration(&out),
            BTreeMap::new(),
        ),
        Err(e) => s.error(
            SVC,
            "GetRegistryScanningConfiguration",
            &[SCANNING],
            None,
            &e,
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::scope::clean;
    use aws_sdk_ecr::types::{
        EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
        RegistryScanningConfiguration, RegistryScanningRule, ScanFrequency, ScanType,
        ScanningRepositoryFilter, ScanningRepositoryFilterType,
    };

    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    fn repo(name: &str) -> aws_sdk_ecr::types::builders::RepositoryBuilder {
        Repository::builder()
            .repository_arn(format!(
                "arn:aws:ecr:us-east-1:123456789012:repository/{name}"
            ))
            .repository_name(name)
            .registry_id("123456789012")
            .repository_uri(format!(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}"
            ))
    }

    #[test]
    fn repository_maps_to_terraform_blocks() {
        let r = repo("app-frontend")
            .image_tag_mutability(ImageTagMutability::Immutable)
            .image_scanning_configuration(
                ImageScanningConfiguration::builder()
                    .scan_on_push(true)
                    .build(),
            )
            .encryption_configuration(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::Kms)
                    .kms_key(KEY)
                    .build()
                    .unwrap(),
            )
            .build();
        assert_eq!(
            clean(repository(&r)),
            json!({
                "arn": "arn:aws:ecr:us-east-1:123456789012:repository/app-frontend",
                "name": "app-frontend",
                "registry_id": "123456789012",
                "repository_url": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app-frontend",
                "image_tag_mutability": "IMMUTABLE",
                "image_scanning_configuration": [{"scan_on_push": true}],
                "encryption_configuration": [{"encryption_type": "KMS", "kms_key": KEY}],
            })
        );
    }

    #[test]
    fn absent_repository_settings_stay_absent() {
        let r = repo("legacy-web")
            .image_tag_mutability(ImageTagMutability::Mutable)
            .encryption_configuration(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::Aes256)
                    .build()
                    .unwrap(),
            )
            .build();
        let v = clean(repository(&r));
        assert_eq!(v["image_tag_mutability"], json!("MUTABLE"));
        assert!(v.get("image_scanning_configuration").is_none());
        assert_eq!(
            v["encryption_configuration"],
            json!([{"encryption_type": "AES256"}])
        );
    }

    #[test]
    fn registry_scanning_rules_map_to_terraform_blocks() {
        let rule = RegistryScanningRule::builder()
            .scan_frequency(ScanFrequency::ContinuousScan)
            .repository_filters(
                ScanningRepositoryFilter::builder()
                    .filter("app-*")
                    .filter_type(ScanningRepositoryFilterType::Wildcard)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let out = GetRegistryScanningConfigurationOutput::builder()
            .registry_id("123456789012")
            .scanning_configuration(
                RegistryScanningConfiguration::builder()
                    .scan_type(ScanType::Enhanced)
                    .rules(rule)
                    .build(),
            )
            .build();
        assert_eq!(
            clean(scanning_configuration(&out)),
            json!({
                "registry_id": "123456789012",
                "scan_type": "ENHANCED",
                "rule": [{
                    "scan_frequency": "CONTINUOUS_SCAN",
                    "repository_filter": [{"filter": "app-*", "filter_type": "WILDCARD"}],
                }],
            })
        );
        assert_eq!(
            scanning_configuration_id("us-east-1", "123456789012"),
            "arn:aws:ecr:us-east-1:123456789012:registry/scanning-configuration"
        );
        // The default configuration: BASIC, no rules.
        let default = GetRegistryScanningConfigurationOutput::builder()
            .registry_id("123456789012")
            .scanning_configuration(
                RegistryScanningConfiguration::builder()
                    .scan_type(ScanType::Basic)
                    .set_rules(Some(Vec::new()))
                    .build(),
            )
            .build();
        assert_eq!(
            clean(scanning_configuration(&default)),
            json!({"registry_id": "123456789012", "scan_type": "BASIC", "rule": []})
        );
    }
}
