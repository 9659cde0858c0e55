# METADATA
# title: RDS instances and clusters accept IAM database authentication
# description: >-
#   With IAM database authentication the reference architecture's ECS tasks connect with short-lived tokens
#   issued to their task role instead of a long-lived password, and access is granted and revoked in IAM.
#   Judges aws_db_instance and aws_rds_cluster (iam_database_authentication_enabled == true); an instance
#   that belongs to a cluster in the inventory is judged through its cluster, where Aurora sets it. IAM
#   authentication exists for MySQL, MariaDB and PostgreSQL engines. An unknown setting fails.
# custom:
#   id: RDS-06
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   remediation: >-
#     `aws rds modify-db-instance --db-instance-identifier <id> --enable-iam-database-authentication
#     --apply-immediately` (`aws rds modify-db-cluster ... --enable-iam-database-authentication` for a
#     cluster), or set `iam_database_authentication_enabled = true` in Terraform; then create database users
#     with the AWSAuthenticationPlugin (MySQL) or the rds_iam role (PostgreSQL) and grant `rds-db:connect`.
#   frameworks:
#     fsbp: [RDS.10, RDS.12]
#     nist-800-53-r5: [AC-2(1), AC-3, AC-3(7), AC-3(15), AC-6]
#     prowler: [rds_instance_iam_authentication_enabled, rds_cluster_iam_authentication_enabled]
#     aws-config: [rds-instance-iam-authentication-enabled, rds-cluster-iam-authentication-enabled]
package aws.rds.iam_authentication

import rego.v1

import data.lib.aws
import data.lib.rds

deny contains finding if {
	some r in array.concat(rds.instances, aws.resources("aws_rds_cluster"))
	not object.get(r.attributes, "iam_database_authentication_enabled", null) == true
	finding := {
		"resource": r.id,
		"message": sprintf("RDS %s %s does not accept IAM database authentication", [kind(r), aws.label(r)]),
		"evidence": {"iam_database_authentication_enabled": object.get(r.attributes, "iam_database_authentication_enabled", null)},
	}
}

kind(r) := "cluster" if r.type == "aws_rds_cluster"

kind(r) := "instance" if r.type == "aws_db_instance"
