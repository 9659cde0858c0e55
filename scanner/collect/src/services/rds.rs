//! RDS: DB instances, clusters, and the parameter groups and cluster parameter groups in use with the
//! parameters set on them (for the in-transit encryption check).
use super::{Collector, Placement};
use crate::scope::{classify, date, tags, Scope};
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
    parameter_groups(s, &c, Groups::Db, &used_groups).await;
    parameter_groups(s, &c, Groups::Cluster, &used_cluster_groups).await;
}

/// DB parameter groups (instances) or DB cluster parameter groups (Aurora and Multi-AZ DB clusters): the
/// two APIs differ in names only.
#[derive(Clone, Copy)]
enum Groups {
    Db,
    Cluster,
}

impl Groups {
    fn resource_type(self) -> &'static str {
        match self {
            Groups::Db => "aws_db_parameter_group",
            Groups::Cluster => "aws_rds_cluster_parameter_group",
        }
    }

    fn list_operation(self) -> &'static str {
        match self {
            Groups::Db => "DescribeDBParameterGroups",
            Groups::Cluster => "DescribeDBClusterParameterGroups",
        }
    }

    fn parameters_operation(self) -> &'static str {
        match self {
            Groups::Db => "DescribeDBParameters",
            Groups::Cluster => "DescribeDBClusterParameters",
        }
    }
}

/// One parameter group of either kind: name, family, ARN.
struct Group {
    name: String,
    family: Option<String>,
    arn: String,
}

fn parameter(p: &aws_sdk_rds::types::Parameter) -> Option<Value> {
    Some(json!({"name": p.parameter_name()?, "value": p.parameter_value().unwrap_or_default()}))
}

/// Every page of a paginated listing: the items `$items` takes from each page `$out`, and the classified
/// error of the page that failed (the items of the pages before it are kept).
macro_rules! all_pages {
    ($pages:expr, |$out:ident| $items:expr) => {{
        let mut pages = $pages;
        let mut items = Vec::new();
        let mut err = None;
        while let Some(page) = pages.next().await {
            match page {
                Ok($out) => items.extend($items),
                Err(e) => {
                    err = Some(classify(&e));
                    break;
                }
            }
        }
        (items, err)
    }};
}

/// The parameter groups of one kind, with the parameters set by the user (`Source=user`) on those in use
/// (`used`); the engine defaults of a `default.*` group are known to the policies. A group whose
/// parameters could not be read is left out with an error about it.
async fn parameter_groups(
    s: &Scope,
    c: &aws_sdk_rds::Client,
    kind: Groups,
    used: &BTreeSet<String>,
) {
    let (groups, failed) = match kind {
        Groups::Db => all_pages!(
            c.describe_db_parameter_groups().into_paginator().send(),
            |out| out.db_parameter_groups().iter().map(|g| Group {
                name: g.db_parameter_group_name().unwrap_or_default().to_string(),
                family: g.db_parameter_group_family().map(str::to_string),
                arn: g.db_parameter_group_arn().unwrap_or_default().to_string(),
            })
        ),
        Groups::Cluster => all_pages!(
            c.describe_db_cluster_parameter_groups()
                .into_paginator()
                .send(),
            |out| out.db_cluster_parameter_groups().iter().map(|g| Group {
                name: g
                    .db_cluster_parameter_group_name()
                    .unwrap_or_default()
                    .to_string(),
                family: g.db_parameter_group_family().map(str::to_string),
                arn: g
                    .db_cluster_parameter_group_arn()
                    .unwrap_or_default()
                    .to_string(),
            })
        ),
    };
    if let Some((code, message, error_kind)) = failed {
        s.record(
            "rds",
            kind.list_operation(),
            &[kind.resource_type()],
            None,
            code,
            message,
            error_kind,
        );
        return;
    }
    let fetched = s
        .each(groups, |g| {
            let c = c.clone();
            let read = used.contains(&g.name) && !g.name.starts_with("default.");
            async move {
                let (params, err) = match (read, kind) {
                    (false, _) => (Vec::new(), None),
                    (true, Groups::Db) => all_pages!(
                        c.describe_db_parameters()
                            .db_parameter_group_name(&g.name)
                            .source("user")
                            .into_paginator()
                            .send(),
                        |out| out.parameters().iter().filter_map(parameter)
                    ),
                    (true, Groups::Cluster) => all_pages!(
                        c.describe_db_cluster_parameters()
                            .db_cluster_parameter_group_name(&g.name)
                            .source("user")
                            .into_paginator()
                            .send(),
                        |out| out.parameters().iter().filter_map(parameter)
                    ),
                };
                (g, params, err)
            }
        })
        .await;
    for (g, params, err) in fetched {
        if let Some((code, message, error_kind)) = err {
            s.record(
                "rds",
                kind.parameters_operation(),
                &[kind.resource_type()],
                Some(&g.arn),
                code,
                message,
                error_kind,
            );
            continue;
        }
        s.push(
            kind.resource_type(),
            g.arn,
            Some(g.name.clone()),
            json!({"name": g.name, "family": g.family, "parameter": params}),
            BTreeMap::new(),
        );
    }
}
