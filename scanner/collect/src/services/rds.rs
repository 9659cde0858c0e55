//! RDS: DB instances, clusters, and the parameter groups and cluster parameter groups in use with the
//! parameters set on them (for the in-transit encryption check).
use super::{Collector, Placement};
use crate::scope::{date, tags, Scope};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

pub const COLLECTOR: Collector = Collector {
    service: "rds",
    placement: Placement::Regional,
    types: &[
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_db_parameter_group",
        "aws_rds_cluster_parameter_group",
    ],
    actions: &[
        "rds:DescribeDBInstances",
        "rds:DescribeDBClusters",
        "rds:DescribeDBParameterGroups",
        "rds:DescribeDBParameters",
        "rds:DescribeDBClusterParameterGroups",
        "rds:DescribeDBClusterParameters",
    ],
};

pub fn instance(d: &aws_sdk_rds::types::DbInstance) -> Value {
    let secret = d.master_user_secret().map(|m| {
        vec![json!({"secret_arn": m.secret_arn(), "secret_status": m.secret_status(), "kms_key_id": m.kms_key_id()})]
    });
    json!({
        "arn": d.db_instance_arn(),
        "identifier": d.db_instance_identifier(),
        "engine": d.engine(),
        "engine_version": d.engine_version(),
        "instance_class": d.db_instance_class(),
        "multi_az": d.multi_az(),
        "publicly_accessible": d.publicly_accessible(),
        "storage_encrypted": d.storage_encrypted(),
        "kms_key_id": d.kms_key_id(),
        "backup_retention_period": d.backup_retention_period(),
        "deletion_protection": d.deletion_protection(),
        "iam_database_authentication_enabled": d.iam_database_authentication_enabled(),
        "parameter_group_name": d.db_parameter_groups().first().and_then(|g| g.db_parameter_group_name()),
        "enabled_cloudwatch_logs_exports": d.enabled_cloudwatch_logs_exports(),
        "auto_minor_version_upgrade": d.auto_minor_version_upgrade(),
        "ca_cert_identifier": d.ca_certificate_identifier(),
        "certificate_valid_till": date(d.certificate_details().and_then(|x| x.valid_till())),
        "port": d.endpoint().and_then(|e| e.port()).or(d.db_instance_port()),
        "vpc_security_group_ids": d.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id()).collect::<Vec<_>>(),
        "db_subnet_group_name": d.db_subnet_group().and_then(|g| g.db_subnet_group_name()),
        "manage_master_user_password": d.master_user_secret().is_some(),
        "master_user_secret": secret,
        "performance_insights_enabled": d.performance_insights_enabled(),
        "latest_restorable_time": date(d.latest_restorable_time()),
        "cluster_identifier": d.db_cluster_identifier(),
    })
}

pub fn cluster(d: &aws_sdk_rds::types::DbCluster) -> Value {
    let azs: BTreeSet<&str> = d.availability_zones().iter().map(String::as_str).collect();
    let secret = d
        .master_user_secret()
        .map(|m| vec![json!({"secret_arn": m.secret_arn()})]);
    json!({
        "arn": d.db_cluster_arn(),
        "cluster_identifier": d.db_cluster_identifier(),
        "engine": d.engine(),
        "engine_version": d.engine_version(),
        "multi_az": d.multi_az().unwrap_or(azs.len() > 1 && d.db_cluster_members().len() > 1),
        "storage_encrypted": d.storage_encrypted(),
        "kms_key_id": d.kms_key_id(),
        "backup_retention_period": d.backup_retention_period(),
        "deletion_protection": d.deletion_protection(),
        "iam_database_authentication_enabled": d.iam_database_authentication_enabled(),
        "db_cluster_parameter_group_name": d.db_cluster_parameter_group(),
        "enabled_cloudwatch_logs_exports": d.enabled_cloudwatch_logs_exports(),
        "vpc_security_group_ids": d.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id()).collect::<Vec<_>>(),
        "master_user_secret": secret,
        "latest_restorable_time": date(d.latest_restorable_time()),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_rds, s);
    let mut used_groups = BTreeSet::new();
    let mut pages = c.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for d in out.db_instances() {
                    for g in d.db_parameter_groups() {
                        if let Some(n) = g.db_parameter_group_name() {
                            used_groups.insert(n.to_string());
                        }
                    }
                    let tg = tags(d.tag_list().iter().map(|t| (t.key(), t.value())));
                    s.push(
                        "aws_db_instance",
                        d.db_instance_arn().unwrap_or_default(),
                        d.db_instance_identifier().map(str::to_string),
                        instance(d),
                        tg,
                    );
                }
            }
            Err(e) => {
                s.error("rds", "DescribeDBInstances", &["aws_db_instance"], None, &e);
                break;
            }
        }
    }
    let mut used_cluster_groups = BTreeSet::new();
    let mut pages = c.describe_db_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for d in out.db_clusters() {
                    if let Some(n) = d.db_cluster_parameter_group() {
                        used_cluster_groups.insert(n.to_string());
                    }
                    let tg = tags(d.tag_list().iter().map(|t| (t.key(), t.value())));
                    s.push(
                        "aws_rds_cluster",
                        d.db_cluster_arn().unwrap_or_default(),
                        d.db_cluster_identifier().map(str::to_string),
                        cluster(d),
                        tg,
                    );
                }
            }
            Err(e) => {
                s.error("rds", "DescribeDBClusters", &["aws_rds_cluster"], None, &e);
                break;
            }
        }
    }
    db_parameter_groups(s, &c, &used_groups).await;
    cluster_parameter_groups(s, &c, &used_cluster_groups).await;
}

