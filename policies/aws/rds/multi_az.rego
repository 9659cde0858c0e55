# METADATA
# title: RDS instances are deployed Multi-AZ
# description: >-
#   The reference architecture runs its MySQL database as a Multi-AZ deployment for high availability:
#   a synchronous standby in a second Availability Zone takes over automatically when the primary fails.
#   A Single-AZ instance is down for the whole of an AZ outage or a host failure.
# custom:
#   id: RDS-01
#   severity: high
#   resource_types: [aws_db_instance]
#   remediation: >-
#     Convert the instance to Multi-AZ: `aws rds modify-db-instance --db-instance-identifier <id>
#     --multi-az --apply-immediately`, or set `multi_az = true` on the `aws_db_instance` in Terraform.
#     Instances that belong to an Aurora cluster get their availability from the cluster's replicas.
#   frameworks:
#     fsbp: [RDS.5]
#     nist-800-53-r5: [CP-6(2), CP-10, SC-5(2), SC-36, SI-13(5)]
#     cis-aws-v5: ["2.2.4"]
#     prowler: [rds_instance_multi_az]
#     aws-config: [rds-multi-az-support]
package aws.rds.multi_az

import rego.v1

import data.lib.aws

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	object.get(db.attributes, "cluster_identifier", "") == ""
	not object.get(db.attributes, "multi_az", false) == true
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s runs in a single Availability Zone", [aws.label(db)]),
		"evidence": {"multi_az": object.get(db.attributes, "multi_az", null)},
	}
}
