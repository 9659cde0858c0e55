# METADATA
# title: RDS instances have Performance Insights enabled
# description: >-
#   The reference architecture names Performance Insights as the monitoring of its MySQL database: it
#   records database load by wait event, SQL statement, host and user, which is how a slow query, a lock
#   storm or an abusive client is found during an incident. Judges every aws_db_instance (Performance
#   Insights is set per instance, also in Aurora): performance_insights_enabled must be true. An unknown
#   setting fails.
# custom:
#   id: RDS-11
#   severity: low
#   resource_types: [aws_db_instance]
#   remediation: >-
#     `aws rds modify-db-instance --db-instance-identifier <id> --enable-performance-insights
#     --performance-insights-retention-period 7 --apply-immediately`, or set
#     `performance_insights_enabled = true` on the `aws_db_instance` in Terraform (optionally
#     `performance_insights_kms_key_id` and `performance_insights_retention_period`).
#   frameworks: {}
package aws.rds.performance_insights

import rego.v1

import data.lib.aws

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not object.get(db.attributes, "performance_insights_enabled", null) == true
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s does not have Performance Insights enabled", [aws.label(db)]),
		"evidence": {"performance_insights_enabled": object.get(db.attributes, "performance_insights_enabled", null)},
	}
}