/// The DB parameter groups, with the parameters set by the user on those in use.
async fn db_parameter_groups(s: &Scope, c: &aws_sdk_rds::Client, used_groups: &BTreeSet<String>) {
    let mut groups = Vec::new();
    let mut pages = c.describe_db_parameter_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => groups.extend(out.db_parameter_groups().iter().cloned()),
            Err(e) => {
                s.error(
                    "rds",
                    "DescribeDBParameterGroups",
                    &["aws_db_parameter_group"],
                    None,
                    &e,
                );
                return;
            }
        }
    }
    // Parameters only of the groups in use, and only those set by the user (`Source=user`): the engine
    // defaults of a `default.*` group are known to the policies.
    let fetched = s.each(groups, |g| {
        let c = c.clone();
        let in_use = g.db_parameter_group_name().is_some_and(|n| used_groups.contains(n));
        async move {
            let name = g.db_parameter_group_name().unwrap_or_default().to_string();
            let mut params = Vec::new();
            let mut err = None;
            if in_use && !name.starts_with("default.") {
                let mut pages = c
                    .describe_db_parameters()
                    .db_parameter_group_name(&name)
                    .source("user")
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(out) => params.extend(out.parameters().iter().filter_map(|p| {
                            Some(json!({"name": p.parameter_name()?, "value": p.parameter_value().unwrap_or_default()}))
                        })),
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                }
            }
            (g, name, params, err)
        }
    }).await;
    for (g, name, params, err) in fetched {
        let arn = g.db_parameter_group_arn().unwrap_or_default().to_string();
        if let Some(e) = err {
            s.error(
                "rds",
                "DescribeDBParameters",
                &["aws_db_parameter_group"],
                Some(&arn),
                &e,
            );
            continue;
        }
        s.push(
            "aws_db_parameter_group",
            arn,
            Some(name.clone()),
            json!({"name": name, "family": g.db_parameter_group_family(), "parameter": params}),
            BTreeMap::new(),
        );
    }
}

/// The DB cluster parameter groups (Aurora and Multi-AZ DB clusters), with the parameters set by the user
/// on those in use, as [`db_parameter_groups`].
async fn cluster_parameter_groups(s: &Scope, c: &aws_sdk_rds::Client, used: &BTreeSet<String>) {
    let mut groups = Vec::new();
    let mut pages = c
        .describe_db_cluster_parameter_groups()
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => groups.extend(out.db_cluster_parameter_groups().iter().cloned()),
            Err(e) => {
                s.error(
                    "rds",
                    "DescribeDBClusterParameterGroups",
                    &["aws_rds_cluster_parameter_group"],
                    None,
                    &e,
                );
                return;
            }
        }
    }
    let fetched = s.each(groups, |g| {
        let c = c.clone();
        let in_use = g.db_cluster_parameter_group_name().is_some_and(|n| used.contains(n));
        async move {
            let name = g.db_cluster_parameter_group_name().unwrap_or_default().to_string();
            let mut params = Vec::new();
            let mut err = None;
            if in_use && !name.starts_with("default.") {
                let mut pages = c
                    .describe_db_cluster_parameters()
                    .db_cluster_parameter_group_name(&name)
                    .source("user")
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(out) => params.extend(out.parameters().iter().filter_map(|p| {
                            Some(json!({"name": p.parameter_name()?, "value": p.parameter_value().unwrap_or_default()}))
                        })),
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                }
            }
            (g, name, params, err)
        }
    }).await;
    for (g, name, params, err) in fetched {
        let arn = g
            .db_cluster_parameter_group_arn()
            .unwrap_or_default()
            .to_string();
        if let Some(e) = err {
            s.error(
                "rds",
                "DescribeDBClusterParameters",
                &["aws_rds_cluster_parameter_group"],
                Some(&arn),
                &e,
            );
            continue;
        }
        s.push(
            "aws_rds_cluster_parameter_group",
            arn,
            Some(name.clone()),
            json!({"name": name, "family": g.db_parameter_group_family(), "parameter": params}),
            BTreeMap::new(),
        );
    }
}
