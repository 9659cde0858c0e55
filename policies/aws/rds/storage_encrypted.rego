# METADATA
# title: RDS instances and clusters encrypt their storage
# description: >-
#   The database of the reference architecture holds the application's task data and user records; its
#   storage, automated backups, snapshots and read replicas must be encrypted at rest with KMS. Judges
#   aws_db_instance and aws_rds_cluster (storage_encrypted == true); an instance that belongs to a cluster in
#   the inventory is judged through its cluster, where Aurora sets encryption. The KMS key is recorded as
#   evidence. An unknown setting fails.
# custom:
#   id: RDS-03
#   severity: high
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   remediation: >-
#     Encryption cannot be turned on for an existing instance: snapshot it (`aws rds create-db-snapshot`),
#     copy the snapshot with a KMS key (`aws rds copy-db-snapshot --kms-key-id <key>`), restore a new
#     instance from the encrypted copy and switch the application over. In Terraform set
#     `storage_encrypted = true` and `kms_key_id` on `aws_db_instance` / `aws_rds_cluster` (this replaces the
#     resource).
#   frameworks:
#     fsbp: [RDS.3, RDS.27]
#     nist-800-53-r5: [CA-9(1), CM-3(6), SC-7(10), SC-13, SC-28, SC-28(1), SI-7(6)]
#     cis-aws-v5: ["2.2.1"]
#     prowler: [rds_instance_storage_encrypted, rds_cluster_storage_encrypted]
#     aws-config: [rds-storage-encrypted, rds-cluster-encrypted-at-rest]
package aws.rds.storage_encrypted

import rego.v1

import data.lib.aws
import data.lib.rds

deny contains finding if {
	some r in array.concat(rds.instances, aws.resources("aws_rds_cluster"))
	not object.get(r.attributes, "storage_encrypted", null) == true
	finding := {
		"resource": r.id,
		"message": sprintf("RDS %s %s does not encrypt its storage at rest", [kind(r), aws.label(r)]),
		"evidence": {
			"storage_encrypted": object.get(r.attributes, "storage_encrypted", null),
			"kms_key_id": object.get(r.attributes, "kms_key_id", null),
		},
	}
}

kind(r) := "cluster" if r.type == "aws_rds_cluster"

kind(r) := "instance" if r.type == "aws_db_instance"
