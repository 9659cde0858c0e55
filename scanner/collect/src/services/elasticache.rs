//! ElastiCache: replication groups (DescribeReplicationGroups, fully paginated) with their encryption and
//! authentication settings, as Terraform's `aws_elasticache_replication_group`. Of the AUTH token only its
//! presence is known (the API's AuthTokenEnabled, kept as `auth_token_enabled`): the token itself is never
//! read, and `auth_token` is never written.
use super::{Collector, Placement};
use crate::scope::{date, Scope};
use aws_sdk_elasticache::types::ReplicationGroup;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SVC: &str = "elasticache";
const GROUP: &str = "aws_elasticache_replication_group";

pub const COLLECTOR: Collector = Collector {
    service: "elasticache",
    placement: Placement::Regional,
    types: &[GROUP],
    actions: &["elasticache:DescribeReplicationGroups"],
};

/// An `aws_elasticache_replication_group`.
pub fn replication_group(g: &ReplicationGroup) -> Value {
    let port = g
        .configuration_endpoint()
        .and_then(|e| e.port())
        .or_else(|| {
            g.node_groups()
                .iter()
                .find_map(|n| n.primary_endpoint().and_then(|e| e.port()))
        });
    json!({
        "arn": g.arn(),
        "replication_group_id": g.replication_group_id(),
        "description": g.description(),
        "engine": g.engine(),
        "node_type": g.cache_node_type(),
        "num_cache_clusters": g.member_clusters.as_ref().map(Vec::len),
        "num_node_groups": g.node_groups.as_ref().map(Vec::len),
        "cluster_enabled": g.cluster_enabled(),
        "cluster_mode": g.cluster_mode().map(|x| x.as_str()),
        "automatic_failover_enabled": g.automatic_failover().map(|x| x.as_str() == "enabled"),
        "multi_az_enabled": g.multi_az().map(|x| x.as_str() == "enabled"),
        "port": port,
        "transit_encryption_enabled": g.transit_encryption_enabled(),
        "transit_encryption_mode": g.transit_encryption_mode().map(|x| x.as_str()),
        "at_rest_encryption_enabled": g.at_rest_encryption_enabled(),
        "kms_key_id": g.kms_key_id(),
        "auth_token_enabled": g.auth_token_enabled(),
        "auth_token_last_modified_date": date(g.auth_token_last_modified_date()),
        "user_group_ids": g.user_group_ids(),
        "snapshot_retention_limit": g.snapshot_retention_limit(),
        "auto_minor_version_upgrade": g.auto_minor_version_upgrade(),
        "status": g.status(),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_elasticache, s);
    let mut groups = Vec::new();
    let mut pages = c.describe_replication_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => groups.extend(out.replication_groups().iter().cloned()),
            Err(e) => {
                s.error(SVC, "DescribeReplicationGroups", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    for g in &groups {
        s.push(
            GROUP,
            g.arn().unwrap_or_default(),
            g.replication_group_id().map(str::to_string),
            replication_group(g),
            BTreeMap::new(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::clean;
    use aws_sdk_elasticache::types::{
        AutomaticFailoverStatus, Endpoint, MultiAzStatus, NodeGroup, TransitEncryptionMode,
    };

    const ARN: &str = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:app-sessions";
    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    #[test]
    fn replication_group_maps_to_terraform_names() {
        let g = ReplicationGroup::builder()
            .arn(ARN)
            .replication_group_id("app-sessions")
            .description("app-sessions session cache")
            .engine("valkey")
            .cache_node_type("cache.t3.small")
            .member_clusters("app-sessions-001")
            .member_clusters("app-sessions-002")
            .node_groups(
                NodeGroup::builder()
                    .node_group_id("0001")
                    .primary_endpoint(
                        Endpoint::builder()
                            .address("primary.example")
                            .port(6379)
                            .build(),
                    )
                    .build(),
            )
            .automatic_failover(AutomaticFailoverStatus::Enabled)
            .multi_az(MultiAzStatus::Enabled)
            .transit_encryption_enabled(true)
            .transit_encryption_mode(TransitEncryptionMode::Required)
            .at_rest_encryption_enabled(true)
            .kms_key_id(KEY)
            .auth_token_enabled(true)
            .user_group_ids("app-sessions-users")
            .build();
        let v = clean(replication_group(&g));
        assert_eq!(
            v,
            json!({
                "arn": ARN,
                "replication_group_id": "app-sessions",
                "description": "app-sessions session cache",
                "engine": "valkey",
                "node_type": "cache.t3.small",
                "num_cache_clusters": 2,
                "num_node_groups": 1,
                "automatic_failover_enabled": true,
                "multi_az_enabled": true,
                "port": 6379,
                "transit_encryption_enabled": true,
                "transit_encryption_mode": "required",
                "at_rest_encryption_enabled": true,
                "kms_key_id": KEY,
                "auth_token_enabled": true,
                "user_group_ids": ["app-sessions-users"],
            })
        );
        assert!(v.get("auth_token").is_none());
    }

    #[test]
    fn unknown_encryption_and_auth_stay_absent() {
        let g = ReplicationGroup::builder()
            .arn(ARN)
            .replication_group_id("legacy-sessions")
            .automatic_failover(AutomaticFailoverStatus::Disabled)
            .build();
        assert_eq!(
            clean(replication_group(&g)),
            json!({
                "arn": ARN,
                "replication_group_id": "legacy-sessions",
                "automatic_failover_enabled": false,
                "user_group_ids": [],
            })
        );
        let off = ReplicationGroup::builder()
            .transit_encryption_enabled(false)
            .at_rest_encryption_enabled(false)
            .auth_token_enabled(false)
            .build();
        let v = clean(replication_group(&off));
        assert_eq!(v["transit_encryption_enabled"], json!(false));
        assert_eq!(v["at_rest_encryption_enabled"], json!(false));
        assert_eq!(v["auth_token_enabled"], json!(false));
    }
}
