# METADATA
# title: RDS instances are not publicly accessible
# description: >-
#   The reference architecture keeps its MySQL database in private subnets, reachable only from the ECS
#   service's security group. An instance with PubliclyAccessible set gets a public DNS name that resolves to
#   a public IP, so a single security-group mistake or a route to an internet gateway exposes the database
#   port to the internet. Unlike tools that fail only when the security group is also open, palisade fails
#   every publicly accessible instance (the flag is the exposure that must not exist); the evidence adds the
#   instance's security groups that admit 0.0.0.0/0 or ::/0, which make the exposure immediate. An unknown
#   flag fails.
# custom:
#   id: RDS-02
#   severity: critical
#   resource_types: [aws_db_instance]
#   requires: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Turn public access off: `aws rds modify-db-instance --db-instance-identifier <id>
#     --no-publicly-accessible --apply-immediately`, or set `publicly_accessible = false` on the
#     `aws_db_instance` in Terraform. Keep the instance in a DB subnet group of private subnets and allow the
#     database port only from the application's security group.
#   frameworks:
#     fsbp: [RDS.2]
#     nist-800-53-r5: [AC-4, AC-4(21), SC-7, SC-7(4), SC-7(5), SC-7(11), SC-7(16), SC-7(21)]
#     cis-aws-v5: ["2.2.3"]
#     prowler: [rds_instance_no_public_access]
#     aws-config: [rds-instance-public-access-check]
package aws.rds.public_access

import rego.v1

import data.lib.aws

world := {"0.0.0.0/0", "::/0"}

# open_groups(db) is the ids of db's security groups with an ingress rule from anywhere.
# group_index is every security group keyed by "account|sg-id" (built once per evaluation).
group_index[key] contains sg if {
	some sg in array.concat(aws.resources("aws_security_group"), aws.resources("aws_default_security_group"))
	id := object.get(sg.attributes, "id", null)
	is_string(id)
	key := concat("|", [sg.account, id])
}

open_groups(db) := sort({sg_id |
	some sg_id in object.get(db.attributes, "vpc_security_group_ids", [])
	is_string(sg_id)
	some sg in group_index[concat("|", [db.account, sg_id])]
	some rule in object.get(sg.attributes, "ingress", [])
	some cidr in array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	cidr in world
})

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not object.get(db.attributes, "publicly_accessible", null) == false
	finding := {
		"resource": db.id,
		"message": message(db),
		"evidence": {
			"publicly_accessible": object.get(db.attributes, "publicly_accessible", null),
			"vpc_security_group_ids": object.get(db.attributes, "vpc_security_group_ids", null),
			"security_groups_open_to_internet": open_groups(db),
		},
	}
}

message(db) := sprintf("RDS instance %s is publicly accessible and its security groups %s admit the internet", [aws.label(db), concat(", ", open_groups(db))]) if {
	object.get(db.attributes, "publicly_accessible", null) == true
	count(open_groups(db)) > 0
} else := sprintf("RDS instance %s is publicly accessible", [aws.label(db)]) if {
	object.get(db.attributes, "publicly_accessible", null) == true
} else := sprintf("RDS instance %s has an unknown publicly_accessible setting", [aws.label(db)])
