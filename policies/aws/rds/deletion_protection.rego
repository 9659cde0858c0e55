# METADATA
# title: RDS instances and clusters have deletion protection
# description: >-
#   The reference architecture's database is the one stateful component of the application; deletion
#   protection stops an operator, a script or a Terraform plan from deleting it (and, with it, its automated
#   backups) by mistake. Judges aws_db_instance and aws_rds_cluster (deletion_protection == true); an
#   instance that belongs to a cluster in the inventory is judged through its cluster, where Aurora sets the
#   protection. An unknown setting fails.
# custom:
#   id: RDS-05
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   remediation: >-
#     `aws rds modify-db-instance --db-instance-identifier <id> --deletion-protection --apply-immediately`
#     (`aws rds modify-db-cluster --db-cluster-identifier <id> --deletion-protection` for a cluster), or set
#     `deletion_protection = true` on the `aws_db_instance` / `aws_rds_cluster` in Terraform.
#   frameworks:
#     fsbp: [RDS.8, RDS.7]
#     nist-800-53-r5: [CM-3, SC-5(2), SI-13(5)]
#     prowler: [rds_instance_deletion_protection, rds_cluster_deletion_protection]
#     aws-config: [rds-instance-deletion-protection-enabled, rds-cluster-deletion-protection-enabled]
package aws.rds.deletion_protection

import rego.v1

import data.lib.aws
import data.lib.rds

deny contains finding if {
	some r in array.concat(rds.instances, aws.resources("aws_rds_cluster"))
	not object.get(r.attributes, "deletion_protection", null) == true
	finding := {
		"resource": r.id,
		"message": sprintf("RDS %s %s can be deleted: deletion protection is not enabled", [kind(r), aws.label(r)]),
		"evidence": {"deletion_protection": object.get(r.attributes, "deletion_protection", null)},
	}
}

kind(r) := "cluster" if r.type == "aws_rds_cluster"

kind(r) := "instance" if r.type == "aws_db_instance"
