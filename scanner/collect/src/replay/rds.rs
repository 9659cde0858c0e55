//! Replay tests of the RDS collector.
use super::{xml_after, Answer, Collected, Replay};
use crate::services::rds::collect;
use palisade_model::ErrorKind;
use serde_json::json;

const DB: &str = "aws_db_instance";
const CLUSTER: &str = "aws_rds_cluster";
const PG: &str = "aws_db_parameter_group";
const CPG: &str = "aws_rds_cluster_parameter_group";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("us-east-1");
    collect(&s).await;
    r.finish(&s)
}

#[tokio::test]
async fn maps_instances_clusters_and_parameter_groups() {
    let r = Replay::load("rds");
    let instances = r
        .recorded(|q| q.operation() == "DescribeDBInstances")
        .body
        .text();
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());

    assert_eq!(
        c.ids(DB),
        vec![
            "arn:aws:rds:us-east-1:123456789012:db:app-db".to_string(),
            "arn:aws:rds:us-east-1:123456789012:db:legacy-db".to_string(),
        ]
    );
    let app = c.by_id("arn:aws:rds:us-east-1:123456789012:db:app-db");
    assert_eq!(app.name.as_deref(), Some("app-db"));
    let a = &app.attributes;
    assert_eq!(a["identifier"], json!("app-db"));
    assert_eq!(a["engine"], json!("mysql"));
    assert_eq!(a["engine_version"], json!("8.0.39"));
    assert_eq!(a["instance_class"], json!("db.m5.large"));
    assert_eq!(a["multi_az"], json!(true));
    assert_eq!(a["publicly_accessible"], json!(false));
    assert_eq!(a["storage_encrypted"], json!(true));
    assert!(a["kms_key_id"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:kms:us-east-1:123456789012:key/"));
    assert_eq!(a["backup_retention_period"], json!(7));
    assert_eq!(a["deletion_protection"], json!(true));
    assert_eq!(a["iam_database_authentication_enabled"], json!(true));
    assert_eq!(a["parameter_group_name"], json!("app-mysql80-tls"));
    assert_eq!(
        a["enabled_cloudwatch_logs_exports"],
        json!(["error", "slowquery"])
    );
    assert_eq!(a["auto_minor_version_upgrade"], json!(true));
    assert_eq!(a["ca_cert_identifier"], json!("rds-ca-rsa2048-g1"));
    assert_eq!(a["port"], json!(3306));
    assert_eq!(a["db_subnet_group_name"], json!("app-db-private"));
    assert_eq!(a["vpc_security_group_ids"].as_array().unwrap().len(), 1);
    // RDS-managed master password: the secret in Secrets Manager.
    assert_eq!(a["manage_master_user_password"], json!(true));
    let secret = &a["master_user_secret"][0];
    assert!(secret["secret_arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-"));
    assert_eq!(secret["secret_status"], json!("active"));
    // The recorded LatestRestorableTime, as RFC 3339 (to the second).
    let recorded = xml_after(
        &instances,
        "<DBInstanceIdentifier>app-db<",
        "LatestRestorableTime",
    );
    let mapped = a["latest_restorable_time"].as_str().unwrap();
    assert_eq!(&mapped[..19], &recorded[..19], "{mapped} vs {recorded}");
    assert!(mapped.ends_with('Z'));
    // moto never reports these: absent, not false.
    assert!(a.get("performance_insights_enabled").is_none());
    assert!(a.get("certificate_valid_till").is_none());
    assert!(a.get("cluster_identifier").is_none());
    assert_eq!(app.tags.get("stack").map(String::as_str), Some("app"));

    let a = &c.named(DB, "legacy-db").attributes;
    assert_eq!(a["multi_az"], json!(false));
    assert_eq!(a["publicly_accessible"], json!(true));
    assert_eq!(a["storage_encrypted"], json!(false));
    assert!(a.get("kms_key_id").is_none());
    assert_eq!(a["backup_retention_period"], json!(1));
    assert_eq!(a["deletion_protection"], json!(false));
    assert_eq!(a["iam_database_authentication_enabled"], json!(false));
    assert_eq!(a["parameter_group_name"], json!("default.mysql8.0"));
    assert_eq!(a["enabled_cloudwatch_logs_exports"], json!([]));
    assert_eq!(a["ca_cert_identifier"], json!("rds-ca-2019"));
    assert_eq!(a["manage_master_user_password"], json!(false));
    assert!(a.get("master_user_secret").is_none());

    // The Aurora cluster: one DB cluster member and MultiAZ false in the response.
    let cl = c.by_id("arn:aws:rds:us-east-1:123456789012:cluster:legacy-reports");
    assert_eq!(cl.resource_type, CLUSTER);
    assert_eq!(cl.name.as_deref(), Some("legacy-reports"));
    let a = &cl.attributes;
    assert_eq!(a["engine"], json!("aurora-mysql"));
    assert_eq!(a["multi_az"], json!(false));
    assert_eq!(a["storage_encrypted"], json!(false));
    assert_eq!(a["backup_retention_period"], json!(1));
    assert_eq!(a["deletion_protection"], json!(false));
    assert_eq!(a["iam_database_authentication_enabled"], json!(false));
    assert_eq!(
        a["db_cluster_parameter_group_name"],
        json!("legacy-reports-params")
    );
    assert_eq!(cl.tags.get("stack").map(String::as_str), Some("legacy"));

    // Parameter groups: user-set parameters of the custom group in use; none read for `default.*`.
    let pg = c.by_id("arn:aws:rds:us-east-1:123456789012:pg:app-mysql80-tls");
    assert_eq!(pg.resource_type, PG);
    assert_eq!(pg.attributes["family"], json!("mysql8.0"));
    let params = pg.attributes["parameter"].as_array().unwrap();
    assert_eq!(params.len(), 5);
    assert!(params.contains(&json!({"name": "require_secure_transport", "value": "1"})));
    assert!(params.contains(&json!({"name": "tls_version", "value": "TLSv1.2,TLSv1.3"})));
    let default = c.by_id("arn:aws:rds:us-east-1:123456789012:pg:default.mysql8.0");
    assert_eq!(default.attributes["parameter"], json!([]));

    // Cluster parameter groups: the user-set parameters of the one the cluster uses.
    let cpg = c.by_id("arn:aws:rds:us-east-1:123456789012:cluster-pg:legacy-reports-params");
    assert_eq!(cpg.resource_type, CPG);
    assert_eq!(cpg.name.as_deref(), Some("legacy-reports-params"));
    assert_eq!(cpg.attributes["name"], json!("legacy-reports-params"));
    assert_eq!(cpg.attributes["family"], json!("aurora-mysql8.0"));
    assert_eq!(
        cpg.attributes["parameter"],
        json!([
            {"name": "require_secure_transport", "value": "OFF"},
            {"name": "long_query_time", "value": "5"},
        ])
    );
}

#[tokio::test]
async fn denied_cluster_parameters_drop_that_group_with_an_error() {
    let r = Replay::load("rds").replace(
        |q| q.operation() == "DescribeDBClusterParameters",
        Answer::query_error(400, "AccessDenied", "not authorized"),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("rds:DescribeDBClusterParameters");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![CPG.to_string()]);
    assert_eq!(
        e.resource_id.as_deref(),
        Some("arn:aws:rds:us-east-1:123456789012:cluster-pg:legacy-reports-params")
    );
    assert!(c.of_type(CPG).is_empty());
    // The DB parameter groups are read as before.
    assert_eq!(c.of_type(PG).len(), 2);
}

#[tokio::test]
async fn denied_instances_do_not_hide_clusters() {
    let r = Replay::load("rds").replace(
        |q| q.operation() == "DescribeDBInstances",
        Answer::query_error(
            403,
            "AccessDenied",
            "User is not authorized to perform: rds:DescribeDBInstances",
        ),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("rds:DescribeDBInstances");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![DB.to_string()]);
    assert!(c.of_type(DB).is_empty());
    assert_eq!(c.of_type(CLUSTER).len(), 1);
    // Without instances no group is known to be in use: the custom group's parameters are not read.
    assert_eq!(c.of_type(PG).len(), 2);
    assert_eq!(
        c.by_id("arn:aws:rds:us-east-1:123456789012:pg:app-mysql80-tls")
            .attributes["parameter"],
        json!([])
    );
}

#[tokio::test]
async fn denied_parameters_drop_that_group_with_an_error() {
    let r = Replay::load("rds").replace(
        |q| q.operation() == "DescribeDBParameters",
        Answer::query_error(400, "AccessDenied", "not authorized"),
    );
    let c = run(&r).await;
    let e = c.error("rds:DescribeDBParameters");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![PG.to_string()]);
    assert_eq!(
        e.resource_id.as_deref(),
        Some("arn:aws:rds:us-east-1:123456789012:pg:app-mysql80-tls")
    );
    assert_eq!(
        c.ids(PG),
        vec!["arn:aws:rds:us-east-1:123456789012:pg:default.mysql8.0".to_string()]
    );
    assert_eq!(c.of_type(DB).len(), 2);
}
