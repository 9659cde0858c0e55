# METADATA
# title: RDS master user passwords are managed in Secrets Manager
# description: >-
#   The reference architecture stores database credentials in AWS Secrets Manager with automatic rotation.
#   When RDS manages the master user password (ManageMasterUserPassword), the password is generated, kept
#   only in a Secrets Manager secret owned by RDS and rotated without a Lambda; otherwise it was chosen by a
#   person and typically lives in Terraform state, CI variables or a wiki. Judges aws_db_instance (passes
#   with master_user_secret[0].secret_arn present or manage_master_user_password true) and aws_rds_cluster
#   (master_user_secret[0].secret_arn present); an instance that belongs to a cluster in the inventory is
#   judged through its cluster, which owns Aurora's master user. Absent values fail.
# custom:
#   id: RDS-10
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   remediation: >-
#     `aws rds modify-db-instance --db-instance-identifier <id> --manage-master-user-password
#     --apply-immediately` (`aws rds modify-db-cluster --db-cluster-identifier <id>
#     --manage-master-user-password` for a cluster), or set `manage_master_user_password = true` and remove
#     `password` on the `aws_db_instance` / `master_password` on the `aws_rds_cluster` in Terraform. Point the
#     application at the secret ARN in `master_user_secret[0].secret_arn`.
#   frameworks: {}
package aws.rds.managed_master_password

import rego.v1

import data.lib.aws
import data.lib.rds

secret_arn(r) := arn if {
	arn := aws.block(r.attributes, "master_user_secret").secret_arn
	is_string(arn)
	arn != ""
}

managed(r) if secret_arn(r)

managed(r) if {
	r.type == "aws_db_instance"
	object.get(r.attributes, "manage_master_user_password", null) == true
}

deny contains finding if {
	some r in array.concat(rds.instances, aws.resources("aws_rds_cluster"))
	not managed(r)
	finding := {
		"resource": r.id,
		"message": sprintf("RDS %s %s has a master user password that is not managed in Secrets Manager", [kind(r), aws.label(r)]),
		"evidence": evidence(r),
	}
}

evidence(r) := {
	"manage_master_user_password": object.get(r.attributes, "manage_master_user_password", null),
	"master_user_secret": object.get(r.attributes, "master_user_secret", null),
} if r.type == "aws_db_instance"

evidence(r) := {"master_user_secret": object.get(r.attributes, "master_user_secret", null)} if r.type == "aws_rds_cluster"

kind(r) := "cluster" if r.type == "aws_rds_cluster"

kind(r) := "instance" if r.type == "aws_db_instance"
